"""Composite score with rank uncertainty.

``composite_score(*, scorecard, weights, thresholds=None, n_sim=2000, seed=0, won=None, alpha=0.05)``
→ [manager, score, rank, rank_low, rank_high, <kpi>_score ×5]; ``normalize_weights(weights)``.
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..errors import DataError
from ..guards import bad, require_columns
from ..kpi import LIGHT_KPIS, RELATIVE_TO_TEAM, Scorecard
from .checks import check_alpha, check_int, check_real
from .kpi_targets import scorecard_tables
from ..frames import frame as text_frame


COMPOSITE_KPIS: tuple[str, ...] = tuple(LIGHT_KPIS)
COMPOSITE_COLUMNS = ["manager", "score", "rank", "rank_low", "rank_high"] + [f"{k}_score" for k in COMPOSITE_KPIS]
SCORE_CAP = 2.0                 # a KPI counts at most twice the reference in the composite score


# ----------------------------------------------------------------------------------------------------------
# composite score with rank uncertainty
# ----------------------------------------------------------------------------------------------------------
def normalize_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights over the five KPIs, non-negative, scaled to sum 1 (KPIs not given weigh 0).

    Unknown KPI names, negative or non-finite weights, or all-zero weights raise DataError.
    """
    if not isinstance(weights, Mapping) or not weights:
        raise bad(f"weights must be a non-empty dict {{kpi: weight}}, got {weights!r}", "weights")
    w = {}
    for k, v in weights.items():
        if k not in COMPOSITE_KPIS:
            raise bad(f"weights: unknown KPI {k!r}; expected some of {list(COMPOSITE_KPIS)}", "weights")
        w[k] = check_real(v, f"weights[{k!r}]", lo=0.0)
    total = sum(w.values())
    if total <= 0:
        raise bad("weights must not all be 0", "weights")
    return {k: w.get(k, 0.0) / total for k in COMPOSITE_KPIS}


_CARD_NEEDS = ["manager", "leads", "won_of_leads", "conversion", "won", "revenue", "avg_deal", "activities",
               "activities_per_day", "working_days", "target", "plan_fulfillment", "customers_prev",
               "customers_retained", "retention_rate"]


def composite_score(*, scorecard: Scorecard | pd.DataFrame, weights: Mapping[str, float],
                    thresholds: Mapping[str, Sequence[float]] | None = None, n_sim: int = 2000, seed: int = 0,
                    won: pd.DataFrame | None = None, alpha: float = 0.05) -> pd.DataFrame:
    """One score per manager from the five KPIs, with the uncertainty of the resulting rank.

    * KPI score s_k = min(value_k / reference_k, 2). reference_k = the team's value of the KPI; with
      ``thresholds`` given for k, its green threshold instead (for avg_deal, whose thresholds are shares of
      the team value, green × team avg_deal). NaN when the value or the reference is missing or 0.
    * score = Σ w_k s_k / Σ w_k over the KPIs the manager has (weights renormalised over the available ones;
      :func:`normalize_weights` first). 1 ≈ "at the reference". rank 1 = the highest score (ties share the
      best rank); managers with no available KPI get NaN.
    * Rank range: ``n_sim`` seeded draws of every manager's KPIs from their sampling distributions, the
      references held fixed: conversion and retention ~ Beta(k + ½, n − k + ½) (Jeffreys); avg_deal ~ Normal
      (mean, SE) with SE = sd/√n of the won amounts when ``won`` (manager, amount: the period's won deals,
      e.g. ``kpi.period_won``) is given and n ≥ 2, else the approximation SE = mean/√n (coefficient of
      variation 1), clipped at 0; activities_per_day ~ Gamma(activities + ½, 1/working_days) (Poisson,
      Jeffreys; over-dispersion ignored, so too narrow for bursty activity); plan_fulfillment = won' ×
      avg_deal' / target with won' ~ Gamma(won, 1) (compound-Poisson revenue), fixed at its value when there
      is no won deal. rank_low/rank_high: the α/2 and 1 − α/2 quantiles of the simulated ranks, widened to
      include the observed rank. KPI draws are independent (a simplification).

    Returns manager, score, rank, rank_low, rank_high, <kpi>_score for the five KPIs (managers only).
    """
    w = normalize_weights(weights)
    mgrs, team = scorecard_tables(scorecard)
    need = [c for c in _CARD_NEEDS if c not in mgrs.columns]
    if need:
        raise DataError("missing_columns", file="scorecard", column=", ".join(need))
    sims = check_int(n_sim, "n_sim", lo=0)
    check_int(seed, "seed", lo=0)
    a = check_alpha(alpha)
    th = {}
    if thresholds is not None:
        if not isinstance(thresholds, Mapping):
            raise bad("thresholds must be a dict {kpi: (green, amber)}", "thresholds")
        for k, v in thresholds.items():
            if k not in COMPOSITE_KPIS:
                raise bad(f"thresholds: unknown KPI {k!r}", "thresholds")
            green = v[0] if isinstance(v, Sequence) and not isinstance(v, str) and len(v) else v
            th[k] = check_real(green, f"thresholds[{k!r}]", lo=0.0)
    if won is not None:
        require_columns(won, "won", ["manager", "amount"])

    def col(c: str) -> np.ndarray:
        return pd.to_numeric(mgrs[c], errors="coerce").to_numpy(dtype="float64")

    ref = {}
    for k in COMPOSITE_KPIS:
        team_v = float(team[k]) if pd.notna(team[k]) else np.nan
        if k in th:
            ref[k] = th[k] * team_v if k in RELATIVE_TO_TEAM else th[k]
        else:
            ref[k] = team_v
    names = mgrs["manager"].to_numpy(dtype=object)
    n_m = len(names)
    obs = {k: col(k) for k in COMPOSITE_KPIS}

    def scores(values: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
        per, num, den = {}, 0.0, 0.0
        for k in COMPOSITE_KPIS:
            r = ref[k]
            v = values[k]
            with np.errstate(divide="ignore", invalid="ignore"):
                s = np.minimum(v / r, SCORE_CAP) if np.isfinite(r) and r > 0 else np.full(v.shape, np.nan)
            per[k] = s
            ok = np.isfinite(s) & (w[k] > 0)
            num = num + np.where(ok, s * w[k], 0.0)
            den = den + np.where(ok, w[k], 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            return per, np.where(den > 0, num / np.where(den > 0, den, 1.0), np.nan)

    per, score = scores(obs)
    has = np.isfinite(score)
    rank = pd.Series(score).rank(ascending=False, method="min").to_numpy()
    rank_low = np.full(n_m, np.nan)
    rank_high = np.full(n_m, np.nan)
    if sims > 0 and has.any():
        rng = np.random.default_rng(seed)
        draws: dict[str, np.ndarray] = {}
        for k, (kk, nn) in {"conversion": ("won_of_leads", "leads"),
                            "retention_rate": ("customers_retained", "customers_prev")}.items():
            k_, n_ = col(kk), col(nn)
            ok = np.isfinite(obs[k]) & (n_ > 0)
            d = rng.beta(np.where(ok, k_ + 0.5, 1.0), np.where(ok, n_ - k_ + 0.5, 1.0), size=(sims, n_m))
            draws[k] = np.where(ok, d, np.nan)
        n_won, avg = col("won"), obs["avg_deal"]
        se = np.where(n_won > 0, avg / np.sqrt(np.where(n_won > 0, n_won, 1.0)), np.nan)
        if won is not None:
            amt = pd.to_numeric(won["amount"], errors="coerce")
            g = text_frame({"manager": won["manager"].to_numpy(), "amount": amt.to_numpy()}).groupby("manager")
            sd, cnt = g["amount"].std(ddof=1), g["amount"].count()
            for i, m in enumerate(names):
                if cnt.get(m, 0) >= 2 and np.isfinite(sd.get(m, np.nan)):
                    se[i] = sd[m] / math.sqrt(cnt[m])
        ok = np.isfinite(avg) & np.isfinite(se)
        d = rng.normal(np.where(ok, avg, 0.0), np.where(ok, se, 0.0), size=(sims, n_m))
        draws["avg_deal"] = np.where(ok, np.maximum(d, 0.0), np.nan)
        acts, wdays = col("activities"), col("working_days")
        ok = np.isfinite(obs["activities_per_day"]) & (wdays > 0)
        d = rng.gamma(np.where(ok, acts + 0.5, 1.0), 1.0 / np.where(ok, wdays, 1.0), size=(sims, n_m))
        draws["activities_per_day"] = np.where(ok, d, np.nan)
        target, pf = col("target"), obs["plan_fulfillment"]
        some = np.isfinite(pf) & (n_won > 0) & np.isfinite(avg) & (target > 0)
        won_d = rng.gamma(np.where(some, n_won, 1.0), 1.0, size=(sims, n_m))
        avg_d = np.where(np.isfinite(draws["avg_deal"]), draws["avg_deal"], 0.0)
        draws["plan_fulfillment"] = np.where(some, won_d * avg_d / np.where(some, target, 1.0), pf)
        _, sim_score = scores(draws)
        sub = sim_score[:, has]
        order = np.argsort(-sub, axis=1, kind="stable")
        ranks = np.empty_like(order)
        ranks[np.arange(sims)[:, None], order] = np.arange(1, sub.shape[1] + 1)
        lo = np.quantile(ranks, a / 2, axis=0, method="inverted_cdf")
        hi = np.quantile(ranks, 1 - a / 2, axis=0, method="inverted_cdf")
        rank_low[has] = np.minimum(lo, rank[has])
        rank_high[has] = np.maximum(hi, rank[has])
    elif has.any():
        rank_low[has], rank_high[has] = rank[has], rank[has]
    out = text_frame({"manager": pd.Series(names, dtype=object), "score": score, "rank": rank,
                      "rank_low": rank_low, "rank_high": rank_high})
    for k in COMPOSITE_KPIS:
        out[f"{k}_score"] = per[k]
    return out[COMPOSITE_COLUMNS]
