"""Teams: the team hierarchy the importer joins onto the deals (``team``, ``office``, ``region`` columns,
:data:`metrics.importers.canonical.ATTRIBUTES`) as a filter and a grouping of the managers.

* A manager's team at one ``level`` (``team`` / ``office`` / ``region``) is the most common non-empty value
  of that column on the manager's deals (ties: the first in sorted order); a manager without one has the
  team None ("no team"). Activities and plans carry no team: they follow their manager.
* :func:`filter_teams` keeps the deals, activities and plans of the managers of the chosen teams — the app's
  sidebar "Team" filter and the CLI's ``--team``: every KPI, comparison and cohort is then computed on the
  chosen teams only, and "the team" row is the chosen teams together.
* :func:`team_kpis`: one row per team with the formulas of the scorecard's team row (``metrics.kpi``) applied
  to that team's deals, activities and targets: ``conversion = Σ won_of_leads / Σ leads`` (Wilson interval),
  ``avg_deal = Σ revenue / Σ won``, ``activities`` = done calls + meetings (per working day: per manager with
  an activity), ``plan_fulfillment = Σ revenue / Σ targets in effect`` of the team's listed managers,
  ``retention_rate = customers_retained / customers_prev`` (a customer of the team's previous window kept
  when they bought again in P from a manager of the same team). A team's row equals the scorecard's team
  row when the data is filtered to that team.

Functions take frames by keyword and never mutate them.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .errors import DataError
from .periods import Period
from .frames import frame as text_frame

#: team levels, in the order the default is chosen (the first one the data has)
LEVELS = ("team", "office", "region")


def team_levels(*, deals: pd.DataFrame) -> list[str]:
    """The team levels the deals carry (a column of :data:`LEVELS` with at least one value), in order."""
    return [c for c in LEVELS if c in deals.columns and deals[c].notna().any()]


def _level(deals: pd.DataFrame, level: str | None) -> str:
    levels = team_levels(deals=deals)
    if level is None:
        if not levels:
            raise DataError("missing_columns", file="deals", column="team")
        return levels[0]
    if level not in LEVELS:
        raise DataError("bad_argument", detail=f"team level must be one of {', '.join(LEVELS)}, got {level!r}")
    if level not in deals.columns:
        raise DataError("missing_columns", file="deals", column=level)
    return level


def manager_teams(*, deals: pd.DataFrame, level: str | None = None) -> pd.DataFrame:
    """manager, team: each manager of the deals with their team at ``level`` (default: the first level the
    data has) — the most common non-empty value on their deals, None when they have none. Sorted by
    manager."""
    level = _level(deals, level)
    d = deals[["manager", level]].dropna(subset=["manager"])
    people = sorted(d["manager"].unique())
    v = d.dropna(subset=[level])
    v = v[v[level].astype(str).str.strip() != ""]
    if len(v):
        counts = v.groupby(["manager", level], observed=True).size().reset_index(name="n")
        counts = counts.sort_values(["manager", "n", level], ascending=[True, False, True], kind="stable")
        best = counts.drop_duplicates("manager").set_index("manager")[level]
    else:
        best = pd.Series(dtype=object)
    team = pd.Series(people, dtype=object).map(best.astype(object))
    return text_frame({"manager": pd.Series(people, dtype=object),
                       "team": team.astype(object).where(team.notna(), None)})


def team_names(*, deals: pd.DataFrame, level: str | None = None) -> list:
    """The teams at ``level``, sorted; None last when some manager has no team."""
    mt = manager_teams(deals=deals, level=level)
    names = sorted({str(t) for t in mt["team"] if t is not None})
    return names + ([None] if mt["team"].isna().any() else [])


@dataclass(frozen=True)
class TeamFrames:
    """The frames of the chosen teams' managers (``managers``: those managers, sorted)."""

    deals: pd.DataFrame
    activities: pd.DataFrame | None
    plans: pd.DataFrame | None
    managers: list


def team_managers(*, deals: pd.DataFrame, teams: Iterable, level: str | None = None) -> list:
    """The managers whose team (at ``level``) is one of ``teams`` (None in ``teams``: the managers with no
    team), sorted."""
    chosen = set(teams)
    mt = manager_teams(deals=deals, level=level)
    keep = [t in chosen if t is not None else None in chosen for t in mt["team"]]
    return mt.loc[keep, "manager"].tolist()


def filter_teams(*, deals: pd.DataFrame, teams: Iterable | None, level: str | None = None,
                 activities: pd.DataFrame | None = None, plans: pd.DataFrame | None = None) -> TeamFrames:
    """The deals, activities and plans of the managers of ``teams`` (see :func:`team_managers`); ``teams``
    None or empty: everything (new frames are returned only when rows are dropped; inputs never mutated)."""
    if not teams:
        return TeamFrames(deals, activities, plans, sorted(deals["manager"].dropna().unique()))
    people = team_managers(deals=deals, teams=teams, level=level)

    def keep(df: pd.DataFrame | None) -> pd.DataFrame | None:
        if df is None:
            return None
        mask = df["manager"].isin(people).to_numpy()
        return df if mask.all() else df.loc[mask].reset_index(drop=True)

    return TeamFrames(keep(deals), keep(activities), keep(plans), people)


def filter_dataset(*, data, teams: Iterable | None, level: str | None = None):
    """A :class:`metrics.loading.Dataset` holding only the chosen teams' rows (:func:`filter_teams`); what was
    read (quality, notes, rows read) is kept as it was; ``rows_used`` counts the rows kept."""
    if not teams:
        return data
    f = filter_teams(deals=data.deals, teams=teams, level=level, activities=data.activities, plans=data.plans)
    used = len(f.deals) + sum(len(x) for x in (f.activities, f.plans) if x is not None)
    return replace(data, deals=f.deals, activities=f.activities, plans=f.plans, rows_used=used)


def team_kpis(*, deals: pd.DataFrame, period: Period, level: str | None = None, teams: Iterable | None = None,
              activities: pd.DataFrame | None = None, plans: pd.DataFrame | None = None,
              default_target: float | None = None, overrides: dict[str, float] | None = None,
              alpha: float = 0.05, calendar: str = "none", covered_end=None) -> pd.DataFrame:
    """The five KPIs per team in ``period`` (formulas in the module docstring): one row per team of
    ``teams`` (default: every team, None — "no team" — last), columns :data:`TEAM_COLUMNS` (``team``, its
    ``managers`` listed in the period, then the scorecard's columns without ``manager``).

    ``plans`` / ``default_target`` / ``overrides``: the targets in effect, as for ``kpi.compute_kpis``
    (``Settings.target_args()``). ``covered_end``: the data's end ("data": from the whole data, before the
    teams are split, so every team is judged up to the same day)."""
    from .kpi import compute_kpis, data_covered_end

    level = _level(deals, level)
    if isinstance(covered_end, str) and covered_end == "data":
        covered_end = data_covered_end(deals=deals, activities=activities)
    names = team_names(deals=deals, level=level) if teams is None else list(teams)
    rows = []
    for name in names:
        f = filter_teams(deals=deals, teams=[name], level=level, activities=activities, plans=plans)
        own = {m: v for m, v in (overrides or {}).items() if m in set(f.managers)} or None
        card = compute_kpis(deals=f.deals, period=period, activities=f.activities, plans=f.plans,
                            default_target=default_target, overrides=own, alpha=alpha, calendar=calendar,
                            covered_end=covered_end)
        row = card.team.drop(columns="manager").assign(team=name, managers=len(card.managers))
        rows.append(row)
    if not rows:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "team" else "float64") for c in TEAM_COLUMNS})
    out = pd.concat(rows, ignore_index=True)[TEAM_COLUMNS]
    out["team"] = out["team"].astype(object).where(out["team"].notna(), None)
    out["managers"] = out["managers"].astype("int64")
    return out


def _team_columns() -> list[str]:
    from .kpi import EXTRA_COLUMNS, KPI_COLUMNS
    return ["team", "managers"] + [c for c in KPI_COLUMNS if c != "manager"] + EXTRA_COLUMNS


TEAM_COLUMNS = _team_columns()


def teams_report(*, deals: pd.DataFrame, period: Period, level: str | None = None, selected: Iterable | None = None,
                 **kpi_args) -> dict | None:
    """The report's ``"teams"`` block, or None when the data has no team level: {level, levels, selected
    (the chosen teams, or None for all), rows: :func:`team_kpis` records}. ``deals`` etc. are the whole
    data (before the team filter)."""
    levels = team_levels(deals=deals)
    if not levels:
        return None
    level = _level(deals, level)
    chosen = list(selected) if selected else None
    tab = team_kpis(deals=deals, period=period, level=level, teams=chosen, **kpi_args)
    recs = []
    for row in tab.itertuples(index=False, name=None):
        recs.append({c: _plain(v) for c, v in zip(TEAM_COLUMNS, row)})
    return {"level": level, "levels": levels, "selected": chosen, "rows": recs}


def _plain(v):
    if v is None:
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if np.isnan(v) else float(v)
    return v


__all__ = ["LEVELS", "TEAM_COLUMNS", "TeamFrames", "filter_dataset", "filter_teams", "manager_teams",
           "team_kpis", "team_levels", "team_managers", "team_names", "teams_report"]
