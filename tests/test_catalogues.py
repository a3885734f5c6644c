"""Message catalogues (ui/locale/*.po): plural forms, the one rendering function, a language added by one
catalogue, and the migration of ui/texts.py."""
import shutil
from pathlib import Path

import pytest

from ui import catalogues
from ui.catalogues import message, ntext, text

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("n, ru, uk, en", [
    (1, "1 выигранная сделка", "1 виграна угода", "1 won deal"),
    (2, "2 выигранные сделки", "2 виграні угоди", "2 won deals"),
    (5, "5 выигранных сделок", "5 виграних угод", "5 won deals"),
    (11, "11 выигранных сделок", "11 виграних угод", "11 won deals"),
    (21, "21 выигранная сделка", "21 виграна угода", "21 won deals"),
    (22, "22 выигранные сделки", "22 виграні угоди", "22 won deals"),
    (112, "112 выигранных сделок", "112 виграних угод", "112 won deals"),
    (0, "0 выигранных сделок", "0 виграних угод", "0 won deals"),
])
def test_plural_forms_follow_each_languages_rule(n, ru, uk, en):
    assert ntext("report.n_won", "ru", n) == ru
    assert ntext("report.n_won", "uk", n) == uk
    assert ntext("report.n_won", "en", n) == en


def test_one_function_renders_codes_with_plural_forms_and_falls_back_to_the_engine_text():
    assert message("warn.duplicate_rows", "ru", {"file": "a.csv", "count": 1}) == "a.csv: 1 повторяющаяся строка пропущена"
    assert message("warn.duplicate_rows", "ru", {"file": "a.csv", "count": 3}) == "a.csv: 3 повторяющиеся строки пропущены"
    assert message("warn.duplicate_rows", "en", {"file": "a.csv", "count": 1}) == "a.csv: 1 duplicate row was ignored"
    assert message("eng.forecast_early", "uk", {"n": "2", "total": "21"}).startswith("Минуло лише 2 робочі дні з 21")
    assert message("eng.forecast_early", "ru", {"n": "5", "total": "21"}).startswith("Прошло только 5 рабочих дней из 21")
    assert message("err.empty_file", "uk", {"file": "x.csv", "column": None}) == text("err.empty_file", "uk", file="x.csv")
    assert message("warn.no_such_code", "ru", {"file": "a"}, fallback="the engine's text") == "the engine's text"
    # the template needs {count} but the engine gave none: the engine's text, never a crash
    assert message("warn.duplicate_rows", "ru", {"file": "a"}, fallback="eng") == "eng"


def test_a_catalogue_entry_wins_over_texts_py_and_texts_py_fills_the_rest(monkeypatch):
    legacy = {"test.only_legacy": ("Only legacy", "Только старое", "Лише старе"),
              "report.title_default": ("Old title", "Старый заголовок", "Старий заголовок")}
    monkeypatch.setattr(catalogues, "_legacy", lambda: legacy)
    assert text("test.only_legacy", "uk") == "Лише старе"                     # not migrated yet: from texts.py
    assert text("report.title_default", "ru") == "Отчёт по отделу продаж"     # the catalogue wins
    assert catalogues.TEXTS["test.only_legacy"] == legacy["test.only_legacy"]
    assert "report.title_default" in catalogues.TEXTS and "no.such.key" not in catalogues.TEXTS
    assert text("no.such.key", "ru") == "no.such.key"


DUMMY = '''msgid ""
msgstr ""
"Language: xx\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=1; plural=0;\\n"

msgid "lang.name"
msgstr "Dummy"

msgid "report.title_default"
msgstr "XX report"

msgid "kpi.conversion"
msgstr "XX conversion"

msgid "report.n_won"
msgid_plural "report.n_won"
msgstr[0] "{n} xx-deals"
'''


@pytest.fixture
def dummy_locale(tmp_path, monkeypatch):
    folder = tmp_path / "locale"
    shutil.copytree(ROOT / "ui" / "locale", folder)
    (folder / "xx.po").write_text(DUMMY, encoding="utf-8")
    monkeypatch.setenv("SALESLENS_LOCALE_DIR", str(folder))
    yield folder
    monkeypatch.delenv("SALESLENS_LOCALE_DIR")


def test_a_language_is_added_by_adding_one_catalogue(dummy_locale):
    assert catalogues.languages() == ["en", "ru", "uk", "xx"]
    assert catalogues.lang_name("xx") == "Dummy"
    assert text("kpi.conversion", "xx") == "XX conversion"
    assert text("kpi.leads", "xx") == text("kpi.leads", "en")                 # what it lacks: English
    assert [ntext("report.n_won", "xx", n) for n in (1, 2, 5)] == ["1 xx-deals", "2 xx-deals", "5 xx-deals"]
    import report
    from tests.test_report import _tiny_dataset, pdf_pages
    from metrics.periods import month
    pages = pdf_pages(report.build("pdf", data=_tiny_dataset(["A", "B"]), period=month(2025, 1),
                                   options=report.Options(lang="xx")))
    assert "XX report" in pages[0] and "XX conversion" in " ".join(pages)


SYNTHETIC = '''TEXTS = {
    "test.new": ("New {n}", "Новое {n}", "Нове {n}"),
    "report.title_default": ("Old title", "Старый заголовок", "Старий заголовок"),
    "warn.duplicate_rows": ("{file}: {count} duplicate row(s)", "{file}: {count} строк", "{file}: {count} рядків"),
}
'''


def _migrated(tmp_path, source: str):
    folder = tmp_path / "locale"
    shutil.copytree(ROOT / "ui" / "locale", folder)
    texts = tmp_path / "texts.py"
    texts.write_text(source, encoding="utf-8")
    moved = catalogues.migrate(folder, texts)
    assert not texts.exists()
    return moved, folder, {code: catalogues.Catalogue(catalogues.read_catalog(folder / f"{code}.po", code))
                           for code in catalogues.BASE}


def test_migrate_moves_the_entries_the_catalogues_lack_and_deletes_texts_py(tmp_path):
    moved, folder, got = _migrated(tmp_path, SYNTHETIC)
    assert moved == 1
    assert [got[c].single["test.new"] for c in catalogues.BASE] == ["New {n}", "Новое {n}", "Нове {n}"]
    assert got["ru"].single["report.title_default"] == "Отчёт по отделу продаж"   # the catalogue's text stays
    assert "warn.duplicate_rows" in got["ru"].plural and "warn.duplicate_rows" not in got["ru"].single
    texts = tmp_path / "texts.py"                                                # a second run: nothing new
    texts.write_text(SYNTHETIC, encoding="utf-8")
    assert catalogues.migrate(folder, texts) == 0


def test_migrate_moves_the_real_texts_py_entry_by_entry(tmp_path):
    source = ROOT / "ui" / "texts.py"
    if not source.exists():                      # already migrated: the catalogues hold everything
        assert len(catalogues.TEXTS) > 400 and not list((ROOT / "ui").glob("texts.py"))
        return
    legacy = catalogues.legacy_entries(source)
    before = {code: catalogues.Catalogue(catalogues.read_catalog(ROOT / "ui" / "locale" / f"{code}.po", code))
              for code in catalogues.BASE}
    moved, _, got = _migrated(tmp_path, source.read_text(encoding="utf-8"))
    assert moved > 400
    for i, code in enumerate(catalogues.BASE):
        for key, values in legacy.items():
            if key in got[code].plural:           # converted by hand to plural forms before the migration
                continue
            had = before[code].single.get(key)          # a catalogue entry wins over texts.py and stays
            assert got[code].single[key] == (had if had is not None else values[i]), (code, key)
