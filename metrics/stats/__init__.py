"""Statistical building blocks (pure numpy/scipy/statsmodels; no streamlit).

Every function here is small, vectorised where that is natural, never mutates its input and returns NaN
(never raises) where a quantity is undefined for the data (n = 0, no variation, ...). Argument errors raise
:class:`~metrics.errors.DataError` (a ``ValueError``). Methods and their sources are in each docstring; the
numbers are checked against published values in ``tests/test_stats.py`` (``/work/shared/notes``).
"""
from ..lazy import lazy_exports

# name → the module that defines it, imported on first use (metrics/lazy.py)
__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "checks": ("check_alpha", "z_two_sided"),
    "proportions": ("wilson_interval", "newcombe_interval", "cohens_h", "power_cohens_h", "n_for_cohens_h"),
    "tables": ("ADJUST_METHODS", "holm", "adjust_pvalues", "small_expected", "homogeneity_test", "cramers_v"),
    "amounts": (
        "median_interval", "median_intervals", "bootstrap_mean_interval", "bootstrap_mean_diff_interval", "cliffs_delta",
        "cliffs_from_counts", "n_for_mann_whitney"
    ),
    "counts": (
        "poisson_rate_interval", "poisson_rate_test", "pearson_dispersion", "decreasing_root", "nb_rate_fit",
        "negbin_dispersion", "nb_full_loglik", "negbin_rate_test", "profile_ratio_interval", "n_for_rate_ratio",
        "poisson_homogeneity_test", "negbin_homogeneity_test"
    ),
    "funnel": ("funnel_limits", "winsorize", "funnel_overdispersion", "betabinom_fit"),
})
