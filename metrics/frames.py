"""Frames whose text columns stay ``object`` on pandas 2 and 3 alike.

The engine holds text (ids, managers, clients, statuses …) as ``object`` columns with None for a missing
value. pandas 3 infers its ``str`` dtype (missing: NaN) when a frame or a series is built from an object
array of strings, so every frame built from numpy arrays goes through :func:`frame` (or wraps its text in
:func:`text`) to keep the same dtypes and the same missing values under both versions.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def text(values, index: pd.Index | None = None) -> pd.Series:
    """``values`` (an array, a list or a series) as an ``object`` series with None for a missing value (no
    copy of an object array; a series' NaN or pd.NA becomes None). ``index``: the series' index
    (default: that of a series given, else a RangeIndex)."""
    if isinstance(values, pd.Series):
        if index is None:
            index = values.index
        values = values.astype(object).where(values.notna(), None).to_numpy(dtype=object)
    elif not (isinstance(values, np.ndarray) and values.dtype == object):
        values = np.asarray(values, dtype=object)
    return pd.Series(values, index=index, dtype=object, copy=False)


def frame(columns: dict, index: pd.Index | None = None, copy: bool | None = None) -> pd.DataFrame:
    """``pd.DataFrame(columns, index=index, copy=copy)`` with every numpy ``object`` array (and every list
    with text) kept ``object`` — pandas 3 would infer ``str``. Other values (numeric arrays, series,
    extension arrays, scalars) are passed as they are; a str scalar fills an ``object`` column.
    ``index``: the frame's index (default: that of the first series given, else a RangeIndex)."""
    if index is None:
        index = next((v.index for v in columns.values() if isinstance(v, pd.Series)), None)
    if index is None:
        n = next((len(v) for v in columns.values() if hasattr(v, "__len__") and not isinstance(v, str)), 0)
        index = pd.RangeIndex(n)
    cols = {}
    for k, v in columns.items():
        if isinstance(v, str):                          # a text scalar for every row
            v = np.full(len(index), v, dtype=object)
        elif isinstance(v, (list, tuple)) and any(isinstance(x, str) for x in v):
            v = np.asarray(v, dtype=object)
        if isinstance(v, np.ndarray) and v.dtype == object:
            v = pd.Series(v, index=index, dtype=object, copy=False)
        cols[k] = v
    return pd.DataFrame(cols, index=index, copy=copy)


def rows_frame(rows, columns: list[str] | None = None) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=columns)`` (rows: tuples or dicts) with every column that holds text
    kept ``object`` — None stays None, as a team row's manager (pandas 3 would infer ``str``: None → NaN).
    Other columns are inferred by pandas as before."""
    rows = list(rows)
    if not rows:
        return pd.DataFrame(rows, columns=columns)
    if isinstance(rows[0], dict):
        names = list(columns) if columns is not None else list(dict.fromkeys(k for r in rows for k in r))
        values = {c: [r.get(c) for r in rows] for c in names}
    else:
        names = list(columns) if columns is not None else list(range(len(rows[0])))
        values = dict(zip(names, (list(col) for col in zip(*rows))))
    out = {}
    for c, v in values.items():
        if any(isinstance(x, str) for x in v):
            out[c] = pd.Series(v, dtype=object)
        else:
            out[c] = pd.Series(v)
    return pd.DataFrame(out, columns=names)
