"""Average deal size vs the rest of the team (median, mean, rank tests, Cliff's delta)."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import special
from scipy import stats as st

from .. import stats as S
from ..errors import DataError, StatisticalWarning
from .shared import Comparison, adjust_vs_team, check_amounts, check_frame, check_test_args, fill_n_needed, verdicts
from ..frames import rows_frame


TESTS = ("mannwhitney", "brunnermunzel")
DEAL_COLUMNS = ["manager", "n", "median", "median_ci_low", "median_ci_high", "mean", "mean_ci_low",
                "mean_ci_high", "rest_n", "rest_median", "rest_mean", "effect", "effect_ci_low",
                "effect_ci_high", "statistic", "p_value", "p_adjusted", "verdict", "n_needed", "test"]


# --------------------------------------------------------------------------------------------------------
# Average deal size
# --------------------------------------------------------------------------------------------------------

def two_sample_test(x: np.ndarray, y: np.ndarray, test: str) -> tuple[float, float, str]:
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


def sorted_median(xs: np.ndarray) -> float:
    """``np.median`` of a sorted sample: the middle value, or the mean of the two middle values."""
    n = len(xs)
    if n == 0:
        return np.nan
    return float(xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2)


class Ranked:
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

    def rest_median(self, xs: np.ndarray) -> float:
        """``np.median`` of the amounts without x (``xs``: x sorted, a part of the amounts) without sorting
        them: the k-th of the rest is the k-th of the sorted amounts of everybody skipping x's values (for
        each value of x, its first occurrences), found by counting x's positions before it."""
        a = self.sorted
        n2 = len(a) - len(xs)
        if n2 <= 0:
            return np.nan
        if not len(xs):
            return sorted_median(a)
        start = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]])             # runs of equal values in xs
        within = np.arange(len(xs)) - np.repeat(start, np.diff(np.r_[start, len(xs)]))
        skipped = np.searchsorted(a, xs, side="left") + within              # ascending, distinct
        before = skipped - np.arange(len(xs))                                # rest amounts before each

        def kth(k: int) -> float:
            return a[k + int(np.searchsorted(before, k, side="right"))]

        m = n2 // 2
        return float(kth(m) if n2 % 2 else (kth(m - 1) + kth(m)) / 2)

    def cliffs_delta(self, x: np.ndarray, y: np.ndarray, alpha: float,
                     xs: np.ndarray | None = None) -> tuple[float, float, float]:
        """``metrics.stats.cliffs_delta(x, y, alpha)`` with x's dominance counts over the rest taken from
        the sorted amounts of everybody minus x's own (integers: the same arrays, the same arithmetic), and
        the rest's column sum of squares over groups of equal d_.j (equal to ~1e-14 relative)."""
        if not (np.isfinite(x).all() and np.isfinite(y).all()):
            return S.cliffs_delta(x, y, alpha)
        S.check_alpha(alpha)
        n1, n2 = len(x), len(y)
        if n1 == 0 or n2 == 0:
            return np.nan, np.nan, np.nan
        xs = np.sort(x) if xs is None else xs
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
    check_test_args(alpha, adjust, min_n)
    if test not in TESTS:
        raise DataError("bad_argument", detail=f"test must be one of {TESTS}, got {test!r}")
    check_frame(won, ["manager", "amount"], "won")
    amount = check_amounts(won, "amount", "won")
    mgr = won["manager"].to_numpy(dtype=object)
    managers = np.array(sorted(pd.unique(mgr)), dtype=object)
    code = pd.Index(managers).get_indexer(mgr)       # manager → position in ``managers`` (same masks, ints)
    groups = [amount[code == i] for i in range(len(managers))]
    ranks = Ranked(amount)
    ordered = [np.sort(x) for x in groups]
    med_lo, med_hi, _ = S.median_intervals(ordered, alpha)     # the binomial quantiles of all sizes at once
    rows = []
    for i, (m, x, xs) in enumerate(zip(managers, groups, ordered)):
        own = code == i
        y = amount[~own]
        mean_lo, mean_hi = (S.bootstrap_mean_interval(x, alpha, n_resamples=n_boot,
                                                      seed=np.random.default_rng([seed, i]))
                            if n_boot > 0 else (np.nan, np.nan))
        if len(y):
            fast = ranks.mannwhitney(own, len(x), len(y)) if test == "mannwhitney" else None
            stat, p, used = fast if fast is not None else two_sample_test(x, y, test)
        else:
            stat, p, used = np.nan, np.nan, test
        d, dlo, dhi = ranks.cliffs_delta(x, y, alpha, xs=xs)
        rows.append({"manager": m, "n": len(x), "median": sorted_median(xs), "median_ci_low": med_lo[i],
                     "median_ci_high": med_hi[i], "mean": float(x.mean()), "mean_ci_low": mean_lo,
                     "mean_ci_high": mean_hi, "rest_n": len(y),
                     "rest_median": ranks.rest_median(xs) if len(y) else np.nan,
                     "rest_mean": float(y.mean()) if len(y) else np.nan, "effect": d, "effect_ci_low": dlo,
                     "effect_ci_high": dhi, "statistic": stat, "p_value": p, "test": used})
    summary = rows_frame(rows, columns=[c for c in DEAL_COLUMNS if c not in ("p_adjusted", "verdict", "n_needed")])
    summary["p_adjusted"] = adjust_vs_team(summary["p_value"].to_numpy(dtype="float64"), adjust)
    summary["verdict"] = verdicts(summary["n"], summary["p_adjusted"], summary["effect"], alpha=alpha, min_n=min_n)
    n_pow = S.n_for_mann_whitney(summary["effect"].to_numpy(dtype="float64"), alpha=alpha,
                                 n_other=summary["rest_n"].to_numpy(dtype="float64"))
    summary["n_needed"] = fill_n_needed(n_pow, summary["verdict"], min_n)
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
