"""Download the report shown on screen — the same engine and format as ``python -m metrics report``."""
from __future__ import annotations

import json

import streamlit as st

from metrics.report import add_within, kpi_report, records, to_csv

from . import auth
from .context import Ctx, within_of
from .i18n import lang, t

MIME = {"pdf": "application/pdf",
        "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def report_of(ctx: Ctx) -> dict:
    rep = kpi_report(scorecard=ctx.scorecard, rows_read=ctx.dataset.rows_read, rows_used=ctx.dataset.rows_used,
                     warnings=ctx.dataset.warnings + ctx.scorecard.notes)
    add_within(rep, within_of(ctx))
    rep["lights"] = records(ctx.lights, ["manager", "kpi", "value", "light"])
    return rep


def workbook_of(ctx: Ctx, lg: str) -> bytes:
    """The spreadsheet to hand over (report.workbook): the same report as ``python -m metrics report
    --format xlsx --lang`` — KPIs with lights, tests with verdicts, cohorts, period, data quality."""
    from metrics.report import build_report, data_currency
    from report.content import Options, whatif_summary
    from report.workbook import workbook

    rep = build_report(data=ctx.whole[1], settings=ctx.settings)    # the team filter is in the settings
    whatif = whatif_summary(data=ctx.dataset, period=ctx.settings.period, options=Options(settings=ctx.settings),
                            managers=[m["manager"] for m in rep["managers"]])
    return workbook(rep, lang=lg, thresholds=ctx.settings.threshold_map, currency=data_currency(ctx.dataset.deals),
                    whatif=whatif)


def report_buttons(ctx: Ctx) -> None:
    """The files are built when a button is clicked (deferred ``data=`` callables), not on every rerun:
    writing the workbook alone takes ~0.4 s."""
    stem = f"saleslens-{ctx.period.start}-{ctx.period.end}"
    lg = lang()
    c1, c2, c3, _ = st.columns([1, 1, 1, 3])
    c1.download_button(t("download.xlsx"), lambda: workbook_of(ctx, lg), f"{stem}.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:")
    c2.download_button(t("download.csv"), lambda: to_csv(report_of(ctx)), f"{stem}.csv", mime="text/csv",
                       on_click="ignore", icon=":material/download:")
    c3.download_button(t("download.json"), lambda: json.dumps(report_of(ctx), ensure_ascii=False, indent=2),
                       f"{stem}.json", mime="application/json", on_click="ignore", icon=":material/download:")


def report_options(ctx: Ctx, user: auth.User | None):
    """The report's settings: the screen's (targets, thresholds, α, adjustment, minimum n, plan edits,
    language); a manager gets only their own pages (the data is already anonymised for them)."""
    from report import Options

    only = user.manager if user is not None and user.role == "manager" else None
    return Options(lang=lang(), title=st.session_state.get("report_title") or "", settings=ctx.settings,
                   only=only, sources=tuple(ctx.source_label.split(", ")))


def report_download(ctx: Ctx) -> None:
    """"Download report": PDF or PPTX built on a click with a progress bar; the file stays in this session
    only (session state, never on disk) until the settings change."""
    from dataclasses import replace

    import report

    user = auth.current_user()
    st.subheader(t("report.download"))
    c1, c2, c3 = st.columns([1, 2, 1], vertical_alignment="bottom")
    fmt = c1.segmented_control(t("report.format"), list(report.FORMATS), key="report_fmt", default="pdf",
                               format_func=str.upper, required=True)
    c2.text_input(t("report.title_label"), key="report_title", placeholder=t("report.title_default"))
    options = report_options(ctx, user)
    key = (ctx.token, ctx.settings.key, fmt, repr(replace(options, settings=None)))
    if c3.button(t("report.build"), icon=":material/picture_as_pdf:", key="report_build"):
        bar = st.progress(0.0, text=t("report.building", step=""))
        blob = report.build(fmt, data=ctx.dataset, period=ctx.period, options=options,
                            progress=lambda f, step: bar.progress(min(f, 1.0), text=t("report.building", step="")))
        bar.empty()
        st.session_state["_report_file"] = (key, blob)
    got = st.session_state.get("_report_file")
    if got and got[0] == key:
        st.download_button(t("report.download"), got[1], f"saleslens-{ctx.period.start}-{ctx.period.end}.{fmt}",
                           mime=MIME[fmt], on_click="ignore", icon=":material/download:", type="primary",
                           key="report_dl")
