"""Customer cohorts, retention and time to repeat purchase (pure pandas/numpy/scipy/statsmodels).

Definitions (docs: ``/work/shared/notes/statistics.md`` §1e and §3)
---------------------------------------------------------------------
* A **purchase** is a won deal at its close date (``closed_at``); the customer is the ``client``.
* Periods are ISO weeks (Monday–Sunday, label ``"2025-W03"``), calendar months (``"2025-01"``) or
  calendar quarters (``"2025Q1"``); ``freq`` is ``"week" | "month" | "quarter"``.
* A customer's **cohort** c is the period of the first purchase. The customer belongs to the manager
  of that first purchase (``owner="first"``) or of the latest purchase up to ``end``
  (``owner="latest"``). Ties at the same timestamp go to the manager whose name sorts first
  (``"first"``) or last (``"latest"``).
* ``end`` (a date, default: the day of the latest purchase) is when the data stops. Purchases after
  ``end`` are ignored. The **last complete period** T is the last period whose last day ≤ ``end``; the
  period containing ``end`` is complete only if ``end`` is its last day.
* Cohort tables use purchases in periods ≤ T only and show cohorts c ≤ T and cells c + k ≤ T:

  - classic R_c(k) = |{i ∈ c : i buys in period c + k}| / N_c
  - rolling U_c(k) = |{i ∈ c : last purchase period (≤ T) ≥ c + k}| / N_c
  - pooled(k) = Σ_{c: c+k ≤ T} retained_c(k) / Σ_{c: c+k ≤ T} N_c  (size-weighted, Amplitude style)

* **Time to repeat** (``unit="period"``): periods from the cohort to the first *later period* with a
  purchase (a second deal in the same period is not a return: k = 0 is the cohort period), censored at
  T − c. ``unit="day"``: days from the first purchase day to the first purchase on a later day,
  censored at ``end``, over every customer whose first purchase is ≤ ``end``.
* Kaplan–Meier Ŝ(t) = Π_{t_j ≤ t} (1 − d_j / n_j) with Greenwood SE; 1 − Ŝ(k) = P(repeat within k).

Public API
----------
``purchases(*, deals)`` → [client, manager, at, amount, source]
``cohort_table(*, purchases, freq, kind, owner, by, end, managers, source)``
    → [manager, cohort, cohort_start, size, period_index, retained, rate]
``pooled_curve(*, table)`` → [manager, period_index, cohorts, size, retained, rate]
``time_to_repeat(*, purchases, freq, unit, owner, end)`` → [client, manager, cohort, duration, event]
``kaplan_meier(*, data, duration, event, group, alpha, ci)`` → :class:`KMResult`
    ``.summary`` [group, time, at_risk, events, survival, se, ci_low, ci_high],
    ``.median`` [group, median, n, events]
``logrank(*, data, duration, event, group)`` → [test, statistic, dof, p_value, groups]
``period_retention(*, purchases, base, target, by, owner)``
    → [manager, base_customers, target_customers, new_customers, retained, reactivated,
       crr_naive, retention]
``cohort_retention_report(deals, freq="month", end=None)`` → list of plain dicts (CLI contract)

In every output the ``manager`` value ``None`` means the whole team (``by="team"``). No function
mutates its input; everything is vectorised over customers (one sort, one grouped pass).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as st

from .errors import DataError, StatisticalWarning
from .guards import bad, require_datetime, require_frame

Freq = Literal["week", "month", "quarter"]
FREQS: tuple[str, ...] = ("week", "month", "quarter")
KINDS: tuple[str, ...] = ("classic", "rolling")
OWNERS: tuple[str, ...] = ("first", "latest")
BYS: tuple[str, ...] = ("team", "manager")
UNITS: tuple[str, ...] = ("period", "day")
CI_METHODS: tuple[str, ...] = ("log-log", "linear")

PURCHASE_COLUMNS = ["client", "manager", "at", "amount", "source"]
TABLE_COLUMNS = ["manager", "cohort", "cohort_start", "size", "period_index", "retained", "rate"]
POOLED_COLUMNS = ["manager", "period_index", "cohorts", "size", "retained", "rate"]
REPEAT_COLUMNS = ["client", "manager", "cohort", "duration", "event"]
KM_COLUMNS = ["group", "time", "at_risk", "events", "survival", "se", "ci_low", "ci_high"]
MEDIAN_COLUMNS = ["group", "median", "n", "events"]
LOGRANK_COLUMNS = ["test", "statistic", "dof", "p_value", "groups"]
PERIOD_RETENTION_COLUMNS = ["manager", "base_customers", "target_customers", "new_customers", "retained",
                            "reactivated", "crr_naive", "retention"]

# Below these a Kaplan–Meier curve or a log-rank test is flagged as imprecise.
MIN_KM_SUBJECTS = 10
MIN_KM_EVENTS = 5
MIN_EXPECTED_EVENTS = 5.0

_DAY_NS = np.int64(86_400_000_000_000)
_EPOCH = np.datetime64("1970-01-01", "D")


# ----------------------------------------------------------------------------------------------------------
# guards
# ----------------------------------------------------------------------------------------------------------
def _choice(name: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed}, got {value!r}")
    return value


def _datetime_column(df: pd.DataFrame, col: str, name: str) -> np.ndarray:
    return require_datetime(df, col, name).to_numpy(dtype="datetime64[ns]")


def _text_codes(df: pd.DataFrame, col: str, name: str, *, sort: bool) -> tuple[np.ndarray, np.ndarray]:
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


def _sort_order(client: np.ndarray, at_ns: np.ndarray, manager: np.ndarray) -> np.ndarray:
    """Row order by (client, at, manager): one int64 argsort of a packed key, lexsort if it overflows."""
    at_u, at_rank = np.unique(at_ns, return_inverse=True)
    n_c, n_a, n_m = int(client.max()) + 1, len(at_u), int(manager.max()) + 1
    if n_c * n_a * n_m < 2**62:
        key = (client * n_a + at_rank.reshape(-1)) * n_m + manager
        return np.argsort(key, kind="stable")
    return np.lexsort((manager, at_ns, client))


def _end_day(end: Any) -> int | None:
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
def _day_to_period(days: np.ndarray, freq: str) -> np.ndarray:
    days = np.asarray(days, dtype=np.int64)
    if freq == "week":
        return (days + 3) // 7
    months = (_EPOCH + days.astype("timedelta64[D]")).astype("datetime64[M]").astype(np.int64)
    return months if freq == "month" else months // 3


def _period_start_day(per: np.ndarray, freq: str) -> np.ndarray:
    per = np.asarray(per, dtype=np.int64)
    if freq == "week":
        return 7 * per - 3
    months = per if freq == "month" else 3 * per
    return (months.astype("datetime64[M]").astype("datetime64[D]") - _EPOCH).astype(np.int64)


def _last_complete_period(end_day: int, freq: str) -> int:
    p = int(_day_to_period(np.array([end_day]), freq)[0])
    last_day = int(_period_start_day(np.array([p + 1]), freq)[0]) - 1
    return p if end_day == last_day else p - 1


def period_labels(periods: np.ndarray | Sequence[int], freq: str) -> np.ndarray:
    """Labels of integer periods: ``"2025-W03"`` (ISO week), ``"2025-01"`` or ``"2025Q1"``."""
    _choice("freq", freq, FREQS)
    per = np.asarray(periods, dtype=np.int64)
    if per.size == 0:
        return np.array([], dtype=object)
    uniq, inv = np.unique(per, return_inverse=True)
    if freq == "week":
        iso = pd.DatetimeIndex(_EPOCH + _period_start_day(uniq, freq).astype("timedelta64[D]")).isocalendar()
        lab = [f"{y}-W{w:02d}" for y, w in zip(iso["year"].to_numpy(), iso["week"].to_numpy())]
    elif freq == "month":
        lab = [f"{m // 12 + 1970}-{m % 12 + 1:02d}" for m in uniq.tolist()]
    else:
        lab = [f"{q // 4 + 1970}Q{q % 4 + 1}" for q in uniq.tolist()]
    return np.asarray(lab, dtype=object)[inv]


def _days_to_timestamps(days: np.ndarray) -> np.ndarray:
    return (_EPOCH + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")).astype("datetime64[ns]")


# ----------------------------------------------------------------------------------------------------------
# purchases
# ----------------------------------------------------------------------------------------------------------
def purchases(*, deals: pd.DataFrame) -> pd.DataFrame:
    """Won deals with a close date, one row per purchase: [client, manager, at, amount, source].

    ``at`` = ``closed_at``. Open and lost deals, and won deals without ``closed_at``, are dropped.
    ``source`` is None where missing or where the deals frame has no ``source`` column. Rows keep the
    order of ``deals``; the index is a fresh RangeIndex. ``deals`` is not modified. Empty ``client`` /
    ``manager`` cells are reported by the functions that consume the purchases.
    """
    require_frame(deals, "deals", ["client", "manager", "status", "closed_at", "amount"])
    closed = _datetime_column(deals, "closed_at", "deals")
    keep = deals["status"].isin(["won"]).to_numpy(dtype=bool) & ~np.isnat(closed)   # canonical: lower-case
    n = int(keep.sum())
    src = deals["source"].to_numpy(dtype=object)[keep] if "source" in deals.columns else None
    out = pd.DataFrame({
        "client": deals["client"].to_numpy(dtype=object)[keep],
        "manager": deals["manager"].to_numpy(dtype=object)[keep],
        "at": closed[keep],
        "amount": pd.to_numeric(deals["amount"], errors="coerce").to_numpy(dtype="float64")[keep],
        "source": np.full(n, None, dtype=object) if src is None else src,
    })
    if src is not None:
        missing = pd.isna(src)
        if missing.any():
            out.loc[missing, "source"] = None
    return out


@dataclass(frozen=True)
class _Customers:
    """Per-customer facts from one sort of the purchases (internal)."""

    freq: str
    end_day: int
    T: int
    owner_rule: str          # "first" | "latest"
    n_rows: int              # rows of the purchases frame it was built from
    row_client: np.ndarray   # purchase rows ≤ end, sorted by (client, at, manager): client code
    row_day: np.ndarray      # day number of each row
    row_per: np.ndarray      # period of each row
    clients: np.ndarray      # client labels (code → label)
    managers: np.ndarray     # manager labels (code → label)
    owner: np.ndarray        # manager code per client
    first_day: np.ndarray    # day of the first purchase per client
    cohort: np.ndarray       # period of the first purchase per client
    first_row: np.ndarray    # positional row (in the purchases frame) of each client's first purchase


def _customers(purchases: pd.DataFrame, *, freq: str, end: Any, owner: str) -> _Customers | None:
    """Validate purchases, keep rows ≤ end, sort once and derive per-customer facts.

    Returns None when no purchase is left.
    """
    require_frame(purchases, "purchases", ["client", "manager", "at"])
    _choice("freq", freq, FREQS)
    _choice("owner", owner, OWNERS)
    at = _datetime_column(purchases, "at", "purchases")
    nat = np.isnat(at)
    if nat.any():
        raise DataError("empty_value", file="purchases", column="at", row=int(np.flatnonzero(nat)[0]) + 1)
    c_code, clients = _text_codes(purchases, "client", "purchases", sort=False)   # first-appearance order
    m_code, managers = _text_codes(purchases, "manager", "purchases", sort=True)   # ties: by name
    at_ns = at.astype(np.int64)
    day = np.floor_divide(at_ns, _DAY_NS)
    end_day = _end_day(end)
    if end_day is None:
        if len(day) == 0:
            return None
        end_day = int(day.max())
    keep = day <= end_day
    if not keep.any():
        return None
    idx = np.flatnonzero(keep)
    idx = idx[_sort_order(c_code[idx], at_ns[idx], m_code[idx])]
    rc, rd, rm = c_code[idx], day[idx], m_code[idx]
    n = len(rc)
    starts = np.flatnonzero(np.r_[True, rc[1:] != rc[:-1]])
    lasts = np.r_[starts[1:], n] - 1
    full_first = np.full(len(clients), -1, dtype=np.int64)
    full_first[rc[starts]] = starts
    # clients whose purchases are all after end vanish: recode to 0..n_clients-1
    present = full_first >= 0
    recode = np.cumsum(present) - 1
    rc = recode[rc]
    clients = clients[present]
    own_rows = starts if owner == "first" else lasts
    return _Customers(
        freq=freq, end_day=end_day, T=_last_complete_period(end_day, freq), owner_rule=owner, n_rows=len(purchases),
        row_client=rc, row_day=rd, row_per=_day_to_period(rd, freq), clients=clients, managers=managers,
        owner=rm[own_rows], first_day=rd[starts], cohort=_day_to_period(rd[starts], freq),
        first_row=idx[starts],
    )


def customers(*, purchases: pd.DataFrame, freq: Freq = "month", end: Any = None,
              owner: Literal["first", "latest"] = "first") -> _Customers | None:
    """The purchases validated, cut at ``end`` and sorted once (None when no purchase is left): pass it as
    ``customers=`` to :func:`cohort_table` and :func:`time_to_repeat` called with the same purchases, freq,
    end and owner to skip that work (the results are the same)."""
    return _customers(purchases, freq=freq, end=end, owner=owner)


def _prepared(cu: Any, purchases: pd.DataFrame, *, freq: str, end: Any, owner: str) -> _Customers | None:
    """``cu`` from :func:`customers` when it was built for these arguments, else computed here."""
    if cu is None:
        return _customers(purchases, freq=freq, end=end, owner=owner)
    if not isinstance(cu, _Customers):
        raise TypeError(f"customers must come from cohorts.customers(), got {type(cu).__name__}")
    _choice("freq", freq, FREQS)
    _choice("owner", owner, OWNERS)
    end_day = _end_day(end)
    if (cu.freq, cu.owner_rule, cu.n_rows) != (freq, owner, len(purchases)) or \
            (end_day is not None and end_day != cu.end_day):
        raise ValueError("customers= was built for other purchases, freq, end or owner")
    return cu


def _client_filter(cu: _Customers, purchases: pd.DataFrame, managers: Sequence[str] | str | None,
                   source: Sequence[str] | str | None) -> np.ndarray:
    keep = np.ones(len(cu.clients), dtype=bool)
    if managers is not None:
        wanted = {managers} if isinstance(managers, str) else set(managers)
        keep &= np.isin(cu.managers, list(wanted))[cu.owner] if len(cu.managers) else False
    if source is not None:
        wanted = {source} if isinstance(source, str) else set(source)
        first_source = purchases["source"].to_numpy(dtype=object)[cu.first_row]
        keep &= pd.Series(first_source, dtype=object).isin(wanted).to_numpy()
    return keep


def _empty(columns: list[str], dtypes: dict[str, str] | None = None) -> pd.DataFrame:
    dtypes = dtypes or {}
    return pd.DataFrame({c: pd.Series(dtype=dtypes.get(c, object)) for c in columns})


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
    _choice("kind", kind, KINDS)
    _choice("by", by, BYS)
    cu = _prepared(customers, purchases, freq=freq, end=end, owner=owner)
    if cu is None:
        return _empty(TABLE_COLUMNS, _TABLE_DTYPES)
    if source is not None and "source" not in purchases.columns:
        raise DataError("missing_columns", file="purchases", column="source")
    T = cu.T
    keep_client = _client_filter(cu, purchases, managers, source) & (cu.cohort <= T)
    if not keep_client.any():
        return _empty(TABLE_COLUMNS, _TABLE_DTYPES)

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
    out = pd.DataFrame({
        "manager": mgr.astype(object),
        "cohort": period_labels(cell_c, freq),
        "cohort_start": _days_to_timestamps(_period_start_day(cell_c, freq)),
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
    require_frame(table, "table", ["manager", "size", "period_index", "retained"])
    if len(table) == 0:
        return _empty(POOLED_COLUMNS, {"period_index": "int64", "cohorts": "int64", "size": "int64",
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


# ----------------------------------------------------------------------------------------------------------
# time to repeat purchase, Kaplan–Meier, log-rank
# ----------------------------------------------------------------------------------------------------------
def time_to_repeat(*, purchases: pd.DataFrame, freq: Freq = "month",
                   unit: Literal["period", "day"] = "period", owner: Literal["first", "latest"] = "first",
                   end: Any = None, customers: Any = None) -> pd.DataFrame:
    """Time from first to repeat purchase per customer, right-censored at the data end.

    Columns: client, manager (owner), cohort (label of the first-purchase period), duration (int),
    event (bool: a repeat purchase was seen).

    unit="period": customers of cohorts c ≤ T; duration = (first period > c with a purchase, ≤ T) − c,
    else T − c with event False. unit="day": customers with a first purchase ≤ end; duration = days
    from the first purchase day to the first later purchase day (≤ end), else end − first day.
    Rows follow the order in which clients first appear in ``purchases``. ``customers``: :func:`customers`
    of the same purchases, freq, end and owner (saves the sort).
    """
    _choice("unit", unit, UNITS)
    cu = _prepared(customers, purchases, freq=freq, end=end, owner=owner)
    if cu is None:
        return _empty(REPEAT_COLUMNS, {"duration": "int64", "event": "bool"})
    rc = cu.row_client
    if unit == "period":
        ok_row = cu.row_per <= cu.T
        rc, t = rc[ok_row], cu.row_per[ok_row]
        horizon = cu.T
        keep_client = cu.cohort <= cu.T
        origin = cu.cohort
    else:
        t = cu.row_day
        horizon = cu.end_day
        keep_client = np.ones(len(cu.clients), dtype=bool)
        origin = cu.first_day
    # distinct (client, t); the second distinct value of a client is its repeat
    new = np.r_[True, (rc[1:] != rc[:-1]) | (t[1:] != t[:-1])]
    rc, t = rc[new], t[new]
    first_pos = np.flatnonzero(np.r_[True, rc[1:] != rc[:-1]])
    nxt = first_pos + 1
    has_next = nxt < len(rc)
    has_next[has_next] = rc[nxt[has_next]] == rc[first_pos[has_next]]
    repeat_t = np.full(len(cu.clients), -1, dtype=np.int64)
    repeat_t[rc[first_pos[has_next]]] = t[nxt[has_next]]
    event = repeat_t >= 0
    duration = np.where(event, repeat_t, horizon) - origin
    idx = np.flatnonzero(keep_client)
    return pd.DataFrame({
        "client": cu.clients[idx].astype(object),
        "manager": cu.managers[cu.owner[idx]].astype(object),
        "cohort": period_labels(cu.cohort[idx], freq),
        "duration": duration[idx].astype(np.int64),
        "event": event[idx].astype(bool),
    })


def _survival_frame(data: pd.DataFrame, duration: str, event: str,
                    group: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    cols = [duration, event] + ([group] if group is not None else [])
    require_frame(data, "data", cols)
    d = data[duration]
    if not pd.api.types.is_numeric_dtype(d) or pd.api.types.is_bool_dtype(d):
        raise bad(f"data: column '{duration}' must be numeric, got {d.dtype}", duration)
    t = d.to_numpy(dtype="float64")
    bad = ~np.isfinite(t) | (t < 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError("bad_number", file="data", column=duration, row=i + 1, value=d.iloc[i])
    e_raw = data[event]
    if pd.api.types.is_bool_dtype(e_raw):
        e = e_raw.to_numpy(dtype=bool)
    else:
        if not pd.api.types.is_numeric_dtype(e_raw):
            raise bad(f"data: column '{event}' must be boolean or 0/1, got {e_raw.dtype}", event)
        ev = e_raw.to_numpy(dtype="float64")
        bad = ~np.isin(ev, (0.0, 1.0))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataError("bad_bool", file="data", column=event, row=i + 1, value=e_raw.iloc[i])
        e = ev == 1.0
    g = None
    if group is not None:
        gs = data[group]
        bad = gs.isna().to_numpy()
        if bad.any():
            raise DataError("empty_value", file="data", column=group, row=int(np.flatnonzero(bad)[0]) + 1)
        g = gs.to_numpy(dtype=object)
    return t, e, g


@dataclass(frozen=True)
class KMResult:
    """Kaplan–Meier fit (lifelines style).

    summary: one row per group and distinct event time — group, time, at_risk n_j, events d_j,
             survival Ŝ(t_j), se (Greenwood), ci_low, ci_high.
    median:  one row per group — group, median (None if Ŝ never reaches 0.5), n, events.
    alpha, ci: the confidence level 1 − alpha and the CI method ("log-log" or "linear").
    """

    summary: pd.DataFrame
    median: pd.DataFrame
    alpha: float
    ci: str


def kaplan_meier(*, data: pd.DataFrame, duration: str = "duration", event: str = "event",
                 group: str | None = "manager", alpha: float = 0.05,
                 ci: Literal["log-log", "linear"] = "log-log") -> KMResult:
    """Kaplan–Meier survival of ``duration`` per ``group`` (None: one curve, group label None).

    Ŝ(t) = Π_{t_j ≤ t} (1 − d_j / n_j), n_j = #{duration ≥ t_j}, d_j = #{duration = t_j, event};
    Greenwood SE(t) = Ŝ(t)·sqrt(Σ_{t_j ≤ t} d_j / (n_j (n_j − d_j))) (NaN where Ŝ = 0).
    Ŝ and the pointwise (1 − alpha) CI come from ``scipy.stats.ecdf(CensoredData).sf`` with
    ``confidence_interval(method=ci)``: "log-log" (exp(−exp(log(−log Ŝ) ± z·SE/(Ŝ·log Ŝ)))) or
    "linear" (Ŝ ± z·SE, clipped to [0, 1]); R's default "log" is not available in scipy. Rows are the
    distinct event times, as in R's ``summary(survfit)``. median = min{t_j : Ŝ(t_j) ≤ 0.5} (the lower
    convention of lifelines; R averages when Ŝ is exactly 0.5 on an interval).
    Warns (StatisticalWarning) for a group with < 10 subjects or < 5 events.
    """
    if not (0.0 < alpha < 1.0):
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")
    _choice("ci", ci, CI_METHODS)
    t, e, g = _survival_frame(data, duration, event, group)
    if g is None:
        labels, codes = np.array([None], dtype=object), np.zeros(len(t), dtype=np.int64)
    else:
        codes, labels = pd.factorize(pd.Series(g, dtype=object), sort=True)
        labels = np.asarray(labels, dtype=object)
    z = special.ndtri(1 / 2 + np.asarray(1 - alpha)[()] / 2)      # as scipy's confidence_interval
    order = np.lexsort((t, codes))               # one sort: groups, then durations within a group
    ts, es = t[order], e[order]
    bounds = np.searchsorted(codes[order], np.arange(len(labels) + 1), side="left")
    parts, meds, weak = [], [], []
    for j, label in enumerate(labels):          # loop over groups (managers), never over customers
        tj, ej = ts[bounds[j]:bounds[j + 1]], es[bounds[j]:bounds[j + 1]]   # tj sorted
        n, n_ev = len(tj), int(ej.sum())
        if n < MIN_KM_SUBJECTS or n_ev < MIN_KM_EVENTS:
            weak.append(f"{label if label is not None else 'team'} (n={n}, events={n_ev})")
        times, d = np.unique(tj[ej], return_counts=True)
        if len(times) == 0:
            meds.append((label, None, n, 0))
            continue
        at_risk = n - np.searchsorted(tj, times, side="left")
        if n_ev < n:                            # right-censored: scipy's estimate, computed directly
            surv, low, high = _km_censored(times, d, at_risk, z, ci)
        else:                                   # no censoring: scipy.stats.ecdf's uncensored branch
            surv, low, high = _km_scipy(tj, ej, times, alpha, ci)
        with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            gw = np.cumsum(d / (at_risk * (at_risk - d)))
            se = np.where(surv > 0, surv * np.sqrt(gw), np.nan)
        parts.append((np.full(len(times), label, dtype=object), times, at_risk.astype(np.int64),
                      d.astype(np.int64), surv, se, low, high))
        below = np.flatnonzero(surv <= 0.5 + 1e-10)
        meds.append((label, float(times[below[0]]) if len(below) else None, n, n_ev))
    if weak:
        who = ", ".join(weak)
        warnings.warn(StatisticalWarning("Kaplan–Meier curve is imprecise for: " + who, "km_imprecise", who=who),
                      stacklevel=2)
    summary = (pd.DataFrame({c: np.concatenate([p[i] for p in parts]) for i, c in enumerate(KM_COLUMNS)})
               if parts else
               _empty(KM_COLUMNS, {"time": "float64", "at_risk": "int64", "events": "int64",
                                   "survival": "float64", "se": "float64", "ci_low": "float64",
                                   "ci_high": "float64"}))
    median = pd.DataFrame({"group": pd.Series([m[0] for m in meds], dtype=object),
                           "median": pd.Series([m[1] for m in meds], dtype=object),
                           "n": np.array([m[2] for m in meds], dtype=np.int64),
                           "events": np.array([m[3] for m in meds], dtype=np.int64)})
    return KMResult(summary=summary[KM_COLUMNS], median=median, alpha=alpha, ci=ci)


def _km_censored(times: np.ndarray, d: np.ndarray, at_risk: np.ndarray, z: float,
                 ci: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ŝ and its clipped band at the distinct event times, bit for bit what
    ``scipy.stats.ecdf(CensoredData(...)).sf`` and its ``confidence_interval`` give there for right-censored
    data: scipy's products and sums also run over the censoring-only times, where the factor is exactly
    (n − 0)/n = 1.0 and the Greenwood term exactly 0.0, so leaving those times out changes no bit."""
    with np.errstate(divide="ignore", invalid="ignore"):
        sf = np.cumprod((at_risk - d) / at_risk)
        terms = np.cumsum(d / (at_risk * (at_risk - d)))
        if ci == "log-log":
            se = np.sqrt(1 / np.log(sf) ** 2 * terms)
            lnl = np.log(-np.log(sf))
            z_se = z * se
            low, high = np.exp(-np.exp(lnl + z_se)), np.exp(-np.exp(lnl - z_se))
        else:
            z_se = z * np.sqrt(sf ** 2 * terms)
            low, high = sf - z_se, sf + z_se
    return sf, np.clip(low, 0, 1), np.clip(high, 0, 1)


def _km_scipy(tj: np.ndarray, ej: np.ndarray, times: np.ndarray, alpha: float,
              ci: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ŝ and its band at ``times`` from ``scipy.stats.ecdf`` (used for a group without censoring)."""
    sf = st.ecdf(st.CensoredData(uncensored=tj[ej], right=tj[~ej])).sf
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        band = sf.confidence_interval(confidence_level=1 - alpha, method=ci)
        return sf.evaluate(times), band.low.evaluate(times), band.high.evaluate(times)


def logrank(*, data: pd.DataFrame, duration: str = "duration", event: str = "event",
            group: str = "manager") -> pd.DataFrame:
    """Log-rank test that the survival curves of all groups are equal. One row:
    test, statistic (chi-square), dof = k − 1, p_value, groups (k).

    χ² = (O − E)ᵀ V⁻¹ (O − E) over k − 1 groups, with O_g = Σ_j d_gj, E_g = Σ_j d_j n_gj / n_j
    and V_gh = Σ_j d_j (n_j − d_j)/(n_j − 1) · n_gj/n_j · (δ_gh − n_hj/n_j).
    k = 2: ``scipy.stats.logrank`` (χ² = z²); k > 2: ``statsmodels.duration.survfunc.survdiff``'s χ²
    (:func:`_survdiff_chisq`, the same arithmetic with the per-group counts from one bincount);
    p = χ²_{k−1} upper tail (``chi2.sf``, accurate for tiny p).
    Warns (StatisticalWarning) when a group expects < 5 events. Fewer than two groups, or no event at
    all, raises DataError.
    """
    t, e, g = _survival_frame(data, duration, event, group)
    codes, labels = pd.factorize(pd.Series(g, dtype=object), sort=True)
    k = len(labels)
    if k < 2:
        raise bad(f"log-rank needs at least two groups in column '{group}', got {k}", group)
    if not e.any():
        raise bad(f"log-rank needs at least one event in column '{event}'", event)
    expected = _expected_events(t, e, codes, k)
    small = [str(labels[i]) for i in np.flatnonzero(expected < MIN_EXPECTED_EVENTS)]
    if small:
        who, n = ", ".join(small), f"{MIN_EXPECTED_EVENTS:g}"
        warnings.warn(StatisticalWarning(f"log-rank chi-square approximation is doubtful: fewer than {n} expected "
                                         f"events for {who}", "logrank_doubtful", n=n, who=who), stacklevel=2)
    if k == 2:
        x, y = codes == 0, codes == 1
        res = st.logrank(st.CensoredData(uncensored=t[x & e], right=t[x & ~e]),
                         st.CensoredData(uncensored=t[y & e], right=t[y & ~e]))
        chisq, test = float(res.statistic) ** 2, "logrank (scipy.stats.logrank)"
    else:
        chisq, test = _survdiff_chisq(t, e.astype(np.int64), codes, k), "logrank k-sample (statsmodels survdiff)"
    return pd.DataFrame({"test": [test], "statistic": [chisq], "dof": [k - 1],
                         "p_value": [float(st.chi2.sf(chisq, k - 1))], "groups": [k]})


def _survdiff_chisq(time: np.ndarray, status: np.ndarray, codes: np.ndarray, k: int) -> float:
    """χ² of ``statsmodels.duration.survfunc.survdiff(time, status, codes)`` (log-rank weights, no strata,
    groups 0..k−1 all present), the same floating-point operations except that the numbers at risk and the
    events per group come from one bincount over (group, time) instead of a masked bincount per group — they
    are counts (sums of 0.0 / 1.0), so exactly the same numbers."""
    utimes, rtimes = np.unique(time, return_inverse=True)
    ml = len(utimes)
    key = codes.astype(np.int64) * ml + rtimes.reshape(-1)
    n_g = np.bincount(key, minlength=k * ml).reshape(k, ml).astype(np.float64)
    obsv = np.bincount(key, weights=status.astype(np.float64), minlength=k * ml).reshape(k, ml)
    nrisk = np.cumsum(n_g[:, ::-1], axis=1)[:, ::-1]
    obs = sum(obsv[g] for g in range(k))            # summed group by group, as statsmodels does
    nrisk_tot = sum(nrisk[g] for g in range(k))
    ix = np.flatnonzero(nrisk_tot > 1)
    dfs = k - 1
    r = nrisk / np.clip(nrisk_tot, 1e-10, np.inf)[None, :]
    var_denom = np.clip(nrisk_tot - 1, 1e-10, np.inf)
    var_scalar_part = obs * (nrisk_tot - obs) / var_denom
    groups_oe, groups_var = [], []
    for g in range(1, dfs + 1):
        oe = obsv[g] - r[g] * obs
        var_tensor_part = r[1:, :].T * (np.eye(1, dfs, g - 1).ravel() - r[g, :, None])
        var = var_tensor_part * var_scalar_part[:, None]
        groups_oe.append(oe[ix].sum())
        groups_var.append(var[ix].sum(axis=0))
    obs_vec = np.hstack(groups_oe)
    var_mat = np.vstack(groups_var)
    return float(obs_vec.dot(np.linalg.solve(var_mat, obs_vec)))


def _expected_events(t: np.ndarray, e: np.ndarray, codes: np.ndarray, k: int) -> np.ndarray:
    """E_g = Σ_j d_j · n_gj / n_j over the distinct event times t_j (vectorised)."""
    times, d = np.unique(t[e], return_counts=True)
    n_g = np.empty((len(times), k), dtype=np.float64)
    for i in range(k):                          # loop over groups, vectorised over subjects
        tg = np.sort(t[codes == i])
        n_g[:, i] = len(tg) - np.searchsorted(tg, times, side="left")
    n = n_g.sum(axis=1)
    return (d[:, None] * n_g / n[:, None]).sum(axis=0)


# ----------------------------------------------------------------------------------------------------------
# period-to-period retention (the CRR trap)
# ----------------------------------------------------------------------------------------------------------
def _window(value: Any, name: str) -> tuple[int, int]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise bad(f"{name} must be a (start, end) pair of dates, got {value!r}", name)
    lo, hi = _end_day(value[0]), _end_day(value[1])
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
    _choice("by", by, BYS)
    b0, b1 = _window(base, "base")
    t0, t1 = _window(target, "target")
    cols = {"base_customers": "int64", "target_customers": "int64", "new_customers": "int64",
            "retained": "int64", "reactivated": "int64", "crr_naive": "float64", "retention": "float64"}
    last_day = pd.Timestamp(_days_to_timestamps(np.array([max(b1, t1)]))[0])
    cu = _customers(purchases, freq="month", end=last_day, owner=owner)
    if cu is None:
        return _empty(PERIOD_RETENTION_COLUMNS, cols)
    nc = len(cu.clients)
    in_base = np.zeros(nc, dtype=bool)
    in_target = np.zeros(nc, dtype=bool)
    in_base[cu.row_client[(cu.row_day >= b0) & (cu.row_day <= b1)]] = True
    in_target[cu.row_client[(cu.row_day >= t0) & (cu.row_day <= t1)]] = True
    new = (cu.first_day >= t0) & (cu.first_day <= t1)
    g = cu.owner if by == "manager" else np.zeros(nc, dtype=np.int64)
    frame = pd.DataFrame({"g": g, "S": in_base, "E": in_target, "N": new, "R": in_base & in_target})
    agg = frame.groupby("g", sort=True)[["S", "E", "N", "R"]].sum()
    S, E, N, R = (agg[c].to_numpy(dtype=np.int64) for c in ("S", "E", "N", "R"))
    with np.errstate(divide="ignore", invalid="ignore"):
        out = pd.DataFrame({
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
