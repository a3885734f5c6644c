"""The workshop report (PDF and PPTX): every manager's numbers exactly as ``--format json`` gives them,
formatted per language; the verdict words; a manager role sees no other manager's name; names that look
like markup or formulas come out as text."""
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ["--deals", str(ROOT / "sample_data/deals.csv"), "--activities", str(ROOT / "sample_data/activities.csv"),
          "--plans", str(ROOT / "sample_data/plans.csv")]
#: the JSON fields a manager page shows, and how the screen formats them (ui.fmt kinds)
SHOWN = {"leads": "int", "won_of_leads": "int", "won": "int", "revenue": "money", "avg_deal": "money",
         "activities": "int", "target": "money", "plan_fulfillment": "pct", "customers_prev": "int",
         "customers_retained": "int", "retention_rate": "pct", "conversion": "pct", "conversion_ci_low": "pct",
         "conversion_ci_high": "pct"}


def cli(*args):
    return subprocess.run([sys.executable, "-m", "metrics", "report", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def flat(s: str) -> str:
    """Whitespace as PDF text extraction gives it: any run of spaces (NBSP too) and line breaks → one space."""
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ").replace("\u202f", " ")).strip()


def pdf_pages(blob: bytes) -> list[str]:
    from pypdf import PdfReader
    return [flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(blob)).pages]


def slide_tables(blob: bytes) -> list[tuple[str, list[str]]]:
    """(slide title text, every table cell's text) per slide."""
    from pptx import Presentation
    out = []
    for s in Presentation(io.BytesIO(blob)).slides:
        texts = [sh.text_frame.text for sh in s.shapes if sh.has_text_frame]
        cells = [flat(c.text) for sh in s.shapes if sh.has_table for r in sh.table.rows for c in r.cells]
        out.append((texts[0] if texts else "", cells))
    return out


@pytest.fixture(scope="module")
def as_json():
    r = cli(*SAMPLE)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample data's report as PDF in the three languages and as PPTX in Russian (the CLI)."""
    out = {}
    folder = tmp_path_factory.mktemp("reports")
    for fmt, lang in (("pdf", "en"), ("pdf", "ru"), ("pdf", "uk"), ("pptx", "ru")):
        path = folder / f"r-{lang}.{fmt}"
        r = cli(*SAMPLE, "--format", fmt, "--lang", lang, "--title", "Клієнт <i>ТОВ</i>", "--out", str(path))
        assert r.returncode == 0, r.stderr
        out[fmt, lang] = path.read_bytes()
    return out


def expected(row: dict, lang: str, currency: str = "UAH") -> dict[str, str]:
    """How the report shows the JSON's values; amounts in the data's currency (the sample data's: UAH)."""
    from ui.fmt import format_value, money
    return {k: flat(money(row[k], lang, currency=currency) if kind == "money" else format_value(row[k], kind, lang))
            for k, kind in SHOWN.items()}


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
def test_every_manager_page_of_the_pdf_has_the_json_numbers_and_the_verdict_words(built, as_json, lang):
    from ui.catalogues import text
    pages = pdf_pages(built["pdf", lang])
    assert pages[0].startswith(flat(text("report.subtitle", lang)))
    assert "Клієнт <i>ТОВ</i>" in pages[0]                      # the title as typed, not as markup
    verdicts = {r["manager"]: r for r in as_json["tests"]["conversion"]["vs_team"]}
    for row in as_json["managers"]:
        name = row["manager"]
        mine = [p for p in pages if p.startswith(name + " ")]
        assert len(mine) == 1, name                                # one page per manager, titled by the name
        page = mine[0]
        for key, shown in expected(row, lang).items():
            assert shown in page, (lang, name, key, shown)
        v = verdicts[name]["verdict"]
        word = {"above": "compare.v.above.team", "below": "compare.v.below.team",
                "no_difference": "compare.v.no_difference.team", "not_enough_data": "compare.v.not_enough_data"}[v]
        stem = flat(text(word, lang).split("{")[0])                # the fixed words before the first placeholder
        assert stem and stem in page, (lang, name, v)


def test_the_russian_pdf_speaks_russian_with_plural_forms(built, as_json):
    pages = pdf_pages(built["pdf", "ru"])
    assert "Краткие выводы" in pages[1] and "11 менеджеров" in pages[0]
    for row in as_json["managers"]:
        n = row["won"]
        word = "выигранная сделка" if n % 10 == 1 and n % 100 != 11 else \
            "выигранные сделки" if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else "выигранных сделок"
        assert any(p.startswith(row["manager"] + " ") and f"{n} {word}" in p for p in pages), (row["manager"], n)


def test_the_cohort_heatmap_says_what_k_is_in_the_pdf_and_the_deck(built):
    """The heatmap's columns are headed "k" only: the report now carries the screen's note under it."""
    from pptx import Presentation

    from ui.catalogues import text
    for lang in ("en", "ru", "uk"):
        assert flat(text("retention.heatmap_note", lang)) in flat(" ".join(pdf_pages(built["pdf", lang])))
    deck = Presentation(io.BytesIO(built["pptx", "ru"]))
    shown = [sh.text_frame.text for sl in deck.slides for sh in sl.shapes if sh.has_text_frame]
    assert text("retention.heatmap_note", "ru") in shown


def test_the_pdf_embeds_its_fonts(built):
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(built["pdf", "uk"]))
    fonts = set()
    for page in reader.pages[:3]:
        for f in (page["/Resources"].get("/Font") or {}).values():
            f = f.get_object()
            desc = f.get("/DescendantFonts")
            d = (desc[0].get_object() if desc else f).get("/FontDescriptor")
            fonts.add(any(k in d.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")) if d else False)
    assert fonts == {True}
    box = reader.pages[0].mediabox                                  # A4 landscape: 842 × 595 pt
    assert round(float(box.width)) == 842 and round(float(box.height)) == 595


def test_every_manager_slide_has_the_json_numbers_in_its_tables(built, as_json):
    slides = slide_tables(built["pptx", "ru"])
    from pptx import Presentation
    prs = Presentation(io.BytesIO(built["pptx", "ru"]))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)       # 16:9
    for row in as_json["managers"]:
        mine = [cells for title, cells in slides if title == row["manager"]]
        assert len(mine) == 1, row["manager"]
        cells = " | ".join(mine[0])
        for key, shown in expected(row, "ru").items():
            if key.startswith("conversion_ci"):
                continue                                              # the interval is one cell: checked below
            assert shown in mine[0], (row["manager"], key, shown)
        lo, hi = expected(row, "ru")["conversion_ci_low"], expected(row, "ru")["conversion_ci_high"]
        assert f"{lo} – {hi}" in cells


def _tiny_dataset(names):
    from metrics.loading import Dataset
    from metrics.schema import standardize_deals
    rows = []
    for i, m in enumerate(names):
        for j in range(6):
            rows.append((f"{i}-{j}", m, f"c{i}{j % 3}", f"2025-01-{j + 2:02d}", f"2025-01-{j + 10:02d}",
                         "won" if j % 2 == 0 else "lost", str(1000 * (i + 1) + j)))
    deals = standardize_deals(pd.DataFrame(rows, columns=["deal_id", "manager", "client", "created_at", "closed_at",
                                                          "status", "amount"]), file="t")
    return Dataset(deals=deals, rows_read=len(deals), rows_used=len(deals))


@pytest.mark.parametrize("fmt", ["pdf", "pptx"])
def test_names_that_look_like_markup_or_formulas_come_out_as_text(fmt):
    import report
    from metrics.periods import month
    names = ["<b>x</b>", "=1+1", "#emph[y] $z$ *w*"]
    blob = report.build(fmt, data=_tiny_dataset(names), period=month(2025, 1),
                        options=report.Options(lang="en", title="=HYPERLINK(\"x\")"))
    if fmt == "pdf":
        text = " ".join(pdf_pages(blob))
    else:
        text = " ".join(c for _, cells in slide_tables(blob) for c in cells) + " ".join(t for t, _ in slide_tables(blob))
    for n in names:
        assert n in text, n
    if fmt == "pdf":
        assert '=HYPERLINK("x")' in text


def test_a_manager_gets_only_their_own_page_and_no_other_managers_name():
    import report
    from metrics.loading import load_paths
    from metrics.periods import month
    from metrics.privacy import anonymise
    data = load_paths(deals=[str(ROOT / "sample_data/deals.csv")], activities=[str(ROOT / "sample_data/activities.csv")],
                      plans=[str(ROOT / "sample_data/plans.csv")])
    everybody = sorted(set(data.deals["manager"]))
    me = everybody[3]
    anon = anonymise(data=data, keep=me, key=b"report-test-key" * 2, colleague="Колега", client="Клієнт")
    for fmt in ("pdf", "pptx"):
        blob = report.build(fmt, data=anon, period=month(2026, 10), options=report.Options(lang="uk", only=me))
        if fmt == "pdf":
            pages = pdf_pages(blob)
            text = " ".join(pages)
            assert sum(p.startswith(me + " ") for p in pages) == 1
            assert not any(p.startswith("Колега") for p in pages)        # no colleague gets a page
        else:
            slides = slide_tables(blob)
            text = " ".join(c for _, cells in slides for c in cells) + " ".join(t for t, _ in slides)
            assert [t for t, _ in slides].count(me) == 1
        assert me in text and "Колега 01" in text                       # the team is there, anonymised
        for other in everybody:
            if other != me:
                assert other not in text and other.split()[0] not in text.replace(me, ""), (fmt, other)


def test_report_needs_out_for_pdf():
    r = cli(*SAMPLE, "--format", "pdf")
    assert r.returncode == 2 and "--out" in r.stderr and "Traceback" not in r.stderr


def test_the_report_builder_and_the_charts_do_not_import_streamlit():
    code = "import sys, report, report.pdf, report.slides, ui.charts, ui.catalogues; " \
           "sys.exit('streamlit' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_every_text_key_the_report_uses_exists_in_every_language():
    from ui.catalogues import BASE, catalogue
    used = set()
    for path in (ROOT / "report").glob("*.py"):
        used |= set(re.findall(r"""\b(?:tr|text|ntext)\(\s*f?["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text()))
    assert len(used) > 20
    for code in BASE:
        cat = catalogue(code)
        from ui.catalogues import TEXTS
        missing = [k for k in used if not k.endswith(".") and k not in cat.single and k not in cat.plural
                   and k not in TEXTS]                                # "x." + variable: a dynamic family
        assert not missing, (code, missing)


def test_the_workbook_to_hand_over_is_translated_formatted_and_coloured(tmp_path, as_json):
    from openpyxl import load_workbook
    from ui.catalogues import text
    out = tmp_path / "r.xlsx"
    r = cli(*SAMPLE, "--format", "xlsx", "--lang", "uk", "--out", str(out))
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["KPI", "Тести", "Когорти", "План", "Період", "Якість даних"]
    ws = wb["KPI"]
    head = [c.value for c in ws[1]]
    assert head[:4] == ["Менеджер", "Ліди", "Виграно з лідів", "Конверсія"]
    names = [ws.cell(row=i, column=1).value for i in range(2, ws.max_row + 1)]
    assert names == [m["manager"] for m in as_json["managers"]] + ["Команда"]
    conv = head.index("Конверсія") + 1
    assert ws.cell(row=2, column=conv).value == pytest.approx(as_json["managers"][0]["conversion"])
    assert ws.cell(row=2, column=conv).number_format == "0.0%"
    assert ws.cell(row=2, column=head.index("Виручка") + 1).number_format == '#,##0 "UAH"'
    # the light of conversion with the default thresholds (green ≥ 25%, amber ≥ 18%, else red)
    for i, m in enumerate(as_json["managers"], start=2):
        c = m["conversion"]
        want = "DCF1E4" if c >= 0.25 else "FBEFCF" if c >= 0.18 else "F7DCD9"
        assert ws.cell(row=i, column=conv).fill.fgColor.rgb[-6:] == want, m["manager"]
    tests = wb["Тести"]
    verdicts = [tests.cell(row=i, column=7).value for i in range(2, tests.max_row + 1)]
    stems = {text(f"compare.v.{v}", "uk").split("{")[0] for v in ("above.team", "below.team", "no_difference.team",
                                                                    "not_enough_data")}
    assert verdicts and all(any(v.startswith(s) for s in stems) for v in verdicts)


def test_amounts_are_in_the_datas_own_currency():
    import report
    from metrics.periods import month
    from dataclasses import replace
    data = _tiny_dataset(["A", "B"])
    deals = data.deals.assign(currency="USD")
    blob = report.build("pdf", data=replace(data, deals=deals), period=month(2025, 1),
                        options=report.Options(lang="ru"))
    text = " ".join(pdf_pages(blob))
    # A: won deals 1000, 1002, 1004 → revenue 3 006, average 1 002 (the manager page shows both)
    assert "3 006 $" in text and "1 002 $" in text
    assert not re.search(r"\d грн", text)                       # no amount in hryvnia anywhere


def test_a_long_deck_has_one_slide_per_manager_with_the_json_numbers():
    """More managers than ``render.PARALLEL_MIN``, so the charts go through the two worker processes and the
    tables through the XML writer: still one slide per manager, each with its own numbers as the JSON has them
    (formatted per language), and its own trend picture."""
    import report
    from metrics.periods import month
    from metrics.report import build_report
    from report import render
    names = [f"Менеджер {i:02d}" for i in range(render.PARALLEL_MIN + 2)]
    data = _tiny_dataset(names)
    as_json = build_report(data=data, period=month(2025, 1))
    blob = report.build("pptx", data=data, period=month(2025, 1), options=report.Options(lang="uk"))
    slides = slide_tables(blob)
    from pptx import Presentation
    deck = Presentation(io.BytesIO(blob))
    pictures = {}
    for s in deck.slides:
        title = next(sh.text_frame.text for sh in s.shapes if sh.has_text_frame)
        pictures[title] = [sh.image.sha1 for sh in s.shapes if sh.shape_type == 13]
    assert len(as_json["managers"]) == len(names)
    for row in as_json["managers"]:
        mine = [cells for title, cells in slides if title == row["manager"]]
        assert len(mine) == 1, row["manager"]
        for key, shown in expected(row, "uk").items():
            if not key.startswith("conversion_ci"):
                assert shown in mine[0], (row["manager"], key, shown)
        lo, hi = expected(row, "uk")["conversion_ci_low"], expected(row, "uk")["conversion_ci_high"]
        assert f"{lo} – {hi}" in " | ".join(mine[0])
        assert len(pictures[row["manager"]]) == 1, row["manager"]
    # manager i's revenue is 3 won deals of 1000·(i+1) + 0, 2, 4: every slide got its own numbers
    from ui.fmt import money
    assert expected(as_json["managers"][5], "uk")["revenue"] == flat(money(3 * 6000 + 6, "uk", currency="UAH"))
    assert len({pictures[m][0] for m in names}) == len(names)                  # a different trend picture each


def test_a_chart_drawn_per_manager_is_compiled_once_and_its_rows_swapped_in_exactly():
    """``render.jobs``: the swapped Vega spec equals vl-convert's own compile of each manager's chart — also when
    the managers have different numbers of rows and names; a one-off chart stays Vega-Lite."""
    import vl_convert as vlc
    from report import render
    from ui import charts
    rows = pd.DataFrame({"month": ["2025-01", "2025-02", "2025-03", "2025-01", "2025-02", "2025-03"],
                         "conversion": [0.1, 0.2, 0.3, 0.25, 0.22, 0.21],
                         "manager": ["A", "A", "A", "Team", "Team", "Team"]})
    template = charts.trend(rows, x="month", y="conversion", series="manager", title="c", fmt=".1~%",
                            team_label="Team", lang="en").to_dict(validate=False)
    team = [r for r in rows.to_dict("records") if r["manager"] == "Team"]
    specs = {"t0": render.same_chart(template, rows.to_dict("records"), domain=["A", "Team"]),
             "t1": render.same_chart(template, [{"month": "2025-03", "conversion": 0.5, "manager": "B"}, *team],
                                     domain=["B", "Team"]),
             "t2": render.same_chart(template, [{"month": "2025-02", "conversion": None, "manager": "C <i>"},
                                                {"month": "2025-03", "conversion": 0.0, "manager": "C <i>"}, *team],
                                     domain=["C <i>", "Team"]),
             "other": {"data": {"values": [{"a": 1}]}, "mark": "bar", "encoding": {"x": {"field": "a"}}}}
    out = render.jobs(specs)
    assert out["other"] == ("vegalite", specs["other"])
    for k in ("t0", "t1", "t2"):
        engine, spec = out[k]
        assert engine == "vega" and spec == vlc.vegalite_to_vega(specs[k]), k
    assert out["t1"][1] != out["t2"][1]


@pytest.mark.parametrize("values, expected", [
    (["UAH", None, "USD", "USD", None], "USD"),
    ([None, None], "UAH"),
    (["EUR", 840, 840, 840.0, "EUR", "EUR"], "EUR"),   # not all text: as text ("840" ≠ "840.0"; 840 == 840.0)
    (["PLN"] * 3 + ["EUR"] * 2, "PLN"),
])
def test_data_currency_is_the_most_common_code(values, expected):
    from metrics.report import data_currency
    deals = pd.DataFrame({"currency": pd.Series(values, dtype=object)})
    assert data_currency(deals) == expected
    counts = deals["currency"].dropna().astype(str).value_counts()     # the definition
    assert expected == (str(counts.index[0]) if len(counts) else "UAH")
