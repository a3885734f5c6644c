"""Download the report shown on screen — the same engine and format as ``python -m metrics report``."""
from __future__ import annotations

import json

import streamlit as st

from metrics.report import add_within, kpi_report, records, to_csv, to_xlsx

from .context import Ctx, within_of
from .i18n import t


def report_of(ctx: Ctx) -> dict:
    rep = kpi_report(scorecard=ctx.scorecard, rows_read=ctx.dataset.rows_read, rows_used=ctx.dataset.rows_used,
                     warnings=ctx.dataset.warnings + ctx.scorecard.notes)
    add_within(rep, within_of(ctx))
    rep["lights"] = records(ctx.lights, ["manager", "kpi", "value", "light"])
    return rep


def report_buttons(ctx: Ctx) -> None:
    """The files are built when a button is clicked (deferred ``data=`` callables), not on every rerun:
    writing the workbook alone takes ~0.4 s."""
    stem = f"saleslens-{ctx.period.start}-{ctx.period.end}"
    c1, c2, c3, _ = st.columns([1, 1, 1, 3])
    c1.download_button(t("download.xlsx"), lambda: to_xlsx(report_of(ctx)), f"{stem}.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:")
    c2.download_button(t("download.csv"), lambda: to_csv(report_of(ctx)), f"{stem}.csv", mime="text/csv",
                       on_click="ignore", icon=":material/download:")
    c3.download_button(t("download.json"), lambda: json.dumps(report_of(ctx), ensure_ascii=False, indent=2),
                       f"{stem}.json", mime="application/json", on_click="ignore", icon=":material/download:")
