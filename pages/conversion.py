import streamlit as st

from ui import charts, draw, page, tables
from ui.context import monthly
from ui.i18n import lang, t
from ui.views import conversion_both, labelled

ctx = page.start("conversion")
page.open_leads_note(ctx)
card = ctx.scorecard
with_leads = card.managers[card.managers["leads"] > 0]
if with_leads.empty:
    st.info(t("common.no_leads"))
    st.stop()
h = page.horizon_text(ctx)
st.subheader(t("conversion.within_title"))
st.markdown(t("conversion.within_explain", h=h))
both = conversion_both(ctx)
raw_col, within_col = st.columns(2)
with raw_col:
    draw.chart(charts.ci_dots, with_leads, label="manager", value="conversion", low="conversion_ci_low",
               high="conversion_ci_high", team=card.team["conversion"].iloc[0],
               title=t("conversion.axis_raw"), lang=lang(),
               extra_tooltip=["leads:Q", "won_of_leads:Q"], key="conv_ci")
with within_col:
    rated = both[both["manager"].isin(with_leads["manager"]) & both["conversion_h"].notna()]
    draw.chart(charts.ci_dots, rated, label="manager", value="conversion_h", low="conversion_h_ci_low",
               high="conversion_h_ci_high", team=both["conversion_h"].iloc[-1],
               title=t("conversion.axis_within", h=h), lang=lang(),
               extra_tooltip=["leads:Q", "leads_h_at_risk:Q"], key="conv_h_ci")
st.caption(t("conversion.chart_note", level=round(100 * (1 - ctx.settings.alpha))))
tables.show(labelled(both), {"manager": "text", "leads": "int", "won_of_leads": "int", "conversion": "pct",
                             "conversion_ci_low": "pct", "conversion_ci_high": "pct", "conversion_h": "pct",
                             "conversion_h_ci_low": "pct", "conversion_h_ci_high": "pct", "leads_h_at_risk": "int"},
            lights=ctx.lights if page.measure(ctx) == "raw" else None, key="conv_table",
            headers={"conversion_h": t("conversion.axis_within", h=h)})

st.subheader(t("common.trend"))
trend = labelled(monthly(ctx))
draw.chart(charts.trend, trend, x="month", y="conversion", series="manager", title=t("kpi.conversion"),
           fmt=".1~%", team_label=t("common.team"), lang=lang(), key="conv_trend")
