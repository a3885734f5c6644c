"""The Compare page's computations (cached per session) and their display: verdict sentences, tables."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import streamlit as st

from metrics import compare as C
from metrics.errors import DataError, StatisticalWarning
from metrics.kpi import period_activities, period_leads, period_won, retention_customers
from metrics.loading import Dataset
from metrics.periods import Period
from metrics.settings import Settings

from . import state

from .context import Ctx, horizon_of
from .fmt import format_value
from .i18n import engine_warnings, lang, t

N_NEEDED_CAP = 100_000
#: KPI → (unit key for n, format of the estimate)
KINDS = {"conversion": ("leads", "pct"), "avg_deal": ("deals", "money"), "activities": ("activities", "num1"),
         "retention": ("customers", "pct"), "conversion_h": ("leads", "pct")}
#: the effect measure of each KPI's vs-team table (for "no practically relevant difference")
EFFECTS = {"conversion": "cohens_h", "retention": "cohens_h", "conversion_h": "cohens_h",
           "avg_deal": "cliffs_delta", "activities": "rate_ratio"}


@state.shared_cache("resource", max_entries=8)
def _rows(token: str, period: Period, _data: Dataset) -> dict:
    """The period's leads, won deals, customers and activities (read-only), and the managers of the period."""
    leads = period_leads(deals=_data.deals, period=period)
    won = period_won(deals=_data.deals, period=period)
    out = {"leads": leads, "won": won, "customers": retention_customers(deals=_data.deals, period=period),
           "acts": None, "managers": None}
    if _data.activities is not None:
        acts = period_activities(activities=_data.activities, period=period)
        out["acts"] = acts
        out["managers"] = sorted(set(leads["manager"]) | set(won["manager"]) | set(acts["manager"]))
    return out


@state.shared_cache("data", max_entries=8)
def _model(token: str, period: Period, _data: Dataset) -> dict | None:
    """The activity count model (NB dispersion fit: seconds at 1M) — shared by vs-team and the pair."""
    r = _rows(token, period, _data)
    if r["acts"] is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        return C.activity_model(activities=r["acts"], period=period, managers=r["managers"])


#: the parts of the each-vs-team tab, each computed when it is shown (and then cached for the session)
PARTS = ["conversion", "conversion_h", "avg_deal", "activities", "retention", "plan"]


@state.shared_cache("data", max_entries=64)
def _vs_team_part(token: str, period: Period, part: str, alpha: float, adjust: str, min_n: int, test: str,
                  targets: str, _settings: Settings, _data: Dataset, horizon_days: float = 90.0) -> dict:
    """One part of the comparisons: its results and the statistical warnings raised computing them.
    ``targets`` is the digest of the targets in effect for the "plan" part (empty for the others, which do
    not depend on them)."""
    r = _rows(token, period, _data)
    leads = r["leads"]
    common = dict(alpha=alpha, adjust=adjust, min_n=min_n)
    out: dict = {}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", StatisticalWarning)
        if part == "conversion":
            out["conversion"] = C.conversion_vs_team(leads=leads, **common)
            out["funnel"] = C.funnel_data(leads=leads) if leads["manager"].nunique() > 1 else None
        elif part == "conversion_h":
            from metrics import competing
            out["conversion_h"] = competing.conversion_h_vs_team(deals=_data.deals, period=period,
                                                                 horizon_days=horizon_days, **common)
            fun = competing.funnel_within(deals=_data.deals, period=period, horizon_days=horizon_days)
            out["funnel"] = fun if len(fun.summary) > 1 else None
        elif part == "avg_deal":
            out["avg_deal"] = C.deal_size_vs_team(won=r["won"], test=test, n_boot=1999, **common)
        elif part == "retention":
            out["retention"] = C.retention_vs_team(customers=r["customers"], **common)
        elif part == "activities" and r["acts"] is not None:
            out["activities"] = C.activity_vs_team(activities=r["acts"], period=period, managers=r["managers"],
                                                   model=_model(token, period, _data), **common)
        elif part == "plan":          # months at plan against the targets in effect (not the plans file alone)
            args = _settings.target_args()
            monthly = C.monthly_plan(deals=_data.deals, period=period, **args)
            out["plan"] = C.plan_hit_share(monthly=monthly, alpha=alpha) if len(monthly) else None
        elif part == "shrunk":
            out["shrunk"] = C.shrunk_conversion(leads=leads, alpha=alpha) if len(leads) else None
        elif part == "within":
            out["within"] = None
            if leads["source"].notna().any() and leads["source"].nunique() > 1:
                out["within"] = C.within_source(leads=leads, **common)
    out["warnings"] = engine_warnings(caught)
    return out


def team_groups(ctx: Ctx) -> pd.DataFrame | None:
    """manager, team of the run's managers at the run's team level (None without a team hierarchy or with
    fewer than two teams to look into)."""
    from metrics.teams import manager_teams

    from .context import team_level
    level = team_level(ctx)
    if level is None:
        return None
    mt = manager_teams(deals=ctx.dataset.deals, level=level)
    mt = mt[mt["manager"].isin(ctx.scorecard.managers["manager"])].reset_index(drop=True)
    return mt if mt["team"].astype(object).nunique(dropna=False) > 1 else None


def vs_team_by_team(ctx: Ctx, part: str, test: str = "mannwhitney") -> dict:
    """:func:`vs_team` within each team (``compare.vs_own_team``): every manager vs the rest of their own
    team — each team's rows are what :func:`vs_team` gives with the sidebar filtered to that team."""
    from .context import team_level, team_view
    mt = team_groups(ctx)
    level = team_level(ctx)
    s = ctx.settings
    team_of = dict(zip(mt["manager"], mt["team"]))
    done: dict[tuple, dict] = {}

    def run(people: list) -> dict:
        key = tuple(people)
        if key not in done:
            token, sub = team_view(ctx.token, level, (team_of[people[0]],), ctx.dataset)
            done[key] = _vs_team_part(token, ctx.period, part, s.alpha, s.adjust, s.min_n,
                                      test if part == "avg_deal" else "", s.target_key if part == "plan" else "",
                                      s, sub, float(horizon_of(s)) if part == "conversion_h" else 90.0)
        return done[key]

    out: dict = {"funnel": None}
    if part == "plan":
        return {**vs_team(ctx, part), "funnel": None}
    kpi = part
    res = C.vs_own_team(teams=mt, compare=lambda people: run(people).get(kpi))
    if len(res.summary):
        out[kpi] = res
    out["alone"] = res.omnibus["alone"]
    out["warnings"] = sorted({w for r in done.values() for w in r["warnings"]}, key=lambda e: e[2])
    return out


def ensure_pair(managers: list[str]) -> None:
    """The pair tab's two managers: kept when still listed, else the first two."""
    state.ensure("cmp_a", managers)
    state.ensure("cmp_b", managers[1:] + managers[:1])


def parts_of(ctx: Ctx) -> list[str]:
    """The each-vs-team parts this data can show: activities need an activities file, months at plan a
    target in effect (file, grid, sidebar, default or scenario)."""
    has_targets = bool(ctx.settings.targets) or bool(ctx.settings.default_target)
    return [p for p in PARTS if (p != "activities" or ctx.dataset.activities is not None)
            and (p != "plan" or has_targets)]


def vs_team(ctx: Ctx, part: str, test: str = "mannwhitney") -> dict:
    """The each-vs-team results of one part (see PARTS; also "shrunk" and "within" for the ranking tab)."""
    s = ctx.settings
    return _vs_team_part(ctx.token, ctx.period, part, s.alpha, s.adjust, s.min_n,
                         test if part == "avg_deal" else "", s.target_key if part == "plan" else "", s,
                         ctx.dataset, float(horizon_of(s)) if part == "conversion_h" else 90.0)


@state.shared_cache("data", max_entries=32)
def _pair(token: str, period: Period, a: str, b: str, alpha: float, min_n: int, targets: str, _settings: Settings,
          _data: Dataset) -> pd.DataFrame:
    model = _model(token, period, _data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        return C.pair_comparison(deals=_data.deals, activities=_data.activities, period=period,
                                 a=a, b=b, alpha=alpha, min_n=min_n, n_boot=1999, model=model,
                                 **_settings.target_args())


def pair(ctx: Ctx, a: str, b: str) -> pd.DataFrame | None:
    s = ctx.settings
    try:
        return _pair(ctx.token, ctx.period, a, b, s.alpha, s.min_n, s.target_key, s, ctx.dataset)
    except DataError:
        return None


def _p(p) -> str:
    """'= 0.041' or '< 0.001' (the templates say 'p {p}')."""
    text = format_value(p, "p", lang())
    return text.replace("<", "< ") if text.startswith("<") else f"= {text}"


def sentence(verdict: str, *, p, n, n_needed, unit: str, versus: str = "team", tiny: bool = False,
             **names: str) -> str:
    """A verdict in words: above / below / no evidence (p after adjustment) / too little data (the same
    sentence as the report's: report.content.verdict_sentence). ``tiny``: the observed effect is below a
    practically relevant size (``compare.negligible``) — then "no practically relevant difference" instead
    of the sample size it would take."""
    if tiny and verdict == "not_enough_data":
        from report.content import unit_text
        lg = lang()
        return t("compare.v.not_enough_data_negligible", n=format_value(n, "int", lg), unit=unit_text(unit, n, lg))
    if tiny and verdict == "no_difference":
        return t("compare.v.negligible")
    from report.content import verdict_sentence
    return verdict_sentence(verdict, p=p, n=n, n_needed=n_needed, unit=unit, lang=lang(), versus=versus, **names)


def team_table(kpi: str, res) -> pd.DataFrame:
    """Display frame for one KPI's each-vs-team result: manager, n, estimate, interval, effect, p, verdict."""
    unit, kind = KINDS[kpi]
    s = res.summary
    lg = lang()
    est, lo, hi = {"conversion": ("rate", "ci_low", "ci_high"), "retention": ("rate", "ci_low", "ci_high"),
                   "conversion_h": ("rate", "ci_low", "ci_high"),
                   "avg_deal": ("median", "median_ci_low", "median_ci_high"),
                   "activities": ("rate", "rate_ci_low", "rate_ci_high")}[kpi]
    n_col = "count" if kpi == "activities" else "n"
    rows = pd.DataFrame({
        **({"team": [t("teams.none") if v is None else v for v in s["team"]]} if "team" in s.columns else {}),
        "manager": s["manager"], "n": s[n_col],
        "estimate": [format_value(v, kind, lg) for v in s[est]],
        "interval": [_interval(a, b, kind) for a, b in zip(s[lo], s[hi])],
        "effect": [format_value(v, "num2", lg) for v in s["effect"]],
        "p_adjusted": s["p_adjusted"],
        "verdict": [sentence(v, p=p, n=n, n_needed=k, unit=unit, tiny=bool(small))
                    for v, p, n, k, small in zip(s["verdict"], s["p_adjusted"], s[n_col], s["n_needed"],
                                                 C.negligible(s["effect"], EFFECTS[kpi]))]})
    return rows


def _interval(low, high, kind: str) -> str:
    lg = lang()
    if format_value(low, kind, lg) == "—" and format_value(high, kind, lg) == "—":
        return "—"
    return f"{format_value(low, kind, lg)} – {format_value(high, kind, lg)}"


def omnibus_text(kpi: str, res) -> str:
    o = res.omnibus
    if not o.get("test") or o.get("p_value") is None or o["p_value"] != o["p_value"]:
        return t("compare.omnibus_none")
    key = "compare.omnibus_differ" if o["p_value"] < 0.05 else "compare.omnibus_same"
    return t(key, test=t(f"compare.test.{o['test']}"), p=_p(o["p_value"]))


def pair_rows(df: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    lg = lang()
    kinds = {"conversion": "pct", "avg_deal": "money", "activities_per_day": "num1", "retention_rate": "pct",
             "plan_hit_share": "pct"}
    units = {"conversion": "leads", "avg_deal": "deals", "activities_per_day": "days", "retention_rate": "customers",
             "plan_hit_share": "months"}
    out = []
    for r in df.itertuples(index=False):
        k = kinds.get(r.kpi, "num2")
        verdict = sentence(r.verdict, p=r.p_value, n=min(r.n_a, r.n_b), n_needed=r.n_needed,
                           unit=units.get(r.kpi, "leads"), versus="pair",
                           tiny=bool(C.negligible([r.effect], str(r.effect_name))[0]), a=a, b=b)
        out.append({"kpi_label": t(f"compare.kpi.{r.kpi}"), "a": f"{format_value(r.a_value, k, lg)} (n={r.n_a})",
                    "b": f"{format_value(r.b_value, k, lg)} (n={r.n_b})",
                    "diff": f"{format_value(r.diff, k, lg)} [{format_value(r.ci_low, k, lg)}; {format_value(r.ci_high, k, lg)}]",
                    "verdict": verdict})
    return pd.DataFrame(out)


def funnel_frames(res) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Funnel plot data: managers (n, rate, outside flag) and the limit curves in long format."""
    n_min = max(1.0, 0.5 * float(res.summary["n"].min()))
    curve = res.curve[res.curve["n"] >= n_min].melt(id_vars="n", var_name="limit", value_name="rate")
    curve["level"] = np.where(curve["limit"].str.endswith("998"), "99.8%", "95%")
    curve["side"] = np.where(curve["limit"].str.startswith("lower"), "lower", "upper")
    pts = res.summary.copy()
    pts["where"] = pts["side"].map(lambda s: t(f"compare.funnel.{s}"))
    return pts, curve


def shrunk_rows(res) -> pd.DataFrame:
    lg = lang()
    s = res.summary.sort_values("rank")
    return pd.DataFrame({"rank": s["rank"], "manager": s["manager"], "n": s["n"],
                         "raw": [format_value(v, "pct", lg) for v in s["rate"]], "raw_rank": s["raw_rank"],
                         "shrunk": [format_value(v, "pct", lg) for v in s["shrunk"]],
                         "cred": [f"{format_value(a, 'pct', lg)} – {format_value(b, 'pct', lg)}"
                                  for a, b in zip(s["cred_low"], s["cred_high"])]})


def within_rows(res) -> pd.DataFrame:
    lg = lang()
    s = res.summary
    return pd.DataFrame({"manager": s["manager"], "n": s["n"],
                         "effect": [f"{format_value(e, 'num2', lg)} [{format_value(a, 'num2', lg)}; {format_value(b, 'num2', lg)}]"
                                    for e, a, b in zip(s["effect"], s["effect_ci_low"], s["effect_ci_high"])],
                         "p_adjusted": s["p_adjusted"],
                         "verdict": [sentence(v, p=p, n=n, n_needed=None, unit="leads")
                                     for v, p, n in zip(s["verdict"], s["p_adjusted"], s["n"])]})


def plan_rows(df: pd.DataFrame) -> pd.DataFrame:
    lg = lang()
    return pd.DataFrame({"manager": df["manager"], "months": df["months"], "hits": df["hits"],
                         "share": [format_value(v, "pct", lg) for v in df["share"]],
                         "interval": [f"{format_value(a, 'pct', lg)} – {format_value(b, 'pct', lg)}"
                                      for a, b in zip(df["ci_low"], df["ci_high"])]})
