"""Arrow helpers of the converters: text columns as stripped arrow strings, null masks, object arrays."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import values

NULL = pa.scalar(None, pa.string())


def text(col: pd.Series | None, collapse: bool = False,
         pre: tuple[pa.Array, np.ndarray] | None = None) -> pa.Array:
    """A column as stripped text (arrow strings), empty → null. ``collapse`` also squeezes inner runs
    of whitespace ("Иван  Петров" → "Иван Петров"); it works on the distinct values when they repeat.
    ``pre``: the column's :func:`values.stripped` already computed (then ``col`` is not read)."""
    return text_codes(col, collapse, pre)[0]


def text_codes(col: pd.Series | None, collapse: bool = False, pre: tuple[pa.Array, np.ndarray] | None = None
               ) -> tuple[pa.Array, pa.DictionaryArray | None]:
    """(:func:`text`, its dictionary encoding when the collapse step computed one for exactly that array,
    else None): the converter reuses the encoding for the column's distinct values."""
    t, empty = pre if pre is not None else values.stripped(values.to_arrow(col))
    if empty.any():
        t = pc.if_else(pa.array(empty), NULL, t)
    if not collapse:
        return t, None
    pattern, ws = "\\s\\s|[\t\n\r\u00a0\u2009\u202f]", "[\\s\u00a0\u2009\u202f]+"
    if len(t) > 2000 and pc.count_distinct(t.slice(0, 4000)).as_py() > 3000:
        d = None  # mostly distinct values (clients, contacts): a regex pass is cheaper than an encoding
    else:
        d = pc.dictionary_encode(t)
    if d is not None and len(d.dictionary) < len(t) // 2:
        if pc.any(pc.match_substring_regex(d.dictionary, pattern)).as_py():
            return pc.take(pc.replace_substring_regex(d.dictionary, ws, " "), d.indices), None
        return t, d
    if pc.any(pc.match_substring_regex(t, pattern)).as_py():
        return pc.replace_substring_regex(t, ws, " "), None
    return t, d


def isnull(a: pa.Array) -> np.ndarray:
    return a.is_null().to_numpy(zero_copy_only=False)


def objects(a: pa.Array | None, n: int, codes: pa.DictionaryArray | None = None) -> np.ndarray:
    """Arrow strings → numpy object array (dictionary-encoded first when values repeat). ``codes``: the
    dictionary encoding of ``a`` when it is known already (not computed again)."""
    if a is None:
        return np.full(n, None, dtype=object)
    if len(a) > 2000 and pc.count_distinct(a.slice(0, 4000)).as_py() < 3000:
        d = pc.dictionary_encode(a) if codes is None else codes
        if len(d.dictionary) < len(a) // 2:  # repeated values share one Python string
            idx = pc.fill_null(d.indices, -1).to_numpy(zero_copy_only=False)
            return np.array(d.dictionary.to_pylist() + [None], dtype=object)[idx]
    return a.to_numpy(zero_copy_only=False).astype(object)


def has_duplicates(a: pa.Array) -> bool:
    """Does a (null-free) id column repeat a value? Numeric ids (most CRMs) are checked by sorting."""
    try:
        x = np.sort(pc.cast(a, pa.int64()).to_numpy(zero_copy_only=False))
        return bool((x[1:] == x[:-1]).any())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pc.count_distinct(a).as_py() < len(a)


def empty_rows(frame: pd.DataFrame, seen: dict | None = None) -> np.ndarray:
    """Rows whose every cell is empty or spaces. ``seen``: filled with column → its :func:`values.stripped`
    for the columns looked at (usually the first alone), for the converter to reuse."""
    empty = np.ones(len(frame), bool)
    for c in frame.columns:
        t, e = values.stripped(values.to_arrow(frame[c]))
        if seen is not None:
            seen[c] = (t, e)
        empty &= e
        if not empty.any():
            break
    return empty

