"""Time to repeat purchase, Kaplan–Meier with Greenwood SE, log-rank test."""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as st

from ..errors import DataError, StatisticalWarning
from ..guards import bad, require_columns
from .common import CI_METHODS, Freq, UNITS, check_choice, empty_result, period_labels
from .purchase_data import prepared_customers
from ..frames import frame as text_frame


REPEAT_COLUMNS = ["client", "manager", "cohort", "duration", "event"]
KM_COLUMNS = ["group", "time", "at_risk", "events", "survival", "se", "ci_low", "ci_high"]
MEDIAN_COLUMNS = ["group", "median", "n", "events"]
LOGRANK_COLUMNS = ["test", "statistic", "dof", "p_value", "groups"]

# Below these a Kaplan–Meier curve or a log-rank test is flagged as imprecise.
MIN_KM_SUBJECTS = 10
MIN_KM_EVENTS = 5
MIN_EXPECTED_EVENTS = 5.0


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
    check_choice("unit", unit, UNITS)
    cu = prepared_customers(customers, purchases, freq=freq, end=end, owner=owner)
    if cu is None:
        return empty_result(REPEAT_COLUMNS, {"duration": "int64", "event": "bool"})
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
    return text_frame({
        "client": cu.clients[idx].astype(object),
        "manager": cu.managers[cu.owner[idx]].astype(object),
        "cohort": period_labels(cu.cohort[idx], freq),
        "duration": duration[idx].astype(np.int64),
        "event": event[idx].astype(bool),
    })


def _survival_frame(data: pd.DataFrame, duration: str, event: str,
                    group: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    cols = [duration, event] + ([group] if group is not None else [])
    require_columns(data, "data", cols)
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
    check_choice("ci", ci, CI_METHODS)
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
               empty_result(KM_COLUMNS, {"time": "float64", "at_risk": "int64", "events": "int64",
                                   "survival": "float64", "se": "float64", "ci_low": "float64",
                                   "ci_high": "float64"}))
    median = text_frame({"group": pd.Series([m[0] for m in meds], dtype=object),
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
    return text_frame({"test": [test], "statistic": [chisq], "dof": [k - 1],
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
