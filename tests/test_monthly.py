"""``kpi.monthly_aggregates``' one-pass paths on hand-computed frames: the window tests on timestamps, the
counts per (month, manager, category), a tie of close times broken by the deal id, rows without a manager
(the team's only), and text columns of shared objects (as the importers leave them) factorised and compared
once per object — each against the hand values and against ``kpi.kpi_aggregates`` month by month."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metrics import kpi
from metrics.kpi import monthly as M
from metrics.kpi.period_rows import eq_mask, several_values
from metrics.periods import month
from metrics.schema import ID_DTYPE

MONTHS = [month(2025, 2), month(2025, 3), month(2025, 4)]
BASE = (2025 - 1970) * 12 + 2 - 1 - 1          # month index 0 = January 2025, the month before the window
A, B, C = "Anna", "Boris", "Chen"


def _texts(values) -> pd.Series:
    return pd.Series(values, dtype=object)


def hand_frames(copies: int = 1, b_copy_every: int = 0):
    """8 deals and 7 activities (``copies`` times: client, deal and activity ids get the copy's number).

    Window February–April 2025 (January: the month before). By hand, per copy:
    - February: leads d2 (Boris, won), d4 (no manager, won), d5 (Anna, open) → Anna 1/0/1, Boris 1/1/0,
      team 3 leads, 2 won of them, 1 open. Won: d2 (Boris, 0.1). Customers of January: X (last won deal d1,
      Anna) and Y (d10 and d9 closed at the same instant: the greater id "d9" wins → Boris); retained in
      February: X (d2) → Anna 1/1, Boris 1/0, team 2/1. Activities: a1 Anna call, a7 Boris meeting (a2 is
      January's, a3 not done, a6 an e-mail) → team 1 call, 1 meeting.
    - March: lead d7 (Boris, lost). Won: d4 (no manager, 0.2), d6 (Chen, 0.3) → team 2 won, 0.5.
      Customers of February: X (d2, Boris), not retained. Activities: a4 (no manager) call, a5 Chen meeting.
    - April: nothing but the customers of March: Z (d4, no manager: the team's only) and Y (d6, Chen).
    ``b_copy_every``: every so many copies Boris is written as an equal text in another object.
    """
    deals, acts = [], []
    for r in range(copies):
        b = "".join(["Bo", "ris"]) if b_copy_every and r % b_copy_every == 0 else B
        x, y, z = f"X{r}", f"Y{r}", f"Z{r}"
        deals += [(f"d1-{r:05d}", A, x, "2025-01-05", "2025-01-20 10:00", "won", 100.0),
                  (f"d10-{r:05d}", A, y, "2025-01-10", "2025-01-25 12:00", "won", 50.0),
                  (f"d9-{r:05d}", b, y, "2025-01-11", "2025-01-25 12:00", "won", 70.0),
                  (f"d2-{r:05d}", b, x, "2025-02-01 00:00", "2025-02-28 23:59:59.999999", "won", 0.1),
                  (f"d4-{r:05d}", None, z, "2025-02-10", "2025-03-01 00:00", "won", 0.2),
                  (f"d5-{r:05d}", A, None, "2025-02-15", None, "open", 999.0),
                  (f"d6-{r:05d}", C, y, "2024-12-31 23:59:59", "2025-03-15", "won", 0.3),
                  (f"d7-{r:05d}", b, x, "2025-03-03", "2025-03-31 23:59:59", "lost", 10.0)]
        acts += [(f"a1-{r}", A, "call", "2025-02-01 00:00", True), (f"a2-{r}", A, "meeting", "2025-01-31 23:59:59", True),
                 (f"a3-{r}", b, "call", "2025-02-10", False), (f"a4-{r}", None, "call", "2025-03-05", True),
                 (f"a5-{r}", C, "meeting", "2025-03-31 23:59:59.999", True), (f"a6-{r}", b, "email", "2025-02-11", True),
                 (f"a7-{r}", b, "meeting", "2025-02-12", True)]
    d = list(zip(*deals))
    frame = pd.DataFrame({"deal_id": _texts(d[0]), "manager": _texts(d[1]), "client": _texts(d[2]),
                          "created_at": pd.to_datetime(pd.Series(d[3]), format="mixed").astype("datetime64[ns]"),
                          "closed_at": pd.to_datetime(pd.Series(d[4]), format="mixed").astype("datetime64[ns]"),
                          "status": _texts(d[5]), "amount": np.array(d[6], dtype="float64"),
                          "currency": _texts(["UAH"] * len(deals))})
    a = list(zip(*acts))
    activities = pd.DataFrame({"activity_id": _texts(a[0]), "manager": _texts(a[1]), "type": _texts(a[2]),
                               "at": pd.to_datetime(pd.Series(a[3]), format="mixed").astype("datetime64[ns]"),
                               "done": np.array(a[4], dtype=bool)})
    return frame, activities


def same(a: kpi.Aggregates, b: kpi.Aggregates) -> None:
    assert a.period == b.period and a.team == b.team and a.notes == b.notes
    assert a.has_activities == b.has_activities
    for name in ("leads", "won", "acts", "ret"):
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


def counts(frame: pd.DataFrame) -> dict:
    return {m: tuple(int(v) for v in row) for m, row in zip(frame.index, frame.to_numpy())}


def check_hand_values(aggs: list[kpi.Aggregates], r: int) -> None:
    feb, mar, apr = aggs
    assert counts(feb.leads) == {A: (r, 0, r), B: (r, r, 0)}
    assert counts(feb.won[["won"]]) == {B: (r,)}
    assert counts(feb.ret) == {A: (r, r), B: (r, 0)}                      # Y is Boris's (d9 > d10)
    assert counts(feb.acts) == {A: (r, 0), B: (0, r)}
    assert {k: feb.team[k] for k in ("leads", "won_of_leads", "open_leads", "won", "calls", "meetings",
                                      "activities", "customers_prev", "customers_retained")} == \
        {"leads": 3 * r, "won_of_leads": 2 * r, "open_leads": r, "won": r, "calls": r, "meetings": r,
         "activities": 2 * r, "customers_prev": 2 * r, "customers_retained": r}
    assert counts(mar.leads) == {B: (r, 0, 0)} and counts(mar.won[["won"]]) == {C: (r,)}
    assert counts(mar.ret) == {B: (r, 0)} and counts(mar.acts) == {C: (0, r)}
    assert (mar.team["won"], mar.team["calls"], mar.team["meetings"], mar.team["customers_prev"]) == (2 * r, r, r, r)
    assert len(apr.leads) == len(apr.won) == len(apr.acts) == 0
    assert counts(apr.ret) == {C: (r, 0)}                                  # Z's deal has no manager: the team's only
    assert (apr.team["customers_prev"], apr.team["customers_retained"]) == (2 * r, 0)
    if r == 1:
        assert feb.won["revenue"].tolist() == [0.1] and mar.won["revenue"].tolist() == [0.3]
        assert (feb.team["revenue"], mar.team["revenue"]) == (0.1, 0.5)
    else:
        assert feb.won.loc[B, "revenue"] == pytest.approx(0.1 * r) and mar.team["revenue"] == pytest.approx(0.5 * r)


@pytest.mark.parametrize("copies, b_copy_every", [(1, 0), (2600, 0), (2600, 50)])
@pytest.mark.parametrize("arrow_ids", [False, True])
def test_monthly_aggregates_on_the_hand_frame_equal_the_hand_values_and_kpi_aggregates(copies, b_copy_every,
                                                                                        arrow_ids, monkeypatch):
    deals, acts = hand_frames(copies, b_copy_every)
    if arrow_ids:                                    # deal ids as the importers may hold them (arrow strings)
        deals["deal_id"] = deals["deal_id"].astype(ID_DTYPE)
    before = deals.copy(deep=True), acts.copy(deep=True)
    taken: list[int] = []
    real = M.distinct_objects

    def spy(s):
        got = real(s)
        taken.append(got is not None)
        return got
    monkeypatch.setattr(M, "distinct_objects", spy)
    fast = kpi.monthly_aggregates(deals=deals, months=MONTHS, activities=acts)
    # status, managers (deals', activities'), activity types: per object when the columns are long enough
    assert taken == ([True] * 4 if copies > 1 else [False] * 4)
    check_hand_values(fast, copies)
    for agg, m in zip(fast, MONTHS):
        same(agg, kpi.kpi_aggregates(deals=deals, period=m, activities=acts))
    for agg, m in zip(kpi.monthly_aggregates(deals=deals, months=MONTHS), MONTHS):     # without activities
        same(agg, kpi.kpi_aggregates(deals=deals, period=m))
    pd.testing.assert_frame_equal(deals, before[0])
    pd.testing.assert_frame_equal(acts, before[1])


def test_the_window_tests_on_timestamps_by_hand():
    s = pd.Series(pd.to_datetime(["2024-12-31 23:59:59.999999999", "2025-01-01 00:00", "2025-02-28 23:59:59",
                                  "2025-03-01", None, "1969-12-31", "2262-04-11"], format="mixed"))
    assert s.dtype == "datetime64[ns]"
    base = (2025 - 1970) * 12 - 1                    # index 0 = December 2024; the window: January, February
    assert M.months_between(s, base, 1, 2).tolist() == [False, True, True, False, False, False, False]
    assert M.months_between(s, base, 0, 2).tolist() == [True, True, True, False, False, False, False]
    # the month inside [0, n + 1): before → -1 (NaT too), from March on → 3
    assert M.window_month(s, base, 2).tolist() == [0, 1, 2, 3, -1, -1, 3]
    assert M.month_index_of(s, base).tolist()[:4] == [0, 1, 2, 3]
    us = s.astype("datetime64[us]")                   # another unit: the same answers
    assert M.months_between(us, base, 1, 2).tolist() == [False, True, True, False, False, False, False]
    assert M.window_month(us, base, 2).tolist() == [0, 1, 2, 3, -1, -1, 3]   # .999999999 → .999999: still December
    assert M.months_between(pd.Series(["2025-01-05"]), base, 1, 2) is None  # not datetime64: not this path


def test_text_columns_of_shared_objects_are_factorised_and_compared_as_pandas_does():
    rng = np.random.default_rng(3)
    pool = np.array([A, B, C, None, np.nan, "".join(["An", "na"]), "".join(["Ch", "en"])], dtype=object)
    s = pd.Series(pool[rng.integers(0, len(pool), 30_000)], dtype=object)
    assert s.to_numpy()[s.to_numpy() == A].size and any(x is not A for x in s if x == A)  # equal, other objects
    objects = M.distinct_objects(s)
    assert objects is not None and len(objects[1]) == len(pool)
    codes, uniques = M.factorize_sorted(s)
    ref_codes, ref_uniques = pd.factorize(s, sort=True)
    assert codes.tolist() == ref_codes.tolist() and list(uniques) == list(ref_uniques) == [A, B, C]
    assert uniques.name == "manager" and uniques.dtype == object
    for value in (A, C, "Nobody"):
        assert M.eq_texts(s, value, objects).tolist() == eq_mask(s, value).tolist()
    # mostly distinct objects (or a short column, or another dtype): pandas itself, the same answers
    many = pd.Series([f"c{i}" for i in range(20_000)], dtype=object)
    assert M.distinct_objects(many) is None and M.distinct_objects(s.head(100)) is None
    assert M.distinct_objects(s.astype("string")) is None
    assert M.factorize_sorted(many)[0].tolist() == pd.factorize(many, sort=True)[0].tolist()


def test_one_currency_object_is_one_currency_and_anything_else_is_asked_of_the_values():
    one = pd.Series(["UAH"] * 20_000, dtype=object)
    assert not several_values(one)
    equal_copies = pd.Series(["UAH"] * 10_000 + ["".join(["UA", "H"])] * 10_000, dtype=object)
    assert not several_values(equal_copies)
    two = pd.Series(["UAH"] * 10_000 + ["USD"], dtype=object)
    assert several_values(two)
    assert not several_values(pd.Series([None] * 20_000, dtype=object))
    assert several_values(pd.Series(["UAH", None, "EUR"], dtype=object))
