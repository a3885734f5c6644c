"""The shared sidebar, rendered by app.py on every page so its state persists across pages.

Defaults are seeded once with ``st.session_state.setdefault`` and no widget gets ``value=``, so tests can
inject state before the first run. Bad uploads show a translated error and keep what was loaded before.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from metrics import kpi
from metrics.errors import DataError
from metrics.periods import Period, month, quarter, year

from metrics.calendars import CALENDARS
from metrics.privacy import anonymise

from . import auth, context, data
from .fmt import money
from .i18n import LANGS, error_text, labeler, lang, month_labeler, t

PCT_KPIS = {"conversion", "avg_deal", "plan_fulfillment", "retention_rate"}  # thresholds typed in percent
DEFAULTS = {"lang": "en", "source": "sample", "period_kind": "month", "alpha": 0.05, "min_n": 30,
            "adjust": "holm", "default_target": 0.0, "horizon_days": 90, "calendar": "UA", "conv_measure": "raw"}
for _k, (_g, _a) in kpi.DEFAULT_THRESHOLDS.items():
    _f = 100.0 if _k in PCT_KPIS else 1.0
    DEFAULTS[f"th_{_k}_green"], DEFAULTS[f"th_{_k}_amber"] = _g * _f, _a * _f
    DEFAULTS[f"w_{_k}"] = 20


OVERRIDES_OPEN = "exp_targets_managers"   #: state of the lazy per-manager targets expander


def _seed() -> None:
    for k, v in DEFAULTS.items():
        st.session_state.setdefault(k, v)


def _uploads() -> list[data.Source]:
    files = st.file_uploader(t("sidebar.upload"), type=["csv", "tsv", "txt", "xlsx", "xls"],
                             accept_multiple_files=True, key="uploads", help=t("sidebar.upload_help"))
    return data.uploaded(files or [])


def _dataset(user: auth.User) -> tuple[data.Dataset, str, str] | None:
    """The dataset chosen in the sidebar; on a bad file the previous one stays loaded."""
    sources = ["sample", "export", "upload"] if user.can_upload else ["sample", "export"]
    if st.session_state.get("source") not in sources:
        st.session_state["source"] = "sample"
    st.radio(t("sidebar.source"), sources, key="source", format_func=labeler("sidebar.source_"))
    source = st.session_state["source"]
    if source == "sample":
        st.session_state["_files"] = None
        return data.load_sample(), "sample", t("sidebar.source_sample")
    if source == "export":
        st.session_state.setdefault("sample_export", "bitrix24")
        st.selectbox(t("sidebar.sample_export"), list(data.SAMPLE_EXPORTS), key="sample_export",
                     format_func=labeler("sidebar.export."))
        files = data.from_bytes(data.sample_export_files(st.session_state["sample_export"]))
    else:
        files = _uploads()
        if not files:
            st.info(t("sidebar.need_deals"))
            return st.session_state.get("_last_upload")
    maps, stages = data.corrections()
    token = data.token_of(files, maps, stages)
    try:
        loaded = data.load_files(token, maps, stages, files)
    except DataError as exc:
        st.error(error_text(exc))
        return st.session_state.get("_last_upload")
    names = ", ".join(f.name for f in files)
    got = (loaded.data, token, names)
    st.session_state["_files"] = loaded.files
    st.session_state["_last_upload"] = got
    return got


def _month_options(start: date, end: date) -> list[str]:
    months = pd.period_range(start, end, freq="M")
    return [str(p) for p in months[::-1]]


def _period(ds: data.Dataset, token: str) -> Period:
    f = context.facts(token, ds)
    first, end, default = f["first"], f["end"], f["default"]
    st.selectbox(t("sidebar.period_kind"), ["month", "quarter", "year", "custom"], key="period_kind",
                 format_func=labeler("period."), persist_state="session")
    kind = st.session_state["period_kind"]
    months = _month_options(first, end)
    if kind == "month":
        if st.session_state.get("period_month") not in months:
            st.session_state["period_month"] = f"{default.start:%Y-%m}"
        st.selectbox(t("period.month"), months, key="period_month", persist_state="session",
                     format_func=month_labeler(), label_visibility="collapsed")
        y, m = map(int, st.session_state["period_month"].split("-"))
        return month(y, m)
    if kind == "quarter":
        quarters = list(dict.fromkeys(f"{m[:4]}-Q{(int(m[5:]) - 1) // 3 + 1}" for m in months))
        if st.session_state.get("period_quarter") not in quarters:
            # the latest quarter that ends by the default month (not one running past the data)
            q = f"{default.end.year}-Q{(default.end.month - 1) // 3 + 1}"
            if default.end.month % 3:
                q = quarters[quarters.index(q) + 1] if q in quarters and quarters.index(q) + 1 < len(quarters) else q
            st.session_state["period_quarter"] = q if q in quarters else quarters[0]
        st.selectbox(t("period.quarter"), quarters, key="period_quarter", persist_state="session",
                     label_visibility="collapsed")
        y, q = st.session_state["period_quarter"].split("-Q")
        return quarter(int(y), int(q))
    if kind == "year":
        years = list(dict.fromkeys(m[:4] for m in months))
        if st.session_state.get("period_year") not in years:
            dy = str(f["default_year"])    # the latest year the data reaches the end of (periods.default_year)
            st.session_state["period_year"] = dy if dy in years else years[0]
        st.selectbox(t("period.year"), years, key="period_year", persist_state="session",
                     label_visibility="collapsed")
        return year(int(st.session_state["period_year"]))
    st.session_state.setdefault("period_range", (default.start, default.end))
    rng = st.date_input(t("period.custom"), key="period_range", persist_state="session",
                        label_visibility="collapsed", format="YYYY-MM-DD")
    if isinstance(rng, (tuple, list)) and len(rng) == 2:
        return Period(rng[0], rng[1])
    st.caption(t("sidebar.pick_end"))
    return default


def _targets(managers: list[str], plans_hint: dict[str, float]) -> tuple[float | None, dict[str, float]]:
    with st.expander(t("sidebar.targets"), icon=":material/flag:"):
        st.number_input(t("sidebar.default_target"), min_value=0.0, step=10_000.0, format="%.0f",
                        key="default_target", help=t("sidebar.default_target_help"), persist_state="session")
    # One input per manager is drawn only while this expander is open (a lazy expander: a rerun with a few
    # hundred number inputs costs ~1 s); persist_state keeps the values set while it is closed.
    st.session_state.setdefault(OVERRIDES_OPEN, False)
    box = st.expander(t("sidebar.targets_managers"), icon=":material/person:", key=OVERRIDES_OPEN,
                      on_change="rerun")
    if box.open:
        with box:
            st.caption(t("sidebar.override_help"))
            for m in managers:
                hint = plans_hint.get(m)
                st.number_input(m, min_value=0.0, step=10_000.0, format="%.0f", value=None, key=f"tgt::{m}",
                                persist_state="session",
                                placeholder=t("sidebar.from_plan", value=money(hint, lang())) if hint else
                                t("sidebar.no_plan"))
    return _default_target(), _overrides()


def _overrides() -> dict[str, float]:
    """Per-manager monthly targets typed in the sidebar (blank inputs are not overrides)."""
    return {k[5:]: float(v) for k, v in st.session_state.items()
            if isinstance(k, str) and k.startswith("tgt::") and v is not None}


def _default_target() -> float | None:
    return float(st.session_state["default_target"] or 0) or None


#: KPIs whose traffic light may be judged against a target set on the Plan page (as % of that target)
TARGETABLE = {"conversion": "conversion", "activities_per_day": "activities_per_day", "retention_rate": "retention_rate"}


def _on_mode(k: str) -> None:
    """Switching a KPI between absolute and share-of-target thresholds resets its two values sensibly."""
    share = st.session_state[f"thm_{k}"] == "share"
    g, a = kpi.DEFAULT_THRESHOLDS[k]
    f = 100.0 if k in PCT_KPIS else 1.0
    st.session_state[f"th_{k}_green"], st.session_state[f"th_{k}_amber"] = (100.0, 80.0) if share else (g * f, a * f)


def _is_share(k: str) -> bool:
    return k in TARGETABLE and st.session_state.get(f"thm_{k}") == "share"


def _thresholds() -> None:
    with st.expander(t("sidebar.thresholds"), icon=":material/traffic:"):
        st.caption(t("sidebar.thresholds_help"))
        for k in kpi.LIGHT_KPIS:
            unit = "%" if k in PCT_KPIS or _is_share(k) else ""
            st.markdown(f"**{t('kpi.' + k)}**{', ' + unit if unit else ''}")
            if k in TARGETABLE:
                st.session_state.setdefault(f"thm_{k}", "absolute")
                st.segmented_control(t("sidebar.th_mode"), ["absolute", "share"], key=f"thm_{k}",
                                     format_func=labeler("sidebar.th_mode."), on_change=_on_mode, args=(k,),
                                     persist_state="session", required=True, label_visibility="collapsed")
            c1, c2 = st.columns(2)
            c1.number_input(t("sidebar.green"), min_value=0.0, step=1.0 if unit else 0.5, key=f"th_{k}_green",
                            persist_state="session")
            c2.number_input(t("sidebar.amber"), min_value=0.0, step=1.0 if unit else 0.5, key=f"th_{k}_amber",
                            persist_state="session")


def _threshold_values() -> dict[str, tuple[float, float]]:
    """Absolute thresholds per KPI. A KPI judged as a share of its target (Plan page → targets on other KPIs)
    gets green = green% × target and amber = amber% × target; without a target it falls back to its
    default absolute thresholds."""
    out = {}
    for k in kpi.LIGHT_KPIS:
        g, a = st.session_state[f"th_{k}_green"], st.session_state[f"th_{k}_amber"]
        if _is_share(k):
            target = float(st.session_state.get(f"kt_{TARGETABLE[k]}") or 0)
            out[k] = (g / 100 * target, a / 100 * target) if target > 0 else kpi.DEFAULT_THRESHOLDS[k]
            continue
        f = 100.0 if k in PCT_KPIS else 1.0
        out[k] = (g / f, a / f)
    return out


def threshold_modes() -> dict[str, str]:
    return {k: "share_of_target" if _is_share(k) else "absolute" for k in TARGETABLE}


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


def _for_role(got: tuple, user: auth.User) -> tuple:
    """A manager sees their own rows and an anonymous team: everybody else is renamed (metrics.privacy)."""
    if user.role != "manager":
        return got
    ds, token, label = got
    anon = anonymise(data=ds, keep=user.manager, colleague=t("auth.colleague"), client=t("auth.client"))
    return anon, f"{token}:{user.manager}:{lang()}", label


def render(user: auth.User = auth.DEMO) -> context.Ctx | None:
    """Draw the sidebar and compute this run's context; None when no data is loaded yet."""
    _seed()
    with st.sidebar:
        st.selectbox(t("sidebar.language"), list(LANGS), key="lang", format_func=LANGS.get)
        got = _dataset(user)
        if got is None:
            return None
        ds, token, label = _for_role(got, user)
        period = _period(ds, token)
        managers = context.facts(token, ds)["managers"]
        plans_hint = {}
        if ds.plans is not None and len(ds.plans):
            in_p = kpi.period_targets(plans=ds.plans, period=period)
            plans_hint = dict(zip(in_p["manager"], in_p["target"] / max(period.n_months, 1)))
        # one input per manager listed in the period; the same cached call serves context.build below
        edits = st.session_state.setdefault("plan_edits", {})
        first, _, _ = context.scorecards(token, period, _default_target(), tuple(sorted(_overrides().items())),
                                         float(st.session_state["alpha"]), tuple(sorted(edits.items())), ds,
                                         str(st.session_state["calendar"]),
                                         context.facts(token, ds)["covered_end"])
        listed = [m for m in first.managers["manager"] if m in managers] or managers
        if user.can_edit:                 # admin / head: targets, thresholds and weights
            default, overrides = _targets(listed, plans_hint)
            _thresholds()
            _weights()
        else:
            default, overrides = _default_target(), _overrides()
        thresholds = _threshold_values()
        _statistics()
    settings = context.Settings(alpha=float(st.session_state["alpha"]), min_n=int(st.session_state["min_n"]),
                                adjust=st.session_state["adjust"], default_target=default,
                                overrides=overrides, thresholds=thresholds,
                                plan_edits=dict(st.session_state.get("plan_edits", {})),
                                weights={k: float(st.session_state[f"w_{k}"]) for k in kpi.LIGHT_KPIS},
                                horizon_days=float(st.session_state["horizon_days"]),
                                calendar=str(st.session_state["calendar"]),
                                conversion_measure=str(st.session_state.get("conv_measure", "raw")))
    return context.build(dataset=ds, token=token, source_label=label, period=period, settings=settings)
