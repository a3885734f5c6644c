"""Cohort tables (classic and rolling retention) and the size-weighted pooled curve."""
from __future__ import annotations

from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from ..errors import DataError
from ..guards import bad, require_columns
from .common import BYS, Freq, KINDS, check_choice, days_to_timestamps, empty_result, period_labels, period_start_day
from .purchase_data import client_filter, prepared_customers
from ..frames import frame as text_frame


TABLE_COLUMNS = ["manager", "cohort", "cohort_start", "size", "period_index", "retained", "rate"]
POOLED_COLUMNS = ["manager", "period_index", "cohorts", "size", "retained", "rate"]


_TABLE_DTYPES = {"cohort_start": "datetime64[ns]", "size": "int64", "period_index": "int64",
                 "retained": "int64", "rate": "float64"}


# ----------------------------------------------------------------------------------------------------------
# cohort tables
# ----------------------------------------------------------------------------------------------------------
def cohort_table(*, purchases: pd.DataFrame, freq: Freq = "month",
                 kind: Literal["classic", "rolling"] = "classic",
                 owner: Literal["first", "latest"] = "first", by: Literal["team", "manager"] = "team",
                 end: Any = None, managers: Sequence[str] | str | None = None,
                 source: Sequence[str] | str | None = None, customers: Any = None) -> pd.DataFrame:
    """Cohort retention table, one row per (manager, cohort, period_index) cell.

    Columns: manager (owner; None = whole team when ``by="team"``), cohort (label), cohort_start
    (first day of the cohort period), size N_c, period_index k, retained, rate = retained / size.

    classic: retained_c(k) = #{i ∈ c : a_{i,c+k} = 1};
    rolling: retained_c(k) = #{i ∈ c : max{t ≤ T : a_{i,t} = 1} ≥ c + k}.
    Cells exist for cohorts c ≤ T with N_c > 0 and k = 0 … T − c (k = 0 has rate 1.0); T is the last
    complete period before ``end`` (module docstring); purchases after T are not counted.
    ``managers`` keeps the customers owned by these managers; ``source`` keeps the customers whose
    first purchase came from that source (acquisition channel). Rows are sorted by manager, cohort, k.
    ``customers``: :func:`customers` of the same purchases, freq, end and owner (saves the sort).
    """
    check_choice("kind", kind, KINDS)
    check_choice("by", by, BYS)
    cu = prepared_customers(customers, purchases, freq=freq, end=end, owner=owner)
    if cu is None:
        return empty_result(TABLE_COLUMNS, _TABLE_DTYPES)
    if source is not None and "source" not in purchases.columns:
        raise DataError("missing_columns", file="purchases", column="source")
    T = cu.T
    keep_client = client_filter(cu, purchases, managers, source) & (cu.cohort <= T)
    if not keep_client.any():
        return empty_result(TABLE_COLUMNS, _TABLE_DTYPES)

    cmin = int(cu.cohort[keep_client].min())
    K = T - cmin + 1                                        # cohorts and lags both range over 0..K-1
    g_client = cu.owner if by == "manager" else np.zeros(len(cu.clients), dtype=np.int64)
    gc_client = g_client * K + (cu.cohort - cmin)           # (group, cohort) key per client

    # grid of cells: every (group, cohort) with customers × k = 0..T-c
    gc, size = np.unique(gc_client[keep_client], return_counts=True)
    c_of = gc % K + cmin
    lengths = T - c_of + 1
    cell_gc = np.repeat(gc, lengths)
    seg_start = np.r_[0, np.cumsum(lengths)[:-1]]
    cell_k = np.arange(lengths.sum()) - np.repeat(seg_start, lengths)
    cell_key = cell_gc * K + cell_k                         # sorted ascending

    rows = keep_client[cu.row_client] & (cu.row_per <= T)
    rc, rp = cu.row_client[rows], cu.row_per[rows]
    if kind == "classic":
        # distinct (client, period): rows are sorted by client then time, so periods are non-decreasing
        new = np.r_[True, (rc[1:] != rc[:-1]) | (rp[1:] != rp[:-1])]
        rc, rp = rc[new], rp[new]
        keys = gc_client[rc] * K + (rp - cu.cohort[rc])
    else:
        last = np.r_[rc[1:] != rc[:-1], True]               # last row ≤ T of each client
        keys = gc_client[rc[last]] * K + (rp[last] - cu.cohort[rc[last]])
    ukey, cnt = np.unique(keys, return_counts=True)
    retained = np.zeros(len(cell_key), dtype=np.int64)
    retained[np.searchsorted(cell_key, ukey)] = cnt
    if kind == "rolling":                                    # reverse cumulative sum within each cohort
        csum = np.cumsum(retained)
        seg_end = np.repeat(seg_start + lengths - 1, lengths)
        retained = csum[seg_end] - csum + retained

    cell_size = np.repeat(size, lengths)
    cell_c = np.repeat(c_of, lengths)
    mgr = (cu.managers[cell_gc // K] if by == "manager" else np.full(len(cell_gc), None, dtype=object))
    out = text_frame({
        "manager": mgr.astype(object),
        "cohort": period_labels(cell_c, freq),
        "cohort_start": days_to_timestamps(period_start_day(cell_c, freq)),
        "size": cell_size.astype(np.int64),
        "period_index": cell_k.astype(np.int64),
        "retained": retained.astype(np.int64),
        "rate": retained / cell_size,
    })
    return out.reset_index(drop=True)


def pooled_curve(*, table: pd.DataFrame) -> pd.DataFrame:
    """Size-weighted pooled retention per manager and period_index (Amplitude's weighted average).

    rate(k) = Σ_c retained_c(k) / Σ_c N_c over the cohorts present at k — in a :func:`cohort_table`
    those are exactly the cohorts with c + k ≤ T. Columns: manager, period_index, cohorts (count),
    size (Σ N_c), retained, rate. Works for classic and rolling tables alike.
    """
    require_columns(table, "table", ["manager", "size", "period_index", "retained"])
    if len(table) == 0:
        return empty_result(POOLED_COLUMNS, {"period_index": "int64", "cohorts": "int64", "size": "int64",
                                       "retained": "int64", "rate": "float64"})
    for col in ("size", "period_index", "retained"):
        if not pd.api.types.is_numeric_dtype(table[col]):
            raise bad(f"table: column '{col}' must be numeric, got {table[col].dtype}", col)
    if (table["size"] <= 0).any():
        raise bad("table: column 'size' must be positive", "size")
    g = table.groupby(["manager", "period_index"], dropna=False, sort=True)
    out = g.agg(cohorts=("size", "size"), size=("size", "sum"), retained=("retained", "sum")).reset_index()
    out["manager"] = out["manager"].astype(object).where(out["manager"].notna(), None)
    out["rate"] = out["retained"] / out["size"]
    return out[POOLED_COLUMNS].astype({"period_index": "int64", "cohorts": "int64", "size": "int64",
                                       "retained": "int64"})
