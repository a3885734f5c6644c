"""The vs-team Fisher exact tests (``metrics.compare.proportions.fisher_two_sided``, issue #17): the same
floats as ``scipy.stats.fisher_exact(table).pvalue`` on every table — random small and large tables, zeros,
symmetric tables (exact ties, scipy's ``1 + 1e-14`` rule), manager-vs-team tables of 10⁵ leads — with the
ratio shortcut doing the work and scipy's own steps only for the tables at a tie or underflowing."""
from __future__ import annotations

import numpy as np
import pytest
import scipy.stats as st

from metrics.compare import proportions as P


def scipy_p(tables: np.ndarray) -> np.ndarray:
    return np.array([st.fisher_exact([[a, b], [c, d]]).pvalue for a, b, c, d in tables])


@pytest.fixture
def scipy_steps(monkeypatch):
    """Counts the tables sent to scipy's own steps (``fisher_scipy_steps``)."""
    sent: list[int] = []
    orig = P.fisher_scipy_steps

    def spy(*cols):
        sent.append(len(cols[0]))
        return orig(*cols)

    monkeypatch.setattr(P, "fisher_scipy_steps", spy)
    return sent


def random_tables(seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    rows = [rng.integers(0, size + 1, 4) for size in (1, 3, 8, 20, 60, 300, 3000) for _ in range(120)]
    for _ in range(100):                              # symmetric: rows or columns equal (exact ties)
        u, v = rng.integers(0, 30, 2)
        rows += [np.array([u, v, v, u]), np.array([u, v, u, v]), np.array([u, u, v, v])]
    for _ in range(120):                              # one manager vs the rest of a big team
        n1, n2, p = rng.integers(1, 3000), rng.integers(1000, 200_000), rng.uniform(0.001, 0.9)
        a, c = rng.binomial(n1, min(1.0, p * rng.uniform(0.5, 1.5))), rng.binomial(n2, p)
        rows.append(np.array([a, n1 - a, c, n2 - c]))
    return np.array(rows)


@pytest.mark.parametrize("seed", [1, 2])
def test_fisher_p_values_are_scipys_floats(seed, scipy_steps):
    tables = random_tables(seed)
    got = P.fisher_two_sided(*tables.T)
    assert np.array_equal(got, scipy_p(tables))       # the same floats, not merely close
    assert 0 < sum(scipy_steps) < len(tables) / 3     # ties go to scipy's steps, most tables do not


def test_fisher_edge_tables():
    """Zeros in a row, a column, a cell; the table at the mode (p = 1); the extreme tables; 1×n."""
    tables = np.array([[0, 0, 0, 0], [0, 0, 3, 4], [3, 4, 0, 0], [0, 5, 0, 7], [5, 0, 7, 0], [0, 5, 5, 0],
                       [5, 0, 0, 5], [1, 0, 0, 0], [0, 1, 1, 0], [10, 10, 10, 10], [3, 1, 1, 3], [1, 3, 3, 1],
                       [0, 10, 10, 0], [20, 0, 0, 20], [1, 1, 1, 2], [2, 1, 1, 1], [0, 1, 1000, 1],
                       [1000, 1, 0, 1]])
    assert np.array_equal(P.fisher_two_sided(*tables.T), scipy_p(tables))
    assert P.fisher_two_sided(*np.array([[10, 10, 10, 10]]).T)[0] == 1.0


def test_fisher_ties_at_scipys_tolerance_take_scipys_steps(scipy_steps):
    """[[3, 1], [1, 3]]: pmf(0) = pmf(4) and pmf(1) = pmf(3) exactly — a tie scipy counts in (its
    ``pmf(x) ≤ pmf(a)·(1 + 1e-14)``): p = (1 + 16 + 16 + 1) / 70 = 34/70, and the table goes to scipy's steps."""
    p = P.fisher_two_sided(np.array([3]), np.array([1]), np.array([1]), np.array([3]))
    assert p[0] == pytest.approx(34 / 70, rel=1e-14) and p[0] == st.fisher_exact([[3, 1], [1, 3]]).pvalue
    assert scipy_steps == [1]


def test_fisher_big_team_tables_need_no_scipy_steps(scipy_steps):
    """200 managers of a 10⁵-lead team (the 1M-deal benchmark's shape): every table by the ratio shortcut,
    each p-value scipy's float (the old code called boost's pmf ~40 times per table)."""
    rng = np.random.default_rng(5)
    n = rng.integers(140, 1200, 200)
    k = rng.binomial(n, rng.uniform(0.2, 0.3, 200))
    N, K = n.sum(), k.sum()
    tables = np.column_stack([k, n - k, K - k, N - n - (K - k)])
    got = P.fisher_two_sided(*tables.T)
    assert scipy_steps == []
    assert np.array_equal(got, scipy_p(tables))
    assert np.array_equal(got, P.fisher_scipy_steps(*tables.T))


def test_fisher_underflowing_tables_take_scipys_steps(scipy_steps):
    """A manager far from the team (pmf(a) / pmf(mode) < 1e-250): scipy's steps, scipy's float (tiny or 0)."""
    tables = np.array([[1190, 10, 20_000, 80_000], [0, 1200, 40_000, 60_000], [600, 600, 20_000, 80_000]])
    got = P.fisher_two_sided(*tables.T)
    assert np.array_equal(got, scipy_p(tables))
    assert sum(scipy_steps) == 2 and got[0] < 1e-250 and 0 < got[2] < 1e-100
