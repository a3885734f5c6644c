"""Uploads that cannot take the server down (issue #14 items 3 and 7): every hostile file is generated here
(never committed), ends with its own message — in the importer, in the CLI (exit 2, one line) and through
the uploader, while another session keeps working. Measured at 3fe8092: the wide CSV ran past 180 s, the
zip bomb past 300 s, the colspans grew to 5.3 GB, the far cell to 6.8 GB, 10,000 managers → MemoryError,
a deep or 5,000-digit scenario → traceback (exit 1)."""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import hostile_files as hf
from metrics import limits
from metrics.errors import DataError
from metrics.importers import read_export
from metrics.planning import scenario_from_json

ROOT = Path(__file__).resolve().parents[1]

#: file → (generator, error code, words the one-line message must hold)
HOSTILE = {
    "wide.csv": (hf.wide_csv, "too_many_columns", ["100,000 columns", "2,000", "SALESLENS_MAX_COLUMNS"]),
    "bomb.xlsx": (hf.zip_bomb_xlsx, "archive_too_large", ["unpacks to 2.8 GB", "1.0 GB", "SALESLENS_MAX_UNPACKED_MB"]),
    "far.xlsx": (hf.far_cell_xlsx, "sheet_too_large", ["A1:XFD1048576", "1,048,576 × 16,384", "2,000 columns"]),
    "spans.xls": (hf.colspan_html, "html_too_complex", ["colspan is 10000000", "1,000", "SALESLENS_MAX_SPAN"]),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    data = {}
    for name, (make, _, _) in HOSTILE.items():
        data[name] = make()
        (folder / name).write_bytes(data[name])
    return folder, data


def cli(*args, env=None, limit_memory: int | None = None, timeout: float = 300):
    import os
    def cap():
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))
    return subprocess.run([sys.executable, "-m", "metrics", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, preexec_fn=cap, timeout=timeout)


def one_line_error(r, name: str) -> str:
    assert r.returncode == 2, (r.returncode, r.stderr[-2000:])
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {name}:"), r.stderr[-2000:]
    return lines[0]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_refused_before_parsing_with_the_limit_named(hostile, name):
    _, data = hostile
    _, code, words = HOSTILE[name]
    with pytest.raises(DataError) as e:
        read_export(name, data[name])
    assert e.value.code == code
    for w in words:
        assert w in str(e.value), (w, str(e.value))


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_in_the_cli_is_one_line_exit_2(hostile, name):
    folder, _ = hostile
    line = one_line_error(cli("report", "--deals", str(folder / name)), name)
    for w in HOSTILE[name][2]:
        assert w in line


def test_zip_bomb_past_the_size_checks_is_stopped_by_the_time_budget(hostile, monkeypatch):
    """With the size limits lifted, the worker parses the bomb and is killed at the time budget."""
    _, data = hostile
    monkeypatch.setenv("SALESLENS_MAX_UNPACKED_MB", "100000")
    monkeypatch.setenv("SALESLENS_MAX_RATIO", "1000000")
    monkeypatch.setenv("SALESLENS_PARSE_SECONDS", "3")
    with pytest.raises(DataError) as e:
        read_export("bomb.xlsx", data["bomb.xlsx"])
    assert e.value.code == "parse_timeout" and "3 s" in str(e.value) and "SALESLENS_PARSE_SECONDS" in str(e.value)


def test_far_cell_without_a_declared_dimension_is_stopped_by_the_memory_budget(monkeypatch):
    monkeypatch.setenv("SALESLENS_PARSE_MEMORY_MB", "400")
    with pytest.raises(DataError) as e:
        read_export("far.xlsx", hf.far_cell_xlsx(dimension=False))
    assert e.value.code == "parse_memory" and "400 MB" in str(e.value)


def test_a_normal_xlsx_still_reads_in_the_worker():
    f = read_export("ok.xlsx", hf._workbook())
    assert f.frame["manager"].tolist() == ["Anna"] and f.frame["amount"].tolist() == [100.0]


def test_limits_follow_the_environment(monkeypatch):
    data = b"deal_id,manager,created_at,amount,x\n1,A,2025-01-01,5,y\n"
    assert read_export("ok.csv", data).frame["manager"].tolist() == ["A"]
    monkeypatch.setenv("SALESLENS_MAX_COLUMNS", "4")
    assert limits.current().max_columns == 4
    with pytest.raises(DataError) as e:
        read_export("ok.csv", data)
    assert e.value.code == "too_many_columns" and e.value.params["value"] == 5
    monkeypatch.setenv("SALESLENS_MAX_COLUMNS", "not a number")
    assert limits.current().max_columns == limits.Limits().max_columns


def test_ten_thousand_managers_end_in_a_report_not_memory_error(tmp_path):
    """The omnibus Monte Carlo test allocated resamples × managers at once (MemoryError, 29.8 GiB)."""
    path = tmp_path / "many.csv"
    path.write_bytes(hf.many_managers_csv())
    r = cli("report", "--deals", str(path), "--out", str(tmp_path / "r.json"), limit_memory=4 << 30)
    assert r.returncode == 0, r.stderr[-2000:]
    report = json.loads((tmp_path / "r.json").read_text())
    assert len(report["managers"]) > 3_000  # (the managers with deals in the default month: ~5,500)


def test_monte_carlo_omnibus_memory_is_bounded():
    """1,000 managers with small expected counts: the resampled tables took 3.2 GB at once."""
    from metrics.stats import homogeneity_test
    rng = np.random.default_rng(0)
    n = rng.integers(1, 6, 1000)
    k = rng.binomial(n, 0.3)
    tracemalloc.start()
    with pytest.warns(Warning):
        r = homogeneity_test(np.column_stack([k, n - k]), seed=0)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert r["test"] == "fisher_freeman_halton_mc" and 0 < r["p_value"] <= 1
    assert "10000 resamples" in r["note"]
    assert peak < 600 << 20, peak


def test_monte_carlo_small_tables_keep_scipys_exact_stream():
    import scipy.stats as st
    from metrics.stats import homogeneity_test
    table = np.array([[1, 2], [3, 0], [0, 4], [2, 2]])
    with pytest.warns(Warning):
        r = homogeneity_test(table, seed=7, n_resamples=5_000)
    ref = st.fisher_exact(table, method=st.MonteCarloMethod(n_resamples=5_000, rng=np.random.default_rng(7)))
    assert r["p_value"] == ref.pvalue


# --------------------------------------------------------------------------------------------------
# Scenario files
# --------------------------------------------------------------------------------------------------

SCENARIOS = {
    "deep.json": ('{"overrides": ' + "[" * 100_000 + "]" * 100_000 + "}", "scenario_too_deep", "100001 levels"),
    "digits.json": ('{"default_target": ' + "9" * 5000 + "}", "scenario_bad_number", "5000 digits"),
    "huge.json": (json.dumps({"plan_grid": [{"manager": "x", "month": "bad", "target": 1}] * 100_000}),
                  "scenario_too_large", "SALESLENS_MAX_SCENARIO_KB"),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_hostile_scenario_is_one_clear_message(name, tmp_path):
    text, code, words = SCENARIOS[name]
    with pytest.raises(DataError) as e:
        scenario_from_json(text.encode())
    assert e.value.code == code and words in str(e.value)
    path = tmp_path / name
    path.write_text(text)
    r = cli("report", "--deals", str(ROOT / "sample_data" / "deals.csv"), "--scenario", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert words in r.stderr


def test_many_scenario_problems_are_counted_not_listed():
    text = json.dumps({"plan_grid": [{"manager": "x", "month": "bad", "target": 1}] * 500})
    _, problems = scenario_from_json(text)
    assert len(problems) == 21 and problems[-1] == "… and 480 more problems like these"


# --------------------------------------------------------------------------------------------------
# Through the uploader, while another session keeps working
# --------------------------------------------------------------------------------------------------

def _session():
    from streamlit.testing.v1 import AppTest
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)


@pytest.mark.usefixtures("no_legacy_pages_dir")
def test_hostile_uploads_show_their_message_while_another_session_works(hostile):
    _, data = hostile
    a = _session().run()
    a.sidebar.radio(key="source").set_value("upload").run()
    a.sidebar.file_uploader(key="uploads").set_value(
        [("ok.csv", (ROOT / "sample_data" / "exports" / "pipedrive_deals.csv").read_bytes(), "text/csv")]).run()
    leads = a.dataframe[0].value.set_index("Manager").loc["Team", "Leads"]
    for name, (_, code, words) in HOSTILE.items():
        b = _session()
        with ThreadPoolExecutor(2) as pool:  # the other visitor's first page while this upload is refused
            other = pool.submit(b.run)
            a.sidebar.file_uploader(key="uploads").set_value([(name, data[name], "application/octet-stream")]).run()
            other.result()
        assert not a.exception and not b.exception
        msg = a.sidebar.error[0].value
        assert msg.startswith(f"{name}:") and words[-1] in msg, msg
        assert a.dataframe[0].value.set_index("Manager").loc["Team", "Leads"] == leads  # what was loaded stays
        assert len(b.dataframe) and "Team" in set(b.dataframe[0].value["Manager"])
