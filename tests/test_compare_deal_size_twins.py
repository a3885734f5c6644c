"""Average deal size vs the team (issue #17 speed): the shortcuts give the plain functions' floats — each
rest median from the sorted amounts of everybody (no sort per manager), the median intervals of all
managers in one binomial call, one t quantile for every manager."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics import stats as S
from metrics.compare import deal_size_vs_team
from metrics.compare.deal_size import Ranked, sorted_median


def amounts(seed: int, n: int = 3000, managers: int = 25) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    amount = np.round(rng.lognormal(8, 1, n), -2)          # rounded: many ties
    amount[rng.random(n) < 0.05] = 0.0
    sizes = rng.integers(1, 40, managers)
    mgr = rng.choice([f"m{i:02d}" for i in range(managers)], n, p=sizes / sizes.sum())
    return pd.DataFrame({"manager": mgr, "amount": amount})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_rest_medians_and_median_intervals_are_the_plain_ones(seed):
    won = amounts(seed)
    a = won["amount"].to_numpy()
    ranks = Ranked(a)
    groups = [a[won["manager"].to_numpy() == m] for m in sorted(set(won["manager"]))]
    for x in groups:                                   # a partition of the amounts: the rest is the others
        rest = np.concatenate([g for g in groups if g is not x])
        assert ranks.rest_median(np.sort(x)) == np.median(rest)
        assert sorted_median(np.sort(x)) == np.median(x)
    samples = groups + [np.array([]), *(a[:k].copy() for k in (1, 2, 5, 6))]      # empty and tiny ones
    lo, hi, cov = S.median_intervals([np.sort(x) for x in samples], 0.05)
    for i, x in enumerate(samples):
        assert np.array_equal([lo[i], hi[i], cov[i]], S.median_interval(x, 0.05), equal_nan=True)
    assert np.isnan(lo[-5:-1]).all() and not np.isnan(lo[-1])     # n ≤ 5: no interval at 95%; n = 6: one


def test_deal_size_table_equals_the_plain_computation():
    won = amounts(3)
    s = deal_size_vs_team(won=won, n_boot=0).summary.set_index("manager")
    a, mgr = won["amount"].to_numpy(), won["manager"].to_numpy()
    for m in s.index:
        x, y = a[mgr == m], a[mgr != m]
        lo, hi, _ = S.median_interval(x, 0.05)
        d, dlo, dhi = S.cliffs_delta(x, y, 0.05)
        row = s.loc[m]
        assert (row["median"], row["rest_median"], row["mean"], row["rest_mean"]) == (
            np.median(x), np.median(y), x.mean(), y.mean())
        assert np.array_equal([row["median_ci_low"], row["median_ci_high"]], [lo, hi], equal_nan=True)
        assert row["effect"] == pytest.approx(d, rel=1e-12)
        assert np.allclose([row["effect_ci_low"], row["effect_ci_high"]], [dlo, dhi], rtol=1e-12, atol=0,
                           equal_nan=True)
