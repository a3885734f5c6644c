"""CRM export importer: any supported export file → the canonical SalesLens frames.

Supported exports (headers matched on normalised words, so localised or renamed columns still map):

* **Bitrix24** deals and leads (RU / UA / EN): CSV (UTF-8 BOM or cp1251, ``;``, quoted, trailing ``;``)
  and the "Excel" export that is really an HTML table (``.xls``); calls report; "Сделка закрыта"
  Да/Нет combined with the stage; "Предполагаемая дата закрытия" only counts for closed deals.
* **amoCRM** (RU) and **Kommo** (EN) deals/leads.
* **HubSpot** deals (``hubspot-crm-exports-*.csv|xlsx``) and call exports.
* **Pipedrive** deals and activities ("Deal - …" / "Activity - …" headers; Won time / Lost time /
  Deal closed on are closes, Expected close date never is).
* **Salesforce** opportunity reports (footer rows dropped, locale dates).
* **Zoho CRM** deals (name columns win over their ``.id`` twins).
* **Generic spreadsheets** in English, Russian and Ukrainian ("Менеджер", "Клієнт", "Сума",
  "Manager", "Customer", "Amount", …), orders/sales lists without a status (every row a won sale),
  plans in long (manager, month, target) or wide form (one column per month), and SalesLens'
  own canonical CSV/XLSX.

Public API::

    f = read_export(name, data, kind=None, mapping=None, stages=None, max_bytes=None) -> ImportedFile
    ds = combine([f1, f2, ...]) -> Dataset(deals, activities, plans, quality)

``mapping`` overrides canonical field → header (a value of ``None``/``""`` means "no such column");
``stages`` maps a stage value → won / lost / open. Besides the canonical fields, ``mapping`` may name
the helper fields ``contact``, ``title``, ``stage``, ``closed_flag``, ``won_flag``, ``won_at``,
``lost_at``, ``modified_at``, ``product`` (deals) and ``time_of_day`` (activities); for a wide plan the
mapping lists its month columns as ``"month:YYYY-MM": header``. A returned ``mapping`` can be passed
back as ``mapping=`` (the UI's selectboxes start from ``mapping`` and offer ``candidates``).

Status rules: the status column, else the stage, is read through the won/lost/open vocabularies
(:mod:`.vocab`). An unknown stage counts as open and is listed in ``unknown_stages`` with a warning —
except that a Bitrix-style closed flag decides: "closed = no" makes it silently open, "closed = yes"
makes it lost (listed, warned). Orders are won unless their status says cancelled / returned.
``combine`` keeps, for each (system, deal_id) / (system, activity_id) / (manager, month), the row of
the last file that has it.

Bad input raises
:class:`~metrics.errors.DataError` with a code, the file, the column and an example row. Modules:
:mod:`.vocab` (words), :mod:`.reading` (bytes → raw table), :mod:`.mapping` (headers → fields),
:mod:`.values` (dates, numbers, stages).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from ..errors import DataError, render
from ..memory import release_memory
from . import mapping as mp
from . import reading, values, vocab

__all__ = ["read_export", "combine", "ImportedFile", "Dataset", "DataQuality", "WARNINGS", "SYSTEMS"]

SYSTEMS = ("bitrix24", "amocrm", "kommo", "hubspot", "pipedrive", "salesforce", "zoho", "canonical",
           "spreadsheet", "unknown")
KINDS = ("deals", "activities", "plans", "orders")

# English templates of the importer's warnings (the UI can translate by code, e.g. "warn.<code>").
WARNINGS: dict[str, str] = {
    "ambiguous_columns": "{file}: several columns could be the {fields}; check the column mapping",
    "unknown_stages": "{file}: {count} deal(s) have stages SalesLens does not know ({stages}); they are "
                      "counted as open — assign them to won or lost",
    "closed_unknown_stages": "{file}: {count} closed deal(s) have stages SalesLens does not know ({stages}); "
                             "they are counted as lost — assign them if a stage means won",
    "empty_status": "{file}: {count} deal(s) have an empty stage/status; counted as open",
    "no_status_column": "{file}: no stage or status column; every deal is counted as open",
    "orders_as_won": "{file}: no status column; every row is counted as a completed (won) sale",
    "multi_currency": "{file}: amounts are in several currencies ({currencies}); they are not converted — "
                      "filter by currency before comparing totals",
    "no_id_column": "{file}: no id column; ids were derived from the row contents, so repeated exports of "
                    "changed deals may not de-duplicate",
    "client_from_title": "{file}: {count} deal(s) have no company or contact; the deal title is used as the client",
    "client_missing": "{file}: {count} deal(s) have no company, contact or title; each is its own client",
    "date_order_guessed": "{file}: dates in column '{column}' (e.g. {example}) read either way; read as {order}",
    "date_order_conflict": "{file}: date columns disagree on day/month order; each column was read on its own evidence",
    "product_lines_collapsed": "{file}: {rows} rows for {deals} deal(s) were merged into one deal each "
                               "(product lines; amounts summed)",
    "duplicate_rows": "{file}: {count} duplicate row(s) were ignored",
    "negative_amounts": "{file}: {count} deal(s) with a negative amount were left out (e.g. deal {deal})",
    "unparsable_dates": "{file}: {count} value(s) in column '{column}' are not dates (e.g. {example!r})",
    "unparsable_amounts": "{file}: {count} value(s) in column '{column}' are not numbers (e.g. {example!r}); "
                          "counted as 0",
    "closed_from_modified": "{file}: no close date column; closed deals use the modification date ('{column}')",
    "no_close_date": "{file}: no close date column; won and lost deals have no close date",
    "created_from_close": "{file}: no creation date column; '{column}' is used as the creation date",
    "no_amount_column": "{file}: no amount column; amounts are 0",
    "no_type_column": "{file}: no activity type column; activities are counted as '{type}'",
    "no_target_rows": "{file}: {count} plan cell(s) are empty and were skipped",
    "malformed_rows": "{file}: {count} line(s) with the wrong number of columns were skipped (e.g. {example!r})",
}
WARNINGS.update(values.NOTE_TEMPLATES)  # what reading a value found (markers, impossible dates, ...)


@dataclass
class DataQuality:
    file: str
    rows_read: int = 0
    rows_used: int = 0
    dropped: list[dict[str, Any]] = field(default_factory=list)    # {reason, count, example, row}
    warnings: list[dict[str, Any]] = field(default_factory=list)   # {code, message, params}
    duplicates: int = 0
    negative_amounts: int = 0
    managers: list[str] = field(default_factory=list)
    date_min: pd.Timestamp | None = None
    date_max: pd.Timestamp | None = None

    def drop(self, reason: str, count: int, example: Any = None, row: int | None = None) -> None:
        if count:
            self.dropped.append({"reason": reason, "count": int(count), "example": example, "row": row})

    def warn(self, code: str, **params: Any) -> None:
        params = {"file": self.file, **params}
        self.warnings.append({"code": code, "message": render(code, params, WARNINGS), "params": params})


@dataclass
class ImportedFile:
    name: str
    system: str
    kind: str
    encoding: str
    delimiter: str
    headers: list[str]
    mapping: dict[str, str]
    candidates: dict[str, list[str]]
    ambiguous: list[str]
    date_formats: dict[str, str]
    unknown_stages: list[str]
    stage_map: dict[str, str]
    currencies: list[str]
    frame: pd.DataFrame
    quality: DataQuality


@dataclass
class Dataset:
    deals: pd.DataFrame
    activities: pd.DataFrame
    plans: pd.DataFrame
    quality: list[DataQuality]
    duplicates_across_files: int = 0


# ==================================================================================================
# Public functions
# ==================================================================================================

def read_export(name: str, data: bytes | Callable[[], bytes], *, kind: str | None = None,
                mapping: dict[str, str] | None = None, stages: dict[str, str] | None = None,
                max_bytes: int | None = None) -> ImportedFile:
    """Read one CRM export (CSV / XLSX / HTML-.xls bytes) into canonical form. Raises DataError.

    ``data`` may be a function returning the bytes (e.g. ``Path.read_bytes``): they are then fetched
    when needed and dropped as soon as the file is parsed into a table, before the conversion."""
    try:
        return _read_export(name, data, kind=kind, overrides=mapping, stages=stages, max_bytes=max_bytes)
    except DataError:
        raise
    except MemoryError as exc:
        raise DataError("too_large", file=name, detail="not enough memory to read it") from exc
    except Exception as exc:  # noqa: BLE001 - never a raw traceback for bad input
        raise DataError("unreadable", file=name, detail=f"{type(exc).__name__}: {exc}"[:200]) from exc


def combine(files: list[ImportedFile]) -> Dataset:
    """Concatenate files by kind. Deals are de-duplicated by (system, deal_id) and activities by
    (system, activity_id), the row from the later file winning; plans by (manager, month), likewise."""
    def stack(kinds: tuple[str, ...], key: str | None) -> tuple[pd.DataFrame, int]:
        target = "deals" if "deals" in kinds else kinds[0]
        cols = _schema_columns(target)
        mine = [f for f in files if f.kind in kinds and len(f.frame)]
        if len(mine) == 1 and key:  # one file: its ids are unique already (read_export de-duplicates)
            frame = mine[0].frame
            return (frame if list(frame.columns) == cols else frame[cols]), 0
        parts = []
        for order, f in enumerate(files):
            if f.kind in kinds and len(f.frame):
                part = f.frame.copy()
                part["_system"], part["_order"] = f.system, order
                parts.append(part)
        if not parts:
            return schema.empty_frame(target)[cols], 0
        allf = pd.concat(parts, ignore_index=True)
        keys = ["_system", key] if key else ["manager", "month"]
        before = len(allf)
        allf = allf.drop_duplicates(subset=keys, keep="last")
        allf = allf.drop(columns=["_system", "_order"]).reset_index(drop=True)
        return allf[cols], before - len(allf)

    deals, d1 = stack(("deals", "orders"), "deal_id")
    acts, d2 = stack(("activities",), "activity_id")
    plans, d3 = stack(("plans",), None)
    if len(plans):
        plans = plans.sort_values(["manager", "month"]).reset_index(drop=True)
    return Dataset(deals, acts, plans, [f.quality for f in files], d1 + d2 + d3)


# ==================================================================================================
# Pipeline
# ==================================================================================================

_FOOTER_RE2 = "(?i)" + vocab.FOOTER.pattern
_NULL = pa.scalar(None, pa.string())
_CODES = {"won": 1, "lost": 2, "open": 3, "deleted": 4}
_NAMES = np.array([None, "won", "lost", "open", "deleted"], dtype=object)
_NAME_FIELDS = {"manager", "client", "contact", "source", "currency", "stage", "status", "type"}


def _tx(col: pd.Series, collapse: bool = False) -> pa.Array:
    """A column as stripped text (arrow strings), empty → null. ``collapse`` also squeezes inner runs
    of whitespace ("Иван  Петров" → "Иван Петров"); it works on the distinct values when they repeat."""
    t, empty = values.stripped(values.to_arrow(col))
    if empty.any():
        t = pc.if_else(pa.array(empty), _NULL, t)
    if not collapse:
        return t
    pattern, ws = "\\s\\s|[\t\n\r\u00a0\u2009\u202f]", "[\\s\u00a0\u2009\u202f]+"
    if len(t) > 2000 and pc.count_distinct(t.slice(0, 4000)).as_py() > 3000:
        d = None  # mostly distinct values (clients, contacts): a regex pass is cheaper than an encoding
    else:
        d = pc.dictionary_encode(t)
    if d is not None and len(d.dictionary) < len(t) // 2:
        if pc.any(pc.match_substring_regex(d.dictionary, pattern)).as_py():
            return pc.take(pc.replace_substring_regex(d.dictionary, ws, " "), d.indices)
        return t
    if pc.any(pc.match_substring_regex(t, pattern)).as_py():
        t = pc.replace_substring_regex(t, ws, " ")
    return t


def _isnull(a: pa.Array) -> np.ndarray:
    return a.is_null().to_numpy(zero_copy_only=False)


def _obj(a: pa.Array | None, n: int) -> np.ndarray:
    """Arrow strings → numpy object array (dictionary-encoded first when values repeat)."""
    if a is None:
        return np.full(n, None, dtype=object)
    if len(a) > 2000 and pc.count_distinct(a.slice(0, 4000)).as_py() < 3000:
        d = pc.dictionary_encode(a)
        if len(d.dictionary) < len(a) // 2:  # repeated values share one Python string
            idx = pc.fill_null(d.indices, -1).to_numpy(zero_copy_only=False)
            return np.array(d.dictionary.to_pylist() + [None], dtype=object)[idx]
    return a.to_numpy(zero_copy_only=False).astype(object)


def _has_duplicates(a: pa.Array) -> bool:
    """Does a (null-free) id column repeat a value? Numeric ids (most CRMs) are checked by sorting."""
    try:
        x = np.sort(pc.cast(a, pa.int64()).to_numpy(zero_copy_only=False))
        return bool((x[1:] == x[:-1]).any())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pc.count_distinct(a).as_py() < len(a)


def _empty_rows(frame: pd.DataFrame) -> np.ndarray:
    empty = np.ones(len(frame), bool)
    for c in frame.columns:
        _, e = values.stripped(values.to_arrow(frame[c]))
        empty &= e
        if not empty.any():
            break
    return empty


def _resolve_overrides(name: str, headers: list[str], overrides: dict[str, str] | None, kind: str
                       ) -> tuple[dict[str, str], set[str]]:
    """User overrides → (field → exact header, fields explicitly set to 'no column')."""
    if not overrides:
        return {}, set()
    synonyms, _ = mp.FIELDS[kind]
    known = set(synonyms) | {"status"}
    out, none = {}, set()
    for fld, h in overrides.items():
        if kind == "plans" and fld.startswith("month:"):
            continue  # a wide plan's month columns (as reported in ``mapping``) are found again anyway
        if fld not in known:
            raise DataError("bad_argument", file=name,
                            detail=f"{name}: unknown field {fld!r} for {kind}; fields: {', '.join(sorted(known))}")
        if h is None or str(h).strip() == "":
            none.add(fld)
            continue
        hit = next((x for x in headers if x == h), None) or next(
            (x for x in headers if reading.clean_header(x).lower() == reading.clean_header(h).lower()), None)
        if hit is None:
            raise DataError("bad_mapping", file=name, column=str(h), value=fld, detail=", ".join(headers)[:300])
        out[fld] = hit
    return out, none


def _read_export(name: str, data: bytes | Callable[[], bytes], *, kind: str | None,
                 overrides: dict[str, str] | None, stages: dict[str, str] | None, max_bytes: int | None
                 ) -> ImportedFile:
    if kind is not None and kind not in KINDS:
        raise DataError("bad_argument", file=name, detail=f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    raw = reading.read_raw(name, data() if callable(data) else data, max_bytes=max_bytes)
    del data
    release_memory()  # the parser's scratch buffers (a few hundred MB at a million rows)
    q = DataQuality(file=name, rows_read=len(raw.frame))
    for code, params in raw.notes:  # what reading the bytes repaired (mixed encodings, formula cells...)
        q.warn(code, **params)
    if len(raw.frame) == 0 or not raw.headers:
        raise DataError("no_rows", file=name)
    frame = raw.frame
    if raw.malformed:
        foot = [m for m in raw.malformed if vocab.FOOTER.search(m.strip().strip('"'))]
        q.drop("footer", len(foot), foot[0].strip()[:80] if foot else None)
        other = [m for m in raw.malformed if m not in foot and m.strip().strip('";,\t|')]
        if other:
            q.drop("malformed", len(other), other[0][:80])
            q.warn("malformed_rows", count=len(other), example=other[0][:80])
    empty = _empty_rows(frame)
    if empty.any():
        q.drop("empty_row", int(empty.sum()))
        frame = frame.loc[~empty].reset_index(drop=True)
    rownum = np.flatnonzero(~empty) + 1  # 1-based data row numbers of the remaining rows
    if len(frame) == 0:
        raise DataError("no_rows", file=name)
    headers = list(frame.columns)
    system = mp.detect_system(headers, name, raw.fmt)
    kind = kind or mp.detect_kind(frame, headers, name)
    ctx = _Ctx(name, raw, frame, headers, system, kind, q, rownum, stages)
    raw.frame = frame = None  # the context holds the only reference (so it can let columns go)
    if kind == "plans":
        return ctx.plans(overrides)
    if kind == "activities":
        return ctx.activities(overrides)
    return ctx.deals(overrides)


class _Ctx:
    """State of one file while it is converted: the raw frame, the rows still kept, the quality report."""

    def __init__(self, name, raw, frame, headers, system, kind, q, rownum, stages):
        self.name, self.raw, self.frame, self.headers = name, raw, frame, headers
        self.system, self.kind, self.q, self.rownum = system, kind, q, rownum
        self.n = len(frame)
        self.stages = _user_stages(name, stages)
        self.date_formats: dict[str, str] = {}
        self.keep = np.ones(self.n, bool)
        self.auto: set[str] = set()
        self._txcache: dict[tuple[str, bool], pa.Array] = {}
        cyr = mp.cyrillic_headers(headers)
        self.default_order = values.MONTH_FIRST if (system in vocab.US_SYSTEMS and not cyr) else values.DAY_FIRST

    # ---------------------------------------------------------------- helpers
    def _map(self, kind: str, overrides) -> mp.Mapping:
        forced, none = _resolve_overrides(self.name, self.headers, overrides, kind)
        m = mp.map_columns(self.frame, self.headers, kind, forced)
        for fld in none:
            if fld not in forced:
                m.mapping.pop(fld, None)
        if m.ambiguous:
            self.q.warn("ambiguous_columns", fields=", ".join(m.ambiguous))
        self.auto = {f for f in m.mapping if f not in forced}
        return m

    def _col(self, m: mp.Mapping, fld: str) -> pa.Array | None:
        h = m.mapping.get(fld)
        return None if h is None else self._tx(h, collapse=fld in _NAME_FIELDS)

    def _tx(self, header: str, collapse: bool = False) -> pa.Array:
        key = (header, collapse)
        if key not in self._txcache:
            self._txcache[key] = _tx(self.frame[header], collapse)
        return self._txcache[key]

    def _drop(self, mask: np.ndarray, reason: str, example_col: str | None = None) -> None:
        mask = mask & self.keep
        n = int(mask.sum())
        if not n:
            return
        i = int(np.flatnonzero(mask)[0])
        ex = None
        if example_col is not None:
            v = self.frame[example_col].iloc[i]
            ex = None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)[:80]
        self.q.drop(reason, n, ex, int(self.rownum[i]))
        self.keep &= ~mask

    def _managers(self, header: str) -> pa.Array:
        """The manager column; rows that name nobody (empty, spaces, ``#N/A``) are dropped and counted."""
        manager = self._tx(header, collapse=True)
        blank = values.no_manager(manager) & self.keep
        if blank.any():
            i = int(np.flatnonzero(blank)[0])
            v = self.frame[header].iloc[i]
            self.q.warn("blank_managers", column=header, count=int(blank.sum()), example="" if v is None else str(v))
            manager = pc.if_else(pa.array(blank), _NULL, manager)
        self._drop(_isnull(manager), "no_manager", header)
        return manager

    def _footer(self, cols: list[str | None], date_col: str | None) -> None:
        """Drop total/footer rows: a footer phrase in the first / manager / id column and no date."""
        rows = np.flatnonzero(self.keep & (_isnull(self._tx(date_col)) if date_col else True))
        if not len(rows):
            return
        hit = np.zeros(len(rows), bool)
        take = pa.array(rows)
        for c in dict.fromkeys([self.headers[0], *[c for c in cols if c]]):
            arr = values.to_arrow(self.frame[c]).take(take)
            hit |= pc.fill_null(pc.match_substring_regex(arr, _FOOTER_RE2), False).to_numpy(zero_copy_only=False)
        mask = np.zeros(self.n, bool)
        mask[rows[hit]] = True
        self._drop(mask, "footer", self.headers[0])

    def _dates(self, cols: dict[str, str]) -> dict[str, values.DateParse]:
        """Parse date columns; a column whose day/month order is undecided borrows the order another
        column of the same file proved, else keeps the default (and a warning says so)."""
        out = {f: values.parse_dates(self.frame[h], default_order=self.default_order) for f, h in cols.items()}
        proven = {r.fmt for r in out.values()
                  if r.decided and r.fmt in (values.DAY_FIRST, values.MONTH_FIRST) and not r.dotted}
        if len(proven) > 1:
            self.q.warn("date_order_conflict")
        for f, r in list(out.items()):
            if r.fmt in (values.DAY_FIRST, values.MONTH_FIRST) and not r.decided and not r.dotted:
                if len(proven) == 1:
                    order = next(iter(proven))
                    if order != r.fmt:
                        out[f] = r = values.parse_dates(self.frame[cols[f]], order=order)
                else:
                    col = self.frame[cols[f]]
                    ex = next((str(v) for v in col.head(50) if v is not None and str(v).strip()), "")
                    self.q.warn("date_order_guessed", column=cols[f], example=ex, order=r.fmt)
            if r.fmt:
                self.date_formats[cols[f]] = r.fmt
        return out

    def _check_dates(self, r: values.DateParse, header: str, required: bool) -> None:
        values.report_notes(r.notes, self.keep, self.q.warn, column=header)
        impossible = next((x.mask for x in r.notes if x.code == "impossible_dates"), None)
        if impossible is not None:  # a date that does not exist: its row is left out (whatever the column)
            self._drop(impossible, "impossible_date", header)
        ok = int((~np.isnat(r.values.to_numpy(dtype="datetime64[ns]")) & self.keep).sum())
        bad = r.bad & self.keep
        if not bad.any():
            return
        if ok == 0:
            i = int(np.flatnonzero(bad)[0])
            raise DataError("all_dates_unparsable", file=self.name, column=header, row=int(self.rownum[i]),
                            value=str(self.frame[header].iloc[i]))
        i = int(np.flatnonzero(bad)[0])
        self.q.warn("unparsable_dates", column=header, count=int(bad.sum()), example=str(self.frame[header].iloc[i]))
        if required:
            self._drop(bad, "bad_date", header)

    def _finish_quality(self, frame: pd.DataFrame, date_col: str, managers: pa.Array | None = None) -> None:
        """``managers``: the kept rows' manager column as arrow strings, when no row was dropped since
        (distinct values hashed in C++ instead of over Python objects)."""
        self.q.rows_used = len(frame)
        if managers is not None and len(frame):
            self.q.managers = sorted(pc.unique(managers).drop_null().to_pylist())
        else:
            self.q.managers = sorted(pd.unique(frame["manager"]).tolist()) if len(frame) else []
        if len(frame):
            col = frame[date_col]
            if date_col == "month":
                self.q.date_min = pd.Timestamp(col.min() + "-01")
                self.q.date_max = pd.Timestamp(col.max() + "-01") + pd.offsets.MonthEnd(0)
            else:
                self.q.date_min, self.q.date_max = col.min(), col.max()

    def _result(self, m, frame, unknown=None, stage_map=None, currencies=None) -> ImportedFile:
        system = self.system
        if system == "spreadsheet" and "manager" not in self.auto:
            system = "unknown"
        mapping, candidates = dict(m.mapping), {k: list(v) for k, v in m.candidates.items()}
        if self.kind in ("deals", "orders") and "status" not in mapping and "stage" in mapping:
            mapping["status"] = mapping["stage"]  # the canonical name of what decided won/lost/open
        if self.kind in ("deals", "orders"):
            both = candidates.get("status", []) + [h for h in candidates.get("stage", [])
                                                   if h not in candidates.get("status", [])]
            if both:
                candidates["status"] = both
        return ImportedFile(
            name=self.name, system=system, kind=self.kind, encoding=self.raw.encoding,
            delimiter=self.raw.delimiter, headers=self.headers, mapping=mapping,
            candidates=candidates, ambiguous=m.ambiguous, date_formats=self.date_formats,
            unknown_stages=unknown or [], stage_map=stage_map or {}, currencies=currencies or [],
            frame=frame, quality=self.q)

    @staticmethod
    def _hash_ids(parts: list, prefix: str) -> np.ndarray:
        """Stable ids from row contents (when the export has no id column)."""
        df = pd.DataFrame({f"c{i}": (p.to_numpy(zero_copy_only=False) if isinstance(p, pa.Array) else p)
                           for i, p in enumerate(parts)})
        for c in df.columns:
            if pd.api.types.is_datetime64_any_dtype(df[c]):
                df[c] = df[c].astype("int64")
            elif df[c].dtype == object:
                df[c] = df[c].fillna("").astype(str)
        h = pd.util.hash_pandas_object(df, index=False).to_numpy()
        return np.char.add(prefix, np.char.mod("%016x", h)).astype(object)

    def _require(self, m: mp.Mapping, fld: str, code: str) -> str:
        h = m.mapping.get(fld)
        if h is None:
            raise DataError(code, file=self.name, detail=", ".join(self.headers)[:300])
        return h

    # ---------------------------------------------------------------- deals / orders
    def deals(self, overrides) -> ImportedFile:
        m = self._map("deals", overrides)
        mm, q, n = m.mapping, self.q, self.n
        man_h = self._require(m, "manager", "no_manager_column")
        orders = self.kind == "orders"
        date_fields = [f for f in ("created_at", "closed_at", "won_at", "lost_at", "modified_at") if f in mm]
        created_f = "created_at" if "created_at" in mm else next(
            (f for f in ("closed_at", "won_at", "modified_at") if f in mm), None)
        if created_f is None:
            raise DataError("no_date_column", file=self.name, detail=", ".join(self.headers)[:300])
        if created_f != "created_at":
            q.warn("created_from_close", column=mm[created_f])
        self._footer([man_h, mm.get("deal_id"), mm.get("title")], mm[created_f])

        manager = self._managers(man_h)
        # The modification date only matters without any close-date column: otherwise it is read only
        # when the other date columns leave the day/month order unproven (it may prove it).
        lazy = "modified_at" in date_fields and created_f != "modified_at" and any(
            f in mm for f in ("closed_at", "won_at", "lost_at"))
        seen = len(q.warnings)
        dates = self._dates({f: mm[f] for f in date_fields if not (lazy and f == "modified_at")})
        if lazy and any(not r.decided for r in dates.values()
                        if r.fmt in (values.DAY_FIRST, values.MONTH_FIRST) and not r.dotted):
            del q.warnings[seen:]
            self.date_formats.clear()
            dates = self._dates({f: mm[f] for f in date_fields})
        for f, r in dates.items():
            self._check_dates(r, mm[f], required=(f == created_f))
        created = dates[created_f].values.to_numpy(dtype="datetime64[ns]")
        self._drop(np.isnat(created), "no_date", mm[created_f])

        amount, currency = self._amounts(mm)
        if orders:
            status, unknown, stage_map = self._order_status(mm)
        else:
            status, unknown, stage_map = self._status(mm)
        self._drop(status == "deleted", "deleted")
        closed = self._closed(dates, mm, status, created, orders)

        # client: company, else contact, else title (warned), else the deal id (warned)
        client = self._col(m, "client")
        contact = self._col(m, "contact") if client is None or client.null_count else None
        if client is None:
            client = contact
        elif contact is not None:
            client = pc.coalesce(client, contact)
        if "title" in mm and (client is None or client.null_count):
            need = (np.ones(n, bool) if client is None else _isnull(client)) & self.keep
            if need.any():
                title = self._col(m, "title")
                q.warn("client_from_title", count=int(need.sum()))
                client = title if client is None else pc.coalesce(client, title)

        deal_id = self._col(m, "deal_id")
        missing = np.ones(n, bool) if deal_id is None else _isnull(deal_id)
        ids = _obj(deal_id, n)
        if (missing & self.keep).any():
            q.warn("no_id_column")
            title = self._col(m, "title") if "title" in mm else None
            parts = [manager, client if client is not None else pa.nulls(n, pa.string()),
                     title if title is not None else pa.nulls(n, pa.string()), pd.Series(created),
                     pd.Series(amount), pd.Series(status)]
            ids = np.where(missing, self._hash_ids(parts, "h"), ids)
        clients = _obj(client, n)
        still = (np.ones(n, bool) if client is None else _isnull(client)) & self.keep
        if still.any():
            q.warn("client_missing", count=int(still.sum()))
            clients = np.where(still, np.char.add("#", ids.astype(str)).astype(object), clients)

        k = self.keep
        source = self._col(m, "source")
        kk = slice(None) if k.all() else k  # (no copies of every column when no row was dropped)
        out = pd.DataFrame({
            "deal_id": ids[kk], "manager": _obj(manager, n)[kk], "client": clients[kk],
            "created_at": created[kk], "status": status[kk], "closed_at": closed[kk], "amount": amount[kk],
            "source": _obj(source, n)[kk], "currency": (currency if currency is not None else _obj(None, n))[kk],
        }, copy=False)
        if deal_id is not None and not (missing & k).any():
            has_dup = _has_duplicates(deal_id if k.all() else deal_id.filter(pa.array(k)))
        else:
            has_dup = pd.Index(ids[k]).has_duplicates
        if has_dup:
            out = self._collapse(out, self.frame.loc[k].reset_index(drop=True), "product" in mm)

        neg = out["amount"].to_numpy() < 0
        if neg.any():
            q.negative_amounts = int(neg.sum())
            q.drop("negative_amount", int(neg.sum()), str(out["amount"][neg].iloc[0]))
            q.warn("negative_amounts", count=int(neg.sum()), deal=str(out["deal_id"][neg].iloc[0]))
            out = out.loc[~neg].reset_index(drop=True)

        curs: list[str] = []
        if currency is not None:
            vc = out["currency"].dropna().value_counts()
            curs = [str(c) for c in vc.index]
            if len(curs) == 1:
                out["currency"] = out["currency"].fillna(curs[0])
            elif len(curs) > 1:
                q.warn("multi_currency", currencies=", ".join(f"{c} ({cnt})" for c, cnt in vc.items()))
        if len(out) == 0:
            raise DataError("no_rows", file=self.name)
        frame = _canonical_deals(out)
        self._finish_quality(frame, "created_at")
        return self._result(m, frame, unknown, stage_map, curs)

    def _amounts(self, mm) -> tuple[np.ndarray, np.ndarray | None]:
        """(amounts, currency per row or None): cells with currency signs/codes, currency column first."""
        q, n = self.q, self.n
        cell_cur = None
        if "amount" in mm:
            num = values.parse_numbers(self.frame[mm["amount"]])
            amount = num.values.to_numpy(dtype="float64")
            bad = num.bad & self.keep
            if bad.any():
                q.warn("unparsable_amounts", column=mm["amount"], count=int(bad.sum()), example=num.example)
            values.report_notes(num.notes, self.keep, q.warn, column=mm["amount"])
            amount = np.where(np.isnan(amount), 0.0, amount)
            cell_cur = None if num.currency is None else num.currency.to_numpy(dtype=object)
        else:
            q.warn("no_amount_column")
            amount = np.zeros(n)
        if "currency" in mm:
            cur = values.currencies(self._tx(mm["currency"])).to_numpy(dtype=object)
            if cell_cur is not None:
                cur = np.where(pd.isna(cur), cell_cur, cur)
            return amount, cur
        return amount, cell_cur

    def _status(self, mm) -> tuple[np.ndarray, list[str], dict[str, str]]:
        """won/lost/open per row from the status column, else the stage, else the yes/no flags.
        Works on small integer codes (see ``_CODES``) and on the columns' distinct values."""
        q, n = self.q, self.n
        res = np.zeros(n, np.int8)                     # 0 = not known yet
        raw_idx, raw_vals = None, []
        stage_map: dict[str, str] = {}
        for fld in ("status", "stage"):
            if fld not in mm:
                continue
            d = pc.dictionary_encode(self._tx(mm[fld], collapse=True))
            uniq = d.dictionary.to_pylist()
            idx = pc.fill_null(d.indices, -1).to_numpy(zero_copy_only=False)
            cls = [values.classify_stage(u, self.stages) for u in uniq]
            codes = np.array([_CODES.get(c, 0) for c in cls] + [0], dtype=np.int8)
            res = np.where(res == 0, codes[idx], res)
            raw_idx, raw_vals = idx, uniq  # the stage (more specific) wins when both exist
            for u, c in zip(uniq, cls):
                if c is not None:
                    stage_map.setdefault(u, c)
        has_raw = np.zeros(n, bool) if raw_idx is None else raw_idx >= 0
        flag = None if "closed_flag" not in mm else values.parse_yes_no(self.frame[mm["closed_flag"]]).to_numpy()
        yes = no = None
        if flag is not None:
            yes, no = flag == True, flag == False  # noqa: E712
        if "won_flag" in mm:
            won = values.parse_yes_no(self.frame[mm["won_flag"]]).to_numpy()
            closed_yes = np.ones(n, bool) if yes is None else yes
            wf = np.where(won == True, 1, np.where((won == False) & closed_yes, 2, 0))  # noqa: E712
            res = np.where(res == 0, wf, res).astype(np.int8)
        unknown = (res == 0) & has_raw & self.keep
        closed_unknown = np.zeros(n, bool)
        if flag is not None:
            closed_unknown = unknown & yes
            unknown &= ~no  # an unknown stage on a deal the flag says is open is simply open
            res = np.where((res == 0) & yes & ~has_raw, 1, res).astype(np.int8)
        if not any(f in mm for f in ("stage", "status", "closed_flag", "won_flag")):
            q.warn("no_status_column")
        empty = (res == 0) & ~has_raw & self.keep
        if empty.any() and any(f in mm for f in ("stage", "status")):
            q.warn("empty_status", count=int(empty.sum()))
        unknown_vals: list[str] = []
        if unknown.any():
            counts = np.bincount(raw_idx[unknown], minlength=len(raw_vals))
            unknown_vals = [raw_vals[i] for i in np.argsort(-counts, kind="stable") if counts[i]]
            for mask, code, as_ in ((unknown & ~closed_unknown, "unknown_stages", "open"),
                                    (closed_unknown, "closed_unknown_stages", "lost")):
                if mask.any():
                    c = np.bincount(raw_idx[mask], minlength=len(raw_vals))
                    vals = [raw_vals[i] for i in np.argsort(-c, kind="stable") if c[i]]
                    q.warn(code, count=int(mask.sum()), stages=", ".join(vals[:10]))
                    for v in vals:
                        stage_map.setdefault(v, as_)
        res = np.where(closed_unknown, 2, np.where(res == 0, 3, res))
        return _NAMES[res], unknown_vals, stage_map

    def _order_status(self, mm) -> tuple[np.ndarray, list[str], dict[str, str]]:
        """Orders are sales (won) unless their status says cancelled / returned (lost)."""
        n = self.n
        col = mm.get("status") or mm.get("stage")
        if col is None:
            self.q.warn("orders_as_won")
            return np.full(n, "won", dtype=object), [], {}
        d = pc.dictionary_encode(self._tx(col, collapse=True))
        uniq = d.dictionary.to_pylist()
        idx = pc.fill_null(d.indices, -1).to_numpy(zero_copy_only=False)
        user = self.stages
        cls = [user.get(values.norm_value(u)) or
               ("lost" if vocab.ORDER_LOST.search(values.norm_value(u)) else "won") for u in uniq]
        status = np.array(cls + ["won"], dtype=object)[idx]
        return status, [], dict(zip(uniq, cls))

    def _closed(self, dates, mm, status, created, orders) -> np.ndarray:
        """Close dates count only for won/lost deals; Pipedrive won/lost times by outcome; orders close
        on their date; without any close column, closed deals fall back to the modification date."""
        nat = np.datetime64("NaT")
        closed = np.full(self.n, nat, dtype="datetime64[ns]")
        if "closed_at" in dates:
            closed = dates["closed_at"].values.to_numpy(dtype="datetime64[ns]").copy()
        for f, st in (("won_at", "won"), ("lost_at", "lost")):
            if f in dates:
                v = dates[f].values.to_numpy(dtype="datetime64[ns]")
                closed = np.where(np.isnat(closed) & (status == st), v, closed)
        if orders:
            closed = np.where(np.isnat(closed), created, closed)
        elif not any(f in dates for f in ("closed_at", "won_at", "lost_at")) and (status[self.keep] != "open").any():
            if "modified_at" in dates:
                closed = dates["modified_at"].values.to_numpy(dtype="datetime64[ns]")
                self.q.warn("closed_from_modified", column=mm["modified_at"])
            else:
                self.q.warn("no_close_date")
        return np.where(status == "open", nat, closed).astype("datetime64[ns]")

    def _collapse(self, out: pd.DataFrame, raw_rows: pd.DataFrame, has_product: bool) -> pd.DataFrame:
        """One row per deal id. Exact duplicate rows are dropped; product lines (a product column, or
        the same id with different amounts) become one deal with the amounts summed; repeated
        snapshots of a deal (same id and amount, other fields changed) keep the last row."""
        dup = out["deal_id"].duplicated(keep=False).to_numpy()
        if not dup.any():
            return out
        q = self.q
        # one id, different managers: two deals or an error, never one deal's product lines
        part = out.loc[dup, ["deal_id", "manager"]]
        owners = part.groupby("deal_id", sort=False)["manager"].nunique()
        clash = owners.index[owners.to_numpy() > 1]
        if len(clash):
            bad = out["deal_id"].isin(clash).to_numpy()
            first = str(clash[0])
            who = ", ".join(sorted(map(str, part.loc[part["deal_id"] == clash[0], "manager"].unique()))[:5])
            q.drop("conflicting_rows", int(bad.sum()), first)
            q.warn("conflicting_rows", count=len(clash), rows=int(bad.sum()), deal=first, managers=who)
            out = out.loc[~bad].reset_index(drop=True)
            raw_rows = raw_rows.loc[~bad].reset_index(drop=True)
            dup = out["deal_id"].duplicated(keep=False).to_numpy()
            if not dup.any():
                return out
        if not has_product:
            exact = np.zeros(len(out), bool)
            exact[np.flatnonzero(dup)] = raw_rows.loc[dup].astype(str).duplicated(keep="first").to_numpy()
            if exact.any():
                q.duplicates += int(exact.sum())
                q.drop("duplicate", int(exact.sum()), str(out["deal_id"][exact].iloc[0]))
                q.warn("duplicate_rows", count=int(exact.sum()))
                out = out.loc[~exact].reset_index(drop=True)
            dup = out["deal_id"].duplicated(keep=False).to_numpy()
            if not dup.any():
                return out
        out = out.assign(_pos=np.arange(len(out)))
        part = out.loc[dup]
        lines = np.full(len(part), True) if has_product else (
            part.groupby("deal_id", sort=False)["amount"].transform("nunique").to_numpy() > 1)
        merged = []
        line_rows = part.loc[lines]
        if len(line_rows):
            g = line_rows.groupby("deal_id", sort=False)
            one = g.last()
            one["amount"] = g["amount"].sum()
            one["created_at"] = g["created_at"].min()
            one["_pos"] = g["_pos"].min()
            merged.append(one.reset_index())
            q.warn("product_lines_collapsed", rows=len(line_rows), deals=len(one))
        snap = part.loc[~lines]
        if len(snap):
            last = snap.groupby("deal_id", sort=False).last().reset_index()
            q.duplicates += len(snap) - len(last)
            q.drop("duplicate", len(snap) - len(last), str(last["deal_id"].iloc[0]))
            q.warn("duplicate_rows", count=len(snap) - len(last))
            merged.append(last)
        res = pd.concat([out.loc[~dup], *merged], ignore_index=True).sort_values("_pos", kind="stable")
        return res.drop(columns="_pos").reset_index(drop=True)

    # ---------------------------------------------------------------- activities
    def activities(self, overrides) -> ImportedFile:
        m = self._map("activities", overrides)
        mm, q, n = m.mapping, self.q, self.n
        man_h = self._require(m, "manager", "no_manager_column")
        at_h = self._require(m, "at", "no_date_column")
        self._footer([man_h, mm.get("activity_id")], at_h)
        if "activity_id" in mm and not self._tx(mm["activity_id"]).null_count:
            # ids present (no row hashing): the columns not mapped are not needed any more (free them)
            used = dict.fromkeys([self.headers[0], *mm.values()])
            self.frame = self.frame[[h for h in self.headers if h in used]]
        manager = self._managers(man_h)
        r = self._dates({"at": at_h})["at"]
        self._check_dates(r, at_h, required=True)
        at = r.values.to_numpy(dtype="datetime64[ns]")
        if "time_of_day" in mm:  # Pipedrive "Due date" + "Due time"
            tod = pd.Series(_obj(_tx(self.frame[mm["time_of_day"]]), n), dtype=object)
            parts = tod.str.extract(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?")
            secs = sum(pd.to_numeric(parts[i], errors="coerce").fillna(0).to_numpy() * f
                       for i, f in ((0, 3600), (1, 60), (2, 1)))
            midnight = ~np.isnat(at) & (at == at.astype("datetime64[D]").astype("datetime64[ns]"))
            at = np.where(midnight, at + (secs * 1e9).astype("int64").astype("timedelta64[ns]"), at)
        self._drop(np.isnat(at), "no_date", at_h)
        if "type" in mm:
            typ = values.activity_types(_tx(self.frame[mm["type"]])).to_numpy(dtype=object)
        else:
            default = "call" if self._is_calls() else "other"
            q.warn("no_type_column", type=default)
            typ = np.full(n, default, dtype=object)
        done = np.ones(n, bool)
        if "done" in mm:
            done = values.yes_no_flags(self.frame[mm["done"]], missing=True)
        aid = self._col(m, "activity_id")
        missing = np.ones(n, bool) if aid is None else _isnull(aid)
        ids = None
        if (missing & self.keep).any():
            q.warn("no_id_column")
            extra = [_tx(self.frame[h]) for h in self.headers if h not in (man_h, at_h)][:8]
            ids = np.where(missing, self._hash_ids([manager, pd.Series(at), pd.Series(typ), *extra], "a"),
                           _obj(aid, n))
        k = self.keep
        if ids is None:  # the file's own ids, kept as arrow strings (schema.ID_DTYPE)
            kept = aid if k.all() else aid.filter(pa.array(k))
            act_ids = pd.arrays.ArrowExtensionArray(kept)
        else:
            act_ids = pd.array(ids[k].astype(str), dtype=schema.ID_DTYPE)
        kk = slice(None) if k.all() else k
        out = pd.DataFrame({"activity_id": act_ids, "manager": _obj(manager, n)[kk], "type": typ[kk],
                            "at": at[kk], "done": done[kk]}, copy=False)
        if aid is not None and not (missing & k).any():
            maybe_dup = _has_duplicates(aid if k.all() else aid.filter(pa.array(k)))
        else:
            maybe_dup = True
        dup = out["activity_id"].duplicated(keep="last").to_numpy() if maybe_dup else np.zeros(len(out), bool)
        if dup.any():
            q.duplicates = int(dup.sum())
            q.drop("duplicate", int(dup.sum()), str(out["activity_id"][dup].iloc[0]))
            q.warn("duplicate_rows", count=int(dup.sum()))
            out = out.loc[~dup].reset_index(drop=True)
        if len(out) == 0:
            raise DataError("no_rows", file=self.name)
        frame = _canonical_activities(out)
        self._finish_quality(frame, "at", None if dup.any() else (manager if k.all() else manager.filter(pa.array(k))))
        return self._result(m, frame)

    def _is_calls(self) -> bool:
        ws = {w for h in self.headers for w in mp.stems(mp.words(h))}
        return bool(ws & {"call", "звонк", "дзвінк", "вызов", "outcome", "direction"}) or \
            bool(re.search(r"call|звон|дзвін", self.name, re.I))

    # ---------------------------------------------------------------- plans
    def plans(self, overrides) -> ImportedFile:
        months = mp.month_headers(self.headers)
        m = self._map("plans", overrides)
        mm, q = m.mapping, self.q
        man_h = self._require(m, "manager", "no_manager_column")
        self._footer([man_h], None)
        manager = _obj(self._tx(man_h, collapse=True), self.n)
        self._drop(pd.isna(manager), "no_manager")
        long_form = "month" in mm and "target" in mm and mm["month"] not in months and mm["target"] not in months
        if long_form:
            month = values.parse_months(self.frame[mm["month"]]).to_numpy(dtype=object)
            bad = pd.isna(month) & self.keep
            if bad.any() and bad.sum() == self.keep.sum():
                i = int(np.flatnonzero(bad)[0])
                raise DataError("bad_month", file=self.name, column=mm["month"], row=int(self.rownum[i]),
                                value=str(self.frame[mm["month"]].iloc[i]))
            self._drop(bad, "bad_month", mm["month"])
            num = values.parse_numbers(self.frame[mm["target"]])
            target = num.values.to_numpy(dtype="float64")
            if (num.bad & self.keep).any():
                q.warn("unparsable_amounts", column=mm["target"], count=int((num.bad & self.keep).sum()),
                       example=num.example)
            self._drop(np.isnan(target), "no_target", mm["target"])
            k = self.keep
            long = pd.DataFrame({"manager": manager[k], "month": month[k], "target": target[k]})
        elif months:
            parts, skipped = [], 0
            for h, mo in months.items():
                num = values.parse_numbers(self.frame[h])
                t = num.values.to_numpy(dtype="float64")
                ok = ~np.isnan(t) & self.keep
                skipped += int((np.isnan(t) & self.keep).sum())
                if (num.bad & self.keep).any():
                    q.warn("unparsable_amounts", column=h, count=int((num.bad & self.keep).sum()),
                           example=num.example)
                parts.append(pd.DataFrame({"manager": manager[ok], "month": mo, "target": t[ok]}))
            if skipped:
                q.warn("no_target_rows", count=skipped)
            long = pd.concat(parts, ignore_index=True)
            m.mapping.pop("month", None)
            m.mapping.pop("target", None)
            m.mapping.update({f"month:{mo}": h for h, mo in months.items()})
        else:
            raise DataError("no_plan_columns", file=self.name)
        neg = long["target"].to_numpy() < 0
        if neg.any():
            q.negative_amounts = int(neg.sum())
            q.drop("negative_amount", int(neg.sum()))
            long = long.loc[~neg]
        if len(long) == 0:
            raise DataError("no_rows", file=self.name)
        frame = schema.standardize_plans(long.reset_index(drop=True), file=self.name)
        self._finish_quality(frame, "month")
        return self._result(m, frame)


def _canonical_deals(out: pd.DataFrame) -> pd.DataFrame:
    """The frame :func:`metrics.schema.standardize_deals` would return (same columns, dtypes and rules),
    without its per-cell string pass: every rule it checks was enforced column-wise above."""
    if not isinstance(out.index, pd.RangeIndex) or out.index.start != 0:
        out = out.reset_index(drop=True)
    for c in ("created_at", "closed_at"):
        if out[c].dtype != "datetime64[ns]":
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
    if out["amount"].dtype != "float64":
        out["amount"] = out["amount"].astype("float64")
    if out["amount"].isna().any():
        out["amount"] = out["amount"].fillna(0.0)
    is_open = (out["status"] == "open").to_numpy()
    if is_open.any() and out["closed_at"].notna().to_numpy()[is_open].any():
        out.loc[is_open, "closed_at"] = pd.NaT
    cols = _schema_columns("deals")
    return out if list(out.columns) == cols else out[cols]


def _canonical_activities(out: pd.DataFrame) -> pd.DataFrame:
    """The frame :func:`metrics.schema.standardize_activities` would return, built column-wise."""
    if not isinstance(out.index, pd.RangeIndex) or out.index.start != 0:
        out = out.reset_index(drop=True)
    if out["activity_id"].dtype != schema.ID_DTYPE:
        out["activity_id"] = out["activity_id"].astype(str).astype(schema.ID_DTYPE)
    if out["at"].dtype != "datetime64[ns]":
        out["at"] = pd.to_datetime(out["at"]).astype("datetime64[ns]")
    if out["done"].dtype != bool:
        out["done"] = out["done"].astype(bool)
    cols = _schema_columns("activities")
    return out if list(out.columns) == cols else out[cols]


@lru_cache(maxsize=None)
def _schema_columns_cached(kind: str) -> tuple[str, ...]:
    """Column order of the frames ``metrics.schema.standardize_*`` return (taken from the schema itself)."""
    probe = {
        "deals": pd.DataFrame({"deal_id": ["1"], "manager": ["m"], "client": ["c"], "created_at": ["2025-01-01"],
                               "closed_at": [""], "status": ["open"], "amount": ["0"]}),
        "activities": pd.DataFrame({"activity_id": ["1"], "manager": ["m"], "type": ["call"],
                                    "at": ["2025-01-01"]}),
        "plans": pd.DataFrame({"manager": ["m"], "month": ["2025-01"], "target": ["1"]}),
    }[kind]
    return tuple(schema.STANDARDIZE[kind](probe, file="probe").columns)


def _schema_columns(kind: str) -> list[str]:
    return list(_schema_columns_cached(kind))


def _user_stages(name: str, stages: dict[str, str] | None) -> dict[str, str]:
    out = {}
    for k, v in (stages or {}).items():
        st = str(v).strip().lower()
        if st not in ("won", "lost", "open"):
            raise DataError("bad_argument", file=name,
                            detail=f"stage {k!r} must be assigned to won, lost or open, not {v!r}")
        out[values.norm_value(k)] = st
    return out
