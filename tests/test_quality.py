"""metrics.quality: the vectorised monthly volumes and summary equal the plain pandas definitions."""
from __future__ import annotations

import numpy as np
import pandas as pd

from metrics.loading import Dataset
from metrics.quality import dataset_summary, monthly_volume


def _reference_volume(data) -> pd.DataFrame:
    """The definition: month strings and a groupby (what monthly_volume computed before it was vectorised)."""
    d = data.deals
    parts = [pd.DataFrame({"month": d["created_at"].dt.strftime("%Y-%m"), "series": "created"}),
             pd.DataFrame({"month": d["closed_at"].dt.strftime("%Y-%m"), "series": d["status"]}).loc[d["status"] != "open"],
             pd.DataFrame({"month": d["created_at"].dt.strftime("%Y-%m"), "series": "open"}).loc[d["status"] == "open"]]
    if data.activities is not None:
        parts.append(pd.DataFrame({"month": data.activities["at"].dt.strftime("%Y-%m"), "series": "activities"}))
    allp = pd.concat(parts, ignore_index=True).dropna(subset=["month"])
    out = allp.groupby(["month", "series"], as_index=False).size().rename(columns={"size": "count"})
    return out.astype({"month": object, "series": object})   # the engine's text is object (pandas 3 infers str)


def _sample() -> Dataset:
    from pathlib import Path

    from metrics.loading import load_bytes
    root = Path(__file__).resolve().parents[1]
    files = {k: [(f"{k}.csv", (root / "sample_data" / f"{k}.csv").read_bytes())] for k in ("deals", "activities", "plans")}
    return load_bytes(files)


def test_monthly_volume_equals_the_groupby_definition(tiny):
    data = _sample()
    pd.testing.assert_frame_equal(monthly_volume(data=data), _reference_volume(data))
    deals, acts, plans = tiny
    small = Dataset(deals=deals, activities=acts, plans=plans)
    pd.testing.assert_frame_equal(monthly_volume(data=small), _reference_volume(small))
    no_acts = Dataset(deals=deals, activities=None, plans=None)
    pd.testing.assert_frame_equal(monthly_volume(data=no_acts), _reference_volume(no_acts))


def test_monthly_volume_skips_missing_dates(tiny):
    deals, acts, _ = tiny
    deals = deals.copy()
    deals.loc[deals.index[0], "closed_at"] = pd.NaT
    deals.loc[deals.index[1], "created_at"] = pd.NaT
    data = Dataset(deals=deals, activities=acts, plans=None)
    before = deals.copy()
    pd.testing.assert_frame_equal(monthly_volume(data=data), _reference_volume(data))
    pd.testing.assert_frame_equal(deals, before)                       # input not mutated


def test_dataset_summary_counts():
    data = _sample()
    s = dataset_summary(data=data).set_index("kind")
    assert s.at["deals", "managers"] == data.deals["manager"].nunique()
    assert s.at["activities", "managers"] == data.activities["manager"].nunique()
    assert s.at["deals", "rows"] == len(data.deals)
    assert np.issubdtype(s["rows"].dtype, np.integer)
