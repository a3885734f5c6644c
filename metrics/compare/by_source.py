"""Conversion within lead source (lead mix): Cochran–Mantel–Haenszel per manager vs the rest."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as st

from .. import stats as S
from ..errors import StatisticalWarning
from .shared import Comparison, adjust_vs_team, check_bool, check_frame, check_test_args, verdicts
from ..frames import rows_frame


def within_source(*, leads: pd.DataFrame, alpha: float = 0.05, adjust: str = "holm", min_n: int = 30,
                  mix_threshold: float = 0.2) -> Comparison:
    """Each manager vs the rest within lead sources (stratified 2×2 tables), and a lead-mix check.

    Per manager: Mantel–Haenszel common odds ratio (won vs not, manager vs rest) across sources with its
    Robins–Breslow–Greenland CI, and the Cochran–Mantel–Haenszel test with continuity correction
    (statsmodels ``StratifiedTable``; = R ``mantelhaen.test``). Sources where the manager or the rest has no
    lead carry no information and are left out; missing sources count as "unknown". Holm/BH across
    managers; verdict by OR > 1 / < 1. summary: manager, n, n_sources, effect (MH OR), effect_ci_low,
    effect_ci_high, statistic, p_value, p_adjusted, verdict. omnibus (lead mix): chi-square of manager ×
    source (no correction), Cramér's V, ``mix_differs`` = V > ``mix_threshold`` with a plain message.
    """
    from statsmodels.stats.contingency_tables import StratifiedTable

    check_test_args(alpha, adjust, min_n)
    check_frame(leads, ["manager", "won"], "leads")
    won = check_bool(leads, "won", "leads")
    src = (leads["source"] if "source" in leads.columns else pd.Series(None, index=leads.index, dtype=object))
    src = src.astype(object).where(src.notna(), "unknown").astype(str).to_numpy()
    mgr = leads["manager"].to_numpy(dtype=object)
    tab = pd.crosstab(pd.Series(mgr, name="manager"), [pd.Series(src, name="source"), pd.Series(won, name="won")])
    tab = tab.reindex(columns=pd.MultiIndex.from_product([sorted(set(src)), [True, False]]), fill_value=0)
    rows = []
    for m in tab.index:
        mine = tab.loc[m].to_numpy().reshape(-1, 2)
        rest = tab.drop(index=m).sum(axis=0).to_numpy().reshape(-1, 2)
        keep = (mine.sum(axis=1) > 0) & (rest.sum(axis=1) > 0)
        row = {"manager": m, "n": int(mine[keep].sum()), "n_sources": int(keep.sum()), "effect": np.nan,
               "effect_ci_low": np.nan, "effect_ci_high": np.nan, "statistic": np.nan, "p_value": np.nan}
        if keep.any():
            tables = [np.array([mine[i], rest[i]], dtype="float64") for i in np.flatnonzero(keep)]
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                stt = StratifiedTable(tables)
                res = stt.test_null_odds(correction=True)
                lo, hi = stt.oddsratio_pooled_confint(alpha=alpha)
                row.update(effect=float(stt.oddsratio_pooled), effect_ci_low=float(lo), effect_ci_high=float(hi),
                           statistic=float(res.statistic), p_value=float(res.pvalue))
        rows.append(row)
    s = rows_frame(rows, columns=["manager", "n", "n_sources", "effect", "effect_ci_low", "effect_ci_high",
                                    "statistic", "p_value"])
    s["p_adjusted"] = adjust_vs_team(s["p_value"].to_numpy(dtype="float64"), adjust)
    with np.errstate(divide="ignore", invalid="ignore"):
        direction = np.log(s["effect"].to_numpy(dtype="float64"))
    s["verdict"] = verdicts(s["n"], s["p_adjusted"], direction, alpha=alpha, min_n=min_n)
    mix = pd.crosstab(pd.Series(mgr, name="manager"), pd.Series(src, name="source")).to_numpy()
    omni: dict[str, Any] = {"test": "chi2_lead_mix", "statistic": np.nan, "p_value": np.nan, "dof": 0,
                            "cramers_v": np.nan, "mix_differs": False, "n_sources": int(len(set(src))),
                            "message": "", "effect_name": "mh_odds_ratio", "adjust": adjust}
    if mix.shape[0] >= 2 and mix.shape[1] >= 2:
        r = st.chi2_contingency(mix, correction=False)
        v = S.cramers_v(mix)
        omni.update(statistic=float(r.statistic), p_value=float(r.pvalue), dof=int(r.dof), cramers_v=v,
                    mix_differs=bool(v > mix_threshold))
        omni["message"] = (f"Managers work very different lead sources (Cramér's V = {v:.2f}): compare them "
                           f"within sources, not on overall conversion." if v > mix_threshold else
                           f"Lead sources are spread similarly across managers (Cramér's V = {v:.2f}).")
        if v > mix_threshold:
            warnings.warn(StatisticalWarning(omni["message"], "lead_mix", v=f"{v:.2f}"), stacklevel=2)
    else:
        omni["message"] = "Only one lead source (or one manager): nothing to adjust for."
    return Comparison(summary=s, omnibus=omni)
