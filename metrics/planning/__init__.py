"""Plans, targets, thresholds and what-if scenarios (pure pandas/numpy/scipy; no streamlit).

Everything here takes canonical frames (``metrics.schema``) by keyword, never mutates them and returns
tidy frames with fixed columns. Bad arguments raise :class:`~metrics.errors.DataError` naming the argument
or column; doubtful statistics emit :class:`~metrics.errors.StatisticalWarning`.

Months are ``"YYYY-MM"`` strings. Revenue of a month = total amount of won deals whose ``closed_at`` falls in
that month (the KPI contract, ``metrics.kpi``). A manager is *active* from the month of their first lead
(earliest ``created_at``, or ``closed_at`` if earlier) in the data.

Public API
----------
Target rules — each returns a plans frame [manager, month, target] (managers × months, sorted):

``rule_same(*, managers, months, target)``
``rule_growth(*, deals, managers, months, growth)``
``rule_percentile(*, deals, managers, months, q=0.75, history_months=12, before=None)``
``rule_split(*, deals, managers, months, team_target, history_months=12, before=None)``
``ramp_up(*, plans, starts, steps=(0.4, 0.6, 0.8, 1.0), base=None)``
``new_managers(*, deals, months, lookback=3)`` → {manager: first-lead month}
``missing_targets(*, plans)`` → [manager, month] cells with a NaN target (to ramp them)
``monthly_revenue(*, deals)`` → [manager, month, revenue]

Targets on other KPIs: :class:`KpiTargets`, ``kpi_target_table(*, scorecard, targets)``
    → [manager, kpi, value, target, attainment, met]

Run-rate forecast: ``forecast(*, deals, period, as_of, plans=None, activities=None, holidays="none",
alpha=0.05, default_target=None, overrides=None, band="daily")`` → FORECAST_COLUMNS;
``working_days(*, start, end, holidays="none")``, ``ua_holidays(year)``, ``orthodox_easter(year)``.

Composite score: ``composite_score(*, scorecard, weights, thresholds=None, n_sim=2000, seed=0, won=None,
alpha=0.05)`` → [manager, score, rank, rank_low, rank_high, <kpi>_score ×5]; ``normalize_weights(weights)``.

Backtest: ``backtest(*, deals, plans, months, thresholds=(1.0, 0.8), shift=0)``
    → [manager, month, revenue, target, fulfillment, light];
``backtest_summary(frame)`` → [manager, months, median_fulfillment, share_green, share_amber, share_red];
``whatif(*, deals, targets, months, thresholds)`` → (backtest, summary): the Plan page's what-if.

Scenarios: :class:`Scenario`, ``scenario_to_json``, ``scenario_from_json`` (tolerant: returns the scenario and
the list of problems), ``dataset_fingerprint(*, deals)``, ``compare_scenarios(a, b)`` → [setting, a, b],
``scenario_plans(s)``, ``scenario_period(s)``, ``plan_grid_from_frame(plans)``.
"""
from ..lazy import lazy_exports

# name → the module that defines it, imported on first use (metrics/lazy.py)
__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "checks": ("PLAN_COLUMNS",),
    "rules": (
        "monthly_revenue", "rule_same", "rule_growth", "rule_percentile", "rule_split", "missing_targets",
        "new_managers", "ramp_up"
    ),
    "kpi_targets": ("KPI_TARGET_KPIS", "RATE_KPIS", "KPI_TARGET_COLUMNS", "KpiTargets", "kpi_target_table"),
    "forecasting": (
        "FORECAST_COLUMNS", "HOLIDAY_CALENDARS", "BANDS", "MIN_FORECAST_DAYS", "orthodox_easter", "ua_holidays",
        "working_days", "forecast"
    ),
    "score": ("COMPOSITE_KPIS", "COMPOSITE_COLUMNS", "SCORE_CAP", "normalize_weights", "composite_score"),
    "backtesting": ("BACKTEST_COLUMNS", "SUMMARY_COLUMNS", "backtest", "backtest_summary", "whatif"),
    "scenario": (
        "COMPARE_COLUMNS", "TEAM_KEY", "SCENARIO_VERSION", "LANGUAGES", "PERIOD_KINDS", "THRESHOLD_MODES",
        "STAGE_VALUES", "ADJUST_VALUES", "Scenario", "dataset_fingerprint", "scenario_to_json",
        "scenario_period", "plan_grid_from_frame", "scenario_plans", "scenario_from_json", "compare_scenarios",
        "apply_plan_edits"
    ),
})
