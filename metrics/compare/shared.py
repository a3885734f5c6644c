"""What every comparison shares: the :class:`Comparison` result, input checks, verdicts, the
adjustment of each-vs-rest p-values across managers and the "n needed" column."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .. import stats as S
from ..errors import DataError


VERDICTS = ("above", "below", "no_difference", "not_enough_data")


@dataclass(frozen=True)
class Comparison:
    """Result of a per-KPI comparison: one row per manager, the omnibus test, and (funnel only) the curve."""

    summary: pd.DataFrame
    omnibus: dict[str, Any]
    curve: pd.DataFrame | None = None


# --------------------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------------------

def check_frame(df: Any, cols: list[str], name: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise DataError("bad_argument", detail=f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError("missing_columns", file=name, column=", ".join(missing))
    m = df["manager"]
    # blank after stripping is a property of the value: check the distinct names, and only when one of
    # them is bad look for its first row
    names = pd.unique(m.to_numpy(dtype=object))
    blank = pd.isna(names) | (pd.Series(names, dtype=object).astype(str).str.strip() == "").to_numpy()
    if blank.any():
        bad = m.isna().to_numpy() | (m.astype(str).str.strip() == "").to_numpy()
        raise DataError("empty_value", file=name, column="manager", row=int(np.flatnonzero(bad)[0]) + 1)
    return df


def check_bool(df: pd.DataFrame, col: str, name: str) -> np.ndarray:
    s = df[col]
    if pd.api.types.is_bool_dtype(s) and not s.isna().any():
        return s.to_numpy(dtype=bool)
    ok = s.map(lambda v: isinstance(v, (bool, np.bool_)) or (isinstance(v, (int, float, np.integer, np.floating))
                                                              and v in (0, 1))).to_numpy(dtype=bool)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise DataError("bad_bool", file=name, column=col, row=i + 1, value=s.iloc[i])
    return s.astype(bool).to_numpy()


def check_amounts(df: pd.DataFrame, col: str, name: str) -> np.ndarray:
    x = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype="float64")
    bad = ~np.isfinite(x)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError("bad_number", file=name, column=col, row=i + 1, value=df[col].iloc[i])
    if (x < 0).any():
        i = int(np.flatnonzero(x < 0)[0])
        raise DataError("negative_amount", file=name, column=col, row=i + 1, value=float(x[i]))
    return x


def check_test_args(alpha: float, adjust: str, min_n: int) -> None:
    S.check_alpha(alpha)
    if adjust not in S.ADJUST_METHODS:
        raise DataError("bad_argument", detail=f"adjust must be one of {sorted(S.ADJUST_METHODS)}, got {adjust!r}")
    if not isinstance(min_n, (int, np.integer)) or min_n < 0:
        raise DataError("bad_argument", detail=f"min_n must be a non-negative integer, got {min_n!r}")


# --------------------------------------------------------------------------------------------------------
# Verdicts
# --------------------------------------------------------------------------------------------------------

def verdicts(n, p_adjusted, direction, *, alpha: float = 0.05, min_n: int = 30) -> np.ndarray:
    """Verdict per row: "not_enough_data" when n < min_n or no p-value; else "above"/"below" when the
    adjusted p < α (sign of ``direction`` = estimate − rest, or log ratio); else "no_difference"."""
    n = np.asarray(n, dtype="float64")
    p = np.asarray(p_adjusted, dtype="float64")
    d = np.asarray(direction, dtype="float64")
    out = np.full(n.shape, "no_difference", dtype=object)
    sig = np.isfinite(p) & (p < alpha)
    out[sig & (d > 0)] = "above"
    out[sig & (d < 0)] = "below"
    out[(n < min_n) | ~np.isfinite(p)] = "not_enough_data"
    return out


def adjust_vs_team(p, method: str = "holm") -> np.ndarray:
    """Adjust each-vs-rest p-values across managers (Holm or BH, :func:`metrics.stats.adjust_pvalues`).

    With exactly two managers "A vs rest" and "B vs rest" are the same comparison (same table, same
    p-value), so the family has one member and the p-values are returned unadjusted.
    """
    p = np.asarray(p, dtype="float64")
    adjusted = S.adjust_pvalues(p, method)
    return p.copy() if len(p) == 2 else adjusted


def fill_n_needed(n_power, verdict, min_n: int) -> np.ndarray:
    n_power = np.asarray(n_power, dtype="float64")
    low = np.asarray(verdict, dtype=object) == "not_enough_data"
    filled = np.where(np.isfinite(n_power), np.maximum(n_power, min_n), float(min_n))
    return np.where(low, filled, n_power)


#: Smallest practically relevant effect per effect measure: Cohen's h 0.1 (half of Cohen's "small", 0.2:
#: e.g. 25% vs 20.7%), Cliff's δ 0.147 (the "negligible" bound of Romano et al. 2006), a rate ratio outside
#: 1/1.1 – 1.1. Smaller observed effects are "no practically relevant difference" in the verdict sentences,
#: instead of the (huge) sample size it would take to tell them from noise.
NEGLIGIBLE_EFFECT = {"cohens_h": 0.1, "cliffs_delta": 0.147, "rate_ratio": 1.1}


def negligible(effect, effect_name: str) -> np.ndarray:
    """Whether each observed effect is smaller than :data:`NEGLIGIBLE_EFFECT` (False for NaN or an unknown
    measure). Rate ratios are compared on the log scale: |log RR| < log 1.1."""
    e = np.asarray(effect, dtype="float64")
    bound = NEGLIGIBLE_EFFECT.get(str(effect_name))
    if bound is None:
        return np.zeros(e.shape, dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        size = np.abs(np.log(e)) if effect_name == "rate_ratio" else np.abs(e)
        limit = np.log(bound) if effect_name == "rate_ratio" else bound
        return np.where(np.isfinite(size), size < limit, False)
