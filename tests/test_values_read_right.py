"""A value is read right or reported, never bent (issue #13 item 8, "text markers"; issue #14 item 4).

Each case is a tiny hand-made file whose right reading is obvious; the old reading is named in the test's
docstring (measured at 3fe8092)."""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from metrics.errors import DataError
from metrics.importers import read_export, values
from metrics.periods import data_end, default_period, month

ROOT = Path(__file__).resolve().parents[1]


def real_data() -> Path:
    env = os.environ.get("SALESLENS_REAL_DATA")
    for p in ([Path(env)] if env else []) + [ROOT.parent / "shared" / "real-data", Path("/work/shared/real-data")]:
        if p.is_dir():
            return p
    pytest.skip("the real-data folder is absent")


def numbers(*cells):
    return values.parse_numbers(pd.Series(list(cells), dtype="string[pyarrow]"))


def notes(parse) -> dict[str, dict]:
    return {n.code: n.params_for() for n in parse.notes}


def warnings_of(f) -> dict[str, dict]:
    return {w["code"]: w["params"] for w in f.quality.warnings}


def csv(text: str) -> bytes:
    return text.encode("utf-8")


# --------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------

def test_scientific_notation_is_read_as_written():
    """Was 1.506 ('1.5E+06' stripped to its digits) and 1300 ('1e300')."""
    r = numbers("1.5E+06", "2", "-3.25e2")
    assert r.values.tolist() == [1_500_000.0, 2.0, -325.0] and not r.bad.any() and not r.notes


def test_amount_beyond_range_is_reported_not_summed():
    r = numbers("1e300", "5")
    assert np.isnan(r.values[0]) and r.values[1] == 5.0
    assert notes(r) == {"amount_out_of_range": {"count": 1, "example": "1e300", "limit": "1e+15"}}


def test_value_contradicting_the_columns_decimal_comma_is_reported():
    """'1234.56' among decimal-comma amounts was read as 123,456."""
    r = numbers("1.234,56", "99,5", "1234.56")
    assert r.decimal == "," and r.values[:2].tolist() == [1234.56, 99.5] and np.isnan(r.values[2])
    assert notes(r) == {"decimal_conflict": {"count": 1, "example": "1234.56", "decimal": ","}}


def test_dollar_amount_in_a_mixed_column_is_reported_not_shrunk():
    """'$1,234.56' among '1.234,56' amounts was read as 1.23456."""
    r = numbers("1.234,56", "2.000,00", "$1,234.56")
    assert r.values[:2].tolist() == [1234.56, 2000.0] and np.isnan(r.values[2])
    assert notes(r)["decimal_conflict"]["example"] == "$1,234.56"


def test_thousands_separators_still_read():
    assert numbers("1,234", "5,678").values.tolist() == [1234.0, 5678.0]
    assert numbers("1.234.567", "12").values.tolist() == [1234567.0, 12.0]
    assert numbers("1,234,567.89", "12.5").values.tolist() == [1234567.89, 12.5]
    assert numbers("1 234,56", "7").values.tolist() == [1234.56, 7.0]


def test_excel_errors_and_formulas_are_counted():
    r = numbers("#N/A", "100", "=SUM(B2:B9)", "#VALUE!")
    assert r.values[1] == 100.0 and np.isnan(r.values[[0, 2, 3]]).all()
    assert notes(r) == {"excel_errors": {"count": 2, "example": "#N/A"},
                        "formula_cells": {"count": 1, "example": "=SUM(B2:B9)"}}


# --------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------

def test_impossible_date_is_not_rolled_over():
    """'2025-02-30' was read as 2025-03-02 (arrow's strptime rolls the day over)."""
    r = values.parse_dates(pd.Series(["2025-02-30", "2025-01-01", "2024-02-29", "2025-03-01"]))
    assert r.values.isna().tolist() == [True, False, False, False]
    assert r.values[2] == pd.Timestamp("2024-02-29") and r.values[3] == pd.Timestamp("2025-03-01")
    assert notes(r) == {"impossible_dates": {"count": 1, "example": "2025-02-30"}}
    dmy = values.parse_dates(pd.Series(["31.04.2025 10:00:00", "01.05.2025 09:00:00", "15.01.2025 08:00:00"]))
    assert dmy.values.isna().tolist() == [True, False, False]
    assert notes(dmy)["impossible_dates"]["example"] == "31.04.2025 10:00:00"


def test_no_date_markers_are_empty_dates_counted():
    col = pd.Series(["не закрыта", "22.03.2022 13:32:00", "—", None, "n/a", "Не закрыто", "немає"], dtype=object)
    r = values.parse_dates(col)
    assert r.values.notna().tolist() == [False, True, False, False, False, False, False]
    assert not r.bad.any()
    assert notes(r) == {"date_markers": {"count": 5, "example": "не закрыта"}}


def test_far_future_dates_are_counted():
    r = values.parse_dates(pd.Series(["2025-01-05", "2099-05-01"]), today=pd.Timestamp("2025-06-01").date())
    assert r.values.notna().all()
    assert notes(r) == {"far_future_dates": {"count": 1, "example": "2099-05-01", "after": "2026-06-02"}}


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------

BASE = "deal_id,manager,client,created_at,closed_at,status,amount\n"


def test_impossible_created_date_rejects_its_row_with_count_and_example():
    f = read_export("d.csv", csv(BASE + "1,Anna,X,2025-02-30,,open,10\n2,Anna,Y,2025-02-03,,open,20\n"
                                        "3,Bob,Z,2025-02-04,2025-02-31,won,30\n4,Bob,W,2025-02-05,,open,5\n"))
    assert sorted(f.frame["deal_id"]) == ["2", "4"]
    got = {w["params"]["column"]: (w["params"]["count"], w["params"]["example"]) for w in f.quality.warnings
           if w["code"] == "impossible_dates"}
    assert got == {"created_at": (1, "2025-02-30"), "closed_at": (1, "2025-02-31")}
    assert sum(d["count"] for d in f.quality.dropped if d["reason"] == "impossible_date") == 2


def test_blank_and_na_managers_are_counted_by_name():
    """Deals of a whitespace-only manager vanished with a note on the Data page only; '#N/A' was a manager."""
    f = read_export("d.csv", csv(BASE + "1,Anna,X,2025-02-01,,open,10\n2,   ,Y,2025-02-02,,open,20\n"
                                        "3,#N/A,Z,2025-02-03,,open,30\n4,Bob,W,2025-02-04,,open,5\n"))
    assert set(f.frame["manager"]) == {"Anna", "Bob"}
    w = warnings_of(f)["blank_managers"]
    assert w["count"] == 2 and w["example"] == "   "


def test_one_id_with_two_managers_is_a_conflict_not_product_lines():
    """Was merged into one deal of the last manager with the amounts summed ("product lines")."""
    f = read_export("d.csv", csv(BASE + "7,Anna,X,2025-02-01,2025-02-10,won,100\n7,Bob,X,2025-02-01,2025-02-10,won,50\n"
                                        "8,Cy,Y,2025-02-02,2025-02-11,won,10\n"))
    assert f.frame["deal_id"].tolist() == ["8"]
    w = warnings_of(f)["conflicting_rows"]
    assert (w["count"], w["rows"], w["deal"], w["managers"]) == (1, 2, "7", "Anna, Bob")
    assert "product_lines_collapsed" not in warnings_of(f)


def test_product_lines_of_one_manager_still_collapse():
    f = read_export("d.csv", csv(BASE + "7,Anna,X,2025-02-01,2025-02-10,won,100\n7,Anna,X,2025-02-01,2025-02-10,won,50\n"))
    assert f.frame["amount"].tolist() == [150.0] and "conflicting_rows" not in warnings_of(f)


def test_sci_and_decimal_conflicts_reach_the_file_report():
    f = read_export("d.csv", csv("deal_id;manager;created_at;status;amount\n1;Anna;2025-02-01;won;1.234,56\n"
                                 "2;Anna;2025-02-02;won;99,5\n3;Bob;2025-02-03;won;1234.56\n"))
    assert f.frame.set_index("deal_id")["amount"].to_dict() == {"1": 1234.56, "2": 99.5, "3": 0.0}
    assert warnings_of(f)["decimal_conflict"]["example"] == "1234.56"


def test_outlier_date_does_not_move_the_default_period():
    """One deal dated 2099 moved the default period to 2099-05 (an empty report)."""
    rows = "".join(f"{i},Anna,X,2025-0{1 + i % 5}-1{i % 9},,open,10\n" for i in range(1, 40))
    f = read_export("d.csv", csv(BASE + rows + "99,Bob,Y,2099-05-01,,open,10\n"))
    assert warnings_of(f)["far_future_dates"]["count"] == 1
    assert data_end(deals=f.frame) == pd.Timestamp("2025-05-17").date()
    assert default_period(deals=f.frame) == month(2025, 4)


def test_data_end_keeps_a_real_latest_month():
    deals = pd.DataFrame({"created_at": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-03-31"]),
                          "closed_at": pd.to_datetime([None, None, None])})
    assert data_end(deals=deals) == pd.Timestamp("2025-03-31").date()


AMO = ("ID,Название сделки,Бюджет ,Ответственный,Дата создания сделки,Дата закрытия,Этап сделки\n"
       "1,Окна,0,Александр,22.03.2022 13:32:57,22.03.2022 13:32:00,Успешно реализовано\n"
       "2,Двери,1500,Олег,15.03.2022 11:01:13,не закрыта,Принимают решение\n"
       "3,Пульты,0,Антон,26.02.2022 09:30:09,не закрыта,Первичный контакт\n"
       "4,Замер,700,Олег,23.02.2022 17:31:14,не закрыта,Принимают решение\n")


def test_amocrm_open_deals_with_text_close_date_load():
    """The whole file was rejected, quoting a valid date ('22.03.2022 13:32:00') as the failing value."""
    f = read_export("leads.csv", AMO.encode())
    assert len(f.frame) == 4
    assert warnings_of(f)["date_markers"]["count"] == 3
    assert sorted(f.frame["status"]) == ["open", "open", "open", "won"]
    assert f.frame.loc[f.frame["status"] == "won", "closed_at"].tolist() == [pd.Timestamp("2022-03-22 13:32:00")]


def test_error_quotes_a_value_that_really_failed():
    """With fewer dates than other texts in the column, the file was rejected quoting a valid date."""
    f = read_export("leads.csv", AMO.replace("не закрыта", "закроем позже").encode())
    w = warnings_of(f)["unparsable_dates"]
    assert (w["column"], w["count"], w["example"]) == ("Дата закрытия", 3, "закроем позже")
    text = AMO.replace("не закрыта", "закроем позже").replace("22.03.2022 13:32:00,", "скоро,")
    with pytest.raises(DataError) as e:
        read_export("leads.csv", text.encode())
    assert e.value.code == "all_dates_unparsable" and e.value.params["value"] == "скоро"


def test_real_amocrm_export_loads():
    f = read_export("leads_test.csv", (real_data() / "amocrm" / "leads_test.csv").read_bytes())
    raw = pd.read_csv(real_data() / "amocrm" / "leads_test.csv", dtype=str)
    assert len(f.frame) == len(raw) == 20
    assert warnings_of(f)["date_markers"]["count"] == int((raw["Дата закрытия"] == "не закрыта").sum()) == 12
    won = raw["Этап сделки"] == "Успешно реализовано"
    assert int((f.frame["status"] == "won").sum()) == int(won.sum())
    lost = raw["Этап сделки"] == "Закрыто и не реализовано"
    assert int((f.frame["status"] == "lost").sum()) == int(lost.sum())
    assert sorted(f.frame["manager"].unique()) == sorted(raw["Ответственный"].unique())


# --------------------------------------------------------------------------------------------------
# No silent damage (issue #14 item 4)
# --------------------------------------------------------------------------------------------------

def test_xlsx_formulas_without_values_are_reported_not_zero():
    from hostile_files import formula_xlsx
    f = read_export("f.xlsx", formula_xlsx())
    w = warnings_of(f)["formula_cells"]
    assert w["count"] == 1 and w["example"] == "=C5*2" and w["column"] == "amount"


def test_mixed_utf8_and_cp1251_lines_decoded_per_line():
    """The cp1251 line turned the whole file into mojibake ('ÐžÐ»ÐµÐ½Ð°')."""
    data = ("deal_id,manager,created_at,amount\n1,Олена,2025-01-01,5\n".encode() + "2,Петро,2025-01-02,6\n"
            .encode("cp1251") + "3,Ірина,2025-01-03,7\n".encode())
    f = read_export("mixed.csv", data)
    assert f.frame["manager"].tolist() == ["Олена", "Петро", "Ірина"]
    assert warnings_of(f)["mixed_encoding"] == {"file": "mixed.csv", "count": 1, "line": 3, "encoding": "cp1251"}


def test_unbalanced_quote_names_its_line():
    """Was 'the file has a header but no data rows'."""
    data = csv("deal_id,manager,created_at,amount\n1,Anna,2025-01-01,5\n2,\"Bob,2025-01-02,6\n3,Cy,2025-01-03,7\n")
    with pytest.raises(DataError) as e:
        read_export("q.csv", data)
    assert e.value.code == "unbalanced_quote" and e.value.params["row"] == 3
    assert e.value.params["value"] == '2,"Bob,2025-01-02,6'


def test_quotes_inside_values_and_quoted_newlines_still_read():
    f = read_export("q.csv", csv('deal_id,manager,created_at,amount\n1,"Anna\nKarenina",2025-01-01,5\n'
                                 '2,Bo"b,2025-01-02,6\n'))
    assert f.frame["manager"].tolist() == ["Anna Karenina", 'Bo"b']


def test_cli_data_quality_names_the_notes_by_code(tmp_path):
    import json
    import subprocess
    import sys
    rows = "".join(f"{i},Anna,X,2025-0{1 + i % 3}-1{i % 9},,open,10\n" for i in range(1, 30))
    path = tmp_path / "d.csv"
    path.write_bytes(csv(BASE + rows + "98,   ,Y,2025-02-02,,open,20\n99,Bob,Y,2099-05-01,,open,10\n"))
    r = subprocess.run([sys.executable, "-m", "metrics", "report", "--deals", str(path)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    dq = json.loads(r.stdout)["data_quality"]
    codes = {n["code"]: n["params"] for n in dq["notes"]}
    assert codes["blank_managers"]["count"] == 1 and codes["far_future_dates"]["example"] == "2099-05-01"
    assert any("far in the future" in w for w in dq["warnings"])
    assert json.loads(r.stdout)["period"]["start"] == "2025-02-01"
