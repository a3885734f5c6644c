"""The report's plan section carries the Plan page's what-if summary, figure for figure the engine's
(``metrics.planning.whatif``) for the same targets, months and thresholds (issue #15)."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample():
    from metrics.loading import load_paths
    from metrics.periods import default_period
    d = ROOT / "sample_data"
    data = load_paths(deals=[str(d / "deals.csv")], activities=[str(d / "activities.csv")], plans=[str(d / "plans.csv")])
    return data, default_period(deals=data.deals, activities=data.activities)


def _flat(s):
    return re.sub(r"\s+", " ", s.replace("\u00a0", " ")).strip()


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_pdf_and_pptx_plan_sections_show_the_engines_whatif(sample, lang):
    import io

    import report
    from metrics import kpi
    from metrics.planning import whatif
    from pptx import Presentation
    from pypdf import PdfReader
    from report.content import whatif_targets
    from ui.catalogues import text
    from ui.fmt import format_value

    data, period = sample
    options = report.Options(lang=lang, default_target=400_000)
    managers = sorted(data.deals["manager"].dropna().unique().tolist())
    past = [f"{p.start:%Y-%m}" for p in kpi.last_months(period.previous(), 12)]
    targets = whatif_targets(data=data, period=period, options=options, managers=managers)
    assert set(targets["manager"]) == set(managers)
    _, summary = whatif(deals=data.deals, targets=targets, months=past, thresholds=(1.0, 0.8))
    assert len(summary) == len(managers) + 1 and summary["months"].max() > 0
    pages = [_flat(p.extract_text() or "") for p in
             PdfReader(io.BytesIO(report.build("pdf", data=data, period=period, options=options))).pages]
    head = text("report.h.whatif", lang)
    page = next(p for p in pages if head in p)
    slides = Presentation(io.BytesIO(report.build("pptx", data=data, period=period, options=options))).slides
    cells = [_flat(c.text) for s in slides for sh in s.shapes if sh.has_table for r in sh.table.rows for c in r.cells]
    team = text("common.team", lang)
    for r in summary.itertuples(index=False):
        name = r.manager if r.manager is not None else team
        want = " ".join(_flat(format_value(v, "pct", lang)) for v in
                        (r.median_fulfillment, r.share_green, r.share_amber, r.share_red))
        assert f"{name} {r.months} {want}" in page, (name, want)
        assert name in cells and _flat(format_value(r.median_fulfillment, "pct", lang)) in cells


def _cli(*args):
    import subprocess
    import sys
    d = ROOT / "sample_data"
    return subprocess.run([sys.executable, "-m", "metrics", "report", "--deals", str(d / "deals.csv"), "--activities",
                           str(d / "activities.csv"), "--plans", str(d / "plans.csv"), *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_workbooks_plan_sheet_is_the_engines_whatif_and_the_pdfs(sample, lang, tmp_path):
    """The CLI's XLSX (what the Overview's download writes too) has a plan sheet: the what-if figure for figure
    as ``metrics.planning.whatif`` gives it for the plans file's targets of the period (no default target),
    the 12 months before the period and the default plan-fulfilment thresholds 100 % / 80 % — and as the PDF
    built with the same arguments prints it."""
    import io

    import pandas as pd
    from metrics import kpi
    from metrics.planning import whatif
    from openpyxl import load_workbook
    from pypdf import PdfReader
    from ui.catalogues import text
    from ui.fmt import format_value

    data, period = sample
    xlsx, pdf = tmp_path / "r.xlsx", tmp_path / "r.pdf"
    for fmt, out in (("xlsx", xlsx), ("pdf", pdf)):
        r = _cli("--format", fmt, "--lang", lang, "--out", str(out))
        assert r.returncode == 0, r.stderr
    wb = load_workbook(xlsx)
    assert wb.sheetnames[3] == text("report.h.plan", lang)
    ws = wb[text("report.h.plan", lang)]
    assert ws["A1"].value == text("report.h.whatif", lang)
    assert [c.value for c in ws[3]] == [text(f"col.{c}", lang) for c in
                                        ("manager", "months", "median_fulfillment", "share_green", "share_amber",
                                         "share_red")]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    # by hand: the plans file's rows for the period's months, the managers the KPI sheet lists
    months = period.month_overlaps()["month"].tolist()
    managers = [ws_row[0].value for ws_row in wb.worksheets[0].iter_rows(min_row=2)][:-1]
    plans = data.plans.assign(month=data.plans["month"].astype(str))
    targets = plans[plans["month"].isin(months) & plans["manager"].isin(managers)][["manager", "month", "target"]]
    past = [f"{p.start:%Y-%m}" for p in kpi.last_months(period.previous(), 12)]
    assert len(past) == 12 and past[-1] < months[0]
    _, want = whatif(deals=data.deals, targets=targets, months=past, thresholds=(1.0, 0.8))
    team = text("common.team", lang)
    assert [r[0] for r in rows] == [m if m is not None else team for m in want["manager"]]
    assert rows[-1][1] == want["months"].iloc[-1] > 100          # the team pools every manager-month
    for got, w in zip(rows, want.itertuples(index=False)):
        assert got[1] == w.months
        for g, v in zip(got[2:], (w.median_fulfillment, w.share_green, w.share_amber, w.share_red)):
            assert (g is None and pd.isna(v)) or g == pytest.approx(v, abs=1e-12)
    assert [c.number_format for c in ws[4]][1:] == ["#,##0", "0.0%", "0.0%", "0.0%", "0.0%"]
    # the same figures as the PDF's what-if page prints them
    pages = [_flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages]
    page = next(p for p in pages if text("report.h.whatif", lang) in p)
    for got in rows:
        shown = " ".join(_flat(format_value(v if v is not None else float("nan"), "pct", lang)) for v in got[2:])
        assert f"{got[0]} {got[1]} {shown}" in page, (got, shown)


def test_the_apps_workbook_download_has_the_same_plan_sheet(sample):
    """The Overview's XLSX (``ui.downloads.workbook_of``, Ukrainian) carries the same what-if as
    ``metrics.planning.whatif`` for the plans file's targets of the period."""
    import io

    from metrics import kpi
    from metrics.planning import whatif
    from metrics.settings import data_months, resolve
    from openpyxl import load_workbook
    from ui.catalogues import text
    from ui.context import Ctx
    from ui.downloads import workbook_of

    data, period = sample
    s = resolve(period=period, plans=data.plans, months=data_months(deals=data.deals, plans=data.plans))
    ctx = Ctx(dataset=data, token="t", source_label="", period=period, settings=s, scorecard=None, previous=None,
              lights=None, changes=None)
    ws = load_workbook(io.BytesIO(workbook_of(ctx, "uk")))[text("report.h.plan", "uk")]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    months = period.month_overlaps()["month"].tolist()
    plans = data.plans.assign(month=data.plans["month"].astype(str))
    managers = sorted(data.deals["manager"].dropna().unique().tolist())
    targets = plans[plans["month"].isin(months) & plans["manager"].isin(managers)][["manager", "month", "target"]]
    past = [f"{p.start:%Y-%m}" for p in kpi.last_months(period.previous(), 12)]
    _, want = whatif(deals=data.deals, targets=targets, months=past, thresholds=(1.0, 0.8))
    assert [r[0] for r in rows] == [m if m is not None else text("common.team", "uk") for m in want["manager"]]
    assert [r[1] for r in rows] == want["months"].tolist()
    assert [r[2] for r in rows] == pytest.approx(want["median_fulfillment"].tolist(), abs=1e-12)
    assert [r[5] for r in rows] == pytest.approx(want["share_red"].tolist(), abs=1e-12)
