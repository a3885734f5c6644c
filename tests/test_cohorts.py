"""Tests for metrics/cohorts/: cohort tables, pooled curves, time to repeat, Kaplan–Meier, log-rank.

Reference values: the worked example of docs ``statistics.md`` §3 and the published vectors
``km_aml_maintained``, ``logrank_gehan_6mp`` of ``reference-values.json`` (values copied below, sources
in each test's docstring).
"""
from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from scipy import stats as st

from metrics import cohorts as co
from metrics.errors import DataError, StatisticalWarning

# ------------------------------------------------------------------------------------------------------
# the worked example of statistics.md §3: months Jan = 0 … May = 4, T = 4
# ------------------------------------------------------------------------------------------------------
EXAMPLE = {"C1": [0, 1, 3], "C2": [0, 2], "C3": [0], "C4": [0, 1, 2, 3, 4], "C10": [0, 4],
           "C5": [1, 2], "C6": [1, 4], "C7": [1], "C8": [2, 3], "C9": [2]}
OWNER_A = {"C1", "C2", "C5", "C8"}        # the rest belong to manager B


def example_deals(day: int = 10) -> pd.DataFrame:
    rows = []
    for client, months in EXAMPLE.items():
        for m in months:
            at = pd.Timestamp(2025, m + 1, day)
            rows.append({"deal_id": f"{client}-{m}", "manager": "A" if client in OWNER_A else "B",
                         "client": client, "created_at": at - pd.Timedelta(days=5), "closed_at": at,
                         "status": "won", "amount": 100.0,
                         "source": "web" if client in {"C1", "C5"} else "ref", "currency": "EUR"})
    # noise that must be ignored: a lost deal and an open deal of a new client
    rows.append({"deal_id": "L", "manager": "A", "client": "C99", "created_at": pd.Timestamp(2025, 1, 2),
                 "closed_at": pd.Timestamp(2025, 1, 20), "status": "lost", "amount": 5.0, "source": None,
                 "currency": "EUR"})
    rows.append({"deal_id": "O", "manager": "B", "client": "C98", "created_at": pd.Timestamp(2025, 2, 2),
                 "closed_at": pd.NaT, "status": "open", "amount": 5.0, "source": None, "currency": "EUR"})
    return pd.DataFrame(rows)


@pytest.fixture
def ex_purchases() -> pd.DataFrame:
    return co.purchases(deals=example_deals())


def grid(table: pd.DataFrame) -> dict[tuple[str, int], float]:
    return {(c, int(k)): float(r) for c, k, r in zip(table["cohort"], table["period_index"], table["rate"])}


def test_purchases_keeps_won_closed_deals_only():
    deals = example_deals()
    before = deals.copy(deep=True)
    p = co.purchases(deals=deals)
    assert list(p.columns) == ["client", "manager", "at", "amount", "source"]
    assert len(p) == sum(len(v) for v in EXAMPLE.values()) == 21
    assert set(p["client"]) == set(EXAMPLE)
    pd.testing.assert_frame_equal(deals, before)


def test_worked_example_classic_table(ex_purchases):
    t = co.cohort_table(purchases=ex_purchases, freq="month", kind="classic", end="2025-05-31")
    assert list(t.columns) == co.TABLE_COLUMNS
    sizes = t.drop_duplicates("cohort").set_index("cohort")["size"].to_dict()
    assert sizes == {"2025-01": 5, "2025-02": 3, "2025-03": 2}
    expected = {("2025-01", 1): .4, ("2025-01", 2): .4, ("2025-01", 3): .4, ("2025-01", 4): .4,
                ("2025-02", 1): 1 / 3, ("2025-02", 2): 0.0, ("2025-02", 3): 1 / 3,
                ("2025-03", 1): .5, ("2025-03", 2): 0.0}
    for c in sizes:
        expected[(c, 0)] = 1.0
    got = grid(t)
    assert got.keys() == expected.keys()          # nothing beyond T: Feb stops at k=3, Mar at k=2
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-12), key
    assert t["manager"].isna().all()
    assert t.loc[(t.cohort == "2025-01") & (t.period_index == 4), "retained"].item() == 2


def test_worked_example_rolling_table(ex_purchases):
    t = co.cohort_table(purchases=ex_purchases, kind="rolling", end="2025-05-31")
    expected = {("2025-01", 1): .8, ("2025-01", 2): .8, ("2025-01", 3): .6, ("2025-01", 4): .4,
                ("2025-02", 1): 2 / 3, ("2025-02", 2): 1 / 3, ("2025-02", 3): 1 / 3,
                ("2025-03", 1): .5, ("2025-03", 2): 0.0,
                ("2025-01", 0): 1.0, ("2025-02", 0): 1.0, ("2025-03", 0): 1.0}
    got = grid(t)
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-12), key


def test_worked_example_pooled_classic(ex_purchases):
    t = co.cohort_table(purchases=ex_purchases, end="2025-05-31")
    pooled = co.pooled_curve(table=t)
    assert list(pooled.columns) == co.POOLED_COLUMNS
    assert pooled["rate"].tolist() == pytest.approx([1.0, .40, .20, .375, .40], abs=1e-12)
    assert pooled["cohorts"].tolist() == [3, 3, 3, 2, 1]
    assert pooled["size"].tolist() == [10, 10, 10, 8, 5]
    assert pooled["retained"].tolist() == [10, 4, 2, 3, 2]


def test_worked_example_kaplan_meier(ex_purchases):
    r = co.time_to_repeat(purchases=ex_purchases, end="2025-05-31")
    assert list(r.columns) == co.REPEAT_COLUMNS
    dur = dict(zip(r["client"], zip(r["duration"], r["event"])))
    assert dur == {"C1": (1, True), "C2": (2, True), "C3": (4, False), "C4": (1, True), "C10": (4, True),
                   "C5": (1, True), "C6": (3, True), "C7": (3, False), "C8": (1, True), "C9": (2, False)}
    assert r["event"].mean() == pytest.approx(.70)          # the naive "share who bought again"
    km = co.kaplan_meier(data=r, group=None)
    s = km.summary
    assert s["time"].tolist() == [1, 2, 3, 4]
    assert s["survival"].tolist() == pytest.approx([.600, .500, .375, .1875], abs=1e-12)
    assert (1 - s["survival"]).tolist() == pytest.approx([.40, .50, .625, .8125], abs=1e-12)
    assert s["at_risk"].tolist() == [10, 6, 4, 2]
    assert s["events"].tolist() == [4, 1, 1, 1]
    assert km.median["median"].tolist() == [2.0]          # lower convention: first t with S ≤ 0.5
    assert km.median[["n", "events"]].values.tolist() == [[10, 7]]


def test_worked_example_crr_trap(ex_purchases):
    """statistics.md §3: Feb–Mar → Apr–May, S = 8, E = 5, N = 0.

    (E−N)/S = 62.5% but |S∩E|/|S| = 50%.
    """
    out = co.period_retention(purchases=ex_purchases, base=("2025-02-01", "2025-03-31"),
                              target=("2025-04-01", "2025-05-31"))
    assert list(out.columns) == co.PERIOD_RETENTION_COLUMNS
    row = out.iloc[0]
    assert (row.base_customers, row.target_customers, row.new_customers, row.retained, row.reactivated) == \
        (8, 5, 0, 4, 1)                                    # C10 reactivated
    assert row.crr_naive == pytest.approx(.625)
    assert row.retention == pytest.approx(.50)
    by = co.period_retention(purchases=ex_purchases, base=("2025-02-01", "2025-03-31"),
                             target=("2025-04-01", "2025-05-31"), by="manager")
    assert by["manager"].tolist() == ["A", "B"]
    assert by["base_customers"].sum() == 8 and by["retained"].sum() == 4


def test_end_and_last_complete_period(ex_purchases):
    """The period containing ``end`` counts only if ``end`` is its last day."""
    last_k = lambda t: int(t.loc[t.cohort == "2025-01", "period_index"].max())  # noqa: E731
    assert last_k(co.cohort_table(purchases=ex_purchases)) == 3          # default end = 2025-05-10
    assert last_k(co.cohort_table(purchases=ex_purchases, end="2025-05-30")) == 3
    assert last_k(co.cohort_table(purchases=ex_purchases, end=pd.Timestamp("2025-05-31 18:00"))) == 4
    assert last_k(co.cohort_table(purchases=ex_purchases, end="2025-12-31")) == 11
    # purchases on the last day of the month: default end is complete
    month_end = example_deals().assign(closed_at=lambda d: d["closed_at"] + pd.offsets.MonthEnd(0))
    p = co.purchases(deals=month_end)
    assert last_k(co.cohort_table(purchases=p)) == 4
    # end before the first month is complete: nothing to show
    assert co.cohort_table(purchases=ex_purchases, end="2025-01-20").empty


def test_by_manager_adds_up_to_team(ex_purchases):
    team = co.cohort_table(purchases=ex_purchases, end="2025-05-31")
    by = co.cohort_table(purchases=ex_purchases, end="2025-05-31", by="manager")
    assert set(by["manager"]) == {"A", "B"}
    summed = by.groupby(["cohort", "period_index"])[["size", "retained"]].sum().reset_index()
    merged = team.merge(summed, on=["cohort", "period_index"], suffixes=("", "_m"))
    assert len(merged) == len(team)
    assert (merged["size"] == merged["size_m"]).all() and (merged["retained"] == merged["retained_m"]).all()
    a = by[by.manager == "A"]
    assert a.drop_duplicates("cohort")["size"].tolist() == [2, 1, 1]  # C1,C2 | C5 | C8
    pooled = co.pooled_curve(table=by)
    assert pooled["manager"].tolist()[:1] == ["A"] and set(pooled["manager"]) == {"A", "B"}


def test_owner_latest_and_filters():
    deals = example_deals()
    deals.loc[(deals.client == "C4") & (deals.closed_at == pd.Timestamp(2025, 5, 10)), "manager"] = "A"
    p = co.purchases(deals=deals)
    first = co.time_to_repeat(purchases=p, end="2025-05-31")
    latest = co.time_to_repeat(purchases=p, end="2025-05-31", owner="latest")
    assert first.set_index("client").loc["C4", "manager"] == "B"
    assert latest.set_index("client").loc["C4", "manager"] == "A"
    t = co.cohort_table(purchases=p, end="2025-05-31", managers=["A"], owner="latest")
    assert t.drop_duplicates("cohort")["size"].sum() == 5                # C1 C2 C4 C5 C8
    t = co.cohort_table(purchases=p, end="2025-05-31", source="web")
    sizes = t.drop_duplicates("cohort")[["cohort", "size"]].values.tolist()
    assert sizes == [["2025-01", 1], ["2025-02", 1]]                     # C1, C5 came via "web"
    t = co.cohort_table(purchases=p, end="2025-05-31", managers="nobody")
    assert t.empty and list(t.columns) == co.TABLE_COLUMNS


def test_time_to_repeat_in_days(ex_purchases):
    r = co.time_to_repeat(purchases=ex_purchases, unit="day", end="2025-05-31").set_index("client")
    assert r.loc["C1", "duration"] == 31 and r.loc["C1", "event"]                 # Jan 10 → Feb 10
    assert r.loc["C3", "duration"] == (pd.Timestamp("2025-05-31") - pd.Timestamp("2025-01-10")).days
    assert not r.loc["C3", "event"]
    # a second deal the same day is not a repeat; one a day later is
    extra = pd.DataFrame({"client": ["X", "X", "Y", "Y"], "manager": ["A"] * 4,
                          "at": pd.to_datetime(["2025-05-01 09:00", "2025-05-01 17:00",
                                                "2025-05-01 00:00", "2025-05-02 00:00"]),
                          "amount": 1.0, "source": None})
    r = co.time_to_repeat(purchases=extra, unit="day", end="2025-05-31").set_index("client")
    assert (r.loc["X", "duration"], r.loc["X", "event"]) == (30, False)
    assert (r.loc["Y", "duration"], r.loc["Y", "event"]) == (1, True)


def test_week_and_quarter_hand_case():
    """ISO weeks: Mon 2024-12-30 is 2025-W01, Sun 2024-12-29 is 2024-W52; Sun 2021-01-03 is 2020-W53."""
    p = pd.DataFrame({
        "client": ["a", "a", "b", "b", "c", "a"],
        "manager": ["M"] * 6,
        "at": pd.to_datetime(["2024-12-29", "2024-12-30", "2024-12-31", "2025-01-12", "2025-01-06",
                              "2025-01-13"]),
        "amount": 1.0, "source": None})
    t = co.cohort_table(purchases=p, freq="week", end="2025-01-19")           # Sunday: W03 complete
    assert grid(t) == {("2024-W52", 0): 1.0, ("2024-W52", 1): 1.0, ("2024-W52", 2): 0.0,
                       ("2024-W52", 3): 1.0,
                       ("2025-W01", 0): 1.0, ("2025-W01", 1): 1.0, ("2025-W01", 2): 0.0,
                       ("2025-W02", 0): 1.0, ("2025-W02", 1): 0.0}
    assert t["cohort_start"].drop_duplicates().dt.strftime("%Y-%m-%d").tolist() == \
        ["2024-12-23", "2024-12-30", "2025-01-06"]
    assert co.period_labels(co.day_to_period(np.array([(pd.Timestamp("2021-01-03") -
                                                        pd.Timestamp("1970-01-01")).days]), "week"),
                            "week").tolist() == ["2020-W53"]
    # Saturday end: that week is incomplete, so the last cell is W02
    t = co.cohort_table(purchases=p, freq="week", end="2025-01-18")
    assert t["period_index"].max() == 2
    q = co.cohort_table(purchases=p, freq="quarter", end="2025-03-31")
    assert grid(q) == {("2024Q4", 0): 1.0, ("2024Q4", 1): 1.0, ("2025Q1", 0): 1.0}   # a, b return in Q1
    assert q.drop_duplicates("cohort")["size"].tolist() == [2, 1]
    # end inside 2025Q1 (explicit, or the default = last purchase 2025-01-13): T = 2024Q4
    assert grid(co.cohort_table(purchases=p, freq="quarter", end="2025-03-30")) == {("2024Q4", 0): 1.0}
    assert grid(co.cohort_table(purchases=p, freq="quarter")) == {("2024Q4", 0): 1.0}
    rq = co.cohort_table(purchases=p, freq="quarter", kind="rolling", end="2025-03-31")
    assert grid(rq) == grid(q)


def test_cohort_retention_report_contract(ex_purchases):
    deals = example_deals()
    before = deals.copy(deep=True)
    rep = co.cohort_retention_report(deals, "month", "2025-05-31")
    json.dumps(rep)                                                   # plain Python types only
    assert len(rep) == 5 + 4 + 3
    assert rep[0] == {"cohort": "2025-01", "size": 5, "period_index": 0, "retained": 5, "rate": 1.0}
    assert rep[1] == {"cohort": "2025-01", "size": 5, "period_index": 1, "retained": 2, "rate": 0.4}
    for row in rep:
        assert set(row) == {"cohort", "size", "period_index", "retained", "rate"}
        assert type(row["size"]) is int and type(row["retained"]) is int and type(row["rate"]) is float
        if row["period_index"] == 0:
            assert row["rate"] == 1.0
    keys = [(r["cohort"], r["period_index"]) for r in rep]
    assert keys == sorted(keys)
    pd.testing.assert_frame_equal(deals, before)
    assert co.cohort_retention_report(deals[deals.status != "won"]) == []


# ------------------------------------------------------------------------------------------------------
# published reference vectors
# ------------------------------------------------------------------------------------------------------
AML_TIME = [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161]
AML_EVENT = [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0]


def test_kaplan_meier_aml_maintained():
    """R ``summary(survfit(Surv(time, status) ~ x, data = aml))``, Maintained stratum, as printed on RPubs
    (Acute Myelogenous Leukemia data, Miller 1997); reference-values.json ``km_aml_maintained``.
    Survival within 5.01e-4, Greenwood SE within 5.01e-5.
    """
    data = pd.DataFrame({"duration": AML_TIME, "event": AML_EVENT, "manager": "Maintained"})
    km = co.kaplan_meier(data=data, alpha=0.05, ci="linear")
    s = km.summary.set_index("time")
    times = [9, 13, 18, 23, 31]
    assert s.loc[times, "survival"].tolist() == pytest.approx([.909, .818, .716, .614, .491], abs=5.01e-4)
    assert s.loc[times, "se"].tolist() == pytest.approx([.0867, .1163, .1397, .1526, .1642], abs=5.01e-5)
    assert s.loc[times, "at_risk"].tolist() == [11, 10, 8, 7, 5]
    assert s.index.tolist() == [9, 13, 18, 23, 31, 34, 48]              # event times only, like R
    # linear band = Ŝ ± z·SE where not clipped
    z = st.norm.ppf(0.975)
    inner = (s["ci_low"] > 0) & (s["ci_high"] < 1)
    lo, hi = (s.survival - z * s.se)[inner].tolist(), (s.survival + z * s.se)[inner].tolist()
    assert s.loc[inner, "ci_low"].tolist() == pytest.approx(lo, rel=1e-9)
    assert s.loc[inner, "ci_high"].tolist() == pytest.approx(hi, rel=1e-9)
    assert km.median["median"].tolist() == [31.0]                     # R: median 31 for Maintained
    # log-log band contains Ŝ and stays inside (0, 1)
    ll = co.kaplan_meier(data=data).summary
    assert ((ll.ci_low <= ll.survival) & (ll.survival <= ll.ci_high)).all()
    assert ((ll.ci_low > 0) & (ll.ci_high < 1)).all()


SIX_MP_T = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
SIX_MP_E = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
PLACEBO_T = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]


def gehan() -> pd.DataFrame:
    return pd.DataFrame({"duration": SIX_MP_T + PLACEBO_T, "event": SIX_MP_E + [1] * 21,
                         "manager": ["6-MP"] * 21 + ["placebo"] * 21})


def hand_logrank(t: np.ndarray, e: np.ndarray, g: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """(O − E)ᵀ V⁻¹ (O − E) over the first k − 1 groups, accumulated event time by event time."""
    groups = np.unique(g)
    k = len(groups)
    o_minus_e, v = np.zeros(k), np.zeros((k, k))
    for tj in np.unique(t[e == 1]):
        at_risk = t >= tj
        n = at_risk.sum()
        d = ((t == tj) & (e == 1)).sum()
        ng = np.array([(at_risk & (g == x)).sum() for x in groups])
        dg = np.array([((t == tj) & (e == 1) & (g == x)).sum() for x in groups])
        o_minus_e += dg - d * ng / n
        if n > 1:
            v += d * (n - d) / (n - 1) * (np.diag(ng / n) - np.outer(ng, ng) / n**2)
    chisq = float(o_minus_e[:-1] @ np.linalg.solve(v[:-1, :-1], o_minus_e[:-1]))
    return chisq, o_minus_e, v


def test_logrank_freireich_6mp():
    """R ``survdiff`` on the Freireich et al. (1963) 6-MP remission data: 'Chisq= 16.8 on 1 degrees of
    freedom, p= 4.17e-05' (RPubs output); reference-values.json ``logrank_gehan_6mp``.
    """
    data = gehan()
    out = co.logrank(data=data)
    assert list(out.columns) == co.LOGRANK_COLUMNS
    row = out.iloc[0]
    assert row.statistic == pytest.approx(16.8, abs=0.051)
    assert row.p_value == pytest.approx(4.17e-05, abs=5.01e-08)
    assert (row.dof, row.groups) == (1, 2)
    assert "scipy" in row.test
    # the k-sample path (statsmodels survdiff) and the hand formula agree with scipy at k = 2
    from statsmodels.duration.survfunc import survdiff
    sm_chisq, _ = survdiff(data.duration.to_numpy(), data.event.to_numpy(), data.manager.to_numpy())
    assert sm_chisq == pytest.approx(row.statistic, rel=1e-9)
    hand, _, _ = hand_logrank(data.duration.to_numpy(), data.event.to_numpy(), data.manager.to_numpy())
    assert hand == pytest.approx(row.statistic, rel=1e-9)


def test_logrank_k_sample_matches_hand_computation():
    """Three groups: statsmodels survdiff = (O − E)ᵀ V⁻¹ (O − E) computed by hand, on 2 dof."""
    rng = np.random.default_rng(7)
    n = 60
    g = np.repeat(["a", "b", "c"], n)
    t = np.concatenate([rng.integers(1, 30, n), rng.integers(1, 20, n), rng.integers(3, 40, n)]).astype(float)
    e = (rng.random(3 * n) < 0.7).astype(int)
    data = pd.DataFrame({"duration": t, "event": e, "manager": g})
    out = co.logrank(data=data).iloc[0]
    hand, o_minus_e, v = hand_logrank(t, e, g)
    assert o_minus_e.sum() == pytest.approx(0.0, abs=1e-9)
    assert out.statistic == pytest.approx(hand, rel=1e-9)
    assert (out.dof, out.groups) == (2, 3)
    assert out.p_value == pytest.approx(st.chi2.sf(hand, 2), rel=1e-9)
    assert "survdiff" in out.test


# The lung vector (R survdiff on NCCTG lung by sex) needs a data set that is not installed: not reproduced.



# ------------------------------------------------------------------------------------------------------
# warnings, guards, edge cases
# ------------------------------------------------------------------------------------------------------
def test_statistical_warnings():
    tiny = pd.DataFrame({"duration": [1, 2, 3], "event": [1, 0, 1], "manager": ["x", "x", "y"]})
    with pytest.warns(StatisticalWarning, match="imprecise"):
        km = co.kaplan_meier(data=tiny)
    assert km.median.set_index("group").loc["x", "median"] == 1.0
    assert km.median.set_index("group").loc["y", "median"] == 3.0
    with pytest.warns(StatisticalWarning, match="expected events"):
        co.logrank(data=tiny)


def test_median_not_reached_is_none():
    data = pd.DataFrame({"duration": list(range(1, 21)), "event": [1, 1] + [0] * 18})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        km = co.kaplan_meier(data=data, group=None)
        none = co.kaplan_meier(data=data.assign(event=0), group=None)
    assert km.median["median"].tolist() == [None]
    assert none.summary.empty and list(none.summary.columns) == co.KM_COLUMNS
    assert none.median[["median", "n", "events"]].values.tolist() == [[None, 20, 0]]


def test_guards():
    p = co.purchases(deals=example_deals())
    with pytest.raises(DataError, match="client"):
        co.cohort_table(purchases=p.drop(columns="client"))
    with pytest.raises(DataError, match="'at'"):
        co.cohort_table(purchases=p.assign(at=p["at"].astype(str)))
    with pytest.raises(DataError, match="manager"):
        co.cohort_table(purchases=p.assign(manager=[None] + p["manager"].tolist()[1:]))
    with pytest.raises(ValueError, match="freq"):
        co.cohort_table(purchases=p, freq="day")
    with pytest.raises(ValueError, match="kind"):
        co.cohort_table(purchases=p, kind="bounded")
    with pytest.raises(DataError, match="end"):
        co.cohort_table(purchases=p, end="not a date")
    with pytest.raises(DataError, match="closed_at"):
        co.purchases(deals=example_deals().drop(columns="closed_at"))
    with pytest.raises(DataError, match="duration"):
        co.kaplan_meier(data=pd.DataFrame({"duration": [-1, 2], "event": [1, 1], "manager": "a"}))
    with pytest.raises(DataError, match="event"):
        co.kaplan_meier(data=pd.DataFrame({"duration": [1, 2], "event": [2, 1], "manager": "a"}))
    with pytest.raises(DataError, match="two groups"):
        co.logrank(data=pd.DataFrame({"duration": [1, 2], "event": [1, 1], "manager": "a"}))
    with pytest.raises(DataError, match="size"):
        co.pooled_curve(table=pd.DataFrame({"manager": [None], "period_index": [0], "retained": [1]}))
    with pytest.raises(TypeError):
        co.cohort_table(purchases=[1, 2, 3])


def test_empty_inputs():
    empty = co.purchases(deals=example_deals().iloc[:0])
    assert list(empty.columns) == co.PURCHASE_COLUMNS and empty.empty
    t = co.cohort_table(purchases=empty)
    assert t.empty and list(t.columns) == co.TABLE_COLUMNS
    assert co.pooled_curve(table=t).empty
    r = co.time_to_repeat(purchases=empty)
    assert r.empty and list(r.columns) == co.REPEAT_COLUMNS


# ------------------------------------------------------------------------------------------------------
# properties
# ------------------------------------------------------------------------------------------------------
def period_label(per: pd.Period, freq: str) -> str:
    if freq == "week":
        year, week, _ = per.start_time.isocalendar()
        return f"{year}-W{week:02d}"
    return str(per)                       # "2025-01", "2025Q1"


@hs.composite
def purchase_frames(draw) -> pd.DataFrame:
    n = draw(hs.integers(1, 60))
    clients = draw(hs.lists(hs.sampled_from([f"c{i}" for i in range(15)]), min_size=n, max_size=n))
    managers = draw(hs.lists(hs.sampled_from(["Ann", "Bob", "Cy"]), min_size=n, max_size=n))
    days = draw(hs.lists(hs.integers(0, 400), min_size=n, max_size=n))
    return pd.DataFrame({"client": clients, "manager": managers,
                         "at": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"),
                         "amount": 1.0, "source": None})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=purchase_frames(), freq=hs.sampled_from(co.FREQS), by=hs.sampled_from(co.BYS),
       owner=hs.sampled_from(co.OWNERS), end_shift=hs.integers(-100, 100))
def test_properties(p, freq, by, owner, end_shift):
    before = p.copy(deep=True)
    end = p["at"].max() + pd.Timedelta(days=end_shift)
    classic = co.cohort_table(purchases=p, freq=freq, kind="classic", by=by, owner=owner, end=end)
    rolling = co.cohort_table(purchases=p, freq=freq, kind="rolling", by=by, owner=owner, end=end)
    pd.testing.assert_frame_equal(p, before)                           # input unchanged
    key = ["manager", "cohort", "period_index"]
    assert classic[key].equals(rolling[key]) and classic["size"].equals(rolling["size"])
    if classic.empty:
        return
    assert classic["rate"].between(0, 1).all() and rolling["rate"].between(0, 1).all()
    k0 = classic["period_index"] == 0
    assert (classic.loc[k0, "rate"] == 1.0).all() and (rolling.loc[k0, "rate"] == 1.0).all()
    # rolling never increases with k and is never below classic
    diffs = rolling.groupby(["manager", "cohort"], dropna=False)["retained"].diff().dropna()
    assert (diffs <= 0).all()
    assert (rolling["retained"] >= classic["retained"]).all()
    # cohort sizes add up to the number of distinct customers with a first purchase up to T
    rep = co.time_to_repeat(purchases=p, freq=freq, owner=owner, end=end)
    sizes = classic.drop_duplicates(["manager", "cohort"])["size"].sum()
    assert sizes == len(rep) == rep["client"].nunique()
    if end >= p["at"].max() + pd.Timedelta(days=400):
        assert sizes == p["client"].nunique()
    # classic cells = distinct customers buying in period c + k (brute force with pandas Periods)
    seen = p[p["at"] < end.normalize() + pd.Timedelta(days=1)]
    seen = seen.assign(per=seen["at"].dt.to_period({"week": "W-SUN", "month": "M", "quarter": "Q"}[freq]))
    first = seen["client"].map(seen.groupby("client")["per"].min())
    seen = seen.assign(k=[(a - b).n for a, b in zip(seen["per"], first)],
                       cohort=[period_label(x, freq) for x in first])
    brute = seen.drop_duplicates(["client", "per"]).groupby(["cohort", "k"])["client"].nunique()
    cells = classic.groupby(["cohort", "period_index"])["retained"].sum()
    for (cohort, k), count in cells.items():
        assert brute.get((cohort, k), 0) == count, (cohort, k)
    # pooled rates are size-weighted means of the cohort rates
    pooled = co.pooled_curve(table=classic)
    assert pooled["rate"].between(0, 1).all()
    assert pooled.loc[pooled.period_index == 0, "rate"].eq(1.0).all()


def test_prepared_customers_give_the_same_tables_and_refuse_other_arguments():
    from metrics import cohorts as c
    deals = pd.DataFrame({"client": ["a", "b", "a", "c", "b", "a"], "manager": ["M", "N", "M", "N", "M", "N"],
                          "status": "won", "amount": 1.0,
                          "closed_at": pd.to_datetime(["2025-01-05", "2025-01-20", "2025-02-03", "2025-02-10",
                                                       "2025-04-01", "2025-05-02"])})
    buys = c.purchases(deals=deals)
    for freq, owner in [("month", "first"), ("week", "latest"), ("quarter", "first")]:
        cu = c.customers(purchases=buys, freq=freq, end="2025-05-31", owner=owner)
        for kind in ("classic", "rolling"):
            for by in ("team", "manager"):
                args = dict(purchases=buys, freq=freq, kind=kind, owner=owner, by=by, end="2025-05-31")
                pd.testing.assert_frame_equal(c.cohort_table(**args), c.cohort_table(**args, customers=cu))
        args = dict(purchases=buys, freq=freq, owner=owner, end="2025-05-31")
        pd.testing.assert_frame_equal(c.time_to_repeat(**args), c.time_to_repeat(**args, customers=cu))
    with pytest.raises(ValueError):
        c.cohort_table(purchases=buys, freq="month", end="2025-05-31", customers=cu)      # built for quarters


def test_kaplan_meier_matches_scipy_ecdf_bit_for_bit():
    """The censored groups' estimate is computed directly; it must equal scipy.stats.ecdf's sf and band."""
    import numpy as np
    from scipy import stats as sst

    from metrics import cohorts as c
    rng = np.random.default_rng(5)
    n = 400
    data = pd.DataFrame({"duration": rng.integers(0, 15, n).astype(float), "event": rng.random(n) < 0.6,
                         "manager": rng.choice(["A", "B", "C"], n)})
    data.loc[data["manager"] == "C", "event"] = True                      # C: no censoring (scipy's other branch)
    for ci in ("log-log", "linear"):
        for alpha in (0.05, 0.2):
            res = c.kaplan_meier(data=data, group="manager", alpha=alpha, ci=ci)
            for g, part in data.groupby("manager"):
                t, e = part["duration"].to_numpy(), part["event"].to_numpy()
                sf = sst.ecdf(sst.CensoredData(uncensored=t[e], right=t[~e])).sf
                with np.errstate(all="ignore"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    band = sf.confidence_interval(confidence_level=1 - alpha, method=ci)
                got = res.summary[res.summary["group"] == g]
                times = got["time"].to_numpy()
                np.testing.assert_array_equal(got["survival"].to_numpy(), sf.evaluate(times))
                np.testing.assert_array_equal(got["ci_low"].to_numpy(), band.low.evaluate(times))
                np.testing.assert_array_equal(got["ci_high"].to_numpy(), band.high.evaluate(times))


def test_logrank_k_groups_equals_statsmodels_survdiff_exactly():
    import numpy as np
    from statsmodels.duration.survfunc import survdiff

    from metrics import cohorts as c
    rng = np.random.default_rng(11)
    for _ in range(30):
        n, k = int(rng.integers(30, 400)), int(rng.integers(3, 9))
        data = pd.DataFrame({"duration": rng.integers(0, 12, n).astype(float), "event": rng.random(n) < 0.5,
                             "manager": rng.choice([f"m{i}" for i in range(k)], n)})
        if data["manager"].nunique() < 3:
            continue
        codes, _ = pd.factorize(data["manager"], sort=True)
        try:
            want, _ = survdiff(data["duration"].to_numpy(), data["event"].to_numpy().astype(np.int64), codes)
        except np.linalg.LinAlgError:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", StatisticalWarning)
            got = c.logrank(data=data)
        assert got["statistic"].iloc[0] == float(want)


def test_won_deals_without_client_are_no_purchases():
    """3 invoices with a client (X in January and February, Y in January), 2 without: the cohort 2025-01 is
    {X, Y} (size 2, not 3 or 4), 1 of them buys in February → 0.5; time to repeat: X after 1 month, Y
    censored at 1 (T − c, T = February)."""
    deals = pd.DataFrame({
        "deal_id": ["d1", "d2", "d3", "d4", "d5"], "manager": ["A", "A", "A", "A", "B"],
        "client": ["X", None, "X", None, "Y"],
        "created_at": pd.to_datetime(["2025-01-10", "2025-01-15", "2025-02-05", "2025-02-07", "2025-01-20"]),
        "closed_at": pd.to_datetime(["2025-01-10", "2025-01-15", "2025-02-05", "2025-02-07", "2025-01-20"]),
        "status": ["won"] * 5, "amount": [100.0, 50.0, 200.0, 30.0, 70.0]})
    p = co.purchases(deals=deals)
    assert p["client"].tolist() == ["X", "X", "Y"] and p["amount"].sum() == 370.0
    table = co.cohort_table(purchases=p, freq="month", kind="classic", end="2025-02-28")
    assert grid(table) == {("2025-01", 0): 1.0, ("2025-01", 1): 0.5}
    assert table["size"].tolist() == [2, 2]
    rep = co.time_to_repeat(purchases=p, freq="month", end="2025-02-28")
    assert rep.set_index("client")[["duration", "event"]].to_dict("index") == {
        "X": {"duration": 1, "event": True}, "Y": {"duration": 1, "event": False}}
    cells = co.cohort_retention_report(deals, freq="month", end="2025-02-28")
    assert [(c["cohort"], c["size"], c["period_index"], c["retained"]) for c in cells] == [
        ("2025-01", 2, 0, 2), ("2025-01", 2, 1, 1)]
