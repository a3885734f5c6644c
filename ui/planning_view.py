"""The Plan page's workshop tools: target grid and rules, forecast, what-if, score, scenarios.

State lives in ``st.session_state["plan_edits"]`` ((manager, month) → target) and the sidebar's keys;
every change goes through callbacks, so it applies before the next run renders the widgets.
"""
from __future__ import annotations

import warnings
from datetime import date

import pandas as pd
import streamlit as st

from metrics import kpi, planning
from metrics.errors import DataError, StatisticalWarning
from metrics.loading import Dataset
from metrics.periods import Period, data_end

from .context import Ctx, plans_with_edits
from .fmt import format_value
from .i18n import error_text, lang, t
from .sidebar import threshold_modes

RULES = ("same", "growth", "percentile", "split")
KPI_TARGETS = ("won", "conversion", "activities_per_day", "retention_rate")
EDITOR_KEY = "plan_grid_editor"


def months_of(ctx: Ctx) -> list[str]:
    return ctx.period.month_overlaps()["month"].tolist()


def managers_of(ctx: Ctx) -> list[str]:
    return ctx.scorecard.managers["manager"].tolist()


def grid(ctx: Ctx) -> pd.DataFrame:
    """Managers × months of the period with the effective monthly targets (file + edits)."""
    return _grid(ctx.dataset, ctx.settings.edits_key(), ctx.period, managers_of(ctx))


def _grid(data: Dataset, edits: tuple, period: Period, people: list[str]) -> pd.DataFrame:
    plans = plans_with_edits(data, edits)
    months = period.month_overlaps()["month"].tolist()
    wide = pd.DataFrame(index=pd.Index(people, name="manager"), columns=months, dtype="float64")
    if plans is not None and len(plans):
        sub = plans[plans["month"].isin(months) & plans["manager"].isin(people)]
        for m, mo, v in zip(sub["manager"], sub["month"], sub["target"]):
            wide.at[m, mo] = v
    return wide.reset_index()


def on_grid_edit(ctx_months: list[str], people: list[str]) -> None:
    """data_editor callback: store the edited cells as plan edits."""
    state = st.session_state.get(EDITOR_KEY) or {}
    edits = dict(st.session_state.get("plan_edits", {}))
    for row, cells in state.get("edited_rows", {}).items():
        for month, value in cells.items():
            if month in ctx_months and int(row) < len(people):
                edits[(people[int(row)], month)] = None if value is None else float(value)
    st.session_state["plan_edits"] = edits


def apply_rule(ctx: Ctx) -> None:
    """Generate the period's targets by the rule chosen in the form and store them as plan edits."""
    s = st.session_state
    months, people, deals = months_of(ctx), managers_of(ctx), ctx.dataset.deals
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StatisticalWarning)
            rule = s["rule_kind"]
            if rule == "same":
                plans = planning.rule_same(managers=people, months=months, target=float(s["rule_target"]))
            elif rule == "growth":
                plans = planning.rule_growth(deals=deals, managers=people, months=months,
                                             growth=float(s["rule_growth"]) / 100)
            elif rule == "percentile":
                plans = planning.rule_percentile(deals=deals, managers=people, months=months,
                                                 q=float(s["rule_q"]) / 100)
            else:
                plans = planning.rule_split(deals=deals, managers=people, months=months,
                                            team_target=float(s["rule_team"]))
            if s.get("rule_ramp"):
                starts = planning.new_managers(deals=deals, months=months)
                if starts:
                    plans = planning.ramp_up(plans=plans, starts=starts)
    except DataError as exc:
        s["_rule_error"] = str(exc)
        return
    edits = dict(s.get("plan_edits", {}))
    for m, mo, v in zip(plans["manager"], plans["month"], plans["target"]):
        edits[(m, mo)] = None if pd.isna(v) else round(float(v), -2)
    s["plan_edits"] = edits
    s.pop(EDITOR_KEY, None)
    s["_rule_error"] = None


def reset_edits() -> None:
    st.session_state["plan_edits"] = {}
    st.session_state.pop(EDITOR_KEY, None)


def green_table(ctx: Ctx) -> pd.DataFrame:
    """Manager, revenue, target, fulfilment with its light (for 'who is green')."""
    tab = ctx.scorecard.table()
    lights = ctx.lights[ctx.lights["kpi"] == "plan_fulfillment"]
    light = dict(zip(lights["manager"].fillna("\x00"), lights["light"]))
    icon = {"green": "🟢", "amber": "🟡", "red": "🔴"}
    out = tab[["manager", "revenue", "target", "plan_fulfillment"]].copy()
    out["light"] = [icon.get(light.get(m if m is not None else "\x00"), "—") for m in out["manager"]]
    out["manager"] = out["manager"].where(out["manager"].notna(), t("common.team"))
    return out


def _overrides_key(ctx: Ctx) -> tuple:
    return tuple(sorted(ctx.settings.overrides.items()))


@st.cache_data(scope="session", max_entries=16, ttl="2h", show_spinner=False)
def _forecast(token: str, period: Period, as_of: date, holidays: str, alpha: float, default_target: float | None,
              overrides: tuple, edits: tuple, _data: Dataset) -> pd.DataFrame:
    """``planning.forecast`` for the Plan page, cached per session by the data's content token and every
    setting it depends on (the unhashed ``_data`` is always the token's data)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        return planning.forecast(deals=_data.deals, activities=_data.activities, period=period, as_of=as_of,
                                 plans=plans_with_edits(_data, edits), holidays=holidays, alpha=alpha,
                                 default_target=default_target, overrides=dict(overrides), band="prediction")


def forecast_frame(ctx: Ctx, as_of: date, holidays: str) -> pd.DataFrame:
    s = ctx.settings
    fc = _forecast(ctx.token, ctx.period, as_of, holidays, s.alpha, s.default_target, _overrides_key(ctx),
                   s.edits_key(), ctx.dataset)
    fc["manager"] = fc["manager"].where(fc["manager"].notna(), t("common.team"))
    return fc


def default_as_of(ctx: Ctx) -> date:
    end = data_end(deals=ctx.dataset.deals, activities=ctx.dataset.activities) or ctx.period.end
    return min(max(end, ctx.period.start), ctx.period.end)


@st.cache_data(scope="session", max_entries=16, ttl="2h", show_spinner=False)
def _whatif(token: str, period: Period, people: tuple, edits: tuple, thresholds: tuple, n_months: int,
            _data: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    g = _grid(_data, edits, period, list(people)).set_index("manager")
    monthly = g.mean(axis=1, skipna=True).dropna()
    past = [f"{p.start:%Y-%m}" for p in kpi.last_months(period.previous(), n_months)]
    plans = pd.DataFrame([(m, mo, v) for m, v in monthly.items() for mo in past],
                         columns=["manager", "month", "target"])
    bt = planning.backtest(deals=_data.deals, plans=plans, months=past, thresholds=thresholds, active_only=True)
    return bt, planning.backtest_summary(bt)


def whatif(ctx: Ctx, n_months: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Last n complete months scored against each manager's average monthly target of this plan (cached per
    session by the data, the period, the plan edits and the plan-fulfilment thresholds)."""
    green, amber = ctx.settings.thresholds.get("plan_fulfillment", kpi.DEFAULT_THRESHOLDS["plan_fulfillment"])
    bt, summary = _whatif(ctx.token, ctx.period, tuple(managers_of(ctx)), ctx.settings.edits_key(),
                          (float(green), float(amber)), n_months, ctx.dataset)
    summary["manager"] = summary["manager"].where(summary["manager"].notna(), t("common.team"))
    return bt, summary


@st.cache_data(scope="session", max_entries=16, ttl="2h", show_spinner=False)
def _score(token: str, period: Period, default_target: float | None, overrides: tuple, edits: tuple, alpha: float,
           weights: tuple, _card: kpi.Scorecard, _data: Dataset) -> pd.DataFrame:
    """The composite score; ``_card`` is the scorecard of exactly these data, period, targets and α."""
    won = kpi.period_won(deals=_data.deals, period=period)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        sc = planning.composite_score(scorecard=_card, weights=dict(weights) or {k: 1.0 for k in kpi.LIGHT_KPIS},
                                      won=won, alpha=alpha)
    return sc.sort_values(["rank", "manager"], na_position="last").reset_index(drop=True)


def score(ctx: Ctx) -> pd.DataFrame:
    """Composite score with rank intervals (cached per session by everything the scorecard depends on)."""
    s = ctx.settings
    return _score(ctx.token, ctx.period, s.default_target, _overrides_key(ctx), s.edits_key(), s.alpha,
                  tuple(sorted(s.weights.items())), ctx.scorecard, ctx.dataset)


def kpi_targets() -> dict[str, float]:
    """Team-wide targets on KPIs other than revenue typed on the Plan page (0 = none)."""
    return {k: float(st.session_state[f"kt_{k}"]) for k in KPI_TARGETS if st.session_state.get(f"kt_{k}")}


def kpi_targets_all() -> dict[str, dict[str | None, float]]:
    """Targets on other KPIs: {kpi: {None: team-wide, manager: own target}} (own targets win)."""
    out: dict[str, dict[str | None, float]] = {k: {None: v} for k, v in kpi_targets().items()}
    for k, per in st.session_state.get("kt_manager", {}).items():
        for m, v in per.items():
            if v is not None and v == v and v > 0:
                out.setdefault(k, {})[m] = float(v)
    return out


def kpi_grid(people: list[str]) -> pd.DataFrame:
    per = st.session_state.get("kt_manager", {})
    return pd.DataFrame({"manager": people, **{k: [per.get(k, {}).get(m) for m in people] for k in KPI_TARGETS}})


def on_kpi_grid_edit(people: list[str]) -> None:
    state = st.session_state.get("kpi_grid_editor") or {}
    per = {k: dict(v) for k, v in st.session_state.get("kt_manager", {}).items()}
    for row, cells in state.get("edited_rows", {}).items():
        for k, value in cells.items():
            if k in KPI_TARGETS and int(row) < len(people):
                per.setdefault(k, {})[people[int(row)]] = None if value is None else float(value)
    st.session_state["kt_manager"] = per


def kpi_targets_table(ctx: Ctx) -> pd.DataFrame | None:
    targets = kpi_targets_all()
    if not targets:
        return None
    tab = planning.kpi_target_table(scorecard=ctx.scorecard, targets=targets)
    tab["kpi"] = tab["kpi"].map(lambda k: t(f"plan.kpi_target.{k}"))
    tab["manager"] = tab["manager"].where(tab["manager"].notna(), t("common.team"))
    tab["met"] = tab["met"].map({True: "✔", False: "✘"}).fillna("—")
    return tab


# ---------------------------------------------------------------------------------------------- scenarios
SCENARIO_KEYS = ("default_target", "alpha", "min_n", "adjust", "lang", "period_kind", "period_month",
                 "period_quarter", "period_year")


def current_scenario(ctx: Ctx, name: str) -> planning.Scenario:
    s = st.session_state
    kind = s.get("period_kind", "month")
    if kind == "custom":
        period = {"kind": "custom", "start": ctx.period.start.isoformat(), "end": ctx.period.end.isoformat()}
    else:
        period = {"kind": kind, "value": {"month": s.get("period_month"), "quarter": s.get("period_quarter"),
                                          "year": s.get("period_year")}[kind]}
    months_grid = [{"manager": m, "month": mo, "target": v} for (m, mo), v in sorted(s.get("plan_edits", {}).items())]
    return planning.Scenario(
        name=name, fingerprint=planning.dataset_fingerprint(deals=ctx.dataset.deals), language=s.get("lang", "en"),
        period=period, default_target=ctx.settings.default_target, overrides=dict(ctx.settings.overrides),
        plan_grid=months_grid, kpi_targets=kpi_targets_all(),
        thresholds={k: list(v) for k, v in ctx.settings.thresholds.items()}, weights=dict(ctx.settings.weights),
        threshold_mode=threshold_modes(),
        stages=dict(s.get("stage_map", {})), mapping={k: dict(v) for k, v in s.get("mappings", {}).items()},
        alpha=ctx.settings.alpha, min_n=ctx.settings.min_n, adjust=ctx.settings.adjust)


def _period_into_state(p: dict) -> None:
    s = st.session_state
    kind = p.get("kind")
    if kind in ("month", "quarter", "year") and p.get("value"):
        s["period_kind"] = kind
        s[f"period_{kind}"] = p["value"]
    elif kind == "custom":
        s["period_kind"] = "custom"
        s["period_range"] = (date.fromisoformat(p["start"]), date.fromisoformat(p["end"]))


def load_scenario(fingerprint: str, managers: list[str], pct_kpis: set[str]) -> None:
    """file_uploader callback: apply a scenario file to the session, list what could not be applied."""
    s = st.session_state
    f = s.get("scenario_file")
    if f is None:
        return
    try:
        sc, problems = planning.scenario_from_json(f.getvalue(), fingerprint=fingerprint, managers=managers)
    except DataError as exc:
        s["_scenario_msg"] = ("error", [error_text(exc)])
        return
    if sc.period:
        _period_into_state(sc.period)
    s["default_target"] = float(sc.default_target or 0)
    for k in [k for k in s.keys() if isinstance(k, str) and k.startswith("tgt::")]:
        s[k] = None
    for m, v in sc.overrides.items():
        s[f"tgt::{m}"] = float(v)
    s["plan_edits"] = {(r["manager"], r["month"]): r.get("target") for r in sc.plan_grid}
    for k, (g, a) in sc.thresholds.items():
        f_ = 100.0 if k in pct_kpis else 1.0
        s[f"th_{k}_green"], s[f"th_{k}_amber"] = g * f_, a * f_
    for k, mode in sc.threshold_mode.items():     # saved as absolute values; the mode is restored as well
        s[f"thm_{k}"] = "absolute"
    for k, w in planning.normalize_weights(sc.weights).items() if sc.weights else []:
        s[f"w_{k}"] = int(round(100 * w / 5) * 5)
    for k in KPI_TARGETS:
        s[f"kt_{k}"] = float((sc.kpi_targets.get(k) or {}).get(None) or 0.0)
    s["kt_manager"] = {k: {m: v for m, v in per.items() if m is not None} for k, per in sc.kpi_targets.items()}
    s.pop("kpi_grid_editor", None)
    s["alpha"], s["min_n"], s["adjust"] = sc.alpha, sc.min_n, sc.adjust
    if sc.language in ("en", "ru", "uk"):
        s["lang"] = sc.language
    s["stage_map"], s["mappings"] = dict(sc.stages), {k: dict(v) for k, v in sc.mapping.items()}
    s.pop(EDITOR_KEY, None)
    s["_scenario_msg"] = ("warning" if problems else "success", problems or [t("plan.scenario_loaded", name=sc.name)])


def compare_files(files) -> pd.DataFrame | None:
    if not files or len(files) != 2:
        return None
    scs = []
    for f in files:
        try:
            scs.append(planning.scenario_from_json(f.getvalue())[0])
        except DataError:
            return None
    return planning.compare_scenarios(scs[0], scs[1])


def fmt_money_cols(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = df.copy()
    for c in cols:
        out[c] = [format_value(v, "money", lang()) for v in out[c]]
    return out
