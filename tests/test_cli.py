"""python -m metrics report: JSON contract, formats, one-line errors with exit code 2."""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
KEYS = ["manager", "leads", "won_of_leads", "conversion", "conversion_ci_low", "conversion_ci_high", "won",
        "revenue", "avg_deal", "activities", "calls", "meetings", "target", "plan_fulfillment", "customers_prev",
        "customers_retained", "retention_rate"]
# conversion within H days (issue #16), after the KPI keys
WITHIN_KEYS = ["conversion_h", "conversion_h_ci_low", "conversion_h_ci_high", "horizon_days", "leads_h_at_risk"]


def cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "metrics", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def files(tmp_path, tiny):
    deals, acts, plans = tiny
    out = {}
    for name, df in (("deals", deals), ("activities", acts), ("plans", plans)):
        p = tmp_path / f"{name}.csv"
        df.to_csv(p, index=False)
        out[name] = str(p)
    return out


def test_json_report_matches_hand_computation(files):
    r = cli("report", "--deals", files["deals"], "--activities", files["activities"], "--plans", files["plans"],
            "--start", "2025-01-01", "--end", "2025-01-31")
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["period"] == {"start": "2025-01-01", "end": "2025-01-31", "previous_start": "2024-12-01",
                             "previous_end": "2024-12-31"}
    assert [m["manager"] for m in rep["managers"]] == ["A", "B", "C", "D"]
    assert list(rep["managers"][0]) == KEYS + WITHIN_KEYS and list(rep["team"]) == KEYS + WITHIN_KEYS
    a = rep["managers"][0]
    assert (a["leads"], a["conversion"], a["revenue"], a["plan_fulfillment"], a["retention_rate"]) == (2, 0.5, 100.0, 0.1, 0.0)
    b = rep["managers"][1]
    assert b["target"] is None and b["plan_fulfillment"] is None and b["retention_rate"] is None
    assert rep["team"]["manager"] is None and rep["team"]["avg_deal"] == 250.0
    assert rep["data_quality"]["rows_read"] == 8 + 6 + 3 and rep["data_quality"]["rows_used"] == 17


def test_default_period_is_latest_complete_month(files):
    rep = json.loads(cli("report", "--deals", files["deals"]).stdout)
    assert rep["period"]["start"] == "2025-01-01"  # data ends 2025-02-01 → January is the last complete month


def test_csv_and_xlsx(files, tmp_path):
    r = cli("report", "--deals", files["deals"], "--start", "2025-01-01", "--end", "2025-01-31", "--format", "csv")
    lines = r.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("row,manager,leads") and len(lines) == 1 + 3 + 1
    out = tmp_path / "r.xlsx"
    r = cli("report", "--deals", files["deals"], "--format", "xlsx", "--out", str(out), "--start", "2025-01-01",
            "--end", "2025-01-31")
    assert r.returncode == 0, r.stderr
    sheet = pd.read_excel(out, sheet_name="kpis", engine="openpyxl")
    assert sheet["leads"].tolist() == [2, 1, 1, 4]


@pytest.mark.parametrize("args, needle", [
    (["report"], "--deals"),
    (["report", "--deals", "nope.csv"], "nope.csv: no such file"),
    (["report", "--deals", "{deals}", "--start", "2025-13-01", "--end", "2025-12-31"], "--start must be a date"),
    (["report", "--deals", "{deals}", "--start", "2025-01-01"], "--start and --end go together"),
    (["report", "--deals", "{deals}", "--format", "docx"], "invalid choice"),
    (["report", "--deals", "{deals}", "--format", "pdf"], "--format pdf needs --out"),
    (["report", "--deals", "{bad}"], "created_at"),
])
def test_bad_input_one_line_exit_2(files, tmp_path, args, needle):
    bad = tmp_path / "bad.csv"
    bad.write_text("deal_id,manager,client,created_at,closed_at,status,amount\n1,A,x,someday,,open,1\n")
    r = cli(*[a.format(deals=files["deals"], bad=bad) for a in args])
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert needle in r.stderr


def test_cohort_retention_matches_hand_check(files):
    """Won deals of the tiny data: x buys in Dec (B, C) and Jan (A); y in Dec; w in Jan; z in Feb.
    The data ends 2025-02-01, so January is the last complete month and z's February cohort is not shown.
    December cohort {x, y}: k=0 2/2, k=1 (January) x → 1/2; January cohort {w}: k=0 1/1."""
    rep = json.loads(cli("report", "--deals", files["deals"]).stdout)
    assert rep["cohort_retention"] == [
        {"cohort": "2024-12", "size": 2, "period_index": 0, "retained": 2, "rate": 1.0},
        {"cohort": "2024-12", "size": 2, "period_index": 1, "retained": 1, "rate": 0.5},
        {"cohort": "2025-01", "size": 1, "period_index": 0, "retained": 1, "rate": 1.0}]
    q = json.loads(cli("report", "--deals", files["deals"], "--cohort-freq", "quarter").stdout)
    # 2024Q4 cohort {x, y}; 2025Q1 is not complete → only k = 0 of 2024Q4
    assert q["cohort_retention"] == [{"cohort": "2024Q4", "size": 2, "period_index": 0, "retained": 2, "rate": 1.0}]


def test_scenario_file_applies_targets_period_and_settings(files, tmp_path):
    from metrics.planning import Scenario, scenario_to_json
    sc = Scenario(name="workshop", period={"kind": "month", "value": "2025-01"}, overrides={"B": 400.0, "Zed": 1.0},
                  plan_grid=[{"manager": "A", "month": "2025-01", "target": 500.0}], alpha=0.1)
    path = tmp_path / "scenario.json"
    path.write_text(scenario_to_json(sc))
    r = cli("report", "--deals", files["deals"], "--plans", files["plans"], "--scenario", str(path))
    assert r.returncode == 0, r.stderr
    assert "Zed" in r.stderr and r.stderr.startswith("warning: scenario.json")   # not applied, said so
    rep = json.loads(r.stdout)
    assert rep["period"]["start"] == "2025-01-01"
    m = {x["manager"]: x for x in rep["managers"]}
    assert m["A"]["target"] == 500.0 and m["A"]["plan_fulfillment"] == 0.2     # grid cell replaces the file's 1000
    assert m["B"]["target"] == 400.0 and m["B"]["plan_fulfillment"] == 1.0
    ci90 = m["A"]["conversion_ci_high"] - m["A"]["conversion_ci_low"]
    r95 = json.loads(cli("report", "--deals", files["deals"], "--start", "2025-01-01", "--end", "2025-01-31").stdout)
    a95 = r95["managers"][0]
    assert ci90 < a95["conversion_ci_high"] - a95["conversion_ci_low"]        # alpha 0.1 from the scenario


def test_conversion_within_h_in_the_report(files):
    # tiny January 2025 (tests/test_competing.py works it out by hand): at 90 days A 1/2, B 1, C and the
    # team unknown (C's lead is open and 17.4 days old); at 17 days the team 1/2, at 15.05 days 1/4
    rep = json.loads(cli("report", "--deals", files["deals"], "--start", "2025-01-01", "--end", "2025-01-31").stdout)
    by = {m["manager"]: m for m in rep["managers"]}
    assert rep["team"]["conversion_h"] is None and rep["team"]["horizon_days"] == 90
    assert rep["team"]["leads_h_at_risk"] == 1
    assert (by["A"]["conversion_h"], by["B"]["conversion_h"], by["C"]["conversion_h"]) == (0.5, 1.0, None)
    rep = json.loads(cli("report", "--deals", files["deals"], "--start", "2025-01-01", "--end", "2025-01-31",
                         "--horizon-days", "17").stdout)
    assert rep["team"]["conversion_h"] == 0.5 and rep["team"]["horizon_days"] == 17
    rep = json.loads(cli("report", "--deals", files["deals"], "--start", "2025-01-01", "--end", "2025-01-31",
                         "--horizon-days", "15.05").stdout)
    assert rep["team"]["conversion_h"] == 0.25 and rep["team"]["horizon_days"] == 15.05
    assert rep["coverage"]["calendar"] == "UA" and rep["coverage"]["data_end"] == "2025-02-01"
    for bad in (["--horizon-days", "0"], ["--calendar", "XX"]):
        r = cli("report", "--deals", files["deals"], *bad)
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1


def test_a_users_list_alone_is_refused_saying_what_it_looks_like(tmp_path):
    users = tmp_path / "employees.csv"
    users.write_text("employeeID,lastName,firstName,title,hireDate\n1,Davolio,Nancy,Sales Representative,1992-05-01\n"
                     "2,Fuller,Andrew,Vice President,1992-08-14\n3,Leverling,Janet,Sales Representative,1992-04-01\n")
    r = cli("report", "--deals", str(users))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.strip() == ("error: employees.csv looks like a users list (id → name: employeeID → firstName "
                                "lastName); give the deals / orders file with it")


REPORT_IMPORTS = ('scipy.stats', 'scipy.special', 'statsmodels.stats.proportion', 'holidays.countries.ukraine')


def _modules_seen_by_ingest(args: list[str], want=REPORT_IMPORTS) -> dict:
    """Run the CLI in a fresh interpreter with ``ingest`` replaced by a probe that waits (≤ 120 s) for the
    warm-up thread to load scipy.stats and holidays' calendar while "reading", and reports what it saw."""
    probe = (
        "import sys, json, time, threading\n"
        "import metrics.ingest\n"
        "seen = {}\n"
        "def probe(*a, **k):\n"
        "    seen['threads'] = [t.name for t in threading.enumerate()]\n"
        "    stop = time.monotonic() + 120\n"
        f"    want = {tuple(want)!r}\n"
        "    while seen['threads'].count('saleslens-cli-warm') and not all(m in sys.modules for m in want) "
        "and time.monotonic() < stop:\n"
        "        time.sleep(0.02)\n"
        "    seen['loaded'] = {m: m in sys.modules for m in want}\n"
        "    raise SystemExit(0)\n"
        "metrics.ingest.ingest = probe\n"
        "from metrics.cli import run\n"
        "try:\n"
        f"    run({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(seen))\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_report_imports_its_libraries_while_the_files_are_read(files):
    """Issue #17: scipy.stats (comparisons), scipy.special (KPI intervals), statsmodels' Newcombe interval
    and the holidays package's Ukrainian calendar load in the background thread while ``ingest`` runs (here
    a probe waiting for them), not in the main thread after it."""
    seen = _modules_seen_by_ingest(["report", "--deals", files["deals"], "--start", "2025-01-01",
                                    "--end", "2025-01-31"])
    assert "saleslens-cli-warm" in seen["threads"]
    assert all(seen["loaded"].values()), seen
    # with activities no warm-up: the modules would add to the read's memory peak (the largest inputs)
    seen = _modules_seen_by_ingest(["report", "--deals", files["deals"], "--activities", files["activities"]],
                                   want=("scipy.stats",))
    assert "saleslens-cli-warm" not in seen["threads"] and not seen["loaded"]["scipy.stats"], seen


def test_argument_errors_start_no_warm_up(files):
    """--start without --end: the one-line error before any import of the engine (no thread, no scipy)."""
    r = cli("report", "--deals", files["deals"], "--start", "2025-01-01")
    assert r.returncode == 2 and r.stderr.startswith("error:") and "--start and --end" in r.stderr
    probe = ("import sys, json, runpy, contextlib, io\n"
             f"sys.argv = ['metrics', 'report', '--deals', {files['deals']!r}, '--start', '2025-01-01']\n"
             "with contextlib.redirect_stderr(io.StringIO()):\n"
             "    try:\n        runpy.run_module('metrics', run_name='__main__', alter_sys=True)\n"
             "    except SystemExit:\n        pass\n"
             "import threading\n"
             "print(json.dumps([m in sys.modules for m in ('pandas', 'scipy', 'scipy.stats')]"
             " + [t.name for t in threading.enumerate() if t.name.startswith('saleslens')]))\n")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [False, False, False]
