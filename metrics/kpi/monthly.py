"""KPIs month by month: ``monthly_aggregates`` (one pass over the rows for many months — the fast twin
of ``kpi_aggregates`` per month), ``monthly_kpis``, ``monthly_table``, ``last_months``."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..periods import Period
from ..schema import empty_frame
from .period_rows import activity_counts, eq_mask, manager_index, object_addresses, several_values
from .scorecard import Aggregates, EXTRA_COLUMNS, KPI_COLUMNS, Scorecard, compute_kpis, kpi_aggregates


_UNITS_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
                  "ns": 86_400_000_000_000}


def _take(s: pd.Series, idx: np.ndarray) -> pd.Series:
    """``s.take(idx).reset_index(drop=True)``: a numpy-backed column (object, datetime64, float…) taken by
    numpy — the same values, without pandas taking an index too — others (arrow strings…) by pandas."""
    if isinstance(s.dtype, np.dtype):
        return pd.Series(s.to_numpy()[idx], dtype=s.dtype, copy=False)
    return s.take(idx).reset_index(drop=True)


def distinct_objects(s: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """(codes, rows) of a plain object column's distinct objects: ``codes[i]`` numbers the object held in row
    i, ``rows[c]`` is a row holding object c. None when that does not pay (another dtype, few rows, or
    mostly distinct objects).

    A text column as the importers leave it holds one shared object per distinct text (pyarrow's
    conversion deduplicates them): the objects are told apart by their addresses (:func:`object_addresses`), with
    an integer hash table instead of hashing or comparing every text. Rows holding the same object hold
    the same value, so anything computed per value can be computed once per object."""
    address = object_addresses(s) if len(s) >= 10_000 else None
    if address is None:
        return None
    codes, objects = pd.factorize(address)
    if len(objects) * 4 > len(address):
        return None
    rows = np.empty(len(objects), dtype=np.intp)
    rows[codes] = np.arange(len(address))                         # a row of each object (any: the same object)
    return codes, rows


def factorize_sorted(s: pd.Series, objects: tuple[np.ndarray, np.ndarray] | None = None
                      ) -> tuple[np.ndarray, pd.Index]:
    """``pd.factorize(s, sort=True)`` (codes; uniques as :func:`manager_index`) — the same codes and uniques;
    for a column of shared objects (:func:`distinct_objects`, or ``objects`` already found) one row per
    object is factorised by value (equal texts in distinct objects still get one code; missing → -1)."""
    objects = objects if objects is not None else distinct_objects(s)
    if objects is None:
        codes, uniques = pd.factorize(s, sort=True)
        return codes, manager_index(uniques)
    object_codes, rows = objects
    codes, uniques = pd.factorize(s.to_numpy()[rows], sort=True)
    return codes[object_codes], manager_index(uniques)


def eq_texts(s: pd.Series, value: str, objects: tuple[np.ndarray, np.ndarray] | None) -> np.ndarray:
    """``eq_mask(s, value)``; for a column of shared objects (``objects``: :func:`distinct_objects`)
    compared once per object."""
    if objects is None:
        return eq_mask(s, value)
    object_codes, rows = objects
    return eq_mask(pd.Series(s.to_numpy()[rows], dtype=object), value)[object_codes]


def month_index_of(s: pd.Series, base: int) -> np.ndarray:
    """Calendar month of each timestamp minus ``base`` (months since 1970-01); NaT → -1.

    The day number of each value (an integer floor division) indexes a small day → month table covering
    the data's range of days — the same months as ``astype("datetime64[M]")``, several times faster."""
    v = s.to_numpy()
    if not (isinstance(v.dtype, np.dtype) and v.dtype.kind == "M"):
        v = pd.to_datetime(s).to_numpy()
    unit, count = np.datetime_data(v.dtype)
    per_day = _UNITS_PER_DAY.get(unit)
    nat = np.isnat(v)
    if per_day is not None and count == 1 and len(v) > 1000 and not nat.all():
        day = np.floor_divide(v.view("int64"), per_day)
        ok = day[~nat]
        lo, hi = int(ok.min()), int(ok.max())
        if hi - lo < 400_000:                      # ~1100 years of days at most: the table stays small
            table = np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[M]").astype("int64") - base
            out = table[np.where(nat, 0, day - lo)]
            out[nat] = -1
            return out
    m = v.astype("datetime64[M]")
    out = m.astype("int64") - base
    out[np.isnat(m)] = -1
    return out


def months_between(s: pd.Series, base: int, first: int, last: int) -> np.ndarray | None:
    """Whether each timestamp's month index (:func:`month_index_of`) lies in [first, last] (NaT → False);
    None when ``s`` is not a datetime64 column.

    lo ≤ x < hi for the bounding month starts lo, hi, as one subtraction and one comparison on the int64
    values: (x − lo) mod 2⁶⁴, read unsigned, is below hi − lo exactly when lo ≤ x < hi (x, lo, hi in int64's
    range; NaT, the smallest int64, is below every month start)."""
    v = s.to_numpy()
    if not (isinstance(v.dtype, np.dtype) and v.dtype.kind == "M"):
        return None
    lo = np.datetime64(base + first, "M").astype(v.dtype).view("int64")
    hi = np.datetime64(base + last + 1, "M").astype(v.dtype).view("int64")
    return np.subtract(v.view("int64"), lo).view("uint64") < np.uint64(hi - lo)


def window_month(s: pd.Series, base: int, n: int) -> np.ndarray:
    """:func:`month_index_of` of a datetime64 column where it lies in [0, n + 1) — values before month 0 (and
    NaT) → -1, from month n + 1 on → n + 1: a binary search among the window's n + 2 month starts."""
    v = s.to_numpy()
    starts = np.array([np.datetime64(base + i, "M").astype(v.dtype).view("int64") for i in range(n + 2)])
    return np.searchsorted(starts, v.view("int64"), side="right") - 1


def _consecutive_months(months: list[Period]) -> bool:
    from ..periods import month as _month
    if not months:
        return False
    y, mo = months[0].start.year, months[0].start.month
    for p in months:
        if p != _month(y, mo):
            return False
        y, mo = (y, mo + 1) if mo < 12 else (y + 1, 1)
    return True


def _last_per_group(j: np.ndarray, closed: np.ndarray, client_codes: np.ndarray, n: int,
                    deal_ids) -> np.ndarray:
    """Positions of the rows with j < n that ``w[w["j"] < n].sort_values(["closed_at", "deal_id"],
    kind="stable").drop_duplicates(["j", "client"], keep="last")`` keeps (in another order), for the rows
    w = (j, client, closed_at, deal_id): per (j, client) the latest close, ties by the greatest deal id, then
    the last row. Integer sorts; deal ids are read (``deal_ids(positions)``: their values, an array) only
    where a client has two deals closed at the same instant in a month. ``closed``: the close times as
    int64; ``client_codes``: the clients factorised (equal clients, equal codes; rows without a client are
    left out before)."""
    sub = np.flatnonzero(j < n)
    if not len(sub):
        return sub
    g = client_codes[sub] * (n + 1) + j[sub]
    order = np.lexsort((closed[sub], g))          # stable: by group, close time, then row order
    gs, cs = g[order], closed[sub][order]
    ends = np.flatnonzero(np.r_[gs[1:] != gs[:-1], True])
    chosen = order[ends]
    tied = np.flatnonzero((ends > 0) & (gs[np.maximum(ends - 1, 0)] == gs[ends])
                          & (cs[np.maximum(ends - 1, 0)] == cs[ends]))
    if len(tied):
        spans = []
        for i in tied:
            e = ends[i]
            b = e
            while b > 0 and gs[b - 1] == gs[e] and cs[b - 1] == cs[e]:
                b -= 1
            spans.append((i, order[b:e + 1]))      # ascending row order (stable sort)
        wanted = np.concatenate([rows for _, rows in spans])
        ids = dict(zip(wanted.tolist(), deal_ids(sub[wanted])))
        for i, rows in spans:
            best = rows[0]
            for r in rows[1:]:
                if not ids[r] < ids[best]:         # greater or equal id: the later row wins
                    best = r
            chosen[i] = best
    return sub[chosen]


def _by_month(j: np.ndarray, codes: np.ndarray, cat: np.ndarray, n_cat: int, n: int, people: pd.Index,
              size: str, named: dict[str, int], columns: list[str] | None = None
              ) -> tuple[list[pd.DataFrame], np.ndarray]:
    """Rows counted per month i = 0..n-1 (``j``; rows outside left out), manager (``codes`` into the sorted
    ``people``; -1: no manager) and category (``cat`` in [0, n_cat)) with one bincount.

    Returns (frames, team). frames[i] is ``_counts`` of month i's rows: per manager with a row that month
    (index: sorted; rows without a manager left out) the row count ``size`` and, for each ``named`` column,
    the rows of its category — ``columns``: the columns kept (default all). team[i, c]: month i's rows of
    category c, with or without a manager."""
    k = len(people)
    inside = (j >= 0) & (j < n)
    if not inside.all():
        ok = np.flatnonzero(inside)
        j, codes, cat = j[ok], codes[ok], cat[ok]
    if len(codes) and codes.min() < 0:
        codes = np.where(codes < 0, k, codes)           # rows without a manager: one more column, the team's only
    key = (j * (k + 1) + codes) * n_cat + cat
    counts = np.bincount(key, minlength=n * (k + 1) * n_cat).reshape(n, k + 1, n_cat)
    team = counts.sum(axis=1)
    per = counts[:, :k, :]
    cols = {size: per.sum(axis=2)}
    for name, c in named.items():
        cols[name] = per[:, :, c]
    keep = list(cols) if columns is None else columns
    out = []
    for i in range(n):
        present = np.flatnonzero(cols[size][i] > 0)
        out.append(pd.DataFrame({c: cols[c][i, present].astype("int64") for c in keep}, index=people[present]))
    return out, team


def monthly_aggregates(*, deals: pd.DataFrame, months: list[Period], activities: pd.DataFrame | None = None
                       ) -> list[Aggregates]:
    """``[kpi_aggregates(deals=deals, period=m, activities=activities) for m in months]`` — the same
    numbers — in one pass over the rows when ``months`` are consecutive calendar months (counts by month
    index and manager code, revenue by one grouped sum in row order); otherwise month by month."""
    if not _consecutive_months(months):
        return [kpi_aggregates(deals=deals, period=m, activities=activities) for m in months]
    n = len(months)
    base = (months[0].start.year - 1970) * 12 + months[0].start.month - 1 - 1   # index 0 = the month before
    notes = ["multi_currency"] if "currency" in deals.columns and several_values(deals["currency"]) else []

    # only the rows dated inside the window take part (the string comparisons are the costly part)
    created_in = months_between(deals["created_at"], base, 1, n)
    closed_in = months_between(deals["closed_at"], base, 0, n)
    if created_in is not None and closed_in is not None:     # datetime columns: compared as numbers first,
        rows = np.flatnonzero(created_in | closed_in)          # month indices only for the window's rows
        cj = window_month(_take(deals["created_at"], rows), base, n)
        dj = window_month(_take(deals["closed_at"], rows), base, n)
    else:
        cj_all = month_index_of(deals["created_at"], base)
        dj_all = month_index_of(deals["closed_at"], base)
        rows = np.flatnonzero(((cj_all >= 1) & (cj_all <= n)) | ((dj_all >= 0) & (dj_all <= n)))
        cj, dj = cj_all[rows], dj_all[rows]
    status = _take(deals["status"], rows)
    status_objects = distinct_objects(status)
    # the managers of the window's rows, factorised once (sorted): leads, won deals and customers alike
    codes, people = factorize_sorted(_take(deals["manager"], rows))
    k = len(people)

    # leads: created in month j
    is_won = eq_texts(status, "won", status_objects)
    is_open = eq_texts(status, "open", status_objects)
    lead_cat = is_won + 2 * is_open.astype("int64")             # 0 lost, 1 won, 2 open (one status each)
    lead_g, lead_c = _by_month(cj - 1, codes, lead_cat, 3, n, people, "leads", {"won_of_leads": 1, "open_leads": 2})
    lead_t = [lead_c.sum(axis=1), lead_c[:, 1], lead_c[:, 2]]

    # won deals closed in month j (revenue: a grouped sum in row order per (month, manager), as kpi_aggregates'
    # groupby("manager") sum; the team's: the month's amounts summed as one column, in row order)
    w_sub = np.flatnonzero(is_won & (dj >= 0) & (dj <= n))
    w_idx = rows[w_sub]
    wj = dj[w_sub]
    wcode = codes[w_sub]
    amount = _take(deals["amount"], w_idx).to_numpy()
    now = np.flatnonzero(wj >= 1)
    named = now[wcode[now] >= 0]
    key = (wj[named] - 1) * k + wcode[named]
    won_n = np.bincount(key, minlength=n * k).reshape(n, k)
    sums = pd.Series(amount[named]).groupby(key).sum()
    revenue = np.zeros(n * k, dtype="float64")
    revenue[sums.index.to_numpy()] = sums.to_numpy(dtype="float64")
    revenue = revenue.reshape(n, k)
    by_j = now[np.argsort(wj[now], kind="stable")]               # the month's rows stay in row order
    bounds = np.searchsorted(wj[by_j], np.arange(1, n + 2))
    won_g, won_t = [], []
    for i in range(n):
        present = np.flatnonzero(won_n[i] > 0)
        won_g.append(pd.DataFrame({"won": won_n[i, present].astype("int64"), "revenue": revenue[i, present]},
                                  index=people[present]))
        part = amount[by_j[bounds[i]:bounds[i + 1]]]
        won_t.append((len(part), float(pd.Series(part).sum())))

    # retention: the customers of month j - 1 (manager of their last won deal there), retained in month j;
    # a won deal without a client is no customer (left out, as in retention_customers)
    w_client = _take(deals["client"], w_idx).to_numpy()
    c_ok = ~pd.isna(w_client)
    if not c_ok.all():
        w_idx, wj, wcode, w_client = w_idx[c_ok], wj[c_ok], wcode[c_ok], w_client[c_ok]
    closed = _take(deals["closed_at"], w_idx).to_numpy().view("int64")
    # each (month, client)'s last won deal by close time then deal id, as retention_customers
    wcodes, wclients = pd.factorize(w_client, use_na_sentinel=False)
    wcodes = wcodes.astype("int64")
    pos = _last_per_group(wj, closed, wcodes, n, lambda at: deals["deal_id"].take(w_idx[at]).to_numpy())
    width = n + 2
    key_last = wcodes[pos] * width + wj[pos] + 1   # +1: the next month
    key_all = wcodes * width + wj
    if len(wclients) * width <= 50_000_000:            # a presence table instead of sorting the keys
        seen = np.zeros(len(wclients) * width, dtype=bool)
        seen[key_all] = True
        retained = seen[key_last]
    else:
        retained = np.isin(key_last, np.unique(key_all))
    ret_g, ret_c = _by_month(wj[pos], wcode[pos], retained.astype("int64"), 2, n, people, "customers_prev",
                             {"customers_retained": 1})     # month j's customers count for month j + 1
    ret_t = [ret_c.sum(axis=1), ret_c[:, 1]]

    # activities: done calls and meetings in month j
    if activities is not None:
        a = activities
        done_all = a["done"]
        done_all = (done_all.to_numpy() if done_all.dtype == bool else done_all.astype(bool).to_numpy())
        in_window = months_between(a["at"], base, 1, n)
        if in_window is not None:
            arows = np.flatnonzero(in_window & done_all)                      # done activities of the window
            aj = window_month(_take(a["at"], arows), base, n)
        else:
            aj_all = month_index_of(a["at"], base)
            arows = np.flatnonzero((aj_all >= 1) & (aj_all <= n) & done_all)
            aj = aj_all[arows]
        kind = _take(a["type"], arows)
        kinds = distinct_objects(kind)
        call = eq_texts(kind, "call", kinds)
        both = np.flatnonzero(call | eq_texts(kind, "meeting", kinds))
        brows = arows[both]                         # done calls and meetings: the only rows that count
        acodes, apeople = factorize_sorted(_take(a["manager"], brows))
        act_g, act_c = _by_month(aj[both] - 1, acodes, call[both].astype("int64"), 2, n, apeople,
                                 "_n", {"calls": 1, "meetings": 0}, columns=["calls", "meetings"])
        act_t = [act_c[:, 1], act_c[:, 0], act_c.sum(axis=1)]
    else:
        empty = activity_counts(empty_frame("activities"))
        act_g = [empty] * n
        act_t = [np.zeros(n, dtype="int64")] * 3

    out = []
    for i, p in enumerate(months):
        team = {"leads": int(lead_t[0][i]), "won_of_leads": int(lead_t[1][i]), "open_leads": int(lead_t[2][i]),
                "won": won_t[i][0], "revenue": won_t[i][1], "calls": int(act_t[0][i]),
                "meetings": int(act_t[1][i]), "activities": int(act_t[2][i]),
                "customers_prev": int(ret_t[0][i]), "customers_retained": int(ret_t[1][i])}
        out.append(Aggregates(period=p, leads=lead_g[i], won=won_g[i], acts=act_g[i], ret=ret_g[i], team=team,
                              has_activities=activities is not None, notes=list(notes)))
    return out


def monthly_kpis(*, deals: pd.DataFrame, months: list[Period], activities: pd.DataFrame | None = None,
                 plans: pd.DataFrame | None = None, default_target: float | None = None,
                 overrides: dict[str, float] | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """The KPIs month by month (one :func:`compute_kpis` per period): month (YYYY-MM of the period's
    start), manager (None for the team), then KPI_COLUMNS[1:] + EXTRA_COLUMNS."""
    return monthly_table([compute_kpis(deals=deals, period=p, activities=activities, plans=plans,
                                       default_target=default_target, overrides=overrides, alpha=alpha)
                          for p in months])


def monthly_table(cards: list[Scorecard]) -> pd.DataFrame:
    """Scorecards of single months stacked as :func:`monthly_kpis` returns them."""
    frames = []
    for card in cards:
        tab = card.table()
        tab.insert(0, "month", f"{card.period.start:%Y-%m}")
        frames.append(tab)
    if not frames:
        return pd.DataFrame(columns=["month"] + KPI_COLUMNS + EXTRA_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def last_months(period: Period, n: int) -> list[Period]:
    """The n calendar months ending with the month of ``period.end`` (oldest first)."""
    from ..periods import month as _month
    y, m = period.end.year, period.end.month
    out = []
    for _ in range(n):
        out.append(_month(y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]
