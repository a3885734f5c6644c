"""Issue #15, "texts done properly": what the engine tells the user is a code plus parameters, rendered by
the one function ``ui.catalogues.message`` in the reader's language with real plural forms — the scenario
problems, the duplicate / set-aside / cross-file reading notes, and the importer notes that used to say
"(s)" / "(и)" / "(ів)"."""
import json
import re
import string
from pathlib import Path

import pytest

from metrics.errors import Note
from metrics.ingest import ingest
from metrics.loading import load_bytes
from metrics.planning import scenario as S
from ui.catalogues import TEXTS, catalogue, message

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
PSEUDO_PLURALS = ("(s)", "(и)", "(ів)", "(ок)", "(ей)", "(ов)", "(а)", "(і)")

#: key → extra parameters → {lang: {n: the phrase the text must hold for n}} (written by hand)
FORMS = {
    "warn.unknown_stages": ({"stages": "Pending"}, {
        "ru": {1: "у 1 сделки неизвестная стадия (Pending); она считается открытой",
               2: "у 2 сделок неизвестные стадии (Pending); они считаются открытыми",
               5: "у 5 сделок неизвестные стадии (Pending); они считаются открытыми"},
        "uk": {1: "у 1 угоди невідома стадія (Pending); вона вважається відкритою",
               2: "у 2 угод невідомі стадії (Pending); вони вважаються відкритими",
               5: "у 5 угод невідомі стадії (Pending); вони вважаються відкритими"}}),
    "warn.closed_unknown_stages": ({"stages": "Gone"}, {
        "ru": {1: "у 1 закрытой сделки неизвестная стадия", 2: "у 2 закрытых сделок неизвестные стадии",
               5: "у 5 закрытых сделок неизвестные стадии"},
        "uk": {1: "у 1 закритої угоди невідома стадія", 2: "у 2 закритих угод невідомі стадії",
               5: "у 5 закритих угод невідомі стадії"}}),
    "warn.client_from_title": ({}, {
        "ru": {1: "у 1 сделки нет компании", 2: "у 2 сделок нет компании", 5: "у 5 сделок нет компании"},
        "uk": {1: "у 1 угоди немає компанії", 2: "у 2 угод немає компанії", 5: "у 5 угод немає компанії"}}),
    "warn.unparsable_dates": ({"column": "c", "example": "x"}, {
        "ru": {1: "1 значение в столбце «c» не является датой", 2: "2 значения в столбце «c» не являются датами",
               5: "5 значений в столбце «c» не являются датами"},
        "uk": {1: "1 значення у стовпці «c» не є датою", 2: "2 значення у стовпці «c» не є датами",
               5: "5 значень у стовпці «c» не є датами"}}),
    "warn.unparsable_amounts": ({"column": "c", "example": "x"}, {
        "ru": {1: "1 значение в столбце «c» не является числом (например, 'x'); считается 0",
               2: "2 значения в столбце «c» не являются числами (например, 'x'); считаются 0",
               5: "5 значений в столбце «c» не являются числами (например, 'x'); считаются 0"},
        "uk": {1: "1 значення у стовпці «c» не є числом (наприклад, 'x'); вважається 0",
               2: "2 значення у стовпці «c» не є числами (наприклад, 'x'); вважаються 0",
               5: "5 значень у стовпці «c» не є числами (наприклад, 'x'); вважаються 0"}}),
    "warn.malformed_rows": ({"example": "a,b"}, {
        "ru": {1: "1 строка с неверным числом столбцов пропущена", 2: "2 строки с неверным числом столбцов пропущены",
               5: "5 строк с неверным числом столбцов пропущено"},
        "uk": {1: "1 рядок із неправильною кількістю стовпців пропущено",
               2: "2 рядки з неправильною кількістю стовпців пропущено",
               5: "5 рядків із неправильною кількістю стовпців пропущено"}}),
    "warn.date_markers": ({"column": "c", "example": "n/a"}, {
        "ru": {1: "1 ячейка столбца дат «c» означает «нет даты»", 2: "2 ячейки столбца дат «c» означают «нет даты»",
               5: "5 ячеек столбца дат «c» означают «нет даты»"},
        "uk": {1: "1 клітинка стовпця дат «c» означає «немає дати»",
               2: "2 клітинки стовпця дат «c» означають «немає дати»",
               5: "5 клітинок стовпця дат «c» означають «немає дати»"}}),
    "warn.impossible_dates": ({"column": "c", "example": "31.02.2025"}, {
        "ru": {1: "1 значение в столбце «c» — несуществующая дата", 2: "2 значения в столбце «c» — несуществующие даты",
               5: "5 значений в столбце «c» — несуществующие даты"},
        "uk": {1: "1 значення у стовпці «c» — дата, якої не існує", 2: "2 значення у стовпці «c» — дати, яких не існує",
               5: "5 значень у стовпці «c» — дати, яких не існує"}}),
    "warn.far_future_dates": ({"column": "c", "example": "2099", "after": "2030"}, {
        "ru": {1: "1 дата в столбце «c» лежит далеко в будущем", 2: "2 даты в столбце «c» лежат далеко в будущем",
               5: "5 дат в столбце «c» лежат далеко в будущем"},
        "uk": {1: "1 дата у стовпці «c» лежить далеко в майбутньому", 2: "2 дати у стовпці «c» лежать далеко в майбутньому",
               5: "5 дат у стовпці «c» лежать далеко в майбутньому"}}),
    "warn.decimal_conflict": ({"column": "c", "example": "1.5", "decimal": ","}, {
        "ru": {1: "но 1 значение ему противоречит", 2: "но 2 значения ему противоречат", 5: "но 5 значений ему противоречат"},
        "uk": {1: "але 1 значення йому суперечить", 2: "але 2 значення йому суперечать", 5: "але 5 значень йому суперечать"}}),
    "warn.amount_out_of_range": ({"column": "c", "example": "1e99", "limit": "1e+15"}, {
        "ru": {1: "1 значение в столбце «c» вне пределов ±1e+15 (например, '1e99'); не учтено",
               2: "2 значения в столбце «c» вне пределов ±1e+15 (например, '1e99'); не учтены",
               5: "5 значений в столбце «c» вне пределов ±1e+15 (например, '1e99'); не учтены"},
        "uk": {1: "1 значення у стовпці «c» поза межами", 2: "2 значення у стовпці «c» поза межами",
               5: "5 значень у стовпці «c» поза межами"}}),
    "warn.excel_errors": ({"column": "c", "example": "#DIV/0!"}, {
        "ru": {1: "1 ячейка столбца «c» содержит ошибку Excel", 2: "2 ячейки столбца «c» содержат ошибку Excel",
               5: "5 ячеек столбца «c» содержат ошибку Excel"},
        "uk": {1: "1 клітинка стовпця «c» містить помилку Excel", 2: "2 клітинки стовпця «c» містять помилку Excel",
               5: "5 клітинок стовпця «c» містять помилку Excel"}}),
    "warn.formula_cells": ({"column": "c", "example": "=A1"}, {
        "ru": {1: "1 ячейка столбца «c» — формула без сохранённого значения (например, '=A1'); она не учтена",
               2: "2 ячейки столбца «c» — формулы без сохранённого значения (например, '=A1'); они не учтены",
               5: "5 ячеек столбца «c» — формулы без сохранённого значения (например, '=A1'); они не учтены"},
        "uk": {1: "1 клітинка стовпця «c» — формула без збереженого значення (наприклад, '=A1'); її не враховано",
               2: "2 клітинки стовпця «c» — формули без збереженого значення (наприклад, '=A1'); їх не враховано",
               5: "5 клітинок стовпця «c» — формули без збереженого значення (наприклад, '=A1'); їх не враховано"}}),
    "warn.conflicting_rows": ({"deal": "7", "managers": "A, B", "rows": 4}, {
        "ru": {1: "1 id сделки встречается у разных менеджеров", 2: "2 id сделок встречаются у разных менеджеров",
               5: "5 id сделок встречаются у разных менеджеров"},
        "uk": {1: "1 id угоди трапляється в різних менеджерів", 2: "2 id угод трапляються в різних менеджерів",
               5: "5 id угод трапляються в різних менеджерів"}}),
    "warn.mixed_encoding": ({"encoding": "cp1251", "line": 3}, {
        "ru": {1: "1 строка была не в UTF-8", 2: "2 строки были не в UTF-8", 5: "5 строк были не в UTF-8"},
        "uk": {1: "1 рядок був не в UTF-8", 2: "2 рядки були не в UTF-8", 5: "5 рядків були не в UTF-8"}}),
    "warn.blank_managers": ({"example": "-"}, {
        "ru": {1: "у 1 строки нет менеджера", 2: "у 2 строк нет менеджера", 5: "у 5 строк нет менеджера"},
        "uk": {1: "у 1 рядка немає менеджера", 2: "у 2 рядків немає менеджера", 5: "у 5 рядків немає менеджера"}}),
    "warn.duplicate_deal_ids": ({}, {
        "ru": {1: "1 повторяющаяся строка с тем же deal_id отброшена", 2: "2 повторяющиеся строки с тем же deal_id отброшены",
               5: "5 повторяющихся строк с тем же deal_id отброшено"},
        "uk": {1: "1 повторюваний рядок із тим самим deal_id відкинуто", 2: "2 повторювані рядки з тим самим deal_id відкинуто",
               5: "5 повторюваних рядків із тим самим deal_id відкинуто"}}),
    "warn.duplicates_across_files": ({}, {
        "ru": {1: "1 строка, повторяющаяся в нескольких файлах, учтена один раз по id",
               2: "2 строки, повторяющиеся в нескольких файлах, учтены один раз по id",
               5: "5 строк, повторяющихся в нескольких файлах, учтено один раз по id"},
        "uk": {1: "1 рядок, що повторюється в кількох файлах, враховано один раз за id",
               2: "2 рядки, що повторюються в кількох файлах, враховано один раз за id",
               5: "5 рядків, що повторюються в кількох файлах, враховано один раз за id"}}),
    "scen.more": ({}, {
        "ru": {1: "… и ещё 1 похожая проблема", 2: "… и ещё 2 похожие проблемы", 5: "… и ещё 5 похожих проблем"},
        "uk": {1: "… і ще 1 схожа проблема", 2: "… і ще 2 схожі проблеми", 5: "… і ще 5 схожих проблем"}}),
}


@pytest.mark.parametrize("key", sorted(FORMS))
@pytest.mark.parametrize("lang", ["ru", "uk"])
@pytest.mark.parametrize("n", [1, 2, 5])
def test_counted_notes_take_the_plural_form_of_the_readers_language(key, lang, n):
    extra, want = FORMS[key]
    s = message(key, lang, {"file": "f.csv", "count": n, **extra}, fallback="ENGLISH")
    assert want[lang][n] in s, s
    assert not any(p in s for p in PSEUDO_PLURALS) and not re.search(r"[A-Za-z]{4,} [a-z]{4,}", s.replace("Excel", "")
                                                                                                   .replace("UTF-8", "")), s


def test_english_counted_notes_say_one_and_many_without_s_in_brackets():
    assert message("warn.unparsable_dates", "en", {"file": "f", "count": 1, "column": "c", "example": "x"}) == \
        "f: 1 value in column 'c' is not a date (e.g. 'x')"
    assert message("warn.unparsable_dates", "en", {"file": "f", "count": 3, "column": "c", "example": "x"}) == \
        "f: 3 values in column 'c' are not dates (e.g. 'x')"
    assert message("warn.duplicates_across_files", "en", {"count": 1}) == \
        "1 row repeated across files was de-duplicated by id (the later file wins)"


def test_no_catalogue_text_says_s_in_brackets():
    for code in ("en", "ru", "uk"):
        cat = catalogue(code)
        texts = [*cat.single.values(), *(f for forms in cat.plural.values() for f in forms)]
        bad = [t for t in texts if any(p in t for p in ("(s)", "(и)", "(ів)", "(ок)", "(ей)", "(ов)"))]
        assert not bad, (code, bad)


def test_product_lines_note_needs_no_plural_form():
    s = message("warn.product_lines_collapsed", "ru", {"file": "f", "rows": 21, "deals": 5})
    assert s == "f: товарные позиции объединены, по одной строке на сделку (строк: 21, сделок: 5; суммы сложены)"


# --- the scenario problems --------------------------------------------------------------------------------

def fields(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_scenario_problem_has_a_three_language_text_with_the_engines_parameters():
    for code, english in S.PROBLEMS.items():
        key = f"scen.{code}"
        assert key in TEXTS, key
        assert fields(TEXTS[key][0]) == fields(TEXTS[key][1]) == fields(TEXTS[key][2]) == fields(english), key


BAD_SCENARIO = {"name": "x", "colour": "red", "alpha": 2, "min_n": -1, "adjust": "none",
                "overrides": {"A": 100, "Z": 10, "B": -5},
                "plan_grid": [{"manager": "Z", "month": "2025-01", "target": 1},
                              {"manager": "A", "month": "2025-13", "target": 1}],
                "weights": {"charm": 1}, "thresholds": {"conversion": [0.2, 0.3]},
                "period": {"kind": "fortnight", "value": "x"}, "language": "xx"}


def test_scenario_problems_are_codes_with_parameters_and_keep_their_english_text():
    _, problems = S.scenario_from_json(json.dumps(BAD_SCENARIO), managers=["A", "B"])
    assert all(isinstance(p, Note) and p.code in S.PROBLEMS for p in problems)
    by = {p.code: p for p in problems}
    assert by["manager_unknown"] == "overrides: manager 'Z' is not in this data; skipped"   # the CLI prints this
    assert by["grid_manager_unknown"] == "plan_grid row 1: manager 'Z' is not in this data; skipped"
    assert by["unknown_setting"] == "unknown setting 'colour' ignored"
    assert by["th_order"] == "thresholds['conversion']: amber 0.3 is above green 0.2; skipped"
    assert message("scen.manager_unknown", "ru", by["manager_unknown"].params) == \
        "overrides: менеджера 'Z' нет в этих данных; пропущено"
    assert message("scen.grid_manager_unknown", "uk", by["grid_manager_unknown"].params) == \
        "plan_grid, рядок 1: менеджера 'Z' немає в цих даних; пропущено"
    assert message("scen.bad_alpha", "ru", by["bad_alpha"].params) == "alpha должна быть между 0 и 1, а не 2; взято 0.05"
    assert message("scen.th_order", "uk", by["th_order"].params) == \
        "thresholds['conversion']: жовтий поріг 0.3 вищий за зелений 0.2; пропущено"
    assert message("scen.period_kind", "ru", by["period_kind"].params) == \
        "вид периода 'fortnight' не входит в ['month', 'quarter', 'year', 'custom']; период не учтён"
    for lang in ("ru", "uk"):
        for p in problems:
            s = message(f"scen.{p.code}", lang, p.params, fallback="ENGLISH")
            assert s != "ENGLISH" and not re.search(r"\b(skipped|ignored|used|is not)\b", s), (lang, s)


def test_a_huge_list_of_problems_ends_with_a_counted_line():
    grid = [{"manager": "Nobody", "month": "2025-01", "target": 1}] * 27
    _, problems = S.scenario_from_json(json.dumps({"plan_grid": grid}), managers=["A"])
    assert len(problems) == S.MAX_PROBLEMS + 1 and problems[-1].code == "more"
    assert problems[-1] == "… and 7 more problems like these"
    assert message("scen.more", "ru", problems[-1].params) == "… и ещё 7 похожих проблем"


def test_a_note_survives_pickling_with_its_code():
    import pickle
    n = S.problem("grid_month", row=3, value="'2025-13'")
    back = pickle.loads(pickle.dumps(n))
    assert back == n and back.code == "grid_month" and back.params == {"row": 3, "value": "'2025-13'"}


# --- the reading notes of the whole dataset -----------------------------------------------------------------

def test_duplicate_deal_ids_are_a_coded_note():
    deals = (SAMPLE / "deals.csv").read_bytes()
    lines = deals.split(b"\n")
    twice = b"\n".join([*lines[:4], lines[1], lines[2]]) + b"\n"     # data rows 1 and 2 again
    ds = load_bytes({"deals": [("d.csv", twice)]})
    assert ds.warnings == ["2 duplicate deal_id row(s) dropped (the last one kept)"]     # the JSON's text, as before
    assert ds.notes == [{"file": None, "code": "duplicate_deal_ids", "params": {"count": 2}}]


def test_set_aside_and_cross_file_notes_are_coded_and_translated():
    deals = (SAMPLE / "deals.csv").read_bytes()
    part = b"\n".join(deals.split(b"\n")[:6]) + b"\n"                  # the first 5 deals again
    header = (SAMPLE / "activities.csv").read_bytes().split(b"\n")[0] + b"\n"
    data = ingest([("deals.csv", deals), ("more.csv", part), ("acts.csv", header),
                   ("broken.zip", b"PK\x03\x04garbage")]).data
    assert "5 row(s) repeated across files were de-duplicated by id (the later file wins)" in data.warnings
    notes = {(n["file"], n["code"]): n for n in data.notes}
    assert notes[(None, "duplicates_across_files")]["params"] == {"count": 5}
    render = {lang: {k: message(f"warn.{n['code']}", lang, {"file": n["file"], **n["params"]}) for k, n in notes.items()}
              for lang in ("ru", "uk")}
    assert render["ru"][(None, "duplicates_across_files")] == \
        "5 строк, повторяющихся в нескольких файлах, учтено один раз по id (берётся более поздний файл)"
    assert render["uk"][("broken.zip", "set_aside")] == "broken.zip: відкладено (Не читається) — пошкоджений ZIP-архів"
    assert render["ru"][("acts.csv", "set_aside")] == \
        "acts.csv: отложен (Активности) — acts.csv: в файле есть заголовок, но нет строк данных"
    json.dumps(data.notes)                                       # the CLI's data_quality.notes stays JSON


@pytest.mark.parametrize("lang, forms", [
    ("ru", {1: "(1 повторная выборка, seed 0)", 2: "(2 повторные выборки, seed 0)", 5: "(5 повторных выборок, seed 0)",
            41661: "(41\u00a0661 повторная выборка, seed 0)"}),
    ("uk", {1: "(1 повторна вибірка, seed 0)", 2: "(2 повторні вибірки, seed 0)", 5: "(5 повторних вибірок, seed 0)",
            41662: "(41\u00a0662 повторні вибірки, seed 0)"})])
def test_the_monte_carlo_warning_counts_its_resamples(lang, forms):
    for n, want in forms.items():       # the app passes the engine's parameters as text (ui.i18n.engine_warnings)
        assert message("eng.cochran_ffh", lang, {"n": str(n), "seed": "0"}).endswith(want)


@pytest.mark.parametrize("lang, forms", [
    ("ru", {1: "При 1 менеджере графики", 2: "При 2 менеджерах графики", 5: "При 5 менеджерах графики",
            21: "При 21 менеджере графики"}),
    ("uk", {1: "За 1 менеджера графіки", 2: "За 2 менеджерів графіки", 5: "За 5 менеджерів графіки",
            21: "За 21 менеджера графіки"})])
def test_the_reports_too_many_managers_note_agrees_with_its_number(lang, forms):
    from ui.catalogues import ntext
    for n, want in forms.items():
        assert ntext("report.too_many", lang, n).startswith(want)


def test_two_counts_in_one_note_are_named_not_declined():
    assert message("warn.id_repeats", "ru", {"file": "f", "column": "No", "rows": 21, "deals": 5, "flip": "x"}) == \
        "f: номер сделки «No» повторяется (строк: 21, номеров: 5) и прочитан как строки одной сделки; если это клиент: x"
    assert "(клієнтів: 1, рядків: 2)" in message("warn.client_or_id", "uk", {"file": "f", "column": "c", "clients": 1,
                                                                             "rows": 2, "flip": "x"})


@pytest.mark.parametrize("text, code, ru", [
    (b"{name: 1", "scenario_not_json", "a.json: файл сценария — не корректный JSON: "),
    (b"[1, 2]", "scenario_not_object", "a.json: в файле сценария должен быть JSON-объект, а не list; ничего не применено"),
    (b"\xff\xfe{}", "scenario_not_utf8", "a.json: файл сценария — не текст в UTF-8 (")])
def test_a_scenario_that_cannot_be_read_names_the_file_in_the_readers_language(text, code, ru):
    from metrics.errors import DataError
    with pytest.raises(DataError) as e:
        S.scenario_from_json(text, name="a.json")
    assert e.value.code == code and str(e.value).startswith("a.json: the scenario file")
    assert message(f"err.{code}", "ru", e.value.params).startswith(ru)


def test_the_reports_summary_says_the_dataset_notes_in_its_language():
    """The PDF/PPTX summary (report.content.collect): the duplicate deal ids of load_bytes and a file set aside
    by ingest, by their codes — before, the English text, or nothing once any coded note was there."""
    import report
    from metrics.periods import month
    from report.content import collect
    deals = (SAMPLE / "deals.csv").read_bytes()
    lines = deals.split(b"\n")
    twice = deals.rstrip(b"\n") + b"\n" + lines[1] + b"\n" + lines[2] + b"\n"
    data = load_bytes({"deals": [("d.csv", twice)]})
    summary = collect(data=data, period=month(2026, 9), options=report.Options(lang="uk"))["summary"]
    assert "2 повторювані рядки з тим самим deal_id відкинуто (залишено останній)" in summary
    assert not [s for s in summary if "duplicate deal_id" in s]
    data = ingest([("deals.csv", deals), ("broken.zip", b"PK\x03\x04garbage")]).data
    summary = collect(data=data, period=month(2026, 9), options=report.Options(lang="ru"))["summary"]
    assert "broken.zip: отложен (Не читается) — повреждённый ZIP-архив" in summary
    assert not [s for s in summary if "set aside" in s]


def test_a_large_count_in_a_message_is_grouped_per_language():
    """'100000 повторных выборок' in the report's summary: the count that picks the plural form is written
    with the language's digit grouping; small counts and other parameters stay as given."""
    from ui import catalogues as c
    got = {lg: c.message("eng.cochran_ffh", lg, {"n": "100000", "seed": "20240"}) for lg in ("en", "ru", "uk")}
    assert "(100,000 resamples, seed 20240)" in got["en"]
    assert "(100\u00a0000 повторных выборок, seed 20240)" in got["ru"]
    assert "(100\u00a0000 повторних вибірок, seed 20240)" in got["uk"]
    assert "(2 повторні вибірки, seed 0)" in c.message("eng.cochran_ffh", "uk", {"n": 2, "seed": 0})
