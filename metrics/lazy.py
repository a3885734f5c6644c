"""Imports on demand for the engine's packages (PEP 562 module ``__getattr__``).

A package ``__init__`` lists what it re-exports and where each name lives::

    __getattr__, __dir__, __all__ = lazy_exports(__name__, {"rules": ("rule_same", ...), ...})

``from metrics.planning import rule_same`` then imports ``metrics.planning.rules`` (and what it needs, e.g.
scipy) on that first use only; the name is cached in the package afterwards. Importing the package itself
costs nothing, so the CLI and the app load scipy / statsmodels and the planning, comparison and cohort code
only when a command or a page uses them.
"""
from __future__ import annotations

import importlib
import sys
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
