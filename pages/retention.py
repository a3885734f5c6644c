import streamlit as st

from ui import charts, page, tables
from ui.context import monthly
from ui.i18n import lang, t
from ui.views import labelled

ctx = page.start("retention")
card = ctx.scorecard
prev = card.managers[card.managers["customers_prev"] > 0]
if prev.empty:
    st.info(t("retention.none"))
    st.stop()
st.altair_chart(charts.bars(prev, x="retention_rate", y="manager", title=t("kpi.retention_rate"), fmt=".0%",
                            rule=card.team["retention_rate"].iloc[0], lang=lang()), key="ret_bars")
st.caption(t("retention.chart_note"))
tables.show(labelled(card.table()), {"manager": "text", "customers_prev": "int", "customers_retained": "int",
                                     "retention_rate": "pct"}, lights=ctx.lights, key="ret_table")
st.subheader(t("common.trend"))
st.altair_chart(charts.trend(labelled(monthly(ctx)), x="month", y="retention_rate", series="manager",
                             title=t("kpi.retention_rate"), fmt=".0%", team_label=t("common.team"), lang=lang()),
                key="ret_trend")
