"""Translations: every text a user sees, in English, Russian and Ukrainian (texts in ui/texts.py)."""
from __future__ import annotations

import streamlit as st

from metrics.errors import DataError, StatisticalWarning, render

from .fmt import inert
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
        return inert(str(exc))
    templates = {exc.code: TEXTS[key][_INDEX[lang()]]}
    return render(exc.code, inert_params(exc.params), templates)


def inert_params(params: dict) -> dict:
    """Text parameters (file names, columns, quoted values) made inert for Markdown; numbers stay numbers."""
    return {k: inert(v) if isinstance(v, str) else v for k, v in params.items()}


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



def engine_warnings(caught) -> list[tuple[str, tuple, str]]:
    """The statistical warnings among ``warnings.catch_warnings(record=True)`` records, unique, as hashable
    (code, params, English text) entries for the session caches; :func:`engine_warning` shows one."""
    out = {(m.code or "", tuple(sorted((k, str(v)) for k, v in m.params.items())), str(m))
           for m in (w.message for w in caught) if isinstance(m, StatisticalWarning)}
    return sorted(out, key=lambda e: e[2])


def engine_warning(entry: tuple[str, tuple, str]) -> str:
    """One entry of :func:`engine_warnings` in the session's language (``eng.<code>`` of ui/texts.py; the
    engine's English text when the code has no translation)."""
    code, params, text = entry
    key = f"eng.{code}"
    return t(key, **inert_params(dict(params))) if code and key in TEXTS else inert(text)
