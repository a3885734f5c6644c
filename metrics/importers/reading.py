"""Bytes → raw table: file type, encoding, delimiter, header row; no interpretation of the values.

* Refuses early and clearly: empty files, files above ``max_bytes``, images and other binary files
  (by magic number and by the share of control characters), legacy binary ``.xls``, corrupt XLSX.
* Text: UTF-8 with or without BOM, UTF-16 (BOM or NUL pattern), else cp1251 (Cyrillic byte pattern)
  or cp1252. HTML tables (Bitrix24 "Excel" export ``.xls``) are parsed with the stdlib ``html.parser``.
* CSV: delimiter ``;`` ``,`` tab or ``|`` sniffed from the header line (quote-aware), preamble lines
  above the header skipped, ``sep=;`` hint honoured, quoted values and quoted newlines, a trailing
  delimiter on every line (the empty last column is dropped). Parsed by ``pyarrow.csv`` as strings
  (multi-threaded); rows of the wrong width (footers such as "Grand Totals") are set aside; a file with
  many ragged rows falls back to the pandas C parser, which pads short rows.
* XLSX via openpyxl: real date cells stay datetimes, numbers stay numbers.

The result keeps every column as text (``ArrowDtype(string)``) for CSV/HTML, or as native cells for XLSX.
"""
from __future__ import annotations

import csv
import datetime as _dt
import html
import io
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from .. import limits as _limits
from .. import sandbox
from ..errors import DataError
from ..memory import release_memory
from . import guards
from .values import pool

_MAGIC: list[tuple[bytes, str]] = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"%PDF", "a PDF document"), (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "an executable"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"OggS", "an audio file"), (b"ID3", "an MP3 file"), (b"fLaC", "an audio file"),
    (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ\x00", "an xz archive"), (b"SQLite format 3", "a database file"),
]
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DELIMITERS = guards.DELIMITERS


@dataclass
class RawTable:
    frame: pd.DataFrame            # one column per header (unique names), text or native cells
    headers: list[str]
    encoding: str                  # "utf-8-sig", "utf-8", "cp1251", "utf-16", ... or "xlsx"
    delimiter: str                 # "" for XLSX / HTML
    fmt: str                       # "csv" | "xlsx" | "html"
    malformed: list[str] = field(default_factory=list)  # lines skipped for having the wrong width
    header_row: int = 0
    notes: list[tuple[str, dict]] = field(default_factory=list)  # (warning code, params): repaired lines, ...


def read_raw(name: str, data: bytes, *, max_bytes: int | None = None) -> RawTable:
    """Detect the file type and read it into a :class:`RawTable`. Raises :class:`DataError`."""
    if data is None:
        raise DataError("empty_file", file=name)
    if max_bytes is not None and len(data) > max_bytes:
        raise DataError("too_large", file=name, value=len(data), detail=f"{len(data):,} > {max_bytes:,} bytes")
    blank = b" \t\r\n\x00\xef\xbb\xbf\xfe\xff"
    if not data[:65536].strip(blank) and not data.strip(blank):
        raise DataError("empty_file", file=name)
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DataError("binary_file", file=name, detail=what)
    if data[4:12] in (b"ftypheic", b"ftypmif1", b"ftypavif") or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        raise DataError("binary_file", file=name, detail="an image")
    if data.startswith(_OLE2):
        raise DataError("unsupported_type", file=name,
                        detail="a legacy binary Excel/Office file; save it as .xlsx or CSV")
    lim = _limits.current()
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        guards.check_xlsx(name, data, lim)
        return sandbox.run(_read_xlsx, name, data, name=name, seconds=lim.parse_seconds,
                           memory=lim.parse_memory_bytes)
    if name.lower().endswith((".xlsx", ".xlsm")) and not _looks_like_text(data[:4096]):
        raise DataError("truncated_xlsx", file=name, detail="not a ZIP container")
    head, encoding = _decode_head(name, data)
    low = head.lstrip("\ufeff \t\r\n").lower()
    if low.startswith(("<!doctype html", "<html", "<meta", "<table", "<?xml")) or "<table" in low[:2048]:
        text, encoding, _ = _decode_all(name, data, encoding)
        if "<table" in text.lower():
            guards.check_html(name, text, lim)
            return sandbox.run(_read_html, name, data, text, encoding, name=name, seconds=lim.parse_seconds,
                               memory=lim.parse_memory_bytes)
    quotes = guards.check_csv(name, data, lim)
    return _read_csv(name, head, data, encoding, quotes)


# --------------------------------------------------------------------------------------------------
# Text decoding
# --------------------------------------------------------------------------------------------------

def _looks_like_text(chunk: bytes) -> bool:
    if not chunk:
        return True
    ctrl = sum(1 for b in chunk if b < 32 and b not in (9, 10, 12, 13))
    return ctrl / len(chunk) < 0.02


def _decode_head(name: str, data: bytes) -> tuple[str, str]:
    """(decoded first ~64 KB, encoding). The rest is decoded lazily (UTF-8 is validated by the parser)."""
    if data.startswith(b"\xef\xbb\xbf"):
        enc = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    else:
        head = data[:4000]
        nul = head.count(b"\x00")
        if nul > len(head) * 0.2:
            odd = head[1::2].count(b"\x00")
            even = head[0::2].count(b"\x00")
            if odd > 0.8 * nul:
                enc = "utf-16-le"
            elif even > 0.8 * nul:
                enc = "utf-16-be"
            else:
                raise DataError("binary_file", file=name, detail="a binary file (NUL bytes)")
        else:
            enc = "utf-8"
    chunk = data[:65536]
    if enc.startswith("utf-16"):
        chunk = chunk[: len(chunk) // 2 * 2]
    elif len(data) > len(chunk):  # do not cut a multi-byte UTF-8 character at the chunk boundary
        while chunk and chunk[-1] & 0xC0 == 0x80 and len(data) > len(chunk):
            chunk = chunk[:-1]
        if chunk and chunk[-1] >= 0xC0:
            chunk = chunk[:-1]
    text, enc = _decode_text(chunk, enc)
    sample = text[:20000]
    if not enc.startswith("utf-16") and sample.count("\x00") > max(2, 0.01 * len(sample)):
        raise DataError("binary_file", file=name, detail="a binary file (NUL bytes)")
    # random binary data decodes to ~11% control characters; real exports have next to none
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\x0c") or ch == "\ufffd")
    if sample and bad / len(sample) > 0.05:
        raise DataError("binary_file", file=name, detail="a binary file, not a text table")
    return text.lstrip("\ufeff"), enc


def _decode_all(name: str, data: bytes, enc: str) -> tuple[str, str, tuple[int, int, str] | None]:
    """The whole file as text, the encoding finally used, and (lines repaired, first such line, their
    encoding) when UTF-8 lines and single-byte lines are mixed (see :func:`guards.decode_mixed`)."""
    if enc.startswith("utf-8"):
        try:
            return data.decode(enc).lstrip("\ufeff"), enc, None
        except UnicodeDecodeError:
            mixed = guards.decode_mixed(data, enc)
            if mixed is not None:
                return mixed
    text, enc = _decode_text(data, enc)
    return text.lstrip("\ufeff"), enc, None


def _decode_text(data: bytes, enc: str) -> tuple[str, str]:
    """Decode; a UTF-8 file with a few broken bytes stays UTF-8 (broken bytes → U+FFFD), one with many
    becomes cp1251/cp1252. Single-byte and UTF-16 text never fails (undefined bytes → U+FFFD)."""
    if not enc.startswith("utf-8"):
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode(enc), enc
    except UnicodeDecodeError:
        pass
    mixed = guards.decode_mixed(data, enc)
    if mixed is not None:  # UTF-8 lines among single-byte ones: the file stays UTF-8, repaired per line
        return mixed[0], mixed[1]
    text = data.decode(enc, errors="replace")
    high = int(np.count_nonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80))
    broken = text.count("\ufffd")
    if enc == "utf-8-sig" or broken <= max(3, 0.01 * high):
        return text, enc
    single = guards.single_byte_encoding(data)
    return data.decode(single, errors="replace"), single


# --------------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------------

def clean_header(h: object) -> str:
    if h is None or (isinstance(h, float) and np.isnan(h)):
        return ""
    if isinstance(h, (_dt.datetime, _dt.date, pd.Timestamp)):
        if getattr(h, "day", 1) == 1 and getattr(h, "hour", 0) == 0 and getattr(h, "minute", 0) == 0:
            return f"{h.year:04d}-{h.month:02d}"
        return h.strftime("%Y-%m-%d")
    if isinstance(h, float) and h.is_integer():
        h = int(h)
    s = str(h).replace("\ufeff", "").replace("\u00a0", " ").replace("\u200b", "")
    s = re.sub(r"\s+", " ", s).strip()
    if len(s) >= 2 and s[0] == s[-1] == '"':
        s = s[1:-1].strip()
    return s


def _finish(frame: pd.DataFrame, raw_headers: list[object]) -> tuple[pd.DataFrame, list[str]]:
    """Name the columns with unique cleaned headers; drop unnamed empty columns (trailing delimiter)."""
    names: list[str] = []
    keep: list[int] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(raw_headers):
        name = clean_header(h)
        col = frame.iloc[:, i]
        if not name:
            if _column_empty(col):
                continue
            name = f"Column {i + 1}"
        if name.lower() in seen:
            seen[name.lower()] += 1
            name = f"{name} ({seen[name.lower()]})"
        else:
            seen[name.lower()] = 1
        names.append(name)
        keep.append(i)
    out = frame.iloc[:, keep].copy()
    out.columns = names
    return out.reset_index(drop=True), names


def _column_empty(col: pd.Series) -> bool:
    if isinstance(col.dtype, pd.ArrowDtype):
        s = col.str.strip()
        return bool(((s == "") | s.isna()).all())
    return bool(col.map(lambda v: v is None or (isinstance(v, float) and np.isnan(v)) or str(v).strip() == "").all())


def _header_row(rows: list[list[object]]) -> int:
    """Index of the header among the first rows of a grid: the first row that is nearly as wide as the
    widest of the first 30 rows (title rows above a report have one or two cells)."""
    def width(r):
        return sum(1 for v in r if v is not None and not (isinstance(v, float) and np.isnan(v)) and str(v).strip())
    widths = [width(r) for r in rows[:30]]
    if not widths:
        return 0
    top = max(widths)
    for i, w in enumerate(widths):
        if w >= max(2, 0.6 * top) or (top == 1 and w == 1):
            return i
    return 0


# --------------------------------------------------------------------------------------------------
# CSV
# --------------------------------------------------------------------------------------------------

def _sniff(text: str) -> tuple[str, int]:
    """(delimiter, index of the header row) from the first lines, quote-aware."""
    head = text[:65536]
    first = head.split("\n", 1)[0].strip()
    m = re.fullmatch(r'"?sep=(.)"?', first)
    if m:
        return m.group(1), 1
    if len(text) > len(head) and "\n" in head:
        head = head[: head.rfind("\n")]
    best: tuple[float, int, str, int] | None = None
    for order, d in enumerate(_DELIMITERS):
        try:
            rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=d, quotechar='"'))[:60]
        except csv.Error:
            continue
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            continue
        counts = [len(r) for r in rows]
        vals, freq = np.unique(counts, return_counts=True)
        mode = int(vals[np.argmax(freq * (vals > 1))]) if (vals > 1).any() else 1
        share = float(freq[list(vals).index(mode)]) / len(counts)
        header_idx = next((i for i, c in enumerate(counts) if c >= mode), 0)
        # the header line's own width decides; consistency with the following rows breaks ties
        score = (counts[header_idx] if mode > 1 else 1, share)
        key = (score[0] * (0.5 + share), -order, d, header_idx)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return ",", 0
    # count blank lines skipped above the header
    _, _, d, idx = best
    if idx:
        try:
            rows_all = list(csv.reader(io.StringIO(head, newline=""), delimiter=d, quotechar='"'))
        except csv.Error:
            return d, 0
        nonblank = [i for i, r in enumerate(rows_all) if any(c.strip() for c in r)]
        idx = nonblank[idx]
    return d, idx


def _read_csv(name: str, head: str, data: bytes, encoding: str, quotes: int | None = None) -> RawTable:
    """``quotes``: the double quotes counted in ``data`` (:func:`guards.check_csv`); used while the payload
    is those very bytes (UTF-8, its BOM sliced off: a BOM holds no quote), recounted once re-encoded."""
    delimiter, header_idx = _sniff(head)
    types = _all_strings(head, delimiter)
    repaired = None
    if encoding in ("utf-8", "utf-8-sig"):
        payload = pa.py_buffer(data)
        if encoding == "utf-8-sig":
            payload = payload.slice(3)  # zero-copy: no second copy of a large file
        if not _utf8_ok(payload):  # broken bytes: per line, with replacement, or as cp1251/cp1252
            text, encoding, repaired = _decode_all(name, data, encoding)
            payload = pa.py_buffer(text.encode("utf-8"))
            quotes = None
    else:
        text, encoding, repaired = _decode_all(name, data, encoding)
        payload = pa.py_buffer(text.encode("utf-8"))
        quotes = None
    guards.check_quotes(name, payload, quotes)
    table, malformed = None, []
    # Fast pass without quoted newlines; rows it cannot split evenly trigger the quote-aware pass.
    for newlines in (False, True):
        try:
            table, malformed = _arrow_csv(payload, delimiter, header_idx, types, newlines)
        except pa.ArrowInvalid as exc:
            if "utf8" in str(exc).lower() and encoding.startswith("utf-8"):
                text, encoding, repaired = _decode_all(name, data, encoding)
                payload = pa.py_buffer(text.encode("utf-8"))
                try:
                    table, malformed = _arrow_csv(payload, delimiter, header_idx, types, newlines)
                except pa.ArrowInvalid:
                    table = None
            else:
                table = None
        except (pa.ArrowException, ValueError):
            table = None
        ragged = [m for m in malformed if sum(1 for c in _split(m, delimiter) if c.strip()) >= 2]
        if table is not None and not ragged:
            break
    if table is None or len(ragged) > max(2, 0.001 * table.num_rows):
        return _read_csv_pandas(name, payload, delimiter, header_idx, encoding, _repair_notes(repaired))
    if table.num_rows == 0:
        raise DataError("empty_file", file=name)
    raw_headers = [table.column(i)[0].as_py() for i in range(table.num_columns)]
    table = table.slice(1)
    arrays = []  # one contiguous array per column; each chunked column is freed as soon as it is joined
    while table.num_columns:
        arrays.append(pd.arrays.ArrowExtensionArray(table.column(0).combine_chunks()))
        table = table.remove_column(0)
        release_memory(trim=False)  # the reader's threads allocated the chunks: hand them back
    frame = pd.DataFrame(dict(enumerate(arrays)), copy=False)
    del arrays
    frame, headers = _finish(frame, raw_headers)
    return RawTable(frame, headers, encoding, delimiter, "csv", malformed, header_idx, _repair_notes(repaired))


def _repair_notes(repaired: tuple[int, int, str] | None) -> list[tuple[str, dict]]:
    if repaired is None:
        return []
    count, line, enc = repaired
    return [("mixed_encoding", {"count": count, "line": line, "encoding": enc})]


def _utf8_ok(buf: pa.Buffer) -> bool:
    """Is the buffer valid UTF-8? (C++ validation, no copy of the data; a large buffer is cut at a line
    break into two values, validated on two cores at once.)"""
    cut = [0]
    if buf.size > 8 << 20:
        mid = buf.size // 2
        nl = bytes(memoryview(buf)[mid:mid + (1 << 20)]).find(b"\n")
        if nl >= 0:
            cut.append(mid + nl + 1)  # a newline byte never sits inside a multi-byte character
    cut.append(buf.size)
    offsets = pa.py_buffer(np.array(cut, dtype=np.int64).tobytes())
    arr = pa.LargeBinaryArray.from_buffers(pa.large_binary(), len(cut) - 1, [None, offsets, buf])
    try:
        list(pool().map(lambda i: arr.slice(i, 1).cast(pa.large_string()), range(len(arr))))
    except pa.ArrowInvalid:
        return False
    return True


def _arrow_csv(payload: pa.Buffer, delimiter: str, header_idx: int, types: dict, newlines: bool):
    malformed: list[str] = []

    def on_invalid(row) -> str:
        malformed.append(row.text)
        return "skip"

    table = pacsv.read_csv(
        pa.BufferReader(payload),
        read_options=pacsv.ReadOptions(skip_rows=header_idx, autogenerate_column_names=True,
                                       block_size=4 << 20),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                         newlines_in_values=newlines, ignore_empty_lines=True,
                                         invalid_row_handler=on_invalid),
        # the payload is valid UTF-8 already (checked by _utf8_ok, or re-encoded from decoded text):
        # a second per-cell check would cost ~0.6 s per 300 MB
        convert_options=pacsv.ConvertOptions(check_utf8=False, strings_can_be_null=False,
                                             quoted_strings_can_be_null=False, column_types=types),
    )
    return table, malformed


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter, quotechar='"'))
    except (csv.Error, StopIteration):
        return [line]


def _all_strings(text: str, delimiter: str) -> dict[str, pa.DataType]:
    head = text[:65536]
    try:
        rows = list(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, quotechar='"'))
    except csv.Error:
        rows = [line.split(delimiter) for line in head.splitlines()]
    rows = [r for r in rows if any(c.strip() for c in r)]
    width = max((len(r) for r in rows), default=1)
    return {f"f{i}": pa.string() for i in range(max(width, 1) + 2)}


def _read_csv_pandas(name: str, payload: pa.Buffer, delimiter: str, header_idx: int, encoding: str,
                     notes: list[tuple[str, dict]] | None = None) -> RawTable:
    """Fallback for ragged files: the pandas C parser pads short rows; longer rows are skipped and
    reported (the parser's own messages become the examples)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pd.read_csv(io.BytesIO(payload.to_pybytes()), sep=delimiter, header=None, dtype=str,
                                keep_default_na=False, skiprows=header_idx, skip_blank_lines=True, engine="c",
                                on_bad_lines="warn", quotechar='"', encoding="utf-8", encoding_errors="replace")
        except pd.errors.EmptyDataError as exc:
            raise DataError("empty_file", file=name) from exc
        except Exception as exc:  # noqa: BLE001 - any parser failure becomes one clear message
            raise DataError("unreadable", file=name, detail=f"{type(exc).__name__}: {exc}"[:200]) from exc
    malformed = [line.strip() for w in caught if issubclass(w.category, pd.errors.ParserWarning)
                 for line in str(w.message).splitlines() if line.strip().startswith("Skipping line")]
    if frame.empty:
        raise DataError("empty_file", file=name)
    raw_headers = list(frame.iloc[0])
    frame = frame.iloc[1:].fillna("").astype(pd.ArrowDtype(pa.string()))
    frame.columns = range(frame.shape[1])
    frame, headers = _finish(frame, raw_headers)
    return RawTable(frame, headers, encoding, delimiter, "csv", malformed, header_idx, list(notes or []))


# --------------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------------

def _read_xlsx(name: str, data: bytes) -> RawTable:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - BadZipFile, zlib.error, EOFError...: a damaged container
        raise DataError("truncated_xlsx", file=name, detail=f"{type(exc).__name__}: {exc}"[:120]) from exc
    if bad is not None:
        raise DataError("truncated_xlsx", file=name, detail=f"damaged part {bad}")
    if "xl/workbook.xml" not in names:
        raise DataError("unsupported_type", file=name, detail="a ZIP archive that is not an XLSX workbook")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object,
                                   engine="openpyxl")
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken workbook is one clear error
        raise DataError("truncated_xlsx", file=name, detail=f"{type(exc).__name__}: {exc}"[:160]) from exc
    grid = None
    parts = guards.sheet_parts(data)
    for sheet_name, sheet in sheets.items():
        guards.mark_formulas(data, parts.get(str(sheet_name)), sheet)
        sheet = sheet.dropna(how="all").dropna(axis=1, how="all")
        if len(sheet) >= 1:
            grid = sheet
            break
    if grid is None:
        raise DataError("empty_file", file=name)
    grid = grid.reset_index(drop=True)
    rows = grid.head(30).values.tolist()
    h = _header_row(rows)
    raw_headers = list(grid.iloc[h])
    frame = grid.iloc[h + 1:].reset_index(drop=True)
    frame.columns = range(frame.shape[1])
    frame = frame.astype(object).where(frame.notna(), None)
    frame, headers = _finish(frame, raw_headers)
    return RawTable(frame, headers, "xlsx", "", "xlsx", [], h)


# --------------------------------------------------------------------------------------------------
# HTML tables ("Excel" exports that are really HTML)
# --------------------------------------------------------------------------------------------------

class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._close_row()
            self._row = []
        elif tag in ("td", "th") and self._stack:
            self._close_cell()
            if self._row is None:
                self._row = []
            self._cell = []
            try:
                self._span = max(1, min(50, int(dict(attrs).get("colspan") or 1)))
            except ValueError:
                self._span = 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._close_cell()
        elif tag == "tr":
            self._close_row()
        elif tag == "table" and self._stack:
            self._close_row()
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def _close_cell(self):
        if self._cell is not None and self._row is not None:
            self._row.append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._row.extend([""] * (self._span - 1))
        self._cell = None
        self._span = 1

    def _close_row(self):
        self._close_cell()
        if self._row is not None and self._stack:
            self._stack[-1].append(self._row)
        self._row = None

    def close(self):
        super().close()
        while self._stack:
            self._close_row()
            self.tables.append(self._stack.pop())


def _read_html(name: str, data: bytes, text: str, encoding: str) -> RawTable:
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w\-]+)", data[:4096], re.I)
    if m:
        declared = m.group(1).decode("ascii", "ignore").lower()
        if declared in ("windows-1251", "cp1251", "win-1251") and encoding.startswith("utf-8"):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                text, encoding = data.decode("cp1251", errors="replace"), "cp1251"
        elif declared not in ("utf-8", "utf8") and not encoding.startswith("utf"):
            try:
                text, encoding = data.decode(declared, errors="replace"), declared
            except LookupError:
                pass
    parser = _Tables()
    try:
        parser.feed(text)
        parser.close()
    except Exception as exc:  # noqa: BLE001
        raise DataError("unreadable", file=name, detail=f"HTML: {exc}"[:200]) from exc
    tables = [t for t in parser.tables if t]
    if not tables:
        raise DataError("unreadable", file=name, detail="HTML without a table")
    rows = max(tables, key=len)
    width = max(len(r) for r in rows)
    rows = [[html.unescape(c) for c in r] + [""] * (width - len(r)) for r in rows]
    h = _header_row(rows)
    raw_headers = rows[h]
    body = rows[h + 1:]
    frame = pd.DataFrame(body, columns=range(width), dtype=object) if body else pd.DataFrame(columns=range(width))
    frame = frame.fillna("").astype(pd.ArrowDtype(pa.string()))
    frame, headers = _finish(frame, raw_headers)
    return RawTable(frame, headers, encoding, "", "html", [], h)


# public names for the other readers of raw grids (importers.workbook, importers.htmltable)
finish_headers = _finish
header_row = _header_row
