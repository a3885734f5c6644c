"""Compare managers honestly: each manager vs the rest of the team, two managers side by side, and a
ranking that does not chase noise. The report's "tests" block is :func:`comparison_tests`.

Design (methods and published checks: ``/work/shared/notes/statistics.md``; numbers in ``tests/``):

* Each manager is compared with the rest of the team (everyone else pooled), not with every other manager:
  k tests instead of k(k−1)/2. p-values are adjusted across the managers of one KPI, Holm (1979) by
  default (family-wise error, for decisions about people) or Benjamini–Hochberg (``adjust="bh"``, FDR, for
  screening); with two managers both rows are one comparison and are not adjusted. An omnibus test
  (are all managers alike?) is reported beside, not used as a gate.
* ``verdict`` ∈ {"above", "below", "no_difference", "not_enough_data"}. "above"/"below" only when the
  adjusted p < α, the direction taken from the estimate vs the rest. Below ``min_n`` (counted in the KPI's
  own unit: leads, won deals, working days, customers, months) the verdict is "not_enough_data" — but the
  p-values and their adjustment are computed over every manager with data, so ``min_n`` changes verdicts,
  never numbers. ``n_needed``: the n (same unit) that would give 80% power at α to detect the observed
  difference; for "not_enough_data" rows at least ``min_n``.
* Tests are descriptive: leads are not assigned at random (use :func:`within_source` for lead mix).

Every function takes long-format frames by keyword, never mutates them, and returns a :class:`Comparison`
(``summary`` DataFrame + ``omnibus`` dict) or a DataFrame. Doubtful statistics emit
:class:`~metrics.errors.StatisticalWarning`; bad input raises :class:`~metrics.errors.DataError` naming the
column.
"""
from __future__ import annotations

import functools
import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as st

from . import stats as S
from .errors import DataError, StatisticalWarning
from .kpi import period_activities, period_leads, period_targets, period_won, retention_customers
from .periods import Period

VERDICTS = ("above", "below", "no_difference", "not_enough_data")
TESTS = ("mannwhitney", "brunnermunzel")

BINARY_COLUMNS = ["manager", "n", "successes", "rate", "ci_low", "ci_high", "rest_n", "rest_rate", "diff",
                  "diff_ci_low", "diff_ci_high", "effect", "p_value", "p_adjusted", "verdict", "n_needed"]
DEAL_COLUMNS = ["manager", "n", "median", "median_ci_low", "median_ci_high", "mean", "mean_ci_low",
                "mean_ci_high", "rest_n", "rest_median", "rest_mean", "effect", "effect_ci_low",
                "effect_ci_high", "statistic", "p_value", "p_adjusted", "verdict", "n_needed", "test"]
ACTIVITY_COLUMNS = ["manager", "n", "count", "rate", "rate_ci_low", "rate_ci_high", "rest_rate", "dispersion",
                    "effect", "effect_ci_low", "effect_ci_high", "p_value", "p_adjusted", "verdict", "n_needed",
                    "method"]
PAIR_COLUMNS = ["kpi", "a_value", "b_value", "diff", "ci_low", "ci_high", "effect", "effect_name",
                "effect_ci_low", "effect_ci_high", "p_value", "verdict", "n_a", "n_b", "n_needed", "unit", "test"]


@dataclass(frozen=True)
class Comparison:
    """Result of a per-KPI comparison: one row per manager, the omnibus test, and (funnel only) the curve."""

    summary: pd.DataFrame
    omnibus: dict[str, Any]
    curve: pd.DataFrame | None = None


# --------------------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------------------

def _frame(df: Any, cols: list[str], name: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise DataError("bad_argument", detail=f"{name} must be a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError("missing_columns", file=name, column=", ".join(missing))
    m = df["manager"]
    # blank after stripping is a property of the value: check the distinct names, and only when one of
    # them is bad look for its first row
    names = pd.unique(m.to_numpy(dtype=object))
    blank = pd.isna(names) | (pd.Series(names, dtype=object).astype(str).str.strip() == "").to_numpy()
    if blank.any():
        bad = m.isna().to_numpy() | (m.astype(str).str.strip() == "").to_numpy()
        raise DataError("empty_value", file=name, column="manager", row=int(np.flatnonzero(bad)[0]) + 1)
    return df


def _bool(df: pd.DataFrame, col: str, name: str) -> np.ndarray:
    s = df[col]
    if pd.api.types.is_bool_dtype(s) and not s.isna().any():
        return s.to_numpy(dtype=bool)
    ok = s.map(lambda v: isinstance(v, (bool, np.bool_)) or (isinstance(v, (int, float, np.integer, np.floating))
                                                              and v in (0, 1))).to_numpy(dtype=bool)
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise DataError("bad_bool", file=name, column=col, row=i + 1, value=s.iloc[i])
    return s.astype(bool).to_numpy()


def _amounts(df: pd.DataFrame, col: str, name: str) -> np.ndarray:
    x = pd.to_numeric(df[col], errors="coerce").to_numpy(dtype="float64")
    bad = ~np.isfinite(x)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError("bad_number", file=name, column=col, row=i + 1, value=df[col].iloc[i])
    if (x < 0).any():
        i = int(np.flatnonzero(x < 0)[0])
        raise DataError("negative_amount", file=name, column=col, row=i + 1, value=float(x[i]))
    return x


def _args(alpha: float, adjust: str, min_n: int) -> None:
    S._check_alpha(alpha)
    if adjust not in S.ADJUST_METHODS:
        raise DataError("bad_argument", detail=f"adjust must be one of {sorted(S.ADJUST_METHODS)}, got {adjust!r}")
    if not isinstance(min_n, (int, np.integer)) or min_n < 0:
        raise DataError("bad_argument", detail=f"min_n must be a non-negative integer, got {min_n!r}")


# --------------------------------------------------------------------------------------------------------
# Verdicts
# --------------------------------------------------------------------------------------------------------

def verdicts(n, p_adjusted, direction, *, alpha: float = 0.05, min_n: int = 30) -> np.ndarray:
    """Verdict per row: "not_enough_data" when n < min_n or no p-value; else "above"/"below" when the
    adjusted p < α (sign of ``direction`` = estimate − rest, or log ratio); else "no_difference"."""
    n = np.asarray(n, dtype="float64")
    p = np.asarray(p_adjusted, dtype="float64")
    d = np.asarray(direction, dtype="float64")
    out = np.full(n.shape, "no_difference", dtype=object)
    sig = np.isfinite(p) & (p < alpha)
    out[sig & (d > 0)] = "above"
    out[sig & (d < 0)] = "below"
    out[(n < min_n) | ~np.isfinite(p)] = "not_enough_data"
    return out


def adjust_vs_team(p, method: str = "holm") -> np.ndarray:
    """Adjust each-vs-rest p-values across managers (Holm or BH, :func:`metrics.stats.adjust_pvalues`).

    With exactly two managers "A vs rest" and "B vs rest" are the same comparison (same table, same
    p-value), so the family has one member and the p-values are returned unadjusted.
    """
    p = np.asarray(p, dtype="float64")
    adjusted = S.adjust_pvalues(p, method)
    return p.copy() if len(p) == 2 else adjusted


def _n_needed(n_power, verdict, min_n: int) -> np.ndarray:
    n_power = np.asarray(n_power, dtype="float64")
    low = np.asarray(verdict, dtype=object) == "not_enough_data"
    filled = np.where(np.isfinite(n_power), np.maximum(n_power, min_n), float(min_n))
    return np.where(low, filled, n_power)


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


def _fisher_two_sided(a, b, c, d) -> np.ndarray:
    """Two-sided p-values of Fisher's exact test of the 2×2 tables [[a, b], [c, d]], row by row — the steps
    of ``scipy.stats.fisher_exact`` (scipy 1.17) with each hypergeometric call made once for all tables."""
    a, b, c, d = (np.asarray(v, dtype="float64").astype(np.int64) for v in (a, b, c, d))
    hyper = st.hypergeom
    p = np.full(len(a), np.nan)
    zero = (a + c == 0) | (b + d == 0) | (a + b == 0) | (c + d == 0)
    p[zero] = 1.0
    r = np.flatnonzero(~zero)
    if not len(r):
        return p
    a, n1, n2, n = a[r], (a + b)[r], (c + d)[r], (a + c)[r]
    M = n1 + n2
    mode = ((n + 1) * (n1 + 1) / (n1 + n2 + 2)).astype(np.int64)
    pexact = hyper.pmf(a, M, n1, n)
    pmode = hyper.pmf(mode, M, n1, n)
    gamma = 1 + 1e-14
    with np.errstate(divide="ignore", invalid="ignore"):
        same = np.abs(pexact - pmode) / np.maximum(pexact, pmode) <= 1e-14
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
        p[ok] = _fisher_two_sided(k[ok], n[ok] - k[ok], rk[ok], rn[ok] - rk[ok])
    padj = adjust_vs_team(p, adjust)
    diff = rate - rest_rate
    v = verdicts(n, padj, diff, alpha=alpha, min_n=min_n)
    need = _n_needed(S.n_for_cohens_h(h, alpha=alpha, n_other=rn), v, min_n)
    summary = pd.DataFrame({"manager": managers, "n": n.astype("int64"), "successes": k.astype("int64"),
                            "rate": rate, "ci_low": lo, "ci_high": hi, "rest_n": rn.astype("int64"),
                            "rest_rate": rest_rate, "diff": diff, "diff_ci_low": dlo, "diff_ci_high": dhi,
                            "effect": h, "p_value": p, "p_adjusted": padj, "verdict": v,
                            "n_needed": need})[BINARY_COLUMNS]
    omni = S.homogeneity_test(np.column_stack([k, n - k]).astype("int64"), seed=seed, n_resamples=n_resamples)
    omni.update(n=int(N), n_managers=int((n > 0).sum()), unit=what, effect_name="cohens_h",
                vs_team_test="fisher_exact", adjust=adjust)
    return Comparison(summary=summary, omnibus=omni)


def _binary_counts(df: pd.DataFrame, outcome: str, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    _frame(df, ["manager", outcome], name)
    y = _bool(df, outcome, name)
    g = pd.DataFrame({"manager": df["manager"].to_numpy(dtype=object), "y": y})
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
    _args(alpha, adjust, min_n)
    k, n, m = _binary_counts(leads, "won", "leads")
    return _binary_vs_team(k, n, m, alpha=alpha, adjust=adjust, min_n=min_n, seed=seed,
                           n_resamples=n_resamples, what="leads")


def retention_vs_team(*, customers: pd.DataFrame, alpha: float = 0.05, adjust: str = "holm", min_n: int = 30,
                      seed: int = 0, n_resamples: int = 100_000) -> Comparison:
    """Customer retention of each manager vs the rest (retained / not retained), as :func:`conversion_vs_team`.

    ``customers``: one row per customer of the previous window with ``manager`` and ``retained`` (bool),
    e.g. ``kpi.retention_customers``. n = customers; Fisher exact, Holm/BH, Newcombe, Cohen's h.
    """
    _args(alpha, adjust, min_n)
    k, n, m = _binary_counts(customers, "retained", "customers")
    return _binary_vs_team(k, n, m, alpha=alpha, adjust=adjust, min_n=min_n, seed=seed,
                           n_resamples=n_resamples, what="customers")


def plan_hit_share(*, monthly: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    """Share of months at or above 100% of plan per manager, with a Wilson CI.

    ``monthly``: manager, month, revenue, target (one row per manager × month, e.g. :func:`monthly_plan`).
    Months with a missing or zero target are skipped. Returns manager, months, hits, share, ci_low, ci_high.
    A month hit: revenue ≥ target. (The share is a proportion; compare it like conversion. Targets of unequal
    difficulty make it weak for ranking — notes §1d.)
    """
    _frame(monthly, ["manager", "month", "revenue", "target"], "monthly")
    rev = pd.to_numeric(monthly["revenue"], errors="coerce").to_numpy(dtype="float64")
    tgt = pd.to_numeric(monthly["target"], errors="coerce").to_numpy(dtype="float64")
    if np.isnan(rev).any():
        i = int(np.flatnonzero(np.isnan(rev))[0])
        raise DataError("bad_number", file="monthly", column="revenue", row=i + 1, value=monthly["revenue"].iloc[i])
    ok = np.isfinite(tgt) & (tgt > 0)
    g = pd.DataFrame({"manager": monthly["manager"].to_numpy(dtype=object)[ok], "hit": rev[ok] >= tgt[ok]})
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
    return pd.DataFrame(rows, columns=["manager", "month", "revenue", "target"])


# --------------------------------------------------------------------------------------------------------
# Average deal size
# --------------------------------------------------------------------------------------------------------

def _two_sample(x: np.ndarray, y: np.ndarray, test: str) -> tuple[float, float, str]:
    if test == "brunnermunzel":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            r = st.brunnermunzel(x, y)
        if np.isfinite(r.pvalue):
            return float(r.statistic), float(r.pvalue), "brunnermunzel"
        warnings.warn(StatisticalWarning("Brunner–Munzel test undefined (the samples do not overlap); used "
                                         "Mann–Whitney U instead", "bm_undefined"), stacklevel=3)
    r = st.mannwhitneyu(x, y, alternative="two-sided")
    return float(r.statistic), float(r.pvalue), "mannwhitney"


class _Ranked:
    """All won amounts ranked once, so that each manager vs the rest needs no new sort (performance only;
    the same numbers as ``scipy.stats.mannwhitneyu`` and ``metrics.stats.cliffs_delta``)."""

    def __init__(self, amount: np.ndarray):
        self.amount = amount
        self.sorted = np.sort(amount)
        self.ranks = st.rankdata(amount, method="average")     # average ranks depend on the values only
        _, counts = np.unique(amount, return_counts=True)
        t = counts.astype("float64")
        self.tie_term = np.sum(t**3 - t)                        # integers: exact in any order
        self.ties = bool((counts > 1).any())

    def mannwhitney(self, own: np.ndarray, n1: int, n2: int) -> tuple[float, float, str] | None:
        """``scipy.stats.mannwhitneyu(x, rest, alternative="two-sided")`` (scipy 1.17, method "auto"):
        U1 from the ranks of x among all amounts (a sum of half-integers: exact), asymptotic p with the tie
        correction and continuity. None where scipy would use the exact distribution (small, no ties)."""
        if not (n1 > 8 and n2 > 8) and not self.ties:
            return None
        r1 = np.sum(self.ranks[own])
        u1 = r1 - n1 * (n1 + 1) / 2
        u = np.maximum(u1, n1 * n2 - u1)
        n = n1 + n2
        sd = np.sqrt(n1 * n2 / 12 * ((n + 1) - self.tie_term / (n * (n - 1))))
        numerator = u - n1 * n2 / 2
        numerator -= 0.5
        with np.errstate(divide="ignore", invalid="ignore"):
            z = numerator / sd
        p = special.ndtr(-z)
        p *= 2
        return float(u1), float(np.clip(p, 0.0, 1.0)), "mannwhitney"

    def cliffs_delta(self, x: np.ndarray, y: np.ndarray, alpha: float) -> tuple[float, float, float]:
        """``metrics.stats.cliffs_delta(x, y, alpha)`` with x's dominance counts over the rest taken from
        the sorted amounts of everybody minus x's own (integers: the same arrays, the same arithmetic), and
        the rest's column sum of squares over groups of equal d_.j (equal to ~1e-14 relative)."""
        if not (np.isfinite(x).all() and np.isfinite(y).all()):
            return S.cliffs_delta(x, y, alpha)
        S._check_alpha(alpha)
        n1, n2 = len(x), len(y)
        if n1 == 0 or n2 == 0:
            return np.nan, np.nan, np.nan
        xs = np.sort(x)
        a = self.sorted
        y_lt = np.searchsorted(a, x, side="left") - np.searchsorted(xs, x, side="left")
        y_gt = n2 - (np.searchsorted(a, x, side="right") - np.searchsorted(xs, x, side="right"))
        # Σ_j (d_.j − δ)² over the rest without searching each of them in x: d_.j = (#x > y_j − #x < y_j)/n1
        # is the same for every rest amount in one gap between x's distinct values u_k (or equal to one),
        # so it is summed over those groups, their sizes counted in the sorted amounts of everybody
        u_first = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])
        u = xs[u_first]
        cnt = np.diff(np.r_[u_first, n1])
        cum = np.cumsum(cnt)
        lo_u, hi_u = np.searchsorted(a, u, side="left"), np.searchsorted(a, u, side="right")
        at_u = (hi_u - lo_u) - cnt                                   # rest amounts equal to u_k
        gaps = np.r_[lo_u[0], lo_u[1:] - hi_u[:-1], len(a) - hi_u[-1]]   # rest below u_1, between, above
        gap_d = (n1 - 2 * np.r_[0, cum]) / n1                        # gap k: #x below = cum_k, above = n1 − cum_k
        at_d = ((n1 - cum) - (cum - cnt)) / n1

        def dj_squares(d: float) -> float:
            return float((gaps * (gap_d - d) ** 2).sum() + (at_u * (at_d - d) ** 2).sum())

        return S.cliffs_from_counts(x=x, xs=xs, y=y, y_lt=y_lt, y_gt=y_gt, alpha=alpha, dj_squares=dj_squares)


def deal_size_vs_team(*, won: pd.DataFrame, alpha: float = 0.05, adjust: str = "holm", min_n: int = 30,
                      test: str = "mannwhitney", seed: int = 0, n_boot: int = 9999) -> Comparison:
    """Won-deal amounts of each manager vs the rest of the team (skewed data: ranks, medians, bootstrap).

    ``won``: one row per won deal with ``manager`` and ``amount`` (e.g. ``kpi.period_won``). Per manager: n
    won deals; median with the distribution-free order-statistic CI (coverage ≥ 1 − α); mean with a seeded
    BCa bootstrap CI (``scipy.stats.bootstrap``; poor coverage for small skewed samples — show n);
    effect = Cliff's δ = 2U/(n1·n2) − 1 vs the rest with the Feng–Cliff CI (R ``effsize`` defaults);
    p_value = two-sided Mann–Whitney U (scipy default method) or, with ``test="brunnermunzel"``, the
    Brunner–Munzel test (valid when spreads differ); Holm/BH across managers; verdict by the sign of δ;
    n_needed = won deals for 80% power (Noether 1987 formula for Mann–Whitney, rest held at its size).
    Omnibus: Kruskal–Wallis over the managers' amounts. ``n_boot=0`` skips the bootstrap (mean CI NaN).
    """
    _args(alpha, adjust, min_n)
    if test not in TESTS:
        raise DataError("bad_argument", detail=f"test must be one of {TESTS}, got {test!r}")
    _frame(won, ["manager", "amount"], "won")
    amount = _amounts(won, "amount", "won")
    mgr = won["manager"].to_numpy(dtype=object)
    managers = np.array(sorted(pd.unique(mgr)), dtype=object)
    code = pd.Index(managers).get_indexer(mgr)       # manager → position in ``managers`` (same masks, ints)
    groups = [amount[code == i] for i in range(len(managers))]
    ranks = _Ranked(amount)
    rows = []
    for i, (m, x) in enumerate(zip(managers, groups)):
        own = code == i
        y = amount[~own]
        med_lo, med_hi, _ = S.median_interval(x, alpha)
        mean_lo, mean_hi = (S.bootstrap_mean_interval(x, alpha, n_resamples=n_boot,
                                                      seed=np.random.default_rng([seed, i]))
                            if n_boot > 0 else (np.nan, np.nan))
        if len(y):
            fast = ranks.mannwhitney(own, len(x), len(y)) if test == "mannwhitney" else None
            stat, p, used = fast if fast is not None else _two_sample(x, y, test)
        else:
            stat, p, used = np.nan, np.nan, test
        d, dlo, dhi = ranks.cliffs_delta(x, y, alpha)
        rows.append({"manager": m, "n": len(x), "median": float(np.median(x)), "median_ci_low": med_lo,
                     "median_ci_high": med_hi, "mean": float(x.mean()), "mean_ci_low": mean_lo,
                     "mean_ci_high": mean_hi, "rest_n": len(y),
                     "rest_median": float(np.median(y)) if len(y) else np.nan,
                     "rest_mean": float(y.mean()) if len(y) else np.nan, "effect": d, "effect_ci_low": dlo,
                     "effect_ci_high": dhi, "statistic": stat, "p_value": p, "test": used})
    summary = pd.DataFrame(rows, columns=[c for c in DEAL_COLUMNS if c not in ("p_adjusted", "verdict", "n_needed")])
    summary["p_adjusted"] = adjust_vs_team(summary["p_value"].to_numpy(dtype="float64"), adjust)
    summary["verdict"] = verdicts(summary["n"], summary["p_adjusted"], summary["effect"], alpha=alpha, min_n=min_n)
    n_pow = S.n_for_mann_whitney(summary["effect"].to_numpy(dtype="float64"), alpha=alpha,
                                 n_other=summary["rest_n"].to_numpy(dtype="float64"))
    summary["n_needed"] = _n_needed(n_pow, summary["verdict"], min_n)
    summary = summary[DEAL_COLUMNS].astype({"n": "int64", "rest_n": "int64"})
    omni: dict[str, Any] = {"test": "kruskal_wallis", "statistic": np.nan, "p_value": np.nan,
                            "dof": max(len(groups) - 1, 0), "note": ""}
    if len(groups) >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            try:
                r = st.kruskal(*groups)
                omni.update(statistic=float(r.statistic), p_value=float(r.pvalue))
            except ValueError:
                pass
        if not np.isfinite(omni["p_value"]):
            omni["note"] = "all amounts are equal"
    else:
        omni["note"] = "fewer than two managers with won deals"
    omni.update(n=int(len(amount)), n_managers=len(groups), unit="won deals", effect_name="cliffs_delta",
                vs_team_test=test, adjust=adjust)
    return Comparison(summary=summary, omnibus=omni)


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
    _frame(activities, ["manager", "at"], "activities")
    at = pd.to_datetime(activities["at"], errors="coerce")
    if at.isna().any():
        i = int(np.flatnonzero(at.isna().to_numpy())[0])
        raise DataError("bad_date", file="activities", column="at", row=i + 1, value=activities["at"].iloc[i])
    days = pd.date_range(period.start, period.end, freq="D")
    work = days.dayofweek < 5
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
    a = pd.DataFrame({"manager": activities["manager"].to_numpy(dtype=object)[inside], "key": key[day_idx]})
    counts = a.groupby(["manager", "key"]).size()
    grid = pd.MultiIndex.from_product([people, units], names=["manager", "key"])
    c = counts.reindex(grid, fill_value=0).to_numpy(dtype="float64")
    unit_start = dict(zip(units, days[first].date))
    return pd.DataFrame({"manager": grid.get_level_values(0).to_numpy(dtype=object),
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
    """Σ log P(y | μ, α) over a group (``metrics.stats._nb_loglik`` with every μ_i = μ)."""
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


def _nb_rate_test_equal(y1, y2, t0: float, *, alpha_nb: float, alpha: float, ci: bool) -> dict[str, float]:
    """``stats.negbin_rate_test`` for units that all have exposure t0 (same steps, grouped counts)."""
    S._check_alpha(alpha)
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


def _nb_homogeneity_equal(y: np.ndarray, t0: float, groups: np.ndarray, alpha_nb: float) -> dict[str, Any]:
    """``stats.negbin_homogeneity_test(y, t, groups, alpha_nb=...)`` for units that all have exposure t0."""
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


def _activity_model(units: pd.DataFrame, method: str) -> dict[str, Any]:
    disp = S.pearson_dispersion(units["count"], units["exposure"], units["manager"])
    if method == "auto":
        over = bool(np.isfinite(disp["p_value"]) and disp["p_value"] < 0.05)
    else:
        over = method == "negbin"
    out = {"method": "negbin" if over else "poisson", "dispersion_ratio": disp["ratio"],
           "dispersion_p_value": disp["p_value"], "nb_alpha": 0.0}
    if over:
        out["nb_alpha"] = _negbin_alpha(units["count"], units["exposure"], units["manager"])
    return out


def _negbin_alpha(counts, exposure, groups) -> float:
    """``stats.negbin_dispersion(counts, exposure, groups)["alpha"]`` with the same numbers, faster.

    The same statsmodels fit — the same Poisson start, the same BFGS from the same start vector, so the same
    α̂ — without the work whose results the estimate does not use: the Poisson start's Newton iterations
    (with one dummy per manager the Poisson MLE is each manager's log(Σ y/Σ t), taken in closed form: the
    start vector, and so α̂, agree to ~1e-14 relative — the Poisson Hessian cost ~managers³ per iteration,
    8 s at 200 managers × 63 days), the SVD that looks for an implicit
    constant (one dummy per manager always adds up to one: ``hasconst=True`` records exactly what that
    check finds), the QR rank check of a full set of dummies (``check_rank=False``: the same rank), and the
    Hessian / covariance computed after convergence (``skip_hessian``). The steps of statsmodels 0.15's
    ``NegativeBinomial.fit``; anything unexpected falls back to ``stats.negbin_dispersion`` itself.
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


def _rate_compare(y1, t1, y2, t2, model: dict[str, Any], alpha: float, ci: bool = True) -> dict[str, float]:
    if model["method"] == "negbin":
        t0 = _equal_exposure(np.concatenate([np.asarray(t1, dtype="float64"), np.asarray(t2, dtype="float64")]))
        if t0 is not None:
            return _nb_rate_test_equal(np.asarray(y1, dtype="float64"), np.asarray(y2, dtype="float64"), t0,
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
    z = S._z(alpha)
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
    return _activity_model(units, method)


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
    _args(alpha, adjust, min_n)
    if method not in ("auto", "poisson", "negbin"):
        raise DataError("bad_argument", detail=f"method must be auto, poisson or negbin, got {method!r}")
    units = activity_units(activities=activities, period=period, managers=managers, unit=unit)
    omni: dict[str, Any] = {"test": None, "statistic": np.nan, "p_value": np.nan, "dof": 0, "note": "",
                            "unit": "working days", "effect_name": "rate_ratio", "adjust": adjust}
    if units.empty or units["count"].sum() == 0:
        omni["note"] = "no working days or no activities in the period"
        return Comparison(summary=pd.DataFrame(columns=ACTIVITY_COLUMNS), omnibus=omni)
    model = model or _activity_model(units, method)
    mgr = units["manager"].to_numpy(dtype=object)
    y = units["count"].to_numpy(dtype="float64")
    t = units["exposure"].to_numpy(dtype="float64")
    people = sorted(pd.unique(mgr))
    rows = []
    for m in people:
        own = mgr == m
        k, T = y[own].sum(), t[own].sum()
        rk, rT = y[~own].sum(), t[~own].sum()
        r = _rate_compare(y[own], t[own], y[~own], t[~own], model, alpha, ci) if rT > 0 else {
            "p_value": np.nan, "rate_ratio": np.nan, "ci_low": np.nan, "ci_high": np.nan}
        lo, hi = _rate_interval(y[own], t[own], model, alpha)
        d1 = S.pearson_dispersion(y[own], t[own], np.zeros(own.sum()))["ratio"]
        rows.append({"manager": m, "n": int(round(T)), "count": int(k), "rate": k / T, "rate_ci_low": lo,
                     "rate_ci_high": hi, "rest_rate": rk / rT if rT > 0 else np.nan, "dispersion": d1,
                     "effect": r["rate_ratio"], "effect_ci_low": r["ci_low"], "effect_ci_high": r["ci_high"],
                     "p_value": r["p_value"], "method": model["method"], "_units": int(own.sum()),
                     "_rest_units": int((~own).sum()), "_mu1": k / own.sum(),
                     "_mu0": rk / max((~own).sum(), 1)})
    s = pd.DataFrame(rows)
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
    s["n_needed"] = _n_needed(np.ceil(n_units * per_unit), s["verdict"], min_n)
    summary = s[ACTIVITY_COLUMNS].reset_index(drop=True)
    if model["method"] == "negbin":
        t0 = _equal_exposure(t)
        o = (_nb_homogeneity_equal(y, t0, mgr.astype(str), model["nb_alpha"]) if t0 is not None else
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


# --------------------------------------------------------------------------------------------------------
# Funnel plot, shrinkage, lead mix
# --------------------------------------------------------------------------------------------------------

def funnel_data(*, leads: pd.DataFrame, overdispersion: str = "multiplicative", winsor: float = 0.1,
                dispersion_alpha: float = 0.05, grid_points: int = 100) -> Comparison:
    """Funnel plot of conversion against the team rate (Spiegelhalter 2005, Stat Med 24:1185).

    p0 = team rate (Σ won / Σ leads). Limits: exact binomial, interpolated (appendix A.1.1) at 95%
    (q = .025/.975) and 99.8% (q = .001/.999) for each n. Over-dispersion: winsorised z-scores (``winsor``
    per tail), φ = mean z², test Nφ vs χ²(N − 1); when p < ``dispersion_alpha`` the limits are widened:
    ``"multiplicative"`` p0 + √φ·(limit − p0), or ``"additive"`` p0 ± z·sqrt(p0(1 − p0)/n + τ²) (random
    effect τ²), or not at all (``"none"``, with a StatisticalWarning). summary: manager, n, successes, rate, z,
    lower95, upper95, lower998, upper998, outside95, outside998, side ("above"/"below"/"inside", 95%).
    curve: n, lower95, upper95, lower998, upper998 over a grid of n. omnibus: p0, phi, statistic, dof,
    p_value, tau2, overdispersed, limits (method), reason.
    """
    if overdispersion not in ("multiplicative", "additive", "none"):
        raise DataError("bad_argument", detail=f"overdispersion must be multiplicative, additive or none, "
                                               f"got {overdispersion!r}")
    k, n, managers = _binary_counts(leads, "won", "leads")
    N, K = n.sum(), k.sum()
    p0 = K / N if N > 0 else np.nan
    od = S.funnel_overdispersion(k, n, p0, winsor=winsor) if N > 0 else {
        "phi": np.nan, "statistic": np.nan, "dof": 0, "p_value": np.nan, "tau2": np.nan}
    over = bool(np.isfinite(od["p_value"]) and od["p_value"] < dispersion_alpha)
    how = overdispersion if over else "none"
    if over and overdispersion == "none":
        warnings.warn(StatisticalWarning("conversion is over-dispersed between managers; unwidened funnel limits "
                                         "will flag too many", "overdispersed"), stacklevel=2)

    def limits(nn: np.ndarray) -> dict[str, np.ndarray]:
        out = {}
        for name, q in (("lower95", 0.025), ("upper95", 0.975), ("lower998", 0.001), ("upper998", 0.999)):
            if how == "additive":
                s = np.sqrt(p0 * (1 - p0) / nn + od["tau2"])
                lim = np.clip(p0 + st.norm.ppf(q) * s, 0, 1)
            else:
                lim = S.funnel_limits(p0, nn, q)
                if how == "multiplicative":
                    lim = np.clip(p0 + math.sqrt(od["phi"]) * (lim - p0), 0, 1)
            out[name] = lim
        return out

    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / n, np.nan)
        z = (rate - p0) / np.sqrt(p0 * (1 - p0) / n)
    lim = limits(n)
    out95 = (rate < lim["lower95"]) | (rate > lim["upper95"])
    out998 = (rate < lim["lower998"]) | (rate > lim["upper998"])
    side = np.where(rate > lim["upper95"], "above", np.where(rate < lim["lower95"], "below", "inside")).astype(object)
    summary = pd.DataFrame({"manager": managers, "n": n.astype("int64"), "successes": k.astype("int64"),
                            "rate": rate, "z": z, **lim, "outside95": out95, "outside998": out998, "side": side})
    top = max(float(n.max()) * 1.1, 10.0) if len(n) else 10.0
    grid = np.unique(np.round(np.geomspace(1, top, grid_points))).astype("float64")
    curve = pd.DataFrame({"n": grid.astype("int64"), **limits(grid)})
    reason = ""
    if over:
        reason = (f"managers differ more than chance allows (φ = {od['phi']:.2f}, p = {od['p_value']:.3g}); "
                  + ("limits widened by √φ" if how == "multiplicative" else
                     "limits widened by a random effect τ²" if how == "additive" else "limits not widened"))
    omni = {"test": "overdispersion_chi2", "statistic": od["statistic"], "p_value": od["p_value"], "dof": od["dof"],
            "p0": p0, "n": int(N), "n_managers": int((n > 0).sum()), "phi": od["phi"], "tau2": od["tau2"],
            "overdispersed": over, "limits": {"none": "exact_binomial", "multiplicative": "multiplicative_phi",
                                              "additive": "additive_tau2"}[how], "reason": reason}
    return Comparison(summary=summary, omnibus=omni, curve=curve)


def shrunk_conversion(*, leads: pd.DataFrame, alpha: float = 0.05) -> Comparison:
    """Empirical-Bayes (beta-binomial) shrunk conversion, to rank managers without chasing noise.

    Prior Beta(a, b) fitted by maximum likelihood over managers (``scipy.stats.betabinom.logpmf`` +
    ``scipy.optimize.minimize``, :func:`metrics.stats.betabinom_fit`); posterior Beta(k + a, n − k + b),
    shrunk = (k + a)/(n + a + b), equal-tailed 1 − α credible interval. Managers with few leads move most
    towards the team rate. With fewer than 3 managers no prior is fitted (Jeffreys Beta(½, ½), no pooling;
    StatisticalWarning). summary (sorted by rank): manager, n, successes, rate, ci_low, ci_high (Wilson),
    shrunk, cred_low, cred_high, rank (by shrunk, 1 = best), raw_rank. omnibus: the prior.
    """
    S._check_alpha(alpha)
    k, n, managers = _binary_counts(leads, "won", "leads")
    if len(n) >= 3:
        prior = S.betabinom_fit(k, n)
        prior["method"] = "beta-binomial maximum likelihood (empirical Bayes)"
        if prior["full_pooling"]:
            warnings.warn(StatisticalWarning("no variation between managers beyond chance was found: every shrunk "
                                             "rate equals the team rate", "full_pooling"), stacklevel=2)
    else:
        warnings.warn(StatisticalWarning("fewer than 3 managers: no prior fitted, estimates are not shrunk",
                                         "no_prior"), stacklevel=2)
        prior = {"a": 0.5, "b": 0.5, "mean": 0.5, "strength": 1.0, "converged": True, "full_pooling": False,
                 "loglik": np.nan, "method": "Jeffreys prior (too few managers to fit one)"}
    a, b = prior["a"], prior["b"]
    pa, pb = k + a, n - k + b
    lo, hi = S.wilson_interval(k, n, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / n, np.nan)
    s = pd.DataFrame({"manager": managers, "n": n.astype("int64"), "successes": k.astype("int64"), "rate": rate,
                      "ci_low": lo, "ci_high": hi, "shrunk": pa / (pa + pb),
                      "cred_low": st.beta.ppf(alpha / 2, pa, pb), "cred_high": st.beta.ppf(1 - alpha / 2, pa, pb)})
    s["rank"] = s["shrunk"].rank(ascending=False, method="min").astype("int64")
    s["raw_rank"] = s["rate"].rank(ascending=False, method="min").astype("int64")
    s = s.sort_values(["rank", "manager"], kind="stable").reset_index(drop=True)
    return Comparison(summary=s, omnibus={k_: (float(v) if isinstance(v, (float, np.floating)) else v)
                                          for k_, v in prior.items()})


def within_source(*, leads: pd.DataFrame, alpha: float = 0.05, adjust: str = "holm", min_n: int = 30,
                  mix_threshold: float = 0.2) -> Comparison:
    """Each manager vs the rest within lead sources (stratified 2×2 tables), and a lead-mix check.

    Per manager: Mantel–Haenszel common odds ratio (won vs not, manager vs rest) across sources with its
    Robins–Breslow–Greenland CI, and the Cochran–Mantel–Haenszel test with continuity correction
    (statsmodels ``StratifiedTable``; = R ``mantelhaen.test``). Sources where the manager or the rest has no
    lead carry no information and are left out; missing sources count as "unknown". Holm/BH across
    managers; verdict by OR > 1 / < 1. summary: manager, n, n_sources, effect (MH OR), effect_ci_low,
    effect_ci_high, statistic, p_value, p_adjusted, verdict. omnibus (lead mix): chi-square of manager ×
    source (no correction), Cramér's V, ``mix_differs`` = V > ``mix_threshold`` with a plain message.
    """
    from statsmodels.stats.contingency_tables import StratifiedTable

    _args(alpha, adjust, min_n)
    _frame(leads, ["manager", "won"], "leads")
    won = _bool(leads, "won", "leads")
    src = (leads["source"] if "source" in leads.columns else pd.Series(None, index=leads.index, dtype=object))
    src = src.astype(object).where(src.notna(), "unknown").astype(str).to_numpy()
    mgr = leads["manager"].to_numpy(dtype=object)
    tab = pd.crosstab(pd.Series(mgr, name="manager"), [pd.Series(src, name="source"), pd.Series(won, name="won")])
    tab = tab.reindex(columns=pd.MultiIndex.from_product([sorted(set(src)), [True, False]]), fill_value=0)
    rows = []
    for m in tab.index:
        mine = tab.loc[m].to_numpy().reshape(-1, 2)
        rest = tab.drop(index=m).sum(axis=0).to_numpy().reshape(-1, 2)
        keep = (mine.sum(axis=1) > 0) & (rest.sum(axis=1) > 0)
        row = {"manager": m, "n": int(mine[keep].sum()), "n_sources": int(keep.sum()), "effect": np.nan,
               "effect_ci_low": np.nan, "effect_ci_high": np.nan, "statistic": np.nan, "p_value": np.nan}
        if keep.any():
            tables = [np.array([mine[i], rest[i]], dtype="float64") for i in np.flatnonzero(keep)]
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                stt = StratifiedTable(tables)
                res = stt.test_null_odds(correction=True)
                lo, hi = stt.oddsratio_pooled_confint(alpha=alpha)
                row.update(effect=float(stt.oddsratio_pooled), effect_ci_low=float(lo), effect_ci_high=float(hi),
                           statistic=float(res.statistic), p_value=float(res.pvalue))
        rows.append(row)
    s = pd.DataFrame(rows, columns=["manager", "n", "n_sources", "effect", "effect_ci_low", "effect_ci_high",
                                    "statistic", "p_value"])
    s["p_adjusted"] = adjust_vs_team(s["p_value"].to_numpy(dtype="float64"), adjust)
    with np.errstate(divide="ignore", invalid="ignore"):
        direction = np.log(s["effect"].to_numpy(dtype="float64"))
    s["verdict"] = verdicts(s["n"], s["p_adjusted"], direction, alpha=alpha, min_n=min_n)
    mix = pd.crosstab(pd.Series(mgr, name="manager"), pd.Series(src, name="source")).to_numpy()
    omni: dict[str, Any] = {"test": "chi2_lead_mix", "statistic": np.nan, "p_value": np.nan, "dof": 0,
                            "cramers_v": np.nan, "mix_differs": False, "n_sources": int(len(set(src))),
                            "message": "", "effect_name": "mh_odds_ratio", "adjust": adjust}
    if mix.shape[0] >= 2 and mix.shape[1] >= 2:
        r = st.chi2_contingency(mix, correction=False)
        v = S.cramers_v(mix)
        omni.update(statistic=float(r.statistic), p_value=float(r.pvalue), dof=int(r.dof), cramers_v=v,
                    mix_differs=bool(v > mix_threshold))
        omni["message"] = (f"Managers work very different lead sources (Cramér's V = {v:.2f}): compare them "
                           f"within sources, not on overall conversion." if v > mix_threshold else
                           f"Lead sources are spread similarly across managers (Cramér's V = {v:.2f}).")
        if v > mix_threshold:
            warnings.warn(StatisticalWarning(omni["message"], "lead_mix", v=f"{v:.2f}"), stacklevel=2)
    else:
        omni["message"] = "Only one lead source (or one manager): nothing to adjust for."
    return Comparison(summary=s, omnibus=omni)


# --------------------------------------------------------------------------------------------------------
# Two managers side by side
# --------------------------------------------------------------------------------------------------------

def _pair_binary(kpi: str, ka, na, kb, nb, *, alpha: float, min_n: int, unit: str) -> dict[str, Any]:
    pa = ka / na if na > 0 else np.nan
    pb = kb / nb if nb > 0 else np.nan
    lo, hi = S.newcombe_interval(ka, na, kb, nb, alpha)
    h = float(S.cohens_h(pa, pb))
    p = float(st.fisher_exact([[ka, na - ka], [kb, nb - kb]]).pvalue) if na > 0 and nb > 0 else np.nan
    v = verdicts(min(na, nb), p, pa - pb, alpha=alpha, min_n=min_n)
    need = _n_needed(S.n_for_cohens_h(h, alpha=alpha), v, min_n)
    return {"kpi": kpi, "a_value": pa, "b_value": pb, "diff": pa - pb, "ci_low": float(lo), "ci_high": float(hi),
            "effect": h, "effect_name": "cohens_h", "effect_ci_low": np.nan, "effect_ci_high": np.nan,
            "p_value": p, "verdict": str(v), "n_a": int(na), "n_b": int(nb),
            "n_needed": float(need), "unit": unit, "test": "fisher_exact"}


def pair_comparison(*, deals: pd.DataFrame, activities: pd.DataFrame | None = None, period: Period, a: str, b: str,
                    alpha: float = 0.05, min_n: int = 30, test: str = "mannwhitney", seed: int = 0,
                    n_boot: int = 9999, unit: str = "day", method: str = "auto", plans: pd.DataFrame | None = None,
                    default_target: float | None = None, overrides: dict[str, float] | None = None,
                    model: dict[str, Any] | None = None) -> pd.DataFrame:
    """Manager a vs manager b on every KPI: one row per KPI (verdict "above" = a above b).

    ``model``: the result of :func:`activity_model` for the same activities, period, unit and method (with
    the managers of the period's leads, won deals and activities) — skips refitting it.

    conversion / retention_rate (and plan_hit_share when ``plans`` is given): diff of proportions with
    Newcombe's CI, Cohen's h, Fisher exact p; n_needed = 2·((z_{1−α/2} + z_{0.8})/h)² per manager
    (``pwr.2p.test``). avg_deal: a/b values are mean deal sizes (the KPI), diff = mean difference with a
    seeded two-sample BCa bootstrap CI; effect = Cliff's δ (Feng–Cliff CI); p = Mann–Whitney U (or
    Brunner–Munzel) — note the CI is for means and the test for ranks; n_needed by Noether's formula.
    activities_per_day: diff = rate difference per working day (Wald CI with the Poisson/NB variance), effect
    = rate ratio with CI; p = exact Poisson test or NB likelihood-ratio test (dispersion judged on the whole
    team); n_needed in working days. min_n applies to both managers (the smaller n). p-values are not
    adjusted across KPIs (each KPI is its own question). Columns: PAIR_COLUMNS.
    """
    _args(alpha, "holm", min_n)
    if a == b:
        raise DataError("bad_argument", detail="choose two different managers")
    leads = period_leads(deals=deals, period=period)
    won = period_won(deals=deals, period=period)
    acts = period_activities(activities=activities, period=period) if activities is not None else None
    cust = retention_customers(deals=deals, period=period)
    seen = set(leads["manager"]) | set(won["manager"]) | set(cust["manager"]) | (
        set(acts["manager"]) if acts is not None else set())
    for who in (a, b):
        if who not in seen:
            raise DataError("bad_argument", detail=f"manager {who!r} has no data in {period.label()}")
    rows = []

    def counts(df, col, who):
        x = df.loc[df["manager"] == who, col]
        return float(x.sum()), float(len(x))

    ka, na = counts(leads, "won", a)
    kb, nb = counts(leads, "won", b)
    rows.append(_pair_binary("conversion", ka, na, kb, nb, alpha=alpha, min_n=min_n, unit="leads"))

    xa = won.loc[won["manager"] == a, "amount"].to_numpy(dtype="float64")
    xb = won.loc[won["manager"] == b, "amount"].to_numpy(dtype="float64")
    row = {"kpi": "avg_deal", "a_value": xa.mean() if len(xa) else np.nan, "b_value": xb.mean() if len(xb) else np.nan,
           "effect_name": "cliffs_delta", "n_a": len(xa), "n_b": len(xb), "unit": "won deals", "test": test}
    row["diff"] = row["a_value"] - row["b_value"]
    if len(xa) and len(xb):
        row["ci_low"], row["ci_high"] = S.bootstrap_mean_diff_interval(xa, xb, alpha, n_resamples=n_boot, seed=seed)
        row["effect"], row["effect_ci_low"], row["effect_ci_high"] = S.cliffs_delta(xa, xb, alpha)
        _, row["p_value"], row["test"] = _two_sample(xa, xb, test)
    else:
        row.update(ci_low=np.nan, ci_high=np.nan, effect=np.nan, effect_ci_low=np.nan, effect_ci_high=np.nan,
                   p_value=np.nan)
    v = verdicts(min(len(xa), len(xb)), row["p_value"], row["effect"], alpha=alpha, min_n=min_n)
    row["verdict"] = str(v)
    row["n_needed"] = float(_n_needed(S.n_for_mann_whitney(row["effect"], alpha=alpha), v, min_n))
    rows.append(row)

    if acts is not None:
        managers = sorted(set(leads["manager"]) | set(won["manager"]) | set(acts["manager"]))
        units = activity_units(activities=acts, period=period, managers=managers, unit=unit)
        row = {"kpi": "activities_per_day", "effect_name": "rate_ratio", "unit": "working days"}
        if units.empty or units["count"].sum() == 0:
            row.update(a_value=np.nan, b_value=np.nan, diff=np.nan, ci_low=np.nan, ci_high=np.nan, effect=np.nan,
                       effect_ci_low=np.nan, effect_ci_high=np.nan, p_value=np.nan, n_a=0, n_b=0, test=None)
            mu_a = mu_b = np.nan
            model = {"nb_alpha": 0.0}
        else:
            model = model or _activity_model(units, method)
            ua, ub = units[units["manager"] == a], units[units["manager"] == b]
            ya, ta = ua["count"].to_numpy(dtype="float64"), ua["exposure"].to_numpy(dtype="float64")
            yb, tb = ub["count"].to_numpy(dtype="float64"), ub["exposure"].to_numpy(dtype="float64")
            ra, rb = ya.sum() / ta.sum(), yb.sum() / tb.sum()
            r = _rate_compare(ya, ta, yb, tb, model, alpha)
            # Var(rate) = Σ Var(y_j)/T², Var(y_j) = μ_j + α·μ_j² (NB2; α = 0 for Poisson)
            var = sum((rr * tt + model["nb_alpha"] * (rr * tt) ** 2).sum() / tt.sum() ** 2
                      for rr, tt in ((ra, ta), (rb, tb)))
            half = S._z(alpha) * math.sqrt(var)
            row.update(a_value=ra, b_value=rb, diff=ra - rb, ci_low=ra - rb - half, ci_high=ra - rb + half,
                       effect=r["rate_ratio"], effect_ci_low=r["ci_low"], effect_ci_high=r["ci_high"],
                       p_value=r["p_value"], n_a=int(round(ta.sum())), n_b=int(round(tb.sum())),
                       test="negbin_lr" if model["method"] == "negbin" else "poisson_exact")
            mu_a, mu_b = ya.mean(), yb.mean()
        with np.errstate(divide="ignore", invalid="ignore"):
            direction = np.log(row["effect"]) if row["effect"] and np.isfinite(row["effect"]) else row["diff"]
        v = verdicts(min(row["n_a"], row["n_b"]), row["p_value"], direction, alpha=alpha, min_n=min_n)
        row["verdict"] = str(v)
        n_units = S.n_for_rate_ratio(row["effect"], mu1=mu_a, mu0=mu_b, dispersion=model["nb_alpha"], alpha=alpha)
        per_unit = float(units["exposure"].mean()) if not units.empty else 1.0
        row["n_needed"] = float(_n_needed(np.ceil(n_units * per_unit), v, min_n))
        rows.append(row)

    ka, na = counts(cust, "retained", a)
    kb, nb = counts(cust, "retained", b)
    rows.append(_pair_binary("retention_rate", ka, na, kb, nb, alpha=alpha, min_n=min_n, unit="customers"))

    if plans is not None:
        mp = monthly_plan(deals=deals, plans=plans, period=period, default_target=default_target, overrides=overrides)
        share = plan_hit_share(monthly=mp, alpha=alpha).set_index("manager")
        get = lambda who: (float(share.loc[who, "hits"]), float(share.loc[who, "months"])) if who in share.index \
            else (0.0, 0.0)  # noqa: E731
        (ka, na), (kb, nb) = get(a), get(b)
        rows.append(_pair_binary("plan_hit_share", ka, na, kb, nb, alpha=alpha, min_n=min_n, unit="months"))
    return pd.DataFrame(rows)[PAIR_COLUMNS]


# --------------------------------------------------------------------------------------------------------
# The report's "tests" block
# --------------------------------------------------------------------------------------------------------

def _plain(v: Any) -> Any:
    """numpy/pandas scalars → float/int/str/bool/None; NaN and ±inf → None."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v) if math.isfinite(float(v)) else None
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    return str(v)


def _block(res: Comparison, *, estimate: str, ci: tuple[str, str], estimate_name: str, effect_name: str) -> dict:
    keys = ("test", "statistic", "p_value", "dof", "note", "n", "n_managers")
    omni = {k: _plain(res.omnibus.get(k)) for k in keys}
    omni["note"] = omni["note"] or ""
    if omni["dof"] is not None:
        omni["dof"] = int(omni["dof"])
    rows = []
    for r in res.summary.to_dict("records"):
        rows.append({"manager": _plain(r["manager"]), "p_value": _plain(r["p_value"]),
                     "p_adjusted": _plain(r["p_adjusted"]), "effect": _plain(r["effect"]),
                     "verdict": str(r["verdict"]), "n": _plain(r["n"]), "estimate": _plain(r[estimate]),
                     "estimate_name": estimate_name, "ci_low": _plain(r[ci[0]]), "ci_high": _plain(r[ci[1]]),
                     "effect_name": effect_name,
                     "n_needed": None if _plain(r["n_needed"]) is None else int(r["n_needed"])})
    return {"omnibus": omni, "vs_team": rows}


def comparison_tests(*, deals: pd.DataFrame, activities: pd.DataFrame | None = None, period: Period,
                     alpha: float = 0.05, adjust: str = "holm", min_n: int = 30, seed: int = 0) -> dict:
    """The report's "tests" block: per KPI an omnibus test and each manager vs the rest of the team.

    Returns ``{"conversion" | "avg_deal" | "activities" | "retention": {"omnibus": {test, statistic, p_value,
    dof, note, n, n_managers}, "vs_team": [{manager, p_value, p_adjusted, effect, verdict, n, estimate,
    estimate_name, ci_low, ci_high, effect_name, n_needed}, ...]}}`` with plain Python values (NaN → None),
    JSON-serialisable. conversion/retention: chi-square (or Monte Carlo Fisher–Freeman–Halton) + Fisher,
    Cohen's h; avg_deal: Kruskal–Wallis + Mann–Whitney, Cliff's δ, estimate = median; activities: Poisson or
    negative binomial (see :func:`activity_vs_team`), rate ratio, estimate = per working day. Without
    ``activities`` the activities block has test None and an empty vs_team list.
    """
    _args(alpha, adjust, min_n)
    common = {"alpha": alpha, "adjust": adjust, "min_n": min_n}
    leads = period_leads(deals=deals, period=period)
    won = period_won(deals=deals, period=period)
    out = {
        "conversion": _block(conversion_vs_team(leads=leads, seed=seed, **common), estimate="rate",
                             ci=("ci_low", "ci_high"), estimate_name="conversion", effect_name="cohens_h"),
        "avg_deal": _block(deal_size_vs_team(won=won, seed=seed, n_boot=0, **common), estimate="median",
                           ci=("median_ci_low", "median_ci_high"), estimate_name="median_deal",
                           effect_name="cliffs_delta"),
    }
    if activities is not None:
        acts = period_activities(activities=activities, period=period)
        managers = sorted(set(leads["manager"]) | set(won["manager"]) | set(acts["manager"]))
        res = activity_vs_team(activities=acts, period=period, managers=managers, **common)
        out["activities"] = _block(res, estimate="rate", ci=("rate_ci_low", "rate_ci_high"),
                                   estimate_name="activities_per_day", effect_name="rate_ratio")
    else:
        out["activities"] = {"omnibus": {"test": None, "statistic": None, "p_value": None, "dof": None,
                                         "note": "no activity data", "n": 0, "n_managers": 0}, "vs_team": []}
    out["retention"] = _block(retention_vs_team(customers=retention_customers(deals=deals, period=period),
                                                seed=seed, **common),
                              estimate="rate", ci=("ci_low", "ci_high"), estimate_name="retention_rate",
                              effect_name="cohens_h")
    return out


__all__ = ["Comparison", "VERDICTS", "verdicts", "adjust_vs_team", "conversion_vs_team", "retention_vs_team", "plan_hit_share",
           "monthly_plan", "deal_size_vs_team", "activity_units", "activity_vs_team", "funnel_data",
           "shrunk_conversion", "within_source", "pair_comparison", "comparison_tests"]
