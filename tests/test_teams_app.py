"""Issue #13 in the app (AppTest, the Maven folder uploaded whole): the sidebar team filter changes the
Overview's numbers and survives page and language switches; the Overview's by-team table equals the CLI's
``teams`` block; Compare groups by team."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from test_real_data import REAL

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
pytestmark = [pytest.mark.usefixtures("no_legacy_pages_dir"),
              pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-data is absent")]


FIRST = {"scorecard": ("Manager", "Менеджер", "Менеджер"), "by_team": ("Office", "Офис", "Офіс"),
         "vs_conversion": ("Office", "Manager")}


def table(at, key: str) -> pd.DataFrame:
    """The table drawn with ``key`` (told by its first column)."""
    want = FIRST[key]
    return next(d.value for d in at.dataframe if d.value.columns[0] in want
                and (key != "vs_conversion" or "Leads" in d.value.columns))


def team_row(at) -> pd.Series:
    tab = table(at, "scorecard")
    return tab.iloc[-1]                      # the team row comes last


@pytest.fixture(scope="module")
def maven_files():
    return [(p.name, p.read_bytes(), "text/csv") for p in sorted((REAL / "maven_crm").glob("*.csv"))]


@pytest.fixture
def at(maven_files):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value(maven_files).run()
    at.sidebar.selectbox(key="period_kind").set_value("year").run()
    at.sidebar.selectbox(key="period_year").set_value("2017").run()
    at.sidebar.selectbox(key="team_level").set_value("office").run()
    assert not at.exception
    return at


def test_the_by_team_table_equals_the_clis_teams_block(at, capsys):
    from metrics.cli import main
    shown = table(at, "by_team").set_index("Office")
    assert main(["report", "--deals", str(REAL / "maven_crm"), "--start", "2017-01-01", "--end", "2017-12-31",
                 "--team-by", "office", "--quiet"]) == 0
    rows = {r["team"]: r for r in json.loads(capsys.readouterr().out)["teams"]["rows"]}
    assert shown.index.tolist() == list(rows) == ["Central", "East", "West"]
    for name, r in rows.items():
        got = shown.loc[name]
        assert (got["Managers"], got["Leads"]) == (r["managers"], r["leads"])
        assert got["Revenue"] == pytest.approx(r["revenue"]) and got["Conversion"] == pytest.approx(r["conversion"])
        assert got["Average deal"] == pytest.approx(r["avg_deal"])


def test_the_team_filter_changes_the_overview_and_survives_page_and_language_switches(at):
    everyone = team_row(at)
    east = table(at, "by_team").set_index("Office").loc["East"]
    at.sidebar.multiselect(key="teams").set_value(["East"]).run()
    assert not at.exception
    row = team_row(at)
    assert row["Revenue"] == pytest.approx(east["Revenue"]) and row["Revenue"] < everyone["Revenue"]
    assert row["Leads"] == east["Leads"] < everyone["Leads"]
    managers = set(table(at, "scorecard")["Manager"]) - {"Team"}
    assert len(managers) == east["Managers"]
    at.switch_page("pages/conversion.py").run()
    assert at.sidebar.multiselect(key="teams").value == ["East"]
    at.switch_page("pages/overview.py").run()
    assert at.sidebar.multiselect(key="teams").value == ["East"]
    assert team_row(at)["Revenue"] == pytest.approx(east["Revenue"])
    at.sidebar.selectbox(key="lang").set_value("ru").run()
    at.switch_page("pages/compare.py").run()
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    assert at.sidebar.multiselect(key="teams").value == ["East"]
    assert at.sidebar.selectbox(key="team_level").value == "office"
    tab = table(at, "scorecard")
    assert tab.iloc[-1]["Выручка"] == pytest.approx(east["Revenue"])
    assert set(tab["Менеджер"]) - {"Команда"} == managers


def test_compare_groups_by_team(at):
    at.switch_page("pages/compare.py").run()
    at.toggle(key="cmp_by_team").set_value(True).run()
    assert not at.exception
    tab = table(at, "vs_conversion")
    assert set(tab["Office"]) == {"Central", "East", "West"}
    # each office's rows are what Compare shows with the sidebar filtered to that office
    east = tab[tab["Office"] == "East"].drop(columns="Office").reset_index(drop=True)
    at.sidebar.multiselect(key="teams").set_value(["East"]).run()
    assert [x.key for x in at.toggle] == ["present"] and not at.exception   # one office left: nothing to group (toggle hidden)
    alone = table(at, "vs_conversion")
    pd.testing.assert_frame_equal(east, alone.reset_index(drop=True))
