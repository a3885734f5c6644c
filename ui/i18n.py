"""Translations: every text a user sees, in English, Russian and Ukrainian (texts in ui/texts.py)."""
from __future__ import annotations

import re

import streamlit as st

from metrics.errors import DataError, render

from .texts import TEXTS

LANGS = {"en": "English", "ru": "Русский", "uk": "Українська"}
_INDEX = {"en": 0, "ru": 1, "uk": 2}


def lang() -> str:
    value = st.session_state.get("lang", "en")
    return value if value in LANGS else "en"


def t(key: str, /, **params) -> str:
    """The text for ``key`` in the session's language, with ``{params}`` filled in."""
    entry = TEXTS.get(key)
    if entry is None:  # a missing key is a bug (tests check every key); show it, don't crash
        return key
    text = entry[_INDEX[lang()]]
    return text.format(**params) if params else text


def labeler(prefix: str):
    """A format_func for options whose labels are ``TEXTS[prefix + option]``, bound to the current language
    (a format_func may be called outside the script run, where the session's language is not known)."""
    i = _INDEX[lang()]
    return lambda option: TEXTS[f"{prefix}{option}"][i]


def error_text(exc: DataError) -> str:
    """A DataError in the session's language (same template codes as metrics.errors.MESSAGES)."""
    key = f"err.{exc.code}"
    if key not in TEXTS:
        return str(exc)
    templates = {exc.code: TEXTS[key][_INDEX[lang()]]}
    return render(exc.code, exc.params, templates)


def month_name(month: int, year: int | None = None, lang_code: str | None = None) -> str:
    name = TEXTS[f"month.{month}"][_INDEX[lang_code or lang()]]
    return f"{name} {year}" if year is not None else name


def month_labeler():
    """format_func for 'YYYY-MM' options, bound to the current language."""
    lg = lang()
    return lambda m: month_name(int(m[5:]), int(m[:4]), lg)


def init_language() -> None:
    """Seed the language once per session: ?lang=ru|uk|en in the URL wins over the default."""
    wanted = st.query_params.get("lang")
    if wanted in LANGS and st.session_state.get("_lang_from_url") != wanted:
        st.session_state["lang"] = wanted
        st.session_state["_lang_from_url"] = wanted
    st.session_state.setdefault("lang", "en")


#: the engine's statistical warnings (English text from metrics/) → text keys; parameters by group name
_ENGINE_WARNINGS = [(re.compile(p), key) for p, key in (
    (r"^Kaplan–Meier curve is imprecise for: (?P<who>.+)$", "eng.km_imprecise"),
    (r"^log-rank chi-square approximation is doubtful: fewer than (?P<n>\S+) expected events for (?P<who>.+)$",
     "eng.logrank_doubtful"),
    (r"^Brunner–Munzel test undefined", "eng.bm_undefined"),
    (r"^conversion is over-dispersed between managers", "eng.overdispersed"),
    (r"^no variation between managers beyond chance", "eng.full_pooling"),
    (r"^fewer than 3 managers: no prior fitted", "eng.no_prior"),
    (r"^Managers work very different lead sources \(Cramér's V = (?P<v>[^)]+)\)", "eng.lead_mix"),
    (r"^only (?P<n>\d+) working day\(s\) of (?P<total>\d+) have elapsed", "eng.forecast_early"),
    (r"^fewer than (?P<n>\d+) elapsed working days for (?P<who>.+) \(started mid-period\)", "eng.forecast_short"),
    (r"^expected counts are small \(Cochran's rule\), so Fisher's exact test", "eng.cochran_fisher"),
    (r"^expected counts are small \(Cochran's rule\), so the chi-square test was replaced by a Monte Carlo "
     r"Fisher–Freeman–Halton exact test \((?P<n>\d+) resamples, seed (?P<seed>\d+)\)", "eng.cochran_ffh"),
    (r"^BCa bootstrap interval of the mean is undefined", "eng.bca_undefined"),
)]


def engine_warning(message: str) -> str:
    """A statistical warning of the engine (metrics/ writes English) in the session's language; an unknown
    message is shown as it is."""
    for pattern, key in _ENGINE_WARNINGS:
        m = pattern.match(message)
        if m:
            return t(key, **m.groupdict())
    return message
