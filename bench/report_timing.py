"""How long the workshop report takes to build (not a test: figures for the README).

    python -m bench.report_timing [--managers 200] [--repeat 3] [--big-repeat N]

* the sample data (11 managers), a quarter (Aug–Oct 2026): PDF and PPTX, in English and Russian;
* a team of about ``--managers`` managers (PDF and PPTX, English and Russian): the sample data's deals, activities and plans copied once per
  group of eleven with renamed managers and clients (same shape, more people), the same quarter.

Times the whole build from the loaded data (the KPIs, tests, cohorts, charts and the file), the way the
CLI and the app's button do it; loading the files is not counted. CPU counts this process, the chart
worker processes it started and the converter it keeps for the next report (``report.render.Pool``).
"""
from __future__ import annotations

import argparse
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def sample():
    from metrics.loading import load_paths
    s = ROOT / "sample_data"
    return load_paths(deals=[str(s / "deals.csv")], activities=[str(s / "activities.csv")], plans=[str(s / "plans.csv")])


def bigger(data, managers: int):
    """``data`` copied k times (k = managers / its managers, rounded up), managers and clients renamed."""
    base = data.deals["manager"].nunique()
    k = -(-managers // base)

    def copies(frame, cols):
        if frame is None:
            return None
        parts = []
        for i in range(k):
            part = frame.copy()
            for c in cols:
                if c in part:
                    part[c] = part[c].astype(str) + f" {i + 1:02d}"
            parts.append(part)
        return pd.concat(parts, ignore_index=True)

    deals = copies(data.deals, ["manager", "client", "deal_id"])
    return replace(data, deals=deals, activities=copies(data.activities, ["manager"]),
                   plans=copies(data.plans, ["manager"]), rows_read=data.rows_read * k, rows_used=data.rows_used * k)


def timed(fmt: str, data, lang: str, repeat: int) -> tuple[float, float, int, int]:
    """(median wall seconds of ``repeat`` runs, median CPU seconds — this process's threads plus the chart
    worker processes it started (``report.render``), so a loaded machine's waiting does not count —, file
    size, managers)."""
    import resource
    import statistics

    import report
    from metrics.periods import Period

    def children() -> float:
        """The finished child processes' CPU, plus the converter kept alive for the next report
        (``report.render.Pool``: not reaped, so not in RUSAGE_CHILDREN) read from /proc."""
        import os

        from report import render
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        kept = 0.0
        for h in list(render._IDLE):
            try:
                fields = Path(f"/proc/{h.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
                kept += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, ValueError, IndexError):
                pass
        return ru.ru_utime + ru.ru_stime + kept

    walls, cpus, size = [], [], 0
    for _ in range(repeat):
        t0, c0, k0 = time.perf_counter(), time.process_time(), children()
        blob = report.build(fmt, data=data, period=Period(date(2026, 8, 1), date(2026, 10, 31)),
                            options=report.Options(lang=lang, title="Bench"))
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0 + children() - k0)
        size = len(blob)
    return statistics.median(walls), statistics.median(cpus), size, data.deals["manager"].nunique()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.report_timing")
    ap.add_argument("--managers", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--big-repeat", type=int, default=None, help="runs of the big team (default: --repeat)")
    args = ap.parse_args(argv)
    import os
    data = sample()
    rows = []
    loads: list[float] = []
    import report
    report.build("pdf", data=data, period=__import__("metrics.periods", fromlist=["month"]).month(2026, 10),
                 options=report.Options())               # warm-up: the chart converter's first start (~1.5 s)
    for fmt in ("pdf", "pptx"):
        for lang in ("en", "ru"):
            rows.append(("sample", fmt, lang, *timed(fmt, data, lang, args.repeat)))
            loads.append(os.getloadavg()[0])
    big = bigger(data, args.managers)
    for fmt in ("pdf", "pptx"):
        for lang in ("en", "ru"):
            rows.append((f"{args.managers}", fmt, lang, *timed(fmt, big, lang, args.big_repeat or args.repeat)))
            loads.append(os.getloadavg()[0])
    print(f"load average (1 min) {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores; "
          f"median of {args.repeat} run(s), the big team {args.big_repeat or args.repeat}")
    print(f"{'data':>8} {'format':>6} {'lang':>4} {'managers':>8} {'wall s':>8} {'CPU s':>8} {'MB':>6}")
    for name, fmt, lang, sec, cpu, size, n in rows:
        print(f"{name:>8} {fmt:>6} {lang:>4} {n:>8} {sec:>8.2f} {cpu:>8.2f} {size / 1e6:>6.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
