"""AppTest for issue #16: conversion within H days in the app equals the CLI's, the open-leads notice's
one-click switch, grey 'too little data' lights, the coverage line, Compare on conversion within H."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


@pytest.fixture
def at():
    return AppTest.from_file(APP, default_timeout=60).run()


def test_app_and_cli_show_the_same_conversion_within_h(at):
    # August–October 2026 at H = 45 (every manager estimable), the Conversion page's table vs the CLI
    at.sidebar.selectbox(key="period_kind").set_value("custom").run()
    from datetime import date
    at.session_state["period_range"] = (date(2026, 8, 1), date(2026, 10, 31))
    at.session_state["horizon_days"] = 45
    at.run()
    at.switch_page("pages/conversion.py").run()
    assert not at.exception
    table = at.dataframe[0].value.set_index("Manager")
    out = subprocess.run([sys.executable, "-m", "metrics", "report", "--deals", "sample_data/deals.csv",
                          "--activities", "sample_data/activities.csv", "--plans", "sample_data/plans.csv",
                          "--start", "2026-08-01", "--end", "2026-10-31", "--horizon-days", "45"],
                         cwd=ROOT, capture_output=True, text=True, timeout=180)
    rep = json.loads(out.stdout)
    col = "Won within 45 days"
    checked = 0
    for m in rep["managers"] + [dict(rep["team"], manager="Team")]:
        if m["conversion_h"] is None:
            assert table.loc[m["manager"], col] != table.loc[m["manager"], col]
            continue
        assert table.loc[m["manager"], col] == pytest.approx(m["conversion_h"], rel=1e-12), m["manager"]
        checked += 1
    assert checked >= 10


def test_open_leads_notice_switches_to_conversion_within_h_in_one_click(at):
    at.sidebar.selectbox(key="period_month").set_value("2026-10").run()    # 65% of the leads still open
    raw = at.dataframe[0].value.set_index("Manager").loc["Team", "Conversion"]
    at.button(key="use_within").click().run()
    assert not at.exception and at.session_state["conv_measure"] == "within"
    shown = at.dataframe[0].value.set_index("Manager")
    assert "Won within 90 days" in shown.columns
    # October 2026 at H = 90: nobody has been followed for 90 days — not estimable, shown as empty
    assert shown.loc["Team", "Won within 90 days"] != shown.loc["Team", "Won within 90 days"]
    at.session_state["horizon_days"] = 21
    at.run()
    team = at.dataframe[0].value.set_index("Manager").loc["Team", "Won within 21 days"]
    # 13.4% won within 21 days vs 7.8% won of all leads: the open leads no longer count as lost
    assert team == pytest.approx(0.13432029716836952, rel=1e-12) and team > raw
    at.button(key="use_raw").click().run()
    assert at.session_state["conv_measure"] == "raw"
    assert at.dataframe[0].value.set_index("Manager").loc["Team", "Conversion"] == raw


def test_lights_below_the_minimum_sample_are_grey(at):
    at.sidebar.selectbox(key="period_month").set_value("2026-09").run()
    lights = at.session_state["_ctx"].lights.set_index(["manager", "kpi"])["light"]
    # Ірина Мельник had 7 leads in September 2026: her conversion light is "too little data"
    assert lights[("Ірина Мельник", "conversion")] == "insufficient"
    assert lights[(None, "conversion")] in ("green", "amber", "red")


def test_year_past_the_data_says_what_it_covers(at):
    at.sidebar.selectbox(key="period_kind").set_value("year").run()
    assert at.session_state["period_year"] == "2025"          # the latest year the data reaches the end of
    at.sidebar.selectbox(key="period_year").set_value("2026").run()
    assert not at.exception
    text = " ".join(i.value for i in at.info)
    assert "30.10.2026" in text and "01.01.2026 – 31.10.2026" in text and "Ukraine" in text
    card = at.session_state["_ctx"].scorecard
    # per-day figures over the working days up to the data's end (Jan–Oct 2026 under martial law: 217)
    assert int(card.team["working_days"].iloc[0]) == 217


def test_compare_on_conversion_within_h(at):
    at.switch_page("pages/compare.py").run()
    at.session_state["cmp_part"] = "conversion_h"
    at.run()
    assert not at.exception
    assert any("Conversion within H days" in s.value for s in at.subheader)
