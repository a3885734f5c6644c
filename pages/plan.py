import streamlit as st

from ui import charts, page, tables
from ui.context import monthly
from ui.i18n import lang, t
from ui.views import fulfilment_cells, labelled, revenue_vs_target

ctx = page.start("plan")
card = ctx.scorecard
if card.managers["target"].notna().sum() == 0:
    st.info(t("plan.no_targets"))
bars_df, order = revenue_vs_target(ctx)
st.altair_chart(charts.bars(bars_df, x="amount", y="manager", color="what", title=t("plan.axis"), fmt=",.0f",
                            lang=lang(), stack=False, sort=order), key="plan_bars")
tables.show(labelled(card.table()), {"manager": "text", "revenue": "money", "target": "money",
                                     "plan_fulfillment": "pct"}, lights=ctx.lights, key="plan_table")
st.subheader(t("plan.by_month"))
cells, rows = fulfilment_cells(monthly(ctx))
st.altair_chart(charts.heatmap(cells, x="month", y="manager", value="plan_fulfillment", text="text",
                               title=t("kpi.plan_fulfillment"), lang=lang(), domain=[0.5, 1.0, 1.5],
                               y_order=rows), key="plan_heat")
