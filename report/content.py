"""What the report says: every number, sentence and chart, already formatted in the reader's language.

``collect`` computes the report's content once (the same engine calls as ``python -m metrics report`` and
the app's pages) and returns a plain dict that both renderers (``report.pdf``: Typst, ``report.slides``:
python-pptx) lay out — so the PDF and the PPTX always say the same thing. Charts are the app's own Altair
specs (``ui.charts``), kept as chart objects here and turned into SVG/PNG by ``report.render``.
No streamlit: the command line and the app call the same function.
"""
from __future__ import annotations

import warnings
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from metrics import kpi
from metrics.errors import SalesLensWarning, StatisticalWarning
from metrics.loading import Dataset
from metrics.periods import Period
from metrics.report import build_report
from ui import charts

from . import render
from ui.catalogues import ntext, text
from ui.fmt import DASH, format_value, money, money_unit, signed

#: KPI → display kind (ui.fmt) — the five light KPIs, then the counts shown on the manager pages
KIND = {"conversion": "pct", "avg_deal": "money", "activities_per_day": "num1", "plan_fulfillment": "pct",
        "retention_rate": "pct", "revenue": "money", "leads": "int", "won_of_leads": "int", "won": "int",
        "activities": "int", "target": "money", "customers_prev": "int", "customers_retained": "int"}
#: the five KPIs → the block of metrics.compare.comparison_tests that judges them (None: no test)
TEST_OF = {"conversion": "conversion", "avg_deal": "avg_deal", "activities_per_day": "activities",
           "plan_fulfillment": None, "retention_rate": "retention"}
UNIT_OF = {"conversion": "leads", "avg_deal": "deals", "activities": "activities", "retention": "customers"}
INTERVAL = {"conversion": ("conversion_ci_low", "conversion_ci_high")}
N_NEEDED_CAP = 100_000
MANY = 30          #: above this many managers the per-manager charts of the team pages are left out


@dataclass(frozen=True)
class Options:
    """The settings the report is built with — the same ones the screen uses."""

    lang: str = "en"
    title: str = ""
    alpha: float = 0.05
    adjust: str = "holm"
    min_n: int = 30
    default_target: float | None = None
    overrides: dict = field(default_factory=dict)
    thresholds: dict = field(default_factory=dict)
    only: str | None = None               #: a manager role: only this manager's page (data already anonymised)
    sources: tuple[str, ...] = ()         #: file names / systems the data came from
    scenario: dict = field(default_factory=dict)   #: the scenario's settings shown in the plan section
    cohort_freq: str = "month"
    currency: str | None = None           #: ISO code of the amounts; None = the data's own (importer)
    today: date | None = None
    #: the screen's resolved settings (``metrics.settings.Settings``): when given, its targets in effect, α,
    #: adjustment, minimum n and thresholds are the report's (the fields above are then ignored)
    settings: object | None = None


def _with_settings(data: Dataset, options: Options) -> tuple[Dataset, Options]:
    """The data and options the report uses: with ``options.settings`` its targets in effect become the plans
    (the kpi functions add the default for every other listed manager) — the same numbers as the screen."""
    s = options.settings
    if s is None:
        return data, options
    from dataclasses import replace

    return replace(data, plans=s.plans()), replace(
        options, alpha=s.alpha, adjust=s.adjust, min_n=s.min_n, default_target=s.default_target, overrides={},
        thresholds=s.threshold_map or options.thresholds)


def _p(p, lg: str) -> str:
    shown = format_value(p, "p", lg)
    return shown.replace("<", "< ") if shown.startswith("<") else f"= {shown}"


def unit_text(unit: str, n, lang: str) -> str:
    """The sample-size unit in the plural form for ``n`` ("1 lead", "21 лид", "5 лідів")."""
    return ntext(f"compare.unit.{unit}", lang, n if n == n else 0)


def verdict_sentence(verdict: str | None, *, p, n, n_needed, unit: str, lang: str, versus: str = "team",
                     **names: str) -> str:
    """A verdict in words: above / below / no evidence (p after adjustment) / too little data — the sentence
    the Compare page shows (ui.compare_view.sentence calls this)."""
    if verdict is None:
        return DASH
    if verdict == "not_enough_data":
        need = text("compare.need_many", lang) if n_needed is None or n_needed != n_needed or n_needed > N_NEEDED_CAP \
            else format_value(n_needed, "int", lang)
        return text("compare.v.not_enough_data", lang, n=format_value(n, "int", lang),
                    unit=unit_text(unit, n, lang), need=need)
    return text(f"compare.v.{verdict}.{versus}", lang, p=_p(p, lang), **names)


def period_label(p: Period, lg: str) -> str:
    if p.is_whole_months and p.n_months == 1:
        return f"{text(f'month.{p.start.month}', lg)} {p.start.year}"
    return f"{p.start:%d.%m.%Y} – {p.end:%d.%m.%Y}"


#: the data's currency (ISO code) of the report being built in this thread (set by collect)
_CURRENCY: ContextVar[str] = ContextVar("report_currency", default="UAH")


def _fmt(v, k: str, lg: str) -> str:
    if KIND[k] == "money":
        return money(v, lg, currency=_CURRENCY.get())
    return format_value(v, KIND[k], lg)


def _change(delta, k: str, lg: str) -> str:
    kind = KIND[k]
    return signed(delta, lg, "pct" if kind == "pct" else kind, currency=_CURRENCY.get())


def _with_width(chart, width: int):
    return chart.properties(width=width)


def whatif_targets(*, data: Dataset, period: Period, options: Options, managers: list[str]) -> pd.DataFrame:
    """The targets in effect for the period's months (manager, month, target): the screen's settings when
    given, else the plans file with the default target for every manager the plans leave out."""
    months = period.month_overlaps()["month"].tolist()
    if options.settings is not None:
        return options.settings.table(managers=managers, months=months)
    plans = data.plans if data.plans is not None else pd.DataFrame(columns=["manager", "month", "target"])
    have = plans[plans["month"].astype(str).isin(months) & plans["manager"].isin(managers)][["manager", "month", "target"]]
    rows = [(m, mo, float(options.default_target)) for m in managers for mo in months
            if options.default_target and not ((have["manager"] == m) & (have["month"].astype(str) == mo)).any()]
    extra = pd.DataFrame(rows, columns=["manager", "month", "target"])
    return pd.concat([f for f in (have, extra) if len(f)], ignore_index=True) if len(have) or len(extra) else extra


def whatif_summary(*, data: Dataset, period: Period, options: Options, managers: list[str],
                   n_months: int = 12) -> pd.DataFrame:
    """The Plan page's what-if summary (``metrics.planning.whatif``: manager — None for the team —, months,
    median_fulfillment, share_green, share_amber, share_red) for the report's settings: the targets in effect
    for the period applied to the ``n_months`` complete months before it, the plan-fulfilment thresholds.
    The one source of the PDF / PPTX plan section's and the workbook's what-if figures."""
    from metrics.planning import whatif
    data, options = _with_settings(data, options)
    green, amber = {**kpi.DEFAULT_THRESHOLDS, **(options.thresholds or {})}["plan_fulfillment"]
    past = [f"{p.start:%Y-%m}" for p in kpi.last_months(period.previous(), n_months)]
    targets = whatif_targets(data=data, period=period, options=options, managers=managers)
    return whatif(deals=data.deals, targets=targets, months=past, thresholds=(float(green), float(amber)))[1]


def _whatif(*, data: Dataset, period: Period, options: Options, managers: list[str], team_label: str,
            lg: str, n_months: int = 12) -> dict:
    """The Plan page's what-if (``whatif_summary``) for the report's settings, formatted."""
    tr = lambda key, **kw: text(key, lg, **kw)           # noqa: E731
    summary = whatif_summary(data=data, period=period, options=options, managers=managers, n_months=n_months)
    rows = [[r.manager if r.manager is not None else team_label, format_value(r.months, "int", lg),
             format_value(r.median_fulfillment, "pct", lg), format_value(r.share_green, "pct", lg),
             format_value(r.share_amber, "pct", lg), format_value(r.share_red, "pct", lg)]
            for r in summary.itertuples(index=False) if not options.only or r.manager in (options.only, None)]
    return {"whatif": rows, "whatif_note": tr("plan.whatif_explain") if rows else "",
            "whatif_headers": [tr(f"col.{c}") for c in ("manager", "months", "median_fulfillment", "share_green",
                                                          "share_amber", "share_red")] if rows else []}


def collect(*, data: Dataset, period: Period, options: Options,
            progress: Callable[[float, str], None] | None = None) -> dict:
    """The report's content (see the module doc). ``progress(fraction, step)`` is called as parts finish.
    Its charts carry no screen caption (the report's pages have their headings); the page's is restored."""
    token = charts.caption(None)
    try:
        return _collect(data=data, period=period, options=options, progress=progress)
    finally:
        charts.reset_caption(token)


def _collect(*, data: Dataset, period: Period, options: Options,
             progress: Callable[[float, str], None] | None = None) -> dict:
    from metrics.report import data_currency

    data, options = _with_settings(data, options)
    lg = options.lang
    _CURRENCY.set(options.currency or data_currency(data.deals))
    say = progress or (lambda f, s: None)
    tr = lambda key, **kw: text(key, lg, **kw)           # noqa: E731
    team_label = tr("common.team")

    say(0.05, "kpis")
    codes: list = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", SalesLensWarning)
        rep = build_report(data=data, period=period, alpha=options.alpha, adjust=options.adjust,
                           min_n=options.min_n, cohort_freq=options.cohort_freq,
                           default_target=options.default_target, overrides=options.overrides or None,
                           codes=codes)
        args = dict(plans=data.plans, default_target=options.default_target, overrides=options.overrides or None,
                    alpha=options.alpha)
        card = kpi.compute_kpis(deals=data.deals, period=period, activities=data.activities, **args)
        prev = kpi.compute_kpis(deals=data.deals, period=period.previous(), activities=data.activities, **args)
        changes = kpi.changes(current=card, previous=prev)
        lights = kpi.traffic_lights(scorecard=card, thresholds=options.thresholds, min_n=options.min_n)
        say(0.25, "trend")
        monthly = kpi.monthly_kpis(deals=data.deals, months=kpi.last_months(period, 12), activities=data.activities,
                                   **args)
    notes = list(dict.fromkeys(rep["data_quality"]["warnings"]
                               + [str(w.message) for w in caught if not isinstance(w.message, StatisticalWarning)]))
    managers = [m for m in card.managers["manager"]]
    shown = [options.only] if options.only else managers
    tab = card.table().set_index(card.table()["manager"].fillna("\x00team"))
    light_of = {(m if m is not None else "\x00team", k): l
                for m, k, l in zip(lights["manager"], lights["kpi"], lights["light"])}
    change_of = {(m if m is not None else "\x00team", k): d
                 for m, k, d in zip(changes["manager"], changes["kpi"], changes["delta"])}
    tests = {block: {r["manager"]: r for r in rep["tests"][block]["vs_team"]} for block in rep["tests"]}
    json_rows = {r["manager"]: r for r in rep["managers"]}

    def verdict(m: str, k: str) -> str:
        block = TEST_OF[k]
        r = tests.get(block, {}).get(m) if block else None
        if r is None:
            return DASH
        return verdict_sentence(r["verdict"], p=r["p_adjusted"], n=r["n"], n_needed=r["n_needed"],
                                unit=UNIT_OF[block], lang=lg)

    def light_word(m, k) -> str:
        return tr(f"light.{light_of.get((m, k)) or 'none'}")

    # --- cover and summary ------------------------------------------------------------------------------
    prev_p = period.previous()
    cover = {"title": options.title or tr("report.title_default"),
             "subtitle": tr("report.subtitle"),
             "period": period_label(period, lg), "previous": period_label(prev_p, lg),
             "sources": ", ".join(options.sources) or DASH,
             "rows": tr("report.rows", used=format_value(rep["data_quality"]["rows_used"], "int", lg),
                        read=format_value(rep["data_quality"]["rows_read"], "int", lg)),
             "managers": ntext("report.n_managers", lg, len(managers), n=format_value(len(managers), "int", lg)),
             "date": (options.today or date.today()).strftime("%d.%m.%Y"),
             "labels": {k: tr(f"report.cover.{k}") for k in ("period", "previous", "sources", "rows", "date",
                                                             "managers")}}
    summary: list[str] = []
    for k in kpi.LIGHT_KPIS:
        block = TEST_OF[k]
        if not block:
            continue
        for m in shown:
            r = tests.get(block, {}).get(m)
            if r and r["verdict"] in ("above", "below"):
                summary.append(tr("report.sum.verdict", manager=m, kpi=tr(f"report.block.{block}"),
                                  verdict=verdict(m, k)))
    if not summary:
        summary.append(tr("report.sum.none"))
    little = [m for m in shown if any((tests.get(b, {}).get(m) or {}).get("verdict") == "not_enough_data"
                                      for b in ("conversion", "avg_deal", "retention"))]
    if little:
        summary.append(ntext("report.sum.little", lg, len(little), n=format_value(len(little), "int", lg),
                             names=", ".join(little)))
    for k in kpi.LIGHT_KPIS:
        d = change_of.get(("\x00team", k))
        summary.append(tr("report.sum.team", kpi=tr(f"kpi.{k}"), value=_fmt(tab.at["\x00team", k], k, lg),
                          change=_change(d, k, lg) if d == d and d is not None else DASH))
    coded = {text_: (code, params) for text_, code, params in codes if code}
    # the reading notes by their code (translated); the rest of the notes as the engine says them
    from ui.catalogues import message
    read_notes = [message(f"warn.{n['code']}", lg, {"file": n.get("file"), **(n.get("params") or {})},
                          fallback=n.get("message") or n["code"])
                  for n in rep["data_quality"].get("notes") or []]
    if read_notes:
        notes = [n for n in notes if n not in set(data.warnings)]
    quality = read_notes + notes_text(notes, lg, coded)
    summary.extend(quality)

    say(0.35, "tables")
    # --- team KPIs and the scorecard ----------------------------------------------------------------------
    team_kpis = [{"label": tr(f"kpi.{k}"), "value": _fmt(tab.at["\x00team", k], k, lg),
                  "change": _change(change_of.get(("\x00team", k)), k, lg)} for k in kpi.LIGHT_KPIS]
    cols = ["manager", "leads", "conversion", "avg_deal", "activities_per_day", "revenue", "target",
            "plan_fulfillment", "retention_rate"]
    score_rows = []
    for m in [*managers, None]:
        key = m if m is not None else "\x00team"
        row = [{"text": m if m is not None else team_label, "light": None}]
        for c in cols[1:]:
            row.append({"text": _fmt(tab.at[key, c], c, lg),
                        "light": light_of.get((key, c)) if c in kpi.LIGHT_KPIS else None})
        score_rows.append(row)
    scorecard = {"headers": [tr(f"col.{c}") for c in cols], "rows": score_rows}
    # the Overview's "By team / office / region" table (the engine's teams block), when the data has a team
    # level; not in a manager role's report (only their own page)
    by_team: dict = {"title": "", "headers": [], "rows": [], "note": ""}
    teams = rep.get("teams") or {}
    if teams.get("rows") and not options.only:
        level = teams.get("level") or "team"
        title = {"office": tr("overview.by_office"), "region": tr("overview.by_region")}.get(level, tr("overview.by_team"))
        by_team = {"title": title, "note": tr("overview.by_team_note"),
                   "headers": [tr(f"teams.level.{level}"), tr("col.managers"), *[tr(f"col.{c}") for c in cols[1:]]],
                   "rows": [[r["team"] if r.get("team") is not None else tr("teams.none"),
                             format_value(r["managers"], "int", lg), *[_fmt(r.get(c), c, lg) for c in cols[1:]]]
                            for r in teams["rows"]]}

    cells = lights.copy()
    cells["manager"] = cells["manager"].where(cells["manager"].notna(), team_label)
    cells["kpi_label"] = cells["kpi"].map(lambda k: tr(f"kpi.{k}"))
    cells["text"] = [_fmt(v, k, lg) for v, k in zip(cells["value"], cells["kpi"])]
    cells["light"] = cells["light"].fillna("none")
    chart_specs: dict[str, object] = {}
    many = len(managers) > MANY
    compare_notes = [ntext("report.too_many", lg, len(managers), n=format_value(len(managers), "int", lg))] if many else []
    if not many:
        chart_specs["matrix"] = _with_width(charts.light_matrix(
            cells[["manager", "kpi_label", "light", "text"]], row="manager", col="kpi_label", light="light",
            text="text", col_order=[tr(f"kpi.{k}") for k in kpi.LIGHT_KPIS], row_order=[*managers, team_label],
            lang=lg), 720)

    # --- one page per manager -------------------------------------------------------------------------------
    say(0.45, "managers")
    level = round(100 * (1 - options.alpha))
    trend = monthly.copy()
    trend["manager"] = trend["manager"].where(trend["manager"].notna(), team_label)
    manager_pages = []
    team_rows = trend[trend["manager"] == team_label][["month", "conversion", "manager"]]
    template = None
    for m in shown:
        if m not in json_rows:
            continue
        j = json_rows[m]
        rows = []
        for k in kpi.LIGHT_KPIS:
            low, high = INTERVAL.get(k, (None, None))
            if k in ("avg_deal", "activities_per_day", "retention_rate"):
                r = tests.get(TEST_OF[k], {}).get(m)
                interval = (f"{_fmt(r['ci_low'], k, lg)} – {_fmt(r['ci_high'], k, lg)}"
                            if r and r.get("ci_low") is not None and r.get("ci_high") is not None else DASH)
                if k == "avg_deal" and interval != DASH:
                    interval = tr("report.median_interval", interval=interval)
            elif low:
                interval = f"{format_value(j[low], 'pct', lg)} – {format_value(j[high], 'pct', lg)}"
            else:
                interval = DASH
            rows.append({"kpi": tr(f"kpi.{k}"), "value": _fmt(tab.at[m, k], k, lg), "interval": interval,
                         "change": _change(change_of.get((m, k)), k, lg), "light": light_of.get((m, k)) or "none",
                         "light_word": light_word(m, k), "team": _fmt(tab.at["\x00team", k], k, lg),
                         "verdict": verdict(m, k)})
        facts = [{"label": tr(f"col.{c}"), "value": _fmt(j[c], c, lg)}
                 for c in ("leads", "won_of_leads", "won", "revenue", "activities", "target", "plan_fulfillment",
                           "customers_prev", "customers_retained")]
        mine = trend[trend["manager"] == m][["month", "conversion", "manager"]]
        if template is None:          # the app's trend chart, built once; each manager's page swaps its rows
            chart = charts.trend(pd.concat([mine, team_rows], ignore_index=True), x="month", y="conversion",
                                 series="manager", title=tr("kpi.conversion"), fmt=".1~%", team_label=team_label,
                                 lang=lg).properties(width=520, height=170)
            template = chart.to_dict(validate=False)
        key = f"trend{len(manager_pages)}"
        chart_specs[key] = render.same_chart(template, json_records(pd.concat([mine, team_rows], ignore_index=True)),
                                             domain=[m, team_label])
        deals_line = ntext("report.n_won", lg, int(j["won"] or 0), n=format_value(j["won"], "int", lg))
        manager_pages.append({"name": m, "rows": rows, "facts": facts, "chart": key, "deals": deals_line,
                              "target_line": tr("report.m.target", target=_fmt(j["target"], "target", lg),
                                                fulfilment=_fmt(j["plan_fulfillment"], "plan_fulfillment", lg))})
    say(0.7, "comparisons")

    # --- comparisons: funnel, conversion intervals, deal sizes ------------------------------------------------
    comparisons = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SalesLensWarning)
        from metrics import compare as C
        leads = kpi.period_leads(deals=data.deals, period=period)
        won = kpi.period_won(deals=data.deals, period=period)
        if leads["manager"].nunique() > 1:
            res = C.funnel_data(leads=leads)
            n_min = max(1.0, 0.5 * float(res.summary["n"].min()))
            curve = res.curve[res.curve["n"] >= n_min].melt(id_vars="n", var_name="limit", value_name="rate")
            curve["level"] = ["99.8%" if s.endswith("998") else "95%" for s in curve["limit"]]
            pts = res.summary.copy()
            pts["where"] = pts["side"].map(lambda s: tr(f"compare.funnel.{s}"))
            chart_specs["funnel"] = charts.funnel(pts, curve, p0=float(res.omnibus["p0"]), x_title=tr("col.leads"),
                                                  y_title=tr("kpi.conversion"), lang=lg).properties(width=700,
                                                                                                   height=330)
            comparisons["funnel"] = "funnel"
        with_leads = card.managers[card.managers["leads"] > 0]
        if len(with_leads) and not many:
            chart_specs["conv_ci"] = charts.ci_dots(
                with_leads, label="manager", value="conversion", low="conversion_ci_low", high="conversion_ci_high",
                team=card.team["conversion"].iloc[0], title=tr("conversion.axis"), lang=lg).properties(width=380)
            comparisons["conv_ci"] = "conv_ci"
        won = won[won["amount"] > 0]
        if len(won) and not many:
            order = card.managers.sort_values("avg_deal", ascending=False)["manager"].tolist()
            chart_specs["deal_box"] = charts.amounts_box(won[["manager", "amount"]], manager="manager",
                                                         amount="amount", title=tr("deal_size.axis", unit=money_unit(lg, _CURRENCY.get())), lang=lg,
                                                         order=order).properties(width=380)
            comparisons["deal_box"] = "deal_box"
    omnibus = []
    for block in ("conversion", "avg_deal", "activities", "retention"):
        o = rep["tests"][block]["omnibus"]
        if o.get("test") and o.get("p_value") is not None:
            key = "compare.omnibus_differ" if o["p_value"] < options.alpha else "compare.omnibus_same"
            omnibus.append(f"{tr('report.block.' + block)}: "
                           + tr(key, test=tr(f"compare.test.{o['test']}"), p=_p(o["p_value"], lg)))
    say(0.8, "retention")

    # --- retention ----------------------------------------------------------------------------------------
    retention = {"omnibus": [], "medians": [], "heatmap_note": tr("retention.heatmap_note")}
    coh = pd.DataFrame(rep["cohort_retention"])
    if len(coh):
        horizon = 6
        coh = coh[coh["period_index"] <= horizon].copy()
        coh["cohort_label"] = [f"{c} · {format_value(n, 'int', lg)}" for c, n in zip(coh["cohort"], coh["size"])]
        coh["text"] = [format_value(r, "pct", lg) for r in coh["rate"]]
        order = list(dict.fromkeys(coh.sort_values("cohort")["cohort_label"]))[-12:]
        coh = coh[coh["cohort_label"].isin(order)]
        chart_specs["cohorts"] = charts.cohort_heatmap(coh, order=order, show="share", lang=lg).properties(width=560)
        from metrics import cohorts as CO
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SalesLensWarning)
            buys = CO.purchases(deals=data.deals)
            ttr = CO.time_to_repeat(purchases=buys, freq=options.cohort_freq)
            if len(ttr) and ttr["event"].any():
                kt = CO.kaplan_meier(data=ttr, group=None, alpha=options.alpha)
                km = CO.kaplan_meier(data=ttr, group="manager", alpha=options.alpha)
                parts = []
                for res in (kt, km):
                    s = res.summary
                    start = s.drop_duplicates("group")[["group"]].assign(time=0, survival=1.0, ci_low=1.0, ci_high=1.0)
                    parts.append(pd.concat([start, s[["group", "time", "survival", "ci_low", "ci_high"]]],
                                           ignore_index=True))
                curves = pd.concat(parts, ignore_index=True)
                curves = curves[curves["time"] <= 12]
                curves = curves.assign(repeat=1 - curves["survival"], low=1 - curves["ci_high"],
                                       high=1 - curves["ci_low"]).rename(columns={"group": "manager"})
                curves["manager"] = curves["manager"].where(curves["manager"].notna(), team_label)
                if options.only:
                    curves = curves[curves["manager"].isin([options.only, team_label])]
                chart_specs["km"] = charts.km(curves[["manager", "time", "repeat", "low", "high"]],
                                              title=tr("report.km_axis"), x_title=tr("report.km_time"),
                                              team_label=team_label, lang=lg).properties(width=560, height=260)
                med = pd.concat([km.median, kt.median], ignore_index=True)
                for g, v in zip(med["group"], pd.to_numeric(med["median"], errors="coerce")):
                    if options.only and g not in (options.only, None):
                        continue
                    retention["medians"].append({"manager": g if g is not None else team_label,
                                                 "median": format_value(v, "num1", lg)})
    say(0.85, "plan")

    # --- plan ---------------------------------------------------------------------------------------------
    plan_rows = [[m, _fmt(json_rows[m]["target"], "target", lg), _fmt(json_rows[m]["revenue"], "revenue", lg),
                  _fmt(json_rows[m]["plan_fulfillment"], "plan_fulfillment", lg),
                  tr(f"light.{light_of.get((m, 'plan_fulfillment')) or 'none'}")] for m in shown if m in json_rows]
    plan = {"headers": [tr("col.manager"), tr("col.target"), tr("col.revenue"), tr("col.plan_fulfillment"),
                        tr("col.light")], "rows": plan_rows, "forecast": [], "forecast_headers": [], "settings": []}
    from metrics.periods import data_end
    end = data_end(deals=data.deals, activities=data.activities)
    if end is not None and end < period.end:
        from metrics.planning import forecast
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SalesLensWarning)
            fc = forecast(deals=data.deals, period=period, as_of=end, plans=data.plans, activities=data.activities,
                          alpha=options.alpha, default_target=options.default_target, overrides=options.overrides)
        team_fc = fc[fc["manager"].isna()]
        if len(team_fc) and int(team_fc["elapsed_wd"].iloc[0]) < int(team_fc["total_wd"].iloc[0]):
            plan["forecast_headers"] = [tr("col.manager"), tr("col.revenue_to_date"), tr("col.projected"),
                                        tr("col.projected_fulfillment")]
            for r in fc.itertuples(index=False):
                if options.only and r.manager not in (options.only, None):
                    continue
                plan["forecast"].append([r.manager if r.manager is not None else team_label,
                                         money(r.revenue_to_date, lg, currency=_CURRENCY.get()),
                                         money(r.projected, lg, currency=_CURRENCY.get()),
                                         format_value(r.projected_fulfillment, "pct", lg)])
    plan.update(_whatif(data=data, period=period, options=options, managers=managers, team_label=team_label, lg=lg))
    settings = [(tr("report.set.alpha"), format_value(options.alpha, "num2", lg)),
                (tr("report.set.adjust"), tr(f"adjust.{options.adjust}")),
                (tr("report.set.min_n"), format_value(options.min_n, "int", lg)),
                (tr("report.set.default_target"), money(options.default_target, lg, currency=_CURRENCY.get()))]
    for k in kpi.LIGHT_KPIS:
        g, a = {**kpi.DEFAULT_THRESHOLDS, **(options.thresholds or {})}[k]
        kind = "num1" if k == "activities_per_day" else "pct"
        settings.append((tr("report.set.threshold", kpi=tr(f"kpi.{k}")),
                         f"{format_value(g, kind, lg)} / {format_value(a, kind, lg)}"))
    for name, value in (options.scenario or {}).items():
        settings.append((name, str(value)))
    plan["settings"] = [list(s) for s in settings]

    # --- appendix -----------------------------------------------------------------------------------------
    appendix = {"definitions": [{"kpi": tr(f"kpi.{k}"), "text": tr(f"kpi.{k}.help")} for k in kpi.LIGHT_KPIS],
                "methods": [tr("report.methods.tests"),
                            tr("report.methods.adjust", adjust=tr(f"adjust.{options.adjust}"),
                               alpha=format_value(options.alpha, "num2", lg), level=level,
                               min_n=format_value(options.min_n, "int", lg)),
                            tr("report.methods.median")],
                "quality": quality or [tr("report.quality_none")]}
    say(0.9, "layout")
    return {"lang": lg, "cover": cover, "summary": summary, "team_kpis": team_kpis, "scorecard": scorecard,
            "by_team": by_team,
            "managers": manager_pages, "comparisons": comparisons, "omnibus": omnibus, "retention": retention,
            "plan": plan, "appendix": appendix, "charts": chart_specs, "only": options.only,
            "headings": {k: tr(f"report.h.{k}") for k in ("summary", "team", "scorecard", "matrix", "managers",
                                                           "compare", "retention", "plan", "appendix", "funnel",
                                                           "conv_ci", "deal_box", "cohorts", "km", "medians",
                                                           "targets", "forecast", "whatif", "settings", "definitions",
                                                           "methods", "quality", "kpi", "value", "interval",
                                                           "change", "light", "team_value", "verdict", "facts",
                                                           "trend", "median")},
            "level": tr("report.level", level=level), "footer": tr("report.footer"),
            "lights_legend": tr("report.lights_legend"), "trend_note": tr("report.trend_note"),
            "compare_notes": compare_notes}


def json_records(df: pd.DataFrame) -> list[dict]:
    """Rows as Vega-Lite data values (NaN → null), what Altair would inline."""
    from metrics.report import records
    return records(df)


def notes_text(notes: list[str], lg: str, coded: dict | None = None) -> list[str]:
    """Data-quality and engine notes in the reader's language: a statistical warning by its code
    (``eng.<code>``, through the one rendering function ``ui.catalogues.message``), a note that is a code
    (``note.<code>``), else the engine's text."""
    from ui.catalogues import message
    out = []
    for n in notes:
        if coded and n in coded:
            code, params = coded[n]
            out.append(message(f"eng.{code}", lg, params, fallback=n))
            continue
        key = {"multi_currency": "warn.multi_currency_kpi"}.get(n, f"note.{n}")
        out.append(message(key, lg, {}, fallback=n))
    return out
