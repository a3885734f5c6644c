"""Conversion within H days (metrics.competing): lifelines' AalenJohansenFitter reference values and
hand-computed cases (ties, all censored, no competing events = 1 − Kaplan–Meier, the deals contract)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from metrics import competing as C
from metrics.errors import DataError
from metrics.periods import month

REF = json.loads((Path(__file__).parent / "fixtures" / "aalen_johansen_reference.json").read_text())


def test_canadian_senators_curve_equals_lifelines_aalen_johansen():
    s = REF["canadian_senators"]
    t, e = np.array(s["durations_untied"]), np.array(s["event"])
    cur = C.aalen_johansen(time=t, event=e)
    ref = pd.DataFrame(s["curve"])
    assert len(cur) == len(ref) == 834
    np.testing.assert_allclose(cur["time"], ref["time"], rtol=0, atol=0)
    np.testing.assert_allclose(cur["cif"], ref["cif"], rtol=1e-12, atol=1e-14)
    # lifelines' variance is NaN at the last time only (everyone left at risk has the event there: 0·∞ in
    # its first term); ours counts that term as 0 (F no longer moves)
    nan = ref["variance"].isna().to_numpy()
    assert np.flatnonzero(nan).tolist() == [len(ref) - 1]
    np.testing.assert_allclose(cur["variance"][~nan], ref["variance"][~nan], rtol=1e-9, atol=1e-15)
    assert np.isfinite(cur["variance"]).all()


def test_canadian_senators_at_horizons_equal_lifelines_with_its_interval():
    s = REF["canadian_senators"]
    t, e = np.array(s["durations_untied"]), np.array(s["event"])
    for a in s["at"]:
        r = C.incidence_at(time=t, event=e, horizon=a["horizon"], alpha=0.05)
        assert r.estimate == pytest.approx(a["cif"], rel=1e-12)
        assert r.variance == pytest.approx(a["variance"], rel=1e-9)
        lo, hi = sorted([a["lifelines_lower"], a["lifelines_upper"]])    # lifelines swaps its labels
        assert r.ci_low == pytest.approx(lo, rel=1e-12) and r.ci_high == pytest.approx(hi, rel=1e-12)
    assert [round(a["cif"], 4) for a in s["at"]] == [0.2129, 0.4083, 0.5400]


def test_tied_whole_days_give_lifelines_estimate_without_jitter():
    # on the whole days (ties across event types) the estimate after each day equals lifelines' on the
    # untied times: ties inside a day do not change F when events come before censorings
    s = REF["canadian_senators"]
    days, e = np.array(s["days"]), np.array(s["event"])
    ref = pd.DataFrame(s["curve"])
    for h in (1.0, 365.0, 3650.0, 7300.0, 10950.0, 17731.0):
        i = int(np.searchsorted(ref["time"], h + 0.5)) - 1
        assert C.incidence_at(time=days, event=e, horizon=h).estimate == pytest.approx(ref["cif"][i], rel=1e-12)


def test_no_competing_events_is_one_minus_kaplan_meier():
    w = REF["waltons"]
    cur = C.aalen_johansen(time=w["time"], event=w["event"])
    km = {r["time"]: r["survival"] for r in w["km_survival"]}
    np.testing.assert_allclose(cur["cif"], 1 - np.array([km[x] for x in cur["time"]]), rtol=0, atol=1e-14)
    # by hand: times 1..5, events won, censored, won, won, censored: KM 4/5, 8/15, 4/15 → F(4) = 11/15
    r = C.incidence_at(time=[1, 2, 3, 4, 5], event=[1, 0, 1, 1, 0], horizon=4)
    assert r.estimate == pytest.approx(11 / 15, abs=1e-15)
    # and scipy's Kaplan–Meier agrees
    sf = st.ecdf(st.CensoredData(uncensored=[1, 3, 4], right=[2, 5])).sf.evaluate(4)
    assert r.estimate == pytest.approx(1 - sf, abs=1e-15)


def test_ties_by_hand_events_before_censorings_and_events_at_h_included():
    # t = 2: n 6, one won, one lost, one censored (still at risk at 2) → F 1/6, S 4/6
    # t = 5: n 3, one won → F = 1/6 + 4/6 · 1/3 = 7/18, S 4/9;  t = 7: the last lost
    t, e = [2, 2, 2, 5, 5, 7], [1, 2, 0, 1, 0, 2]
    assert C.incidence_at(time=t, event=e, horizon=4.99).estimate == pytest.approx(1 / 6, abs=1e-15)
    r = C.incidence_at(time=t, event=e, horizon=5)
    assert r.estimate == pytest.approx(7 / 18, abs=1e-15)
    # variance: j=1: (2/9)²·2/(6·4) + 1·1·5/216 − 2·(2/9)·1/36; j=2: 0 + (4/6)²·1·2/27 − 0 = 2/81 + 5/216
    assert r.variance == pytest.approx(31 / 648, abs=1e-15)
    assert C.incidence_at(time=t, event=e, horizon=2).variance == pytest.approx(5 / 216, abs=1e-15)
    assert r.at_risk_h == 1                           # open and followed < H: the one censored at 2 (not at 5)
    z = st.norm.ppf(0.975)
    se = math.sqrt(31 / 648) / (7 / 18 * abs(math.log(7 / 18)))
    assert r.ci_low == pytest.approx(math.exp(-math.exp(math.log(-math.log(7 / 18)) + z * se)), rel=1e-12)
    assert r.ci_high == pytest.approx(math.exp(-math.exp(math.log(-math.log(7 / 18)) - z * se)), rel=1e-12)
    # H = 7: the last loss at 7 empties the risk set — F(7) = 7/18 is known; H = 100 lies beyond every
    # lead's follow-up, but nobody is still open (the censored ones left earlier): still 7/18
    assert C.incidence_at(time=t, event=e, horizon=7).estimate == pytest.approx(7 / 18, abs=1e-15)


def test_not_estimable_when_nobody_was_followed_for_h_days():
    # the longest follow-up (30 days) ends open: F(60) is not identified
    r = C.incidence_at(time=[5, 20, 30], event=[1, 2, 0], horizon=60)
    assert math.isnan(r.estimate) and math.isnan(r.ci_low) and math.isnan(r.ci_high)
    assert (r.n, r.at_risk_h) == (3, 1)
    assert C.incidence_at(time=[5, 20, 30], event=[1, 2, 0], horizon=30).estimate == pytest.approx(1 / 3)
    # the longest follow-up ends in a close: every outcome is accounted for (the open lead at 20 was
    # weighted by the one followed longer) — by hand: t 5 won (n 3) → 1/3,
    # censored 20, t 30 lost (n 1): F stays 1/3
    assert C.incidence_at(time=[5, 20, 30], event=[1, 0, 2], horizon=60).estimate == pytest.approx(1 / 3)
    assert C.incidence_at(time=[5, 30], event=[1, 2], horizon=60).estimate == 0.5


def test_all_censored_and_empty():
    r = C.incidence_at(time=[10, 20, 200], event=[0, 0, 0], horizon=90, alpha=0.05)
    assert (r.estimate, r.variance, r.ci_low, r.n, r.at_risk_h) == (0.0, 0.0, 0.0, 3, 2)
    assert r.ci_high == pytest.approx(1 - 0.025, abs=1e-15)   # Clopper–Pearson 0 of m = 1 lead known at H
    r = C.incidence_at(time=[], event=[], horizon=90)
    assert r.n == 0 and math.isnan(r.estimate) and math.isnan(r.ci_low)
    # all won before H: F = 1, interval [(α/2)^(1/3), 1]
    r = C.incidence_at(time=[1, 2, 3], event=[1, 1, 1], horizon=90)
    assert r.estimate == 1.0 and r.ci_high == 1.0 and r.ci_low == pytest.approx(0.025 ** (1 / 3))


def test_deals_contract_on_the_tiny_frame(tiny):
    deals, _, _ = tiny
    # data end: latest created_at (2025-01-31 23:59:59) or close of a won/lost deal (2025-02-01 09:00);
    # open deal 6's close date 2025-01-30 is an expected date and does not count
    assert C.data_end(deals=deals) == pd.Timestamp("2025-02-01 09:00")
    lt = C.lead_times(deals=deals, period=month(2025, 1)).sort_values("time").reset_index(drop=True)
    assert lt["manager"].tolist() == ["B", "A", "A", "C"]
    assert lt["event"].tolist() == [1, 2, 1, 0]
    np.testing.assert_allclose(lt["time"], [(9 * 3600 + 1) / 86400, 15.0, 15 + 2 / 24, 17.375], rtol=1e-12)
    out = C.conversion_within(deals=deals, period=month(2025, 1), horizon_days=17, managers=["D"])
    assert list(out.columns) == C.WITHIN_COLUMNS
    assert out["manager"].tolist() == ["A", "B", "C", "D", None]
    # team: 0.375 won (n 4) → 1/4; 15 lost (n 3) → S 1/2; 15.08 won (n 2) → 1/4 + 1/2·1/2 = 1/2
    assert out["conversion_h"].tolist()[:3] == [0.5, 1.0, 0.0]     # C: followed 17.375 days ≥ 17, not won
    assert math.isnan(out["conversion_h"][3])
    assert out["conversion_h"][4] == pytest.approx(0.5, abs=1e-15)
    assert out["leads"].tolist() == [2, 1, 1, 0, 4]
    assert out["leads_h_at_risk"].tolist() == [0, 0, 0, 0, 0]
    assert out["horizon_days"].tolist() == [17] * 5
    # H = 90: A's and B's outcomes are all known; C's open lead (17.4 days, the team's longest follow-up)
    # leaves C and the team unknown
    out = C.conversion_within(deals=deals, period=month(2025, 1), horizon_days=90)
    assert out["conversion_h"].tolist()[:2] == [0.5, 1.0]
    assert np.isnan(out["conversion_h"].tolist()[2:]).all()
    assert out["leads_h_at_risk"].tolist() == [0, 0, 1, 1]
    # H = 15.05 days: only B's win and A's loss have happened
    assert C.conversion_within(deals=deals, period=month(2025, 1), horizon_days=15.05)["conversion_h"].iloc[-1] \
        == pytest.approx(0.25, abs=1e-15)
    # inputs are not mutated
    assert list(deals.columns) == ["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount"] \
        or "deal_id" in deals.columns


def test_bad_arguments_name_the_argument(tiny):
    deals, _, _ = tiny
    for h in (0, -5, "x", float("nan")):
        with pytest.raises(DataError, match="horizon_days"):
            C.conversion_within(deals=deals, period=month(2025, 1), horizon_days=h)
    with pytest.raises(DataError, match="alpha"):
        C.incidence_at(time=[1], event=[1], horizon=5, alpha=1.5)
    with pytest.raises(DataError, match="status"):
        C.conversion_within(deals=deals.drop(columns="status"), period=month(2025, 1))


def _staggered(rng, *, managers=6, late=3, days=180, start_late=90, per_day=5.0, p_win=0.3):
    """Leads of managers with identical true win rates; the ``late`` last managers get leads only from day
    ``start_late``. Every lead closes 3–60 days after creation (won with p_win, else lost); the data end
    is the period's end, so what would close later is still open."""
    rows = []
    t0 = pd.Timestamp("2026-01-01")
    for i in range(managers):
        first = start_late if i >= managers - late else 0
        n = rng.poisson(per_day * (days - first))
        created = t0 + pd.to_timedelta(rng.uniform(first, days, n), unit="D")
        close = created + pd.to_timedelta(rng.uniform(3, 60, n), unit="D")
        won = rng.random(n) < p_win
        end = t0 + pd.Timedelta(days=days)
        done = close < end
        status = np.where(~done, "open", np.where(won, "won", "lost"))
        rows.append(pd.DataFrame({"manager": f"m{i}", "created_at": created,
                                  "closed_at": close.where(done), "status": status}))
    # one lead created on the period's last instant fixes the data's end at the period's end
    rows.append(pd.DataFrame({"manager": ["m0"], "created_at": [t0 + pd.Timedelta(days=days) - pd.Timedelta(seconds=1)],
                              "closed_at": [pd.NaT], "status": ["open"]}))
    out = pd.concat(rows, ignore_index=True)
    out.insert(0, "deal_id", np.arange(len(out)).astype(str))
    return out


@pytest.mark.slow
def test_staggered_leads_raw_conversion_flags_often_conversion_within_h_stays_near_alpha():
    # 200 seeded runs of 6 managers with the same true win rate (0.3), ~5 leads a day each, 3 of them with
    # leads only in the second half of the 180-day period (data end = period end). Family-wise false alarms under Holm at α = 0.05: raw won/leads flags
    # someone far more often than α; conversion within 50 days (the late starters' first leads have been
    # followed for 90 days) stays near α (binomial 95% band for 200 runs at 0.05: up to about 0.09).
    from metrics import compare, kpi
    from metrics.periods import Period
    from datetime import date
    rng = np.random.default_rng(20261201)
    period = Period(date(2026, 1, 1), date(2026, 6, 29))
    runs, raw_hits, aj_hits, est = 200, 0, 0, []
    for _ in range(runs):
        deals = _staggered(rng)
        leads = kpi.period_leads(deals=deals, period=period)
        raw = compare.conversion_vs_team(leads=leads, alpha=0.05, adjust="holm", min_n=0).summary
        aj = C.conversion_h_vs_team(deals=deals, period=period, horizon_days=50, alpha=0.05, adjust="holm",
                                    min_n=0).summary
        raw_hits += bool((raw["verdict"].isin(["above", "below"])).any())
        aj_hits += bool((aj["verdict"].isin(["above", "below"])).any())
        est.append(aj.set_index("manager")["rate"].to_numpy())
    assert raw_hits / runs > 0.4             # seeded: 119 of 200 runs
    assert aj_hits / runs <= 0.09            # seeded: 16 of 200 (per-test rejection 4–7% in a 300-run check)
    # and the estimates are unbiased for the true P(won within 50 days) = 0.3 · (50 − 3)/57 whether the
    # manager started early or late
    mean = np.mean(est, axis=0)
    np.testing.assert_allclose(mean, 0.3 * 47 / 57, atol=0.01)


def test_funnel_within_equals_the_binomial_funnel_when_nothing_is_censored():
    # Q2 2026 of the sample data at H = 60: no lead is censored before 60 days, so each manager's effective
    # n = F(1 − F)/Var F is exactly their number of leads; F(60) = won / leads except where a lead was won
    # after 60 days (Максим: one); the star converter is above the limits in both funnels
    from metrics import compare, kpi
    from metrics.loading import load_paths
    from datetime import date
    from metrics.periods import Period
    root = Path(__file__).resolve().parents[1]
    d = load_paths(deals=[str(root / "sample_data/deals.csv")])
    p = Period(date(2026, 4, 1), date(2026, 6, 30))
    f = C.funnel_within(deals=d.deals, period=p, horizon_days=60)
    g = compare.funnel_data(leads=kpi.period_leads(deals=d.deals, period=p)).summary.set_index("manager")
    s = f.summary.set_index("manager")
    assert (s["n"] == g.loc[s.index, "n"]).all() and len(s) == 10
    same = (s["rate"] - g.loc[s.index, "rate"]).abs() < 1e-12
    assert same.sum() == 9 and not same["Максим Лисенко"]
    assert s.loc["Олена Коваленко", "side"] == g.loc["Олена Коваленко", "side"] == "above"
    assert f.omnibus["x"] == "effective_leads" and f.curve["n"].is_monotonic_increasing
