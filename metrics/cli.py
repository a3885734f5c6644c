"""Command line: ``python -m metrics report --deals FILE [...]``.

Bad arguments or files print one line on stderr and exit with code 2, never a traceback.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DataError

if TYPE_CHECKING:
    import threading

    from .periods import Period
    from .planning import Scenario
    from .settings import Settings

# The engine (pandas, the importer, scipy, statsmodels) is imported by the command that needs it, not here:
# ``--help`` and argument errors answer at once, and the scenario code loads only with ``--scenario``.


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        raise DataError("bad_argument", detail=f"{self.prog}: {message}")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m metrics", description="SalesLens: fair KPIs of sales managers from CRM exports.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    r = sub.add_parser("report", help="compute the five KPIs (JSON on stdout by default)")
    r.add_argument("--deals", action="append", required=True, metavar="FILE",
                   help="deals export of any supported CRM, CSV/XLSX/XLS/ODS, a .zip of exports or a folder "
                        "(every file and sheet classified: deals, activities, plans, lookups) (repeatable)")
    r.add_argument("--activities", action="append", default=[], metavar="FILE", help="activities export (repeatable)")
    r.add_argument("--plans", action="append", default=[], metavar="FILE", help="plans file, long or wide (repeatable)")
    r.add_argument("--map", action="append", default=[], metavar='[FILE:]FIELD="Header"',
                   help="use this column for a canonical field, e.g. --map manager=\"Ответственный\" (every file) "
                        "or --map \"orders.csv:deal_id=Order ID\" (that file or sheet only) (repeatable)")
    r.add_argument("--won", action="append", default=[], metavar="STAGE", help="count this stage as won (repeatable)")
    r.add_argument("--lost", action="append", default=[], metavar="STAGE", help="count this stage as lost (repeatable)")
    r.add_argument("--open", action="append", default=[], metavar="STAGE", help="count this stage as open (repeatable)")
    r.add_argument("--start", help="period start YYYY-MM-DD (default: latest complete month)")
    r.add_argument("--end", help="period end YYYY-MM-DD (inclusive)")
    r.add_argument("--alpha", type=float, help="significance level of tests and intervals (default 0.05)")
    r.add_argument("--adjust", choices=["holm", "bh"], help="multiple-comparison adjustment (default holm)")
    r.add_argument("--min-n", type=int, help="below this sample size a verdict is not_enough_data (default 30)")
    r.add_argument("--scenario", metavar="FILE", help="apply a scenario saved in the app (targets, period, "
                   "statistics settings); explicit options win over it")
    r.add_argument("--horizon-days", type=float, default=90, metavar="H",
                   help="conversion within H days of a lead's creation (Aalen–Johansen; default 90)")
    r.add_argument("--calendar", default="UA", metavar="CODE",
                   help="working-day calendar: UA (default), PL, KZ, MD, GE, DE, GB, US or none (Mon–Fri)")
    r.add_argument("--team", action="append", default=[], metavar="NAME",
                   help="only the managers of this team (the data's team hierarchy: Maven sales_teams, "
                        "Superstore People, Salesforce roles) (repeatable)")
    r.add_argument("--team-by", choices=["team", "office", "region"], metavar="LEVEL",
                   help="what --team names and the teams block groups by: team, office or region "
                        "(default: the first the data has)")
    r.add_argument("--cohort-freq", choices=["week", "month", "quarter"], default="month",
                   help="cohort granularity of cohort_retention (default month)")
    r.add_argument("--format", choices=["json", "csv", "xlsx", "pdf", "pptx"], default="json",
                   help="json/csv/xlsx: the numbers; pdf (A4 landscape) / pptx (16:9 slides): the workshop report")
    r.add_argument("--lang", choices=["en", "ru", "uk"], help="language of the pdf/pptx report (default en) and of "
                   "the xlsx: with --lang the xlsx is the translated workbook to hand over (headers, number "
                   "formats, lights, verdicts), without it the machine-readable sheets")
    r.add_argument("--title", default="", help="title of the pdf/pptx report, e.g. the client's name")
    r.add_argument("--out", metavar="PATH", help="write here instead of stdout (required for xlsx, pdf, pptx)")
    r.add_argument("--quiet", action="store_true",
                   help="no progress lines on stderr (they are shown only when stderr is a terminal)")
    return p


#: What each step of a report prints (``ingest`` and ``build_report`` name the step). Each line is printed
#: as its step starts: "read" before the file's bytes are read and parsed, "file" before a table's columns
#: are recognised and converted, "kpis" before the KPIs are computed.
PROGRESS_TEXTS = {
    "read": "reading {name} ({i} of {n})",
    "join": "joining {n} lookup table(s)",
    "file": "recognising columns: {name} ({i} of {n})",
    "combine": "combining the files",
    "kpis": "KPIs",
    "comparisons": "comparisons",
    "cohorts": "cohorts",
    "write": "writing the {format} output",
}


def progress_printer(*, quiet: bool, stream=None) -> Callable[..., None] | None:
    """A ``progress(step, **params)`` callback printing one line per step on stderr (time since start), or
    None when ``quiet`` or when stderr is not a terminal (pipes, files, tests read clean output)."""
    out = stream if stream is not None else sys.stderr
    if quiet or not out.isatty():
        return None
    start = time.monotonic()

    def show(step: str, **params) -> None:
        if step not in PROGRESS_TEXTS:
            return
        print(f"[{time.monotonic() - start:6.1f} s] {PROGRESS_TEXTS[step].format(**params)}", file=out, flush=True)

    return show


def _files(path: str) -> list[tuple[str, Callable[[], bytes]]]:
    """[(name, reader)]: a file, or every table file of a folder (sorted; hidden files skipped). Every
    path is checked before any parsing; the bytes are read only when the file's turn comes and dropped
    after it (one raw file in memory at a time)."""
    from .importers.folder import TABLE_SUFFIXES
    file = Path(path)
    if file.is_dir():
        found = sorted(p for p in file.rglob("*") if p.is_file() and not p.name.startswith((".", "~$"))
                       and p.suffix.lower() in TABLE_SUFFIXES)
        if not found:
            raise DataError("bad_argument", detail=f"{path}: no CSV, Excel, ODS or ZIP file in this folder")
        return [(str(p.relative_to(file)), p.read_bytes) for p in found]
    if not file.is_file():
        raise DataError("bad_argument", detail=f"{path}: no such file")
    return [(file.name, file.read_bytes)]


def _scenario(path: str, data) -> Scenario:
    """Read a scenario file; what cannot be applied is reported on stderr (one line each), the rest applies."""
    from .planning import dataset_fingerprint, scenario_from_json

    file = Path(path)
    if not file.is_file():
        raise DataError("bad_argument", detail=f"{path}: no such file")
    scenario, problems = scenario_from_json(file.read_bytes(), fingerprint=dataset_fingerprint(deals=data.deals),
                                            managers=sorted(set(data.deals["manager"])), name=file.name)
    for p in problems:
        print(f"warning: {file.name}: {p}", file=sys.stderr)
    return scenario


def settings_of(args: argparse.Namespace, *, data, period: "Period", scenario: "Scenario | None") -> "Settings":
    """The report's Settings from the CLI's arguments and the scenario (explicit options win over it) — the
    same constructor (``metrics.settings``) the app uses, so the app and the CLI resolve targets alike."""
    from .settings import data_months, from_scenario, resolve

    for name, value in (("alpha", args.alpha), ("min_n", args.min_n)):
        if value is not None and name == "alpha" and not 0 < value < 1:
            raise DataError("bad_argument", detail=f"--alpha must be between 0 and 1, got {value}")
        if value is not None and name == "min_n" and value < 0:
            raise DataError("bad_argument", detail=f"--min-n must be ≥ 0, got {value}")
    from dataclasses import replace

    months = data_months(deals=data.deals, plans=data.plans)
    if scenario is not None:
        settings = from_scenario(scenario, period=period, plans=data.plans, months=months, alpha=args.alpha,
                                 adjust=args.adjust, min_n=args.min_n)
    else:
        settings = resolve(period=period, plans=data.plans, months=months,
                           alpha=0.05 if args.alpha is None else args.alpha, adjust=args.adjust or "holm",
                           min_n=30 if args.min_n is None else args.min_n)
    # the horizon of "conversion within H days" and the working-day calendar belong to the Settings too
    settings = replace(settings, horizon_days=args.horizon_days, country=args.calendar)
    return replace(settings, **team_settings(args, data=data)) if (args.team or args.team_by) else settings


def team_settings(args: argparse.Namespace, *, data) -> dict:
    """``teams`` / ``team_level`` of the Settings from ``--team`` / ``--team-by``, checked against the data."""
    from .teams import team_levels, team_names

    levels = team_levels(deals=data.deals)
    if not levels:
        raise DataError("bad_argument", detail="--team / --team-by: the data has no team hierarchy "
                                               "(team, office or region)")
    level = args.team_by or levels[0]
    if level not in levels:
        raise DataError("bad_argument", detail=f"--team-by {level}: the data has {', '.join(levels)}")
    known = [n for n in team_names(deals=data.deals, level=level) if n is not None]
    bad = [n for n in args.team if n not in known]
    if bad:
        raise DataError("bad_argument", detail=f"--team {bad[0]!r}: no such {level}; the data has "
                                               f"{', '.join(known[:20])}")
    return {"teams": tuple(sorted(set(args.team))), "team_level": level}


#: what a report imports beyond pandas (``build_report``: the KPIs' Wilson intervals, the comparisons'
#: tests, Newcombe's interval, the working-day calendar), third-party only (``metrics.lazy``)
REPORT_IMPORTS = ("scipy.special", "scipy.stats", "statsmodels.stats.proportion", "holidays")


def warm_up(calendar: str) -> threading.Thread:
    """Import :data:`REPORT_IMPORTS` in a daemon thread and make the ``holidays`` package's first call for
    the calendar's country (~0.07 s: it loads the country's module and translations) — while the main thread
    reads the files (pyarrow parses with the GIL released), instead of after. Nothing of the data is touched;
    an unknown calendar is left to the argument check."""
    from .calendars import CALENDARS
    from .lazy import import_in_background

    spec = CALENDARS.get(calendar)

    def first_call() -> None:
        if spec is not None:
            import holidays
            holidays.country_holidays(spec[0], subdiv=spec[1])

    return import_in_background(REPORT_IMPORTS, then=first_call, name="saleslens-cli-warm")


def run(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if (args.start is None) != (args.end is None):
        raise DataError("bad_argument", detail="--start and --end go together")
    mappings: dict[str, dict[str, str]] = {}
    for item in args.map:
        field, sep, header = item.partition("=")
        if not sep or not field.strip():
            raise DataError("bad_argument", detail=f'--map takes [FILE:]FIELD="Header", got {item!r}')
        file, colon, field = field.rpartition(":")
        mappings.setdefault(file.strip() if colon else "*", {})[field.strip()] = header.strip().strip('"')
    stages = {**{s: "open" for s in args.open}, **{s: "lost" for s in args.lost}, **{s: "won" for s in args.won}}
    paths = [*args.deals, *args.activities, *args.plans]
    from .ingest import ingest, quality_report
    # the report's imports while pyarrow parses the files — not when activities may come (named, or in a
    # folder / zip): there the modules, resident during the read, would add ~80 MB to the peak of the
    # largest inputs (1M deals + 3M activities: 1.40 → 1.48–1.52 GB), for ~0.3 s
    if not args.activities and not any(Path(p).is_dir() or p.lower().endswith(".zip") for p in args.deals):
        warm_up(args.calendar)
    from .periods import Period, default_period, parse_date
    progress = progress_printer(quiet=args.quiet)
    ingested = ingest([f for p in paths for f in _files(p)], mappings=mappings or None, stages=stages or None,
                      progress=progress)
    data = ingested.data
    scenario = _scenario(args.scenario, data) if args.scenario else None
    if scenario is not None:
        from .planning import scenario_period
    if args.start:
        period = Period(parse_date(args.start, what="--start"), parse_date(args.end, what="--end"))
    elif scenario is not None and scenario_period(scenario) is not None:
        period = scenario_period(scenario)
    else:
        period = default_period(deals=data.deals, activities=data.activities)
    if not args.horizon_days > 0:
        raise DataError("bad_argument", detail=f"--horizon-days must be > 0, got {args.horizon_days:g}")
    from .calendars import CALENDARS
    if args.calendar not in CALENDARS:
        raise DataError("bad_argument", detail=f"--calendar must be one of {', '.join(CALENDARS)}, got {args.calendar!r}")
    settings = settings_of(args, data=data, period=period, scenario=scenario)
    from .report import build_report, to_csv, to_xlsx
    if args.format in ("pdf", "pptx"):
        if not args.out:
            raise DataError("bad_argument", detail=f"--format {args.format} needs --out PATH")
        from report import Options, build
        options = Options(lang=args.lang or "en", title=args.title, settings=settings,
                          sources=tuple(Path(p).name for p in paths), cohort_freq=args.cohort_freq,
                          scenario={"scenario": scenario.name or Path(args.scenario).name} if scenario else {})
        show = sys.stderr.isatty() and not args.quiet
        if settings.teams:                   # the chosen teams' managers only, as the app's report does
            from .teams import filter_dataset
            data = filter_dataset(data=data, teams=settings.teams, level=settings.team_level)
        Path(args.out).write_bytes(build(args.format, data=data, period=period, options=options,
                                         progress=(lambda f, step: print(f"\r{100 * f:3.0f}% {step:<12}", end="",
                                                                         file=sys.stderr)) if show else None))
        if show:
            print(file=sys.stderr)
        return 0
    report = build_report(data=data, settings=settings, cohort_freq=args.cohort_freq, progress=progress)
    report["data_quality"]["files"] = quality_report(data, ingested.files)
    if progress is not None:
        progress("write", format=args.format)
    if args.format == "xlsx":
        if not args.out:
            raise DataError("bad_argument", detail="--format xlsx needs --out PATH")
        if args.lang:
            from report.content import Options, whatif_summary
            from report.workbook import workbook
            from .report import data_currency
            whatif = whatif_summary(data=data, period=settings.period, options=Options(settings=settings),
                                    managers=[m["manager"] for m in report["managers"]])
            Path(args.out).write_bytes(workbook(report, lang=args.lang, thresholds=settings.threshold_map,
                                                currency=data_currency(data.deals), whatif=whatif))
        else:
            Path(args.out).write_bytes(to_xlsx(report))
        return 0
    text = (json.dumps(report, ensure_ascii=False, indent=2) + "\n").encode() if args.format == "json" else to_csv(report)
    if args.out:
        Path(args.out).write_bytes(text)
    else:
        sys.stdout.buffer.write(text)
        sys.stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    try:
        return run(argv)
    except DataError as exc:
        print(f"error: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - a bug must still not print a traceback at the user
        print(f"error: unexpected failure ({type(exc).__name__}: {exc}); please report it".splitlines()[0],
              file=sys.stderr)
        return 1
