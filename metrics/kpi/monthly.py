"""KPIs month by month: ``monthly_aggregates`` (one pass over the rows for many months — the fast twin
of ``kpi_aggregates`` per month), ``monthly_kpis``, ``monthly_table``, ``last_months``."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..periods import Period
from ..schema import empty_frame
from .period_rows import activity_counts, eq_mask, manager_index, several_values
from .scorecard import Aggregates, EXTRA_COLUMNS, KPI_COLUMNS, Scorecard, compute_kpis, kpi_aggregates
from ..frames import frame as text_frame


_UNITS_PER_DAY = {"D": 1, "h": 24, "m": 1440, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000,
                  "ns": 86_400_000_000_000}


def _month_index(s: pd.Series, base: int) -> np.ndarray:
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


def _months_between(s: pd.Series, base: int, first: int, last: int) -> np.ndarray | None:
    """Whether each timestamp's month index (:func:`_month_index`) lies in [first, last], by comparing the
    values with the bounding month starts (NaT → False); None when ``s`` is not a datetime64 column."""
    v = s.to_numpy()
    if not (isinstance(v.dtype, np.dtype) and v.dtype.kind == "M"):
        return None
    lo = np.datetime64(base + first, "M").astype(v.dtype)
    hi = np.datetime64(base + last + 1, "M").astype(v.dtype)
    return (v >= lo) & (v < hi)


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


def _last_per_group(w: pd.DataFrame, n: int, client_codes: np.ndarray) -> np.ndarray:
    """Positions of the rows with j < n that ``w[w["j"] < n].sort_values(["closed_at", "deal_id"],
    kind="stable").drop_duplicates(["j", "client"], keep="last")`` keeps (in another order): per (j, client)
    the latest close, ties by the greatest deal id, then the last row. Integer sorts; deal ids are compared
    only where a client has two deals closed at the same instant in a month. ``client_codes``: the clients
    factorised (equal clients, equal codes; rows without a client are left out before)."""
    sub = np.flatnonzero(w["j"].to_numpy() < n)
    if not len(sub):
        return sub
    g = client_codes[sub] * (n + 1) + w["j"].to_numpy()[sub]
    closed = w["closed_at"].to_numpy()[sub].view("int64")
    order = np.lexsort((closed, g))               # stable: by group, close time, then row order
    gs, cs = g[order], closed[order]
    ends = np.flatnonzero(np.r_[gs[1:] != gs[:-1], True])
    chosen = order[ends]
    tied = np.flatnonzero((ends > 0) & (gs[np.maximum(ends - 1, 0)] == gs[ends])
                          & (cs[np.maximum(ends - 1, 0)] == cs[ends]))
    if len(tied):
        ids = w["deal_id"].to_numpy()[sub]
        for i in tied:
            e = ends[i]
            b = e
            while b > 0 and gs[b - 1] == gs[e] and cs[b - 1] == cs[e]:
                b -= 1
            rows = order[b:e + 1]                  # ascending row order (stable sort)
            best = rows[0]
            for r in rows[1:]:
                if not ids[r] < ids[best]:         # greater or equal id: the later row wins
                    best = r
            chosen[i] = best
    return sub[chosen]


def monthly_aggregates(*, deals: pd.DataFrame, months: list[Period], activities: pd.DataFrame | None = None
                       ) -> list[Aggregates]:
    """``[kpi_aggregates(deals=deals, period=m, activities=activities) for m in months]`` — the same
    numbers — in one pass over the rows when ``months`` are consecutive calendar months (counts by month
    index, revenue by a grouped sum in row order); otherwise month by month."""
    if not _consecutive_months(months):
        return [kpi_aggregates(deals=deals, period=m, activities=activities) for m in months]
    n = len(months)
    base = (months[0].start.year - 1970) * 12 + months[0].start.month - 1 - 1   # index 0 = the month before
    notes = ["multi_currency"] if "currency" in deals.columns and several_values(deals["currency"]) else []
    status = deals["status"]
    manager = deals["manager"]

    def per_month(j_all: np.ndarray, mgr: pd.Series, size: str, **flags: np.ndarray) -> list[pd.DataFrame]:
        """_counts(...) of the rows of each month j = 1..n (index: sorted managers with a row)."""
        keep = (j_all >= 1) & (j_all <= n)
        idx = np.flatnonzero(keep)
        codes, people = pd.factorize(mgr.take(idx), sort=True)
        j = j_all[idx] - 1
        ok = codes >= 0
        k = len(people)
        cols = {size: np.bincount(j[ok] * k + codes[ok], minlength=n * k).reshape(n, k)}
        for name, flag in flags.items():
            f = ok & flag[idx]
            cols[name] = np.bincount(j[f] * k + codes[f], minlength=n * k).reshape(n, k)
        out = []
        people = manager_index(people)
        for i in range(n):
            present = np.flatnonzero(cols[size][i] > 0)
            out.append(pd.DataFrame({c: v[i, present].astype("int64") for c, v in cols.items()},
                                    index=people[present]))
        return out

    # only the rows dated inside the window take part (the string comparisons are the costly part)
    created_in = _months_between(deals["created_at"], base, 1, n)
    closed_in = _months_between(deals["closed_at"], base, 0, n)
    if created_in is not None and closed_in is not None:     # datetime columns: compared as numbers first,
        rows = np.flatnonzero(created_in | closed_in)          # month indices only for the window's rows
        cj = _month_index(deals["created_at"].take(rows), base)
        dj = _month_index(deals["closed_at"].take(rows), base)
    else:
        cj_all = _month_index(deals["created_at"], base)
        dj_all = _month_index(deals["closed_at"], base)
        rows = np.flatnonzero(((cj_all >= 1) & (cj_all <= n)) | ((dj_all >= 0) & (dj_all <= n)))
        cj, dj = cj_all[rows], dj_all[rows]
    status = status.take(rows).reset_index(drop=True)
    manager = manager.take(rows).reset_index(drop=True)

    # leads: created in month j
    is_won = eq_mask(status, "won")
    is_open = eq_mask(status, "open")
    lead_g = per_month(cj, manager, "leads", won_of_leads=is_won, open_leads=is_open)
    lead_in = (cj >= 1) & (cj <= n)
    lead_t = [np.bincount(cj[lead_in & f], minlength=n + 1)[1:] for f in (np.ones(len(cj), bool), is_won, is_open)]

    # won deals closed in month j (revenue: the grouped sum of each month's rows in row order)
    w_sub = np.flatnonzero(is_won & (dj >= 0) & (dj <= n))
    w_idx = rows[w_sub]
    wj = dj[w_sub]
    won_rows = text_frame({"j": wj, "manager": manager.take(w_sub).to_numpy(),
                           "amount": deals["amount"].take(w_idx).to_numpy()})
    cur = won_rows[won_rows["j"] >= 1]
    grouped = cur.groupby(["j", "manager"], sort=True)["amount"].agg(["size", "sum"])
    won_g, won_t = [], []
    for i in range(1, n + 1):
        part = grouped.loc[i] if i in grouped.index.get_level_values(0) else None
        if part is None:
            g = text_frame({"won": pd.Series(dtype="int64"), "revenue": pd.Series(dtype="float64")},
                           index=manager_index([]))
        else:
            g = text_frame({"won": part["size"].to_numpy(dtype="int64"),
                            "revenue": part["sum"].to_numpy(dtype="float64")},
                           index=manager_index(part.index))
        won_g.append(g)
        amounts = cur["amount"][cur["j"].to_numpy() == i]
        won_t.append((len(amounts), float(amounts.sum())))

    # retention: the customers of month j - 1 (manager of their last won deal there), retained in month j;
    # a won deal without a client is no customer (left out, as in retention_customers)
    w_client = deals["client"].take(w_idx).to_numpy()
    c_ok = ~pd.isna(w_client)
    if not c_ok.all():
        w_sub, w_idx, wj, w_client = w_sub[c_ok], w_idx[c_ok], wj[c_ok], w_client[c_ok]
    w = text_frame({"j": wj, "client": w_client,
                    "manager": manager.take(w_sub).to_numpy(),
                    "closed_at": deals["closed_at"].take(w_idx).to_numpy(),
                    "deal_id": deals["deal_id"].take(w_idx).to_numpy()})
    # each (month, client)'s last won deal by close time then deal id, as retention_customers
    wcodes, wclients = pd.factorize(w["client"].to_numpy(), use_na_sentinel=False)
    wcodes = wcodes.astype("int64")
    pos = _last_per_group(w, n, wcodes)
    last = w.iloc[pos]
    width = n + 2
    key_last = wcodes[pos] * width + last["j"].to_numpy() + 1   # +1: the next month
    key_all = wcodes * width + w["j"].to_numpy()
    if len(wclients) * width <= 50_000_000:            # a presence table instead of sorting the keys
        seen = np.zeros(len(wclients) * width, dtype=bool)
        seen[key_all] = True
        retained = seen[key_last]
    else:
        retained = np.isin(key_last, np.unique(key_all))
    rj = last["j"].to_numpy() + 1
    ret_g = per_month(rj, last["manager"].reset_index(drop=True), "customers_prev",
                      customers_retained=retained)
    ret_t = [np.bincount(rj, minlength=n + 1)[1:], np.bincount(rj[retained], minlength=n + 1)[1:]]

    # activities: done calls and meetings in month j
    if activities is not None:
        a = activities
        done_all = a["done"]
        done_all = (done_all.to_numpy() if done_all.dtype == bool else done_all.astype(bool).to_numpy())
        in_window = _months_between(a["at"], base, 1, n)
        if in_window is not None:
            arows = np.flatnonzero(in_window & done_all)                      # done activities of the window
            aj = _month_index(a["at"].take(arows), base)
        else:
            aj_all = _month_index(a["at"], base)
            arows = np.flatnonzero((aj_all >= 1) & (aj_all <= n) & done_all)
            aj = aj_all[arows]
        kind = a["type"].take(arows)
        call = eq_mask(kind, "call")
        meet = eq_mask(kind, "meeting")
        both = call | meet
        brows = arows[both]                         # done calls and meetings: the only rows that count
        aj_both = aj[both]
        call, meet = call[both], meet[both]
        act_raw = per_month(aj_both, a["manager"].take(brows).reset_index(drop=True), "_n", calls=call,
                            meetings=meet)
        act_g = [g[["calls", "meetings"]] for g in act_raw]
        act_t = [np.bincount(aj_both[f], minlength=n + 1)[1:] for f in (call, meet, np.ones(len(brows), bool))]
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
