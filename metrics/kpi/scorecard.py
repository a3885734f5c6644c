"""The scorecard: per-manager and team KPIs of one period (``kpi_aggregates`` → ``scorecard_from``,
``compute_kpis``), period-over-period ``changes`` and ``traffic_lights``."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..periods import Period
from ..stats import wilson_interval
from .period_rows import (
    activity_counts, manager_index, period_activities, period_leads, period_targets, period_won, retention_customers, safe_ratio,
    several_values,
)
from ..frames import frame as text_frame


KPI_COLUMNS = ["manager", "leads", "won_of_leads", "conversion", "conversion_ci_low", "conversion_ci_high",
               "won", "revenue", "avg_deal", "activities", "calls", "meetings", "target",
               "plan_fulfillment", "customers_prev", "customers_retained", "retention_rate"]
EXTRA_COLUMNS = ["open_leads", "working_days", "activities_per_day", "calls_per_day", "meetings_per_day"]
COUNT_COLUMNS = ["leads", "won_of_leads", "open_leads", "won", "activities", "calls", "meetings",
                 "customers_prev", "customers_retained"]
#: KPIs that get a traffic light, in display order.
LIGHT_KPIS = ["conversion", "avg_deal", "activities_per_day", "plan_fulfillment", "retention_rate"]


def _counts(manager: pd.Series, size: str, **flags: pd.Series) -> pd.DataFrame:
    """Per manager (index: sorted, null managers left out): the row count and the number of True in each
    flag column — what ``groupby("manager").agg(size=..., flag=(flag, "sum"))`` gives, with bincount."""
    codes, people = pd.factorize(manager, sort=True)
    ok = codes >= 0
    k = len(people)
    out = {size: np.bincount(codes[ok], minlength=k).astype("int64")}
    for name, flag in flags.items():
        out[name] = np.bincount(codes[ok & flag.to_numpy(dtype=bool)], minlength=k).astype("int64")
    return pd.DataFrame(out, index=manager_index(people))


@dataclass
class Scorecard:
    """KPIs for one period: ``managers`` (one row per listed manager) and ``team`` (one row)."""

    period: Period
    managers: pd.DataFrame
    team: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    #: the part of the period the data covers (per-day figures and targets use it); None: none of it
    covered: Period | None = None
    #: the working-day calendar of the per-day figures (``metrics.calendars``)
    calendar: str = "none"

    @property
    def complete(self) -> bool:
        """The data covers the whole period."""
        return self.covered == self.period

    def table(self) -> pd.DataFrame:
        """Managers then the team row (manager None), in KPI_COLUMNS + EXTRA_COLUMNS order."""
        return pd.concat([self.managers, self.team], ignore_index=True)


def _derive(df: pd.DataFrame, working_days: int, alpha: float, has_activities: bool = True) -> pd.DataFrame:
    df = df.copy()
    df["conversion"] = safe_ratio(df["won_of_leads"], df["leads"])
    lo, hi = wilson_interval(df["won_of_leads"], df["leads"], alpha=alpha)
    df["conversion_ci_low"], df["conversion_ci_high"] = lo, hi
    df["avg_deal"] = safe_ratio(df["revenue"], df["won"])
    df["plan_fulfillment"] = safe_ratio(df["revenue"], df["target"].fillna(0))
    df["retention_rate"] = safe_ratio(df["customers_retained"], df["customers_prev"])
    df["working_days"] = working_days
    for col in ("activities", "calls", "meetings"):
        df[f"{col}_per_day"] = safe_ratio(df[col], np.full(len(df), working_days if has_activities else 0))
    for col in COUNT_COLUMNS:
        df[col] = df[col].astype("int64")
    return df[KPI_COLUMNS + EXTRA_COLUMNS]


@dataclass
class Aggregates:
    """The expensive part of :func:`compute_kpis` for one period: the per-manager counts and sums that do not
    depend on targets or ``alpha`` (see :func:`kpi_aggregates`; :func:`scorecard_from` finishes the job)."""

    period: Period
    leads: pd.DataFrame            # index manager: leads, won_of_leads, open_leads
    won: pd.DataFrame              # index manager: won, revenue
    acts: pd.DataFrame             # index manager: calls, meetings
    ret: pd.DataFrame              # index manager: customers_prev, customers_retained
    team: dict                     # the team row's counts and sums
    has_activities: bool
    notes: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[str]:
        """Managers with a lead, a won deal, an activity or a previous-window customer, sorted."""
        return sorted(set(self.leads.index) | set(self.won.index) | set(self.acts.index) | set(self.ret.index))


def kpi_aggregates(*, deals: pd.DataFrame, period: Period, activities: pd.DataFrame | None = None) -> Aggregates:
    """Leads, won deals, revenue, calls, meetings and retention counts per manager and for the team in
    ``period`` — everything of :func:`compute_kpis` that reads the rows. Inputs are not mutated."""
    leads = period_leads(deals=deals, period=period)
    won = period_won(deals=deals, period=period)
    acts = period_activities(activities=activities, period=period)
    ret = retention_customers(deals=deals, period=period)

    lead_g = _counts(leads["manager"], "leads", won_of_leads=leads["won"], open_leads=leads["open"])
    won_g = won.groupby("manager").agg(won=("amount", "size"), revenue=("amount", "sum"))
    won_g.index = manager_index(won_g.index)
    act_g = activity_counts(acts)
    ret_g = _counts(ret["manager"], "customers_prev", customers_retained=ret["retained"])
    team = {"leads": len(leads), "won_of_leads": int(leads["won"].sum()), "open_leads": int(leads["open"].sum()),
            "won": len(won), "revenue": float(won["amount"].sum()),
            "calls": int((acts["type"] == "call").sum()), "meetings": int((acts["type"] == "meeting").sum()),
            "activities": len(acts), "customers_prev": len(ret), "customers_retained": int(ret["retained"].sum())}
    notes = []
    if "currency" in deals.columns and several_values(deals["currency"]):
        notes.append("multi_currency")
    return Aggregates(period=period, leads=lead_g, won=won_g, acts=act_g, ret=ret_g, team=team,
                      has_activities=activities is not None, notes=notes)


def _derived(c: dict[str, np.ndarray], working_days: int, alpha: float, has_activities: bool) -> dict:
    """:func:`_derive` on columns held as float64 arrays (counts included; cast to int64 here): the same
    numbers, without a DataFrame per step."""
    out = dict(c)
    out["conversion"] = safe_ratio(c["won_of_leads"], c["leads"])
    out["conversion_ci_low"], out["conversion_ci_high"] = wilson_interval(c["won_of_leads"], c["leads"], alpha=alpha)
    out["avg_deal"] = safe_ratio(c["revenue"], c["won"])
    target = c["target"]
    out["plan_fulfillment"] = safe_ratio(c["revenue"], np.where(np.isnan(target), 0.0, target))
    out["retention_rate"] = safe_ratio(c["customers_retained"], c["customers_prev"])
    n = len(c["leads"])
    out["working_days"] = np.full(n, working_days, dtype="int64")
    for col in ("activities", "calls", "meetings"):
        out[f"{col}_per_day"] = safe_ratio(c[col], np.full(n, working_days if has_activities else 0))
    for col in COUNT_COLUMNS:
        out[col] = out[col].astype("int64")
    return out


def scorecard_from(agg: Aggregates, *, plans: pd.DataFrame | None = None, default_target: float | None = None,
                   overrides: dict[str, float] | None = None, alpha: float = 0.05, calendar: str = "none",
                   covered_end=None) -> Scorecard:
    """The scorecard from a period's :class:`Aggregates`: targets, plan fulfilment, ratios and the Wilson
    intervals at ``alpha`` — cheap (one row per manager). ``agg`` is not mutated.

    ``covered_end``: the data's end (e.g. ``periods.complete_through(periods.data_end(...))``); when it
    falls inside the period only the part the data covers counts for the per-day figures (working days
    of ``calendar`` up to it) and the targets (pro-rated to it, as a period ending there); None: the
    whole period."""
    period = agg.period
    active = agg.active
    covered = period.covered(covered_end)
    tgt = period_targets(plans=plans, period=covered or period, managers=active, default_target=default_target,
                         overrides=overrides)
    if covered is None:                             # the data ends before the period: no target is due yet
        tgt = tgt.assign(target=0.0)
    people = sorted(set(active) | set(tgt["manager"]))
    index = pd.Index(people, name="manager", dtype=object)

    def column(frame: pd.DataFrame, name: str) -> np.ndarray:
        """frame[name] for every listed manager, 0 where the manager has no row (join + fillna(0))."""
        v = frame[name].reindex(index).to_numpy(dtype="float64", na_value=np.nan)
        return np.where(np.isnan(v), 0.0, v)

    cols: dict[str, np.ndarray] = {"manager": np.asarray(people, dtype=object)}
    for frame, names in ((agg.leads, ("leads", "won_of_leads", "open_leads")), (agg.won, ("won", "revenue")),
                         (agg.acts, ("calls", "meetings")), (agg.ret, ("customers_prev", "customers_retained"))):
        for name in names:
            cols[name] = column(frame, name)
    cols["activities"] = cols["calls"] + cols["meetings"]
    cols["target"] = tgt.set_index("manager")["target"].reindex(index).to_numpy(dtype="float64", na_value=np.nan)

    t = agg.team
    team = {k: np.array([float(t[k])]) for k in ("leads", "won_of_leads", "open_leads", "won", "revenue", "calls",
                                                  "meetings", "activities", "customers_prev", "customers_retained")}
    team["manager"] = np.array([None], dtype=object)
    team["target"] = np.array([float(tgt["target"].sum()) if len(tgt) else np.nan])
    wd = covered.working_days(calendar) if covered is not None else 0
    has = agg.has_activities
    team = _derived(team, wd, alpha, has)
    n_active = max(len(agg.acts), 1)  # team per-day values are per manager: / managers with an activity
    for col in ("activities", "calls", "meetings"):
        team[f"{col}_per_day"] = team[f"{col}_per_day"] / n_active
    order = KPI_COLUMNS + EXTRA_COLUMNS
    m = _derived(cols, wd, alpha, has)
    return Scorecard(period=period, managers=pd.DataFrame({c: m[c] for c in order}),
                     team=pd.DataFrame({c: team[c] for c in order}), notes=list(agg.notes), covered=covered,
                     calendar=calendar)


def data_covered_end(*, deals: pd.DataFrame, activities: pd.DataFrame | None = None):
    """The date up to which the data covers a period: the data's end (latest created, closed or activity
    date) pushed to its month's end when it reaches the month's last working day
    (``periods.complete_through``); None for empty data."""
    from ..periods import complete_through, data_end
    end = data_end(deals=deals, activities=activities)
    return complete_through(end) if end is not None else None


def compute_kpis(*, deals: pd.DataFrame, period: Period, activities: pd.DataFrame | None = None,
                 plans: pd.DataFrame | None = None, default_target: float | None = None,
                 overrides: dict[str, float] | None = None, alpha: float = 0.05, calendar: str = "none",
                 covered_end=None) -> Scorecard:
    """The five KPIs per manager and for the team in ``period`` (formulas in the module docstring).

    Inputs are canonical frames (``metrics.schema``); they are not mutated. ``alpha`` sets the Wilson
    interval level (0.05 → 95%). Managers are sorted by name; the team row has manager None.
    ``covered_end="data"`` (what the app and the CLI pass): a period running past the data's end is judged
    on the part the data covers (:func:`data_covered_end`; see :func:`scorecard_from`); a date: cut there;
    None (the default): the whole period.
    = ``scorecard_from(kpi_aggregates(...), ...)``: callers that vary only targets or ``alpha`` can keep the
    aggregates.
    """
    if isinstance(covered_end, str) and covered_end == "data":
        covered_end = data_covered_end(deals=deals, activities=activities)
    return scorecard_from(kpi_aggregates(deals=deals, period=period, activities=activities), plans=plans,
                          default_target=default_target, overrides=overrides, alpha=alpha, calendar=calendar,
                          covered_end=covered_end)


def changes(*, current: Scorecard, previous: Scorecard) -> pd.DataFrame:
    """Change of each KPI vs the previous window: manager, kpi, value, previous, delta.

    delta = value − previous (null where either is null); the team row has manager None.
    """
    kpis = ["leads", "conversion", "avg_deal", "revenue", "activities", "activities_per_day",
            "plan_fulfillment", "retention_rate"]
    cur, prev = current.table(), previous.table()
    ck = cur["manager"].fillna("\x00team")
    pk = pd.Index(prev["manager"].fillna("\x00team"))
    if not pk.is_unique:                        # not a scorecard's table: the general (merge) way
        return _changes_merge(cur, prev, kpis)
    pos = pk.get_indexer(ck)                    # the same manager's row in the previous window (−1: none)
    found = pos >= 0
    n = len(cur)
    value = np.concatenate([cur[k].to_numpy(dtype="float64") for k in kpis]) if n else np.zeros(0)
    before = np.full(n * len(kpis), np.nan)
    for i, k in enumerate(kpis):
        before[i * n:(i + 1) * n][found] = prev[k].to_numpy(dtype="float64")[pos[found]]
    # what melt + a left merge on (manager, kpi) give: KPI by KPI, the current table's rows in order
    return text_frame({"manager": np.tile(cur["manager"].to_numpy(dtype=object), len(kpis)),
                       "kpi": np.repeat(np.asarray(kpis, dtype=object), n),
                       "value": value, "previous": before, "delta": value - before})


def _changes_merge(cur: pd.DataFrame, prev: pd.DataFrame, kpis: list[str]) -> pd.DataFrame:
    cur = cur[["manager"] + kpis].melt(id_vars="manager", var_name="kpi", value_name="value")
    prev = prev[["manager"] + kpis].melt(id_vars="manager", var_name="kpi", value_name="previous")
    cur["key"] = cur["manager"].fillna("\x00team")
    prev["key"] = prev["manager"].fillna("\x00team")
    out = cur.merge(prev.drop(columns="manager"), on=["key", "kpi"], how="left").drop(columns="key")
    out["delta"] = out["value"].astype("float64") - out["previous"].astype("float64")
    return out[["manager", "kpi", "value", "previous", "delta"]]


DEFAULT_THRESHOLDS: dict[str, tuple[float, float]] = {
    # kpi: (green at or above, amber at or above)
    "conversion": (0.25, 0.18),
    "avg_deal": (1.0, 0.8),            # share of the team's average deal
    "activities_per_day": (12.0, 8.0),
    "plan_fulfillment": (1.0, 0.8),
    "retention_rate": (0.2, 0.1),       # per month a fifth of last month's customers buying again is good
}
RELATIVE_TO_TEAM = {"avg_deal"}


#: the sample size behind each light that knows one (the other two, activity per working day and plan
#: fulfilment, compare a manager's own total with a set standard, not an estimate of a rate)
LIGHT_SAMPLE = {"conversion": "leads", "avg_deal": "won", "retention_rate": "customers_prev"}


def traffic_lights(*, scorecard: Scorecard, thresholds: dict[str, tuple[float, float]] | None = None,
                   min_n: int | None = None) -> pd.DataFrame:
    """Light per manager and KPI: green ≥ green threshold, amber ≥ amber threshold, else red; None if no value.

    avg_deal is judged relative to the team's average deal (value / team value). With ``min_n``, a
    conversion, average deal or retention light whose sample (leads, won deals, previous customers:
    :data:`LIGHT_SAMPLE`) is smaller than ``min_n`` is "insufficient" ("too little data", grey) — the value
    is still given. Returns manager, kpi, value, score (the value compared), light. The team row has
    manager None.
    """
    th = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    tab = scorecard.table()
    rows = []
    for kpi in LIGHT_KPIS:
        green, amber = th[kpi]
        value = tab[kpi].astype("float64")
        score = value / float(scorecard.team[kpi].iloc[0]) if kpi in RELATIVE_TO_TEAM else value
        light = np.select([score >= green, score >= amber], ["green", "amber"], "red").astype(object)
        light[score.isna().to_numpy()] = None
        if min_n is not None and kpi in LIGHT_SAMPLE:
            small = (tab[LIGHT_SAMPLE[kpi]].to_numpy(dtype="float64") < min_n) & score.notna().to_numpy()
            light[small] = "insufficient"
        rows.append(text_frame({"manager": tab["manager"], "kpi": kpi, "value": value, "score": score,
                                "light": pd.Series(light, index=tab.index, dtype=object)}))  # None stays None (pandas 3)
    return pd.concat(rows, ignore_index=True)
