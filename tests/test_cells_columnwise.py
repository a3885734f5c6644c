"""The column-wise forms of the per-cell helpers (metrics/importers/cells.py) give exactly what the per-cell
forms give, on the native cells a workbook holds and on every odd mix."""
from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pandas as pd
import pyarrow as pa

from metrics.importers import cells


def _per_cell_text(s: pd.Series) -> pa.Array:
    obj = s.astype(object)
    mask = obj.isna()
    return pa.array([None if m else cells.cell_text(v) for v, m in zip(obj, mask)], type=pa.string())


def _per_cell_kind(v) -> str:
    if isinstance(v, (dt.datetime, dt.date, pd.Timestamp)) and not pd.isna(v):
        return "d"
    if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool) and not pd.isna(v):
        return "n"
    return "s"


def test_column_text_of_workbook_cells():
    s = pd.Series([12345, None, 10.5, 3.0, -0.0, 1e20, 2.0 ** 70, float("inf")], dtype=object)
    assert cells.column_text(s).to_pylist() == ["12345", None, "10.5", "3", "0", "100000000000000000000",
                                                "1180591620717411303424", "inf"]
    d = pd.Series([dt.datetime(2025, 1, 2, 9, 30, 5, 500000), dt.datetime(2025, 1, 3), None,
                   dt.datetime(1960, 7, 1, 0, 0, 1)], dtype=object)
    assert cells.column_text(d).to_pylist() == ["2025-01-02 09:30:05", "2025-01-03", None, "1960-07-01 00:00:01"]
    assert cells.column_text(pd.Series([dt.date(2024, 2, 29), np.nan], dtype=object)).to_pylist() == \
        ["2024-02-29", None]
    assert cells.column_text(pd.Series(["Anna", None, " b "], dtype=object)).to_pylist() == ["Anna", None, " b "]
    # mixes arrow cannot type go cell by cell: the same text as before
    assert cells.column_text(pd.Series([True, 5, "x", dt.time(10, 30)], dtype=object)).to_pylist() == \
        ["True", "5", "x", "10:30:00"]


def test_column_forms_equal_the_per_cell_forms_on_random_mixes():
    rnd = random.Random(17)
    pools = {
        "str": ["a", " b ", "", "Иван", "x\ny", "123"], "int": [0, -5, 12345, 2 ** 62, 2 ** 70],
        "float": [0.5, -0.0, 1e20, 1e-7, 3.0, 1 / 3, float("inf"), 2.0 ** 64],
        "date": [dt.date(1999, 12, 31), dt.date(2030, 1, 1)],
        "dt": [dt.datetime(2025, 3, 4, 5, 6, 7), dt.datetime(2025, 3, 4), dt.datetime(1001, 1, 1, 0, 0, 0, 999)],
        "ts": [pd.Timestamp("2025-01-01 10:00:00.5"), pd.Timestamp("1800-01-01")],
        "odd": [True, dt.time(1, 2), dt.datetime(5, 1, 1), np.int64(7), np.float64("nan"),
                dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)],
        "missing": [None, float("nan"), pd.NaT, pd.NA],
    }
    mixes = [["str"], ["int"], ["int", "float"], ["float"], ["dt"], ["date"], ["ts"], ["dt", "date"], ["dt", "ts"],
             ["str", "int"], ["odd"], ["odd", "int"], ["odd", "dt"]]
    for mix in mixes:
        for _ in range(20):
            vals = [rnd.choice(pools[rnd.choice(mix + ["missing"])]) for _ in range(rnd.choice([0, 1, 7, 40]))]
            s = pd.Series(vals, dtype=object)
            assert cells.column_text(s).equals(_per_cell_text(s)), vals
            assert cells.cell_kinds(s).tolist() == [_per_cell_kind(v) for v in vals], vals
            assert cells.number_cells(s).tolist() == [isinstance(v, (int, float, np.integer, np.floating))
                                                      and not isinstance(v, bool) for v in vals], vals
            dates = pd.Series([v for v in vals if _per_cell_kind(v) == "d"], dtype=object)
            if len(dates):
                try:
                    want = pd.to_datetime(dates.map(pd.Timestamp)).to_numpy(dtype="datetime64[ns]")
                except Exception as exc:  # noqa: BLE001 - then the column-wise form raises the same
                    want = type(exc)
                try:
                    got = cells.datetime_cells(dates)
                except Exception as exc:  # noqa: BLE001
                    got = type(exc)
                if isinstance(want, type):
                    assert got is want, vals
                else:
                    assert got.dtype == want.dtype and (got == want).all(), vals
    for s in (pd.Series([1.5, np.nan, 3.0]), pd.Series(pd.to_datetime(["2025-01-02 00:00:00", None])),
              pd.Series([True, False]), pd.Series([1, 2])):
        assert cells.column_text(s).equals(_per_cell_text(s))


def test_datetime_cells_of_date_cells():
    s = pd.Series([dt.datetime(2025, 1, 2, 9, 30, 0, 250000), dt.date(2025, 1, 3)], dtype=object)
    assert [str(v) for v in cells.datetime_cells(s)] == ["2025-01-02T09:30:00.250000000",
                                                         "2025-01-03T00:00:00.000000000"]
    only = pd.Series([dt.datetime(2024, 12, 31, 23, 59, 59)], dtype=object)
    assert cells.datetime_cells(only).dtype == np.dtype("datetime64[ns]")
    assert str(cells.datetime_cells(only)[0]) == "2024-12-31T23:59:59.000000000"
