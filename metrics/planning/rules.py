"""Target rules — each returns a plans frame [manager, month, target] (managers × months, sorted).

``rule_same(*, managers, months, target)``
``rule_growth(*, deals, managers, months, growth)``
``rule_percentile(*, deals, managers, months, q=0.75, history_months=12, before=None)``
``rule_split(*, deals, managers, months, team_target, history_months=12, before=None)``
``ramp_up(*, plans, starts, steps=(0.4, 0.6, 0.8, 1.0), base=None)``
``new_managers(*, deals, months, lookback=3)`` → {manager: first-lead month}
``missing_targets(*, plans)`` → [manager, month] cells with a NaN target (to ramp them)
``monthly_revenue(*, deals)`` → [manager, month, revenue]

Revenue of a month = total amount of won deals whose ``closed_at`` falls in that month (the KPI contract,
``metrics.kpi``). A manager is *active* from the month of their first lead (earliest ``created_at``, or
``closed_at`` if earlier) in the data.
"""
from __future__ import annotations

import calendar
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from ..guards import bad
from ..periods import complete_through
from .checks import (
    check_deals, check_int, check_managers, check_month, check_months, check_plans, check_real, month_index,
    month_label, plan_frame,
)
from ..frames import frame as text_frame


def first_lead_index(deals: pd.DataFrame) -> pd.Series:
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


def revenue_index(deals: pd.DataFrame) -> dict[tuple[str, int], float]:
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
    h = check_int(history_months, "history_months", lo=1)
    b = month_index(check_month(before, "before")) if before is not None else month_index(months[0])
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
    check_deals(deals)
    rev = revenue_index(deals)
    rows = sorted((m, month_label(i), v) for (m, i), v in rev.items())
    return text_frame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                       "month": pd.Series([r[1] for r in rows], dtype=object),
                       "revenue": pd.Series([r[2] for r in rows], dtype="float64")})


def rule_same(*, managers: Sequence[str], months: Sequence[str], target: float) -> pd.DataFrame:
    """The same monthly ``target`` for every manager and month. Returns manager, month, target."""
    mgrs, mos = check_managers(managers), check_months(months)
    t = check_real(target, "target", lo=0.0)
    return plan_frame([(m, mo, t) for m in mgrs for mo in mos])


def rule_growth(*, deals: pd.DataFrame, managers: Sequence[str], months: Sequence[str],
                growth: float) -> pd.DataFrame:
    """Last year's same-month revenue × (1 + growth).

    target(manager, month) = revenue(manager, month − 12 months) × (1 + growth), growth > −1 (0.1 = +10%).
    A manager with no revenue in that month a year earlier (not yet hired, or no won deal) gets NaN — a
    growth target on nothing is no target; :func:`missing_targets` lists them so the UI can ramp them
    (:func:`ramp_up`). Returns manager, month, target.
    """
    check_deals(deals)
    mgrs, mos = check_managers(managers), check_months(months)
    g = check_real(growth, "growth", lo=-1.0, lo_open=True)
    rev = revenue_index(deals)
    rows = []
    for m in mgrs:
        for mo in mos:
            last = rev.get((m, month_index(mo) - 12), 0.0)
            rows.append((m, mo, last * (1 + g) if last > 0 else np.nan))
    return plan_frame(rows)


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
    check_deals(deals)
    mgrs, mos = check_managers(managers), check_months(months)
    qq = check_real(q, "q", lo=0.0, hi=1.0)
    window = _window(deals=deals, months=mos, history_months=history_months, before=before)
    rev, first = revenue_index(deals), first_lead_index(deals)
    rows = []
    for m in mgrs:
        f = first.get(m)
        vals = [rev.get((m, i), 0.0) for i in window if f is not None and i >= f]
        t = float(np.quantile(vals, qq)) if vals else np.nan
        rows.extend((m, mo, t) for mo in mos)
    return plan_frame(rows)


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
    check_deals(deals)
    mgrs, mos = check_managers(managers), check_months(months)
    if isinstance(team_target, Mapping):
        team = {}
        for k, v in team_target.items():
            team[check_month(k, "team_target")] = check_real(v, f"team_target[{k!r}]", lo=0.0)
    else:
        t = check_real(team_target, "team_target", lo=0.0)
        team = {mo: t for mo in mos}
    window = set(_window(deals=deals, months=mos, history_months=history_months, before=before))
    rev = revenue_index(deals)
    past = {m: sum(v for (mm, i), v in rev.items() if mm == m and i in window) for m in mgrs}
    total = sum(past.values())
    rows = []
    for m in mgrs:
        share = past[m] / total if total > 0 and past[m] > 0 else np.nan
        rows.extend((m, mo, team.get(mo, np.nan) * share) for mo in mos)
    return plan_frame(rows)


def missing_targets(*, plans: pd.DataFrame) -> pd.DataFrame:
    """The plan cells without a target (NaN), e.g. no history for :func:`rule_growth` / :func:`rule_split`:
    manager, month, sorted. ``sorted(set(out["manager"]))`` are the managers to ramp (:func:`ramp_up`)."""
    p = check_plans(plans)
    miss = p.loc[p["target"].isna(), ["manager", "month"]]
    return miss.sort_values(["manager", "month"], kind="stable").reset_index(drop=True)


def new_managers(*, deals: pd.DataFrame, months: Sequence[str], lookback: int = 3) -> dict[str, str]:
    """Managers whose first lead falls within ``months`` or in the ``lookback`` months just before them.

    Returns {manager: month of the first lead 'YYYY-MM'}, sorted by manager — the ``starts`` of
    :func:`ramp_up`. A manager whose first lead is in the data's very first month is not reported: the data
    cannot tell a newcomer from someone who was there before the export began.
    """
    check_deals(deals)
    mos = check_months(months)
    lb = check_int(lookback, "lookback", lo=0)
    first = first_lead_index(deals)
    if first.empty:
        return {}
    data_first = int(first.min())
    lo, hi = month_index(mos[0]) - lb, month_index(mos[-1])
    return {m: month_label(int(i)) for m, i in sorted(first.items()) if lo <= i <= hi and i > data_first}


def ramp_up(*, plans: pd.DataFrame, starts: Mapping[str, str], steps: Sequence[float] = (0.4, 0.6, 0.8, 1.0),
            base: float | Mapping[str, float] | None = None) -> pd.DataFrame:
    """Ramp new managers up: in their k-th month (k = 0 is the start month) target = steps[k] × base.

    base: a number for everyone, {manager: number}, or None = the median target that month of the managers
    who are not ramping then (NaN targets ignored; NaN when there are none). Only months present in
    ``plans`` are touched (a ramping manager without a row gets one). Months before the start are left as
    they are; after the ramp a manager keeps the rule's target, and a NaN or missing one becomes
    steps[-1] × base. Returns manager, month, target (a new frame; ``plans`` is not changed).
    """
    p = check_plans(plans)
    if not isinstance(starts, Mapping):
        raise bad(f"starts must be a dict {{manager: 'YYYY-MM'}}, got {type(starts).__name__}", "starts")
    st_idx = {}
    for m, mo in starts.items():
        if not isinstance(m, str) or not m.strip():
            raise bad(f"starts has an empty manager name {m!r}", "starts")
        st_idx[m] = month_index(check_month(mo, f"starts[{m!r}]"))
    if isinstance(steps, (str, bytes)) or not isinstance(steps, Sequence) or len(steps) == 0:
        raise bad(f"steps must be a non-empty list of shares, got {steps!r}", "steps")
    fr = [check_real(s, "steps", lo=0.0) for s in steps]
    if base is not None and not isinstance(base, Mapping):
        base = check_real(base, "base", lo=0.0)
    elif isinstance(base, Mapping):
        base = {k: check_real(v, f"base[{k!r}]", lo=0.0) for k, v in base.items()}

    def ramping(manager: str, mo: str) -> bool:
        return manager in st_idx and 0 <= month_index(mo) - st_idx[manager] < len(fr)

    months = sorted(set(p["month"]))
    table = {(m, mo): t for m, mo, t in zip(p["manager"], p["month"], p["target"])}
    for mo in months:
        if base is None:
            others = [t for (m, mm), t in table.items() if mm == mo and not ramping(m, mo) and not np.isnan(t)]
            month_base = float(np.median(others)) if others else np.nan
        for m, s in st_idx.items():
            k = month_index(mo) - s
            if k < 0:
                continue
            b = month_base if base is None else (base.get(m, np.nan) if isinstance(base, dict) else base)
            if k < len(fr):
                table[(m, mo)] = fr[k] * b
            elif np.isnan(table.get((m, mo), np.nan)):
                table[(m, mo)] = fr[-1] * b
    return plan_frame([(m, mo, t) for (m, mo), t in table.items()])
