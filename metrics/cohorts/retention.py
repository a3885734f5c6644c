"""Period-to-period retention (the CRR trap) and the CLI's cohort report."""
from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from ..errors import DataError
from ..guards import bad
from .common import BYS, Freq, check_choice, days_to_timestamps, empty_result, parse_end_day
from .purchase_data import customer_index, purchases
from .tables import cohort_table
from ..frames import frame as text_frame


PERIOD_RETENTION_COLUMNS = ["manager", "base_customers", "target_customers", "new_customers", "retained",
                            "reactivated", "crr_naive", "retention"]


# ----------------------------------------------------------------------------------------------------------
# period-to-period retention (the CRR trap)
# ----------------------------------------------------------------------------------------------------------
def _window(value: Any, name: str) -> tuple[int, int]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise bad(f"{name} must be a (start, end) pair of dates, got {value!r}", name)
    lo, hi = parse_end_day(value[0]), parse_end_day(value[1])
    if lo is None or hi is None or lo > hi:
        raise DataError("bad_period", column=name, detail=f"{name}: start must be a date on or before end")
    return lo, hi


def period_retention(*, purchases: pd.DataFrame, base: tuple[Any, Any], target: tuple[Any, Any],
                     by: Literal["team", "manager"] = "team",
                     owner: Literal["first", "latest"] = "first") -> pd.DataFrame:
    """Customer retention from a base window to a target window (inclusive dates), both ways.

    Active in a window = at least one purchase in it. S = active in base, E = active in target,
    N = first purchase ever in target. crr_naive = (E − N)/S (the textbook CRR: counts reactivated
    customers as retained); retention = |S ∩ E| / |S| (cohort-consistent);
    reactivated = E − N − |S ∩ E| (active in target, neither new in it nor active in base). Owner as in
    :func:`cohort_table`, using purchases up to the later window end. Columns: manager, base_customers,
    target_customers, new_customers, retained, reactivated, crr_naive, retention (NaN where S = 0).
    """
    check_choice("by", by, BYS)
    b0, b1 = _window(base, "base")
    t0, t1 = _window(target, "target")
    cols = {"base_customers": "int64", "target_customers": "int64", "new_customers": "int64",
            "retained": "int64", "reactivated": "int64", "crr_naive": "float64", "retention": "float64"}
    last_day = pd.Timestamp(days_to_timestamps(np.array([max(b1, t1)]))[0])
    cu = customer_index(purchases, freq="month", end=last_day, owner=owner)
    if cu is None:
        return empty_result(PERIOD_RETENTION_COLUMNS, cols)
    nc = len(cu.clients)
    in_base = np.zeros(nc, dtype=bool)
    in_target = np.zeros(nc, dtype=bool)
    in_base[cu.row_client[(cu.row_day >= b0) & (cu.row_day <= b1)]] = True
    in_target[cu.row_client[(cu.row_day >= t0) & (cu.row_day <= t1)]] = True
    new = (cu.first_day >= t0) & (cu.first_day <= t1)
    g = cu.owner if by == "manager" else np.zeros(nc, dtype=np.int64)
    frame = text_frame({"g": g, "S": in_base, "E": in_target, "N": new, "R": in_base & in_target})
    agg = frame.groupby("g", sort=True)[["S", "E", "N", "R"]].sum()
    S, E, N, R = (agg[c].to_numpy(dtype=np.int64) for c in ("S", "E", "N", "R"))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = text_frame({
            "manager": (cu.managers[agg.index.to_numpy()] if by == "manager"
                        else np.full(len(agg), None, dtype=object)).astype(object),
            "base_customers": S, "target_customers": E, "new_customers": N, "retained": R,
            "reactivated": E - N - R,
            "crr_naive": np.where(S > 0, (E - N) / np.where(S > 0, S, 1), np.nan),
            "retention": np.where(S > 0, R / np.where(S > 0, S, 1), np.nan),
        })
    return out


# ----------------------------------------------------------------------------------------------------------
# CLI contract
# ----------------------------------------------------------------------------------------------------------
def cohort_retention_report(deals: pd.DataFrame, freq: Freq = "month", end: Any = None) -> list[dict]:
    """Classic team cohort table over all won deals as JSON-ready dicts (the CLI contract).

    One dict per cell, sorted by cohort then period_index:
    ``{"cohort": "2025-01", "size": int, "period_index": int, "retained": int, "rate": float}``,
    period_index 0 (rate 1.0) up to the last complete period (see :func:`cohort_table`).
    """
    table = cohort_table(purchases=purchases(deals=deals), freq=freq, kind="classic", by="team", end=end)
    return [{"cohort": str(c), "size": int(s), "period_index": int(k), "retained": int(r), "rate": float(x)}
            for c, s, k, r, x in zip(table["cohort"], table["size"], table["period_index"],
                                     table["retained"], table["rate"])]
