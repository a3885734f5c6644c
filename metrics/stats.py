"""Statistical building blocks (pure numpy/scipy/statsmodels; no streamlit).

Every function here is small, vectorised where that is natural, never mutates its input and returns NaN
(never raises) where a quantity is undefined for the data (n = 0, no variation, ...). Argument errors raise
:class:`~metrics.errors.DataError` (a ``ValueError``). Methods and their sources are in each docstring; the
numbers are checked against published values in ``tests/test_stats.py`` (``/work/shared/notes``).
"""
from __future__ import annotations

import functools
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special
from scipy import stats as st

from .errors import DataError, StatisticalWarning

ADJUST_METHODS = {"holm": "holm", "bh": "fdr_bh"}


def _check_alpha(alpha: float) -> float:
    if not isinstance(alpha, (int, float)) or not 0 < alpha < 1:
        raise DataError("bad_argument", detail=f"alpha must be between 0 and 1, got {alpha!r}")
    return float(alpha)


@functools.lru_cache(maxsize=32)
def _z(alpha: float) -> float:
    return float(st.norm.ppf(1 - alpha / 2))


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
    z = st.norm.ppf(1 - alpha / 2)
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

    _check_alpha(alpha)
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
    _check_alpha(alpha)
    lam = h * math.sqrt(n / 2 if samples == 2 else n)
    if alternative == "two-sided":
        z = _z(alpha)
        return float(st.norm.cdf(abs(lam) - z) + st.norm.cdf(-abs(lam) - z))
    z = float(st.norm.ppf(1 - alpha))
    return float(st.norm.cdf(lam - z) if alternative == "greater" else st.norm.cdf(-lam - z))


def _n_from_variance(e2, v1, v2, n_other):
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
    _check_alpha(alpha)
    zz = _z(alpha) + float(st.norm.ppf(power))
    e2 = (np.asarray(h, dtype="float64") / zz) ** 2
    if samples == 1:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(e2 > 0, np.ceil(1 / e2 - 1e-9), np.nan)
    return _n_from_variance(e2, 1.0, 1.0, n_other)


# --------------------------------------------------------------------------------------------------------
# Multiple comparisons and tables
# --------------------------------------------------------------------------------------------------------

def holm(p) -> np.ndarray:
    """Holm (1979) step-down adjusted p-values: p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)).

    Equal to statsmodels ``multipletests(method="holm")`` (checked in the tests), computed in numpy because
    statsmodels runs ``gc.collect()`` inside every Holm call (≈0.2 s per call in a large process).
    """
    p = np.asarray(p, dtype="float64")
    m = len(p)
    order = np.argsort(p, kind="stable")
    adj = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p[order]))
    out = np.empty(m)
    out[order] = adj
    return out


def adjust_pvalues(p, method: str = "holm") -> np.ndarray:
    """Adjusted p-values: Holm (1979) step-down FWER, or Benjamini–Hochberg (1995) FDR (``"bh"``).

    Holm: :func:`holm`; BH: ``scipy.stats.false_discovery_control(method="bh")``. NaN p-values stay NaN and
    do not count in the family. Adjusted values are ≥ the raw ones and ≤ 1.
    """
    if method not in ADJUST_METHODS:
        raise DataError("bad_argument", detail=f"adjust must be one of {sorted(ADJUST_METHODS)}, got {method!r}")
    p = np.asarray(p, dtype="float64")
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = holm(p[ok]) if method == "holm" else st.false_discovery_control(p[ok], method="bh")
    return out


def small_expected(expected: np.ndarray) -> bool:
    """Cochran's rule fails: > 20% of expected counts below 5, or any below 1."""
    e = np.asarray(expected, dtype="float64")
    return bool((e < 1).any() or (e < 5).mean() > 0.2)


#: memory one batch of Monte Carlo tables may take (the omnibus test of 1,000 managers allocated 3.2 GB
#: at once, 10,000 ended in MemoryError); tables that fit keep scipy's exact random stream
MC_BATCH_BYTES = 256 << 20
#: total cells the Monte Carlo test may draw (resamples × table cells): 100,000 resamples up to 100
#: managers × 2 outcomes; beyond, fewer resamples (never below 1,000; the note states the number)
MC_MAX_CELLS = 20_000_000


def _ffh_monte_carlo(table: np.ndarray, *, n_resamples: int, seed: int,
                     batch: int = 10_000) -> tuple[float, float]:
    """``scipy.stats.fisher_exact(table, method=MonteCarloMethod(n_resamples, rng=default_rng(seed)))`` of an
    r×c table (scipy 1.17), the same numbers with less work: the same random tables (``random_table.rvs``
    from the same generator; Patefield's sampler drawn in batches, which continues the same stream — Boyett's
    small-table sampler in one call, as scipy does), each table's log-probability from a lookup table of
    log-factorials holding exactly scipy's ``gammaln(x + 1)`` values (summed over the same axes, so the same
    floats) instead of ``gammaln`` on every cell, no re-check of marginals the sampler guarantees, and the same
    count: p = (#{simulated P ≤ observed P·(1 + 100ε)} + 1)/(n_resamples + 1). Returns (observed P, p).

    Memory is bounded by :data:`MC_BATCH_BYTES` per batch: Patefield's batches continue one stream (same
    p-value at any batch size); a table that Boyett's sampler would draw in one call larger than the
    budget is drawn with Patefield's sampler in batches instead (the same distribution, other draws)."""
    rows, cols = table.sum(axis=1), table.sum(axis=0)
    n = int(table.sum())
    dist = st.random_table(rows, cols, seed=np.random.default_rng(seed))
    flat = np.ravel(table)                  # as scipy: the C-order cells, summed in that order
    observed = float(np.asarray(dist.pmf(flat.reshape(((-1,) + table.shape) if flat.size > n else table.shape)),
                                dtype="float64").ravel()[0])
    lf = special.gammaln(np.arange(n + 1, dtype="int64") + 1)
    const = np.sum(lf[rows], axis=-1) + np.sum(lf[cols], axis=-1) - lf[n]
    threshold = observed + abs(np.finfo("float64").eps * 100 * observed)
    patefield = st.random_table._rvs_select(rows, cols, n) == st.random_table._rvs_patefield
    per_table = table.size * 16  # bytes per resampled table: its int64 cells and their float64 lookups
    method = None
    if patefield:
        step = max(1, min(batch, MC_BATCH_BYTES // per_table))  # the same stream whatever the batch
    elif n_resamples * per_table <= MC_BATCH_BYTES:
        step = n_resamples  # Boyett's sampler restarts its permutation per call: one call, as scipy
    else:  # a large table (1,000 managers: 3.2 GB at once): Patefield's sampler in bounded batches
        method, step = "patefield", max(1, min(batch, MC_BATCH_BYTES // per_table))
    hits = 0.0
    for start in range(0, n_resamples, step):
        sims = dist.rvs(size=min(step, n_resamples - start), method=method)
        prob = np.exp(const - np.sum(lf[sims], axis=(-1, -2)))
        hits += float(np.sum(prob <= threshold, dtype="float64"))
    pvalue = min(max((hits + 1.0) / (n_resamples + 1.0), 0.0), 1.0)
    return min(observed, 1.0), pvalue


def homogeneity_test(table, *, seed: int = 0, n_resamples: int = 100_000) -> dict[str, Any]:
    """Omnibus test that all rows of a k×c table share one distribution (k managers × outcome).

    Pearson chi-square test of homogeneity without continuity correction (``chi2_contingency(
    correction=False)``; = R ``chisq.test`` / ``prop.test(x, n)``). When expected counts are small
    (:func:`small_expected`), a seeded Monte Carlo Fisher–Freeman–Halton exact test instead
    (``fisher_exact(table, method=MonteCarloMethod(n_resamples, rng=default_rng(seed)))``, computed by
    :func:`_ffh_monte_carlo`: the same resampled tables and the same p-value, ~2.5× faster); ``statistic`` is
    then the probability of the observed table. Rows or columns with zero total are dropped first.
    Returns test, statistic, p_value, dof, note.
    """
    t = np.asarray(table, dtype="int64")
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0] if t.size else t
    if t.ndim != 2 or t.shape[0] < 2 or t.shape[1] < 2:
        return {"test": "chi2_homogeneity", "statistic": np.nan, "p_value": np.nan, "dof": 0,
                "note": "fewer than two groups or no variation in the outcome"}
    dof = (t.shape[0] - 1) * (t.shape[1] - 1)
    res = st.chi2_contingency(t, correction=False)
    if not small_expected(res.expected_freq):
        return {"test": "chi2_homogeneity", "statistic": float(res.statistic), "p_value": float(res.pvalue),
                "dof": int(dof), "note": ""}
    if t.shape == (2, 2):  # two managers: Fisher's exact test itself, no resampling needed
        ex = st.fisher_exact(t)
        note = "expected counts are small (Cochran's rule), so Fisher's exact test replaced the chi-square test"
        warnings.warn(StatisticalWarning(note, "cochran_fisher"), stacklevel=2)
        return {"test": "fisher_exact", "statistic": float(ex.statistic), "p_value": float(ex.pvalue),
                "dof": int(dof), "note": note}
    n_resamples = min(n_resamples, max(1_000, MC_MAX_CELLS // t.size))  # bounded work (10,000 managers)
    stat, pval = _ffh_monte_carlo(t, n_resamples=n_resamples, seed=seed)
    note = (f"expected counts are small (Cochran's rule), so the chi-square test was replaced by a Monte "
            f"Carlo Fisher–Freeman–Halton exact test ({n_resamples} resamples, seed {seed})")
    warnings.warn(StatisticalWarning(note, "cochran_ffh", n=n_resamples, seed=seed), stacklevel=2)
    return {"test": "fisher_freeman_halton_mc", "statistic": stat, "p_value": pval,
            "dof": int(dof), "note": note}


def cramers_v(table) -> float:
    """Cramér's V = sqrt(χ² / (N·(min(r, c) − 1))) of a contingency table (no continuity correction)."""
    t = np.asarray(table, dtype="float64")
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if t.ndim != 2 or min(t.shape) < 2:
        return float("nan")
    chi2 = st.chi2_contingency(t, correction=False).statistic
    return float(math.sqrt(chi2 / (t.sum() * (min(t.shape) - 1))))


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
    _check_alpha(alpha)
    x = np.sort(_clean(x))
    n = len(x)
    if n == 0 or st.binom.cdf(0, n, 0.5) > alpha / 2:
        return np.nan, np.nan, np.nan
    k0 = int(st.binom.ppf(alpha / 2, n, 0.5))
    j = k0 + 1 if st.binom.cdf(k0, n, 0.5) <= alpha / 2 * (1 + 1e-12) else k0
    j = max(j, 1)
    coverage = 1 - 2 * st.binom.cdf(j - 1, n, 0.5)
    return float(x[j - 1]), float(x[n - j]), float(coverage)


def bootstrap_mean_interval(x, alpha: float = 0.05, *, n_resamples: int = 9999,
                            seed: int | np.random.Generator = 0) -> tuple[float, float]:
    """BCa bootstrap CI of the mean (Efron 1987; ``scipy.stats.bootstrap(method="BCa")``), seeded.

    NaN for n < 2; (x, x) when every value is equal. Coverage is poor for small skewed samples (notes
    finding 6: ~85% for lognormal n = 25–40), so always show n beside it.
    """
    _check_alpha(alpha)
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
    _check_alpha(alpha)
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
    _check_alpha(alpha)
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
    t = float(st.t.ppf(1 - alpha / 2, n1 + n2 - 2))
    denom = 1 - d**2 + t**2 * s2
    if not s2 > 0 or not denom > 0:
        return d, np.nan, np.nan
    half = t * math.sqrt(s2) * math.sqrt((1 - d**2) ** 2 + t**2 * s2)
    lo, hi = (d - d**3 - half) / denom, (d - d**3 + half) / denom
    return d, max(-1.0, min(lo, d)), min(1.0, max(hi, d))


def n_for_mann_whitney(delta, *, alpha: float = 0.05, power: float = 0.8, n_other=None) -> np.ndarray:
    """Noether (1987) sample size for the two-sided Mann–Whitney test, per group.

    With p = P(X > Y) + ½P(X = Y) = (δ + 1)/2: 1/n1 + 1/n2 = 12·(p − ½)² / (z_{1−α/2} + z_{power})²
    (N = (z + z)² / (12·c(1 − c)(p − ½)²) with c = n1/N). Equal groups: n = 2(z + z)²/(3δ²) each; with
    ``n_other`` fixed, n1 = 1/(3δ²/(z + z)² − 1/n_other). Ceiling; NaN for δ = 0.
    """
    _check_alpha(alpha)
    zz = _z(alpha) + float(st.norm.ppf(power))
    e2 = 3 * np.asarray(delta, dtype="float64") ** 2 / zz**2
    return _n_from_variance(e2, 1.0, 1.0, n_other)


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
    _check_alpha(alpha)
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
            return -_nb_full_llf(y, t, g, float(np.exp(log_a)))

        r = optimize.minimize_scalar(nll, bounds=(math.log(1e-8), math.log(1e3)), method="bounded",
                                     options={"xatol": 1e-4})
        alpha_hat = float(np.exp(r.x))
    return {"alpha": alpha_hat, "llf": _nb_full_llf(y, t, g, alpha_hat), "method": method}


def _nb_full_llf(y, t, g, alpha_nb: float) -> float:
    return float(sum(nb_rate_fit(y[g == v], t[g == v], alpha_nb)[1] for v in np.unique(g)))


def negbin_rate_test(y1, t1, y2, t2, *, alpha_nb: float, alpha: float = 0.05, ci: bool = True) -> dict[str, float]:
    """Compare the rates of two groups of unit counts with an NB2 model (dispersion α_nb held fixed).

    Model log μ = log t + β0 + β1·[group 1] (the ``GLM`` count ~ is_group with offset log t and
    ``NegativeBinomial(alpha=α_nb)`` family; fitted with :func:`nb_rate_fit`). Likelihood-ratio test of
    β1 = 0 (χ²₁), which stays valid when one group has no events (the Wald test breaks down there:
    Hauck–Donner); rate ratio exp(β̂1) with the profile-likelihood CI (the β1 values the LR test does not
    reject), so the CI excludes 1 exactly when p < α. Returns p_value, rate_ratio, ci_low, ci_high, statistic.
    """
    _check_alpha(alpha)
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
    _check_alpha(alpha)
    zz = _z(alpha) + float(st.norm.ppf(power))
    rr = np.asarray(rate_ratio, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        e2 = np.where((rr > 0) & np.isfinite(rr), np.log(rr) ** 2, np.nan) / zz**2
        v1 = 1 / np.asarray(mu1, dtype="float64") + dispersion
        v0 = 1 / np.asarray(mu0, dtype="float64") + dispersion
    return _n_from_variance(e2, v1, v0, n_other)


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
    lr = max(0.0, 2 * (_nb_full_llf(y, t, g, a) - nb_rate_fit(y, t, a)[1]))
    out.update(statistic=lr, p_value=float(st.chi2.sf(lr, k - 1)), alpha=a)
    return out
