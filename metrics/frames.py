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
    """``values`` (an array, a list or a series) as an ``object`` series; None stays None (no copy of an
    object array). ``index``: the series' index (default: a RangeIndex)."""
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    elif not (isinstance(values, np.ndarray) and values.dtype == object):
        values = np.asarray(values, dtype=object)
    return pd.Series(values, index=index, dtype=object, copy=False)


def frame(columns: dict, index: pd.Index | None = None) -> pd.DataFrame:
    """``pd.DataFrame(columns, copy=False)`` with every numpy ``object`` array kept ``object`` (pandas 3
    would infer ``str``). Other values (numeric arrays, series, extension arrays, scalars) are passed as
    they are; a str scalar fills an ``object`` column. ``index``: the frame's index (default: that of the first series given, else a RangeIndex)."""
    if index is None:
        index = next((v.index for v in columns.values() if isinstance(v, pd.Series)), None)
    if index is None:
        n = next((len(v) for v in columns.values() if hasattr(v, "__len__") and not isinstance(v, str)), 0)
        index = pd.RangeIndex(n)
    cols = {}
    for k, v in columns.items():
        if isinstance(v, str):                          # a text scalar for every row
            v = np.full(len(index), v, dtype=object)
        if isinstance(v, np.ndarray) and v.dtype == object:
            v = pd.Series(v, index=index, dtype=object, copy=False)
        cols[k] = v
    return pd.DataFrame(cols, index=index, copy=False)
