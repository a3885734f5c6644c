"""Funnel plots (Spiegelhalter 2005) and empirical Bayes (beta-binomial prior)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy import optimize
from scipy import stats as st

from ..errors import DataError


# --------------------------------------------------------------------------------------------------------
# Funnel plots (Spiegelhalter 2005)
# --------------------------------------------------------------------------------------------------------

def funnel_limits(p0: float, n, q: float) -> np.ndarray:
    """Exact binomial funnel limit at quantile q, interpolated (Spiegelhalter 2005, Stat Med 24:1185, A.1.1).

    r_q = smallest r with F(r) ≥ q (``binom.ppf``), a = (F(r_q) − q)/(F(r_q) − F(r_q − 1)),
    limit = (r_q − a)/n. q = 0.025/0.975 (95%) and 0.001/0.999 (99.8%). NaN for n ≤ 0 or p0 ∉ (0, 1).
    """
    n = np.asarray(n, dtype="float64")
    if not 0 < p0 < 1:
        return np.full(n.shape, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = st.binom.ppf(q, n, p0)
        f_r = st.binom.cdf(r, n, p0)
        f_r1 = st.binom.cdf(r - 1, n, p0)
        a = (f_r - q) / (f_r - f_r1)
        lim = (r - a) / n
    return np.where(n > 0, np.clip(lim, 0, 1), np.nan)


def winsorize(z, frac: float = 0.1) -> np.ndarray:
    """Set the floor(frac·N) lowest/highest values to the next value inwards (Spiegelhalter 2005b)."""
    z = np.asarray(z, dtype="float64")
    k = int(math.floor(frac * len(z)))
    if k == 0:
        return z.copy()
    s = np.sort(z)
    return np.clip(z, s[k], s[len(z) - 1 - k])


def funnel_overdispersion(k, n, p0: float, *, winsor: float = 0.1) -> dict[str, float]:
    """Over-dispersion of proportions around p0 (Spiegelhalter 2005, §3; 2005b, QSHC 14:347).

    z_i = (y_i − p0)/s_i, s_i = sqrt(p0(1 − p0)/n_i), winsorised (``winsor`` in each tail); φ = mean z_i²;
    under no over-dispersion N·φ ~ χ²(N − 1). Additive random effect
    τ² = max(0, (Nφ − (N − 1)) / (Σw − Σw²/Σw)), w_i = 1/s_i². Returns phi, statistic (Nφ), dof, p_value, tau2.
    """
    k = np.asarray(k, dtype="float64")
    n = np.asarray(n, dtype="float64")
    keep = n > 0
    k, n = k[keep], n[keep]
    N = len(n)
    if N < 2 or not 0 < p0 < 1:
        return {"phi": np.nan, "statistic": np.nan, "dof": max(N - 1, 0), "p_value": np.nan, "tau2": np.nan}
    s2 = p0 * (1 - p0) / n
    z = winsorize((k / n - p0) / np.sqrt(s2), winsor)
    phi = float(np.mean(z**2))
    w = 1 / s2
    tau2 = max(0.0, (N * phi - (N - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return {"phi": phi, "statistic": N * phi, "dof": N - 1, "p_value": float(st.chi2.sf(N * phi, N - 1)),
            "tau2": float(tau2)}


# --------------------------------------------------------------------------------------------------------
# Empirical Bayes
# --------------------------------------------------------------------------------------------------------

def betabinom_fit(k, n, *, max_strength: float = 1e6) -> dict[str, Any]:
    """Maximum-likelihood beta-binomial prior Beta(a, b) from per-group successes k of n.

    Maximises Σ log BetaBin(k_i; n_i, a, b) (``scipy.stats.betabinom.logpmf``) over (logit μ, log s),
    a = μs, b = (1 − μ)s, with ``scipy.optimize.minimize`` (L-BFGS-B; s ∈ [1e-3, max_strength]); started
    at the method-of-moments values. When no between-group variation is detected the likelihood keeps
    rising (flatly) towards s → ∞; ``full_pooling`` flags a fit whose prior outweighs every group's data
    100 to 1 (s ≥ 100·max n): every estimate is then the pooled rate. Returns a, b, mean, strength,
    converged, full_pooling, loglik. Needs ≥ 2 groups with n > 0.
    """
    k = np.asarray(k, dtype="float64")
    n = np.asarray(n, dtype="float64")
    keep = n > 0
    k, n = k[keep], n[keep]
    if len(n) < 2:
        raise DataError("bad_argument", detail="the beta-binomial prior needs at least two managers with leads")
    pooled = float(np.clip(k.sum() / n.sum(), 1e-6, 1 - 1e-6))
    rates = k / n
    var = float(np.var(rates, ddof=1)) if len(n) > 1 else 0.0
    mean_binom = pooled * (1 - pooled) * float(np.mean(1 / n))
    s0 = pooled * (1 - pooled) / (var - mean_binom) - 1 if var > mean_binom else 100.0
    s0 = float(np.clip(s0, 1.0, max_strength / 10))
    lo_s, hi_s = math.log(1e-3), math.log(max_strength)

    def nll(theta: np.ndarray) -> float:
        mu = 1 / (1 + math.exp(-theta[0]))
        s = math.exp(theta[1])
        return -float(st.betabinom.logpmf(k, n, mu * s, (1 - mu) * s).sum())

    x0 = np.array([math.log(pooled / (1 - pooled)), math.log(s0)])
    res = optimize.minimize(nll, x0, method="L-BFGS-B", bounds=[(-15, 15), (lo_s, hi_s)])
    mu = 1 / (1 + math.exp(-res.x[0]))
    s = math.exp(res.x[1])
    return {"a": mu * s, "b": (1 - mu) * s, "mean": mu, "strength": s, "converged": bool(res.success),
            "full_pooling": bool(s >= 100 * n.max() or res.x[1] >= hi_s - 1e-3), "loglik": float(-res.fun)}
