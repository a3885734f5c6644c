"""Building blocks in metrics/stats/ against published values (/work/shared/notes/reference-values.json)."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from metrics import stats as S
from metrics.errors import DataError, StatisticalWarning


# ---------------------------------------------------------------------------------------------- proportions

def test_newcombe_hybrid_score_table_ii():
    """Newcombe (1998b) Stat Med 17:873, Table II, method 10, examples (a)–(h) (reference vector 2)."""
    cases = [(56, 70, 48, 80), (9, 10, 3, 10), (6, 7, 2, 7), (5, 56, 0, 29), (0, 10, 0, 20), (0, 10, 0, 10),
             (10, 10, 0, 20), (10, 10, 0, 10)]
    expected = [0.0524, 0.3339, 0.1705, 0.809, 0.0582, 0.8062, -0.0381, 0.1926, -0.1611, 0.2775, -0.2775,
                0.2775, 0.6791, 1.0, 0.6075, 1.0]
    k1, n1, k2, n2 = np.array(cases).T
    lo, hi = S.newcombe_interval(k1, n1, k2, n2)
    got = np.column_stack([lo, hi]).ravel()
    np.testing.assert_allclose(got, expected, atol=5.01e-5)


def test_newcombe_fagerland_2015():
    """Fagerland, Lydersen & Laake (2015) SMMR 24:224: 7/34 vs 1/34 → 0.019 to 0.340 (reference vector 3)."""
    lo, hi = S.newcombe_interval(7, 34, 1, 34)
    assert abs(lo - 0.019) <= 0.0051 and abs(hi - 0.340) <= 0.0051


def test_newcombe_no_data_is_nan():
    """Guard: n = 0 on either side gives NaN limits (no interval without data)."""
    lo, hi = S.newcombe_interval([1, 1], [0, 5], [2, 2], [4, 0])
    assert np.isnan(lo).all() and np.isnan(hi).all()


def test_wilson_matches_scipy_binomtest():
    """Wilson interval (kept unchanged) equals scipy binomtest(...).proportion_ci('wilson')."""
    lo, hi = S.wilson_interval([3, 17, 0], [10, 40, 7])
    for i, (k, n) in enumerate([(3, 10), (17, 40), (0, 7)]):
        ci = st.binomtest(k, n).proportion_ci(method="wilson")
        assert lo[i] == pytest.approx(ci.low, abs=1e-12) and hi[i] == pytest.approx(ci.high, abs=1e-12)


def test_cohens_h_and_power_pwr():
    """R pwr (Cohen 1988 Ex. 6.5 p.203; pwr test suite; pwr.jl docs) — reference vector 22."""
    h = float(S.cohens_h(0.5, 0.4))
    assert h == pytest.approx(0.2013579, abs=5.01e-8)
    assert S.power_cohens_h(h, n=60, samples=1) == pytest.approx(0.3447014, abs=5.01e-8)        # pwr.p.test
    assert S.power_cohens_h(0.3, n=80, alternative="greater") == pytest.approx(0.599677704546438, abs=1e-12)
    assert S.n_for_cohens_h(0.2, power=0.95, samples=1) == 325                                     # pwr.p.test


def test_sample_sizes_per_manager_notes_4_3():
    """Notes §4.3 (pwr.2p.test, α = .05, 80% power): 40 vs 50% → 388, 30 vs 40% → 356, 20 vs 25% → 1092,
    25 vs 30% → 1250 leads per manager: n per group = 2·((z_.975 + z_.8)/h)²."""
    pairs = [(0.5, 0.4), (0.4, 0.3), (0.25, 0.2), (0.3, 0.25)]
    got = [float(S.n_for_cohens_h(S.cohens_h(a, b))) for a, b in pairs]
    assert got == [388, 356, 1092, 1250]


def test_n_for_cohens_h_with_fixed_other_group():
    """pwr.2p2n.test algebra, by hand: 1/n + 1/n_other = (h/(z+z))²; a huge other group → one-sample n."""
    h = float(S.cohens_h(0.5, 0.4))
    e2 = (h / (st.norm.ppf(0.975) + st.norm.ppf(0.8))) ** 2
    assert S.n_for_cohens_h(h, n_other=2000) == math.ceil(1 / (e2 - 1 / 2000))
    assert S.n_for_cohens_h(h, n_other=10**9) == S.n_for_cohens_h(h, samples=1, power=0.8)
    assert S.n_for_cohens_h(h, n_other=50) == S.n_for_cohens_h(h)        # impossible → equal groups
    assert np.isnan(S.n_for_cohens_h(0.0))


# ------------------------------------------------------------------------------------ multiple comparisons

def test_bh_1995_worked_example():
    """Benjamini & Hochberg (1995) JRSS-B 57:289, TAPS example: BH rejects 4, Holm 3 (reference vector 10);
    BH-adjusted values as listed in the notes (scipy false_discovery_control)."""
    p = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.324, 0.4262, 0.5719,
         0.6528, 0.759, 1.0]
    bh = S.adjust_pvalues(p, "bh")
    assert (bh <= 0.05).sum() == 4
    assert (S.adjust_pvalues(p, "holm") <= 0.05).sum() == 3
    np.testing.assert_allclose(bh[:5], [0.0015, 0.003, 0.0095, 0.035625, 0.0603], atol=1e-7)


def test_holm_and_bh_vs_r_multtest():
    """R multtest::mt.rawp2adjp output frozen in statsmodels tests (reference vector 11), to 1e-10."""
    p = [0.838541367553, 0.642193923795, 0.680845947633, 0.967833824309, 0.71626938238, 0.177096952723,
         5.23656777208e-05, 0.0202732688798, 0.00028140506198, 0.0149877310796]
    expected_holm = [0.000523656777208, 0.00253264555782, 0.1199018486368, 0.1419128821586] + [1.0] * 6
    expected_bh = [0.000523656777208, 0.0014070253098999999, 0.04995910359866667, 0.0506831721995,
                   0.354193905446, 0.8953367279750001, 0.8953367279750001, 0.8953367279750001,
                   0.9317126306144445, 0.967833824309]
    order = np.argsort(p)
    np.testing.assert_allclose(S.adjust_pvalues(p, "holm")[order], expected_holm, atol=1e-10)
    np.testing.assert_allclose(S.adjust_pvalues(p, "bh")[order], expected_bh, atol=1e-10)


def test_holm_by_hand():
    """Hand computation: p = (.01, .04, .03) → sorted .01·3 = .03, .03·2 = .06, max(.04·1, .06) = .06."""
    np.testing.assert_allclose(S.adjust_pvalues([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06])


def test_adjust_keeps_nan_out_of_the_family():
    """NaN p-values stay NaN and do not enlarge the Holm family (m = 2 here, not 3)."""
    out = S.adjust_pvalues([0.01, np.nan, 0.02])
    assert np.isnan(out[1]) and out[0] == pytest.approx(0.02) and out[2] == pytest.approx(0.02)


def test_adjust_rejects_unknown_method():
    """Bad argument → DataError (a ValueError) naming the option."""
    with pytest.raises(ValueError, match="adjust"):
        S.adjust_pvalues([0.1], "bonferroni")


def test_holm_equals_statsmodels_multipletests():
    """Holm in numpy equals statsmodels multipletests(method='holm') (statsmodels is slow: gc.collect())."""
    from statsmodels.stats.multitest import multipletests

    p = np.random.default_rng(5).uniform(size=30) ** 3
    np.testing.assert_allclose(S.adjust_pvalues(p, "holm"), multipletests(p, method="holm")[1], atol=1e-14)


@settings(max_examples=80, deadline=None)
@given(hs.lists(hs.floats(0, 1), min_size=1, max_size=25), hs.sampled_from(["holm", "bh"]))
def test_adjusted_p_values_property(p, method):
    """Property: adjusted p ∈ [raw, 1]; Holm equals its definition max_{j: p_j ≤ p_i} min(1, (m − r_j + 1)·p_j)."""
    adj = S.adjust_pvalues(p, method)
    assert np.all(adj >= np.asarray(p) - 1e-15) and np.all(adj <= 1)
    if method == "holm":
        ps = np.sort(p)
        m = len(p)
        for i, pi in enumerate(p):
            k = np.searchsorted(ps, pi, side="right")
            assert adj[i] == pytest.approx(max(min(1.0, (m - j) * ps[j]) for j in range(k)), abs=1e-12)


# ----------------------------------------------------------------------------------------------- tables

def test_chisq_party_gender():
    """R chisq.test help page (Agresti 2007 p.39): X² = 30.07, df = 2, p = 2.954e-07 (reference vector 6)."""
    r = S.homogeneity_test([[762, 327, 468], [484, 239, 477]])
    assert r["test"] == "chi2_homogeneity" and r["dof"] == 2
    assert r["statistic"] == pytest.approx(30.07, abs=0.00501)
    assert r["p_value"] == pytest.approx(2.954e-07, abs=5.01e-11)


def test_fisher_freeman_halton_job_satisfaction():
    """R fisher.test help page, Job satisfaction 4×4 (Agresti 2002 p.57): p = 0.7827 (reference vector 26);
    small expected counts switch to the seeded Monte Carlo test, named in the result, with a warning."""
    table = [[1, 3, 10, 6], [2, 3, 10, 7], [1, 6, 14, 12], [0, 1, 9, 11]]
    with pytest.warns(StatisticalWarning, match="Fisher–Freeman–Halton"):
        r = S.homogeneity_test(table, seed=0, n_resamples=300_000)
    assert r["test"] == "fisher_freeman_halton_mc" and "Monte Carlo" in r["note"]
    assert r["p_value"] == pytest.approx(0.7827, abs=0.002)
    with pytest.warns(StatisticalWarning):
        a = S.homogeneity_test(table, seed=4, n_resamples=20_000)
        b = S.homogeneity_test(table, seed=4, n_resamples=20_000)
    assert a["p_value"] == b["p_value"]                             # seeded: reproducible


def test_cochran_rule():
    """Cochran's rule: > 20% of expected counts < 5, or any < 1."""
    assert S.small_expected(np.array([[10, 10], [10, 4.9]]))          # 25% below 5
    assert not S.small_expected(np.array([[10, 10, 10, 10, 10], [10, 10, 10, 10, 4.9]]))   # 10%
    assert S.small_expected(np.array([[10, 10, 10, 10, 10], [10, 10, 10, 10, 0.9]]))       # any < 1


def test_cramers_v_by_hand():
    """Cramér's V of a perfectly associated 2×2 table is 1; of independent margins 0."""
    assert S.cramers_v([[20, 0], [0, 20]]) == pytest.approx(1.0)
    assert S.cramers_v([[10, 20], [20, 40]]) == pytest.approx(0.0, abs=1e-12)


# ---------------------------------------------------------------------------------------- skewed amounts

def test_cliffs_delta_effsize():
    """R effsize::cliff.delta test-suite output: δ = −0.25, 95% CI −0.7265846 to 0.3890062 (vector 23)."""
    d, lo, hi = S.cliffs_delta([10, 10, 20, 20, 20, 30, 30, 30, 40, 50], [10, 20, 30, 40, 40, 50])
    assert d == pytest.approx(-0.25, abs=1e-12)
    assert lo == pytest.approx(-0.7265846, abs=5.01e-8) and hi == pytest.approx(0.3890062, abs=5.01e-8)


def test_cliffs_delta_equals_mann_whitney_u():
    """Cliff's δ = 2U/(n1 n2) − 1 with U from scipy.stats.mannwhitneyu (notes §1b)."""
    rng = np.random.default_rng(3)
    x, y = rng.integers(0, 6, 13), rng.integers(0, 6, 9)
    u = st.mannwhitneyu(x, y).statistic
    assert S.cliffs_delta(x, y)[0] == pytest.approx(2 * u / (13 * 9) - 1, abs=1e-12)


def test_brunner_munzel_pain():
    """Brunner & Munzel (2000) pain scores via R lawstat: W = 3.1375, p = .005786; p̂ = P(X<Y) + ½P(X=Y)
    = .788961 = (1 − δ)/2 (reference vector 24)."""
    x = [1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1]
    y = [3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4]
    r = st.brunnermunzel(x, y)
    assert r.statistic == pytest.approx(3.1375, abs=5.01e-5)
    assert r.pvalue == pytest.approx(0.005786, abs=5.01e-7)
    assert (1 - S.cliffs_delta(x, y)[0]) / 2 == pytest.approx(0.788961, abs=5.01e-7)


def test_median_interval_order_statistics():
    """Order-statistic CI by hand: n = 20 → [x_(6), x_(15)], coverage 1 − 2·P(B ≤ 5) = .958611 (B ~ Bin(20, ½));
    n = 6 → [min, max], coverage 62/64; n = 5 cannot reach 95% → NaN."""
    lo, hi, cov = S.median_interval(np.arange(1, 21))
    assert (lo, hi) == (6.0, 15.0) and cov == pytest.approx(1 - 2 * st.binom.cdf(5, 20, 0.5))
    assert S.median_interval(np.arange(6))[:2] == (0.0, 5.0)
    assert S.median_interval(np.arange(6))[2] == pytest.approx(62 / 64)
    assert all(np.isnan(S.median_interval(np.arange(5))))


def test_bootstrap_mean_interval_seeded_and_degenerate():
    """BCa bootstrap (scipy) is reproducible with a seed, contains the mean; degenerate inputs handled."""
    x = np.random.default_rng(1).lognormal(8, 1, 40)
    a = S.bootstrap_mean_interval(x, seed=5, n_resamples=999)
    assert a == S.bootstrap_mean_interval(x, seed=5, n_resamples=999)
    assert a[0] <= x.mean() <= a[1]
    assert S.bootstrap_mean_interval([7.0, 7.0, 7.0]) == (7.0, 7.0)
    assert all(np.isnan(S.bootstrap_mean_interval([7.0])))


def test_noether_sample_size_by_hand():
    """Noether (1987): equal groups n = 2(z_.975 + z_.8)²/(3δ²); δ = .5 → 2·7.849/.75 = 20.93 → 21."""
    assert S.n_for_mann_whitney(0.5) == 21
    zz = st.norm.ppf(0.975) + st.norm.ppf(0.8)
    assert S.n_for_mann_whitney(0.2) == math.ceil(2 * zz**2 / (3 * 0.04))


# ------------------------------------------------------------------------------------------------- counts

def test_poisson_rate_test_r_poisson_test():
    """R poisson.test(c(11, 21), c(800, 3011)) help page (eba1977): p = .07967, RR = 1.971488,
    CI .8584264–4.2772659 (reference vector 18)."""
    r = S.poisson_rate_test(11, 800, 21, 3011)
    assert r["p_value"] == pytest.approx(0.07967, abs=5.01e-6)
    assert r["rate_ratio"] == pytest.approx(1.971488, abs=5.01e-7)
    assert r["ci_low"] == pytest.approx(0.8584264, abs=5.01e-8)
    assert r["ci_high"] == pytest.approx(4.2772659, abs=5.01e-8)


def test_poisson_rate_interval_garwood():
    """Exact Poisson CI (Garwood): k = 0 → [0, −log(α/2)/t]; k = 10, t = 2 matches chi-square quantiles."""
    lo, hi = S.poisson_rate_interval(0, 1.0)
    assert lo == 0 and hi == pytest.approx(-math.log(0.025))
    lo, hi = S.poisson_rate_interval(10, 2.0)
    assert lo == pytest.approx(st.chi2.ppf(0.025, 20) / 4) and hi == pytest.approx(st.chi2.ppf(0.975, 22) / 4)


def test_pearson_dispersion_equals_variance_over_mean():
    """With equal exposures the dispersion ratio of one group is var(ddof=1)/mean (index of dispersion)."""
    y = np.array([3, 9, 0, 14, 6, 2, 11, 5.0])
    d = S.pearson_dispersion(y, np.ones(8), np.zeros(8))
    assert d["ratio"] == pytest.approx(y.var(ddof=1) / y.mean()) and d["dof"] == 7
    assert d["p_value"] == pytest.approx(st.chi2.sf(7 * d["ratio"], 7))


def test_nb_rate_fit_matches_statsmodels_glm():
    """The single-rate NB2 fit equals statsmodels GLM(y ~ 1, NegativeBinomial(alpha), offset=log t + o):
    same rate and log-likelihood."""
    import statsmodels.api as sm

    rng = np.random.default_rng(1)
    y = rng.negative_binomial(3, 3 / 13, size=40).astype(float)
    t = rng.integers(1, 6, size=40).astype(float)
    o = rng.normal(size=40) * 0.1
    g = sm.GLM(y, np.ones((40, 1)), family=sm.families.NegativeBinomial(alpha=0.3), offset=np.log(t) + o).fit()
    rate, llf = S.nb_rate_fit(y, t, 0.3, extra_offset=o)
    assert rate == pytest.approx(math.exp(g.params[0]), rel=1e-7)
    assert llf == pytest.approx(g.llf, abs=1e-7)


def test_negbin_dispersion_statsmodels_and_profile_agree():
    """α̂ from statsmodels NegativeBinomial (group dummies) equals the profile-likelihood maximum."""
    from scipy import optimize

    rng = np.random.default_rng(7)
    g = np.repeat(np.arange(4), 25).astype(str)
    y = rng.negative_binomial(2, 2 / (2 + 8), size=100).astype(float)
    t = np.ones(100)
    fit = S.negbin_dispersion(y, t, g)
    assert fit["method"] == "statsmodels NegativeBinomial"
    prof = optimize.minimize_scalar(lambda la: -S.nb_full_loglik(y, t, g, math.exp(la)), bounds=(-10, 5),
                                    method="bounded", options={"xatol": 1e-7})
    assert fit["alpha"] == pytest.approx(math.exp(prof.x), rel=1e-3)


def test_negbin_rate_test_zero_group_and_ci_consistency():
    """NB LR test: a group with no events is clearly different (the Wald test would say p ≈ 1); the
    profile CI of the rate ratio starts at 0 and excludes 1 exactly when p < α."""
    rng = np.random.default_rng(2)
    y2 = rng.negative_binomial(3, 3 / 13, size=80).astype(float)
    r = S.negbin_rate_test(np.zeros(20), np.ones(20), y2, np.ones(80), alpha_nb=0.3)
    assert r["p_value"] < 1e-6 and r["rate_ratio"] == 0 and r["ci_low"] == 0 and r["ci_high"] < 1
    for shift in (1.0, 1.3, 1.8):
        y1 = rng.negative_binomial(3, 3 / (3 + 10 * shift), size=20).astype(float)
        r = S.negbin_rate_test(y1, np.ones(20), y2, np.ones(80), alpha_nb=0.3)
        assert r["ci_low"] <= r["rate_ratio"] <= r["ci_high"]
        assert (r["p_value"] < 0.05) == (r["ci_low"] > 1 or r["ci_high"] < 1)


def test_n_for_rate_ratio_by_hand():
    """Keene et al. (2007) NB sample size: n = (z+z)²(1/μ1 + 1/μ0 + 2α)/log(RR)²."""
    zz = st.norm.ppf(0.975) + st.norm.ppf(0.8)
    n = S.n_for_rate_ratio(1.2, mu1=12.0, mu0=10.0, dispersion=0.25)
    assert n == math.ceil(zz**2 * (1 / 12 + 1 / 10 + 0.5) / math.log(1.2) ** 2)
    assert np.isnan(S.n_for_rate_ratio(1.0, mu1=10.0, mu0=10.0))


# ------------------------------------------------------------------------------------------------ funnel

def test_funnel_limits_converge_to_normal():
    """Spiegelhalter (2005) exact limits → normal ones for large n (notes §1f: n = 10,000: .2585 vs .2585)."""
    exact = S.funnel_limits(0.25, [10_000], 0.975)[0]
    normal = 0.25 + st.norm.ppf(0.975) * math.sqrt(0.25 * 0.75 / 10_000)
    assert exact == pytest.approx(0.2585, abs=5e-5) and exact == pytest.approx(normal, abs=5e-5)


def test_funnel_limit_interpolation_by_hand():
    """Appendix A.1.1 by hand, p0 = .3, n = 20, q = .975: r = binom.ppf(q), a = (F(r) − q)/(F(r) − F(r−1)),
    limit = (r − a)/n."""
    r = st.binom.ppf(0.975, 20, 0.3)
    a = (st.binom.cdf(r, 20, 0.3) - 0.975) / (st.binom.cdf(r, 20, 0.3) - st.binom.cdf(r - 1, 20, 0.3))
    assert S.funnel_limits(0.3, [20], 0.975)[0] == pytest.approx((r - a) / 20, abs=1e-12)


def test_funnel_overdispersion_by_hand():
    """φ = mean of (winsorised) z², Nφ vs χ²(N−1), τ² = (Nφ − (N−1))/(Σw − Σw²/Σw) (Spiegelhalter 2005)."""
    k = np.array([10, 30, 50, 12, 45.0])
    n = np.array([100, 100, 100, 100, 100.0])
    p0 = k.sum() / n.sum()
    z = (k / n - p0) / np.sqrt(p0 * (1 - p0) / n)        # N = 5: 10% winsorising trims nothing
    r = S.funnel_overdispersion(k, n, p0)
    w = n / (p0 * (1 - p0))
    assert r["phi"] == pytest.approx(np.mean(z**2))
    assert r["p_value"] == pytest.approx(st.chi2.sf(5 * r["phi"], 4))
    assert r["tau2"] == pytest.approx((5 * r["phi"] - 4) / (w.sum() - (w**2).sum() / w.sum()))


def test_winsorize():
    """10% winsorising of 20 values replaces the two extremes by their neighbours."""
    z = np.arange(20.0)
    w = S.winsorize(z, 0.1)
    assert w[0] == 2 and w[1] == 2 and w[-1] == 17 and w[-2] == 17 and w[5] == 5


# ------------------------------------------------------------------------------------------ empirical Bayes

def test_betabinom_fit_recovers_prior():
    """ML beta-binomial prior on simulated managers (Beta(6, 14), 300 managers × 60 leads) is close to it;
    converged; ML is a maximum (the log-likelihood is lower at the truth)."""
    rng = np.random.default_rng(11)
    p = rng.beta(6, 14, 300)
    n = np.full(300, 60)
    k = rng.binomial(n, p)
    fit = S.betabinom_fit(k, n)
    assert fit["converged"] and not fit["full_pooling"]
    assert fit["mean"] == pytest.approx(0.3, abs=0.01)
    assert 10 < fit["strength"] < 40
    assert fit["loglik"] >= st.betabinom.logpmf(k, n, 6, 14).sum()


def test_betabinom_fit_without_between_group_variation_is_full_pooling():
    """Identical managers: the ML prior strength runs off to a very large value, flagged full_pooling."""
    k = np.array([30, 30, 30, 30])
    n = np.array([100, 100, 100, 100])
    fit = S.betabinom_fit(k, n)
    assert fit["full_pooling"] and fit["mean"] == pytest.approx(0.3, abs=1e-3)


def test_betabinom_fit_needs_two_groups():
    """Guard clause: fewer than two groups with data → DataError."""
    with pytest.raises(DataError):
        S.betabinom_fit([3], [10])


def test_bad_alpha_rejected():
    """α outside (0, 1) → ValueError naming alpha."""
    with pytest.raises(ValueError, match="alpha"):
        S.newcombe_interval(1, 2, 1, 2, alpha=1.5)


def test_no_warnings_on_clean_inputs():
    """Well-behaved inputs do not raise StatisticalWarning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", StatisticalWarning)
        S.homogeneity_test([[50, 50], [40, 60], [45, 55]])
        S.bootstrap_mean_interval(np.arange(1, 30.0), n_resamples=199)


def test_homogeneity_two_by_two_small_counts_uses_fisher_exact():
    """Two managers with small expected counts: Fisher's exact test (TeaTasting p = 0.4857, R help page)."""
    import warnings as _w

    from metrics.stats import homogeneity_test
    with _w.catch_warnings():
        _w.simplefilter("ignore")
        r = homogeneity_test([[3, 1], [1, 3]])
    assert r["test"] == "fisher_exact" and abs(r["p_value"] - 0.4857) < 5.01e-5


def test_homogeneity_three_by_two_small_counts_returns_scalars():
    """A 3×2 table with tiny counts (scipy's Monte Carlo returns 1-element arrays here): plain floats."""
    import warnings as _w

    from metrics.stats import homogeneity_test
    with _w.catch_warnings():
        _w.simplefilter("ignore")
        r = homogeneity_test([[1, 1], [1, 0], [0, 1]])
    assert r["test"] == "fisher_freeman_halton_mc"
    assert isinstance(r["p_value"], float) and 0 <= r["p_value"] <= 1
