"""Argument checks and month arithmetic shared by the planning modules (public names, no state).

Months are ``"YYYY-MM"`` strings; a month index is y·12 + m − 1 (``month_index`` / ``month_label``).
Every check returns the clean value or raises :class:`~metrics.errors.DataError` naming the argument or
column.
"""
from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pandas as pd

from ..errors import DataError
from ..guards import bad, require_datetime, require_columns
from ..frames import frame as text_frame


PLAN_COLUMNS = ["manager", "month", "target"]

_MONTH_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# ----------------------------------------------------------------------------------------------------------
# guards and small helpers
# ----------------------------------------------------------------------------------------------------------
def check_deals(deals: Any, name: str = "deals") -> pd.DataFrame:
    require_columns(deals, name, ["manager", "created_at", "closed_at", "status", "amount"])
    require_datetime(deals, "created_at", name)
    require_datetime(deals, "closed_at", name)
    if deals["manager"].isna().any():
        raise DataError("empty_value", file=name, column="manager",
                        row=int(np.flatnonzero(deals["manager"].isna().to_numpy())[0]) + 1)
    return deals


def check_real(value: Any, name: str, *, lo: float | None = None, hi: float | None = None,
          lo_open: bool = False) -> float:
    """A finite real number (not a bool) within [lo, hi] (lo excluded if lo_open), else DataError."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise bad(f"{name} must be a number, got {value!r}", name)
    v = float(value)
    if not math.isfinite(v):
        raise bad(f"{name} must be a finite number, got {value!r}", name)
    if lo is not None and (v < lo or (lo_open and v == lo)):
        raise bad(f"{name} must be {'>' if lo_open else '≥'} {lo:g}, got {value!r}", name)
    if hi is not None and v > hi:
        raise bad(f"{name} must be ≤ {hi:g}, got {value!r}", name)
    return v


def check_int(value: Any, name: str, *, lo: int = 0) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < lo:
        raise bad(f"{name} must be an integer ≥ {lo}, got {value!r}", name)
    return int(value)


def check_alpha(alpha: Any) -> float:
    a = check_real(alpha, "alpha", lo=0.0, hi=1.0, lo_open=True)
    if a >= 1:
        raise bad(f"alpha must be between 0 and 1, got {alpha!r}", "alpha")
    return a


def is_month(text: Any) -> bool:
    return isinstance(text, str) and bool(_MONTH_RE.match(text))


def month_index(month: str) -> int:
    """'YYYY-MM' → month index y·12 + m − 1."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_label(index: int) -> str:
    """Month index → 'YYYY-MM'."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def check_month(value: Any, name: str) -> str:
    if not is_month(value):
        raise bad(f"{name} must be a month 'YYYY-MM', got {value!r}", name)
    return value


def check_months(months: Any, name: str = "months") -> list[str]:
    if isinstance(months, str) or not isinstance(months, (list, tuple, set, pd.Series, pd.Index, np.ndarray)):
        raise bad(f"{name} must be a list of months 'YYYY-MM', got {type(months).__name__}", name)
    out = [check_month(m, name) for m in months]
    if not out:
        raise bad(f"{name} must list at least one month", name)
    return sorted(set(out))


def check_managers(managers: Any, name: str = "managers") -> list[str]:
    if isinstance(managers, str) or not isinstance(managers, (list, tuple, set, pd.Series, pd.Index, np.ndarray)):
        raise bad(f"{name} must be a list of manager names, got {type(managers).__name__}", name)
    out = []
    for m in managers:
        if not isinstance(m, str) or not m.strip():
            raise bad(f"{name} must hold non-empty names, got {m!r}", name)
        out.append(m)
    return sorted(set(out))


def check_plans(plans: Any, name: str = "plans") -> pd.DataFrame:
    """A validated copy of a long plans frame: manager (text), month ('YYYY-MM'), target (float ≥ 0 or NaN)."""
    require_columns(plans, name, PLAN_COLUMNS)
    months = plans["month"].astype(object).to_numpy()
    ok = np.array([is_month(m) for m in months], dtype=bool)
    if len(ok) and not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise DataError("bad_month", file=name, column="month", row=i + 1, value=months[i])
    mgr = plans["manager"].astype(object).to_numpy()
    bad = np.array([not isinstance(m, str) or not m.strip() for m in mgr], dtype=bool)
    if len(bad) and bad.any():
        raise DataError("empty_value", file=name, column="manager", row=int(np.flatnonzero(bad)[0]) + 1)
    tgt = pd.to_numeric(plans["target"], errors="coerce").to_numpy(dtype="float64")
    raw_bad = np.isnan(tgt) & plans["target"].notna().to_numpy()
    if raw_bad.any():
        i = int(np.flatnonzero(raw_bad)[0])
        raise DataError("bad_number", file=name, column="target", row=i + 1, value=plans["target"].iloc[i])
    if (tgt < 0).any() or np.isinf(tgt).any():
        i = int(np.flatnonzero((tgt < 0) | np.isinf(tgt))[0])
        raise DataError("negative_amount", file=name, column="target", row=i + 1, value=float(tgt[i]))
    return text_frame({"manager": mgr, "month": months, "target": tgt})


def plan_frame(rows: list[tuple[str, str, float]]) -> pd.DataFrame:
    df = text_frame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                     "month": pd.Series([r[1] for r in rows], dtype=object),
                     "target": pd.Series([r[2] for r in rows], dtype="float64")})
    return df.sort_values(["manager", "month"], kind="stable").reset_index(drop=True)
