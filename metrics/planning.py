"""Plans, targets, thresholds and what-if scenarios (pure pandas/numpy/scipy; no streamlit).

Everything here takes canonical frames (``metrics.schema``) by keyword, never mutates them and returns
tidy frames with fixed columns. Bad arguments raise :class:`~metrics.errors.DataError` naming the argument
or column; doubtful statistics emit :class:`~metrics.errors.StatisticalWarning`.

Months are ``"YYYY-MM"`` strings. Revenue of a month = total amount of won deals whose ``closed_at`` falls in
that month (the KPI contract, ``metrics.kpi``). A manager is *active* from the month of their first lead
(earliest ``created_at``, or ``closed_at`` if earlier) in the data.

Public API
----------
Target rules — each returns a plans frame [manager, month, target] (managers × months, sorted):

``rule_same(*, managers, months, target)``
``rule_growth(*, deals, managers, months, growth)``
``rule_percentile(*, deals, managers, months, q=0.75, history_months=12, before=None)``
``rule_split(*, deals, managers, months, team_target, history_months=12, before=None)``
``ramp_up(*, plans, starts, steps=(0.4, 0.6, 0.8, 1.0), base=None)``
``new_managers(*, deals, months, lookback=3)`` → {manager: first-lead month}
``missing_targets(*, plans)`` → [manager, month] cells with a NaN target (to ramp them)
``monthly_revenue(*, deals)`` → [manager, month, revenue]

Targets on other KPIs: :class:`KpiTargets`, ``kpi_target_table(*, scorecard, targets)``
    → [manager, kpi, value, target, attainment, met]

Run-rate forecast: ``forecast(*, deals, period, as_of, plans=None, activities=None, holidays="none",
alpha=0.05, default_target=None, overrides=None, band="daily")`` → FORECAST_COLUMNS;
``working_days(*, start, end, holidays="none")``, ``ua_holidays(year)``, ``orthodox_easter(year)``.

Composite score: ``composite_score(*, scorecard, weights, thresholds=None, n_sim=2000, seed=0, won=None,
alpha=0.05)`` → [manager, score, rank, rank_low, rank_high, <kpi>_score ×5]; ``normalize_weights(weights)``.

Backtest: ``backtest(*, deals, plans, months, thresholds=(1.0, 0.8), shift=0)``
    → [manager, month, revenue, target, fulfillment, light];
``backtest_summary(frame)`` → [manager, months, median_fulfillment, share_green, share_amber, share_red].

Scenarios: :class:`Scenario`, ``scenario_to_json``, ``scenario_from_json`` (tolerant: returns the scenario and
the list of problems), ``dataset_fingerprint(*, deals)``, ``compare_scenarios(a, b)`` → [setting, a, b],
``scenario_plans(s)``, ``scenario_period(s)``, ``plan_grid_from_frame(plans)``.
"""
from __future__ import annotations

import calendar
import hashlib
import json
import math
import re
import warnings
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta, timezone
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats as st

from .guards import bad, require_datetime, require_frame
from .errors import DataError, StatisticalWarning
from .kpi import LIGHT_KPIS, RELATIVE_TO_TEAM, Scorecard, period_targets
from .periods import Period, complete_through
from .periods import month as month_period
from .periods import quarter as quarter_period
from .periods import year as year_period

PLAN_COLUMNS = ["manager", "month", "target"]
KPI_TARGET_KPIS: tuple[str, ...] = ("won", "conversion", "activities_per_day", "retention_rate")
RATE_KPIS = {"conversion", "retention_rate"}          # proportions: targets must lie in [0, 1]
KPI_TARGET_COLUMNS = ["manager", "kpi", "value", "target", "attainment", "met"]
FORECAST_COLUMNS = ["manager", "revenue_to_date", "elapsed_wd", "total_wd", "projected", "projected_low",
                    "projected_high", "target", "projected_fulfillment", "projected_fulfillment_low",
                    "projected_fulfillment_high", "counted_from"]
COMPOSITE_KPIS: tuple[str, ...] = tuple(LIGHT_KPIS)
COMPOSITE_COLUMNS = ["manager", "score", "rank", "rank_low", "rank_high"] + [f"{k}_score" for k in COMPOSITE_KPIS]
BACKTEST_COLUMNS = ["manager", "month", "revenue", "target", "fulfillment", "light"]
SUMMARY_COLUMNS = ["manager", "months", "median_fulfillment", "share_green", "share_amber", "share_red"]
COMPARE_COLUMNS = ["setting", "a", "b"]

HOLIDAY_CALENDARS: tuple[str, ...] = ("none", "ua")
BANDS: tuple[str, ...] = ("daily", "prediction")
SCORE_CAP = 2.0                 # a KPI counts at most twice the reference in the composite score
MIN_FORECAST_DAYS = 5           # fewer elapsed working days → StatisticalWarning
TEAM_KEY = "*"                  # JSON key of a team-wide KPI target (Python: None)
SCENARIO_VERSION = 1
LANGUAGES = ("en", "ru", "uk")
PERIOD_KINDS = ("month", "quarter", "year", "custom")
THRESHOLD_MODES = ("absolute", "share_of_target")
STAGE_VALUES = ("won", "lost", "open")
ADJUST_VALUES = ("holm", "bh")

_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR_RE = re.compile(r"^\d{4}$")


# ----------------------------------------------------------------------------------------------------------
# guards and small helpers
# ----------------------------------------------------------------------------------------------------------
def _deals(deals: Any, name: str = "deals") -> pd.DataFrame:
    require_frame(deals, name, ["manager", "created_at", "closed_at", "status", "amount"])
    require_datetime(deals, "created_at", name)
    require_datetime(deals, "closed_at", name)
    if deals["manager"].isna().any():
        raise DataError("empty_value", file=name, column="manager",
                        row=int(np.flatnonzero(deals["manager"].isna().to_numpy())[0]) + 1)
    return deals


def _real(value: Any, name: str, *, lo: float | None = None, hi: float | None = None,
          lo_open: bool = False) -> float:
    """A finite real number (not a bool) within [lo, hi] (lo excluded if lo_open), else DataError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise bad(f"{name} must be a number, got {value!r}", name)
    v = float(value)
    if not math.isfinite(v):
        raise bad(f"{name} must be a finite number, got {value!r}", name)
    if lo is not None and (v < lo or (lo_open and v == lo)):
        raise bad(f"{name} must be {'>' if lo_open else '≥'} {lo:g}, got {value!r}", name)
    if hi is not None and v > hi:
        raise bad(f"{name} must be ≤ {hi:g}, got {value!r}", name)
    return v


def _int(value: Any, name: str, *, lo: int = 0) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < lo:
        raise bad(f"{name} must be an integer ≥ {lo}, got {value!r}", name)
    return int(value)


def _alpha(alpha: Any) -> float:
    a = _real(alpha, "alpha", lo=0.0, hi=1.0, lo_open=True)
    if a >= 1:
        raise bad(f"alpha must be between 0 and 1, got {alpha!r}", "alpha")
    return a


def _is_month(text: Any) -> bool:
    return isinstance(text, str) and bool(_MONTH_RE.match(text))


def _mi(month: str) -> int:
    """'YYYY-MM' → month index y·12 + m − 1."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def _ml(index: int) -> str:
    """Month index → 'YYYY-MM'."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _month_arg(value: Any, name: str) -> str:
    if not _is_month(value):
        raise bad(f"{name} must be a month 'YYYY-MM', got {value!r}", name)
    return value


def _months(months: Any, name: str = "months") -> list[str]:
    if isinstance(months, str) or not isinstance(months, (list, tuple, set, pd.Series, pd.Index, np.ndarray)):
        raise bad(f"{name} must be a list of months 'YYYY-MM', got {type(months).__name__}", name)
    out = [_month_arg(m, name) for m in months]
    if not out:
        raise bad(f"{name} must list at least one month", name)
    return sorted(set(out))


def _managers(managers: Any, name: str = "managers") -> list[str]:
    if isinstance(managers, str) or not isinstance(managers, (list, tuple, set, pd.Series, pd.Index, np.ndarray)):
        raise bad(f"{name} must be a list of manager names, got {type(managers).__name__}", name)
    out = []
    for m in managers:
        if not isinstance(m, str) or not m.strip():
            raise bad(f"{name} must hold non-empty names, got {m!r}", name)
        out.append(m)
    return sorted(set(out))


def _plans(plans: Any, name: str = "plans") -> pd.DataFrame:
    """A validated copy of a long plans frame: manager (text), month ('YYYY-MM'), target (float ≥ 0 or NaN)."""
    require_frame(plans, name, PLAN_COLUMNS)
    months = plans["month"].astype(object).to_numpy()
    ok = np.array([_is_month(m) for m in months], dtype=bool)
    if len(ok) and not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise DataError("bad_month", file=name, column="month", row=i + 1, value=months[i])
    mgr = plans["manager"].astype(object).to_numpy()
    bad = np.array([not isinstance(m, str) or not m.strip() for m in mgr], dtype=bool)
    if len(bad) and bad.any():
        raise DataError("empty_value", file=name, column="manager", row=int(np.flatnonzero(bad)[0]) + 1)
    tgt = pd.to_numeric(plans["target"], errors="coerce").to_numpy(dtype="float64")
    raw_bad = np.isnan(tgt) & plans["target"].notna().to_numpy()
    if raw_bad.any():
        i = int(np.flatnonzero(raw_bad)[0])
        raise DataError("bad_number", file=name, column="target", row=i + 1, value=plans["target"].iloc[i])
    if (tgt < 0).any() or np.isinf(tgt).any():
        i = int(np.flatnonzero((tgt < 0) | np.isinf(tgt))[0])
        raise DataError("negative_amount", file=name, column="target", row=i + 1, value=float(tgt[i]))
    return pd.DataFrame({"manager": mgr, "month": months, "target": tgt})


def _plan_frame(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    df = pd.DataFrame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                       "month": pd.Series([r[1] for r in rows], dtype=object),
                       "target": pd.Series([r[2] for r in rows], dtype="float64")})
    return df.sort_values(["manager", "month"], kind="stable").reset_index(drop=True)


def _first_lead_index(deals: pd.DataFrame) -> pd.Series:
    """Month index of each manager's first lead (earliest created_at, or closed_at if earlier)."""
    created, closed = deals["created_at"].to_numpy(), deals["closed_at"].to_numpy()
    if created.dtype == closed.dtype and created.dtype.kind == "M":
        # the earlier of each row's two dates (NaT ignored), then one grouping of the rows — the same minimum
        # as grouping the two columns stacked, over half the rows
        row_min = np.fmin(created, closed)
        keep = np.flatnonzero(~np.isnat(row_min))
        at = pd.Series(row_min[keep], name="at").groupby(deals["manager"].to_numpy()[keep]).min()
        at.index.name = "manager"
    else:
        first = pd.concat([deals[["manager", "created_at"]].rename(columns={"created_at": "at"}),
                           deals[["manager", "closed_at"]].rename(columns={"closed_at": "at"})]).dropna(subset=["at"])
        at = first.groupby("manager")["at"].min()
    return (at.dt.year * 12 + at.dt.month - 1).astype("int64")


def _revenue_index(deals: pd.DataFrame) -> dict[tuple[str, int], float]:
    """(manager, month index) → revenue of won deals closed that month."""
    won = deals.loc[(deals["status"] == "won") & deals["closed_at"].notna(), ["manager", "closed_at", "amount"]]
    mi = won["closed_at"].dt.year * 12 + won["closed_at"].dt.month - 1
    g = won.assign(mi=mi.to_numpy()).groupby(["manager", "mi"])["amount"].sum()
    return {(m, int(i)): float(v) for (m, i), v in g.items()}


def _last_complete_index(deals: pd.DataFrame) -> int | None:
    """Month index of the data's last complete month (``periods.complete_through``); None for no data."""
    stamps = [deals["created_at"].max(), deals["closed_at"].max()]
    stamps = [s for s in stamps if pd.notna(s)]
    if not stamps:
        return None
    through = complete_through(max(stamps).date())
    last = through.year * 12 + through.month - 1
    return last if through.day == calendar.monthrange(through.year, through.month)[1] else last - 1


def _window(*, deals: pd.DataFrame, months: list[str], history_months: Any, before: Any) -> list[int]:
    """History month indices: the ``history_months`` months before ``before`` (default: the first target
    month), keeping only months up to the data's last complete month."""
    h = _int(history_months, "history_months", lo=1)
    b = _mi(_month_arg(before, "before")) if before is not None else _mi(months[0])
    last = _last_complete_index(deals)
    hi = b - 1 if last is None else min(b - 1, last)
    return list(range(b - h, hi + 1))


# ----------------------------------------------------------------------------------------------------------
# target rules
# ----------------------------------------------------------------------------------------------------------
def monthly_revenue(*, deals: pd.DataFrame) -> pd.DataFrame:
    """Revenue per manager and month: Σ amount of won deals by the month of ``closed_at``.

    Returns manager, month, revenue (only manager-months with a won deal), sorted.
    """
    _deals(deals)
    rev = _revenue_index(deals)
    rows = sorted((m, _ml(i), v) for (m, i), v in rev.items())
    return pd.DataFrame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                         "month": pd.Series([r[1] for r in rows], dtype=object),
                         "revenue": pd.Series([r[2] for r in rows], dtype="float64")})


def rule_same(*, managers: Sequence[str], months: Sequence[str], target: float) -> pd.DataFrame:
    """The same monthly ``target`` for every manager and month. Returns manager, month, target."""
    mgrs, mos = _managers(managers), _months(months)
    t = _real(target, "target", lo=0.0)
    return _plan_frame([(m, mo, t) for m in mgrs for mo in mos])


def rule_growth(*, deals: pd.DataFrame, managers: Sequence[str], months: Sequence[str],
                growth: float) -> pd.DataFrame:
    """Last year's same-month revenue × (1 + growth).

    target(manager, month) = revenue(manager, month − 12 months) × (1 + growth), growth > −1 (0.1 = +10%).
    A manager with no revenue in that month a year earlier (not yet hired, or no won deal) gets NaN — a
    growth target on nothing is no target; :func:`missing_targets` lists them so the UI can ramp them
    (:func:`ramp_up`). Returns manager, month, target.
    """
    _deals(deals)
    mgrs, mos = _managers(managers), _months(months)
    g = _real(growth, "growth", lo=-1.0, lo_open=True)
    rev = _revenue_index(deals)
    rows = []
    for m in mgrs:
        for mo in mos:
            last = rev.get((m, _mi(mo) - 12), 0.0)
            rows.append((m, mo, last * (1 + g) if last > 0 else np.nan))
    return _plan_frame(rows)


def rule_percentile(*, deals: pd.DataFrame, managers: Sequence[str], months: Sequence[str], q: float = 0.75,
                    history_months: int = 12, before: str | None = None) -> pd.DataFrame:
    """The q-quantile of each manager's own past monthly revenue, the same for every target month.

    History = the ``history_months`` calendar months before ``before`` ('YYYY-MM', default: the first target
    month), cut at the data's last complete month (a month is complete when the data reaches its last working
    day, as in ``periods.complete_through``). Of those, only months from the manager's first lead month on
    count; a month without a won deal counts as 0. Quantile: linear interpolation between order statistics
    (numpy's default, Hyndman–Fan type 7). A manager with no active history month gets NaN.
    Returns manager, month, target.
    """
    _deals(deals)
    mgrs, mos = _managers(managers), _months(months)
    qq = _real(q, "q", lo=0.0, hi=1.0)
    window = _window(deals=deals, months=mos, history_months=history_months, before=before)
    rev, first = _revenue_index(deals), _first_lead_index(deals)
    rows = []
    for m in mgrs:
        f = first.get(m)
        vals = [rev.get((m, i), 0.0) for i in window if f is not None and i >= f]
        t = float(np.quantile(vals, qq)) if vals else np.nan
        rows.extend((m, mo, t) for mo in mos)
    return _plan_frame(rows)


def rule_split(*, deals: pd.DataFrame, managers: Sequence[str], months: Sequence[str],
               team_target: float | Mapping[str, float], history_months: int = 12,
               before: str | None = None) -> pd.DataFrame:
    """A team monthly target split by each manager's share of past revenue.

    share_i = R_i / Σ_j R_j with R = revenue over the history window (as in :func:`rule_percentile`) and j over
    ``managers``; target(i, month) = team_target(month) × share_i. ``team_target``: one number for every month,
    or {month: number} (months missing from it get NaN). Managers with no revenue in the window get NaN
    (listed by :func:`missing_targets`, for :func:`ramp_up`); if nobody has, every target is NaN.
    Returns manager, month, target.
    """
    _deals(deals)
    mgrs, mos = _managers(managers), _months(months)
    if isinstance(team_target, Mapping):
        team = {}
        for k, v in team_target.items():
            team[_month_arg(k, "team_target")] = _real(v, f"team_target[{k!r}]", lo=0.0)
    else:
        t = _real(team_target, "team_target", lo=0.0)
        team = {mo: t for mo in mos}
    window = set(_window(deals=deals, months=mos, history_months=history_months, before=before))
    rev = _revenue_index(deals)
    past = {m: sum(v for (mm, i), v in rev.items() if mm == m and i in window) for m in mgrs}
    total = sum(past.values())
    rows = []
    for m in mgrs:
        share = past[m] / total if total > 0 and past[m] > 0 else np.nan
        rows.extend((m, mo, team.get(mo, np.nan) * share) for mo in mos)
    return _plan_frame(rows)


def missing_targets(*, plans: pd.DataFrame) -> pd.DataFrame:
    """The plan cells without a target (NaN), e.g. no history for :func:`rule_growth` / :func:`rule_split`:
    manager, month, sorted. ``sorted(set(out["manager"]))`` are the managers to ramp (:func:`ramp_up`)."""
    p = _plans(plans)
    miss = p.loc[p["target"].isna(), ["manager", "month"]]
    return miss.sort_values(["manager", "month"], kind="stable").reset_index(drop=True)


def new_managers(*, deals: pd.DataFrame, months: Sequence[str], lookback: int = 3) -> dict[str, str]:
    """Managers whose first lead falls within ``months`` or in the ``lookback`` months just before them.

    Returns {manager: month of the first lead 'YYYY-MM'}, sorted by manager — the ``starts`` of
    :func:`ramp_up`. A manager whose first lead is in the data's very first month is not reported: the data
    cannot tell a newcomer from someone who was there before the export began.
    """
    _deals(deals)
    mos = _months(months)
    lb = _int(lookback, "lookback", lo=0)
    first = _first_lead_index(deals)
    if first.empty:
        return {}
    data_first = int(first.min())
    lo, hi = _mi(mos[0]) - lb, _mi(mos[-1])
    return {m: _ml(int(i)) for m, i in sorted(first.items()) if lo <= i <= hi and i > data_first}


def ramp_up(*, plans: pd.DataFrame, starts: Mapping[str, str], steps: Sequence[float] = (0.4, 0.6, 0.8, 1.0),
            base: float | Mapping[str, float] | None = None) -> pd.DataFrame:
    """Ramp new managers up: in their k-th month (k = 0 is the start month) target = steps[k] × base.

    base: a number for everyone, {manager: number}, or None = the median target that month of the managers
    who are not ramping then (NaN targets ignored; NaN when there are none). Only months present in
    ``plans`` are touched (a ramping manager without a row gets one). Months before the start are left as
    they are; after the ramp a manager keeps the rule's target, and a NaN or missing one becomes
    steps[-1] × base. Returns manager, month, target (a new frame; ``plans`` is not changed).
    """
    p = _plans(plans)
    if not isinstance(starts, Mapping):
        raise bad(f"starts must be a dict {{manager: 'YYYY-MM'}}, got {type(starts).__name__}", "starts")
    st_idx = {}
    for m, mo in starts.items():
        if not isinstance(m, str) or not m.strip():
            raise bad(f"starts has an empty manager name {m!r}", "starts")
        st_idx[m] = _mi(_month_arg(mo, f"starts[{m!r}]"))
    if isinstance(steps, (str, bytes)) or not isinstance(steps, Sequence) or len(steps) == 0:
        raise bad(f"steps must be a non-empty list of shares, got {steps!r}", "steps")
    fr = [_real(s, "steps", lo=0.0) for s in steps]
    if base is not None and not isinstance(base, Mapping):
        base = _real(base, "base", lo=0.0)
    elif isinstance(base, Mapping):
        base = {k: _real(v, f"base[{k!r}]", lo=0.0) for k, v in base.items()}

    def ramping(manager: str, mo: str) -> bool:
        return manager in st_idx and 0 <= _mi(mo) - st_idx[manager] < len(fr)

    months = sorted(set(p["month"]))
    table = {(m, mo): t for m, mo, t in zip(p["manager"], p["month"], p["target"])}
    for mo in months:
        if base is None:
            others = [t for (m, mm), t in table.items() if mm == mo and not ramping(m, mo) and not np.isnan(t)]
            month_base = float(np.median(others)) if others else np.nan
        for m, s in st_idx.items():
            k = _mi(mo) - s
            if k < 0:
                continue
            b = month_base if base is None else (base.get(m, np.nan) if isinstance(base, dict) else base)
            if k < len(fr):
                table[(m, mo)] = fr[k] * b
            elif np.isnan(table.get((m, mo), np.nan)):
                table[(m, mo)] = fr[-1] * b
    return _plan_frame([(m, mo, t) for (m, mo), t in table.items()])


# ----------------------------------------------------------------------------------------------------------
# targets on KPIs other than revenue
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KpiTargets:
    """Targets on KPIs other than revenue (revenue targets are the plans frame).

    ``targets``: {kpi: {manager or None: value}}, kpi ∈ KPI_TARGET_KPIS (won = won deals in the period,
    conversion and retention_rate as proportions 0–1, activities_per_day). The None key is one team-wide
    target for everybody; a manager's own key wins over it.
    """

    targets: Mapping[str, Mapping[str | None, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.targets, Mapping):
            raise bad(f"targets must be a dict {{kpi: {{manager: value}}}}, got {type(self.targets).__name__}",
                       "targets")
        clean: dict[str, dict[str | None, float]] = {}
        for kpi, per in self.targets.items():
            if kpi not in KPI_TARGET_KPIS:
                raise bad(f"targets: unknown KPI {kpi!r}; expected one of {list(KPI_TARGET_KPIS)}", "targets")
            if not isinstance(per, Mapping):
                raise bad(f"targets[{kpi!r}] must be a dict {{manager or None: value}}", "targets")
            clean[kpi] = {}
            for who, v in per.items():
                if who is not None and (not isinstance(who, str) or not who.strip()):
                    raise bad(f"targets[{kpi!r}] has a bad manager key {who!r}", "targets")
                clean[kpi][who] = _real(v, f"targets[{kpi!r}][{who!r}]", lo=0.0,
                                        hi=1.0 if kpi in RATE_KPIS else None)
        object.__setattr__(self, "targets", clean)

    def target_for(self, kpi: str, manager: str | None) -> float | None:
        """The manager's own target, else the team-wide one, else None."""
        per = self.targets.get(kpi, {})
        if manager is not None and manager in per:
            return per[manager]
        return per.get(None)


def _card_tables(scorecard: Any) -> tuple[pd.DataFrame, pd.Series]:
    """(managers rows, team row) of a Scorecard or of a Scorecard.table()-like frame (team: manager None)."""
    if isinstance(scorecard, Scorecard):
        return scorecard.managers, scorecard.team.iloc[0]
    if isinstance(scorecard, pd.DataFrame) and "manager" in scorecard.columns:
        is_team = scorecard["manager"].isna().to_numpy()
        if is_team.sum() != 1:
            raise bad("scorecard frame must have exactly one team row (manager None)", "manager")
        return scorecard.loc[~is_team].reset_index(drop=True), scorecard.loc[is_team].iloc[0]
    raise bad(f"scorecard must be a kpi.Scorecard or its table(), got {type(scorecard).__name__}", "scorecard")


def kpi_target_table(*, scorecard: Scorecard | pd.DataFrame,
                     targets: KpiTargets | Mapping[str, Mapping[str | None, float]]) -> pd.DataFrame:
    """Attainment of KPI targets per manager and for the team.

    One row per manager of the scorecard (then the team row, manager None) × KPI of ``targets``:
    value (the scorecard's), target, attainment = value / target (NaN when either is missing or the target
    is 0), met = value ≥ target (None when value or target is missing). Team row: for ``won`` the sum of the
    listed managers' targets (like the team revenue target); for the rates the team-wide (None) target.
    Managers with a target but no scorecard row are not listed. Returns manager, kpi, value, target,
    attainment, met.
    """
    kt = targets if isinstance(targets, KpiTargets) else KpiTargets(targets)
    mgrs, team = _card_tables(scorecard)
    need = [k for k in kt.targets if k not in mgrs.columns]
    if need:
        raise DataError("missing_columns", file="scorecard", column=", ".join(need))
    rows = []
    for kpi in kt.targets:
        team_parts = []
        for manager, value in zip(mgrs["manager"], mgrs[kpi]):
            t = kt.target_for(kpi, manager)
            team_parts.append(t)
            rows.append((manager, kpi, value, t))
        if kpi == "won":
            got = [t for t in team_parts if t is not None]
            tt = float(sum(got)) if got else None
        else:
            tt = kt.target_for(kpi, None)
        rows.append((None, kpi, team[kpi], tt))
    value = np.array([np.nan if r[2] is None else float(r[2]) for r in rows], dtype="float64")
    target = np.array([np.nan if r[3] is None else float(r[3]) for r in rows], dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        att = np.where(target > 0, value / np.where(target > 0, target, 1.0), np.nan)
    met = np.array([None if (np.isnan(v) or np.isnan(t)) else bool(v >= t) for v, t in zip(value, target)],
                   dtype=object)
    return pd.DataFrame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                         "kpi": pd.Series([r[1] for r in rows], dtype=object),
                         "value": value, "target": target, "attainment": att, "met": met})


# ----------------------------------------------------------------------------------------------------------
# working days and Ukrainian public holidays
# ----------------------------------------------------------------------------------------------------------
def orthodox_easter(year: int) -> date:
    """Orthodox Easter Sunday (Gregorian date): the Julian computus (Meeus, *Astronomical Algorithms*, ch. 8)
    a = y mod 4, b = y mod 7, c = y mod 19, d = (19c + 15) mod 30, e = (2a + 4b − d + 34) mod 7,
    month = ⌊(d + e + 114) / 31⌋, day = (d + e + 114) mod 31 + 1 (Julian calendar), converted to Gregorian by
    adding y//100 − y//400 − 2 days (13 days in 1900–2099)."""
    y = _int(year, "year", lo=1583)
    a, b, c = y % 4, y % 7, y % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    mo, day = divmod(d + e + 114, 31)
    return date(y, mo, day + 1) + timedelta(days=y // 100 - y // 400 - 2)


def ua_holidays(year: int) -> dict[date, str]:
    """Public holidays of Ukraine in ``year`` per article 73 of the Labour Code (КЗпП) as in force on each date.

    Implemented (from the law texts as summarised in public notes; no network was available to re-check):

    * 1 Jan New Year; 8 Mar International Women's Day; 1 May Labour Day; 28 Jun Constitution Day (1997+);
      24 Aug Independence Day; Orthodox Easter Sunday and Trinity Sunday (Easter + 49), both Sundays.
    * 7 Jan Christmas (Julian) up to 2023 — removed by law 3258-IX (in force 30.07.2023).
    * 25 Dec Christmas from 2017 (law 2249-VIII); 2 May up to 2017 (dropped by the same law).
    * 9 May Victory Day up to 2023; 8 May Day of Remembrance and Victory from 2024 (law 3107-IX, in force
      15.06.2023, so the first 8 May is 2024).
    * 14 Oct Defenders Day 2015–2022; 1 Oct from 2023 (law 3258-IX).
    * Statehood Day 28 Jul in 2022–2023 (law 2295-IX), 15 Jul from 2024 (law 3258-IX).

    Not modelled: a holiday on a Saturday or Sunday is **not** moved to the next working day (art. 67 did
    that before martial law); government working-day transfers; and martial law (since 24.03.2022, law
    2136-IX, art. 73 holidays are not days off) — this is the statutory list, not the practice of 2022–.
    """
    y = _int(year, "year", lo=1992)
    e = orthodox_easter(y)
    h: dict[date, str] = {date(y, 1, 1): "New Year", date(y, 3, 8): "International Women's Day",
                          e: "Easter", e + timedelta(days=49): "Trinity", date(y, 5, 1): "Labour Day",
                          date(y, 8, 24): "Independence Day"}
    if y <= 2023:
        h[date(y, 1, 7)] = "Christmas (Julian)"
    if y <= 2017:
        h[date(y, 5, 2)] = "Labour Day"
    h[date(y, 5, 9) if y <= 2023 else date(y, 5, 8)] = (
        "Victory Day" if y <= 2023 else "Day of Remembrance and Victory over Nazism")
    if y >= 1997:
        h[date(y, 6, 28)] = "Constitution Day"
    if y in (2022, 2023):
        h[date(y, 7, 28)] = "Statehood Day"
    elif y >= 2024:
        h[date(y, 7, 15)] = "Statehood Day"
    if 2015 <= y <= 2022:
        h[date(y, 10, 14)] = "Defenders Day"
    elif y >= 2023:
        h[date(y, 10, 1)] = "Defenders Day"
    if y >= 2017:
        h[date(y, 12, 25)] = "Christmas"
    return dict(sorted(h.items()))


def _to_date(value: Any, name: str) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise bad(f"{name} must be a date YYYY-MM-DD, got {value!r}", name)


def _holiday_array(start: date, end: date, holidays: str) -> np.ndarray:
    if holidays not in HOLIDAY_CALENDARS:
        raise bad(f"holidays must be one of {list(HOLIDAY_CALENDARS)}, got {holidays!r}", "holidays")
    if holidays == "none":
        return np.array([], dtype="datetime64[D]")
    days = [d for y in range(start.year, end.year + 1) for d in ua_holidays(y)]
    return np.array(days, dtype="datetime64[D]")


def working_days(*, start: Any, end: Any, holidays: str = "none") -> int:
    """Monday–Friday days in [start, end] minus the public holidays of ``holidays`` ("none" | "ua")."""
    a, b = _to_date(start, "start"), _to_date(end, "end")
    if a > b:
        return 0
    return int(np.busday_count(a, b + timedelta(days=1), holidays=_holiday_array(a, b, holidays)))


# ----------------------------------------------------------------------------------------------------------
# run-rate forecast
# ----------------------------------------------------------------------------------------------------------
def _first_seen(deals: pd.DataFrame, activities: pd.DataFrame | None, start: pd.Timestamp,
                cutoff: pd.Timestamp) -> tuple[set, dict, Any]:
    """What :func:`forecast` needs of the rows (deals by ``created_at``, activities by ``at``) before
    ``cutoff``: the managers with a row in [start, cutoff); for those whose first row of all is after
    ``start``, that first time; and the earliest time of any row (NaT when none).

    = grouping every row before the cutoff by manager (the minimum per manager), without copying or
    grouping millions of rows: only the period's rows are grouped, and whether a candidate has an earlier
    row is looked up in the two months before the period first, in all earlier rows only if still open."""
    parts = [(deals["manager"], deals["created_at"])]
    if activities is not None:
        parts.append((activities["manager"], activities["at"]))
    data_start = pd.NaT
    managers, times = [], []
    for mgr, at in parts:
        upto = (at < cutoff).to_numpy(dtype=bool)
        if upto.any():
            lo = at.to_numpy()[upto].min()
            data_start = lo if pd.isna(data_start) or lo < data_start else data_start
        inside = np.flatnonzero(upto & (at >= start).to_numpy(dtype=bool))
        managers.append(mgr.to_numpy()[inside])
        times.append(at.to_numpy()[inside])
    period_rows = pd.DataFrame({"manager": np.concatenate(managers) if managers else [],
                                "at": np.concatenate(times) if times else []})
    in_p = set(period_rows["manager"])
    if not len(period_rows):
        return in_p, {}, (pd.Timestamp(data_start) if pd.notna(data_start) else pd.NaT)
    pmin = period_rows.groupby("manager")["at"].min()
    open_ = {m: t for m, t in pmin.items() if t > start}          # no row at or after start before t
    for lookback in (pd.Timedelta(days=62), None):                # recent rows first, then all earlier ones
        if not open_:
            break
        for mgr, at in parts:
            before = at < start
            if lookback is not None:
                before &= at >= start - lookback
            idx = np.flatnonzero(before.to_numpy(dtype=bool))
            if len(idx):
                seen = pd.unique(mgr.to_numpy()[idx]) if lookback is not None else \
                    mgr.iloc[idx][mgr.iloc[idx].isin(list(open_))].unique()
                for m in seen:
                    open_.pop(m, None)
    started = {m: pd.Timestamp(t) for m, t in open_.items()}
    return in_p, started, (pd.Timestamp(data_start) if pd.notna(data_start) else pd.NaT)


def forecast(*, deals: pd.DataFrame, period: Period, as_of: Any, plans: pd.DataFrame | None = None,
             activities: pd.DataFrame | None = None, holidays: str = "none", alpha: float = 0.05,
             default_target: float | None = None, overrides: Mapping[str, float] | None = None,
             band: str = "daily") -> pd.DataFrame:
    """Run-rate forecast of revenue for a period that is not over yet, per manager and for the team.

    Data up to and including ``as_of`` is used (``as_of`` after the period end means the period is over:
    the projection is the actual). Working days: Monday–Friday minus the public holidays of ``holidays``
    ("ua": :func:`ua_holidays`).

    * counted_from: the period start; for a manager who started mid-period — their first lead or activity
      ever in the data falls inside the period, and the data starts before the period — that day.
      elapsed_wd = working days in [counted_from, as_of], total_wd = working days in [counted_from, end].
    * revenue_to_date = won deals closed in [start, as_of]; projected = revenue_to_date / elapsed_wd × total_wd
      (NaN when elapsed_wd = 0).
    * Band (an approximation: days independent, the manager's own day-to-day spread): revenue of each elapsed
      working day (a close on a weekend or holiday counts on the working day before) has sd s (ddof 1);
      with R = total_wd − elapsed_wd remaining days, ``band="daily"``: projected ± z·s·√R;
      ``band="prediction"`` also counts the uncertainty of the daily mean: ± z·s·√(R + R²/elapsed_wd).
      z = Φ⁻¹(1 − α/2); the low end is clipped at revenue_to_date; NaN when s is undefined (elapsed < 2).
    * target = ``kpi.period_targets`` for the period; projected_fulfillment(_low/_high) = projected(…) / target.
    * Team row (manager None): revenue and targets summed, projected = Σ managers' projections, band from the
      team's own daily revenue over the period's elapsed working days.

    Fewer than 5 elapsed working days (team or a manager) → StatisticalWarning. Returns FORECAST_COLUMNS.
    """
    _deals(deals)
    if not isinstance(period, Period):
        raise bad(f"period must be a periods.Period, got {type(period).__name__}", "period")
    if activities is not None:
        require_frame(activities, "activities", ["manager", "at"])
        require_datetime(activities, "at", "activities")
    a = _alpha(alpha)
    if band not in BANDS:
        raise bad(f"band must be one of {list(BANDS)}, got {band!r}", "band")
    asof = _to_date(as_of, "as_of")
    if asof < period.start:
        raise bad(f"as_of {asof} is before the period start {period.start}: nothing to project from", "as_of")
    asof = min(asof, period.end)
    hol = _holiday_array(period.start, period.end, holidays)
    z = float(st.norm.ppf(1 - a / 2))
    cutoff = pd.Timestamp(asof) + pd.Timedelta(days=1)
    start_ts = pd.Timestamp(period.start)

    def wd(x: date, y: date) -> int:
        return int(np.busday_count(x, y + timedelta(days=1), holidays=hol)) if x <= y else 0

    # first appearance (lead or activity) of each manager who started inside the period, the data's first
    # date, and the managers seen in the period — all up to as_of
    in_p, started, data_start = _first_seen(deals, activities, start_ts, cutoff)

    closed = deals["closed_at"]
    in_win = np.flatnonzero(((closed >= start_ts) & (closed < cutoff)).to_numpy(dtype=bool))
    in_win = in_win[(deals["status"].iloc[in_win] == "won").to_numpy(dtype=bool)]
    won = pd.DataFrame({c: deals[c].take(in_win).reset_index(drop=True) for c in ("manager", "closed_at", "amount")})
    active = sorted(set(won["manager"]) | in_p)
    tgt = period_targets(plans=plans, period=period, managers=active, default_target=default_target,
                         overrides=dict(overrides) if overrides else None)
    tmap = dict(zip(tgt["manager"], tgt["target"]))
    people = sorted(set(active) | set(tmap))

    def day_series(amounts: pd.Series, closed: pd.Series, from_day: date, n: int) -> np.ndarray:
        if n <= 0:
            return np.zeros(0)
        first_wd = np.busday_offset(np.datetime64(from_day, "D"), 0, roll="forward", holidays=hol)
        d = closed.to_numpy(dtype="datetime64[D]")
        d = np.busday_offset(d, 0, roll="backward", holidays=hol) if len(d) else d
        d = np.maximum(d, first_wd) if len(d) else d
        idx = np.busday_count(first_wd, d, holidays=hol) if len(d) else np.zeros(0, dtype=int)
        idx = np.clip(idx, 0, n - 1)
        return np.bincount(idx, weights=amounts.to_numpy(dtype="float64"), minlength=n)[:n]

    def project(rev: float, daily: np.ndarray, n: int, total: int) -> tuple[float, float]:
        """(projection, half-width of the band before clipping)."""
        if n <= 0:
            return np.nan, np.nan
        r = total - n
        if r == 0:
            return rev, 0.0
        s = float(np.std(daily, ddof=1)) if n >= 2 else np.nan
        return rev / n * total, z * s * math.sqrt(r + (r * r / n if band == "prediction" else 0.0))

    def band_of(proj: float, half: float, rev: float) -> tuple[float, float]:
        if not (np.isfinite(proj) and np.isfinite(half)):
            return np.nan, np.nan
        return max(proj - half, rev), proj + half

    rows, short = [], []
    by_manager = won.groupby("manager", sort=False).indices      # positions in row order, per manager
    none = np.zeros(0, dtype=np.intp)
    for m in people:
        f = started.get(m)
        counted = period.start
        if f is not None and pd.notna(data_start) and data_start < start_ts and f > start_ts:
            counted = f.date()
        n, total = wd(counted, asof), wd(counted, period.end)
        mw = won.iloc[by_manager.get(m, none)]
        rev = float(mw["amount"].sum())
        proj, half = project(rev, day_series(mw["amount"], mw["closed_at"], counted, n), n, total)
        if n < MIN_FORECAST_DAYS and total > n:
            short.append(m)
        rows.append([m, rev, n, total, proj, *band_of(proj, half, rev), tmap.get(m, np.nan), counted])

    n_team, total_team = wd(period.start, asof), wd(period.start, period.end)
    team_rev = float(won["amount"].sum())
    _, t_half = project(team_rev, day_series(won["amount"], won["closed_at"], period.start, n_team),
                        n_team, total_team)
    t_proj = float(np.nansum([r[4] for r in rows])) if n_team > 0 else np.nan
    team_target = float(sum(tmap.values())) if tmap else np.nan
    rows.append([None, team_rev, n_team, total_team, t_proj, *band_of(t_proj, t_half, team_rev), team_target,
                 period.start])

    if n_team < MIN_FORECAST_DAYS and total_team > n_team:
        warnings.warn(StatisticalWarning(f"only {n_team} working day(s) of {total_team} have elapsed: the run-rate "
                                         f"forecast and its band are very uncertain", "forecast_early",
                                         n=n_team, total=total_team), stacklevel=2)
    elif short:
        who = ", ".join(short)
        warnings.warn(StatisticalWarning(f"fewer than {MIN_FORECAST_DAYS} elapsed working days for {who} (started "
                                         f"mid-period): their forecast is very uncertain", "forecast_short",
                                         n=MIN_FORECAST_DAYS, who=who), stacklevel=2)

    out = pd.DataFrame(rows, columns=["manager", "revenue_to_date", "elapsed_wd", "total_wd", "projected",
                                      "projected_low", "projected_high", "target", "counted_from"])
    out["manager"] = out["manager"].astype(object)
    for c in ("elapsed_wd", "total_wd"):
        out[c] = out[c].astype("int64")
    for c in ("revenue_to_date", "projected", "projected_low", "projected_high", "target"):
        out[c] = out[c].astype("float64")
    t = out["target"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        for src, dst in (("projected", "projected_fulfillment"), ("projected_low", "projected_fulfillment_low"),
                         ("projected_high", "projected_fulfillment_high")):
            out[dst] = np.where(t > 0, out[src].to_numpy() / np.where(t > 0, t, 1.0), np.nan)
    return out[FORECAST_COLUMNS]


# ----------------------------------------------------------------------------------------------------------
# composite score with rank uncertainty
# ----------------------------------------------------------------------------------------------------------
def normalize_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights over the five KPIs, non-negative, scaled to sum 1 (KPIs not given weigh 0).

    Unknown KPI names, negative or non-finite weights, or all-zero weights raise DataError.
    """
    if not isinstance(weights, Mapping) or not weights:
        raise bad(f"weights must be a non-empty dict {{kpi: weight}}, got {weights!r}", "weights")
    w = {}
    for k, v in weights.items():
        if k not in COMPOSITE_KPIS:
            raise bad(f"weights: unknown KPI {k!r}; expected some of {list(COMPOSITE_KPIS)}", "weights")
        w[k] = _real(v, f"weights[{k!r}]", lo=0.0)
    total = sum(w.values())
    if total <= 0:
        raise bad("weights must not all be 0", "weights")
    return {k: w.get(k, 0.0) / total for k in COMPOSITE_KPIS}


_CARD_NEEDS = ["manager", "leads", "won_of_leads", "conversion", "won", "revenue", "avg_deal", "activities",
               "activities_per_day", "working_days", "target", "plan_fulfillment", "customers_prev",
               "customers_retained", "retention_rate"]


def composite_score(*, scorecard: Scorecard | pd.DataFrame, weights: Mapping[str, float],
                    thresholds: Mapping[str, Sequence[float]] | None = None, n_sim: int = 2000, seed: int = 0,
                    won: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """One score per manager from the five KPIs, with the uncertainty of the resulting rank.

    * KPI score s_k = min(value_k / reference_k, 2). reference_k = the team's value of the KPI; with
      ``thresholds`` given for k, its green threshold instead (for avg_deal, whose thresholds are shares of
      the team value, green × team avg_deal). NaN when the value or the reference is missing or 0.
    * score = Σ w_k s_k / Σ w_k over the KPIs the manager has (weights renormalised over the available ones;
      :func:`normalize_weights` first). 1 ≈ "at the reference". rank 1 = the highest score (ties share the
      best rank); managers with no available KPI get NaN.
    * Rank range: ``n_sim`` seeded draws of every manager's KPIs from their sampling distributions, the
      references held fixed: conversion and retention ~ Beta(k + ½, n − k + ½) (Jeffreys); avg_deal ~ Normal
      (mean, SE) with SE = sd/√n of the won amounts when ``won`` (manager, amount: the period's won deals,
      e.g. ``kpi.period_won``) is given and n ≥ 2, else the approximation SE = mean/√n (coefficient of
      variation 1), clipped at 0; activities_per_day ~ Gamma(activities + ½, 1/working_days) (Poisson,
      Jeffreys; over-dispersion ignored, so too narrow for bursty activity); plan_fulfillment = won' ×
      avg_deal' / target with won' ~ Gamma(won, 1) (compound-Poisson revenue), fixed at its value when there
      is no won deal. rank_low/rank_high: the α/2 and 1 − α/2 quantiles of the simulated ranks, widened to
      include the observed rank. KPI draws are independent (a simplification).

    Returns manager, score, rank, rank_low, rank_high, <kpi>_score for the five KPIs (managers only).
    """
    w = normalize_weights(weights)
    mgrs, team = _card_tables(scorecard)
    need = [c for c in _CARD_NEEDS if c not in mgrs.columns]
    if need:
        raise DataError("missing_columns", file="scorecard", column=", ".join(need))
    sims = _int(n_sim, "n_sim", lo=0)
    _int(seed, "seed", lo=0)
    a = _alpha(alpha)
    th = {}
    if thresholds is not None:
        if not isinstance(thresholds, Mapping):
            raise bad("thresholds must be a dict {kpi: (green, amber)}", "thresholds")
        for k, v in thresholds.items():
            if k not in COMPOSITE_KPIS:
                raise bad(f"thresholds: unknown KPI {k!r}", "thresholds")
            green = v[0] if isinstance(v, Sequence) and not isinstance(v, str) and len(v) else v
            th[k] = _real(green, f"thresholds[{k!r}]", lo=0.0)
    if won is not None:
        require_frame(won, "won", ["manager", "amount"])

    def col(c: str) -> np.ndarray:
        return pd.to_numeric(mgrs[c], errors="coerce").to_numpy(dtype="float64")

    ref = {}
    for k in COMPOSITE_KPIS:
        team_v = float(team[k]) if pd.notna(team[k]) else np.nan
        if k in th:
            ref[k] = th[k] * team_v if k in RELATIVE_TO_TEAM else th[k]
        else:
            ref[k] = team_v
    names = mgrs["manager"].to_numpy(dtype=object)
    n_m = len(names)
    obs = {k: col(k) for k in COMPOSITE_KPIS}

    def scores(values: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
        per, num, den = {}, 0.0, 0.0
        for k in COMPOSITE_KPIS:
            r = ref[k]
            v = values[k]
            with np.errstate(divide="ignore", invalid="ignore"):
                s = np.minimum(v / r, SCORE_CAP) if np.isfinite(r) and r > 0 else np.full(v.shape, np.nan)
            per[k] = s
            ok = np.isfinite(s) & (w[k] > 0)
            num = num + np.where(ok, s * w[k], 0.0)
            den = den + np.where(ok, w[k], 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return per, np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)

    per, score = scores(obs)
    has = np.isfinite(score)
    rank = pd.Series(score).rank(ascending=False, method="min").to_numpy()
    rank_low = np.full(n_m, np.nan)
    rank_high = np.full(n_m, np.nan)
    if sims > 0 and has.any():
        rng = np.random.default_rng(seed)
        draws: dict[str, np.ndarray] = {}
        for k, (kk, nn) in {"conversion": ("won_of_leads", "leads"),
                            "retention_rate": ("customers_retained", "customers_prev")}.items():
            k_, n_ = col(kk), col(nn)
            ok = np.isfinite(obs[k]) & (n_ > 0)
            d = rng.beta(np.where(ok, k_ + 0.5, 1.0), np.where(ok, n_ - k_ + 0.5, 1.0), size=(sims, n_m))
            draws[k] = np.where(ok, d, np.nan)
        n_won, avg = col("won"), obs["avg_deal"]
        se = np.where(n_won > 0, avg / np.sqrt(np.where(n_won > 0, n_won, 1.0)), np.nan)
        if won is not None:
            amt = pd.to_numeric(won["amount"], errors="coerce")
            g = pd.DataFrame({"manager": won["manager"].to_numpy(), "amount": amt.to_numpy()}).groupby("manager")
            sd, cnt = g["amount"].std(ddof=1), g["amount"].count()
            for i, m in enumerate(names):
                if cnt.get(m, 0) >= 2 and np.isfinite(sd.get(m, np.nan)):
                    se[i] = sd[m] / math.sqrt(cnt[m])
        ok = np.isfinite(avg) & np.isfinite(se)
        d = rng.normal(np.where(ok, avg, 0.0), np.where(ok, se, 0.0), size=(sims, n_m))
        draws["avg_deal"] = np.where(ok, np.maximum(d, 0.0), np.nan)
        acts, wdays = col("activities"), col("working_days")
        ok = np.isfinite(obs["activities_per_day"]) & (wdays > 0)
        d = rng.gamma(np.where(ok, acts + 0.5, 1.0), 1.0 / np.where(ok, wdays, 1.0), size=(sims, n_m))
        draws["activities_per_day"] = np.where(ok, d, np.nan)
        target, pf = col("target"), obs["plan_fulfillment"]
        some = np.isfinite(pf) & (n_won > 0) & np.isfinite(avg) & (target > 0)
        won_d = rng.gamma(np.where(some, n_won, 1.0), 1.0, size=(sims, n_m))
        avg_d = np.where(np.isfinite(draws["avg_deal"]), draws["avg_deal"], 0.0)
        draws["plan_fulfillment"] = np.where(some, won_d * avg_d / np.where(some, target, 1.0), pf)
        _, sim_score = scores(draws)
        sub = sim_score[:, has]
        order = np.argsort(-sub, axis=1, kind="stable")
        ranks = np.empty_like(order)
        ranks[np.arange(sims)[:, None], order] = np.arange(1, sub.shape[1] + 1)
        lo = np.quantile(ranks, a / 2, axis=0, method="inverted_cdf")
        hi = np.quantile(ranks, 1 - a / 2, axis=0, method="inverted_cdf")
        rank_low[has] = np.minimum(lo, rank[has])
        rank_high[has] = np.maximum(hi, rank[has])
    elif has.any():
        rank_low[has], rank_high[has] = rank[has], rank[has]
    out = pd.DataFrame({"manager": pd.Series(names, dtype=object), "score": score, "rank": rank,
                        "rank_low": rank_low, "rank_high": rank_high})
    for k in COMPOSITE_KPIS:
        out[f"{k}_score"] = per[k]
    return out[COMPOSITE_COLUMNS]


# ----------------------------------------------------------------------------------------------------------
# what-if backtest
# ----------------------------------------------------------------------------------------------------------
def _light_thresholds(thresholds: Any) -> tuple[float, float]:
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Sequence) or len(thresholds) != 2:
        raise bad(f"thresholds must be (green, amber), got {thresholds!r}", "thresholds")
    g = _real(thresholds[0], "thresholds green", lo=0.0)
    am = _real(thresholds[1], "thresholds amber", lo=0.0)
    if am > g:
        raise bad(f"thresholds: amber {am:g} must not exceed green {g:g}", "thresholds")
    return g, am


def backtest(*, deals: pd.DataFrame, plans: pd.DataFrame, months: Sequence[str],
             thresholds: Sequence[float] = (1.0, 0.8), shift: int = 0, active_only: bool = False) -> pd.DataFrame:
    """How past months would have scored under (new) targets.

    For each month m of ``months`` and each manager with a plan row for month m + ``shift`` (shift = 12:
    next year's plan applied to this year's months): revenue = won deals closed in m, target = that plan
    row, fulfillment = revenue / target (NaN for a NaN or zero target), light = green if fulfillment ≥
    green, amber if ≥ amber, else red (None without a fulfillment). ``active_only``: leave out the months
    before a manager's first lead (they had not joined yet). Returns manager, month, revenue, target,
    fulfillment, light.
    """
    _deals(deals)
    p = _plans(plans)
    mos = _months(months)
    g, am = _light_thresholds(thresholds)
    sh = shift if isinstance(shift, (int, np.integer)) and not isinstance(shift, bool) else None
    if sh is None:
        raise bad(f"shift must be a whole number of months, got {shift!r}", "shift")
    rev = _revenue_index(deals)
    first = _first_lead_index(deals).to_dict() if active_only else {}
    rows = []
    for mo in mos:
        src = _ml(_mi(mo) + int(sh))
        sel = p.loc[p["month"] == src]
        for m, t in zip(sel["manager"], sel["target"]):
            if active_only and _mi(mo) < first.get(m, _mi(mo) + 1):
                continue
            rows.append((m, mo, rev.get((m, _mi(mo)), 0.0), t))
    rows.sort(key=lambda r: (r[0], r[1]))
    revenue = np.array([r[2] for r in rows], dtype="float64")
    target = np.array([r[3] for r in rows], dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        ful = np.where(target > 0, revenue / np.where(target > 0, target, 1.0), np.nan)
    light = np.select([ful >= g, ful >= am], ["green", "amber"], "red").astype(object)
    light[np.isnan(ful)] = None
    return pd.DataFrame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                         "month": pd.Series([r[1] for r in rows], dtype=object),
                         "revenue": revenue, "target": target, "fulfillment": ful,
                         "light": pd.Series(light, dtype=object)})


def backtest_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per manager (then the team, manager None, pooling every manager-month) over the months with a light:
    months, median_fulfillment, share_green, share_amber, share_red. Managers without any lit month get
    months 0 and NaN."""
    require_frame(frame, "frame", BACKTEST_COLUMNS)
    lit = frame.loc[frame["light"].notna()]

    def one(who: Any, part: pd.DataFrame) -> dict[str, Any]:
        n = len(part)
        lights = part["light"]
        return {"manager": who, "months": n,
                "median_fulfillment": float(part["fulfillment"].median()) if n else np.nan,
                "share_green": float((lights == "green").mean()) if n else np.nan,
                "share_amber": float((lights == "amber").mean()) if n else np.nan,
                "share_red": float((lights == "red").mean()) if n else np.nan}

    rows = [one(m, lit.loc[lit["manager"] == m]) for m in sorted(set(frame["manager"].dropna()))]
    rows.append(one(None, lit))
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    out["manager"] = out["manager"].astype(object)
    out["months"] = out["months"].astype("int64")
    return out


# ----------------------------------------------------------------------------------------------------------
# scenarios
# ----------------------------------------------------------------------------------------------------------
def _now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _plain(v: Any) -> Any:
    """JSON-friendly copy: tuples → lists, numpy scalars → Python, NaN → None."""
    if isinstance(v, Mapping):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(float(v)) else float(v)
    return v


@dataclass
class Scenario:
    """A saved set of settings: targets, thresholds, weights, column mapping, statistics options.

    period: {"kind": "month"|"quarter"|"year", "value": "2025-10"|"2025-Q4"|"2025"} or
    {"kind": "custom", "start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}; plan_grid: [{manager, month, target}]
    (target None = no target); kpi_targets: {kpi: {manager or None: value}} (None = everybody; "*" in
    JSON); thresholds: {kpi: [green, amber]}; threshold_mode: {kpi: "absolute"|"share_of_target"};
    mapping: {file: {field: header}}; stages: {CRM stage: won|lost|open}.
    """

    name: str = ""
    created: str = field(default_factory=_now_iso)
    fingerprint: str = ""
    language: str = "en"
    period: dict[str, str] = field(default_factory=dict)
    default_target: float | None = None
    overrides: dict[str, float] = field(default_factory=dict)
    plan_grid: list[dict[str, Any]] = field(default_factory=list)
    kpi_targets: dict[str, dict[str | None, float]] = field(default_factory=dict)
    thresholds: dict[str, list[float]] = field(default_factory=dict)
    threshold_mode: dict[str, str] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    mapping: dict[str, dict[str, str]] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)
    alpha: float = 0.05
    min_n: int = 30
    adjust: str = "holm"
    version: int = SCENARIO_VERSION

    def __post_init__(self) -> None:
        # normalise containers so that tuples and lists (e.g. DEFAULT_THRESHOLDS) compare equal after a round trip
        self.period = dict(self.period)
        self.overrides = dict(self.overrides)
        self.plan_grid = [dict(r) for r in self.plan_grid]
        self.kpi_targets = {k: dict(v) for k, v in self.kpi_targets.items()}
        self.thresholds = {k: [float(x) for x in v] for k, v in self.thresholds.items()}
        self.threshold_mode = dict(self.threshold_mode)
        self.weights = dict(self.weights)
        self.mapping = {k: dict(v) for k, v in self.mapping.items()}
        self.stages = dict(self.stages)


def dataset_fingerprint(*, deals: pd.DataFrame) -> str:
    """A short id of a dataset: sha256 of the sorted manager names, the first and last date (created_at /
    closed_at) and the row count; first 16 hex digits. Same data → same id; it is not a content hash."""
    _deals(deals)
    mgrs = sorted(set(deals["manager"].astype(str)))
    stamps = pd.concat([deals["created_at"], deals["closed_at"]]).dropna()
    lo = stamps.min().date().isoformat() if len(stamps) else ""
    hi = stamps.max().date().isoformat() if len(stamps) else ""
    text = json.dumps({"managers": mgrs, "first": lo, "last": hi, "rows": int(len(deals))}, ensure_ascii=False,
                      sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def scenario_to_json(s: Scenario) -> str:
    """The scenario as JSON text (UTF-8 names kept; a None key of kpi_targets is written as "*")."""
    if not isinstance(s, Scenario):
        raise bad(f"s must be a Scenario, got {type(s).__name__}", "s")
    out: dict[str, Any] = {}
    for f in fields(Scenario):
        v = getattr(s, f.name)
        if f.name == "kpi_targets":
            v = {k: {(TEAM_KEY if who is None else who): x for who, x in per.items()} for k, per in v.items()}
        out[f.name] = _plain(v)
    return json.dumps(out, ensure_ascii=False, indent=2)


def _num_ok(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))


def _period_problem(p: Any) -> str | None:
    if not isinstance(p, Mapping):
        return "period must be an object"
    kind = p.get("kind")
    if kind not in PERIOD_KINDS:
        return f"period kind {kind!r} is not one of {list(PERIOD_KINDS)}"
    extra = set(p) - ({"kind", "start", "end"} if kind == "custom" else {"kind", "value"})
    if extra:
        return f"period has unexpected fields {sorted(extra)}"
    if kind == "custom":
        try:
            a, b = date.fromisoformat(p.get("start")), date.fromisoformat(p.get("end"))
        except (TypeError, ValueError):
            return f"custom period needs start and end dates YYYY-MM-DD, got {p.get('start')!r}, {p.get('end')!r}"
        return None if a <= b else f"period start {a} is after end {b}"
    v = p.get("value")
    ok = {"month": _is_month(v), "quarter": isinstance(v, str) and bool(_QUARTER_RE.match(v)),
          "year": isinstance(v, str) and bool(_YEAR_RE.match(v))}[kind]
    return None if ok else f"period value {v!r} is not a valid {kind}"


def scenario_period(s: Scenario) -> Period | None:
    """The scenario's period as a Period, or None when it has none."""
    p = s.period
    if not p or _period_problem(p):
        return None
    kind = p["kind"]
    if kind == "custom":
        return Period(date.fromisoformat(p["start"]), date.fromisoformat(p["end"]))
    v = p["value"]
    if kind == "month":
        return month_period(int(v[:4]), int(v[5:]))
    if kind == "quarter":
        y, q = _QUARTER_RE.match(v).groups()
        return quarter_period(int(y), int(q))
    return year_period(int(v))


def plan_grid_from_frame(plans: pd.DataFrame) -> list[dict[str, Any]]:
    """A plans frame → plan_grid rows [{manager, month, target}] (NaN target → None)."""
    p = _plans(plans)
    return [{"manager": m, "month": mo, "target": None if np.isnan(t) else float(t)}
            for m, mo, t in zip(p["manager"], p["month"], p["target"])]


def scenario_plans(s: Scenario) -> pd.DataFrame:
    """The scenario's plan grid as a plans frame (manager, month, target; None → NaN)."""
    rows = [(r["manager"], r["month"], np.nan if r.get("target") is None else float(r["target"]))
            for r in s.plan_grid]
    return _plan_frame(rows)


def scenario_from_json(text: str | bytes, *, fingerprint: str | None = None,
                       managers: Sequence[str] | None = None) -> tuple[Scenario, list[str]]:
    """Read a scenario, applying what can be applied and listing what could not.

    Raises DataError only when the text is not JSON or not a JSON object. Everything else — wrong types,
    unknown settings or KPIs, negative targets, thresholds with amber above green, managers not in
    ``managers`` (when given), a newer version — is skipped (the default is kept) and described in
    ``problems``. A fingerprint different from ``fingerprint`` (when both are known) is reported and the
    rest still applied. Returns (scenario, problems).
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise bad(f"scenario file is not UTF-8 text ({exc.reason})", "scenario") from None
    if not isinstance(text, str):
        raise bad(f"scenario must be JSON text, got {type(text).__name__}", "scenario")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad(f"scenario file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                   "scenario") from None
    if not isinstance(raw, dict):
        raise bad(f"scenario file must hold a JSON object, got {type(raw).__name__}", "scenario")

    problems: list[str] = []
    known = {m for m in managers} if managers is not None else None
    default = Scenario()
    kw: dict[str, Any] = {}

    def who_ok(name: Any, where: str) -> bool:
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: manager name {name!r} is not text; skipped")
            return False
        if known is not None and name not in known:
            problems.append(f"{where}: manager {name!r} is not in this data; skipped")
            return False
        return True

    def obj(key: str) -> dict | None:
        v = raw[key]
        if not isinstance(v, dict):
            problems.append(f"{key} must be an object, got {type(v).__name__}; ignored")
            return None
        return v

    for key in raw:
        if key not in {f.name for f in fields(Scenario)}:
            problems.append(f"unknown setting {key!r} ignored")

    if "version" in raw:
        v = raw["version"]
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            problems.append(f"version must be a positive integer, got {v!r}; read as version {SCENARIO_VERSION}")
        elif v > SCENARIO_VERSION:
            problems.append(f"the file is version {v}, newer than this app's {SCENARIO_VERSION}; "
                            f"settings this version knows were read")
            kw["version"] = v
        else:
            kw["version"] = v
    for key in ("name", "created", "fingerprint"):
        if key in raw:
            if isinstance(raw[key], str):
                kw[key] = raw[key]
            else:
                problems.append(f"{key} must be text, got {raw[key]!r}; ignored")
    if "created" in kw:
        try:
            datetime.fromisoformat(kw["created"])
        except ValueError:
            problems.append(f"created {kw['created']!r} is not an ISO date-time; ignored")
            del kw["created"]
    fp = kw.get("fingerprint", "")
    if fingerprint and fp and fp != fingerprint:
        problems.append(f"the scenario was saved for another dataset (fingerprint {fp}, this data {fingerprint}); "
                        f"settings were applied where they fit")
    if "language" in raw:
        if raw["language"] in LANGUAGES:
            kw["language"] = raw["language"]
        else:
            problems.append(f"language {raw['language']!r} is not one of {list(LANGUAGES)}; ignored")
    if "period" in raw and raw["period"] not in ({}, None):        # {} / null: no period chosen
        why = _period_problem(raw["period"])
        if why:
            problems.append(f"{why}; period ignored")
        else:
            kw["period"] = dict(raw["period"])
    if "default_target" in raw:
        v = raw["default_target"]
        if v is None or (_num_ok(v) and v >= 0):
            kw["default_target"] = v
        else:
            problems.append(f"default_target must be a number ≥ 0, got {v!r}; ignored")
    if "overrides" in raw and (o := obj("overrides")) is not None:
        kw["overrides"] = {}
        for m, v in o.items():
            if not who_ok(m, "overrides"):
                continue
            if _num_ok(v) and v >= 0:
                kw["overrides"][m] = v
            else:
                problems.append(f"overrides: target {v!r} for {m!r} is not a number ≥ 0; skipped")
    if "plan_grid" in raw:
        grid = raw["plan_grid"]
        if not isinstance(grid, list):
            problems.append(f"plan_grid must be a list, got {type(grid).__name__}; ignored")
        else:
            kw["plan_grid"] = []
            seen = set()
            for i, r in enumerate(grid, 1):
                if not isinstance(r, dict) or set(r) != {"manager", "month", "target"}:
                    problems.append(f"plan_grid row {i} must have exactly manager, month, target; skipped")
                    continue
                if not who_ok(r["manager"], f"plan_grid row {i}"):
                    continue
                if not _is_month(r["month"]):
                    problems.append(f"plan_grid row {i}: month {r['month']!r} is not YYYY-MM; skipped")
                    continue
                t = r["target"]
                if not (t is None or (_num_ok(t) and t >= 0)):
                    problems.append(f"plan_grid row {i}: target {t!r} for {r['manager']!r} is not a number ≥ 0; "
                                    f"skipped")
                    continue
                if (r["manager"], r["month"]) in seen:
                    problems.append(f"plan_grid row {i}: a second row for {r['manager']!r} {r['month']}; skipped")
                    continue
                seen.add((r["manager"], r["month"]))
                kw["plan_grid"].append(dict(r))
    if "kpi_targets" in raw and (o := obj("kpi_targets")) is not None:
        kw["kpi_targets"] = {}
        for kpi, per in o.items():
            if kpi not in KPI_TARGET_KPIS:
                problems.append(f"kpi_targets: unknown KPI {kpi!r} (expected {list(KPI_TARGET_KPIS)}); skipped")
                continue
            if not isinstance(per, dict):
                problems.append(f"kpi_targets[{kpi!r}] must be an object; skipped")
                continue
            clean: dict[str | None, float] = {}
            for m, v in per.items():
                if m != TEAM_KEY and not who_ok(m, f"kpi_targets[{kpi!r}]"):
                    continue
                hi = 1.0 if kpi in RATE_KPIS else math.inf
                if _num_ok(v) and 0 <= v <= hi:
                    clean[None if m == TEAM_KEY else m] = v
                else:
                    rng_txt = "between 0 and 1" if kpi in RATE_KPIS else "≥ 0"
                    problems.append(f"kpi_targets[{kpi!r}]: target {v!r} for {m!r} is not a number {rng_txt}; "
                                    f"skipped")
            kw["kpi_targets"][kpi] = clean
    if "thresholds" in raw and (o := obj("thresholds")) is not None:
        kw["thresholds"] = {}
        for kpi, v in o.items():
            if kpi not in LIGHT_KPIS:
                problems.append(f"thresholds: unknown KPI {kpi!r} (expected {list(LIGHT_KPIS)}); skipped")
            elif not (isinstance(v, list) and len(v) == 2 and all(_num_ok(x) and x >= 0 for x in v)):
                problems.append(f"thresholds[{kpi!r}] must be [green, amber] numbers ≥ 0, got {v!r}; skipped")
            elif v[1] > v[0]:
                problems.append(f"thresholds[{kpi!r}]: amber {v[1]} is above green {v[0]}; skipped")
            else:
                kw["thresholds"][kpi] = [float(v[0]), float(v[1])]
    if "threshold_mode" in raw and (o := obj("threshold_mode")) is not None:
        kw["threshold_mode"] = {}
        for kpi, v in o.items():
            if kpi not in LIGHT_KPIS:
                problems.append(f"threshold_mode: unknown KPI {kpi!r}; skipped")
            elif v not in THRESHOLD_MODES:
                problems.append(f"threshold_mode[{kpi!r}] {v!r} is not one of {list(THRESHOLD_MODES)}; skipped")
            else:
                kw["threshold_mode"][kpi] = v
    if "weights" in raw and (o := obj("weights")) is not None:
        kw["weights"] = {}
        for kpi, v in o.items():
            if kpi not in COMPOSITE_KPIS:
                problems.append(f"weights: unknown KPI {kpi!r} (expected {list(COMPOSITE_KPIS)}); skipped")
            elif not (_num_ok(v) and v >= 0):
                problems.append(f"weights[{kpi!r}] must be a number ≥ 0, got {v!r}; skipped")
            else:
                kw["weights"][kpi] = v
        if kw["weights"] and sum(kw["weights"].values()) <= 0:
            problems.append("weights are all 0; ignored")
            kw["weights"] = {}
    if "mapping" in raw and (o := obj("mapping")) is not None:
        kw["mapping"] = {}
        for fname, m in o.items():
            if not isinstance(m, dict) or not all(isinstance(k, str) and isinstance(h, str) for k, h in m.items()):
                problems.append(f"mapping[{fname!r}] must be an object {{field: column header}}; skipped")
            else:
                kw["mapping"][fname] = dict(m)
    if "stages" in raw and (o := obj("stages")) is not None:
        kw["stages"] = {}
        for stage, v in o.items():
            if v in STAGE_VALUES:
                kw["stages"][stage] = v
            else:
                problems.append(f"stages[{stage!r}] {v!r} is not one of {list(STAGE_VALUES)}; skipped")
    if "alpha" in raw:
        v = raw["alpha"]
        if _num_ok(v) and 0 < v < 1:
            kw["alpha"] = v
        else:
            problems.append(f"alpha must be between 0 and 1, got {v!r}; {default.alpha} used")
    if "min_n" in raw:
        v = raw["min_n"]
        if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
            kw["min_n"] = v
        else:
            problems.append(f"min_n must be an integer ≥ 0, got {v!r}; {default.min_n} used")
    if "adjust" in raw:
        if raw["adjust"] in ADJUST_VALUES:
            kw["adjust"] = raw["adjust"]
        else:
            problems.append(f"adjust {raw['adjust']!r} is not one of {list(ADJUST_VALUES)}; {default.adjust} used")
    if "created" not in kw:
        kw["created"] = default.created
    return Scenario(**kw), problems


def _period_text(p: Mapping[str, str]) -> str | None:
    if not p:
        return None
    if p.get("kind") == "custom":
        return f"custom {p.get('start')} – {p.get('end')}"
    return f"{p.get('kind')} {p.get('value')}"


def _flatten(s: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {"name": s.name, "fingerprint": s.fingerprint, "language": s.language,
                           "period": _period_text(s.period), "default_target": s.default_target}
    for m, v in sorted(s.overrides.items()):
        out[f"target: {m}"] = v
    for r in sorted(s.plan_grid, key=lambda r: (str(r.get("manager")), str(r.get("month")))):
        out[f"plan: {r.get('manager')} {r.get('month')}"] = r.get("target")
    for kpi, per in sorted(s.kpi_targets.items()):
        for m, v in sorted(per.items(), key=lambda kv: (kv[0] is not None, str(kv[0]))):
            out[f"kpi target: {kpi} {'(everybody)' if m is None else m}"] = v
    for kpi, v in sorted(s.thresholds.items()):
        out[f"threshold: {kpi}"] = f"{v[0]:g} / {v[1]:g}"
    for kpi, v in sorted(s.threshold_mode.items()):
        out[f"threshold mode: {kpi}"] = v
    for kpi, v in sorted(s.weights.items()):
        out[f"weight: {kpi}"] = v
    for fname, m in sorted(s.mapping.items()):
        for fld, h in sorted(m.items()):
            out[f"mapping: {fname} {fld}"] = h
    for stage, v in sorted(s.stages.items()):
        out[f"stage: {stage}"] = v
    out.update({"alpha": s.alpha, "min_n": s.min_n, "adjust": s.adjust, "version": s.version})
    return out


def compare_scenarios(a: Scenario, b: Scenario) -> pd.DataFrame:
    """The settings that differ between two scenarios: setting, a, b (None where a side lacks the setting).

    Compared: name, dataset fingerprint, language, period, default target, each manager's override, each plan
    cell, each KPI target, thresholds and their modes, weights, column mapping, stages, alpha, min_n, adjust,
    version (not the creation time). Rows in the order of a's settings, then b's extra ones.
    """
    for name, s in (("a", a), ("b", b)):
        if not isinstance(s, Scenario):
            raise bad(f"{name} must be a Scenario, got {type(s).__name__}", name)
    fa, fb = _flatten(a), _flatten(b)
    keys = list(fa) + [k for k in fb if k not in fa]
    rows = [(k, fa.get(k), fb.get(k)) for k in keys if fa.get(k) != fb.get(k)]
    return pd.DataFrame({"setting": pd.Series([r[0] for r in rows], dtype=object),
                         "a": pd.Series([r[1] for r in rows], dtype=object),
                         "b": pd.Series([r[2] for r in rows], dtype=object)})


def apply_plan_edits(*, plans: pd.DataFrame | None, edits: Mapping[tuple[str, str], float | None]) -> pd.DataFrame | None:
    """The plans with hand-set cells replacing the file's: ``edits`` (manager, month) → target (None or NaN
    removes the cell's target). Returns None when there is neither a plans frame nor an edit."""
    if not edits:
        return plans
    base = _plan_frame([]) if plans is None else plans[["manager", "month", "target"]]
    keys = set(edits)
    keep = base[[(m, mo) not in keys for m, mo in zip(base["manager"], base["month"])]]
    add = pd.DataFrame([(m, mo, float(v)) for (m, mo), v in edits.items() if v is not None and v == v],
                       columns=["manager", "month", "target"])
    out = pd.concat([keep, add], ignore_index=True) if len(add) else keep.reset_index(drop=True)
    out["manager"] = out["manager"].astype(object)
    out["month"] = out["month"].astype(object)
    return out.sort_values(["manager", "month"], kind="stable").reset_index(drop=True)
