"""Issue #14, per-run CPU: the traffic lights cached per data and settings (public data: one entry per process;
an upload's: its session's only), the Settings of a run reused when its inputs did not change, the warm-up
imports; and memory: a session's own frames are collected once the session has ended."""
from __future__ import annotations

import gc
import sys
import weakref
from pathlib import Path

import pytest
from streamlit.runtime.caching import clear_session_data_cache, clear_session_resource_cache
from streamlit.testing.v1 import AppTest

from metrics import kpi
from metrics.periods import quarter
from ui import state, warm

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SF = ROOT / "tests/fixtures/exports/salesforce_opportunity_report.csv"
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


def _end_session() -> None:
    """What Streamlit does when a session ends (``AppSession.clear_session_caches``); every AppTest has the
    same session id."""
    clear_session_data_cache("test session id")
    clear_session_resource_cache("test session id")


@pytest.fixture
def light_calls(monkeypatch):
    """Every computation of traffic lights in this test (the lights cache's misses)."""
    calls: list[int] = []
    real = kpi.traffic_lights

    def spy(**kw):
        calls.append(len(kw["scorecard"].managers))
        return real(**kw)
    monkeypatch.setattr(kpi, "traffic_lights", spy)
    from ui import context
    context.lights_of.clear_shared()
    _end_session()
    return calls


def _visit(**session) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in session.pop("query", {}).items():
        at.query_params[k] = v
    for k, v in session.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception
    return at


def _lights(at):
    return at.session_state["_ctx"].lights.sort_values(["manager", "kpi"], na_position="first") \
        .reset_index(drop=True)


def _light(at, manager: str, kpi_name: str) -> tuple:
    lt = at.session_state["_ctx"].lights
    row = lt[(lt["manager"] == manager) & (lt["kpi"] == kpi_name)].iloc[0]
    return row["value"], row["light"]


def test_visitors_of_the_sample_data_share_lights_only_with_the_same_period_and_targets(light_calls):
    first = _visit()
    assert len(light_calls) == 1
    again = _visit()
    assert len(light_calls) == 1                              # the same data and settings: not computed again
    assert _lights(again).equals(_lights(first))
    ru = _visit(lang="ru")
    assert len(light_calls) == 1                              # the lights hold no text: the same for every language
    assert _lights(ru).equals(_lights(first))
    assert set(_lights(ru)["light"].dropna()) <= {"green", "amber", "red", "insufficient"}

    other = _visit(query={"period": "2026-Q2"})
    assert len(light_calls) == 2                              # another period: its own lights
    ctx = other.session_state["_ctx"]
    assert ctx.period == quarter(2026, 2)
    assert not _lights(other)[["manager", "kpi", "value"]].equals(_lights(first)[["manager", "kpi", "value"]])

    m = first.session_state["_ctx"].scorecard.managers["manager"].iloc[0]
    revenue = float(first.session_state["_ctx"].scorecard.managers.set_index("manager").at[m, "revenue"])
    target = 4 * revenue                                       # a target four times the revenue: 25 %, red
    high = _visit(**{f"tgt::{m}": target})
    assert len(light_calls) == 3                              # another target: its own lights
    value, light = _light(high, m, "plan_fulfillment")
    assert value == pytest.approx(0.25) and light == "red"
    assert _light(first, m, "plan_fulfillment") != (value, light)


def test_an_upload_s_lights_never_enter_the_process_wide_cache(light_calls):
    deals = SF.read_bytes()

    def upload() -> AppTest:
        at = AppTest.from_file(APP, default_timeout=90)
        at.session_state["source"] = "upload"
        at.run()
        at.sidebar.file_uploader(key="uploads").set_value(("sf.csv", deals, "text/csv")).run()
        assert not at.exception and "sf.csv" in at.caption[0].value
        return at

    one = upload()
    n = len(light_calls)
    assert n >= 1
    _end_session()                     # the session ends: its session-scoped entries go
    two = upload()                     # the same bytes in a new session: computed again, nothing shared
    assert len(light_calls) == 2 * n
    assert _lights(two).equals(_lights(one))


def test_a_run_reuses_its_settings_only_while_the_inputs_are_the_same():
    at = _visit()
    before = at.session_state["_ctx"].settings
    at.run()
    assert at.session_state["_ctx"].settings is before         # nothing changed: the same Settings
    at.session_state["alpha"] = 0.1
    at.run()
    after = at.session_state["_ctx"].settings
    assert after is not before and after.alpha == 0.1 and before.alpha == 0.05


def test_same_inputs_compares_plans_by_identity_and_the_rest_by_value():
    import pandas as pd

    plans = pd.DataFrame({"manager": ["A"], "month": ["2026-01"], "target": [100.0]})
    a = {"plans": plans, "alpha": 0.05, "stages": {"Won": "won"}, "months": ["2026-01"]}
    assert state.same_inputs(a, {**a, "stages": {"Won": "won"}})
    assert not state.same_inputs(a, {**a, "plans": plans.copy()})         # a new frame is new input
    assert not state.same_inputs(a, {**a, "stages": {"Won": "lost"}})
    assert not state.same_inputs(a, {**a, "alpha": 0.1})
    assert not state.same_inputs(a, {**a, "months": ("2026-01",)})          # the type counts too
    assert not state.same_inputs(a, {k: v for k, v in a.items() if k != "alpha"})


def test_the_warm_up_imports_only_third_party_modules_once_per_process():
    assert all(not m.split(".")[0] in ("metrics", "ui", "report", "bench") for m in warm.MODULES)
    t = warm.start()
    assert warm.start() is t                                 # once per process
    t.join(60)
    assert not t.is_alive() and "scipy.stats" in sys.modules


def test_an_ended_upload_session_s_frames_are_collected():
    """Hand-checkable, not timing: weak references to the session's own frames die once the session and its
    session-scoped caches are gone — nothing process-wide (shared caches, module state, the warm-up) keeps
    them. The uploaded bytes stay in ``ui.keep`` for the browser's refresh, by design (bounded, 2 h)."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["source"] = "upload"
    at.run()
    at.sidebar.file_uploader(key="uploads").set_value(("sf.csv", SF.read_bytes(), "text/csv")).run()
    at.switch_page("pages/conversion.py").run()
    assert not at.exception
    ctx = at.session_state["_ctx"]
    refs = {"ctx": weakref.ref(ctx), "deals": weakref.ref(ctx.dataset.deals),
            "scorecard": weakref.ref(ctx.scorecard.managers), "lights": weakref.ref(ctx.lights)}
    del ctx
    gc.collect()
    assert all(r() is not None for r in refs.values())      # alive while the session is
    del at
    _end_session()
    gc.collect()
    assert {k: r() is None for k, r in refs.items()} == {k: True for k in refs}


def test_an_ended_sample_session_leaves_only_the_shared_public_data():
    at = _visit()
    ctx = at.session_state["_ctx"]
    own = {"ctx": weakref.ref(ctx), "scorecard": weakref.ref(ctx.scorecard.managers),
           "lights": weakref.ref(ctx.lights)}
    shared = weakref.ref(ctx.dataset.deals)        # parsed once per process, shared read-only (ui.state.shared_cache)
    del ctx, at
    _end_session()
    gc.collect()
    assert {k: r() is None for k, r in own.items()} == {k: True for k in own}
    assert shared() is not None


def test_multiprocessing_s_main_alias_follows_the_current_script_module(monkeypatch):
    """``import multiprocessing`` during a run aliases ``__mp_main__`` to that run's script module for good;
    the app moves the alias to the current ``__main__`` so no old run's globals stay referenced."""
    import types

    old_run = types.ModuleType("__main__")
    old_run.ctx = object()
    current = types.ModuleType("__main__")
    monkeypatch.setitem(sys.modules, "__mp_main__", old_run)
    monkeypatch.setitem(sys.modules, "__main__", current)
    state.unpin_script_module()
    assert sys.modules["__mp_main__"] is current
