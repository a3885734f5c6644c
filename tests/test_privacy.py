import pandas as pd

from metrics.kpi import compute_kpis
from metrics.loading import Dataset
from metrics.periods import month
from metrics.privacy import anonymise


def test_anonymise_keeps_me_hides_others_and_keeps_team_totals(tiny):
    deals, acts, plans = tiny
    data = Dataset(deals=deals, activities=acts, plans=plans)
    before = deals.copy()
    anon = anonymise(data=data, keep="A", colleague="Colleague", client="Client")
    pd.testing.assert_frame_equal(deals, before)                       # input unchanged
    everyone = set(anon.deals["manager"]) | set(anon.activities["manager"]) | set(anon.plans["manager"])
    assert everyone == {"A", "Colleague 01", "Colleague 02", "Colleague 03"}   # B, C and D (activities only)
    assert not ({"B", "C", "D"} & (set(anon.deals["manager"]) | set(anon.activities["manager"]) | set(anon.plans["manager"])))
    # A's clients keep their names (x, y); the others' become pseudonyms
    assert {"x", "y"} <= set(anon.deals["client"]) and not ({"z", "w", "q"} & set(anon.deals["client"]))
    a = compute_kpis(deals=deals, activities=acts, plans=plans, period=month(2025, 1))
    b = compute_kpis(deals=anon.deals, activities=anon.activities, plans=anon.plans, period=month(2025, 1))
    pd.testing.assert_frame_equal(a.team, b.team)
    pd.testing.assert_series_equal(a.managers.set_index("manager").loc["A"], b.managers.set_index("manager").loc["A"])
