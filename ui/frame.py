"""Guard against the legacy ``pages/`` deep-link run (notes/streamlit.md §1).

On a freshly started server a deep link such as ``/conversion`` runs ``pages/conversion.py`` directly,
without ``app.py`` (no sidebar, no log-in). ``app.py`` marks the session; every page calls
``require_frame()`` first and bounces through the entrypoint when the mark is missing.
"""
import streamlit as st

_MARK = "_entered_via_app_py"


def mark_frame() -> None:
    st.session_state[_MARK] = True


def require_frame() -> None:
    if not st.session_state.get(_MARK):
        st.switch_page("app.py")
