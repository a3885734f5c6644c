import streamlit as st

from ui import downloads, page, present, tables
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
page.open_leads_note(ctx)

st.subheader(t("overview.scorecard"))
tab = tables.with_team_label(ctx.scorecard.table())
tables.show(tab, {"manager": "text", "leads": "int", "conversion": "pct", "avg_deal": "money",
                  "activities_per_day": "num1", "revenue": "money", "target": "money",
                  "plan_fulfillment": "pct", "retention_rate": "pct"},
            lights=ctx.lights, key="scorecard")
st.caption(t("overview.lights_note"))

st.subheader(t("overview.lights_title"))
cells, kpi_order, rows = light_cells(ctx)
st.altair_chart(light_matrix(cells, kpi_order, rows), key="lights_chart")
downloads.report_buttons(ctx)
downloads.report_download(ctx)
