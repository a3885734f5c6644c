"""Working days: Monday–Friday minus a country's public holidays, plus its working weekend days.

The one place that counts working days (``periods.Period.working_days``, the per-day activity figures and
the run-rate forecast all come here). Holidays come from the ``holidays`` package (pinned in
requirements.txt) with its observed-day rules (a holiday on a weekend moved to the next working day where
the law says so) and the government's day transfers (a weekday off worked back on a Saturday: both dates
are taken — the weekday as a day off, the Saturday as a working day; ``HolidayBase.weekend_workdays``).

Calendars offered (``CALENDARS``): ``UA`` Ukraine (default), ``PL`` Poland, ``KZ`` Kazakhstan, ``MD``
Moldova, ``GE`` Georgia, ``DE`` Germany (nation-wide holidays only), ``GB`` United Kingdom (England and
Wales bank holidays, the package's subdivision ``ENG``), ``US`` United States (federal holidays), and
``none`` (Monday–Friday, no holidays).

Ukraine under martial law
-------------------------
Part 6 of article 6 of the Law of Ukraine No. 2136-IX of 15.03.2022 "On the organisation of labour
relations under martial law" (in force from 24.03.2022) reads: during martial law the norms of article 73
of the Labour Code (public holidays and non-working days) and of part 3 of article 67 (a holiday on a
day off moves to the next working day) do not apply. Martial law has been in force since 24.02.2022
(Presidential Decree No. 64/2022, extended since). So from 24.03.2022 every public holiday is an ordinary
working day and nothing is carried over. The days off before that date — 1 Jan (observed 3 Jan), 7 Jan, the
Cabinet's transfer of 7 Mar to Saturday 12 Mar (order No. 1004-2021-р) and 8 Mar 2022 — were still days
off: the law did not act backwards, and those days fall before it.

What the package does (holidays 0.109, read in ``holidays/countries/ukraine.py``): from 2022 it lists Easter
and every later holiday of 2022 in its ``workday`` category instead of ``public`` and drops every public
holiday from 2023 on, without observed days — the same as the law for every date up to now. It does not
know when martial law ends; neither does this module (:data:`UA_MARTIAL_LAW_SINCE` is where a future end
date would go). :func:`holiday_table` applies the rule itself on top of the package (a public holiday of
Ukraine on or after 24.03.2022 is dropped) so that a package update that changes its reading cannot bring
days off back silently; a test checks 2021 (with the Cabinet's transfers, order No. 1191-2020-р) and 2026
against the official calendars.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError
from .frames import frame as text_frame

#: calendar code → (holidays country code, subdivision); "none" = Monday–Friday only.
CALENDARS: dict[str, tuple[str, str | None] | None] = {
    "UA": ("UA", None), "PL": ("PL", None), "KZ": ("KZ", None), "MD": ("MD", None), "GE": ("GE", None),
    "DE": ("DE", None), "GB": ("GB", "ENG"), "US": ("US", None), "none": None,
}
DEFAULT_CALENDAR = "UA"
#: Law No. 2136-IX (art. 6 part 6) in force: from this day Ukrainian public holidays are working days.
UA_MARTIAL_LAW_SINCE = date(2022, 3, 24)
HOLIDAY_COLUMNS = ["date", "name", "kind"]          # kind: "day_off" (a weekday not worked) | "workday"


def _package_version() -> str:
    import holidays
    return str(holidays.__version__)


def check_calendar(country: Any) -> str:
    """The calendar code, or DataError naming the argument."""
    if country is None:
        return DEFAULT_CALENDAR
    code = str(country)
    if code not in CALENDARS:
        raise DataError("bad_argument", column="calendar",
                        detail=f"calendar must be one of {list(CALENDARS)}, got {country!r}")
    return code


def _to_date(value: Any, name: str) -> date:
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise DataError("bad_argument", column=name, detail=f"{name} must be a date YYYY-MM-DD, got {value!r}")


@lru_cache(maxsize=256)
def _year_table(country: str, year: int) -> tuple[tuple[date, str, str], ...]:
    """(date, name, kind) of one calendar year: weekdays off and weekend days worked."""
    spec = CALENDARS[country]
    if spec is None:
        return ()
    import holidays
    code, subdiv = spec
    cal = holidays.country_holidays(code, subdiv=subdiv, years=year)   # categories: public (the default)
    rows = []
    for d, name in sorted(cal.items()):
        if d.year != year or cal._is_weekend(d):
            continue
        if code == "UA" and d >= UA_MARTIAL_LAW_SINCE:
            continue                                   # Law No. 2136-IX art. 6 part 6 (module docstring)
        rows.append((d, str(name), "day_off"))
    for d in sorted(cal.weekend_workdays):
        if d.year == year:
            rows.append((d, "working day (transfer)", "workday"))
    return tuple(sorted(rows))


def holiday_table(*, start: Any, end: Any, country: str = DEFAULT_CALENDAR) -> pd.DataFrame:
    """The calendar's exceptions in [start, end]: HOLIDAY_COLUMNS, sorted by date.

    ``day_off``: a Monday–Friday that is not worked (public holiday, observed day, transferred day off);
    ``workday``: a Saturday or Sunday that is worked (a transfer). Public holidays on weekends are not
    listed (they change nothing)."""
    code = check_calendar(country)
    a, b = _to_date(start, "start"), _to_date(end, "end")
    rows = [r for y in range(a.year, b.year + 1) for r in _year_table(code, y) if a <= r[0] <= b]
    return text_frame({"date": pd.Series([r[0] for r in rows], dtype=object),
                       "name": pd.Series([r[1] for r in rows], dtype=object),
                       "kind": pd.Series([r[2] for r in rows], dtype=object)})


def _exceptions(code: str, a: date, b: date) -> tuple[np.ndarray, np.ndarray]:
    rows = [r for y in range(a.year, b.year + 1) for r in _year_table(code, y)]
    off = np.array([r[0] for r in rows if r[2] == "day_off"], dtype="datetime64[D]")
    on = np.array([r[0] for r in rows if r[2] == "workday"], dtype="datetime64[D]")
    return off, on


def working_dates(*, start: Any, end: Any, country: str = DEFAULT_CALENDAR) -> np.ndarray:
    """The working days in [start, end] (datetime64[D], ascending): Monday–Friday not off, plus the
    weekend days worked."""
    code = check_calendar(country)
    a, b = _to_date(start, "start"), _to_date(end, "end")
    if a > b:
        return np.zeros(0, dtype="datetime64[D]")
    days = np.arange(np.datetime64(a, "D"), np.datetime64(b + timedelta(days=1), "D"))
    off, on = _exceptions(code, a, b)
    weekday = np.is_busday(days)
    return days[(weekday & ~np.isin(days, off)) | (~weekday & np.isin(days, on))]


def working_days(*, start: Any, end: Any, country: str = DEFAULT_CALENDAR) -> int:
    """Number of working days in [start, end] (0 when start > end):
    ``busday_count(Mon–Fri minus the days off) + weekend days worked``."""
    code = check_calendar(country)
    a, b = _to_date(start, "start"), _to_date(end, "end")
    if a > b:
        return 0
    off, on = _exceptions(code, a, b)
    lo, hi = np.datetime64(a, "D"), np.datetime64(b, "D")
    on = on[(on >= lo) & (on <= hi)]
    return int(np.busday_count(a, b + timedelta(days=1), holidays=off)) + int(len(on))


def calendar_name(country: str = DEFAULT_CALENDAR) -> str:
    """A short English name of the calendar used, e.g. "Ukraine (holidays 0.109)" — shown beside forecasts
    and per-working-day figures (the app has translated names, ``ui/locale/*.po`` "cal.<code>")."""
    code = check_calendar(country)
    names = {"UA": "Ukraine", "PL": "Poland", "KZ": "Kazakhstan", "MD": "Moldova", "GE": "Georgia",
             "DE": "Germany", "GB": "United Kingdom (England and Wales)", "US": "United States (federal)",
             "none": "Monday–Friday, no holidays"}
    return names[code] if code == "none" else f"{names[code]} (holidays {_package_version()})"
