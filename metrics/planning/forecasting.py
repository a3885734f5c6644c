"""Run-rate forecast and working days.

``forecast(*, deals, period, as_of, plans=None, activities=None, holidays="none", alpha=0.05,
default_target=None, overrides=None, band="daily")`` → FORECAST_COLUMNS;
``working_days(*, start, end, holidays="none")``, ``ua_holidays(year)``, ``orthodox_easter(year)``.
"""
from __future__ import annotations

import math
import warnings
from datetime import date, datetime, timedelta
from typing import Any, Mapping

import numpy as np
import pandas as pd
from scipy import stats as st

from ..errors import StatisticalWarning
from ..frames import rows_frame, frame as text_frame
from ..guards import bad, require_datetime, require_columns
from ..kpi import period_targets
from ..periods import Period
from .checks import check_alpha, check_deals, check_int


FORECAST_COLUMNS = ["manager", "revenue_to_date", "elapsed_wd", "total_wd", "projected", "projected_low",
                    "projected_high", "target", "projected_fulfillment", "projected_fulfillment_low",
                    "projected_fulfillment_high", "counted_from"]

from ..calendars import CALENDARS as _CALENDARS

#: "none" (Monday–Friday), the calendars of ``metrics.calendars`` ("UA", "PL", …: the holidays package,
#: martial law in Ukraine) and "ua": the statutory list of art. 73 (:func:`ua_holidays`) kept for saved
#: scenarios and comparisons — it ignores martial law and transfers; the app and the CLI use "UA".
HOLIDAY_CALENDARS: tuple[str, ...] = ("none", "ua") + tuple(c for c in _CALENDARS if c != "none")
BANDS: tuple[str, ...] = ("daily", "prediction")
MIN_FORECAST_DAYS = 5           # fewer elapsed working days → StatisticalWarning


# ----------------------------------------------------------------------------------------------------------
# working days and Ukrainian public holidays
# ----------------------------------------------------------------------------------------------------------
def orthodox_easter(year: int) -> date:
    """Orthodox Easter Sunday (Gregorian date): the Julian computus (Meeus, *Astronomical Algorithms*, ch. 8)
    a = y mod 4, b = y mod 7, c = y mod 19, d = (19c + 15) mod 30, e = (2a + 4b − d + 34) mod 7,
    month = ⌊(d + e + 114) / 31⌋, day = (d + e + 114) mod 31 + 1 (Julian calendar), converted to Gregorian by
    adding y//100 − y//400 − 2 days (13 days in 1900–2099)."""
    y = check_int(year, "year", lo=1583)
    a, b, c = y % 4, y % 7, y % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    mo, day = divmod(d + e + 114, 31)
    return date(y, mo, day + 1) + timedelta(days=y // 100 - y // 400 - 2)


def ua_holidays(year: int) -> dict[date, str]:
    """Public holidays of Ukraine in ``year`` per article 73 of the Labour Code (КЗпП) as in force on each date.

    Implemented (from the law texts as summarised in public notes; no network was available to re-check):

    * 1 Jan New Year; 8 Mar International Women's Day; 1 May Labour Day; 28 Jun Constitution Day (1997+);
      24 Aug Independence Day; Orthodox Easter Sunday and Trinity Sunday (Easter + 49), both Sundays.
    * 7 Jan Christmas (Julian) up to 2023 — removed by law 3258-IX (in force 30.07.2023).
    * 25 Dec Christmas from 2017 (law 2249-VIII); 2 May up to 2017 (dropped by the same law).
    * 9 May Victory Day up to 2023; 8 May Day of Remembrance and Victory from 2024 (law 3107-IX, in force
      15.06.2023, so the first 8 May is 2024).
    * 14 Oct Defenders Day 2015–2022; 1 Oct from 2023 (law 3258-IX).
    * Statehood Day 28 Jul in 2022–2023 (law 2295-IX), 15 Jul from 2024 (law 3258-IX).

    Not modelled: a holiday on a Saturday or Sunday is **not** moved to the next working day (art. 67 did
    that before martial law); government working-day transfers; and martial law (since 24.03.2022, law
    2136-IX, art. 73 holidays are not days off) — this is the statutory list, not the practice of 2022–.
    """
    y = check_int(year, "year", lo=1992)
    e = orthodox_easter(y)
    h: dict[date, str] = {date(y, 1, 1): "New Year", date(y, 3, 8): "International Women's Day",
                          e: "Easter", e + timedelta(days=49): "Trinity", date(y, 5, 1): "Labour Day",
                          date(y, 8, 24): "Independence Day"}
    if y <= 2023:
        h[date(y, 1, 7)] = "Christmas (Julian)"
    if y <= 2017:
        h[date(y, 5, 2)] = "Labour Day"
    h[date(y, 5, 9) if y <= 2023 else date(y, 5, 8)] = (
        "Victory Day" if y <= 2023 else "Day of Remembrance and Victory over Nazism")
    if y >= 1997:
        h[date(y, 6, 28)] = "Constitution Day"
    if y in (2022, 2023):
        h[date(y, 7, 28)] = "Statehood Day"
    elif y >= 2024:
        h[date(y, 7, 15)] = "Statehood Day"
    if 2015 <= y <= 2022:
        h[date(y, 10, 14)] = "Defenders Day"
    elif y >= 2023:
        h[date(y, 10, 1)] = "Defenders Day"
    if y >= 2017:
        h[date(y, 12, 25)] = "Christmas"
    return dict(sorted(h.items()))


def _to_date(value: Any, name: str) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            pass
    raise bad(f"{name} must be a date YYYY-MM-DD, got {value!r}", name)


def _check_holidays(holidays: str) -> str:
    if holidays not in HOLIDAY_CALENDARS:
        raise bad(f"holidays must be one of {list(HOLIDAY_CALENDARS)}, got {holidays!r}", "holidays")
    return holidays


def working_dates(start: date, end: date, holidays: str) -> np.ndarray:
    """The working days in [start, end] (datetime64[D], ascending) of ``holidays`` (HOLIDAY_CALENDARS)."""
    _check_holidays(holidays)
    if start > end:
        return np.zeros(0, dtype="datetime64[D]")
    if holidays == "ua":
        days = np.arange(np.datetime64(start, "D"), np.datetime64(end + timedelta(days=1), "D"))
        off = np.array([d for y in range(start.year, end.year + 1) for d in ua_holidays(y)], dtype="datetime64[D]")
        return days[np.is_busday(days, holidays=off)]
    from ..calendars import working_dates as calendar_dates
    return calendar_dates(start=start, end=end, country=holidays)


def working_days(*, start: Any, end: Any, holidays: str = "none") -> int:
    """Working days in [start, end] of ``holidays``: "none" Monday–Friday; a ``metrics.calendars`` code
    ("UA", "PL", …) its calendar; "ua" Monday–Friday minus the statutory holidays of :func:`ua_holidays`."""
    a, b = _to_date(start, "start"), _to_date(end, "end")
    _check_holidays(holidays)
    if a > b:
        return 0
    return int(len(working_dates(a, b, holidays)))


# ----------------------------------------------------------------------------------------------------------
# run-rate forecast
# ----------------------------------------------------------------------------------------------------------
def _first_seen(deals: pd.DataFrame, activities: pd.DataFrame | None, start: pd.Timestamp,
                cutoff: pd.Timestamp) -> tuple[set, dict, Any]:
    """What :func:`forecast` needs of the rows (deals by ``created_at``, activities by ``at``) before
    ``cutoff``: the managers with a row in [start, cutoff); for those whose first row of all is after
    ``start``, that first time; and the earliest time of any row (NaT when none).

    = grouping every row before the cutoff by manager (the minimum per manager), without copying or
    grouping millions of rows: only the period's rows are grouped, and whether a candidate has an earlier
    row is looked up in the two months before the period first, in all earlier rows only if still open."""
    parts = [(deals["manager"], deals["created_at"])]
    if activities is not None:
        parts.append((activities["manager"], activities["at"]))
    data_start = pd.NaT
    managers, times = [], []
    for mgr, at in parts:
        upto = (at < cutoff).to_numpy(dtype=bool)
        if upto.any():
            lo = at.to_numpy()[upto].min()
            data_start = lo if pd.isna(data_start) or lo < data_start else data_start
        inside = np.flatnonzero(upto & (at >= start).to_numpy(dtype=bool))
        managers.append(mgr.to_numpy()[inside])
        times.append(at.to_numpy()[inside])
    period_rows = text_frame({"manager": np.concatenate(managers) if managers else [],
                              "at": np.concatenate(times) if times else []})
    in_p = set(period_rows["manager"])
    if not len(period_rows):
        return in_p, {}, (pd.Timestamp(data_start) if pd.notna(data_start) else pd.NaT)
    pmin = period_rows.groupby("manager")["at"].min()
    open_ = {m: t for m, t in pmin.items() if t > start}          # no row at or after start before t
    for lookback in (pd.Timedelta(days=62), None):                # recent rows first, then all earlier ones
        if not open_:
            break
        for mgr, at in parts:
            before = at < start
            if lookback is not None:
                before &= at >= start - lookback
            idx = np.flatnonzero(before.to_numpy(dtype=bool))
            if len(idx):
                seen = pd.unique(mgr.to_numpy()[idx]) if lookback is not None else \
                    mgr.iloc[idx][mgr.iloc[idx].isin(list(open_))].unique()
                for m in seen:
                    open_.pop(m, None)
    started = {m: pd.Timestamp(t) for m, t in open_.items()}
    return in_p, started, (pd.Timestamp(data_start) if pd.notna(data_start) else pd.NaT)


def forecast(*, deals: pd.DataFrame, period: Period, as_of: Any, plans: pd.DataFrame | None = None,
             activities: pd.DataFrame | None = None, holidays: str = "none", alpha: float = 0.05,
             default_target: float | None = None, overrides: Mapping[str, float] | None = None,
             band: str = "daily") -> pd.DataFrame:
    """Run-rate forecast of revenue for a period that is not over yet, per manager and for the team.

    Data up to and including ``as_of`` is used (``as_of`` after the period end means the period is over:
    the projection is the actual). Working days: those of ``holidays`` (:func:`working_days`: "none"
    Monday–Friday, a ``metrics.calendars`` code such as "UA" — the app's and the CLI's — or the statutory
    list "ua").

    * counted_from: the period start; for a manager who started mid-period — their first lead or activity
      ever in the data falls inside the period, and the data starts before the period — that day.
      elapsed_wd = working days in [counted_from, as_of], total_wd = working days in [counted_from, end].
    * revenue_to_date = won deals closed in [start, as_of]; projected = revenue_to_date / elapsed_wd × total_wd
      (NaN when elapsed_wd = 0).
    * Band (an approximation: days independent, the manager's own day-to-day spread): revenue of each elapsed
      working day (a close on a weekend or holiday counts on the working day before) has sd s (ddof 1);
      with R = total_wd − elapsed_wd remaining days, ``band="daily"``: projected ± z·s·√R;
      ``band="prediction"`` also counts the uncertainty of the daily mean: ± z·s·√(R + R²/elapsed_wd).
      z = Φ⁻¹(1 − α/2); the low end is clipped at revenue_to_date; NaN when s is undefined (elapsed < 2).
    * target = ``kpi.period_targets`` for the period; projected_fulfillment(_low/_high) = projected(…) / target.
    * Team row (manager None): revenue and targets summed, projected = Σ managers' projections, band from the
      team's own daily revenue over the period's elapsed working days.

    Fewer than 5 elapsed working days (team or a manager) → StatisticalWarning. Returns FORECAST_COLUMNS.
    """
    check_deals(deals)
    if not isinstance(period, Period):
        raise bad(f"period must be a periods.Period, got {type(period).__name__}", "period")
    if activities is not None:
        require_columns(activities, "activities", ["manager", "at"])
        require_datetime(activities, "at", "activities")
    a = check_alpha(alpha)
    if band not in BANDS:
        raise bad(f"band must be one of {list(BANDS)}, got {band!r}", "band")
    asof = _to_date(as_of, "as_of")
    if asof < period.start:
        raise bad(f"as_of {asof} is before the period start {period.start}: nothing to project from", "as_of")
    asof = min(asof, period.end)
    W = working_dates(period.start, period.end, holidays)      # the period's working days, ascending
    z = float(st.norm.ppf(1 - a / 2))
    cutoff = pd.Timestamp(asof) + pd.Timedelta(days=1)
    start_ts = pd.Timestamp(period.start)

    def wd(x: date, y: date) -> int:
        if x > y:
            return 0
        return int(np.searchsorted(W, np.datetime64(y, "D"), "right") - np.searchsorted(W, np.datetime64(x, "D"), "left"))

    # first appearance (lead or activity) of each manager who started inside the period, the data's first
    # date, and the managers seen in the period — all up to as_of
    in_p, started, data_start = _first_seen(deals, activities, start_ts, cutoff)

    closed = deals["closed_at"]
    in_win = np.flatnonzero(((closed >= start_ts) & (closed < cutoff)).to_numpy(dtype=bool))
    in_win = in_win[(deals["status"].iloc[in_win] == "won").to_numpy(dtype=bool)]
    won = pd.DataFrame({c: deals[c].take(in_win).reset_index(drop=True) for c in ("manager", "closed_at", "amount")})
    active = sorted(set(won["manager"]) | in_p)
    tgt = period_targets(plans=plans, period=period, managers=active, default_target=default_target,
                         overrides=dict(overrides) if overrides else None)
    tmap = dict(zip(tgt["manager"], tgt["target"]))
    people = sorted(set(active) | set(tmap))

    def day_series(amounts: pd.Series, closed: pd.Series, from_day: date, n: int) -> np.ndarray:
        if n <= 0:
            return np.zeros(0)
        first = int(np.searchsorted(W, np.datetime64(from_day, "D"), "left"))   # first working day ≥ from_day
        d = closed.to_numpy(dtype="datetime64[D]")
        # a close on a weekend or holiday counts on the working day before (not before from_day's)
        idx = (np.maximum(np.searchsorted(W, d, "right") - 1, first) - first) if len(d) else np.zeros(0, dtype=int)
        idx = np.clip(idx, 0, n - 1)
        return np.bincount(idx, weights=amounts.to_numpy(dtype="float64"), minlength=n)[:n]

    def project(rev: float, daily: np.ndarray, n: int, total: int) -> tuple[float, float]:
        """(projection, half-width of the band before clipping)."""
        if n <= 0:
            return np.nan, np.nan
        r = total - n
        if r == 0:
            return rev, 0.0
        s = float(np.std(daily, ddof=1)) if n >= 2 else np.nan
        return rev / n * total, z * s * math.sqrt(r + (r * r / n if band == "prediction" else 0.0))

    def band_of(proj: float, half: float, rev: float) -> tuple[float, float]:
        if not (np.isfinite(proj) and np.isfinite(half)):
            return np.nan, np.nan
        return max(proj - half, rev), proj + half

    rows, short = [], []
    by_manager = won.groupby("manager", sort=False).indices      # positions in row order, per manager
    none = np.zeros(0, dtype=np.intp)
    for m in people:
        f = started.get(m)
        counted = period.start
        if f is not None and pd.notna(data_start) and data_start < start_ts and f > start_ts:
            counted = f.date()
        n, total = wd(counted, asof), wd(counted, period.end)
        mw = won.iloc[by_manager.get(m, none)]
        rev = float(mw["amount"].sum())
        proj, half = project(rev, day_series(mw["amount"], mw["closed_at"], counted, n), n, total)
        if n < MIN_FORECAST_DAYS and total > n:
            short.append(m)
        rows.append([m, rev, n, total, proj, *band_of(proj, half, rev), tmap.get(m, np.nan), counted])

    n_team, total_team = wd(period.start, asof), wd(period.start, period.end)
    team_rev = float(won["amount"].sum())
    _, t_half = project(team_rev, day_series(won["amount"], won["closed_at"], period.start, n_team),
                        n_team, total_team)
    t_proj = float(np.nansum([r[4] for r in rows])) if n_team > 0 else np.nan
    team_target = float(sum(tmap.values())) if tmap else np.nan
    rows.append([None, team_rev, n_team, total_team, t_proj, *band_of(t_proj, t_half, team_rev), team_target,
                 period.start])

    if n_team < MIN_FORECAST_DAYS and total_team > n_team:
        warnings.warn(StatisticalWarning(f"only {n_team} working day(s) of {total_team} have elapsed: the run-rate "
                                         f"forecast and its band are very uncertain", "forecast_early",
                                         n=n_team, total=total_team), stacklevel=2)
    elif short:
        who = ", ".join(short)
        warnings.warn(StatisticalWarning(f"fewer than {MIN_FORECAST_DAYS} elapsed working days for {who} (started "
                                         f"mid-period): their forecast is very uncertain", "forecast_short",
                                         n=MIN_FORECAST_DAYS, who=who), stacklevel=2)

    out = rows_frame(rows, columns=["manager", "revenue_to_date", "elapsed_wd", "total_wd", "projected",
                                      "projected_low", "projected_high", "target", "counted_from"])
    out["manager"] = out["manager"].astype(object)
    for c in ("elapsed_wd", "total_wd"):
        out[c] = out[c].astype("int64")
    for c in ("revenue_to_date", "projected", "projected_low", "projected_high", "target"):
        out[c] = out[c].astype("float64")
    t = out["target"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        for src, dst in (("projected", "projected_fulfillment"), ("projected_low", "projected_fulfillment_low"),
                         ("projected_high", "projected_fulfillment_high")):
            out[dst] = np.where(t > 0, out[src].to_numpy() / np.where(t > 0, t, 1.0), np.nan)
    return out[FORECAST_COLUMNS]
