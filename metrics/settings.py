"""Everything a number depends on, resolved once: :class:`Settings` (immutable, hashable) and the targets in
effect (:func:`targets_in_effect`).

A Settings value is built in one place for each way in — the app's session (``ui.state.settings``), a
scenario file (:func:`from_scenario`) and the command line (``metrics.cli``) — and every page, download and
the CLI take it. Cache keys derive from it (:meth:`Settings.part`), never from hand-assembled tuples.

**Targets in effect** (manager × month → target, with where it comes from). For one manager and month:

    grid edit (Plan page, or a loaded scenario's grid)  >  per-manager sidebar target  >  plans file
    >  default monthly target for everyone

A grid cell that is cleared is no edit: the next source applies again. The default applies to every
manager listed in a period (active in it, or with a target in it) who has no other target; the other three
are explicit cells (:attr:`Settings.targets`). A period's target is Σ_m monthly target_m × (days of m inside
the period / days in m) (``kpi.period_targets``).
"""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd

from .errors import DataError
from .periods import Period
from .frames import rows_frame, frame as text_frame

#: where a target in effect comes from (the Plan page's "targets in effect" table)
SOURCES = ("grid", "scenario", "sidebar", "file", "default")
TARGET_COLUMNS = ["manager", "month", "target", "source"]


def _num(v: Any) -> float | None:
    """A usable target: a finite number ≥ 0 (None, NaN, blanks → None)."""
    if v is None or isinstance(v, str) and not v.strip():
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if np.isfinite(x) and x >= 0 else None


def _month_range(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")] if first <= last else []


def targets_in_effect(*, plans: pd.DataFrame | None, months: Iterable[str], managers: Iterable[str] = (),
                      overrides: Mapping[str, float | None] | None = None,
                      edits: Mapping[tuple[str, str], float | None] | None = None,
                      scenario_cells: Iterable[tuple[str, str]] = (), default_target: float | None = None,
                      with_default: bool = False) -> pd.DataFrame:
    """The monthly target of each manager × month and its source (see the module docstring for the rule).

    ``plans``: the plans file (manager, month, target) or None; ``months``: the months ('YYYY-MM') the
    per-manager sidebar targets and the default are spread over; ``managers``: managers listed beside the
    plans' (who get the default when ``with_default``); ``overrides``: manager → monthly target (the
    sidebar); ``edits``: (manager, month) → target (the grid; None = cleared); ``scenario_cells``: the
    edited cells that came from a loaded scenario (source "scenario", else "grid"). Returns manager, month, target, source sorted by manager and month; cells without a
    target are absent. Inputs are not mutated.
    """
    months = sorted(set(months))
    cells: dict[tuple[str, str], tuple[float, str]] = {}
    if plans is not None and len(plans):
        missing = [c for c in ("manager", "month", "target") if c not in plans.columns]
        if missing:
            raise DataError("missing_columns", file="plans", column=", ".join(missing))
        for m, mo, v in zip(plans["manager"], plans["month"], plans["target"]):
            x = _num(v)
            if x is not None and isinstance(m, str):
                cells[(m, str(mo))] = (x, "file")
    for m, v in (overrides or {}).items():
        x = _num(v)
        if x is not None:
            for mo in months:
                cells[(m, mo)] = (x, "sidebar")
    from_scenario = set(scenario_cells)
    for (m, mo), v in (edits or {}).items():
        x = _num(v)
        if x is not None:
            cells[(m, str(mo))] = (x, "scenario" if (m, mo) in from_scenario else "grid")
    fallback = _num(default_target)
    if with_default and fallback:
        people = set(managers) | {m for m, _ in cells}
        for m in people:
            for mo in months:
                cells.setdefault((m, mo), (fallback, "default"))
    rows = sorted((m, mo, v, s) for (m, mo), (v, s) in cells.items())
    return text_frame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                       "month": pd.Series([r[1] for r in rows], dtype=object),
                       "target": pd.Series([r[2] for r in rows], dtype="float64"),
                       "source": pd.Series([r[3] for r in rows], dtype=object)})


def _frozen(mapping: Mapping | None) -> tuple:
    """A mapping (nested one level) as a sorted tuple of pairs."""
    out = []
    for k, v in (mapping or {}).items():
        out.append((k, _frozen(v) if isinstance(v, Mapping) else v))
    return tuple(sorted(out, key=lambda kv: repr(kv[0])))


@dataclass(frozen=True)
class Settings:
    """Everything a number on screen, in a download or in the CLI's report depends on (hashable).

    ``targets``: the explicit monthly targets in effect, ((manager, month, target, source), ...)
    (grid / scenario / sidebar / file; :func:`targets_in_effect`); ``default_target``: the monthly target
    of every other listed manager; ``overrides`` and ``edits`` are the raw sidebar and grid inputs the
    targets were resolved from (what a scenario saves). ``thresholds``: ((kpi, green, amber), ...) absolute
    values; ``kpi_targets``: ((kpi, manager or None, value), ...); ``weights``: ((kpi, weight), ...);
    ``mappings``: ((file, ((field, header), ...)), ...); ``stages``: ((stage, status), ...).
    ``horizon_days`` and ``country`` are room for settings of later features (None: not used).
    ``teams``: the chosen teams (``metrics.teams``; None in it: the managers with no team), () for all;
    ``team_level``: the team column they are names of (``team`` / ``office`` / ``region``; None: the first
    the data has).
    """

    period: Period
    targets: tuple = ()
    default_target: float | None = None
    overrides: tuple = ()
    edits: tuple = ()
    kpi_targets: tuple = ()
    thresholds: tuple = ()
    threshold_mode: tuple = ()
    alpha: float = 0.05
    adjust: str = "holm"
    min_n: int = 30
    weights: tuple = ()
    mappings: tuple = ()
    stages: tuple = ()
    horizon_days: int | None = None
    country: str | None = None
    teams: tuple = ()
    team_level: str | None = None
    key: str = field(default="", init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 < float(self.alpha) < 1:
            raise DataError("bad_argument", detail=f"alpha must be between 0 and 1, got {self.alpha}")
        if int(self.min_n) < 0:
            raise DataError("bad_argument", detail=f"min_n must be ≥ 0, got {self.min_n}")
        if self.adjust not in ("holm", "bh"):
            raise DataError("bad_argument", detail=f"adjust must be holm or bh, got {self.adjust!r}")
        text = repr(tuple(getattr(self, f.name) for f in fields(self) if f.name != "key"))
        object.__setattr__(self, "key", hashlib.sha256(text.encode()).hexdigest()[:16])

    # ------------------------------------------------------------------ derived, read-only views
    def part(self, *names: str) -> tuple:
        """A cache key of the named fields only (e.g. ``part("alpha", "adjust", "min_n")`` for the tests
        that do not depend on targets): a derived key, so two callers can never assemble it differently."""
        known = {f.name for f in fields(self)}
        bad = [n for n in names if n not in known]
        if bad:
            raise KeyError(f"Settings has no field {bad[0]!r}")
        return tuple((n, getattr(self, n)) for n in names)

    def digest(self, *names: str) -> str:
        """A short hash of :meth:`part` (a cheap cache key for large fields such as ``targets``)."""
        return hashlib.sha256(repr(self.part(*names)).encode()).hexdigest()[:16]

    @functools.cached_property
    def target_key(self) -> str:
        """Everything a target depends on (the explicit cells and the default), as a digest."""
        return self.digest("targets", "default_target")

    def plans(self) -> pd.DataFrame:
        """The explicit monthly targets as a plans frame (manager, month, target) for ``kpi`` functions,
        which add :attr:`default_target` for every other listed manager."""
        rows = self.targets
        return text_frame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                           "month": pd.Series([r[1] for r in rows], dtype=object),
                           "target": pd.Series([r[2] for r in rows], dtype="float64")})

    def target_args(self) -> dict[str, Any]:
        """Keyword arguments of ``kpi.scorecard_from`` / ``compute_kpis`` / ``planning.forecast`` /
        ``compare.pair_comparison``: the targets in effect (the overrides are already in ``plans``)."""
        return {"plans": self.plans(), "default_target": self.default_target, "overrides": None}

    def table(self, *, managers: Iterable[str], months: Iterable[str]) -> pd.DataFrame:
        """The targets in effect for these managers and months, the default filled in: manager, month,
        target, source (the Plan page's table and grid)."""
        months = list(months)
        people = list(dict.fromkeys(managers))
        explicit = {(m, mo): (v, s) for m, mo, v, s in self.targets}
        fallback = _num(self.default_target)
        rows = []
        for m in people:
            for mo in months:
                got = explicit.get((m, mo)) or ((fallback, "default") if fallback else None)
                if got is not None:
                    rows.append((m, mo, got[0], got[1]))
        return rows_frame(rows, columns=TARGET_COLUMNS).astype({"target": "float64"})

    @property
    def threshold_map(self) -> dict[str, tuple[float, float]]:
        return {k: (float(g), float(a)) for k, g, a in self.thresholds}

    @property
    def weight_map(self) -> dict[str, float]:
        return {k: float(w) for k, w in self.weights}

    @property
    def kpi_target_map(self) -> dict[str, dict[str | None, float]]:
        out: dict[str, dict[str | None, float]] = {}
        for k, m, v in self.kpi_targets:
            out.setdefault(k, {})[m] = float(v)
        return out

    @property
    def override_map(self) -> dict[str, float]:
        return dict(self.overrides)

    @property
    def edit_map(self) -> dict[tuple[str, str], float | None]:
        return dict(self.edits)


def resolve(*, period: Period, plans: pd.DataFrame | None, months: Iterable[str],
            default_target: float | None = None, overrides: Mapping[str, float | None] | None = None,
            edits: Mapping[tuple[str, str], float | None] | None = None,
            scenario_cells: Iterable[tuple[str, str]] = (),
            kpi_targets: Mapping[str, Mapping[str | None, float]] | None = None,
            thresholds: Mapping[str, Iterable[float]] | None = None,
            threshold_mode: Mapping[str, str] | None = None, alpha: float = 0.05, adjust: str = "holm",
            min_n: int = 30, weights: Mapping[str, float] | None = None,
            mappings: Mapping[str, Mapping[str, str]] | None = None, stages: Mapping[str, str] | None = None,
            horizon_days: int | None = None, country: str | None = None, teams: Iterable | None = None,
            team_level: str | None = None) -> Settings:
    """The one constructor of :class:`Settings` from plain inputs (the session, a scenario, CLI arguments).

    ``months``: the months the per-manager targets are spread over — every month a page may show (the
    data's months and the period's); :func:`data_months` gives them."""
    months = sorted(set(months) | set(period.month_overlaps()["month"]))
    eff = targets_in_effect(plans=plans, months=months, overrides=overrides, edits=edits,
                            scenario_cells=scenario_cells)
    fallback = _num(default_target)
    ov = {m: _num(v) for m, v in (overrides or {}).items()}
    return Settings(
        period=period,
        targets=tuple(zip(eff["manager"], eff["month"], eff["target"].astype(float), eff["source"])),
        default_target=fallback or None,
        overrides=tuple(sorted((m, v) for m, v in ov.items() if v is not None)),
        edits=tuple(sorted(((m, str(mo)), _num(v)) for (m, mo), v in (edits or {}).items())),
        kpi_targets=tuple(sorted(((k, m, float(v)) for k, per in (kpi_targets or {}).items()
                                  for m, v in per.items() if _num(v)), key=repr)),
        thresholds=tuple(sorted((k, float(v[0]), float(v[1])) for k, v in (thresholds or {}).items())),
        threshold_mode=_frozen(threshold_mode), alpha=float(alpha), adjust=adjust, min_n=int(min_n),
        weights=tuple(sorted((k, float(w)) for k, w in (weights or {}).items())),
        mappings=_frozen(mappings), stages=_frozen(stages), horizon_days=horizon_days, country=country,
        teams=tuple(sorted(dict.fromkeys(teams or ()), key=lambda x: (x is None, str(x)))), team_level=team_level)


def data_months(*, deals: pd.DataFrame, plans: pd.DataFrame | None = None, extra: Iterable[str] = ()) -> list[str]:
    """Every month from the data's first to its last date (created or closed), the plans' months and
    ``extra``: the months a per-manager target is spread over."""
    stamps = [s for s in (deals["created_at"].min(), deals["closed_at"].min(), deals["created_at"].max(),
                          deals["closed_at"].max()) if pd.notna(s)] if len(deals) else []
    out = set(extra)
    if stamps:
        out |= set(_month_range(f"{min(stamps):%Y-%m}", f"{max(stamps):%Y-%m}"))
    if plans is not None and len(plans) and "month" in plans:
        out |= {str(m) for m in plans["month"].dropna()}
    return sorted(out)


def from_scenario(scenario: Any, *, period: Period, plans: pd.DataFrame | None, months: Iterable[str],
                  alpha: float | None = None, adjust: str | None = None, min_n: int | None = None) -> Settings:
    """Settings of a saved scenario (``planning.Scenario``) over the data's plans file; explicit
    ``alpha``/``adjust``/``min_n`` (CLI options) win over the scenario's. The scenario's grid cells are
    grid edits whose source is "scenario"."""
    edits = {(r["manager"], r["month"]): r.get("target") for r in scenario.plan_grid}
    return resolve(period=period, plans=plans, months=months, default_target=scenario.default_target,
                   overrides=scenario.overrides, edits=edits, scenario_cells=edits,
                   kpi_targets=scenario.kpi_targets, thresholds=scenario.thresholds,
                   threshold_mode=scenario.threshold_mode,
                   alpha=scenario.alpha if alpha is None else alpha,
                   adjust=scenario.adjust if adjust is None else adjust,
                   min_n=scenario.min_n if min_n is None else min_n, weights=scenario.weights,
                   mappings=scenario.mapping, stages=scenario.stages)


__all__ = ["Settings", "SOURCES", "TARGET_COLUMNS", "data_months", "from_scenario", "resolve", "targets_in_effect"]
