"""The canonical data model every importer produces, and its validation.

deals       deal_id, manager, client, created_at, closed_at, status, amount [, source, currency]
activities  activity_id, manager, type, at, done
plans       manager, month (YYYY-MM), target

``standardize_*`` take a raw frame whose headers are already canonical, check and coerce every column
column-wise (no per-cell Python loops) and return a new frame with fixed dtypes. They never mutate the
input. A value that cannot be coerced raises :class:`~metrics.errors.DataError` naming the file, the
column and the first offending row.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .errors import DataError
from .memory import release_memory
from .frames import frame as text_frame

DEALS_REQUIRED = ["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount"]
DEALS_OPTIONAL = ["source", "currency"]
ACTIVITIES_REQUIRED = ["activity_id", "manager", "type", "at"]
ACTIVITIES_OPTIONAL = ["done"]
PLANS_REQUIRED = ["manager", "month", "target"]

STATUSES = ("won", "lost", "open")
ACTIVITY_TYPES = ("call", "meeting", "email", "task", "other")
KINDS = ("deals", "activities", "plans")

_TRUE = {"true", "yes", "1", "y", "t", "1.0"}
_FALSE = {"false", "no", "0", "n", "f", "0.0"}


def _row_of(mask: pd.Series) -> int:
    """1-based data-row number of the first True in mask (positional)."""
    return int(np.flatnonzero(mask.to_numpy())[0]) + 1


def _require(df: pd.DataFrame, cols: list[str], file: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError("missing_columns", file=file, column=", ".join(missing))
    if len(df) == 0:
        raise DataError("no_rows", file=file)


# --------------------------------------------------------------------------------------------------
# Fast path (performance only): canonical CSV text parsed by pyarrow reaches the ``standardize_*``
# functions as ``pd.ArrowDtype(pa.string())`` columns. Each helper below either returns exactly what the
# pandas code after it returns for those values, or ``None`` — then the pandas code runs (and raises the
# same errors with the same rows). Anything unusual (a value str.strip() would change, other date or
# number spellings, nulls, bad values) takes the pandas code.
# --------------------------------------------------------------------------------------------------

_ASCII_SPACE = np.zeros(256, bool)
_ASCII_SPACE[[ord(c) for c in "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f "]] = True
_LEAD_SPACE = _ASCII_SPACE.copy()
_LEAD_SPACE[[0xC2, 0xE1, 0xE2, 0xE3]] = True   # lead bytes of U+0085, U+00A0, U+1680, U+2000…U+3000
_TAIL_SPACE = np.zeros(256, bool)                # last bytes of U+0085, U+00A0, U+1680, U+2000…U+200A,
_TAIL_SPACE[[0x85, 0xA0, *range(0x80, 0x8B), 0xA8, 0xA9, 0xAF, 0x9F]] = True  # U+2028/9, U+202F, U+205F, U+3000
_DATE_LENGTHS = (10, 16, 19)                    # YYYY-MM-DD, YYYY-MM-DD HH:MM, YYYY-MM-DD HH:MM:SS
_NUMBER_RE = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"


def _arrow_strings(s: pd.Series) -> pa.Array | None:
    """The column as one arrow string array without nulls, when it is an arrow string column."""
    dt = s.dtype
    if not isinstance(dt, pd.ArrowDtype) or not (pa.types.is_string(dt.pyarrow_dtype)
                                                 or pa.types.is_large_string(dt.pyarrow_dtype)):
        return None
    arr = s.array.__arrow_array__()
    try:
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    except (pa.ArrowInvalid, pa.ArrowCapacityError):  # > 2 GB of text in one column: the pandas code
        return None
    if arr.null_count:
        return None
    return arr


def _bounds(a: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Byte offsets (n + 1, contiguous: value i is data[offs[i]:offs[i + 1]]) and the data bytes of an
    arrow string array."""
    n = len(a)
    bufs = a.buffers()
    width = 8 if pa.types.is_large_string(a.type) else 4
    offs = np.frombuffer(bufs[1], dtype=np.int64 if width == 8 else np.int32, count=n + 1, offset=a.offset * width)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None and len(bufs[2]) else np.zeros(1, np.uint8)
    return offs, data


#: may a value starting with this byte start with a space?
_FIRST_EDGE = _LEAD_SPACE.copy()
#: may a value ending with these two bytes (previous << 8 | last) end with a space? An ASCII space; the
#: 2-byte spaces (C2 85, C2 A0); the last two bytes of the 3-byte ones (U+1680, U+2000…U+200A, U+2028/9,
#: U+202F, U+205F, U+3000). A false hit only costs a Python strip of that value.
_LAST_EDGE = np.zeros(1 << 16, bool)
_LAST_EDGE.reshape(256, 256)[:, _ASCII_SPACE] = True
_LAST_EDGE[[0xC285, 0xC2A0, 0x9A80, *range(0x8080, 0x808B), 0x80A8, 0x80A9, 0x80AF, 0x819F]] = True


def strip_changes(a: pa.Array) -> bool:
    """True when str.strip() would change some value (ASCII and Unicode whitespace, checked exactly:
    a byte pre-filter on each value's first byte and last two bytes, then Python's own strip on the
    candidates). Lookups by plain fancy indexing over the whole column (``np.take(mode="clip")`` is 5×
    slower); Cyrillic endings (D0/D1 80…8F) are no candidates."""
    offs, data = _bounds(a)
    if len(a) == 0 or offs[-1] == offs[0]:
        return False
    if len(data) < 4:
        return any(v != v.strip() for v in a.to_pylist() if v)
    starts, ends = offs[:-1], offs[1:]
    if offs[-2] >= len(data):  # (offsets only grow: only empty values at the end point past the data)
        starts = np.minimum(starts, len(data) - 1)
    # an empty or 1-byte value reads its neighbours' bytes (index -1 / -2: the end of the data): a false
    # hit at worst, dropped below or by the strip itself
    pair = (data[ends - 2].astype(np.uint16) << 8) | data[ends - 1]
    hit = np.flatnonzero(_FIRST_EDGE[data[starts]] | _LAST_EDGE[pair])
    if not len(hit):
        return False
    hit = hit[offs[hit + 1] > offs[hit]]
    if not len(hit):
        return False
    vals = a.take(pa.array(hit)).to_pylist()
    return any(v != v.strip() for v in vals)


def string_lengths(a: pa.Array) -> np.ndarray:
    return np.diff(_bounds(a)[0])


def _low_cardinality(a: pa.Array) -> bool:
    n = len(a)
    return n > 5000 and pc.count_distinct(a.slice(0, 20000)).as_py() < min(n, 20000) // 2


def _fast_text(s: pd.Series, empty_as_none: bool) -> tuple[np.ndarray, np.ndarray] | None:
    """(object array of the stripped text, empty mask) or None (take the pandas code). Repeated values
    share one Python object; str.strip() is checked on the distinct values when they repeat."""
    a = _arrow_strings(s)
    if a is None:
        return None
    if _low_cardinality(a):
        d = pc.dictionary_encode(a)
        words = d.dictionary.to_pylist()
        if any(w != w.strip() for w in words):
            return None
        codes = d.indices.to_numpy(zero_copy_only=False)
        blank = np.array([w == "" for w in words] + [False])
        empty = blank[codes]
        objs = np.array(words + [None], dtype=object)
        if empty_as_none:
            objs[:-1][blank[:-1]] = None
        return objs[codes], empty
    if strip_changes(a):
        return None
    empty = string_lengths(a) == 0
    objs = a.to_numpy(zero_copy_only=False).astype(object, copy=False)
    if empty_as_none and empty.any():
        objs = objs.copy()
        objs[empty] = None
    return objs, empty


def _fast_codes(s: pd.Series, fn) -> tuple[np.ndarray, list] | None:
    """Distinct values → fn(value) (exact Python semantics on each distinct value): (codes, results)."""
    a = _arrow_strings(s)
    if a is None:
        return None
    d = pc.dictionary_encode(a)
    return d.indices.to_numpy(zero_copy_only=False), [fn(v) for v in d.dictionary.to_pylist()]


def _iso_matrix(m: np.ndarray) -> np.ndarray | None:
    """Rows of ``YYYY-MM-DD[( |T)HH:MM[:SS]]`` bytes (a uint8 matrix, 10 / 16 / 19 columns) → epoch
    seconds, or None when a row is spelled otherwise or is not a real date / time of day."""
    width = m.shape[1]
    seps = {4: b"-", 7: b"-", 10: b" T", 13: b":", 16: b":"}
    is_digit = ((m - np.uint8(48)) <= 9).all(axis=0)           # per column: every row has a digit there
    if not all(is_digit[i] for i in range(width) if i not in seps):
        return None
    for pos, chars in seps.items():
        if pos < width:
            col = m[:, pos]
            ok = col == chars[0]
            if len(chars) > 1:
                ok |= col == chars[1]
            if not ok.all():
                return None

    def two(p: int) -> np.ndarray:                               # two digits → 0…99 (uint8)
        return (m[:, p] - np.uint8(48)) * np.uint8(10) + (m[:, p + 1] - np.uint8(48))

    zero = np.zeros(len(m), np.uint8)
    y = two(0).astype(np.int64) * 100 + two(2)
    mo, day = two(5), two(8)
    hh, mm = (two(11), two(14)) if width >= 16 else (zero, zero)
    ss = two(17) if width == 19 else zero
    if ((y < 1678) | (y > 2261) | (mo < 1) | (mo > 12) | (day < 1) | (hh > 23) | (mm > 59) | (ss > 59)).any():
        return None
    months = (y - 1970) * 12 + (mo.astype(np.int64) - 1)
    lo, hi = int(months.min()), int(months.max())
    starts = np.arange(lo, hi + 2).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    first, nxt = starts[months - lo], starts[months - lo + 1]        # day numbers of the month and the next
    if (day > nxt - first).any():
        return None
    sec = (hh.astype(np.int64) * 60 + mm) * 60 + ss
    return (first + day - 1) * 86400 + sec


def _fast_datetime(s: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """ISO ``YYYY-MM-DD[( |T)HH:MM[:SS]]`` text → (datetime64[ns] with NaT for empty, empty mask), or None
    when any non-empty value is spelled otherwise or is not a real date/time (the pandas code decides)."""
    a = _arrow_strings(s)
    if a is None:
        return None
    length = string_lengths(a)
    empty = length == 0
    if not np.isin(length[~empty], _DATE_LENGTHS).all():
        return None
    out = np.full(len(a), np.iinfo(np.int64).min, dtype=np.int64)      # NaT
    for size in _DATE_LENGTHS:
        rows = length == size
        k = int(rows.sum())
        if not k:
            continue
        part = a if k == len(a) else a.filter(pa.array(rows))           # contiguous bytes, fixed width
        offs, data = _bounds(part)
        sec = _iso_matrix(data[offs[0]:offs[0] + k * size].reshape(k, size))
        if sec is None:
            return None
        out[rows] = sec * 1_000_000_000
    return out.view("datetime64[ns]"), empty


def _fast_number(s: pd.Series) -> np.ndarray | None:
    """Plain decimal numbers (``-12``, ``1234.50``; up to 15 digits each side) → float64, NaN for empty;
    None for anything else."""
    a = _arrow_strings(s)
    if a is None or strip_changes(a):
        return None
    empty = string_lengths(a) == 0
    ok = pc.match_substring_regex(a, _NUMBER_RE).to_numpy(zero_copy_only=False)
    if not (ok | empty).all():
        return None
    vals = pc.cast(pc.if_else(pa.array(empty), pa.scalar(None, pa.string()), a), pa.float64())
    return vals.to_numpy(zero_copy_only=False).astype("float64")


def _text(s: pd.Series) -> pd.Series:
    """Stripped text as object dtype; empty cells become None."""
    fast = _fast_text(s, empty_as_none=True)
    if fast is not None:
        return pd.Series(fast[0], index=s.index, dtype=object, name=s.name)
    out = s.astype("string").str.strip()
    return out.astype(object).where(out.notna() & (out != ""), None)


#: dtype of ``activities.activity_id``: an opaque key nothing computes with, kept as arrow strings
#: (3M activities: no 3M Python string objects, ~0.6 s and ~150 MB less per read)
ID_DTYPE = pd.ArrowDtype(pa.string())


def _id_text(df: pd.DataFrame, col: str, file: str) -> pd.Series:
    """Like :func:`_nonempty_text`, but as arrow strings (``ID_DTYPE``), zero-copy from an arrow column."""
    a = _arrow_strings(df[col])
    if a is not None and not strip_changes(a):
        empty = string_lengths(a) == 0
        if empty.any():
            raise DataError("empty_value", file=file, column=col, row=int(np.flatnonzero(empty)[0]) + 1)
        return pd.Series(pd.arrays.ArrowExtensionArray(a), index=df.index, name=col)
    return _nonempty_text(df, col, file).astype(ID_DTYPE)


def _nonempty_text(df: pd.DataFrame, col: str, file: str) -> pd.Series:
    fast = _fast_text(df[col], empty_as_none=False)
    if fast is not None:
        objs, empty = fast
        if empty.any():
            raise DataError("empty_value", file=file, column=col, row=int(np.flatnonzero(empty)[0]) + 1)
        return pd.Series(objs, index=df.index, dtype=object, name=col)
    s = df[col].astype("string").str.strip()
    bad = s.isna() | (s == "")
    if bad.any():
        raise DataError("empty_value", file=file, column=col, row=_row_of(bad))
    return s.astype(object)


def parse_datetime(s: pd.Series, *, column: str, file: str, allow_empty: bool) -> pd.Series:
    """ISO-like dates/datetimes (or real datetime cells) to datetime64[ns]; empty → NaT."""
    fast = _fast_datetime(s)
    if fast is not None:
        out = pd.Series(fast[0], index=s.index, name=s.name)
    elif pd.api.types.is_datetime64_any_dtype(s):
        out = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        out = out.astype("datetime64[ns]")
    else:
        txt = s.astype("string").str.strip()
        empty = txt.isna() | (txt == "")
        out = pd.to_datetime(txt.where(~empty), errors="coerce", format="mixed")
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        out = out.astype("datetime64[ns]")
        bad = out.isna() & ~empty
        if bad.any():
            i = _row_of(bad)
            raise DataError("bad_date", file=file, column=column, row=i, value=str(txt.iloc[i - 1]))
    if not allow_empty and out.isna().any():
        raise DataError("empty_value", file=file, column=column, row=_row_of(out.isna()))
    return out


def parse_number(s: pd.Series, *, column: str, file: str) -> pd.Series:
    """Plain numbers (``1234.5``; empty → NaN)."""
    fast = _fast_number(s)
    if fast is not None:
        return pd.Series(fast, index=s.index, name=s.name)
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64")
    txt = s.astype("string").str.strip()
    empty = txt.isna() | (txt == "")
    out = pd.to_numeric(txt.where(~empty), errors="coerce").astype("float64")
    bad = out.isna() & ~empty
    if bad.any():
        i = _row_of(bad)
        raise DataError("bad_number", file=file, column=column, row=i, value=str(txt.iloc[i - 1]))
    return out


def parse_bool(s: pd.Series, *, column: str, file: str) -> pd.Series:
    """true/false, yes/no, 1/0 (any case) → bool; empty → True (the export did not say)."""
    if pd.api.types.is_bool_dtype(s):
        return s.fillna(True).astype(bool)
    fast = _fast_codes(s, lambda v: v.strip().lower())
    if fast is not None:
        codes, words = fast
        false = np.array([w in _FALSE for w in words] + [False])
        if all(w in _TRUE or w in _FALSE or w == "" for w in words):
            return pd.Series(~false[codes], index=s.index, name=s.name)
    txt = s.astype("string").str.strip().str.lower()
    empty = txt.isna() | (txt == "")
    is_true, is_false = txt.isin(_TRUE).fillna(False), txt.isin(_FALSE).fillna(False)
    bad = ~(is_true | is_false | empty)
    if bad.any():
        i = _row_of(bad)
        raise DataError("bad_bool", file=file, column=column, row=i, value=str(s.iloc[i - 1]))
    return (~is_false).astype(bool)


def _vocab(df: pd.DataFrame, col: str, allowed: tuple[str, ...], code: str, file: str) -> pd.Series:
    fast = _fast_codes(df[col], lambda v: v.strip().lower())
    if fast is not None and all(w in allowed for w in fast[1]):
        codes, words = fast
        return pd.Series(np.array(words + [None], dtype=object)[codes], index=df.index, dtype=object, name=col)
    s = df[col].astype("string").str.strip().str.lower()
    bad = ~s.isin(allowed).fillna(False)
    if bad.any():
        i = _row_of(bad)
        raise DataError(code, file=file, column=col, row=i, value=str(df[col].iloc[i - 1]))
    return s.astype(object)


def standardize_deals(df: pd.DataFrame, *, file: str = "deals") -> pd.DataFrame:
    """Validate and coerce a deals frame with canonical headers. Does not mutate ``df``.

    Rules: ``deal_id``, ``manager`` non-empty text; ``client`` text or empty (None: a deal without a client
    counts for revenue, won deals, average deal and conversion, never as a customer); ``created_at`` a date; ``closed_at`` a date
    or empty; ``status`` in {won, lost, open}; ``amount`` a number ≥ 0 (empty → 0). An open deal's
    ``closed_at`` is ignored (set to NaT): expected close dates never count as closes.
    """
    _require(df, DEALS_REQUIRED, file)
    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    df = df.reset_index(drop=True)
    out["deal_id"] = _nonempty_text(df, "deal_id", file)
    out["manager"] = _nonempty_text(df, "manager", file)
    out["client"] = _text(df["client"])
    out["created_at"] = parse_datetime(df["created_at"], column="created_at", file=file, allow_empty=False)
    closed = parse_datetime(df["closed_at"], column="closed_at", file=file, allow_empty=True)
    out["status"] = _vocab(df, "status", STATUSES, "bad_status", file)
    out["closed_at"] = closed.where(out["status"] != "open")
    amount = parse_number(df["amount"], column="amount", file=file)
    neg = amount < 0
    if neg.any():
        i = _row_of(neg)
        raise DataError("negative_amount", file=file, column="amount", row=i, value=float(amount.iloc[i - 1]))
    out["amount"] = amount.fillna(0.0)
    for col in DEALS_OPTIONAL:
        out[col] = _text(df[col]) if col in df.columns else None
    return out


def standardize_activities(df: pd.DataFrame, *, file: str = "activities") -> pd.DataFrame:
    """Validate and coerce an activities frame with canonical headers. Does not mutate ``df``.

    ``type`` in {call, meeting, email, task, other}; ``at`` a date; ``done`` true/false, yes/no or 1/0,
    True where the column is absent or the cell is empty.
    """
    _require(df, ACTIVITIES_REQUIRED, file)
    df = df.reset_index(drop=True)
    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    out["activity_id"] = _id_text(df, "activity_id", file)
    out["manager"] = _nonempty_text(df, "manager", file)
    out["type"] = _vocab(df, "type", ACTIVITY_TYPES, "bad_type", file)
    out["at"] = parse_datetime(df["at"], column="at", file=file, allow_empty=False)
    out["done"] = parse_bool(df["done"], column="done", file=file) if "done" in df.columns else True
    return out


def standardize_plans(df: pd.DataFrame, *, file: str = "plans") -> pd.DataFrame:
    """Validate and coerce a long plans frame (manager, month YYYY-MM, target). Does not mutate ``df``.

    Several rows for the same manager and month are summed.
    """
    _require(df, PLANS_REQUIRED, file)
    df = df.reset_index(drop=True)
    manager = _nonempty_text(df, "manager", file)
    raw = df["month"]
    if pd.api.types.is_datetime64_any_dtype(raw):
        month = raw.dt.strftime("%Y-%m")
    else:
        txt = raw.astype("string").str.strip()
        ok = txt.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").fillna(False)
        if not ok.all():
            i = _row_of(~ok)
            raise DataError("bad_month", file=file, column="month", row=i, value=str(raw.iloc[i - 1]))
        month = txt
    target = parse_number(df["target"], column="target", file=file)
    neg = target < 0
    if neg.any():
        i = _row_of(neg)
        raise DataError("negative_amount", file=file, column="target", row=i, value=float(target.iloc[i - 1]))
    out = text_frame({"manager": manager, "month": month.astype(object), "target": target.fillna(0.0)})
    return out.groupby(["manager", "month"], as_index=False, sort=True)["target"].sum()


STANDARDIZE = {"deals": standardize_deals, "activities": standardize_activities, "plans": standardize_plans}


def empty_frame(kind: str) -> pd.DataFrame:
    """An empty canonical frame of the given kind, with the right dtypes."""
    if kind == "deals":
        return text_frame({"deal_id": pd.Series(dtype=object), "manager": pd.Series(dtype=object),
                           "client": pd.Series(dtype=object),
                           "created_at": pd.Series(dtype="datetime64[ns]"),
                           "closed_at": pd.Series(dtype="datetime64[ns]"),
                           "status": pd.Series(dtype=object), "amount": pd.Series(dtype="float64"),
                           "source": pd.Series(dtype=object), "currency": pd.Series(dtype=object)})
    if kind == "activities":
        return text_frame({"activity_id": pd.Series(dtype=ID_DTYPE), "manager": pd.Series(dtype=object),
                           "type": pd.Series(dtype=object), "at": pd.Series(dtype="datetime64[ns]"),
                           "done": pd.Series(dtype=bool)})
    if kind == "plans":
        return text_frame({"manager": pd.Series(dtype=object), "month": pd.Series(dtype=object),
                           "target": pd.Series(dtype="float64")})
    raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")


def _blank(data: bytes) -> bool:
    """``not data or not data.strip()`` without copying a large file."""
    return not data or (not data[:65536].strip() and not data.strip())


def _read_csv_arrow(data: bytes, *, file: str) -> pd.DataFrame | None:
    """Canonical CSV parsed by pyarrow (multi-threaded) into arrow string columns — the same cells
    :func:`read_table` gives — or None when the file is not a plain UTF-8 comma CSV that pyarrow reads the
    way ``pandas.read_csv(dtype=str, keep_default_na=False, skipinitialspace=True)`` does (then
    :func:`read_table` reads it, with its errors)."""
    if _blank(data) or Path(file).suffix.lower() not in ("", ".csv", ".txt") or data[:4] == b"PK\x03\x04":
        return None
    try:
        buf = pa.py_buffer(data)
        if data[:3] == b"\xef\xbb\xbf":
            buf = buf.slice(3)
        head = bytes(buf[:65536]).decode("utf-8", errors="ignore")
        names = next(csv.reader(io.StringIO(head)))
        clean = [n.strip() for n in names]
        if not names or any(not n for n in clean) or len(set(clean)) != len(clean):
            return None                                   # pandas renames these ("Unnamed: 1", "a.1")
        table = pacsv.read_csv(
            pa.BufferReader(buf),
            read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=",", quote_char='"', double_quote=True,
                                             newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, check_utf8=True))
        if table.column_names != names or any(not pa.types.is_string(t) for t in table.schema.types):
            return None
    except Exception:  # noqa: BLE001 - anything pyarrow does not like goes the pandas way
        return None
    cols = {}
    for name, col in zip(names, table.columns):
        # pandas' skipinitialspace reads «a, "b"» as b; pyarrow keeps « "b"» — let pandas read such files
        for chunk in col.chunks:
            offs, bytes_ = _bounds(chunk)
            ne = np.diff(offs) > 0
            lead = np.flatnonzero(ne & np.isin(bytes_[np.minimum(offs[:-1], len(bytes_) - 1)], (0x20, 0x09)))
            if len(lead) and any('"' in v for v in chunk.take(pa.array(lead)).to_pylist()):
                return None
        cols[name] = pd.Series(pd.arrays.ArrowExtensionArray(col), name=name)
    return pd.DataFrame(cols)


def read_table(data: bytes, *, file: str) -> pd.DataFrame:
    """Read canonical CSV (UTF-8, comma) or XLSX bytes into a frame of strings / native cells."""
    if _blank(data):
        raise DataError("empty_file", file=file)
    suffix = Path(file).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
            return pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl")
        if suffix not in ("", ".csv", ".txt"):
            raise DataError("unsupported_type", file=file)
        text = data.decode("utf-8-sig")
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure becomes one clear message
        raise DataError("unreadable", file=file, detail=f"{type(exc).__name__}: {exc}"[:200]) from exc


def load_canonical(kind: str, data: bytes, *, file: str) -> pd.DataFrame:
    """Read and standardise one canonical file (``kind`` in deals / activities / plans)."""
    raw = _read_csv_arrow(data, file=file)
    if raw is None:
        raw = read_table(data, file=file)
    del data              # the bytes are not needed any more (freed here when the caller kept no reference)
    raw.columns = [str(c).strip() for c in raw.columns]
    if len(raw) == 0:
        raise DataError("no_rows", file=file)
    out = STANDARDIZE[kind](raw, file=file)
    del raw
    release_memory()   # give the parser's freed buffers back to the system
    return out
