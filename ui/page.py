"""The top of every page: title, period and data source, and the page's one-paragraph explanation."""
from __future__ import annotations

import streamlit as st

from . import state
from .context import Ctx, current
from .frame import require_frame
from .fmt import inert
from .i18n import month_name, t, tn


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
    from . import charts          # every chart of the page says what, when and from which data when exported
    charts.caption(f"SalesLens · {t(f'page.{name}')}", [period_text(ctx), f"{t('common.source')}: {ctx.source_label}"])
    with switch:
        present.toggle()
    st.caption(f"{period_text(ctx)} · {t('common.source')}: {inert(ctx.source_label)}" + team_text(ctx))
    coverage_line(ctx)
    st.markdown(t(f"{name}.explain"))
    return ctx


def team_text(ctx: Ctx) -> str:
    """" · Teams: East, West" when the team filter is on (else "")."""
    if not ctx.settings.teams:
        return ""
    from .context import team_level
    names = [t("teams.none") if n is None else inert(n) for n in ctx.settings.teams]
    return f" · {t('teams.pick.' + (team_level(ctx) or 'team'))}: {', '.join(names)}"


def horizon_text(ctx: Ctx) -> str:
    """H of "conversion within H days" as shown ("90")."""
    from .context import horizon_of
    return f"{horizon_of(ctx.settings):g}"


def calendar_code(ctx: Ctx) -> str:
    """The working-day calendar of this run (``metrics.calendars`` code)."""
    from .context import calendar_of
    return calendar_of(ctx.settings)


def calendar_label(ctx: Ctx) -> str:
    return t(f"cal.{calendar_code(ctx)}")


def measure(ctx: Ctx) -> str:
    """Which conversion the Overview shows: "raw" or "within"."""
    from .context import conversion_measure
    return conversion_measure()


def coverage_line(ctx: Ctx) -> None:
    """One line when the period runs past the data's end: what the per-day figures and targets use."""
    card = ctx.scorecard
    if card.complete:
        return
    from .context import facts
    end = facts(*ctx.whole)["end"]
    if card.covered is None:
        st.warning(t("common.coverage_none", end=f"{end:%d.%m.%Y}"), icon=":material/event_busy:")
        return
    wd = int(card.team["working_days"].iloc[0])
    st.info(tn("common.coverage", wd, end=f"{end:%d.%m.%Y}", start=f"{card.covered.start:%d.%m.%Y}",
               covered=f"{card.covered.end:%d.%m.%Y}", wd=wd, calendar=calendar_label(ctx)),
            icon=":material/event_upcoming:")


def open_leads_note(ctx: Ctx, threshold: float = 0.2, offer: bool = False) -> None:
    """Say so when many of the period's leads are still open: their conversion is not known yet. With
    ``offer``, a button switches the conversion shown to "within H days" (and back)."""
    team = ctx.scorecard.team.iloc[0]
    h = horizon_text(ctx)
    within = measure(ctx) == "within"
    if team["leads"] and team["open_leads"] / team["leads"] >= threshold:
        st.info(t("common.open_leads", share=f"{100 * team['open_leads'] / team['leads']:.0f}"),
                icon=":material/hourglass_top:")
        if offer and not within:
            st.button(t("common.use_within", h=h), key="use_within", icon=":material/timelapse:",
                      on_click=state.put, args=("conv_measure", "within"))
    if offer and within:
        st.caption(t("common.within_shown", h=h))
        st.button(t("common.use_raw"), key="use_raw", on_click=state.put, args=("conv_measure", "raw"))


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
