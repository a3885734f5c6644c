import streamlit as st

from ui import charts, draw, page, tables
from ui.context import monthly
from ui.i18n import lang, t
from ui.views import activity_bars, labelled

ctx = page.start("activity")
if ctx.dataset.activities is None:
    st.info(t("activity.no_file"))
    st.stop()
card = ctx.scorecard
st.markdown(t("activity.working_days", n=int(card.team["working_days"].iloc[0])) + " "
            + t("common.calendar_line", calendar=page.calendar_label(ctx)))
bars_df, order = activity_bars(ctx)
draw.chart(charts.bars, bars_df, x="per_day", y="manager", color="type", title=t("activity.axis"),
           fmt=",.1f", lang=lang(), sort=order, key="act_bars")
tables.show(labelled(card.table()), {"manager": "text", "calls": "int", "meetings": "int", "activities": "int",
                                     "calls_per_day": "num1", "meetings_per_day": "num1",
                                     "activities_per_day": "num1"}, lights=ctx.lights, key="act_table")
st.subheader(t("common.trend"))
draw.chart(charts.trend, labelled(monthly(ctx)), x="month", y="activities_per_day", series="manager",
           title=t("kpi.activities_per_day"), fmt=",.1f", team_label=t("common.team"),
           lang=lang(), key="act_trend")
