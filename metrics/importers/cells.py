"""Cell helpers shared by the value readers: arrow columns, trimming, normalised text, per-distinct-value
mapping, samples, the arrow worker pool and lazily quoted cell texts."""
from __future__ import annotations

import datetime as _dt
import os
import re
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..schema import string_lengths, strip_changes

# --------------------------------------------------------------------------------------------------
# Arrow helpers
# --------------------------------------------------------------------------------------------------


def to_arrow(s: pd.Series) -> pa.Array:
    """A pandas column as a pyarrow string array (missing → null, other values → str)."""
    if isinstance(s.dtype, pd.ArrowDtype) and pa.types.is_string(s.dtype.pyarrow_dtype):
        return one_chunk(s.array.__arrow_array__())
    if pd.api.types.is_string_dtype(s.dtype) and not pd.api.types.is_object_dtype(s.dtype):
        return pa.array(s.astype(object).where(s.notna(), None), type=pa.string())
    return column_text(s)


def one_chunk(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array (no copy when there is one chunk, which the CSV reader's columns are)."""
    if not isinstance(arr, pa.ChunkedArray):
        return arr
    return arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()


def cell_text(v: object) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, (_dt.datetime, pd.Timestamp)):
        return v.strftime("%Y-%m-%d %H:%M:%S") if (v.hour or v.minute or v.second) else v.strftime("%Y-%m-%d")
    if isinstance(v, _dt.date):
        return v.strftime("%Y-%m-%d")
    return str(v)


def stripped(arr: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """(trimmed strings with '' for null, boolean numpy mask of empty cells).

    A column with no nulls and nothing to trim (the usual case; checked on the raw bytes) is returned
    as it is: no copy of a million strings."""
    if not arr.null_count and pa.types.is_string(arr.type) and not strip_changes(arr):
        return arr, string_lengths(arr) == 0
    t = pc.utf8_trim_whitespace(pc.fill_null(arr, ""))  # Unicode spaces too (NBSP, thin space)
    empty = pc.equal(t, "").to_numpy(zero_copy_only=False)
    return t, empty


def norm_value(v: object) -> str:
    """Normalised text of a vocabulary cell: lower case, ё→е, collapsed spaces, no outer punctuation."""
    s = str(v).replace("\u00a0", " ").strip().lower().replace("ё", "е")
    s = re.sub(r"\s+", " ", s)
    return s.strip(" \"'«»“”.;:")


def map_unique(s: pd.Series | pa.Array, fn, fill: object = None, dtype: object = object) -> pd.Series:
    """Apply a scalar function to the distinct values of a column (fast for low-cardinality text);
    missing cells get ``fill``. Arrow-backed input is dictionary-encoded in C++; the result is a Series
    of ``dtype`` (object by default) with a RangeIndex."""
    if isinstance(s, (pa.Array, pa.ChunkedArray)) or isinstance(getattr(s, "dtype", None), pd.ArrowDtype):
        arr = s if isinstance(s, (pa.Array, pa.ChunkedArray)) else to_arrow(s)
        arr = one_chunk(arr)
        d = pc.dictionary_encode(arr)
        uniques = d.dictionary.to_pylist()
        idx = d.indices.to_numpy(zero_copy_only=False) if not d.indices.null_count else \
            pc.fill_null(d.indices, -1).to_numpy(zero_copy_only=False)
        mapped = np.array([fn(u) for u in uniques] + [fill], dtype=dtype)
        return pd.Series(mapped[idx], dtype=dtype)
    s = s.astype(object).where(s.notna(), None)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    mapped = np.array([fn(u) for u in uniques] + [fill], dtype=dtype)
    return pd.Series(mapped[codes], dtype=dtype)  # code -1 picks the trailing fill


def sample_idx(n: int, k: int = 3000) -> np.ndarray:
    return np.arange(n) if n <= k else np.unique(np.linspace(0, n - 1, k).astype(int))


def in_halves(fn, arr: pa.Array) -> pa.Array:
    """``fn(arr)`` for an element-wise arrow kernel, on one part per core at once for large arrays (arrow's
    compute functions release the GIL, so every core works; the result is the same array)."""
    n = len(arr)
    k = min(workers(), n // 200_000)   # one part per core, each at least 200k cells
    if k < 2:
        return fn(arr)
    step = -(-n // k)
    parts = list(pool().map(fn, (arr.slice(i, step) for i in range(0, n, step))))
    return pa.chunked_array(parts).combine_chunks()


def workers() -> int:
    """Threads for arrow kernels: one per core of the machine (``os.cpu_count()``)."""
    return max(1, os.cpu_count() or 1)


@lru_cache(maxsize=1)
def pool() -> ThreadPoolExecutor:
    """One worker thread per core for arrow kernels (they release the GIL)."""
    return ThreadPoolExecutor(max_workers=workers(), thread_name_prefix="saleslens-arrow")

class Cells:
    """Index → the cell's text as it was (no conversion of the whole column)."""

    def __init__(self, s: pd.Series) -> None:
        self.s = s

    def __getitem__(self, i: int) -> str | None:
        v = self.s.iloc[i]
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else cell_text(v)


# --------------------------------------------------------------------------------------------------
# Column-wise forms of the per-cell helpers (native workbook cells: object columns of str / int / float /
# datetime). Each gives exactly what the per-cell form gives; cells of other kinds take the per-cell form.
# --------------------------------------------------------------------------------------------------

_TEXT_ON_ARROW = (pa.types.is_string, pa.types.is_large_string)


def column_text(s: pd.Series) -> pa.Array:
    """:func:`to_arrow` of a column, column by column instead of cell by cell: the same strings
    (:func:`cell_text` of every cell: text as it is, integer-valued numbers without ".0", date cells
    ``YYYY-MM-DD`` or ``YYYY-MM-DD HH:MM:SS`` when they have a time) and nulls where pandas sees a missing
    value. Object columns of text, of integers, of integer and float numbers, of ``datetime`` or of
    ``date`` cells are converted by arrow; any other mix (booleans, times, text among numbers…) cell by
    cell, as :func:`to_arrow` does. (Meant for :func:`to_arrow`'s last case: columns that are neither
    arrow nor pandas strings.)"""
    obj = s.astype(object).to_numpy(dtype=object)
    mask = pd.isna(obj)
    vals = obj[~mask] if mask.any() else obj
    kinds = set(map(type, vals))
    got = None
    if kinds <= {str}:
        got = pa.array(vals, type=pa.string())
    elif kinds <= {int, float}:
        got = _number_text(vals, kinds)
    elif kinds == {_dt.datetime} or kinds == {pd.Timestamp} or kinds == {_dt.date}:
        got = _date_text(vals, kinds)
    if got is None:   # the per-cell form
        return pa.array([None if m else cell_text(v) for v, m in zip(obj, mask)], type=pa.string())
    if not mask.any():
        return got
    idx = np.full(len(obj), -1, dtype=np.int64)
    idx[~mask] = np.arange(len(vals))
    return got.take(pa.array(idx, mask=mask))


def _number_text(vals: np.ndarray, kinds: set) -> pa.Array | None:
    """``cell_text`` of int / float cells (no missing ones): integers (and integer-valued floats) through
    arrow's int64 → string cast, other floats as Python's ``str``; None when an integer does not fit int64."""
    if kinds == {int}:
        try:
            return pc.cast(pa.array(vals, type=pa.int64()), pa.string())
        except (pa.ArrowInvalid, OverflowError):
            return None
    isint = np.fromiter(map(int.__instancecheck__, vals), bool, len(vals))
    out = np.empty(len(vals), dtype=object)
    if isint.any():
        try:
            out[isint] = pc.cast(pa.array(vals[isint], type=pa.int64()), pa.string()).to_numpy(zero_copy_only=False)
        except (pa.ArrowInvalid, OverflowError):
            return None
    f = ~isint
    x = vals[f].astype(np.float64)
    whole = np.isfinite(x) & (x == np.floor(np.where(np.isfinite(x), x, 0.0))) & (np.abs(x) < 2.0 ** 63)
    fl = np.empty(len(x), dtype=object)
    if whole.any():
        fl[whole] = pc.cast(pa.array(x[whole].astype(np.int64)), pa.string()).to_numpy(zero_copy_only=False)
    rest = ~whole
    if rest.any():
        fl[rest] = [cell_text(v) for v in vals[f][rest]]   # fractions, inf, huge integers: Python's own text
    out[f] = fl
    return pa.array(out, type=pa.string())


def _date_text(vals: np.ndarray, kinds: set) -> pa.Array | None:
    """``cell_text`` of datetime / Timestamp / date cells (no missing ones) through arrow's strftime;
    None for years before 1000 (``strftime`` does not pad them) or time-zone aware cells."""
    if kinds == {_dt.date}:
        arr = pa.array(vals, type=pa.date32())
        ts = arr.cast(pa.timestamp("s"))
    else:
        if any(v.tzinfo is not None for v in vals):
            return None
        try:
            arr = pa.array(vals, type=pa.timestamp("us")) if kinds == {_dt.datetime} else \
                pa.array(pd.DatetimeIndex(vals).as_unit("us").to_numpy(), type=pa.timestamp("us"))
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError):
            return None
        ts = pc.floor_temporal(arr, unit="second").cast(pa.timestamp("s"))
    if len(ts) and pc.min(pc.year(ts)).as_py() < 1000:
        return None
    day = ts.cast(pa.date32()).cast(pa.string())              # YYYY-MM-DD (arrow's cast; strftime is slower)
    if kinds == {_dt.date}:
        return day
    clock = ts.cast(pa.time32("s"))
    timed = pc.not_equal(clock, pa.scalar(0, pa.time32("s")))
    if not pc.any(timed).as_py():
        return day
    full = pc.binary_join_element_wise(day, clock.cast(pa.string()), " ")
    return pc.if_else(timed, full, day)


def datetime_cells(s: pd.Series) -> np.ndarray:
    """``pd.to_datetime(s.map(pd.Timestamp)).to_numpy(dtype="datetime64[ns]")`` (what ``dates._parse_dates``
    does with a column's date cells) column-wise for naive ``datetime`` / ``date`` / ``Timestamp`` cells
    within the nanosecond range (1678…2261); other cells take that expression itself."""
    vals = s.to_numpy(dtype=object)
    kinds = set(map(type, vals))
    if kinds and kinds <= {_dt.datetime, _dt.date, pd.Timestamp} and \
            not any(getattr(v, "tzinfo", None) is not None for v in vals):
        try:
            if kinds == {_dt.date}:
                arr = pa.array(vals, type=pa.date32()).cast(pa.timestamp("us"))
            elif kinds == {_dt.datetime}:
                arr = pa.array(vals, type=pa.timestamp("us"))
            else:
                arr = None
            if arr is not None:
                years = pc.year(arr)
                if pc.min(years).as_py() >= 1678 and pc.max(years).as_py() <= 2261:
                    return arr.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            pass
    return pd.to_datetime(s.map(pd.Timestamp)).to_numpy(dtype="datetime64[ns]")


_KIND_OF_TYPE = {str: "s", type(None): "s", bool: "s", int: "n", _dt.datetime: "d", _dt.date: "d",
                 pd.Timestamp: "d"}


def cell_kinds(s: pd.Series) -> np.ndarray:
    """Per cell "d" (a date cell), "n" (a number cell) or "s" (anything else, missing cells included) —
    what ``dates._parse_dates`` computes with ``s.map(lambda v: "d" if isinstance(v, (datetime, date,
    Timestamp)) and not pd.isna(v) else ("n" if isinstance(v, (int, float, np.integer, np.floating))
    and not isinstance(v, bool) and not pd.isna(v) else "s"))``, decided once per Python type (floats and
    other types whose cells may be missing are checked cell by cell)."""
    vals = s.to_numpy(dtype=object)
    out = np.full(len(vals), "s", dtype="<U1")
    for t, at in _by_type(vals):
        k = _KIND_OF_TYPE.get(t)
        if k is None:   # float, numpy scalars, NaT, anything else: the lambda itself, on these cells
            out[at] = [_kind(v) for v in vals[at]]
        elif k != "s":
            out[at] = k
    return out


def _kind(v: object) -> str:
    if isinstance(v, (_dt.datetime, _dt.date, pd.Timestamp)) and not pd.isna(v):
        return "d"
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and not pd.isna(v):
        return "n"
    return "s"


def number_cells(s: pd.Series) -> np.ndarray:
    """Per cell: a number cell (``int``, ``float`` — NaN too — or a numpy number, not a ``bool``)? What
    ``numbers._parse_numbers`` computes with ``s.map(lambda v: isinstance(v, (int, float, np.integer,
    np.floating)) and not isinstance(v, bool))``, decided once per Python type."""
    vals = s.to_numpy(dtype=object)
    out = np.zeros(len(vals), bool)
    for t, at in _by_type(vals):
        if issubclass(t, (int, float, np.integer, np.floating)) and not issubclass(t, bool):
            out[at] = True
    return out


def _by_type(vals: np.ndarray) -> list[tuple[type, np.ndarray]]:
    """(Python type, boolean mask of its cells) for every type among the cells."""
    types = list(map(type, vals))
    kinds = list(dict.fromkeys(types))
    if len(kinds) == 1:
        return [(kinds[0], np.ones(len(vals), bool))]
    ids = {t: i for i, t in enumerate(kinds)}
    codes = np.fromiter(map(ids.__getitem__, types), np.int64, len(types))
    return [(t, codes == i) for t, i in ids.items()]
