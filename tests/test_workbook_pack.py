"""Workbooks come back from the parse worker as typed columns (an Arrow IPC stream), not a pickled object
frame — and the cells the importer sees are exactly those ``pandas.read_excel(engine="calamine",
header=None, dtype=object)`` gave (the reader this replaced)."""
from __future__ import annotations

import datetime as dt
import io
import pickle
import threading
import warnings

import numpy as np
import openpyxl
import pandas as pd
import pyarrow as pa
import pytest

from metrics.errors import DataError
from metrics.importers import workbook
from metrics.importers.reading import finish_headers, header_row


def _book() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Orders"
    ws["C2"] = "Deals report"                      # a title row above the header, columns A-B empty
    ws.append([])
    ws.append([None, None, "ID", "Manager", "Amount", "Created", "Mixed", "Flag", "Note"])
    ws.append([None, None, 1, "Anna", 10.5, dt.datetime(2025, 1, 2, 9, 30), "x", True, "NA"])
    ws.append([None, None, 2, "null", "n/a", dt.date(2025, 2, 3), 7, False, " "])
    ws.append([])                                  # an empty row inside the data
    ws.append([None, None, 3.0, "Boris", 1e20, None, 2.5, None, "None"])
    people = wb.create_sheet("People")
    people.append(["Person", "Region"])
    people.append(["Anna", "West"])
    wb.create_sheet("Header only").append(["a", "b"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _old(name: str, data: bytes) -> list[tuple[str, list[str], int, list[list]]]:
    """What ``workbook.parse_sheets`` computed before (pandas.read_excel + the same steps)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sheets = pd.read_excel(io.BytesIO(data), sheet_name=None, header=None, dtype=object, engine="calamine")
    out = []
    for sheet_name, grid in sheets.items():
        grid = grid.dropna(how="all").dropna(axis=1, how="all")
        if len(grid) < 2:
            continue
        grid = grid.reset_index(drop=True)
        h = header_row(grid.head(30).values.tolist())
        raw = list(grid.iloc[h])
        frame = grid.iloc[h + 1:].reset_index(drop=True)
        frame.columns = range(frame.shape[1])
        frame = frame.astype(object).where(frame.notna(), None)
        frame, headers = finish_headers(frame, raw)
        out.append((str(sheet_name), headers, h, frame.values.tolist()))
    return out


def _typed(v):
    return (type(v).__name__, v)


def test_cells_are_typed_column_by_column_and_read_back_exactly():
    data = _book()
    packed = workbook.parse_sheets("book.xlsx", data)
    assert [p for p, _ in packed] == ["book.xlsx:Orders", "book.xlsx:People"]
    orders = packed[0][1]
    assert isinstance(orders, workbook.Packed) and orders.header_row == 1 and orders.rows == 3
    assert orders.headers == ["ID", "Manager", "Amount", "Created", "Mixed", "Flag", "Note"]
    schema = pa.ipc.open_stream(orders.stream).schema
    # below the header: ID and Amount numbers ("n/a" is an empty cell), Created dates, Manager and Note text;
    # Mixed (text and numbers) and Flag (booleans) stay Python cells
    assert {f.name: str(f.type) for f in schema} == {"0": "double", "1": "string", "2": "double",
                                                    "3": "timestamp[us]", "6": "string"}
    assert sorted(orders.objects) == [4, 5]
    raw = workbook.unpack(orders)
    assert raw.headers == ["ID", "Manager", "Amount", "Created", "Mixed", "Flag", "Note"]
    assert list(raw.frame.dtypes) == [np.dtype(object)] * 7
    got = [[_typed(v) for v in row] for row in raw.frame.values.tolist()]
    assert got == [
        [("int", 1), ("str", "Anna"), ("float", 10.5), ("datetime", dt.datetime(2025, 1, 2, 9, 30)), ("str", "x"),
         ("bool", True), ("NoneType", None)],
        [("int", 2), ("NoneType", None), ("NoneType", None), ("datetime", dt.datetime(2025, 2, 3)), ("int", 7),
         ("bool", False), ("str", " ")],
        [("int", 3), ("str", "Boris"), ("int", 10 ** 20), ("NoneType", None), ("float", 2.5), ("NoneType", None),
         ("NoneType", None)],
    ]
    new = [(p, r.headers, r.header_row, [[_typed(v) for v in row] for row in r.frame.values.tolist()])
           for p, r in ((p, workbook.unpack(x)) for p, x in packed)]
    old = [(f"book.xlsx:{s}", hd, h, [[_typed(v) for v in row] for row in rows])
           for s, hd, h, rows in _old("book.xlsx", data)]
    assert new == old


def test_read_sheets_through_the_worker_returns_the_same_tables():
    data = _book()
    sheets = workbook.read_sheets("book.xlsx", data)
    assert [p for p, _ in sheets] == ["book.xlsx:Orders", "book.xlsx:People"]
    people = sheets[1][1]
    assert (people.headers, people.fmt, people.encoding) == (["Person", "Region"], "xlsx", "xlsx")
    assert people.frame.values.tolist() == [["Anna", "West"]]
    assert sheets[0][1].frame["Amount"].tolist() == [10.5, None, 10 ** 20]


def test_pack_of_a_grid_follows_read_excel_rules():
    rows = [["", "", ""], ["Report", "", ""], ["", "", ""], ["id", "when", ""], [1.0, dt.date(2024, 5, 6), ""],
            ["", "", ""], [2.5, "#N/A", ""]]
    p = workbook.pack(rows, "ods")
    assert (p.header_row, p.headers, p.rows, p.width) == (1, ["id", "when"], 2, 2)
    raw = workbook.unpack(p)
    assert raw.frame.values.tolist() == [[1, dt.datetime(2024, 5, 6)], [2.5, None]]
    assert workbook.pack([["only", "a header"]], "xlsx") is None
    assert workbook.pack([["", "NA"], ["null", ""]], "xlsx") is None
    # integers beyond 2**53 are not exact in float64: such a column keeps its Python cells
    big = workbook.pack([["n"], [2 ** 60 + 1], [3]], "xls")
    assert big.objects == {0: [2 ** 60 + 1, 3]}
    assert workbook.unpack(big).frame["n"].tolist() == [2 ** 60 + 1, 3]


def test_a_damaged_workbook_is_still_one_clear_error():
    data = _book()[:3000]
    with pytest.raises(DataError) as e:
        workbook.read_sheets("broken.xlsx", data)
    assert e.value.code == "truncated_xlsx"


def _buffers(n: int) -> tuple:
    """Module level, for the sandbox: an arrow buffer and a numpy array of ``n`` bytes each."""
    return pa.py_buffer(bytes(range(256)) * (n // 256)), np.arange(n // 8, dtype=np.int64)


def test_the_sandbox_sends_large_buffers_out_of_band_and_the_parent_wraps_them():
    import multiprocessing as mp

    from metrics import sandbox

    a, b = _buffers(1 << 20)
    r, w = mp.Pipe(duplex=False)
    t = threading.Thread(target=sandbox.send_result, args=(w, ("ok", (a, b))))   # a pipe holds 64 KB: read meanwhile
    t.start()
    assert r.recv() == 2                       # two buffers after the pickle
    head = r.recv_bytes()
    assert len(head) < 1000                    # the pickle itself holds no data
    raw = [r.recv_bytes(), r.recv_bytes()]
    assert [len(x) for x in raw] == [1 << 20, 1 << 20] and raw[0] == a.to_pybytes()
    t.join()
    kind, (a2, b2) = pickle.loads(head, buffers=raw)
    assert kind == "ok" and a2.equals(a) and (b2 == b).all()
    assert a2.address == pa.py_buffer(raw[0]).address    # no copy: the arrow buffer wraps the bytes received
    got = sandbox.run(_buffers, 1 << 20, name="x", seconds=30, memory=0)
    assert got[0].equals(a) and (got[1] == b).all()


def test_a_sheet_stream_is_an_arrow_buffer_with_32_bit_string_offsets():
    p = workbook.parse_sheets("book.xlsx", _book())[0][1]
    assert isinstance(p.stream, pa.Buffer)
    col = pa.ipc.open_stream(p.stream).read_next_batch().column("1")
    assert col.type == pa.string() and col.to_pylist() == ["Anna", None, "Boris"]
