"""Issue #15 walk-through: the sample data, then an upload whose reading notes name rows repeated across
files, files set aside and a value that is not a date, then a scenario with problems — every page visited in
Russian and Ukrainian, and no text on screen is the engine's English or says "(s)"."""
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui.catalogues import TEXTS

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ["overview", "conversion", "deal_size", "activity", "plan", "retention", "compare", "data"]
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")

#: what used to reach the screen in English (the engine's f-strings) or as a pseudo-plural
ENGLISH = ["(s)", "(и)", "(ів)", "set aside", "repeated across files", "de-duplicated", "duplicate deal_id",
           "a damaged ZIP archive", "has a header but no data rows", "is not in this data", "unknown setting",
           "skipped", "ignored", "must be between", "is not a date", "values in column", "not valid JSON"]


def _plain(s: str) -> str:
    return re.sub(r"\\(.)", r"\1", s)                  # inert()'s Markdown escapes, as the reader sees the text


def screen_texts(at) -> list[str]:
    """Every text element on the page (and in the sidebar): Markdown, captions, alerts, headings, metrics,
    expander labels and the cells and headers of every table."""
    out = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "warning", "info", "error", "success",
                 "exception"):
        out += [str(e.value) for e in at.get(kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    out += [e.label for e in at.expander]
    for kind in ("table", "dataframe"):
        for e in at.get(kind):
            df = e.value
            out.append(" ".join(map(str, df.columns)))
            out += [str(v) for v in df.astype(str).to_numpy().ravel()]
    return [_plain(s) for s in out]


def assert_no_english(at, where):
    found = [(phrase, s) for s in screen_texts(at) for phrase in ENGLISH if phrase in s]
    assert not found, (where, found[:5])


def visit_every_page(at, lang):
    texts = []
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, lang, [e.value for e in at.exception])
        assert at.title[0].value == TEXTS[f"page.{page}"][["en", "ru", "uk"].index(lang)], (page, lang)
        assert_no_english(at, (lang, page))
        texts += screen_texts(at)
    return texts


def upload_files():
    deals = (ROOT / "sample_data" / "deals.csv").read_bytes()
    lines = deals.split(b"\n")
    cells = lines[3].split(b",")
    cells[3] = b"not-a-day"                              # created_at of data row 3: one value that is no date
    odd = b"\n".join(lines[:3] + [b",".join(cells)] + lines[4:])
    again = b"\n".join([*lines[:6], lines[5]]) + b"\n"    # the first 5 deals once more, the 5th twice (4 of
    #                                                      them across files: row 3 of deals.csv has no date)
    acts = (ROOT / "sample_data" / "activities.csv").read_bytes().split(b"\n")[0] + b"\n"   # header only
    return [("deals.csv", odd, "text/csv"), ("again.csv", again, "text/csv"),
            ("acts.csv", acts, "text/csv"), ("broken.zip", b"PK\x03\x04garbage", "application/zip")]


#: on the Data page after the upload: (ru, uk) phrases that must be there — translated, in the right form
DATA_PAGE = {"ru": ["again.csv: 1 повторяющаяся строка пропущена",
                    "4 строки, повторяющиеся в нескольких файлах, учтены один раз по id",
                    "1 значение в столбце «created_at» не является датой", "повреждённый ZIP-архив",
                    "в файле есть заголовок, но нет строк данных"],
             "uk": ["again.csv: 1 повторюваний рядок пропущено",
                    "4 рядки, що повторюються в кількох файлах, враховано один раз за id",
                    "1 значення у стовпці «created_at» не є датою", "пошкоджений ZIP-архів",
                    "у файлі є заголовок, але немає рядків даних"]}
SCENARIO = {"name": "bad", "colour": "red", "alpha": 2, "overrides": {"Nobody Atall": 5.0},
            "plan_grid": [{"manager": "Nobody Atall", "month": "2026-09", "target": 1.0}]}
SCENARIO_SAYS = {"ru": ["неизвестная настройка 'colour' не учтена", "alpha должна быть между 0 и 1, а не 2; взято 0.05",
                        "overrides: менеджера 'Nobody Atall' нет в этих данных; пропущено",
                        "plan_grid, строка 1: менеджера 'Nobody Atall' нет в этих данных; пропущено"],
                 "uk": ["невідоме налаштування 'colour' не враховано", "alpha має бути між 0 і 1, а не 2; взято 0.05",
                        "overrides: менеджера 'Nobody Atall' немає в цих даних; пропущено",
                        "plan_grid, рядок 1: менеджера 'Nobody Atall' немає в цих даних; пропущено"]}


@pytest.mark.parametrize("lang", ["ru", "uk"])
def test_every_page_speaks_the_readers_language_with_reading_notes_and_scenario_problems(lang):
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    visit_every_page(at, lang)                                           # the sample data

    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value(upload_files()).run()
    assert not at.exception, [e.value for e in at.exception]
    visit_every_page(at, lang)                                           # ends on the Data page
    data_page = " | ".join(screen_texts(at))
    for phrase in DATA_PAGE[lang]:
        assert phrase in data_page, phrase

    at.switch_page("pages/plan.py").run()
    at.session_state["plan_tabs"] = TEXTS["plan.tab.scenarios"][["en", "ru", "uk"].index(lang)]
    at.run()
    scenario = {**SCENARIO, "language": lang}              # (a scenario without one switches to English)
    at.file_uploader(key="scenario_file").set_value(("bad.json", json.dumps(scenario).encode(),
                                                      "application/json")).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " | ".join(_plain(w.value) for w in at.warning)
    for phrase in SCENARIO_SAYS[lang]:
        assert phrase in shown, (phrase, shown)
    assert_no_english(at, (lang, "plan: scenario loaded"))

    at.file_uploader(key="scenario_file").set_value(("broken.json", b"{name: 1", "application/json")).run()
    assert not at.exception
    said = " | ".join(_plain(e.value) for e in at.error)
    assert {"ru": "broken.json: файл сценария — не корректный JSON",
            "uk": "broken.json: файл сценарію — не коректний JSON"}[lang] in said, said
    assert_no_english(at, (lang, "plan: broken scenario"))

    pair = [({"name": "A", "period": {"kind": "month", "value": "2026-09"}, "thresholds": {"conversion": [0.3, 0.2]}}),
            ({"name": "B", "period": {"kind": "quarter", "value": "2026-Q3"}})]
    at.file_uploader(key="scenario_pair").set_value(
        [(f"{s['name']}.json", json.dumps({**s, "language": lang}).encode(), "application/json") for s in pair]).run()
    assert not at.exception
    diff = at.dataframe[-1].value
    cells = diff.astype(object).where(diff.notna(), None)     # (read back from Arrow: NaN on pandas 3)
    assert cells.values.tolist() == COMPARED[lang] and list(diff.columns) == HEADERS[lang]
    assert_no_english(at, (lang, "plan: scenarios compared"))


HEADERS = {"ru": ["Настройка", "Первый файл", "Второй файл"], "uk": ["Налаштування", "Перший файл", "Другий файл"]}
COMPARED = {"ru": [["название", "A", "B"], ["период", "месяц 2026-09", "квартал 2026-Q3"],
                   ["порог: Конверсия", "0.3 / 0.2", None]],
            "uk": [["назва", "A", "B"], ["період", "місяць 2026-09", "квартал 2026-Q3"],
                   ["поріг: Конверсія", "0.3 / 0.2", None]]}
