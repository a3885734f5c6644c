"""What every page needs for the current run: the data, the period, the settings and the KPIs.

:func:`run` (called by app.py) draws the sidebar, loads the chosen data, resolves the run's
:class:`metrics.settings.Settings` once (``ui.state.settings``) and computes the KPIs; the pages get the
result through :func:`current`. The caches are declared with ``ui.state.session_cache`` /
``shared_cache`` (public sample data: once per process; uploads: this session only) and are keyed by the
data's content token and parts of the Settings (``Settings.part``), never by hand-made tuples.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd
import streamlit as st

from metrics import kpi
from metrics.loading import Dataset
from metrics.periods import Period, complete_through, data_end, default_period, default_year
from metrics.report import data_currency
from metrics.settings import Settings, data_months
from metrics.teams import team_levels, team_names

from . import state
from .fmt import use_currency


@dataclass
class Ctx:
    """The run's context: the data (its content token, whether it is public, the per-file reports of the
    Data page), the resolved settings and the KPIs computed from them."""

    dataset: Dataset
    token: str
    source_label: str
    period: Period
    settings: Settings
    scorecard: kpi.Scorecard
    previous: kpi.Scorecard
    lights: pd.DataFrame
    changes: pd.DataFrame
    files: list = field(default_factory=list)
    #: the whole data and its token, before the team filter (the Data page, the by-team table, the data's end)
    full: Dataset | None = None
    full_token: str = ""
    within: pd.DataFrame | None = None   # conversion within H days per manager and team (competing)
    shown: kpi.Scorecard | None = None   # the scorecard as the Overview shows it (the chosen conversion)

    @property
    def whole(self) -> tuple[str, Dataset]:
        """(token, data) of the whole data, before the team filter."""
        return (self.full_token, self.full) if self.full is not None else (self.token, self.dataset)

    def targets(self, months: list[str] | None = None, managers: list[str] | None = None) -> pd.DataFrame:
        """The targets in effect (manager, month, target, source) for the period's months and managers."""
        months = self.period.month_overlaps()["month"].tolist() if months is None else months
        people = self.scorecard.managers["manager"].tolist() if managers is None else managers
        return self.settings.table(managers=people, months=months)


@state.shared_cache("resource", max_entries=64)
def aggregates(token: str, period: Period, _data: Dataset) -> kpi.Aggregates:
    """The period's per-manager counts and sums (``kpi.kpi_aggregates``): the part of the KPIs that reads the
    rows and does not depend on targets or α. Keyed by the data's content token and the period; a
    ``cache_resource`` (no copy per rerun) whose value is read-only by contract."""
    return kpi.kpi_aggregates(deals=_data.deals, period=period, activities=_data.activities)


@state.shared_cache("resource", max_entries=64)
def aggregates_pair(token: str, period: Period, _data: Dataset) -> tuple[kpi.Aggregates, kpi.Aggregates]:
    """The aggregates of the period and of its previous window (what the scorecards compare). A calendar
    month and the month before come from one pass over the rows (``kpi.monthly_aggregates``: the same
    numbers as ``kpi_aggregates``), instead of two; other periods from :func:`aggregates`. Read-only."""
    if period.is_whole_months and period.n_months == 1:
        prev, cur = kpi.monthly_aggregates(deals=_data.deals, months=[period.previous(), period],
                                           activities=_data.activities)
        return cur, prev
    return aggregates(token, period, _data), aggregates(token, period.previous(), _data)


def horizon_of(settings: Settings) -> float:
    """H of "conversion within H days" (the sidebar's; 90 when the settings do not say)."""
    return float(settings.horizon_days) if settings.horizon_days else 90.0


def calendar_of(settings: Settings) -> str:
    """The working-day calendar (``metrics.calendars`` code; Ukraine when the settings do not say)."""
    return settings.country or "UA"


@state.shared_cache("data", max_entries=64)
def _scorecards(token: str, period: Period, targets: tuple, alpha: float, calendar: str, _settings: Settings,
                _data: Dataset, covered_end=None) -> tuple[kpi.Scorecard, kpi.Scorecard, pd.DataFrame]:
    """KPIs for the period and its previous window, and the changes between them. ``token`` is the data's
    content hash, so the unhashed ``_data`` can never be served for other data. A new target or α reuses
    the cached aggregates: only the cheap part is recomputed. Per-day figures and targets use the part of
    the period the data covers (``facts(...)["covered_end"]``) in ``calendar``."""
    args = dict(**_settings.target_args(), alpha=alpha, calendar=calendar,
                covered_end=covered_end if covered_end is not None else facts(token, _data)["covered_end"])
    now, before = aggregates_pair(token, period, _data)
    card = kpi.scorecard_from(now, **args)
    prev = kpi.scorecard_from(before, **args)
    return card, prev, kpi.changes(current=card, previous=prev)


def scorecards(token: str, settings: Settings, data: Dataset, covered_end=None):
    """``covered_end``: the whole data's end when ``data`` is a team's part of it (else its own)."""
    return _scorecards(token, settings.period, settings.target_key, settings.alpha, calendar_of(settings), settings,
                       data, covered_end)


@state.shared_cache("resource", max_entries=16)
def team_view(token: str, level: str | None, teams: tuple, _data: Dataset) -> tuple[str, Dataset]:
    """(token, data) of the chosen teams' managers only (``metrics.teams.filter_dataset``; read-only); the
    whole data when no team is chosen. The token extends the data's (so public data stays public)."""
    if not teams:
        return token, _data
    from metrics.teams import filter_dataset
    import hashlib
    digest = hashlib.sha256(repr((level, teams)).encode()).hexdigest()[:12]
    return f"{token}|teams:{digest}", filter_dataset(data=_data, teams=teams, level=level)


@state.shared_cache("data", max_entries=32)
def _team_kpis(token: str, period: Period, level: str | None, teams: tuple, targets: str, alpha: float,
               calendar: str, _settings: Settings, _data: Dataset) -> pd.DataFrame:
    from metrics.teams import team_kpis
    return team_kpis(deals=_data.deals, activities=_data.activities, period=period, level=level,
                     teams=list(teams) or None, alpha=alpha, calendar=calendar,
                     covered_end=facts(token, _data)["covered_end"], **_settings.target_args())


def by_team(ctx: "Ctx") -> pd.DataFrame | None:
    """The five KPIs per team (the chosen ones, or every team) — None when the data has no team hierarchy.
    The same numbers as the CLI's ``teams`` block."""
    token, data = ctx.whole
    f = facts(token, data)
    if not f["team_levels"]:
        return None
    s = ctx.settings
    level = s.team_level or state.get("team_level") or f["team_levels"][0]
    if level not in f["team_levels"]:
        level = f["team_levels"][0]
    return _team_kpis(token, s.period, level, s.teams, s.target_key, s.alpha, calendar_of(s), s, data)


def team_level(ctx: "Ctx") -> str | None:
    """The team level this run groups by (None without a team hierarchy)."""
    token, data = ctx.whole
    levels = facts(token, data)["team_levels"]
    level = ctx.settings.team_level or state.get("team_level")
    return (level if level in levels else levels[0]) if levels else None


@state.shared_cache("data", max_entries=8)
def currency_of(token: str, _data: Dataset) -> str | None:
    """The data's own currency (``metrics.report.data_currency``: the most common code of the deals'
    ``currency`` column; None when it has none), once per dataset — not a scan of every deal per rerun."""
    return data_currency(_data.deals, default=None)


@state.shared_cache("data", max_entries=16)
def data_end_of(token: str, _data: Dataset) -> date | None:
    """``metrics.periods.data_end`` of the data (None when empty), once per dataset: pages that need the
    data's end (Retention's cohorts, the forecast's default date) no longer scan every row per rerun."""
    return data_end(deals=_data.deals, activities=_data.activities)


@state.shared_cache("data", max_entries=8)
def facts(token: str, _data: Dataset) -> dict:
    """What the sidebar needs from the whole dataset, once per dataset: its first and last dates, the
    default period, the managers and the months a per-manager target is spread over. ``covered_end`` is
    ``kpi.data_covered_end`` (the data's end pushed to its month's end when it reaches the month's last
    working day) from the one ``data_end`` computed here (also handed to the default period and year)."""
    deals = _data.deals
    last = data_end_of(token, _data)
    end = last or date.today()
    first = min(d for d in [deals["created_at"].min(), deals["closed_at"].min()] if pd.notna(d)).date() \
        if len(deals) else end
    return {"first": first, "end": end,
            "default": default_period(deals=deals, activities=_data.activities, end=last),
            "default_year": default_year(deals=deals, activities=_data.activities, end=last),
            "covered_end": complete_through(last) if last is not None else None,
            "managers": distinct_sorted(deals["manager"]),
            "sources": distinct_sorted(deals["source"]) if "source" in deals else [],
            "team_levels": team_levels(deals=deals),
            "team_names": {lv: team_names(deals=deals, level=lv) for lv in team_levels(deals=deals)},
            "months": data_months(deals=deals, plans=_data.plans)}


def distinct_sorted(values: pd.Series) -> list:
    """``sorted(set(values.dropna().unique()))``: through a Python ``set`` of the column (~3× faster than
    pandas' object hash table at a million rows; the same values — for text, set equality is pandas')."""
    def missing(x) -> bool:                      # pd.isna of one value (None, NaN, NaT, pd.NA)
        return x is None or (not isinstance(x, str) and bool(pd.isna(x)))

    try:
        return sorted({x for x in set(values.to_numpy()) if not missing(x)})
    except TypeError:                            # unhashable or unorderable values: pandas says what they are
        return sorted(set(values.dropna().unique()))


def listed_managers(token: str, period: Period, data: Dataset, settings_hint: Settings | None = None) -> list[str]:
    """The managers a period lists: active in it, or with a target in it (what the scorecard shows)."""
    active = set(aggregates_pair(token, period, data)[0].active)
    months = set(period.month_overlaps()["month"])
    planned = set()
    if data.plans is not None and len(data.plans):
        planned = set(data.plans.loc[data.plans["month"].isin(months), "manager"].dropna())
    if settings_hint is not None:
        planned |= {m for m, mo, *_ in settings_hint.targets if mo in months}
    return sorted(active | planned)


@state.shared_cache("data", max_entries=32)
def within(token: str, period: Period, horizon_days: float, alpha: float, _data: Dataset) -> pd.DataFrame:
    """Conversion within H days per manager and the team (``competing.conversion_within``)."""
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


def conversion_measure() -> str:
    """Which conversion the Overview shows: "raw" (won / all leads) or "within" (within H days)."""
    return "within" if state.get("conv_measure") == "within" else "raw"


def build(*, dataset: Dataset, token: str, source_label: str, settings: Settings, files: list | None = None,
          full: Dataset | None = None, full_token: str = "") -> Ctx:
    """The run's context; ``full`` / ``full_token``: the whole data when ``dataset`` is the chosen teams'."""
    end = facts(full_token, full)["covered_end"] if full is not None and full is not dataset else None
    card, prev, changes = scorecards(token, settings, dataset, end)
    w, shown = None, card
    if conversion_measure() == "within":           # else computed when a page asks (within_of)
        w = within(token, settings.period, horizon_of(settings), settings.alpha, dataset)
        shown = with_within(card, w)
    lights = lights_of(token, settings.key, conversion_measure(), end, shown, settings)
    return Ctx(dataset=dataset, token=token, source_label=source_label, period=settings.period,
               settings=settings, scorecard=card, previous=prev, lights=lights, changes=changes,
               files=list(files or []), within=w, shown=shown, full=full, full_token=full_token or token)


@state.shared_cache("data", max_entries=64)
def lights_of(token: str, settings_key: str, measure: str, covered_end, _shown: kpi.Scorecard,
              _settings: Settings) -> pd.DataFrame:
    """The traffic lights of the scorecard shown (``kpi.traffic_lights``), once per data, settings and
    measure: ``settings_key`` (``Settings.key``) covers the period, the targets, the thresholds and
    ``min_n``; the shown scorecard follows from those, the measure and ``covered_end``. Public data: one
    entry per process; an upload's: its session's."""
    return kpi.traffic_lights(scorecard=_shown, thresholds=_settings.threshold_map, min_n=_settings.min_n)


def within_of(ctx: Ctx) -> pd.DataFrame:
    """The run's conversion within H days (cached)."""
    if ctx.within is None:
        ctx.within = within(ctx.token, ctx.period, horizon_of(ctx.settings), ctx.settings.alpha, ctx.dataset)
    return ctx.within


def current() -> Ctx:
    ctx = st.session_state.get("_ctx")
    if ctx is None:  # only reachable when a page runs outside app.py
        st.switch_page("app.py")
    return ctx


def run(user) -> Ctx | None:
    """Draw the sidebar, load the chosen data, resolve the settings once and compute this run's KPIs;
    None when no data is loaded yet. The only caller is app.py."""
    from . import data, sidebar
    from .progress import Loading

    state.seed()
    state.read_url()
    with st.sidebar:
        sidebar.language()
        choice = sidebar.data_source(user)
        loading = Loading()
        got = data.load(choice, user, loading)
        if got is None:
            use_currency(None)
            state.write_url()
            return None
        use_currency(currency_of(got.token, got.dataset))   # money on screen: the data's own
        f = facts(got.token, got.dataset)
        period = sidebar.period(f)
        teams, level = sidebar.teams(f)
        token, view = team_view(got.token, level, teams, got.dataset)
        months = sorted(set(f["months"]) | set(kpi_months(period)))
        draft = state.settings(period=period, plans=got.dataset.plans, months=months, teams=teams, team_level=level)
        listed = [m for m in listed_managers(token, period, view, draft)] or \
            [m for m in f["managers"] if not teams or m in set(view.deals["manager"])] or f["managers"]
        sidebar.controls(user, listed, draft)
    settings = state.settings(period=period, plans=got.dataset.plans, months=months, teams=teams, team_level=level)
    state.write_url()
    loading.kpis()
    ctx = build(dataset=view, token=token, source_label=got.label, settings=settings, files=got.files,
                full=got.dataset, full_token=got.token)
    loading.finish(rows=got.dataset.rows_used)
    st.session_state["_ctx"] = ctx
    return ctx


def kpi_months(period: Period, n: int = 12) -> list[str]:
    """The months any page shows for the period: the period's and the trend's last n."""
    return [f"{p.start:%Y-%m}" for p in kpi.last_months(period, n)] + period.month_overlaps()["month"].tolist()


@state.shared_cache("resource", max_entries=8)
def monthly_aggregates(token: str, end: Period, n: int, _data: Dataset) -> list[kpi.Aggregates]:
    """The aggregates of the n months ending with ``end``'s month, in one pass (read-only by contract)."""
    return kpi.monthly_aggregates(deals=_data.deals, months=kpi.last_months(end, n), activities=_data.activities)


@state.shared_cache("data", max_entries=32)
def _monthly(token: str, end: Period, n: int, targets: tuple, alpha: float, _settings: Settings,
             _data: Dataset) -> pd.DataFrame:
    """``kpi.monthly_kpis`` over the last n months, from the months' aggregates (the same numbers)."""
    args = _settings.target_args()
    return kpi.monthly_table([kpi.scorecard_from(agg, **args, alpha=alpha)
                              for agg in monthly_aggregates(token, end, n, _data)])


def monthly(ctx: Ctx, n: int = 12) -> pd.DataFrame:
    """KPIs month by month for the n months ending with the period's last month (cached)."""
    s = ctx.settings
    return _monthly(ctx.token, ctx.period, n, s.target_key, s.alpha, s, ctx.dataset)


@state.shared_cache("resource", max_entries=4)
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


@state.shared_cache("data", max_entries=16)
def cohort_team(token: str, freq: str, kind: str, owner: str, managers: tuple, source: str | None,
                end: object, _data: Dataset) -> dict:
    """The Retention page's team cohort table, once per setting (session cache)."""
    from metrics import cohorts

    buys, cu = _cohort_base(token, freq, owner, source, end, _data)
    team, caught = _caught(lambda: cohorts.cohort_table(
        purchases=buys, freq=freq, kind=kind, owner=owner, end=end, managers=list(managers) or None, by="team",
        customers=cu))
    return {"team": team, "warnings": caught}


@state.shared_cache("data", max_entries=16)
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


@state.shared_cache("data", max_entries=16)
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
