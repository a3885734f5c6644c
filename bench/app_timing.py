"""Server time of the Streamlit app with a large dataset loaded (``streamlit.testing.v1.AppTest``).

    python -m bench.app_timing FOLDER [--repeat 3] [--dialect bitrix|canonical] [--app-root DIR]

FOLDER is a size folder written by ``bench.generate`` (e.g. ``/tmp/saleslens-bench/1M``). AppTest runs
the whole script in this process, so every figure is a full rerun's server time (no browser, no network,
no rendering in a browser). Per repeat, in a fresh session (caches cleared):

1. the app opens on the sample data; the data source is switched to "upload";
2. **upload → Overview**: the three files (deals, activities, plans) are set on the sidebar's uploader
   (``file_uploader(key="uploads")``) and the script reruns: parsing, KPIs, Overview drawn;
3. **control changes** on the Overview: the default monthly target, a traffic-light threshold, α;
4. **page switches**: every page once (first visit: its own computations, cached per session), then back
   to the Overview;
5. **lazy tabs**: the Plan page's Who-is-green, Forecast, What-if and Score tabs and the Retention page's
   Curves and Time-to-repeat tabs, each opened once (their parts are computed only when opened).

The Bitrix export is uploaded unless ``--dialect canonical`` (what ``bench.run`` times by default too).
Every step is timed as wall seconds (``runs`` / ``median``) and as the CPU seconds of the whole process,
every thread included (``cpu_runs`` / ``cpu_median``: ``time.process_time``), which other work on a
shared machine disturbs less. Prints one JSON object (runs, medians, labels, notes). Authentication is switched off
(``SALESLENS_AUTH=0``), as in a local run; the pages-directory pin of ``tests/conftest.py`` is applied.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from pathlib import Path

PAGES = ["conversion", "deal_size", "activity", "plan", "retention", "compare", "data"]
#: lazy tabs opened after the page switches: (page, tabs key, label text key) — each tab computes its part
TABS = [("plan", "plan_tabs", "plan.tab.green"), ("plan", "plan_tabs", "plan.tab.forecast"),
        ("plan", "plan_tabs", "plan.tab.whatif"), ("plan", "plan_tabs", "plan.tab.score"),
        ("retention", "coh_tabs", "retention.tab.curves"), ("retention", "coh_tabs", "retention.tab.km")]
LABELS = {"switch_to_upload": "switch the data source to upload (no file yet)",
          "upload_to_overview": "upload deals + activities + plans → Overview drawn",
          "target_change": "change the default monthly target (Overview rerun)",
          "threshold_change": "change a traffic-light threshold (Overview rerun)",
          "alpha_change": "change α (Overview rerun)",
          **{f"page_{p}": f"switch to {p} (first visit)" for p in PAGES},
          "page_overview_back": "switch back to Overview (cached)",
          **{f"tab_{pg}_{label.rsplit('.', 1)[1]}": f"{pg}: open the tab '{label.rsplit('.', 1)[1]}' (first time)"
             for pg, _, label in TABS},
          "page_switch_max": "slowest page switch",
          "rss_after_upload_mb": "memory of the whole process after the upload (MB; not a time)"}


def _pin_pages_manager() -> None:
    """AppTest resets the process-wide 'uses pages/ directory' flag; pin it off (tests/conftest.py)."""
    from streamlit.runtime.pages_manager import PagesManager
    orig = PagesManager.__init__

    def init(self, *a, **kw):
        orig(self, *a, **kw)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init


ERRORS: dict[str, str] = {}
#: CPU seconds (the whole process, every thread) of each step of the current session, beside ``t``'s wall
CPU: dict[str, float] = {}


def _timed(name: str, t: dict, step) -> None:
    """Time one rerun; an exception in the app is recorded (the step gets no figure) and the run goes on."""
    gc.collect()
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        at = step()
    except Exception as exc:  # noqa: BLE001 - a widget missing in this version of the UI
        ERRORS[name] = f"{type(exc).__name__}: {exc}"[:300]
        return
    dt, dc = time.perf_counter() - t0, time.process_time() - c0
    if at.exception:
        ERRORS[name] = f"the app raised: {[e.value for e in at.exception][:1]}"[:300]
        return
    t[name] = dt
    CPU[name] = dc
    print(f"[app] {name} {dt:.2f}s wall {dc:.2f}s cpu", file=sys.stderr, flush=True)


def one_session(app: Path, files: list[tuple[str, bytes, str]], i: int) -> dict[str, float]:
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(app), default_timeout=1800)
    at.run()
    t: dict[str, float] = {}
    _timed("switch_to_upload", t, lambda: at.sidebar.radio(key="source").set_value("upload").run())
    _timed("upload_to_overview", t, lambda: at.sidebar.file_uploader(key="uploads").set_value(files).run())
    if not at.dataframe:
        raise RuntimeError(f"no scorecard after the upload: {[e.value for e in at.error]} {ERRORS}")
    gc.collect()
    t["rss_after_upload_mb"] = int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    _timed("target_change", t, lambda: at.sidebar.number_input(key="default_target").set_value(
        1_000_000.0 + 1000 * i).run())
    _timed("threshold_change", t, lambda: at.sidebar.number_input(key="th_conversion_green").set_value(
        30.0 + i).run())
    _timed("alpha_change", t, lambda: at.sidebar.select_slider(key="alpha").set_value([0.01, 0.1][i % 2]).run())
    for p in PAGES:
        _timed(f"page_{p}", t, lambda p=p: at.switch_page(f"pages/{p}.py").run())
    _timed("page_overview_back", t, lambda: at.switch_page("pages/overview.py").run())
    pages = [v for k, v in t.items() if k.startswith("page_")]
    if pages:
        t["page_switch_max"] = max(pages)
    from ui.catalogues import TEXTS
    current = "overview"
    for pg, key, label in TABS:
        if pg != current:                                # not timed: the page itself is cached by now
            at.switch_page(f"pages/{pg}.py").run()
            current = pg

        def open_tab(key=key, label=label):
            at.session_state[key] = TEXTS[label][0]
            return at.run()
        _timed(f"tab_{pg}_{label.rsplit('.', 1)[1]}", t, open_tab)
    return t


def _upload_limit(root: Path) -> str:
    """``server.maxUploadSize`` of the app's .streamlit/config.toml (MB), as the note states it."""
    import tomllib
    try:
        return str(tomllib.loads((root / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"])
    except (OSError, KeyError, ValueError):
        return "?"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.app_timing")
    p.add_argument("folder", type=Path)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--dialect", choices=["bitrix", "canonical"], default="bitrix")
    p.add_argument("--app-root", type=Path, default=Path(__file__).resolve().parents[1])
    a = p.parse_args(argv)
    os.environ["SALESLENS_AUTH"] = "0"
    root = a.app_root.resolve()
    os.chdir(root)                       # the app opens ui/logo.svg and pages/ relative to its folder
    sys.path.insert(0, str(root))
    _pin_pages_manager()
    d = a.folder / a.dialect
    files = [(f"{k}.csv", (d / f"{k}.csv").read_bytes(), "text/csv") for k in ("deals", "activities", "plans")]
    meta = json.loads((a.folder / "meta.json").read_text())
    runs: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    for i in range(a.repeat):
        CPU.clear()
        t = one_session(root / "app.py", files, i)
        for k, v in t.items():
            runs.setdefault(k, []).append(v)
        for k, v in CPU.items():
            cpu.setdefault(k, []).append(v)
        print(f"[app] run {i + 1}/{a.repeat}: " + ", ".join(f"{k}={v:.2f}" for k, v in t.items()),
              file=sys.stderr, flush=True)
    sizes = ", ".join(f"{n} {len(b) / 2**20:.0f} MiB" for n, b, _ in files)
    notes = [f"uploaded files ({a.dialect}): {sizes}; the server's upload limit is {_upload_limit(root)} MB per file "
             f"(.streamlit/config.toml)",
             "default period after the upload: the latest complete month of the data",
             "control changes rerun the Overview page; page switches are first visits in the session "
             "(each page's own computations run once, then come from the session cache)",
             "tab_*: pages with lazy tabs compute a tab's part when it is opened; timed once each, after the "
             "page switches (the page's shared parts already cached)"]
    out = {"data": f"{meta['deals']:,} deals, {meta['activities']:,} activities, {meta['managers']} managers "
                   f"({a.dialect} CSV)",
           "repeat": a.repeat, "runs": runs, "median": {k: statistics.median(v) for k, v in runs.items()},
           "cpu_runs": cpu, "cpu_median": {k: statistics.median(v) for k, v in cpu.items()},
           "load_average": open("/proc/loadavg").read().split()[:3] if os.path.exists("/proc/loadavg") else None,
           "labels": LABELS, "notes": notes + [f"{k}: not measured — {v}" for k, v in ERRORS.items()]}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
