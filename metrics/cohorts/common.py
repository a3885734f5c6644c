"""Argument checks and periods as integers shared by the cohort modules.

Periods as integers: week = ISO weeks since the Monday 1969-12-29, month = months since 1970-01,
quarter = quarters since 1970Q1; ``day_to_period``, ``period_labels``."""
from __future__ import annotations

from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from ..errors import DataError
from ..guards import require_datetime


Freq = Literal["week", "month", "quarter"]
FREQS: tuple[str, ...] = ("week", "month", "quarter")
KINDS: tuple[str, ...] = ("classic", "rolling")
OWNERS: tuple[str, ...] = ("first", "latest")
BYS: tuple[str, ...] = ("team", "manager")
UNITS: tuple[str, ...] = ("period", "day")
CI_METHODS: tuple[str, ...] = ("log-log", "linear")

DAY_NS = np.int64(86_400_000_000_000)
_EPOCH = np.datetime64("1970-01-01", "D")


# ----------------------------------------------------------------------------------------------------------
# guards
# ----------------------------------------------------------------------------------------------------------
def check_choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def datetime_column(df: pd.DataFrame, col: str, name: str) -> np.ndarray:
    return require_datetime(df, col, name).to_numpy(dtype="datetime64[ns]")


def text_codes(df: pd.DataFrame, col: str, name: str, *, sort: bool) -> tuple[np.ndarray, np.ndarray]:
    """Factorise a column (codes in sorted label order if ``sort``); empty cells raise DataError."""
    codes, uniques = pd.factorize(df[col], sort=False)
    if len(codes) and codes.min() < 0:
        raise DataError("empty_value", file=name, column=col, row=int(np.flatnonzero(codes < 0)[0]) + 1)
    uniques = np.asarray(uniques, dtype=object)
    if not sort:
        return codes.astype(np.int64), uniques
    try:
        perm = np.argsort(uniques, kind="stable")            # sorts the labels, not every row
    except TypeError:                                        # mixed label types: compare as text
        perm = np.argsort(uniques.astype(str), kind="stable")
    rank = np.empty(len(perm), dtype=np.int64)
    rank[perm] = np.arange(len(perm))
    return rank[codes], uniques[perm]


def sort_order(client: np.ndarray, at_ns: np.ndarray, manager: np.ndarray) -> np.ndarray:
    """Row order by (client, at, manager): one int64 argsort of a packed key, lexsort if it overflows."""
    at_u, at_rank = np.unique(at_ns, return_inverse=True)
    n_c, n_a, n_m = int(client.max()) + 1, len(at_u), int(manager.max()) + 1
    if n_c * n_a * n_m < 2**62:
        key = (client * n_a + at_rank.reshape(-1)) * n_m + manager
        return np.argsort(key, kind="stable")
    return np.lexsort((manager, at_ns, client))


def parse_end_day(end: Any) -> int | None:
    """``end`` → days since 1970-01-01 (time of day dropped); None stays None."""
    if end is None:
        return None
    try:
        ts = pd.Timestamp(end)
    except (TypeError, ValueError) as exc:
        raise DataError("bad_period", column="end", detail=f"end is not a date: {end!r}") from exc
    if ts is pd.NaT or pd.isna(ts):
        raise DataError("bad_period", column="end", detail=f"end is not a date: {end!r}")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return int((np.datetime64(ts.normalize().to_datetime64(), "D") - _EPOCH).astype(np.int64))


# ----------------------------------------------------------------------------------------------------------
# periods as integers: week = ISO weeks since the Monday 1969-12-29, month = months since 1970-01,
# quarter = quarters since 1970Q1
# ----------------------------------------------------------------------------------------------------------
def day_to_period(days: np.ndarray, freq: str) -> np.ndarray:
    days = np.asarray(days, dtype=np.int64)
    if freq == "week":
        return (days + 3) // 7
    months = (_EPOCH + days.astype("timedelta64[D]")).astype("datetime64[M]").astype(np.int64)
    return months if freq == "month" else months // 3


def period_start_day(per: np.ndarray, freq: str) -> np.ndarray:
    per = np.asarray(per, dtype=np.int64)
    if freq == "week":
        return 7 * per - 3
    months = per if freq == "month" else 3 * per
    return (months.astype("datetime64[M]").astype("datetime64[D]") - _EPOCH).astype(np.int64)


def last_complete_period(end_day: int, freq: str) -> int:
    p = int(day_to_period(np.array([end_day]), freq)[0])
    last_day = int(period_start_day(np.array([p + 1]), freq)[0]) - 1
    return p if end_day == last_day else p - 1


def period_labels(periods: np.ndarray | Sequence[int], freq: str) -> np.ndarray:
    """Labels of integer periods: ``"2025-W03"`` (ISO week), ``"2025-01"`` or ``"2025Q1"``."""
    check_choice("freq", freq, FREQS)
    per = np.asarray(periods, dtype=np.int64)
    if per.size == 0:
        return np.array([], dtype=object)
    uniq, inv = np.unique(per, return_inverse=True)
    if freq == "week":
        iso = pd.DatetimeIndex(_EPOCH + period_start_day(uniq, freq).astype("timedelta64[D]")).isocalendar()
        lab = [f"{y}-W{w:02d}" for y, w in zip(iso["year"].to_numpy(), iso["week"].to_numpy())]
    elif freq == "month":
        lab = [f"{m // 12 + 1970}-{m % 12 + 1:02d}" for m in uniq.tolist()]
    else:
        lab = [f"{q // 4 + 1970}Q{q % 4 + 1}" for q in uniq.tolist()]
    return np.asarray(lab, dtype=object)[inv]


def days_to_timestamps(days: np.ndarray) -> np.ndarray:
    return (_EPOCH + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")).astype("datetime64[ns]")


def empty_result(columns: list[str], dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    dtypes = dtypes or {}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in columns})
