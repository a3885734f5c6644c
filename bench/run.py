"""SalesLens vs DuckDB: read, standardise, KPIs, comparisons, cohorts, the CLI as a process, the app.

    python -m bench.run [--sizes 10k,100k,1M] [--repeat 3] [--out bench/out] [--data DIR]
                        [--skip-app] [--app-repeat 3] [--engine-root DIR]

Generates (or reuses) the exports of every size (``bench.generate``, in a temp folder unless ``--data``),
then per size, each in a fresh process:

* in-process stages, ``--repeat`` times (``bench.inproc``): the Bitrix24-style file through the importer
  (``read_export`` ×3 + ``combine``) and the five KPIs of a quarter (``compute_kpis``); the canonical
  files through ``metrics.loading`` and the KPIs; ``metrics.compare.comparison_tests``;
  ``metrics.cohorts.cohort_retention_report``; DuckDB in-process doing the same read, parsing and KPI
  aggregates on both dialects. Our KPIs must equal DuckDB's (checked on the first run of every size;
  a difference stops the benchmark with exit code 3).
* processes, ``--repeat`` times: ``python -m metrics report`` (wall time and peak memory via
  ``/usr/bin/time -v``, else ``getrusage(RUSAGE_CHILDREN)`` in a wrapper) and the DuckDB reference as a
  ``python -c`` process on both dialects; the CLI's KPIs are checked against DuckDB's too.
* the app (``bench.app_timing``) at the largest size unless ``--skip-app``.

Writes ``results.md`` and ``results.json`` to ``--out``; medians everywhere, with ours/DuckDB ratios and
the growth per 10× rows. ``--engine-root`` benchmarks the engine of another checkout (before/after).
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

from .generate import DEFAULT_OUT, generate, parse_size, size_label

ROOT = Path(__file__).resolve().parents[1]
PERIOD = ("2025-07-01", "2025-09-30")   # a quarter; previous window 2025-Q2
TIME_BIN = "/usr/bin/time"


# --------------------------------------------------------------------------------------------------
# processes
# --------------------------------------------------------------------------------------------------

def _env(engine_root: Path) -> dict:
    env = dict(os.environ)
    paths = [str(engine_root)] + ([str(ROOT)] if engine_root != ROOT else [])
    env["PYTHONPATH"] = os.pathsep.join(paths + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def measure_process(cmd: list[str], *, cwd: Path, env: dict) -> dict:
    """Wall time, peak RSS (MB), exit code, stdout and stderr of one process."""
    if Path(TIME_BIN).exists():
        full = [TIME_BIN, "-v", *cmd]
    else:  # a wrapper whose only child is the command: RUSAGE_CHILDREN.ru_maxrss is that child's peak
        code = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]); "
                "sys.stderr.write('\\n\\tMaximum resident set size (kbytes): %d\\n' % "
                "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); sys.exit(r.returncode)")
        full = [sys.executable, "-c", code, *cmd]
    t0 = time.perf_counter()
    p = subprocess.run(full, cwd=cwd, env=env, capture_output=True)
    wall = time.perf_counter() - t0
    err = p.stderr.decode(errors="replace")
    rss = next((int(line.split(":")[1]) for line in err.splitlines()
                if "Maximum resident set size" in line), 0)
    return {"wall": wall, "peak_mb": rss / 1024, "rc": p.returncode, "stdout": p.stdout, "stderr": err}


def cli_cmd(folder: Path, out: Path, dialect: str = "canonical") -> list[str]:
    d = folder / dialect
    return [sys.executable, "-m", "metrics", "report", "--deals", str(d / "deals.csv"),
            "--activities", str(d / "activities.csv"), "--plans", str(d / "plans.csv"),
            "--start", PERIOD[0], "--end", PERIOD[1], "--out", str(out)]


def _cli_rows(report: dict) -> list[dict]:
    from .reference import COLUMNS
    return [{c: r.get(c) for c in COLUMNS} for r in report["managers"] + [report["team"]]]


def bench_processes(folder: Path, repeat: int, engine_root: Path) -> dict:
    from metrics.periods import Period

    from . import reference as R

    env = _env(engine_root)
    period = Period(date.fromisoformat(PERIOD[0]), date.fromisoformat(PERIOD[1]))
    res: dict = {"cli_bitrix": [], "cli_canonical": [], "duck_bitrix": [], "duck_canonical": [], "load": []}
    tmp = Path(tempfile.mkdtemp(prefix="slbench-"))
    try:
        for i in range(repeat):
            for dialect in ("bitrix", "canonical"):
                res["load"].append(os.getloadavg()[0])
                out = tmp / f"report-{dialect}.json"
                r = measure_process(cli_cmd(folder, out, dialect), cwd=engine_root, env=env)
                if r["rc"] != 0:
                    raise SystemExit(f"CLI report failed ({r['rc']}): {r['stderr'][-2000:]}")
                res[f"cli_{dialect}"].append({"wall": r["wall"], "peak_mb": r["peak_mb"]})
                cli_rows = _cli_rows(json.loads(out.read_text()))
                code = R.process_code(dialect, folder / dialect, period)
                d = measure_process([sys.executable, "-c", code], cwd=engine_root, env=env)
                if d["rc"] != 0:
                    raise SystemExit(f"DuckDB process failed: {d['stderr'][-2000:]}")
                res[f"duck_{dialect}"].append({"wall": d["wall"], "peak_mb": d["peak_mb"]})
                if i == 0:
                    rows = R.rows_to_dicts(json.loads(d["stdout"]))
                    probs = R.check_equal(cli_rows, rows, label=f"CLI vs DuckDB process ({dialect})")
                    if probs:
                        raise SystemExit("KPI MISMATCH:\n  " + "\n  ".join(probs[:50]))
            print(f"[process] {folder.name} run {i + 1}/{repeat}: " + ", ".join(
                f"{k} {v[-1]['wall']:.2f}s {v[-1]['peak_mb']:.0f}MB" for k, v in res.items() if k != "load"),
                file=sys.stderr, flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return res


def bench_inproc(folder: Path, repeat: int, engine_root: Path, engine_only: bool = False) -> dict:
    p = subprocess.run([sys.executable, "-m", "bench.inproc", str(folder), "--repeat", str(repeat),
                        "--start", PERIOD[0], "--end", PERIOD[1]] + (["--engine-only"] if engine_only else []),
                       cwd=engine_root, env=_env(engine_root), stdout=subprocess.PIPE)  # cwd: its metrics/ first
    text = p.stdout.decode().strip().splitlines()
    if p.returncode != 0:
        raise SystemExit(f"in-process benchmark failed (exit {p.returncode}): {text[-1] if text else ''}")
    return json.loads(text[-1])


def bench_app(folder: Path, repeat: int, engine_root: Path, dialect: str = "canonical") -> dict:
    p = subprocess.run([sys.executable, "-m", "bench.app_timing", str(folder), "--repeat", str(repeat),
                        "--app-root", str(engine_root), "--dialect", dialect], cwd=ROOT, env=_env(engine_root),
                       stdout=subprocess.PIPE)
    text = p.stdout.decode().strip().splitlines()
    if p.returncode != 0:
        return {"error": f"exit {p.returncode}: {text[-1] if text else ''}"}
    return json.loads(text[-1])


# --------------------------------------------------------------------------------------------------
# summary
# --------------------------------------------------------------------------------------------------

def _med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


STAGES = [  # (key, label, DuckDB key or None)
    ("bitrix_read", "Bitrix CSV: read + standardise (importer: read_export ×3 + combine)", "duck_bitrix_read"),
    ("bitrix_import_deals", "  of which read_export(deals)", None),
    ("bitrix_import_activities", "  of which read_export(activities)", None),
    ("bitrix_import_plans", "  of which read_export(plans)", None),
    ("bitrix_combine", "  of which combine", None),
    ("bitrix_kpis", "Bitrix: five KPIs for the quarter (compute_kpis)", "duck_bitrix_kpis"),
    ("bitrix_read_kpis", "**Bitrix: read + standardise + five KPIs**", "duck_bitrix_read_kpis"),
    ("bitrix_read_parallel", "Bitrix: read + standardise, the files on two threads (metrics.ingest parallel: "
     "the app's upload)", "duck_bitrix_read"),
    ("bitrix_read_parallel_kpis", "**Bitrix: read on two threads + five KPIs**", "duck_bitrix_read_kpis"),
    ("canonical_import_read", "Canonical CSV: read + standardise via the importer (metrics.ingest)",
     "duck_canonical_read"),
    ("canonical_import_read_kpis", "Canonical via the importer: read + standardise + five KPIs",
     "duck_canonical_read_kpis"),
    ("canonical_read", "Canonical CSV: read + standardise via metrics.loading / metrics.schema",
     "duck_canonical_read"),
    ("canonical_kpis", "Canonical: five KPIs (compute_kpis)", "duck_canonical_kpis"),
    ("canonical_read_kpis", "Canonical via metrics.loading: read + standardise + five KPIs",
     "duck_canonical_read_kpis"),
    ("compare", "Comparisons (compare.comparison_tests)", None),
    ("compare_profile_alpha", "  same with the profile-likelihood NB α̂ (bench.variants; not enabled)", None),
    ("cohorts", "Cohort table (cohorts.cohort_retention_report)", None),
    ("cli_bitrix_wall", "**CLI `python -m metrics report` as a process, Bitrix files, wall**",
     "duck_bitrix_wall"),
    ("cli_bitrix_peak_mb", "CLI process peak memory, Bitrix files, MB", "duck_bitrix_peak_mb"),
    ("cli_canonical_wall", "CLI as a process, canonical files, wall", "duck_canonical_wall"),
    ("cli_canonical_peak_mb", "CLI process peak memory, canonical files, MB", "duck_canonical_peak_mb"),
]


def summarise(per_size: dict) -> dict:
    """Medians per stage and size, ours/DuckDB ratios, growth per 10× rows."""
    med: dict[str, dict[str, float]] = {}
    for label, r in per_size.items():
        m = {}
        runs = r["inproc"]["runs"]
        for k in runs[0]:
            m[k] = _med([x[k] for x in runs])
        pr = r["process"]
        for d in ("bitrix", "canonical"):
            for who in ("cli", "duck"):
                m[f"{who}_{d}_wall"] = _med([x["wall"] for x in pr[f"{who}_{d}"]])
                m[f"{who}_{d}_peak_mb"] = max(x["peak_mb"] for x in pr[f"{who}_{d}"])
        m["load_avg"] = max(pr["load"]) if pr.get("load") else None
        m["inproc_peak_mb"] = r["inproc"]["peak_rss_mb"]
        med[label] = m
    labels = list(per_size)
    rows = []
    for key, title, dkey in STAGES:
        row = {"stage": key, "label": title, "ours": {}, "duck": {}, "ratio": {}, "growth": {}}
        for lab in labels:
            row["ours"][lab] = med[lab].get(key)
            if dkey:
                row["duck"][lab] = med[lab].get(dkey)
                if row["ours"][lab] is not None and row["duck"][lab]:
                    row["ratio"][lab] = row["ours"][lab] / row["duck"][lab]
        for a, b in zip(labels, labels[1:]):
            ta, tb = row["ours"].get(a), row["ours"].get(b)
            na, nb = per_size[a]["deals"], per_size[b]["deals"]
            if ta and tb and ta > 0 and nb > na:
                row["growth"][f"{a}→{b}"] = (tb / ta) ** (1 / math.log10(nb / na))
        rows.append(row)
    return {"medians": med, "rows": rows}


def _f(x, digits=2):
    if x is None:
        return "—"
    if isinstance(x, str):
        return x
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.{digits}f}"


def targets(summary: dict, per_size: dict, app: dict | None) -> list[dict]:
    big = max(per_size, key=lambda k: per_size[k]["deals"])
    m = summary["medians"][big]

    def ratio(title: str, ours: str, duck: str, limit: float) -> dict:
        return {"target": title, "value": m[ours] / m[duck], "limit": limit,
                "detail": f"{m[ours]:.2f}s vs {m[duck]:.2f}s"}

    def memory(dialect: str, name: str) -> dict:
        mb = m[f"cli_{dialect}_peak_mb"]
        return {"target": f"peak memory of the CLI report, {name} files ({big}) ≤ 1.5 GB",
                "value": mb / 1024, "limit": 1.5, "detail": f"{mb:.0f} MB"}

    out = [
        ratio(f"read + standardise + five KPIs in-process, Bitrix file ({big}), ours/DuckDB ≤ 1.0",
              "bitrix_read_kpis", "duck_bitrix_read_kpis", 1.0),
        ratio(f"same with the files read on two threads (the app's upload path), Bitrix file ({big})",
              "bitrix_read_parallel_kpis", "duck_bitrix_read_kpis", 1.0),
        ratio(f"same on the canonical file ({big}), ours/DuckDB ≤ 1.0 (for reference)",
              "canonical_read_kpis", "duck_canonical_read_kpis", 1.0),
        ratio(f"whole CLI report as a process, Bitrix files ({big}) ≤ 1.5× DuckDB's process",
              "cli_bitrix_wall", "duck_bitrix_wall", 1.5),
        ratio(f"same on the canonical files ({big}, for reference)", "cli_canonical_wall", "duck_canonical_wall", 1.5),
        memory("bitrix", "Bitrix"),
        memory("canonical", "canonical"),
    ]
    worst = None
    for row in summary["rows"]:
        for span, g in row["growth"].items():
            if row["stage"].endswith("_peak_mb") or row["stage"] in ("bitrix_import_plans",):
                continue
            if worst is None or g > worst[2]:
                worst = (row["stage"], span, g)
    if worst:
        out.append({"target": "costs grow linearly: ≤ 12× per 10× rows (worst stage)", "value": worst[2],
                    "limit": 12.0, "detail": f"{worst[0]} {worst[1]}"})
    if app and "error" not in app:
        med = app["median"]
        # issue #17's limits (the first round's were 0.3 / 1.0 / 5.0 s)
        for key, lim, title in (("target_change", 0.2, "app: change a target (server time)"),
                                ("threshold_change", 0.2, "app: change a threshold (server time)"),
                                ("alpha_change", 0.2, "app: change α (server time)"),
                                ("page_switch_max", 0.8, "app: first visit of any page (slowest page)"),
                                ("upload_to_overview", 3.0, "app: upload to Overview")):
            if med.get(key) is not None:
                out.append({"target": f"{title} ≤ {lim} s", "value": med[key], "limit": lim,
                            "detail": f"{med[key]:.2f}s"})
    for t in out:
        t["met"] = bool(t["value"] <= t["limit"])
    return out


def markdown(summary: dict, per_size: dict, app: dict | None, tg: list[dict], env: dict, repeat: int) -> str:
    labels = list(per_size)
    lines = ["# SalesLens vs DuckDB — benchmark results", "",
             f"{env['when']} · {env['cpus']} CPUs · {env['mem_gb']:.0f} GB RAM · Python {env['python']} · "
             f"pandas {env['pandas']} · pyarrow {env['pyarrow']} · numpy {env['numpy']} · duckdb {env['duckdb']}",
             f"Median of {repeat} runs. Period: {PERIOD[0]} … {PERIOD[1]} (a quarter; previous window the quarter "
             f"before). Data: " + "; ".join(
                 f"{k}: {v['deals']:,} deals, {v['activities']:,} activities, {v['managers']} managers, "
                 f"{v['clients']:,} clients, Bitrix CSV {v['bytes']['bitrix/deals.csv'] / 1e6:.0f}+"
                 f"{v['bytes']['bitrix/activities.csv'] / 1e6:.0f} MB, canonical "
                 f"{v['bytes']['canonical/deals.csv'] / 1e6:.0f}+{v['bytes']['canonical/activities.csv'] / 1e6:.0f} MB"
                 for k, v in ((lab, per_size[lab]["meta"]) for lab in labels)) + ".", "",
             "KPIs equal to DuckDB's (every manager and the team, counts exactly, money and ratios to 1e-9): " +
             ", ".join(f"{lab} {per_size[lab]['inproc']['check']}" for lab in labels) +
             "; the CLI's JSON (both dialects) equals the DuckDB process's output at every size.", "",
             "## Stages (seconds; ratio = ours / DuckDB)", ""]
    head = ["stage"] + [f"ours {lab}" for lab in labels] + [f"DuckDB {lab}" for lab in labels] + \
        [f"ratio {lab}" for lab in labels] + [f"growth ×/10× {a}→{b}" for a, b in zip(labels, labels[1:])]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for row in summary["rows"]:
        cells = [row["label"]] + [_f(row["ours"].get(lab)) for lab in labels] + \
            [_f(row["duck"].get(lab)) for lab in labels] + [_f(row["ratio"].get(lab)) for lab in labels] + \
            [_f(row["growth"].get(f"{a}→{b}"), 1) for a, b in zip(labels, labels[1:])]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "In-process worker peak RSS: " + ", ".join(
        f"{lab} {summary['medians'][lab]['inproc_peak_mb']:,.0f} MB" for lab in labels) +
        " (both dialects, both engines, one after the other).",
        "Load average (1 min) while the processes ran, worst: " + ", ".join(
            f"{lab} {summary['medians'][lab]['load_avg']:.1f}" for lab in labels if summary['medians'][lab].get('load_avg')
        ) + f" (this machine has {env['cpus']} CPUs; other work on it slows both engines).", ""]
    if app:
        lines += ["## App (streamlit AppTest, full script reruns, server time)", ""]
        if "error" in app:
            lines.append(f"App timing failed: {app['error']}")
        else:
            lines.append(f"Data: {app['data']}. Median of {app['repeat']} runs (seconds).")
            lines += ["", "| action | median | runs |", "|---|---|---|"]
            for k, v in app["median"].items():
                lines.append(f"| {app['labels'].get(k, k)} | {_f(v)} | {', '.join(_f(x) for x in app['runs'].get(k, []))} |")
            if app.get("notes"):
                lines += [""] + [f"- {n}" for n in app["notes"]]
        lines.append("")
    lines += ["## Targets", "", "| target | measured | limit | met |", "|---|---|---|---|"]
    for t in tg:
        lines.append(f"| {t['target']} | {_f(t['value'])} ({t['detail']}) | {t['limit']} | "
                     f"{'yes' if t['met'] else '**no**'} |")
    lines.append("")
    return "\n".join(lines)


def before_after_runs(folder: Path, repeat: int, before: Path, after: Path, size: str) -> dict:
    """The engine stages of two checkouts, alternating (before, after, before, …) so that both see the same
    machine load; one fresh process per run."""
    out = {"before_root": str(before), "after_root": str(after), "size": size, "load": [],
           "before": {"runs": [], "peak_rss_mb": 0.0}, "after": {"runs": [], "peak_rss_mb": 0.0}}
    for _ in range(repeat):
        for key, root in (("before", before), ("after", after)):
            out["load"].append(os.getloadavg()[0])
            r = bench_inproc(folder, 1, root, engine_only=True)
            out[key]["runs"] += r["runs"]
            out[key]["peak_rss_mb"] = max(out[key]["peak_rss_mb"], r["peak_rss_mb"])
    return out


def before_after_md(ba: dict | None) -> str:
    if not ba:
        return ""
    b = {k: _med([r[k] for r in ba["before"]["runs"]]) for k in ba["before"]["runs"][0]}
    a = {k: _med([r[k] for r in ba["after"]["runs"]]) for k in ba["after"]["runs"][0]}
    names = {"canonical_read": "canonical CSV read + standardise (metrics.loading / schema)",
             "canonical_kpis": "five KPIs, one quarter (compute_kpis)",
             "monthly_kpis_12": "KPIs month by month, 12 months (monthly_kpis: the app's trends)",
             "compare": "comparisons (comparison_tests)", "cohorts": "cohort table (cohort_retention_report)"}
    lines = ["", f"## Engine before → after ({ba['size']}, in-process, median of {len(ba['after']['runs'])}, seconds)",
             "", "| stage | before | after | speed-up |", "|---|---|---|---|"]
    for k, label in names.items():
        if k in a and k in b:
            lines.append(f"| {label} | {_f(b[k])} | {_f(a[k])} | {b[k] / a[k]:.1f}× |")
    lines.append(f"| peak RSS of the worker, MB | {ba['before']['peak_rss_mb']:,.0f} | {ba['after']['peak_rss_mb']:,.0f} | |")
    if ba.get("load"):
        lines.append(f"\nRuns alternate before / after, one fresh process each; load average (1 min) at their "
                     f"starts: {min(ba['load']):.1f}–{max(ba['load']):.1f}.")
    lines.append("")
    return "\n".join(lines)


def environment() -> dict:
    import duckdb
    import numpy
    import pandas
    import pyarrow
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(),
            "mem_gb": mem, "python": platform.python_version(), "pandas": pandas.__version__,
            "pyarrow": pyarrow.__version__, "numpy": numpy.__version__, "duckdb": duckdb.__version__,
            "platform": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10k,100k,1M")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    p.add_argument("--data", type=Path, default=DEFAULT_OUT, help=f"where the exports go (default {DEFAULT_OUT})")
    p.add_argument("--skip-app", action="store_true")
    p.add_argument("--app-repeat", type=int, default=3)
    p.add_argument("--app-dialect", choices=["bitrix", "canonical"], default="bitrix",
                   help="which export the app uploads (default: the Bitrix24 CSV, as the issue's targets say)")
    p.add_argument("--engine-root", type=Path, default=ROOT, help="checkout whose metrics/ and app are timed")
    p.add_argument("--before", type=Path, help="another checkout of the engine: time its metrics/ stages at the "
                   "largest size too and add a before → after table")
    p.add_argument("--before-only", action="store_true", help="with --before: only (re)do the before → after "
                   "table, on the sizes and results already in --out")
    p.add_argument("--app-only", action="store_true", help="only (re)do the app timings, at the largest size of "
                   "the results already in --out, and rewrite the tables")
    a = p.parse_args(argv)
    engine = a.engine_root.resolve()
    sizes = sorted(parse_size(s) for s in a.sizes.split(","))
    if a.app_only:
        res = json.loads((a.out / "results.json").read_text())
        big = max(res["sizes"], key=lambda k: res["sizes"][k]["deals"])
        print(f"== app at {big}", file=sys.stderr, flush=True)
        res["app"] = bench_app(Path(res["sizes"][big]["folder"]), a.app_repeat, engine, dialect=a.app_dialect)
        res["targets"] = targets(res["summary"], res["sizes"], res["app"])
        md = markdown(res["summary"], res["sizes"], res["app"], res["targets"], res["environment"], res["repeat"])
        (a.out / "results.md").write_text(md + before_after_md(res.get("before_after")))
        (a.out / "results.json").write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str))
        print((a.out / "results.md").read_text())
        return 0
    if a.before_only:
        if not a.before:
            raise SystemExit("--before-only needs --before DIR")
        res = json.loads((a.out / "results.json").read_text())
        big = max(res["sizes"], key=lambda k: res["sizes"][k]["deals"])
        folder = Path(res["sizes"][big]["folder"])
        print(f"== before/after at {big}: {a.before} vs {engine}", file=sys.stderr, flush=True)
        res["before_after"] = before_after_runs(folder, a.repeat, a.before.resolve(), engine, big)
        md = markdown(res["summary"], res["sizes"], res["app"], res["targets"], res["environment"], res["repeat"])
        (a.out / "results.md").write_text(md + before_after_md(res["before_after"]))
        (a.out / "results.json").write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str))
        print(before_after_md(res["before_after"]))
        return 0
    per_size: dict = {}
    for n in sizes:
        lab = size_label(n)
        folder = generate(n, a.data)
        meta = json.loads((folder / "meta.json").read_text())
        print(f"== {lab}: {folder}", file=sys.stderr, flush=True)
        per_size[lab] = {"deals": n, "meta": meta, "folder": str(folder),
                         "inproc": bench_inproc(folder, a.repeat, engine),
                         "process": bench_processes(folder, a.repeat, engine)}
    app = None
    if not a.skip_app:
        big = size_label(sizes[-1])
        print(f"== app at {big}", file=sys.stderr, flush=True)
        app = bench_app(Path(per_size[big]["folder"]), a.app_repeat, engine, dialect=a.app_dialect)
    before_after = None
    if a.before:
        big = size_label(sizes[-1])
        print(f"== before/after at {big}: {a.before} vs {engine}", file=sys.stderr, flush=True)
        folder = Path(per_size[big]["folder"])
        before_after = before_after_runs(folder, a.repeat, a.before.resolve(), engine, big)
    summary = summarise(per_size)
    tg = targets(summary, per_size, app)
    env = environment()
    env["engine_root"] = str(engine)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "results.md").write_text(markdown(summary, per_size, app, tg, env, a.repeat)
                                      + before_after_md(before_after))
    (a.out / "results.json").write_text(json.dumps(
        {"environment": env, "period": PERIOD, "repeat": a.repeat, "sizes": per_size, "summary": summary,
         "app": app, "targets": tg, "before_after": before_after}, indent=1, ensure_ascii=False, default=str))
    print((a.out / "results.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
