"""Statistical building blocks (pure numpy/scipy/statsmodels; no streamlit).

Every function here is small, vectorised where that is natural, never mutates its input and returns NaN
(never raises) where a quantity is undefined for the data (n = 0, no variation, ...). Argument errors raise
:class:`~metrics.errors.DataError` (a ``ValueError``). Methods and their sources are in each docstring; the
numbers are checked against published values in ``tests/test_stats.py`` (``/work/shared/notes``).
"""
from .checks import (  # noqa: F401
    check_alpha,
    z_two_sided,
)
from .proportions import (  # noqa: F401
    wilson_interval,
    newcombe_interval,
    cohens_h,
    power_cohens_h,
    n_for_cohens_h,
)
from .tables import (  # noqa: F401
    ADJUST_METHODS,
    holm,
    adjust_pvalues,
    small_expected,
    homogeneity_test,
    cramers_v,
)
from .amounts import (  # noqa: F401
    median_interval,
    bootstrap_mean_interval,
    bootstrap_mean_diff_interval,
    cliffs_delta,
    cliffs_from_counts,
    n_for_mann_whitney,
)
from .counts import (  # noqa: F401
    poisson_rate_interval,
    poisson_rate_test,
    pearson_dispersion,
    decreasing_root,
    nb_rate_fit,
    negbin_dispersion,
    nb_full_loglik,
    negbin_rate_test,
    profile_ratio_interval,
    n_for_rate_ratio,
    poisson_homogeneity_test,
    negbin_homogeneity_test,
)
from .funnel import (  # noqa: F401
    funnel_limits,
    winsorize,
    funnel_overdispersion,
    betabinom_fit,
)
