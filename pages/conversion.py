import streamlit as st

from ui import charts, page, tables
from ui.context import monthly
from ui.i18n import lang, t
from ui.views import labelled

ctx = page.start("conversion")
page.open_leads_note(ctx)
card = ctx.scorecard
with_leads = card.managers[card.managers["leads"] > 0]
if with_leads.empty:
    st.info(t("common.no_leads"))
    st.stop()
st.altair_chart(charts.ci_dots(with_leads, label="manager", value="conversion", low="conversion_ci_low",
                               high="conversion_ci_high", team=card.team["conversion"].iloc[0],
                               title=t("conversion.axis"), lang=lang(),
                               extra_tooltip=["leads:Q", "won_of_leads:Q"]), key="conv_ci")
st.caption(t("conversion.chart_note", level=round(100 * (1 - ctx.settings.alpha))))
tables.show(labelled(card.table()), {"manager": "text", "leads": "int", "won_of_leads": "int", "conversion": "pct",
                                     "conversion_ci_low": "pct", "conversion_ci_high": "pct"},
            lights=ctx.lights, key="conv_table")

st.subheader(t("common.trend"))
trend = labelled(monthly(ctx))
st.altair_chart(charts.trend(trend, x="month", y="conversion", series="manager", title=t("kpi.conversion"),
                             fmt=".1~%", team_label=t("common.team"), lang=lang()), key="conv_trend")
