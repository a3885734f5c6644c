"""Issue #13's team hierarchy as a filter and a grouping: hand-computed team KPIs on a tiny frame, the
comparison within each team, the CLI's teams block, and Maven's regional offices against pandas."""
from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from metrics import teams as T
from metrics.compare import conversion_vs_team, vs_own_team
from metrics.kpi import compute_kpis, period_leads
from metrics.periods import Period, month
from metrics.schema import standardize_activities, standardize_deals, standardize_plans

SEPT = month(2026, 9)


def tiny():
    rows = [  # deal_id, manager, client, created, closed, status, amount, team
        ("1", "A", "c1", "2026-09-05", "2026-09-10", "won", 100, "X"),
        ("2", "A", "c2", "2026-09-06", "2026-09-20", "lost", 0, "X"),
        ("3", "B", "c3", "2026-09-07", "2026-09-15", "won", 300, "X"),
        ("4", "B", "c3", "2026-08-10", "2026-08-20", "won", 50, "X"),
        ("5", "C", "c4", "2026-09-08", "", "open", 0, "Y"),
        ("6", "C", "c5", "2026-08-05", "2026-08-25", "won", 70, "Y"),
        ("7", "D", "c6", "2026-09-03", "2026-09-04", "won", 40, None),
    ]
    raw = pd.DataFrame(rows, columns=["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount",
                                      "team"])
    deals = standardize_deals(raw.drop(columns="team"), file="deals").assign(team=raw["team"].to_numpy())
    acts = standardize_activities(pd.DataFrame({
        "activity_id": ["a1", "a2", "a3", "a4"], "manager": ["A", "A", "C", "B"],
        "type": ["call", "meeting", "call", "email"],
        "at": ["2026-09-10", "2026-09-11", "2026-09-12", "2026-09-14"]}), file="activities")
    plans = standardize_plans(pd.DataFrame({"manager": ["A", "B", "C"], "month": ["2026-09"] * 3,
                                            "target": [1000, 500, 200]}), file="plans")
    return deals, acts, plans


def test_team_kpis_equal_a_hand_computation():
    deals, acts, plans = tiny()
    before = deals.copy()
    tab = T.team_kpis(deals=deals, period=SEPT, activities=acts, plans=plans, calendar="none")
    assert list(tab.columns) == T.TEAM_COLUMNS
    assert tab["team"].tolist() == ["X", "Y", None]              # "no team" last
    x, y, none = (tab.iloc[i] for i in range(3))
    # X = A + B: leads 2 + 1, won of them 2; won in Sept 100 + 300; B's August customer c3 bought again
    assert (x["managers"], x["leads"], x["won_of_leads"]) == (2, 3, 2)
    assert x["conversion"] == pytest.approx(2 / 3)
    assert (x["won"], x["revenue"], x["avg_deal"]) == (2, 400.0, 200.0)
    assert (x["activities"], x["calls"], x["meetings"]) == (2, 1, 1)   # B's e-mail does not count
    # 22 working days (Mon–Fri) in September 2026, per manager with an activity (A only)
    assert x["working_days"] == 22 and x["activities_per_day"] == pytest.approx(2 / 22)
    assert x["target"] == 1500.0 and x["plan_fulfillment"] == pytest.approx(400 / 1500)
    assert (x["customers_prev"], x["customers_retained"], x["retention_rate"]) == (1, 1, 1.0)
    # Y = C: one open lead, nothing won in Sept, c5 (August) not back
    assert (y["leads"], y["conversion"], y["won"]) == (1, 0.0, 0)
    assert np.isnan(y["avg_deal"]) and y["plan_fulfillment"] == 0.0 and y["retention_rate"] == 0.0
    # no team = D: one won lead, no target → no plan fulfilment (never 0)
    assert (none["leads"], none["conversion"], none["revenue"]) == (1, 1.0, 40.0)
    assert np.isnan(none["target"]) and np.isnan(none["plan_fulfillment"])
    pd.testing.assert_frame_equal(deals, before)                 # not mutated


def test_a_teams_row_is_the_scorecards_team_row_on_that_team_only():
    deals, acts, plans = tiny()
    f = T.filter_teams(deals=deals, teams=["X"], activities=acts, plans=plans)
    assert f.managers == ["A", "B"] and set(f.deals["manager"]) == {"A", "B"}
    assert set(f.activities["manager"]) == {"A", "B"} and set(f.plans["manager"]) == {"A", "B"}
    card = compute_kpis(deals=f.deals, period=SEPT, activities=f.activities, plans=f.plans, calendar="none")
    row = T.team_kpis(deals=deals, period=SEPT, activities=acts, plans=plans, calendar="none", teams=["X"])
    for col in ("leads", "conversion", "revenue", "target", "plan_fulfillment", "retention_rate",
                "activities_per_day"):
        assert row[col].iloc[0] == pytest.approx(card.team[col].iloc[0]), col
    # None selects the managers without a team; several teams together
    assert T.filter_teams(deals=deals, teams=[None]).managers == ["D"]
    assert T.filter_teams(deals=deals, teams=["Y", None]).managers == ["C", "D"]
    assert T.filter_teams(deals=deals, teams=[]).deals is deals   # no filter: the same frame


def test_manager_team_is_the_most_common_value_and_levels_are_checked():
    deals, *_ = tiny()
    d = deals.assign(office=["N", "S", "S", "S", None, None, None])
    assert T.team_levels(deals=d) == ["team", "office"]
    mt = T.manager_teams(deals=d, level="office")
    assert dict(zip(mt["manager"], mt["team"])) == {"A": "N", "B": "S", "C": None, "D": None}  # A: tie → sorted
    from metrics.errors import DataError
    with pytest.raises(DataError, match="region"):
        T.manager_teams(deals=d, level="region")
    with pytest.raises(DataError, match="team"):
        T.team_kpis(deals=deals.drop(columns="team"), period=SEPT)


def test_vs_own_team_is_vs_team_within_each_team():
    leads = pd.DataFrame({"manager": ["A"] * 40 + ["B"] * 40 + ["C"] * 40 + ["E"] * 40,
                          "won": ([True] * 30 + [False] * 10) + ([True] * 10 + [False] * 30)
                          + ([True] * 20 + [False] * 20) * 2})
    teams = pd.DataFrame({"manager": ["A", "B", "C", "E"], "team": ["X", "X", "Y", None]})
    res = vs_own_team(teams=teams, compare=lambda ppl: conversion_vs_team(leads=leads[leads["manager"].isin(ppl)]))
    s = res.summary
    assert s["team"].tolist() == ["X", "X"] and s["manager"].tolist() == ["A", "B"]
    alone = conversion_vs_team(leads=leads[leads["manager"].isin(["A", "B"])]).summary
    pd.testing.assert_frame_equal(s.drop(columns="team"), alone)
    assert res.omnibus["alone"] == ["Y", None] and set(res.omnibus["by_team"]) == {"X"}
    # A (30/40) vs B (10/40) within X: the gap is real
    assert s.set_index("manager").loc["A", "verdict"] == "above"


REAL = __import__("test_real_data").REAL
real = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real-data is absent")
YEAR = ["--start", "2017-01-01", "--end", "2017-12-31"]


def maven_by_office() -> pd.DataFrame:
    """By hand from the two CSVs: won deals closed in 2017 and their revenue per regional office."""
    raw = pd.read_csv(REAL / "maven_crm" / "sales_pipeline.csv")
    teams = pd.read_csv(REAL / "maven_crm" / "sales_teams.csv").set_index("sales_agent")
    won = raw[(raw["deal_stage"] == "Won") & (pd.to_datetime(raw["close_date"]).dt.year == 2017)]
    won = won.assign(office=won["sales_agent"].map(teams["regional_office"]))
    return won.groupby("office")["close_value"].agg(["count", "sum"])


@real
def test_maven_per_regional_office_won_and_revenue_equal_pandas_in_the_engine_and_the_cli(capsys):
    from metrics.cli import main
    from metrics.ingest import ingest
    want = maven_by_office()
    files = sorted(p for p in (REAL / "maven_crm").iterdir() if p.suffix == ".csv")
    data = ingest([(p.name, p.read_bytes) for p in files]).data
    tab = T.team_kpis(deals=data.deals, period=Period(date(2017, 1, 1), date(2017, 12, 31)), level="office",
                      covered_end="data").set_index("team")
    assert tab.index.tolist() == want.index.tolist() == ["Central", "East", "West"]
    assert tab["won"].tolist() == want["count"].tolist()
    assert tab["revenue"].tolist() == pytest.approx(want["sum"].tolist(), rel=1e-12)
    args = ["report", "--deals", str(REAL / "maven_crm"), *YEAR, "--quiet", "--team-by", "office"]
    assert main(args) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["teams"]["level"] == "office" and rep["teams"]["levels"] == ["team", "office"]
    rows = {r["team"]: r for r in rep["teams"]["rows"]}
    assert {k: (r["won"], r["revenue"]) for k, r in rows.items()} == \
        {k: (int(c), pytest.approx(s)) for k, (c, s) in want.iterrows()}
    # --team: every block on that office's agents only; the team row is the office's row
    assert main(args + ["--team", "East"]) == 0
    east = json.loads(capsys.readouterr().out)
    agents = pd.read_csv(REAL / "maven_crm" / "sales_teams.csv")
    raw = pd.read_csv(REAL / "maven_crm" / "sales_pipeline.csv")
    in_east = set(agents.loc[agents["regional_office"] == "East", "sales_agent"]) & set(raw["sales_agent"])
    assert [m["manager"] for m in east["managers"]] == sorted(in_east)   # (two East agents have no deal)
    assert east["team"]["won"] == int(want.loc["East", "count"])
    assert east["team"]["revenue"] == pytest.approx(want.loc["East", "sum"])
    assert east["teams"]["selected"] == ["East"] and len(east["teams"]["rows"]) == 1
    assert main(args + ["--team", "Nowhere"]) == 2
    assert "Nowhere" in capsys.readouterr().err


def test_a_deals_files_own_team_column_is_a_team_level_and_the_cli_report_keeps_to_the_chosen_team(tmp_path):
    """A spreadsheet with its own 'Отдел продаж' / 'Region' column (no lookup file) gave 'the data has no
    team hierarchy'; and `--team` did not reach the PDF (every manager was in it)."""
    import io

    from pypdf import PdfReader

    from metrics import cli
    from metrics.ingest import ingest
    from metrics.teams import team_levels, team_names
    path = tmp_path / "deals.csv"
    path.write_text("ID,Менеджер,Клиент,Дата создания,Дата закрытия,Статус,Сумма,Отдел продаж,Region\n"
                    "1,Alice Smith,c1,2025-01-02,2025-01-10,won,1000,East,North\n"
                    "2,Alice Smith,c2,2025-01-03,2025-01-11,lost,0,East,North\n"
                    "3,Bob Jones,c3,2025-01-04,2025-01-12,won,2000,East,South\n"
                    "4,Carl Brown,c4,2025-01-05,2025-01-13,won,3000,West,South\n", encoding="utf-8")
    deals = ingest([(path.name, path.read_bytes())]).data.deals
    assert team_levels(deals=deals) == ["team", "region"]
    assert team_names(deals=deals, level="team") == ["East", "West"]
    assert dict(zip(deals["manager"], deals["region"])) == {"Alice Smith": "North", "Bob Jones": "South",
                                                           "Carl Brown": "South"}
    out = tmp_path / "east.pdf"
    assert cli.main(["report", "--deals", str(path), "--start", "2025-01-01", "--end", "2025-01-31",
                     "--team", "East", "--format", "pdf", "--out", str(out)]) == 0
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages)
    assert "Alice Smith" in text and "Bob Jones" in text and "Carl Brown" not in text
