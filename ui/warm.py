"""Warm the process once: import the libraries the other pages need while nobody waits for them.

The Overview avoids ``scipy.stats`` (about 1 s of import here) so that a visitor's first page is quick; the
Conversion page needs it (``metrics.competing``), as do Compare, Retention and Plan. Without warming, the
first visitor of one of those pages in a fresh process waits for the import (0.8 s of the Conversion
page's first run was 0.3 s of work and 0.5 s of import), and with ten visitors arriving together every
other script run queues behind it on the GIL — the first wave's navigation p95 in ``bench/load.py``.

:func:`start` (called by ``app.py`` at the end of every run; it acts once per process) imports them in a
daemon thread after the first run has drawn its page. Only third-party modules are imported here, never
the app's own: a package that never imports ours cannot deadlock on an import lock with a script thread
that is importing one of our modules, and a script thread that needs one of these meanwhile simply
waits for the same module lock. Nothing is computed and nothing of any visitor's data is touched.
"""
from __future__ import annotations

import threading

from metrics.lazy import import_in_background

#: what the pages beyond the Overview import first (third-party only: see the module doc)
MODULES = ("scipy.stats", "scipy.special", "scipy.optimize")

_lock = threading.Lock()
_thread: threading.Thread | None = None


def start(modules: tuple[str, ...] = MODULES) -> threading.Thread:
    """Start the warm-up thread once per process; returns it (the same thread on every later call)."""
    global _thread
    with _lock:
        if _thread is None:
            _thread = import_in_background(modules, name="saleslens-warm")
        return _thread
