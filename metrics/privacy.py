"""Anonymising a dataset for a manager who may see only their own rows and an anonymous team."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from .loading import Dataset


def anonymise(*, data: Dataset, keep: str | None, colleague: str = "Colleague", client: str = "Client",
              seed: int = 0) -> Dataset:
    """Every manager but ``keep`` becomes "<colleague> NN" (numbered in a seeded random order, so the
    numbers do not follow the alphabet), and the clients of their deals "<client> NNNN" unless ``keep`` also
    sold to them. Team totals, distributions and ranks are unchanged; no other manager's or their clients'
    names remain. Does not mutate ``data``."""
    names = set(data.deals["manager"])
    for frame in (data.activities, data.plans):
        if frame is not None:
            names |= set(frame["manager"])
    others = sorted(n for n in names if n != keep)
    order = np.random.default_rng(seed).permutation(len(others))
    width = max(2, len(str(len(others))))
    alias = {name: f"{colleague} {int(i) + 1:0{width}d}" for name, i in zip(others, order)}
    if keep is not None:
        alias[keep] = keep

    deals = data.deals.copy()
    mine = set(deals.loc[deals["manager"] == keep, "client"])
    foreign = sorted(set(deals["client"]) - mine)
    cl_order = np.random.default_rng(seed + 1).permutation(len(foreign))
    cl_alias = {c: f"{client} {int(i) + 1:04d}" for c, i in zip(foreign, cl_order)}
    deals["manager"] = deals["manager"].map(alias)
    deals["client"] = deals["client"].map(lambda c: cl_alias.get(c, c))
    deals["deal_id"] = np.where(deals["manager"] == keep, deals["deal_id"], pd.RangeIndex(len(deals)).astype(str))

    def rename(frame):
        if frame is None:
            return None
        out = frame.copy()
        out["manager"] = out["manager"].map(alias)
        return out

    return replace(data, deals=deals, activities=rename(data.activities), plans=rename(data.plans), warnings=[])
