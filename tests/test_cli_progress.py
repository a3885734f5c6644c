"""CLI progress: one line per step on stderr when stderr is a terminal, none with ``--quiet``, none when
stderr is a pipe (what every other CLI test and script reads stays clean)."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from metrics.cli import progress_printer

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["-m", "metrics", "report", "--deals", "sample_data/deals.csv", "--activities", "sample_data/activities.csv",
        "--plans", "sample_data/plans.csv", "--start", "2026-07-01", "--end", "2026-09-30"]


def run_with_terminal_stderr(*extra: str) -> tuple[bytes, str]:
    """Run the CLI with stderr on a pseudo-terminal and stdout on a pipe: (stdout bytes, stderr text)."""
    pty = pytest.importorskip("pty")
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, *ARGS, *extra], cwd=ROOT, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:                      # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    out = proc.stdout.read()
    proc.wait(timeout=300)
    os.close(master)
    assert proc.returncode == 0
    return out, b"".join(chunks).decode("utf-8", "replace")


def test_progress_on_a_terminal_names_every_step_and_leaves_stdout_alone():
    out, err = run_with_terminal_stderr()
    lines = [ln for ln in err.splitlines() if ln.strip()]
    steps = [ln.split("] ", 1)[1] for ln in lines]
    assert steps == ["reading deals.csv (1 of 3)", "reading activities.csv (2 of 3)", "reading plans.csv (3 of 3)",
                     "recognising columns: deals.csv (1 of 3)", "recognising columns: activities.csv (2 of 3)",
                     "recognising columns: plans.csv (3 of 3)",
                     "combining the files", "KPIs", "comparisons", "cohorts", "writing the json output"]
    assert out.startswith(b"{") and b"KPIs" not in out


def test_each_line_is_printed_before_its_step_runs(monkeypatch, tmp_path):
    """The bug of issue #17: the file line came only after the file was read. Here every read of a file's
    bytes and the KPI computation leave a marker in the same terminal stream: each progress line must come
    before its step's marker."""
    import metrics.report
    from metrics import cli

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    monkeypatch.setattr(sys, "stderr", tty)
    read_bytes, compute_kpis = Path.read_bytes, metrics.report.compute_kpis

    def spy_read(self):
        if self.name in ("deals.csv", "activities.csv", "plans.csv"):
            tty.write(f"<read {self.name}>\n")
        return read_bytes(self)

    def spy_kpis(**kw):
        tty.write("<kpis>\n")
        return compute_kpis(**kw)

    monkeypatch.setattr(Path, "read_bytes", spy_read)
    monkeypatch.setattr(metrics.report, "compute_kpis", spy_kpis)
    monkeypatch.chdir(ROOT)
    assert cli.main([*ARGS[2:], "--out", str(tmp_path / "r.json")]) == 0
    lines = [ln.split("] ", 1)[-1] for ln in tty.getvalue().splitlines()]
    assert lines[:9] == ["reading deals.csv (1 of 3)", "<read deals.csv>",
                         "reading activities.csv (2 of 3)", "<read activities.csv>",
                         "reading plans.csv (3 of 3)", "<read plans.csv>",
                         "recognising columns: deals.csv (1 of 3)", "recognising columns: activities.csv (2 of 3)",
                         "recognising columns: plans.csv (3 of 3)"]
    assert lines[9:12] == ["combining the files", "KPIs", "<kpis>"]
    assert lines[-1] == "writing the json output" and json.loads((tmp_path / "r.json").read_text())["team"]


def test_quiet_silences_the_progress_on_a_terminal():
    out, err = run_with_terminal_stderr("--quiet")
    assert err.strip() == "" and out.startswith(b"{")


def test_no_progress_when_stderr_is_not_a_terminal():
    r = subprocess.run([sys.executable, *ARGS], cwd=ROOT, capture_output=True)
    assert r.returncode == 0 and r.stderr == b""


def test_the_printer_is_off_for_a_pipe_and_with_quiet():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert progress_printer(quiet=False, stream=io.StringIO()) is None
    assert progress_printer(quiet=True, stream=Tty()) is None
    tty = Tty()
    show = progress_printer(quiet=False, stream=tty)
    show("read", i=2, n=5, name="a.csv")
    show("file", i=1, n=4, name="a.csv")
    show("no_such_step")                            # a step the CLI does not name prints nothing
    assert [ln.split("] ", 1)[1] for ln in tty.getvalue().splitlines()] == [
        "reading a.csv (2 of 5)", "recognising columns: a.csv (1 of 4)"]
