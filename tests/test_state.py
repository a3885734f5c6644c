"""Issue #12: one truth for settings and state — the five findings as tests, the targets-in-effect rule,
the URL and the uploads kept for a refresh, errors contained in their part, no import cycle."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics.periods import month, quarter
from test_plan_page import edit_grid, open_tab

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ["overview", "conversion", "deal_size", "activity", "plan", "retention", "compare", "data"]
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


def export_app(**state) -> AppTest:
    """The app on the bundled Bitrix24 sample export (no plans file: the usual case for a real export)."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["source"] = "export"
    at.session_state["sample_export"] = "bitrix24"
    for k, v in state.items():
        at.session_state[k] = v
    return at.run()


def texts_of_tables(at) -> list[str]:
    return [str(v) for d in at.dataframe for col in d.value.columns for v in d.value[col].tolist()]


# ------------------------------------------------------------------------------------------ the engine rule
def test_targets_in_effect_rule_grid_beats_sidebar_beats_file_beats_default():
    from metrics.settings import targets_in_effect
    plans = pd.DataFrame({"manager": ["A", "A", "B"], "month": ["2026-09", "2026-10", "2026-10"],
                          "target": [100.0, 200.0, 300.0]})
    eff = targets_in_effect(plans=plans, months=["2026-09", "2026-10"], managers=["A", "B", "C"],
                            overrides={"B": 50.0}, edits={("A", "2026-10"): 7.0, ("B", "2026-10"): 8.0,
                                                          ("A", "2026-09"): None},
                            default_target=1.0, with_default=True)
    got = {(m, mo): (v, s) for m, mo, v, s in eff.itertuples(index=False)}
    assert got == {("A", "2026-09"): (100.0, "file"),          # a cleared cell falls back to the file
                   ("A", "2026-10"): (7.0, "grid"),            # the grid beats the file
                   ("B", "2026-09"): (50.0, "sidebar"),        # the sidebar beats the default
                   ("B", "2026-10"): (8.0, "grid"),            # the grid beats the sidebar and the file
                   ("C", "2026-09"): (1.0, "default"), ("C", "2026-10"): (1.0, "default")}
    assert list(eff.columns) == ["manager", "month", "target", "source"]
    assert plans["target"].tolist() == [100.0, 200.0, 300.0]   # not mutated


def test_settings_are_hashable_and_keys_derive_from_them():
    from metrics.settings import Settings, resolve
    a = resolve(period=month(2026, 10), plans=None, months=["2026-10"], default_target=5.0, overrides={"A": 3.0})
    b = resolve(period=month(2026, 10), plans=None, months=["2026-10"], default_target=5.0, overrides={"A": 3.0})
    c = resolve(period=month(2026, 10), plans=None, months=["2026-10"], default_target=5.0, overrides={"A": 4.0})
    assert a == b and hash(a) == hash(b) and a.key == b.key and a.target_key == b.target_key
    assert a != c and a.target_key != c.target_key
    assert a.part("alpha", "min_n") == (("alpha", 0.05), ("min_n", 30)) == c.part("alpha", "min_n")
    with pytest.raises(KeyError):
        a.part("nope")
    with pytest.raises(AttributeError):
        a.alpha = 0.1                                   # frozen
    tab = a.table(managers=["A", "B"], months=["2026-10"])
    assert tab.values.tolist() == [["A", "2026-10", 3.0, "sidebar"], ["B", "2026-10", 5.0, "default"]]
    assert Settings(period=quarter(2026, 3)).default_target is None


# ------------------------------------------------------------------------------------------ finding 1
def test_finding1_source_and_period_survive_language_and_page_switches():
    at = export_app(period_kind="quarter", period_quarter="2026-Q3")
    assert "bitrix24_deals.csv" in at.caption[0].value
    for lang in ("ru", "uk", "en"):
        at.sidebar.selectbox(key="lang").set_value(lang).run()
        for page in ("conversion", "plan", "overview"):
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, (lang, page)
            assert at.session_state["source"] == "export" and at.session_state["period_quarter"] == "2026-Q3"
            assert "bitrix24_deals.csv" in at.caption[0].value and "01.07.2026" in at.caption[0].value


def test_the_language_switch_re_pins_every_translated_choice():
    """The mechanism of finding 1: a choice widget travels as its shown label, so the language callback
    writes every translated choice back (the browser then holds the label in the new language)."""
    from ui import state
    at = export_app()
    lang = at.sidebar.selectbox(key="lang")
    assert lang.proto.id and at.session_state["source"] == "export"
    src = (ROOT / "ui" / "sidebar.py").read_text()
    assert "on_change=state.repin_choices" in src
    for name in ("source", "sample_export", "period_kind", "period_month", "adjust", "cmp_part", "coh_freq"):
        assert state.KEYS[name].choice, name
    assert state.declared("thm_conversion").choice and state.declared("stage::Won").choice


# ------------------------------------------------------------------------------------------ finding 2
@pytest.mark.parametrize("rule", ["percentile", "growth", "split", "same"])
def test_finding2_plan_rules_without_a_plans_file_do_not_crash(rule):
    at = export_app()
    at.switch_page("pages/plan.py").run()
    at.selectbox(key="rule_kind").set_value(rule).run()
    at.button(key="apply_rule").click().run()
    assert not at.exception, [e.value for e in at.exception]
    for page in PAGES:                                    # and no page is broken afterwards
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (rule, page, [e.value for e in at.exception])


def test_finding2_typing_then_deleting_a_grid_cell_keeps_the_app_up():
    at = export_app(default_target=100_000.0)
    at.switch_page("pages/plan.py").run()
    grid = at.data_editor[0].value
    month_col = [c for c in grid.columns if c[:2] == "20"][0]
    first = grid["manager"].iloc[0]
    edit_grid(at, "plan_grid_editor", {"0": {month_col: 5000.0}})
    assert not at.exception and at.session_state["plan_edits"] == {(first, month_col): 5000.0}
    assert at.data_editor[0].value.set_index("manager").at[first, month_col] == 5000.0
    edit_grid(at, "plan_grid_editor", {"0": {month_col: None}})
    assert not at.exception
    assert at.session_state["plan_edits"] == {}                     # a cleared cell is no edit ...
    assert at.data_editor[0].value.set_index("manager").at[first, month_col] == 100_000.0  # ... the default shows
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, [e.value for e in at.exception])


# ------------------------------------------------------------------------------------------ finding 3
def test_finding3_a_grid_edit_beats_the_sidebar_override_on_every_page():
    at = AppTest.from_file(APP, default_timeout=90)
    # October 2026, the default month before issue #16 (now September: October's leads are mostly open)
    at.session_state["period_month"] = "2026-10"
    at.run()
    first = at.session_state["_ctx"].scorecard.managers["manager"].iloc[0]
    at.session_state[f"tgt::{first}"] = 111_000.0                   # the per-manager sidebar target
    at.switch_page("pages/plan.py").run()
    row = list(at.data_editor[0].value["manager"]).index(first)
    assert at.data_editor[0].value.set_index("manager").at[first, "2026-10"] == 111_000.0  # the grid shows it
    edit_grid(at, "plan_grid_editor", {str(row): {"2026-10": 222_000.0}})
    assert not at.exception
    eff = next(d.value for d in at.dataframe if "Source" in d.value.columns).set_index("Manager")
    assert eff.loc[first, "Target"] == 222_000.0 and eff.loc[first, "Source"] == "Plan grid"
    assert at.session_state["_ctx"].scorecard.managers.set_index("manager").at[first, "target"] == 222_000.0
    open_tab(at, "Who is green")
    green = next(d.value for d in at.dataframe if "Plan fulfilment" in d.value.columns).set_index("Manager")
    assert green.loc[first, "Target"] == 222_000.0
    at.switch_page("pages/overview.py").run()
    assert at.dataframe[0].value.set_index("Manager").loc[first, "Target"] == 222_000.0


def test_finding3_compare_months_at_plan_uses_the_targets_in_effect():
    """Bitrix24 export: no plans file. With a default target the Compare page tests months at plan
    against it (it used the plans file alone: the part was not even offered)."""
    from ui.compare_view import parts_of
    at = export_app()
    assert "plan" not in parts_of(at.session_state["_ctx"])
    at = export_app(default_target=50_000.0)
    ctx = at.session_state["_ctx"]
    assert "plan" in parts_of(ctx)
    at.switch_page("pages/compare.py").run()
    at.session_state["cmp_part"] = "plan"
    at.run()
    assert not at.exception
    hits = next(d.value for d in at.dataframe if "Months" in " ".join(d.value.columns))
    people = ctx.scorecard.managers["manager"].tolist()
    assert set(hits["Manager"]) <= set(people) and len(hits) > 0


def test_finding3_sidebar_hint_shows_the_value_in_effect():
    at = export_app(default_target=70_000.0, exp_targets_managers=True)
    inputs = [w for w in at.sidebar.number_input if (w.key or "").startswith("tgt::")]
    assert inputs and all("70,000" in w.placeholder and "default" in w.placeholder for w in inputs)


# ------------------------------------------------------------------------------------------ finding 4
def test_finding4_the_url_carries_period_language_and_source():
    at = export_app(period_kind="quarter", period_quarter="2026-Q3")
    at.sidebar.selectbox(key="lang").set_value("uk").run()
    q = at.query_params
    assert q["period"] == "2026-Q3" and q["lang"] == "uk" and q["source"] == "export.bitrix24"
    fresh = AppTest.from_file(APP, default_timeout=90)           # a refresh: a new session with the URL
    fresh.query_params.update({"period": "2026-Q3", "lang": "uk", "source": "export.bitrix24"})
    fresh.run()
    assert not fresh.exception
    assert fresh.session_state["source"] == "export" and fresh.session_state["period_quarter"] == "2026-Q3"
    assert fresh.title[0].value == "Огляд" and "bitrix24_deals.csv" in fresh.caption[0].value
    assert "01.07.2026" in fresh.caption[0].value


def test_finding4_uploads_are_kept_for_the_same_browser_in_server_memory(tmp_path):
    deals = (ROOT / "tests/fixtures/exports/salesforce_opportunity_report.csv").read_bytes()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["source"] = "upload"
    at.run()
    at.sidebar.file_uploader(key="uploads").set_value(("sf.csv", deals, "text/csv")).run()
    assert not at.exception and "sf.csv" in at.caption[0].value
    browser = at.query_params["b"]
    assert len(browser) >= 16 and not list(tmp_path.iterdir())
    fresh = AppTest.from_file(APP, default_timeout=90)           # F5: same URL, new session, no upload
    fresh.query_params.update({"source": "upload", "b": browser})
    fresh.run()
    assert not fresh.exception and "sf.csv" in fresh.caption[0].value
    other = AppTest.from_file(APP, default_timeout=90)           # another browser gets nothing
    other.query_params.update({"source": "upload", "b": "x" * 24})
    other.run()
    assert "sf.csv" not in " ".join(c.value for c in other.caption)


def test_kept_uploads_expire_and_are_bounded():
    from ui.keep import Store
    s = Store(ttl=10, max_entries=2, max_bytes=10)
    s.put("a", [("a.csv", b"1234")], now=0)
    s.put("b", [("b.csv", b"1234")], now=1)
    assert s.get("a", now=2) == [("a.csv", b"1234")]           # a is now the most recent
    s.put("c", [("c.csv", b"12")], now=3)                      # over 10 bytes: the least recent (b) goes
    assert s.get("b", now=3) is None and len(s) == 2
    assert s.get("a", now=20) is None                          # TTL
    s.put("big", [("x", b"x" * 11)], now=21)
    assert s.get("big", now=21) is None                        # larger than the whole store: not kept


# ------------------------------------------------------------------------------------------ finding 5
def test_finding5_no_literal_none_and_the_grid_shows_the_default():
    at = export_app(default_target=90_000.0)
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        assert "None" not in texts_of_tables(at), page
    at.switch_page("pages/plan.py").run()
    grid = at.data_editor[0].value
    months = [c for c in grid.columns if c[:2] == "20"]
    assert (grid[months] == 90_000.0).all().all()              # the default is shown, not None


# ------------------------------------------------------------------------------------------ errors contained
def test_a_failing_part_shows_a_message_there_and_the_rest_works(monkeypatch):
    from ui import planning_view

    def boom(*a, **k):
        raise RuntimeError("broken on purpose")
    monkeypatch.setattr(planning_view, "score", boom)
    monkeypatch.delenv("SALESLENS_STRICT")                     # the app as users run it
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/plan.py").run()
    open_tab(at, "Score")
    assert not at.exception
    assert any("could not be shown" in e.value for e in at.error)
    open_tab(at, "Targets")
    assert not at.exception and at.data_editor
    at.switch_page("pages/overview.py").run()
    assert not at.exception and at.dataframe


def test_log_out_forgets_the_kept_uploads(monkeypatch):
    from test_auth import app, login
    from ui import keep
    deals = (ROOT / "tests/fixtures/exports/salesforce_opportunity_report.csv").read_bytes()
    at = login(app(monkeypatch), "hanna", "hanna-demo-pass")
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value(("sf.csv", deals, "text/csv")).run()
    browser = at.session_state["_browser"]
    assert keep.store().get(f"{browser}:hanna") == [("sf.csv", deals)]
    at.sidebar.button(key="logout_btn").click().run()
    assert keep.store().get(f"{browser}:hanna") is None


# ------------------------------------------------------------------------------------------ structure
def _imports(path: Path, package: str) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1] if node.level > 1 else base
                mod = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:
                    out |= {f"{mod}.{a.name}" for a in node.names}
                else:
                    out.add(mod)
            elif node.module and node.module.split(".")[0] in ("metrics", "ui"):
                out.add(node.module)
                out |= {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] in ("metrics", "ui")}
    return out


def test_no_import_cycle_in_ui_even_through_imports_inside_functions():
    """ui/ and what it imports, counting imports inside functions too (auth → planning_view → sidebar → auth
    was one: a log-out callback importing the views). metrics/ at module level: tests/test_structure.py."""
    mods = {}
    for top in ("ui",):
        for path in (ROOT / top).rglob("*.py"):
            rel = path.relative_to(ROOT).with_suffix("")
            name = ".".join(rel.parts[:-1] if rel.name == "__init__" else rel.parts)
            pkg = name if rel.name == "__init__" else ".".join(rel.parts[:-1])
            mods[name] = path, pkg
    graph = {m: {d for d in _imports(p, pkg) if d in mods and d != m} for m, (p, pkg) in mods.items()}
    state, stack, cycles = {}, [], []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                cycles.append(stack[stack.index(d):] + [d])
            elif d not in state:
                visit(d)
        stack.pop()
        state[m] = 2
    for m in sorted(graph):
        if m not in state:
            visit(m)
    # a package's __init__ re-exporting its own submodules (which import the package) is not a cycle
    packages = {m for m, (p, _) in mods.items() if p.name == "__init__.py"}
    real = [c for c in cycles if not any(x in packages and all(y == x or y.startswith(x + ".") for y in c)
                                         for x in c)]
    assert not real, real


def test_pages_read_nothing_from_session_state_directly():
    for path in sorted((ROOT / "pages").glob("*.py")):
        assert "session_state" not in path.read_text(), path.name


def test_the_sidebar_only_draws_widgets_and_auth_imports_no_view():
    sidebar = (ROOT / "ui" / "sidebar.py").read_text()
    assert "scorecard" not in sidebar and "period_targets" not in sidebar and "load_files" not in sidebar
    auth = _imports(ROOT / "ui" / "auth.py", "ui")
    assert not auth & {"ui.planning_view", "ui.compare_view", "ui.context", "ui.views", "ui.data_view", "ui.sidebar"}


def test_the_engine_never_imports_streamlit():
    for path in (ROOT / "metrics").rglob("*.py"):
        assert "import streamlit" not in path.read_text(), path
