"""The workbook to hand over gets a "by team" sheet when the data has a team level (the Overview's "By team"
table, the report's ``teams`` block), translated and formatted; no team attribute, no sheet."""
import io

import pandas as pd
import pytest


def _teams_dataset():
    """Managers A, B in team East, C in none; manager i's January 2025: 3 won deals of 1000·(i+1) + 0, 2, 4
    and 3 lost ones."""
    from metrics.loading import Dataset
    from metrics.schema import standardize_deals
    rows = []
    for i, m in enumerate(["A", "B", "C"]):
        for j in range(6):
            rows.append((f"{i}-{j}", m, f"c{i}{j % 3}", f"2025-01-{j + 2:02d}", f"2025-01-{j + 10:02d}",
                         "won" if j % 2 == 0 else "lost", str(1000 * (i + 1) + j), "East" if i < 2 else None))
    raw = pd.DataFrame(rows, columns=["deal_id", "manager", "client", "created_at", "closed_at", "status", "amount",
                                      "team"])
    deals = standardize_deals(raw.drop(columns="team"), file="t").assign(team=raw["team"].to_numpy())
    return Dataset(deals=deals, rows_read=len(deals), rows_used=len(deals))


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_workbook_has_a_by_team_sheet_with_the_teams_kpis(lang):
    from metrics.periods import month
    from metrics.report import build_report
    from openpyxl import load_workbook
    from report.workbook import workbook
    from ui.catalogues import text

    rep = build_report(data=_teams_dataset(), period=month(2025, 1))
    wb = load_workbook(io.BytesIO(workbook(rep, lang=lang, currency="UAH")))
    assert wb.sheetnames[1] == text("overview.by_team", lang)
    ws = wb.worksheets[1]
    head = [c.value for c in ws[1]]
    assert head[:3] == [text("teams.level.team", lang), text("col.managers", lang), text("col.leads", lang)]
    got = {r[0]: dict(zip(head, r)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(got) == {"East", text("teams.none", lang)}
    east, none = got["East"], got[text("teams.none", lang)]
    # by hand: East = A (1000 + 1002 + 1004) + B (2000 + 2002 + 2004) = 9012 over 6 won of 12 leads
    assert east[text("col.managers", lang)] == 2 and east[text("col.leads", lang)] == 12
    assert east[text("col.revenue", lang)] == 9012 and east[text("col.avg_deal", lang)] == 1502
    assert east[text("col.conversion", lang)] == pytest.approx(0.5)
    assert none[text("col.revenue", lang)] == 3000 + 3002 + 3004 and none[text("col.avg_deal", lang)] == 3002
    assert east[text("col.plan_fulfillment", lang)] is None           # no targets: empty, not 0
    fmt = {h: c.number_format for h, c in zip(head, ws[2])}
    assert fmt[text("col.conversion", lang)] == "0.0%" and fmt[text("col.revenue", lang)] == '#,##0 "UAH"'
    assert fmt[text("col.leads", lang)] == "#,##0"


def test_no_team_attribute_no_team_sheet():
    from dataclasses import replace

    from metrics.periods import month
    from metrics.report import build_report
    from openpyxl import load_workbook
    from report.workbook import workbook
    data = _teams_dataset()
    rep = build_report(data=replace(data, deals=data.deals.drop(columns="team")), period=month(2025, 1))
    assert "teams" not in rep
    assert load_workbook(io.BytesIO(workbook(rep, lang="en"))).sheetnames == [
        "KPIs", "Tests", "Cohorts", "Period", "Data quality"]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_pdf_and_the_slides_have_the_by_team_table(lang):
    """The PDF's and the deck's "By team" page: each team's row with its managers, leads and revenue as the
    engine's teams block has them (East: 2 managers, 12 leads, 9 012; no team: 1, 6, 9 006)."""
    import report
    from metrics.periods import month
    from test_report import flat, pdf_pages, slide_tables
    from ui.catalogues import text
    from ui.fmt import money

    data = _teams_dataset()
    title = text("overview.by_team", lang)
    opts = report.Options(lang=lang)
    pages = pdf_pages(report.build("pdf", data=data, period=month(2025, 1), options=opts))
    page = next(p for p in pages if p.startswith(title) or f" {title} " in p)
    slides = [cells for t, cells in slide_tables(report.build("pptx", data=data, period=month(2025, 1), options=opts))
              if t == title]
    assert len(slides) == 1
    for team, n, leads, revenue in (("East", 2, 12, 9012), (text("teams.none", lang), 1, 6, 9006)):
        rev = flat(money(revenue, lang, currency="UAH"))
        assert f"{team} {n} {leads} 50" in page and rev in page, (team, rev)
        i = slides[0].index(team)
        assert slides[0][i + 1:i + 3] == [str(n), str(leads)] and rev in slides[0][i:i + 12]
    # a manager role's report (only their own page) has no team table
    only = report.build("pptx", data=data, period=month(2025, 1), options=report.Options(lang=lang, only="A"))
    assert title not in [t for t, _ in slide_tables(only)]
