import streamlit as st

from ui import charts, page, tables
from ui.i18n import lang, t
from ui.views import pair_table

ctx = page.start("compare")
card = ctx.scorecard
managers = card.managers["manager"].tolist()
if len(managers) < 2:
    st.info(t("compare.need_two"))
    st.stop()
st.session_state.setdefault("cmp_a", managers[0])
st.session_state.setdefault("cmp_b", managers[1])
c1, c2 = st.columns(2)
c1.selectbox(t("compare.a"), managers, key="cmp_a", persist_state="session")
c2.selectbox(t("compare.b"), managers, key="cmp_b", persist_state="session")
a, b = st.session_state["cmp_a"], st.session_state["cmp_b"]
if a == b:
    st.warning(t("compare.same"))
    st.stop()
table = pair_table(ctx, a, b)
tables.show(table, {"kpi_label": "text", "a": "text", "b": "text", "diff": "text"}, key="pair",
            headers={"a": a, "b": b})
both = card.managers[card.managers["manager"].isin([a, b])]
st.altair_chart(charts.ci_dots(both, label="manager", value="conversion", low="conversion_ci_low",
                               high="conversion_ci_high", team=card.team["conversion"].iloc[0],
                               title=t("conversion.axis"), lang=lang()), key="pair_ci")
st.caption(t("compare.overlap_note"))
