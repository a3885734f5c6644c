"""Every fast twin of a plain computation, checked against the plain path on the same data.

* ``kpi.monthly_aggregates`` (one pass over the rows for many months) vs ``kpi.kpi_aggregates`` month by
  month — on the bundled sample data here; the tiny hand frame is in ``tests/test_kpi.py``
  (``test_monthly_aggregates_equal_month_by_month``) and repeated below for the scorecards.
* The activity comparison's negative-binomial engine (``metrics.compare.activity``): ``negbin_alpha`` vs
  statsmodels' ``NegativeBinomial`` fit, ``nb_rate_test_equal_exposure`` and ``nb_homogeneity_equal_exposure``
  vs statsmodels' NB GLM with the dispersion held fixed (likelihood-ratio statistic, rate ratio, p-value).
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from metrics import kpi
from metrics import stats as S
from metrics.compare import activity as A
from metrics.loading import load_paths
from metrics.periods import month, quarter

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample():
    d = ROOT / "sample_data"
    return load_paths(deals=[str(d / "deals.csv")], activities=[str(d / "activities.csv")],
                      plans=[str(d / "plans.csv")])


def same_aggregates(a: kpi.Aggregates, b: kpi.Aggregates) -> None:
    assert a.period == b.period and a.team == b.team and a.notes == b.notes
    assert a.has_activities == b.has_activities
    for name in ("leads", "won", "acts", "ret"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


def test_monthly_aggregates_equal_kpi_aggregates_on_the_sample_data(sample):
    months = kpi.last_months(month(2026, 9), 12)
    for acts in (sample.activities, None):
        fast = kpi.monthly_aggregates(deals=sample.deals, months=months, activities=acts)
        assert [a.period for a in fast] == months
        for agg, m in zip(fast, months):
            plain = kpi.kpi_aggregates(deals=sample.deals, period=m, activities=acts)
            same_aggregates(agg, plain)
            pd.testing.assert_frame_equal(kpi.scorecard_from(agg, plans=sample.plans).table(),
                                          kpi.compute_kpis(deals=sample.deals, period=m, activities=acts,
                                                           plans=sample.plans).table(), check_exact=True)
    # the data really has something in those months (a comparison of empty frames proves nothing)
    assert sum(int(a.leads.shape[0]) for a in fast) > 100


def test_monthly_kpis_on_the_tiny_frame_equal_the_plain_cards_and_the_hand_counts(tiny):
    """January 2025 of the tiny frame by hand: leads (created in January) A = deals 1, 2; B = 4; C = 6;
    won and closed in January: A deal 1 (100), B deal 5 (400, closed 2025-01-01 00:00)."""
    deals, acts, plans = tiny
    months = [month(2024, 12), month(2025, 1)]
    fast = [kpi.scorecard_from(a, plans=plans)
            for a in kpi.monthly_aggregates(deals=deals, months=months, activities=acts)]
    for card, m in zip(fast, months):
        plain = kpi.compute_kpis(deals=deals, period=m, activities=acts, plans=plans)
        pd.testing.assert_frame_equal(card.table(), plain.table(), check_exact=True)
    jan = fast[1].managers.set_index("manager")
    assert jan.loc[["A", "B", "C"], "leads"].tolist() == [2, 1, 1]
    assert jan.loc[["A", "B"], "revenue"].tolist() == [100.0, 400.0]
    assert int(fast[1].team["leads"].iloc[0]) == 4


def overdispersed(seed: int = 7, managers: int = 5, days: int = 40):
    rng = np.random.default_rng(seed)
    means = rng.uniform(2.0, 9.0, managers)
    size = 1.5                                             # α = 1/size ≈ 0.67: clearly over-dispersed
    y = np.concatenate([rng.negative_binomial(size, size / (size + m), days) for m in means]).astype("float64")
    g = np.repeat([f"m{i}" for i in range(managers)], days)
    return y, np.ones_like(y), g


def statsmodels_alpha(y, t, g) -> float:
    from statsmodels.discrete.discrete_model import NegativeBinomial

    levels = np.unique(g)
    X = (g[:, None] == levels[None, :]).astype("float64")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(NegativeBinomial(y, X, exposure=t).fit(disp=0, maxiter=200).params[-1])


def nb_glm_llf(y, t, X, alpha_nb: float):
    import statsmodels.api as sm

    fit = sm.GLM(y, X, family=sm.families.NegativeBinomial(alpha=alpha_nb), offset=np.log(t)).fit(tol=1e-12)
    return fit.llf, fit.params


def test_negbin_alpha_equals_the_statsmodels_fit():
    y, t, g = overdispersed()
    plain = statsmodels_alpha(y, t, g)
    assert 0.2 < plain < 2.0
    assert A.negbin_alpha(y, t, g) == pytest.approx(plain, rel=1e-6)
    assert A.negbin_alpha(y, t, g) == pytest.approx(S.negbin_dispersion(y, t, g)["alpha"], rel=1e-6)


def test_negbin_alpha_equals_the_statsmodels_fit_on_the_sample_activities(sample):
    units = A.activity_units(activities=sample.activities, period=quarter(2026, 3))
    y, t, g = (units[c].to_numpy() for c in ("count", "exposure", "manager"))
    assert len(units) > 100 and y.sum() > 0
    assert A.negbin_alpha(y, t, g) == pytest.approx(S.negbin_dispersion(y, t, g)["alpha"], rel=1e-6)


def test_equal_exposure_rate_test_equals_the_statsmodels_glm():
    y, t, g = overdispersed()
    a = 0.6
    y1, y2 = y[g == "m0"], y[g != "m0"]
    fast = A.nb_rate_test_equal_exposure(y1, y2, 1.0, alpha_nb=a, alpha=0.05, ci=True)
    yy = np.concatenate([y1, y2])
    x = np.r_[np.ones(len(y1)), np.zeros(len(y2))]
    llf_full, params = nb_glm_llf(yy, np.ones_like(yy), np.column_stack([np.ones_like(yy), x]), a)
    llf_null, _ = nb_glm_llf(yy, np.ones_like(yy), np.ones((len(yy), 1)), a)
    lr = 2 * (llf_full - llf_null)
    assert fast["statistic"] == pytest.approx(lr, rel=1e-7)
    assert fast["rate_ratio"] == pytest.approx(np.exp(params[1]), rel=1e-9)
    assert fast["p_value"] == pytest.approx(st.chi2.sf(lr, 1), rel=1e-6)
    plain = S.negbin_rate_test(y1, np.ones_like(y1), y2, np.ones_like(y2), alpha_nb=a, alpha=0.05, ci=True)
    for key in ("statistic", "rate_ratio", "p_value", "ci_low", "ci_high"):
        assert fast[key] == pytest.approx(plain[key], rel=1e-7), key


def test_equal_exposure_homogeneity_test_equals_the_statsmodels_glm():
    y, t, g = overdispersed()
    a = 0.6
    fast = A.nb_homogeneity_equal_exposure(y, 1.0, g, a)
    levels = np.unique(g)
    X = (g[:, None] == levels[None, :]).astype("float64")
    llf_full, _ = nb_glm_llf(y, t, X, a)
    llf_null, _ = nb_glm_llf(y, t, np.ones((len(y), 1)), a)
    lr = 2 * (llf_full - llf_null)
    assert fast["dof"] == len(levels) - 1
    assert fast["statistic"] == pytest.approx(lr, rel=1e-7)
    assert fast["p_value"] == pytest.approx(st.chi2.sf(lr, len(levels) - 1), rel=1e-6)
    plain = S.negbin_homogeneity_test(y, t, g, alpha_nb=a)
    assert fast["statistic"] == pytest.approx(plain["statistic"], rel=1e-9)
