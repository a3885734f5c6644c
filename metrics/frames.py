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


def infers_str() -> bool:
    """Does pandas infer its ``str`` dtype from Python strings (pandas 3, or pandas 2 with
    ``future.infer_string``)? Without it :func:`frame` and :func:`rows_frame` are plain pandas."""
    if _PANDAS_3:
        return True
    try:
        return bool(pd.get_option("future.infer_string"))
    except (KeyError, pd.errors.OptionError):
        return False


_PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3


def _texty(v) -> bool:
    """A value that pandas 3 would turn into a ``str`` column: a str scalar, an object array or index, a
    list or tuple holding a str."""
    if isinstance(v, str):
        return True
    if isinstance(v, (np.ndarray, pd.Index)):
        return v.dtype == object
    return isinstance(v, (list, tuple)) and any(isinstance(x, str) for x in v)


def _as_objects(v, n: int) -> np.ndarray:
    if isinstance(v, str):
        return np.full(n, v, dtype=object)
    if isinstance(v, np.ndarray):
        return v
    out = np.empty(len(v), dtype=object)
    out[:] = list(v)
    return out


def frame(columns: dict, index: pd.Index | None = None, copy: bool | None = None) -> pd.DataFrame:
    """``pd.DataFrame(columns, index=index, copy=copy)`` — exactly that where pandas infers no ``str``
    dtype — with every object array or index, every list with text and every str scalar kept an
    ``object`` column (None stays None), as on pandas 2. Object arrays are wrapped without a copy when no
    series decides the index; otherwise the columns are turned back into object after the build."""
    if not infers_str() or not any(_texty(v) for v in columns.values()):
        return pd.DataFrame(columns, index=index, copy=copy)
    if not any(isinstance(v, pd.Series) for v in columns.values()):
        if index is None:
            n = next((len(v) for v in columns.values() if not isinstance(v, str) and np.ndim(v) > 0), None)
            index = pd.RangeIndex(n if n is not None else 0)
        if all(isinstance(v, str) or np.ndim(v) == 0 or len(v) == len(index) for v in columns.values()):
            cols = {k: (pd.Series(_as_objects(v, len(index)), index=index, dtype=object, copy=False) if _texty(v)
                        else v) for k, v in columns.items()}
            return pd.DataFrame(cols, index=index, copy=copy)
    out = pd.DataFrame(columns, index=index, copy=copy)
    for k, v in columns.items():
        if _texty(v) and out[k].dtype != object:
            out[k] = pd.Series(_as_objects(v, len(out)), index=out.index, dtype=object)
    return out


def rows_frame(rows, columns: list[str] | None = None) -> pd.DataFrame:
    """``pd.DataFrame(rows, columns=columns)`` (rows: tuples or dicts) — exactly that where pandas infers no
    ``str`` dtype — with every column that holds text kept ``object``: None stays None, as a team row's
    manager (pandas 3 would infer ``str``: None → NaN). Other columns are inferred by pandas as before."""
    rows = list(rows)
    if not rows or not infers_str():
        return pd.DataFrame(rows, columns=columns)
    out = pd.DataFrame(rows, columns=columns)
    for c in out.columns:
        if out[c].dtype != object and pd.api.types.is_string_dtype(out[c].dtype):
            if isinstance(rows[0], dict):
                values = [r.get(c) for r in rows]
            else:
                values = [r[list(out.columns).index(c)] for r in rows]
            out[c] = pd.Series(_as_objects(values, len(out)), index=out.index, dtype=object)
    return out
