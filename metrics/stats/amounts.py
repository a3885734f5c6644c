"""Skewed amounts: median and bootstrap intervals, Cliff's delta, Mann–Whitney sample size."""
from __future__ import annotations

import math
import warnings
from functools import lru_cache

import numpy as np
from scipy import stats as st

from ..errors import StatisticalWarning
from .checks import check_alpha, z_two_sided
from .proportions import n_from_variance


# --------------------------------------------------------------------------------------------------------
# Skewed amounts
# --------------------------------------------------------------------------------------------------------

def _clean(x) -> np.ndarray:
    x = np.asarray(x, dtype="float64").ravel()
    return x[np.isfinite(x)]


def median_interval(x, alpha: float = 0.05) -> tuple[float, float, float]:
    """Distribution-free CI for the median from order statistics (e.g. Conover 1999, §3.2).

    [x_(j), x_(n−j+1)] with j the largest integer such that P(B ≤ j − 1) ≤ α/2, B ~ Binomial(n, ½);
    coverage 1 − 2·P(B ≤ j − 1) ≥ 1 − α (conservative). Returns (low, high, coverage); NaN when n is too
    small to reach the level (n ≤ 5 at 95%).
    """
    check_alpha(alpha)
    x = np.sort(_clean(x))
    n = len(x)
    if n == 0 or st.binom.cdf(0, n, 0.5) > alpha / 2:
        return np.nan, np.nan, np.nan
    k0 = int(st.binom.ppf(alpha / 2, n, 0.5))
    j = k0 + 1 if st.binom.cdf(k0, n, 0.5) <= alpha / 2 * (1 + 1e-12) else k0
    j = max(j, 1)
    coverage = 1 - 2 * st.binom.cdf(j - 1, n, 0.5)
    return float(x[j - 1]), float(x[n - j]), float(coverage)


def median_intervals(sorted_samples, alpha: float = 0.05) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`median_interval` of each sample at once (arrays of low, high, coverage): the binomial
    probabilities of all sizes in one scipy call each (the same floats as one call per sample).
    ``sorted_samples``: finite values, each sorted."""
    check_alpha(alpha)
    n = np.array([len(x) for x in sorted_samples], dtype=np.int64)
    low, high, coverage = (np.full(len(n), np.nan) for _ in range(3))
    ok = np.flatnonzero(n > 0)
    ok = ok[~(st.binom.cdf(0, n[ok], 0.5) > alpha / 2)]
    if not len(ok):
        return low, high, coverage
    m = n[ok]
    k0 = st.binom.ppf(alpha / 2, m, 0.5).astype(np.int64)
    j = np.maximum(np.where(st.binom.cdf(k0, m, 0.5) <= alpha / 2 * (1 + 1e-12), k0 + 1, k0), 1)
    coverage[ok] = 1 - 2 * st.binom.cdf(j - 1, m, 0.5)
    low[ok] = [sorted_samples[i][k - 1] for i, k in zip(ok, j)]
    high[ok] = [sorted_samples[i][c - k] for i, c, k in zip(ok, m, j)]
    return low, high, coverage


def bootstrap_mean_interval(x, alpha: float = 0.05, *, n_resamples: int = 9999,
                            seed: int | np.random.Generator = 0) -> tuple[float, float]:
    """BCa bootstrap CI of the mean (Efron 1987; ``scipy.stats.bootstrap(method="BCa")``), seeded.

    NaN for n < 2; (x, x) when every value is equal. Coverage is poor for small skewed samples (notes
    finding 6: ~85% for lognormal n = 25–40), so always show n beside it.
    """
    check_alpha(alpha)
    x = _clean(x)
    if len(x) < 2:
        return np.nan, np.nan
    if np.all(x == x[0]):
        return float(x[0]), float(x[0])
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = st.bootstrap((x,), np.mean, method="BCa", confidence_level=1 - alpha,
                           n_resamples=n_resamples, rng=rng, vectorized=True)
    lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
    m = float(x.mean())
    if not (np.isfinite(lo) and np.isfinite(hi)):
        warnings.warn(StatisticalWarning("BCa bootstrap interval of the mean is undefined for these data",
                                         "bca_undefined"), stacklevel=2)
        return np.nan, np.nan
    return min(lo, m), max(hi, m)


def bootstrap_mean_diff_interval(x, y, alpha: float = 0.05, *, n_resamples: int = 9999,
                                 seed: int | np.random.Generator = 0) -> tuple[float, float]:
    """BCa bootstrap CI of mean(x) − mean(y), resampling each group separately (scipy ``bootstrap``)."""
    check_alpha(alpha)
    x, y = _clean(x), _clean(y)
    if len(x) < 2 or len(y) < 2:
        return np.nan, np.nan
    d = float(x.mean() - y.mean())
    if np.all(x == x[0]) and np.all(y == y[0]):
        return d, d
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)

    def stat(a, b, axis=-1):
        return a.mean(axis=axis) - b.mean(axis=axis)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = st.bootstrap((x, y), stat, method="BCa", confidence_level=1 - alpha, n_resamples=n_resamples,
                           rng=rng, vectorized=True)
    lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if not (np.isfinite(lo) and np.isfinite(hi)):
        return np.nan, np.nan
    return min(lo, d), max(hi, d)


def cliffs_delta(x, y, alpha: float = 0.05) -> tuple[float, float, float]:
    """Cliff's δ = P(X > Y) − P(X < Y) = 2U/(n1·n2) − 1 with U the Mann–Whitney U of x, and its CI.

    CI: Feng & Cliff's asymmetric interval as in R ``effsize::cliff.delta`` defaults (Cliff 1993; Feng &
    Cliff 2004): unbiased variance
    s² = (n2²·Σ(d_i. − δ)² + n1²·Σ(d_.j − δ)² − Σ_ij(d_ij − δ)²) / (n1·n2·(n1 − 1)·(n2 − 1)),
    with d_ij = sign(x_i − y_j) and d_i., d_.j its row/column means; t = Student t quantile, n1 + n2 − 2 df;
    limits (δ − δ³ ∓ t·s·sqrt((1 − δ²)² + t²s²)) / (1 − δ² + t²s²).
    Computed from ranks (O(n log n)), not the n1×n2 dominance matrix. CI NaN when n1 or n2 < 2 or s² ≤ 0
    (e.g. complete separation).
    """
    check_alpha(alpha)
    x, y = _clean(x), _clean(y)
    n1, n2 = len(x), len(y)
    if n1 == 0 or n2 == 0:
        return np.nan, np.nan, np.nan
    ys, xs = np.sort(y), np.sort(x)
    # row i (x_i): #y < x_i − #y > x_i
    y_lt = np.searchsorted(ys, x, side="left")
    y_gt = n2 - np.searchsorted(ys, x, side="right")
    return cliffs_from_counts(x=x, xs=xs, y=y, y_lt=y_lt, y_gt=y_gt, alpha=alpha)


def cliffs_from_counts(*, x: np.ndarray, xs: np.ndarray, y: np.ndarray, y_lt: np.ndarray, y_gt: np.ndarray,
                       alpha: float, dj_squares=None) -> tuple[float, float, float]:
    """Cliff's δ and its Feng–Cliff interval (see :func:`cliffs_delta`) from each x_i's counts of y below
    (``y_lt``) and above (``y_gt``) it; ``xs`` is x sorted. Shared by callers that get these counts faster
    (each manager vs the rest from one sorted array of everybody). ``dj_squares(δ)``, when given, returns
    Σ_j (d_.j − δ)² over y (a caller that has it from grouped counts), instead of searching every y in x."""
    n1, n2 = len(x), len(y)
    di = (y_lt - y_gt) / n2
    d = float(di.mean())
    if n1 < 2 or n2 < 2:
        return d, np.nan, np.nan
    if dj_squares is None:
        # column j (y_j): #x > y_j − #x < y_j
        x_gt = n1 - np.searchsorted(xs, y, side="right")
        x_lt = np.searchsorted(xs, y, side="left")
        dj = (x_gt - x_lt) / n1
        dj_ss = float(((dj - d) ** 2).sum())
    else:
        dj_ss = float(dj_squares(d))
    nonties = float((y_lt + y_gt).sum())
    ssr = nonties - n1 * n2 * d**2
    s2 = (n2**2 * float(((di - d) ** 2).sum()) + n1**2 * dj_ss - ssr) / (
        n1 * n2 * (n1 - 1) * (n2 - 1))
    t = _t_quantile(1 - alpha / 2, n1 + n2 - 2)
    denom = 1 - d**2 + t**2 * s2
    if not s2 > 0 or not denom > 0:
        return d, np.nan, np.nan
    half = t * math.sqrt(s2) * math.sqrt((1 - d**2) ** 2 + t**2 * s2)
    lo, hi = (d - d**3 - half) / denom, (d - d**3 + half) / denom
    return d, max(-1.0, min(lo, d)), min(1.0, max(hi, d))


@lru_cache(maxsize=64)
def _t_quantile(q: float, df: int) -> float:
    """Student t quantile (each manager vs the rest has the same n1 + n2 − 2: one scipy call)."""
    return float(st.t.ppf(q, df))


def n_for_mann_whitney(delta, *, alpha: float = 0.05, power: float = 0.8, n_other=None) -> np.ndarray:
    """Noether (1987) sample size for the two-sided Mann–Whitney test, per group.

    With p = P(X > Y) + ½P(X = Y) = (δ + 1)/2: 1/n1 + 1/n2 = 12·(p − ½)² / (z_{1−α/2} + z_{power})²
    (N = (z + z)² / (12·c(1 − c)(p − ½)²) with c = n1/N). Equal groups: n = 2(z + z)²/(3δ²) each; with
    ``n_other`` fixed, n1 = 1/(3δ²/(z + z)² − 1/n_other). Ceiling; NaN for δ = 0.
    """
    check_alpha(alpha)
    zz = z_two_sided(alpha) + float(st.norm.ppf(power))
    e2 = 3 * np.asarray(delta, dtype="float64") ** 2 / zz**2
    return n_from_variance(e2, 1.0, 1.0, n_other)
