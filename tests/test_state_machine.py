"""A hypothesis state machine over AppTest (issue #12): random sequences of setting changes — the default
target, per-manager targets, plan-grid edits, a scenario loaded, thresholds, α, the period, page switches,
the language — and after each step every page shows the same targets and KPIs, and they equal
``python -m metrics report --scenario`` (``metrics.cli.main`` in-process) with the scenario saved then."""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings as hsettings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from streamlit.testing.v1 import AppTest

from metrics import cli
from metrics.planning import dataset_fingerprint, scenario_to_json, Scenario
from metrics.loading import load_paths
from test_plan_page import edit_grid
from ui.catalogues import TEXTS

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
FILES = {k: str(ROOT / "sample_data" / f"{k}.csv") for k in ("deals", "activities", "plans")}
DATA = load_paths(deals=[FILES["deals"]], activities=[FILES["activities"]], plans=[FILES["plans"]])
MANAGERS = sorted(set(DATA.deals["manager"]))
FINGERPRINT = dataset_fingerprint(deals=DATA.deals)
LANGS = ["en", "ru", "uk"]
TARGETS = st.sampled_from([None, 0.0, 150_000.0, 420_000.0])
PERIODS = st.sampled_from([("month", "2026-10"), ("month", "2026-08"), ("quarter", "2026-Q3")])
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("no_legacy_pages_dir")]


def text(key: str, lang: str) -> str:
    return TEXTS[key][LANGS.index(lang)]


def cli_report(scenario: Scenario) -> dict:
    """``python -m metrics report --scenario`` in-process, on the sample data."""
    with tempfile.TemporaryDirectory() as tmp:
        path, out = Path(tmp) / "s.json", Path(tmp) / "report.json"
        path.write_text(scenario_to_json(scenario), encoding="utf-8")
        code = cli.main(["report", "--deals", FILES["deals"], "--activities", FILES["activities"],
                         "--plans", FILES["plans"], "--scenario", str(path), "--out", str(out)])
        assert code == 0
        return json.loads(out.read_text(encoding="utf-8"))


def close(a, b) -> bool:
    if a is None or b is None or a != a or b != b:
        return (a is None or a != a) and (b is None or b != b)
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))


class Workshop(RuleBasedStateMachine):
    """A head of sales clicking through the app in a workshop."""

    @initialize()
    def start(self):
        self.at = AppTest.from_file(APP, default_timeout=120).run()
        assert not self.at.exception

    def run_page(self, page: str):
        self.at.switch_page(f"pages/{page}.py").run()
        assert not self.at.exception, (page, [e.value for e in self.at.exception])

    @property
    def lang(self) -> str:
        return self.at.session_state["lang"]

    # ------------------------------------------------------------------------------------- the settings
    @rule(value=TARGETS)
    def default_target(self, value):
        self.at.session_state["default_target"] = value or 0.0
        self.at.run()

    @rule(who=st.sampled_from(MANAGERS), value=TARGETS)
    def override(self, who, value):
        self.at.session_state[f"tgt::{who}"] = value
        self.at.run()

    @rule(row=st.integers(0, 3), value=TARGETS)
    def grid_edit(self, row, value):
        self.run_page("plan")
        self.at.session_state["plan_tabs"] = text("plan.tab.targets", self.lang)
        self.at.run()
        grid = self.at.data_editor[0].value
        months = [c for c in grid.columns if c[:2] == "20"]
        if row < len(grid):
            edit_grid(self.at, "plan_grid_editor", {str(row): {months[0]: value}})
            assert not self.at.exception

    @rule(who=st.sampled_from(MANAGERS), value=TARGETS, default=TARGETS, alpha=st.sampled_from([0.01, 0.05, 0.1]),
          period=PERIODS)
    def load_scenario(self, who, value, default, alpha, period):
        kind, v = period
        sc = Scenario(name="random", fingerprint=FINGERPRINT, language=self.lang,
                      period={"kind": kind, "value": v}, default_target=default,
                      overrides={who: value} if value is not None else {},
                      plan_grid=[{"manager": MANAGERS[0], "month": "2026-09", "target": 123_000.0}],
                      thresholds={"plan_fulfillment": [1.1, 0.9]}, alpha=alpha, source="sample")
        self.run_page("plan")
        self.at.session_state["plan_tabs"] = text("plan.tab.scenarios", self.lang)
        self.at.run()
        self.at.file_uploader(key="scenario_file").set_value(
            ("s.json", scenario_to_json(sc).encode(), "application/json")).run()
        assert not self.at.exception

    @rule(green=st.sampled_from([90.0, 100.0, 120.0]), amber=st.sampled_from([50.0, 80.0]))
    def thresholds(self, green, amber):
        self.at.session_state["th_plan_fulfillment_green"] = green
        self.at.session_state["th_plan_fulfillment_amber"] = amber
        self.at.run()

    @rule(alpha=st.sampled_from([0.01, 0.05, 0.1]))
    def alpha(self, alpha):
        self.at.session_state["alpha"] = alpha
        self.at.run()

    @rule(period=PERIODS)
    def period(self, period):
        kind, v = period
        self.at.session_state["period_kind"] = kind
        self.at.session_state[f"period_{kind}"] = v
        self.at.run()

    @rule(page=st.sampled_from(["overview", "conversion", "deal_size", "activity", "plan", "retention",
                                "compare", "data"]))
    def page(self, page):
        self.run_page(page)

    @rule(lang=st.sampled_from(LANGS))
    def language(self, lang):
        self.at.session_state["lang"] = lang
        self.at.run()

    # ------------------------------------------------------------------------------------- the invariant
    @invariant()
    def every_page_and_the_cli_agree(self):
        if not hasattr(self, "at"):
            return
        from ui.planning_view import scenario_of
        at, lang = self.at, self.lang
        ctx = at.session_state["_ctx"]
        app = ctx.scorecard.managers.set_index("manager")
        # the CLI with the scenario saved now
        rep = cli_report(scenario_of(ctx.settings, name="now", fingerprint=FINGERPRINT, language=lang,
                                     source="sample"))
        cli_rows = {r["manager"]: r for r in rep["managers"]}
        assert set(cli_rows) == set(app.index)
        for m, r in cli_rows.items():
            for k in ("target", "plan_fulfillment", "revenue", "conversion", "conversion_ci_low", "avg_deal",
                      "activities_per_day", "retention_rate"):
                if k in r:
                    assert close(r[k], app.at[m, k]), (m, k, r[k], app.at[m, k])
        assert close(rep["team"]["target"], ctx.scorecard.team["target"].iloc[0])
        # Overview: the scorecard table
        self.run_page("overview")
        shown = at.dataframe[0].value.set_index(text("col.manager", lang))
        for m in app.index:
            assert close(shown.at[m, text("col.target", lang)], app.at[m, "target"]), m
            assert close(shown.at[m, text("col.plan_fulfillment", lang)], app.at[m, "plan_fulfillment"]), m
        # Plan: the targets in effect (pro-rated over the period's months) and "who is green"
        self.run_page("plan")
        at.session_state["plan_tabs"] = text("plan.tab.targets", lang)
        at.run()
        eff = next(d.value for d in at.dataframe if text("col.source", lang) in d.value.columns)
        share = dict(zip(ctx.period.month_overlaps()["month"], ctx.period.month_overlaps()["share"]))
        per = {}
        for m, mo, v in zip(eff[text("col.manager", lang)], eff[text("col.month", lang)], eff[text("col.target", lang)]):
            per[m] = per.get(m, 0.0) + v * share[mo]
        for m in app.index:
            assert close(per.get(m), app.at[m, "target"]), (m, per.get(m), app.at[m, "target"])
        at.session_state["plan_tabs"] = text("plan.tab.green", lang)
        at.run()
        green = next(d.value for d in at.dataframe if text("col.plan_fulfillment", lang) in d.value.columns)
        green = green.set_index(text("col.manager", lang))
        for m in app.index:
            assert close(green.at[m, text("col.target", lang)], app.at[m, "target"]), m
        # Compare: the conversion tests (p adjusted, n) equal the CLI's
        self.run_page("compare")
        at.session_state["cmp_tabs"] = text("compare.tab.team", lang)
        at.session_state["cmp_part"] = "conversion"
        at.run()
        table = next(d.value for d in at.dataframe if text("col.p_adjusted", lang) in d.value.columns)
        table = table.set_index(text("col.manager", lang))
        for r in rep["tests"]["conversion"]["vs_team"]:
            assert close(table.at[r["manager"], text("col.p_adjusted", lang)], r["p_adjusted"]), r["manager"]


Workshop.TestCase.settings = hsettings(
    max_examples=int(os.environ.get("SALESLENS_STATEFUL_EXAMPLES", 8)),
    stateful_step_count=int(os.environ.get("SALESLENS_STATEFUL_STEPS", 6)),
    deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
test_workshop_state_machine = Workshop.TestCase
