import streamlit as st

from ui import charts, data_view as dv, draw, page, tables
from ui.fmt import inert, num
from ui.i18n import dataset_notes, lang, t
from ui.views import volume_colors, volume_labels

ctx = page.start("data")
token, ds = ctx.whole                 # the whole data, whatever team is chosen in the sidebar
summary, volume = dv.summary_and_volume(token, ds)
summary["kind"] = summary["kind"].map(lambda k: t(f"data.kind.{k}"))
tables.show(summary, {"kind": "text", "rows": "int", "managers": "int", "date_min": "text", "date_max": "text"},
            key="data_summary", headers={"kind": t("data.col.table")})
c1, c2 = st.columns(2)
c1.metric(t("data.rows_read"), num(ds.rows_read, lang()), border=True)
c2.metric(t("data.rows_used"), num(ds.rows_used, lang()), border=True)

seen: set[str] = set()   # widget keys on this page (the same name twice never collides)
for f in ctx.files:
    with st.expander(f"{inert(f.name)} — {t('data.kind.' + f.kind)}", expanded=True, icon=":material/description:"):
        st.markdown(dv.describe(f))
        st.markdown(dv.taken_for(f))
        dv.close_call_widgets(f, seen)
        st.markdown(t("data.mapping"))
        dv.mapping_widgets(f, seen)
        dv.stage_widgets(f, seen)
        st.markdown(t("data.quality"))
        st.dataframe(dv.quality_frame(f), hide_index=True, width="stretch", placeholder="—",
                     column_config={"what": t("data.q.what"), "value": t("col.value")})
        for w in dv.plain_warnings(f):
            st.warning(dv.warning_text(w), icon=":material/warning:")
for note in dataset_notes(ds):         # rows repeated across files, duplicate deal ids: no single file's
    st.warning(note, icon=":material/warning:")
dv.show_parts(ds)
if ctx.files:
    st.button(t("data.reset"), on_click=dv.reset_corrections, icon=":material/restart_alt:")
elif not ds.warnings:
    st.success(t("data.no_warnings"))
if "multi_currency" in ctx.scorecard.notes:
    st.warning(t("warn.multi_currency_kpi"))

st.subheader(t("data.volume"))
draw.chart(charts.volume, volume_labels(volume), x="month", y="count", series="series",
           title=t("data.count"), lang=lang(), colors=volume_colors(), key="volume")
st.subheader(t("data.preview"))
dv.show_deals_preview(ds.deals)
