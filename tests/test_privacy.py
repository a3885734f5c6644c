import pandas as pd

from metrics.kpi import compute_kpis
from metrics.loading import Dataset
from metrics.periods import month
from metrics.privacy import anonymise


def test_anonymise_keeps_me_hides_others_and_keeps_team_totals(tiny):
    deals, acts, plans = tiny
    data = Dataset(deals=deals, activities=acts, plans=plans)
    before = deals.copy()
    anon = anonymise(data=data, keep="A", key=b"k" * 32, colleague="Colleague", client="Client")
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


def test_anonymised_text_columns_stay_object_with_none(tiny):
    """pandas 3's ``map`` infers ``str`` (a missing client → NaN): the pseudonymised frames keep the engine's
    object columns with None, as on pandas 2."""
    deals, acts, plans = tiny
    deals = deals.copy()
    deals["client"] = deals["client"].where(deals["deal_id"] != "4", None)     # B's deal 4 has no client
    anon = anonymise(data=Dataset(deals=deals, activities=acts, plans=plans), keep="A", key=b"k" * 32)
    for col in ("deal_id", "manager", "client"):
        assert anon.deals[col].dtype == object, col
    assert anon.activities["manager"].dtype == object and anon.plans["manager"].dtype == object
    assert anon.deals["client"].tolist()[3] is None and anon.deals["deal_id"].tolist()[3] == "3"   # row number


# --- auth: pseudonyms decided by a secret key (issue #14, finding 5) ---
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from metrics.schema import standardize_deals  # noqa: E402

TEAM = ["Ірина Мельник", "Андрій Шевченко", "Віктор Савченко", "Дмитро Ткаченко", "Максим Лисенко",
        "Наталія Бойко", "Оксана Марченко", "Сергій Олійник", "Тарас Кравченко", "Юлія Поліщук"]


def _team_data(order=None):
    rows = [(str(i), m, f"client-{i % 13}", "2026-10-01", "2026-10-05", "won", str(100 + i))
            for i, m in enumerate(TEAM * 3)]
    if order is not None:
        rows = [rows[i] for i in order]
    deals = standardize_deals(pd.DataFrame(rows, columns=["deal_id", "manager", "client", "created_at", "closed_at",
                                                          "status", "amount"]), file="t")
    return Dataset(deals=deals, activities=None, plans=None)


def _mapping(anon: Dataset, data: Dataset) -> dict:
    """real name → pseudonym, read off the row-aligned frames (the test knows both)."""
    return dict(zip(data.deals["manager"], anon.deals["manager"]))


def _old_attack(team: list[str], keep: str) -> dict:
    """What a manager could do against the old seed-0 permutation: sort the names, apply the public permutation."""
    others = sorted(n for n in team if n != keep)
    order = np.random.default_rng(0).permutation(len(others))
    return {n: f"Colleague {int(i) + 1:02d}" for n, i in zip(others, order)}


def test_knowing_the_team_list_does_not_reveal_who_is_who():
    data, keep = _team_data(), TEAM[0]
    guess = _old_attack(TEAM, keep)
    hits, monotone, seen = 0, 0, {n: set() for n in TEAM[1:]}
    keys = [f"deployment-{i}".encode() for i in range(60)]
    for key in keys:
        m = _mapping(anonymise(data=data, keep=keep, key=key), data)
        assert m[keep] == keep and sorted(m[n] for n in TEAM[1:]) == [f"Colleague {i:02d}" for i in range(1, 10)]
        hits += sum(m[n] == guess[n] for n in TEAM[1:])
        numbers = [m[n] for n in sorted(TEAM[1:])]
        monotone += numbers == sorted(numbers) or numbers == sorted(numbers, reverse=True)
        for n in TEAM[1:]:
            seen[n].add(m[n])
    assert hits / (9 * len(keys)) < 0.25          # chance is 1/9; the old scheme gave 9 of 9 every time
    assert monotone == 0                          # never the alphabet (either way round)
    assert all(len(v) >= 6 for v in seen.values())  # every colleague gets many different numbers across keys


def test_pseudonyms_depend_on_the_key_not_on_row_order():
    data = _team_data()
    shuffled = _team_data(order=list(np.random.default_rng(7).permutation(len(TEAM) * 3)))
    a = _mapping(anonymise(data=data, keep=None, key=b"one"), data)
    b = _mapping(anonymise(data=shuffled, keep=None, key=b"one"), shuffled)
    c = _mapping(anonymise(data=data, keep=None, key=b"two"), data)
    assert a == b                                  # same key: same names, whatever the row order
    assert a != c                                  # another key: another assignment
    ca = dict(zip(data.deals["client"], anonymise(data=data, keep=None, key=b"one").deals["client"]))
    cc = dict(zip(data.deals["client"], anonymise(data=data, keep=None, key=b"two").deals["client"]))
    assert ca != cc and not set(ca) & set(ca.values())   # clients too: renamed, and by the key
    with pytest.raises(ValueError):
        anonymise(data=data, keep=None, key=b"")
