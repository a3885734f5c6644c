"""The five KPIs on a tiny hand-computed dataset (tests/conftest.py::tiny), and their edge cases.

Hand computation for January 2025 (previous window: December 2024), working days in January 2025 = 23:
- A: leads {1, 2} → 2, won_of_leads 1 → 0.5; won in P {1} → revenue 100, avg 100; customers_prev {y (deal 7)},
  y buys nothing in January → retention 0/1 = 0; target 1000 → fulfilment 0.1; calls 1, meetings 1
  (a3 not done, a4 is an email).
- B: leads {4} (created Jan 31 23:59:59) → 1, won (closed in February) → conversion 1.0; won in P {5}
  (closed Jan 1 00:00) → revenue 400; x's last December deal is C's (Dec 30) → B has no previous
  customers → retention null; no plan → target null, fulfilment null.
- C: leads {6} (open; its close date is only expected) → conversion 0; no won deal → avg_deal null;
  customers_prev {x}, x bought from A in January → retention 1.0.
- D: only a call → listed with zero leads, conversion null.
- Team: leads 4, won_of_leads 2 (1, 4) → 0.5; won 2 (1, 5) → revenue 500, avg 250; customers_prev {x, y}
  → retained 1 → 0.5; target 1000 → 0.5; activities 3 over 2 active managers.
"""
import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from scipy.stats import binomtest

from metrics import kpi
from metrics.periods import Period, month


def row(card, manager):
    m = card.managers.set_index("manager")
    return m.loc[manager]


def test_january_per_manager(tiny):
    deals, acts, plans = tiny
    card = kpi.compute_kpis(deals=deals, activities=acts, plans=plans, period=month(2025, 1))
    assert card.managers["manager"].tolist() == ["A", "B", "C", "D"]
    a, b, c, d = (row(card, m) for m in "ABCD")
    assert (a.leads, a.won_of_leads, a.conversion) == (2, 1, 0.5)
    assert (a.won, a.revenue, a.avg_deal) == (1, 100.0, 100.0)
    assert (a.customers_prev, a.customers_retained, a.retention_rate) == (1, 0, 0.0)
    assert (a.target, a.plan_fulfillment) == (1000.0, 0.1)
    assert (a.activities, a.calls, a.meetings) == (2, 1, 1)
    assert a.activities_per_day == pytest.approx(2 / 23)
    assert (b.leads, b.won_of_leads, b.conversion) == (1, 1, 1.0)
    assert (b.won, b.revenue, b.avg_deal) == (1, 400.0, 400.0)
    assert b.customers_prev == 0 and math.isnan(b.retention_rate)
    assert math.isnan(b.target) and math.isnan(b.plan_fulfillment)
    assert (c.leads, c.won_of_leads, c.conversion) == (1, 0, 0.0)
    assert c.won == 0 and c.revenue == 0 and math.isnan(c.avg_deal)
    assert (c.customers_prev, c.customers_retained, c.retention_rate) == (1, 1, 1.0)
    assert d.leads == 0 and math.isnan(d.conversion) and d.calls == 1
    assert math.isnan(d.conversion_ci_low) and math.isnan(d.conversion_ci_high)


def test_january_team(tiny):
    deals, acts, plans = tiny
    team = kpi.compute_kpis(deals=deals, activities=acts, plans=plans, period=month(2025, 1)).team.iloc[0]
    assert team.manager is None
    assert (team.leads, team.won_of_leads, team.conversion) == (4, 2, 0.5)
    assert (team.won, team.revenue, team.avg_deal) == (2, 500.0, 250.0)
    assert (team.customers_prev, team.customers_retained, team.retention_rate) == (2, 1, 0.5)
    assert (team.target, team.plan_fulfillment) == (1000.0, 0.5)
    assert (team.activities, team.calls, team.meetings) == (3, 2, 1)
    assert team.activities_per_day == pytest.approx(3 / 23 / 2)  # per manager with an activity


def test_wilson_interval_matches_scipy(tiny):
    deals, acts, plans = tiny
    a = row(kpi.compute_kpis(deals=deals, period=month(2025, 1)), "A")
    ci = binomtest(1, 2).proportion_ci(method="wilson")
    assert a.conversion_ci_low == pytest.approx(ci.low, abs=1e-12)
    assert a.conversion_ci_high == pytest.approx(ci.high, abs=1e-12)
    a99 = row(kpi.compute_kpis(deals=deals, period=month(2025, 1), alpha=0.01), "A")
    assert a99.conversion_ci_high - a99.conversion_ci_low > a.conversion_ci_high - a.conversion_ci_low


def test_period_that_cuts_months_prorates_targets(tiny):
    deals, acts, plans = tiny
    p = Period(date(2025, 1, 16), date(2025, 2, 15))
    a = row(kpi.compute_kpis(deals=deals, plans=plans, period=p), "A")
    assert a.target == pytest.approx(1000 * 16 / 31 + 2800 * 15 / 28)
    # previous window: the same number of days (31) just before: 2024-12-16 .. 2025-01-15
    assert p.previous() == Period(date(2024, 12, 16), date(2025, 1, 15))
    # A's leads created Jan 16 – Feb 15: none; B's deal 4 (Jan 31) is a lead of B
    assert a.leads == 0 and row(kpi.compute_kpis(deals=deals, period=p), "B").leads == 1


def test_default_target_and_overrides(tiny):
    deals, acts, plans = tiny
    card = kpi.compute_kpis(deals=deals, activities=acts, plans=plans, period=month(2025, 1),
                            default_target=200, overrides={"C": 50})
    m = card.managers.set_index("manager")
    assert m.loc["A", "target"] == 1000       # plan row wins over the default
    assert m.loc["B", "target"] == 200        # no plan → default
    assert m.loc["C", "target"] == 50         # override wins
    assert m.loc["B", "plan_fulfillment"] == 2.0
    assert card.team.iloc[0].target == 1000 + 200 + 50 + 200  # D gets the default too


def test_manager_listed_only_by_a_plan(tiny):
    deals, acts, plans = tiny
    plans2 = pd.concat([plans, pd.DataFrame([{"manager": "E", "month": "2025-01", "target": 10.0}])])
    m = kpi.compute_kpis(deals=deals, plans=plans2, period=month(2025, 1)).managers.set_index("manager")
    assert "E" in m.index and m.loc["E", "plan_fulfillment"] == 0.0 and m.loc["E", "leads"] == 0


def test_period_with_no_data_gives_nulls_not_errors(tiny):
    deals, acts, plans = tiny
    card = kpi.compute_kpis(deals=deals, activities=acts, plans=plans, period=month(2030, 1))
    assert card.managers.empty
    team = card.team.iloc[0]
    assert team.leads == 0 and team.won == 0
    for col in ("conversion", "avg_deal", "plan_fulfillment", "retention_rate", "target"):
        assert math.isnan(team[col]), col


def test_empty_retention_window(tiny):
    deals, acts, plans = tiny
    card = kpi.compute_kpis(deals=deals, period=month(2024, 11))  # October 2024 has no won deals
    assert card.team.iloc[0].customers_prev == 0 and math.isnan(card.team.iloc[0].retention_rate)


def test_no_activities_file_gives_null_rates(tiny):
    deals, _, _ = tiny
    card = kpi.compute_kpis(deals=deals, period=month(2025, 1))
    assert card.managers["activities"].eq(0).all()
    assert card.managers["activities_per_day"].isna().all()


def test_inputs_are_not_mutated(tiny):
    deals, acts, plans = tiny
    before = [f.copy(deep=True) for f in tiny]
    kpi.compute_kpis(deals=deals, activities=acts, plans=plans, period=month(2025, 1), overrides={"A": 1})
    for b, a in zip(before, tiny):
        pd.testing.assert_frame_equal(a, b)


def test_traffic_lights(tiny):
    deals, acts, plans = tiny
    card = kpi.compute_kpis(deals=deals, activities=acts, plans=plans, period=month(2025, 1))
    lights = kpi.traffic_lights(scorecard=card, thresholds={"conversion": (0.6, 0.4)}).set_index(["manager", "kpi"])
    assert lights.loc[("A", "conversion"), "light"] == "amber"   # 0.5
    assert lights.loc[("B", "conversion"), "light"] == "green"   # 1.0
    assert lights.loc[("C", "conversion"), "light"] == "red"     # 0.0
    assert lights.loc[("D", "conversion"), "light"] is None      # no leads
    # avg deal relative to the team's 250: A 100/250 = 0.4 → red, B 400/250 = 1.6 → green
    assert lights.loc[("A", "avg_deal"), "score"] == pytest.approx(0.4)
    assert lights.loc[("B", "avg_deal"), "light"] == "green"


def test_changes_vs_previous(tiny):
    deals, acts, plans = tiny
    cur = kpi.compute_kpis(deals=deals, period=month(2025, 1))
    prev = kpi.compute_kpis(deals=deals, period=month(2024, 12))
    ch = kpi.changes(current=cur, previous=prev)
    team = ch[ch["manager"].isna()].set_index("kpi")
    # December: won 3 (3, 7, 8) revenue 280; January revenue 500
    assert team.loc["revenue", "previous"] == 280 and team.loc["revenue", "delta"] == 220


def test_monthly_kpis_equal_single_months(tiny):
    deals, acts, plans = tiny
    months = kpi.last_months(month(2025, 1), 2)
    assert [p.start for p in months] == [date(2024, 12, 1), date(2025, 1, 1)]
    mk = kpi.monthly_kpis(deals=deals, months=months)
    jan = mk[(mk["month"] == "2025-01") & mk["manager"].isna()].iloc[0]
    assert jan.revenue == 500 and jan.leads == 4
    assert np.isclose(mk[(mk["month"] == "2024-12") & mk["manager"].isna()].iloc[0].revenue, 280)


def _same_aggregates(a: kpi.Aggregates, b: kpi.Aggregates) -> None:
    assert a.period == b.period and a.team == b.team and a.notes == b.notes
    assert a.has_activities == b.has_activities
    for name in ("leads", "won", "acts", "ret"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


def test_monthly_aggregates_equal_month_by_month(tiny):
    deals, acts, plans = tiny
    for months in (kpi.last_months(month(2025, 2), 5), kpi.last_months(month(2025, 1), 1),
                   [month(2025, 1), month(2024, 12)]):                      # not in order: month by month
        for a in (acts, None):
            fast = kpi.monthly_aggregates(deals=deals, months=months, activities=a)
            slow = [kpi.kpi_aggregates(deals=deals, period=m, activities=a) for m in months]
            for x, y in zip(fast, slow):
                _same_aggregates(x, y)
                pd.testing.assert_frame_equal(kpi.scorecard_from(x, plans=plans).table(),
                                              kpi.compute_kpis(deals=deals, period=x.period, activities=a,
                                                               plans=plans).table(), check_exact=True)


def test_a_period_past_the_data_is_judged_on_the_part_it_covers(tiny):
    # issue #16. The tiny data end on 1 Feb 2025 09:00 (B's close); 16 Jan – 15 Feb is covered up to 1 Feb:
    # A's target 1000·16/31 + 2800·1/28 (not ·15/28); working days 16–17, 20–24, 27–31 Jan = 12 (Sat 1 Feb)
    deals, acts, plans = tiny
    p = Period(date(2025, 1, 16), date(2025, 2, 15))
    end = kpi.data_covered_end(deals=deals, activities=acts)
    assert end == date(2025, 2, 1)
    card = kpi.compute_kpis(deals=deals, activities=acts, plans=plans, period=p, covered_end="data")
    assert card.covered == Period(date(2025, 1, 16), date(2025, 2, 1)) and not card.complete
    a = row(card, "A")
    assert a.target == pytest.approx(1000 * 16 / 31 + 2800 * 1 / 28)
    assert a.working_days == 12
    # the whole period when asked (the default of compute_kpis)
    assert row(kpi.compute_kpis(deals=deals, plans=plans, period=p), "A").target == pytest.approx(
        1000 * 16 / 31 + 2800 * 15 / 28)
    # a period after the data: nothing covered, no target due, no working days
    late = kpi.compute_kpis(deals=deals, activities=acts, plans=plans, period=month(2025, 3), covered_end="data")
    assert late.covered is None and (late.table()["working_days"] == 0).all()
    # the calendar: January 2021 in Ukraine has 19 working days, Monday–Friday 21
    jan21 = kpi.compute_kpis(deals=deals, period=month(2021, 1), calendar="UA")
    assert int(jan21.team["working_days"].iloc[0]) == 19


def test_lights_below_the_minimum_sample_are_insufficient(tiny):
    deals, acts, plans = tiny
    card = kpi.compute_kpis(deals=deals, activities=acts, plans=plans, period=month(2025, 1))
    lights = kpi.traffic_lights(scorecard=card, min_n=2).set_index(["manager", "kpi"])["light"]
    # conversion: A 2 leads → a light; B, C 1 lead → insufficient; D no lead → none
    assert lights[("A", "conversion")] in ("green", "amber", "red")
    assert lights[("B", "conversion")] == lights[("C", "conversion")] == "insufficient"
    assert lights[("D", "conversion")] is None
    # average deal: A and B one won deal each; retention: A and C one previous customer each
    assert lights[("A", "avg_deal")] == lights[("B", "avg_deal")] == "insufficient"
    assert lights[("A", "retention_rate")] == "insufficient"
    # the team: 4 leads, 2 won, 2 customers → lights; plan fulfilment never by sample size
    assert lights[(None, "conversion")] != "insufficient" and lights[(None, "avg_deal")] != "insufficient"
    assert lights[("A", "plan_fulfillment")] == "red"
    # without min_n nothing changes
    plain = kpi.traffic_lights(scorecard=card).set_index(["manager", "kpi"])["light"]
    assert "insufficient" not in set(plain.dropna())


def clientless_deals() -> pd.DataFrame:
    """3 invoices with a client (X twice, Y once), 2 without (d2, d4); every one won, closed on its day.

    Hand computation, February 2025 (previous window January):
    - team: leads {d3, d4} → 2, won_of_leads 2 → conversion 1.0; won {d3, d4} → revenue 200 + 30 = 230,
      avg 115; customers_prev = January's clients {X (d1), Y (d5)} = 2 (d2 has no client: no customer),
      retained {X (d3)} = 1 → retention 0.5. (With d2 as a one-off customer "#d2" it would be 1/3; with the
      empty clients taken for one customer 2/3.)
    - A: won 2, revenue 230; customers_prev {X} → retained 1 → 1.0. B: customers_prev {Y} → 0 → 0.0.
    January: won {d1, d2, d5} → revenue 100 + 50 + 70 = 220, avg 220/3; customers_prev 0 (December empty).
    """
    return pd.DataFrame({
        "deal_id": ["d1", "d2", "d3", "d4", "d5"], "manager": ["A", "A", "A", "A", "B"],
        "client": ["X", None, "X", None, "Y"],
        "created_at": pd.to_datetime(["2025-01-10", "2025-01-15", "2025-02-05", "2025-02-07", "2025-01-20"]),
        "closed_at": pd.to_datetime(["2025-01-10", "2025-01-15", "2025-02-05", "2025-02-07", "2025-01-20"]),
        "status": ["won"] * 5, "amount": [100.0, 50.0, 200.0, 30.0, 70.0], "source": None, "currency": None})


def test_deals_without_client_count_for_revenue_never_as_customers():
    deals = clientless_deals()
    before = deals.copy(deep=True)
    feb = kpi.compute_kpis(deals=deals, period=month(2025, 2))
    t = feb.team.iloc[0]
    assert (t.leads, t.won_of_leads, t.conversion) == (2, 2, 1.0)
    assert (t.won, t.revenue, t.avg_deal) == (2, 230.0, 115.0)
    assert (t.customers_prev, t.customers_retained, t.retention_rate) == (2, 1, 0.5)
    a, b = row(feb, "A"), row(feb, "B")
    assert (a.won, a.revenue, a.customers_prev, a.customers_retained, a.retention_rate) == (2, 230.0, 1, 1, 1.0)
    assert (b.won, b.customers_prev, b.customers_retained, b.retention_rate) == (0, 1, 0, 0.0)
    jan = kpi.compute_kpis(deals=deals, period=month(2025, 1)).team.iloc[0]
    assert (jan.won, jan.revenue, jan.avg_deal) == (3, 220.0, pytest.approx(220 / 3))
    rc = kpi.retention_customers(deals=deals, period=month(2025, 2))
    assert sorted(rc["client"]) == ["X", "Y"] and rc.set_index("client")["retained"].to_dict() == {"X": True, "Y": False}
    # the one-pass monthly aggregates agree with the period-by-period ones
    one_pass = kpi.monthly_aggregates(deals=deals, months=[month(2025, 1), month(2025, 2)])
    assert [(g.team["customers_prev"], g.team["customers_retained"], g.team["revenue"]) for g in one_pass] == \
        [(0, 0, 220.0), (2, 1, 230.0)]
    pd.testing.assert_frame_equal(deals, before)


def test_shared_period_rows_computes_each_selection_once_within_the_block(tiny):
    """Issue #17: inside ``kpi.shared_period_rows()`` the period's rows of the same frame are computed once
    (the report's KPIs and comparisons get the same frame); outside, a fresh frame each call; another frame
    or period is another selection; the values are those of the plain call."""
    deals, acts, _ = tiny
    p = month(2025, 1)
    plain = {f: getattr(kpi, f)(deals=deals, period=p) for f in ("period_leads", "period_won", "retention_customers")}
    assert kpi.period_leads(deals=deals, period=p) is not kpi.period_leads(deals=deals, period=p)
    with kpi.shared_period_rows():
        for f, frame in plain.items():
            first = getattr(kpi, f)(deals=deals, period=p)
            assert getattr(kpi, f)(deals=deals, period=p) is first
            pd.testing.assert_frame_equal(first, frame)
        assert kpi.period_activities(activities=acts, period=p) is kpi.period_activities(activities=acts, period=p)
        assert kpi.period_leads(deals=deals.copy(), period=p) is not kpi.period_leads(deals=deals, period=p)
        assert kpi.period_leads(deals=deals, period=month(2024, 12)) is not kpi.period_leads(deals=deals, period=p)
    assert kpi.period_won(deals=deals, period=p) is not kpi.period_won(deals=deals, period=p)
