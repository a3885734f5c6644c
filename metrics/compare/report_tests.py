"""The report's "tests" block (``comparison_tests``), as the CLI and the JSON export write it."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from ..kpi import period_activities, period_leads, period_won, retention_customers
from ..periods import Period
from .activity import activity_vs_team
from .deal_size import deal_size_vs_team
from .proportions import conversion_vs_team, retention_vs_team
from .shared import Comparison, check_test_args


# --------------------------------------------------------------------------------------------------------
# The report's "tests" block
# --------------------------------------------------------------------------------------------------------

def _plain(v: Any) -> Any:
    """numpy/pandas scalars → float/int/str/bool/None; NaN and ±inf → None."""
    if v is None or v is pd.NA:
        return None
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return float(v) if math.isfinite(float(v)) else None
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    return str(v)


def _block(res: Comparison, *, estimate: str, ci: tuple[str, str], estimate_name: str, effect_name: str) -> dict:
    keys = ("test", "statistic", "p_value", "dof", "note", "n", "n_managers")
    omni = {k: _plain(res.omnibus.get(k)) for k in keys}
    omni["note"] = omni["note"] or ""
    if omni["dof"] is not None:
        omni["dof"] = int(omni["dof"])
    rows = []
    for r in res.summary.to_dict("records"):
        rows.append({"manager": _plain(r["manager"]), "p_value": _plain(r["p_value"]),
                     "p_adjusted": _plain(r["p_adjusted"]), "effect": _plain(r["effect"]),
                     "verdict": str(r["verdict"]), "n": _plain(r["n"]), "estimate": _plain(r[estimate]),
                     "estimate_name": estimate_name, "ci_low": _plain(r[ci[0]]), "ci_high": _plain(r[ci[1]]),
                     "effect_name": effect_name,
                     "n_needed": None if _plain(r["n_needed"]) is None else int(r["n_needed"])})
    return {"omnibus": omni, "vs_team": rows}


def comparison_tests(*, deals: pd.DataFrame, activities: pd.DataFrame | None = None, period: Period,
                     alpha: float = 0.05, adjust: str = "holm", min_n: int = 30, seed: int = 0) -> dict:
    """The report's "tests" block: per KPI an omnibus test and each manager vs the rest of the team.

    Returns ``{"conversion" | "avg_deal" | "activities" | "retention": {"omnibus": {test, statistic, p_value,
    dof, note, n, n_managers}, "vs_team": [{manager, p_value, p_adjusted, effect, verdict, n, estimate,
    estimate_name, ci_low, ci_high, effect_name, n_needed}, ...]}}`` with plain Python values (NaN → None),
    JSON-serialisable. conversion/retention: chi-square (or Monte Carlo Fisher–Freeman–Halton) + Fisher,
    Cohen's h; avg_deal: Kruskal–Wallis + Mann–Whitney, Cliff's δ, estimate = median; activities: Poisson or
    negative binomial (see :func:`activity_vs_team`), rate ratio, estimate = per working day. Without
    ``activities`` the activities block has test None and an empty vs_team list.
    """
    check_test_args(alpha, adjust, min_n)
    common = {"alpha": alpha, "adjust": adjust, "min_n": min_n}
    leads = period_leads(deals=deals, period=period)
    won = period_won(deals=deals, period=period)
    out = {
        "conversion": _block(conversion_vs_team(leads=leads, seed=seed, **common), estimate="rate",
                             ci=("ci_low", "ci_high"), estimate_name="conversion", effect_name="cohens_h"),
        "avg_deal": _block(deal_size_vs_team(won=won, seed=seed, n_boot=0, **common), estimate="median",
                           ci=("median_ci_low", "median_ci_high"), estimate_name="median_deal",
                           effect_name="cliffs_delta"),
    }
    if activities is not None:
        acts = period_activities(activities=activities, period=period)
        managers = sorted(set(leads["manager"]) | set(won["manager"]) | set(acts["manager"]))
        res = activity_vs_team(activities=acts, period=period, managers=managers, **common)
        out["activities"] = _block(res, estimate="rate", ci=("rate_ci_low", "rate_ci_high"),
                                   estimate_name="activities_per_day", effect_name="rate_ratio")
    else:
        out["activities"] = {"omnibus": {"test": None, "statistic": None, "p_value": None, "dof": None,
                                         "note": "no activity data", "n": 0, "n_managers": 0}, "vs_team": []}
    out["retention"] = _block(retention_vs_team(customers=retention_customers(deals=deals, period=period),
                                                seed=seed, **common),
                              estimate="rate", ci=("ci_low", "ci_high"), estimate_name="retention_rate",
                              effect_name="cohens_h")
    return out
