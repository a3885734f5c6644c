"""In-process timings of one dataset folder (run by ``bench.run`` in a fresh process per size).

    python -m bench.inproc FOLDER --repeat 3 [--start 2025-07-01 --end 2025-09-30]

Prints one JSON object: ``runs`` (one dict of stage → seconds per repeat), ``check`` (KPI equality with
DuckDB per dialect), ``peak_rss_mb`` of this process and the row counts. Exits with code 3 — loudly —
when our KPIs differ from DuckDB's.
"""
from __future__ import annotations

import argparse
import gc
import json
import resource
import sys
import time
import warnings
from datetime import date
from pathlib import Path


def _t(fn):
    gc.collect()
    t0 = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t0


def engine_run(folder: Path, period) -> dict:
    """Only the stages of the engine modules (metrics.loading/schema, kpi, compare, cohorts) on the canonical
    files — for before/after comparisons of two checkouts of the engine."""
    from metrics.cohorts import cohort_retention_report
    from metrics.compare import comparison_tests
    from metrics.errors import SalesLensWarning
    from metrics.kpi import compute_kpis, monthly_kpis, last_months
    from metrics.loading import load_paths
    from metrics.periods import complete_through, data_end

    t: dict[str, float] = {}
    c = folder / "canonical"
    data, t["canonical_read"] = _t(lambda: load_paths(deals=[str(c / "deals.csv")],
                                                      activities=[str(c / "activities.csv")],
                                                      plans=[str(c / "plans.csv")]))
    _, t["canonical_kpis"] = _t(lambda: compute_kpis(deals=data.deals, activities=data.activities,
                                                     plans=data.plans, period=period))
    _, t["monthly_kpis_12"] = _t(lambda: monthly_kpis(deals=data.deals, months=last_months(period, 12),
                                                      activities=data.activities, plans=data.plans))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SalesLensWarning)
        _, t["compare"] = _t(lambda: comparison_tests(deals=data.deals, activities=data.activities, period=period))
        end = data_end(deals=data.deals, activities=data.activities)
        _, t["cohorts"] = _t(lambda: cohort_retention_report(data.deals, freq="month",
                                                             end=complete_through(end) if end else None))
    return t


def one_run(folder: Path, period, check: bool) -> tuple[dict, dict]:
    from metrics.cohorts import cohort_retention_report
    from metrics.compare import comparison_tests
    from metrics.errors import SalesLensWarning
    from metrics.importers import combine, read_export
    from metrics.ingest import ingest
    from metrics.kpi import compute_kpis
    from metrics.loading import load_paths
    from metrics.periods import complete_through, data_end

    from . import reference as R

    t: dict[str, float] = {}
    problems: dict[str, list[str]] = {}
    # --- ours, Bitrix24-style file through the importer
    b = folder / "bitrix"
    files = []
    for kind in ("deals", "activities", "plans"):
        def read(kind=kind):
            return read_export(f"{kind}.csv", (b / f"{kind}.csv").read_bytes())
        f, t[f"bitrix_import_{kind}"] = _t(read)
        files.append(f)
    ds, t["bitrix_combine"] = _t(lambda: combine(files))
    del files
    t["bitrix_read"] = t["bitrix_import_deals"] + t["bitrix_import_activities"] + t["bitrix_import_plans"] \
        + t["bitrix_combine"]
    card, t["bitrix_kpis"] = _t(lambda: compute_kpis(deals=ds.deals, activities=ds.activities, plans=ds.plans,
                                                     period=period))
    bitrix_rows = R.ours_rows(card)
    del ds, card
    # --- the same files read on two threads at once (what the app's upload does: metrics.ingest parallel)
    gc.collect()
    par, t["bitrix_read_parallel"] = _t(lambda: ingest([(f"{k}.csv", (b / f"{k}.csv").read_bytes)
                                                        for k in ("deals", "activities", "plans")],
                                                       parallel=True).data)
    if check and R.ours_rows(compute_kpis(deals=par.deals, activities=par.activities, plans=par.plans,
                                          period=period)) != bitrix_rows:
        problems["bitrix parallel"] = ["the parallel ingest's KPIs differ from the sequential read's"]
    del par
    # --- ours, canonical CSV through the importer (what the CLI and the app's upload read now)
    c = folder / "canonical"
    ing, t["canonical_import_read"] = _t(lambda: ingest([(f"{k}.csv", (c / f"{k}.csv").read_bytes())
                                                          for k in ("deals", "activities", "plans")]).data)
    card, t["canonical_import_kpis"] = _t(lambda: compute_kpis(deals=ing.deals, activities=ing.activities,
                                                               plans=ing.plans, period=period))
    canonical_import_rows = R.ours_rows(card)
    del ing, card
    # --- ours, canonical CSV through metrics.loading / metrics.schema (the bundled sample data's path)
    data, t["canonical_read"] = _t(lambda: load_paths(deals=[str(c / "deals.csv")],
                                                      activities=[str(c / "activities.csv")],
                                                      plans=[str(c / "plans.csv")]))
    card, t["canonical_kpis"] = _t(lambda: compute_kpis(deals=data.deals, activities=data.activities,
                                                        plans=data.plans, period=period))
    canonical_rows = R.ours_rows(card)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SalesLensWarning)
        _, t["compare"] = _t(lambda: comparison_tests(deals=data.deals, activities=data.activities, period=period))
        from metrics.compare import activity as C

        from .variants import install_profile_alpha
        own = C.negbin_alpha
        install_profile_alpha()
        try:
            _, t["compare_profile_alpha"] = _t(lambda: comparison_tests(deals=data.deals, activities=data.activities,
                                                                        period=period))
        finally:
            C.negbin_alpha = own
        end = data_end(deals=data.deals, activities=data.activities)
        _, t["cohorts"] = _t(lambda: cohort_retention_report(data.deals, freq="month",
                                                             end=complete_through(end) if end else None))
    del data, card
    # --- DuckDB in-process, same folder, fresh database each time
    for dialect, ours in (("bitrix", bitrix_rows), ("canonical", canonical_rows)):
        gc.collect()
        ref = R.run_inprocess(dialect, folder / dialect, period)
        t[f"duck_{dialect}_read"], t[f"duck_{dialect}_kpis"] = ref["read"], ref["kpis"]
        if check:
            problems[dialect] = R.check_equal(ours, ref["rows"], label=dialect)
            if dialect == "canonical":
                problems["canonical via importer"] = R.check_equal(canonical_import_rows, ref["rows"],
                                                                   label="canonical via importer")
    t["canonical_import_read_kpis"] = t["canonical_import_read"] + t["canonical_import_kpis"]
    t["bitrix_read_parallel_kpis"] = t["bitrix_read_parallel"] + t["bitrix_kpis"]
    for d in ("bitrix", "canonical"):
        t[f"{d}_read_kpis"] = t[f"{d}_read"] + t[f"{d}_kpis"]
        t[f"duck_{d}_read_kpis"] = t[f"duck_{d}_read"] + t[f"duck_{d}_kpis"]
    return t, problems


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.inproc")
    p.add_argument("folder", type=Path)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--start", default="2025-07-01")
    p.add_argument("--end", default="2025-09-30")
    p.add_argument("--engine-only", action="store_true", help="only the engine stages (before/after runs)")
    a = p.parse_args(argv)
    from metrics.periods import Period

    period = Period(date.fromisoformat(a.start), date.fromisoformat(a.end))
    if a.engine_only:
        runs = []
        for i in range(a.repeat):
            runs.append(engine_run(a.folder, period))
            print(f"[engine] run {i + 1}/{a.repeat}: " + ", ".join(f"{k}={v:.2f}" for k, v in runs[-1].items()),
                  file=sys.stderr, flush=True)
        print(json.dumps({"runs": runs, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
        return 0
    runs, problems = [], {}
    for i in range(a.repeat):
        t, probs = one_run(a.folder, period, check=(i == 0))
        runs.append(t)
        if i == 0:
            problems = probs
            bad = [x for v in probs.values() for x in v]
            if bad:
                print(json.dumps({"error": "KPI mismatch with DuckDB", "problems": bad[:50]}, ensure_ascii=False))
                print("KPI MISMATCH WITH DUCKDB:\n  " + "\n  ".join(bad[:50]), file=sys.stderr)
                return 3
        print(f"[inproc] {a.folder.name} run {i + 1}/{a.repeat}: " +
              ", ".join(f"{k}={v:.2f}" for k, v in t.items() if not k.startswith("bitrix_import_")),
              file=sys.stderr, flush=True)
    out = {"runs": runs, "check": {k: ("equal" if not v else v) for k, v in problems.items()},
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
