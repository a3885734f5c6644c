"""SalesLens — entrypoint: page config, navigation over pages/, the shared sidebar."""
import streamlit as st

from ui import sidebar
from ui.frame import mark_frame
from ui.i18n import init_language, t

st.set_page_config(page_title="SalesLens", page_icon=":material/insights:", layout="wide")
mark_frame()
init_language()

PAGES = [("overview", ":material/dashboard:"), ("conversion", ":material/filter_alt:"),
         ("deal_size", ":material/payments:"), ("activity", ":material/call:"), ("plan", ":material/flag:"),
         ("retention", ":material/autorenew:"), ("compare", ":material/compare_arrows:"),
         ("data", ":material/database:")]
# st.navigation first (notes/streamlit.md §1, §7), then everything else.
nav = st.navigation([st.Page(f"pages/{name}.py", title=t(f"page.{name}"), icon=icon, url_path=name,
                             default=(name == "overview")) for name, icon in PAGES])
st.logo("ui/logo.svg", size="large")
ctx = sidebar.render()
st.session_state["_ctx"] = ctx
if ctx is None:
    st.title("SalesLens")
    st.info(t("app.no_data"))
    st.stop()
nav.run()
