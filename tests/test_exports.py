"""Downloads and CLI exports neutralise spreadsheet formulas in text cells."""
import io

import pandas as pd

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
    sheet = pd.read_excel(io.BytesIO(to_xlsx(rep)), sheet_name="kpis")
    assert set(sheet["manager"].dropna()) == {"'@cmd", "'=HYPERLINK(\"http://evil\",\"x\")"}
    assert rep["managers"][0]["manager"] in ('=HYPERLINK("http://evil","x")', "@cmd")   # JSON keeps the data
