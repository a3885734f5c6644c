"""Cell values: dates, numbers, stages/statuses, yes/no words, activity types, months, currencies.

Everything here is column-wise. Dates and numbers are decided once per column (day-first or
month-first, decimal comma or point) from the evidence in the whole column, then parsed vectorised:
pyarrow ``strptime`` with an explicit format for the dominant shape, and a vectorised regex (RE2) for
the remaining rows (dates without time among datetimes, 2-digit years, AM/PM, ISO with zone...).
Text vocabularies (stages, yes/no, types) are mapped on the column's distinct values only.
"""
from __future__ import annotations

import datetime as _dt
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..schema import string_lengths, strip_changes
from . import vocab

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
    return pa.array([None if m else _cell_text(v) for v, m in zip(obj, mask)], type=pa.string())


def one_chunk(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array (no copy when there is one chunk, which the CSV reader's columns are)."""
    if not isinstance(arr, pa.ChunkedArray):
        return arr
    return arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()


def _cell_text(v: object) -> str:
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


def _map_unique(s: pd.Series | pa.Array, fn, fill: object = None, dtype: object = object) -> pd.Series:
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


# --------------------------------------------------------------------------------------------------
# Notes: what a column's reading found besides the values (reported by code, never silently bent)
# --------------------------------------------------------------------------------------------------
@dataclass
class Note:
    """``code`` (an importer warning, "warn.<code>" in the UI) for the cells in ``mask``; ``cells`` is the
    column's text as it was in the file (for the example quoted); ``params`` are extra template
    parameters. :meth:`params_for` gives the count and example among the rows still kept."""

    code: str
    mask: np.ndarray
    cells: object = field(repr=False)
    params: dict = field(default_factory=dict)

    def params_for(self, keep: np.ndarray | None = None) -> dict | None:
        """{count, example, **params} over the kept rows; None when no kept row has it."""
        m = self.mask if keep is None else self.mask & keep
        if not m.any():
            return None
        v = self.cells[int(np.flatnonzero(m)[0])]
        v = v.as_py() if hasattr(v, "as_py") else v
        return {"count": int(m.sum()), "example": None if v is None else str(v)[:80], **self.params}


def _notes(cells, *items: tuple) -> list[Note]:
    """Notes for the (code, mask, params) items whose mask has a true cell."""
    return [Note(code, mask, cells, params) for code, mask, params in items if mask is not None and mask.any()]


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------
#: texts that mean "no date" in a date column (amoCRM writes «не закрыта» for open deals): empty dates,
#: counted (note ``date_markers``). Compared after trimming, in lower, upper, title and capitalised case.
NO_DATE_MARKERS = ("не закрыта", "не закрыто", "не закрыт", "не закрита", "не закрито", "не закритий",
                   "нет", "немає", "ні", "нет даты", "немає дати", "без даты", "без дати", "не указано",
                   "не указана", "не вказано", "не вказана", "—", "–", "-", "--", "---", "n/a", "na", "n.a.",
                   "none", "null", "nil", "nan", "nat", "no", "not closed", "open", "tbd", "tba", "?",
                   "(blank)", "(empty)", "(none)", "0000-00-00", "0000-00-00 00:00:00", "00.00.0000")
_MARKER_SET = pa.array(sorted({v for m in NO_DATE_MARKERS for v in (m, m.upper(), m.title(), m.capitalize())}),
                       type=pa.string())
#: a date later than the reading day by more than this is "far in the future" (note ``far_future_dates``)
FAR_FUTURE_DAYS = 366
_NUMERIC_DATE = (
    r"^(?P<a>\d{1,4})(?P<sep>[./\-])(?P<b>\d{1,2})[./\-](?P<c>\d{1,4})"
    r"(?:(?P<T>[ T]+|,\s*)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?P<F>[.,]\d+)?)?\s*(?P<ap>[AaPp]\.?[Mm]\.?)?)?"
    r"\s*(?:Z|UTC|GMT|[+\-]\d{2}:?\d{2})?$")
_TEXT_DMY = (r"^(?P<d>\d{1,2})[\s\-.]+(?P<mon>[^\W\d_]{3,}\.?)[\s\-.,]+(?P<y>\d{4}|\d{2})(?:\s*г\.?)?"
             r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ap>[AaPp][Mm])?)?$")
_TEXT_MDY = (r"^(?P<mon>[^\W\d_]{3,})\.?\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})"
             r"(?:[ T,]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?\s*(?P<ap>[AaPp][Mm])?)?$")
_SERIAL = r"^\d{4,6}(\.\d+)?$"
_EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")

DAY_FIRST, MONTH_FIRST, ISO, EXCEL_SERIAL, EXCEL_DATE = (
    "day-first", "month-first", "iso", "excel-serial", "excel-date")


@dataclass
class DateParse:
    values: pd.Series          # datetime64[ns], NaT where empty or unparsable
    fmt: str | None            # DAY_FIRST / MONTH_FIRST / ISO / EXCEL_SERIAL / EXCEL_DATE; None if no dates
    decided: bool              # False when the day/month order was a default, not evidence
    bad: np.ndarray            # non-empty cells that are not dates
    example: str | None = None  # first unparsable value
    dotted: bool = False       # the day/month dates use dots (dd.mm.yyyy)
    notes: list["Note"] = field(default_factory=list)  # markers, impossible and far-future dates


def _ints(struct: pa.StructArray, name: str) -> np.ndarray:
    x = struct.field(name)
    x = pc.if_else(pc.equal(x, ""), pa.scalar(None, pa.string()), x)
    return pc.cast(x, pa.float64()).to_numpy(zero_copy_only=False)


def _assemble(y, mo, d, H=None, M=None, S=None, pm=None) -> np.ndarray:
    """datetime64[ns] from float component arrays; invalid combinations → NaT."""
    y = np.where((y >= 0) & (y < 100), np.where(y < 70, y + 2000, y + 1900), y)
    n = len(y)
    H = np.zeros(n) if H is None else np.nan_to_num(H)
    M = np.zeros(n) if M is None else np.nan_to_num(M)
    S = np.zeros(n) if S is None else np.nan_to_num(S)
    if pm is not None:  # +1 for PM, -1 for AM, 0 for 24h clock
        H = np.where((pm > 0) & (H < 12), H + 12, np.where((pm < 0) & (H == 12), 0, H))
    ok = (np.isfinite(y) & np.isfinite(mo) & np.isfinite(d) & (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= 31)
          & (y >= 1900) & (y <= 2200) & (H < 24) & (M < 60) & (S < 61))
    frame = pd.DataFrame({"year": np.where(ok, y, 2000), "month": np.where(ok, mo, 1),
                          "day": np.where(ok, d, 1), "hour": np.where(ok, H, 0),
                          "minute": np.where(ok, M, 0), "second": np.where(ok, np.minimum(S, 59), 0)})
    frame = frame.astype("int64")
    out = pd.to_datetime(frame, errors="coerce").to_numpy(dtype="datetime64[ns]")
    out[~ok] = np.datetime64("NaT")
    return out


def _ampm(struct: pa.StructArray) -> np.ndarray:
    """+1 for PM, -1 for AM, 0 for a 24-hour clock (vectorised)."""
    ap = pc.fill_null(pc.utf8_lower(struct.field("ap")), "")
    pm = pc.starts_with(ap, "p").to_numpy(zero_copy_only=False)
    am = pc.starts_with(ap, "a").to_numpy(zero_copy_only=False)
    return np.where(pm, 1, np.where(am, -1, 0))


def _numeric_components(arr: pa.Array) -> dict[str, np.ndarray] | None:
    st = pc.extract_regex(arr, _NUMERIC_DATE)
    valid = st.is_valid().to_numpy(zero_copy_only=False)
    if not valid.any():
        return None
    comps = {k: _ints(st, k) for k in ("a", "b", "c", "H", "M", "S")}
    comps["alen"] = pc.utf8_length(st.field("a")).to_numpy(zero_copy_only=False)
    comps["sep"] = st.field("sep").to_numpy(zero_copy_only=False)
    comps["pm"] = _ampm(st)
    comps["valid"] = valid
    return comps


def _month_number(token: str | None) -> float:
    if not token:
        return np.nan
    t = token.lower().strip(". ")
    for k in _MONTH_KEYS:
        if t.startswith(k):
            return float(vocab.MONTH_PREFIXES[k])
    return np.nan


_MONTH_KEYS = sorted(vocab.MONTH_PREFIXES, key=len, reverse=True)


def _text_dates(arr: pa.Array) -> np.ndarray:
    """Dates with month names ("15 янв. 2025", "Jan 15, 2025", "15-Jan-2025 10:00")."""
    out = np.full(len(arr), np.datetime64("NaT"), dtype="datetime64[ns]")
    for pattern in (_TEXT_DMY, _TEXT_MDY):
        st = pc.extract_regex(arr, pattern)
        valid = st.is_valid().to_numpy(zero_copy_only=False)
        if not valid.any():
            continue
        mon = _map_unique(pd.Series(st.field("mon").to_numpy(zero_copy_only=False)), _month_number)
        mon = pd.to_numeric(mon, errors="coerce").to_numpy(dtype="float64")
        got = _assemble(_ints(st, "y"), mon, _ints(st, "d"), _ints(st, "H"), _ints(st, "M"),
                        _ints(st, "S"), _ampm(st))
        fill = np.isnat(out) & valid
        out[fill] = got[fill]
    return out


def _sample_idx(n: int, k: int = 3000) -> np.ndarray:
    return np.arange(n) if n <= k else np.unique(np.linspace(0, n - 1, k).astype(int))


_TS_MIN = pa.scalar(_dt.datetime(1900, 1, 1), pa.timestamp("s"))
_TS_MAX = pa.scalar(_dt.datetime(2200, 12, 31), pa.timestamp("s"))


def in_halves(fn, arr: pa.Array) -> pa.Array:
    """``fn(arr)`` for an element-wise arrow kernel, on two halves at once for large arrays (arrow's
    compute functions release the GIL, so both cores work; the result is the same array)."""
    n = len(arr)
    if n < 400_000 or (os.cpu_count() or 1) < 2:
        return fn(arr)
    half = n // 2
    parts = list(pool().map(fn, (arr.slice(0, half), arr.slice(half))))
    return pa.chunked_array(parts).combine_chunks()


@lru_cache(maxsize=1)
def pool() -> ThreadPoolExecutor:
    """Two worker threads for arrow kernels (they release the GIL)."""
    return ThreadPoolExecutor(max_workers=2, thread_name_prefix="saleslens-arrow")


def _strptime(arr: pa.Array, fmt: str) -> np.ndarray:
    """Vectorised strptime with one explicit format; cells that do not match (or lie outside
    1900..2200) become NaT."""
    got = in_halves(lambda a: pc.strptime(a, format=fmt, unit="s", error_is_null=True), arr)
    in_range = pc.and_(pc.greater_equal(got, _TS_MIN), pc.less_equal(got, _TS_MAX))
    got = pc.if_else(in_range, got, pa.scalar(None, pa.timestamp("s")))
    return got.cast(pa.timestamp("ns")).to_numpy(zero_copy_only=False)


def parse_dates(s: pd.Series, *, order: str | None = None, default_order: str = DAY_FIRST,
                today: _dt.date | None = None) -> DateParse:
    """Parse a date column. ``order`` forces DAY_FIRST/MONTH_FIRST for d/m/y dates; otherwise it is decided
    from the evidence (a first field above 12 ⇒ day-first, a second field above 12 ⇒ month-first), and
    falls back to ``default_order`` (``decided=False``).

    Never bent, always reported (``notes``): a "no date" text (:data:`NO_DATE_MARKERS`, e.g. «не закрыта»)
    is an empty date (``date_markers``); a date that does not exist (2025-02-30: a day beyond its month)
    is not rolled over into the next month but is not a date (``impossible_dates``; also in ``bad``); a
    date more than :data:`FAR_FUTURE_DAYS` days after ``today`` (default: the reading day) is kept and
    counted (``far_future_dates``)."""
    res = _parse_dates(s, order=order, default_order=default_order)
    vals = res.values.to_numpy(dtype="datetime64[ns]")
    after = (today or _dt.date.today()) + _dt.timedelta(days=FAR_FUTURE_DAYS)
    future = ~np.isnat(vals) & (vals > np.datetime64(after, "ns"))
    if future.any():
        res.notes.append(Note("far_future_dates", future, _cells(s), {"after": after.isoformat()}))
    return res


def _cells(s: pd.Series) -> "_Cells":
    """The column's cells as text for a quoted example (lazy: only the example row is converted)."""
    return _Cells(s)


class _Cells:
    """Index → the cell's text as it was (no conversion of the whole column)."""

    def __init__(self, s: pd.Series) -> None:
        self.s = s

    def __getitem__(self, i: int) -> str | None:
        v = self.s.iloc[i]
        return None if v is None or (isinstance(v, float) and np.isnan(v)) else _cell_text(v)


def _parse_dates(s: pd.Series, *, order: str | None, default_order: str) -> DateParse:
    n = len(s)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        v = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return DateParse(v.astype("datetime64[ns]").reset_index(drop=True), EXCEL_DATE, True, np.zeros(n, bool))
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return _serial(pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64"), s)
    if pd.api.types.is_object_dtype(s.dtype):
        kinds = s.map(lambda v: "d" if isinstance(v, (_dt.datetime, _dt.date, pd.Timestamp)) and not pd.isna(v)
                      else ("n" if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                            and not pd.isna(v) else "s"))
        if (kinds != "s").any():
            out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
            bad = np.zeros(n, bool)
            fmt, decided, example, dotted = None, True, None, False
            d = (kinds == "d").to_numpy()
            if d.any():
                out[d] = pd.to_datetime(s[d].map(pd.Timestamp)).to_numpy(dtype="datetime64[ns]")
                fmt = EXCEL_DATE
            num = (kinds == "n").to_numpy()
            if num.any():
                ser = _serial(pd.to_numeric(s[num], errors="coerce").to_numpy(dtype="float64"), s[num])
                out[num] = ser.values.to_numpy(dtype="datetime64[ns]")
                bad[num] = ser.bad
                fmt = fmt or EXCEL_SERIAL
            txt = ~(d | num)
            notes: list[Note] = []
            if txt.any():
                sub = _parse_dates(s[txt].astype(object).where(s[txt].notna(), None).reset_index(drop=True),
                                   order=order, default_order=default_order)
                out[txt] = sub.values.to_numpy(dtype="datetime64[ns]")
                bad[txt] = sub.bad
                if sub.fmt is not None:
                    fmt, decided, example, dotted = sub.fmt if fmt is None else fmt, sub.decided, sub.example, sub.dotted
                for note in sub.notes:  # back to the whole column's rows
                    mask = np.zeros(n, bool)
                    mask[txt] = note.mask
                    notes.append(Note(note.code, mask, _Cells(s), note.params))
            return DateParse(pd.Series(out), fmt, decided, bad, example, dotted, notes)
    return _parse_text_dates(to_arrow(s), order=order, default_order=default_order)


def _serial(x: np.ndarray, original: pd.Series) -> DateParse:
    ok = np.isfinite(x) & (x >= 1) & (x < 2958466)
    days = np.where(ok, x, 0.0)
    out = _EXCEL_EPOCH + (days * 86400.0).round().astype("int64").astype("timedelta64[s]").astype("timedelta64[ns]")
    out = np.where(ok, out, np.datetime64("NaT"))
    bad = np.isfinite(x) & ~ok
    example = str(original.iloc[int(np.flatnonzero(bad)[0])]) if bad.any() else None
    return DateParse(pd.Series(out.astype("datetime64[ns]")), EXCEL_SERIAL, True, bad, example)


def _parse_text_dates(arr: pa.Array, *, order: str | None, default_order: str) -> DateParse:
    n = len(arr)
    txt, empty = stripped(arr)
    nonempty = ~empty
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if not nonempty.any():
        return DateParse(pd.Series(out), None, True, np.zeros(n, bool))

    # Excel serial numbers written as text ("45678", "45678.5").
    head = txt.take(pa.array(np.flatnonzero(nonempty)[:2000]))
    if pc.all(pc.match_substring_regex(head, _SERIAL)).as_py() and \
            pc.match_substring_regex(txt, _SERIAL).to_numpy(zero_copy_only=False)[nonempty].all():
        x = pc.cast(pc.if_else(pc.equal(txt, ""), pa.scalar(None, pa.string()), txt), pa.float64())
        res = _serial(x.to_numpy(zero_copy_only=False), pd.Series(txt.to_numpy(zero_copy_only=False)))
        return res

    idx = np.flatnonzero(nonempty)
    sample = txt.take(pa.array(idx[_sample_idx(len(idx))]))
    comps = _numeric_components(sample)
    fmt_name, fast_fmts, dotted = None, [], False
    decided = True
    if comps is not None and comps["valid"].any():  # (text markers may outnumber the dates: amoCRM)
        v = comps["valid"]
        iso = (comps["alen"][v] == 4).mean() >= 0.5
        sep_vals, sep_counts = np.unique(comps["sep"][v].astype(str), return_counts=True)
        sep = sep_vals[np.argmax(sep_counts)]
        has_time = np.isfinite(comps["H"][v]).mean() >= 0.5
        has_sec = np.isfinite(comps["S"][v]).mean() >= 0.5
        tail = (" %H:%M:%S" if has_sec else " %H:%M") if has_time else ""
        if iso:
            fmt_name = ISO
            fast_fmts = [f"%Y{sep}%m{sep}%d{tail}", f"%Y{sep}%m{sep}%dT{tail.strip()}" if tail else None]
            fast_fmts = [f for f in fast_fmts if f]
        else:
            dotted = sep == "."
            ylong = (comps["c"][v] >= 100).mean() >= 0.5
            yf = "%Y" if ylong else "%y"
            fmts = {DAY_FIRST: f"%d{sep}%m{sep}{yf}{tail}", MONTH_FIRST: f"%m{sep}%d{sep}{yf}{tail}"}
            if order in (DAY_FIRST, MONTH_FIRST):
                fmt_name = order
            else:
                guess = DAY_FIRST if dotted else default_order
                fmt_name, decided, out = _decide_order(txt, nonempty, fmts, guess)
                out = out.copy()
            fast_fmts = [fmts[fmt_name]] if order in (DAY_FIRST, MONTH_FIRST) else []

    if fmt_name is not None:
        for f in fast_fmts:
            todo = np.isnat(out) & nonempty
            if not todo.any():
                break
            got = _strptime(txt, f)
            out[todo] = got[todo]
        _no_rollover(txt, out, fmt_name)  # (every value so far came from strptime)
        todo = np.flatnonzero(np.isnat(out) & nonempty)
        if len(todo):
            c = _numeric_components(txt.take(pa.array(todo)))
            if c is not None:
                y, mo, d = _ymd(c, fmt_name)
                out[todo] = _assemble(y, mo, d, c["H"], c["M"], c["S"], c["pm"])
    todo = np.flatnonzero(np.isnat(out) & nonempty)
    if len(todo):  # month names
        got = _text_dates(txt.take(pa.array(todo)))
        out[todo] = got
        if fmt_name is None and (~np.isnat(got)).any():
            fmt_name = DAY_FIRST
    # "no date" texts among the cells that are not dates: empty dates, counted
    markers = np.zeros(n, bool)
    todo = np.flatnonzero(np.isnat(out) & nonempty)
    if len(todo):
        markers[todo[pc.is_in(txt.take(pa.array(todo)), value_set=_MARKER_SET).to_numpy(zero_copy_only=False)]] = True
    bad = np.isnat(out) & nonempty & ~markers
    impossible = np.zeros(n, bool)
    if bad.any() and fmt_name in (ISO, DAY_FIRST, MONTH_FIRST):  # a date's shape, a day beyond its month
        rows = np.flatnonzero(bad)
        c = _numeric_components(txt.take(pa.array(rows)))
        if c is not None:
            y, mo, d = _ymd(c, fmt_name)
            y = np.where((y >= 0) & (y < 100), y + 2000, y)
            impossible[rows] = c["valid"] & (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= 31) & (y >= 1900) & (y <= 2200)
    example = txt[int(np.flatnonzero(bad)[0])].as_py() if bad.any() else None
    notes = _notes(arr, ("date_markers", markers, {}), ("impossible_dates", impossible, {}))
    return DateParse(pd.Series(out), fmt_name, decided, bad, example, dotted, notes)


def _ymd(c: dict[str, np.ndarray], fmt_name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(year, month, day) components of numeric dates read in the column's order (a 4-digit first field
    is an ISO date whatever the order; stray d/m/y values in an ISO column are read day-first)."""
    if fmt_name == ISO:
        swap = c["alen"] != 4
        return np.where(swap, c["c"], c["a"]), c["b"], np.where(swap, c["a"], c["c"])
    iso_rows = c["alen"] == 4
    if fmt_name == DAY_FIRST:
        return np.where(iso_rows, c["a"], c["c"]), c["b"], np.where(iso_rows, c["c"], c["a"])
    return (np.where(iso_rows, c["a"], c["c"]), np.where(iso_rows, c["b"], c["a"]),
            np.where(iso_rows, c["c"], c["b"]))


def _no_rollover(txt: pa.Array, out: np.ndarray, fmt_name: str) -> None:
    """Arrow's strptime rolls a day beyond its month over (2025-02-30 → 2025-03-02): such values land on
    day 1–3 of a month; those rows are checked against their own day field and set to NaT (in place)."""
    ok = ~np.isnat(out)
    if not ok.any():
        return
    ts = pa.array(out)  # (zero-copy; arrow's calendar kernels are ~10× cheaper than numpy's unit casts)
    day = pc.fill_null(pc.day(ts), 0).to_numpy(zero_copy_only=False)
    mon = pc.fill_null(pc.month(ts), 0).to_numpy(zero_copy_only=False)
    # Feb 29–31 → Mar 1–3; Apr/Jun/Sep/Nov 31 → May/Jul/Oct/Dec 1
    rows = np.flatnonzero(((mon == 3) & (day <= 3)) | (((mon == 5) | (mon == 7) | (mon == 10) | (mon == 12))
                                                       & (day == 1)))
    if not len(rows):
        return
    c = _numeric_components(txt.take(pa.array(rows)))
    if c is None:
        return
    _, _, d = _ymd(c, fmt_name)
    rolled = c["valid"] & (d >= 28) & (d != day[rows])
    out[rows[rolled]] = np.datetime64("NaT")


def _decide_order(txt: pa.Array, nonempty: np.ndarray, fmts: dict[str, str], guess: str
                  ) -> tuple[str, bool, np.ndarray]:
    """Day-first or month-first from the evidence in the whole column, with one strptime pass in the
    usual case: parse with ``guess``; cells it cannot read are tried the other way round (a first field
    above 12 fails month-first, a second field above 12 fails day-first); if the guess reads everything,
    a parsed day above 12 proves it. Returns (order, decided by evidence, parsed values)."""
    other = MONTH_FIRST if guess == DAY_FIRST else DAY_FIRST
    got = _strptime(txt, fmts[guess])
    fails = np.isnat(got) & nonempty
    if fails.any():
        alt = _strptime(txt, fmts[other])
        ok_alt, ok_guess = int((~np.isnat(alt) & nonempty).sum()), int((~fails & nonempty).sum())
        if ok_alt > ok_guess:
            return other, True, alt
        if ok_guess > ok_alt:
            return guess, True, got
        # rows outside the dominant shape (with/without time) may still carry evidence
        c = _numeric_components(txt.take(pa.array(np.flatnonzero(fails))))
        if c is not None:
            v = c["valid"] & (c["alen"] != 4)
            a_big, b_big = int((c["a"][v] > 12).sum()), int((c["b"][v] > 12).sum())
            if a_big != b_big:
                order = DAY_FIRST if a_big > b_big else MONTH_FIRST
                return order, True, (got if order == guess else alt)
        return guess, False, got
    for part in (got[:100_000], got):  # a day above 12 turns up early in real columns
        ok = part[~np.isnat(part)]
        day = (ok - ok.astype("datetime64[M]")).astype("timedelta64[D]").astype(np.int64) + 1
        if (day > 12).any():
            return guess, True, got
    return guess, False, got


def order_evidence(s: pd.Series) -> str | None:
    """DAY_FIRST / MONTH_FIRST if the column proves it, else None (used to share evidence across columns)."""
    if not (pd.api.types.is_object_dtype(s.dtype) or pd.api.types.is_string_dtype(s.dtype)
            or isinstance(s.dtype, pd.ArrowDtype)):
        return None
    txt, empty = stripped(to_arrow(s))
    if empty.all():
        return None
    c = _numeric_components(txt)
    if c is None:
        return None
    v = c["valid"] & (c["alen"] != 4)
    a_big, b_big = (c["a"][v] > 12).sum(), (c["b"][v] > 12).sum()
    if a_big == b_big:
        return None
    return DAY_FIRST if a_big > b_big else MONTH_FIRST


def looks_like_dates(s: pd.Series, threshold: float = 0.6) -> bool:
    """Do most non-empty cells of a (small) sample parse as dates? Empty columns pass."""
    sample = s.iloc[_sample_idx(len(s), 300)]
    if pd.api.types.is_datetime64_any_dtype(sample.dtype):
        return True
    res = parse_dates(sample.reset_index(drop=True))
    vals = res.values
    filled = (~np.isnat(vals.to_numpy(dtype="datetime64[ns]"))).sum()
    total = filled + res.bad.sum()
    if total == 0:  # empty, or only "no date" words: a column of «Нет» alone is not a date column
        return not any(n.code == "date_markers" for n in res.notes)
    if res.fmt == EXCEL_SERIAL:  # plain integers are dates only in a plausible range (1982..2064)
        x = pd.to_numeric(sample, errors="coerce")
        if not ((x >= 30000) & (x <= 60000)).mean() >= threshold:
            return False
    return filled / total >= threshold


# --------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------
@dataclass
class NumberParse:
    values: pd.Series            # float64, NaN where empty or unparsable
    bad: np.ndarray              # non-empty cells that are not numbers
    currency: pd.Series | None   # currency code found in the cell ("USD 1,200.50"), else None
    decimal: str = "."
    example: str | None = None
    notes: list[Note] = field(default_factory=list)  # decimal conflicts, out of range, #N/A, formulas


_CLEAN_NUMBER = r"^-?\d+(\.\d+)?$"
_SCIENTIFIC = r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d{1,4}$"
#: an amount beyond this (in absolute value) is reported as out of range (``amount_out_of_range``), not
#: summed: no real deal is worth 10^15, and 1e300 would turn every total into inf
MAX_AMOUNT = 1e15
#: Excel's error values (a cell whose formula failed); counted (``excel_errors``), never read as 0
EXCEL_ERRORS = ("#N/A", "#N/A!", "#NA", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!",
                "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!")
_ERRORS_SET = pa.array(sorted({e for x in EXCEL_ERRORS for e in (x, x.lower())}), type=pa.string())
# separators as grouping: 1,234,567.89 / 1.234.567,89 / Indian 1,23,45,678.00
_DOT_DECIMAL_OK = r"^(\d+(\.\d+)?|\.\d+|\d{1,3}(,\d{3})+(\.\d+)?|\d{1,2}(,\d{2})*,\d{3}(\.\d+)?)$"
_COMMA_DECIMAL_OK = r"^(\d+(,\d+)?|,\d+|\d{1,3}(\.\d{3})+(,\d+)?)$"


def parse_numbers(s: pd.Series) -> NumberParse:
    """Amounts with decimal comma or point, thousands separators (space, NBSP, thin space, comma, dot,
    apostrophe), currency signs/codes, minus signs or accounting parentheses, scientific notation
    (``1.5E+06``).

    The decimal separator is decided once per column from the evidence (cells whose shape proves a
    decimal comma — ``99,5``, ``1.234,56``, ``1.234.567`` — against those proving a decimal point); a cell
    that contradicts the decision (``1234.56`` in a decimal-comma column, ``$1,234.56`` among
    ``1.234,56``) is not reinterpreted but left out and reported (note ``decimal_conflict``). Values
    beyond ±:data:`MAX_AMOUNT` (``1e300``) are left out (``amount_out_of_range``); Excel error values
    (``#N/A``) and formulas without a value are counted (``excel_errors``, ``formula_cells``)."""
    res = _parse_numbers(s)
    x = res.values.to_numpy(dtype="float64")
    huge = ~np.isnan(x) & ~(np.abs(x) <= MAX_AMOUNT)
    if huge.any():
        x = np.where(huge, np.nan, x)
        res.values = pd.Series(x)
        res.bad = res.bad & ~huge
        res.notes.append(Note("amount_out_of_range", huge, _Cells(s), {"limit": f"{MAX_AMOUNT:.0e}"}))
    return res


def _parse_numbers(s: pd.Series) -> NumberParse:
    n = len(s)
    if pd.api.types.is_bool_dtype(s.dtype):
        s = s.astype(object)
    if pd.api.types.is_numeric_dtype(s.dtype):
        return NumberParse(pd.to_numeric(s, errors="coerce").astype("float64").reset_index(drop=True),
                           np.zeros(n, bool), None)
    if pd.api.types.is_object_dtype(s.dtype):
        isnum = s.map(lambda v: isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool))
        if isnum.all():
            return NumberParse(pd.to_numeric(s, errors="coerce").astype("float64").reset_index(drop=True),
                               np.zeros(n, bool), None)
        if isnum.any():
            out = np.full(n, np.nan)
            out[isnum.to_numpy()] = pd.to_numeric(s[isnum], errors="coerce").to_numpy(dtype="float64")
            rest = _parse_numbers(s[~isnum].astype(object).reset_index(drop=True))
            out[~isnum.to_numpy()] = rest.values.to_numpy()
            bad = np.zeros(n, bool)
            bad[~isnum.to_numpy()] = rest.bad
            cur = None
            if rest.currency is not None:
                cur = pd.Series([None] * n, dtype=object)
                cur[~isnum.to_numpy()] = rest.currency.to_numpy()
            notes = []
            for note in rest.notes:  # back to the whole column's rows
                mask = np.zeros(n, bool)
                mask[~isnum.to_numpy()] = note.mask
                notes.append(Note(note.code, mask, _Cells(s), note.params))
            return NumberParse(pd.Series(out), bad, cur, rest.decimal, rest.example, notes)
    arr = to_arrow(s)
    txt, empty = stripped(arr)
    null = pa.scalar(None, pa.string())
    def all_match(pattern: str) -> bool:
        """Does every non-empty cell match? Tried on the first cells before the whole column."""
        head = txt.slice(0, 2000)
        if not pc.all(pc.or_(pc.match_substring_regex(head, pattern), pc.equal(head, ""))).as_py():
            return False
        hit = in_halves(lambda a: pc.match_substring_regex(a, pattern), txt).to_numpy(zero_copy_only=False)
        return bool((hit | empty).all())

    if all_match(_CLEAN_NUMBER):
        vals = pc.cast(pc.if_else(pa.array(empty), null, txt), pa.float64())
        return NumberParse(pd.Series(vals.to_numpy(zero_copy_only=False)), np.zeros(n, bool), None)
    # plain decimal comma with one or two decimals ("73160,82", "-5,5"): unambiguous
    if all_match(r"^-?\d+(,\d{1,2})?$"):
        vals = pc.cast(pc.if_else(pa.array(empty), null, pc.replace_substring(txt, ",", ".")), pa.float64())
        return NumberParse(pd.Series(vals.to_numpy(zero_copy_only=False)), np.zeros(n, bool), None, ",")

    def mask(a: pa.Array) -> np.ndarray:
        return pc.fill_null(a, False).to_numpy(zero_copy_only=False)

    sci = mask(pc.match_substring_regex(txt, _SCIENTIFIC))
    errors = mask(pc.is_in(txt, value_set=_ERRORS_SET))
    formulas = mask(pc.starts_with(txt, "="))
    currency = None
    has_other = pc.match_substring_regex(txt, r"[^0-9.,\s\-+()'’" + "\u00a0\u2009\u202f" + "]").to_numpy(zero_copy_only=False)
    if has_other.any():
        cur = pc.extract_regex(txt, "(?i)(?P<c>" + vocab.CURRENCY_PATTERN + ")")
        codes = pd.Series(cur.field("c").to_numpy(zero_copy_only=False)).where(
            cur.is_valid().to_numpy(zero_copy_only=False) & ~sci, None)
        if codes.notna().any():
            currency = _map_unique(codes, lambda c: normalize_currency(c))
        txt = pc.replace_substring_regex(txt, vocab.CURRENCY_IN_CELL.pattern, "")
    body = pc.replace_substring_regex(txt, r"[^0-9.,\-()]", "")
    neg = pc.or_(pc.or_(pc.starts_with(body, "-"), pc.starts_with(body, "(")), pc.ends_with(body, "-"))
    body = pc.replace_substring_regex(body, r"[\-()]", "")

    # the column's decimal separator, from the cells whose shape proves one
    has_comma = mask(pc.match_substring(body, ","))
    has_dot = mask(pc.match_substring(body, "."))
    both = has_comma & has_dot
    comma_last = mask(pc.match_substring_regex(body, r",\d*$"))
    multi_comma = mask(pc.match_substring_regex(body, r",.*,"))
    multi_dot = mask(pc.match_substring_regex(body, r"\..*\."))
    group_comma = mask(pc.match_substring_regex(body, r"^\d{1,3}(,\d{3})+$"))
    group_dot = mask(pc.match_substring_regex(body, r"^\d{1,3}(\.\d{3})+$"))
    only_comma, only_dot = has_comma & ~has_dot, has_dot & ~has_comma
    proves_comma = ((both & comma_last) | (only_comma & ~group_comma & ~multi_comma)
                    | (only_dot & multi_dot & group_dot)) & ~sci
    proves_dot = ((both & ~comma_last) | (only_dot & ~group_dot & ~multi_dot)
                  | (only_comma & multi_comma & group_comma)) & ~sci
    n_comma, n_dot = int(proves_comma.sum()), int(proves_dot.sum())
    decimal = "," if n_comma and n_comma >= n_dot else "."
    shaped = pc.match_substring_regex(body, _COMMA_DECIMAL_OK if decimal == "," else _DOT_DECIMAL_OK)
    conflict = ~mask(shaped) & (has_comma | has_dot) & ~sci & ~empty
    if decimal == ",":
        body = pc.replace_substring(body, ".", "")
        body = pc.replace_substring(body, ",", ".")
    else:
        body = pc.replace_substring(body, ",", "")
    valid = pc.match_substring_regex(body, r"^(\d+\.?\d*|\.\d+)$")
    vals = pc.cast(pc.if_else(valid, body, pa.scalar(None, pa.string())), pa.float64())
    out = vals.to_numpy(zero_copy_only=False)
    out = np.where(neg.to_numpy(zero_copy_only=False), -out, out)
    out = np.where(conflict | errors | formulas, np.nan, out)
    if sci.any():  # 1.5E+06 → 1500000 (read as written, not stripped to its digits)
        rows = np.flatnonzero(sci)
        out[rows] = pc.cast(stripped(arr)[0].take(pa.array(rows)), pa.float64()).to_numpy(zero_copy_only=False)
    bad = np.isnan(out) & ~empty & ~conflict & ~errors & ~formulas
    example = to_arrow(s)[int(np.flatnonzero(bad)[0])].as_py() if bad.any() else None
    notes = _notes(arr, ("decimal_conflict", conflict, {"decimal": decimal}), ("excel_errors", errors, {}),
                   ("formula_cells", formulas, {}))
    return NumberParse(pd.Series(out.astype("float64")), bad, currency, decimal, example, notes)


def looks_like_numbers(s: pd.Series, threshold: float = 0.8) -> bool:
    sample = s.iloc[_sample_idx(len(s), 300)].reset_index(drop=True)
    res = parse_numbers(sample)
    filled = res.values.notna().sum()
    total = filled + res.bad.sum()
    return total == 0 or filled / total >= threshold


def normalize_currency(v: object) -> str | None:
    """'₴' / 'грн.' / 'Гривна' / 'uah' → 'UAH'; unknown 3-letter codes kept upper-cased."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    t = norm_value(v) if str(v).strip() not in ("$", "₴", "€", "₽", "£") else str(v).strip()
    if not t:
        return None
    if t in vocab.CURRENCY_WORDS:
        return vocab.CURRENCY_WORDS[t]
    t2 = t.rstrip(".")
    if t2 in vocab.CURRENCY_WORDS:
        return vocab.CURRENCY_WORDS[t2]
    if re.fullmatch(r"[a-z]{3}", t):
        return t.upper()
    for word, code in vocab.CURRENCY_WORDS.items():
        if len(word) > 3 and t.startswith(word):
            return code
    return str(v).strip()


def currencies(s: pd.Series) -> pd.Series:
    return _map_unique(s, normalize_currency)


# --------------------------------------------------------------------------------------------------
# Stages, statuses, yes/no, activity types
# --------------------------------------------------------------------------------------------------
_WON = {norm_value(x) for x in vocab.WON_STAGES}
_LOST = {norm_value(x) for x in vocab.LOST_STAGES}
_OPEN = {norm_value(x) for x in vocab.OPEN_STAGES}
_DELETED = {norm_value(x) for x in vocab.DELETED_STATUSES}


def classify_stage(value: object, user: dict[str, str] | None = None) -> str | None:
    """won / lost / open / deleted for a stage or status name; None if unknown."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    t = norm_value(value)
    if not t:
        return None
    if user and t in user:
        return user[t]
    if t in _WON:
        return "won"
    if t in _LOST:
        return "lost"
    if t in _OPEN:
        return "open"
    if t in _DELETED:
        return "deleted"
    if vocab.LOST_KEYWORDS.search(t):
        return "lost"
    if vocab.WON_KEYWORDS.search(t):
        return "won"
    return None


def classify_stages(s: pd.Series, user: dict[str, str] | None = None) -> pd.Series:
    """Column-wise :func:`classify_stage` (on distinct values); unknown/empty → None."""
    return _map_unique(s, lambda v: classify_stage(v, user))


_YES = {norm_value(x) for x in vocab.YES_WORDS}
_NO = {norm_value(x) for x in vocab.NO_WORDS}


def yes_no(value: object) -> bool | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return bool(value)
    t = norm_value(value)
    if t in _YES or str(value).strip() in vocab.YES_WORDS:
        return True
    if t in _NO or str(value).strip() in vocab.NO_WORDS:
        return False
    return None


def parse_yes_no(s: pd.Series) -> pd.Series:
    """True / False / None per cell (None for empty or unknown words)."""
    return _map_unique(s, yes_no)


def yes_no_flags(s: pd.Series, missing: bool) -> np.ndarray:
    """Booleans per cell: yes → True, no → False, empty or unknown words → ``missing``."""
    def flag(v: object) -> bool:
        got = yes_no(v)
        return missing if got is None else got
    return _map_unique(s, flag, fill=missing, dtype=bool).to_numpy()


def looks_like_yes_no(s: pd.Series, threshold: float = 0.9) -> bool:
    sample = s.iloc[_sample_idx(len(s), 300)]
    txt = sample.astype(object).where(sample.notna(), None)
    filled = txt.map(lambda v: v is not None and str(v).strip() != "")
    if not filled.any():
        return True
    got = parse_yes_no(txt[filled])
    return got.notna().mean() >= threshold


def activity_type(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "other"
    t = norm_value(value)
    if t in ("call", "meeting", "email", "task", "other"):
        return t
    for prefix, kind in vocab.ACTIVITY_TYPE_WORDS:
        if prefix in t:
            return kind
    return "other"


def activity_types(s: pd.Series) -> pd.Series:
    return _map_unique(s, activity_type, fill="other")


# --------------------------------------------------------------------------------------------------
# Months (plan headers and plan month cells)
# --------------------------------------------------------------------------------------------------
_PLAN_WORDS = re.compile(r"(?i)\b(plan|план|target|quota|goal|цель|ціль|month|месяц|місяць|на)\b[:\s\-]*")


def month_of(value: object) -> str | None:
    """'YYYY-MM' for a month header or cell: 2025-01, 2025/1, 01.2025, 1/2025, Jan 2025, January 2025,
    Январь 2025, янв. 2025, Січень 2025, Jan-25, a real date, or an ISO date; None otherwise."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (_dt.datetime, _dt.date, pd.Timestamp)):
        return f"{value.year:04d}-{value.month:02d}"
    t = str(value).strip().lower().replace("ё", "е")
    t = _PLAN_WORDS.sub(" ", t).strip(" .,:;()")
    t = re.sub(r"\s+г\.?$|\s+р\.?$|\s+year$", "", t).strip()
    m = re.fullmatch(r"(\d{4})[-./ ](\d{1,2})(?:[-./ ]\d{1,2})?(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?", t)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"(\d{1,2})[-./ ](\d{4})", t)
        if m:
            mo, y = int(m.group(1)), int(m.group(2))
        else:
            m = re.fullmatch(r"([^\W\d_]+)\.?[\s\-'’/,]*(\d{4}|\d{2})", t) or None
            if m:
                mon, yy = m.group(1), m.group(2)
            else:
                m = re.fullmatch(r"(\d{4})[\s\-/,]*([^\W\d_]+)\.?", t)
                if not m:
                    return None
                yy, mon = m.group(1), m.group(2)
            mo_f = _month_number(mon)
            if np.isnan(mo_f) or len(mon) < 3:
                return None
            mo, y = int(mo_f), int(yy)
            if y < 100:
                y += 2000
    if not (1 <= mo <= 12 and 1900 <= y <= 2200):
        return None
    return f"{y:04d}-{mo:02d}"


def parse_months(s: pd.Series) -> pd.Series:
    return _map_unique(s, month_of)


# --------------------------------------------------------------------------------------------------
# English templates of the notes above (the importer's warnings; "warn.<code>" in ui/locale/*.po)
# --------------------------------------------------------------------------------------------------
NOTE_TEMPLATES: dict[str, str] = {
    "date_markers": "{file}: {count} cell(s) of date column '{column}' say there is no date (e.g. {example!r}); "
                    "read as empty dates",
    "impossible_dates": "{file}: {count} value(s) in column '{column}' are dates that do not exist "
                        "(e.g. {example!r}); their rows were left out",
    "far_future_dates": "{file}: {count} date(s) in column '{column}' lie far in the future (after {after}, "
                        "e.g. {example!r}); kept, but they do not move the default period",
    "decimal_conflict": "{file}: column '{column}' uses '{decimal}' as its decimal separator, but {count} "
                        "value(s) contradict it (e.g. {example!r}); they were left out (amount 0), not guessed",
    "amount_out_of_range": "{file}: {count} value(s) in column '{column}' are beyond ±{limit} (e.g. {example!r}); "
                           "left out (amount 0)",
    "excel_errors": "{file}: {count} cell(s) in column '{column}' hold an Excel error value (e.g. {example!r}); "
                    "left out (amount 0)",
    "formula_cells": "{file}: {count} cell(s) in column '{column}' are formulas without a saved value "
                     "(e.g. {example!r}); they were left out (amount 0) — open the file in Excel, save it and "
                     "upload it again",
    "conflicting_rows": "{file}: {count} deal id(s) appear with different managers (e.g. deal {deal}: {managers}); "
                        "their {rows} row(s) were left out — one id cannot be two people's deal",
    "mixed_encoding": "{file}: {count} line(s) were not UTF-8 like the rest of the file and were read as "
                      "{encoding} (the first is line {line}); check the names in them",
    "blank_managers": "{file}: {count} row(s) have no manager (empty, only spaces or {example!r}); they were "
                      "left out of every total",
}
#: manager cells that are not a name: Excel errors and "no value" words (counted as blank managers)
NO_MANAGER = frozenset({*EXCEL_ERRORS, "n/a", "na", "none", "null", "nan", "-", "—", "–", "#н/д", "(blank)",
                        "(пусто)", "не назначен", "не призначено"})
_NO_MANAGER_SET = pa.array(sorted({v for m in NO_MANAGER for v in (m, m.upper(), m.title(), m.capitalize())}),
                           type=pa.string())


def no_manager(arr: pa.Array) -> np.ndarray:
    """Cells of a (trimmed, empty → null) manager column that name nobody: empty or only spaces, an Excel
    error (``#N/A``), a formula without a value (``=VLOOKUP(…)``) or a "no value" word (:data:`NO_MANAGER`)."""
    hit = pc.or_kleene(arr.is_null(), pc.is_in(arr, value_set=_NO_MANAGER_SET))
    hit = pc.or_kleene(hit, pc.starts_with(arr, "="))  # a formula without a saved value (XLSX)
    return pc.fill_null(hit, True).to_numpy(zero_copy_only=False)


def report_notes(notes: list[Note], keep: np.ndarray | None, warn, **params) -> None:
    """``warn(code, count=…, example=…, **params)`` for every note that concerns a kept row."""
    for note in notes:
        got = note.params_for(keep)
        if got is not None:
            warn(note.code, **params, **got)
