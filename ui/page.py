"""The top of every page: title, period and data source, and the page's one-paragraph explanation."""
from __future__ import annotations

import streamlit as st

from .context import Ctx, current
from .frame import require_frame
from .fmt import inert
from .i18n import month_name, t


def period_text(ctx: Ctx) -> str:
    p = ctx.period
    if p.is_whole_months and p.n_months == 1:
        label = month_name(p.start.month, p.start.year)
    else:
        label = f"{p.start:%d.%m.%Y} – {p.end:%d.%m.%Y}"
    prev = p.previous()
    return t("common.period_line", period=label, prev=f"{prev.start:%d.%m.%Y} – {prev.end:%d.%m.%Y}")


def start(name: str) -> Ctx:
    """Guard, title, period caption and explanation for page ``name``; returns the run's context."""
    from . import present

    require_frame()
    ctx = current()
    head, switch = st.columns([3, 1], vertical_alignment="bottom")
    head.title(t(f"page.{name}"))
    with switch:
        present.toggle()
    st.caption(f"{period_text(ctx)} · {t('common.source')}: {inert(ctx.source_label)}")
    st.markdown(t(f"{name}.explain"))
    return ctx


def open_leads_note(ctx: Ctx, threshold: float = 0.2) -> None:
    """Say so when many of the period's leads are still open: their conversion is not known yet."""
    team = ctx.scorecard.team.iloc[0]
    if team["leads"] and team["open_leads"] / team["leads"] >= threshold:
        st.info(t("common.open_leads", share=f"{100 * team['open_leads'] / team['leads']:.0f}"),
                icon=":material/hourglass_top:")


def tab_labels(key: str, names: list[str] | tuple[str, ...], prefix: str) -> list[str]:
    """Labels ``t(prefix + name)`` for ``st.tabs(..., key=key)``, keeping the open tab when the language
    changes: a keyed tab's state is its label, so a label stored in another language is re-set to the same
    tab's label in the current one (else Streamlit would fall back to the first tab)."""
    from .catalogues import TEXTS

    current = st.session_state.get(key)
    if current is not None:
        for name in names:
            if current in TEXTS[f"{prefix}{name}"]:
                st.session_state[key] = t(f"{prefix}{name}")
                break
    return [t(f"{prefix}{name}") for name in names]
