"""The bundled sample data (sample_data/*.csv).

* the committed files are exactly what ``sample_data/generate.py`` produces (byte for byte);
* they follow the canonical data model and pass the app's own validation;
* the planted effects described in sample_data/README.md are really there, with real numbers.

If the regeneration test fails after an intended change of the generator, run
``python sample_data/generate.py`` and commit the three CSV files together with the generator.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEADERS = {
    "deals.csv": "deal_id,manager,client,created_at,closed_at,status,amount,source,currency",
    "activities.csv": "activity_id,manager,type,at,done",
    "plans.csv": "manager,month,target",
}
FIRST, LAST = pd.Timestamp("2025-05-01"), pd.Timestamp("2026-10-31 23:59:59")

STAR = "Олена Коваленко"
VOLUME = "Андрій Шевченко"
TINY = "Ірина Мельник"
NEWCOMER = "Дмитро Ткаченко"
BIG_DEALS = "Тарас Кравченко"
LOW_ACTIVITY = "Наталія Бойко"
LOYAL = "Сергій Олійник"
LEAVING = "Юлія Поліщук"
NOISE = ["Максим Лисенко", "Оксана Марченко", "Віктор Савченко"]
ALL = [STAR, VOLUME, TINY, NEWCOMER, BIG_DEALS, LOW_ACTIVITY, LOYAL, LEAVING, *NOISE]


def load_generator():
    spec = importlib.util.spec_from_file_location("sample_data_generate", SAMPLE / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is created
    spec.loader.exec_module(module)
    return module


def read_data(folder: Path) -> dict[str, pd.DataFrame]:
    """The three files, parsed for analysis (dates as datetimes, done as bool)."""
    deals = pd.read_csv(folder / "deals.csv", parse_dates=["created_at", "closed_at"])
    acts = pd.read_csv(folder / "activities.csv", parse_dates=["at"])
    plans = pd.read_csv(folder / "plans.csv", dtype={"month": str})
    return {"deals": deals, "activities": acts, "plans": plans}


@pytest.fixture(scope="module")
def data() -> dict[str, pd.DataFrame]:
    return read_data(SAMPLE)


# --- helpers -------------------------------------------------------------------------------------------

def conversion(deals: pd.DataFrame, who) -> float:
    d = deals[deals.manager.isin([who] if isinstance(who, str) else who)]
    return float((d.status == "won").mean())


def calls_per_working_day(acts: pd.DataFrame, who: str) -> float:
    a = acts[acts.manager == who]
    start = a["at"].min().normalize()
    days = np.busday_count(start.date(), (LAST.normalize() + pd.Timedelta(days=1)).date())
    return float((a.type == "call").sum() / days)


def repeat_rates(deals: pd.DataFrame) -> pd.DataFrame:
    """Per owner (manager of a client's first purchase): clients owned, share who bought again."""
    won = deals[deals.status == "won"].sort_values(["closed_at", "deal_id"])
    first = won.groupby("client").head(1)
    owner = first.set_index("client").manager
    again = won.groupby("client").size().reindex(owner.index) > 1
    return pd.DataFrame({"owner": owner, "again": again}).groupby("owner").again.agg(["size", "mean"])


# --- the files -----------------------------------------------------------------------------------------

def test_committed_files_equal_fresh_regeneration(tmp_path):
    load_generator().main(tmp_path)
    for name in HEADERS:
        fresh, committed = (tmp_path / name).read_bytes(), (SAMPLE / name).read_bytes()
        assert fresh == committed, f"{name} differs from a regeneration; run python sample_data/generate.py"


def test_generator_is_deterministic_and_fast(tmp_path):
    import time
    gen = load_generator()
    t0 = time.perf_counter()
    gen.main(tmp_path / "a")
    assert time.perf_counter() - t0 < 15
    gen.main(tmp_path / "b")
    for name in HEADERS:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_generator_documents_the_planted_roles():
    gen = load_generator()
    assert [m.name for m in gen.MANAGERS] == ALL
    assert all(m.name in gen.__doc__ for m in gen.MANAGERS)
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert all(m.name in readme for m in gen.MANAGERS)


@pytest.mark.parametrize("name", list(HEADERS))
def test_utf8_comma_and_exact_header(name):
    raw = (SAMPLE / name).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in raw
    text = raw.decode("utf-8")
    assert text.split("\n", 1)[0] == HEADERS[name]


def test_passes_the_app_validation():
    from metrics.schema import load_canonical

    sizes = {}
    for kind in ("deals", "activities", "plans"):
        frame = load_canonical(kind, (SAMPLE / f"{kind}.csv").read_bytes(), file=f"{kind}.csv")
        sizes[kind] = len(frame)
    assert 5_000 <= sizes["deals"] <= 8_000
    assert 35_000 <= sizes["activities"] <= 60_000
    assert sizes["plans"] > 0


def test_period_managers_and_sizes(data):
    deals, acts, plans = data["deals"], data["activities"], data["plans"]
    assert 5_000 <= len(deals) <= 8_000
    assert 35_000 <= len(acts) <= 60_000
    assert sorted(deals.manager.unique()) == sorted(ALL) == sorted(acts.manager.unique())
    stamps = pd.concat([deals.created_at, deals.closed_at.dropna(), acts["at"]])
    assert stamps.min() >= FIRST and stamps.max() <= LAST
    # October 2026 is the latest complete month: data up to its last working day, nothing later
    assert deals.created_at.max() >= pd.Timestamp("2026-10-30")
    assert acts["at"].max() >= pd.Timestamp("2026-10-30")
    assert plans.month.min() == "2025-05" and plans.month.max() == "2026-10"
    assert deals.deal_id.is_unique and acts.activity_id.is_unique


def test_working_days_and_hours(data):
    deals, acts = data["deals"], data["activities"]
    for s in (deals.created_at, deals.closed_at.dropna(), acts["at"]):
        assert (s.dt.day_of_week < 5).all()
        assert s.dt.hour.between(9, 17).all()


def test_deal_fields(data):
    deals = data["deals"]
    assert set(deals.status) == {"won", "lost", "open"}
    assert (deals.closed_at.isna() == (deals.status == "open")).all()
    days = (deals.closed_at.dt.normalize() - deals.created_at.dt.normalize()).dt.days.dropna()
    assert days.between(3, 60).all()
    assert (deals.amount > 0).all()
    assert np.allclose(deals.amount * 100, np.round(deals.amount * 100))
    assert set(deals.currency) == {"UAH"}
    assert set(deals.source) == {"website", "cold_call", "referral", "exhibition"}
    # deals created in the last ~6 weeks are often still open; older ones rarely
    recent = deals.created_at >= pd.Timestamp("2026-09-19")
    assert (deals[recent].status == "open").mean() > 0.4
    assert (deals[~recent].status == "open").mean() < 0.03


def test_amounts_are_lognormal_ish(data):
    amount = data["deals"].amount
    assert 25_000 <= amount.median() <= 40_000
    assert amount.mean() > 1.25 * amount.median()  # long right tail
    assert amount.quantile(0.99) > 5 * amount.median()


def test_activities_shape(data):
    acts = data["activities"]
    share = acts.type.value_counts(normalize=True)
    assert set(share.index) == {"call", "meeting", "email", "task", "other"}
    assert share["call"] > 0.6 and share["meeting"] == share.drop("call").max()
    assert 0.06 <= (~acts.done).mean() <= 0.10


def test_clients_repeat(data):
    deals = data["deals"]
    per_client = deals.groupby("client").size()
    assert 1_300 <= len(per_client) <= 1_700
    assert (per_client >= 2).mean() > 0.5
    assert deals.client.str.match(r"^(ТОВ|ПП|АТ) «[^»]+»$|^ФОП \S+ \S\.\S\.$").all()


def test_seasonality(data):
    deals = data["deals"]
    day = deals.created_at.dt.normalize()
    per_day = day.value_counts()
    wd = pd.Series(1, index=pd.bdate_range(FIRST, LAST.normalize()))
    rate = (per_day.reindex(wd.index, fill_value=0)).groupby(wd.index.month).mean()
    assert rate[[3, 4, 9, 10]].mean() > 1.35 * rate[[7, 8]].mean()
    days = wd.index
    holiday = ((days.month == 12) & (days.day >= 22)) | ((days.month == 1) & (days.day <= 9))
    around = (days.month.isin([12, 1])) & ~holiday
    counts = per_day.reindex(days, fill_value=0)
    assert counts[holiday].mean() < 0.6 * counts[around].mean()


# --- the planted effects -------------------------------------------------------------------------------

def test_star_converts_much_better(data):
    deals = data["deals"]
    star = conversion(deals, STAR)
    others = conversion(deals, [m for m in ALL if m != STAR])
    assert star > 0.33
    assert star > 1.3 * others
    assert star > 1.3 * conversion(deals, NOISE)


def test_volume_manager_many_cold_leads_low_conversion(data):
    deals = data["deals"]
    leads = deals.manager.value_counts()
    assert leads[VOLUME] > 1.8 * leads[NOISE].mean()
    assert conversion(deals, VOLUME) < 0.16
    cold = deals.source.eq("cold_call").groupby(deals.manager).mean()
    assert cold[VOLUME] > 0.75 and cold.drop([VOLUME, TINY]).max() < 0.45
    # the lead mix explains it: on cold_call leads he converts like the noise managers
    on_cold = deals[deals.source == "cold_call"]
    assert abs(conversion(on_cold, VOLUME) - conversion(on_cold, NOISE)) < 0.05


def test_tiny_sample_manager(data):
    deals, acts = data["deals"], data["activities"]
    d = deals[deals.manager == TINY]
    per_month = d.created_at.dt.strftime("%Y-%m").value_counts()
    assert set(per_month.index) == {"2026-08", "2026-09", "2026-10"}
    assert per_month.between(1, 15).all()
    assert per_month["2026-10"] < 30
    assert len(d) < 40
    assert acts[acts.manager == TINY]["at"].min() >= pd.Timestamp("2026-08-01")


def test_newcomer_joined_in_january_2026(data):
    deals, acts, plans = data["deals"], data["activities"], data["plans"]
    d = deals[deals.manager == NEWCOMER]
    assert d.created_at.min().strftime("%Y-%m") == "2026-01"
    assert acts[acts.manager == NEWCOMER]["at"].min() >= pd.Timestamp("2026-01-01")
    p = plans[plans.manager == NEWCOMER].set_index("month").target
    assert p.index.min() == "2026-01" and len(p) == 10
    assert p["2026-01"] < 0.6 * p["2026-05"]  # ramp-up
    monthly = d.created_at.dt.strftime("%Y-%m").value_counts()
    assert monthly["2026-01"] < 0.6 * monthly[["2026-04", "2026-05"]].mean()


def test_big_deals_manager(data):
    deals = data["deals"]
    won = deals[deals.status == "won"]
    ratio_won = won[won.manager == BIG_DEALS].amount.mean() / won[won.manager.isin(NOISE)].amount.mean()
    ratio_all = (deals[deals.manager == BIG_DEALS].amount.mean()
                 / deals[deals.manager.isin(NOISE)].amount.mean())
    assert ratio_won > 1.4 and ratio_all > 1.5
    big, noise = deals[deals.manager == BIG_DEALS].amount, deals[deals.manager.isin(NOISE)].amount
    _, p = stats.mannwhitneyu(big, noise)
    assert p < 1e-6


def test_low_activity_manager(data):
    acts = data["activities"]
    low = calls_per_working_day(acts, LOW_ACTIVITY)
    team = np.mean([calls_per_working_day(acts, m) for m in NOISE])
    assert 0.4 * team < low < 0.6 * team
    assert calls_per_working_day(acts, VOLUME) > 1.3 * team  # the cold caller calls more


def test_retention_differs_by_owner(data):
    deals = data["deals"]
    rates = repeat_rates(deals)
    team = rates.loc[[m for m in ALL if m not in (LOYAL, LEAVING, TINY, NEWCOMER)]]
    team_rate = (team["size"] * team["mean"]).sum() / team["size"].sum()
    assert rates.loc[LOYAL, "mean"] > 1.6 * team_rate  # "ever bought again" saturates over 18 months
    assert rates.loc[LEAVING, "mean"] < 0.5 * team_rate
    assert rates.loc[[LOYAL, LEAVING], "size"].min() >= 60  # enough owned clients to tell
    # repeat purchases mostly go to the owner
    won = deals[deals.status == "won"].sort_values(["closed_at", "deal_id"])
    owner = won.groupby("client").manager.first()
    repeat = won[won.duplicated("client")]
    assert (repeat.manager == repeat.client.map(owner)).mean() > 0.8


def test_noise_managers_are_alike(data):
    deals, acts = data["deals"], data["activities"]
    d = deals[deals.manager.isin(NOISE)]
    table = pd.crosstab(d.manager, d.status == "won")
    assert stats.chi2_contingency(table)[1] > 0.05
    leads = d.manager.value_counts()
    assert leads.max() < 1.2 * leads.min()
    calls = acts[acts.manager.isin(NOISE) & (acts.type == "call")]
    daily = calls.groupby([calls.manager, calls["at"].dt.normalize()]).size()
    assert stats.kruskal(*[daily[m] for m in NOISE]).pvalue > 0.05
    assert stats.kruskal(*[d[d.manager == m].amount for m in NOISE]).pvalue > 0.05


def test_plans(data):
    deals, plans = data["deals"], data["plans"]
    assert plans.duplicated(["manager", "month"]).sum() == 0
    assert (plans.target % 1000 == 0).all() and (plans.target > 0).all()
    # one row for every month in which the manager has deals
    active = deals.assign(month=deals.created_at.dt.strftime("%Y-%m"))[["manager", "month"]].drop_duplicates()
    assert set(map(tuple, active.to_numpy())) <= set(map(tuple, plans[["manager", "month"]].to_numpy()))
    assert plans.groupby("manager").size()[[m for m in ALL if m not in (TINY, NEWCOMER)]].eq(18).all()
    median = plans.target.median()
    assert plans[plans.manager == TINY].target.max() < 0.3 * median
    # targets are roughly the expected revenue: some managers beat them, some fall short
    won = deals[deals.status == "won"]
    revenue = won.groupby([won.manager, won.closed_at.dt.strftime("%Y-%m")]).amount.sum()
    revenue.index.names = ["manager", "month"]
    p = plans.set_index(["manager", "month"]).join(revenue.rename("revenue")).fillna(0.0)
    attainment = p.groupby(level="manager").revenue.sum() / p.groupby(level="manager").target.sum()
    assert attainment.drop(TINY).between(0.45, 1.6).all()  # (3 tiny months are too noisy to bound)
    assert (attainment > 1.0).sum() >= 2 and (attainment < 0.9).sum() >= 2
    assert attainment[VOLUME] < 0.85
