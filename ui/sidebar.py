"""The shared sidebar, drawn by app.py (through ``ui.context.run``) on every page so its state persists.

It only draws widgets: the keys, defaults and conversions are declared in ``ui.state``, the data is loaded
by ``ui.data`` and the settings are resolved by ``ui.state.settings``. No widget gets ``value=``, so tests can
inject state before the first run; every widget is keyed and kept across pages (``persist_state``).
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from metrics import kpi
from metrics.calendars import CALENDARS
from metrics.periods import Period, month, quarter, year

from . import auth, data, state
from .fmt import inert, money, money_unit
from .i18n import LANGS, labeler, lang, month_labeler, t

PCT_KPIS = state.PCT_KPIS
TARGETABLE = state.TARGETABLE
OVERRIDES_OPEN = "exp_targets_managers"   #: state of the lazy per-manager targets expander


def language() -> None:
    st.selectbox(t("sidebar.language"), list(LANGS), key="lang", format_func=LANGS.get,
                 on_change=state.repin_choices)


def data_source(user: auth.User) -> data.Choice:
    """The data-source widgets: sample data, a bundled sample export, or the user's uploads."""
    sources = ["sample", "export", "upload"] if user.can_upload else ["sample", "export"]
    state.ensure("source", sources)
    st.radio(t("sidebar.source"), sources, key="source", format_func=labeler("sidebar.source_"))
    source = st.session_state["source"]
    if source == "export":
        state.ensure("sample_export", list(data.SAMPLE_EXPORTS))
        st.selectbox(t("sidebar.sample_export"), list(data.SAMPLE_EXPORTS), key="sample_export",
                     format_func=labeler("sidebar.export."))
        return data.Choice("export", st.session_state["sample_export"])
    if source == "upload":
        files = st.file_uploader(t("sidebar.upload"), type=["csv", "tsv", "txt", "xlsx", "xls", "ods", "zip"],
                                 accept_multiple_files=True, key="uploads", help=t("sidebar.upload_help"))
        auth.audit_uploads(files or [])          # names and sizes only
        return data.Choice("upload", None, tuple(data.uploaded(files or [])))
    return data.Choice("sample")


def teams(f: dict) -> tuple[tuple, str | None]:
    """The team filter, drawn only when the data has a team hierarchy (``f``: ``ui.context.facts``): the
    level (when the data has more than one: team, office, region) and a multiselect of its teams (empty:
    all). Returns the chosen teams (None: the managers without a team) and the level; ((), None) without
    a hierarchy."""
    levels = f.get("team_levels") or []
    if not levels:
        return (), None
    s = st.session_state
    state.ensure("team_level", levels)
    if len(levels) > 1:
        st.selectbox(t("teams.level"), levels, key="team_level", format_func=labeler("teams.level."),
                     persist_state="session")
    level = s["team_level"]
    names = [state.NO_TEAM if n is None else n for n in f["team_names"][level]]
    if any(v not in names for v in s.get("teams") or []):      # another level or other data: keep what fits
        s["teams"] = [v for v in s["teams"] if v in names]
    st.multiselect(t(f"teams.pick.{level}"), names, key="teams", persist_state="session",
                   placeholder=t("teams.all"),
                   format_func=lambda v, none=t("teams.none"): none if v == state.NO_TEAM else str(v))
    chosen, _ = state.team_choice()
    return chosen, level


def _month_options(start: date, end: date) -> list[str]:
    months = pd.period_range(start, end, freq="M")
    return [str(p) for p in months[::-1]]


def period(f: dict) -> Period:
    """The period widgets over the dataset's months (``f``: ``ui.context.facts``)."""
    first, end, default = f["first"], f["end"], f["default"]
    st.selectbox(t("sidebar.period_kind"), ["month", "quarter", "year", "custom"], key="period_kind",
                 format_func=labeler("period."), persist_state="session")
    kind = st.session_state["period_kind"]
    months = _month_options(first, end)
    s = st.session_state
    if kind == "month":
        if s.get("period_month") not in months:
            s["period_month"] = f"{default.start:%Y-%m}"
        st.selectbox(t("period.month"), months, key="period_month", persist_state="session",
                     format_func=month_labeler(), label_visibility="collapsed")
        y, m = map(int, s["period_month"].split("-"))
        return month(y, m)
    if kind == "quarter":
        quarters = list(dict.fromkeys(f"{m[:4]}-Q{(int(m[5:]) - 1) // 3 + 1}" for m in months))
        if s.get("period_quarter") not in quarters:
            # the latest quarter that ends by the default month (not one running past the data)
            q = f"{default.end.year}-Q{(default.end.month - 1) // 3 + 1}"
            if default.end.month % 3:
                q = quarters[quarters.index(q) + 1] if q in quarters and quarters.index(q) + 1 < len(quarters) else q
            s["period_quarter"] = q if q in quarters else quarters[0]
        st.selectbox(t("period.quarter"), quarters, key="period_quarter", persist_state="session",
                     label_visibility="collapsed")
        y, q = s["period_quarter"].split("-Q")
        return quarter(int(y), int(q))
    if kind == "year":
        years = list(dict.fromkeys(m[:4] for m in months))
        if s.get("period_year") not in years:
            dy = str(f["default_year"])    # the latest year the data reaches the end of (periods.default_year)
            s["period_year"] = dy if dy in years else years[0]
        st.selectbox(t("period.year"), years, key="period_year", persist_state="session",
                     label_visibility="collapsed")
        return year(int(s["period_year"]))
    if not isinstance(s.get("period_range"), (tuple, list)):
        s["period_range"] = (default.start, default.end)
    rng = st.date_input(t("period.custom"), key="period_range", persist_state="session",
                        label_visibility="collapsed", format="YYYY-MM-DD")
    if isinstance(rng, (tuple, list)) and len(rng) == 2:
        return Period(rng[0], rng[1])
    st.caption(t("sidebar.pick_end"))
    return default


def _hint(manager: str, draft, n_months: int) -> str:
    """The placeholder of a blank per-manager input: the monthly target in effect without it (grid edit,
    plans file or the default), averaged over the period's months."""
    tab = draft.table(managers=[manager], months=draft.period.month_overlaps()["month"].tolist())
    tab = tab[tab["source"] != "sidebar"]
    if tab.empty:
        return t("sidebar.no_plan")
    value = float(tab["target"].sum()) / max(n_months, 1)
    return t("sidebar.in_effect", value=money(value, lang()),
             source=", ".join(dict.fromkeys(t(f"targets.source.{s}") for s in tab["source"])))


def _targets(managers: list[str], draft) -> None:
    with st.expander(t("sidebar.targets"), icon=":material/flag:"):
        st.number_input(t("sidebar.default_target", unit=money_unit(lang())), min_value=0.0, step=10_000.0, format="%.0f",
                        key="default_target", help=t("sidebar.default_target_help"), persist_state="session")
    # One input per manager is drawn only while this expander is open (a lazy expander: a rerun with a few
    # hundred number inputs costs ~1 s); persist_state keeps the values set while it is closed.
    box = st.expander(t("sidebar.targets_managers"), icon=":material/person:", key=OVERRIDES_OPEN,
                      on_change="rerun")
    if box.open:
        with box:
            st.caption(t("sidebar.override_help"))
            n = len(draft.period.month_overlaps())
            for m in managers:
                st.number_input(inert(m), min_value=0.0, step=10_000.0, format="%.0f", value=None, key=f"tgt::{m}",
                                persist_state="session", placeholder=_hint(m, draft, n))


def _on_mode(k: str) -> None:
    """Switching a KPI between absolute and share-of-target thresholds resets its two values sensibly."""
    share = st.session_state[f"thm_{k}"] == "share"
    g, a = kpi.DEFAULT_THRESHOLDS[k]
    f = state.factor(k)
    st.session_state[f"th_{k}_green"], st.session_state[f"th_{k}_amber"] = (100.0, 80.0) if share else (g * f, a * f)


def _thresholds() -> None:
    with st.expander(t("sidebar.thresholds"), icon=":material/traffic:"):
        st.caption(t("sidebar.thresholds_help"))
        for k in kpi.LIGHT_KPIS:
            unit = "%" if k in PCT_KPIS or state.is_share(k) else ""
            st.markdown(f"**{t('kpi.' + k)}**{', ' + unit if unit else ''}")
            if k in TARGETABLE:
                st.segmented_control(t("sidebar.th_mode"), ["absolute", "share"], key=f"thm_{k}",
                                     format_func=labeler("sidebar.th_mode."), on_change=_on_mode, args=(k,),
                                     persist_state="session", required=True, label_visibility="collapsed")
            c1, c2 = st.columns(2)
            c1.number_input(t("sidebar.green"), min_value=0.0, step=1.0 if unit else 0.5, key=f"th_{k}_green",
                            persist_state="session")
            c2.number_input(t("sidebar.amber"), min_value=0.0, step=1.0 if unit else 0.5, key=f"th_{k}_amber",
                            persist_state="session")


def threshold_modes() -> dict[str, str]:
    return state.threshold_modes()


def _weights() -> None:
    with st.expander(t("sidebar.weights"), icon=":material/balance:"):
        st.caption(t("sidebar.weights_help"))
        for k in kpi.LIGHT_KPIS:
            st.slider(t(f"kpi.{k}"), 0, 100, step=5, key=f"w_{k}", persist_state="session")


def _statistics() -> None:
    with st.expander(t("sidebar.statistics"), icon=":material/functions:"):
        st.select_slider(t("sidebar.alpha"), [0.01, 0.05, 0.10], key="alpha", help=t("sidebar.alpha_help"),
                         persist_state="session")
        st.number_input(t("sidebar.min_n"), min_value=1, max_value=10_000, step=5, key="min_n",
                        help=t("sidebar.min_n_help"), persist_state="session")
        st.radio(t("sidebar.adjust"), ["holm", "bh"], key="adjust", horizontal=True,
                 format_func=labeler("adjust."), help=t("sidebar.adjust_help"), persist_state="session")
        st.number_input(t("sidebar.horizon_days"), min_value=1, max_value=3650, step=15, key="horizon_days",
                        help=t("sidebar.horizon_days_help"), persist_state="session")
        st.selectbox(t("sidebar.calendar"), list(CALENDARS), key="calendar", format_func=labeler("cal."),
                     help=t("sidebar.calendar_help"), persist_state="session")


def controls(user: auth.User, managers: list[str], draft) -> None:
    """Targets, thresholds and weights (admin / head), then the statistics options."""
    if user.can_edit:
        _targets(managers, draft)
        _thresholds()
        _weights()
    _statistics()
