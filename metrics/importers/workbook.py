"""Workbooks → one raw table per sheet, through python-calamine.

Real binary Excel 97 ``.xls`` (OLE2), ``.xlsx`` / ``.xlsm`` and OpenDocument ``.ods`` are all read by
calamine (Rust; several times faster than openpyxl). Every non-empty sheet becomes a part of its own,
named ``"book.xls:Sheet"``, exactly like a file of a folder. Date cells stay datetimes, numbers stay
numbers; the header row is found as for any grid (title rows above it skipped). An HTML table saved as
``.xls`` (Bitrix24) is not a workbook: :mod:`.reading` reads it.

The cells are those ``pandas.read_excel(engine="calamine", header=None, dtype=object)`` gives (what this
module used to call): integer-valued numbers as ``int``, other numbers ``float``, date cells
``datetime``, pandas' missing-value words (``""``, ``"NA"``, ``"#N/A"``, ``"null"`` …,
:data:`NA_TEXT`) as empty, everything else as calamine returns it. They are typed column by column in
the budgeted worker (:func:`metrics.sandbox.run`) and come back as one Arrow IPC stream — text as arrow
strings, numbers as float64, dates as timestamps, only columns of mixed kinds as Python lists
(:class:`Packed`) — instead of a pickled object frame; :func:`unpack` rebuilds the same object cells.
"""
from __future__ import annotations

import datetime as _dt
import io
import warnings
import zipfile
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import limits as _limits, sandbox
from ..errors import DataError
from . import guards
from .reading import RawTable, finish_headers, header_row

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: text cells pandas' readers take as empty (``pandas._libs.parsers.STR_NA_VALUES``, with ``""``)
NA_TEXT = frozenset(["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN",
                     "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null"])
_NA_SET = {t: pa.array(sorted(NA_TEXT), type=t) for t in (pa.string(), pa.large_string())}
_EXACT = 2.0 ** 53   # integers beyond this are not exact in float64: such a column stays Python objects


def kind_of(data: bytes) -> str | None:
    """"xls" (OLE2), "xlsx", "ods", or None when the bytes are not a workbook."""
    if data.startswith(OLE2):
        return "xls"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                names = set(zf.namelist())
        except zipfile.BadZipFile:
            return None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and "mimetype" in names:
            return "ods"
    return None


def read_sheets(name: str, data: bytes) -> list[tuple[str, RawTable]]:
    """Every non-empty sheet as ``(part name, RawTable)``; a one-sheet workbook keeps the file's name.
    Raises :class:`DataError` (``truncated_xlsx``) for a damaged workbook. An XLSX is checked against the
    upload limits before parsing (:func:`.guards.check_xlsx`) and, like every workbook, parsed in the
    budgeted worker (:func:`metrics.sandbox.run`), which sends back compact columns (:class:`Packed`)."""
    lim = _limits.current()
    if kind_of(data) == "xlsx":
        guards.check_xlsx(name, data, lim)
    packed = sandbox.run(parse_sheets, name, data, name=name, seconds=lim.parse_seconds,
                         memory=lim.parse_memory_bytes)
    out = [(part, unpack(p)) for part, p in packed]
    return out


@dataclass
class Packed:
    """One sheet's grid as the worker sends it: the header row (``header_row``, its cells ``headers`` as
    read, NaN for empty), ``rows`` data rows below it, and the columns — ``stream`` an Arrow IPC stream of
    one record batch holding the typed columns (field ``"<i>"`` for column *i*: strings — 32-bit offsets,
    large strings only for a column of 2 GB or more —, float64, timestamp[us]; null = empty), an arrow
    buffer (pickled out of band by :func:`metrics.sandbox.run`: sent as is, read back without a copy) or
    bytes, ``objects`` the columns of mixed kinds as lists (None = empty)."""
    fmt: str
    header_row: int
    headers: list
    rows: int
    width: int
    stream: pa.Buffer | bytes
    objects: dict[int, list] = field(default_factory=dict)


def _cell(v: object) -> object:
    """One cell as ``pandas.read_excel(engine="calamine", dtype=object)`` gives it; NaN for empty."""
    t = type(v)
    if t is str:
        return np.nan if v in NA_TEXT else v
    if t is float:
        if v != v:
            return np.nan
        return int(v) if v.is_integer() else v
    if t is _dt.date:
        return _dt.datetime(v.year, v.month, v.day)
    return v


def _column(col: tuple) -> tuple[str, object, np.ndarray]:
    """(kind, values, empty mask) of one column of calamine cells: ``"text"`` (an arrow string array),
    ``"number"`` (float64 arrow array), ``"date"`` (timestamp[us] arrow array) — nulls where empty —
    or ``"objects"`` (a list of :func:`_cell` values, None where empty) for mixed kinds."""
    kinds = set(map(type, col))
    if kinds == {str}:
        arr = pa.array(col, type=pa.string())
        if isinstance(arr, pa.ChunkedArray):   # 2 GB of text or more: 64-bit offsets
            arr = pa.array(col, type=pa.large_string())
        na = pc.is_in(arr, value_set=_NA_SET[arr.type])
        empty = na.to_numpy(zero_copy_only=False)
        if empty.any():
            arr = pc.if_else(na, pa.scalar(None, arr.type), arr)
        return "text", arr, empty
    texts = {v for v in col if type(v) is str} if str in kinds else set()
    if texts <= NA_TEXT:                       # text only as empty cells
        rest = kinds - {str}
        if rest <= {float, int} and (int not in rest or all(abs(v) <= _EXACT for v in col if type(v) is int)):
            arr = pa.array([None if type(v) is str else v for v in col], type=pa.float64())
            x = arr.to_numpy(zero_copy_only=False)
            return "number", arr, np.isnan(x)
        if rest <= {_dt.datetime, _dt.date}:
            arr = pa.array([None if type(v) is str else (_dt.datetime(v.year, v.month, v.day) if type(v) is _dt.date
                                                         else v) for v in col], type=pa.timestamp("us"))
            return "date", arr, arr.is_null().to_numpy(zero_copy_only=False)
    vals = [_cell(v) for v in col]
    empty = np.fromiter((type(v) is float and v != v for v in vals), bool, len(vals))
    return "objects", [None if e else v for v, e in zip(vals, empty)], empty


def _empty(v: object) -> bool:
    """Is a calamine cell empty as pandas reads it (a missing-value word, or NaN)?"""
    t = type(v)
    return (t is str and v in NA_TEXT) or (t is float and v != v)


def pack(rows: list[list], fmt: str) -> Packed | None:
    """A sheet's cells (calamine's rows, from A1) → :class:`Packed`; None when the sheet has fewer than
    two non-empty rows. As ``read_excel(…).dropna(how="all").dropna(axis=1, how="all")`` did: empty rows
    and columns are dropped, and the header row is the :func:`.reading.header_row` of the first 30
    non-empty rows. The columns are typed below the header only (a header's text would make every
    column mixed)."""
    head_at = []                               # the first 30 non-empty rows
    for r, row in enumerate(rows):
        if not all(map(_empty, row)):
            head_at.append(r)
            if len(head_at) == 30:
                break
    if not head_at:
        return None
    head = [[_cell(v) for v in rows[r]] for r in head_at]
    h = header_row(head)                       # empty columns count in no row's width: the same index
    start = head_at[h] + 1
    above = np.zeros(len(rows[0]) if rows else 0, bool)   # columns with a cell in the header or above
    for r in head_at[:h + 1]:
        above |= np.fromiter((not _empty(v) for v in rows[r]), bool, len(above))
    cols = [_column(c) for c in zip(*rows[start:])] if start < len(rows) else []
    n = len(rows) - start
    del rows                                   # the caller's cells can go before the stream is written
    empty_rows = np.logical_and.reduce([e for _, _, e in cols]) if cols else np.ones(n, bool)
    body = np.flatnonzero(~empty_rows)
    if h + 1 + len(body) < 2:                  # empty, or a header without rows
        return None
    filled = [i for i in range(len(above)) if above[i] or (cols and not cols[i][2].all())]
    whole = len(body) == n                     # no empty row below the header: no take
    take = None if whole else pa.array(body, type=pa.int64())
    arrays, names, objects = [], [], {}
    for j, i in enumerate(filled):
        if not cols:
            objects[j] = []
            continue
        kind, vals, _ = cols[i]
        if kind == "objects":
            objects[j] = vals if whole else [vals[r] for r in body]
            continue
        arrays.append(vals if whole else vals.take(take))
        names.append(f"{j}")
        cols[i] = None                         # its untaken copy can go
    sink = pa.BufferOutputStream()
    batch = pa.RecordBatch.from_arrays(arrays, names=names) if arrays else \
        pa.RecordBatch.from_pydict({"": pa.nulls(len(body))})
    with pa.ipc.new_stream(sink, batch.schema) as w:
        w.write_batch(batch)
    del arrays, batch, cols
    return Packed(fmt, h, [head[h][i] for i in filled], len(body), len(filled), sink.getvalue(), objects)


def _objects(arr: pa.Array) -> np.ndarray:
    """An arrow column of :func:`pack` → the object cells it stood for (None where empty)."""
    n = len(arr)
    out = np.full(n, None, dtype=object)
    if pa.types.is_floating(arr.type):
        x = arr.to_numpy(zero_copy_only=False)
        fin = np.isfinite(x)
        whole = fin & (x == np.floor(np.where(fin, x, 0.0)))
        small = whole & (np.abs(np.where(fin, x, 0.0)) < 2.0 ** 63)
        out[small] = x[small].astype(np.int64).tolist()
        big = whole & ~small
        if big.any():
            out[big] = [int(v) for v in x[big]]
        frac = ~whole & ~np.isnan(x)
        out[frac] = x[frac].tolist()
        return out
    if pa.types.is_timestamp(arr.type):
        ok = ~arr.is_null().to_numpy(zero_copy_only=False)
        out[ok] = arr.to_numpy(zero_copy_only=False)[ok].astype(object)
        return out
    return arr.to_numpy(zero_copy_only=False)   # strings: None for null


def unpack(p: Packed) -> RawTable:
    """:class:`Packed` → the sheet's :class:`RawTable`: object columns holding ``None``, ``str``, ``int``,
    ``float``, ``datetime`` (and whatever else calamine returned), named by the header row."""
    batch = next(iter(pa.ipc.open_stream(p.stream)))
    cols = {}
    for j in range(p.width):
        if j in p.objects:
            vals = np.empty(p.rows, dtype=object)
            vals[:] = p.objects[j]
        else:
            vals = _objects(batch.column(f"{j}"))
        cols[j] = pd.Series(vals, dtype=object)
    frame = pd.DataFrame(cols) if cols else pd.DataFrame(index=range(p.rows))
    frame, headers = finish_headers(frame, list(p.headers))
    return RawTable(frame, headers, p.fmt, "", "xlsx", [], p.header_row)


def parse_sheets(name: str, data: bytes) -> list[tuple[str, Packed]]:
    """In the worker: calamine's cells of every worksheet, packed (:func:`pack`)."""
    from python_calamine import SheetTypeEnum, load_workbook

    fmt = kind_of(data) or "xlsx"
    out = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(data))
            sheets = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
            for sheet_name in sheets:
                # no name holds the cells here: pack drops them once they are typed
                p = pack(book.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False), fmt)
                if p is not None:
                    out.append((str(sheet_name), p))
    except DataError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken workbook is one clear error
        if fmt == "xls":     # OLE2 is also Word, PowerPoint, Outlook ...: not a workbook calamine can read
            raise DataError("unsupported_type", file=name,
                            detail="an Office (OLE2) file that is not a readable Excel workbook") from exc
        raise DataError("truncated_xlsx", file=name, detail=f"{type(exc).__name__}: {exc}"[:160]) from exc
    if not out:
        raise DataError("empty_file", file=name)
    if len(out) == 1:
        return [(name, out[0][1])]
    return [(f"{name}:{s}", t) for s, t in out]
