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
    obj = s.astype(object)
    mask = obj.isna()
    return pa.array([None if m else cell_text(v) for v, m in zip(obj, mask)], type=pa.string())


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
