"""metrics.planning: target rules, KPI targets, run-rate forecast, composite score, backtest, scenarios.

Every expected number is worked out by hand in the comments next to it.
"""
from __future__ import annotations

import json
import math
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from dateutil.easter import EASTER_ORTHODOX, easter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs
from scipy import stats as st

from metrics import kpi
from metrics import planning as P
from metrics.errors import DataError, StatisticalWarning
from metrics.periods import Period, month
from metrics.schema import standardize_deals, standardize_plans

Z = float(st.norm.ppf(0.975))


def deals_of(rows):
    return standardize_deals(pd.DataFrame(
        rows, columns=["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount"]), file="t")


def plans_of(rows):
    return standardize_plans(pd.DataFrame(rows, columns=["manager", "month", "target"]), file="t")


@pytest.fixture
def history():
    """A: first lead 2024-01; won 2024-03 100, 2024-05 200, 2025-01 100, 2025-03 300.
    B: first lead 2025-03; won 2025-03 50.  C: first lead 2024-02; won 2024-04 400.
    The data ends on Wed 2025-04-30, April's last working day, so April 2025 is complete."""
    return deals_of([
        ("1", "A", "x", "2024-01-05", "2024-03-10", "won", "100"),
        ("2", "A", "x", "2024-04-01", "2024-05-20", "won", "200"),
        ("3", "A", "y", "2025-01-02", "2025-01-15", "won", "100"),
        ("4", "A", "y", "2025-02-02", "2025-03-10", "won", "300"),
        ("5", "B", "z", "2025-03-01", "2025-03-20", "won", "50"),
        ("6", "B", "z", "2025-04-02", "2025-04-30", "lost", "70"),
        ("7", "C", "w", "2024-02-01", "2024-04-15", "won", "400"),
    ])


def target_of(frame, manager, mo):
    sel = frame.loc[(frame["manager"] == manager) & (frame["month"] == mo), "target"]
    assert len(sel) == 1
    return float(sel.iloc[0])


# ----------------------------------------------------------------------------------------------------------
# target rules
# ----------------------------------------------------------------------------------------------------------
def test_rule_same():
    out = P.rule_same(managers=["B", "A"], months=["2025-02", "2025-01"], target=500)
    assert list(out.columns) == P.PLAN_COLUMNS
    assert out.values.tolist() == [["A", "2025-01", 500.0], ["A", "2025-02", 500.0],
                                   ["B", "2025-01", 500.0], ["B", "2025-02", 500.0]]


def test_rule_same_rejects_bad_input():
    with pytest.raises(DataError, match="target"):
        P.rule_same(managers=["A"], months=["2025-01"], target=-1)
    with pytest.raises(DataError, match="months"):
        P.rule_same(managers=["A"], months=["2025-1"], target=1)
    with pytest.raises(DataError, match="managers"):
        P.rule_same(managers="A", months=["2025-01"], target=1)


def test_rule_growth_with_a_manager_lacking_last_year(history):
    out = P.rule_growth(deals=history, managers=["A", "B", "C"], months=["2025-03", "2025-05"], growth=0.1)
    assert target_of(out, "A", "2025-03") == pytest.approx(110.0)      # 100 in 2024-03 × 1.1
    assert target_of(out, "A", "2025-05") == pytest.approx(220.0)      # 200 in 2024-05 × 1.1
    assert np.isnan(target_of(out, "B", "2025-03"))                    # B started in 2025
    assert np.isnan(target_of(out, "C", "2025-03"))                    # C sold nothing in 2024-03
    miss = P.missing_targets(plans=out)
    assert miss.values.tolist() == [["B", "2025-03"], ["B", "2025-05"], ["C", "2025-03"], ["C", "2025-05"]]
    with pytest.raises(DataError, match="growth"):
        P.rule_growth(deals=history, managers=["A"], months=["2025-03"], growth=-1)


def test_rule_percentile_counts_zero_months_while_active(history):
    # window = 2025-01..2025-04 (4 months before 2025-05)
    out = P.rule_percentile(deals=history, managers=["A", "B", "C"], months=["2025-05", "2025-06"],
                            q=0.75, history_months=4)
    # A: [100, 0, 300, 0] sorted [0, 0, 100, 300]; position 0.75·3 = 2.25 → 100 + 0.25·200 = 150
    assert target_of(out, "A", "2025-05") == pytest.approx(150.0)
    assert target_of(out, "A", "2025-06") == pytest.approx(150.0)
    # B active from 2025-03 only: [50, 0] → 0 + 0.75·50 = 37.5 (Jan and Feb not counted)
    assert target_of(out, "B", "2025-05") == pytest.approx(37.5)
    # C active but no revenue in the window: four zeros
    assert target_of(out, "C", "2025-05") == 0.0
    med = P.rule_percentile(deals=history, managers=["A"], months=["2025-05"], q=0.5, history_months=4)
    assert target_of(med, "A", "2025-05") == pytest.approx(50.0)        # (0 + 100) / 2


def test_rule_percentile_window_stops_at_the_data(history):
    # before 2025-07, 4 months → 2025-03..2025-06, but the data ends with April: A [300, 0] → 225
    out = P.rule_percentile(deals=history, managers=["A", "D"], months=["2025-08"], q=0.75, history_months=4,
                            before="2025-07")
    assert target_of(out, "A", "2025-08") == pytest.approx(225.0)
    assert np.isnan(target_of(out, "D", "2025-08"))                     # unknown manager: no history


def test_rule_split_shares(history):
    # revenue 2025-01..04: A 100 + 300 = 400, B 50, C 0 → A 400/450, B 50/450, C NaN
    out = P.rule_split(deals=history, managers=["A", "B", "C"], months=["2025-05"], team_target=1000,
                       history_months=4)
    assert target_of(out, "A", "2025-05") == pytest.approx(1000 * 400 / 450)
    assert target_of(out, "B", "2025-05") == pytest.approx(1000 * 50 / 450)
    assert np.isnan(target_of(out, "C", "2025-05"))
    assert out["target"].sum() == pytest.approx(1000.0)
    per_month = P.rule_split(deals=history, managers=["A", "B"], months=["2025-05", "2025-06"],
                             team_target={"2025-05": 900, "2025-06": 1800}, history_months=4)
    assert target_of(per_month, "A", "2025-06") == pytest.approx(1600.0)
    assert target_of(per_month, "B", "2025-05") == pytest.approx(100.0)


def test_ramp_up_uses_the_median_of_the_others():
    plans = pd.DataFrame({"manager": ["X", "Y", "Z"] * 3 + ["N"],
                          "month": ["2025-05"] * 3 + ["2025-06"] * 3 + ["2025-09"] * 3 + ["2025-04"],
                          "target": [100, 200, 400, 100, 300, 500, 100, 100, 100, 999.0]})
    plans.loc[len(plans)] = ["N", "2025-09", np.nan]
    before = plans.copy()
    out = P.ramp_up(plans=plans, starts={"N": "2025-05"})
    assert target_of(out, "N", "2025-05") == pytest.approx(0.4 * 200)   # median(100, 200, 400) = 200
    assert target_of(out, "N", "2025-06") == pytest.approx(0.6 * 300)   # median(100, 300, 500) = 300
    assert target_of(out, "N", "2025-09") == pytest.approx(1.0 * 100)   # after the ramp, NaN → base
    assert target_of(out, "N", "2025-04") == 999.0                      # before the start: untouched
    assert target_of(out, "Y", "2025-06") == 300.0
    pd.testing.assert_frame_equal(plans, before)
    fixed = P.ramp_up(plans=plans, starts={"N": "2025-05"}, base=1000, steps=(0.5, 1.0))
    assert target_of(fixed, "N", "2025-05") == 500.0
    assert target_of(fixed, "N", "2025-06") == 1000.0


def test_ramp_up_excludes_other_ramping_managers_from_the_median():
    plans = pd.DataFrame({"manager": ["X", "Y", "M"], "month": ["2025-05"] * 3, "target": [100.0, 300.0, 5000.0]})
    out = P.ramp_up(plans=plans, starts={"N": "2025-05", "M": "2025-05"})
    # base = median(X, Y) = 200 (M is ramping too, so its 5000 is not a peer's target)
    assert target_of(out, "N", "2025-05") == pytest.approx(80.0)
    assert target_of(out, "M", "2025-05") == pytest.approx(80.0)
    with pytest.raises(DataError, match="starts"):
        P.ramp_up(plans=plans, starts={"N": "May"})


def test_new_managers(history):
    # first leads: A 2024-01 (the data's first month: cannot tell), C 2024-02, B 2025-03
    assert P.new_managers(deals=history, months=["2025-05"]) == {"B": "2025-03"}
    assert P.new_managers(deals=history, months=["2025-05"], lookback=1) == {}
    assert P.new_managers(deals=history, months=["2024-03"], lookback=1) == {"C": "2024-02"}


# ----------------------------------------------------------------------------------------------------------
# KPI targets
# ----------------------------------------------------------------------------------------------------------
def card_table():
    return pd.DataFrame({"manager": ["A", "B", None], "won": [3, 1, 4], "conversion": [0.5, 0.2, 0.3],
                         "activities_per_day": [10.0, np.nan, 5.0], "retention_rate": [0.2, 0.4, 0.3]})


def test_kpi_targets_team_wide_and_per_manager():
    out = P.kpi_target_table(scorecard=card_table(),
                             targets={"won": {None: 2, "B": 1}, "conversion": {None: 0.25}})
    assert list(out.columns) == P.KPI_TARGET_COLUMNS
    won = out.loc[out["kpi"] == "won"].reset_index(drop=True)
    assert won["target"].tolist() == [2.0, 1.0, 3.0]                    # team: 2 + 1
    assert won["attainment"].tolist() == pytest.approx([1.5, 1.0, 4 / 3])
    assert won["met"].tolist() == [True, True, True]
    conv = out.loc[out["kpi"] == "conversion"].reset_index(drop=True)
    assert conv["target"].tolist() == [0.25, 0.25, 0.25]
    assert conv["attainment"].tolist() == pytest.approx([2.0, 0.8, 1.2])
    assert conv["met"].tolist() == [True, False, True]


def test_kpi_targets_missing_target_or_value():
    out = P.kpi_target_table(scorecard=card_table(),
                             targets=P.KpiTargets({"retention_rate": {"A": 0.3},
                                                   "activities_per_day": {None: 8}}))
    ret = out.loc[out["kpi"] == "retention_rate"].reset_index(drop=True)
    assert ret["attainment"].iloc[0] == pytest.approx(0.2 / 0.3)
    assert ret["met"].tolist() == [False, None, None]                   # B and team: no target
    act = out.loc[out["kpi"] == "activities_per_day"].reset_index(drop=True)
    assert act["met"].tolist() == [True, None, False]                   # B has no value
    with pytest.raises(DataError, match="unknown KPI"):
        P.KpiTargets({"revenue": {None: 1}})
    with pytest.raises(DataError, match="conversion"):
        P.KpiTargets({"conversion": {None: 25}})                        # a percentage, not a proportion


def test_kpi_targets_on_a_real_scorecard(tiny):
    deals, acts, plans = tiny
    card = kpi.compute_kpis(deals=deals, period=month(2025, 1), activities=acts, plans=plans)
    out = P.kpi_target_table(scorecard=card, targets={"won": {None: 1}})
    # January 2025 won deals closed: A 1 (deal 1), B 1 (deal 5, 2025-01-01); C and D none
    got = dict(zip(out["manager"], out["value"]))
    assert got["A"] == 1 and got["B"] == 1 and got[None] == 2
    assert out.loc[out["manager"].isna(), "target"].iloc[0] == float(len(card.managers))


# ----------------------------------------------------------------------------------------------------------
# holidays and working days
# ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("year,expected", [(2024, date(2024, 5, 5)), (2025, date(2025, 4, 20)),
                                           (2026, date(2026, 4, 12)), (2023, date(2023, 4, 16)),
                                           (2022, date(2022, 4, 24))])
def test_orthodox_easter(year, expected):
    assert P.orthodox_easter(year) == expected


def test_orthodox_easter_agrees_with_dateutil():
    for y in range(1900, 2100):
        assert P.orthodox_easter(y) == easter(y, EASTER_ORTHODOX), y


def test_ua_holidays_2026_and_2023():
    assert list(P.ua_holidays(2026)) == [date(2026, 1, 1), date(2026, 3, 8), date(2026, 4, 12), date(2026, 5, 1),
                                         date(2026, 5, 8), date(2026, 5, 31), date(2026, 6, 28), date(2026, 7, 15),
                                         date(2026, 8, 24), date(2026, 10, 1), date(2026, 12, 25)]
    h23 = P.ua_holidays(2023)        # the year of the changes: 7 Jan, 9 May, 28 Jul still; 1 Oct already
    assert {date(2023, 1, 7), date(2023, 5, 9), date(2023, 7, 28), date(2023, 10, 1)} <= set(h23)
    assert date(2023, 5, 8) not in h23 and date(2023, 10, 14) not in h23 and date(2023, 7, 15) not in h23
    assert date(2017, 5, 2) in P.ua_holidays(2017) and date(2018, 5, 2) not in P.ua_holidays(2018)


def test_working_days_august_and_may_2026():
    # August 2026: Sat 1st; weekdays 3–7, 10–14, 17–21, 24–28, 31 = 21; Mon 24 Aug (Independence Day) → 20
    assert P.working_days(start=date(2026, 8, 1), end=date(2026, 8, 31)) == 21
    assert P.working_days(start=date(2026, 8, 1), end=date(2026, 8, 31), holidays="ua") == 20
    # May 2026: 21 weekdays; Fri 1 May and Fri 8 May off; Trinity is Sunday 31 May and is not moved → 19
    assert P.working_days(start="2026-05-01", end="2026-05-31", holidays="ua") == 19
    with pytest.raises(DataError, match="holidays"):
        P.working_days(start="2026-05-01", end="2026-05-31", holidays="pl")


# ----------------------------------------------------------------------------------------------------------
# forecast
# ----------------------------------------------------------------------------------------------------------
@pytest.fixture
def august():
    """A: leads since July; won Mon 3 Aug 1000, Sat 8 Aug 2000 (counts on Fri 7), Fri 14 Aug 1000, and Thu 20
    Aug 5000 (after as_of). B: first lead Wed 12 Aug, won Thu 13 Aug 900. Targets A 10000, B 6500."""
    deals = deals_of([
        ("1", "A", "x", "2026-07-01", "2026-08-03", "won", "1000"),
        ("2", "A", "y", "2026-07-10", "2026-08-08 11:00", "won", "2000"),
        ("3", "A", "z", "2026-08-04", "2026-08-14 18:00", "won", "1000"),
        ("4", "A", "q", "2026-08-05", "2026-08-20", "won", "5000"),
        ("5", "B", "r", "2026-08-12", "2026-08-13", "won", "900"),
    ])
    plans = plans_of([("A", "2026-08", "10000"), ("B", "2026-08", "6500")])
    return deals, plans


def row(frame, manager):
    sel = frame.loc[frame["manager"].isna()] if manager is None else frame.loc[frame["manager"] == manager]
    assert len(sel) == 1
    return sel.iloc[0]


def test_forecast_with_ua_holiday_and_a_mid_month_start(august):
    deals, plans = august
    before = deals.copy()
    with pytest.warns(StatisticalWarning, match="B"):
        out = P.forecast(deals=deals, period=month(2026, 8), as_of=date(2026, 8, 14), plans=plans, holidays="ua")
    pd.testing.assert_frame_equal(deals, before)
    assert list(out.columns) == P.FORECAST_COLUMNS
    a = row(out, "A")
    # A: 10 elapsed working days (3–7, 10–14), 20 in August with 24 Aug off; 4000 so far → 4000/10·20 = 8000
    assert (a["elapsed_wd"], a["total_wd"], a["revenue_to_date"]) == (10, 20, 4000.0)
    assert a["projected"] == pytest.approx(8000.0)
    # daily [1000, 0, 0, 0, 2000, 0, 0, 0, 0, 1000]: mean 400, Σ(x − 400)² = 2·600² + 1600² + 7·400² = 4.4e6
    s = math.sqrt(4.4e6 / 9)
    assert a["projected_high"] == pytest.approx(8000 + Z * s * math.sqrt(10))
    assert a["projected_low"] == 4000.0          # 8000 − 4334 = 3666 is below the revenue so far: clipped
    assert a["target"] == 10000.0 and a["projected_fulfillment"] == pytest.approx(0.8)
    assert a["projected_fulfillment_high"] == pytest.approx((8000 + Z * s * math.sqrt(10)) / 10000)
    b = row(out, "B")
    # B started Wed 12 Aug: elapsed 12–14 = 3; total 12–14, 17–21, 25–28, 31 = 13; 900/3·13 = 3900
    assert b["counted_from"] == date(2026, 8, 12)
    assert (b["elapsed_wd"], b["total_wd"]) == (3, 13)
    assert b["projected"] == pytest.approx(3900.0)
    sb = math.sqrt((300 ** 2 * 2 + 600 ** 2) / 2)                      # daily [0, 900, 0]
    assert b["projected_high"] == pytest.approx(3900 + Z * sb * math.sqrt(10))
    assert b["projected_low"] == pytest.approx(max(3900 - Z * sb * math.sqrt(10), 900.0))
    assert b["projected_fulfillment"] == pytest.approx(0.6)
    team = row(out, None)
    assert (team["revenue_to_date"], team["elapsed_wd"], team["total_wd"]) == (4900.0, 10, 20)
    assert team["projected"] == pytest.approx(11900.0)                  # 8000 + 3900
    assert team["target"] == 16500.0
    daily = np.array([1000, 0, 0, 0, 2000, 0, 0, 0, 900, 1000.0])        # the team's days, B's 900 on the 13th
    assert team["projected_high"] == pytest.approx(11900 + Z * daily.std(ddof=1) * math.sqrt(10))


def test_forecast_without_holidays_and_prediction_band(august):
    deals, plans = august
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatisticalWarning)
        out = P.forecast(deals=deals, period=month(2026, 8), as_of="2026-08-14", plans=plans, band="prediction")
    a, b = row(out, "A"), row(out, "B")
    assert (a["total_wd"], a["projected"]) == (21, pytest.approx(8400.0))   # 4000/10·21
    assert (b["total_wd"], b["projected"]) == (14, pytest.approx(4200.0))   # 900/3·14
    s = math.sqrt(4.4e6 / 9)
    assert a["projected_high"] == pytest.approx(8400 + Z * s * math.sqrt(11 + 11 ** 2 / 10))


def test_forecast_data_starting_inside_the_period_counts_everyone_from_the_start():
    deals = deals_of([("1", "A", "x", "2026-08-03", "2026-08-04", "won", "100"),
                      ("2", "B", "y", "2026-08-12", "2026-08-13", "won", "300")])
    with warnings.catch_warnings():
        warnings.simplefilter("error", StatisticalWarning)       # 10 elapsed days each: no warning
        out = P.forecast(deals=deals, period=month(2026, 8), as_of="2026-08-14")
    b = row(out, "B")
    assert b["counted_from"] == date(2026, 8, 1) and b["elapsed_wd"] == 10
    assert np.isnan(b["target"]) and np.isnan(b["projected_fulfillment"])


def test_forecast_few_days_warns_and_over_period_is_actual(august):
    deals, plans = august
    with pytest.warns(StatisticalWarning, match="working day"):
        early = P.forecast(deals=deals, period=month(2026, 8), as_of="2026-08-04", plans=plans)
    a = row(early, "A")
    assert a["elapsed_wd"] == 2 and a["projected"] == pytest.approx(1000 / 2 * 21)
    done = P.forecast(deals=deals, period=month(2026, 8), as_of="2026-09-10", plans=plans)
    a = row(done, "A")
    assert a["projected"] == a["projected_low"] == a["projected_high"] == 9000.0
    with pytest.raises(DataError, match="as_of"):
        P.forecast(deals=deals, period=month(2026, 8), as_of="2026-07-31")


def test_forecast_counts_first_activity_as_the_start(august):
    deals, plans = august
    acts = pd.DataFrame({"activity_id": ["a"], "manager": ["B"], "type": ["call"],
                         "at": pd.to_datetime(["2026-08-10 09:00"]), "done": [True]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", StatisticalWarning)       # 5 elapsed days: not "fewer than 5"
        out = P.forecast(deals=deals, period=month(2026, 8), as_of="2026-08-14", plans=plans, activities=acts,
                         holidays="ua")
    b = row(out, "B")
    # from Mon 10 Aug: elapsed 10–14 = 5; total 10–14, 17–21, 25–28, 31 = 15; 900/5·15 = 2700
    assert (b["counted_from"], b["elapsed_wd"], b["total_wd"]) == (date(2026, 8, 10), 5, 15)
    assert b["projected"] == pytest.approx(2700.0)


# ----------------------------------------------------------------------------------------------------------
# composite score
# ----------------------------------------------------------------------------------------------------------
def composite_card():
    """conversion A .30 B .20 C .10 D — (no leads), team .20; avg_deal A 100 B 100 C 400 D 150, team 150."""
    return pd.DataFrame({
        "manager": ["A", "B", "C", "D", None],
        "leads": [100, 100, 100, 0, 300], "won_of_leads": [30, 20, 10, 0, 60],
        "conversion": [0.3, 0.2, 0.1, np.nan, 0.2],
        "won": [30, 20, 10, 5, 65], "revenue": [3000.0, 2000.0, 4000.0, 750.0, 9750.0],
        "avg_deal": [100.0, 100.0, 400.0, 150.0, 150.0],
        "activities": [0, 0, 0, 0, 0], "activities_per_day": [np.nan] * 5, "working_days": [21] * 5,
        "target": [np.nan] * 5, "plan_fulfillment": [np.nan] * 5,
        "customers_prev": [0] * 5, "customers_retained": [0] * 5, "retention_rate": [np.nan] * 5})


def test_composite_score_weights_and_ranks():
    out = P.composite_score(scorecard=composite_card(), weights={"conversion": 3, "avg_deal": 1}, n_sim=500)
    assert list(out.columns) == P.COMPOSITE_COLUMNS
    got = out.set_index("manager")
    # weights → 0.75 / 0.25; conversion scores 1.5, 1, 0.5; avg_deal 100/150, 100/150, min(400/150, 2) = 2
    assert got.loc["A", "score"] == pytest.approx(0.75 * 1.5 + 0.25 * 2 / 3)
    assert got.loc["B", "score"] == pytest.approx(0.75 * 1.0 + 0.25 * 2 / 3)
    assert got.loc["C", "score"] == pytest.approx(0.75 * 0.5 + 0.25 * 2.0)
    assert got.loc["C", "avg_deal_score"] == 2.0
    assert got.loc["D", "score"] == pytest.approx(1.0)                 # conversion missing: avg_deal alone
    assert got["rank"].tolist() == [1, 3, 4, 2]
    assert (got["rank_low"] <= got["rank"]).all() and (got["rank"] <= got["rank_high"]).all()
    assert got["rank_low"].min() >= 1 and got["rank_high"].max() <= 4
    assert P.normalize_weights({"conversion": 3, "avg_deal": 1}) == {
        "conversion": 0.75, "avg_deal": 0.25, "activities_per_day": 0.0, "plan_fulfillment": 0.0,
        "retention_rate": 0.0}


def test_composite_score_thresholds_reference_and_reproducible():
    card = composite_card()
    out = P.composite_score(scorecard=card, weights={"conversion": 1}, thresholds={"conversion": (0.25, 0.18)},
                            n_sim=200, seed=3)
    assert out.set_index("manager").loc["A", "score"] == pytest.approx(0.3 / 0.25)
    again = P.composite_score(scorecard=card, weights={"conversion": 1}, thresholds={"conversion": (0.25, 0.18)},
                              n_sim=200, seed=3)
    pd.testing.assert_frame_equal(out, again)
    with pytest.raises(DataError, match="weights"):
        P.composite_score(scorecard=card, weights={"revenue": 1})
    with pytest.raises(DataError, match="weights"):
        P.composite_score(scorecard=card, weights={"conversion": 0})


def test_composite_score_on_a_real_scorecard(tiny):
    deals, acts, plans = tiny
    card = kpi.compute_kpis(deals=deals, period=month(2025, 1), activities=acts, plans=plans)
    won = kpi.period_won(deals=deals, period=month(2025, 1))
    out = P.composite_score(scorecard=card, weights={k: 1 for k in kpi.LIGHT_KPIS}, won=won, n_sim=300)
    assert out["manager"].tolist() == card.managers["manager"].tolist()
    ok = out["score"].notna()
    assert ((out.loc[ok, "rank_low"] <= out.loc[ok, "rank"]) & (out.loc[ok, "rank"] <= out.loc[ok, "rank_high"])).all()


@settings(max_examples=30, deadline=None)
@given(hs.dictionaries(hs.sampled_from(P.COMPOSITE_KPIS), hs.floats(0.01, 1e6), min_size=1))
def test_weights_normalise_to_one(weights):
    w = P.normalize_weights(weights)
    assert sum(w.values()) == pytest.approx(1.0)
    total = sum(weights.values())
    for k, v in weights.items():
        assert w[k] == pytest.approx(v / total)


@settings(max_examples=15, deadline=None)
@given(hs.floats(0.01, 100), hs.floats(0.01, 100), hs.floats(0.001, 1000))
def test_composite_score_ignores_the_scale_of_weights(w1, w2, c):
    card = composite_card()
    a = P.composite_score(scorecard=card, weights={"conversion": w1, "avg_deal": w2}, n_sim=50)
    b = P.composite_score(scorecard=card, weights={"conversion": w1 * c, "avg_deal": w2 * c}, n_sim=50)
    np.testing.assert_allclose(a["score"], b["score"], rtol=1e-9)
    assert a["rank"].tolist() == b["rank"].tolist()


# ----------------------------------------------------------------------------------------------------------
# backtest
# ----------------------------------------------------------------------------------------------------------
def test_backtest_lights_and_summary():
    deals = deals_of([("1", "A", "x", "2025-01-02", "2025-01-20", "won", "100"),
                      ("2", "A", "x", "2025-02-02", "2025-02-20", "won", "50"),
                      ("3", "B", "y", "2025-01-02", "2025-01-20", "lost", "80"),
                      ("4", "B", "y", "2025-02-02", "2025-02-20", "won", "170"),
                      ("5", "C", "z", "2025-02-02", "2025-02-20", "won", "10")])
    # next year's plan applied to last year's months (shift 12); C has no target in 2026-02
    plans = pd.DataFrame({"manager": ["A", "A", "B", "B", "C"], "month": ["2026-01", "2026-02"] * 2 + ["2026-01"],
                          "target": [100.0, 100.0, 200.0, 200.0, np.nan]})
    out = P.backtest(deals=deals, plans=plans, months=["2025-01", "2025-02"], shift=12)
    assert list(out.columns) == P.BACKTEST_COLUMNS
    assert out[["manager", "month", "revenue", "target"]].values.tolist() == [
        ["A", "2025-01", 100.0, 100.0], ["A", "2025-02", 50.0, 100.0], ["B", "2025-01", 0.0, 200.0],
        ["B", "2025-02", 170.0, 200.0], ["C", "2025-01", 0.0, pytest.approx(np.nan, nan_ok=True)]]
    assert out["fulfillment"].tolist()[:4] == pytest.approx([1.0, 0.5, 0.0, 0.85])
    assert out["light"].tolist() == ["green", "red", "red", "amber", None]
    summ = P.backtest_summary(out)
    assert list(summ.columns) == P.SUMMARY_COLUMNS
    s = summ.set_index(summ["manager"].fillna("team"))
    assert s.loc["A", ["months", "median_fulfillment", "share_green", "share_amber", "share_red"]].tolist() == \
        pytest.approx([2, 0.75, 0.5, 0.0, 0.5])
    assert s.loc["B", ["median_fulfillment", "share_amber", "share_red"]].tolist() == pytest.approx([0.425, 0.5, 0.5])
    assert s.loc["C", "months"] == 0 and np.isnan(s.loc["C", "median_fulfillment"])
    # team: fulfilment [1, .5, 0, .85] → median (.5 + .85)/2 = .675; green 1/4, amber 1/4, red 2/4
    assert s.loc["team", ["months", "median_fulfillment", "share_green", "share_amber", "share_red"]].tolist() == \
        pytest.approx([4, 0.675, 0.25, 0.25, 0.5])
    assert summ["manager"].iloc[-1] is None
    strict = P.backtest(deals=deals, plans=plans, months=["2025-01"], thresholds=(1.2, 1.0), shift=12)
    assert strict["light"].tolist() == ["amber", "red", None]
    with pytest.raises(DataError, match="thresholds"):
        P.backtest(deals=deals, plans=plans, months=["2025-01"], thresholds=(0.8, 1.0))


# ----------------------------------------------------------------------------------------------------------
# scenarios
# ----------------------------------------------------------------------------------------------------------
def full_scenario(**kw):
    base = dict(name="Q4 push", created="2026-11-02T10:00:00+00:00", fingerprint="abc123", language="uk",
                period={"kind": "quarter", "value": "2026-Q4"}, default_target=300000.0,
                overrides={"Олена Коваленко": 500000.0},
                plan_grid=[{"manager": "A", "month": "2026-10", "target": 1000.0},
                           {"manager": "B", "month": "2026-10", "target": None}],
                kpi_targets={"conversion": {None: 0.25, "A": 0.3}, "won": {"B": 12.0}},
                thresholds=dict(kpi.DEFAULT_THRESHOLDS), threshold_mode={"plan_fulfillment": "share_of_target"},
                weights={"conversion": 2.0, "plan_fulfillment": 1.0},
                mapping={"deals.csv": {"manager": "Відповідальний", "amount": "Сума"}},
                stages={"Успішно": "won", "Провалено": "lost"}, alpha=0.1, min_n=20, adjust="bh")
    base.update(kw)
    return P.Scenario(**base)


def test_scenario_round_trip():
    s = full_scenario()
    text = P.scenario_to_json(s)
    assert '"*": 0.25' in text and "Олена Коваленко" in text
    back, problems = P.scenario_from_json(text, fingerprint="abc123", managers=["A", "B", "Олена Коваленко"])
    assert problems == []
    assert back == s
    assert P.scenario_period(back) == Period(date(2026, 10, 1), date(2026, 12, 31))
    plans = P.scenario_plans(back)
    assert plans["target"].isna().tolist() == [False, True]
    assert P.plan_grid_from_frame(plans) == s.plan_grid


def test_default_scenario_round_trip_has_no_problems():
    s = P.Scenario(name="empty")
    back, problems = P.scenario_from_json(P.scenario_to_json(s), fingerprint="anything", managers=[])
    assert problems == [] and back == s and P.scenario_period(back) is None


def test_scenario_not_json_or_not_an_object():
    with pytest.raises(DataError, match="not valid JSON"):
        P.scenario_from_json("{name: 1")
    with pytest.raises(DataError, match="JSON object"):
        P.scenario_from_json("[1, 2]")


def test_scenario_mixed_good_and_bad_fields():
    text = json.dumps({
        "name": "mixed", "colour": "red", "alpha": 2, "min_n": 10,
        "overrides": {"A": 100, "B": -5, "Z": 10},
        "weights": {"conversion": 1, "charm": 2},
        "thresholds": {"conversion": [0.3, 0.2], "avg_deal": [0.5, 0.9], "plan_fulfillment": "high"},
        "kpi_targets": {"conversion": {"*": 0.3, "A": 1.5}, "bogus": {"A": 1}},
        "plan_grid": [{"manager": "A", "month": "2025-13", "target": 1}, {"manager": "A", "month": "2025-01",
                                                                          "target": 100}],
        "period": {"kind": "fortnight", "value": "x"}, "language": "uk"})
    s, problems = P.scenario_from_json(text, managers=["A", "B"])
    assert s.name == "mixed" and s.min_n == 10 and s.language == "uk"
    assert s.alpha == 0.05 and s.period == {}
    assert s.overrides == {"A": 100}
    assert s.weights == {"conversion": 1}
    assert s.thresholds == {"conversion": [0.3, 0.2]}
    assert s.kpi_targets == {"conversion": {None: 0.3}}
    assert s.plan_grid == [{"manager": "A", "month": "2025-01", "target": 100}]
    text_all = "\n".join(problems)
    for needle in ("'colour'", "alpha", "-5", "'Z' is not in this data", "'charm'", "amber 0.9 is above green",
                   "thresholds['plan_fulfillment']", "1.5", "'bogus'", "2025-13", "fortnight"):
        assert needle in text_all, needle
    assert len(problems) == 11


def test_scenario_from_another_dataset():
    s = full_scenario()
    back, problems = P.scenario_from_json(P.scenario_to_json(s), fingerprint="ffff0000")
    assert back.overrides == s.overrides                               # still applied
    assert len(problems) == 1 and "another dataset" in problems[0] and "abc123" in problems[0]


def test_dataset_fingerprint(history):
    fp = P.dataset_fingerprint(deals=history)
    assert len(fp) == 16 and fp == P.dataset_fingerprint(deals=history.copy())
    assert fp != P.dataset_fingerprint(deals=history.iloc[:-1])
    assert fp != P.dataset_fingerprint(deals=history.assign(manager=history["manager"].replace("C", "D")))


def test_compare_scenarios():
    a = full_scenario()
    b = full_scenario(overrides={"Олена Коваленко": 450000.0, "A": 1.0},
                      thresholds={**kpi.DEFAULT_THRESHOLDS, "conversion": (0.3, 0.2)},
                      period={"kind": "month", "value": "2026-10"}, created="2026-11-03T00:00:00+00:00")
    out = P.compare_scenarios(a, b)
    assert list(out.columns) == P.COMPARE_COLUMNS
    assert out.values.tolist() == [
        ["period", "quarter 2026-Q4", "month 2026-10"],
        ["target: Олена Коваленко", 500000.0, 450000.0],
        ["threshold: conversion", "0.25 / 0.18", "0.3 / 0.2"],
        ["target: A", None, 1.0]]
    assert P.compare_scenarios(a, a).empty


# ----------------------------------------------------------------------------------------------------------
# properties: inputs unchanged, rule invariants
# ----------------------------------------------------------------------------------------------------------
deal_rows = hs.lists(hs.tuples(hs.sampled_from(["A", "B", "C"]), hs.integers(0, 400), hs.integers(0, 60),
                               hs.sampled_from(["won", "lost", "open"]), hs.integers(0, 1000)),
                     min_size=1, max_size=25)


def random_deals(rows):
    start = pd.Timestamp("2024-01-01")
    out = []
    for i, (m, created, lag, status, amount) in enumerate(rows):
        c = start + pd.Timedelta(days=created)
        out.append((str(i), m, f"c{i % 5}", c.isoformat(), (c + pd.Timedelta(days=lag)).isoformat(), status,
                    str(amount)))
    return deals_of(out)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(deal_rows, hs.floats(0, 1))
def test_rules_do_not_change_inputs_and_keep_their_invariants(rows, q):
    deals = random_deals(rows)
    before = deals.copy()
    months = ["2025-03", "2025-04"]
    pct = P.rule_percentile(deals=deals, managers=["A", "B", "C"], months=months, q=q)
    split = P.rule_split(deals=deals, managers=["A", "B", "C"], months=months, team_target=1000)
    growth = P.rule_growth(deals=deals, managers=["A", "B", "C"], months=months, growth=0.2)
    bt = P.backtest(deals=deals, plans=split.fillna(0), months=["2024-03", "2024-04"], shift=12)
    pd.testing.assert_frame_equal(deals, before)
    for frame in (pct, split, growth):
        assert list(frame.columns) == P.PLAN_COLUMNS and len(frame) == 6
        assert (frame["target"].dropna() >= 0).all()
    per_month = split.groupby("month")["target"].sum(min_count=1)
    assert per_month.isna().all() or np.allclose(per_month, 1000.0)
    rev = P.monthly_revenue(deals=deals)
    for m in ["A", "B", "C"]:
        t = pct.loc[pct["manager"] == m, "target"].iloc[0]
        if not np.isnan(t):
            assert t <= rev.loc[rev["manager"] == m, "revenue"].max() if (rev["manager"] == m).any() else t == 0
    assert set(bt["light"].dropna()) <= {"green", "amber", "red"}


@settings(max_examples=30, deadline=None)
@given(hs.dates(date(2018, 1, 1), date(2030, 12, 1)), hs.integers(0, 90))
def test_ua_working_days_are_the_weekdays_minus_weekday_holidays(start, length):
    end = start + pd.Timedelta(days=length).to_pytimedelta()
    plain = P.working_days(start=start, end=end)
    ua = P.working_days(start=start, end=end, holidays="ua")
    hol = {d for y in range(start.year, end.year + 1) for d in P.ua_holidays(y)}
    weekday_hols = sum(1 for d in hol if start <= d <= end and d.weekday() < 5)
    assert ua == plain - weekday_hols


def test_saved_version_1_file_still_loads():
    """tests/fixtures/scenario_v1.json was written by scenario_to_json at version 1: it must keep loading."""
    text = (Path(__file__).parent / "fixtures" / "scenario_v1.json").read_text(encoding="utf-8")
    s, problems = P.scenario_from_json(text)
    assert problems == [] and s == full_scenario()


def test_bad_frames_name_the_column(history):
    with pytest.raises(DataError, match="status"):
        P.rule_growth(deals=history.drop(columns="status"), managers=["A"], months=["2025-03"], growth=0.1)
    with pytest.raises(DataError, match="created_at"):
        P.new_managers(deals=history.assign(created_at=history["created_at"].astype(str)), months=["2025-03"])
    bad = pd.DataFrame({"manager": ["A"], "month": ["2025/01"], "target": [1.0]})
    with pytest.raises(DataError, match="month"):
        P.ramp_up(plans=bad, starts={})
    neg = pd.DataFrame({"manager": ["A"], "month": ["2025-01"], "target": [-1.0]})
    with pytest.raises(DataError, match="target"):
        P.backtest(deals=history, plans=neg, months=["2025-01"])
    with pytest.raises(DataError, match="period"):
        P.forecast(deals=history, period="2025-01", as_of="2025-01-10")


def test_apply_plan_edits_replaces_adds_and_removes_cells():
    from metrics.planning import apply_plan_edits
    base = pd.DataFrame({"manager": ["A", "A", "B"], "month": ["2025-01", "2025-02", "2025-01"],
                         "target": [10.0, 20.0, 30.0]})
    before = base.copy()
    out = apply_plan_edits(plans=base, edits={("A", "2025-01"): 11.0, ("B", "2025-01"): None, ("C", "2025-02"): 5.0})
    assert out.to_dict("records") == [{"manager": "A", "month": "2025-01", "target": 11.0},
                                      {"manager": "A", "month": "2025-02", "target": 20.0},
                                      {"manager": "C", "month": "2025-02", "target": 5.0}]
    pd.testing.assert_frame_equal(base, before)
    assert apply_plan_edits(plans=None, edits={}) is None
    assert apply_plan_edits(plans=None, edits={("A", "2025-01"): 1.0})["target"].tolist() == [1.0]


def test_backtest_active_only_skips_months_before_the_first_lead():
    from metrics.planning import backtest
    deals = pd.DataFrame({"deal_id": ["1", "2"], "manager": ["A", "B"], "client": ["x", "y"],
                          "created_at": pd.to_datetime(["2025-01-10", "2025-03-05"]),
                          "closed_at": pd.to_datetime(["2025-01-20", "2025-03-25"]),
                          "status": ["won", "won"], "amount": [100.0, 50.0]})
    plans = pd.DataFrame({"manager": ["A", "B"] * 3, "month": ["2025-01", "2025-01", "2025-02", "2025-02",
                                                              "2025-03", "2025-03"], "target": [100.0] * 6})
    months = ["2025-01", "2025-02", "2025-03"]
    full = backtest(deals=deals, plans=plans, months=months)
    active = backtest(deals=deals, plans=plans, months=months, active_only=True)
    assert len(full) == 6 and full.query("manager == 'B'")["fulfillment"].tolist() == [0.0, 0.0, 0.5]
    assert active.query("manager == 'B'")["month"].tolist() == ["2025-03"]
    assert active.query("manager == 'A'")["fulfillment"].tolist() == [1.0, 0.0, 0.0]
