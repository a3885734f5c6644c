"""metrics/compare/: per-KPI comparisons, verdicts, the report's tests block (values and sources in docstrings)."""
from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st
from hypothesis import given, settings
from hypothesis import strategies as hs

from metrics import compare as C
from metrics import stats as S
from metrics.errors import DataError, StatisticalWarning
from metrics.kpi import period_activities, period_leads
from metrics.periods import Period, month, quarter
from metrics.schema import standardize_activities, standardize_deals


# ------------------------------------------------------------------------------------------------ helpers

def leads_from(counts: dict[str, tuple[int, int]], source: str | None = None) -> pd.DataFrame:
    """One row per lead: manager, won (k of n won), source."""
    rows = []
    for m, (k, n) in counts.items():
        rows += [{"manager": m, "won": i < k, "source": source} for i in range(n)]
    return pd.DataFrame(rows, columns=["manager", "won", "source"])


def make_deals(seed: int = 0, conv: dict[str, float] | None = None, n_leads=(60, 120), days: int = 182,
               scale: dict[str, float] | None = None) -> pd.DataFrame:
    """Canonical deals for 2024-01-01 + days: lognormal amounts, clients from a shared pool (repeat buyers)."""
    rng = np.random.default_rng(seed)
    conv = conv or {m: 0.25 for m in ("Ann", "Bob", "Cid", "Dee", "Eve")}
    scale = scale or {}
    rows = []
    for m, p in conv.items():
        for _ in range(int(rng.integers(*n_leads))):
            created = pd.Timestamp("2024-01-01") + pd.Timedelta(days=int(rng.integers(0, days)))
            status = "won" if rng.random() < p else str(rng.choice(["lost", "open"]))
            closed = created + pd.Timedelta(days=int(rng.integers(0, 40))) if status != "open" else None
            rows.append({"deal_id": f"D{len(rows)}", "manager": m, "client": f"C{rng.integers(0, 120)}",
                         "created_at": created, "closed_at": closed, "status": status,
                         "amount": round(float(rng.lognormal(8, 1)) * scale.get(m, 1.0), 2),
                         "source": str(rng.choice(["inbound", "outbound", "referral"]))})
    return standardize_deals(pd.DataFrame(rows))


def make_activities(seed: int = 0, means: dict[str, float] | None = None, start="2024-01-01", end="2024-06-30",
                    size: float | None = 3.0) -> pd.DataFrame:
    """Canonical activities: per working day NB (size) or Poisson (size None) counts; a few on weekends."""
    rng = np.random.default_rng(seed)
    means = means or {m: 10.0 for m in ("Ann", "Bob", "Cid", "Dee", "Eve")}
    mgr, at = [], []
    for m, mu in means.items():
        for d in pd.date_range(start, end):
            lam = mu if d.day_of_week < 5 else 0.3
            k = rng.poisson(lam) if size is None else rng.negative_binomial(size, size / (size + lam))
            mgr += [m] * int(k)
            at += [d + pd.Timedelta(hours=10)] * int(k)
    n = len(mgr)
    raw = pd.DataFrame({"activity_id": [f"A{i}" for i in range(n)], "manager": mgr,
                        "type": rng.choice(["call", "meeting"], n), "at": at, "done": True})
    return standardize_activities(raw)


Q2 = quarter(2024, 2)


# ------------------------------------------------------------------------------------------------ conversion

def test_conversion_three_managers_by_hand():
    """Hand case, 3 managers (12/40, 25/50, 8/45): Fisher p of each vs the rest equals scipy.fisher_exact on
    the 2×2 table; Holm by hand (sorted p × 3, 2, 1, running max); rest rate, Newcombe CI, Cohen's h."""
    leads = leads_from({"A": (12, 40), "B": (25, 50), "C": (8, 45)})
    r = C.conversion_vs_team(leads=leads, min_n=30)
    s = r.summary.set_index("manager")
    tables = {"A": [[12, 28], [33, 62]], "B": [[25, 25], [20, 65]], "C": [[8, 37], [37, 53]]}
    p = {m: st.fisher_exact(t).pvalue for m, t in tables.items()}
    for m in "ABC":
        assert s.loc[m, "p_value"] == pytest.approx(p[m], rel=1e-12)
    order = sorted(p, key=p.get)
    holm, run = {}, 0.0
    for i, m in enumerate(order):
        run = max(run, min(1.0, (3 - i) * p[m]))
        holm[m] = run
    for m in "ABC":
        assert s.loc[m, "p_adjusted"] == pytest.approx(holm[m], rel=1e-12)
    assert s.loc["B", "rest_rate"] == pytest.approx(20 / 85)
    lo, hi = S.newcombe_interval(25, 50, 20, 85)
    assert (s.loc["B", "diff_ci_low"], s.loc["B", "diff_ci_high"]) == pytest.approx((float(lo), float(hi)))
    assert s.loc["B", "effect"] == pytest.approx(2 * math.asin(math.sqrt(0.5)) - 2 * math.asin(math.sqrt(20 / 85)))
    assert s.loc["B", "verdict"] == ("above" if holm["B"] < 0.05 else "no_difference")
    assert s.loc["C", "verdict"] in ("below", "no_difference")
    assert r.omnibus["test"] == "chi2_homogeneity" and r.omnibus["dof"] == 2


def test_conversion_reproduces_fisher_convictions_and_tea_tasting():
    """R fisher.test help page: Convictions [[2, 15], [10, 3]] two-sided p = .0005367 (vector 8);
    TeaTasting [[3, 1], [1, 3]] p = .4857 (vector 7) — as two managers, each vs the other (= the rest)."""
    r = C.conversion_vs_team(leads=leads_from({"dizygotic": (2, 17), "monozygotic": (10, 13)}), min_n=0)
    np.testing.assert_allclose(r.summary["p_value"], 0.0005367, atol=5.01e-8)
    np.testing.assert_allclose(r.summary["p_adjusted"], r.summary["p_value"])   # two managers: one comparison
    with pytest.warns(StatisticalWarning):          # expected counts < 5: the omnibus goes Monte Carlo
        r = C.conversion_vs_team(leads=leads_from({"milk": (3, 4), "tea": (1, 4)}), min_n=0)
    np.testing.assert_allclose(r.summary["p_value"], 0.4857, atol=5.01e-5)


def test_conversion_omnibus_chisq_party_gender():
    """R chisq.test help page (Agresti 2007 p.39) as 3 'managers' (parties) × (female, male):
    X² = 30.07, df = 2, p = 2.954e-07 (vector 6); prop.test-equivalent, no continuity correction."""
    r = C.conversion_vs_team(leads=leads_from({"Dem": (762, 762 + 484), "Ind": (327, 327 + 239),
                                                "Rep": (468, 468 + 477)}))
    assert r.omnibus["statistic"] == pytest.approx(30.07, abs=0.00501)
    assert r.omnibus["p_value"] == pytest.approx(2.954e-07, abs=5.01e-11)


def test_small_expected_counts_switch_to_monte_carlo_ffh():
    """Cochran's rule fails → seeded Monte Carlo Fisher–Freeman–Halton, named in test and note, warned."""
    leads = leads_from({"A": (1, 5), "B": (3, 4), "C": (1, 6)})
    with pytest.warns(StatisticalWarning, match="Fisher–Freeman–Halton"):
        r1 = C.conversion_vs_team(leads=leads, seed=3, n_resamples=20_000)
        r2 = C.conversion_vs_team(leads=leads, seed=3, n_resamples=20_000)
    assert r1.omnibus["test"] == "fisher_freeman_halton_mc" and "Monte Carlo" in r1.omnibus["note"]
    assert r1.omnibus["p_value"] == r2.omnibus["p_value"]
    exact = st.fisher_exact(np.array([[1, 4], [3, 1], [1, 5]]),
                            method=st.MonteCarloMethod(n_resamples=20_000, rng=np.random.default_rng(3)))
    assert r1.omnibus["p_value"] == pytest.approx(exact.pvalue)


def test_min_n_changes_verdicts_never_numbers():
    """min_n only changes verdicts: p-values and their Holm adjustment are identical for min_n = 0 and 1000;
    not_enough_data rows get n_needed ≥ min_n."""
    leads = leads_from({"A": (30, 60), "B": (10, 80), "C": (22, 70), "D": (3, 12)})
    lo = C.conversion_vs_team(leads=leads, min_n=0).summary
    hi = C.conversion_vs_team(leads=leads, min_n=1000).summary
    num = ["p_value", "p_adjusted", "rate", "ci_low", "ci_high", "diff", "diff_ci_low", "diff_ci_high", "effect"]
    pd.testing.assert_frame_equal(lo[num], hi[num])
    assert (hi["verdict"] == "not_enough_data").all()
    assert (hi["n_needed"] >= 1000).all()
    assert set(lo["verdict"]) >= {"above", "below"}
    mid = C.conversion_vs_team(leads=leads, min_n=30).summary.set_index("manager")
    assert mid.loc["D", "verdict"] == "not_enough_data" and mid.loc["D", "n_needed"] >= 30


def test_bh_selectable():
    """adjust='bh' uses Benjamini–Hochberg across managers (scipy false_discovery_control)."""
    leads = leads_from({"A": (30, 60), "B": (10, 80), "C": (22, 70), "D": (3, 12)})
    s = C.conversion_vs_team(leads=leads, adjust="bh").summary
    np.testing.assert_allclose(s["p_adjusted"], st.false_discovery_control(s["p_value"], method="bh"))


def test_verdict_rules():
    """Verdict table: below min_n → not_enough_data; adjusted p ≥ α → no_difference; else by direction."""
    v = C.verdicts([10, 50, 50, 50, 50, 50], [0.001, 0.001, 0.001, 0.2, np.nan, 0.001],
                   [1, 1, -1, 1, 1, 0], alpha=0.05, min_n=30)
    assert list(v) == ["not_enough_data", "above", "below", "no_difference", "not_enough_data", "no_difference"]


@settings(max_examples=40, deadline=None)
@given(hs.lists(hs.tuples(hs.integers(0, 60), hs.integers(1, 60)), min_size=1, max_size=6),
       hs.integers(0, 50), hs.sampled_from(["holm", "bh"]))
def test_conversion_properties(teams, min_n, adjust):
    """Property (hypothesis): p ∈ [0, 1]; adjusted ≥ raw; Wilson and Newcombe intervals contain their
    estimates; never above/below without adjusted p < α and the matching sign; input not mutated."""
    counts = {f"m{i}": (min(k, n), n) for i, (k, n) in enumerate(teams)}
    leads = leads_from(counts)
    before = leads.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        s = C.conversion_vs_team(leads=leads, min_n=min_n, adjust=adjust, n_resamples=500).summary
    pd.testing.assert_frame_equal(leads, before)
    p, pa = s["p_value"].dropna(), s["p_adjusted"].dropna()
    assert ((p >= 0) & (p <= 1)).all() and ((pa >= p - 1e-12) & (pa <= 1)).all()
    assert ((s["ci_low"] <= s["rate"] + 1e-12) & (s["rate"] <= s["ci_high"] + 1e-12)).all()
    d = s.dropna(subset=["diff"])
    assert ((d["diff_ci_low"] <= d["diff"] + 1e-9) & (d["diff"] <= d["diff_ci_high"] + 1e-9)).all()
    flagged = s[s["verdict"].isin(["above", "below"])]
    assert (flagged["p_adjusted"] < 0.05).all() and (flagged["n"] >= min_n).all()
    assert ((flagged["verdict"] == "above") == (flagged["diff"] > 0)).all()
    assert set(s["verdict"]) <= set(C.VERDICTS)


# ------------------------------------------------------------------------------------------------ deal size

def test_deal_size_brunner_munzel_pain_and_mann_whitney():
    """Brunner & Munzel (2000) pain scores (lawstat): p = .005786, p̂ = .788961 = (1 − δ)/2 (vector 24), as two
    managers; the default Mann–Whitney p equals scipy.stats.mannwhitneyu two-sided."""
    x = [1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 4, 1, 1]
    y = [3, 3, 4, 3, 1, 2, 3, 1, 1, 5, 4]
    won = pd.DataFrame({"manager": ["X"] * len(x) + ["Y"] * len(y), "amount": x + y})
    bm = C.deal_size_vs_team(won=won, test="brunnermunzel", min_n=0, n_boot=199).summary.set_index("manager")
    assert bm.loc["X", "p_value"] == pytest.approx(0.005786, abs=5.01e-7)
    assert (1 - bm.loc["X", "effect"]) / 2 == pytest.approx(0.788961, abs=5.01e-7)
    assert bm.loc["X", "verdict"] == "below" and bm.loc["Y", "verdict"] == "above"
    mw = C.deal_size_vs_team(won=won, min_n=0, n_boot=199).summary.set_index("manager")
    assert mw.loc["X", "p_value"] == pytest.approx(st.mannwhitneyu(x, y).pvalue, rel=1e-12)


def test_deal_size_cliffs_delta_ci_and_kruskal():
    """Cliff's δ CI per manager = effsize (vector 23) when the rest is the control group; omnibus equals
    scipy.stats.kruskal."""
    t = [10, 10, 20, 20, 20, 30, 30, 30, 40, 50]
    c = [10, 20, 30, 40, 40, 50]
    won = pd.DataFrame({"manager": ["T"] * 10 + ["C"] * 6, "amount": t + c})
    r = C.deal_size_vs_team(won=won, min_n=0, n_boot=199)
    row = r.summary.set_index("manager").loc["T"]
    assert (row["effect"], row["effect_ci_low"], row["effect_ci_high"]) == pytest.approx(
        (-0.25, -0.7265846, 0.3890062), abs=5.01e-8)
    k = st.kruskal(c, t)
    assert r.omnibus["test"] == "kruskal_wallis" and r.omnibus["p_value"] == pytest.approx(k.pvalue)
    assert r.omnibus["statistic"] == pytest.approx(k.statistic)


@settings(max_examples=25, deadline=None)
@given(hs.lists(hs.lists(hs.floats(1, 1e5, allow_nan=False), min_size=1, max_size=25), min_size=2, max_size=4))
def test_deal_size_properties(groups):
    """Property (hypothesis): p ∈ [0, 1], adjusted ≥ raw, median/mean/δ intervals contain their estimates,
    input not mutated, verdicts only with adjusted p < α."""
    won = pd.DataFrame({"manager": [f"m{i}" for i, g in enumerate(groups) for _ in g],
                        "amount": [v for g in groups for v in g]})
    before = won.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        s = C.deal_size_vs_team(won=won, min_n=0, n_boot=99).summary
    pd.testing.assert_frame_equal(won, before)
    assert ((s["p_value"] >= 0) & (s["p_value"] <= 1)).all() and (s["p_adjusted"] >= s["p_value"] - 1e-12).all()
    for est, lo, hi in (("median", "median_ci_low", "median_ci_high"), ("mean", "mean_ci_low", "mean_ci_high"),
                        ("effect", "effect_ci_low", "effect_ci_high")):
        ok = s.dropna(subset=[lo, hi])
        assert ((ok[lo] <= ok[est] + 1e-9) & (ok[est] <= ok[hi] + 1e-9)).all()
    flagged = s[s["verdict"].isin(["above", "below"])]
    assert (flagged["p_adjusted"] < 0.05).all()


# ----------------------------------------------------------------------------------------------- retention/plan

def test_retention_vs_team_fisher_and_holm():
    """Retention each vs rest: Fisher exact p on retained/not, Holm across managers (scipy + statsmodels)."""
    from statsmodels.stats.multitest import multipletests

    cust = pd.DataFrame({"manager": ["A"] * 40 + ["B"] * 35 + ["C"] * 31,
                         "retained": [True] * 25 + [False] * 15 + [True] * 8 + [False] * 27 + [True] * 12 + [False] * 19})
    s = C.retention_vs_team(customers=cust).summary.set_index("manager")
    pa = st.fisher_exact([[25, 15], [20, 46]]).pvalue
    assert s.loc["A", "p_value"] == pytest.approx(pa, rel=1e-12)
    np.testing.assert_allclose(s["p_adjusted"], multipletests(s["p_value"], method="holm")[1])
    assert s.loc["A", "verdict"] == "above" and s.loc["B", "verdict"] == "below"


def test_plan_hit_share_by_hand():
    """Share of months ≥ 100% of plan with a Wilson CI; zero targets are skipped."""
    monthly = pd.DataFrame({"manager": ["A"] * 4 + ["B"] * 3, "month": ["2024-01", "2024-02", "2024-03", "2024-04"]
                            + ["2024-01", "2024-02", "2024-03"],
                            "revenue": [100, 90, 120, 50, 10, 10, 10], "target": [100, 100, 100, 0, 5, 20, 30]})
    s = C.plan_hit_share(monthly=monthly).set_index("manager")
    assert (s.loc["A", "months"], s.loc["A", "hits"]) == (3, 2) and (s.loc["B", "months"], s.loc["B", "hits"]) == (3, 1)
    ci = st.binomtest(2, 3).proportion_ci(method="wilson")
    assert (s.loc["A", "ci_low"], s.loc["A", "ci_high"]) == pytest.approx((ci.low, ci.high))


# ------------------------------------------------------------------------------------------------ activity

def test_activity_units_totals_match_kpi_and_weekends_fold():
    """Daily and weekly units keep every activity of P (weekend ones go to the adjacent working day / week);
    exposure sums to the period's working days."""
    acts = make_activities(1)
    P = month(2024, 3)                                   # starts on a Friday, ends on a Sunday
    pa = period_activities(activities=acts, period=P)
    for unit in ("day", "week"):
        u = C.activity_units(activities=pa, period=P, unit=unit)
        tot = u.groupby("manager")["count"].sum()
        assert (tot == pa.groupby("manager").size().reindex(tot.index)).all()
        assert (u.groupby("manager")["exposure"].sum() == P.working_days()).all()
    day = C.activity_units(activities=pa, period=P)
    assert len(day) == 5 * P.working_days()


def test_activity_poisson_path_equals_r_poisson_test():
    """Poisson counts → no over-dispersion → each vs rest is the exact conditional test (= R poisson.test,
    vector 18), e.g. p equals poisson_rate_test(k, T, K − k, T_rest)."""
    acts = make_activities(2, size=None)
    pa = period_activities(activities=acts, period=Q2)
    r = C.activity_vs_team(activities=pa, period=Q2)
    assert r.omnibus["method"] == "poisson" and r.omnibus["test"] == "poisson_chi2_homogeneity"
    s = r.summary.set_index("manager")
    k, T = s.loc["Ann", "count"], float(s.loc["Ann", "n"])
    ref = S.poisson_rate_test(k, T, s["count"].sum() - k, 4 * T)
    assert s.loc["Ann", "p_value"] == pytest.approx(ref["p_value"], rel=1e-12)
    assert s.loc["Ann", "effect"] == pytest.approx(ref["rate_ratio"])


def test_activity_overdispersed_uses_negative_binomial_and_flags_zero_manager():
    """Over-dispersed daily counts (NB, size 3) → negative binomial model; a manager with no activity at all
    is 'below' (LR test; a Wald test would give p ≈ 1); the dispersion ratio is reported."""
    acts = make_activities(3)
    pa = period_activities(activities=acts, period=Q2)
    r = C.activity_vs_team(activities=pa, period=Q2, managers=["Ann", "Bob", "Cid", "Dee", "Eve", "Zed"])
    assert r.omnibus["method"] == "negbin" and r.omnibus["dispersion_ratio"] > 2
    s = r.summary.set_index("manager")
    assert s.loc["Zed", "count"] == 0 and s.loc["Zed", "verdict"] == "below"
    assert (s.drop(index="Zed")["effect_ci_low"] <= s.drop(index="Zed")["effect"]).all()
    assert s.loc["Ann", "n"] == Q2.working_days()


def test_activity_min_n_counts_expected_activities():
    """min_n is compared with the activities expected at the rest's rate over the manager's working days:
    a busy month is enough even for min_n = 30, an impossible min_n gives no verdicts — and the p-values
    do not depend on min_n."""
    pa = period_activities(activities=make_activities(4), period=month(2024, 5))
    a = C.activity_vs_team(activities=pa, period=month(2024, 5), min_n=10**9, ci=False).summary
    b = C.activity_vs_team(activities=pa, period=month(2024, 5), min_n=0, ci=False).summary
    c = C.activity_vs_team(activities=pa, period=month(2024, 5), min_n=30, ci=False).summary
    assert (a["verdict"] == "not_enough_data").all()
    assert (c["verdict"] != "not_enough_data").all() and (c["verdict"] == b["verdict"]).all()
    np.testing.assert_allclose(a["p_adjusted"], b["p_adjusted"])


# ------------------------------------------------------------------------------------------------ funnel etc.

def test_funnel_in_control_uses_exact_limits():
    """No over-dispersion → exact interpolated binomial limits (Spiegelhalter 2005 A.1.1) at each n."""
    leads = leads_from({"A": (25, 100), "B": (31, 110), "C": (20, 90), "D": (27, 95)})
    r = C.funnel_data(leads=leads)
    assert not r.omnibus["overdispersed"] and r.omnibus["limits"] == "exact_binomial"
    p0 = 103 / 395
    np.testing.assert_allclose(r.summary["upper95"], S.funnel_limits(p0, r.summary["n"], 0.975))
    c = r.curve
    assert (c["lower998"] <= c["lower95"]).all() and (c["upper95"] <= c["upper998"]).all()
    assert (c["lower95"] <= p0).all() and (c["upper95"] >= p0).all()


def test_funnel_overdispersion_widens_limits():
    """Heterogeneous managers → φ > 1 significant → limits widened (multiplicative √φ or additive τ²),
    with a plain reason."""
    leads = leads_from({"A": (10, 100), "B": (45, 100), "C": (20, 100), "D": (50, 100), "E": (30, 100),
                        "F": (15, 100)})
    exact = S.funnel_limits(0.25, [100], 0.975)[0]
    for how in ("multiplicative", "additive"):
        r = C.funnel_data(leads=leads, overdispersion=how)
        assert r.omnibus["overdispersed"] and r.omnibus["phi"] > 1 and "widened" in r.omnibus["reason"]
        assert r.summary["upper95"].iloc[0] > exact
    with pytest.warns(StatisticalWarning):
        C.funnel_data(leads=leads, overdispersion="none")


def test_shrunk_conversion_ranks_without_noise():
    """Empirical Bayes: shrunk rate lies between the raw rate and the prior mean; a 3/3 manager is not ranked
    first by the shrunk rate although first on the raw rate."""
    leads = leads_from({"A": (3, 3), "B": (60, 150), "C": (30, 140), "D": (45, 160), "E": (20, 120)})
    r = C.shrunk_conversion(leads=leads)
    s = r.summary.set_index("manager")
    mu = r.omnibus["mean"]
    assert ((s["shrunk"] - s["rate"]) * (s["shrunk"] - mu) <= 1e-12).all()
    assert s.loc["A", "raw_rank"] == 1 and s.loc["A", "rank"] > 1
    a, b = r.omnibus["a"], r.omnibus["b"]
    assert s.loc["B", "shrunk"] == pytest.approx((60 + a) / (150 + a + b))
    assert ((s["cred_low"] <= s["shrunk"]) & (s["shrunk"] <= s["cred_high"])).all()


UCB = {"A": [[512, 313], [89, 19]], "B": [[353, 207], [17, 8]], "C": [[120, 205], [202, 391]],
       "D": [[138, 279], [131, 244]], "E": [[53, 138], [94, 299]], "F": [[22, 351], [24, 317]]}


def test_within_source_cmh_ucb_admissions():
    """R mantelhaen.test(UCBAdmissions) help page: X² = 1.4269, p = .2323, common OR .9046968, CI
    .7719074–1.0603298 (vector 25), with departments as lead sources; applicant mix flagged (Simpson)."""
    rows = []
    for dept, ((ma, mr), (fa, fr)) in UCB.items():
        for who, adm, rej in (("male", ma, mr), ("female", fa, fr)):
            rows += [{"manager": who, "won": True, "source": dept}] * adm
            rows += [{"manager": who, "won": False, "source": dept}] * rej
    with pytest.warns(StatisticalWarning, match="lead sources"):
        r = C.within_source(leads=pd.DataFrame(rows))
    m = r.summary.set_index("manager").loc["male"]
    assert m["statistic"] == pytest.approx(1.4269, abs=5.01e-5) and m["p_value"] == pytest.approx(0.2323, abs=5.01e-5)
    assert m["effect"] == pytest.approx(0.9046968, abs=5.01e-8)
    assert (m["effect_ci_low"], m["effect_ci_high"]) == pytest.approx((0.7719074, 1.0603298), abs=5.01e-8)
    assert m["verdict"] == "no_difference"
    assert r.omnibus["mix_differs"] and r.omnibus["cramers_v"] > 0.2


def test_within_source_simpson_lead_mix():
    """Notes §4.1: A beats B within inbound (90 vs 85%) and outbound (24 vs 20%) but loses overall because B
    works mostly inbound; the MH odds ratio (A vs rest = B) is > 1."""
    rows = ([{"manager": "A", "won": i < 18, "source": "inbound"} for i in range(20)]
            + [{"manager": "A", "won": i < 24, "source": "outbound"} for i in range(100)]
            + [{"manager": "B", "won": i < 85, "source": "inbound"} for i in range(100)]
            + [{"manager": "B", "won": i < 5, "source": "outbound"} for i in range(25)])
    leads = pd.DataFrame(rows)
    overall = C.conversion_vs_team(leads=leads).summary.set_index("manager")
    assert overall.loc["A", "diff"] < 0
    with pytest.warns(StatisticalWarning):
        r = C.within_source(leads=leads)
    assert r.summary.set_index("manager").loc["A", "effect"] > 1 and r.omnibus["mix_differs"]


# ------------------------------------------------------------------------------------------------ pair / report

def test_pair_comparison_rows_and_direction():
    """Two managers side by side: one row per KPI; conversion p = Fisher exact on the two managers' tables;
    Ann (45%) vs Dee (10%) on ~100+ leads each is 'above'; n_needed = 2((z + z)/h)² per manager."""
    deals = make_deals(5, conv={"Ann": 0.45, "Bob": 0.25, "Dee": 0.10}, n_leads=(200, 260))
    acts = make_activities(5, means={"Ann": 10, "Bob": 10, "Dee": 10})
    out = C.pair_comparison(deals=deals, activities=acts, period=Q2, a="Ann", b="Dee", n_boot=499)
    assert list(out.columns) == C.PAIR_COLUMNS
    assert list(out["kpi"]) == ["conversion", "avg_deal", "activities_per_day", "retention_rate"]
    conv = out.set_index("kpi").loc["conversion"]
    leads = period_leads(deals=deals, period=Q2)
    ka, na = leads.loc[leads.manager == "Ann", "won"].sum(), (leads.manager == "Ann").sum()
    kb, nb = leads.loc[leads.manager == "Dee", "won"].sum(), (leads.manager == "Dee").sum()
    assert conv["p_value"] == pytest.approx(st.fisher_exact([[ka, na - ka], [kb, nb - kb]]).pvalue)
    assert conv["verdict"] == "above" and conv["ci_low"] > 0
    assert conv["n_needed"] == S.n_for_cohens_h(conv["effect"])
    assert set(out["verdict"]) <= set(C.VERDICTS)
    with pytest.raises(DataError):
        C.pair_comparison(deals=deals, period=Q2, a="Ann", b="Ann")
    with pytest.raises(DataError, match="Nobody"):
        C.pair_comparison(deals=deals, period=Q2, a="Ann", b="Nobody")


def test_pair_comparison_plan_row_and_monthly_plan():
    """With plans: monthly revenue vs target per manager × month (pro-rated like kpi.period_targets) and a
    plan_hit_share row compared like a proportion (months as the unit)."""
    deals = make_deals(8, conv={"Ann": 0.4, "Dee": 0.2})
    plans = pd.DataFrame({"manager": ["Ann"] * 3 + ["Dee"] * 3, "month": ["2024-04", "2024-05", "2024-06"] * 2,
                          "target": [1.0, 1.0, 1.0, 1e9, 1e9, 1e9]})
    mp = C.monthly_plan(deals=deals, plans=plans, period=Q2)
    assert len(mp) == 6 and set(mp["month"]) == {"2024-04", "2024-05", "2024-06"}
    out = C.pair_comparison(deals=deals, period=Q2, a="Ann", b="Dee", plans=plans, min_n=0, n_boot=99)
    row = out.set_index("kpi").loc["plan_hit_share"]
    assert (row["a_value"], row["b_value"], row["n_a"], row["n_b"]) == (1.0, 0.0, 3, 3)
    assert row["p_value"] == pytest.approx(st.fisher_exact([[3, 0], [0, 3]]).pvalue)
    assert row["unit"] == "months"


def test_comparison_tests_shape_and_json():
    """The report block: exactly the four KPIs, each {omnibus{test, statistic, p_value, dof, ...},
    vs_team[{manager, p_value, p_adjusted, effect, verdict, ...}]}, plain Python values, JSON-serialisable
    without NaN; inputs are not mutated."""
    deals = make_deals(6, conv={"Ann": 0.4, "Bob": 0.25, "Cid": 0.25, "Dee": 0.15})
    acts = make_activities(6, means={"Ann": 8, "Bob": 10, "Cid": 12, "Dee": 10})
    d0, a0 = deals.copy(), acts.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        out = C.comparison_tests(deals=deals, activities=acts, period=Q2)
    pd.testing.assert_frame_equal(deals, d0)
    pd.testing.assert_frame_equal(acts, a0)
    assert set(out) == {"conversion", "avg_deal", "activities", "retention"}
    json.dumps(out, allow_nan=False)
    for kpi, block in out.items():
        assert set(block) == {"omnibus", "vs_team"}
        assert {"test", "statistic", "p_value", "dof"} <= set(block["omnibus"])
        for row in block["vs_team"]:
            assert {"manager", "p_value", "p_adjusted", "effect", "verdict"} <= set(row)
            assert row["verdict"] in C.VERDICTS
            for v in row.values():
                assert v is None or type(v) in (str, int, float, bool)
    assert out["conversion"]["omnibus"]["test"] == "chi2_homogeneity"
    assert out["avg_deal"]["omnibus"]["test"] == "kruskal_wallis"
    assert out["activities"]["omnibus"]["test"] in ("negbin_lr", "poisson_chi2_homogeneity")
    assert [r["manager"] for r in out["conversion"]["vs_team"]] == ["Ann", "Bob", "Cid", "Dee"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        no_acts = C.comparison_tests(deals=deals, period=Q2)
    assert no_acts["activities"]["vs_team"] == [] and no_acts["activities"]["omnibus"]["test"] is None


def test_comparison_tests_nan_becomes_none():
    """A single manager has no 'rest': p-values are None (not NaN) and the verdict is not_enough_data."""
    deals = make_deals(7, conv={"Solo": 0.3})
    out = C.comparison_tests(deals=deals, period=Q2)
    row = out["conversion"]["vs_team"][0]
    assert row["p_value"] is None and row["verdict"] == "not_enough_data"
    assert out["conversion"]["omnibus"]["p_value"] is None


def test_bad_input_names_the_column():
    """Missing or bad columns raise DataError naming the column; bad arguments name the argument."""
    with pytest.raises(DataError, match="won"):
        C.conversion_vs_team(leads=pd.DataFrame({"manager": ["A"]}))
    with pytest.raises(DataError, match="won"):
        C.conversion_vs_team(leads=pd.DataFrame({"manager": ["A", "B"], "won": [True, "maybe"]}))
    with pytest.raises(DataError, match="amount"):
        C.deal_size_vs_team(won=pd.DataFrame({"manager": ["A"], "amount": [-5.0]}))
    with pytest.raises(DataError, match="manager"):
        C.retention_vs_team(customers=pd.DataFrame({"manager": [None], "retained": [True]}))
    with pytest.raises(ValueError, match="adjust"):
        C.conversion_vs_team(leads=leads_from({"A": (1, 2)}), adjust="bonferroni")
    with pytest.raises(ValueError, match="min_n"):
        C.conversion_vs_team(leads=leads_from({"A": (1, 2)}), min_n=-1)


# ------------------------------------------------------------------------------------------------ simulation

@pytest.mark.slow
def test_no_real_differences_rarely_flag_anyone():
    """Seeded simulation: teams with no real differences. The share of teams in which Holm flags anyone
    (above/below) stays ≤ α + 2.33·MC SE (one-sided 99%), for conversion (Fisher), deal size (Mann–Whitney)
    and activity (negative binomial, the over-dispersed case of notes finding 5). min_n = 0: nobody hidden."""
    rng = np.random.default_rng(2024)
    alpha = 0.05

    def bound(reps: int) -> float:
        return alpha + 2.33 * math.sqrt(alpha * (1 - alpha) / reps)

    names = np.array([f"m{i}" for i in range(6)])
    reps, hits = 500, 0
    for _ in range(reps):
        n = rng.integers(30, 150, 6)
        leads = pd.DataFrame({"manager": np.repeat(names, n), "won": rng.random(n.sum()) < 0.25})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StatisticalWarning)
            s = C.conversion_vs_team(leads=leads, min_n=0, n_resamples=1000).summary
        hits += s["verdict"].isin(["above", "below"]).any()
    assert hits / reps <= bound(reps)

    reps, hits = 400, 0
    for _ in range(reps):
        n = rng.integers(10, 60, 6)
        won = pd.DataFrame({"manager": np.repeat(names, n), "amount": rng.lognormal(8, 1, n.sum())})
        s = C.deal_size_vs_team(won=won, min_n=0, n_boot=0).summary
        hits += s["verdict"].isin(["above", "below"]).any()
    assert hits / reps <= bound(reps)

    P = month(2024, 5)
    days = pd.date_range(P.start, P.end)
    reps, hits = 150, 0
    for _ in range(reps):
        mgr, at = [], []
        for i in range(6):
            k = rng.negative_binomial(3, 3 / 13, len(days))          # mean 10, variance 43 per day
            k[days.day_of_week >= 5] = 0
            mgr += [f"m{i}"] * int(k.sum())
            at += list(np.repeat(days.to_numpy(), k))
        acts = pd.DataFrame({"manager": mgr, "at": at})
        s = C.activity_vs_team(activities=acts, period=P, min_n=0, ci=False).summary
        hits += s["verdict"].isin(["above", "below"]).any()
    assert hits / reps <= bound(reps)


def test_negligible_effects_by_measure():
    # issue #16: tiny observed effects get "no practically relevant difference", not "need about 45,611"
    from metrics.compare import negligible
    assert negligible([0.05, -0.099, 0.1, -0.3, np.nan], "cohens_h").tolist() == [True, True, False, False, False]
    assert negligible([0.1, 0.147, -0.2], "cliffs_delta").tolist() == [True, False, False]
    assert negligible([1.05, 1 / 1.05, 1.1, 0.8, 0.0], "rate_ratio").tolist() == [True, True, False, False, False]
    assert negligible([0.0], "something_else").tolist() == [False]
