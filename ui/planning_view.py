"""The Plan page's workshop tools: target grid and rules, targets in effect, forecast, what-if, score, scenarios.

The grid's edits live in the session (``plan_edits``: (manager, month) → target, declared in ``ui.state``);
every change goes through callbacks, so it applies before the next run renders the widgets. The grid shows
the targets in effect (``Settings.table``), so a cell never shows "None" where a default or a
per-manager target applies; a cleared cell falls back to them.
"""
from __future__ import annotations

import warnings
from datetime import date

import pandas as pd
import streamlit as st

from metrics import kpi, planning
from metrics.errors import DataError, StatisticalWarning
from metrics.loading import Dataset
from metrics.periods import Period
from metrics.settings import Settings

from . import state
from .context import Ctx, data_end_of
from .fmt import format_value, inert
from .catalogues import TEXTS, message
from .i18n import error_text, lang, note_text, t

RULES = ("same", "growth", "percentile", "split")
KPI_TARGETS = state.KPI_TARGETS
EDITOR_KEY = "plan_grid_editor"
_GEN = "_grid_gen"


def months_of(ctx: Ctx) -> list[str]:
    return ctx.period.month_overlaps()["month"].tolist()


def managers_of(ctx: Ctx) -> list[str]:
    return ctx.scorecard.managers["manager"].tolist()


def grid(ctx: Ctx) -> pd.DataFrame:
    """Managers × months of the period with the monthly targets in effect (blank: no target at all). A
    hidden column named after the edit generation gives the editor a new identity after every stored edit,
    so the browser drops its own overlay and shows the values in effect again."""
    months, people = months_of(ctx), managers_of(ctx)
    tab = ctx.targets(months, people)
    wide = pd.DataFrame(index=pd.Index(people, name="manager"), columns=months, dtype="float64")
    for m, mo, v in zip(tab["manager"], tab["month"], tab["target"]):
        wide.at[m, mo] = v
    out = wide.reset_index()
    out[grid_tag()] = 0
    return out


def grid_tag() -> str:
    return f"_g{int(st.session_state.get(_GEN, 0))}"


def _bump() -> None:
    st.session_state[_GEN] = int(st.session_state.get(_GEN, 0)) + 1


def targets_table(ctx: Ctx) -> pd.DataFrame:
    """The targets in effect for the period, sources translated (manager, month, target, source)."""
    tab = ctx.targets()
    tab["source"] = tab["source"].map(lambda s: t(f"targets.source.{s}"))
    return tab


def on_grid_edit(ctx_months: list[str], people: list[str]) -> None:
    """data_editor callback: store the edited cells as plan edits (a cleared cell is no edit: the target
    in effect falls back to the sidebar, the plans file or the default)."""
    s = st.session_state
    got = s.get(EDITOR_KEY) or {}
    edits = dict(s.get("plan_edits", {}))
    from_scenario = set(s.get("scenario_cells", ()))
    cleared = False
    for row, cells in got.get("edited_rows", {}).items():
        for month, value in cells.items():
            if month in ctx_months and int(row) < len(people):
                cell = (people[int(row)], month)
                from_scenario.discard(cell)
                try:
                    number = None if value is None or value == "" else float(value)
                except (TypeError, ValueError):
                    number = None
                if number is None or number != number:
                    edits.pop(cell, None)
                    cleared = True
                else:
                    edits[cell] = number
    s["plan_edits"] = edits
    s["scenario_cells"] = frozenset(from_scenario)
    if cleared:             # the browser would keep showing the blank: redraw the grid with the value in effect
        _bump()


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
        s["_rule_error"] = error_text(exc)
        return
    edits = dict(s.get("plan_edits", {}))
    skipped = []
    for m, mo, v in zip(plans["manager"], plans["month"], plans["target"]):
        if pd.isna(v):                       # no history for the rule: that cell keeps the target in effect
            skipped.append(m)
            edits.pop((m, mo), None)
        else:
            edits[(m, mo)] = round(float(v), -2)
    s["plan_edits"] = edits
    s["scenario_cells"] = frozenset(set(s.get("scenario_cells", ())) - set(edits))
    s.pop(EDITOR_KEY, None)
    _bump()
    s["_rule_error"] = None
    s["_rule_note"] = t("plan.rule_skipped", who=", ".join(sorted(set(skipped)))) if skipped else None


def reset_edits() -> None:
    st.session_state["plan_edits"] = {}
    st.session_state["scenario_cells"] = frozenset()
    st.session_state.pop(EDITOR_KEY, None)
    _bump()


def green_table(ctx: Ctx) -> pd.DataFrame:
    """Manager, revenue, target, fulfilment with its light (for 'who is green')."""
    tab = ctx.scorecard.table()
    lights = ctx.lights[ctx.lights["kpi"] == "plan_fulfillment"]
    light = dict(zip(lights["manager"].fillna("\x00"), lights["light"]))
    # a Unicode dot and the word (DejaVu has U+25CF; colour emoji depend on fonts the machine may lack)
    icon = {k: f"\u25cf {t(f'light.{k}')}" for k in ("green", "amber", "red")}
    out = tab[["manager", "revenue", "target", "plan_fulfillment"]].copy()
    out["light"] = [icon.get(light.get(m if m is not None else "\x00"), "—") for m in out["manager"]]
    out["manager"] = out["manager"].where(out["manager"].notna(), t("common.team"))
    return out


@state.shared_cache("data", max_entries=16)
def _forecast(token: str, period: Period, as_of: date, holidays: str, targets: str, alpha: float,
              _settings: Settings, _data: Dataset) -> pd.DataFrame:
    """``planning.forecast`` for the Plan page, cached by the data's content token and every setting it
    depends on (the targets in effect and α)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        return planning.forecast(deals=_data.deals, activities=_data.activities, period=period, as_of=as_of,
                                 holidays=holidays, alpha=alpha, band="prediction", **_settings.target_args())


def forecast_frame(ctx: Ctx, as_of: date, holidays: str) -> pd.DataFrame:
    s = ctx.settings
    fc = _forecast(ctx.token, ctx.period, as_of, holidays, s.target_key, s.alpha, s, ctx.dataset)
    fc["manager"] = fc["manager"].where(fc["manager"].notna(), t("common.team"))
    return fc


def ensure_as_of(ctx: Ctx) -> None:
    """Keep the forecast's date inside the period (the data's last day by default)."""
    as_of = st.session_state.get("fc_as_of")
    if not isinstance(as_of, date) or not (ctx.period.start <= as_of <= ctx.period.end):
        st.session_state["fc_as_of"] = default_as_of(ctx)


def default_as_of(ctx: Ctx) -> date:
    end = data_end_of(ctx.token, ctx.dataset) or ctx.period.end
    return min(max(end, ctx.period.start), ctx.period.end)


@state.shared_cache("data", max_entries=16)
def _whatif(token: str, period: Period, people: tuple, targets: str, thresholds: tuple, n_months: int,
            _settings: Settings, _data: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    tab = _settings.table(managers=list(people), months=period.month_overlaps()["month"].tolist())
    past = [f"{p.start:%Y-%m}" for p in kpi.last_months(period.previous(), n_months)]
    return planning.whatif(deals=_data.deals, targets=tab, months=past, thresholds=thresholds)


def whatif(ctx: Ctx, n_months: int = 12) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Last n complete months scored against each manager's average monthly target in effect for this
    period (cached by the data, the period, the targets in effect and the plan-fulfilment thresholds)."""
    s = ctx.settings
    green, amber = s.threshold_map.get("plan_fulfillment", kpi.DEFAULT_THRESHOLDS["plan_fulfillment"])
    bt, summary = _whatif(ctx.token, ctx.period, tuple(managers_of(ctx)), s.target_key,
                          (float(green), float(amber)), n_months, s, ctx.dataset)
    summary["manager"] = summary["manager"].where(summary["manager"].notna(), t("common.team"))
    return bt, summary


@state.shared_cache("data", max_entries=16)
def _score(token: str, period: Period, targets: str, alpha: float, weights: tuple, _card: kpi.Scorecard,
           _data: Dataset) -> pd.DataFrame:
    """The composite score; ``_card`` is the scorecard of exactly these data, period, targets and α."""
    won = kpi.period_won(deals=_data.deals, period=period)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        sc = planning.composite_score(scorecard=_card, weights=dict(weights) or {k: 1.0 for k in kpi.LIGHT_KPIS},
                                      won=won, alpha=alpha)
    return sc.sort_values(["rank", "manager"], na_position="last").reset_index(drop=True)


def score(ctx: Ctx) -> pd.DataFrame:
    """Composite score with rank intervals (cached by everything the scorecard depends on)."""
    s = ctx.settings
    return _score(ctx.token, ctx.period, s.target_key, s.alpha, s.weights, ctx.scorecard, ctx.dataset)


def kpi_targets_all() -> dict[str, dict[str | None, float]]:
    return state.kpi_targets()


def kpi_grid(people: list[str]) -> pd.DataFrame:
    """Managers × KPI targets in effect: a manager's own target, else the team-wide one (blank: none)."""
    eff = state.kpi_targets()
    cols = {k: pd.Series([eff.get(k, {}).get(m, eff.get(k, {}).get(None)) for m in people], dtype="float64")
            for k in KPI_TARGETS}
    return pd.DataFrame({"manager": pd.Series(people, dtype=object), **cols})


def on_kpi_grid_edit(people: list[str]) -> None:
    state = st.session_state.get("kpi_grid_editor") or {}
    per = {k: dict(v) for k, v in st.session_state.get("kt_manager", {}).items()}
    for row, cells in state.get("edited_rows", {}).items():
        for k, value in cells.items():
            if k in KPI_TARGETS and int(row) < len(people):
                per.setdefault(k, {})[people[int(row)]] = None if value is None else float(value)
    st.session_state["kt_manager"] = per


def kpi_targets_table(ctx: Ctx) -> pd.DataFrame | None:
    targets = ctx.settings.kpi_target_map
    if not targets:
        return None
    tab = planning.kpi_target_table(scorecard=ctx.scorecard, targets=targets)
    tab["kpi"] = tab["kpi"].map(lambda k: t(f"plan.kpi_target.{k}"))
    tab["manager"] = tab["manager"].where(tab["manager"].notna(), t("common.team"))
    tab["met"] = tab["met"].map({True: "✔", False: "✘"}).fillna("—")
    return tab


# ---------------------------------------------------------------------------------------------- scenarios
def period_spec(period: Period) -> dict[str, str]:
    """A period as a scenario saves it: a whole month, quarter or year by name, else its two dates."""
    p = period
    if p.is_whole_months and p.n_months == 1:
        return {"kind": "month", "value": f"{p.start:%Y-%m}"}
    if p.is_whole_months and p.n_months == 3 and p.start.month % 3 == 1:
        return {"kind": "quarter", "value": f"{p.start.year}-Q{(p.start.month - 1) // 3 + 1}"}
    if p.is_whole_months and p.n_months == 12 and p.start.month == 1:
        return {"kind": "year", "value": f"{p.start.year}"}
    return {"kind": "custom", "start": p.start.isoformat(), "end": p.end.isoformat()}


def scenario_of(settings: Settings, *, name: str, fingerprint: str, language: str, source: str) -> planning.Scenario:
    """The scenario of these settings (what ``python -m metrics report --scenario`` reads back)."""
    s = settings
    return planning.Scenario(
        name=name, fingerprint=fingerprint, language=language, period=period_spec(s.period),
        default_target=s.default_target, overrides=s.override_map,
        plan_grid=[{"manager": m, "month": mo, "target": v} for (m, mo), v in s.edits if v is not None],
        kpi_targets=s.kpi_target_map, thresholds={k: list(v) for k, v in s.threshold_map.items()},
        weights=s.weight_map, threshold_mode=dict(s.threshold_mode), stages=dict(s.stages),
        mapping={k: dict(v) for k, v in s.mappings}, alpha=s.alpha, min_n=s.min_n, adjust=s.adjust,
        source=source)


def current_scenario(ctx: Ctx, name: str) -> planning.Scenario:
    """The scenario of this run's settings and data source."""
    return scenario_of(ctx.settings, name=name, fingerprint=planning.dataset_fingerprint(deals=ctx.dataset.deals),
                       language=lang(), source=state.source_token())


def load_scenario(fingerprint: str, managers: list[str], pct_kpis=state.PCT_KPIS) -> None:
    """file_uploader callback: apply a scenario file to the session, list what could not be applied."""
    f = state.get("scenario_file")
    if f is None:
        return
    try:
        sc, problems = planning.scenario_from_json(f.getvalue(), fingerprint=fingerprint, managers=managers,
                                                   name=f.name)
    except DataError as exc:
        state.put("_scenario_msg", ("error", [error_text(exc)]))
        return
    state.settings_into_state(sc, pct_kpis)
    st.session_state.pop(EDITOR_KEY, None)
    _bump()
    state.put("_scenario_msg", ("warning" if problems else "success",
                                [note_text(p, "scen") for p in problems]
                                or [t("plan.scenario_loaded", name=inert(sc.name))]))


def compare_files(files) -> pd.DataFrame | None:
    if not files or len(files) != 2:
        return None
    scs = []
    for f in files:
        try:
            scs.append(planning.scenario_from_json(f.getvalue())[0])
        except DataError:
            return None
    diff = planning.compare_scenarios(scs[0], scs[1])
    return pd.DataFrame({t("plan.cmp.setting"): [_setting_text(x) for x in diff["setting"]],
                         t("plan.cmp.a"): [_setting_text(x) for x in diff["a"]],
                         t("plan.cmp.b"): [_setting_text(x) for x in diff["b"]]})


def _setting_text(x):
    """A compared setting's label or a period's value (``scen.cmp.<code>``) in the session's language, a KPI
    by its name; any other value as it is. (Table cells: plain text, no Markdown escapes.)"""
    code = getattr(x, "code", None)
    if not code:
        return x
    params = dict(x.params)
    if f"kpi.{params.get('kpi')}" in TEXTS:
        params["kpi"] = t(f"kpi.{params['kpi']}")
    return message(f"scen.cmp.{code}", lang(), params, fallback=str(x))


def fmt_money_cols(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    out = df.copy()
    for c in cols:
        out[c] = [format_value(v, "money", lang()) for v in out[c]]
    return out
