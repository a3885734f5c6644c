"""Reshaping engine results for display (labels, formatted text) — no statistics here."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.kpi import LIGHT_KPIS

from . import state
from .context import Ctx
from .fmt import format_value
from .i18n import lang, t

KPI_KIND = {"conversion": "pct", "avg_deal": "money", "activities_per_day": "num1", "plan_fulfillment": "pct",
            "retention_rate": "pct", "revenue": "money", "leads": "int", "activities": "int", "won": "int"}


def manager_order(ctx: Ctx) -> list[str]:
    return list(ctx.scorecard.managers["manager"]) + [t("common.team")]


@state.session_cache("resource", max_entries=8)
def _light_matrix_empty(columns: tuple, col_order: tuple, row_order: tuple, lang: str):
    """The light matrix chart for these managers and KPIs, built on an empty frame (no data in the cache)."""
    from . import charts

    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    return charts.light_matrix(empty, row="manager", col="kpi_label", light="light", text="text",
                               col_order=list(col_order), row_order=list(row_order), lang=lang)


def light_matrix(cells: pd.DataFrame, kpi_order: list[str], rows: list[str]):
    """``charts.light_matrix`` of the cells — the chart's structure (which depends only on the managers, the
    KPIs and the language) is built once per session and reused when only the lights or values change."""
    from . import charts

    return charts.with_data(_light_matrix_empty(tuple(cells.columns), tuple(kpi_order), tuple(rows), lang()), cells)


def light_cells(ctx: Ctx) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Lights as cells for the matrix chart: manager, kpi_label, light ('none' when empty), text."""
    lg = lang()
    cells = ctx.lights.copy()
    cells["manager"] = cells["manager"].where(cells["manager"].notna(), t("common.team"))
    labels = {k: t(f"kpi.{k}") for k in LIGHT_KPIS}             # not t() per cell (a session-state read)
    cells["kpi_label"] = cells["kpi"].map(lambda k: labels.get(k) or t(f"kpi.{k}"))
    few = t("light.insufficient")
    cells["text"] = [few if light == "insufficient" else format_value(v, KPI_KIND[k], lg)
                     for v, k, light in zip(cells["value"], cells["kpi"], cells["light"])]
    cells["light"] = cells["light"].fillna("none")
    return cells, [t(f"kpi.{k}") for k in LIGHT_KPIS], manager_order(ctx)


def conversion_both(ctx: Ctx) -> pd.DataFrame:
    """The period's raw conversion and conversion within H days side by side, one row per manager and the
    team (manager None): the scorecard's conversion columns joined with ``ctx.within`` by manager."""
    card = ctx.scorecard.table()[["manager", "leads", "won_of_leads", "conversion", "conversion_ci_low",
                                  "conversion_ci_high"]]
    from .context import within_of
    w = within_of(ctx).drop(columns=["leads"])
    key = "\x00team"
    out = card.assign(_k=card["manager"].fillna(key)).merge(
        w.assign(_k=w["manager"].fillna(key)).drop(columns="manager"), on="_k", how="left")
    return out.drop(columns="_k")


def labelled(df: pd.DataFrame, col: str = "manager") -> pd.DataFrame:
    out = df.copy()
    out[col] = out[col].where(out[col].notna(), t("common.team"))
    return out


def activity_bars(ctx: Ctx) -> tuple[pd.DataFrame, list[str]]:
    """Calls and meetings per working day per manager, long format, ordered by the total."""
    m = ctx.scorecard.managers
    long = m.melt(id_vars="manager", value_vars=["calls_per_day", "meetings_per_day"], var_name="type",
                  value_name="per_day")
    long["type"] = long["type"].map({"calls_per_day": t("col.calls"), "meetings_per_day": t("col.meetings")})
    return long, m.sort_values("activities_per_day", ascending=False)["manager"].tolist()


def revenue_vs_target(ctx: Ctx) -> tuple[pd.DataFrame, list[str]]:
    """Revenue and target per manager, long format (what ∈ Revenue / Target labels)."""
    m = ctx.scorecard.managers
    long = m.melt(id_vars="manager", value_vars=["revenue", "target"], var_name="what", value_name="amount")
    long["what"] = long["what"].map({"revenue": t("col.revenue"), "target": t("col.target")})
    return long.dropna(subset=["amount"]), m.sort_values("revenue", ascending=False)["manager"].tolist()


def fulfilment_cells(monthly: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Month × manager plan fulfilment with a formatted label; managers without any target left out."""
    lg = lang()
    cells = labelled(monthly[["month", "manager", "plan_fulfillment"]]).dropna(subset=["plan_fulfillment"])
    cells["text"] = [format_value(v, "pct", lg) for v in cells["plan_fulfillment"]]
    rows = sorted(set(cells["manager"]) - {t("common.team")}) + [t("common.team")]
    return cells, rows


def pair_table(ctx: Ctx, a: str, b: str) -> pd.DataFrame:
    """Two managers' KPIs side by side with the difference a − b (formatted text)."""
    from .fmt import signed
    lg = lang()
    m = ctx.scorecard.managers.set_index("manager")
    rows = []
    for k in ["leads", "conversion", "won", "avg_deal", "revenue", "activities_per_day", "plan_fulfillment",
              "retention_rate"]:
        kind = KPI_KIND[k]
        va, vb = m.at[a, k], m.at[b, k]
        rows.append({"kpi_label": t(f"kpi.{k}"), "a": format_value(va, kind, lg), "b": format_value(vb, kind, lg),
                     "diff": signed(va - vb, lg, "pct" if kind == "pct" else kind)})
    out = pd.DataFrame(rows)
    return out


#: the Data page's volume series and their fixed colours
VOLUME_COLORS = {"created": "#2563eb", "won": "#16a34a", "lost": "#dc2626", "open": "#f59e0b",
                 "activities": "#6b7280"}


def volume_colors() -> dict[str, str]:
    """Series label (in the session's language) → colour, for :func:`ui.charts.volume`."""
    return {t(f"data.series.{s}"): c for s, c in VOLUME_COLORS.items()}


def volume_labels(vol: pd.DataFrame) -> pd.DataFrame:
    out = vol.copy()
    out["series"] = out["series"].map(lambda s: t(f"data.series.{s}"))
    return out


def cohort_cells(table: pd.DataFrame, *, horizon: int, show: str) -> tuple[pd.DataFrame, list[str]]:
    """Team cohort table → heatmap cells: cohort label with its size, k, rate, text (share or count)."""
    lg = lang()
    cells = table[table["period_index"] <= horizon].copy()
    cells["cohort_label"] = [f"{c} · {format_value(n, 'int', lg)}" for c, n in zip(cells["cohort"], cells["size"])]
    cells["text"] = [format_value(r, "pct", lg) if show == "share" else format_value(k, "int", lg)
                     for r, k in zip(cells["rate"], cells["retained"])]
    return cells, list(dict.fromkeys(cells.sort_values("cohort_start")["cohort_label"]))


def pooled_lines(pooled: pd.DataFrame, *, horizon: int) -> pd.DataFrame:
    """Pooled retention curves (team + managers) up to the horizon, team labelled."""
    return labelled(pooled[(pooled["period_index"] <= horizon) & (pooled["period_index"] >= 1)])


def km_curves(km_team, km, *, horizon: int) -> pd.DataFrame:
    """Kaplan–Meier rows as 'share who bought again within t' (1 − S) with its band, from t = 0."""
    parts = []
    for res in (km_team, km):
        s = res.summary
        start = s.drop_duplicates("group")[["group"]].assign(time=0, survival=1.0, ci_low=1.0, ci_high=1.0)
        parts.append(pd.concat([start, s[["group", "time", "survival", "ci_low", "ci_high"]]], ignore_index=True))
    out = pd.concat(parts, ignore_index=True)
    out = out[out["time"] <= horizon]
    out = out.assign(repeat=1 - out["survival"], low=1 - out["ci_high"], high=1 - out["ci_low"])
    return labelled(out.rename(columns={"group": "manager"}))


def medians(km_team, km) -> pd.DataFrame:
    """Median time to repeat purchase per manager and for the team (None = not reached)."""
    both = pd.concat([km.median, km_team.median], ignore_index=True).rename(columns={"group": "manager"})
    both["median"] = pd.to_numeric(both["median"], errors="coerce")  # None (not reached) → NaN → "—"
    return labelled(both)


def verdict_logrank(lr: pd.DataFrame | None, alpha: float) -> str:
    """One sentence on the log-rank test between managers."""
    if lr is None or lr.empty:
        return t("retention.logrank_none")
    r = lr.iloc[0]
    lg = lang()
    key = "retention.logrank_differ" if r.p_value < alpha else "retention.logrank_same"
    p = format_value(r.p_value, "p", lg)
    return t(key, stat=format_value(r.statistic, "num2", lg), dof=int(r.dof),
             p=p.replace("<", "< ") if p.startswith("<") else f"= {p}")


def cohort_lines(team: pd.DataFrame, pooled: pd.DataFrame, *, horizon: int) -> pd.DataFrame:
    """One retention curve per cohort (k ≥ 1) plus the pooled team curve as 'Team' (the reference)."""
    per = team[(team["period_index"] >= 1) & (team["period_index"] <= horizon)]
    lines = pd.DataFrame({"manager": per["cohort"].astype(str), "period_index": per["period_index"], "rate": per["rate"]})
    ref = pooled[pooled["manager"].isna() & (pooled["period_index"] >= 1) & (pooled["period_index"] <= horizon)]
    ref = pd.DataFrame({"manager": t("common.team"), "period_index": ref["period_index"], "rate": ref["rate"]})
    return pd.concat([lines, ref], ignore_index=True)


def team_rows(ctx) -> pd.DataFrame | None:
    """The Overview's "by team" table: the five KPIs per team (``ui.context.by_team``, the CLI's ``teams``
    block), "no team" translated; None when the data has no team hierarchy."""
    from .context import by_team
    tab = by_team(ctx)
    if tab is None:
        return None
    return tab.assign(team=[t("teams.none") if v is None else v for v in tab["team"]])


def team_header(ctx) -> str:
    """The by-team table's first header: the team level (Team / Office / Region)."""
    from .context import team_level
    return t(f"teams.level.{team_level(ctx) or 'team'}")


def team_title(ctx) -> str:
    """The by-team section's title: By team / By office / By region."""
    from .context import team_level
    return t(f"overview.by_{team_level(ctx) or 'team'}")
