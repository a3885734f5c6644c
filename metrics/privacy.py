"""Anonymising a dataset for a manager who may see only their own rows and an anonymous team."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace

import numpy as np
import pandas as pd

from .frames import text
from .loading import Dataset


def pseudonym_order(names, *, key: bytes, label: str) -> list:
    """``names`` ordered by HMAC-SHA256(key, label + NUL + name): without the key the order is a random
    permutation that says nothing about the names (not the alphabet, not the order of rows)."""
    if not key:
        raise ValueError("anonymise needs a secret key (a per-deployment / per-session secret)")
    tag = lambda n: hmac.new(key, f"{label}\0{n}".encode("utf-8", "surrogatepass"), hashlib.sha256).digest()  # noqa: E731
    return sorted(names, key=lambda n: (tag(n), str(n)))


def anonymise(*, data: Dataset, keep: str | None, key: bytes, colleague: str = "Colleague",
              client: str = "Client") -> Dataset:
    """Every manager but ``keep`` becomes "<colleague> NN" and the clients of their deals "<client> NNNN"
    unless ``keep`` also sold to them. The numbers follow :func:`pseudonym_order` under the secret ``key``
    (the app passes a key derived from a per-deployment secret and a per-session random value), so knowing
    the team list does not tell who is who. Team totals, distributions and ranks are unchanged; no other
    manager's or their clients' names remain; deal ids of other managers become row numbers. Does not
    mutate ``data``."""
    names = set(data.deals["manager"])
    for frame in (data.activities, data.plans):
        if frame is not None:
            names |= set(frame["manager"])
    others = pseudonym_order([n for n in names if n != keep], key=key, label="manager")
    width = max(2, len(str(len(others))))
    alias = {name: f"{colleague} {i + 1:0{width}d}" for i, name in enumerate(others)}
    if keep is not None:
        alias[keep] = keep

    deals = data.deals.copy()
    mine = set(deals.loc[deals["manager"] == keep, "client"].dropna())
    foreign = pseudonym_order([c for c in set(deals["client"].dropna()) - mine], key=key, label="client")
    cl_width = max(4, len(str(len(foreign))))
    cl_alias = {c: f"{client} {i + 1:0{cl_width}d}" for i, c in enumerate(foreign)}
    # text stays object with None (pandas 3's map and a str array would give ``str`` columns, None → NaN)
    deals["manager"] = text(deals["manager"].map(alias))
    deals["client"] = text(deals["client"].map(lambda c: cl_alias.get(c, c)))
    deals["deal_id"] = text(np.where(deals["manager"] == keep, deals["deal_id"],
                                     np.arange(len(deals)).astype(str).astype(object)), index=deals.index)

    def rename(frame):
        if frame is None:
            return None
        out = frame.copy()
        out["manager"] = text(out["manager"].map(alias))
        return out

    return replace(data, deals=deals, activities=rename(data.activities), plans=rename(data.plans), warnings=[])
