import streamlit as st

from metrics.kpi import period_won
from ui import charts, draw, page, tables
from ui.context import monthly
from ui.i18n import lang, t
from ui.fmt import money_unit
from ui.views import labelled

ctx = page.start("deal_size")
card = ctx.scorecard
won = period_won(deals=ctx.dataset.deals, period=ctx.period)
won = won[won["amount"] > 0]
if won.empty:
    st.info(t("deal_size.none"))
    st.stop()
order = card.managers.sort_values("avg_deal", ascending=False)["manager"].tolist()
draw.chart(charts.amounts_box, won, manager="manager", amount="amount",
           title=t("deal_size.axis", unit=money_unit(lang())), lang=lang(), order=order, key="deal_box")
st.caption(t("deal_size.chart_note"))
tables.show(labelled(card.table()), {"manager": "text", "won": "int", "revenue": "money", "avg_deal": "money"},
            lights=ctx.lights, key="deal_table")
st.subheader(t("common.trend"))
draw.chart(charts.trend, labelled(monthly(ctx)), x="month", y="avg_deal", series="manager",
           title=t("kpi.avg_deal"), fmt=",.0f", team_label=t("common.team"), lang=lang(),
           key="deal_trend")
