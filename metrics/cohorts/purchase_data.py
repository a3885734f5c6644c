"""Purchases (won deals at their close date) and the per-customer index the cohort tables use."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from ..errors import DataError
from ..guards import require_columns
from .common import (
    DAY_NS, FREQS, Freq, OWNERS, check_choice, datetime_column, day_to_period, last_complete_period, parse_end_day,
    sort_order, text_codes,
)
from ..frames import frame as text_frame


PURCHASE_COLUMNS = ["client", "manager", "at", "amount", "source"]


# ----------------------------------------------------------------------------------------------------------
# purchases
# ----------------------------------------------------------------------------------------------------------
def purchases(*, deals: pd.DataFrame) -> pd.DataFrame:
    """Won deals with a close date and a client, one row per purchase: [client, manager, at, amount, source].

    ``at`` = ``closed_at``. Open and lost deals, won deals without ``closed_at`` and won deals without a
    client (empty ``client``: revenue, but no customer of its own) are dropped.
    ``source`` is None where missing or where the deals frame has no ``source`` column. Rows keep the
    order of ``deals``; the index is a fresh RangeIndex. ``deals`` is not modified. Empty ``client`` /
    ``manager`` cells are reported by the functions that consume the purchases.
    """
    require_columns(deals, "deals", ["client", "manager", "status", "closed_at", "amount"])
    closed = datetime_column(deals, "closed_at", "deals")
    keep = deals["status"].isin(["won"]).to_numpy(dtype=bool) & ~np.isnat(closed)   # canonical: lower-case
    keep &= deals["client"].notna().to_numpy(dtype=bool)
    n = int(keep.sum())
    src = deals["source"].to_numpy(dtype=object)[keep] if "source" in deals.columns else None
    out = text_frame({
        "client": deals["client"].to_numpy(dtype=object)[keep],
        "manager": deals["manager"].to_numpy(dtype=object)[keep],
        "at": closed[keep],
        "amount": pd.to_numeric(deals["amount"], errors="coerce").to_numpy(dtype="float64")[keep],
        "source": np.full(n, None, dtype=object) if src is None else src,
    })
    if src is not None:
        missing = pd.isna(src)
        if missing.any():
            out.loc[missing, "source"] = None
    return out


@dataclass(frozen=True)
class _Customers:
    """Per-customer facts from one sort of the purchases (internal)."""

    freq: str
    end_day: int
    T: int
    owner_rule: str          # "first" | "latest"
    n_rows: int              # rows of the purchases frame it was built from
    row_client: np.ndarray   # purchase rows ≤ end, sorted by (client, at, manager): client code
    row_day: np.ndarray      # day number of each row
    row_per: np.ndarray      # period of each row
    clients: np.ndarray      # client labels (code → label)
    managers: np.ndarray     # manager labels (code → label)
    owner: np.ndarray        # manager code per client
    first_day: np.ndarray    # day of the first purchase per client
    cohort: np.ndarray       # period of the first purchase per client
    first_row: np.ndarray    # positional row (in the purchases frame) of each client's first purchase


def customer_index(purchases: pd.DataFrame, *, freq: str, end: Any, owner: str) -> _Customers | None:
    """Validate purchases, keep rows ≤ end, sort once and derive per-customer facts.

    Returns None when no purchase is left.
    """
    require_columns(purchases, "purchases", ["client", "manager", "at"])
    check_choice("freq", freq, FREQS)
    check_choice("owner", owner, OWNERS)
    at = datetime_column(purchases, "at", "purchases")
    nat = np.isnat(at)
    if nat.any():
        raise DataError("empty_value", file="purchases", column="at", row=int(np.flatnonzero(nat)[0]) + 1)
    c_code, clients = text_codes(purchases, "client", "purchases", sort=False)   # first-appearance order
    m_code, managers = text_codes(purchases, "manager", "purchases", sort=True)   # ties: by name
    at_ns = at.astype(np.int64)
    day = np.floor_divide(at_ns, DAY_NS)
    end_day = parse_end_day(end)
    if end_day is None:
        if len(day) == 0:
            return None
        end_day = int(day.max())
    keep = day <= end_day
    if not keep.any():
        return None
    idx = np.flatnonzero(keep)
    idx = idx[sort_order(c_code[idx], at_ns[idx], m_code[idx])]
    rc, rd, rm = c_code[idx], day[idx], m_code[idx]
    n = len(rc)
    starts = np.flatnonzero(np.r_[True, rc[1:] != rc[:-1]])
    lasts = np.r_[starts[1:], n] - 1
    full_first = np.full(len(clients), -1, dtype=np.int64)
    full_first[rc[starts]] = starts
    # clients whose purchases are all after end vanish: recode to 0..n_clients-1
    present = full_first >= 0
    recode = np.cumsum(present) - 1
    rc = recode[rc]
    clients = clients[present]
    own_rows = starts if owner == "first" else lasts
    return _Customers(
        freq=freq, end_day=end_day, T=last_complete_period(end_day, freq), owner_rule=owner, n_rows=len(purchases),
        row_client=rc, row_day=rd, row_per=day_to_period(rd, freq), clients=clients, managers=managers,
        owner=rm[own_rows], first_day=rd[starts], cohort=day_to_period(rd[starts], freq),
        first_row=idx[starts],
    )


def customers(*, purchases: pd.DataFrame, freq: Freq = "month", end: Any = None,
              owner: Literal["first", "latest"] = "first") -> _Customers | None:
    """The purchases validated, cut at ``end`` and sorted once (None when no purchase is left): pass it as
    ``customers=`` to :func:`cohort_table` and :func:`time_to_repeat` called with the same purchases, freq,
    end and owner to skip that work (the results are the same)."""
    return customer_index(purchases, freq=freq, end=end, owner=owner)


def prepared_customers(cu: Any, purchases: pd.DataFrame, *, freq: str, end: Any, owner: str) -> _Customers | None:
    """``cu`` from :func:`customers` when it was built for these arguments, else computed here."""
    if cu is None:
        return customer_index(purchases, freq=freq, end=end, owner=owner)
    if not isinstance(cu, _Customers):
        raise TypeError(f"customers must come from cohorts.customers(), got {type(cu).__name__}")
    check_choice("freq", freq, FREQS)
    check_choice("owner", owner, OWNERS)
    end_day = parse_end_day(end)
    if (cu.freq, cu.owner_rule, cu.n_rows) != (freq, owner, len(purchases)) or \
            (end_day is not None and end_day != cu.end_day):
        raise ValueError("customers= was built for other purchases, freq, end or owner")
    return cu


def client_filter(cu: _Customers, purchases: pd.DataFrame, managers: Sequence[str] | str | None,
                   source: Sequence[str] | str | None) -> np.ndarray:
    keep = np.ones(len(cu.clients), dtype=bool)
    if managers is not None:
        wanted = {managers} if isinstance(managers, str) else set(managers)
        keep &= np.isin(cu.managers, list(wanted))[cu.owner] if len(cu.managers) else False
    if source is not None:
        wanted = {source} if isinstance(source, str) else set(source)
        first_source = purchases["source"].to_numpy(dtype=object)[cu.first_row]
        keep &= pd.Series(first_source, dtype=object).isin(wanted).to_numpy()
    return keep
