"""bench.cases (issue #17) run small: the deals-alone case's KPIs equal DuckDB's, the XLSX and HTML .xls hold
the CSV's deals (and read to the same KPIs), the import-time figure is parsed. Figures are never asserted."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("duckdb")
pytest.importorskip("xlsxwriter")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    data = tmp_path_factory.mktemp("cases")
    r = subprocess.run([sys.executable, "-m", "bench.cases", "--alone", "2k", "--workbooks", "1k", "--repeat", "1",
                        "--data", str(data), "--out", str(data / "out")], cwd=ROOT, capture_output=True, text=True,
                       timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return data, json.loads((data / "out" / "cases.json").read_text()), (data / "out" / "cases.md").read_text()


def test_the_deals_alone_case_checks_the_cli_against_duckdb(small):
    _, res, md = small
    a = res["alone"]
    assert a["check"].startswith("equal (") and a["size"] == "2k"
    assert len(a["cli"]) == len(a["duck"]) == len(a["ratio"]) == 1
    assert a["median"]["ratio"] == pytest.approx(a["cli"][0]["wall"] / a["duck"][0]["wall"])
    assert "deals export alone (2k" in md and "≤ 1.5×" in md


def test_the_workbooks_hold_the_csvs_deals(small):
    data, res, _ = small
    for key in ("xlsx", "html"):
        r = res[key]
        assert r["rows"] == 1000 and r["check"].startswith("equal to the CSV's") and "1,000 deals" in r["check"]
        assert r["median"]["mb_per_s"] == pytest.approx(r["bytes"] / 1e6 / r["median"]["seconds"])
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(data / "1k" / "workbooks" / "deals.xlsx")).get_sheet_by_index(0).to_python()
    assert len(rows) == 1001 and rows[0][0] == "ID" and isinstance(rows[1][0], (int, float))
    html = (data / "1k" / "workbooks" / "deals.xls").read_text(encoding="utf-8")
    assert html.count("<tr>") == 1001 and html.startswith("<html>")
    first_csv_id = (data / "1k" / "bitrix" / "deals.csv").read_text(encoding="utf-8-sig").splitlines()[1].split(";")[0]
    assert int(rows[1][0]) == int(first_csv_id.strip('"')) and f"<td>{first_csv_id.strip(chr(34))}</td>" in html


def test_the_import_figures_are_read(small):
    _, res, md = small
    m = res["imports"]["median"]
    assert 0 < m["importtime"] and set(m) == {"importtime", "python -c pass", 'python -c "import metrics.cli"',
                                              "python -m metrics --help"}
    assert 'cumulative for `metrics.cli`' in md


def test_commands_prints_what_to_time(small):
    data, _, _ = small
    r = subprocess.run([sys.executable, "-m", "bench.cases", "--alone", "2k", "--workbooks", "1k", "--commands",
                        "--data", str(data)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert any("-m metrics report --deals" in ln and "/2k/bitrix/deals.csv" in ln and "--activities" not in ln
               for ln in lines)
    duck = next(ln for ln in lines if ln.startswith("alone, DuckDB:")).split()[-1]
    script = Path(duck).read_text()
    assert "import duckdb" in script and "metrics" not in script.split("stmts =")[0]
