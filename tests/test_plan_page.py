"""AppTest of the Plan page as a workshop tool: edit the target grid, apply a rule, load a scenario."""
import json
from pathlib import Path

import pytest
import streamlit.testing.v1.element_tree as et
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from metrics.planning import Scenario, dataset_fingerprint, scenario_from_json, scenario_to_json
from metrics.loading import load_paths

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


def edit_grid(at, key, edited_rows):
    """Send the data_editor edit the browser would send (AppTest has no setter for data_editor)."""
    el = next(d for d in at.data_editor if d.key == key)
    ws = WidgetState(id=el.proto.id, string_value=json.dumps(
        {"edited_rows": edited_rows, "added_rows": [], "deleted_rows": []}))
    orig = et.ElementTree.get_widget_states

    def states(self):
        out = orig(self)
        out.widgets.append(ws)
        return out

    et.ElementTree.get_widget_states = states
    try:
        at.run()
    finally:
        et.ElementTree.get_widget_states = orig


def scorecard(at):
    return at.dataframe[0].value.set_index("Manager")


@pytest.fixture
def at():
    at = AppTest.from_file(APP, default_timeout=90)
    # October 2026, the default month before issue #16 (now September: October's leads are mostly open)
    at.session_state["period_month"] = "2026-10"
    at.run()
    return at.switch_page("pages/plan.py").run()


def test_editing_the_grid_changes_targets_everywhere(at):
    first = at.data_editor[0].value["manager"].iloc[0]
    edit_grid(at, "plan_grid_editor", {"0": {"2026-10": 1234.0}})
    assert not at.exception
    assert at.session_state["plan_edits"] == {(first, "2026-10"): 1234.0}
    at.switch_page("pages/overview.py").run()
    row = scorecard(at).loc[first]
    assert row["Target"] == 1234.0 and row["Plan fulfilment"] == pytest.approx(row["Revenue"] / 1234.0)
    at.switch_page("pages/plan.py").run()          # the edit survives the page switch
    assert at.data_editor[0].value.set_index("manager").at[first, "2026-10"] == 1234.0


def test_rule_same_target_for_everyone(at):
    at.selectbox(key="rule_kind").set_value("same").run()
    at.number_input(key="rule_target").set_value(300_000.0).run()
    at.checkbox(key="rule_ramp").set_value(False).run()
    at.button(key="apply_rule").click().run()
    grid = at.data_editor[0].value
    assert (grid["2026-10"] == 300_000.0).all()
    at.switch_page("pages/overview.py").run()
    card = scorecard(at)
    assert (card.drop(index="Team")["Target"] == 300_000.0).all()
    assert card.loc["Team", "Target"] == 300_000.0 * (len(card) - 1)


def test_loading_a_scenario_applies_it_and_reports_problems(at):
    data = load_paths(deals=[str(ROOT / "sample_data/deals.csv")])
    managers = sorted(set(data.deals["manager"]))
    sc = Scenario(name="Plan A", fingerprint=dataset_fingerprint(deals=data.deals), language="uk",
                  period={"kind": "month", "value": "2026-09"}, default_target=0.0,
                  plan_grid=[{"manager": managers[0], "month": "2026-09", "target": 50_000.0}],
                  thresholds={"plan_fulfillment": [1.2, 0.9]}, weights={"conversion": 3, "avg_deal": 1},
                  alpha=0.01, min_n=50)
    text = json.loads(scenario_to_json(sc))
    text["overrides"] = {"Nobody Atall": 5.0}            # a manager this data does not have
    open_tab(at, "Scenarios")
    at.file_uploader(key="scenario_file").set_value(("a.json", json.dumps(text).encode(), "application/json")).run()
    assert not at.exception
    s = at.session_state
    assert s["period_month"] == "2026-09" and s["lang"] == "uk" and s["alpha"] == 0.01 and s["min_n"] == 50
    assert s["th_plan_fulfillment_green"] == pytest.approx(120.0)
    assert s["plan_edits"] == {(managers[0], "2026-09"): 50_000.0}
    assert any("Nobody Atall" in w.value for w in at.warning)   # listed, the rest applied
    at.switch_page("pages/overview.py").run()
    assert at.title[0].value == "Огляд"
    assert at.dataframe[0].value.set_index("Менеджер").loc[managers[0], "План"] == 50_000.0


def test_a_scenario_without_a_language_keeps_the_screens_language(at):
    """A hand-written scenario with no "language" switched a Russian screen to English (the field defaulted
    to "en"); a field not in the file changes nothing."""
    at.session_state["lang"] = "ru"
    at.run()
    at.session_state["plan_tabs"] = "Сценарии"
    at.run()
    text = {"name": "by hand", "alpha": 0.01}
    at.file_uploader(key="scenario_file").set_value(("b.json", json.dumps(text).encode(), "application/json")).run()
    assert not at.exception
    assert at.session_state["lang"] == "ru" and at.session_state["alpha"] == 0.01
    assert Scenario().language == ""


def open_tab(at, label):
    at.session_state["plan_tabs"] = label
    return at.run()


def test_every_tab_draws_when_opened(at):
    """Lazy tabs: each tab's content runs when it is open, and the forecast's date survives a tab switch."""
    assert at.data_editor and not at.exception
    for label in ["Who is green", "Forecast", "What-if: last year", "Score", "Scenarios", "Targets"]:
        open_tab(at, label)
        assert not at.exception, label
        assert at.session_state["plan_tabs"] == label
        if label == "Forecast":
            day = at.date_input(key="fc_as_of").value
            at.date_input(key="fc_as_of").set_value(day.replace(day=1)).run()
            assert not at.exception
            first = at.date_input(key="fc_as_of").value
            assert any("Projected" in " ".join(map(str, d.value.columns)) for d in at.dataframe)
    assert at.data_editor                                         # back on Targets: the grid again
    open_tab(at, "Forecast")
    assert at.date_input(key="fc_as_of").value == first


def test_scenario_round_trip_gives_identical_state():
    sc = Scenario(name="B", period={"kind": "quarter", "value": "2026-Q3"}, default_target=100.0,
                  overrides={"A": 5.0}, thresholds={"conversion": [0.3, 0.2]}, weights={"conversion": 1.0})
    back, problems = scenario_from_json(scenario_to_json(sc))
    assert problems == [] and back == sc


def test_thresholds_as_share_of_a_kpi_target(at):
    """Conversion judged as % of a team-wide target of 10%: green from 100% of it, amber from 80%."""
    at.switch_page("pages/overview.py").run()
    at.session_state["min_n"] = 1           # lights by value only (below min_n a light is "insufficient")
    at.session_state["kt_conversion"] = 0.10
    at.sidebar.segmented_control(key="thm_conversion").set_value("share").run()
    assert at.session_state["th_conversion_green"] == 100.0 and at.session_state["th_conversion_amber"] == 80.0
    lights = at.session_state["_ctx"].lights
    conv = lights[(lights["kpi"] == "conversion") & lights["manager"].notna()].set_index("manager")
    expect = conv["value"].map(lambda v: None if v != v else ("green" if v >= 0.10 else "amber" if v >= 0.08 else "red"))
    assert conv["light"].tolist() == expect.tolist()
    assert set(conv["light"].dropna()) >= {"green", "red"}


def test_kpi_targets_per_manager_win_over_the_team_target(at):
    at.number_input(key="kt_won").set_value(5.0).run()
    first = next(d for d in at.data_editor if d.key == "kpi_grid_editor").value["manager"].iloc[0]
    edit_grid(at, "kpi_grid_editor", {"0": {"won": 1.0}})
    assert at.session_state["kt_manager"] == {"won": {first: 1.0}}
    assert not any("Met" in d.value.columns for d in at.dataframe)   # lazy tabs: only the open one is drawn
    at.session_state["plan_tabs"] = "Who is green"
    at.run()
    assert at.session_state["kt_won"] == 5.0                      # kept while its tab is closed
    table = next(d.value for d in at.dataframe if "Met" in d.value.columns)
    won = table.set_index("Manager")
    assert won.loc[first, "Target"] == 1.0                      # own target
    others = won.drop(index=[first, "Team"])
    assert (others["Target"] == 5.0).all()                      # the team-wide one
    assert won.loc[first, "Met"] == ("✔" if won.loc[first, "Value"] >= 1.0 else "✘")
