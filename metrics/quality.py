"""What is loaded: row counts, date ranges, managers, and monthly volumes (for the Data page).

Vectorised for millions of rows: months are ``datetime64[M]`` integers counted with ``np.bincount``, never
formatted strings per row (the result is the same as a ``groupby`` over ``YYYY-MM`` strings).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .loading import Dataset
from .frames import rows_frame, frame as text_frame


def _n_distinct(s: pd.Series) -> int:
    """``s.nunique()`` (nulls not counted)."""
    u = pd.unique(s.to_numpy())
    return int(len(u) - pd.isna(u).sum())


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
        rows.append({"kind": kind, "rows": len(frame), "managers": _n_distinct(frame["manager"]),
                     "date_min": lo, "date_max": hi})
    return rows_frame(rows, columns=["kind", "rows", "managers", "date_min", "date_max"])


def _months(s: pd.Series) -> np.ndarray:
    """Calendar month of each timestamp as int64 months since 1970-01 (NaT → the int64 minimum)."""
    v = s.to_numpy()
    if v.dtype.kind != "M":
        v = pd.to_datetime(s).to_numpy()
    return v.astype("datetime64[M]").astype("int64")


def monthly_volume(*, data: Dataset) -> pd.DataFrame:
    """Rows per month: month (YYYY-MM), series ∈ {created, won, lost, open, activities}, count.

    created = deals created in the month; won/lost = deals closed that month with that status; open =
    deals created that month that are still open; activities = activity rows dated that month. Rows are
    ordered by month, then series (as strings); only non-zero counts are listed.
    """
    nat = np.iinfo("int64").min
    d = data.deals
    status = d["status"]
    is_open = (status == "open").to_numpy(dtype=bool)
    created = _months(d["created_at"])
    closed = _months(d["closed_at"])
    codes, statuses = pd.factorize(status)                 # closed deals: their status is the series
    names = ["created", "open", "activities"] + [str(x) for x in statuses if x != "open"]
    names = list(dict.fromkeys(names))
    idx = {n: i for i, n in enumerate(names)}
    status_series = np.array([idx.get(str(x), -1) for x in statuses], dtype="int64")
    not_open = ~is_open & (codes >= 0)
    parts = [(created, np.full(len(created), idx["created"])),
             (closed[not_open], status_series[codes[not_open]]),
             (created[is_open], np.full(int(is_open.sum()), idx["open"]))]
    if data.activities is not None:
        at = _months(data.activities["at"])
        parts.append((at, np.full(len(at), idx["activities"])))
    month = np.concatenate([p[0] for p in parts])
    series = np.concatenate([p[1] for p in parts]).astype("int64")
    ok = month != nat
    month, series = month[ok], series[ok]
    if not len(month):
        return text_frame({"month": pd.Series(dtype=object), "series": pd.Series(dtype=object),
                           "count": pd.Series(dtype="int64")})
    lo = int(month.min())
    span = int(month.max()) - lo + 1
    k = len(names)
    counts = np.bincount((month - lo) * k + series, minlength=span * k)
    cells = np.flatnonzero(counts)
    labels = pd.Series(np.arange(lo, lo + span).astype("datetime64[M]")).dt.strftime("%Y-%m").to_numpy(dtype=object)
    out = text_frame({"month": labels[cells // k], "series": np.asarray(names, dtype=object)[cells % k],
                      "count": counts[cells].astype("int64")})
    return out.sort_values(["month", "series"], kind="stable", ignore_index=True)
