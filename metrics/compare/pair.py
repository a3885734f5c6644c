"""Two managers side by side on every KPI (``pair_comparison``)."""
from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as st

from .. import stats as S
from ..errors import DataError
from ..kpi import period_activities, period_leads, period_won, retention_customers
from ..periods import Period
from .activity import activity_units, fit_activity_model, rate_compare
from .deal_size import two_sample_test
from .proportions import monthly_plan, plan_hit_share
from .shared import check_test_args, fill_n_needed, verdicts
from ..frames import rows_frame


PAIR_COLUMNS = ["kpi", "a_value", "b_value", "diff", "ci_low", "ci_high", "effect", "effect_name",
                "effect_ci_low", "effect_ci_high", "p_value", "verdict", "n_a", "n_b", "n_needed", "unit", "test"]


# --------------------------------------------------------------------------------------------------------
# Two managers side by side
# --------------------------------------------------------------------------------------------------------

def _pair_binary(kpi: str, ka, na, kb, nb, *, alpha: float, min_n: int, unit: str) -> dict[str, Any]:
    pa = ka / na if na > 0 else np.nan
    pb = kb / nb if nb > 0 else np.nan
    lo, hi = S.newcombe_interval(ka, na, kb, nb, alpha)
    h = float(S.cohens_h(pa, pb))
    p = float(st.fisher_exact([[ka, na - ka], [kb, nb - kb]]).pvalue) if na > 0 and nb > 0 else np.nan
    v = verdicts(min(na, nb), p, pa - pb, alpha=alpha, min_n=min_n)
    need = fill_n_needed(S.n_for_cohens_h(h, alpha=alpha), v, min_n)
    return {"kpi": kpi, "a_value": pa, "b_value": pb, "diff": pa - pb, "ci_low": float(lo), "ci_high": float(hi),
            "effect": h, "effect_name": "cohens_h", "effect_ci_low": np.nan, "effect_ci_high": np.nan,
            "p_value": p, "verdict": str(v), "n_a": int(na), "n_b": int(nb),
            "n_needed": float(need), "unit": unit, "test": "fisher_exact"}


def pair_comparison(*, deals: pd.DataFrame, activities: pd.DataFrame | None = None, period: Period, a: str, b: str,
                    alpha: float = 0.05, min_n: int = 30, test: str = "mannwhitney", seed: int = 0,
                    n_boot: int = 9999, unit: str = "day", method: str = "auto", plans: pd.DataFrame | None = None,
                    default_target: float | None = None, overrides: dict[str, float] | None = None,
                    model: dict[str, Any] | None = None) -> pd.DataFrame:
    """Manager a vs manager b on every KPI: one row per KPI (verdict "above" = a above b).

    ``model``: the result of :func:`activity_model` for the same activities, period, unit and method (with
    the managers of the period's leads, won deals and activities) — skips refitting it.

    conversion / retention_rate (and plan_hit_share when ``plans`` is given): diff of proportions with
    Newcombe's CI, Cohen's h, Fisher exact p; n_needed = 2·((z_{1−α/2} + z_{0.8})/h)² per manager
    (``pwr.2p.test``). avg_deal: a/b values are mean deal sizes (the KPI), diff = mean difference with a
    seeded two-sample BCa bootstrap CI; effect = Cliff's δ (Feng–Cliff CI); p = Mann–Whitney U (or
    Brunner–Munzel) — note the CI is for means and the test for ranks; n_needed by Noether's formula.
    activities_per_day: diff = rate difference per working day (Wald CI with the Poisson/NB variance), effect
    = rate ratio with CI; p = exact Poisson test or NB likelihood-ratio test (dispersion judged on the whole
    team); n_needed in working days. min_n applies to both managers (the smaller n). p-values are not
    adjusted across KPIs (each KPI is its own question). Columns: PAIR_COLUMNS.
    """
    check_test_args(alpha, "holm", min_n)
    if a == b:
        raise DataError("bad_argument", detail="choose two different managers")
    leads = period_leads(deals=deals, period=period)
    won = period_won(deals=deals, period=period)
    acts = period_activities(activities=activities, period=period) if activities is not None else None
    cust = retention_customers(deals=deals, period=period)
    seen = set(leads["manager"]) | set(won["manager"]) | set(cust["manager"]) | (
        set(acts["manager"]) if acts is not None else set())
    for who in (a, b):
        if who not in seen:
            raise DataError("bad_argument", detail=f"manager {who!r} has no data in {period.label()}")
    rows = []

    def counts(df, col, who):
        x = df.loc[df["manager"] == who, col]
        return float(x.sum()), float(len(x))

    ka, na = counts(leads, "won", a)
    kb, nb = counts(leads, "won", b)
    rows.append(_pair_binary("conversion", ka, na, kb, nb, alpha=alpha, min_n=min_n, unit="leads"))

    xa = won.loc[won["manager"] == a, "amount"].to_numpy(dtype="float64")
    xb = won.loc[won["manager"] == b, "amount"].to_numpy(dtype="float64")
    row = {"kpi": "avg_deal", "a_value": xa.mean() if len(xa) else np.nan, "b_value": xb.mean() if len(xb) else np.nan,
           "effect_name": "cliffs_delta", "n_a": len(xa), "n_b": len(xb), "unit": "won deals", "test": test}
    row["diff"] = row["a_value"] - row["b_value"]
    if len(xa) and len(xb):
        row["ci_low"], row["ci_high"] = S.bootstrap_mean_diff_interval(xa, xb, alpha, n_resamples=n_boot, seed=seed)
        row["effect"], row["effect_ci_low"], row["effect_ci_high"] = S.cliffs_delta(xa, xb, alpha)
        _, row["p_value"], row["test"] = two_sample_test(xa, xb, test)
    else:
        row.update(ci_low=np.nan, ci_high=np.nan, effect=np.nan, effect_ci_low=np.nan, effect_ci_high=np.nan,
                   p_value=np.nan)
    v = verdicts(min(len(xa), len(xb)), row["p_value"], row["effect"], alpha=alpha, min_n=min_n)
    row["verdict"] = str(v)
    row["n_needed"] = float(fill_n_needed(S.n_for_mann_whitney(row["effect"], alpha=alpha), v, min_n))
    rows.append(row)

    if acts is not None:
        managers = sorted(set(leads["manager"]) | set(won["manager"]) | set(acts["manager"]))
        units = activity_units(activities=acts, period=period, managers=managers, unit=unit)
        row = {"kpi": "activities_per_day", "effect_name": "rate_ratio", "unit": "working days"}
        if units.empty or units["count"].sum() == 0:
            row.update(a_value=np.nan, b_value=np.nan, diff=np.nan, ci_low=np.nan, ci_high=np.nan, effect=np.nan,
                       effect_ci_low=np.nan, effect_ci_high=np.nan, p_value=np.nan, n_a=0, n_b=0, test=None)
            mu_a = mu_b = np.nan
            model = {"nb_alpha": 0.0}
        else:
            model = model or fit_activity_model(units, method)
            ua, ub = units[units["manager"] == a], units[units["manager"] == b]
            ya, ta = ua["count"].to_numpy(dtype="float64"), ua["exposure"].to_numpy(dtype="float64")
            yb, tb = ub["count"].to_numpy(dtype="float64"), ub["exposure"].to_numpy(dtype="float64")
            ra, rb = ya.sum() / ta.sum(), yb.sum() / tb.sum()
            r = rate_compare(ya, ta, yb, tb, model, alpha)
            # Var(rate) = Σ Var(y_j)/T², Var(y_j) = μ_j + α·μ_j² (NB2; α = 0 for Poisson)
            var = sum((rr * tt + model["nb_alpha"] * (rr * tt) ** 2).sum() / tt.sum() ** 2
                      for rr, tt in ((ra, ta), (rb, tb)))
            half = S.z_two_sided(alpha) * math.sqrt(var)
            row.update(a_value=ra, b_value=rb, diff=ra - rb, ci_low=ra - rb - half, ci_high=ra - rb + half,
                       effect=r["rate_ratio"], effect_ci_low=r["ci_low"], effect_ci_high=r["ci_high"],
                       p_value=r["p_value"], n_a=int(round(ta.sum())), n_b=int(round(tb.sum())),
                       test="negbin_lr" if model["method"] == "negbin" else "poisson_exact")
            mu_a, mu_b = ya.mean(), yb.mean()
        with np.errstate(divide="ignore", invalid="ignore"):
            direction = np.log(row["effect"]) if row["effect"] and np.isfinite(row["effect"]) else row["diff"]
        v = verdicts(min(row["n_a"], row["n_b"]), row["p_value"], direction, alpha=alpha, min_n=min_n)
        row["verdict"] = str(v)
        n_units = S.n_for_rate_ratio(row["effect"], mu1=mu_a, mu0=mu_b, dispersion=model["nb_alpha"], alpha=alpha)
        per_unit = float(units["exposure"].mean()) if not units.empty else 1.0
        row["n_needed"] = float(fill_n_needed(np.ceil(n_units * per_unit), v, min_n))
        rows.append(row)

    ka, na = counts(cust, "retained", a)
    kb, nb = counts(cust, "retained", b)
    rows.append(_pair_binary("retention_rate", ka, na, kb, nb, alpha=alpha, min_n=min_n, unit="customers"))

    if plans is not None:
        mp = monthly_plan(deals=deals, plans=plans, period=period, default_target=default_target, overrides=overrides)
        share = plan_hit_share(monthly=mp, alpha=alpha).set_index("manager")
        get = lambda who: (float(share.loc[who, "hits"]), float(share.loc[who, "months"])) if who in share.index \
            else (0.0, 0.0)  # noqa: E731
        (ka, na), (kb, nb) = get(a), get(b)
        rows.append(_pair_binary("plan_hit_share", ka, na, kb, nb, alpha=alpha, min_n=min_n, unit="months"))
    return rows_frame(rows)[PAIR_COLUMNS]
