import streamlit as st

from metrics.planning import dataset_fingerprint, scenario_to_json
from ui import charts, draw, page, state, tables
from ui import planning_view as pv
from ui.context import monthly
from ui.guard import part
from ui.i18n import labeler, lang, t
from ui.fmt import money_unit
from ui.views import fulfilment_cells, revenue_vs_target

ctx = page.start("plan")
months, people = pv.months_of(ctx), pv.managers_of(ctx)
# Lazy tabs: only the open tab's content runs (forecast, back-test and score take seconds at a million deals);
# each tab's results are cached per session (ui/planning_view.py), so coming back to a tab is instant.
tab_targets, tab_green, tab_forecast, tab_whatif, tab_score, tab_scen = st.tabs(
    page.tab_labels("plan_tabs", ("targets", "green", "forecast", "whatif", "score", "scenarios"), "plan.tab."),
    key="plan_tabs", on_change="rerun")

if tab_targets.open:
    with tab_targets, part(t("plan.tab.targets")):
        with st.container(border=True):
            st.markdown(t("plan.rule_title", months=", ".join(months)))
            c1, c2 = st.columns(2)
            c1.selectbox(t("plan.rule"), pv.RULES, key="rule_kind", format_func=labeler("plan.rule."),
                         persist_state="session")
            param = {"same": "rule_target", "growth": "rule_growth", "percentile": "rule_q", "split": "rule_team"}
            key = param[state.get("rule_kind")]
            if key == "rule_q":
                c2.slider(t("plan.rule_q"), 5, 95, step=5, key=key, persist_state="session")
            else:
                c2.number_input(t(f"plan.{key}", unit=money_unit(lang())), min_value=-100.0 if key == "rule_growth" else 0.0,
                                step=5.0 if key == "rule_growth" else 10_000.0, format="%.1f" if key == "rule_growth"
                                else "%.0f", key=key, persist_state="session")
            st.checkbox(t("plan.rule_ramp"), key="rule_ramp", persist_state="session")
            st.button(t("plan.apply"), on_click=pv.apply_rule, args=(ctx,), type="primary", key="apply_rule")
        if state.get("_rule_error"):
            st.error(state.get("_rule_error"))
        if state.get("_rule_note"):
            st.info(state.get("_rule_note"))
        st.caption(t("plan.grid_help"))
        st.data_editor(pv.grid(ctx), key=pv.EDITOR_KEY, hide_index=True, width="stretch", placeholder="—", disabled=["manager"],
                       height=35 * (len(people) + 1) + 3,
                       on_change=pv.on_grid_edit, args=(months, people),
                       column_config={"manager": st.column_config.TextColumn(t("col.manager")), pv.grid_tag(): None,
                                      **{m: st.column_config.NumberColumn(m, min_value=0, step=1000, format="%.0f")
                                         for m in months}})
        st.button(t("plan.reset"), on_click=pv.reset_edits, icon=":material/restart_alt:")
        with st.expander(t("plan.in_effect_title"), icon=":material/table_rows:", expanded=True):
            st.caption(t("plan.in_effect_help"))
            eff = pv.targets_table(ctx)
            if eff.empty:
                st.info(t("plan.in_effect_none"))
            else:
                tables.show(eff, {"manager": "text", "month": "text", "target": "money", "source": "text"},
                            key="targets_in_effect")
        with st.expander(t("plan.kpi_targets"), icon=":material/flag:"):
            st.caption(t("plan.kpi_targets_help"))
            cols = st.columns(4)
            for col, k in zip(cols, pv.KPI_TARGETS):
                col.number_input(t(f"plan.kpi_target.{k}"), min_value=0.0, key=f"kt_{k}", persist_state="session",
                                 step=0.01 if k in ("conversion", "retention_rate") else 1.0)
            st.caption(t("plan.kpi_targets_per_manager"))
            st.data_editor(pv.kpi_grid(people), key="kpi_grid_editor", hide_index=True, width="stretch", placeholder="—",
                           disabled=["manager"], on_change=pv.on_kpi_grid_edit, args=(people,),
                           column_config={"manager": st.column_config.TextColumn(t("col.manager")),
                                          **{k: st.column_config.NumberColumn(t(f"plan.kpi_target.{k}"), min_value=0)
                                             for k in pv.KPI_TARGETS}})

if tab_green.open:
    with tab_green, part(t("plan.tab.green")):
        tables.show(pv.green_table(ctx), {"light": "text", "manager": "text", "revenue": "money", "target": "money",
                                          "plan_fulfillment": "pct"}, lights=ctx.lights, key="green_table",
                    headers={"light": ""})
        bars_df, order = revenue_vs_target(ctx)
        draw.chart(charts.bars, bars_df, x="amount", y="manager", color="what",
                   title=t("plan.axis", unit=money_unit(lang())), fmt=",.0f",
                   lang=lang(), stack=False, sort=order, key="plan_bars")
        kt = pv.kpi_targets_table(ctx)
        if kt is not None:
            st.markdown(t("plan.kpi_targets_result"))
            tables.show(kt, {"manager": "text", "kpi": "text", "value": "num2", "target": "num2", "attainment": "pct",
                             "met": "text"}, key="kpi_targets_table")
        st.subheader(t("plan.by_month"))
        cells, rows = fulfilment_cells(monthly(ctx))
        draw.chart(charts.heatmap, cells, x="month", y="manager", value="plan_fulfillment", text="text",
                   title=t("kpi.plan_fulfillment"), lang=lang(), domain=[0.5, 1.0, 1.5],
                   y_order=rows, key="plan_heat")

if tab_forecast.open:
    with tab_forecast, part(t("plan.tab.forecast")):
        st.markdown(t("plan.forecast_explain"))
        pv.ensure_as_of(ctx)
        as_of = st.date_input(t("plan.as_of"), key="fc_as_of", min_value=ctx.period.start, max_value=ctx.period.end,
                              persist_state="session")
        fc = pv.forecast_frame(ctx, as_of, page.calendar_code(ctx))
        st.caption(t("plan.forecast_calendar", calendar=page.calendar_label(ctx)))
        if (fc["elapsed_wd"] >= fc["total_wd"]).all():
            st.info(t("plan.forecast_over"))
        tables.show(fc, {"manager": "text", "revenue_to_date": "money", "elapsed_wd": "int", "total_wd": "int",
                         "projected": "money", "target": "money", "projected_fulfillment": "pct",
                         "projected_fulfillment_low": "pct", "projected_fulfillment_high": "pct"}, key="forecast")

if tab_whatif.open:
    with tab_whatif, part(t("plan.tab.whatif")):
        st.markdown(t("plan.whatif_explain"))
        bt, summary = pv.whatif(ctx)
        if bt.empty:
            st.info(t("plan.whatif_none"))
        else:
            draw.chart(charts.strip, bt.dropna(subset=["fulfillment"]), x="fulfillment", y="manager",
                       color="light", title=t("kpi.plan_fulfillment"), lang=lang(), key="whatif")
            tables.show(summary, {"manager": "text", "months": "int", "median_fulfillment": "pct", "share_green": "pct",
                                  "share_amber": "pct", "share_red": "pct"}, key="whatif_table")

if tab_score.open:
    with tab_score, part(t("plan.tab.score")):
        st.markdown(t("plan.score_explain"))
        sc = pv.score(ctx)
        draw.chart(charts.rank_ranges, sc, lang=lang(), title=t("plan.rank"), key="score_chart")
        tables.show(sc, {"manager": "text", "score": "num2", "rank": "int", "rank_low": "int", "rank_high": "int"},
                    key="score_table")

if tab_scen.open:
    with tab_scen, part(t("plan.tab.scenarios")):
        st.markdown(t("plan.scenario_explain"))
        name = st.text_input(t("plan.scenario_name"), key="scenario_name", persist_state="session",
                             placeholder=t("plan.scenario_placeholder"))
        st.download_button(t("plan.scenario_save"), scenario_to_json(pv.current_scenario(ctx, name or "scenario")),
                           f"saleslens-scenario-{(name or 'scenario').replace(' ', '_')}.json", mime="application/json",
                           on_click="ignore", icon=":material/download:")
        st.file_uploader(t("plan.scenario_load"), type=["json"], key="scenario_file", on_change=pv.load_scenario,
                         args=(dataset_fingerprint(deals=ctx.dataset.deals), people))
        msg = state.take("_scenario_msg")
        if msg:
            getattr(st, msg[0])("\n".join(f"- {m}" for m in msg[1]))
        pair = st.file_uploader(t("plan.scenario_compare"), type=["json"], accept_multiple_files=True,
                                key="scenario_pair")
        diff = pv.compare_files(pair)
        if diff is not None:
            st.dataframe(diff, hide_index=True, width="stretch", key="scenario_diff", placeholder="—")
