"""Imports on demand for the engine's packages (PEP 562 module ``__getattr__``).

A package ``__init__`` lists what it re-exports and where each name lives::

    __getattr__, __dir__, __all__ = lazy_exports(__name__, {"rules": ("rule_same", ...), ...})

``from metrics.planning import rule_same`` then imports ``metrics.planning.rules`` (and what it needs, e.g.
scipy) on that first use only; the name is cached in the package afterwards. Importing the package itself
costs nothing, so the CLI and the app load scipy / statsmodels and the planning, comparison and cohort code
only when a command or a page uses them.

:func:`import_in_background` imports third-party modules in a daemon thread while the caller does other work
(the CLI: while pyarrow parses the files, which releases the GIL).
"""
from __future__ import annotations

import importlib
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, Sequence[str]]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """(``__getattr__``, ``__dir__``, ``__all__``) of ``package`` re-exporting ``exports`` (module → names)."""
    where: dict[str, str] = {}
    for module, names in exports.items():
        for name in names:
            if name in where:
                raise ValueError(f"{package}: {name!r} is exported by both {where[name]} and {module}")
            where[name] = module

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{package}.{module}"), name)
        setattr(sys.modules[package], name, value)       # next time a plain attribute, no call
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *where})

    return __getattr__, __dir__, list(where)


def import_in_background(modules: Sequence[str], *, then: Callable[[], Any] | None = None,
                         name: str = "saleslens-import") -> threading.Thread:
    """Start a daemon thread importing ``modules`` in order, then calling ``then()`` (if given); returns it.

    Only third-party modules, never ours: a package that never imports ours cannot deadlock on an import
    lock with a thread importing one of our modules (Python's per-module import locks; on a cycle it would
    hand out a partially initialised module), and a thread that needs one of these meanwhile simply waits
    for that module's lock. ``then`` must touch no data either (e.g. a library's first call that loads its
    tables). A failure is swallowed: the module is imported again, and fails visibly, where it is used."""
    def run() -> None:
        for step in [*(lambda m=m: importlib.import_module(m) for m in modules), *([then] if then else [])]:
            try:
                step()
            except Exception:  # noqa: BLE001 - an optimisation only
                pass

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread
