"""Conversion within H days: the Aalen–Johansen cumulative incidence of *won*, *lost* competing, open censored.

Why: "won of the period's leads / leads" counts a lead that is still open as not won. For a recent period
most leads are open, so everyone's conversion is understated — and more so for whoever got their leads
later in the period (``/work/shared/notes/statistics.md``, finding 8 and §4.5). The cumulative incidence
of a win H days after creation uses every lead for exactly as long as it has been followed.

The contract (README, KPI table)
--------------------------------
For the leads created in P (``kpi.period_leads``):

* time = days from ``created_at`` to ``closed_at`` (fractional days from the timestamps) for won and lost
  deals (a close stamped before the creation counts at time 0); event = 1 (won), 2 (lost);
* an open deal is censored at the data's end (:func:`data_end`: the latest ``created_at`` of any deal or
  ``closed_at`` of a won or lost deal in the deals data) minus its ``created_at``; event = 0;
* at tied times events come before censorings (a lead censored at t is still at risk at t);
* the estimate at H includes the events at exactly H.

With the distinct event times t_1 < … < t_J ≤ H, n_j = leads with time ≥ t_j, d1_j wins and d2_j losses at
t_j, d_j = d1_j + d2_j, the overall Kaplan–Meier S(t_j) = Π_{i≤j} (1 − d_i/n_i) (S(t_0) = 1) and

    F(H) = Σ_{j: t_j ≤ H} S(t_{j−1}) · d1_j / n_j        (conversion_h)

Without losses F = 1 − KM of the time to a win; without any censoring before H, F = the share of leads won
within H days.

Variance and interval: the Greenwood-type delta-method variance — the formula of lifelines'
``AalenJohansenFitter``, which cites Collett, *Modelling Survival Data in Medical Research*, 3rd ed.,
p. 411, and the SAS PROC LIFETEST documentation —

    Var F(H) = Σ_{j: t_j ≤ H} { [F(H) − F(t_j)]² · d_j / (n_j (n_j − d_j))
                               + S(t_{j−1})² · d1_j (n_j − d1_j) / n_j³
                               − 2 [F(H) − F(t_j)] · S(t_{j−1}) · d1_j / n_j² }

(a first term with n_j = d_j is 0: S is 0 from there on, so F no longer moves), and the interval at
level 1 − α on the log(−log F) scale: exp(−exp(log(−log F) ± z·se/(F·|log F|))) = F^{exp(±z·se/(F·|log F|))},
z = Φ⁻¹(1 − α/2), which stays inside (0, 1). At F = 0 the interval is [0, 1 − (α/2)^{1/m}] and at F = 1 it is [(α/2)^{1/m}, 1],
the Clopper–Pearson bounds for 0 of m and m of m, with m = leads not censored before H.

Not estimable (NaN, interval too) when no lead of the group has been followed for H days and the
longest follow-up ends open (censored): the curve ends there (the Kaplan–Meier convention), and carrying
it on to H would count that open lead as never won. (When the longest follow-up ends in a close, every
outcome is accounted for and F(H) = F at that time.) Choose a smaller H or an older or longer period.

``leads_h_at_risk``: leads still open and followed for less than H days (their outcome at H is unknown).

Checked against lifelines 0.30.3 ``AalenJohansenFitter`` (reference values in
``tests/fixtures/aalen_johansen_reference.json``, with the command that made them) and hand-computed cases.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as st

from .errors import DataError
from .periods import Period
from .frames import frame as text_frame

DAY_NS = 86_400 * 10**9
DEFAULT_HORIZON_DAYS = 90
CURVE_COLUMNS = ["time", "at_risk", "won", "lost", "censored", "survival", "cif", "variance"]
WITHIN_COLUMNS = ["manager", "leads", "conversion_h", "conversion_h_ci_low", "conversion_h_ci_high",
                  "conversion_h_se", "horizon_days", "leads_h_at_risk"]


def _horizon(h: Any) -> float:
    try:
        v = float(h)
    except (TypeError, ValueError):
        raise DataError("bad_argument", column="horizon_days",
                        detail=f"horizon_days must be a number of days > 0, got {h!r}") from None
    if not (math.isfinite(v) and v > 0):
        raise DataError("bad_argument", column="horizon_days",
                        detail=f"horizon_days must be a number of days > 0, got {h!r}")
    return v


def _alpha(a: Any) -> float:
    try:
        v = float(a)
    except (TypeError, ValueError):
        v = float("nan")
    if not (0 < v < 1):
        raise DataError("bad_argument", column="alpha", detail=f"alpha must lie in (0, 1), got {a!r}")
    return v


def _deal_cols(deals: Any) -> pd.DataFrame:
    if not isinstance(deals, pd.DataFrame):
        raise DataError("bad_argument", detail=f"deals must be a pandas DataFrame, got {type(deals).__name__}")
    missing = [c for c in ("manager", "created_at", "closed_at", "status") if c not in deals.columns]
    if missing:
        raise DataError("missing_columns", file="deals", column=", ".join(missing))
    for c in ("created_at", "closed_at"):
        if not pd.api.types.is_datetime64_any_dtype(deals[c]):
            raise DataError("bad_date", file="deals", column=c, value=str(deals[c].dtype), row=None)
    return deals


def _ns(s: pd.Series) -> np.ndarray:
    """Timestamps as int64 nanoseconds (NaT → the int64 minimum, masked by the callers)."""
    v = s.to_numpy()
    if v.dtype != np.dtype("datetime64[ns]"):
        v = v.astype("datetime64[ns]")
    return v.view("int64")


def data_end(*, deals: pd.DataFrame) -> pd.Timestamp | None:
    """The data's end for censoring: the latest ``created_at`` of any deal or ``closed_at`` of a won or lost
    deal (open deals' close dates are expected dates and do not count); None when there is none."""
    d = _deal_cols(deals)
    closed = d["closed_at"].to_numpy()[(d["status"].isin(["won", "lost"])).to_numpy(dtype=bool)]
    stamps = [d["created_at"].max()]
    if len(closed):
        stamps.append(pd.Series(closed).max())
    stamps = [pd.Timestamp(s) for s in stamps if pd.notna(s)]
    return max(stamps) if stamps else None


def lead_times(*, deals: pd.DataFrame, period: Period, end: pd.Timestamp | None = None) -> pd.DataFrame:
    """The leads created in P with their follow-up: manager, time (days, float), event (1 won, 2 lost,
    0 open = censored at ``end`` − created_at; ``end`` defaults to :func:`data_end` of ``deals``).
    A won or lost deal without a close date is censored like an open one."""
    d = _deal_cols(deals)
    if end is None:
        end = data_end(deals=d)
    created = d["created_at"]
    idx = np.flatnonzero(period.mask(created).to_numpy(dtype=bool))
    status = d["status"].to_numpy()[idx]
    c = _ns(created)[idx]
    closed_s = d["closed_at"].take(idx)
    k = _ns(closed_s)
    has_close = closed_s.notna().to_numpy()
    won = (status == "won") & has_close
    lost = (status == "lost") & has_close
    event = np.where(won, 1, np.where(lost, 2, 0)).astype("int64")
    end_ns = pd.Timestamp(end).as_unit("ns").value if end is not None else 0
    stop = np.where(event > 0, k, end_ns)
    time = np.maximum(stop - c, 0).astype("float64") / DAY_NS
    return text_frame({"manager": d["manager"].to_numpy()[idx], "time": time, "event": event})


@dataclass(frozen=True)
class _Fit:
    times: np.ndarray       # distinct event times (any type), ascending
    at_risk: np.ndarray
    d1: np.ndarray
    d2: np.ndarray
    surv: np.ndarray        # S(t_j)
    cif: np.ndarray         # F(t_j)
    a: np.ndarray           # d_j / (n_j (n_j − d_j)) (0 where n_j = d_j)
    b: np.ndarray           # S(t_{j−1})² d1_j (n_j − d1_j) / n_j³
    c: np.ndarray           # S(t_{j−1}) d1_j / n_j²


def _fit(time: np.ndarray, event: np.ndarray, interest: int = 1) -> _Fit:
    """The Aalen–Johansen pieces at every distinct event time (ties: events before censorings)."""
    t = np.asarray(time, dtype="float64")
    e = np.asarray(event, dtype="int64")
    sorted_t = np.sort(t)
    ev = e > 0
    times, inv = np.unique(t[ev], return_inverse=True)
    m = len(times)
    d1 = np.bincount(inv[e[ev] == interest], minlength=m).astype("float64")
    d = np.bincount(inv, minlength=m).astype("float64")
    n = (len(t) - np.searchsorted(sorted_t, times, side="left")).astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        surv = np.cumprod(1.0 - d / n) if m else np.zeros(0)
        lag = np.concatenate([[1.0], surv[:-1]]) if m else np.zeros(0)
        cif = np.cumsum(lag * d1 / n) if m else np.zeros(0)
        a = np.where(n > d, d / (n * (n - d)), 0.0)
        b = lag ** 2 * d1 * (n - d1) / n ** 3
        c = lag * d1 / n ** 2
    return _Fit(times, n, d1, d - d1, surv, cif, a, b, c)


def _variance_at(f: _Fit, j: np.ndarray) -> np.ndarray:
    """Var F(t_j) for positions j (−1: before the first event → 0), from running sums:
    Σ a (F_t − F_i)² = F_t² Σa − 2 F_t Σ aF + Σ aF², Σ c (F_t − F_i) = F_t Σc − Σ cF."""
    j = np.asarray(j)
    if not len(f.times):
        return np.zeros(len(j))
    F = f.cif
    A, AF, AF2 = np.cumsum(f.a), np.cumsum(f.a * F), np.cumsum(f.a * F * F)
    B, C, CF = np.cumsum(f.b), np.cumsum(f.c), np.cumsum(f.c * F)
    jj = np.maximum(j, 0)
    Ft = F[jj]
    v = Ft * Ft * A[jj] - 2 * Ft * AF[jj] + AF2[jj] + B[jj] - 2 * (Ft * C[jj] - CF[jj])
    v = np.maximum(v, 0.0)                       # rounding of the running sums near 0
    return np.where(j >= 0, v, 0.0)


def aalen_johansen(*, time: Any, event: Any, interest: int = 1) -> pd.DataFrame:
    """The whole curve: one row per distinct event time (any type) — CURVE_COLUMNS: time, at_risk, won
    (events of ``interest``), lost (the other types), censored (censorings at that exact time), survival
    (overall KM), cif (cumulative incidence of ``interest``), variance (delta method, module docstring).
    ``event``: 0 censored, a positive integer the event type."""
    t = np.asarray(time, dtype="float64")
    e = np.asarray(event, dtype="int64")
    if t.shape != e.shape:
        raise DataError("bad_argument", detail="time and event must have the same length")
    if len(t) and (np.isnan(t).any() or (t < 0).any()):
        raise DataError("bad_argument", column="time", detail="times must be numbers ≥ 0")
    f = _fit(t, e, interest)
    ct, cn = np.unique(t[e == 0], return_counts=True)
    pos = np.searchsorted(ct, f.times)
    hit = (pos < len(ct)) & (ct[np.minimum(pos, max(len(ct) - 1, 0))] == f.times) if len(ct) else \
        np.zeros(len(f.times), dtype=bool)
    censored = np.where(hit, cn[np.minimum(pos, max(len(ct) - 1, 0))] if len(ct) else 0, 0).astype("int64")
    return text_frame({"time": f.times, "at_risk": f.at_risk.astype("int64"), "won": f.d1.astype("int64"),
                       "lost": f.d2.astype("int64"), "censored": censored, "survival": f.surv,
                       "cif": f.cif, "variance": _variance_at(f, np.arange(len(f.times)))})


def _interval(F: float, var: float, m: int, alpha: float) -> tuple[float, float]:
    z = float(st.norm.ppf(1 - alpha / 2))
    if not math.isfinite(F):
        return math.nan, math.nan
    if F <= 0.0:
        return 0.0, (1.0 - (alpha / 2) ** (1.0 / m)) if m > 0 else math.nan
    if F >= 1.0:
        return ((alpha / 2) ** (1.0 / m)) if m > 0 else math.nan, 1.0
    se = math.sqrt(var) / (F * abs(math.log(F)))
    center = math.log(-math.log(F))
    return math.exp(-math.exp(center + z * se)), math.exp(-math.exp(center - z * se))


@dataclass(frozen=True)
class Incidence:
    """F(H) of one group: estimate, variance, interval, the group's size and its leads open and followed
    for less than H."""

    estimate: float
    variance: float
    ci_low: float
    ci_high: float
    n: int
    at_risk_h: int


def incidence_at(*, time: Any, event: Any, horizon: Any, alpha: float = 0.05, interest: int = 1) -> Incidence:
    """The cumulative incidence of ``interest`` at ``horizon`` (events at exactly H included) with its
    delta-method variance and log(−log) interval at level 1 − α (module docstring). NaN with no rows."""
    h = _horizon(horizon)
    a = _alpha(alpha)
    t = np.asarray(time, dtype="float64")
    e = np.asarray(event, dtype="int64")
    n = len(t)
    open_short = int(((e == 0) & (t < h)).sum())
    if n == 0:
        return Incidence(math.nan, math.nan, math.nan, math.nan, 0, 0)
    last = t.max()
    if last < h and ((t == last) & (e == 0)).any():
        # the last follow-up ends open before H: F(H) is not identified (the curve stops there; carrying
        # it on to H would count that open lead as never won)
        return Incidence(math.nan, math.nan, math.nan, math.nan, n, open_short)
    f = _fit(t, e, interest)
    j = int(np.searchsorted(f.times, h, side="right")) - 1
    F = float(f.cif[j]) if j >= 0 else 0.0
    var = float(_variance_at(f, np.array([j]))[0])
    lo, hi = _interval(F, var, n - open_short, a)
    return Incidence(F, var, lo, hi, n, open_short)


def conversion_within(*, deals: pd.DataFrame, period: Period, horizon_days: Any = DEFAULT_HORIZON_DAYS,
                      alpha: float = 0.05, managers: Any = None) -> pd.DataFrame:
    """Conversion within H days per manager (sorted) and for the team (last row, manager None):
    WITHIN_COLUMNS. ``managers``: also list these (NaN rows when they have no lead in P). Inputs are not
    mutated. The team row uses all of the period's leads."""
    h = _horizon(horizon_days)
    a = _alpha(alpha)
    lt = lead_times(deals=deals, period=period)
    names, order, bounds = _groups(lt)
    extra = sorted(set(managers or ()) - set(names))
    t_all, e_all = lt["time"].to_numpy(), lt["event"].to_numpy()
    rows = []
    for i, name in enumerate(names):
        sel = order[bounds[i]:bounds[i + 1]]
        r = incidence_at(time=t_all[sel], event=e_all[sel], horizon=h, alpha=a)
        rows.append((name, r))
    for name in extra:
        rows.append((name, incidence_at(time=[], event=[], horizon=h, alpha=a)))
    rows.sort(key=lambda x: str(x[0]))
    rows.append((None, incidence_at(time=t_all, event=e_all, horizon=h, alpha=a)))
    return text_frame({
        "manager": pd.Series([r[0] for r in rows], dtype=object),
        "leads": np.array([r[1].n for r in rows], dtype="int64"),
        "conversion_h": np.array([r[1].estimate for r in rows], dtype="float64"),
        "conversion_h_ci_low": np.array([r[1].ci_low for r in rows], dtype="float64"),
        "conversion_h_ci_high": np.array([r[1].ci_high for r in rows], dtype="float64"),
        "conversion_h_se": np.sqrt(np.array([r[1].variance for r in rows], dtype="float64")),
        "horizon_days": np.full(len(rows), h if h != int(h) else int(h), dtype="float64" if h != int(h) else "int64"),
        "leads_h_at_risk": np.array([r[1].at_risk_h for r in rows], dtype="int64"),
    })[WITHIN_COLUMNS]


def _groups(lt: pd.DataFrame) -> tuple[list, np.ndarray, np.ndarray]:
    codes, people = pd.factorize(lt["manager"], sort=True)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(len(people) + 1))
    return list(people), order, bounds


def conversion_h_vs_team(*, deals: pd.DataFrame, period: Period, horizon_days: Any = DEFAULT_HORIZON_DAYS,
                         alpha: float = 0.05, adjust: str = "holm", min_n: int = 30):
    """Conversion within H days of each manager vs the rest of the team (everyone else's leads pooled).

    Per manager: n = leads created in P; successes = wins within H observed; rate = F(H) with its interval
    (module docstring); rest_rate = F(H) of the other managers' leads; diff = rate − rest_rate with the
    Wald interval diff ± z·√(V + V_rest); effect = Cohen's h of the two incidences; p_value = two-sided
    z-test of equal cumulative incidence at H, z = diff / √(V + V_rest) (the groups are disjoint, so the
    two AJ estimates are independent); p_adjusted, verdict and n_needed as ``compare.conversion_vs_team``
    (Holm or BH across managers; below ``min_n`` leads "not_enough_data"; n_needed from Cohen's h — for
    censored data a lower bound). Omnibus: the Wald test of equal F(H) across managers,
    W = Σ w_i (F_i − F̄)², w_i = 1/V_i, F̄ = Σ w_i F_i / Σ w_i, χ² with k − 1 df over managers with V_i > 0.
    Returns a ``compare.Comparison`` with ``compare.BINARY_COLUMNS``.
    """
    from . import stats as S
    from .compare import BINARY_COLUMNS, Comparison, adjust_vs_team, verdicts
    from .compare.shared import fill_n_needed
    h = _horizon(horizon_days)
    a = _alpha(alpha)
    if adjust not in S.ADJUST_METHODS:
        raise DataError("bad_argument", detail=f"adjust must be one of {sorted(S.ADJUST_METHODS)}, got {adjust!r}")
    lt = lead_times(deals=deals, period=period)
    people, order, bounds = _groups(lt)
    t_all, e_all = lt["time"].to_numpy(), lt["event"].to_numpy()
    k = len(people)
    F, V, lo, hi, n, wins = (np.full(k, np.nan) for _ in range(6))
    rF, rV, rn = np.full(k, np.nan), np.full(k, np.nan), np.zeros(k)
    for i in range(k):
        sel = order[bounds[i]:bounds[i + 1]]
        mine = np.zeros(len(t_all), dtype=bool)
        mine[sel] = True
        r = incidence_at(time=t_all[mine], event=e_all[mine], horizon=h, alpha=a)
        F[i], V[i], lo[i], hi[i], n[i] = r.estimate, r.variance, r.ci_low, r.ci_high, r.n
        wins[i] = float(((e_all[mine] == 1) & (t_all[mine] <= h)).sum())
        if (~mine).any():
            q = incidence_at(time=t_all[~mine], event=e_all[~mine], horizon=h, alpha=a)
            rF[i], rV[i], rn[i] = q.estimate, q.variance, q.n
    z = float(st.norm.ppf(1 - a / 2))
    diff = F - rF
    se = np.sqrt(V + rV)
    with np.errstate(divide="ignore", invalid="ignore"):
        stat = np.where(se > 0, diff / se, np.where(diff == 0, 0.0, np.nan))
    p = 2 * st.norm.sf(np.abs(stat))
    p[~np.isfinite(stat)] = np.nan
    padj = adjust_vs_team(p, adjust)
    v = verdicts(n, padj, diff, alpha=a, min_n=min_n)
    eff = S.cohens_h(F, rF)
    need = fill_n_needed(S.n_for_cohens_h(eff, alpha=a, n_other=rn), v, min_n)
    summary = text_frame({"manager": np.asarray(people, dtype=object), "n": n.astype("int64"),
                          "successes": np.nan_to_num(wins).astype("int64"), "rate": F, "ci_low": lo,
                          "ci_high": hi, "rest_n": rn.astype("int64"), "rest_rate": rF, "diff": diff,
                          "diff_ci_low": diff - z * se, "diff_ci_high": diff + z * se, "effect": eff,
                          "p_value": p, "p_adjusted": padj, "verdict": v, "n_needed": need})[BINARY_COLUMNS]
    ok = np.isfinite(F) & (V > 0)
    omni: dict[str, Any] = {"test": "wald_equal_incidence", "statistic": np.nan, "p_value": np.nan, "dof": 0}
    if ok.sum() >= 2:
        w = 1.0 / V[ok]
        fbar = float((w * F[ok]).sum() / w.sum())
        W = float((w * (F[ok] - fbar) ** 2).sum())
        dof = int(ok.sum() - 1)
        omni.update(statistic=W, p_value=float(st.chi2.sf(W, dof)), dof=dof)
    omni.update(n=int(len(lt)), n_managers=int((n > 0).sum()), unit="leads", effect_name="cohens_h",
                vs_team_test="z_aalen_johansen", adjust=adjust, horizon_days=h)
    return Comparison(summary=summary, omnibus=omni)


def funnel_within(*, deals: pd.DataFrame, period: Period, horizon_days: Any = DEFAULT_HORIZON_DAYS,
                  winsor: float = 0.1, dispersion_alpha: float = 0.05, grid_points: int = 100):
    """Funnel plot of conversion within H days against the team's (Spiegelhalter 2005: any estimate with a
    known precision): each manager's F(H) at its *effective* number of leads n_eff = F(1 − F)/Var F — the
    binomial sample with the same precision (n_eff = leads without censoring before H; fewer with it) —
    p0 = the team's F(H), and the exact binomial limits of ``compare.funnel_data`` at n_eff (widened by √φ
    when managers are over-dispersed). Managers whose F(H) is not estimable, 0 or 1 are left out (no
    precision). Returns a ``compare.Comparison`` with the columns of ``compare.funnel_data`` (n = n_eff,
    rounded; successes = F·n_eff, rounded)."""
    from . import stats as S
    from .compare import Comparison
    w = conversion_within(deals=deals, period=period, horizon_days=horizon_days)
    team = w.iloc[-1]
    p0 = float(team["conversion_h"])
    m = w.iloc[:-1]
    F = m["conversion_h"].to_numpy(dtype="float64")
    V = m["conversion_h_se"].to_numpy(dtype="float64") ** 2
    ok = np.isfinite(F) & (F > 0) & (F < 1) & (V > 0)
    m, F, V = m[ok], F[ok], V[ok]
    n_eff = F * (1 - F) / V
    k_eff = F * n_eff
    od = S.funnel_overdispersion(k_eff, n_eff, p0, winsor=winsor) if len(F) and math.isfinite(p0) else {
        "phi": np.nan, "statistic": np.nan, "dof": 0, "p_value": np.nan, "tau2": np.nan}
    over = bool(np.isfinite(od["p_value"]) and od["p_value"] < dispersion_alpha)

    def limits(nn: np.ndarray) -> dict[str, np.ndarray]:
        out = {}
        for name, q in (("lower95", 0.025), ("upper95", 0.975), ("lower998", 0.001), ("upper998", 0.999)):
            lim = S.funnel_limits(p0, nn, q) if math.isfinite(p0) else np.full(len(nn), np.nan)
            out[name] = np.clip(p0 + math.sqrt(od["phi"]) * (lim - p0), 0, 1) if over else lim
        return out

    lim = limits(np.maximum(np.round(n_eff), 1.0))     # the binomial limits need a whole n
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (F - p0) / np.sqrt(p0 * (1 - p0) / n_eff)
    side = np.where(F > lim["upper95"], "above", np.where(F < lim["lower95"], "below", "inside")).astype(object)
    summary = text_frame({"manager": m["manager"].to_numpy(dtype=object), "n": np.round(n_eff).astype("int64"),
                          "successes": np.round(k_eff).astype("int64"), "rate": F, "z": z, **lim,
                          "outside95": (F < lim["lower95"]) | (F > lim["upper95"]),
                          "outside998": (F < lim["lower998"]) | (F > lim["upper998"]), "side": side})
    top = max(float(n_eff.max()) * 1.1, 10.0) if len(n_eff) else 10.0
    grid = np.unique(np.round(np.geomspace(1, top, grid_points))).astype("float64")
    curve = text_frame({"n": grid.astype("int64"), **limits(grid)})
    omni = {"test": "overdispersion_chi2", "statistic": od["statistic"], "p_value": od["p_value"], "dof": od["dof"],
            "p0": p0, "n": int(team["leads"]), "n_managers": int(len(F)), "phi": od["phi"], "tau2": od["tau2"],
            "overdispersed": over, "limits": "multiplicative_phi" if over else "exact_binomial",
            "horizon_days": float(_horizon(horizon_days)), "x": "effective_leads"}
    return Comparison(summary=summary, omnibus=omni, curve=curve)


__all__ = ["funnel_within", "conversion_h_vs_team", "aalen_johansen", "incidence_at", "conversion_within", "lead_times", "data_end", "Incidence",
           "DEFAULT_HORIZON_DAYS", "WITHIN_COLUMNS", "CURVE_COLUMNS"]
