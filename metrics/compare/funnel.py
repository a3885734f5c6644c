"""Funnel plot of conversion, shrunk (empirical Bayes) conversion."""
from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats as st

from .. import stats as S
from ..errors import DataError, StatisticalWarning
from .proportions import binary_counts
from .shared import Comparison
from ..frames import frame as text_frame


# --------------------------------------------------------------------------------------------------------
# Funnel plot and shrinkage
# --------------------------------------------------------------------------------------------------------

def funnel_data(*, leads: pd.DataFrame, overdispersion: str = "multiplicative", winsor: float = 0.1,
                dispersion_alpha: float = 0.05, grid_points: int = 100) -> Comparison:
    """Funnel plot of conversion against the team rate (Spiegelhalter 2005, Stat Med 24:1185).

    p0 = team rate (Σ won / Σ leads). Limits: exact binomial, interpolated (appendix A.1.1) at 95%
    (q = .025/.975) and 99.8% (q = .001/.999) for each n. Over-dispersion: winsorised z-scores (``winsor``
    per tail), φ = mean z², test Nφ vs χ²(N − 1); when p < ``dispersion_alpha`` the limits are widened:
    ``"multiplicative"`` p0 + √φ·(limit − p0), or ``"additive"`` p0 ± z·sqrt(p0(1 − p0)/n + τ²) (random
    effect τ²), or not at all (``"none"``, with a StatisticalWarning). summary: manager, n, successes, rate, z,
    lower95, upper95, lower998, upper998, outside95, outside998, side ("above"/"below"/"inside", 95%).
    curve: n, lower95, upper95, lower998, upper998 over a grid of n. omnibus: p0, phi, statistic, dof,
    p_value, tau2, overdispersed, limits (method), reason.
    """
    if overdispersion not in ("multiplicative", "additive", "none"):
        raise DataError("bad_argument", detail=f"overdispersion must be multiplicative, additive or none, "
                                               f"got {overdispersion!r}")
    k, n, managers = binary_counts(leads, "won", "leads")
    N, K = n.sum(), k.sum()
    p0 = K / N if N > 0 else np.nan
    od = S.funnel_overdispersion(k, n, p0, winsor=winsor) if N > 0 else {
        "phi": np.nan, "statistic": np.nan, "dof": 0, "p_value": np.nan, "tau2": np.nan}
    over = bool(np.isfinite(od["p_value"]) and od["p_value"] < dispersion_alpha)
    how = overdispersion if over else "none"
    if over and overdispersion == "none":
        warnings.warn(StatisticalWarning("conversion is over-dispersed between managers; unwidened funnel limits "
                                         "will flag too many", "overdispersed"), stacklevel=2)

    def limits(nn: np.ndarray) -> dict[str, np.ndarray]:
        out = {}
        for name, q in (("lower95", 0.025), ("upper95", 0.975), ("lower998", 0.001), ("upper998", 0.999)):
            if how == "additive":
                s = np.sqrt(p0 * (1 - p0) / nn + od["tau2"])
                lim = np.clip(p0 + st.norm.ppf(q) * s, 0, 1)
            else:
                lim = S.funnel_limits(p0, nn, q)
                if how == "multiplicative":
                    lim = np.clip(p0 + math.sqrt(od["phi"]) * (lim - p0), 0, 1)
            out[name] = lim
        return out

    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / n, np.nan)
        z = (rate - p0) / np.sqrt(p0 * (1 - p0) / n)
    lim = limits(n)
    out95 = (rate < lim["lower95"]) | (rate > lim["upper95"])
    out998 = (rate < lim["lower998"]) | (rate > lim["upper998"])
    side = np.where(rate > lim["upper95"], "above", np.where(rate < lim["lower95"], "below", "inside")).astype(object)
    summary = text_frame({"manager": managers, "n": n.astype("int64"), "successes": k.astype("int64"),
                          "rate": rate, "z": z, **lim, "outside95": out95, "outside998": out998, "side": side})
    top = max(float(n.max()) * 1.1, 10.0) if len(n) else 10.0
    grid = np.unique(np.round(np.geomspace(1, top, grid_points))).astype("float64")
    curve = text_frame({"n": grid.astype("int64"), **limits(grid)})
    reason = ""
    if over:
        reason = (f"managers differ more than chance allows (φ = {od['phi']:.2f}, p = {od['p_value']:.3g}); "
                  + ("limits widened by √φ" if how == "multiplicative" else
                     "limits widened by a random effect τ²" if how == "additive" else "limits not widened"))
    omni = {"test": "overdispersion_chi2", "statistic": od["statistic"], "p_value": od["p_value"], "dof": od["dof"],
            "p0": p0, "n": int(N), "n_managers": int((n > 0).sum()), "phi": od["phi"], "tau2": od["tau2"],
            "overdispersed": over, "limits": {"none": "exact_binomial", "multiplicative": "multiplicative_phi",
                                              "additive": "additive_tau2"}[how], "reason": reason}
    return Comparison(summary=summary, omnibus=omni, curve=curve)


def shrunk_conversion(*, leads: pd.DataFrame, alpha: float = 0.05) -> Comparison:
    """Empirical-Bayes (beta-binomial) shrunk conversion, to rank managers without chasing noise.

    Prior Beta(a, b) fitted by maximum likelihood over managers (``scipy.stats.betabinom.logpmf`` +
    ``scipy.optimize.minimize``, :func:`metrics.stats.betabinom_fit`); posterior Beta(k + a, n − k + b),
    shrunk = (k + a)/(n + a + b), equal-tailed 1 − α credible interval. Managers with few leads move most
    towards the team rate. With fewer than 3 managers no prior is fitted (Jeffreys Beta(½, ½), no pooling;
    StatisticalWarning). summary (sorted by rank): manager, n, successes, rate, ci_low, ci_high (Wilson),
    shrunk, cred_low, cred_high, rank (by shrunk, 1 = best), raw_rank. omnibus: the prior.
    """
    S.check_alpha(alpha)
    k, n, managers = binary_counts(leads, "won", "leads")
    if len(n) >= 3:
        prior = S.betabinom_fit(k, n)
        prior["method"] = "beta-binomial maximum likelihood (empirical Bayes)"
        if prior["full_pooling"]:
            warnings.warn(StatisticalWarning("no variation between managers beyond chance was found: every shrunk "
                                             "rate equals the team rate", "full_pooling"), stacklevel=2)
    else:
        warnings.warn(StatisticalWarning("fewer than 3 managers: no prior fitted, estimates are not shrunk",
                                         "no_prior"), stacklevel=2)
        prior = {"a": 0.5, "b": 0.5, "mean": 0.5, "strength": 1.0, "converged": True, "full_pooling": False,
                 "loglik": np.nan, "method": "Jeffreys prior (too few managers to fit one)"}
    a, b = prior["a"], prior["b"]
    pa, pb = k + a, n - k + b
    lo, hi = S.wilson_interval(k, n, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / n, np.nan)
    s = text_frame({"manager": managers, "n": n.astype("int64"), "successes": k.astype("int64"), "rate": rate,
                    "ci_low": lo, "ci_high": hi, "shrunk": pa / (pa + pb),
                    "cred_low": st.beta.ppf(alpha / 2, pa, pb), "cred_high": st.beta.ppf(1 - alpha / 2, pa, pb)})
    s["rank"] = s["shrunk"].rank(ascending=False, method="min").astype("int64")
    s["raw_rank"] = s["rate"].rank(ascending=False, method="min").astype("int64")
    s = s.sort_values(["rank", "manager"], kind="stable").reset_index(drop=True)
    return Comparison(summary=s, omnibus={k_: (float(v) if isinstance(v, (float, np.floating)) else v)
                                          for k_, v in prior.items()})
