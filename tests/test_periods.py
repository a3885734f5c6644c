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
