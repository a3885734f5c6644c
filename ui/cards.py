"""Team metric cards: the five KPIs for the whole team with the change vs the previous window."""
from __future__ import annotations

import streamlit as st

from .context import Ctx
from .fmt import compact, format_value, money_unit, signed
from .i18n import lang, t
from .views import KPI_KIND

CARDS = ["conversion", "avg_deal", "activities_per_day", "plan_fulfillment", "retention_rate"]


def team_cards(ctx: Ctx, kpis: list[str] = CARDS) -> None:
    lg = lang()
    ch = ctx.changes[ctx.changes["manager"].isna()].set_index("kpi")
    cols = st.columns(len(kpis))
    for col, k in zip(cols, kpis):
        value = ctx.scorecard.team[k].iloc[0]
        delta = ch["delta"].get(k)
        kind = KPI_KIND[k]
        label = t(f"kpi.{k}") + (money_unit(lg) if kind == "money" else "")
        col.metric(label, compact(value, lg) if kind == "money" else format_value(value, kind, lg),
                   delta=None if delta is None or delta != delta else signed(delta, lg, "pct" if kind == "pct" else kind),
                   help=t(f"kpi.{k}.help"), border=True)
    st.caption(t("common.vs_previous"))
