"""SalesLens — entrypoint: page config, navigation over pages/, log-in, the shared sidebar."""
import streamlit as st

from ui import auth, context, present, state, warm
from ui.guard import part
from ui.frame import mark_frame
from ui.i18n import init_language, t

st.set_page_config(page_title="SalesLens", page_icon=":material/insights:", layout="wide",
                   initial_sidebar_state="collapsed" if present.wanted_from_url() else "auto")
mark_frame()
init_language()
present.init()
present.style()

ICONS = {"overview": ":material/dashboard:", "conversion": ":material/filter_alt:", "deal_size": ":material/payments:",
         "activity": ":material/call:", "plan": ":material/flag:", "retention": ":material/autorenew:",
         "compare": ":material/compare_arrows:", "data": ":material/database:"}
try:
    user = auth.current_user()
except auth.AuthConfigError as exc:
    st.error(str(exc))
    st.stop()
allowed = auth.PAGES[user.role] if user else auth.ALL_PAGES
# st.navigation first (notes/streamlit.md §1, §7). Pages a role may not see are not registered, so their
# URLs cannot be reached. Before log-in every page is registered (hidden) so that a deep link or a reload
# keeps its page through the cookie re-login — the gate below stops the run until the user is known.
nav = st.navigation([st.Page(f"pages/{name}.py", title=t(f"page.{name}"), icon=ICONS[name], url_path=name,
                             default=(name == "overview")) for name in allowed],
                    position="sidebar" if user else "hidden")
st.set_page_config(page_title=f"{nav.title} · SalesLens")    # the browser tab names the page, in the language
st.logo("ui/logo.svg", size="large")
try:
    user = auth.login_gate()
except auth.AuthConfigError as exc:
    st.error(str(exc))
    st.stop()
if user is None:
    st.stop()
if nav.url_path and nav.url_path.strip("/") not in auth.PAGES[user.role]:
    st.error(t("auth.not_allowed"))             # logged in during this run on a page the role may not see
    st.stop()
auth.badge(user)
ctx = context.run(user)          # the sidebar, the data, the settings resolved once, the KPIs
state.unpin_script_module()      # the data loader imports multiprocessing on the first run (ui/state.py)
if ctx is None:
    st.title("SalesLens")
    st.info(t("app.no_data"))
    st.stop()
try:
    with part(nav.title):        # a failing page shows a translated message; the sidebar and other pages work
        nav.run()
    warm.start()                 # once per process, after the first page: the other pages' imports (ui/warm.py)
finally:
    # this module's globals outlive the run (sys.modules["__main__"] until the next run of any session):
    # they must not keep the run's data once its session has ended
    del ctx
    state.unpin_script_module()
