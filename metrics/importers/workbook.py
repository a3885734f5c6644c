"""Workbooks → one raw table per sheet, through python-calamine (``pandas.read_excel(engine="calamine")``).

Real binary Excel 97 ``.xls`` (OLE2), ``.xlsx`` / ``.xlsm`` and OpenDocument ``.ods`` are all read by
calamine (Rust; several times faster than openpyxl). Every non-empty sheet becomes a part of its own,
named ``"book.xls:Sheet"``, exactly like a file of a folder. Date cells stay datetimes, numbers stay
numbers; the header row is found as for any grid (title rows above it skipped). An HTML table saved as
``.xls`` (Bitrix24) is not a workbook: :mod:`.reading` reads it.
"""
from __future__ import annotations

import io
import warnings
import zipfile

import pandas as pd

from .. import limits as _limits, sandbox
from ..errors import DataError
from . import guards
from .reading import RawTable, finish_headers, header_row

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


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
    budgeted worker (:func:`metrics.sandbox.run`)."""
    lim = _limits.current()
    if kind_of(data) == "xlsx":
        guards.check_xlsx(name, data, lim)
    return sandbox.run(_read_sheets, name, data, name=name, seconds=lim.parse_seconds,
                       memory=lim.parse_memory_bytes)


def _read_sheets(name: str, data: bytes) -> list[tuple[str, RawTable]]:
    fmt = kind_of(data) or "xlsx"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="calamine")
    except Exception as exc:  # noqa: BLE001 - a broken workbook is one clear error
        if fmt == "xls":     # OLE2 is also Word, PowerPoint, Outlook ...: not a workbook calamine can read
            raise DataError("unsupported_type", file=name,
                            detail="an Office (OLE2) file that is not a readable Excel workbook") from exc
        raise DataError("truncated_xlsx", file=name, detail=f"{type(exc).__name__}: {exc}"[:160]) from exc
    out = []
    for sheet_name, grid in sheets.items():
        grid = grid.dropna(how="all").dropna(axis=1, how="all")
        if len(grid) < 2:      # empty, or a header without rows
            continue
        grid = grid.reset_index(drop=True)
        h = header_row(grid.head(30).values.tolist())
        raw_headers = list(grid.iloc[h])
        frame = grid.iloc[h + 1:].reset_index(drop=True)
        frame.columns = range(frame.shape[1])
        frame = frame.astype(object).where(frame.notna(), None)
        frame, headers = finish_headers(frame, raw_headers)
        out.append((str(sheet_name), RawTable(frame, headers, fmt, "", "xlsx", [], h)))
    if not out:
        raise DataError("empty_file", file=name)
    if len(out) == 1:
        return [(name, out[0][1])]
    return [(f"{name}:{s}", t) for s, t in out]
