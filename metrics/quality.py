"""What is loaded: row counts, date ranges, managers, and monthly volumes (for the Data page)."""
from __future__ import annotations

import pandas as pd

from .loading import Dataset


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
        rows.append({"kind": kind, "rows": len(frame), "managers": frame["manager"].nunique(),
                     "date_min": lo, "date_max": hi})
    return pd.DataFrame(rows, columns=["kind", "rows", "managers", "date_min", "date_max"])


def monthly_volume(*, data: Dataset) -> pd.DataFrame:
    """Rows per month: month (YYYY-MM), series ∈ {created, won, lost, open, activities}, count.

    created = deals created in the month; won/lost = deals closed that month with that status; open =
    deals created that month that are still open; activities = activity rows dated that month.
    """
    d = data.deals
    parts = [pd.DataFrame({"month": d["created_at"].dt.strftime("%Y-%m"), "series": "created"}),
             pd.DataFrame({"month": d["closed_at"].dt.strftime("%Y-%m"), "series": d["status"]}).loc[d["status"] != "open"],
             pd.DataFrame({"month": d["created_at"].dt.strftime("%Y-%m"), "series": "open"}).loc[d["status"] == "open"]]
    if data.activities is not None:
        parts.append(pd.DataFrame({"month": data.activities["at"].dt.strftime("%Y-%m"), "series": "activities"}))
    allp = pd.concat(parts, ignore_index=True).dropna(subset=["month"])
    return allp.groupby(["month", "series"], as_index=False).size().rename(columns={"size": "count"})
