"""The canonical data model every importer produces, and its validation.

deals       deal_id, manager, client, created_at, closed_at, status, amount [, source, currency]
activities  activity_id, manager, type, at, done
plans       manager, month (YYYY-MM), target

``standardize_*`` take a raw frame whose headers are already canonical, check and coerce every column
column-wise (no per-cell Python loops) and return a new frame with fixed dtypes. They never mutate the
input. A value that cannot be coerced raises :class:`~metrics.errors.DataError` naming the file, the
column and the first offending row.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import DataError

DEALS_REQUIRED = ["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount"]
DEALS_OPTIONAL = ["source", "currency"]
ACTIVITIES_REQUIRED = ["activity_id", "manager", "type", "at"]
ACTIVITIES_OPTIONAL = ["done"]
PLANS_REQUIRED = ["manager", "month", "target"]

STATUSES = ("won", "lost", "open")
ACTIVITY_TYPES = ("call", "meeting", "email", "task", "other")
KINDS = ("deals", "activities", "plans")

_TRUE = {"true", "yes", "1", "y", "t", "1.0"}
_FALSE = {"false", "no", "0", "n", "f", "0.0"}


def _row_of(mask: pd.Series) -> int:
    """1-based data-row number of the first True in mask (positional)."""
    return int(np.flatnonzero(mask.to_numpy())[0]) + 1


def _require(df: pd.DataFrame, cols: list[str], file: str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError("missing_columns", file=file, column=", ".join(missing))
    if len(df) == 0:
        raise DataError("no_rows", file=file)


def _text(s: pd.Series) -> pd.Series:
    """Stripped text as object dtype; empty cells become None."""
    out = s.astype("string").str.strip()
    return out.astype(object).where(out.notna() & (out != ""), None)


def _nonempty_text(df: pd.DataFrame, col: str, file: str) -> pd.Series:
    s = df[col].astype("string").str.strip()
    bad = s.isna() | (s == "")
    if bad.any():
        raise DataError("empty_value", file=file, column=col, row=_row_of(bad))
    return s.astype(object)


def parse_datetime(s: pd.Series, *, column: str, file: str, allow_empty: bool) -> pd.Series:
    """ISO-like dates/datetimes (or real datetime cells) to datetime64[ns]; empty → NaT."""
    if pd.api.types.is_datetime64_any_dtype(s):
        out = s.dt.tz_localize(None) if getattr(s.dt, "tz", None) is not None else s
        out = out.astype("datetime64[ns]")
    else:
        txt = s.astype("string").str.strip()
        empty = txt.isna() | (txt == "")
        out = pd.to_datetime(txt.where(~empty), errors="coerce", format="mixed")
        if getattr(out.dt, "tz", None) is not None:
            out = out.dt.tz_localize(None)
        out = out.astype("datetime64[ns]")
        bad = out.isna() & ~empty
        if bad.any():
            i = _row_of(bad)
            raise DataError("bad_date", file=file, column=column, row=i, value=str(txt.iloc[i - 1]))
    if not allow_empty and out.isna().any():
        raise DataError("empty_value", file=file, column=column, row=_row_of(out.isna()))
    return out


def parse_number(s: pd.Series, *, column: str, file: str) -> pd.Series:
    """Plain numbers (``1234.5``; empty → NaN)."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype("float64")
    txt = s.astype("string").str.strip()
    empty = txt.isna() | (txt == "")
    out = pd.to_numeric(txt.where(~empty), errors="coerce").astype("float64")
    bad = out.isna() & ~empty
    if bad.any():
        i = _row_of(bad)
        raise DataError("bad_number", file=file, column=column, row=i, value=str(txt.iloc[i - 1]))
    return out


def parse_bool(s: pd.Series, *, column: str, file: str) -> pd.Series:
    """true/false, yes/no, 1/0 (any case) → bool; empty → True (the export did not say)."""
    if pd.api.types.is_bool_dtype(s):
        return s.fillna(True).astype(bool)
    txt = s.astype("string").str.strip().str.lower()
    empty = txt.isna() | (txt == "")
    is_true, is_false = txt.isin(_TRUE).fillna(False), txt.isin(_FALSE).fillna(False)
    bad = ~(is_true | is_false | empty)
    if bad.any():
        i = _row_of(bad)
        raise DataError("bad_bool", file=file, column=column, row=i, value=str(s.iloc[i - 1]))
    return (~is_false).astype(bool)


def _vocab(df: pd.DataFrame, col: str, allowed: tuple[str, ...], code: str, file: str) -> pd.Series:
    s = df[col].astype("string").str.strip().str.lower()
    bad = ~s.isin(allowed).fillna(False)
    if bad.any():
        i = _row_of(bad)
        raise DataError(code, file=file, column=col, row=i, value=str(df[col].iloc[i - 1]))
    return s.astype(object)


def standardize_deals(df: pd.DataFrame, *, file: str = "deals") -> pd.DataFrame:
    """Validate and coerce a deals frame with canonical headers. Does not mutate ``df``.

    Rules: ``deal_id``, ``manager``, ``client`` non-empty text; ``created_at`` a date; ``closed_at`` a date
    or empty; ``status`` in {won, lost, open}; ``amount`` a number ≥ 0 (empty → 0). An open deal's
    ``closed_at`` is ignored (set to NaT): expected close dates never count as closes.
    """
    _require(df, DEALS_REQUIRED, file)
    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    df = df.reset_index(drop=True)
    out["deal_id"] = _nonempty_text(df, "deal_id", file)
    out["manager"] = _nonempty_text(df, "manager", file)
    out["client"] = _nonempty_text(df, "client", file)
    out["created_at"] = parse_datetime(df["created_at"], column="created_at", file=file, allow_empty=False)
    closed = parse_datetime(df["closed_at"], column="closed_at", file=file, allow_empty=True)
    out["status"] = _vocab(df, "status", STATUSES, "bad_status", file)
    out["closed_at"] = closed.where(out["status"] != "open")
    amount = parse_number(df["amount"], column="amount", file=file)
    neg = amount < 0
    if neg.any():
        i = _row_of(neg)
        raise DataError("negative_amount", file=file, column="amount", row=i, value=float(amount.iloc[i - 1]))
    out["amount"] = amount.fillna(0.0)
    for col in DEALS_OPTIONAL:
        out[col] = _text(df[col]) if col in df.columns else None
    return out


def standardize_activities(df: pd.DataFrame, *, file: str = "activities") -> pd.DataFrame:
    """Validate and coerce an activities frame with canonical headers. Does not mutate ``df``.

    ``type`` in {call, meeting, email, task, other}; ``at`` a date; ``done`` true/false, yes/no or 1/0,
    True where the column is absent or the cell is empty.
    """
    _require(df, ACTIVITIES_REQUIRED, file)
    df = df.reset_index(drop=True)
    out = pd.DataFrame(index=pd.RangeIndex(len(df)))
    out["activity_id"] = _nonempty_text(df, "activity_id", file)
    out["manager"] = _nonempty_text(df, "manager", file)
    out["type"] = _vocab(df, "type", ACTIVITY_TYPES, "bad_type", file)
    out["at"] = parse_datetime(df["at"], column="at", file=file, allow_empty=False)
    out["done"] = parse_bool(df["done"], column="done", file=file) if "done" in df.columns else True
    return out


def standardize_plans(df: pd.DataFrame, *, file: str = "plans") -> pd.DataFrame:
    """Validate and coerce a long plans frame (manager, month YYYY-MM, target). Does not mutate ``df``.

    Several rows for the same manager and month are summed.
    """
    _require(df, PLANS_REQUIRED, file)
    df = df.reset_index(drop=True)
    manager = _nonempty_text(df, "manager", file)
    raw = df["month"]
    if pd.api.types.is_datetime64_any_dtype(raw):
        month = raw.dt.strftime("%Y-%m")
    else:
        txt = raw.astype("string").str.strip()
        ok = txt.str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])").fillna(False)
        if not ok.all():
            i = _row_of(~ok)
            raise DataError("bad_month", file=file, column="month", row=i, value=str(raw.iloc[i - 1]))
        month = txt
    target = parse_number(df["target"], column="target", file=file)
    neg = target < 0
    if neg.any():
        i = _row_of(neg)
        raise DataError("negative_amount", file=file, column="target", row=i, value=float(target.iloc[i - 1]))
    out = pd.DataFrame({"manager": manager, "month": month.astype(object), "target": target.fillna(0.0)})
    return out.groupby(["manager", "month"], as_index=False, sort=True)["target"].sum()


STANDARDIZE = {"deals": standardize_deals, "activities": standardize_activities, "plans": standardize_plans}


def empty_frame(kind: str) -> pd.DataFrame:
    """An empty canonical frame of the given kind, with the right dtypes."""
    if kind == "deals":
        return pd.DataFrame({"deal_id": pd.Series(dtype=object), "manager": pd.Series(dtype=object),
                             "client": pd.Series(dtype=object),
                             "created_at": pd.Series(dtype="datetime64[ns]"),
                             "closed_at": pd.Series(dtype="datetime64[ns]"),
                             "status": pd.Series(dtype=object), "amount": pd.Series(dtype="float64"),
                             "source": pd.Series(dtype=object), "currency": pd.Series(dtype=object)})
    if kind == "activities":
        return pd.DataFrame({"activity_id": pd.Series(dtype=object), "manager": pd.Series(dtype=object),
                             "type": pd.Series(dtype=object), "at": pd.Series(dtype="datetime64[ns]"),
                             "done": pd.Series(dtype=bool)})
    if kind == "plans":
        return pd.DataFrame({"manager": pd.Series(dtype=object), "month": pd.Series(dtype=object),
                             "target": pd.Series(dtype="float64")})
    raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")


def read_table(data: bytes, *, file: str) -> pd.DataFrame:
    """Read canonical CSV (UTF-8, comma) or XLSX bytes into a frame of strings / native cells."""
    if not data or not data.strip():
        raise DataError("empty_file", file=file)
    suffix = Path(file).suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm") or data[:4] == b"PK\x03\x04":
            return pd.read_excel(io.BytesIO(data), dtype=object, engine="openpyxl")
        if suffix not in ("", ".csv", ".txt"):
            raise DataError("unsupported_type", file=file)
        text = data.decode("utf-8-sig")
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=True)
    except DataError:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure becomes one clear message
        raise DataError("unreadable", file=file, detail=f"{type(exc).__name__}: {exc}"[:200]) from exc


def load_canonical(kind: str, data: bytes, *, file: str) -> pd.DataFrame:
    """Read and standardise one canonical file (``kind`` in deals / activities / plans)."""
    raw = read_table(data, file=file)
    raw.columns = [str(c).strip() for c in raw.columns]
    if len(raw) == 0:
        raise DataError("no_rows", file=file)
    return STANDARDIZE[kind](raw, file=file)
