"""Download the report shown on screen — the same engine and format as ``python -m metrics report``."""
from __future__ import annotations

import json

import streamlit as st

from metrics.report import kpi_report, to_csv, to_xlsx

from .context import Ctx
from .i18n import t


def report_of(ctx: Ctx) -> dict:
    return kpi_report(scorecard=ctx.scorecard, rows_read=ctx.dataset.rows_read, rows_used=ctx.dataset.rows_used,
                      warnings=ctx.dataset.warnings + ctx.scorecard.notes)


def report_buttons(ctx: Ctx) -> None:
    rep = report_of(ctx)
    stem = f"saleslens-{ctx.period.start}-{ctx.period.end}"
    c1, c2, c3, _ = st.columns([1, 1, 1, 3])
    c1.download_button(t("download.xlsx"), to_xlsx(rep), f"{stem}.xlsx", on_click="ignore",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:")
    c2.download_button(t("download.csv"), to_csv(rep), f"{stem}.csv", mime="text/csv", on_click="ignore",
                       icon=":material/download:")
    c3.download_button(t("download.json"), json.dumps(rep, ensure_ascii=False, indent=2), f"{stem}.json",
                       mime="application/json", on_click="ignore", icon=":material/download:")
