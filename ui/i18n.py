"""Translations: every text a user sees, in the session's language (the catalogues of ui/catalogues.py)."""
from __future__ import annotations

import streamlit as st

from metrics.errors import DataError, StatisticalWarning

from . import catalogues
from .catalogues import TEXTS, has
from .fmt import inert

#: language code → its name in the language menu: the three base languages, then any added catalogue
LANGS = {code: catalogues.lang_name(code) for code in catalogues.languages()}


def lang() -> str:
    value = st.session_state.get("lang", "en")
    return value if value in LANGS else "en"


def t(key: str, /, **params) -> str:
    """The text for ``key`` in the session's language, with ``{params}`` filled in."""
    return catalogues.text(key, lang(), **params)   # a missing key shows the key (a bug the tests catch)


def tn(key: str, n, /, **params) -> str:
    """The plural form of ``key`` for the number ``n`` in the session's language (``{n}`` filled in)."""
    return catalogues.ntext(key, lang(), n, **params)


def labeler(prefix: str):
    """A format_func for options whose labels are ``TEXTS[prefix + option]``, bound to the current language
    (a format_func may be called outside the script run, where the session's language is not known)."""
    lg = lang()
    return lambda option: catalogues.text(f"{prefix}{option}", lg)


def error_text(exc: DataError) -> str:
    """A DataError in the session's language (same template codes as metrics.errors.MESSAGES)."""
    key = f"err.{exc.code}"
    return catalogues.message(key, lang(), inert_params(exc.params), fallback=inert(str(exc)))


def inert_params(params: dict) -> dict:
    """Text parameters (file names, columns, quoted values) made inert for Markdown; numbers stay numbers; a
    coded parameter (``{"key", "params"}``, rendered by ``catalogues.message``) has its own parameters made inert."""
    return {k: inert(v) if isinstance(v, str) else
            {**v, "params": inert_params(v.get("params") or {})} if isinstance(v, dict) and "key" in v else v
            for k, v in params.items()}


def note_text(note, prefix: str) -> str:
    """An engine message that is also a code (:class:`metrics.errors.Note`, e.g. a scenario problem with prefix
    ``"scen"``) in the session's language, through ``catalogues.message``; its English text when it has no code."""
    code = getattr(note, "code", None)
    if not code:
        return inert(str(note))
    return catalogues.message(f"{prefix}.{code}", lang(), inert_params(note.params), fallback=inert(str(note)))


def dataset_notes(data) -> list[str]:
    """The dataset's reading notes that belong to no single file (rows repeated across files, duplicate deal
    ids) in the session's language (``warn.<code>``); the per-file notes are shown with their file."""
    return [catalogues.message(f"warn.{n['code']}", lang(), inert_params(n.get("params") or {}))
            for n in getattr(data, "notes", []) if not n.get("file")]


def month_name(month: int, year: int | None = None, lang_code: str | None = None) -> str:
    name = catalogues.text(f"month.{month}", lang_code or lang())
    return f"{name} {year}" if year is not None else name


def month_labeler():
    """format_func for 'YYYY-MM' options, bound to the current language."""
    lg = lang()
    return lambda m: month_name(int(m[5:]), int(m[:4]), lg)


def init_language() -> None:
    """Seed the language once per session (a first visit or a refresh): ?lang=ru|uk|en in the URL wins over
    the default. Later runs leave it alone: the app writes the chosen language back into the URL
    (``ui.state.write_url``), so a refresh keeps it."""
    if "_lang_from_url" not in st.session_state:
        wanted = st.query_params.get("lang")
        st.session_state["_lang_from_url"] = wanted or ""
        if wanted in LANGS:
            st.session_state["lang"] = wanted
    st.session_state.setdefault("lang", "en")



def engine_warnings(caught) -> list[tuple[str, tuple, str]]:
    """The statistical warnings among ``warnings.catch_warnings(record=True)`` records, unique, as hashable
    (code, params, English text) entries for the session caches; :func:`engine_warning` shows one."""
    out = {(m.code or "", tuple(sorted((k, str(v)) for k, v in m.params.items())), str(m))
           for m in (w.message for w in caught) if isinstance(m, StatisticalWarning)}
    return sorted(out, key=lambda e: e[2])


def engine_warning(entry: tuple[str, tuple, str]) -> str:
    """One entry of :func:`engine_warnings` in the session's language (``eng.<code>`` of the catalogues ui/locale/*.po; the
    engine's English text when the code has no translation)."""
    code, params, text = entry
    key = f"eng.{code}"
    return (catalogues.message(key, lang(), inert_params(dict(params)), fallback=inert(text)) if code
            else inert(text))
