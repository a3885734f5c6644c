"""Customer cohorts, retention and time to repeat purchase (pure pandas/numpy/scipy/statsmodels).

Definitions (docs: ``/work/shared/notes/statistics.md`` §1e and §3)
---------------------------------------------------------------------
* A **purchase** is a won deal at its close date (``closed_at``); the customer is the ``client``. A won
  deal without a client (empty ``client``) is revenue but no customer: it is not a purchase here (no
  cohort, no retention, no time to repeat).
* Periods are ISO weeks (Monday–Sunday, label ``"2025-W03"``), calendar months (``"2025-01"``) or
  calendar quarters (``"2025Q1"``); ``freq`` is ``"week" | "month" | "quarter"``.
* A customer's **cohort** c is the period of the first purchase. The customer belongs to the manager
  of that first purchase (``owner="first"``) or of the latest purchase up to ``end``
  (``owner="latest"``). Ties at the same timestamp go to the manager whose name sorts first
  (``"first"``) or last (``"latest"``).
* ``end`` (a date, default: the day of the latest purchase) is when the data stops. Purchases after
  ``end`` are ignored. The **last complete period** T is the last period whose last day ≤ ``end``; the
  period containing ``end`` is complete only if ``end`` is its last day.
* Cohort tables use purchases in periods ≤ T only and show cohorts c ≤ T and cells c + k ≤ T:

  - classic R_c(k) = |{i ∈ c : i buys in period c + k}| / N_c
  - rolling U_c(k) = |{i ∈ c : last purchase period (≤ T) ≥ c + k}| / N_c
  - pooled(k) = Σ_{c: c+k ≤ T} retained_c(k) / Σ_{c: c+k ≤ T} N_c  (size-weighted, Amplitude style)

* **Time to repeat** (``unit="period"``): periods from the cohort to the first *later period* with a
  purchase (a second deal in the same period is not a return: k = 0 is the cohort period), censored at
  T − c. ``unit="day"``: days from the first purchase day to the first purchase on a later day,
  censored at ``end``, over every customer whose first purchase is ≤ ``end``.
* Kaplan–Meier Ŝ(t) = Π_{t_j ≤ t} (1 − d_j / n_j) with Greenwood SE; 1 − Ŝ(k) = P(repeat within k).

Public API
----------
``purchases(*, deals)`` → [client, manager, at, amount, source]
``cohort_table(*, purchases, freq, kind, owner, by, end, managers, source)``
    → [manager, cohort, cohort_start, size, period_index, retained, rate]
``pooled_curve(*, table)`` → [manager, period_index, cohorts, size, retained, rate]
``time_to_repeat(*, purchases, freq, unit, owner, end)`` → [client, manager, cohort, duration, event]
``kaplan_meier(*, data, duration, event, group, alpha, ci)`` → :class:`KMResult`
    ``.summary`` [group, time, at_risk, events, survival, se, ci_low, ci_high],
    ``.median`` [group, median, n, events]
``logrank(*, data, duration, event, group)`` → [test, statistic, dof, p_value, groups]
``period_retention(*, purchases, base, target, by, owner)``
    → [manager, base_customers, target_customers, new_customers, retained, reactivated,
       crr_naive, retention]
``cohort_retention_report(deals, freq="month", end=None)`` → list of plain dicts (CLI contract)

In every output the ``manager`` value ``None`` means the whole team (``by="team"``). No function
mutates its input; everything is vectorised over customers (one sort, one grouped pass).
"""
from ..lazy import lazy_exports

# name → the module that defines it, imported on first use (metrics/lazy.py)
__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "common": ("Freq", "FREQS", "KINDS", "OWNERS", "BYS", "UNITS", "CI_METHODS", "day_to_period", "period_labels"),
    "purchase_data": ("PURCHASE_COLUMNS", "purchases", "customers"),
    "tables": ("TABLE_COLUMNS", "POOLED_COLUMNS", "cohort_table", "pooled_curve"),
    "survival": (
        "REPEAT_COLUMNS", "KM_COLUMNS", "MEDIAN_COLUMNS", "LOGRANK_COLUMNS", "MIN_KM_SUBJECTS", "MIN_KM_EVENTS",
        "MIN_EXPECTED_EVENTS", "time_to_repeat", "KMResult", "kaplan_meier", "logrank"
    ),
    "retention": ("PERIOD_RETENTION_COLUMNS", "period_retention", "cohort_retention_report"),
})
