"""The spreadsheet to hand over: the report (``metrics.report.build_report``) as an XLSX workbook in the
reader's language — translated sheet names and headers, real number formats (%, amounts in the data's
currency, counts), the traffic-light colours, the team row named, the verdicts in words, the tests and the
cohorts. Text cells are guarded against formula injection (``metrics.report.neutralise``)."""
from __future__ import annotations

import io
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from metrics import kpi
from metrics.report import neutralise
from ui.catalogues import text
from ui.fmt import format_value

from .content import UNIT_OF, verdict_sentence

FILL = {"green": "DCF1E4", "amber": "FBEFCF", "red": "F7DCD9", "insufficient": "E5E7EB"}
HEADER = PatternFill("solid", fgColor="1F5FBF")
KPI_SHEET_COLUMNS = ["manager", "leads", "won_of_leads", "conversion", "conversion_ci_low", "conversion_ci_high",
                     "won", "revenue", "avg_deal", "activities", "activities_per_day", "target", "plan_fulfillment", "customers_prev",
                     "customers_retained", "retention_rate"]
PCT = {"conversion", "conversion_ci_low", "conversion_ci_high", "plan_fulfillment", "retention_rate"}
MONEY = {"revenue", "avg_deal", "target"}


class _Card:
    """Enough of a Scorecard for ``kpi.traffic_lights``: the report's rows as a table."""

    def __init__(self, report: dict):
        from datetime import date

        from metrics.periods import Period
        p = report["period"]
        days = Period(date.fromisoformat(p["start"]), date.fromisoformat(p["end"])).working_days()
        self._tab = pd.DataFrame(report["managers"] + [report["team"]])
        self._tab["activities_per_day"] = self._tab["activities"].astype("float64") / days if days else float("nan")
        self.team = self._tab.iloc[[-1]].reset_index(drop=True)

    def table(self) -> pd.DataFrame:
        return self._tab


def _money_format(currency: str) -> str:
    return f'#,##0 "{currency}"'


def _header(ws, labels: list[str]) -> None:
    ws.append(labels)
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    ws.freeze_panes = "B2"


def _widths(ws, widths: dict[int, float] | None = None, default: float = 14) -> None:
    for i in range(1, ws.max_column + 1):
        ws.column_dimensions[get_column_letter(i)].width = (widths or {}).get(i, default)


#: the by-team sheet: the Overview's "By team" columns
TEAM_SHEET_COLUMNS = ["team", "managers", "leads", "conversion", "avg_deal", "activities_per_day", "revenue", "target",
                      "plan_fulfillment", "retention_rate"]
WHATIF_COLUMNS = ["manager", "months", "median_fulfillment", "share_green", "share_amber", "share_red"]


def workbook(report: dict[str, Any], *, lang: str, thresholds: dict | None = None, currency: str = "UAH",
             whatif: pd.DataFrame | None = None) -> bytes:
    """The workbook's bytes. ``whatif``: the what-if summary (``report.content.whatif_summary``, the PDF /
    PPTX plan section's figures) — given, the workbook gets a plan sheet with it."""
    tr = lambda key, **kw: text(key, lang, **kw)       # noqa: E731
    team = tr("common.team")
    wb = Workbook()

    # 1. KPIs with lights
    ws = wb.active
    ws.title = tr("report.xlsx.kpis")[:31]
    _header(ws, [tr(f"col.{c}") for c in KPI_SHEET_COLUMNS])
    lights = kpi.traffic_lights(scorecard=_Card(report), thresholds=thresholds)
    light_of = {(m, k): lt for m, k, lt in zip(lights["manager"], lights["kpi"], lights["light"])}
    card = _Card(report).table()
    rows = [dict(r, activities_per_day=a) for r, a in zip(report["managers"] + [report["team"]],
                                                          card["activities_per_day"])]
    for r in rows:
        ws.append([neutralise(r["manager"]) if r["manager"] is not None else team,
                   *[None if pd.isna(v) else v for v in (r.get(c) for c in KPI_SHEET_COLUMNS[1:])]])
    for i, r in enumerate(rows, start=2):
        for j, c in enumerate(KPI_SHEET_COLUMNS, start=1):
            cell = ws.cell(row=i, column=j)
            if c in PCT:
                cell.number_format = "0.0%"
            elif c in MONEY:
                cell.number_format = _money_format(currency)
            elif c == "activities_per_day":
                cell.number_format = "0.0"
            elif j > 1:
                cell.number_format = "#,##0"
            light = light_of.get((r["manager"], c))
            if light in FILL:
                cell.fill = PatternFill("solid", fgColor=FILL[light])
        if r["manager"] is None:
            for cell in ws[i]:
                cell.font = Font(bold=True)
    _widths(ws, {1: 26})

    # 1b. by team, when the data has a team level (the Overview's "By team" table, the report's "teams" block)
    teams = report.get("teams")
    if teams and teams.get("rows"):
        ws = wb.create_sheet(tr("overview.by_team")[:31])
        _header(ws, [tr(f"teams.level.{teams.get('level') or 'team'}"), tr("col.managers"),
                     *[tr(f"col.{c}") for c in TEAM_SHEET_COLUMNS[2:]]])
        for r in teams["rows"]:
            ws.append([neutralise(r["team"]) if r.get("team") is not None else tr("teams.none"),
                       *[None if r.get(c) is None or pd.isna(r.get(c)) else r.get(c) for c in TEAM_SHEET_COLUMNS[1:]]])
            for j, c in enumerate(TEAM_SHEET_COLUMNS[1:], start=2):
                ws.cell(row=ws.max_row, column=j).number_format = (
                    "0.0%" if c in PCT else _money_format(currency) if c in MONEY else
                    "0.0" if c == "activities_per_day" else "#,##0")
        _widths(ws, {1: 26})

    # 2. tests: each manager against the team, the verdict in words
    ws = wb.create_sheet(tr("report.xlsx.tests")[:31])
    _header(ws, [tr("col.kpi"), tr("col.manager"), tr("col.estimate"), tr("col.interval"), "p",
                 tr("col.p_adjusted"), tr("col.verdict"), tr("report.xlsx.omnibus")])
    kinds = {"conversion": "0.0%", "avg_deal": _money_format(currency), "activities": "0.0", "retention": "0.0%"}
    for block, res in (report.get("tests") or {}).items():
        omni = res.get("omnibus") or {}
        omni_text = ""
        if omni.get("test"):
            omni_text = tr(f"compare.test.{omni['test']}")
            if omni.get("p_value") is not None:
                omni_text += f", p = {format_value(omni['p_value'], 'p', lang)}"
        kind = {"conversion": "pct", "avg_deal": "money", "activities": "num1", "retention": "pct"}[block]
        for r in res.get("vs_team", []):
            interval = "" if r.get("ci_low") is None or r.get("ci_high") is None else \
                f"{format_value(r['ci_low'], kind, lang)} – {format_value(r['ci_high'], kind, lang)}"
            ws.append([tr(f"report.block.{block}"), neutralise(r["manager"]), r.get("estimate"), interval,
                       r.get("p_value"), r.get("p_adjusted"),
                       verdict_sentence(r["verdict"], p=r["p_adjusted"], n=r["n"], n_needed=r.get("n_needed"),
                                        unit=UNIT_OF[block], lang=lang), omni_text])
            ws.cell(row=ws.max_row, column=3).number_format = kinds[block]
            for col in (5, 6):
                ws.cell(row=ws.max_row, column=col).number_format = "0.000"
            if r["verdict"] in ("above", "below"):
                ws.cell(row=ws.max_row, column=7).fill = PatternFill(
                    "solid", fgColor=FILL["green" if r["verdict"] == "above" else "red"])
    _widths(ws, {1: 22, 2: 26, 4: 26, 7: 60, 8: 40})

    # 3. cohorts: cohort × months since the first purchase, coloured by the share
    ws = wb.create_sheet(tr("report.xlsx.cohorts")[:31])
    coh = pd.DataFrame(report.get("cohort_retention") or [])
    if len(coh):
        wide = coh.pivot_table(index=["cohort", "size"], columns="period_index", values="rate").sort_index()
        _header(ws, [tr("report.xlsx.cohort"), tr("report.xlsx.size"), *[f"k = {k}" for k in wide.columns]])
        for (c, size), vals in wide.iterrows():
            ws.append([c, int(size), *[None if pd.isna(v) else float(v) for v in vals]])
        last = get_column_letter(ws.max_column)
        for row in ws.iter_rows(min_row=2, min_col=3):
            for cell in row:
                cell.number_format = "0.0%"
        ws.conditional_formatting.add(f"C2:{last}{ws.max_row}", ColorScaleRule(
            start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=0.6, end_color="1F5FBF"))
    _widths(ws, {1: 14, 2: 10}, default=9)

    # 4. plan: the what-if of the PDF / PPTX plan section — heading, explanation, then the table
    if whatif is not None and len(whatif):
        ws = wb.create_sheet(tr("report.h.plan")[:31])
        ws.append([tr("report.h.whatif")])
        ws["A1"].font = Font(bold=True, size=12)
        ws.append([tr("plan.whatif_explain")])
        ws.append([tr(f"col.{c}") for c in WHATIF_COLUMNS])
        for cell in ws[3]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = HEADER
            cell.alignment = Alignment(wrap_text=True, vertical="center")
        for r in whatif.itertuples(index=False):
            ws.append([neutralise(r.manager) if r.manager is not None else team, int(r.months),
                       *[None if pd.isna(v) else float(v)
                         for v in (r.median_fulfillment, r.share_green, r.share_amber, r.share_red)]])
            ws.cell(row=ws.max_row, column=2).number_format = "#,##0"
            for col in range(3, 7):
                ws.cell(row=ws.max_row, column=col).number_format = "0.0%"
            if r.manager is None:
                for cell in ws[ws.max_row]:
                    cell.font = Font(bold=True)
        ws.freeze_panes = "B4"
        _widths(ws, {1: 26})

    # 5. period and 6. data quality
    ws = wb.create_sheet(tr("report.xlsx.period")[:31])
    p = report["period"]
    for label, value in ((tr("report.cover.period"), f"{p['start']} – {p['end']}"),
                         (tr("report.cover.previous"), f"{p['previous_start']} – {p['previous_end']}")):
        ws.append([label, value])
    _widths(ws, {1: 28, 2: 30})
    ws = wb.create_sheet(tr("report.xlsx.quality")[:31])
    dq = report["data_quality"]
    from .content import notes_text
    ws.append([tr("report.xlsx.rows_read"), dq["rows_read"]])
    ws.append([tr("report.xlsx.rows_used"), dq["rows_used"]])
    for note in notes_text(dq.get("warnings") or [], lang):
        ws.append([neutralise(note)])
    _widths(ws, {1: 90, 2: 14})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
