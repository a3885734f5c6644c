"""Deterministic generator of benchmark exports: deals, activities and plans in two dialects.

    python -m bench.generate [--sizes 10k,100k,1M] [--out DIR] [--seed 7] [--force]

For every size N (deals) it writes, under ``DIR/<size>/`` (default: a folder in the system temp dir,
never the repository):

* ``bitrix/deals.csv`` — a Bitrix24-style Russian deals export: UTF-8 with BOM, ``;`` after every value
  (the last one too), every value quoted (``"`` inside a value doubled), ``dd.mm.yyyy HH:MM:SS`` dates,
  decimal-comma amounts and the portal's Russian headers::

      ID;Название сделки;Стадия сделки;Сумма;Валюта;Ответственный;Дата создания;Дата изменения;
      Кем создана;Сделка закрыта;Предполагаемая дата закрытия;Компания;Контакт;Источник

  A Bitrix24 deals export has no "actual close date" column. The importer (``metrics.importers``) takes
  the close date of a *closed* deal (``Сделка закрыта`` = Да, stage won/lost) from
  ``Предполагаемая дата закрытия``, which the portal moves to the closing day when a deal is closed
  (a date without time); for open deals that column is an expected date and never counts. The generator
  writes it that way; ``Дата изменения`` holds the closing time of closed deals (the importer only falls
  back to it when no close-date column exists). Every tenth client is a private person: no company, the
  client is the ``Контакт``; companies get a contact person too (never the client). About 10% of
  company names contain straight double quotes (``ООО "Вектор-12"``), as real ones do.
* ``bitrix/activities.csv`` — a Bitrix24-style activities ("Дела") export in the same CSV dialect:
  ``ID;Тип дела;Тема;Ответственный;Дата начала;Выполнено`` (types Звонок / Встреча / Письмо / Задача,
  Да/Нет).
* ``canonical/deals.csv``, ``canonical/activities.csv`` — the same data as SalesLens' canonical UTF-8
  CSV (``deal_id,manager,client,created_at,closed_at,status,amount,source,currency``; ISO dates, decimal
  point, quoting only where needed; ``closed_at`` keeps the time of day, empty for open deals).
* ``plans.csv`` (in both folders) — canonical long plans: ``manager,month,target`` for every manager and
  month of the data.

Sizes: 10k, 100k, 1M deals (any ``<number>[k|M]``), activities = 3 per deal (3M at 1M), managers
20 / 63 / 200, clients = deals / 5 (200k at 1M), created over 2023-01-01 … 2025-12-31. The same seed
and size always give byte-identical files. ``meta.json`` records counts, bytes and the generator version;
an existing folder with a matching ``meta.json`` is reused unless ``--force``.
"""
from __future__ import annotations

import argparse
import json
import math
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

VERSION = 3
SPAN_START = date(2023, 1, 1)
SPAN_END = date(2025, 12, 31)
DEFAULT_OUT = Path(tempfile.gettempdir()) / "saleslens-bench"
ACTIVITIES_PER_DEAL = 3
CHUNK = 250_000

BITRIX_DEAL_HEADERS = ["ID", "Название сделки", "Стадия сделки", "Сумма", "Валюта", "Ответственный",
                       "Дата создания", "Дата изменения", "Кем создана", "Сделка закрыта",
                       "Предполагаемая дата закрытия", "Компания", "Контакт", "Источник"]
BITRIX_ACTIVITY_HEADERS = ["ID", "Тип дела", "Тема", "Ответственный", "Дата начала", "Выполнено"]
CANONICAL_DEAL_HEADERS = ["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount",
                          "source", "currency"]
CANONICAL_ACTIVITY_HEADERS = ["activity_id", "manager", "type", "at", "done"]

#: Bitrix24 stages (RU portal) → canonical status. The benchmark's DuckDB reference uses this table.
STAGES = {"won": ["Сделка успешна"], "lost": ["Сделка провалена", "Анализ причины провала"],
          "open": ["Новая", "В работе", "Подготовка документов", "Счёт на предоплату"]}
STAGE_STATUS = {s: k for k, v in STAGES.items() for s in v}
ACTIVITY_TYPES = {"call": "Звонок", "meeting": "Встреча", "email": "Письмо", "task": "Задача"}
SOURCES = {"website": "Веб-сайт", "call": "Звонок", "referral": "Рекомендация", "ads": "Реклама",
           "expo": "Выставка"}
CREATORS = ["Администратор портала", "Интеграция 1С", "Робот CRM", "Импорт из Excel"]

SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов",
            "Новиков", "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров",
            "Павлов", "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин",
            "Захаров", "Зайцев", "Соловьёв", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв",
            "Сергеев", "Кузьмин", "Фролов", "Александров", "Дмитриев", "Королёв", "Гусев", "Киселёв",
            "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов", "Ковалёв", "Белов", "Медведев",
            "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров", "Давыдов", "Беляев",
            "Герасимов", "Богданов", "Осипов", "Сидоров"]
FIRST = ["Александр", "Дмитрий", "Максим", "Сергей", "Андрей", "Алексей", "Артём", "Илья", "Кирилл",
         "Михаил", "Никита", "Матвей", "Роман", "Егор", "Арсений", "Иван", "Денис", "Евгений", "Даниил",
         "Тимофей", "Владислав", "Игорь", "Владимир", "Павел", "Руслан", "Марк", "Константин", "Тимур",
         "Олег", "Ярослав", "Антон", "Николай", "Глеб", "Данил", "Савелий", "Вадим", "Степан", "Юрий",
         "Богдан", "Артур"]
PATRONYMICS = ["Александрович", "Дмитриевич", "Сергеевич", "Андреевич", "Алексеевич", "Михайлович",
               "Иванович", "Николаевич", "Владимирович", "Павлович", "Игоревич", "Евгеньевич",
               "Олегович", "Юрьевич", "Викторович", "Петрович", "Борисович", "Фёдорович", "Романович",
               "Геннадьевич", "Анатольевич", "Васильевич", "Константинович", "Григорьевич", "Львович",
               "Степанович", "Тимофеевич", "Егорович", "Ильич", "Максимович"]
COMPANY_FORMS = ["ООО", "АО", "ИП", "ПАО", "ЗАО", "ООО", "ООО"]
COMPANY_WORDS = ["Альфа", "Вектор", "Прогресс", "Техносфера", "Стройинвест", "Мегаполис", "Сибирь",
                 "Уралмаш", "Волга", "Северсталь", "Агропром", "Логистик", "Медтех", "Энергосбыт",
                 "Профиль", "Гранит", "Меридиан", "Восход", "Горизонт", "Квант", "Пульс", "Формат",
                 "Ресурс", "Транзит", "Орион", "Спектр", "Атлант", "Фарма", "Инжиниринг", "Комплект"]


def parse_size(text: str) -> int:
    t = text.strip().lower().replace("_", "")
    mult = 1_000_000 if t.endswith("m") else 1_000 if t.endswith("k") else 1
    return int(float(t.rstrip("mk")) * mult)


def size_label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def n_managers(n: int) -> int:
    """20 at 10k, 63 at 100k, 200 at 1M (√ growth), at least 5."""
    return max(5, min(len(SURNAMES) * len(FIRST), round(200 * math.sqrt(n / 1_000_000)))) if n >= 10_000 \
        else max(5, n // 500)


# --------------------------------------------------------------------------------------------------
# The data (numpy), independent of the dialect
# --------------------------------------------------------------------------------------------------

def _epoch(d: date) -> int:
    return int((np.datetime64(d, "s") - np.datetime64("1970-01-01", "s")).astype(np.int64))


def _work_time(rng, days: np.ndarray) -> np.ndarray:
    """Seconds since the epoch: the given day offsets + a time between 08:00 and 19:59:59."""
    return _epoch(SPAN_START) + days.astype(np.int64) * 86400 + rng.integers(8 * 3600, 20 * 3600, len(days))


def _person_names(k: int, start: int = 0, patronymic: bool = False) -> list[str]:
    """k distinct Russian names (surname first), deterministic."""
    out = []
    for i in range(start, start + k):
        a, b = divmod(i, len(SURNAMES))   # (surname, first name) pairs are distinct for i < 2400
        s, f = SURNAMES[b], FIRST[(21 * a + 7 * b) % len(FIRST)]
        if patronymic:
            p = PATRONYMICS[(i // (len(SURNAMES) * len(FIRST))) % len(PATRONYMICS)]
            out.append(f"{s} {f} {p}")
        else:
            out.append(f"{s} {f}")
    return out


def make_data(n: int, seed: int = 7) -> dict:
    """All columns of one dataset as numpy arrays / small lists (deals, activities, plans)."""
    rng = np.random.default_rng([seed, n])
    days = (SPAN_END - SPAN_START).days + 1
    k_man = n_managers(n)
    managers = _person_names(k_man, start=7)
    man_w = rng.lognormal(0.0, 0.45, k_man)
    man_w /= man_w.sum()
    man_skill = rng.normal(0.0, 0.35, k_man)            # planted differences in conversion

    # clients: 90% companies, 10% private persons (client = the contact); a heavy head of repeat buyers
    k_cli = max(50, n // 5)
    private = (np.arange(k_cli) % 10) == 9
    forms = rng.integers(0, len(COMPANY_FORMS), k_cli)
    words = rng.integers(0, len(COMPANY_WORDS), k_cli)
    straight = rng.random(k_cli) < 0.10
    pnames = _person_names(int(private.sum()), start=11, patronymic=True)
    clients, j = [], 0
    for c in range(k_cli):
        if private[c]:
            clients.append(pnames[j])
            j += 1
        else:
            w = f"{COMPANY_WORDS[words[c]]}-{c + 1}"
            clients.append(f'{COMPANY_FORMS[forms[c]]} "{w}"' if straight[c] else f"{COMPANY_FORMS[forms[c]]} «{w}»")
    contacts = _person_names(500, start=101, patronymic=True)

    # deals, created in time order (the export is sorted by ID)
    created = np.sort(_work_time(rng, rng.integers(0, days, n)))
    manager = rng.choice(k_man, n, p=man_w).astype(np.int32)
    client = np.minimum((k_cli * rng.random(n) ** 1.8).astype(np.int64), k_cli - 1).astype(np.int32)
    p_won = 1 / (1 + np.exp(-(-1.0 + man_skill[manager])))       # ≈ 27% won overall
    u = rng.random(n)
    status = np.where(u < p_won * 0.9, 0, np.where(u < 0.75, 1, 2)).astype(np.int8)  # 0 won 1 lost 2 open
    delay = np.ceil(rng.gamma(2.0, 9.0, n) * 86400).astype(np.int64) + rng.integers(0, 3600, n)
    closed = created + delay
    end_s = _epoch(SPAN_END) + 86399
    status = np.where((status < 2) & (closed > end_s), 2, status).astype(np.int8)  # not closed yet
    amount_c = np.round(rng.lognormal(np.log(45_000), 0.9, n) * 100).astype(np.int64)  # kopecks
    amount_c[rng.random(n) < 0.01] = 0
    source = rng.integers(0, len(SOURCES), n).astype(np.int8)
    contact = rng.integers(0, len(contacts), n).astype(np.int32)
    creator = rng.integers(0, len(CREATORS), n).astype(np.int8)
    open_stage = rng.integers(0, len(STAGES["open"]), n)
    lost_stage = rng.integers(0, len(STAGES["lost"]), n)
    expected = created + (30 + rng.integers(0, 45, n)) * 86400          # open deals: expected close
    modified = np.where(status < 2, closed, created + rng.integers(0, 20 * 86400, n))

    # activities: 3 per deal, same managers, spread over the span
    m = n * ACTIVITIES_PER_DEAL
    a_at = np.sort(_work_time(rng, rng.integers(0, days, m)))
    a_manager = rng.choice(k_man, m, p=man_w).astype(np.int32)
    a_type = rng.choice(4, m, p=[0.5, 0.15, 0.2, 0.15]).astype(np.int8)   # call meeting email task
    a_done = rng.random(m) < 0.85

    # plans: every manager × month, about what they sell
    months = [f"{y:04d}-{mo:02d}" for y in range(SPAN_START.year, SPAN_END.year + 1) for mo in range(1, 13)]
    monthly = n / len(months) * 0.27 * 45_000 * 1.5
    targets = np.round(np.outer(man_w * monthly, rng.uniform(0.8, 1.3, len(months))), -3)

    return dict(n=n, managers=managers, clients=clients, private=private, contacts=contacts,
                deal_id=np.arange(1, n + 1, dtype=np.int64) + 100_000, created=created, closed=closed,
                modified=modified, expected=expected, manager=manager, client=client, status=status,
                amount_c=amount_c, source=source, contact=contact, creator=creator, open_stage=open_stage,
                lost_stage=lost_stage, activity_id=np.arange(1, m + 1, dtype=np.int64) + 5_000_000,
                a_at=a_at, a_manager=a_manager, a_type=a_type, a_done=a_done, months=months, targets=targets)


# --------------------------------------------------------------------------------------------------
# Rendering (pyarrow string kernels, chunked)
# --------------------------------------------------------------------------------------------------

def _ts(sec: np.ndarray, fmt: str) -> pa.Array:
    return pc.strftime(pa.array(sec.astype("datetime64[s]")), format=fmt)


def _take(values: list[str], idx: np.ndarray) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(idx))


def _money(cents: np.ndarray, decimal: str) -> pa.Array:
    whole = pc.cast(pa.array(cents // 100), pa.string())
    frac = pc.utf8_lpad(pc.cast(pa.array(cents % 100), pa.string()), 2, "0")
    return pc.binary_join_element_wise(whole, frac, decimal)


def _quote_all(cols: list[pa.Array], trailing: bool) -> pa.Array:
    """Bitrix lines: every value quoted ("" inside), ';' after every value, '\\n'."""
    q = [pc.replace_substring(c, '"', '""') if pc.any(pc.match_substring(c, '"')).as_py() else c for c in cols]
    body = pc.binary_join_element_wise(*q, '";"')
    return pc.binary_join_element_wise('"', body, '";\n' if trailing else '"\n', "")


def _quote_needed(c: pa.Array) -> pa.Array:
    need = pc.or_(pc.match_substring(c, '"'), pc.match_substring(c, ","))
    quoted = pc.binary_join_element_wise('"', pc.replace_substring(c, '"', '""'), '"', "")
    return pc.if_else(need, quoted, c)


def _plain_lines(cols: list[pa.Array]) -> pa.Array:
    return pc.binary_join_element_wise(pc.binary_join_element_wise(*cols, ","), "\n", "")


def _write_lines(fh, lines: pa.Array) -> None:
    """The concatenation of a string array's values, straight from its data buffer."""
    lines = pc.cast(lines, pa.large_string()).combine_chunks() if isinstance(lines, pa.ChunkedArray) \
        else pc.cast(lines, pa.large_string())
    offsets = np.frombuffer(lines.buffers()[1], dtype=np.int64, count=len(lines) + 1, offset=lines.offset * 8)
    fh.write(memoryview(lines.buffers()[2])[offsets[0]:offsets[-1]])


def _bitrix_deals(d: dict, s: slice) -> pa.Array:
    st = d["status"][s]
    ids = pc.cast(pa.array(d["deal_id"][s]), pa.string())
    stage_names = [STAGES["won"][0], *STAGES["lost"], *STAGES["open"]]
    stage_idx = np.where(st == 0, 0, np.where(st == 1, 1 + d["lost_stage"][s], 3 + d["open_stage"][s]))
    closed = st < 2
    cl = d["client"][s]
    private = d["private"][cl]
    client = _take(d["clients"], cl)
    company = pc.if_else(pa.array(private), "", client)
    contact = pc.if_else(pa.array(private), client, _take(d["contacts"], d["contact"][s]))
    close_day = np.where(closed, d["closed"][s], d["expected"][s])
    cols = [ids, pc.binary_join_element_wise("Сделка №", ids, ""), _take(stage_names, stage_idx),
            _money(d["amount_c"][s], ","), pa.array(["Российский рубль"] * len(st)),
            _take(d["managers"], d["manager"][s]), _ts(d["created"][s], "%d.%m.%Y %H:%M:%S"),
            _ts(d["modified"][s], "%d.%m.%Y %H:%M:%S"), _take(CREATORS, d["creator"][s]),
            pc.if_else(pa.array(closed), "Да", "Нет"), _ts(close_day, "%d.%m.%Y"), company, contact,
            _take(list(SOURCES.values()), d["source"][s])]
    return _quote_all(cols, trailing=True)


def _canonical_deals(d: dict, s: slice) -> pa.Array:
    st = d["status"][s]
    closed = pc.if_else(pa.array(st < 2), _ts(d["closed"][s], "%Y-%m-%d %H:%M:%S"), "")
    cols = [pc.cast(pa.array(d["deal_id"][s]), pa.string()), _take(d["managers"], d["manager"][s]),
            _quote_needed(_take(d["clients"], d["client"][s])), _ts(d["created"][s], "%Y-%m-%d %H:%M:%S"),
            closed, _take(["won", "lost", "open"], st), _money(d["amount_c"][s], "."),
            _take(list(SOURCES), d["source"][s]), pa.array(["RUB"] * len(st))]
    return _plain_lines(cols)


def _bitrix_activities(d: dict, s: slice) -> pa.Array:
    ids = pc.cast(pa.array(d["activity_id"][s]), pa.string())
    typ = _take(list(ACTIVITY_TYPES.values()), d["a_type"][s])
    cols = [ids, typ, pc.binary_join_element_wise(typ, ids, " №"), _take(d["managers"], d["a_manager"][s]),
            _ts(d["a_at"][s], "%d.%m.%Y %H:%M:%S"), pc.if_else(pa.array(d["a_done"][s]), "Да", "Нет")]
    return _quote_all(cols, trailing=True)


def _canonical_activities(d: dict, s: slice) -> pa.Array:
    cols = [pc.cast(pa.array(d["activity_id"][s]), pa.string()), _take(d["managers"], d["a_manager"][s]),
            _take(list(ACTIVITY_TYPES), d["a_type"][s]), _ts(d["a_at"][s], "%Y-%m-%d %H:%M:%S"),
            pc.if_else(pa.array(d["a_done"][s]), "true", "false")]
    return _plain_lines(cols)


def _write(path: Path, header: str, render, d: dict, total: int, bom: bool) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(("\ufeff" if bom else "").encode() + header.encode())
        for lo in range(0, total, CHUNK):
            _write_lines(fh, render(d, slice(lo, min(lo + CHUNK, total))))
    return path.stat().st_size


def _plans_csv(d: dict) -> bytes:
    lines = ["manager,month,target"]
    for i, man in enumerate(d["managers"]):
        for j, mo in enumerate(d["months"]):
            lines.append(f"{man},{mo},{int(d['targets'][i, j])}")
    return ("\n".join(lines) + "\n").encode()


def generate(n: int, out: Path = DEFAULT_OUT, seed: int = 7, force: bool = False) -> Path:
    """Write the files of one size under ``out/<size>/`` (reused when already there); returns that folder."""
    folder = Path(out) / size_label(n)
    meta_path = folder / "meta.json"
    if not force and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        if meta.get("version") == VERSION and meta.get("seed") == seed and meta.get("deals") == n:
            return folder
    d = make_data(n, seed)
    m = n * ACTIVITIES_PER_DEAL
    q = lambda hs: '"' + '";"'.join(hs) + '";\n'  # noqa: E731
    sizes = {
        "bitrix/deals.csv": _write(folder / "bitrix" / "deals.csv", q(BITRIX_DEAL_HEADERS), _bitrix_deals, d, n, True),
        "bitrix/activities.csv": _write(folder / "bitrix" / "activities.csv", q(BITRIX_ACTIVITY_HEADERS),
                                        _bitrix_activities, d, m, True),
        "canonical/deals.csv": _write(folder / "canonical" / "deals.csv", ",".join(CANONICAL_DEAL_HEADERS) + "\n",
                                      _canonical_deals, d, n, False),
        "canonical/activities.csv": _write(folder / "canonical" / "activities.csv",
                                           ",".join(CANONICAL_ACTIVITY_HEADERS) + "\n", _canonical_activities, d, m,
                                           False),
    }
    plans = _plans_csv(d)
    for sub in ("bitrix", "canonical"):
        (folder / sub / "plans.csv").write_bytes(plans)
        sizes[f"{sub}/plans.csv"] = len(plans)
    st = d["status"]
    meta = {"version": VERSION, "seed": seed, "deals": n, "activities": m, "managers": len(d["managers"]),
            "clients": len(d["clients"]), "won": int((st == 0).sum()), "lost": int((st == 1).sum()),
            "open": int((st == 2).sum()), "span": [SPAN_START.isoformat(), SPAN_END.isoformat()], "bytes": sizes}
    meta_path.write_text(json.dumps(meta, indent=2, ensure_ascii=False))
    return folder


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10k,100k,1M", help="comma-separated deal counts (10k,100k,1M)")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--force", action="store_true", help="regenerate even when the files exist")
    a = p.parse_args(argv)
    for s in a.sizes.split(","):
        folder = generate(parse_size(s), a.out, a.seed, a.force)
        meta = json.loads((folder / "meta.json").read_text())
        print(f"{folder}: {meta['deals']:,} deals, {meta['activities']:,} activities, {meta['managers']} managers, "
              f"{meta['clients']:,} clients; " + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in meta["bytes"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
