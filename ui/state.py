"""The one owner of the session: every session key with its default and conversion, the session caches,
what the URL carries, and log-out.

* :data:`KEYS` declares each key (its default, whether it is the user's data — cleared at log-out —, and
  whether it is a choice widget whose shown labels are translated); :data:`FAMILIES` the key families
  (``tgt::<manager>``, ``th_<kpi>_green`` …). Nothing else seeds or clears keys.
* :func:`session_cache` / :func:`shared_cache` wrap ``st.cache_data`` / ``st.cache_resource`` and register
  the cache where it is declared: :func:`clear_session` (log-out) clears every one without a hand-kept
  list and without importing any view module.
* :func:`settings` builds this run's :class:`metrics.settings.Settings` from the session — the only place
  that reads the raw target, threshold and statistics inputs.
* The URL carries period, language and data source (:func:`read_url` once per session, :func:`write_url`
  every run); the page is the URL's path.
"""
from __future__ import annotations

import functools
import secrets as _secrets
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from datetime import date
from typing import Any

import streamlit as st

from metrics import kpi

#: thresholds typed in percent in the sidebar (value shown = stored fraction × 100)
PCT_KPIS = frozenset({"conversion", "avg_deal", "plan_fulfillment", "retention_rate"})
#: KPIs whose traffic light may be judged as a share of a KPI target set on the Plan page
TARGETABLE = {"conversion": "conversion", "activities_per_day": "activities_per_day",
              "retention_rate": "retention_rate"}
KPI_TARGETS = ("won", "conversion", "activities_per_day", "retention_rate")
LANGS = ("en", "ru", "uk")


def factor(kpi_name: str) -> float:
    """Shown threshold = stored value × factor (percent for the ratio KPIs)."""
    return 100.0 if kpi_name in PCT_KPIS else 1.0


@dataclass(frozen=True)
class Key:
    default: Any = None
    data: bool = False        #: the user's data or settings: cleared at log-out
    choice: bool = False      #: a choice widget with translated labels: re-pinned when the language changes


KEYS: dict[str, Key] = {
    # the sidebar
    "lang": Key("en"), "source": Key("sample", data=True, choice=True),
    "sample_export": Key("bitrix24", data=True, choice=True), "uploads": Key(None, data=True),
    "period_kind": Key("month", choice=True), "period_month": Key(None, choice=True),
    "period_quarter": Key(None), "period_year": Key(None), "period_range": Key(None),
    "alpha": Key(0.05), "min_n": Key(30), "adjust": Key("holm", choice=True),
    "horizon_days": Key(90), "calendar": Key("UA", choice=True), "conv_measure": Key("raw"),
    "default_target": Key(0.0, data=True), "exp_targets_managers": Key(False),
    # the team filter (shown when the data has a team hierarchy): the level and the chosen teams ([]: all)
    "team_level": Key(None, choice=True), "teams": Key([], data=True, choice=True),
    # the Plan page
    "plan_edits": Key({}, data=True), "scenario_cells": Key(frozenset(), data=True),
    "kt_manager": Key({}, data=True),
    "rule_kind": Key("same", choice=True), "rule_target": Key(400_000.0), "rule_growth": Key(10.0),
    "rule_q": Key(75), "rule_team": Key(5_000_000.0), "rule_ramp": Key(True), "_rule_error": Key(None),
    "_rule_note": Key(None), "_grid_gen": Key(0),
    "fc_as_of": Key(None), "fc_ua": Key(False), "scenario_name": Key(""), "scenario_file": Key(None, data=True),
    "scenario_pair": Key(None, data=True), "_scenario_msg": Key(None),
    "plan_grid_editor": Key(None, data=True), "kpi_grid_editor": Key(None, data=True),
    # lazy tabs (their value is the open tab's label: ui.page.tab_labels keeps it across languages)
    "plan_tabs": Key(None), "cmp_tabs": Key(None), "coh_tabs": Key(None),
    # the Compare page
    "cmp_test": Key("mannwhitney", choice=True), "cmp_part": Key("conversion", choice=True),
    "cmp_a": Key(None), "cmp_b": Key(None), "cmp_by_team": Key(False),
    # the Retention page
    "coh_freq": Key("month", choice=True), "coh_kind": Key("classic", choice=True),
    "coh_show": Key("share", choice=True), "coh_owner": Key("first", choice=True), "coh_horizon": Key(12),
    "coh_managers": Key([]), "coh_source": Key("*", choice=True), "coh_curves": Key("manager", choice=True),
    # the Data page: the user's corrections
    "mappings": Key({}, data=True), "stage_map": Key({}, data=True),
    # internal
    "_last_upload": Key(None, data=True), "_ctx": Key(None, data=True),
    "_files": Key(None, data=True), "_browser": Key(None, data=True), "_url_read": Key(False), "_lang_from_url": Key(None),
    "_kept": Key(None, data=True),
    # the last (inputs, Settings) of :func:`settings`: a run whose inputs did not change reuses its Settings
    "_settings_memo": Key(None, data=True),
    # the Overview's report download and the projector view
    "report_title": Key(""), "_report_file": Key(None, data=True),
    "present": Key(False), "_present_from_url": Key(False), "present_manager": Key(None),
}
#: key families: prefix → declaration (defaults of the per-KPI ones come from :func:`_family_defaults`)
FAMILIES: dict[str, Key] = {"tgt::": Key(None, data=True), "map::": Key(None, data=True, choice=True),
                            "stage::": Key(None, data=True, choice=True), "kt_": Key(0.0, data=True),
                            "th_": Key(None), "thm_": Key("absolute", choice=True), "w_": Key(20)}


def _family_defaults() -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, (g, a) in kpi.DEFAULT_THRESHOLDS.items():
        out[f"th_{k}_green"], out[f"th_{k}_amber"] = g * factor(k), a * factor(k)
        out[f"w_{k}"] = 20
    for k in TARGETABLE:
        out[f"thm_{k}"] = "absolute"
    for k in KPI_TARGETS:
        out[f"kt_{k}"] = 0.0
    return out


DEFAULTS: dict[str, Any] = {**{k: v.default for k, v in KEYS.items() if v.default is not None},
                            **_family_defaults()}


def declared(name: str) -> Key | None:
    if name in KEYS:
        return KEYS[name]
    return next((v for p, v in FAMILIES.items() if name.startswith(p)), None)


def _fresh(value: Any) -> Any:
    return type(value)() if isinstance(value, (dict, list, set)) else value


def seed() -> None:
    """Give every declared key its default once per session (no widget gets ``value=``, so a test may
    inject state before the first run); and watch for the session's end (:func:`trim_memory`)."""
    session_watch()
    s = st.session_state
    for k, v in DEFAULTS.items():
        if k not in s:
            s[k] = _fresh(v)


def get(name: str, default: Any = None) -> Any:
    """A session value (pages read the session only through here and the ui helpers)."""
    if declared(name) is None:
        raise KeyError(f"undeclared session key {name!r} (declare it in ui/state.py)")
    value = st.session_state.get(name, default)
    return value


def put(name: str, value: Any) -> None:
    if declared(name) is None:
        raise KeyError(f"undeclared session key {name!r} (declare it in ui/state.py)")
    st.session_state[name] = value


def take(name: str) -> Any:
    """Read a one-shot message and forget it."""
    if declared(name) is None:
        raise KeyError(f"undeclared session key {name!r}")
    return st.session_state.pop(name, None)


def values(*names: str) -> SimpleNamespace:
    """Several session values as attributes (``values("coh_freq", ...).coh_freq``)."""
    return SimpleNamespace(**{n: get(n) for n in names})


def ensure(name: str, options: list) -> Any:
    """Keep a choice valid for the options of this run (else its first option)."""
    if st.session_state.get(name) not in options and options:
        st.session_state[name] = options[0]
    return st.session_state.get(name)


# ------------------------------------------------------------------------------------- session end
def trim_memory() -> bool:
    """Collect garbage and hand the freed heap back to the system (glibc ``malloc_trim(0)``): without it
    the process keeps a finished session's memory for the next one and RSS never falls. False where
    there is no glibc."""
    import ctypes
    import gc

    gc.collect()
    try:
        return bool(ctypes.CDLL("libc.so.6").malloc_trim(0))
    except (OSError, AttributeError):
        return False


def unpin_script_module() -> None:
    """Keep ``sys.modules["__mp_main__"]`` on the current ``__main__``. ``import multiprocessing`` aliases it
    to the ``__main__`` of that moment, and here that is the script module of the run that first imported
    it (``ui.data`` → ``metrics.sandbox``): without this, that one run's globals — its visitor's context and
    frames, an upload's included — stayed referenced for the life of the process. Called at the end of
    every run (``app.py``); multiprocessing's own invariant (the alias is ``__main__``) is kept."""
    import sys

    mods = sys.modules
    if "__mp_main__" in mods and "__main__" in mods and mods["__mp_main__"] is not mods["__main__"]:
        mods["__mp_main__"] = mods["__main__"]


def session_ended() -> None:
    """A session was dropped (its connection closed and Streamlit's reconnection window passed): trim the
    heap a moment later, once Streamlit has let go of the session's state and session-scoped caches."""
    import threading

    timer = threading.Timer(2.0, trim_memory)
    timer.daemon = True
    timer.start()


@st.cache_resource(scope="session", show_spinner=False, on_release=lambda _marker: session_ended())
def session_watch() -> object:
    """One marker per session; Streamlit releases it (``on_release``) when the session ends."""
    return object()


# ----------------------------------------------------------------------------------------------- caches
_CACHES: list[Callable] = []


def _register(fn):
    _CACHES.append(fn)
    return fn


_register(session_watch)     # log-out clears it too: a trim then, and a new marker at the next run


def caches() -> list[Callable]:
    """The session caches registered so far (cleared at log-out)."""
    return list(_CACHES)


def session_cache(kind: str = "data", *, max_entries: int = 16, ttl: str = "2h"):
    """``st.cache_data`` (kind "data") or ``st.cache_resource`` (kind "resource", read-only by contract)
    with ``scope="session"``, registered so that log-out clears it."""
    maker = st.cache_data if kind == "data" else st.cache_resource

    def wrap(fn):
        return _register(maker(scope="session", max_entries=max_entries, ttl=ttl, show_spinner=False)(fn))
    return wrap


PUBLIC = "pub:"   #: prefix of the content token of public data (the bundled sample data and sample exports)


def shared_cache(kind: str = "resource", *, max_entries: int = 16, ttl: str = "2h"):
    """A cache whose first argument is a data token: for public data (token starting with :data:`PUBLIC`)
    one process-wide entry serves every visitor (parsed and aggregated once per process, read-only); for
    anything else (uploads) a session-scoped entry, never shared. Registered for log-out."""
    maker = st.cache_data if kind == "data" else st.cache_resource

    def wrap(fn):
        shared = maker(max_entries=max_entries, ttl=ttl, show_spinner=False)(fn)
        own = _register(maker(scope="session", max_entries=max_entries, ttl=ttl, show_spinner=False)(fn))

        @functools.wraps(fn)
        def call(token, *args, **kwargs):
            return (shared if str(token).startswith(PUBLIC) else own)(token, *args, **kwargs)
        call.clear = own.clear
        call.clear_shared = shared.clear
        return call
    return wrap


def clear_session(*_args) -> None:
    """Log-out: forget everything this session loaded or set, its session caches and the uploads kept
    for this browser."""
    from . import keep

    keep.forget(st.session_state.get("_browser"))
    for name in list(st.session_state.keys()):
        d = declared(name) if isinstance(name, str) else None
        if d is not None and d.data:
            del st.session_state[name]
    for fn in _CACHES:
        fn.clear()


def repin_choices() -> None:
    """Language-change callback. A choice widget's value travels as its *shown label*; after the labels
    change language the browser would send the old label, which matches no option and resets the widget
    to its default (the data source back to the sample data, the period back to its default). Writing
    each choice's value back to the session makes Streamlit send the browser the label in the new
    language, so the next rerun — a page switch included — keeps every choice."""
    s = st.session_state
    for name in list(s.keys()):
        d = declared(name) if isinstance(name, str) else None
        if d is not None and d.choice and name in s and s[name] is not None:
            try:
                s[name] = s[name]
            except Exception:  # noqa: BLE001 - a key that is not assignable right now is left alone
                pass


# -------------------------------------------------------------------------------------------- the URL
def _period_token() -> str | None:
    s = st.session_state
    kind = s.get("period_kind")
    if kind in ("month", "quarter", "year"):
        return s.get(f"period_{kind}")
    rng = s.get("period_range")
    if kind == "custom" and isinstance(rng, (tuple, list)) and len(rng) == 2:
        return f"{rng[0]:%Y-%m-%d}_{rng[1]:%Y-%m-%d}"
    return None


def period_into_state(token: str) -> bool:
    """'2026-10' | '2026-Q3' | '2026' | '2026-01-01_2026-03-31' → the period keys; False when unreadable."""
    s = st.session_state
    text = str(token or "").strip()
    try:
        if "_" in text:
            a, b = text.split("_", 1)
            s["period_kind"], s["period_range"] = "custom", (date.fromisoformat(a), date.fromisoformat(b))
        elif "-Q" in text and len(text) == 7 and text[:4].isdigit() and text[6] in "1234":
            s["period_kind"], s["period_quarter"] = "quarter", text
        elif len(text) == 7 and text[:4].isdigit() and text[5:].isdigit() and 1 <= int(text[5:]) <= 12:
            s["period_kind"], s["period_month"] = "month", text
        elif len(text) == 4 and text.isdigit():
            s["period_kind"], s["period_year"] = "year", text
        else:
            return False
    except ValueError:
        return False
    return True


def read_url() -> None:
    """Once per session (a first visit or a browser refresh): period, data source and this browser's id
    from the URL (the language: ``ui.i18n.init_language``, which runs before the log-in form)."""
    s = st.session_state
    q = st.query_params
    if s.get("_url_read"):
        return
    s["_url_read"] = True
    if q.get("period"):
        period_into_state(q["period"])
    src = q.get("source") or ""
    kind, _, export = src.partition(".")
    if kind in ("sample", "export", "upload"):
        s["source"] = kind
        if kind == "export" and export:
            s["sample_export"] = export
    b = q.get("b") or ""
    s["_browser"] = b if 16 <= len(b) <= 64 and b.replace("-", "").replace("_", "").isalnum() \
        else _secrets.token_urlsafe(18)


def source_token() -> str:
    """The data source as one word: 'sample', 'export.<name>' or 'upload' (the URL's and a scenario's)."""
    s = st.session_state
    return f"export.{s.get('sample_export')}" if s.get("source") == "export" else str(s.get("source") or "sample")


def write_url() -> None:
    """Put language, period, source and this browser's id into the URL (so that F5 restores them)."""
    s = st.session_state
    want = {"lang": s.get("lang"), "period": _period_token(),
            "source": source_token(),
            "b": s.get("_browser") if s.get("source") == "upload" else None}
    q = st.query_params
    for k, v in want.items():
        if v and q.get(k) != v:
            q[k] = v
        elif not v and k in q:
            del q[k]


# ------------------------------------------------------------------------------------------- settings
def override_inputs() -> dict[str, float]:
    """Per-manager monthly targets typed in the sidebar (blank inputs are not overrides)."""
    return {k[5:]: float(v) for k, v in st.session_state.items()
            if isinstance(k, str) and k.startswith("tgt::") and v is not None}


def default_target() -> float | None:
    return float(st.session_state.get("default_target") or 0) or None


def is_share(k: str) -> bool:
    return k in TARGETABLE and st.session_state.get(f"thm_{k}") == "share"


def threshold_values() -> dict[str, tuple[float, float]]:
    """Absolute thresholds per KPI (stored fractions). A KPI judged as a share of its target gets green =
    green% × target and amber = amber% × target; without a target its default absolute thresholds."""
    s = st.session_state
    out = {}
    for k in kpi.LIGHT_KPIS:
        g, a = float(s[f"th_{k}_green"]), float(s[f"th_{k}_amber"])
        if is_share(k):
            target = float(s.get(f"kt_{TARGETABLE[k]}") or 0)
            out[k] = (g / 100 * target, a / 100 * target) if target > 0 else kpi.DEFAULT_THRESHOLDS[k]
            continue
        out[k] = (g / factor(k), a / factor(k))
    return out


def threshold_modes() -> dict[str, str]:
    return {k: "share_of_target" if is_share(k) else "absolute" for k in TARGETABLE}


def kpi_targets() -> dict[str, dict[str | None, float]]:
    """Targets on other KPIs: {kpi: {None: team-wide, manager: own target}} (own targets win)."""
    s = st.session_state
    out: dict[str, dict[str | None, float]] = {k: {None: float(s[f"kt_{k}"])} for k in KPI_TARGETS
                                                if s.get(f"kt_{k}")}
    for k, per in s.get("kt_manager", {}).items():
        for m, v in per.items():
            if v is not None and v == v and v > 0:
                out.setdefault(k, {})[m] = float(v)
    return out


#: the multiselect's option for the managers without a team (``metrics.teams``: None)
NO_TEAM = "\x00no-team"


def team_choice() -> tuple[tuple, str | None]:
    """The chosen teams (NO_TEAM → None; () = all) and their level, as the session holds them."""
    s = st.session_state
    chosen = tuple(None if v == NO_TEAM else v for v in (s.get("teams") or []))
    return chosen, s.get("team_level")


def settings(*, period, plans, months, teams: tuple = (), team_level: str | None = None):
    """This run's Settings from the session (the one place the raw inputs are read); ``teams`` /
    ``team_level``: the team filter in effect for this data (``ui.sidebar.teams``)."""
    from metrics.settings import resolve

    s = st.session_state
    inputs = dict(period=period, plans=plans, months=list(months), default_target=default_target(),
                  overrides=override_inputs(), edits=dict(s.get("plan_edits", {})),
                  scenario_cells=s.get("scenario_cells", ()), kpi_targets=kpi_targets(),
                  thresholds=threshold_values(), threshold_mode=threshold_modes(), alpha=float(s["alpha"]),
                  adjust=s["adjust"], min_n=int(s["min_n"]),
                  weights={k: float(s[f"w_{k}"]) for k in kpi.LIGHT_KPIS},
                  mappings=s.get("mappings", {}), stages=s.get("stage_map", {}),
                  horizon_days=s.get("horizon_days") or 90, country=s.get("calendar") or "UA",
                  teams=teams, team_level=team_level if teams else None)
    memo = s.get("_settings_memo")
    if memo is not None and same_inputs(memo[0], inputs):
        return memo[1]                # Settings is frozen (tuples only): reusing it is safe
    out = resolve(**inputs)
    import copy               # a copy: a dict of the session changed in place later must not match this memo
    s["_settings_memo"] = ({**copy.deepcopy({k: v for k, v in inputs.items() if k != "plans"}),
                            "plans": plans}, out)
    return out


def same_inputs(a: dict, b: dict) -> bool:
    """Whether two :func:`settings` inputs are the same: the plans frame by identity (the session's or the
    process's cached frame; a new frame is new input), everything else by value (plain values)."""
    if a.keys() != b.keys() or a["plans"] is not b["plans"]:
        return False
    try:
        return all(bool(a[k] == b[k]) and type(a[k]) is type(b[k]) for k in a if k != "plans")
    except (TypeError, ValueError):   # something not comparable as a plain value: resolve again
        return False


def settings_into_state(sc, pct_kpis=PCT_KPIS) -> None:
    """Apply a loaded scenario (``planning.Scenario``) to the session's inputs."""
    s = st.session_state
    if sc.period:
        p = sc.period
        if p.get("kind") == "custom":
            period_into_state(f"{p['start']}_{p['end']}")
        elif p.get("value"):
            period_into_state(p["value"])
    s["default_target"] = float(sc.default_target or 0)
    for k in [k for k in s.keys() if isinstance(k, str) and k.startswith("tgt::")]:
        s[k] = None
    for m, v in sc.overrides.items():
        s[f"tgt::{m}"] = float(v)
    s["plan_edits"] = {(r["manager"], r["month"]): r.get("target") for r in sc.plan_grid}
    s["scenario_cells"] = frozenset(s["plan_edits"])
    for k, (g, a) in sc.thresholds.items():
        s[f"th_{k}_green"], s[f"th_{k}_amber"] = g * (100.0 if k in pct_kpis else 1.0), \
            a * (100.0 if k in pct_kpis else 1.0)
    for k in sc.threshold_mode:     # saved as absolute values
        s[f"thm_{k}"] = "absolute"
    from metrics.planning import normalize_weights
    for k, w in normalize_weights(sc.weights).items() if sc.weights else []:
        s[f"w_{k}"] = int(round(100 * w / 5) * 5)
    for k in KPI_TARGETS:
        s[f"kt_{k}"] = float((sc.kpi_targets.get(k) or {}).get(None) or 0.0)
    s["kt_manager"] = {k: {m: v for m, v in per.items() if m is not None} for k, per in sc.kpi_targets.items()}
    s.pop("kpi_grid_editor", None)
    s.pop("plan_grid_editor", None)
    s["alpha"], s["min_n"], s["adjust"] = sc.alpha, sc.min_n, sc.adjust
    if sc.language in LANGS:
        s["lang"] = sc.language
    s["stage_map"], s["mappings"] = dict(sc.stages), {k: dict(v) for k, v in sc.mapping.items()}
    source = getattr(sc, "source", None) or ""
    kind, _, export = source.partition(".")
    if kind in ("sample", "export", "upload"):
        s["source"] = kind
        if export:
            s["sample_export"] = export
