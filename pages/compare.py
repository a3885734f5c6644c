import streamlit as st

from ui import charts, draw, page, state, tables, views
from ui import compare_view as cv
from ui.fmt import inert
from ui.guard import part as section
from ui.i18n import engine_warning, labeler, lang, t

ctx = page.start("compare")
with st.expander(t("compare.method_title"), icon=":material/help:"):
    st.markdown(t("compare.method"))
managers = ctx.scorecard.managers["manager"].tolist()
if len(managers) < 2:
    st.info(t("compare.need_two"))
    st.stop()
# Lazy tabs and one part at a time: every test runs when it is shown (then cached for the session) — at a
# million deals the whole set takes tens of seconds (Monte Carlo exact tests, the NB dispersion fit).
team_tab, pair_tab, rank_tab = st.tabs(page.tab_labels("cmp_tabs", ("team", "pair", "rank"), "compare.tab."),
                                       key="cmp_tabs", on_change="rerun")

if team_tab.open:
    with team_tab, section(t("compare.tab.team")):
        parts = cv.parts_of(ctx)
        state.ensure("cmp_part", parts)
        st.segmented_control(t("compare.part"), parts, key="cmp_part", required=True, persist_state="session",
                             format_func=lambda p: t("compare.kpi.plan_hit_share" if p == "plan"
                                                     else f"compare.kpi.{p}"))
        part = state.get("cmp_part")
        groups = cv.team_groups(ctx)
        if groups is not None:
            st.toggle(t("compare.by_team"), key="cmp_by_team", help=t("compare.by_team_help"),
                      persist_state="session")
        grouped = groups is not None and bool(state.get("cmp_by_team"))
        with st.spinner(t("compare.computing")):
            res = (cv.vs_team_by_team if grouped else cv.vs_team)(ctx, part, state.get("cmp_test"))
        TEAM_COLS = {**({"team": "text"} if grouped else {}), "manager": "text", "n": "int", "estimate": "text",
                     "interval": "text", "effect": "text", "p_adjusted": "p", "verdict": "text"}
        shown = False
        for kpi in ["conversion", "conversion_h", "avg_deal", "activities", "retention"]:
            if kpi == "avg_deal" and kpi == part:
                st.radio(t("compare.deal_test"), ["mannwhitney", "brunnermunzel"], key="cmp_test", horizontal=True,
                         format_func=labeler("compare.test."), persist_state="session")
            if kpi not in res or res[kpi].summary.empty:
                continue
            shown = True
            st.subheader(t(f"compare.kpi.{kpi}"))
            st.markdown(t("compare.by_team_note") if grouped else cv.omnibus_text(kpi, res[kpi]))
            tables.show(cv.team_table(kpi, res[kpi]), TEAM_COLS, key=f"vs_{kpi}",
                        headers={"n": t(f"compare.n.{kpi}"), "effect": t(f"compare.effect.{kpi}"),
                                 "team": views.team_header(ctx)})
            if kpi == "conversion_h":
                st.caption(t("compare.conversion_h_note", h=page.horizon_text(ctx)))
            if kpi in ("conversion", "conversion_h") and res["funnel"] is not None:
                f = res["funnel"]
                pts, curve = cv.funnel_frames(f)
                draw.chart(charts.funnel, pts, curve, p0=f.omnibus["p0"], x_title=t(
                    "compare.effective_leads" if kpi == "conversion_h" else "col.leads"),
                    y_title=t(f"compare.kpi.{kpi}"), lang=lang(), key="funnel" if kpi == "conversion" else "funnel_h")
                st.caption(t("compare.funnel_wide" if f.omnibus.get("overdispersed") else "compare.funnel_note",
                             phi=f"{f.omnibus.get('phi', float('nan')):.2f}"))
        if res.get("plan") is not None and not res["plan"].empty:
            shown = True
            st.subheader(t("compare.kpi.plan_hit_share"))
            tables.show(cv.plan_rows(res["plan"]), {"manager": "text", "months": "int", "hits": "int",
                                                    "share": "text", "interval": "text"}, key="plan_hits")
        if grouped and res.get("alone"):
            st.caption(t("compare.by_team_alone", teams=", ".join(t("teams.none") if a is None else inert(a)
                                                                  for a in res["alone"])))
        if not shown:
            st.info(t("compare.omnibus_none"))
        for w in res["warnings"]:
            st.caption(f"⚠ {engine_warning(w)}")

if pair_tab.open:
    with pair_tab, section(t("compare.tab.pair")):
        cv.ensure_pair(managers)
        c1, c2 = st.columns(2)
        c1.selectbox(t("compare.a"), managers, key="cmp_a", persist_state="session")
        c2.selectbox(t("compare.b"), managers, key="cmp_b", persist_state="session")
        a, b = state.get("cmp_a"), state.get("cmp_b")
        rows = cv.pair(ctx, a, b) if a != b else None
        if a == b:
            st.warning(t("compare.same"))
        elif rows is None or rows.empty:
            st.info(t("compare.pair_none"))
        else:
            tables.show(cv.pair_rows(rows, a, b), {"kpi_label": "text", "a": "text", "b": "text", "diff": "text",
                                                   "verdict": "text"}, key="pair", headers={"a": a, "b": b})
            st.caption(t("compare.pair_note"))

if rank_tab.open:
    with rank_tab, section(t("compare.tab.rank")):
        res = cv.vs_team(ctx, "shrunk")
        if res.get("shrunk") is not None:
            st.markdown(t("compare.rank_intro"))
            sh = res["shrunk"]
            draw.chart(charts.shrink_dots, sh.summary, raw_label=t("compare.raw"),
                       shrunk_label=t("compare.shrunk"), title=t("kpi.conversion"),
                       lang=lang(), key="shrink")
            tables.show(cv.shrunk_rows(sh), {"rank": "int", "manager": "text", "n": "int", "shrunk": "text",
                                             "cred": "text", "raw": "text", "raw_rank": "int"}, key="shrunk_table")
        res = cv.vs_team(ctx, "within")
        if res.get("within") is not None:
            st.subheader(t("compare.within_title"))
            mix = res["within"].omnibus
            if mix.get("mix_differs"):
                st.warning(t("compare.mix_warning", v=f"{mix.get('cramers_v', 0):.2f}"))
            tables.show(cv.within_rows(res["within"]), {"manager": "text", "n": "int", "effect": "text",
                                                        "p_adjusted": "p", "verdict": "text"}, key="within",
                        headers={"effect": t("compare.mh_or")})
