"""The report behind ``python -m metrics report`` (and the app's download): one dict, JSON-ready.

Shape::

    {"period": {"start", "end", "previous_start", "previous_end"},
     "managers": [{"manager", "leads", ..., "retention_rate"}, ...],   # metrics.kpi.KPI_COLUMNS
     "team": {same keys, "manager": None},
     "data_quality": {"rows_read", "rows_used", "warnings": [...], "notes": [{"file", "code", "params"}, ...]}}

:func:`build_report` adds to every manager and the team the conversion within H days
(``metrics.competing``: ``conversion_h``, ``conversion_h_ci_low``, ``conversion_h_ci_high``,
``horizon_days``, ``leads_h_at_risk``), and the blocks ``"coverage"`` (the data's end, the part of the
period it covers and the calendar of the working days), ``"lights"`` (one row per manager and KPI, ``light``
∈ green / amber / red / insufficient / null), ``"tests"`` and ``"cohort_retention"``, and ``"currency"`` (the amounts' ISO 4217 code, the
importer's most common one; null when the data names none); when the data has a team
hierarchy, ``"teams"`` (``metrics.teams.teams_report``: the five KPIs per team). With ``settings.teams`` every
block but ``"teams"`` is computed on the chosen teams' managers only (``metrics.teams.filter_dataset``); the
data's end stays the whole data's.

Ratios are fractions (0.25, not 25); a ratio with a zero denominator is null.
``rows_read`` counts the data rows in the input files, ``rows_used`` the rows left after reading and
standardisation (the rows every KPI is computed from).
"""
from __future__ import annotations

import io
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .kpi import KPI_COLUMNS, Scorecard, compute_kpis
from .loading import Dataset
from .periods import Period, complete_through, data_end

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def plain(value: Any) -> Any:
    """numpy/pandas scalars → plain Python; NaN/NaT/NA → None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    return value


def records(df: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    cols = columns or list(df.columns)
    return [{c: plain(v) for c, v in zip(cols, row)} for row in df[cols].itertuples(index=False, name=None)]


def kpi_report(*, scorecard: Scorecard, rows_read: int, rows_used: int,
               warnings: list[str] | None = None) -> dict[str, Any]:
    """The foundation part of the report from a computed :class:`~metrics.kpi.Scorecard`."""
    return {"period": scorecard.period.as_dict(),
            "managers": records(scorecard.managers, KPI_COLUMNS),
            "team": records(scorecard.team, KPI_COLUMNS)[0],
            "data_quality": {"rows_read": int(rows_read), "rows_used": int(rows_used),
                             "warnings": list(warnings or [])}}


WITHIN_KEYS = ["conversion_h", "conversion_h_ci_low", "conversion_h_ci_high", "horizon_days", "leads_h_at_risk"]


def add_within(report: dict[str, Any], within: pd.DataFrame) -> None:
    """Put the conversion within H days (``competing.conversion_within``) into the report's manager and
    team records (keys WITHIN_KEYS after the KPI keys; null for a manager without a lead)."""
    by = {m: r for m, r in zip(within["manager"], records(within, WITHIN_KEYS))}
    h = plain(within["horizon_days"].iloc[-1]) if len(within) else None
    empty = {k: None for k in WITHIN_KEYS}
    for rec in report["managers"] + [report["team"]]:
        rec.update(by.get(rec["manager"], dict(empty, horizon_days=h, leads_h_at_risk=0)))


def build_report(*, data: Dataset, settings: "Settings | None" = None, period: Period | None = None,
                 alpha: float = 0.05, adjust: str = "holm", min_n: int = 30,
                 cohort_freq: str = "month", default_target: float | None = None,
                 overrides: dict[str, float] | None = None, seed: int = 0,
                 progress: Callable[..., None] | None = None, codes: list | None = None,
                 horizon_days: float = 90, calendar: str = "UA") -> dict[str, Any]:
    """The whole report — KPIs, conversion within H days, lights, comparison tests, cohort retention —
    exactly as ``python -m metrics report`` prints it (the app's download uses the same function). H and
    the calendar come from ``settings.horizon_days`` / ``settings.country`` when set, else the arguments.
    ``settings`` (``metrics.settings.Settings``) gives the period, the targets in effect, α, adjustment and minimum n; without it they come from the
    other arguments (the plans file, ``default_target`` and ``overrides``). ``progress(step)`` is called
    before each long step ("kpis", "comparisons", "cohorts") when given. ``codes``, if given, receives each
    statistical warning's (English text, code, params), for a reader in another language."""
    step = progress or (lambda _step: None)
    import warnings

    if settings is None:
        from .settings import data_months, resolve
        if period is None:
            raise TypeError("build_report needs settings or a period")
        settings = resolve(period=period, plans=data.plans, months=data_months(deals=data.deals, plans=data.plans),
                           default_target=default_target, overrides=overrides, alpha=alpha, adjust=adjust,
                           min_n=min_n)
    period, alpha, adjust, min_n = settings.period, settings.alpha, settings.adjust, settings.min_n
    if settings.horizon_days is not None:      # the app's Settings carry H and the calendar
        horizon_days = settings.horizon_days
    if settings.country is not None:
        calendar = settings.country
    from .calendars import calendar_name, check_calendar

    from .cohorts import cohort_retention_report
    from .compare import comparison_tests
    from .competing import conversion_within
    from .errors import SalesLensWarning

    calendar = check_calendar(calendar)
    from .kpi import data_covered_end
    from .teams import filter_dataset, teams_report

    whole = data                                 # the data's end is the whole data's, whatever team is chosen
    covered_end = data_covered_end(deals=whole.deals, activities=whole.activities)
    if settings.teams:
        data = filter_dataset(data=whole, teams=settings.teams, level=settings.team_level)
    from .kpi import shared_period_rows
    # the KPIs and the comparisons select the same rows of the period: once (shared_period_rows)
    with warnings.catch_warnings(record=True) as caught, shared_period_rows():
        warnings.simplefilter("always", SalesLensWarning)
        step("kpis")
        card = compute_kpis(deals=data.deals, activities=data.activities, period=period, alpha=alpha,
                            calendar=calendar, covered_end=covered_end, **settings.target_args())
        teams = teams_report(deals=whole.deals, activities=whole.activities, period=period,
                             level=settings.team_level, selected=settings.teams, alpha=alpha, calendar=calendar,
                             covered_end=covered_end, **settings.target_args())
        within = conversion_within(deals=data.deals, period=period, horizon_days=horizon_days, alpha=alpha)
        step("comparisons")
        tests = comparison_tests(deals=data.deals, activities=data.activities, period=period, alpha=alpha,
                                 adjust=adjust, min_n=min_n, seed=seed)
        step("cohorts")
        end = data_end(deals=whole.deals, activities=whole.activities)
        cohorts = cohort_retention_report(data.deals, freq=cohort_freq, end=complete_through(end) if end else None)
    notes = list(dict.fromkeys(data.warnings + card.notes + [str(w.message) for w in caught]))
    if codes is not None:
        codes.extend((str(w.message), getattr(w.message, "code", None), dict(getattr(w.message, "params", {})))
                     for w in caught)
    report = kpi_report(scorecard=card, rows_read=data.rows_read, rows_used=data.rows_used, warnings=notes)
    add_within(report, within)
    report["currency"] = data_currency(data.deals, default=None)   # the amounts' ISO code; null = none given
    covered = card.covered
    report["coverage"] = {"data_end": end.isoformat() if end else None,
                          "covered_end": covered.end.isoformat() if covered else None,
                          "complete": card.complete, "working_days": plain(card.team["working_days"].iloc[0]),
                          "calendar": calendar, "calendar_name": calendar_name(calendar)}
    from .kpi import traffic_lights
    lights = traffic_lights(scorecard=card, min_n=min_n)
    report["lights"] = records(lights, ["manager", "kpi", "value", "light"])
    # the reading notes by code and parameters too (translatable; "warn.<code>" in ui/locale/*.po)
    report["data_quality"]["notes"] = [{k: plain(v) if k != "params" else {p: plain(x) for p, x in v.items()}
                                        for k, v in n.items()} for n in getattr(data, "notes", [])]
    report["tests"] = tests
    report["cohort_retention"] = cohorts
    if teams is not None:
        report["teams"] = teams
    return report


def data_currency(deals: pd.DataFrame, default: str | None = "UAH") -> str | None:
    """The data's own currency: the most common code of the importer's ``currency`` column (ISO 4217),
    ``default`` when the data has none."""
    if "currency" not in deals.columns:
        return default
    col = deals["currency"]
    # text already (the importer's codes): counted as they are, no str copy of every row (the same counts)
    counts = (col.value_counts() if pd.api.types.infer_dtype(col, skipna=True) == "string"
              else col.dropna().astype(str).value_counts())
    return str(counts.index[0]) if len(counts) else default


def neutralise(value: Any) -> Any:
    """Guard a text cell against spreadsheet formula injection (leading = + - @ tab CR get a ')."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def guard_text(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text columns are guarded by :func:`neutralise`. A text column is any
    ``object`` column or any string dtype (``string[python]``, ``string[pyarrow]``, pandas 3's default
    ``str``) or categories — never picked by ``dtype == object`` alone, which misses the string dtypes. The column keeps
    its dtype; missing values stay missing."""
    out = df.copy()
    for c in out.columns:
        col = out[c]
        if isinstance(col.dtype, pd.CategoricalDtype):
            out[c] = col.cat.rename_categories([neutralise(v) for v in col.cat.categories])
        elif pd.api.types.is_object_dtype(col.dtype) or pd.api.types.is_string_dtype(col.dtype):
            out[c] = col.map(neutralise, na_action="ignore").astype(col.dtype)
    return out


def report_tables(report: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """The report as flat tables (sheet name → frame) for CSV/XLSX output."""
    cols = KPI_COLUMNS + [k for k in WITHIN_KEYS if k in report["team"]]
    kpis = pd.DataFrame(report["managers"] + [report["team"]], columns=cols)
    kpis.insert(0, "row", ["manager"] * len(report["managers"]) + ["team"])
    tables = {"kpis": kpis,
              "period": pd.DataFrame([report["period"]]),
              "data_quality": pd.DataFrame([{"rows_read": report["data_quality"]["rows_read"],
                                             "rows_used": report["data_quality"]["rows_used"],
                                             "warnings": "; ".join(report["data_quality"]["warnings"])}])}
    tests = report.get("tests") or {}
    rows = []
    for kpi, block in tests.items():
        omni = block.get("omnibus") or {}
        for r in block.get("vs_team", []):
            rows.append({"kpi": kpi, **{k: r.get(k) for k in ("manager", "p_value", "p_adjusted", "effect", "verdict")},
                         "omnibus_test": omni.get("test"), "omnibus_p_value": omni.get("p_value")})
    if rows:
        tables["tests"] = pd.DataFrame(rows)
    if report.get("lights"):
        tables["lights"] = pd.DataFrame(report["lights"])
    if report.get("cohort_retention"):
        tables["cohort_retention"] = pd.DataFrame(report["cohort_retention"])
    return {k: guard_text(v) for k, v in tables.items()}


def to_csv(report: dict[str, Any]) -> bytes:
    """The KPI table as CSV (UTF-8 with BOM so spreadsheets open Cyrillic names correctly)."""
    return report_tables(report)["kpis"].to_csv(index=False).encode("utf-8-sig")


def to_xlsx(report: dict[str, Any]) -> bytes:
    """Every table of the report, one sheet each."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        for name, df in report_tables(report).items():
            df.to_excel(xl, sheet_name=name[:31], index=False)
    return buf.getvalue()
