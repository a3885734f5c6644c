"""Every chart on screen carries a title and a subtitle (period, data source), so a PNG / SVG saved from
Vega's actions menu says what, when and from which data (issue #15); the report's charts carry none."""
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui import charts
from ui.catalogues import text

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


def test_a_caption_goes_into_the_spec_and_is_restored():
    df = pd.DataFrame({"manager": ["A", "B"], "v": [1.0, 2.0]})
    token = charts.caption("SalesLens · Overview", ["May 2025", "Source: deals.csv"])
    try:
        spec = charts.bars(df, x="v", y="manager", title="v").to_dict()
        again = charts.with_data(charts.bars(df.iloc[:0], x="v", y="manager", title="v"), df).to_dict()
    finally:
        charts.reset_caption(token)
    for s in (spec, again):
        assert s["title"]["text"] == "SalesLens · Overview"
        assert s["title"]["subtitle"] == ["May 2025", "Source: deals.csv"]
    assert "title" not in charts.bars(df, x="v", y="manager", title="v").to_dict()


def _titles(at):
    return [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")]


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_every_chart_on_screen_names_page_period_and_source(lang, tmp_path):
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    sample = text("sidebar.source_sample", lang)
    seen = 0
    for page in ("overview", "conversion", "deal_size", "activity", "retention", "data"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        period = at.caption[0].value.split(" · ")[0]           # the page's own period line
        for title in _titles(at):
            assert title["text"] == f"SalesLens · {text(f'page.{page}', lang)}", (page, title)
            assert title["subtitle"][0] == period and title["subtitle"][1] == f"{text('common.source', lang)}: {sample}"
            seen += 1
    assert seen >= 8
    deals = (ROOT / "sample_data" / "deals.csv").read_bytes()
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value([("crm_may.csv", deals, "text/csv")]).run()
    at.switch_page("pages/deal_size.py").run()
    subs = [t["subtitle"][1] for t in _titles(at)]
    assert subs and all(s.endswith("crm_may.csv") for s in subs), subs
