"""Altair charts shared by the pages. Every chart takes tidy frames and translated labels."""
from __future__ import annotations

import json
import math
import os
import textwrap
from contextvars import ContextVar, Token

import altair as alt
import numpy as np
import pandas as pd

LIGHT_COLORS = {"green": "#2e9d5b", "amber": "#e0a526", "red": "#d2483c", "none": "#c9ccd1",
                "insufficient": "#8f959c"}
TEAM_COLOR = "#6b7280"
#: 20 distinct colours for lines (a dozen managers on one chart stay apart); the team is always TEAM_COLOR
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
           "#393b79", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#9edae5",
           "#dbdb8d", "#637939"]


def series_scale(values, team_label: str | None) -> alt.Scale:
    """Colours of line series: the palette in order of the series, the team in its fixed neutral grey."""
    names = [v for v in dict.fromkeys(values) if v != team_label]
    domain = names + ([team_label] if team_label is not None and team_label in set(values) else [])
    rng = [PALETTE[i % len(PALETTE)] for i in range(len(names))] + [TEAM_COLOR] * (len(domain) - len(names))
    return alt.Scale(domain=domain, range=rng)
_LOCALES = {
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]},
    "ru": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", ""]},
    "uk": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", ""]},
}


def _validate_specs() -> bool:
    """Validate the Vega-Lite specs against the JSON schema (Altair's default) under pytest, where every
    chart of every page is drawn; not in the running app, where the same fixed specs would be re-validated
    on every rerun (~30 ms a chart at a thousand rows)."""
    return "PYTEST_CURRENT_TEST" in os.environ or os.environ.get("SALESLENS_VALIDATE_CHARTS") == "1"


def _unvalidated(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """``chart`` whose ``to_dict()`` (what ``st.altair_chart`` calls) skips the schema validation."""
    bound = chart.to_dict

    def to_dict(*args, validate: bool = False, **kwargs):
        return bound(*args, validate=validate, **kwargs)

    object.__setattr__(chart, "to_dict", to_dict)    # not SchemaBase.__setattr__: that would add a spec key
    return chart


#: the title and subtitle lines every chart of this script run carries (page title; period and data source),
#: so that a PNG / SVG saved from Vega's actions menu says what, when and from which data. Set by
#: ui.page.start; None (the report, tests of the bare helpers) = no title. A ContextVar: per script thread.
_CAPTION: ContextVar[tuple[str, tuple[str, ...]] | None] = ContextVar("chart_caption", default=None)


def caption(title: str | None, subtitle: list[str] | tuple[str, ...] = ()) -> Token:
    """Make ``title`` / ``subtitle`` (lines) the caption of the charts drawn from now on in this run
    (``None`` = no caption); returns the token to restore the previous one (``reset_caption``)."""
    return _CAPTION.set(None if title is None else (title, tuple(subtitle)))


def current_caption() -> tuple[str, tuple[str, ...]] | None:
    """The caption the charts drawn now get (part of a shared chart's cache key: ``ui.draw``)."""
    return _CAPTION.get()


def reset_caption(token: Token) -> None:
    _CAPTION.reset(token)


def _captioned(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    got = _CAPTION.get()
    if got is None:
        return chart
    title, sub = got
    return chart.properties(title=alt.TitleParams(text=title, subtitle=list(sub), anchor="start", fontSize=13,
                                                  subtitleFontSize=11, subtitleColor="#555"))


def finish(chart: alt.TopLevelMixin, lang: str, height: int = 320) -> alt.TopLevelMixin:
    """Common look: number locale of the language, fixed height, no chart border; the run's caption."""
    out = (_captioned(chart.properties(height=height))
           .configure(locale={"number": _LOCALES.get(lang, _LOCALES["en"])})
           .configure_view(strokeWidth=0)
           .configure_axis(labelFontSize=12, titleFontSize=12, labelLimit=220))
    return out if _validate_specs() else _unvalidated(out)


def with_data(chart: alt.TopLevelMixin, df: pd.DataFrame) -> alt.TopLevelMixin:
    """A shallow copy of ``chart`` (built on an empty frame with ``df``'s columns, its layers sharing that
    frame) drawing ``df`` instead: the same spec as building the chart on ``df``, without rebuilding it;
    captioned with this run's caption (a cached structure may carry another run's)."""
    out = chart.copy(deep=False)
    out.data = df
    got = _CAPTION.get()
    out.title = alt.Undefined if got is None else _captioned(alt.LayerChart()).title
    return out if _validate_specs() else _unvalidated(out)


def ci_dots(df: pd.DataFrame, *, label: str, value: str, low: str, high: str, team: float | None,
            title: str, fmt: str = ".1~%", lang: str = "en", extra_tooltip: list | None = None) -> alt.TopLevelMixin:
    """Estimate with its interval per row (sorted by the estimate), team value as a dashed rule."""
    extra = [f.split(":")[0] for f in extra_tooltip or [] if isinstance(f, str)]
    if len(extra) == len(extra_tooltip or []):          # only what is drawn goes into the chart's data
        df = df[list(dict.fromkeys([label, value, low, high, *extra]))]
    order = df.sort_values(value, ascending=False)[label].tolist()
    base = alt.Chart(df).encode(y=alt.Y(f"{label}:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False)))
    tips = [alt.Tooltip(f"{label}:N"), alt.Tooltip(f"{value}:Q", format=fmt),
            alt.Tooltip(f"{low}:Q", format=fmt), alt.Tooltip(f"{high}:Q", format=fmt)] + (extra_tooltip or [])
    bars = base.mark_rule(strokeWidth=3, color="#9db4d6").encode(
        x=alt.X(f"{low}:Q", title=title, axis=alt.Axis(format=fmt)), x2=f"{high}:Q", tooltip=tips)
    pts = base.mark_circle(size=110, color="#1f5fbf", opacity=1).encode(x=f"{value}:Q", tooltip=tips)
    layers = [bars, pts]
    if team is not None and pd.notna(team):
        layers.append(alt.Chart(pd.DataFrame({"team": [team]})).mark_rule(strokeDash=[5, 4], color=TEAM_COLOR)
                      .encode(x="team:Q"))
    return finish(alt.layer(*layers), lang, height=max(220, 28 * len(df)))


def wrapped_labels(labels: list[str], width: int = 16) -> tuple[str, int]:
    """A Vega label expression that writes each long label on lines of at most ``width`` characters
    ("Дзвінки + зустрічі / день" over two lines), so that neighbouring column labels never overlap, and the
    number of lines. Every label gets that many lines (short ones start with empty lines): a multi-line label
    grows downwards from its anchor, so they all end on one line, ``(lines - 1) × line height`` above it."""
    lines = {x: textwrap.wrap(x, width) or [x] for x in labels}
    n = max((len(v) for v in lines.values()), default=1)
    if n == 1:
        return "datum.label", 1
    padded = {x: [""] * (n - len(v)) + v for x, v in lines.items()}
    return f"{json.dumps(padded, ensure_ascii=False)}[datum.label] || datum.label", n


def light_matrix(df: pd.DataFrame, *, row: str, col: str, light: str, text: str, col_order: list[str],
                 row_order: list[str], lang: str) -> alt.TopLevelMixin:
    """Managers × KPIs, each cell coloured by its traffic light and labelled with its value."""
    scale = alt.Scale(domain=list(LIGHT_COLORS), range=list(LIGHT_COLORS.values()))
    expr, lines = wrapped_labels(col_order)
    axis = alt.Axis(orient="top", labelAngle=0, labelLimit=0, labelExpr=expr, labelFontSize=11,
                    labelLineHeight=13, labelPadding=3 + 13 * (lines - 1))
    base = alt.Chart(df).encode(x=alt.X(f"{col}:N", sort=col_order, title=None, axis=axis),
                                y=alt.Y(f"{row}:N", sort=row_order, title=None))
    rect = base.mark_rect(cornerRadius=4, stroke="white", strokeWidth=2).encode(
        color=alt.Color(f"{light}:N", scale=scale, legend=None), tooltip=[f"{row}:N", f"{col}:N", f"{text}:N"])
    label = base.mark_text(fontSize=12, color="white", fontWeight="bold").encode(text=f"{text}:N")
    return finish(rect + label, lang, height=max(200, 34 * len(row_order)))


def bars(df: pd.DataFrame, *, x: str, y: str, title: str, fmt: str = ",.0f", color: str | None = None,
         color_title: str | None = None, rule: float | None = None, lang: str = "en", stack: bool = True,
         sort: list[str] | None = None, color_scale: alt.Scale | None = None) -> alt.TopLevelMixin:
    """Horizontal bars per category (y), optionally coloured/stacked by ``color``; optional reference rule."""
    enc = dict(y=alt.Y(f"{y}:N", sort=sort or "-x", title=None, axis=alt.Axis(labelOverlap=False)),
               x=alt.X(f"{x}:Q", title=title, axis=alt.Axis(format=fmt), stack=stack),
               tooltip=[alt.Tooltip(f"{y}:N"), alt.Tooltip(f"{x}:Q", format=fmt)])
    if color:
        enc["color"] = alt.Color(f"{color}:N", title=color_title, scale=color_scale or alt.Undefined,
                                 legend=alt.Legend(orient="bottom"))
        enc["tooltip"].append(alt.Tooltip(f"{color}:N"))
        if not stack:
            enc["yOffset"] = alt.YOffset(f"{color}:N")
    chart = alt.Chart(df).mark_bar(cornerRadiusEnd=3).encode(**enc)
    if rule is not None:
        chart = chart + alt.Chart(pd.DataFrame({"r": [rule]})).mark_rule(strokeDash=[5, 4], color=TEAM_COLOR).encode(x="r:Q")
    n = df[y].nunique()
    return finish(chart, lang, height=max(200, (44 if color and not stack else 28) * n))


def trend(df: pd.DataFrame, *, x: str, y: str, series: str, title: str, fmt: str = ",.0f",
          team_label: str | None = None, lang: str = "en") -> alt.TopLevelMixin:
    """Lines over months per series; the team series (if named) is drawn thick and grey."""
    df = df[list(dict.fromkeys([x, y, series]))]        # only what is drawn goes into the chart's data
    sel = alt.selection_point(fields=[series], bind="legend", name="legend")
    base = alt.Chart(df).encode(
        x=alt.X(f"{x}:O", title=None, axis=alt.Axis(labelAngle=-40)),
        y=alt.Y(f"{y}:Q", title=title, axis=alt.Axis(format=fmt)),
        color=alt.Color(f"{series}:N", title=None, scale=series_scale(df[series], team_label),
                        legend=alt.Legend(orient="bottom", columns=4, symbolLimit=40, labelLimit=200)),
        opacity=alt.when(sel).then(alt.value(1)).otherwise(alt.value(0.12)),
        tooltip=[alt.Tooltip(f"{series}:N"), alt.Tooltip(f"{x}:O"), alt.Tooltip(f"{y}:Q", format=fmt)])
    lines = base.mark_line(point=True, strokeWidth=1.8).add_params(sel)
    layers = [lines]
    if team_label:
        team = df[df[series] == team_label]
        layers.append(alt.Chart(team).mark_line(strokeWidth=4, color=TEAM_COLOR, strokeDash=[6, 3]).encode(
            x=f"{x}:O", y=f"{y}:Q"))
    return finish(alt.layer(*layers), lang, height=300)


def heatmap(df: pd.DataFrame, *, x: str, y: str, value: str, text: str, title: str, lang: str,
            scheme: str = "redyellowgreen", domain: list[float] | None = None,
            y_order: list[str] | None = None) -> alt.TopLevelMixin:
    """Cells coloured by ``value`` with a text label."""
    base = alt.Chart(df).encode(x=alt.X(f"{x}:O", title=None, axis=alt.Axis(labelAngle=-40)),
                                y=alt.Y(f"{y}:N", title=None, sort=y_order))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color(f"{value}:Q", title=title, scale=alt.Scale(scheme=scheme, domain=domain or alt.Undefined, clamp=True),
                        legend=alt.Legend(format=".0%")),
        tooltip=[f"{y}:N", f"{x}:O", f"{text}:N"])
    lo, hi = (domain[0], domain[-1]) if domain else (None, None)
    dark = (f"datum.{value} < {lo + 0.25 * (hi - lo)} || datum.{value} > {hi - 0.25 * (hi - lo)}"
            if domain else "false")
    label = base.mark_text(fontSize=10).encode(
        text=f"{text}:N", color=alt.condition(dark, alt.value("white"), alt.value("#1f2937")))
    return finish(rect + label, lang, height=max(200, 30 * df[y].nunique()))


def amounts_box(df: pd.DataFrame, *, manager: str, amount: str, title: str, lang: str,
                order: list[str] | None = None) -> alt.TopLevelMixin:
    """Distribution of won amounts per manager (log scale): box plot."""
    chart = alt.Chart(df).mark_boxplot(extent=1.5, size=18, color="#1f5fbf", median={"color": "white"}).encode(
        y=alt.Y(f"{manager}:N", title=None, sort=order, axis=alt.Axis(labelOverlap=False)),
        x=alt.X(f"{amount}:Q", title=title, scale=alt.Scale(type="log"), axis=alt.Axis(format=",.0f")))
    return finish(chart, lang, height=max(220, 30 * df[manager].nunique()))


def volume(df: pd.DataFrame, *, x: str, y: str, series: str, title: str, lang: str,
           colors: dict[str, str] | None = None) -> alt.TopLevelMixin:
    """Monthly counts per series; ``colors`` (label → colour) keeps each series its colour whichever series
    a dataset has (won green, lost red — not whatever the palette hands out next)."""
    scale = alt.Scale(domain=list(colors), range=list(colors.values())) if colors else alt.Undefined
    chart = alt.Chart(df).mark_line(point=True).encode(
        x=alt.X(f"{x}:O", title=None, axis=alt.Axis(labelAngle=-40)), y=alt.Y(f"{y}:Q", title=title),
        color=alt.Color(f"{series}:N", title=None, legend=alt.Legend(orient="bottom"), scale=scale),
        tooltip=[f"{series}:N", f"{x}:O", alt.Tooltip(f"{y}:Q", format=",.0f")])
    return finish(chart, lang, height=280)


def cohort_heatmap(df: pd.DataFrame, *, order: list[str], show: str, lang: str) -> alt.TopLevelMixin:
    """Cohort × period index, coloured by the retention share, labelled with the share or the count."""
    base = alt.Chart(df).encode(x=alt.X("period_index:O", title="k", axis=alt.Axis(labelAngle=0, orient="top")),
                                y=alt.Y("cohort_label:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False)))
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("rate:Q", scale=alt.Scale(scheme="blues", domain=[0, 0.6], clamp=True), legend=alt.Legend(format=".0%", title=None)),
        tooltip=["cohort:N", "size:Q", "period_index:O", "retained:Q", alt.Tooltip("rate:Q", format=".1%")])
    text = base.mark_text(fontSize=10).encode(
        text="text:N", color=alt.condition("datum.rate > 0.35", alt.value("white"), alt.value("#1f2937")))
    return finish(rect + text, lang, height=max(220, 24 * len(order)))


def km(df: pd.DataFrame, *, title: str, x_title: str, team_label: str, lang: str) -> alt.TopLevelMixin:
    """Step curves of 1 − Kaplan–Meier (share who bought again within t) with the team's band."""
    sel = alt.selection_point(fields=["manager"], bind="legend", name="km_legend")
    team = df[df["manager"] == team_label]
    band = alt.Chart(team).mark_area(interpolate="step-after", opacity=0.18, color=TEAM_COLOR).encode(
        x=alt.X("time:Q", title=x_title, axis=alt.Axis(format="d", tickMinStep=1)), y=alt.Y("low:Q", axis=alt.Axis(format=".0%"), title=title), y2="high:Q")
    lines = alt.Chart(df).mark_line(interpolate="step-after", strokeWidth=2).encode(
        x="time:Q", y="repeat:Q", color=alt.Color("manager:N", title=None, scale=series_scale(df["manager"], team_label)),
        opacity=alt.when(sel).then(alt.value(1)).otherwise(alt.value(0.12)),
        tooltip=["manager:N", "time:Q", alt.Tooltip("repeat:Q", format=".1%")]).add_params(sel)
    return finish(band + lines, lang)


def funnel(points: pd.DataFrame, curve: pd.DataFrame, *, p0: float, x_title: str, y_title: str,
           lang: str) -> alt.TopLevelMixin:
    """Spiegelhalter funnel plot: conversion vs leads, team rate, 95% and 99.8% limits, managers as dots."""
    lines = alt.Chart(curve).mark_line(strokeWidth=1.5).encode(
        x=alt.X("n:Q", title=x_title), y=alt.Y("rate:Q", title=y_title, axis=alt.Axis(format=".0%")),
        detail="limit:N", strokeDash=alt.StrokeDash("level:N", title=None, legend=alt.Legend(orient="bottom")),
        color=alt.value("#9aa3af"))
    rule = alt.Chart(pd.DataFrame({"p0": [p0]})).mark_rule(color=TEAM_COLOR).encode(y="p0:Q")
    scale = alt.Scale(domain=["above", "below", "inside"], range=[LIGHT_COLORS["green"], LIGHT_COLORS["red"], "#1f5fbf"])
    pts = alt.Chart(points).mark_circle(size=120, opacity=0.9).encode(
        x="n:Q", y="rate:Q", color=alt.Color("side:N", scale=scale, legend=None),
        tooltip=["manager:N", "n:Q", "successes:Q", alt.Tooltip("rate:Q", format=".1%"), "where:N"])
    at, side = label_positions(points, curve, height=380)
    placed = points.assign(label_at=at, label_side=side)
    labels = [alt.Chart(placed[placed["label_side"] == k]).mark_text(align=align, dx=dx, fontSize=11).encode(
        x="n:Q", y="label_at:Q", text="manager:N", color=alt.value("#374151"))
        for k, align, dx in (("right", "left", 8), ("left", "right", -8)) if (placed["label_side"] == k).any()]
    return finish(alt.layer(lines, rule, pts, *labels), lang, height=380)


def label_positions(points: pd.DataFrame, curve: pd.DataFrame, *, height: int, width: int = 660,
                    font: int = 11) -> tuple[list[float], list[str]]:
    """Where each manager's name stands beside its dot on the funnel plot — the rate it is drawn at and the
    side ("right" / "left" of the dot) — so that no two names overlap and no name covers a dot (they did when
    two managers had similar leads and conversion). Names are placed from the top down, each at its dot on
    the right when free, else on the left, else one or two lines (font + 3 px) above or below, right before
    left; when nothing is free it stays on the right of its dot. The scales are approximated from the
    data's range (0 … the largest leads / rate, rounded up as the axis does)."""
    if points.empty:
        return [], []
    x_max = max(float(points["n"].max()), float(curve["n"].max()) if len(curve) else 0.0) or 1.0
    step_x = 10 ** math.floor(math.log10(x_max))
    x_max = math.ceil(x_max / step_x) * step_x
    y_max = max(float(points["rate"].max()), float(curve["rate"].max()) if len(curve) else 0.0) or 1.0
    y_max = min(1.0, math.ceil(y_max * 10) / 10)
    line = font + 3

    ns = [float(v) for v in points["n"]]             # plain floats: no pandas lookup per name and try
    rs = [float(v) for v in points["rate"]]
    names = [str(v) for v in points["manager"]]

    def at(i: int) -> tuple[float, float]:
        return ns[i] / x_max * width, height - rs[i] / y_max * height

    # the boxes taken so far (dots, then names) as columns: left, top, right (= left + w), bottom (= top + h)
    cap = 2 * len(points)
    left, top_, right, bottom = (np.empty(cap) for _ in range(4))
    k = 0

    def add(bx: float, by: float, bw: float, bh: float) -> None:
        nonlocal k
        left[k], top_[k], right[k], bottom[k] = bx, by, bx + bw, by + bh
        k += 1

    def free(x0: float, top: float, w: float) -> bool:
        if not (0 <= x0 and x0 + w <= width + 60):         # a name may run past the last tick
            return False
        return not bool(np.any((x0 < right[:k]) & (left[:k] < x0 + w) & (top < bottom[:k]) & (top_[:k] < top + line)))

    for x, y in map(at, range(len(points))):           # the dots
        add(x - 7, y - 7, 14.0, 14.0)
    rates, sides = [0.0] * len(points), ["right"] * len(points)
    for i in sorted(range(len(points)), key=lambda i: -rs[i]):
        x, y = at(i)
        w = 0.62 * font * len(names[i])
        tries = [(step, side) for step in (0, -1, 1, -2, 2) for side in ("right", "left")]
        step, side = next(((st, sd) for st, sd in tries
                           if free(x + 8 if sd == "right" else x - 8 - w, y + st * line - line / 2, w)), (0, "right"))
        add(x + 8 if side == "right" else x - 8 - w, y + step * line - line / 2, w, line)
        rates[i] = rs[i] - step * line / height * y_max
        sides[i] = side
    return rates, sides


def shrink_dots(df: pd.DataFrame, *, raw_label: str, shrunk_label: str, title: str, lang: str) -> alt.TopLevelMixin:
    """Raw vs shrunk conversion per manager, joined by a line (how far the noise pulled each one)."""
    long = df.melt(id_vars=["manager", "n"], value_vars=["rate", "shrunk"], var_name="which", value_name="value")
    long["which"] = long["which"].map({"rate": raw_label, "shrunk": shrunk_label})
    order = df.sort_values("shrunk", ascending=False)["manager"].tolist()
    base = alt.Chart(long).encode(y=alt.Y("manager:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False)),
                                  x=alt.X("value:Q", title=title, axis=alt.Axis(format=".0%")))
    line = base.mark_line(color="#c9ccd1").encode(detail="manager:N")
    dots = base.mark_circle(size=100, opacity=1).encode(
        color=alt.Color("which:N", title=None, scale=alt.Scale(range=["#9db4d6", "#1f5fbf"]),
                        legend=alt.Legend(orient="bottom")),
        tooltip=["manager:N", "which:N", alt.Tooltip("value:Q", format=".1%"), "n:Q"])
    return finish(line + dots, lang, height=max(220, 28 * len(order)))


def strip(df: pd.DataFrame, *, x: str, y: str, color: str, title: str, lang: str) -> alt.TopLevelMixin:
    """One dot per month and manager, coloured by its traffic light; dashed rule at 100%."""
    scale = alt.Scale(domain=list(LIGHT_COLORS), range=list(LIGHT_COLORS.values()))
    dots = alt.Chart(df).mark_circle(size=70, opacity=0.85).encode(
        x=alt.X(f"{x}:Q", title=title, axis=alt.Axis(format=".0%")),
        y=alt.Y(f"{y}:N", title=None, axis=alt.Axis(labelOverlap=False)),
        color=alt.Color(f"{color}:N", scale=scale, legend=None),
        tooltip=[f"{y}:N", "month:N", alt.Tooltip(f"{x}:Q", format=".0%")])
    rule = alt.Chart(pd.DataFrame({"r": [1.0]})).mark_rule(strokeDash=[5, 4], color=TEAM_COLOR).encode(x="r:Q")
    return finish(dots + rule, lang, height=max(220, 28 * df[y].nunique()))


def rank_ranges(df: pd.DataFrame, *, title: str, lang: str) -> alt.TopLevelMixin:
    """Each manager's rank with its 95% range (rank 1 at the top)."""
    d = df.dropna(subset=["rank"])
    order = d.sort_values("rank")["manager"].tolist()
    base = alt.Chart(d).encode(y=alt.Y("manager:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False)))
    rng = base.mark_rule(strokeWidth=6, color="#9db4d6").encode(
        x=alt.X("rank_low:Q", title=title, scale=alt.Scale(reverse=False, domain=[0.5, len(d) + 0.5]),
                axis=alt.Axis(tickMinStep=1, format="d")), x2="rank_high:Q")
    pts = base.mark_circle(size=110, color="#1f5fbf", opacity=1).encode(
        x="rank:Q", tooltip=["manager:N", "rank:Q", "rank_low:Q", "rank_high:Q", alt.Tooltip("score:Q", format=".2f")])
    return finish(rng + pts, lang, height=max(220, 28 * len(d)))
