"""Downloads and CLI exports neutralise spreadsheet formulas in text cells."""
import contextlib
import io
from pathlib import Path

import pandas as pd
import pytest

from metrics.kpi import compute_kpis
from metrics.periods import month
from metrics.report import kpi_report, neutralise, to_csv, to_xlsx
from metrics.schema import standardize_deals


def test_neutralise():
    assert neutralise("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert [neutralise(v) for v in ("+1", "-1", "@SUM(A1)", "\tx", "Ann", 5, None)] == \
        ["'+1", "'-1", "'@SUM(A1)", "'\tx", "Ann", 5, None]


def test_formula_manager_names_are_inert_in_csv_and_xlsx():
    deals = standardize_deals(pd.DataFrame(
        [("1", '=HYPERLINK("http://evil","x")', "c", "2025-01-05", "2025-01-06", "won", "10"),
         ("2", "@cmd", "d", "2025-01-05", "", "open", "5")],
        columns=["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount"]))
    rep = kpi_report(scorecard=compute_kpis(deals=deals, period=month(2025, 1)), rows_read=2, rows_used=2)
    text = to_csv(rep).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "manager,'@cmd," in text
    sheet = pd.read_excel(io.BytesIO(to_xlsx(rep)), sheet_name="kpis", engine="openpyxl")
    assert set(sheet["manager"].dropna()) == {"'@cmd", "'=HYPERLINK(\"http://evil\",\"x\")"}
    assert rep["managers"][0]["manager"] in ('=HYPERLINK("http://evil","x")', "@cmd")   # JSON keeps the data


def test_parallel_ingest_gives_the_same_dataset_and_errors():
    from metrics.errors import DataError
    from metrics.ingest import ingest
    folder = Path(__file__).resolve().parents[1] / "sample_data" / "exports"
    files = [(n, (folder / n).read_bytes()) for n in ("pipedrive_deals.csv", "pipedrive_activities.csv",
                                                       "plans_wide.xlsx")]
    one, two = ingest(files), ingest(files, parallel=True)
    for kind in ("deals", "activities", "plans"):
        pd.testing.assert_frame_equal(getattr(one.data, kind), getattr(two.data, kind))
    assert one.data.warnings == two.data.warnings and len(two.data.deals) > 100
    assert [f.name for f in two.files] == [n for n, _ in files]
    broken = [files[0], ("broken.csv", b"\x89PNG\r\n\x1a\n....")]
    with pytest.raises(DataError) as err:
        ingest(broken, parallel=True)
    assert "broken.csv" in str(err.value)


TEXT_DTYPES = [object, "string[python]", "string[pyarrow]", pd.StringDtype("pyarrow", na_value=float("nan")),
               pd.StringDtype("python", na_value=float("nan")), "category"]


@pytest.mark.parametrize("dtype", TEXT_DTYPES, ids=str)
def test_every_text_dtype_is_guarded(dtype):
    """object, the string dtypes (pandas 3's default ``str`` is StringDtype(na_value=nan)) and categories
    are all text: a guard that picks columns by ``dtype == object`` alone fails here."""
    from metrics.report import guard_text
    df = pd.DataFrame({"manager": pd.Series(["=1+1", "@cmd", "Ann", None], dtype=dtype), "n": [1, 2, 3, 4]})
    out = guard_text(df)
    assert list(out["manager"].iloc[:3]) == ["'=1+1", "'@cmd", "Ann"] and pd.isna(out["manager"].iloc[3])
    same_kind = (isinstance(out["manager"].dtype, pd.CategoricalDtype) if dtype == "category"
                 else out["manager"].dtype == df["manager"].dtype)
    assert same_kind and list(out["n"]) == [1, 2, 3, 4]
    assert list(df["manager"].iloc[:3]) == ["=1+1", "@cmd", "Ann"]   # the input is not touched


def test_csv_is_guarded_when_strings_are_inferred_as_str():
    """Under pandas 3 (or pandas 2 with ``future.infer_string``) the report's frames hold ``str``
    columns, not object: the CSV must still carry the quote."""
    deals = standardize_deals(pd.DataFrame(
        [("1", "=cmd()", "c", "2025-01-05", "2025-01-06", "won", "10")],
        columns=["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount"]))
    rep = kpi_report(scorecard=compute_kpis(deals=deals, period=month(2025, 1)), rows_read=1, rows_used=1)
    # pandas 3 infers str by default (its option is deprecated there); pandas 2 needs the option
    infer = contextlib.nullcontext() if int(pd.__version__.split(".")[0]) >= 3 else \
        pd.option_context("future.infer_string", True)
    with infer:
        from metrics.report import report_tables
        kpis = report_tables(rep)["kpis"]
        text = to_csv(rep).decode("utf-8-sig")
    assert not pd.api.types.is_object_dtype(kpis["row"].dtype)   # really inferred as a string dtype
    assert list(kpis["manager"].dropna()) == ["'=cmd()"] and "manager,'=cmd()," in text
