"""Errors contained: an exception inside one part of a page shows a translated message in that part and
never takes the other parts, the sidebar or other pages down (Streamlit's own control flow — stop, rerun,
page switch — passes through). With ``SALESLENS_STRICT=1`` (the test suite) a failure is raised as usual, so
that no test can pass over a broken part."""
from __future__ import annotations

import contextlib
import logging
import os

import streamlit as st

from metrics.errors import DataError

from .i18n import error_text, t

log = logging.getLogger("saleslens")


def _control_flow(exc: BaseException) -> bool:
    """st.stop / st.rerun / st.switch_page raise these; they must not be swallowed."""
    from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException
    return isinstance(exc, ScriptControlException)


@contextlib.contextmanager
def part(what: str):
    """``with guard.part(t("plan.tab.forecast")): ...`` — a failure inside shows one translated message
    (a DataError in its own words, naming file and column) instead of a traceback, and is logged."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the point: one part's failure stays in that part
        if _control_flow(exc) or os.environ.get("SALESLENS_STRICT") == "1":   # tests: no failure may hide
            raise
        log.exception("part %r failed", what)
        detail = error_text(exc) if isinstance(exc, DataError) else f"{type(exc).__name__}"
        st.error(t("common.part_failed", what=what) + f"\n\n{detail}", icon=":material/error:")
