"""The projector view: large type, the sidebar collapsed, KPI cards that wrap instead of truncating, and on
the Overview one manager per screen with next / previous — the same content as the report's manager
pages (``report.content``). On with the toggle at the top of every page or ``?view=present``."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from . import state
from .context import Ctx
from .i18n import lang, t

KEY = "present"

#: KPI cards wrap their label and value (never "Конв… 7,… 5…" at 1024×768), in every view
_CARDS_CSS = """
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; line-height: 1.25; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
  overflow-wrap: anywhere; font-size: clamp(1.2rem, 2.6vw, 2.2rem) !important; line-height: 1.15; }
[data-testid="stMetricDelta"], [data-testid="stMetricDelta"] * { white-space: normal !important; }
"""
#: the projector: larger type everywhere, full-width content
_PRESENT_CSS = """
html { font-size: 19px; }
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-left: 1.6rem; padding-right: 1.6rem;
  max-width: 100%; }
[data-testid="stDataFrame"] { font-size: 1rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  font-size: clamp(1.3rem, 3.2vw, 2.6rem) !important; }
"""


def wanted_from_url() -> bool:
    """``?view=present`` in the URL (read before set_page_config to start with the sidebar collapsed)."""
    return st.query_params.get("view") == "present"


def init() -> None:
    """Seed the toggle once per session from the URL."""
    if wanted_from_url() and not st.session_state.get("_present_from_url"):
        st.session_state[KEY] = True
        st.session_state["_present_from_url"] = True
    st.session_state.setdefault(KEY, False)


def active() -> bool:
    return bool(st.session_state.get(KEY))


def style() -> None:
    css = _CARDS_CSS + (_PRESENT_CSS if active() else "")
    st.html(f"<style>{css}</style>")


def _on_toggle() -> None:
    if st.session_state.get(KEY):
        st.query_params["view"] = "present"
    elif st.query_params.get("view") == "present":
        del st.query_params["view"]


def toggle() -> None:
    st.toggle(t("present.toggle"), key=KEY, on_change=_on_toggle, help=t("present.toggle_help"))


@state.session_cache("resource", max_entries=4)
def _content(token: str, period, options_key: str, _data, _options) -> dict:
    """The report's content for this data, period and settings (once per session and setting)."""
    from report import collect
    return collect(data=_data, period=period, options=_options)


def manager_screens(ctx: Ctx) -> None:
    """One manager per screen, next / previous: the report's manager page, live."""
    from dataclasses import replace

    from . import auth
    from .downloads import report_options

    options = replace(report_options(ctx, auth.current_user()), title="")
    with st.spinner(t("present.loading")):
        content = _content(ctx.token, ctx.period, repr(replace(options, settings=None)) + ctx.settings.key,
                           ctx.dataset, options)
    pages = content["managers"]
    if not pages:
        st.info(t("common.no_leads"))
        return
    names = [p["name"] for p in pages]
    if st.session_state.get("present_manager") not in names:
        st.session_state["present_manager"] = names[0]
    i = names.index(st.session_state["present_manager"])

    def go(step: int) -> None:
        st.session_state["present_manager"] = names[(i + step) % len(names)]

    c1, c2, c3 = st.columns([1, 4, 1], vertical_alignment="center")
    c1.button(t("present.previous"), icon=":material/chevron_left:", on_click=go, args=(-1,), key="present_prev",
              use_container_width=True)
    c2.selectbox(t("present.manager"), names, key="present_manager", label_visibility="collapsed")
    c3.button(t("present.next"), icon=":material/chevron_right:", on_click=go, args=(1,), key="present_next",
              use_container_width=True)
    page = pages[i]
    st.subheader(page["name"])
    st.caption(f"{content['cover']['period']} · {page['deals']} · {page['target_line']}")
    hd = content["headings"]
    rows = pd.DataFrame([{hd["kpi"]: r["kpi"], hd["value"]: r["value"], hd["interval"]: r["interval"],
                          hd["change"]: r["change"], hd["team_value"]: r["team"],
                          hd["light"]: f"\u25cf {r['light_word']}", hd["verdict"]: r["verdict"]}
                         for r in page["rows"]])
    colours = {"green": "#dcf1e4", "amber": "#fbefcf", "red": "#f7dcd9", "none": "#f1f2f4", "insufficient": "#e5e7eb"}
    lights = [r["light"] for r in page["rows"]]
    dots = {"green": "#2e9d5b", "amber": "#c98a0b", "red": "#d2483c", "none": "#6b7280", "insufficient": "#6b7280"}
    styled = rows.style.apply(lambda col: [f"background-color: {colours.get(l, '')}; color: {dots.get(l, '')}"
                                           for l in lights], subset=[hd["light"]]).hide(axis="index")
    st.table(styled)                                       # a static table: long verdicts wrap, never cut
    st.caption(content["level"])
    left, right = st.columns([1, 2])
    facts = pd.DataFrame({hd["value"]: [f["value"] for f in page["facts"]]}, index=[f["label"] for f in page["facts"]])
    left.table(facts)
    spec = {**content["charts"][page["chart"]], "height": 260}
    spec.pop("width", None)
    right.vega_lite_chart(spec, use_container_width=True, key="present_trend")
    right.caption(content["trend_note"])
    st.caption(t("present.position", i=i + 1, n=len(names)))


__all__ = ["active", "init", "manager_screens", "style", "toggle", "wanted_from_url", "lang"]
