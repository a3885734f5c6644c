"""Reshaping engine results for display (labels, formatted text) — no statistics here."""
from __future__ import annotations

import pandas as pd

from metrics.kpi import LIGHT_KPIS

from .context import Ctx
from .fmt import format_value
from .i18n import lang, t

KPI_KIND = {"conversion": "pct", "avg_deal": "money", "activities_per_day": "num1", "plan_fulfillment": "pct",
            "retention_rate": "pct", "revenue": "money", "leads": "int", "activities": "int", "won": "int"}


def manager_order(ctx: Ctx) -> list[str]:
    return list(ctx.scorecard.managers["manager"]) + [t("common.team")]


def light_cells(ctx: Ctx) -> tuple[pd.DataFrame, list[str], list[str]]:
    """Lights as cells for the matrix chart: manager, kpi_label, light ('none' when empty), text."""
    lg = lang()
    cells = ctx.lights.copy()
    cells["manager"] = cells["manager"].where(cells["manager"].notna(), t("common.team"))
    cells["kpi_label"] = cells["kpi"].map(lambda k: t(f"kpi.{k}"))
    cells["text"] = [format_value(v, KPI_KIND[k], lg) for v, k in zip(cells["value"], cells["kpi"])]
    cells["light"] = cells["light"].fillna("none")
    return cells, [t(f"kpi.{k}") for k in LIGHT_KPIS], manager_order(ctx)


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


def volume_labels(vol: pd.DataFrame) -> pd.DataFrame:
    out = vol.copy()
    out["series"] = out["series"].map(lambda s: t(f"data.series.{s}"))
    return out
