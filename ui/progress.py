"""What a long upload is doing, shown while it runs: an ``st.status`` with the step and a progress bar.

:class:`Loading` is the engine's ``progress(step, **params)`` callback (:func:`metrics.ingest.ingest`:
"read", "join", "file", "combine"; the CLI prints the same steps) plus the app's own last step, the KPIs.
Its slot is made where it is created (the sidebar); the status itself appears only when the first step
comes — i.e. only in a run that really reads files (a cache hit shows nothing) — and ends complete
("Loaded: n files, m rows") or in the error state (the translated error is shown by the caller).

Two Streamlit details: the steps are reported from inside a cached function, whose
``st`` calls would be recorded and replayed on every later cache hit — so they are drawn with the
"in a cached function" flag cleared; and with ``parallel`` reading the "file" steps come from the
importer's worker threads, which get this run's script context attached before they draw (under a lock).
"""
from __future__ import annotations

import contextvars
import threading

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_run_context import in_cached_function

from . import catalogues
from .fmt import inert, num
from .i18n import lang


class Loading:
    """The progress display of one run's data loading (see the module doc)."""

    def __init__(self) -> None:
        self._slot = st.empty()
        self._ctx = get_script_run_ctx(suppress_warning=True)
        self._lang = lang()
        self._lock = threading.Lock()
        self._status = None
        self._bar = None
        self._done = 0          #: steps finished so far (the bar's numerator)
        self._total = 1         #: steps expected: read + recognise each file, combine, KPIs
        self._files = 0         #: files given (the "read" steps' n)
        self._failed = False
        self.steps: list[tuple[str, dict]] = []     #: every step reported, in order (for tests)

    @property
    def started(self) -> bool:
        return self._status is not None

    def __call__(self, step: str, **params) -> None:
        with self._lock:
            self.steps.append((step, params))
            if step == "read":
                self._files = int(params["n"])
                self._total = max(self._total, 2 * self._files + 2)
            self._draw(self._label(step, params))
            self._done += 1

    def _label(self, step: str, params: dict) -> str:
        p = {k: inert(v) if isinstance(v, str) else v for k, v in params.items()}
        if step == "join":
            return catalogues.ntext("load.join", self._lang, params["n"])
        if step in ("read", "file", "combine", "kpis"):
            return catalogues.text(f"load.{step}", self._lang, **p)
        return catalogues.text("load.working", self._lang)

    def _draw(self, label: str, *, state: str = "running", fraction: float | None = None) -> None:
        if threading.current_thread() is not threading.main_thread() and \
                get_script_run_ctx(suppress_warning=True) is None and self._ctx is not None:
            add_script_run_ctx(threading.current_thread(), self._ctx)   # an importer worker thread
        frac = min(self._done / self._total, 0.95) if fraction is None else fraction

        def draw() -> None:
            in_cached_function.set(False)       # not part of the cached result: never replayed
            if self._status is None:
                self._status = self._slot.status(label, state=state, expanded=True)
                self._bar = self._status.progress(frac, text=label)
            else:
                self._status.update(label=label, state=state, expanded=state != "complete")
                self._bar.progress(frac, text=label)

        contextvars.copy_context().run(draw)

    def kpis(self) -> None:
        """The last step, after the files are read: the KPIs (only shown when files were read in this run)."""
        if self.started and not self._failed:
            self("kpis")

    def finish(self, *, rows: int) -> None:
        """Collapsed and complete: "Loaded: n files, m rows" (n: the files given)."""
        if self.started and not self._failed:
            with self._lock:
                lg = self._lang
                text = catalogues.text("load.done", lg, files=catalogues.ntext("load.files", lg, self._files),
                                       rows=catalogues.ntext("load.rows", lg, rows, n=num(rows, lg)))
                self._draw(text, state="complete", fraction=1.0)

    def fail(self) -> None:
        """The error state (the caller shows the translated error; the data loaded before stays)."""
        if self.started:
            self._failed = True
            with self._lock:
                self._draw(catalogues.text("load.failed", self._lang), state="error")
