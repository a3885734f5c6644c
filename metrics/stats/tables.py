"""Multiple comparisons (Holm, Benjamini–Hochberg) and contingency tables (homogeneity test, Cramér's V)."""
from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
from scipy import special
from scipy import stats as st

from ..errors import DataError, StatisticalWarning


ADJUST_METHODS = {"holm": "holm", "bh": "fdr_bh"}


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
