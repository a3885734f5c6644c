"""What every page needs for the current run: the data, the period, the settings and the KPIs.

Computed once per run in app.py (cheap: cached per session and keyed by the data's content token)
and handed to the pages through ``current()``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import streamlit as st

from metrics import kpi
from metrics.loading import Dataset
from metrics.periods import Period, data_end, default_period, default_year
from metrics.planning import apply_plan_edits


@dataclass
class Settings:
    alpha: float = 0.05
    min_n: int = 30
    adjust: str = "holm"
    default_target: float | None = None
    overrides: dict[str, float] = field(default_factory=dict)
    thresholds: dict[str, tuple[float, float]] = field(default_factory=dict)
    plan_edits: dict[tuple[str, str], float | None] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    horizon_days: float = 90.0          # conversion within H days (metrics.competing)
    calendar: str = "UA"                # working-day calendar (metrics.calendars)
    conversion_measure: str = "raw"     # which conversion the Overview shows: "raw" | "within"

    def edits_key(self) -> tuple:
        """The hand-set plan cells as a hashable, ordered cache key."""
        return tuple(sorted(self.plan_edits.items(), key=lambda kv: kv[0]))


@dataclass
class Ctx:
    dataset: Dataset
    token: str
    source_label: str
    period: Period
    settings: Settings
    scorecard: kpi.Scorecard
    previous: kpi.Scorecard
    lights: pd.DataFrame
    changes: pd.DataFrame
    within: pd.DataFrame | None = None   # conversion within H days per manager and team (competing)
    shown: kpi.Scorecard | None = None   # the scorecard as the Overview shows it (the chosen conversion)


def plans_with_edits(data: Dataset, edits: tuple) -> pd.DataFrame | None:
    """The plans the KPIs use: the loaded plans file with the cells set on the Plan page replacing it."""
    return apply_plan_edits(plans=data.plans, edits=dict(edits))


@st.cache_resource(scope="session", max_entries=64, ttl="2h", show_spinner=False)
def aggregates(token: str, period: Period, _data: Dataset) -> kpi.Aggregates:
    """The period's per-manager counts and sums (``kpi.kpi_aggregates``): the part of the KPIs that reads the
    rows and does not depend on targets or α. Keyed by the data's content token and the period, this
    session only; a ``cache_resource`` (no copy per rerun) whose value is read-only by contract."""
    return kpi.kpi_aggregates(deals=_data.deals, period=period, activities=_data.activities)


@st.cache_data(scope="session", max_entries=64, ttl="2h", show_spinner=False)
def scorecards(token: str, period: Period, default_target: float | None, overrides: tuple,
               alpha: float, edits: tuple, _data: Dataset, calendar: str = "UA",
               covered_end: date | None = None) -> tuple[kpi.Scorecard, kpi.Scorecard, pd.DataFrame]:
    """KPIs for the period and its previous window, and the changes between them. ``token`` is the data's
    content hash, so the unhashed ``_data`` can never be served for other data; the cache is this session's
    only. A new target or α reuses the cached aggregates: only the cheap part is recomputed. Per-day figures
    and targets use the part of the period up to ``covered_end`` (the data's end) in ``calendar``."""
    args = dict(plans=plans_with_edits(_data, edits), default_target=default_target, overrides=dict(overrides),
                alpha=alpha, calendar=calendar, covered_end=covered_end)
    card = kpi.scorecard_from(aggregates(token, period, _data), **args)
    prev = kpi.scorecard_from(aggregates(token, period.previous(), _data), **args)
    return card, prev, kpi.changes(current=card, previous=prev)


@st.cache_data(scope="session", max_entries=8, ttl="2h", show_spinner=False)
def facts(token: str, _data: Dataset) -> dict:
    """What the sidebar needs from the whole dataset, once per dataset: its first and last dates, the
    default period and the managers."""
    deals = _data.deals
    end = data_end(deals=deals, activities=_data.activities) or date.today()
    first = min(d for d in [deals["created_at"].min(), deals["closed_at"].min()] if pd.notna(d)).date() \
        if len(deals) else end
    return {"first": first, "end": end, "default": default_period(deals=deals, activities=_data.activities),
            "default_year": default_year(deals=deals, activities=_data.activities),
            "covered_end": kpi.data_covered_end(deals=deals, activities=_data.activities),
            "managers": sorted(set(deals["manager"].dropna().unique())),
            "sources": sorted(deals["source"].dropna().unique()) if "source" in deals else []}


@st.cache_data(scope="session", max_entries=32, ttl="2h", show_spinner=False)
def within(token: str, period: Period, horizon_days: float, alpha: float, _data: Dataset) -> pd.DataFrame:
    """Conversion within H days per manager and the team (``competing.conversion_within``; session cache)."""
    from metrics.competing import conversion_within
    return conversion_within(deals=_data.deals, period=period, horizon_days=horizon_days, alpha=alpha)


def with_within(card: kpi.Scorecard, table: pd.DataFrame) -> kpi.Scorecard:
    """The scorecard with conversion (and its interval) replaced by the conversion within H days — what the
    Overview shows when that measure is chosen (lights included)."""
    from dataclasses import replace

    by = table.assign(key=table["manager"].fillna("\x00team")).set_index("key")
    cols = {"conversion": "conversion_h", "conversion_ci_low": "conversion_h_ci_low",
            "conversion_ci_high": "conversion_h_ci_high"}

    def swap(df: pd.DataFrame) -> pd.DataFrame:
        out = df.copy()
        keys = out["manager"].fillna("\x00team")
        for a, b in cols.items():
            out[a] = keys.map(by[b]).astype("float64").to_numpy()
        return out

    return replace(card, managers=swap(card.managers), team=swap(card.team))


def build(*, dataset: Dataset, token: str, source_label: str, period: Period, settings: Settings) -> Ctx:
    f = facts(token, dataset)
    card, prev, changes = scorecards(token, period, settings.default_target,
                                     tuple(sorted(settings.overrides.items())), settings.alpha,
                                     settings.edits_key(), dataset, settings.calendar, f["covered_end"])
    w = None
    shown = card
    if settings.conversion_measure == "within":   # else computed when a page asks (within_of)
        w = within(token, period, settings.horizon_days, settings.alpha, dataset)
        shown = with_within(card, w)
    lights = kpi.traffic_lights(scorecard=shown, thresholds=settings.thresholds, min_n=settings.min_n)
    return Ctx(dataset=dataset, token=token, source_label=source_label, period=period, settings=settings,
               scorecard=card, previous=prev, lights=lights, changes=changes, within=w, shown=shown)


def within_of(ctx: Ctx) -> pd.DataFrame:
    """The run's conversion within H days (cached per session)."""
    if ctx.within is None:
        ctx.within = within(ctx.token, ctx.period, ctx.settings.horizon_days, ctx.settings.alpha, ctx.dataset)
    return ctx.within


def current() -> Ctx:
    ctx = st.session_state.get("_ctx")
    if ctx is None:  # only reachable when a page runs outside app.py
        st.switch_page("app.py")
    return ctx


@st.cache_resource(scope="session", max_entries=8, ttl="2h", show_spinner=False)
def monthly_aggregates(token: str, end: Period, n: int, _data: Dataset) -> list[kpi.Aggregates]:
    """The aggregates of the n months ending with ``end``'s month, in one pass (read-only by contract)."""
    return kpi.monthly_aggregates(deals=_data.deals, months=kpi.last_months(end, n), activities=_data.activities)


@st.cache_data(scope="session", max_entries=32, ttl="2h", show_spinner=False)
def _monthly(token: str, end: Period, n: int, default_target: float | None, overrides: tuple, alpha: float,
             edits: tuple, _data: Dataset) -> pd.DataFrame:
    """``kpi.monthly_kpis`` over the last n months, from the months' aggregates (the same numbers)."""
    plans = plans_with_edits(_data, edits)
    return kpi.monthly_table([kpi.scorecard_from(agg, plans=plans,
                                                 default_target=default_target, overrides=dict(overrides),
                                                 alpha=alpha)
                              for agg in monthly_aggregates(token, end, n, _data)])


def monthly(ctx: Ctx, n: int = 12) -> pd.DataFrame:
    """KPIs month by month for the n months ending with the period's last month (cached per session)."""
    s = ctx.settings
    return _monthly(ctx.token, ctx.period, n, s.default_target, tuple(sorted(s.overrides.items())), s.alpha,
                    s.edits_key(), ctx.dataset)


@st.cache_resource(scope="session", max_entries=4, ttl="2h", show_spinner=False)
def _cohort_base(token: str, freq: str, owner: str, source: str | None, end: object, _data: Dataset) -> tuple:
    """The purchases (of one source) and their one sort (``cohorts.customers``), shared by the cohort tables
    and the time-to-repeat part (read-only by contract)."""
    from metrics import cohorts

    buys = cohorts.purchases(deals=_data.deals)
    if source:
        buys = buys[buys["source"] == source].reset_index(drop=True)
    return buys, cohorts.customers(purchases=buys, freq=freq, end=end, owner=owner)


def _caught(fn):
    """fn()'s result and the StatisticalWarnings it raised (``i18n.engine_warnings`` entries)."""
    import warnings

    from metrics.errors import StatisticalWarning

    from .i18n import engine_warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", StatisticalWarning)
        out = fn()
    return out, engine_warnings(caught)


@st.cache_data(scope="session", max_entries=16, ttl="2h", show_spinner=False)
def cohort_team(token: str, freq: str, kind: str, owner: str, managers: tuple, source: str | None,
                end: object, _data: Dataset) -> dict:
    """The Retention page's team cohort table, once per setting (session cache)."""
    from metrics import cohorts

    buys, cu = _cohort_base(token, freq, owner, source, end, _data)
    team, caught = _caught(lambda: cohorts.cohort_table(
        purchases=buys, freq=freq, kind=kind, owner=owner, end=end, managers=list(managers) or None, by="team",
        customers=cu))
    return {"team": team, "warnings": caught}


@st.cache_data(scope="session", max_entries=16, ttl="2h", show_spinner=False)
def cohort_pooled(token: str, freq: str, kind: str, owner: str, managers: tuple, source: str | None,
                  end: object, _data: Dataset) -> dict:
    """The per-manager cohort table and the pooled curves (team and managers), once per setting (session)."""
    from metrics import cohorts

    buys, cu = _cohort_base(token, freq, owner, source, end, _data)
    team = cohort_team(token, freq, kind, owner, managers, source, end, _data)

    def run():
        per = cohorts.cohort_table(purchases=buys, freq=freq, kind=kind, owner=owner, end=end,
                                   managers=list(managers) or None, by="manager", customers=cu)
        return per, pd.concat([cohorts.pooled_curve(table=team["team"]), cohorts.pooled_curve(table=per)],
                              ignore_index=True)

    (per, pooled), caught = _caught(run)
    return {"per_manager": per, "pooled": pooled, "warnings": sorted(set(team["warnings"]) | set(caught), key=lambda e: e[2])}


@st.cache_data(scope="session", max_entries=16, ttl="2h", show_spinner=False)
def repeat_views(token: str, freq: str, owner: str, managers: tuple, source: str | None, end: object,
                 alpha: float, _data: Dataset) -> dict:
    """Time to repeat purchase: Kaplan–Meier for the team and per manager and the log-rank test (session)."""
    from metrics import cohorts
    from metrics.errors import DataError

    buys, cu = _cohort_base(token, freq, owner, source, end, _data)

    def run():
        ttr = cohorts.time_to_repeat(purchases=buys, freq=freq, owner=owner, end=end, customers=cu)
        if managers:
            ttr = ttr[ttr["manager"].isin(list(managers))]
        km_team = cohorts.kaplan_meier(data=ttr, group=None, alpha=alpha) if len(ttr) else None
        km = cohorts.kaplan_meier(data=ttr, group="manager", alpha=alpha) if len(ttr) else None
        try:
            lr = cohorts.logrank(data=ttr) if ttr["manager"].nunique() > 1 else None
        except DataError:
            lr = None
        return km_team, km, lr

    (km_team, km, lr), caught = _caught(run)
    return {"km_team": km_team, "km": km, "logrank": lr, "warnings": caught}
