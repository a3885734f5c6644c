"""Compare managers honestly: each manager vs the rest of the team, two managers side by side, and a
ranking that does not chase noise. The report's "tests" block is :func:`comparison_tests`.

Design (methods and published checks: ``/work/shared/notes/statistics.md``; numbers in ``tests/``):

* Each manager is compared with the rest of the team (everyone else pooled), not with every other manager:
  k tests instead of k(k−1)/2. p-values are adjusted across the managers of one KPI, Holm (1979) by
  default (family-wise error, for decisions about people) or Benjamini–Hochberg (``adjust="bh"``, FDR, for
  screening); with two managers both rows are one comparison and are not adjusted. An omnibus test
  (are all managers alike?) is reported beside, not used as a gate.
* ``verdict`` ∈ {"above", "below", "no_difference", "not_enough_data"}. "above"/"below" only when the
  adjusted p < α, the direction taken from the estimate vs the rest. Below ``min_n`` (counted in the KPI's
  own unit: leads, won deals, working days, customers, months) the verdict is "not_enough_data" — but the
  p-values and their adjustment are computed over every manager with data, so ``min_n`` changes verdicts,
  never numbers. ``n_needed``: the n (same unit) that would give 80% power at α to detect the observed
  difference; for "not_enough_data" rows at least ``min_n``.
* Tests are descriptive: leads are not assigned at random (use :func:`within_source` for lead mix).

Every function takes long-format frames by keyword, never mutates them, and returns a :class:`Comparison`
(``summary`` DataFrame + ``omnibus`` dict) or a DataFrame. Doubtful statistics emit
:class:`~metrics.errors.StatisticalWarning`; bad input raises :class:`~metrics.errors.DataError` naming the
column.
"""
from ..lazy import lazy_exports

# name → the module that defines it, imported on first use (metrics/lazy.py)
__getattr__, __dir__, _ = lazy_exports(__name__, {
    "shared": ("VERDICTS", "Comparison", "verdicts", "adjust_vs_team", "NEGLIGIBLE_EFFECT", "negligible"),
    "proportions": ("BINARY_COLUMNS", "conversion_vs_team", "retention_vs_team", "plan_hit_share", "monthly_plan"),
    "deal_size": ("TESTS", "DEAL_COLUMNS", "deal_size_vs_team"),
    "activity": ("ACTIVITY_COLUMNS", "activity_units", "negbin_alpha", "activity_model", "activity_vs_team"),
    "funnel": ("funnel_data", "shrunk_conversion"),
    "by_source": ("within_source",),
    "pair": ("PAIR_COLUMNS", "pair_comparison"),
    "report_tests": ("comparison_tests",),
    "by_team": ("vs_own_team",),
})

# what ``from metrics.compare import *`` gives, as before the split
__all__ = ["Comparison", "VERDICTS", "verdicts", "adjust_vs_team", "NEGLIGIBLE_EFFECT", "negligible", "conversion_vs_team", "retention_vs_team",
           "plan_hit_share", "monthly_plan", "deal_size_vs_team", "activity_units", "activity_vs_team", "funnel_data",
           "shrunk_conversion", "within_source", "pair_comparison", "comparison_tests", "vs_own_team"]
