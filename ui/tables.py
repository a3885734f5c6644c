"""Tables for display: translated headers, per-language number formats, traffic-light cell colours."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from . import state
from .fmt import format_value
from .i18n import lang, t

SOFT = {"green": "background-color: #d7f0df", "amber": "background-color: #fcefc9",
        "red": "background-color: #f8d9d5", "insufficient": "background-color: #e4e6e9; color: #5f6368"}


def with_team_label(df: pd.DataFrame, col: str = "manager") -> pd.DataFrame:
    """Replace the team row's None manager with the translated word 'Team'."""
    out = df.copy()
    out[col] = out[col].where(out[col].notna(), t("common.team"))
    return out


def show(df: pd.DataFrame, columns: dict[str, str], *, lights: pd.DataFrame | None = None,
         key: str | None = None, height: int | str = "auto", headers: dict[str, str] | None = None) -> None:
    """Render ``df[columns]`` with formats (columns: name → kind in ui.fmt.FORMATTERS, or "text").

    Headers come from the translation keys ``col.<name>`` unless ``headers`` names them. ``lights`` (manager, kpi, light) colours the
    cells of the KPI columns it names. The underlying numbers stay sortable.
    """
    lg = lang()
    names_of = {c: (headers or {}).get(c) or t(f"col.{c}") for c in columns}
    view = df[list(columns)].reset_index(drop=True)
    team = t("common.team")
    css = pd.DataFrame("", index=view.index, columns=view.columns)
    if lights is not None and len(lights) and "manager" in view.columns:
        for kpi in set(lights["kpi"]) & set(columns):
            lk = lights[lights["kpi"] == kpi]
            by = dict(zip(lk["manager"].where(lk["manager"].notna(), team), lk["light"]))
            css[kpi] = [SOFT.get(by.get(n), "") for n in view["manager"]]
    if "manager" in view.columns:
        css["manager"] = ["font-weight: bold" if n == team else "" for n in view["manager"]]
    formats = {names_of[c]: (lambda v, k=k: format_value(v, k, lg)) for c, k in columns.items() if k != "text"}
    view.columns = [names_of[c] for c in columns]
    css.columns = view.columns
    styler = view.style.format(formats, na_rep="—").apply(lambda _: css, axis=None)
    if state.get("present"):   # the projector: a static table that wraps its cells, never a side-scrolled cut
        st.table(styler.hide(axis="index"))
        return
    if height == "auto" and len(view) <= 25:  # show every row without an inner scroll bar
        height = 35 * (len(view) + 1) + 3
    st.dataframe(styler, hide_index=True, key=key, height=height, width="stretch", placeholder="—",
                 column_config=_widths(view, {names_of[c]: k for c, k in columns.items()}, formats))


def _widths(view: pd.DataFrame, kinds: dict[str, str], formats: dict) -> dict:
    """Pixel widths of the number columns from their longest shown text. The browser otherwise sizes a
    column once, from its first content, and keeps that width when the values change (a target column
    that was all "—" then showed "00,000 UAH" until the page was switched, issue #12)."""
    out = {}
    for name, kind in kinds.items():
        if kind == "text" or name not in formats:
            continue
        texts = [formats[name](v) for v in view[name]] if len(view) else []
        longest = max([len(str(name))] + [len(x) for x in texts])
        out[name] = st.column_config.Column(width=int(min(320, 16 + 8 * longest)))
    return out
