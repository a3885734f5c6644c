import streamlit as st

from ui import downloads, draw, page, present, tables, views
from ui.cards import team_cards
from ui.i18n import t
from ui.views import light_cells, light_matrix

ctx = page.start("overview")
if present.active():                 # projector: the team cards, then one manager per screen
    team_cards(ctx)
    present.manager_screens(ctx)
    st.stop()
with st.expander(t("overview.definitions_title"), icon=":material/help:"):
    st.markdown(t("overview.definitions"))
team_cards(ctx)
page.open_leads_note(ctx, offer=True)

st.subheader(t("overview.scorecard"))
tab = tables.with_team_label(ctx.shown.table())
tables.show(tab, {"manager": "text", "leads": "int", "conversion": "pct", "avg_deal": "money",
                  "activities_per_day": "num1", "revenue": "money", "target": "money",
                  "plan_fulfillment": "pct", "retention_rate": "pct"},
            lights=ctx.lights, key="scorecard",
            headers={"conversion": t("conversion.axis_within", h=page.horizon_text(ctx))}
            if page.measure(ctx) == "within" else None)
st.caption(t("overview.lights_note") + " " + t("overview.lights_insufficient", n=ctx.settings.min_n) + " "
           + t("common.calendar_line", calendar=page.calendar_label(ctx)))
by_team = views.team_rows(ctx)
if by_team is not None:
    st.subheader(views.team_title(ctx))
    tables.show(by_team, {"team": "text", "managers": "int", "leads": "int", "conversion": "pct", "avg_deal": "money",
                          "activities_per_day": "num1", "revenue": "money", "target": "money",
                          "plan_fulfillment": "pct", "retention_rate": "pct"}, key="by_team",
                headers={"team": views.team_header(ctx), "managers": t("col.managers")})
    st.caption(t("overview.by_team_note"))
if not ctx.scorecard.complete and ctx.scorecard.covered is not None:   # the whole period, projected
    from ui import planning_view as pv
    with st.expander(t("overview.forecast_title"), icon=":material/trending_up:"):
        tables.show(pv.forecast_frame(ctx, pv.default_as_of(ctx), page.calendar_code(ctx)),
                    {"manager": "text", "revenue_to_date": "money", "target": "money", "projected": "money",
                     "projected_fulfillment": "pct"}, key="ov_forecast", headers={"target": t("overview.full_target")})

st.subheader(t("overview.lights_title"))
cells, kpi_order, rows = light_cells(ctx)
draw.chart(light_matrix, cells, kpi_order, rows, key="lights_chart")
downloads.report_buttons(ctx)
downloads.report_download(ctx)
