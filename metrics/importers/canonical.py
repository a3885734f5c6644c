"""The canonical frames (the columns and dtypes ``metrics.schema.standardize_*`` return), built column-wise."""
from __future__ import annotations

from functools import lru_cache

import pandas as pd

from .. import schema
from ..frames import frame as text_frame

#: optional deal attributes a team hierarchy adds (rep → team / office / region)
ATTRIBUTES = ("team", "office", "region")
_DEAL_TEXT = ("deal_id", "manager", "client", "status", "source", "currency") + ATTRIBUTES


def _object_text(out: pd.DataFrame, cols) -> None:
    """Text columns as ``object`` with None for a missing value, as the schema's (pandas 3 may have
    inferred its ``str`` dtype on the way: a grouped or mapped column); no work when they already are."""
    for c in cols:
        if c in out.columns and out[c].dtype != object:
            s = out[c].astype(object)
            out[c] = s.where(s.notna(), None)


def canonical_deals(out: pd.DataFrame) -> pd.DataFrame:
    """The frame :func:`metrics.schema.standardize_deals` would return (same columns, dtypes and rules),
    without its per-cell string pass: every rule it checks was enforced column-wise above."""
    if not isinstance(out.index, pd.RangeIndex) or out.index.start != 0:
        out = out.reset_index(drop=True)
    for c in ("created_at", "closed_at"):
        if out[c].dtype != "datetime64[ns]":
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
    _object_text(out, _DEAL_TEXT)
    if out["amount"].dtype != "float64":
        out["amount"] = out["amount"].astype("float64")
    if out["amount"].isna().any():
        out["amount"] = out["amount"].fillna(0.0)
    is_open = out["status"].to_numpy(dtype=object) == "open"  # (numpy's compare: twice as fast as the Series')
    if is_open.any() and out["closed_at"].notna().to_numpy()[is_open].any():
        out.loc[is_open, "closed_at"] = pd.NaT
    cols = schema_columns("deals")
    cols += [c for c in out.columns if c in ATTRIBUTES]   # team hierarchy attributes, when joined
    return out if list(out.columns) == cols else out[cols]


def canonical_activities(out: pd.DataFrame) -> pd.DataFrame:
    """The frame :func:`metrics.schema.standardize_activities` would return, built column-wise."""
    if not isinstance(out.index, pd.RangeIndex) or out.index.start != 0:
        out = out.reset_index(drop=True)
    if out["activity_id"].dtype != schema.ID_DTYPE:
        out["activity_id"] = out["activity_id"].astype(str).astype(schema.ID_DTYPE)
    _object_text(out, ("manager", "type"))
    if out["at"].dtype != "datetime64[ns]":
        out["at"] = pd.to_datetime(out["at"]).astype("datetime64[ns]")
    if out["done"].dtype != bool:
        out["done"] = out["done"].astype(bool)
    cols = schema_columns("activities")
    return out if list(out.columns) == cols else out[cols]


@lru_cache(maxsize=None)
def __schema_columns_cached(kind: str) -> tuple[str, ...]:
    """Column order of the frames ``metrics.schema.standardize_*`` return (taken from the schema itself)."""
    probe = {
        "deals": text_frame({"deal_id": ["1"], "manager": ["m"], "client": ["c"], "created_at": ["2025-01-01"],
                             "closed_at": [""], "status": ["open"], "amount": ["0"]}),
        "activities": text_frame({"activity_id": ["1"], "manager": ["m"], "type": ["call"],
                                  "at": ["2025-01-01"]}),
        "plans": text_frame({"manager": ["m"], "month": ["2025-01"], "target": ["1"]}),
    }[kind]
    return tuple(schema.STANDARDIZE[kind](probe, file="probe").columns)


def schema_columns(kind: str) -> list[str]:
    return list(__schema_columns_cached(kind))

