"""The rows each KPI counts in a period (leads, won deals, activities, retained customers, targets),
and the small vectorised helpers the KPI modules share (masks, ratios, row takes)."""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

import numpy as np
import pandas as pd

from ..periods import Period
from ..schema import empty_frame
from ..frames import frame as text_frame


_shared: ContextVar[dict | None] = ContextVar("saleslens_period_rows", default=None)


@contextmanager
def shared_period_rows() -> Iterator[None]:
    """Within the block, :func:`period_leads`, :func:`period_won`, :func:`period_activities` and
    :func:`retention_customers` of the same frame object and period are computed once and the same frame is
    handed to every caller (the report's KPIs and its comparisons select the same rows: performance only).
    The callers read these frames and never change them (the engine's rule: inputs are not mutated). Per
    thread and per task (a context variable); the frames are released when the block ends."""
    token = _shared.set({})
    try:
        yield
    finally:
        _shared.reset(token)


def _shareable(fn: Callable[..., pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """``fn(*, <frame>=..., period=...)`` reused within :func:`shared_period_rows` (keyed by the frame's
    identity — the frame is kept alive with the result, so its id is not reused — and the period)."""
    @functools.wraps(fn)
    def wrapper(**kwargs):
        memo = _shared.get()
        if memo is None:
            return fn(**kwargs)
        frames = tuple((k, v) for k, v in sorted(kwargs.items()) if k != "period")
        key = (fn.__name__, kwargs.get("period"), tuple((k, id(v)) for k, v in frames))
        if key not in memo:
            memo[key] = (fn(**kwargs), frames)
        return memo[key][0]

    return wrapper


def safe_ratio(num, den) -> np.ndarray:
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


def manager_index(values) -> pd.Index:
    """The ``manager`` index of the per-manager counts: object dtype under pandas 2 and 3 alike (pandas 3
    would infer its ``str`` dtype from an object array of strings, or from a ``str`` column's groups)."""
    return pd.Index(np.asarray(values, dtype=object), name="manager", dtype=object)


def _text(values) -> pd.Series:
    """Text values as an object column (None stays None), as the engine's frames hold text on pandas 2 and
    3 alike — ``pd.DataFrame({...: object_array})`` would infer pandas 3's ``str`` dtype (None → NaN)."""
    return pd.Series(np.asarray(values, dtype=object), dtype=object)


def _activities(activities: pd.DataFrame | None) -> pd.DataFrame:
    return empty_frame("activities") if activities is None else activities


def _plans(plans: pd.DataFrame | None) -> pd.DataFrame:
    return empty_frame("plans") if plans is None else plans


def _in(period: Period, s: pd.Series) -> np.ndarray:
    """``period.mask(s)`` as a numpy bool array; datetime64 columns are compared as numpy values (the same
    result without pandas' per-call overhead on a million rows)."""
    dt = s.dtype
    if isinstance(dt, np.dtype) and dt.kind == "M":
        unit = np.datetime_data(dt)[0]
        v = s.to_numpy()
        return (v >= np.datetime64(period.start, unit)) & (v < np.datetime64(period.end + timedelta(days=1), unit))
    return period.mask(s).to_numpy(dtype=bool)


def eq_mask(s: pd.Series, value: str) -> np.ndarray:
    """``(s == value).to_numpy(dtype=bool)``; plain object arrays compared by numpy (about twice as fast),
    anything else (or a value numpy cannot compare to a truth value, such as pd.NA) by pandas."""
    v = s.to_numpy()
    if v.dtype == object:
        try:
            out = v == value
        except TypeError:
            out = None
        if isinstance(out, np.ndarray) and out.dtype == bool:
            return out
    return (s == value).to_numpy(dtype=bool)


def _rows(frame: pd.DataFrame, cols: list[str], idx: np.ndarray) -> pd.DataFrame:
    """frame[cols] at positions idx, with a fresh RangeIndex (= ``frame.loc[mask, cols].reset_index(drop=True)``)."""
    return pd.DataFrame({c: frame[c].take(idx).reset_index(drop=True) for c in cols})  # column by column:
    # DataFrame.iloc / take may consolidate all of the frame's blocks first (a copy of every row)


def _won_where(deals: pd.DataFrame, in_window: np.ndarray) -> np.ndarray:
    """Positions of deals with status won among those in_window (status compared on that subset only)."""
    idx = np.flatnonzero(in_window)
    return idx[(deals["status"].iloc[idx] == "won").to_numpy(dtype=bool)]


@_shareable
def period_leads(*, deals: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Deals created in P: deal_id, manager, source, won (bool: status is won, whenever closed), open (bool)."""
    idx = np.flatnonzero(_in(period, deals["created_at"]))
    status = deals["status"].iloc[idx]
    src = deals["source"].iloc[idx].to_numpy() if "source" in deals.columns else np.full(len(idx), None, dtype=object)
    return text_frame({"deal_id": _text(deals["deal_id"].iloc[idx].to_numpy()),
                       "manager": _text(deals["manager"].iloc[idx].to_numpy()), "source": _text(src),
                       "won": (status == "won").to_numpy(), "open": (status == "open").to_numpy()})


@_shareable
def period_won(*, deals: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Deals with status won and closed in P: deal_id, manager, client, closed_at, amount."""
    return _rows(deals, ["deal_id", "manager", "client", "closed_at", "amount"],
                 _won_where(deals, _in(period, deals["closed_at"])))


@_shareable
def period_activities(*, activities: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Done activities of type call or meeting in P: manager, type, at."""
    a = _activities(activities)
    idx = np.flatnonzero(_in(period, a["at"]))
    done = a["done"].iloc[idx].astype(bool).to_numpy()
    kind = a["type"].iloc[idx].isin(["call", "meeting"]).to_numpy()
    return _rows(a, ["manager", "type", "at"], idx[done & kind])


@_shareable
def retention_customers(*, deals: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Customers of the previous window: client, manager (of their last won deal there), retained (bool).

    retained = the client has a won deal closed in P, with any manager. Deals without a client (empty
    ``client``) are no customer: they are left out of both windows.
    """
    prev = period.previous()
    closed = deals["closed_at"]
    has_client = deals["client"].notna().to_numpy(dtype=bool)
    before = _rows(deals, ["client", "manager", "closed_at", "deal_id"],
                   _won_where(deals, _in(prev, closed) & has_client))
    last = (before.sort_values(["closed_at", "deal_id"], kind="stable")
            .drop_duplicates("client", keep="last"))
    now = set(deals["client"].iloc[_won_where(deals, _in(period, closed) & has_client)].unique())
    clients = last["client"].to_numpy()
    if pd.api.types.infer_dtype(clients, skipna=False) == "string":   # plain str: set membership = isin
        retained = np.fromiter((c in now for c in clients), dtype=bool, count=len(clients))
    else:
        retained = last["client"].isin(now).to_numpy()
    return text_frame({"client": _text(clients), "manager": _text(last["manager"].to_numpy()),
                       "retained": retained})


def period_targets(*, plans: pd.DataFrame | None, period: Period, managers=(),
                   default_target: float | None = None,
                   overrides: dict[str, float] | None = None) -> pd.DataFrame:
    """Target per manager for P: Σ_m monthly target_m × (days of m inside P / days in m).

    Monthly target of (manager, month): ``overrides[manager]`` when given, else the plan row, else
    ``default_target`` (when > 0) — the default and overrides apply only to ``managers`` (those otherwise
    listed) and to managers with plan rows in P. Managers with no target at all are absent.
    Returns manager, target.
    """
    p = _plans(plans)
    months = period.month_overlaps()
    share = dict(zip(months["month"], months["share"]))
    in_p = p.loc[p["month"].isin(share)]
    plan = {(m, mo): float(v) for m, mo, v in zip(in_p["manager"], in_p["month"], in_p["target"])}
    fallback = float(default_target) if default_target is not None and default_target > 0 else None
    fixed = {k: float(v) for k, v in (overrides or {}).items() if v is not None}
    rows = []
    for person in sorted(set(managers) | set(in_p["manager"])):  # managers × months: small loops
        total = None
        for mo, part in share.items():
            value = fixed.get(person, plan.get((person, mo), fallback))
            if value is not None:
                total = (total or 0.0) + value * part
        if total is not None:
            rows.append((person, total))
    return text_frame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                       "target": pd.Series([r[1] for r in rows], dtype="float64")})


def activity_counts(acts: pd.DataFrame) -> pd.DataFrame:
    """calls, meetings per manager (index: the managers with an activity, sorted) — what
    ``pd.crosstab(manager, type)`` restricted to call / meeting gives, counted with bincount."""
    codes, people = pd.factorize(acts["manager"], sort=True)
    kind = acts["type"]
    k = len(people)
    calls = np.bincount(codes[((kind == "call").to_numpy(dtype=bool)) & (codes >= 0)], minlength=k)
    meetings = np.bincount(codes[((kind == "meeting").to_numpy(dtype=bool)) & (codes >= 0)], minlength=k)
    return text_frame({"calls": calls.astype("int64"), "meetings": meetings.astype("int64")},
                      index=manager_index(people))


def object_addresses(s: pd.Series) -> np.ndarray | None:
    """The addresses of a plain object column's objects (its own buffer read as integers, no copy; valid while
    ``s`` is alive and unchanged); None for other dtypes or a column numpy does not hold contiguously."""
    v = s.to_numpy() if isinstance(s.dtype, np.dtype) and s.dtype == object else None
    if v is None or not v.flags.c_contiguous or v.itemsize != np.dtype(np.intp).itemsize:
        return None
    return np.frombuffer(memoryview(v), dtype=np.intp)


def several_values(s: pd.Series) -> bool:
    """``s.dropna().nunique() > 1`` without hashing every value: False at once when every row holds one and the
    same object (:func:`object_addresses`: one currency code shared by every deal, as the importers leave it),
    else a non-null value unequal to the first."""
    address = object_addresses(s)
    if address is not None and len(address) and bool((address == address[0]).all()):
        return False
    v = s.to_numpy()
    if s.dtype != object or not len(v) or not isinstance(v[0], str):
        return s.dropna().nunique() > 1
    try:
        other = np.flatnonzero(v != v[0])          # str == compares identical objects first: fast
    except TypeError:                              # a value whose comparison has no truth value (pd.NA)
        return s.dropna().nunique() > 1
    return bool(len(other)) and bool((~pd.isna(v[other])).any())
