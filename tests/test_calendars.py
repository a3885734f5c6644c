"""Working-day calendars (metrics.calendars) against the official calendars."""
from __future__ import annotations

import calendar as _cal
from datetime import date

import numpy as np
import pytest

from metrics import calendars
from metrics.errors import DataError


def _months(year: int, country: str) -> list[int]:
    return [calendars.working_days(start=date(year, m, 1), end=date(year, m, _cal.monthrange(year, m)[1]),
                                   country=country) for m in range(1, 13)]


def test_ukraine_2021_with_cabinet_transfers_equals_the_official_calendar():
    # Official norm of working time for 2021 (Ministry of Social Policy of Ukraine, "Розрахунок норми
    # тривалості робочого часу на 2021 рік", 40-hour week): 250 working days; by month 19, 20, 22, 22, 18,
    # 20, 22, 21, 22, 20, 22, 22. Transfers by Cabinet order No. 1191-2020-р: 8 Jan → Sat 16 Jan,
    # 23 Aug → Sat 28 Aug, 15 Oct → Sat 23 Oct.
    assert _months(2021, "UA") == [19, 20, 22, 22, 18, 20, 22, 21, 22, 20, 22, 22]
    assert calendars.working_days(start="2021-01-01", end="2021-12-31", country="UA") == 250
    t = calendars.holiday_table(start="2021-01-01", end="2021-12-31", country="UA")
    worked = set(t.loc[t["kind"] == "workday", "date"])
    assert worked == {date(2021, 1, 16), date(2021, 8, 28), date(2021, 10, 23)}
    off = set(t.loc[t["kind"] == "day_off", "date"])
    assert {date(2021, 1, 8), date(2021, 8, 23), date(2021, 10, 15)} <= off
    assert date(2021, 5, 3) in off and date(2021, 5, 4) in off        # 1 May (Sat), Easter 2 May: observed
    assert len(off) == 14


def test_ukraine_2026_under_martial_law_has_no_days_off():
    # Law No. 2136-IX art. 6 part 6: under martial law art. 73 of the Labour Code (holidays) does not
    # apply (and neither does art. 67 part 3, the carry-over), so all 261 Monday–Friday days of 2026 are
    # working days; no Cabinet transfers were made for 2023–2026.
    assert calendars.working_days(start="2026-01-01", end="2026-12-31", country="UA") == 261
    assert calendars.holiday_table(start="2026-01-01", end="2026-12-31", country="UA").empty
    # 8 March 2022 came before the law (in force 24.03.2022) and was still a day off; Easter 2022 was not
    t = calendars.holiday_table(start="2022-01-01", end="2022-12-31", country="UA")
    assert set(t["date"]) == {date(2022, 1, 3), date(2022, 1, 7), date(2022, 3, 7), date(2022, 3, 8),
                              date(2022, 3, 12)}
    assert calendars.working_days(start="2022-01-01", end="2022-12-31", country="UA") == 260 - 4 + 1


def test_united_states_2026_federal_holidays_equal_opm():
    # OPM federal holidays 2026 (opm.gov/policy-data-oversight/pay-leave/federal-holidays): 1 Jan, 19 Jan,
    # 16 Feb, 25 May, 19 Jun, Fri 3 Jul (4 Jul is a Saturday), 7 Sep, 12 Oct, 11 Nov, 26 Nov, 25 Dec —
    # 11 weekdays, so 261 − 11 = 250 working days.
    t = calendars.holiday_table(start="2026-01-01", end="2026-12-31", country="US")
    assert list(t["date"]) == [date(2026, 1, 1), date(2026, 1, 19), date(2026, 2, 16), date(2026, 5, 25),
                               date(2026, 6, 19), date(2026, 7, 3), date(2026, 9, 7), date(2026, 10, 12),
                               date(2026, 11, 11), date(2026, 11, 26), date(2026, 12, 25)]
    assert calendars.working_days(start="2026-01-01", end="2026-12-31", country="US") == 250


def test_england_2026_bank_holidays_equal_gov_uk():
    # gov.uk/bank-holidays, England and Wales 2026: 1 Jan, 3 Apr, 6 Apr, 4 May, 25 May, 31 Aug, 25 Dec,
    # 28 Dec (Boxing Day substitute) → 261 − 8 = 253.
    assert calendars.working_days(start="2026-01-01", end="2026-12-31", country="GB") == 253


def test_working_dates_agree_with_the_count_and_none_is_monday_to_friday():
    for country in calendars.CALENDARS:
        d = calendars.working_dates(start="2021-01-01", end="2021-12-31", country=country)
        assert len(d) == calendars.working_days(start="2021-01-01", end="2021-12-31", country=country)
        assert np.all(np.diff(d).astype(int) > 0)
    assert calendars.working_days(start="2026-01-01", end="2026-12-31", country="none") == 261
    assert calendars.working_days(start="2026-02-02", end="2026-02-01") == 0
    # a window of one working Saturday
    assert calendars.working_days(start="2021-01-16", end="2021-01-17", country="UA") == 1


def test_unknown_calendar_names_the_argument():
    with pytest.raises(DataError, match="calendar"):
        calendars.working_days(start="2026-01-01", end="2026-01-31", country="XX")
    assert "holidays" in calendars.calendar_name("UA")


def test_planning_and_periods_count_working_days_through_the_calendars():
    import pandas as pd
    from metrics import planning
    from metrics.periods import month
    # January 2021 in Ukraine: 19 (1, 7, 8 Jan off, Saturday 16 Jan worked)
    assert planning.working_days(start="2021-01-01", end="2021-01-31", holidays="UA") == 19
    assert month(2021, 1).working_days("UA") == 19 and month(2021, 1).working_days() == 21
    deals = pd.DataFrame({"deal_id": ["1"], "manager": ["A"], "client": ["x"],
                          "created_at": pd.to_datetime(["2020-12-01"]), "closed_at": pd.to_datetime(["2021-01-16"]),
                          "status": ["won"], "amount": [100.0]})
    out = planning.forecast(deals=deals, period=month(2021, 1), as_of="2021-01-16", holidays="UA")
    team = out.iloc[-1]
    # elapsed: 4, 5, 6, 11–15, 16 (Saturday worked) = 9; total 19
    assert (team["elapsed_wd"], team["total_wd"]) == (9, 19)
    assert team["projected"] == pytest.approx(100 / 9 * 19)
