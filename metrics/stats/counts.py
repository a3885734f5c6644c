"""Counts with exposure: Poisson and negative-binomial (NB2) rates, tests, dispersion, sample size,
omnibus homogeneity tests."""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize
from scipy import stats as st

from .checks import check_alpha, z_two_sided
from .proportions import n_from_variance


# --------------------------------------------------------------------------------------------------------
# Counts with exposure
# --------------------------------------------------------------------------------------------------------

def poisson_rate_interval(k, t, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood 1936) CI of a Poisson rate k/t: [χ²_{α/2}(2k)/2t, χ²_{1−α/2}(2k+2)/2t]; NaN if t ≤ 0."""
    k = np.asarray(k, dtype="float64")
    t = np.asarray(t, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(k > 0, st.chi2.ppf(alpha / 2, 2 * k) / 2, 0.0) / t
        high = st.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2 / t
    bad = ~(t > 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def poisson_rate_test(k1: int, t1: float, k2: int, t2: float, alpha: float = 0.05) -> dict[str, float]:
    """Exact conditional test of two Poisson rates (= R ``poisson.test(c(k1, k2), c(t1, t2))``).

    Given k1 + k2, k1 ~ Binomial(k1 + k2, t1/(t1 + t2)) under equal rates: ``scipy.stats.binomtest``,
    two-sided. Rate ratio (k1/t1)/(k2/t2); its CI maps the Clopper–Pearson limits of the binomial
    proportion π through π/(1 − π)·t2/t1. Returns p_value, rate_ratio, ci_low, ci_high (NaN if no events).
    """
    check_alpha(alpha)
    k1, k2 = int(k1), int(k2)
    if k1 + k2 == 0 or not (t1 > 0 and t2 > 0):
        return {"p_value": np.nan, "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan}
    res = st.binomtest(k1, k1 + k2, t1 / (t1 + t2))
    ci = res.proportion_ci(confidence_level=1 - alpha, method="exact")
    with np.errstate(divide="ignore"):
        to_rr = lambda p: p / (1 - p) * t2 / t1 if p < 1 else np.inf  # noqa: E731
        rr = (k1 / t1) / (k2 / t2) if k2 > 0 else np.inf
    return {"p_value": float(res.pvalue), "rate_ratio": float(rr), "ci_low": float(to_rr(ci.low)),
            "ci_high": float(to_rr(ci.high))}


def pearson_dispersion(counts, exposure, groups) -> dict[str, float]:
    """Over-dispersion check of counts against a Poisson model with one rate per group.

    μ_ij = λ̂_i·t_ij with λ̂_i = Σ_j y_ij / Σ_j t_ij; X² = Σ (y − μ)²/μ over groups with λ̂_i > 0;
    df = units − groups (same groups). With equal exposures X²_i/(m_i − 1) is the variance/mean ratio of
    group i. Index of dispersion test (Fisher 1950; Cameron & Trivedi 2013, §3.4): p = P(χ²_df ≥ X²).
    Returns ratio (X²/df), statistic, dof, p_value.
    """
    y = np.asarray(counts, dtype="float64")
    t = np.asarray(exposure, dtype="float64")
    _, g = np.unique(np.asarray(groups).astype(str), return_inverse=True)
    ysum, tsum, m = np.bincount(g, y), np.bincount(g, t), np.bincount(g)
    with np.errstate(divide="ignore", invalid="ignore"):
        lam = np.where(tsum > 0, ysum / tsum, np.nan)
    mu = t * lam[g]
    use = mu > 0
    x2 = float(((y[use] - mu[use]) ** 2 / mu[use]).sum())
    live = lam > 0
    dof = int(m[live].sum() - live.sum())
    if dof <= 0:
        return {"ratio": np.nan, "statistic": x2, "dof": dof, "p_value": np.nan}
    return {"ratio": x2 / dof, "statistic": x2, "dof": dof, "p_value": float(st.chi2.sf(x2, dof))}


def _nb_loglik(y: np.ndarray, mu: np.ndarray, alpha_nb: float) -> float:
    """NB2 log-likelihood Σ log P(y | μ, α) (``scipy.stats.nbinom``; Poisson for α ≤ 1e-7)."""
    if alpha_nb <= 1e-7:
        return float(st.poisson.logpmf(y, mu).sum())
    size = 1 / alpha_nb
    return float(st.nbinom.logpmf(y, size, size / (size + mu)).sum())


def decreasing_root(score, guess: float) -> float:
    """The root of a decreasing score function of a log-scale intercept: bracketed by widening steps of 2
    around ``guess``, then ``scipy.optimize.brentq`` to 1e-12."""
    lo, hi = guess - 1.0, guess + 1.0
    while score(lo) < 0:
        lo -= 2.0
    while score(hi) > 0:
        hi += 2.0
    return optimize.brentq(score, lo, hi, xtol=1e-12)


def nb_rate_fit(y, t, alpha_nb: float, extra_offset=None) -> tuple[float, float]:
    """ML fit of a single NB2 rate with offsets: log μ_i = log t_i + o_i + β0, α fixed.

    This is the intercept-only ``GLM(y, 1, family=NegativeBinomial(alpha), offset=log t + o)`` (same
    estimate and log-likelihood, checked in the tests), solved directly: the score Σ (y − μ)/(1 + αμ) is
    monotone in β0 (``scipy.optimize.brentq``); with equal exposures and no extra offset β̂0 = log(ȳ/t).
    Returns (rate = exp(β̂0), log-likelihood). All-zero counts: rate 0, log-likelihood 0.
    """
    y = np.asarray(y, dtype="float64")
    t = np.asarray(t, dtype="float64")
    off = np.log(t) + (0.0 if extra_offset is None else np.asarray(extra_offset, dtype="float64"))
    if y.sum() == 0:
        return 0.0, 0.0
    if extra_offset is None and np.all(t == t[0]):
        b0 = math.log(y.mean() / t[0])
    else:
        a = max(alpha_nb, 0.0)

        def score(b: float) -> float:
            mu = np.exp(off + b)
            return float(((y - mu) / (1 + a * mu)).sum())

        b0 = decreasing_root(score, math.log(y.sum() / np.exp(off).sum()))
    return math.exp(b0), _nb_loglik(y, np.exp(off + b0), alpha_nb)


def negbin_dispersion(counts, exposure, groups) -> dict[str, Any]:
    """ML estimate of the NB2 dispersion α (Var = μ + αμ²) in the model with one rate per group.

    statsmodels ``NegativeBinomial(y, group dummies, exposure=t)`` (NB2, α by maximum likelihood). Where
    that fit fails — typically at the α → 0 boundary, i.e. no over-dispersion — α is found by maximising
    the profile log-likelihood over log α ∈ [log 1e-8, log 1e3] (``minimize_scalar``). Groups whose counts
    are all 0 carry no information on α and are left out. Returns alpha, llf (full model at α̂), method.
    """
    y = np.asarray(counts, dtype="float64")
    t = np.asarray(exposure, dtype="float64")
    g = np.asarray(groups).astype(str)
    live = pd.Series(y).groupby(g).transform("sum").to_numpy() > 0
    if not live.any():
        return {"alpha": np.nan, "llf": 0.0, "method": "none"}
    y, t, g = y[live], t[live], g[live]
    levels = np.unique(g)
    X = (g[:, None] == levels[None, :]).astype("float64")
    alpha_hat, method = np.nan, "statsmodels NegativeBinomial"
    try:
        from statsmodels.discrete.discrete_model import NegativeBinomial

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = NegativeBinomial(y, X, exposure=t).fit(disp=0, maxiter=200)
        if res.mle_retvals.get("converged", False) and np.isfinite(res.params[-1]) and res.params[-1] > 1e-6:
            alpha_hat = float(res.params[-1])
    except Exception:  # noqa: BLE001 - any numerical failure falls back to the profile search
        alpha_hat = np.nan
    if not np.isfinite(alpha_hat):
        method = "profile likelihood"

        def nll(log_a: float) -> float:
            return -nb_full_loglik(y, t, g, float(np.exp(log_a)))

        r = optimize.minimize_scalar(nll, bounds=(math.log(1e-8), math.log(1e3)), method="bounded",
                                     options={"xatol": 1e-4})
        alpha_hat = float(np.exp(r.x))
    return {"alpha": alpha_hat, "llf": nb_full_loglik(y, t, g, alpha_hat), "method": method}


def nb_full_loglik(y, t, g, alpha_nb: float) -> float:
    return float(sum(nb_rate_fit(y[g == v], t[g == v], alpha_nb)[1] for v in np.unique(g)))


def negbin_rate_test(y1, t1, y2, t2, *, alpha_nb: float, alpha: float = 0.05, ci: bool = True) -> dict[str, float]:
    """Compare the rates of two groups of unit counts with an NB2 model (dispersion α_nb held fixed).

    Model log μ = log t + β0 + β1·[group 1] (the ``GLM`` count ~ is_group with offset log t and
    ``NegativeBinomial(alpha=α_nb)`` family; fitted with :func:`nb_rate_fit`). Likelihood-ratio test of
    β1 = 0 (χ²₁), which stays valid when one group has no events (the Wald test breaks down there:
    Hauck–Donner); rate ratio exp(β̂1) with the profile-likelihood CI (the β1 values the LR test does not
    reject), so the CI excludes 1 exactly when p < α. Returns p_value, rate_ratio, ci_low, ci_high, statistic.
    """
    check_alpha(alpha)
    y1, t1, y2, t2 = (np.asarray(v, dtype="float64") for v in (y1, t1, y2, t2))
    nan = {"p_value": np.nan, "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan, "statistic": np.nan}
    if len(y1) == 0 or len(y2) == 0 or y1.sum() + y2.sum() == 0:
        return nan
    y = np.concatenate([y1, y2])
    t = np.concatenate([t1, t2])
    x = np.concatenate([np.ones(len(y1)), np.zeros(len(y2))])
    r1, l1 = nb_rate_fit(y1, t1, alpha_nb)
    r2, l2 = nb_rate_fit(y2, t2, alpha_nb)
    llf_full = l1 + l2
    lr = max(0.0, 2 * (llf_full - nb_rate_fit(y, t, alpha_nb)[1]))
    rr = r1 / r2 if r2 > 0 else np.inf
    out = {"p_value": float(st.chi2.sf(lr, 1)), "rate_ratio": float(rr), "ci_low": np.nan, "ci_high": np.nan,
           "statistic": lr}
    if not ci:
        return out
    crit = float(st.chi2.ppf(1 - alpha, 1))

    def excess(b1: float) -> float:   # profile LR statistic at β1 = b1, minus the critical value
        return 2 * (llf_full - nb_rate_fit(y, t, alpha_nb, extra_offset=b1 * x)[1]) - crit

    # Wald standard error of β̂1 at α_nb, to start the search for each limit
    info = [float((mu / (1 + alpha_nb * mu)).sum()) for mu in (r1 * t1, r2 * t2)]
    se = math.sqrt(sum(1 / i for i in info if i > 0)) if all(i > 0 for i in info) else 1.0
    out["ci_low"], out["ci_high"] = profile_ratio_interval(excess, rate_ratio=rr, se=se, crit=crit)
    return out


def profile_ratio_interval(excess, *, rate_ratio: float, se: float, crit: float) -> tuple[float, float]:
    """Profile-likelihood interval of a rate ratio: the log-ratios b where ``excess(b)`` (LR statistic at b
    minus the χ² critical value) crosses 0, bracketed outwards from log(rate_ratio) in steps of the Wald SE
    (doubling), then brentq. A side that never crosses within |b| < 25 is 0 or ∞."""
    centre = math.log(rate_ratio) if 0 < rate_ratio < np.inf else (-25.0 if rate_ratio == 0 else 25.0)
    limits = []
    for side in (-1, 1):
        inner, step = centre, 1.5 * math.sqrt(crit) * se
        outer = centre + side * step
        while excess(outer) < 0 and abs(outer) < 25:
            inner, outer = outer, outer + side * step
            step *= 2
        if excess(outer) < 0:
            limits.append(0.0 if side < 0 else np.inf)
        else:
            limits.append(math.exp(optimize.brentq(excess, min(inner, outer), max(inner, outer), xtol=1e-10)))
    return limits[0], limits[1]


def n_for_rate_ratio(rate_ratio, *, mu1, mu0, dispersion: float = 0.0, alpha: float = 0.05,
                     power: float = 0.8, n_other=None) -> np.ndarray:
    """Units (e.g. working days) per group to detect a rate ratio with a Wald test on log RR (NB2 or Poisson).

    Var(log RR̂) ≈ (1/μ1 + α)/n1 + (1/μ0 + α)/n0, μ = mean count per unit, α the NB2 dispersion (0 for
    Poisson) (Keene et al. 2007; Zhu & Lakkis 2014, equal follow-up). Solve (log RR/(z_{1−α/2} + z_power))²
    = that variance; equal groups unless ``n_other`` (n0) is given. Ceiling; NaN for RR = 1 or μ = 0.
    """
    check_alpha(alpha)
    zz = z_two_sided(alpha) + float(st.norm.ppf(power))
    rr = np.asarray(rate_ratio, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        e2 = np.where((rr > 0) & np.isfinite(rr), np.log(rr) ** 2, np.nan) / zz**2
        v1 = 1 / np.asarray(mu1, dtype="float64") + dispersion
        v0 = 1 / np.asarray(mu0, dtype="float64") + dispersion
    return n_from_variance(e2, v1, v0, n_other)


def poisson_homogeneity_test(counts, exposure) -> dict[str, Any]:
    """Omnibus test that k Poisson rates are equal: X² = Σ (k_i − E_i)²/E_i, E_i = K·T_i/ΣT, df = k − 1.

    (Conditional on the total K the counts are multinomial with cell probabilities T_i/ΣT; Pearson's
    goodness-of-fit statistic.) Returns test, statistic, p_value, dof.
    """
    k = np.asarray(counts, dtype="float64")
    t = np.asarray(exposure, dtype="float64")
    keep = t > 0
    k, t = k[keep], t[keep]
    if len(k) < 2 or k.sum() == 0:
        return {"test": "poisson_chi2_homogeneity", "statistic": np.nan, "p_value": np.nan,
                "dof": max(len(k) - 1, 0)}
    e = k.sum() * t / t.sum()
    x2 = float(((k - e) ** 2 / e).sum())
    return {"test": "poisson_chi2_homogeneity", "statistic": x2, "p_value": float(st.chi2.sf(x2, len(k) - 1)),
            "dof": len(k) - 1}


def negbin_homogeneity_test(counts, exposure, groups, *, alpha_nb: float | None = None) -> dict[str, Any]:
    """Omnibus likelihood-ratio test that all groups share one NB2 rate (dispersion from the full model).

    Full model: one rate per group, α̂ from :func:`negbin_dispersion` (or ``alpha_nb``); null: one common
    rate, same α. LR = 2(ℓ_full − ℓ_null) ~ χ²(k − 1). Returns test, statistic, p_value, dof, alpha.
    """
    y = np.asarray(counts, dtype="float64")
    t = np.asarray(exposure, dtype="float64")
    g = np.asarray(groups).astype(str)
    k = len(np.unique(g))
    out = {"test": "negbin_lr", "statistic": np.nan, "p_value": np.nan, "dof": max(k - 1, 0), "alpha": np.nan}
    if k < 2 or y.sum() == 0:
        return out
    a = negbin_dispersion(y, t, g)["alpha"] if alpha_nb is None else float(alpha_nb)
    lr = max(0.0, 2 * (nb_full_loglik(y, t, g, a) - nb_rate_fit(y, t, a)[1]))
    out.update(statistic=lr, p_value=float(st.chi2.sf(lr, k - 1)), alpha=a)
    return out
