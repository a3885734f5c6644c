"""Targets on KPIs other than revenue: :class:`KpiTargets`, ``kpi_target_table(*, scorecard, targets)``
→ [manager, kpi, value, target, attainment, met].
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from ..errors import DataError
from ..guards import bad
from ..kpi import Scorecard
from .checks import check_real
from ..frames import frame as text_frame


KPI_TARGET_KPIS: tuple[str, ...] = ("won", "conversion", "activities_per_day", "retention_rate")
RATE_KPIS = {"conversion", "retention_rate"}          # proportions: targets must lie in [0, 1]
KPI_TARGET_COLUMNS = ["manager", "kpi", "value", "target", "attainment", "met"]


# ----------------------------------------------------------------------------------------------------------
# targets on KPIs other than revenue
# ----------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class KpiTargets:
    """Targets on KPIs other than revenue (revenue targets are the plans frame).

    ``targets``: {kpi: {manager or None: value}}, kpi ∈ KPI_TARGET_KPIS (won = won deals in the period,
    conversion and retention_rate as proportions 0–1, activities_per_day). The None key is one team-wide
    target for everybody; a manager's own key wins over it.
    """

    targets: Mapping[str, Mapping[str | None, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.targets, Mapping):
            raise bad(f"targets must be a dict {{kpi: {{manager: value}}}}, got {type(self.targets).__name__}",
                       "targets")
        clean: dict[str, dict[str | None, float]] = {}
        for kpi, per in self.targets.items():
            if kpi not in KPI_TARGET_KPIS:
                raise bad(f"targets: unknown KPI {kpi!r}; expected one of {list(KPI_TARGET_KPIS)}", "targets")
            if not isinstance(per, Mapping):
                raise bad(f"targets[{kpi!r}] must be a dict {{manager or None: value}}", "targets")
            clean[kpi] = {}
            for who, v in per.items():
                if who is not None and (not isinstance(who, str) or not who.strip()):
                    raise bad(f"targets[{kpi!r}] has a bad manager key {who!r}", "targets")
                clean[kpi][who] = check_real(v, f"targets[{kpi!r}][{who!r}]", lo=0.0,
                                        hi=1.0 if kpi in RATE_KPIS else None)
        object.__setattr__(self, "targets", clean)

    def target_for(self, kpi: str, manager: str | None) -> float | None:
        """The manager's own target, else the team-wide one, else None."""
        per = self.targets.get(kpi, {})
        if manager is not None and manager in per:
            return per[manager]
        return per.get(None)


def scorecard_tables(scorecard: Any) -> tuple[pd.DataFrame, pd.Series]:
    """(managers rows, team row) of a Scorecard or of a Scorecard.table()-like frame (team: manager None)."""
    if isinstance(scorecard, Scorecard):
        return scorecard.managers, scorecard.team.iloc[0]
    if isinstance(scorecard, pd.DataFrame) and "manager" in scorecard.columns:
        is_team = scorecard["manager"].isna().to_numpy()
        if is_team.sum() != 1:
            raise bad("scorecard frame must have exactly one team row (manager None)", "manager")
        return scorecard.loc[~is_team].reset_index(drop=True), scorecard.loc[is_team].iloc[0]
    raise bad(f"scorecard must be a kpi.Scorecard or its table(), got {type(scorecard).__name__}", "scorecard")


def kpi_target_table(*, scorecard: Scorecard | pd.DataFrame,
                     targets: KpiTargets | Mapping[str, Mapping[str | None, float]]) -> pd.DataFrame:
    """Attainment of KPI targets per manager and for the team.

    One row per manager of the scorecard (then the team row, manager None) × KPI of ``targets``:
    value (the scorecard's), target, attainment = value / target (NaN when either is missing or the target
    is 0), met = value ≥ target (None when value or target is missing). Team row: for ``won`` the sum of the
    listed managers' targets (like the team revenue target); for the rates the team-wide (None) target.
    Managers with a target but no scorecard row are not listed. Returns manager, kpi, value, target,
    attainment, met.
    """
    kt = targets if isinstance(targets, KpiTargets) else KpiTargets(targets)
    mgrs, team = scorecard_tables(scorecard)
    need = [k for k in kt.targets if k not in mgrs.columns]
    if need:
        raise DataError("missing_columns", file="scorecard", column=", ".join(need))
    rows = []
    for kpi in kt.targets:
        team_parts = []
        for manager, value in zip(mgrs["manager"], mgrs[kpi]):
            t = kt.target_for(kpi, manager)
            team_parts.append(t)
            rows.append((manager, kpi, value, t))
        if kpi == "won":
            got = [t for t in team_parts if t is not None]
            tt = float(sum(got)) if got else None
        else:
            tt = kt.target_for(kpi, None)
        rows.append((None, kpi, team[kpi], tt))
    value = np.array([np.nan if r[2] is None else float(r[2]) for r in rows], dtype="float64")
    target = np.array([np.nan if r[3] is None else float(r[3]) for r in rows], dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        att = np.where(target > 0, value / np.where(target > 0, target, 1.0), np.nan)
    met = np.array([None if (np.isnan(v) or np.isnan(t)) else bool(v >= t) for v, t in zip(value, target)],
                   dtype=object)
    return text_frame({"manager": pd.Series([r[0] for r in rows], dtype=object),
                       "kpi": pd.Series([r[1] for r in rows], dtype=object),
                       "value": value, "target": target, "attainment": att, "met": met})
