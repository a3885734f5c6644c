"""Proportions vs the rest of the team: conversion, retention, the share of months at plan
(``plan_hit_share``, ``monthly_plan``)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats as st

from .. import stats as S
from ..errors import DataError
from ..kpi import period_leads, period_targets, period_won
from ..periods import Period
from .shared import Comparison, adjust_vs_team, check_bool, check_frame, check_test_args, fill_n_needed, verdicts
from ..frames import rows_frame, frame as text_frame


BINARY_COLUMNS = ["manager", "n", "successes", "rate", "ci_low", "ci_high", "rest_n", "rest_rate", "diff",
                  "diff_ci_low", "diff_ci_high", "effect", "p_value", "p_adjusted", "verdict", "n_needed"]


# --------------------------------------------------------------------------------------------------------
# Proportions: conversion and retention
# --------------------------------------------------------------------------------------------------------

def _bisect_many(f, target: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """scipy's ``_binary_search_for_binom_tst`` run for many searches in lockstep: per row the i in
    [lo, hi] with f(i) ≤ target < f(i + 1); ``f(x, rows)`` evaluates row-wise."""
    lo, hi = lo.copy(), hi.copy()
    out = np.zeros(len(lo), dtype=np.int64)
    found = np.zeros(len(lo), dtype=bool)
    while True:
        act = np.flatnonzero((lo < hi) & ~found)
        if not len(act):
            break
        mid = lo[act] + (hi[act] - lo[act]) // 2
        val = f(mid, act)
        below, above = val < target[act], val > target[act]
        lo[act[below]] = mid[below] + 1
        hi[act[above]] = mid[above] - 1
        hit = ~below & ~above
        out[act[hit]], found[act[hit]] = mid[hit], True
    rest = np.flatnonzero(~found)
    if len(rest):
        out[rest] = np.where(f(lo[rest], rest) <= target[rest], lo[rest], lo[rest] - 1)
    return out


#: scipy.stats.fisher_exact's tie tolerance (scipy 1.17: ``epsilon = 1e-14``, ``gamma = 1 + epsilon``; R's
#: fisher.test uses 1 + 1e-7)
_FISHER_EPS = 1e-14
#: a table whose other-side probability is this close to its own (relative) is decided by scipy's own steps:
#: there scipy's choice depends on its rounding (its hypergeometric values are off by up to ~1e-11 at 10⁵)
_FISHER_BAND = 1e-9
#: below this ratio pmf(a) / pmf(mode) the ratios lose precision (underflow): scipy's own steps
_FISHER_TINY = 1e-250
#: rows × support cells per block of :func:`fisher_two_sided` (its arrays: ~50 MB at most)
_FISHER_CELLS = 1 << 20


def _fisher_tables(a, b, c, d) -> tuple[np.ndarray, ...]:
    """(a, b, c, d as int64, p, r): p = 1 where a margin is zero (the test's convention) and NaN elsewhere, r the
    rows left to compute."""
    a, b, c, d = (np.asarray(v, dtype="float64").astype(np.int64) for v in (a, b, c, d))
    p = np.full(len(a), np.nan)
    zero = (a + c == 0) | (b + d == 0) | (a + b == 0) | (c + d == 0)
    p[zero] = 1.0
    return a, b, c, d, p, np.flatnonzero(~zero)


def fisher_scipy_steps(a, b, c, d) -> np.ndarray:
    """Two-sided p-values of Fisher's exact test of the 2×2 tables [[a, b], [c, d]], row by row — the steps
    of ``scipy.stats.fisher_exact`` (scipy 1.17) with each hypergeometric call made once for all tables.
    Each call costs ~0.2 ms per table at 10⁵ leads (boost's pmf factorises M!), ~40 calls in all: the
    rows :func:`fisher_two_sided` cannot decide alone come here."""
    hyper = st.hypergeom
    a, b, c, d, p, r = _fisher_tables(a, b, c, d)
    if not len(r):
        return p
    a, n1, n2, n = a[r], (a + b)[r], (c + d)[r], (a + c)[r]
    M = n1 + n2
    mode = ((n + 1) * (n1 + 1) / (n1 + n2 + 2)).astype(np.int64)
    pexact = hyper.pmf(a, M, n1, n)
    pmode = hyper.pmf(mode, M, n1, n)
    gamma = 1 + _FISHER_EPS
    with np.errstate(divide="ignore", invalid="ignore"):
        same = np.abs(pexact - pmode) / np.maximum(pexact, pmode) <= _FISHER_EPS
    out = np.full(len(r), np.nan)
    out[same] = 1.0
    low = ~same & (a < mode)
    high = ~same & ~(a < mode)
    if low.any():
        i = np.flatnonzero(low)
        plower = hyper.cdf(a[i], M[i], n1[i], n[i])
        tail = hyper.pmf(n[i], M[i], n1[i], n[i]) > pexact[i] * gamma
        out[i[tail]] = plower[tail]
        j = i[~tail]
        if len(j):
            guess = _bisect_many(lambda x, rows: -hyper.pmf(x, M[j][rows], n1[j][rows], n[j][rows]),
                                 -pexact[j] * gamma, mode[j], n[j])
            out[j] = plower[~tail] + hyper.sf(guess, M[j], n1[j], n[j])
    if high.any():
        i = np.flatnonzero(high)
        pupper = hyper.sf(a[i] - 1, M[i], n1[i], n[i])
        tail = hyper.pmf(np.zeros(len(i), dtype=np.int64), M[i], n1[i], n[i]) > pexact[i] * gamma
        out[i[tail]] = pupper[tail]
        j = i[~tail]
        if len(j):
            guess = _bisect_many(lambda x, rows: hyper.pmf(x, M[j][rows], n1[j][rows], n[j][rows]),
                                 pexact[j] * gamma, np.zeros(len(j), dtype=np.int64), mode[j])
            out[j] = pupper[~tail] + hyper.cdf(guess, M[j], n1[j], n[j])
    p[r] = np.minimum(out, 1.0)
    return p


def fisher_two_sided(a, b, c, d) -> np.ndarray:
    """Two-sided p-values of Fisher's exact test of the 2×2 tables [[a, b], [c, d]], row by row — exactly
    ``scipy.stats.fisher_exact(table).pvalue`` (scipy 1.17: the same floats), at a few boost calls per
    table instead of ~40.

    With n1 = a + b, n2 = c + d, n = a + c and X ~ hypergeom(M = n1 + n2, n1, n) on [lo, hi] =
    [max(0, n − n2), min(n, n1)], mode m = ⌊(n + 1)(n1 + 1) / (M + 2)⌋: scipy's p-value is
    P(X ≤ a) + P(X > g) when a < m, g the last x ≥ m with pmf(x) ≥ pmf(a)·(1 + 1e-14) (found by bisection),
    and P(X ≥ a) + P(X ≤ g) when a > m, g the last x ≤ m with pmf(x) ≤ pmf(a)·(1 + 1e-14); 1 when pmf(a)
    equals pmf(m) within 1e-14. Here g is found from the ratios w(x) = pmf(x) / pmf(m), products of
    pmf(x + 1) / pmf(x) = (n1 − x)(n − x) / ((x + 1)(n2 − n + x + 1)) outward from the mode (exact integer
    ratios, so ties are exact), all tables at once; the two tail probabilities are then scipy's own
    (``hypergeom.cdf`` / ``sf``: one boost call per table each instead of ~40 pmf calls in the bisection).
    A table whose decision is within 1e-9 of a tie (where scipy's rounding decides), or whose w(a)
    underflows, goes through scipy's steps (:func:`fisher_scipy_steps`)."""
    a, b, c, d, p, r = _fisher_tables(a, b, c, d)
    if not len(r):
        return p
    x, n1, n2, n = a[r], (a + b)[r], (c + d)[r], (a + c)[r]
    mode = ((n + 1) * (n1 + 1) / (n1 + n2 + 2)).astype(np.int64)
    lo, hi = np.maximum(0, n - n2), np.minimum(n, n1)
    guess = np.zeros(len(r), dtype=np.int64)
    same, tail, redo = (np.zeros(len(r), dtype=bool) for _ in range(3))
    up, down = hi - mode, mode - lo                       # steps from the mode each way
    order = np.argsort(up + down, kind="stable")
    cells = (up + down + 2)[order]
    start = 0
    while start < len(order):                             # blocks of similar width, ≤ _FISHER_CELLS cells
        size = np.arange(1, len(order) - start + 1) * cells[start:]      # rising: widths are sorted
        i = order[start:start + max(1, int(np.searchsorted(size, _FISHER_CELLS, side="right")))]
        start += len(i)
        guess[i], same[i], tail[i], redo[i] = _fisher_guess(x[i], n1[i], n2[i], n[i], mode[i], up[i], down[i])
    out = np.full(len(r), np.nan)
    out[same] = 1.0
    M = n1 + n2
    low = ~same & ~redo & (x < mode)
    high = ~same & ~redo & (x >= mode)
    i = np.flatnonzero(low)
    out[i] = st.hypergeom.cdf(x[i], M[i], n1[i], n[i])
    j = i[~tail[i]]
    out[j] = out[j] + st.hypergeom.sf(guess[j], M[j], n1[j], n[j])
    i = np.flatnonzero(high)
    out[i] = st.hypergeom.sf(x[i] - 1, M[i], n1[i], n[i])
    j = i[~tail[i]]
    out[j] = out[j] + st.hypergeom.cdf(guess[j], M[j], n1[j], n[j])
    if redo.any():
        j = np.flatnonzero(redo)
        out[j] = fisher_scipy_steps(x[j], n1[j] - x[j], n[j] - x[j], n2[j] - n[j] + x[j])
    p[r] = np.minimum(out, 1.0)
    return p


def _fisher_guess(x, n1, n2, n, mode, up, down):
    """(g, same, tail, redo) of :func:`fisher_two_sided` for a block of tables, from the ratios
    U[:, j] = pmf(m + j) / pmf(m) (j = 0..hi − m) and D[:, j] = pmf(m − j) / pmf(m) (j = 0..m − lo),
    zero beyond the support (as pmf there)."""
    ku, kd = int(up.max()) + 1, int(down.max()) + 1
    j = np.arange(ku - 1, dtype=np.int64)[None, :]
    at = mode[:, None] + j                                 # pmf(at + 1) / pmf(at)
    num = (n1[:, None] - at) * (n[:, None] - at)
    den = (at + 1) * (n2[:, None] - n[:, None] + at + 1)
    U = np.empty((len(x), ku))
    U[:, 0] = 1.0
    np.cumprod(np.where(j < up[:, None], num / np.maximum(den, 1), 0.0), axis=1, out=U[:, 1:])
    j = np.arange(1, kd, dtype=np.int64)[None, :]
    at = mode[:, None] - j                                 # pmf(at) / pmf(at + 1)
    num = (at + 1) * (n2[:, None] - n[:, None] + at + 1)
    den = (n1[:, None] - at) * (n[:, None] - at)
    D = np.empty((len(x), kd))
    D[:, 0] = 1.0
    np.cumprod(np.where(j <= down[:, None], num / np.maximum(den, 1), 0.0), axis=1, out=D[:, 1:])
    rows, k = np.arange(len(x)), x - mode
    low = k < 0
    w = np.where(low, D[rows, np.clip(-k, 0, kd - 1)], U[rows, np.clip(k, 0, ku - 1)])   # pmf(a) / pmf(m)
    limit = (w * (1 + _FISHER_EPS))[:, None]
    band = (_FISHER_BAND * w)[:, None]
    # a < m: the other side is U (x ≥ m); g = m + #(U ≥ limit) − 1; tail (p = P(X ≤ a)) when pmf(n) > limit
    # a > m: the other side is D (x ≤ m); g = m − #(D > limit); tail (p = P(X ≥ a)) when pmf(0) > limit
    g_low = mode + (U >= limit).sum(axis=1) - 1
    g_high = mode - (D > limit).sum(axis=1)
    guess = np.where(low, g_low, g_high)
    at_n = np.where(n - mode < ku, U[rows, np.clip(n - mode, 0, ku - 1)], 0.0)     # pmf(n) / pmf(m)
    at_0 = np.where(mode < kd, D[rows, np.clip(mode, 0, kd - 1)], 0.0)             # pmf(0) / pmf(m)
    tail = np.where(low, at_n > limit[:, 0], at_0 > limit[:, 0])
    near = np.where(low, (np.abs(U - limit) <= band).any(axis=1), (np.abs(D - limit) <= band).any(axis=1))
    same = k == 0
    redo = ~same & (near | (w < _FISHER_TINY))
    return guess, same, tail, redo


def _binary_vs_team(k: np.ndarray, n: np.ndarray, managers: np.ndarray, *, alpha: float, adjust: str, min_n: int,
                    seed: int, n_resamples: int, what: str) -> Comparison:
    N, K = n.sum(), k.sum()
    rn, rk = N - n, K - k
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / n, np.nan)
        rest_rate = np.where(rn > 0, rk / rn, np.nan)
    lo, hi = S.wilson_interval(k, n, alpha)
    dlo, dhi = S.newcombe_interval(k, n, rk, rn, alpha)
    h = S.cohens_h(rate, rest_rate)
    p = np.full(len(n), np.nan)
    ok = (rn > 0) & (n > 0)
    if ok.any():
        p[ok] = fisher_two_sided(k[ok], n[ok] - k[ok], rk[ok], rn[ok] - rk[ok])
    padj = adjust_vs_team(p, adjust)
    diff = rate - rest_rate
    v = verdicts(n, padj, diff, alpha=alpha, min_n=min_n)
    need = fill_n_needed(S.n_for_cohens_h(h, alpha=alpha, n_other=rn), v, min_n)
    summary = text_frame({"manager": managers, "n": n.astype("int64"), "successes": k.astype("int64"),
                          "rate": rate, "ci_low": lo, "ci_high": hi, "rest_n": rn.astype("int64"),
                          "rest_rate": rest_rate, "diff": diff, "diff_ci_low": dlo, "diff_ci_high": dhi,
                          "effect": h, "p_value": p, "p_adjusted": padj, "verdict": v,
                          "n_needed": need})[BINARY_COLUMNS]
    omni = S.homogeneity_test(np.column_stack([k, n - k]).astype("int64"), seed=seed, n_resamples=n_resamples)
    omni.update(n=int(N), n_managers=int((n > 0).sum()), unit=what, effect_name="cohens_h",
                vs_team_test="fisher_exact", adjust=adjust)
    return Comparison(summary=summary, omnibus=omni)


def binary_counts(df: pd.DataFrame, outcome: str, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    check_frame(df, ["manager", outcome], name)
    y = check_bool(df, outcome, name)
    g = text_frame({"manager": df["manager"].to_numpy(dtype=object), "y": y})
    agg = g.groupby("manager", sort=True)["y"].agg(["size", "sum"])
    return (agg["sum"].to_numpy(dtype="float64"), agg["size"].to_numpy(dtype="float64"),
            agg.index.to_numpy(dtype=object))


def conversion_vs_team(*, leads: pd.DataFrame, alpha: float = 0.05, adjust: str = "holm", min_n: int = 30,
                       seed: int = 0, n_resamples: int = 100_000) -> Comparison:
    """Lead-to-won conversion of each manager vs the rest of the team.

    ``leads``: one row per lead with ``manager`` and ``won`` (bool), e.g. ``kpi.period_leads``.
    Per manager: n leads, successes, rate with Wilson CI (Newcombe 1998 method 3); rest_rate; diff = rate −
    rest_rate with Newcombe's hybrid-score CI (method 10); effect = Cohen's h = 2asin√p − 2asin√p_rest;
    p_value = two-sided Fisher exact test of the 2×2 table (manager vs rest × won/not won); p_adjusted
    (Holm or BH across managers); verdict; n_needed = leads for 80% power at α to detect h, holding the rest
    at its size (``pwr.2p2n.test``; equal groups when that is impossible). Omnibus: chi-square of
    homogeneity on managers × (won, not won), ``correction=False``; seeded Monte Carlo
    Fisher–Freeman–Halton when expected counts are small (named in ``test``/``note``).
    """
    check_test_args(alpha, adjust, min_n)
    k, n, m = binary_counts(leads, "won", "leads")
    return _binary_vs_team(k, n, m, alpha=alpha, adjust=adjust, min_n=min_n, seed=seed,
                           n_resamples=n_resamples, what="leads")


def retention_vs_team(*, customers: pd.DataFrame, alpha: float = 0.05, adjust: str = "holm", min_n: int = 30,
                      seed: int = 0, n_resamples: int = 100_000) -> Comparison:
    """Customer retention of each manager vs the rest (retained / not retained), as :func:`conversion_vs_team`.

    ``customers``: one row per customer of the previous window with ``manager`` and ``retained`` (bool),
    e.g. ``kpi.retention_customers``. n = customers; Fisher exact, Holm/BH, Newcombe, Cohen's h.
    """
    check_test_args(alpha, adjust, min_n)
    k, n, m = binary_counts(customers, "retained", "customers")
    return _binary_vs_team(k, n, m, alpha=alpha, adjust=adjust, min_n=min_n, seed=seed,
                           n_resamples=n_resamples, what="customers")


def plan_hit_share(*, monthly: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Share of months at or above 100% of plan per manager, with a Wilson CI.

    ``monthly``: manager, month, revenue, target (one row per manager × month, e.g. :func:`monthly_plan`).
    Months with a missing or zero target are skipped. Returns manager, months, hits, share, ci_low, ci_high.
    A month hit: revenue ≥ target. (The share is a proportion; compare it like conversion. Targets of unequal
    difficulty make it weak for ranking — notes §1d.)
    """
    check_frame(monthly, ["manager", "month", "revenue", "target"], "monthly")
    rev = pd.to_numeric(monthly["revenue"], errors="coerce").to_numpy(dtype="float64")
    tgt = pd.to_numeric(monthly["target"], errors="coerce").to_numpy(dtype="float64")
    if np.isnan(rev).any():
        i = int(np.flatnonzero(np.isnan(rev))[0])
        raise DataError("bad_number", file="monthly", column="revenue", row=i + 1, value=monthly["revenue"].iloc[i])
    ok = np.isfinite(tgt) & (tgt > 0)
    g = text_frame({"manager": monthly["manager"].to_numpy(dtype=object)[ok], "hit": rev[ok] >= tgt[ok]})
    agg = g.groupby("manager", sort=True)["hit"].agg(months="size", hits="sum").reset_index()
    agg["months"] = agg["months"].astype("int64")
    agg["hits"] = agg["hits"].astype("int64")
    agg["share"] = agg["hits"] / agg["months"]
    agg["ci_low"], agg["ci_high"] = S.wilson_interval(agg["hits"], agg["months"], alpha)
    return agg[["manager", "months", "hits", "share", "ci_low", "ci_high"]]


def monthly_plan(*, deals: pd.DataFrame, plans: pd.DataFrame | None, period: Period,
                 default_target: float | None = None, overrides: dict[str, float] | None = None) -> pd.DataFrame:
    """Revenue and target per manager × calendar month of P (partial months: the part inside P, targets
    pro-rated as in ``kpi.period_targets``). Returns manager, month, revenue, target."""
    rows = []
    for month in period.month_overlaps()["month"]:
        y, m = (int(v) for v in month.split("-"))
        first = max(period.start, pd.Timestamp(y, m, 1).date())
        last = min(period.end, (pd.Timestamp(y, m, 1) + pd.offsets.MonthEnd(0)).date())
        sub = Period(first, last)
        won = period_won(deals=deals, period=sub)
        rev = won.groupby("manager")["amount"].sum()
        managers = sorted(set(rev.index) | set(period_leads(deals=deals, period=sub)["manager"]))
        tgt = period_targets(plans=plans, period=sub, managers=managers, default_target=default_target,
                             overrides=overrides)
        for _, r in tgt.iterrows():
            rows.append({"manager": r["manager"], "month": month, "revenue": float(rev.get(r["manager"], 0.0)),
                         "target": float(r["target"])})
    return rows_frame(rows, columns=["manager", "month", "revenue", "target"])
