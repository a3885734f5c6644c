"""Shared fixtures: tiny hand-made frames, the AppTest legacy-pages pin, cache clearing."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from metrics.schema import standardize_activities, standardize_deals, standardize_plans  # noqa: E402


@pytest.fixture
def tiny():
    """Eight deals, six activities, three plan rows; the expected KPIs are worked out in test_kpi.py."""
    deals = standardize_deals(pd.DataFrame(
        [("1", "A", "x", "2025-01-05 10:00", "2025-01-20 12:00", "won", "100"),
         ("2", "A", "y", "2025-01-10", "2025-01-25", "lost", "50"),
         ("3", "B", "x", "2024-12-20", "2024-12-28", "won", "200"),
         ("4", "B", "z", "2025-01-31 23:59:59", "2025-02-01 09:00", "won", "300"),
         ("5", "B", "w", "2024-12-01", "2025-01-01 00:00", "won", "400"),
         ("6", "C", "q", "2025-01-15", "2025-01-30", "open", "999"),
         ("7", "A", "y", "2024-11-10", "2024-12-05", "won", "70"),
         ("8", "C", "x", "2024-12-02", "2024-12-30", "won", "10")],
        columns=["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount"]), file="tiny")
    acts = standardize_activities(pd.DataFrame(
        [("a1", "A", "call", "2025-01-06 09:00", "true"), ("a2", "A", "meeting", "2025-01-07", "yes"),
         ("a3", "A", "call", "2025-01-08", "false"), ("a4", "A", "email", "2025-01-09", "1"),
         ("a5", "D", "call", "2025-01-10", "1"), ("a6", "B", "call", "2024-12-31", "0")],
        columns=["activity_id", "manager", "type", "at", "done"]), file="tiny")
    plans = standardize_plans(pd.DataFrame(
        [("A", "2025-01", "1000"), ("A", "2025-02", "2800"), ("C", "2024-12", "500")],
        columns=["manager", "month", "target"]), file="tiny")
    return deals, acts, plans


@pytest.fixture(autouse=True)
def _state_db(tmp_path, monkeypatch):
    """Each test gets its own auth store (sessions, failed-log-in counters, audit log; ui/store.py)."""
    path = tmp_path / "state" / "auth.db"
    monkeypatch.setenv("SALESLENS_STATE_DB", str(path))
    return path


@pytest.fixture(autouse=True)
def _strict_parts(monkeypatch):
    """ui.guard.part re-raises under test: a broken part must fail its test, not hide behind a message."""
    monkeypatch.setenv("SALESLENS_STRICT", "1")


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """Streamlit caches are process-global: clear them so tests do not see each other's data."""
    yield
    st = sys.modules.get("streamlit")
    if st is not None:
        st.cache_data.clear()
        st.cache_resource.clear()


@pytest.fixture
def data_end_calls(monkeypatch):
    """``data_end_calls()`` puts a spy on ``metrics.periods.data_end`` from then on and returns the list it
    appends one item to per call (the data's end still computed by the real function)."""
    from metrics import periods

    def install() -> list[int]:
        calls: list[int] = []
        real = periods.data_end

        def spy(**kw):
            calls.append(1)
            return real(**kw)
        monkeypatch.setattr(periods, "data_end", spy)
        return calls
    return install


@pytest.fixture
def no_legacy_pages_dir(monkeypatch):
    """AppTest resets the process-wide 'uses pages/ directory' flag; pin it off (notes §1)."""
    from streamlit.runtime.pages_manager import PagesManager
    orig = PagesManager.__init__

    def init(self, *a, **kw):
        orig(self, *a, **kw)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def pytest_sessionfinish(session, exitstatus):
    """With CI=true a skipped browser test is a failure (the brief: it must run in CI)."""
    if os.environ.get("CI", "").lower() not in ("1", "true", "yes"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = [r for r in (reporter.stats.get("skipped", []) if reporter else [])
               if "test_e2e" in getattr(r, "nodeid", "") or "e2e" in getattr(r, "keywords", {})]
    if skipped:
        reporter.write_line(f"CI=true: {len(skipped)} browser test(s) were skipped — failing the run", red=True)
        session.exitstatus = 1
