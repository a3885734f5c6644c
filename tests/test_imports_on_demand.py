"""Imports on demand (issue #17): the CLI and the app load scipy.stats, statsmodels and the planning,
comparison and cohort code only when a command or a page uses them — checked by which modules a fresh
interpreter holds (``sys.modules``), never by a clock. The packages' lazy re-exports give the same objects
as their modules."""
from __future__ import annotations

import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "scipy", "scipy.stats", "scipy.special", "statsmodels")
PACKAGES = ("metrics.kpi", "metrics.stats", "metrics.compare", "metrics.cohorts", "metrics.planning")


def loaded_after(code: str) -> dict[str, bool]:
    probe = f"import sys, json\n{code}\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY + PACKAGES!r}}}))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_importing_the_cli_loads_no_engine():
    got = loaded_after("import metrics.cli")
    assert not any(got[m] for m in (*HEAVY, *PACKAGES)), got


def test_the_kpis_need_no_scipy_stats_nor_statsmodels():
    got = loaded_after("from metrics import kpi\nkpi.compute_kpis\nkpi.monthly_aggregates")
    assert got["pandas"] and got["scipy.special"] and got["metrics.kpi"]
    assert not got["scipy.stats"] and not got["statsmodels"]


def test_importing_the_packages_loads_nothing_heavy_until_a_name_is_used():
    got = loaded_after("import metrics.planning, metrics.compare, metrics.cohorts, metrics.stats")
    assert not got["scipy"] and not got["pandas"]
    got = loaded_after("from metrics.planning import apply_plan_edits")      # what every app page uses
    assert got["pandas"] and not got["scipy.stats"]
    got = loaded_after("from metrics.compare import comparison_tests")
    assert got["scipy.stats"] and not got["statsmodels"]                    # statsmodels: when a fit runs


def test_the_app_modules_load_no_scipy_stats_nor_statsmodels():
    modules = sorted(p.stem for p in (ROOT / "ui").glob("*.py") if p.stem != "__init__")
    assert {"context", "sidebar", "compare_view", "planning_view", "views"} <= set(modules)
    got = loaded_after("import importlib, logging\nlogging.disable(logging.WARNING)\n"
                       + "".join(f"importlib.import_module('ui.{m}')\n" for m in modules))
    assert got["metrics.kpi"] and not got["scipy.stats"] and not got["statsmodels"]


@pytest.mark.parametrize("package", PACKAGES)
def test_lazy_re_exports_are_the_modules_own_objects(package):
    pkg = importlib.import_module(package)
    names = list(pkg.__all__) if package != "metrics.compare" else [n for n in dir(pkg) if not n.startswith("_")]
    assert len(names) >= 15
    listed = set(dir(pkg))
    for name in names:
        value = getattr(pkg, name)
        assert name in listed
        home = getattr(value, "__module__", None)
        if isinstance(home, str) and home.startswith(package + "."):
            assert getattr(importlib.import_module(home), name) is value
    with pytest.raises(AttributeError):
        getattr(pkg, "no_such_name")
    with pytest.raises(ImportError):
        exec(f"from {package} import no_such_name", {})


NEVER_FOR_HELP = ("pandas", "numpy", "scipy", "scipy.stats", "statsmodels", "metrics.planning", "metrics.compare",
                  "metrics.cohorts")


@pytest.mark.parametrize("argv", [["--help"], ["report", "--help"], ["report"]])
def test_help_and_argument_errors_load_no_engine(argv):
    """``python -m metrics --help`` (and an argument error) run exactly as from the shell, through runpy."""
    got = loaded_after("import runpy, contextlib, io\n"
                       f"sys.argv = ['metrics', *{argv!r}]\n"
                       "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
                       "    try:\n        runpy.run_module('metrics', run_name='__main__', alter_sys=True)\n"
                       "    except SystemExit as exc:\n        assert exc.code in (0, 2), exc.code\n")
    assert got["metrics.kpi"] is False and not any(got[m] for m in NEVER_FOR_HELP), got


def _page_imports(path: Path) -> str:
    import ast
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return "\n".join(ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)))


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "pages").glob("*.py")) + ["app.py"])
def test_a_pages_imports_load_no_scipy_stats_nor_statsmodels(page):
    """What each page imports at its top loads neither scipy.stats nor statsmodels; the planning code only for
    the Plan page, the comparison code only for the Compare page (its lazy package: scipy when a test runs)."""
    path = ROOT / ("pages" if page != "app.py" else "") / page
    got = loaded_after("import logging\nlogging.disable(logging.WARNING)\n" + _page_imports(path))
    assert not got["scipy.stats"] and not got["statsmodels"], got
    assert got["metrics.planning"] == (page == "plan.py") and got["metrics.compare"] == (page == "compare.py"), got


def test_the_overview_on_the_sample_data_loads_no_scipy_stats_nor_statsmodels():
    """The Overview's run itself imports neither (the first page stays quick); the warm-up that imports
    scipy.stats after the first page has drawn (ui/warm.py) is switched off here, and checked below."""
    got = loaded_after("import logging\nlogging.disable(logging.WARNING)\n"
                       "import ui.warm\nui.warm.start = lambda *a, **k: None\n"
                       "from streamlit.testing.v1 import AppTest\n"
                       "at = AppTest.from_file('app.py', default_timeout=120).run()\n"
                       "assert not at.exception, [e.value for e in at.exception]\n"
                       "assert [t.value for t in at.title] == ['Overview'] and len(at.metric) == 5, "
                       "([t.value for t in at.title], len(at.metric))\n")
    assert got["metrics.kpi"] and not got["scipy.stats"] and not got["statsmodels"], got


def test_after_the_first_page_the_warm_up_imports_scipy_stats_in_the_background():
    got = loaded_after("import logging\nlogging.disable(logging.WARNING)\n"
                       "from streamlit.testing.v1 import AppTest\n"
                       "at = AppTest.from_file('app.py', default_timeout=120).run()\n"
                       "assert not at.exception\n"
                       "import ui.warm\nui.warm.start().join(120)\n")
    assert got["scipy.stats"] and not got["statsmodels"], got
