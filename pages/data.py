import streamlit as st

from metrics.quality import dataset_summary, monthly_volume
from ui import charts, page, tables
from ui.i18n import lang, t
from ui.views import volume_labels

ctx = page.start("data")
ds = ctx.dataset
summary = dataset_summary(data=ds)
summary["kind"] = summary["kind"].map(lambda k: t(f"data.kind.{k}"))
tables.show(summary, {"kind": "text", "rows": "int", "managers": "int", "date_min": "text", "date_max": "text"},
            key="data_summary")
c1, c2 = st.columns(2)
c1.metric(t("data.rows_read"), f"{ds.rows_read:,}".replace(",", "\u00a0"), border=True)
c2.metric(t("data.rows_used"), f"{ds.rows_used:,}".replace(",", "\u00a0"), border=True)
for w in ds.warnings + ctx.scorecard.notes:
    st.warning(t(f"warn.{w}") if w in ("multi_currency",) else w)
if not ds.warnings and not ctx.scorecard.notes:
    st.success(t("data.no_warnings"))
st.subheader(t("data.volume"))
st.altair_chart(charts.volume(volume_labels(monthly_volume(data=ds)), x="month", y="count", series="series",
                              title=t("data.count"), lang=lang()), key="volume")
st.subheader(t("data.preview"))
st.dataframe(ds.deals.head(200), hide_index=True, width="stretch", key="deals_preview")
