from datetime import date

import pandas as pd
import pytest

from metrics.errors import DataError
from metrics.periods import Period, default_period, month, quarter, year


def test_previous_window_whole_months():
    assert month(2025, 3).previous() == month(2025, 2)
    assert month(2025, 1).previous() == month(2024, 12)
    assert quarter(2025, 1).previous() == Period(date(2024, 10, 1), date(2024, 12, 31))
    assert year(2025).previous() == year(2024)
    assert Period(date(2025, 2, 1), date(2025, 4, 30)).previous() == Period(date(2024, 11, 1), date(2025, 1, 31))


def test_previous_window_days():
    p = Period(date(2025, 3, 10), date(2025, 3, 16))
    assert p.previous() == Period(date(2025, 3, 3), date(2025, 3, 9))


def test_month_overlaps_and_working_days():
    p = Period(date(2025, 1, 16), date(2025, 2, 15))
    mo = p.month_overlaps()
    assert mo["month"].tolist() == ["2025-01", "2025-02"]
    assert mo["days_inside"].tolist() == [16, 15]
    assert month(2025, 1).working_days() == 23
    assert month(2025, 2).working_days() == 20


def test_mask_compares_by_date():
    s = pd.Series(pd.to_datetime(["2025-01-31 23:59:59", "2025-02-01 00:00", "2024-12-31 23:59", None], format="mixed"))
    assert month(2025, 1).mask(s).tolist() == [True, False, False, False]


def test_bad_period():
    with pytest.raises(DataError, match="after"):
        Period(date(2025, 2, 1), date(2025, 1, 1))


def _deals(*stamps):
    ts = pd.to_datetime(list(stamps), format="mixed")
    return pd.DataFrame({"created_at": ts, "closed_at": pd.Series(pd.NaT, index=range(len(ts)))})


def test_default_period_latest_complete_month():
    assert default_period(deals=_deals("2025-01-03", "2025-03-31 10:00")) == month(2025, 3)
    assert default_period(deals=_deals("2025-01-03", "2025-03-30")) == month(2025, 2)
    # October 2026 ends on a Saturday: data up to Friday 30th makes it complete
    assert default_period(deals=_deals("2026-09-01", "2026-10-30 17:00")) == month(2026, 10)
    # data inside one month only: that month
    assert default_period(deals=_deals("2025-03-03", "2025-03-10")) == month(2025, 3)


def _with_status(rows):
    return pd.DataFrame({"created_at": pd.to_datetime([r[0] for r in rows], format="mixed"),
                         "closed_at": pd.to_datetime([r[1] for r in rows], format="mixed"),
                         "status": [r[2] for r in rows]})


def test_default_period_skips_a_latest_month_whose_leads_are_mostly_open():
    from metrics.periods import default_year, open_share
    # March 2025 complete (data to the 31st) but 2 of its 3 leads open → February (1 of 2 open = 50%: ok)
    d = _with_status([("2025-01-10", "2025-01-20", "won"), ("2025-02-03", "2025-02-20", "lost"),
                      ("2025-02-10", None, "open"), ("2025-03-03", "2025-03-31 10:00", "won"),
                      ("2025-03-20", None, "open"), ("2025-03-25", None, "open")])
    assert open_share(deals=d, period=month(2025, 3)) == pytest.approx(2 / 3)
    assert default_period(deals=d) == month(2025, 2)
    # every month mostly open: the latest complete month
    d2 = _with_status([("2025-02-10", None, "open"), ("2025-03-31 10:00", None, "open")])
    assert default_period(deals=d2) == month(2025, 3)
    # years: data from Jan 2025 to Mar 2025 reach no year's end → the default month's year; to Dec 2025 → 2025
    assert default_year(deals=d) == 2025
    # (a deal every month: data_end ignores isolated outlier dates)
    monthly = [(f"{y}-{m:02d}-10", f"{y}-{m:02d}-20", "won") for y in (2024, 2025) for m in range(1, 13)
               if (y, m) >= (2024, 5)]
    d3 = _with_status(monthly[:-1] + [("2025-12-31 10:00", None, "open")])
    assert default_year(deals=d3) == 2025
    d4 = _with_status([r for r in monthly if r[0] < "2025-10-31"] + [("2025-10-30", None, "open")])
    assert default_year(deals=d4) == 2024


def test_covered_part_of_a_period():
    p = month(2026, 10)
    assert p.covered(None) == p and p.covered(date(2026, 11, 3)) == p
    assert p.covered(date(2026, 10, 20)) == Period(date(2026, 10, 1), date(2026, 10, 20))
    assert p.covered(date(2026, 9, 30)) is None


def test_default_period_and_year_take_a_precomputed_data_end(data_end_calls):
    """``end=``: the data's end the caller has already (the app's ``data_end_of``). Given, ``data_end`` is
    not called; the answer is the one computed from the data; None (empty data) stays "no end"."""
    from metrics import periods
    from metrics.periods import default_year, data_end
    d = _with_status([("2025-01-10", "2025-01-20", "won"), ("2025-02-03", "2025-02-20", "lost"),
                      ("2025-02-10", None, "open"), ("2025-03-03", "2025-03-31 10:00", "won"),
                      ("2025-03-20", None, "open"), ("2025-03-25", None, "open")])
    end = data_end(deals=d)
    assert end == date(2025, 3, 31)
    calls = data_end_calls()
    assert default_period(deals=d, end=end) == default_period(deals=d) == month(2025, 2)
    assert default_year(deals=d, end=end) == default_year(deals=d) == 2025
    assert len(calls) == 2                          # only the two calls without end= computed it
    # the end is used as given: a data end on 28 March (before March's last working day) → February's
    # leads then March is not complete; a data end of 31 December 2025 → the year 2025 is complete
    assert default_period(deals=_deals("2025-01-03", "2025-03-31 10:00"), end=date(2025, 3, 28)) == month(2025, 2)
    assert default_period(deals=_deals("2025-01-03", "2025-03-31 10:00")) == month(2025, 3)
    assert default_year(deals=_deals("2024-01-03", "2025-03-31 10:00"), end=date(2025, 12, 31)) == 2025
    assert default_year(deals=_deals("2024-01-03", "2025-03-31 10:00")) == 2024
    # None: empty data (no end) — the month before today's, as without end=
    empty = _deals()
    assert default_period(deals=empty, end=None) == default_period(deals=empty)
    assert len(calls) == 5
