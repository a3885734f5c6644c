"""Issue #14, many visitors: the charts of public data are built once per process and shared read-only; an
upload's charts are built in its session and never enter the shared cache; a session's end trims the heap."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui import draw, state

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


def _specs(at) -> list[tuple[str, list[bytes]]]:
    """Each chart's spec and its datasets (Arrow bytes), as sent to the browser."""
    return [(c.proto.spec, [bytes(d.data.data) for d in c.proto.datasets])
            for c in at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")]


@pytest.fixture
def built(monkeypatch):
    """Every Vega-Lite spec built from an Altair chart in this test (the shared cache's misses)."""
    calls: list[str] = []
    real = draw.spec_of

    def spy(chart):
        calls.append(type(chart).__name__)
        return real(chart)
    monkeypatch.setattr(draw, "spec_of", spy)
    draw.shared_spec.clear()
    return calls


def test_a_second_visitor_of_the_sample_data_gets_the_same_charts_without_building_them(built):
    first = AppTest.from_file(APP, default_timeout=90).run()
    first.switch_page("pages/conversion.py").run()
    assert not first.exception and len(built) == 4          # the Overview's one chart and the Conversion page's three
    second = AppTest.from_file(APP, default_timeout=90).run()
    second.switch_page("pages/conversion.py").run()
    assert not second.exception and len(built) == 4         # nothing built for the second visitor
    assert _specs(second) == _specs(first) and len(_specs(second)) == 3


def test_an_upload_s_charts_are_built_in_its_session_and_never_shared(built, monkeypatch):
    shared: list[str] = []
    real = draw.shared_spec
    monkeypatch.setattr(draw, "shared_spec", lambda name, d, build: shared.append(name) or real(name, d, build))
    deals = (ROOT / "tests/fixtures/exports/salesforce_opportunity_report.csv").read_bytes()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["source"] = "upload"
    at.run()
    at.sidebar.file_uploader(key="uploads").set_value(("sf.csv", deals, "text/csv")).run()
    at.switch_page("pages/conversion.py").run()
    assert not at.exception and "sf.csv" in at.caption[0].value
    assert len(_specs(at)) >= 2 and shared == [] and built == []   # drawn, but not through the shared cache


def test_the_digest_is_the_content_of_every_argument():
    a = pd.DataFrame({"manager": ["A", "B"], "x": [1.0, 2.0]})
    same = pd.DataFrame({"manager": ["A", "B"], "x": [1.0, 2.0]})
    assert draw.digest((a,), {"lang": "en"}) == draw.digest((same,), {"lang": "en"})
    assert draw.digest((a,), {"lang": "en"}) != draw.digest((a,), {"lang": "ru"})
    assert draw.digest((a,), {}) != draw.digest((a.assign(x=[1.0, 2.5]),), {})          # a value
    assert draw.digest((a,), {}) != draw.digest((a.rename(columns={"x": "y"}),), {})    # a column name
    assert draw.digest((a,), {}) != draw.digest((a.astype({"x": "float32"}),), {})      # a dtype
    assert draw.digest((a,), {}) != draw.digest((a.set_axis([5, 6]),), {})             # the index
    assert draw.digest((object(),), {}) is None                   # no content to trust: not cached
    assert draw.digest((pd.DataFrame({"x": [[1], [2]]}),), {}) is None           # cells pandas cannot hash


def test_a_session_s_end_trims_the_heap(monkeypatch):
    ended: list[bool] = []
    monkeypatch.setattr(state, "session_ended", lambda: ended.append(True))
    AppTest.from_file(APP, default_timeout=90).run()
    assert ended == []
    import streamlit as st
    from streamlit.runtime.caching import clear_session_resource_cache

    clear_session_resource_cache("no-such-session")     # another session's end: not this one's marker
    assert ended == []
    st.cache_resource.clear()    # releases every entry, session-scoped ones too, as a session's end does its own
    assert ended == [True]
    assert state.trim_memory() is True           # glibc here: malloc_trim(0) ran


def test_a_shared_chart_carries_its_own_visitor_s_caption(built):
    """The caption (page, period, source) is set per run outside the builder's arguments: two visitors of the
    sample data on different periods must each get their own period in the chart's subtitle — the Data page's
    volume chart draws the whole data, so only the caption tells the two apart."""
    import json

    def subtitle(at) -> list[str]:
        spec = json.loads(_specs(at)[0][0])
        return spec["title"]["subtitle"]

    first = AppTest.from_file(APP, default_timeout=90).run()
    first.switch_page("pages/data.py").run()
    second = AppTest.from_file(APP, default_timeout=90)
    second.query_params["period"] = "2026-Q2"
    second.run()
    second.switch_page("pages/data.py").run()
    assert not first.exception and not second.exception
    assert [d for _, d in _specs(first)] == [d for _, d in _specs(second)]     # the same rows drawn
    one, two = subtitle(first), subtitle(second)
    assert one != two and one[1] == two[1]                                    # periods differ, the source not
