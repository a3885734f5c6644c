"""Activity per working day (or week) vs the rest of the team: Poisson or negative-binomial (NB2)
counts with exposure, and the fast equal-exposure NB engine used for it."""
from __future__ import annotations

import functools
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as st

from .. import stats as S
from ..errors import DataError
from ..periods import Period
from .shared import Comparison, adjust_vs_team, check_frame, check_test_args, fill_n_needed, verdicts
from ..frames import rows_frame, frame as text_frame


ACTIVITY_COLUMNS = ["manager", "n", "count", "rate", "rate_ci_low", "rate_ci_high", "rest_rate", "dispersion",
                    "effect", "effect_ci_low", "effect_ci_high", "p_value", "p_adjusted", "verdict", "n_needed",
                    "method"]


# --------------------------------------------------------------------------------------------------------
# Activity
# --------------------------------------------------------------------------------------------------------

def activity_units(*, activities: pd.DataFrame, period: Period, managers=None, unit: str = "day") -> pd.DataFrame:
    """Activity counts per manager × unit of time in P, with exposure in working days.

    ``unit="day"``: each working day (Mon–Fri) of P is a unit of exposure 1; activities on a weekend are
    counted on the working day before (or after, at the start of P), so totals equal the KPI's.
    ``unit="week"``: ISO weeks clipped to P, exposure = working days in them; a weekend-only fragment is
    merged into the next week. Activities outside P are ignored. ``managers`` adds managers with no
    activity (zero counts). Returns manager, unit (first date of the unit), count, exposure.
    """
    if unit not in ("day", "week"):
        raise DataError("bad_argument", detail=f"unit must be 'day' or 'week', got {unit!r}")
    check_frame(activities, ["manager", "at"], "activities")
    at = pd.to_datetime(activities["at"], errors="coerce")
    if at.isna().any():
        i = int(np.flatnonzero(at.isna().to_numpy())[0])
        raise DataError("bad_date", file="activities", column="at", row=i + 1, value=activities["at"].iloc[i])
    days = pd.date_range(period.start, period.end, freq="D")
    work = days.day_of_week < 5
    cols = ["manager", "unit", "count", "exposure"]
    people = sorted(set(activities["manager"]) | set(managers or ()))
    if not work.any() or not people:
        return pd.DataFrame({c: pd.Series(dtype=object if c in ("manager", "unit") else "float64") for c in cols})
    if unit == "day":
        key = pd.Series(np.where(work, np.arange(len(days)), np.nan)).ffill().bfill().to_numpy()
    else:
        iso = days.isocalendar()
        wk = (iso["year"].to_numpy() * 100 + iso["week"].to_numpy()).astype("float64")
        has_work = pd.Series(work).groupby(wk).transform("any").to_numpy()
        key = pd.Series(np.where(has_work, wk, np.nan)).bfill().ffill().to_numpy()
    key = key.astype("int64")
    units, first = np.unique(key, return_index=True)
    exposure = pd.Series(work.astype("float64")).groupby(key).sum().reindex(units).to_numpy()
    inside = period.mask(at).to_numpy()
    day_idx = (at[inside].dt.normalize() - pd.Timestamp(period.start)).dt.days.to_numpy()
    a = text_frame({"manager": activities["manager"].to_numpy(dtype=object)[inside], "key": key[day_idx]})
    counts = a.groupby(["manager", "key"]).size()
    grid = pd.MultiIndex.from_product([people, units], names=["manager", "key"])
    c = counts.reindex(grid, fill_value=0).to_numpy(dtype="float64")
    unit_start = dict(zip(units, days[first].date))
    return text_frame({"manager": grid.get_level_values(0).to_numpy(dtype=object),
                       "unit": [unit_start[u] for u in grid.get_level_values(1)],
                       "count": c, "exposure": np.tile(exposure, len(people))})


# NB2 likelihoods for counts that share one exposure t0 (daily units: t0 = 1 working day), computed from
# each group's distinct counts. The same model, estimates and searches as ``metrics.stats``
# (``nb_rate_fit``, ``negbin_rate_test``, ``negbin_homogeneity_test``), without evaluating scipy's pmf over
# every unit in every step of the profile-likelihood search: performance only; results equal to floating-
# point rounding (CI limits to the searches' tolerance, 1e-10).

class _Counts:
    """Distinct counts v with multiplicities c of one group of units; n units, total s."""

    __slots__ = ("v", "c", "n", "s", "mean", "_const")

    def __init__(self, y: np.ndarray):
        self.v, c = np.unique(y, return_counts=True)
        self.c = c.astype("float64")
        self.n = len(y)
        self.s = float(y.sum())
        self.mean = float(y.mean()) if len(y) else np.nan
        self._const: tuple[float, np.ndarray] | None = None

    def const(self, size: float) -> np.ndarray:
        """gammaln(size + v) − gammaln(v + 1) − gammaln(size): the part of log NB(v | μ, 1/size) without
        μ, kept for the last size asked (α is fixed through a profile search), the same floats."""
        if self._const is None or self._const[0] != size:
            self._const = (size, special.gammaln(size + self.v) - special.gammaln(self.v + 1)
                           - special.gammaln(size))
        return self._const[1]


def _nb_ll(g: _Counts, mu: float, a: float) -> float:
    """Σ log P(y | μ, α) over a group (``metrics.stats.counts._nb_loglik`` with every μ_i = μ)."""
    if a <= 1e-7:
        lp = special.xlogy(g.v, mu) - special.gammaln(g.v + 1) - mu
    else:
        size = 1 / a
        prob = size / (size + mu)
        lp = g.const(size) + size * np.log(prob) + special.xlog1py(g.v, -prob)
    return float((g.c * lp).sum())


def _nb_fit1(g: _Counts, t0: float, a: float) -> tuple[float, float]:
    """``stats.nb_rate_fit`` of one group with equal exposures: β̂0 = log(ȳ/t0) (rate, log-likelihood)."""
    if g.s == 0:
        return 0.0, 0.0
    b0 = math.log(g.mean / t0)
    return math.exp(b0), _nb_ll(g, math.exp(math.log(t0) + b0), a)


def _nb_fit2(g1: _Counts, g2: _Counts, t0: float, a: float, b1: float) -> float:
    """Log-likelihood of ``stats.nb_rate_fit(y, t, a, extra_offset=b1·x)`` for y = (group 1, group 2), x = 1
    on group 1: the score Σ (y − μ)/(1 + aμ) has two terms; the same bracket and ``brentq`` tolerance."""
    if g1.s + g2.s == 0:
        return 0.0
    aa = max(a, 0.0)
    lt = math.log(t0)

    def score(b: float) -> float:
        m1, m2 = math.exp(lt + b1 + b), math.exp(lt + b)
        return (g1.s - g1.n * m1) / (1 + aa * m1) + (g2.s - g2.n * m2) / (1 + aa * m2)

    b0 = S.decreasing_root(score, math.log((g1.s + g2.s) / (g1.n * math.exp(lt + b1) + g2.n * math.exp(lt))))
    return _nb_ll(g1, math.exp(lt + b1 + b0), a) + _nb_ll(g2, math.exp(lt + b0), a)


@functools.lru_cache(maxsize=16)
def _chi2_crit(alpha: float) -> float:
    return float(st.chi2.ppf(1 - alpha, 1))


def nb_rate_test_equal_exposure(y1, y2, t0: float, *, alpha_nb: float, alpha: float, ci: bool) -> dict[str, float]:
    """``stats.negbin_rate_test`` for units that all have exposure t0 (same steps, grouped counts) — a fast
    twin, checked against statsmodels' NB GLM in ``tests/test_fast_twins.py``."""
    S.check_alpha(alpha)
    nan = {"p_value": np.nan, "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan, "statistic": np.nan}
    if len(y1) == 0 or len(y2) == 0 or y1.sum() + y2.sum() == 0:
        return nan
    g1, g2, g = _Counts(y1), _Counts(y2), _Counts(np.concatenate([y1, y2]))
    r1, l1 = _nb_fit1(g1, t0, alpha_nb)
    r2, l2 = _nb_fit1(g2, t0, alpha_nb)
    llf_full = l1 + l2
    lr = max(0.0, 2 * (llf_full - _nb_fit1(g, t0, alpha_nb)[1]))
    rr = r1 / r2 if r2 > 0 else np.inf
    # chi2.sf(x, 1) is scipy's chdtrc(1, x) for x > 0 (1 at 0): the same value without the wrapper
    out = {"p_value": float(special.chdtrc(1, lr)) if lr > 0 else 1.0, "rate_ratio": float(rr), "ci_low": np.nan,
           "ci_high": np.nan, "statistic": lr}
    if not ci:
        return out
    crit = _chi2_crit(alpha)

    def excess(b1: float) -> float:
        return 2 * (llf_full - _nb_fit2(g1, g2, t0, alpha_nb, b1)) - crit

    info = [float(n * mu / (1 + alpha_nb * mu)) for n, mu in ((g1.n, r1 * t0), (g2.n, r2 * t0))]
    se = math.sqrt(sum(1 / i for i in info if i > 0)) if all(i > 0 for i in info) else 1.0
    out["ci_low"], out["ci_high"] = S.profile_ratio_interval(excess, rate_ratio=rr, se=se, crit=crit)
    return out


def nb_homogeneity_equal_exposure(y: np.ndarray, t0: float, groups: np.ndarray, alpha_nb: float) -> dict[str, Any]:
    """``stats.negbin_homogeneity_test(y, t, groups, alpha_nb=...)`` for units that all have exposure t0 — a
    fast twin, checked against statsmodels' NB GLM in ``tests/test_fast_twins.py``."""
    g = np.asarray(groups).astype(str)
    levels, codes = np.unique(g, return_inverse=True)
    k = len(levels)
    out = {"test": "negbin_lr", "statistic": np.nan, "p_value": np.nan, "dof": max(k - 1, 0), "alpha": np.nan}
    if k < 2 or y.sum() == 0:
        return out
    a = float(alpha_nb)
    order = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[order], np.arange(k + 1))
    full = float(sum(_nb_fit1(_Counts(y[order[bounds[i]:bounds[i + 1]]]), t0, a)[1] for i in range(k)))
    lr = max(0.0, 2 * (full - _nb_fit1(_Counts(y), t0, a)[1]))
    out.update(statistic=lr, p_value=float(st.chi2.sf(lr, k - 1)), alpha=a)
    return out


def _equal_exposure(t: np.ndarray) -> float | None:
    """The common exposure when every unit has the same one (> 0), else None."""
    return float(t[0]) if len(t) and t[0] > 0 and bool(np.all(t == t[0])) else None


def fit_activity_model(units: pd.DataFrame, method: str) -> dict[str, Any]:
    disp = S.pearson_dispersion(units["count"], units["exposure"], units["manager"])
    if method == "auto":
        over = bool(np.isfinite(disp["p_value"]) and disp["p_value"] < 0.05)
    else:
        over = method == "negbin"
    out = {"method": "negbin" if over else "poisson", "dispersion_ratio": disp["ratio"],
           "dispersion_p_value": disp["p_value"], "nb_alpha": 0.0}
    if over:
        out["nb_alpha"] = negbin_alpha(units["count"], units["exposure"], units["manager"])
    return out


def negbin_alpha(counts, exposure, groups) -> float:
    """``stats.negbin_dispersion(counts, exposure, groups)["alpha"]`` with the same numbers, faster.

    The same statsmodels fit — the same Poisson start, the same BFGS from the same start vector, so the same
    α̂ — without the work whose results the estimate does not use: the Poisson start's Newton iterations
    (with one dummy per manager the Poisson MLE is each manager's log(Σ y/Σ t), taken in closed form: the
    start vector, and so α̂, agree to ~1e-14 relative — the Poisson Hessian cost ~managers³ per iteration,
    8 s at 200 managers × 63 days), the SVD that looks for an implicit
    constant (one dummy per manager always adds up to one: ``hasconst=True`` records exactly what that
    check finds), the QR rank check of a full set of dummies (``check_rank=False``: the same rank), and the
    Hessian / covariance computed after convergence (``skip_hessian``). The steps of statsmodels 0.15's
    ``NegativeBinomial.fit``; anything unexpected falls back to ``stats.negbin_dispersion`` itself. A fast
    twin: ``tests/test_fast_twins.py`` compares it with the plain statsmodels fit.
    """
    y = np.asarray(counts, dtype="float64")
    t = np.asarray(exposure, dtype="float64")
    g = np.asarray(groups).astype(str)
    live = pd.Series(y).groupby(g).transform("sum").to_numpy() > 0
    if not live.any():
        return np.nan
    y, t, g = y[live], t[live], g[live]
    levels = np.unique(g)
    X = (g[:, None] == levels[None, :]).astype("float64")
    alpha_hat = np.nan
    try:
        from statsmodels.discrete.discrete_model import CountModel, NegativeBinomial

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model = NegativeBinomial(y, X, exposure=t, hasconst=True, check_rank=False)
            # NegativeBinomial.fit(): a Poisson fit gives the start (its params + the moment estimate of α,
            # used as log α), then BFGS on the transformed parameters — the same two steps, called directly.
            # The Poisson fit in closed form: with one dummy per manager the Poisson MLE of each manager's log
            # rate is log(Σ y / Σ t) over their units (the score X'(y − μ) is zero group by group), the point
            # statsmodels' Newton iterations converge to; μ̂, residuals and df_resid as its predict(), resid
            codes = np.searchsorted(levels, g)
            beta = np.log(np.bincount(codes, y, len(levels)) / np.bincount(codes, t, len(levels)))
            mu = np.exp(beta[codes] + np.log(t))
            start = np.append(beta, max(0.05, model._estimate_dispersion(mu, y - mu,
                                                                         df_resid=len(y) - len(levels))))
            model._transparams = True
            fit = CountModel.fit(model, start_params=start, maxiter=200, method="bfgs", disp=0, full_output=1,
                                 callback=lambda *x: x, skip_hessian=True)
            model._transparams = False
            a_hat = np.exp(fit._results.params[-1])
        if fit.mle_retvals.get("converged", False) and np.isfinite(a_hat) and a_hat > 1e-6:
            alpha_hat = float(a_hat)
    except Exception:  # noqa: BLE001 - the exact original, which has its own profile-likelihood fallback
        alpha_hat = np.nan
    if not np.isfinite(alpha_hat):
        return float(S.negbin_dispersion(counts, exposure, groups)["alpha"])
    return alpha_hat


def rate_compare(y1, t1, y2, t2, model: dict[str, Any], alpha: float, ci: bool = True) -> dict[str, float]:
    if model["method"] == "negbin":
        t0 = _equal_exposure(np.concatenate([np.asarray(t1, dtype="float64"), np.asarray(t2, dtype="float64")]))
        if t0 is not None:
            return nb_rate_test_equal_exposure(np.asarray(y1, dtype="float64"), np.asarray(y2, dtype="float64"), t0,
                                       alpha_nb=model["nb_alpha"], alpha=alpha, ci=ci)
        return S.negbin_rate_test(y1, t1, y2, t2, alpha_nb=model["nb_alpha"], alpha=alpha, ci=ci)
    return S.poisson_rate_test(int(np.sum(y1)), float(np.sum(t1)), int(np.sum(y2)), float(np.sum(t2)), alpha)


def _rate_interval(y, t, model: dict[str, Any], alpha: float) -> tuple[float, float]:
    k, T = float(np.sum(y)), float(np.sum(t))
    if model["method"] == "poisson" or k == 0:
        lo, hi = S.poisson_rate_interval(k, T, alpha)
        return float(lo), (float(hi) if model["method"] == "poisson" else np.nan)
    lam = k / T
    mu = lam * np.asarray(t, dtype="float64")
    se = 1 / math.sqrt(float(np.sum(mu / (1 + model["nb_alpha"] * mu))))
    z = S.z_two_sided(alpha)
    return lam * math.exp(-z * se), lam * math.exp(z * se)


def activity_model(*, activities: pd.DataFrame, period: Period, managers=None, unit: str = "day",
                   method: str = "auto") -> dict[str, Any] | None:
    """The count model :func:`activity_vs_team` and :func:`pair_comparison` fit for the same activities,
    period, managers, unit and method (dispersion check, NB α̂ — the expensive step), or None when there
    are no activities in the period. Pass it back as ``model=`` to reuse it: the results are the same."""
    if method not in ("auto", "poisson", "negbin"):
        raise DataError("bad_argument", detail=f"method must be auto, poisson or negbin, got {method!r}")
    units = activity_units(activities=activities, period=period, managers=managers, unit=unit)
    if units.empty or units["count"].sum() == 0:
        return None
    return fit_activity_model(units, method)


def activity_vs_team(*, activities: pd.DataFrame, period: Period, managers=None, alpha: float = 0.05,
                     adjust: str = "holm", min_n: int = 30, unit: str = "day", method: str = "auto",
                     ci: bool = True, model: dict[str, Any] | None = None) -> Comparison:
    """Calls + meetings per working day of each manager vs the rest of the team.

    ``activities``: one row per activity with ``manager`` and ``at`` (e.g. ``kpi.period_activities``: done
    calls and meetings in P). Counts are taken per unit of time (:func:`activity_units`; working days by
    default) with exposure in working days. Over-dispersion check first: Pearson X²/df of the unit counts
    around each manager's own rate (= variance/mean with daily units), index-of-dispersion test at 5%.
    Not over-dispersed (``method="poisson"``): exact conditional Poisson test (= R ``poisson.test``), rate
    ratio with its exact CI. Over-dispersed (``method="negbin"``, the usual case): negative binomial (NB2)
    GLM count ~ is_manager with offset log(exposure), dispersion α fitted by ML in the model with one rate
    per manager; likelihood-ratio p-value and profile-likelihood CI of the rate ratio. ``auto`` picks by the
    dispersion test. Holm/BH across managers; verdict by the rate ratio; n = working days (the same for
    every manager in P); "not enough data" when the activities expected at the rest's rate over the
    manager's working days are fewer than ``min_n``;
    n_needed = working days for 80% power (Wald test on log RR, NB variance).
    Omnibus: Poisson chi-square homogeneity, or NB likelihood-ratio test of one rate for all.
    ``model``: the result of :func:`activity_model` for the same arguments (skips refitting it).
    """
    check_test_args(alpha, adjust, min_n)
    if method not in ("auto", "poisson", "negbin"):
        raise DataError("bad_argument", detail=f"method must be auto, poisson or negbin, got {method!r}")
    units = activity_units(activities=activities, period=period, managers=managers, unit=unit)
    omni: dict[str, Any] = {"test": None, "statistic": np.nan, "p_value": np.nan, "dof": 0, "note": "",
                            "unit": "working days", "effect_name": "rate_ratio", "adjust": adjust}
    if units.empty or units["count"].sum() == 0:
        omni["note"] = "no working days or no activities in the period"
        return Comparison(summary=pd.DataFrame(columns=ACTIVITY_COLUMNS), omnibus=omni)
    model = model or fit_activity_model(units, method)
    mgr = units["manager"].to_numpy(dtype=object)
    y = units["count"].to_numpy(dtype="float64")
    t = units["exposure"].to_numpy(dtype="float64")
    people = sorted(pd.unique(mgr))
    rows = []
    for m in people:
        own = mgr == m
        k, T = y[own].sum(), t[own].sum()
        rk, rT = y[~own].sum(), t[~own].sum()
        r = rate_compare(y[own], t[own], y[~own], t[~own], model, alpha, ci) if rT > 0 else {
            "p_value": np.nan, "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan}
        lo, hi = _rate_interval(y[own], t[own], model, alpha)
        d1 = S.pearson_dispersion(y[own], t[own], np.zeros(own.sum()))["ratio"]
        rows.append({"manager": m, "n": int(round(T)), "count": int(k), "rate": k / T, "rate_ci_low": lo,
                     "rate_ci_high": hi, "rest_rate": rk / rT if rT > 0 else np.nan, "dispersion": d1,
                     "effect": r["rate_ratio"], "effect_ci_low": r["ci_low"], "effect_ci_high": r["ci_high"],
                     "p_value": r["p_value"], "method": model["method"], "_units": int(own.sum()),
                     "_rest_units": int((~own).sum()), "_mu1": k / own.sum(),
                     "_mu0": rk / max((~own).sum(), 1)})
    s = rows_frame(rows)
    s["p_adjusted"] = adjust_vs_team(s["p_value"].to_numpy(dtype="float64"), adjust)
    with np.errstate(divide="ignore"):
        direction = np.log(s["effect"].to_numpy(dtype="float64"))
    # "not enough data" is decided on the number of activities expected at the rest's rate over the
    # manager's working days (a rate's precision depends on its count; the working days alone are the
    # same for everybody in P, and a manager with 0 calls in a busy month is clearly below, not unknown)
    s["verdict"] = verdicts(s["_mu0"] * s["_units"], s["p_adjusted"], direction, alpha=alpha, min_n=min_n)
    per_unit = t.sum() / len(t)
    n_units = S.n_for_rate_ratio(s["effect"], mu1=s["_mu1"], mu0=s["_mu0"], dispersion=model["nb_alpha"],
                                 alpha=alpha, n_other=s["_rest_units"])
    s["n_needed"] = fill_n_needed(np.ceil(n_units * per_unit), s["verdict"], min_n)
    summary = s[ACTIVITY_COLUMNS].reset_index(drop=True)
    if model["method"] == "negbin":
        t0 = _equal_exposure(t)
        o = (nb_homogeneity_equal_exposure(y, t0, mgr.astype(str), model["nb_alpha"]) if t0 is not None else
             S.negbin_homogeneity_test(y, t, mgr.astype(str), alpha_nb=model["nb_alpha"]))
    else:
        tot = units.groupby("manager")[["count", "exposure"]].sum()
        o = S.poisson_homogeneity_test(tot["count"], tot["exposure"])
    omni.update(test=o["test"], statistic=o["statistic"], p_value=o["p_value"], dof=int(o["dof"]),
                n=int(y.sum()), n_managers=len(people), method=model["method"],
                dispersion_ratio=model["dispersion_ratio"], dispersion_p_value=model["dispersion_p_value"],
                nb_alpha=model["nb_alpha"], time_unit=unit,
                note=("counts are over-dispersed (variance > mean): negative binomial model"
                      if model["method"] == "negbin" else "counts are not over-dispersed: exact Poisson test"))
    return Comparison(summary=summary, omnibus=omni)
