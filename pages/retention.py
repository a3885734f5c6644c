import streamlit as st

from metrics.periods import complete_through
from ui import charts, draw, page, state, tables
from ui.context import cohort_pooled, cohort_team, data_end_of, facts, monthly, repeat_views
from ui.i18n import engine_warning, labeler, lang, t
from ui.views import cohort_cells, cohort_lines, km_curves, labelled, medians, pooled_lines, verdict_logrank

ctx = page.start("retention")
card, ds = ctx.scorecard, ctx.dataset

st.subheader(t("retention.period_title"))
prev = card.managers[card.managers["customers_prev"] > 0]
if prev.empty:
    st.info(t("retention.none"))
else:
    draw.chart(charts.bars, prev, x="retention_rate", y="manager", title=t("kpi.retention_rate"), fmt=".1~%",
               rule=card.team["retention_rate"].iloc[0], lang=lang(), key="ret_bars")
    st.caption(t("retention.chart_note"))
    tables.show(labelled(card.table()), {"manager": "text", "customers_prev": "int", "customers_retained": "int",
                                         "retention_rate": "pct"}, lights=ctx.lights, key="ret_table")
    draw.chart(charts.trend, labelled(monthly(ctx)), x="month", y="retention_rate", series="manager",
               title=t("retention.trend_axis"), fmt=".1~%", team_label=t("common.team"),
               lang=lang(), key="ret_trend")

st.subheader(t("retention.cohorts_title"))
with st.expander(t("retention.cohorts_explain_title"), icon=":material/help:"):
    st.markdown(t("retention.cohorts_explain"))
with st.sidebar.expander(t("retention.settings"), icon=":material/autorenew:", expanded=True):
    st.segmented_control(t("retention.freq"), ["week", "month", "quarter"], key="coh_freq",
                         format_func=labeler("retention.freq."), persist_state="session", required=True)
    st.segmented_control(t("retention.kind"), ["classic", "rolling"], key="coh_kind",
                         format_func=labeler("retention.kind."), persist_state="session", required=True)
    st.segmented_control(t("retention.show"), ["share", "count"], key="coh_show",
                         format_func=labeler("retention.show."), persist_state="session", required=True)
    st.radio(t("retention.owner"), ["first", "latest"], key="coh_owner", format_func=labeler("retention.owner."),
             persist_state="session")
    st.slider(t("retention.horizon"), 1, 24, key="coh_horizon", persist_state="session")
    st.multiselect(t("retention.managers"), facts(ctx.token, ds)["managers"], key="coh_managers",
                   placeholder=t("retention.all_managers"), persist_state="session")
    sources = facts(ctx.token, ds)["sources"]
    if sources:
        all_label = t("retention.all_sources")
        st.selectbox(t("retention.source"), ["*", *sources], key="coh_source", persist_state="session",
                     format_func=lambda v: all_label if v == "*" else v)
s = state.values("coh_freq", "coh_kind", "coh_show", "coh_owner", "coh_horizon", "coh_managers", "coh_source",
                 "coh_curves")
end = data_end_of(ctx.token, ds)
key = dict(managers=tuple(s.coh_managers), source=None if s.coh_source == "*" else s.coh_source,
           end=complete_through(end) if end else None, _data=ds)
team = cohort_team(ctx.token, s.coh_freq, s.coh_kind, s.coh_owner, **key)
if team["team"].empty:
    st.info(t("retention.no_cohorts"))
    st.stop()

# Lazy tabs: each view is computed when its tab is open (then cached for the session) — at a million deals
# the per-manager tables, Kaplan–Meier curves and the log-rank test take a while.
heat_tab, curves_tab, km_tab = st.tabs(page.tab_labels("coh_tabs", ("heatmap", "curves", "km"), "retention.tab."),
                                       key="coh_tabs", on_change="rerun")
if heat_tab.open:
    with heat_tab:
        cells, order = cohort_cells(team["team"], horizon=s.coh_horizon, show=s.coh_show)
        st.markdown(t("retention.heatmap_title", kind=t(f"retention.kind.{s.coh_kind}").lower()))
        draw.chart(charts.cohort_heatmap, cells, order=order, show=s.coh_show, lang=lang(), key="coh_heat")
        st.caption(t("retention.heatmap_note"))
        for w in team["warnings"]:
            st.caption(f"⚠ {engine_warning(w)}")

if curves_tab.open:
    with curves_tab:
        pooled = cohort_pooled(ctx.token, s.coh_freq, s.coh_kind, s.coh_owner, **key)
        st.markdown(t("retention.curves_title"))
        st.segmented_control(t("retention.curves_by"), ["manager", "cohort"], key="coh_curves",
                             persist_state="session", format_func=labeler("retention.curves_by."), required=True)
        lines = (pooled_lines(pooled["pooled"], horizon=s.coh_horizon) if state.get("coh_curves") == "manager"
                 else cohort_lines(team["team"], pooled["pooled"], horizon=s.coh_horizon))
        draw.chart(charts.trend, lines, x="period_index", y="rate", series="manager",
                   title=t("retention.rate_axis"), fmt=".1~%", team_label=t("common.team"),
                   lang=lang(), key="coh_pooled")
        st.caption(t("retention.curves_note"))
        for w in pooled["warnings"]:
            st.caption(f"⚠ {engine_warning(w)}")

if km_tab.open:
    with km_tab:
        st.markdown(t("retention.km_title"))
        rep = repeat_views(ctx.token, s.coh_freq, s.coh_owner, alpha=ctx.settings.alpha, **key)
        if rep["km"] is None:
            st.info(t("retention.no_repeat"))
        else:
            curves = km_curves(rep["km_team"], rep["km"], horizon=s.coh_horizon)
            draw.chart(charts.km, curves, title=t("retention.km_axis"), x_title=t(f"retention.freq.{s.coh_freq}"),
                       team_label=t("common.team"), lang=lang(), key="coh_km")
            tables.show(medians(rep["km_team"], rep["km"]), {"manager": "text", "n": "int", "events": "int",
                                                             "median": "num1"}, key="coh_median",
                        headers={"median": t("retention.median_col",
                                             unit=t(f"retention.freq.{s.coh_freq}").lower())})
            st.markdown(verdict_logrank(rep["logrank"], ctx.settings.alpha))
            for w in rep["warnings"]:
                st.caption(f"⚠ {engine_warning(w)}")
