"""Periods: inclusive date ranges, their previous window, and the default period.

A period P is an inclusive range of dates [start, end]; timestamps compare by their date.
Previous window: when P is made of whole calendar months, the same number of whole months just
before it; otherwise the same number of days just before it.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from .errors import DataError


def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


@dataclass(frozen=True)
class Period:
    """Inclusive date range [start, end]."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if not isinstance(self.start, date) or not isinstance(self.end, date):
            raise DataError("bad_period", detail="start and end must be dates")
        if self.start > self.end:
            raise DataError("bad_period", detail=f"start {self.start} is after end {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_whole_months(self) -> bool:
        return self.start.day == 1 and self.end == _month_end(self.end.year, self.end.month)

    @property
    def n_months(self) -> int:
        return (self.end.year * 12 + self.end.month) - (self.start.year * 12 + self.start.month) + 1

    def previous(self) -> "Period":
        """The window just before: same number of whole months, else same number of days."""
        if self.is_whole_months:
            y, m = _add_months(self.start.year, self.start.month, -self.n_months)
            return Period(date(y, m, 1), self.start - timedelta(days=1))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def month_overlaps(self) -> pd.DataFrame:
        """One row per calendar month touched: month (YYYY-MM), days_inside, days_in_month, share."""
        rows = []
        y, m = self.start.year, self.start.month
        while date(y, m, 1) <= self.end:
            first, last = date(y, m, 1), _month_end(y, m)
            inside = (min(last, self.end) - max(first, self.start)).days + 1
            rows.append((f"{y:04d}-{m:02d}", inside, last.day, inside / last.day))
            y, m = _add_months(y, m, 1)
        return pd.DataFrame(rows, columns=["month", "days_inside", "days_in_month", "share"])

    def working_days(self, calendar: str = "none") -> int:
        """Working days inside the period in ``calendar`` (``metrics.calendars``: "none" = Monday–Friday,
        "UA", "PL", …: minus public holidays, plus weekend days worked by transfer)."""
        from .calendars import working_days
        return working_days(start=self.start, end=self.end, country=calendar)

    def covered(self, end: date | None) -> "Period | None":
        """The part of the period the data covers: [start, min(end, data end)] (the data's end as given,
        e.g. :func:`complete_through` of :func:`data_end`); the whole period when ``end`` is None, None when
        the data ends before the period starts."""
        if end is None or end >= self.end:
            return self
        if end < self.start:
            return None
        return Period(self.start, end)

    def mask(self, s: pd.Series) -> pd.Series:
        """Boolean mask: the timestamp's date lies in [start, end] (NaT → False)."""
        lo = pd.Timestamp(self.start)
        hi = pd.Timestamp(self.end) + pd.Timedelta(days=1)
        return (s >= lo) & (s < hi)

    def as_dict(self) -> dict[str, str]:
        prev = self.previous()
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                "previous_start": prev.start.isoformat(), "previous_end": prev.end.isoformat()}

    def label(self) -> str:
        if self.is_whole_months and self.n_months == 1:
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()} – {self.end.isoformat()}"


def month(y: int, m: int) -> Period:
    return Period(date(y, m, 1), _month_end(y, m))


def quarter(y: int, q: int) -> Period:
    return Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q))


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31))


#: a date is an outlier of the data (a typo such as 2099, a far expected-close date) when it lies more
#: than OUTLIER_GAP_DAYS after every date of the data's bulk and at most OUTLIER_SHARE of the dates (at
#: least one) lie beyond that gap; outliers never move the data's end (and so the default period)
OUTLIER_GAP_DAYS = 183
OUTLIER_SHARE = 0.001


def data_end(*, deals: pd.DataFrame, activities: pd.DataFrame | None = None) -> date | None:
    """Latest date of the data's bulk (created_at, closed_at, activity dates); None when empty.

    Outlier dates (see :data:`OUTLIER_GAP_DAYS`) are not the end: one deal dated 2099 among deals of
    2025 leaves the end in 2025. The importer counts such dates (``far_future_dates``)."""
    cols = [deals["created_at"], deals["closed_at"]]
    if activities is not None and len(activities):
        cols.append(activities["at"])
    stamps = [c.max() for c in cols]
    stamps = [s for s in stamps if pd.notna(s)]
    if not stamps:
        return None
    top = max(stamps)
    days = [c.to_numpy(dtype="datetime64[ns]") for c in cols]
    near = np.datetime64(top, "ns") - np.timedelta64(OUTLIER_GAP_DAYS, "D")
    total = sum(int((~np.isnat(d)).sum()) for d in days)
    cap = max(1, int(total * OUTLIER_SHARE))
    if sum(int((d >= near).sum()) for d in days) > cap:  # the usual case: the latest dates are many
        return top.date()
    return _bulk_end(np.concatenate([d[~np.isnat(d)] for d in days]).astype("datetime64[D]"), cap)


def _bulk_end(x: np.ndarray, cap: int) -> date:
    """The largest date before the first gap of more than OUTLIER_GAP_DAYS among the ``cap`` + 1 largest."""
    k = min(len(x), cap + 1)
    top = np.sort(np.partition(x, len(x) - k)[len(x) - k:])
    gaps = np.flatnonzero(np.diff(top).astype(np.int64) > OUTLIER_GAP_DAYS)
    end = top[gaps[0]] if len(gaps) else top[-1]
    return pd.Timestamp(end).date()


def last_working_day(y: int, m: int) -> date:
    """The month's last Monday–Friday."""
    d = _month_end(y, m)
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


def complete_through(end: date) -> date:
    """The data's end pushed to its month's last day when it reaches the month's last working day
    (so a month whose export stops on Friday the 30th counts as complete, as in :func:`default_period`)."""
    return _month_end(end.year, end.month) if end >= last_working_day(end.year, end.month) else end


#: A month's leads are "mostly closed" when at most this share of them is still open.
MOSTLY_CLOSED_OPEN_SHARE = 0.5


class _Unset:
    """The type of :data:`UNSET`: "not given" where None is a meaningful value (no data end: empty data)."""

    def __repr__(self) -> str:
        return "UNSET"


#: the default of ``end=`` in :func:`default_period` / :func:`default_year`: compute :func:`data_end` here
UNSET = _Unset()


def _end_of(end: "date | None | _Unset", deals: pd.DataFrame, activities: pd.DataFrame | None) -> date | None:
    """``end`` when given (a precomputed :func:`data_end` of these data, None for empty data), else
    :func:`data_end` of ``deals`` and ``activities``."""
    return data_end(deals=deals, activities=activities) if isinstance(end, _Unset) else end


def _latest_complete_month(*, deals: pd.DataFrame, activities: pd.DataFrame | None,
                           end: "date | None | _Unset" = UNSET) -> Period:
    end = _end_of(end, deals, activities)
    if end is None:
        today = date.today()
        y, m = _add_months(today.year, today.month, -1)
        return month(y, m)
    if end >= last_working_day(end.year, end.month):
        return month(end.year, end.month)
    y, m = _add_months(end.year, end.month, -1)
    start = min(deals["created_at"].min(), deals["closed_at"].min()) if len(deals) else pd.NaT
    if pd.notna(start) and date(y, m, 1) < start.date().replace(day=1):
        return month(end.year, end.month)
    return month(y, m)


def open_share(*, deals: pd.DataFrame, period: "Period") -> float | None:
    """Share of the deals created in ``period`` whose status is open (None without leads or status)."""
    if "status" not in deals.columns or not len(deals):
        return None
    inside = period.mask(deals["created_at"]).to_numpy(dtype=bool)
    n = int(inside.sum())
    if not n:
        return None
    return float((deals["status"].to_numpy()[inside] == "open").sum()) / n


def default_period(*, deals: pd.DataFrame, activities: pd.DataFrame | None = None,
                   end: "date | None | _Unset" = UNSET) -> Period:
    """The latest calendar month that is complete in the data and whose leads are mostly closed.

    A month is complete when the data reaches its last working day (Mon–Fri): exports of a month that
    ends on a weekend usually stop on the Friday. With no complete month (data covering part of one
    month only) the month that holds the data's end is used. Mostly closed: at most half
    (:data:`MOSTLY_CLOSED_OPEN_SHARE`) of the deals created in the month are still open — else the month
    before is tried, back to the data's first month; when no month qualifies (or the deals have no
    status) the latest complete month is used.

    ``end``: the data's end when the caller has it already (``data_end(deals=deals,
    activities=activities)``, None for empty data) — the same period without the three scans of
    :func:`data_end`; not given: computed here.
    """
    latest = _latest_complete_month(deals=deals, activities=activities, end=end)
    if "status" not in deals.columns or not len(deals):
        return latest
    first = min(d for d in (deals["created_at"].min(), deals["closed_at"].min()) if pd.notna(d)) \
        if deals["created_at"].notna().any() else None
    p = latest
    while first is not None and p.end >= first.date():
        share = open_share(deals=deals, period=p)
        if share is not None and share <= MOSTLY_CLOSED_OPEN_SHARE:
            return p
        y, m = _add_months(p.start.year, p.start.month, -1)
        p = month(y, m)
    return latest


def default_year(*, deals: pd.DataFrame, activities: pd.DataFrame | None = None,
                 end: "date | None | _Unset" = UNSET) -> int:
    """The year Period → Year starts on: the latest calendar year the data reaches the end of
    (:func:`complete_through` of the data's end ≥ 31 December), else the year of :func:`default_period`
    (then shown as covered up to the data's end). ``end``: as in :func:`default_period`."""
    end = _end_of(end, deals, activities)
    if end is None:
        return default_period(deals=deals, activities=activities, end=end).start.year
    through = complete_through(end)
    y = through.year if through >= date(through.year, 12, 31) else through.year - 1
    start = min(d for d in (deals["created_at"].min(), deals["closed_at"].min()) if pd.notna(d)) \
        if len(deals) and deals["created_at"].notna().any() else None
    if start is not None and y >= start.year:
        return y
    return default_period(deals=deals, activities=activities, end=end).start.year


def parse_date(text: str, *, what: str) -> date:
    """YYYY-MM-DD → date, or DataError naming the argument."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise DataError("bad_period", detail=f"{what} must be a date YYYY-MM-DD, got {text!r}") from None
