"""What is loaded: row counts, date ranges, managers, and monthly volumes (for the Data page).

Vectorised for millions of rows: months are ``datetime64[M]`` integers counted with ``np.bincount``, never
formatted strings per row (the result is the same as a ``groupby`` over ``YYYY-MM`` strings).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .loading import Dataset
from .frames import rows_frame, frame as text_frame


def n_distinct(s: pd.Series) -> int:
    """``s.nunique()`` (nulls not counted). Text in an object column (the engine's managers): the distinct
    values of a Python ``set`` — ~4× faster than pandas' object hash table at millions of rows (the
    strings' hashes are cached), the same count, since for ``str`` values set equality is pandas'; any
    other kind of value: ``pd.unique``."""
    v = s.to_numpy()
    if v.dtype == object:
        try:
            got = [x for x in set(v) if not _is_null(x)]
        except TypeError:                       # an unhashable cell: pandas says what it is
            got = [None]
        if all(type(x) is str for x in got):
            return len(got)
    u = pd.unique(v)
    return int(len(u) - pd.isna(u).sum())


def _is_null(x) -> bool:
    """One value is missing (None, NaN, NaT, pd.NA) as ``pd.isna`` says for a scalar."""
    return x is None or (not isinstance(x, str) and bool(pd.isna(x)))


def dataset_summary(*, data: Dataset) -> pd.DataFrame:
    """One row per loaded kind: kind, rows, managers, date_min, date_max (dates as YYYY-MM-DD or None)."""
    rows = []
    for kind, frame, col in (("deals", data.deals, "created_at"), ("activities", data.activities, "at"),
                             ("plans", data.plans, None)):
        if frame is None:
            continue
        if col:
            lo, hi = frame[col].min(), frame[col].max()
            lo, hi = (None if pd.isna(lo) else lo.date().isoformat()), (None if pd.isna(hi) else hi.date().isoformat())
        else:
            lo = frame["month"].min() if len(frame) else None
            hi = frame["month"].max() if len(frame) else None
        rows.append({"kind": kind, "rows": len(frame), "managers": n_distinct(frame["manager"]),
                     "date_min": lo, "date_max": hi})
    return rows_frame(rows, columns=["kind", "rows", "managers", "date_min", "date_max"])


def _months(s: pd.Series) -> np.ndarray:
    """Calendar month of each timestamp as int64 months since 1970-01 (NaT → the int64 minimum)."""
    v = s.to_numpy()
    if v.dtype.kind != "M":
        v = pd.to_datetime(s).to_numpy()
    return v.astype("datetime64[M]").astype("int64")


def _days(s: pd.Series) -> np.ndarray:
    """Calendar day of each timestamp as int64 days since 1970-01-01 (NaT → the int64 minimum): a division,
    where the month (:func:`_months`) needs numpy's calendar per row."""
    v = s.to_numpy()
    if v.dtype.kind != "M":
        v = pd.to_datetime(s).to_numpy()
    return v.astype("datetime64[D]").view("int64")


#: the widest span of days (~1,100 years) counted day by day; data spanning more is counted by month per row
_DAY_SPAN = 400_000


def monthly_volume(*, data: Dataset) -> pd.DataFrame:
    """Rows per month: month (YYYY-MM), series ∈ {created, won, lost, open, activities}, count.

    created = deals created in the month; won/lost = deals closed that month with that status; open =
    deals created that month that are still open; activities = activity rows dated that month. Rows are
    ordered by month, then series (as strings); only non-zero counts are listed.
    """
    nat = np.iinfo("int64").min
    d = data.deals
    status = d["status"]
    codes, statuses = pd.factorize(status)                 # closed deals: their status is the series
    is_open = np.isin(codes, [i for i, x in enumerate(statuses) if x == "open"])   # = (status == "open")
    names = ["created", "open", "activities"] + [str(x) for x in statuses if x != "open"]
    names = list(dict.fromkeys(names))
    idx = {n: i for i, n in enumerate(names)}
    status_series = np.array([idx.get(str(x), -1) for x in statuses], dtype="int64")
    not_open = ~is_open & (codes >= 0)
    created, closed = _days(d["created_at"]), _days(d["closed_at"])
    # (day of each row, its series: one for the whole part or one per row), NaT rows left out
    parts = [(created, idx["created"]), (closed[not_open], status_series[codes[not_open]]),
             (created[is_open], idx["open"])]
    if data.activities is not None:
        parts.append((_days(data.activities["at"]), idx["activities"]))
    kept = []
    for day, series in parts:
        ok = day != nat
        kept.append((day[ok], series if np.ndim(series) == 0 else series[ok]))
    kept = [(day, series) for day, series in kept if len(day)]
    if not kept:
        return text_frame({"month": pd.Series(dtype=object), "series": pd.Series(dtype=object),
                           "count": pd.Series(dtype="int64")})
    k = len(names)
    d_lo = min(int(day.min()) for day, _ in kept)
    d_hi = max(int(day.max()) for day, _ in kept)
    if d_hi - d_lo < _DAY_SPAN:
        # rows counted per day and series, then the days' counts summed per month (same totals, no
        # calendar conversion per row): every month from the first to the last has at least one day here
        span_d = d_hi - d_lo + 1
        per_day = np.zeros((span_d, k), dtype="int64")
        for day, series in kept:
            if np.ndim(series) == 0:
                per_day[:, int(series)] += np.bincount(day - d_lo, minlength=span_d)
            else:
                per_day += np.bincount((day - d_lo) * k + series, minlength=span_d * k).reshape(span_d, k)
        month_of = np.arange(d_lo, d_hi + 1, dtype="int64").astype("datetime64[D]").astype("datetime64[M]") \
            .astype("int64")
        lo = int(month_of[0])
        span = int(month_of[-1]) - lo + 1
        starts = np.flatnonzero(np.r_[True, month_of[1:] != month_of[:-1]])
        counts = np.add.reduceat(per_day, starts, axis=0).reshape(-1)
    else:                                                   # dates ~1,100 years apart: month per row
        month = np.concatenate([day.astype("datetime64[D]").astype("datetime64[M]").astype("int64")
                                for day, _ in kept])
        series = np.concatenate([np.full(len(day), series) if np.ndim(series) == 0 else series
                                 for day, series in kept]).astype("int64")
        lo = int(month.min())
        span = int(month.max()) - lo + 1
        counts = np.bincount((month - lo) * k + series, minlength=span * k)
    cells = np.flatnonzero(counts)
    labels = pd.Series(np.arange(lo, lo + span).astype("datetime64[M]")).dt.strftime("%Y-%m").to_numpy(dtype=object)
    out = text_frame({"month": labels[cells // k], "series": np.asarray(names, dtype=object)[cells % k],
                      "count": counts[cells].astype("int64")})
    return out.sort_values(["month", "series"], kind="stable", ignore_index=True)
