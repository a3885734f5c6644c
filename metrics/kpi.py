"""The five KPIs of the source article, per manager and for the team — the contract.

A period P is an inclusive range of dates; timestamps compare by their date (see ``metrics.periods``).

1. Conversion: ``leads`` = deals created in P; ``won_of_leads`` = those of them whose status is won
   (whenever they closed); ``conversion = won_of_leads / leads`` with a 95% Wilson interval.
2. Average deal size: ``won`` = deals with status won and closed in P; ``revenue`` = their total amount;
   ``avg_deal = revenue / won``.
3. Activity: ``activities`` = done activities of type call or meeting in P, split into ``calls`` and
   ``meetings``; per working day (Mon–Fri in P) in ``*_per_day`` (null when no activities were loaded;
   for the team row per manager: divided also by the number of managers with an activity in P).
4. Plan fulfilment: ``target`` = Σ over months of the month's target × (days of that month inside P / days
   in the month); ``plan_fulfillment = revenue / target``.
5. Customer retention: ``customers_prev`` = clients with a won deal closed in the previous window, each
   attributed to the manager of their last such deal; ``customers_retained`` = those of them with a won
   deal closed in P (with any manager); ``retention_rate = customers_retained / customers_prev``.

Every ratio with a zero denominator is null (NaN), never 0 and never an error. The team row applies the
same formulas to all deals (team target = sum of the managers' targets). A manager is listed when they
have a lead, a won deal, an activity or a target in P, or a customer in the previous window.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import numpy as np
import pandas as pd

from .periods import Period
from .schema import empty_frame
from .stats import wilson_interval

KPI_COLUMNS = ["manager", "leads", "won_of_leads", "conversion", "conversion_ci_low", "conversion_ci_high",
               "won", "revenue", "avg_deal", "activities", "calls", "meetings", "target",
               "plan_fulfillment", "customers_prev", "customers_retained", "retention_rate"]
EXTRA_COLUMNS = ["open_leads", "working_days", "activities_per_day", "calls_per_day", "meetings_per_day"]
COUNT_COLUMNS = ["leads", "won_of_leads", "open_leads", "won", "activities", "calls", "meetings",
                 "customers_prev", "customers_retained"]
#: KPIs that get a traffic light, in display order.
LIGHT_KPIS = ["conversion", "avg_deal", "activities_per_day", "plan_fulfillment", "retention_rate"]


def _ratio(num, den) -> np.ndarray:
    num = np.asarray(num, dtype="float64")
    den = np.asarray(den, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)


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


def _eq(s: pd.Series, value: str) -> np.ndarray:
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


def period_leads(*, deals: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Deals created in P: deal_id, manager, source, won (bool: status is won, whenever closed), open (bool)."""
    idx = np.flatnonzero(_in(period, deals["created_at"]))
    status = deals["status"].iloc[idx]
    src = deals["source"].iloc[idx].to_numpy() if "source" in deals.columns else np.full(len(idx), None, dtype=object)
    return pd.DataFrame({"deal_id": deals["deal_id"].iloc[idx].to_numpy(),
                         "manager": deals["manager"].iloc[idx].to_numpy(), "source": src,
                         "won": (status == "won").to_numpy(), "open": (status == "open").to_numpy()})


def period_won(*, deals: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Deals with status won and closed in P: deal_id, manager, client, closed_at, amount."""
    return _rows(deals, ["deal_id", "manager", "client", "closed_at", "amount"],
                 _won_where(deals, _in(period, deals["closed_at"])))


def period_activities(*, activities: pd.DataFrame | None, period: Period) -> pd.DataFrame:
    """Done activities of type call or meeting in P: manager, type, at."""
    a = _activities(activities)
    idx = np.flatnonzero(_in(period, a["at"]))
    done = a["done"].iloc[idx].astype(bool).to_numpy()
    kind = a["type"].iloc[idx].isin(["call", "meeting"]).to_numpy()
    return _rows(a, ["manager", "type", "at"], idx[done & kind])


def retention_customers(*, deals: pd.DataFrame, period: Period) -> pd.DataFrame:
    """Customers of the previous window: client, manager (of their last won deal there), retained (bool).

    retained = the client has a won deal closed in P, with any manager.
    """
    prev = period.previous()
    closed = deals["closed_at"]
    before = _rows(deals, ["client", "manager", "closed_at", "deal_id"], _won_where(deals, _in(prev, closed)))
    last = (before.sort_values(["closed_at", "deal_id"], kind="stable")
            .drop_duplicates("client", keep="last"))
    now = set(deals["client"].iloc[_won_where(deals, _in(period, closed))].unique())
    clients = last["client"].to_numpy()
    if pd.api.types.infer_dtype(clients, skipna=False) == "string":   # plain str: set membership = isin
        retained = np.fromiter((c in now for c in clients), dtype=bool, count=len(clients))
    else:
        retained = last["client"].isin(now).to_numpy()
    return pd.DataFrame({"client": clients, "manager": last["manager"].to_numpy(), "retained": retained})


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
    return pd.DataFrame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                         "target": pd.Series([r[1] for r in rows], dtype="float64")})


def _activity_counts(acts: pd.DataFrame) -> pd.DataFrame:
    """calls, meetings per manager (index: the managers with an activity, sorted) — what
    ``pd.crosstab(manager, type)`` restricted to call / meeting gives, counted with bincount."""
    codes, people = pd.factorize(acts["manager"], sort=True)
    kind = acts["type"]
    k = len(people)
    calls = np.bincount(codes[((kind == "call").to_numpy(dtype=bool)) & (codes >= 0)], minlength=k)
    meetings = np.bincount(codes[((kind == "meeting").to_numpy(dtype=bool)) & (codes >= 0)], minlength=k)
    return pd.DataFrame({"calls": calls.astype("int64"), "meetings": meetings.astype("int64")},
                        index=pd.Index(people, name="manager"))


def _counts(manager: pd.Series, size: str, **flags: pd.Series) -> pd.DataFrame:
    """Per manager (index: sorted, null managers left out): the row count and the number of True in each
    flag column — what ``groupby("manager").agg(size=..., flag=(flag, "sum"))`` gives, with bincount."""
    codes, people = pd.factorize(manager, sort=True)
    ok = codes >= 0
    k = len(people)
    out = {size: np.bincount(codes[ok], minlength=k).astype("int64")}
    for name, flag in flags.items():
        out[name] = np.bincount(codes[ok & flag.to_numpy(dtype=bool)], minlength=k).astype("int64")
    return pd.DataFrame(out, index=pd.Index(people, name="manager"))


def _several(s: pd.Series) -> bool:
    """``s.dropna().nunique() > 1`` without hashing every value: a non-null value unequal to the first."""
    v = s.to_numpy()
    if s.dtype != object or not len(v) or not isinstance(v[0], str):
        return s.dropna().nunique() > 1
    try:
        other = np.flatnonzero(v != v[0])          # str == compares identical objects first: fast
    except TypeError:                              # a value whose comparison has no truth value (pd.NA)
        return s.dropna().nunique() > 1
    return bool(len(other)) and bool((~pd.isna(v[other])).any())


@dataclass
class Scorecard:
    """KPIs for one period: ``managers`` (one row per listed manager) and ``team`` (one row)."""

    period: Period
    managers: pd.DataFrame
    team: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        """Managers then the team row (manager None), in KPI_COLUMNS + EXTRA_COLUMNS order."""
        return pd.concat([self.managers, self.team], ignore_index=True)


def _derive(df: pd.DataFrame, working_days: int, alpha: float, has_activities: bool = True) -> pd.DataFrame:
    df = df.copy()
    df["conversion"] = _ratio(df["won_of_leads"], df["leads"])
    lo, hi = wilson_interval(df["won_of_leads"], df["leads"], alpha=alpha)
    df["conversion_ci_low"], df["conversion_ci_high"] = lo, hi
    df["avg_deal"] = _ratio(df["revenue"], df["won"])
    df["plan_fulfillment"] = _ratio(df["revenue"], df["target"].fillna(0))
    df["retention_rate"] = _ratio(df["customers_retained"], df["customers_prev"])
    df["working_days"] = working_days
    for col in ("activities", "calls", "meetings"):
        df[f"{col}_per_day"] = _ratio(df[col], np.full(len(df), working_days if has_activities else 0))
    for col in COUNT_COLUMNS:
        df[col] = df[col].astype("int64")
    return df[KPI_COLUMNS + EXTRA_COLUMNS]


@dataclass
class Aggregates:
    """The expensive part of :func:`compute_kpis` for one period: the per-manager counts and sums that do not
    depend on targets or ``alpha`` (see :func:`kpi_aggregates`; :func:`scorecard_from` finishes the job)."""

    period: Period
    leads: pd.DataFrame            # index manager: leads, won_of_leads, open_leads
    won: pd.DataFrame              # index manager: won, revenue
    acts: pd.DataFrame             # index manager: calls, meetings
    ret: pd.DataFrame              # index manager: customers_prev, customers_retained
    team: dict                     # the team row's counts and sums
    has_activities: bool
    notes: list[str] = field(default_factory=list)

    @property
    def active(self) -> list[str]:
        """Managers with a lead, a won deal, an activity or a previous-window customer, sorted."""
        return sorted(set(self.leads.index) | set(self.won.index) | set(self.acts.index) | set(self.ret.index))


def kpi_aggregates(*, deals: pd.DataFrame, period: Period, activities: pd.DataFrame | None = None) -> Aggregates:
    """Leads, won deals, revenue, calls, meetings and retention counts per manager and for the team in
    ``period`` — everything of :func:`compute_kpis` that reads the rows. Inputs are not mutated."""
    leads = period_leads(deals=deals, period=period)
    won = period_won(deals=deals, period=period)
    acts = period_activities(activities=activities, period=period)
    ret = retention_customers(deals=deals, period=period)

    lead_g = _counts(leads["manager"], "leads", won_of_leads=leads["won"], open_leads=leads["open"])
    won_g = won.groupby("manager").agg(won=("amount", "size"), revenue=("amount", "sum"))
    act_g = _activity_counts(acts)
    ret_g = _counts(ret["manager"], "customers_prev", customers_retained=ret["retained"])
    team = {"leads": len(leads), "won_of_leads": int(leads["won"].sum()), "open_leads": int(leads["open"].sum()),
            "won": len(won), "revenue": float(won["amount"].sum()),
            "calls": int((acts["type"] == "call").sum()), "meetings": int((acts["type"] == "meeting").sum()),
            "activities": len(acts), "customers_prev": len(ret), "customers_retained": int(ret["retained"].sum())}
    notes = []
    if "currency" in deals.columns and _several(deals["currency"]):
        notes.append("multi_currency")
    return Aggregates(period=period, leads=lead_g, won=won_g, acts=act_g, ret=ret_g, team=team,
                      has_activities=activities is not None, notes=notes)


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
    from .periods import month as _month
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
    factorised (equal clients, equal codes; missing ones one code)."""
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
    notes = ["multi_currency"] if "currency" in deals.columns and _several(deals["currency"]) else []
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
        people = np.asarray(people, dtype=object)
        for i in range(n):
            present = np.flatnonzero(cols[size][i] > 0)
            out.append(pd.DataFrame({c: v[i, present].astype("int64") for c, v in cols.items()},
                                    index=pd.Index(people[present], name="manager")))
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
    is_won = _eq(status, "won")
    is_open = _eq(status, "open")
    lead_g = per_month(cj, manager, "leads", won_of_leads=is_won, open_leads=is_open)
    lead_in = (cj >= 1) & (cj <= n)
    lead_t = [np.bincount(cj[lead_in & f], minlength=n + 1)[1:] for f in (np.ones(len(cj), bool), is_won, is_open)]

    # won deals closed in month j (revenue: the grouped sum of each month's rows in row order)
    w_sub = np.flatnonzero(is_won & (dj >= 0) & (dj <= n))
    w_idx = rows[w_sub]
    wj = dj[w_sub]
    won_rows = pd.DataFrame({"j": wj, "manager": manager.take(w_sub).to_numpy(),
                             "amount": deals["amount"].take(w_idx).to_numpy()})
    cur = won_rows[won_rows["j"] >= 1]
    grouped = cur.groupby(["j", "manager"], sort=True)["amount"].agg(["size", "sum"])
    won_g, won_t = [], []
    for i in range(1, n + 1):
        part = grouped.loc[i] if i in grouped.index.get_level_values(0) else None
        if part is None:
            g = pd.DataFrame({"won": pd.Series(dtype="int64"), "revenue": pd.Series(dtype="float64")},
                             index=pd.Index([], name="manager", dtype=object))
        else:
            g = pd.DataFrame({"won": part["size"].to_numpy(dtype="int64"),
                              "revenue": part["sum"].to_numpy(dtype="float64")},
                             index=pd.Index(part.index.to_numpy(dtype=object), name="manager"))
        won_g.append(g)
        amounts = cur["amount"][cur["j"].to_numpy() == i]
        won_t.append((len(amounts), float(amounts.sum())))

    # retention: the customers of month j - 1 (manager of their last won deal there), retained in month j
    w = pd.DataFrame({"j": wj, "client": deals["client"].take(w_idx).to_numpy(),
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
        call = _eq(kind, "call")
        meet = _eq(kind, "meeting")
        both = call | meet
        brows = arows[both]                         # done calls and meetings: the only rows that count
        aj_both = aj[both]
        call, meet = call[both], meet[both]
        act_raw = per_month(aj_both, a["manager"].take(brows).reset_index(drop=True), "_n", calls=call,
                            meetings=meet)
        act_g = [g[["calls", "meetings"]] for g in act_raw]
        act_t = [np.bincount(aj_both[f], minlength=n + 1)[1:] for f in (call, meet, np.ones(len(brows), bool))]
    else:
        empty = _activity_counts(empty_frame("activities"))
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


def _derived(c: dict[str, np.ndarray], working_days: int, alpha: float, has_activities: bool) -> dict:
    """:func:`_derive` on columns held as float64 arrays (counts included; cast to int64 here): the same
    numbers, without a DataFrame per step."""
    out = dict(c)
    out["conversion"] = _ratio(c["won_of_leads"], c["leads"])
    out["conversion_ci_low"], out["conversion_ci_high"] = wilson_interval(c["won_of_leads"], c["leads"], alpha=alpha)
    out["avg_deal"] = _ratio(c["revenue"], c["won"])
    target = c["target"]
    out["plan_fulfillment"] = _ratio(c["revenue"], np.where(np.isnan(target), 0.0, target))
    out["retention_rate"] = _ratio(c["customers_retained"], c["customers_prev"])
    n = len(c["leads"])
    out["working_days"] = np.full(n, working_days, dtype="int64")
    for col in ("activities", "calls", "meetings"):
        out[f"{col}_per_day"] = _ratio(c[col], np.full(n, working_days if has_activities else 0))
    for col in COUNT_COLUMNS:
        out[col] = out[col].astype("int64")
    return out


def scorecard_from(agg: Aggregates, *, plans: pd.DataFrame | None = None, default_target: float | None = None,
                   overrides: dict[str, float] | None = None, alpha: float = 0.05) -> Scorecard:
    """The scorecard from a period's :class:`Aggregates`: targets, plan fulfilment, ratios and the Wilson
    intervals at ``alpha`` — cheap (one row per manager). ``agg`` is not mutated."""
    period = agg.period
    active = agg.active
    tgt = period_targets(plans=plans, period=period, managers=active, default_target=default_target,
                         overrides=overrides)
    people = sorted(set(active) | set(tgt["manager"]))
    index = pd.Index(people, name="manager", dtype=object)

    def column(frame: pd.DataFrame, name: str) -> np.ndarray:
        """frame[name] for every listed manager, 0 where the manager has no row (join + fillna(0))."""
        v = frame[name].reindex(index).to_numpy(dtype="float64", na_value=np.nan)
        return np.where(np.isnan(v), 0.0, v)

    cols: dict[str, np.ndarray] = {"manager": np.asarray(people, dtype=object)}
    for frame, names in ((agg.leads, ("leads", "won_of_leads", "open_leads")), (agg.won, ("won", "revenue")),
                         (agg.acts, ("calls", "meetings")), (agg.ret, ("customers_prev", "customers_retained"))):
        for name in names:
            cols[name] = column(frame, name)
    cols["activities"] = cols["calls"] + cols["meetings"]
    cols["target"] = tgt.set_index("manager")["target"].reindex(index).to_numpy(dtype="float64", na_value=np.nan)

    t = agg.team
    team = {k: np.array([float(t[k])]) for k in ("leads", "won_of_leads", "open_leads", "won", "revenue", "calls",
                                                  "meetings", "activities", "customers_prev", "customers_retained")}
    team["manager"] = np.array([None], dtype=object)
    team["target"] = np.array([float(tgt["target"].sum()) if len(tgt) else np.nan])
    wd = period.working_days()
    has = agg.has_activities
    team = _derived(team, wd, alpha, has)
    n_active = max(len(agg.acts), 1)  # team per-day values are per manager: / managers with an activity
    for col in ("activities", "calls", "meetings"):
        team[f"{col}_per_day"] = team[f"{col}_per_day"] / n_active
    order = KPI_COLUMNS + EXTRA_COLUMNS
    m = _derived(cols, wd, alpha, has)
    return Scorecard(period=period, managers=pd.DataFrame({c: m[c] for c in order}),
                     team=pd.DataFrame({c: team[c] for c in order}), notes=list(agg.notes))


def compute_kpis(*, deals: pd.DataFrame, period: Period, activities: pd.DataFrame | None = None,
                 plans: pd.DataFrame | None = None, default_target: float | None = None,
                 overrides: dict[str, float] | None = None, alpha: float = 0.05) -> Scorecard:
    """The five KPIs per manager and for the team in ``period`` (formulas in the module docstring).

    Inputs are canonical frames (``metrics.schema``); they are not mutated. ``alpha`` sets the Wilson
    interval level (0.05 → 95%). Managers are sorted by name; the team row has manager None.
    = ``scorecard_from(kpi_aggregates(...), ...)``: callers that vary only targets or ``alpha`` can keep the
    aggregates.
    """
    return scorecard_from(kpi_aggregates(deals=deals, period=period, activities=activities), plans=plans,
                          default_target=default_target, overrides=overrides, alpha=alpha)


def changes(*, current: Scorecard, previous: Scorecard) -> pd.DataFrame:
    """Change of each KPI vs the previous window: manager, kpi, value, previous, delta.

    delta = value − previous (null where either is null); the team row has manager None.
    """
    kpis = ["leads", "conversion", "avg_deal", "revenue", "activities", "activities_per_day",
            "plan_fulfillment", "retention_rate"]
    cur, prev = current.table(), previous.table()
    ck = cur["manager"].fillna("\x00team")
    pk = pd.Index(prev["manager"].fillna("\x00team"))
    if not pk.is_unique:                        # not a scorecard's table: the general (merge) way
        return _changes_merge(cur, prev, kpis)
    pos = pk.get_indexer(ck)                    # the same manager's row in the previous window (−1: none)
    found = pos >= 0
    n = len(cur)
    value = np.concatenate([cur[k].to_numpy(dtype="float64") for k in kpis]) if n else np.zeros(0)
    before = np.full(n * len(kpis), np.nan)
    for i, k in enumerate(kpis):
        before[i * n:(i + 1) * n][found] = prev[k].to_numpy(dtype="float64")[pos[found]]
    # what melt + a left merge on (manager, kpi) give: KPI by KPI, the current table's rows in order
    return pd.DataFrame({"manager": np.tile(cur["manager"].to_numpy(dtype=object), len(kpis)),
                         "kpi": np.repeat(np.asarray(kpis, dtype=object), n),
                         "value": value, "previous": before, "delta": value - before})


def _changes_merge(cur: pd.DataFrame, prev: pd.DataFrame, kpis: list[str]) -> pd.DataFrame:
    cur = cur[["manager"] + kpis].melt(id_vars="manager", var_name="kpi", value_name="value")
    prev = prev[["manager"] + kpis].melt(id_vars="manager", var_name="kpi", value_name="previous")
    cur["key"] = cur["manager"].fillna("\x00team")
    prev["key"] = prev["manager"].fillna("\x00team")
    out = cur.merge(prev.drop(columns="manager"), on=["key", "kpi"], how="left").drop(columns="key")
    out["delta"] = out["value"].astype("float64") - out["previous"].astype("float64")
    return out[["manager", "kpi", "value", "previous", "delta"]]


DEFAULT_THRESHOLDS: dict[str, tuple[float, float]] = {
    # kpi: (green at or above, amber at or above)
    "conversion": (0.25, 0.18),
    "avg_deal": (1.0, 0.8),            # share of the team's average deal
    "activities_per_day": (12.0, 8.0),
    "plan_fulfillment": (1.0, 0.8),
    "retention_rate": (0.2, 0.1),       # per month a fifth of last month's customers buying again is good
}
RELATIVE_TO_TEAM = {"avg_deal"}


def traffic_lights(*, scorecard: Scorecard, thresholds: dict[str, tuple[float, float]] | None = None) -> pd.DataFrame:
    """Light per manager and KPI: green ≥ green threshold, amber ≥ amber threshold, else red; None if no value.

    avg_deal is judged relative to the team's average deal (value / team value). Returns manager, kpi,
    value, score (the value compared), light. The team row has manager None.
    """
    th = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    tab = scorecard.table()
    rows = []
    for kpi in LIGHT_KPIS:
        green, amber = th[kpi]
        value = tab[kpi].astype("float64")
        score = value / float(scorecard.team[kpi].iloc[0]) if kpi in RELATIVE_TO_TEAM else value
        light = np.select([score >= green, score >= amber], ["green", "amber"], "red").astype(object)
        light[score.isna().to_numpy()] = None
        rows.append(pd.DataFrame({"manager": tab["manager"], "kpi": kpi, "value": value, "score": score,
                                  "light": light}))
    return pd.concat(rows, ignore_index=True)


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
    from .periods import month as _month
    y, m = period.end.year, period.end.month
    out = []
    for _ in range(n):
        out.append(_month(y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]
