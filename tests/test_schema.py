"""Canonical files: coercion rules and clear errors that name the file, the column and the row."""
import pandas as pd
import pytest

from metrics.errors import DataError
from metrics.schema import load_canonical

DEALS = ("deal_id,manager,client,created_at,closed_at,status,amount\n"
         "1,Ann,X,2025-01-05,2025-01-20,won,100.5\n"
         "2,Ann,Y,2025-01-06,2025-03-01,open,\n")


def test_canonical_deals_types_and_open_close_dates_ignored():
    d = load_canonical("deals", DEALS.encode(), file="d.csv")
    assert str(d["created_at"].dtype) == "datetime64[ns]"
    assert d["amount"].tolist() == [100.5, 0.0]
    assert pd.isna(d.loc[1, "closed_at"])          # an open deal's (expected) close date never counts
    assert d["source"].isna().all()


def test_canonical_activities_done_words():
    text = "activity_id,manager,type,at,done\n1,Ann,Call,2025-01-05,yes\n2,Ann,meeting,2025-01-06,0\n3,Ann,email,2025-01-07,\n"
    a = load_canonical("activities", text.encode(), file="a.csv")
    assert a["type"].tolist() == ["call", "meeting", "email"]
    assert a["done"].tolist() == [True, False, True]
    no_done = load_canonical("activities", b"activity_id,manager,type,at\n1,Ann,call,2025-01-05\n", file="a.csv")
    assert no_done["done"].tolist() == [True]


def test_plans_summed_per_manager_month():
    p = load_canonical("plans", b"manager,month,target\nAnn,2025-01,100\nAnn,2025-01,50\nBob,2025-02,7\n", file="p.csv")
    assert p.to_dict("records") == [{"manager": "Ann", "month": "2025-01", "target": 150.0},
                                    {"manager": "Bob", "month": "2025-02", "target": 7.0}]


@pytest.mark.parametrize("text, code, column, row", [
    (DEALS.replace("2025-01-06", "yesterday"), "bad_date", "created_at", 2),
    (DEALS.replace("100.5", "lots"), "bad_number", "amount", 1),
    (DEALS.replace("100.5", "-3"), "negative_amount", "amount", 1),
    (DEALS.replace(",open,", ",maybe,"), "bad_status", "status", 2),
    (DEALS.replace("2,Ann,Y", "2,,Y"), "empty_value", "manager", 2),
    (DEALS.replace("client,", "customer,"), "missing_columns", "client", None),
])
def test_bad_deals_name_file_column_row(text, code, column, row):
    with pytest.raises(DataError) as e:
        load_canonical("deals", text.encode(), file="deals.csv")
    assert e.value.code == code
    assert e.value.params["file"] == "deals.csv" and e.value.params["column"] == column
    assert e.value.params["row"] == row
    assert "deals.csv" in str(e.value) and column in str(e.value)


@pytest.mark.parametrize("data, code", [(b"", "empty_file"), (b"   \n", "empty_file"),
                                        (b"deal_id,manager,client,created_at,closed_at,status,amount\n", "no_rows"),
                                        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "unreadable")])
def test_unreadable_files(data, code):
    with pytest.raises(DataError) as e:
        load_canonical("deals", data, file="x.csv")
    assert e.value.code == code


def test_xlsx_with_real_date_cells(tmp_path):
    df = pd.DataFrame({"deal_id": [1], "manager": ["Ann"], "client": ["X"],
                       "created_at": [pd.Timestamp("2025-01-05 10:00")], "closed_at": [pd.Timestamp("2025-01-07")],
                       "status": ["won"], "amount": [12.5]})
    path = tmp_path / "d.xlsx"
    df.to_excel(path, index=False)
    d = load_canonical("deals", path.read_bytes(), file="d.xlsx")
    assert d.loc[0, "created_at"] == pd.Timestamp("2025-01-05 10:00") and d.loc[0, "amount"] == 12.5
    assert d.loc[0, "deal_id"] == "1"


def test_strip_changes_agrees_with_str_strip():
    """The byte pre-filter of ``strip_changes`` (first / last byte of each value, then Python's strip on
    the candidates) answers exactly as ``str.strip()`` would: ASCII and Unicode spaces at either end,
    spaces inside only, empty values anywhere (also at the end, past the data), sliced arrays."""
    import numpy as np
    import pyarrow as pa

    from metrics.schema import strip_changes

    pieces = ["a", " ", "\u00a0", "\u2009", "\u3000", "\u0085", "\u1680", "ж", "\t", "", "\u202f", "\u2028",
              "x\u00a0", "€", "\u00c2", "¤", "\u205f", "\u200b", "\ufeff", "\u2003", "Ӡ", "\u200a"]
    rng = np.random.default_rng(7)
    for _ in range(5000):
        vals = ["".join(rng.choice(pieces, size=rng.integers(0, 4))) for _ in range(rng.integers(1, 6))]
        arr = pa.array(vals, pa.string())
        if len(arr) > 1 and rng.random() < 0.3:
            arr = arr.slice(1)
        assert strip_changes(arr) == any(v != v.strip() for v in arr.to_pylist()), vals
    assert strip_changes(pa.array(["ab", "", ""])) is False
    assert strip_changes(pa.array(["ab", "c\u3000"])) is True
    assert strip_changes(pa.array(["Иван Петров", "Ж"])) is False
