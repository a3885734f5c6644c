"""Proportions: Wilson and Newcombe intervals, Cohen's h, power and sample size."""
from __future__ import annotations

import math

import numpy as np
# Φ = special.ndtr, Φ⁻¹ = special.ndtri: the kernels of scipy.stats.norm's cdf / ppf (the same floats),
# without importing scipy.stats (~1 s) for the KPIs' Wilson interval
from scipy import special

from .checks import check_alpha, z_two_sided


# --------------------------------------------------------------------------------------------------------
# Proportions
# --------------------------------------------------------------------------------------------------------

def wilson_interval(successes, trials, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval (Newcombe 1998, method 3), vectorised.

    low, high = (p + z²/2n ∓ z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = Φ⁻¹(1 − α/2).
    Where ``trials`` is 0 both limits are NaN (no data, no interval).
    """
    k = np.asarray(successes, dtype="float64")
    n = np.asarray(trials, dtype="float64")
    z = special.ndtri(1 - alpha / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
        low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    bad = ~(n > 0)
    return np.where(bad, np.nan, low), np.where(bad, np.nan, high)


def newcombe_interval(k1, n1, k2, n2, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """CI for p1 − p2 by Newcombe's hybrid score method (Newcombe 1998b, method 10), vectorised.

    L = d − sqrt((p1 − l1)² + (u2 − p2)²), U = d + sqrt((u1 − p1)² + (p2 − l2)²) with (l, u) the Wilson
    limits of each proportion. Computed by statsmodels
    ``confint_proportions_2indep(method="newcomb", compare="diff")``. NaN where n1 or n2 is 0.
    """
    from statsmodels.stats.proportion import confint_proportions_2indep

    check_alpha(alpha)
    k1, n1, k2, n2 = np.broadcast_arrays(*(np.asarray(v, dtype="float64") for v in (k1, n1, k2, n2)))
    low = np.full(k1.shape, np.nan)
    high = np.full(k1.shape, np.nan)
    ok = (n1 > 0) & (n2 > 0)
    if ok.any():
        lo, hi = confint_proportions_2indep(k1[ok], n1[ok], k2[ok], n2[ok], method="newcomb",
                                            compare="diff", alpha=alpha)
        low[ok], high[ok] = lo, hi
    return low, high


def cohens_h(p1, p2) -> np.ndarray:
    """Cohen's h = 2·asin√p1 − 2·asin√p2 (Cohen 1988, §6.2); NaN where a proportion is NaN."""
    p1 = np.asarray(p1, dtype="float64")
    p2 = np.asarray(p2, dtype="float64")
    with np.errstate(invalid="ignore"):
        return 2 * np.arcsin(np.sqrt(p1)) - 2 * np.arcsin(np.sqrt(p2))


def power_cohens_h(h: float, *, n: float, alpha: float = 0.05, alternative: str = "two-sided",
                   samples: int = 2) -> float:
    """Power of the normal test of two proportions for effect size h (= R ``pwr.2p.test`` / ``pwr.p.test``).

    Two samples of n each: λ = |h|·√(n/2); one sample of n: λ = |h|·√n. Two-sided power
    = Φ(λ − z_{1−α/2}) + Φ(−λ − z_{1−α/2}); ``greater``: Φ(λ' − z_{1−α}) with λ' signed.
    """
    check_alpha(alpha)
    lam = h * math.sqrt(n / 2 if samples == 2 else n)
    if alternative == "two-sided":
        z = z_two_sided(alpha)
        return float(special.ndtr(abs(lam) - z) + special.ndtr(-abs(lam) - z))
    z = float(special.ndtri(1 - alpha))
    return float(special.ndtr(lam - z) if alternative == "greater" else special.ndtr(-lam - z))


def n_from_variance(e2, v1, v2, n_other):
    """Solve v1/n1 + v2/n2 = e2 for n1 (n2 = n_other fixed), else n1 = n2 = (v1 + v2)/e2; ceil, NaN if e2 ≤ 0."""
    e2, v1, v2 = (np.asarray(x, dtype="float64") for x in (e2, v1, v2))
    with np.errstate(divide="ignore", invalid="ignore"):
        equal = (v1 + v2) / e2
        if n_other is None:
            n = equal
        else:
            n2 = np.asarray(n_other, dtype="float64")
            room = e2 - v2 / n2
            n = np.where((room > 0) & (n2 > 0), v1 / room, equal)
        n = np.where((e2 > 0) & np.isfinite(n), np.ceil(n - 1e-9), np.nan)
    return n


def n_for_cohens_h(h, *, alpha: float = 0.05, power: float = 0.8, samples: int = 2,
                   n_other=None) -> np.ndarray:
    """Sample size to detect |h| with a two-sided test at α and the given power (normal approximation).

    One sample (``pwr.p.test``): n = ((z_{1−α/2} + z_{power}) / h)².
    Two samples of equal size (``pwr.2p.test``, Cohen 1988 Table 6.4.1): n per group = 2·((z + z)/h)².
    With the other group's size fixed at ``n_other`` (``pwr.2p2n.test``): 1/n + 1/n_other = (h/(z + z))²;
    when the other group alone is too small, the equal-size answer is returned. Ceiling; NaN for h = 0.
    """
    check_alpha(alpha)
    zz = z_two_sided(alpha) + float(special.ndtri(power))
    e2 = (np.asarray(h, dtype="float64") / zz) ** 2
    if samples == 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(e2 > 0, np.ceil(1 / e2 - 1e-9), np.nan)
    return n_from_variance(e2, 1.0, 1.0, n_other)
