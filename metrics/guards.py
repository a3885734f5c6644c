"""Guard clauses shared by the engine's modules: frames with the required columns, datetime columns."""
from __future__ import annotations

from typing import Any, Sequence

import pandas as pd

from .errors import DataError


def bad(detail: str, column: str | None = None) -> DataError:
    """A DataError for a bad argument, naming the column when there is one."""
    return DataError("bad_argument", column=column, detail=detail)


def require_columns(df: Any, name: str, required: Sequence[str]) -> pd.DataFrame:
    """``df`` must be a DataFrame (TypeError: a programming error) holding ``required`` (DataError naming
    the missing columns: bad data)."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError("missing_columns", file=name, column=", ".join(missing))
    return df


def require_datetime(df: pd.DataFrame, col: str, name: str) -> pd.Series:
    """The column as tz-naive datetime64; DataError when it is not a datetime column."""
    s = df[col]
    if not pd.api.types.is_datetime64_any_dtype(s):
        raise bad(f"{name}: column '{col}' must be datetime64 (standardise the frame first), got {s.dtype}", col)
    return s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
