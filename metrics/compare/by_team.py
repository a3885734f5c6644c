"""Managers within a team vs the rest of their own team: the each-vs-team comparisons of this package run
once per team (:func:`vs_own_team`)."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from ..errors import DataError
from .shared import Comparison
from ..frames import frame as text_frame


def vs_own_team(*, teams: pd.DataFrame, compare: Callable[[list], Comparison | None]) -> Comparison:
    """Each manager vs the rest of *their own team*.

    ``teams``: manager, team (``metrics.teams.manager_teams``; team None: "no team", a group of its own);
    ``compare(managers)``: an each-vs-team comparison (``conversion_vs_team``, ``deal_size_vs_team`` …) run
    on the rows of those managers only — exactly what the team filter gives, so a team's rows here equal
    the vs-team rows with the data filtered to that team. p-values are adjusted within each team (each team
    is its own family of comparisons). Teams with fewer than two managers have no one to compare with and
    are listed in ``omnibus["alone"]``.

    Returns a :class:`Comparison` whose summary is the per-team summaries stacked, with a first column
    ``team``; ``omnibus`` = {"by_team": {team: omnibus}, "alone": [teams]}. ``teams`` is not mutated."""
    if not isinstance(teams, pd.DataFrame) or not {"manager", "team"} <= set(teams.columns):
        raise DataError("missing_columns", file="teams", column="manager, team")
    keys = teams["team"].astype(object).where(teams["team"].notna(), None)
    names = sorted({k for k in keys if k is not None}, key=str) + ([None] if keys.isna().any() else [])
    parts, by_team, alone = [], {}, []
    for name in names:
        people = sorted(teams.loc[(keys == name) if name is not None else keys.isna(), "manager"])
        if len(people) < 2:
            alone.append(name)
            continue
        res = compare(people)
        if res is None or res.summary.empty:
            continue
        parts.append(res.summary.assign(team=name)[["team", *res.summary.columns]])
        by_team[name] = res.omnibus
    summary = pd.concat(parts, ignore_index=True) if parts else text_frame({"team": pd.Series(dtype=object),
                                                                            "manager": pd.Series(dtype=object)})
    return Comparison(summary=summary, omnibus={"by_team": by_team, "alone": alone})
