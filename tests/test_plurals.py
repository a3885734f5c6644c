"""Texts with a count take the plural form of their language for 1 / 2 / 5 / 21 (issue #15)."""
import pytest

from report.content import verdict_sentence
from ui.catalogues import message, ntext

WANT = {  # n → the noun form after it
    "ru": {1: "лид", 2: "лида", 5: "лидов", 21: "лид"},
    "uk": {1: "лід", 2: "ліди", 5: "лідів", 21: "лід"},
    "en": {1: "lead", 2: "leads", 5: "leads", 21: "leads"},
}


@pytest.mark.parametrize("lang", ["ru", "uk", "en"])
@pytest.mark.parametrize("n", [1, 2, 5, 21])
def test_not_enough_data_names_the_unit_in_its_plural_form(lang, n):
    s = verdict_sentence("not_enough_data", p=None, n=n, n_needed=40, unit="leads", lang=lang)
    assert f" {n} {WANT[lang][n]}," in s, s


@pytest.mark.parametrize("lang,n,want", [("ru", 1, "1 рабочий день"), ("ru", 2, "2 рабочих дня"), ("ru", 5, "5 рабочих дней"),
                                         ("ru", 21, "21 рабочий день"), ("uk", 1, "1 робочий день"),
                                         ("uk", 2, "2 робочі дні"), ("uk", 5, "5 робочих днів"), ("uk", 21, "21 робочий день"),
                                         ("en", 1, "1 working day,"), ("en", 21, "21 working days,")])
def test_coverage_line_counts_working_days(lang, n, want):
    s = ntext("common.coverage", lang, n, end="31.05.2025", start="01.05.2025", covered="20.05.2025", wd=n,
              calendar="UA")
    assert want in s and "дн." not in s, s


@pytest.mark.parametrize("lang,forms", [("ru", {1: "1 строка", 2: "2 строки", 5: "5 строк", 21: "21 строка"}),
                                        ("uk", {1: "1 рядок", 2: "2 рядки", 5: "5 рядків", 21: "21 рядок"})])
def test_importer_notes_with_a_count_take_the_plural_form(lang, forms):
    for n, want in forms.items():
        for code in ("warn.cancellations", "warn.lines_without_client", "warn.orders_returned"):
            s = message(code, lang, {"file": "f.csv", "count": n, "amount": "10"})
            assert f": {want} " in s and "(и)" not in s, (code, s)
    assert "в 5 строках" in message("warn.split_cells_merged", "ru", {"file": "f", "count": 5, "column": "c"})
    assert "в 21 строке" in message("warn.split_cells_merged", "ru", {"file": "f", "count": 21, "column": "c"})
