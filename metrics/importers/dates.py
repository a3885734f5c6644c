"""Date columns: day-first or month-first decided once per column from the evidence, parsed vectorised
(pyarrow ``strptime`` for the dominant shape, RE2 regexes for the rest); "no date" markers, impossible
(rolled-over) and far-future dates are reported as notes."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import vocab
from .cells import Cells, cell_kinds, datetime_cells, in_halves, map_unique, sample_idx, stripped, to_arrow
from .notes import Note, make_notes
from ..frames import frame as text_frame

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
    frame = text_frame({"year": np.where(ok, y, 2000), "month": np.where(ok, mo, 1),
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


def month_number(token: str | None) -> float:
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
        mon = map_unique(pd.Series(st.field("mon").to_numpy(zero_copy_only=False)), month_number)
        mon = pd.to_numeric(mon, errors="coerce").to_numpy(dtype="float64")
        got = _assemble(_ints(st, "y"), mon, _ints(st, "d"), _ints(st, "H"), _ints(st, "M"),
                        _ints(st, "S"), _ampm(st))
        fill = np.isnat(out) & valid
        out[fill] = got[fill]
    return out


_TS_MIN = pa.scalar(_dt.datetime(1900, 1, 1), pa.timestamp("s"))
_TS_MAX = pa.scalar(_dt.datetime(2200, 12, 31), pa.timestamp("s"))


def _strptime(arr: pa.Array, fmt: str) -> np.ndarray:
    """Vectorised strptime with one explicit format; cells that do not match (or lie outside
    1900..2200) become NaT."""
    def part(a: pa.Array) -> pa.Array:  # (every kernel on one part per core: the range check and the cast too)
        got = pc.strptime(a, format=fmt, unit="s", error_is_null=True)
        in_range = pc.and_(pc.greater_equal(got, _TS_MIN), pc.less_equal(got, _TS_MAX))
        return pc.if_else(in_range, got, pa.scalar(None, pa.timestamp("s"))).cast(pa.timestamp("ns"))
    return in_halves(part, arr).to_numpy(zero_copy_only=False)


def parse_dates(s: pd.Series, *, order: str | None = None, default_order: str = DAY_FIRST,
                today: _dt.date | None = None, pre: tuple[pa.Array, np.ndarray] | None = None) -> DateParse:
    """Parse a date column. ``order`` forces DAY_FIRST/MONTH_FIRST for d/m/y dates; otherwise it is decided
    from the evidence (a first field above 12 ⇒ day-first, a second field above 12 ⇒ month-first), and
    falls back to ``default_order`` (``decided=False``).

    Never bent, always reported (``notes``): a "no date" text (:data:`NO_DATE_MARKERS`, e.g. «не закрыта»)
    is an empty date (``date_markers``); a date that does not exist (2025-02-30: a day beyond its month)
    is not rolled over into the next month but is not a date (``impossible_dates``; also in ``bad``); a
    date more than :data:`FAR_FUTURE_DAYS` days after ``today`` (default: the reading day) is kept and
    counted (``far_future_dates``). ``pre``: ``stripped(to_arrow(s))`` already computed, for an arrow
    string column (read as text)."""
    res = _parse_dates(s, order=order, default_order=default_order, pre=pre)
    vals = res.values.to_numpy(dtype="datetime64[ns]")
    after = (today or _dt.date.today()) + _dt.timedelta(days=FAR_FUTURE_DAYS)
    future = ~np.isnat(vals) & (vals > np.datetime64(after, "ns"))
    if future.any():
        res.notes.append(Note("far_future_dates", future, _cells(s), {"after": after.isoformat()}))
    return res


def _cells(s: pd.Series) -> "Cells":
    """The column's cells as text for a quoted example (lazy: only the example row is converted)."""
    return Cells(s)


def _parse_dates(s: pd.Series, *, order: str | None, default_order: str,
                 pre: tuple[pa.Array, np.ndarray] | None = None) -> DateParse:
    n = len(s)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        v = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        return DateParse(v.astype("datetime64[ns]").reset_index(drop=True), EXCEL_DATE, True, np.zeros(n, bool))
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return _serial(pd.to_numeric(s, errors="coerce").to_numpy(dtype="float64"), s)
    if pd.api.types.is_object_dtype(s.dtype):
        kinds = pd.Series(cell_kinds(s), index=s.index)
        if (kinds != "s").any():
            out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
            bad = np.zeros(n, bool)
            fmt, decided, example, dotted = None, True, None, False
            d = (kinds == "d").to_numpy()
            if d.any():
                out[d] = datetime_cells(s[d])
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
                    notes.append(Note(note.code, mask, Cells(s), note.params))
            return DateParse(pd.Series(out), fmt, decided, bad, example, dotted, notes)
    if pre is not None and isinstance(s.dtype, pd.ArrowDtype):
        return _parse_text_dates(to_arrow(s), order=order, default_order=default_order, pre=pre)
    return _parse_text_dates(to_arrow(s), order=order, default_order=default_order)


def _serial(x: np.ndarray, original: pd.Series) -> DateParse:
    ok = np.isfinite(x) & (x >= 1) & (x < 2958466)
    days = np.where(ok, x, 0.0)
    out = _EXCEL_EPOCH + (days * 86400.0).round().astype("int64").astype("timedelta64[s]").astype("timedelta64[ns]")
    out = np.where(ok, out, np.datetime64("NaT"))
    bad = np.isfinite(x) & ~ok
    example = str(original.iloc[int(np.flatnonzero(bad)[0])]) if bad.any() else None
    return DateParse(pd.Series(out.astype("datetime64[ns]")), EXCEL_SERIAL, True, bad, example)


def _parse_text_dates(arr: pa.Array, *, order: str | None, default_order: str,
                      pre: tuple[pa.Array, np.ndarray] | None = None) -> DateParse:
    n = len(arr)
    txt, empty = pre if pre is not None else stripped(arr)
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
    sample = txt.take(pa.array(idx[sample_idx(len(idx))]))
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
    notes = make_notes(arr, ("date_markers", markers, {}), ("impossible_dates", impossible, {}))
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
    day = in_halves(lambda t: pc.fill_null(pc.day(t), 0), ts).to_numpy(zero_copy_only=False)
    low = np.flatnonzero((day >= 1) & (day <= 3))  # the month only of these (a tenth of the rows)
    mon = pc.fill_null(pc.month(ts.take(pa.array(low))), 0).to_numpy(zero_copy_only=False)
    dl = day[low]
    # Feb 29–31 → Mar 1–3; Apr/Jun/Sep/Nov 31 → May/Jul/Oct/Dec 1
    rows = low[((mon == 3) & (dl <= 3)) | (((mon == 5) | (mon == 7) | (mon == 10) | (mon == 12)) & (dl == 1))]
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
    sample = s.iloc[sample_idx(len(s), 300)]
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
