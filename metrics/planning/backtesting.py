"""What-if backtest of targets and traffic-light thresholds.

``backtest(*, deals, plans, months, thresholds=(1.0, 0.8), shift=0)``
→ [manager, month, revenue, target, fulfillment, light];
``backtest_summary(frame)`` → [manager, months, median_fulfillment, share_green, share_amber, share_red].
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np
import pandas as pd

from ..guards import bad, require_columns
from .checks import check_deals, check_months, check_plans, check_real, month_index, month_label
from .rules import first_lead_index, revenue_index
from ..frames import rows_frame, frame as text_frame


BACKTEST_COLUMNS = ["manager", "month", "revenue", "target", "fulfillment", "light"]
SUMMARY_COLUMNS = ["manager", "months", "median_fulfillment", "share_green", "share_amber", "share_red"]


# ----------------------------------------------------------------------------------------------------------
# what-if backtest
# ----------------------------------------------------------------------------------------------------------
def _light_thresholds(thresholds: Any) -> tuple[float, float]:
    if isinstance(thresholds, (str, bytes)) or not isinstance(thresholds, Sequence) or len(thresholds) != 2:
        raise bad(f"thresholds must be (green, amber), got {thresholds!r}", "thresholds")
    g = check_real(thresholds[0], "thresholds green", lo=0.0)
    am = check_real(thresholds[1], "thresholds amber", lo=0.0)
    if am > g:
        raise bad(f"thresholds: amber {am:g} must not exceed green {g:g}", "thresholds")
    return g, am


def backtest(*, deals: pd.DataFrame, plans: pd.DataFrame, months: Sequence[str],
             thresholds: Sequence[float] = (1.0, 0.8), shift: int = 0, active_only: bool = False) -> pd.DataFrame:
    """How past months would have scored under (new) targets.

    For each month m of ``months`` and each manager with a plan row for month m + ``shift`` (shift = 12:
    next year's plan applied to this year's months): revenue = won deals closed in m, target = that plan
    row, fulfillment = revenue / target (NaN for a NaN or zero target), light = green if fulfillment ≥
    green, amber if ≥ amber, else red (None without a fulfillment). ``active_only``: leave out the months
    before a manager's first lead (they had not joined yet). Returns manager, month, revenue, target,
    fulfillment, light.
    """
    check_deals(deals)
    p = check_plans(plans)
    mos = check_months(months)
    g, am = _light_thresholds(thresholds)
    sh = shift if isinstance(shift, (int, np.integer)) and not isinstance(shift, bool) else None
    if sh is None:
        raise bad(f"shift must be a whole number of months, got {shift!r}", "shift")
    rev = revenue_index(deals)
    first = first_lead_index(deals).to_dict() if active_only else {}
    rows = []
    for mo in mos:
        src = month_label(month_index(mo) + int(sh))
        sel = p.loc[p["month"] == src]
        for m, t in zip(sel["manager"], sel["target"]):
            if active_only and month_index(mo) < first.get(m, month_index(mo) + 1):
                continue
            rows.append((m, mo, rev.get((m, month_index(mo)), 0.0), t))
    rows.sort(key=lambda r: (r[0], r[1]))
    revenue = np.array([r[2] for r in rows], dtype="float64")
    target = np.array([r[3] for r in rows], dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        ful = np.where(target > 0, revenue / np.where(target > 0, target, 1.0), np.nan)
    light = np.select([ful >= g, ful >= am], ["green", "amber"], "red").astype(object)
    light[np.isnan(ful)] = None
    return text_frame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                       "month": pd.Series([r[1] for r in rows], dtype=object),
                       "revenue": revenue, "target": target, "fulfillment": ful,
                       "light": pd.Series(light, dtype=object)})


def backtest_summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per manager (then the team, manager None, pooling every manager-month) over the months with a light:
    months, median_fulfillment, share_green, share_amber, share_red. Managers without any lit month get
    months 0 and NaN."""
    require_columns(frame, "frame", BACKTEST_COLUMNS)
    lit = frame.loc[frame["light"].notna()]

    def one(who: Any, part: pd.DataFrame) -> dict[str, Any]:
        n = len(part)
        lights = part["light"]
        return {"manager": who, "months": n,
                "median_fulfillment": float(part["fulfillment"].median()) if n else np.nan,
                "share_green": float((lights == "green").mean()) if n else np.nan,
                "share_amber": float((lights == "amber").mean()) if n else np.nan,
                "share_red": float((lights == "red").mean()) if n else np.nan}

    rows = [one(m, lit.loc[lit["manager"] == m]) for m in sorted(set(frame["manager"].dropna()))]
    rows.append(one(None, lit))
    out = rows_frame(rows, columns=SUMMARY_COLUMNS)
    out["manager"] = out["manager"].astype(object)
    out["months"] = out["months"].astype("int64")
    return out


def whatif(*, deals: pd.DataFrame, targets: pd.DataFrame, months: Sequence[str],
           thresholds: Any = (1.0, 0.8)) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Plan page's what-if: each manager's **average monthly target in effect** (``targets``: manager,
    month, target — the period's targets) applied to each of ``months`` (the complete months before the
    period), scored as :func:`backtest` (active months only) → (backtest frame, :func:`backtest_summary`).
    Formula per manager m and month k: fulfilment = revenue(m, k) / mean_t target(m, t)."""
    require_columns(targets, "targets", ["manager", "month", "target"])
    mean = targets.groupby("manager")["target"].mean() if len(targets) else pd.Series(dtype="float64")
    plans = rows_frame([(m, mo, float(v)) for m, v in mean.items() for mo in months],
                       columns=["manager", "month", "target"])
    bt = backtest(deals=deals, plans=plans, months=list(months), thresholds=thresholds, active_only=True)
    return bt, backtest_summary(bt)
