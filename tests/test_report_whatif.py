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
