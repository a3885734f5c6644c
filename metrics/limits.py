"""Bounded work per upload: the limits one file may not exceed, checked before it is parsed.

Every limit has a default sized for real CRM exports (the 1M-deal bench files are far inside them) and
an environment override, read when the limits are taken (``current()``), so a deployment sets them in
its service environment (README, "Limits"):

=====================================  ==================================  =================
limit                                  environment variable                default
=====================================  ==================================  =================
columns of a table                     ``SALESLENS_MAX_COLUMNS``           2,000
rows of a table                        ``SALESLENS_MAX_ROWS``              10,000,000
cells (rows × columns)                 ``SALESLENS_MAX_CELLS``             200,000,000
unpacked size of an XLSX               ``SALESLENS_MAX_UNPACKED_MB``       1,024 MB
packing ratio of one XLSX part         ``SALESLENS_MAX_RATIO``             100 (parts ≥ 10 MB)
nesting of HTML tables                 ``SALESLENS_MAX_HTML_DEPTH``        8
a colspan / rowspan                    ``SALESLENS_MAX_SPAN``              1,000
time to parse an XLSX / HTML file      ``SALESLENS_PARSE_SECONDS``         120 s
memory to parse an XLSX / HTML file    ``SALESLENS_PARSE_MEMORY_MB``       3,072 MB
scenario file                          ``SALESLENS_MAX_SCENARIO_KB``       1,024 KB
=====================================  ==================================  =================

What is checked where (:mod:`metrics.importers.guards`): a CSV's columns (the header line's delimiters),
rows (its line breaks) and cells, before the CSV parser sees it; an XLSX's parts (``zipfile`` sizes:
total unpacked size, packing ratio) and its sheet's declared ``<dimension ref=…>``; an HTML table's
nesting, spans and the cells they imply. XLSX and HTML are then parsed in a worker process under the
time and memory budget (:mod:`metrics.sandbox`); CSV is parsed in the process (pyarrow's reader is
linear in the bytes, which the checks above already bound, and a worker would cost the 1M-row path a
copy of the table). A file beyond a limit raises :class:`~metrics.errors.DataError` with a code naming
the limit (``too_many_columns``, ``sheet_too_large``, ``parse_timeout``, …) and the limit's value.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    max_columns: int = 2_000
    max_rows: int = 10_000_000
    max_cells: int = 200_000_000
    max_unpacked_bytes: int = 1024 << 20
    max_ratio: float = 100.0
    ratio_min_bytes: int = 10 << 20
    max_html_depth: int = 8
    max_span: int = 1_000
    parse_seconds: float = 120.0
    parse_memory_bytes: int = 3072 << 20
    max_scenario_bytes: int = 1024 << 10


_ENV = {  # field → (variable, unit multiplier)
    "max_columns": ("SALESLENS_MAX_COLUMNS", 1),
    "max_rows": ("SALESLENS_MAX_ROWS", 1),
    "max_cells": ("SALESLENS_MAX_CELLS", 1),
    "max_unpacked_bytes": ("SALESLENS_MAX_UNPACKED_MB", 1 << 20),
    "max_ratio": ("SALESLENS_MAX_RATIO", 1),
    "max_html_depth": ("SALESLENS_MAX_HTML_DEPTH", 1),
    "max_span": ("SALESLENS_MAX_SPAN", 1),
    "parse_seconds": ("SALESLENS_PARSE_SECONDS", 1),
    "parse_memory_bytes": ("SALESLENS_PARSE_MEMORY_MB", 1 << 20),
    "max_scenario_bytes": ("SALESLENS_MAX_SCENARIO_KB", 1 << 10),
}


def current() -> Limits:
    """The limits in force: the defaults, overridden by the environment variables that are set (a
    value that is not a positive number is ignored)."""
    values = {}
    for name, (var, unit) in _ENV.items():
        raw = os.environ.get(var, "").strip().replace("_", "")
        if not raw:
            continue
        try:
            x = float(raw)
        except ValueError:
            continue
        if x > 0:
            default = getattr(Limits, name)
            values[name] = type(default)(x * unit) if isinstance(default, int) else x * unit
    return Limits(**values)


def size_text(n: float) -> str:
    """Bytes as a short text: 3.0 GB, 512 MB, 64 KB."""
    for unit, size in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:,.1f} {unit}" if n < 10 * size else f"{n / size:,.0f} {unit}"
    return f"{int(n)} B"


#: the deepest nesting of arrays/objects a scenario file may have (a real one has 3)
MAX_JSON_DEPTH = 20
#: the most digits a number in a scenario may have (a 5,000-digit one hits Python's int limit)
MAX_JSON_DIGITS = 40


def load_json(text: str | bytes, *, name: str, lim: Limits | None = None):
    """``json.loads`` of a settings file within limits, checked before the parser recurses: the size
    (``scenario_too_large``), the nesting depth outside strings (``scenario_too_deep``, a deep one would
    end in RecursionError) and the length of every number (``scenario_bad_number``). Bytes are decoded
    as UTF-8 (with or without BOM). Other JSON errors propagate as ``json.JSONDecodeError``."""
    import json
    import re

    import numpy as np

    from .errors import DataError

    lim = lim or current()
    size = len(text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text)
    if size > lim.max_scenario_bytes:
        raise DataError("scenario_too_large", file=name, value=size_text(size),
                        detail=size_text(lim.max_scenario_bytes))
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig")
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)  # strings cannot nest: their brackets do not count
    codes = np.frombuffer(bare.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    step = np.zeros(len(codes), np.int64)
    step[(codes == ord("[")) | (codes == ord("{"))] = 1
    step[(codes == ord("]")) | (codes == ord("}"))] = -1
    depth = int(np.cumsum(step).max()) if len(step) else 0
    if depth > MAX_JSON_DEPTH:
        raise DataError("scenario_too_deep", file=name, value=depth, detail=str(MAX_JSON_DEPTH))

    def number(s: str):
        digits = sum(ch.isdigit() for ch in s)
        if digits > MAX_JSON_DIGITS:
            raise DataError("scenario_bad_number", file=name, value=f"{s[:12]}…", row=digits,
                            detail=str(MAX_JSON_DIGITS))
        return float(s) if any(ch in s for ch in ".eE") else int(s)

    return json.loads(text, parse_int=number, parse_float=number)
