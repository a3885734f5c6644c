"""Checks and repairs around the raw reading (:mod:`.reading`), kept apart from it:

* limits checked *before* parsing (:mod:`metrics.limits`): a CSV's columns / rows / cells counted over the
  bytes, an XLSX's declared sizes (total unpacked, packing ratio, each sheet's ``<dimension ref>``), an
  HTML table's nesting, spans and implied cells;
* an unbalanced quote found from the quotes' parity and refused naming its line;
* XLSX formula cells without a saved value turned into their formula's text, so that the column's reading
  reports them instead of taking them as empty;
* a file mixing UTF-8 and cp1251 lines decoded line by line, the repaired lines counted.
"""
from __future__ import annotations

import html
import io
import re
import zipfile

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import limits as _limits
from ..errors import DataError

DELIMITERS = [";", ",", "\t", "|"]


# --------------------------------------------------------------------------------------------------
# Limits checked before parsing (metrics/limits.py)
# --------------------------------------------------------------------------------------------------

def check_shape(name: str, rows: int, cols: int, lim: _limits.Limits) -> None:
    if cols > lim.max_columns:
        raise DataError("too_many_columns", file=name, value=cols, detail=f"{lim.max_columns:,}")
    if rows > lim.max_rows:
        raise DataError("too_many_rows", file=name, value=rows, detail=f"{lim.max_rows:,}")
    if rows * cols > lim.max_cells:
        raise DataError("too_many_cells", file=name, value=rows * cols, detail=f"{lim.max_cells:,}")


def check_csv(name: str, data: bytes, lim: _limits.Limits) -> int:
    """Columns from the first line's delimiters (an upper bound: a quoted delimiter counts too), rows
    from the line breaks — counted in C over the bytes, before any parsing. Returns the number of double
    quotes (counted in the same pass: :func:`check_quotes` takes it when it reads these very bytes)."""
    end = data.find(b"\n", 0, 256 << 20)
    first = data[: end if end >= 0 else 256 << 20]
    if first.lstrip(b"\xef\xbb\xbf\"").lower().startswith(b"sep="):  # a "sep=;" hint line: the header is next
        nxt = data.find(b"\n", end + 1, end + 1 + (256 << 20))
        first = data[end + 1: nxt if nxt >= 0 else end + 1 + (256 << 20)]
    cols = max(first.count(d.encode()) for d in DELIMITERS) + 1
    breaks, quotes = count_bytes(data, (10, 34))
    check_shape(name, breaks + 1, cols, lim)
    return quotes


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?\"")


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def check_xlsx(name: str, data: bytes, lim: _limits.Limits) -> None:
    """The container's declared sizes (no part is unpacked): the total unpacked size, each large part's
    packing ratio (a zip bomb), and each sheet's declared dimension (``<dimension ref="A1:XFD1048576"/>``:
    a grid the reader would allocate), from the first bytes of the sheet only."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception as exc:  # noqa: BLE001 - BadZipFile, a truncated directory: a damaged container
        raise DataError("truncated_xlsx", file=name, detail=f"{type(exc).__name__}: {exc}"[:120]) from exc
    total = sum(i.file_size for i in infos)
    if total > lim.max_unpacked_bytes:
        raise DataError("archive_too_large", file=name, value=_limits.size_text(total),
                        detail=_limits.size_text(lim.max_unpacked_bytes))
    for i in infos:
        if i.file_size >= lim.ratio_min_bytes and i.file_size > lim.max_ratio * max(i.compress_size, 1):
            raise DataError("archive_ratio", file=name, column=i.filename,
                            value=f"{i.file_size / max(i.compress_size, 1):,.0f}", detail=f"{lim.max_ratio:,.0f}")
    for i in infos:
        if not re.match(r"xl/worksheets/[^/]+\.xml$", i.filename):
            continue
        try:
            with zf.open(i) as fh:
                head = fh.read(1 << 16)
        except Exception:  # noqa: BLE001 - the worker reports a damaged part
            continue
        m = _DIMENSION.search(head)
        if not m or not m.group(3):
            continue
        c0, r0 = column_number((m.group(1) or b"A").decode()), int(m.group(2) or 1)
        rows, cols = int(m.group(4)) - r0 + 1, column_number(m.group(3).decode()) - c0 + 1
        if cols > lim.max_columns or rows > lim.max_rows or rows * cols > lim.max_cells:
            ref = m.group(0).split(b'"')[1].decode()
            raise DataError("sheet_too_large", file=name, column=ref, value=f"{rows:,} × {cols:,}",
                            detail=f"{lim.max_rows:,} rows, {lim.max_columns:,} columns, {lim.max_cells:,} cells")


_SPAN = re.compile(r"(?i)\b(col|row)span\s*=\s*[\"']?\s*(\d+)")
_TABLE = re.compile(r"(?i)<(/?)table\b")


def table_tags(text: str, low: str):
    """The matches of ``<table`` / ``</table`` (any case) in order, as ``_TABLE.finditer(text)`` gives them.
    When lower-casing keeps every character's position (nearly always), the candidates are found by
    ``str.find`` in the lower-cased text (the letters of "table" have no other case-insensitive matches)
    and each is confirmed by the pattern itself at that position; else the pattern scans the text."""
    if len(low) != len(text):
        yield from _TABLE.finditer(text)
        return
    starts = []
    for tag in ("<table", "</table"):
        at = low.find(tag)
        while at >= 0:
            starts.append(at)
            at = low.find(tag, at + 1)
    for at in sorted(starts):
        m = _TABLE.match(text, at)
        if m:
            yield m


def check_html(name: str, text: str, lim: _limits.Limits) -> None:
    """Nesting of tables, the largest colspan / rowspan, and the rows and cells the spans imply."""
    low = text.lower()
    depth = top = 0
    for m in table_tags(text, low):
        depth = max(0, depth - 1) if m.group(1) else depth + 1
        top = max(top, depth)
        if top > lim.max_html_depth:
            raise DataError("html_too_complex", file=name, column="nesting", value=top,
                            detail=f"{lim.max_html_depth:,}")
    extra = 0
    # every span attribute holds "pan" in some case (p, a and n match only themselves, ignoring case)
    for m in (_SPAN.finditer(text) if "pan" in low else ()):
        span = int(m.group(2)[:12])
        if span > lim.max_span:
            raise DataError("html_too_complex", file=name, column=f"{m.group(1).lower()}span", value=span,
                            detail=f"{lim.max_span:,}")
        extra += span - 1
    cells = low.count("<td") + low.count("<th") + extra
    rows = low.count("<tr")
    if rows > lim.max_rows:
        raise DataError("too_many_rows", file=name, value=rows, detail=f"{lim.max_rows:,}")
    if cells > lim.max_cells:
        raise DataError("too_many_cells", file=name, value=cells, detail=f"{lim.max_cells:,}")



def count_byte(data, byte: int) -> int:
    """How often ``byte`` occurs in a bytes-like object: numpy over 4 MB slices (~0.05 s for 300 MB; one
    comparison over the whole buffer would page in a 300 MB temporary, and ``bytes.count`` is 4× slower)."""
    a = np.frombuffer(data, dtype=np.uint8)
    step = 1 << 22
    return int(sum(np.count_nonzero(a[i:i + step] == byte) for i in range(0, len(a), step)))


def count_bytes(data, wanted: tuple[int, ...]) -> tuple[int, ...]:
    """How often each byte of ``wanted`` occurs, in one pass: numpy over 256 KB slices, each compared
    with every byte while it is in the cache (~0.075 s for line breaks + quotes of 343 MB, against
    2 × 0.065 s for two :func:`count_byte` passes)."""
    a = np.frombuffer(data, dtype=np.uint8)
    step = 1 << 18
    out = [0] * len(wanted)
    for i in range(0, len(a), step):
        part = a[i:i + step]
        for j, b in enumerate(wanted):
            out[j] += int(np.count_nonzero(part == b))
    return tuple(out)


def check_quotes(name: str, payload: pa.Buffer, quotes: int | None = None) -> None:
    """An opening quote that is never closed makes the rest of the file one value ("a header but no data
    rows"): found from the quotes' parity per line (numpy over the bytes; only when the file holds an odd
    number of quotes) and refused naming its line, when it opens a field (a quote inside an unquoted
    value, as in ``5" screen``, is read literally and is fine). ``quotes``: the number of double quotes in
    ``payload`` when already counted (:func:`check_csv` over the same bytes), else counted here."""
    if (count_byte(payload, 34) if quotes is None else quotes) % 2 == 0:  # the usual case ends here
        return
    buf = np.frombuffer(payload, dtype=np.uint8)
    quotes = np.flatnonzero(buf == 34)
    breaks = np.flatnonzero(buf == 10)
    line_of = np.searchsorted(breaks, quotes)              # 0-based line of every quote
    odd = np.flatnonzero(np.bincount(line_of) % 2)          # lines with an odd number of quotes
    # one such line: its last quote is the stray one; several (values spanning lines, too): the last quote
    at = int(np.flatnonzero(line_of == odd[0])[-1]) if len(odd) == 1 else len(quotes) - 1
    pos = int(quotes[at])
    line = int(line_of[at])
    start = int(breaks[line - 1]) + 1 if line > 0 else 0
    before = bytes(buf[max(start, pos - 1):pos])
    if pos != start and before not in (b",", b";", b"\t", b"|", b" "):
        return
    end = int(breaks[line]) if line < len(breaks) else len(buf)
    text = bytes(buf[start:end]).decode("utf-8", "replace").strip()
    raise DataError("unbalanced_quote", file=name, row=line + 1, value=text[:80])



_FORMULA_NO_VALUE = re.compile(
    rb'<c r="([A-Z]{1,3})(\d+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)\s*(?:<v>\s*</v>|<v\s*/>)?\s*</c>')


def sheet_parts(data: bytes) -> dict[str, str]:
    """Sheet name → its part in the container (xl/workbook.xml and its relationships)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            book = zf.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile):
        return {}
    targets = {m.group(1): m.group(2) for m in re.finditer(
        r'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in re.finditer(
        r'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    out = {}
    for m in re.finditer(r'<(?:\w+:)?sheet\b([^>]*)/?>', book):
        attrs = dict(re.findall(r'([\w:]+)="([^"]*)"', m.group(1)))
        rid = next((v for k, v in attrs.items() if k.endswith(":id")), None)
        if "name" in attrs and rid in targets:
            t = targets[rid].lstrip("/")
            out[html.unescape(attrs["name"])] = t if t.startswith("xl/") else "xl/" + t
    return out


def mark_formulas(data: bytes, part: str | None, sheet: pd.DataFrame) -> None:
    """Formula cells without a saved value (a file written by a program, never opened in Excel) read as
    empty; they become the formula's text ("=B2*C2") so that the column's reading reports them
    (``formula_cells``) instead of taking an amount of 0. In place."""
    if part is None:
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            xml = zf.read(part)
    except (KeyError, zipfile.BadZipFile):
        return
    if b"<f" not in xml:
        return
    for m in _FORMULA_NO_VALUE.finditer(xml):
        r, c = int(m.group(2)) - 1, column_number(m.group(1).decode()) - 1
        if r < sheet.shape[0] and c < sheet.shape[1] and pd.isna(sheet.iat[r, c]):
            text = html.unescape((m.group(3) or b"").decode("utf-8", "replace")) or "(shared formula)"
            sheet.iat[r, c] = "=" + text


# --------------------------------------------------------------------------------------------------
# Mixed encodings
# --------------------------------------------------------------------------------------------------

def decode_mixed(data: bytes, enc: str) -> tuple[str, str, tuple[int, int, str]] | None:
    """A file whose lines are partly UTF-8, partly cp1251/cp1252 (two exports pasted together): each line
    is decoded on its own — UTF-8 when it is valid UTF-8, else the single-byte encoding of the failing
    lines — and the repaired lines are counted. None when no line holds valid multi-byte UTF-8 (then
    the file is simply single-byte)."""
    lines = data.split(b"\n")
    text: list[str | None] = []
    bad: list[int] = []
    utf8_high = 0
    for i, line in enumerate(lines):
        try:
            s = line.decode(enc if i == 0 else "utf-8")
            text.append(s)
            if not s.isascii():
                utf8_high += 1
        except UnicodeDecodeError:
            text.append(None)
            bad.append(i)
    if not utf8_high or not bad:
        return None
    single = single_byte_encoding(b"\n".join(lines[i] for i in bad[:2000]))
    for i in bad:
        text[i] = lines[i].decode(single, errors="replace")
    return "\n".join(text).lstrip("\ufeff"), "utf-8", (len(bad), bad[0] + 1, single)


def single_byte_encoding(data: bytes) -> str:
    """cp1251 when high bytes come in runs (Cyrillic words), cp1252 when isolated (accented Latin)."""
    sample = np.frombuffer(data[:200000], dtype=np.uint8)
    high = sample >= 0xC0
    if not high.any():
        return "cp1251"
    runs = high[1:] & high[:-1]
    return "cp1251" if runs.sum() >= 0.4 * high.sum() else "cp1252"
