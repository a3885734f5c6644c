"""The five KPIs of the source article, per manager and for the team — the contract.

A period P is an inclusive range of dates; timestamps compare by their date (see ``metrics.periods``).

1. Conversion: ``leads`` = deals created in P; ``won_of_leads`` = those of them whose status is won
   (whenever they closed); ``conversion = won_of_leads / leads`` with a 95% Wilson interval.
2. Average deal size: ``won`` = deals with status won and closed in P; ``revenue`` = their total amount;
   ``avg_deal = revenue / won``.
3. Activity: ``activities`` = done activities of type call or meeting in P, split into ``calls`` and
   ``meetings``; per working day (of the chosen calendar, ``metrics.calendars``; in the part of P the data
   covers) in ``*_per_day`` (null when no activities were loaded;
   for the team row per manager: divided also by the number of managers with an activity in P).
4. Plan fulfilment: ``target`` = Σ over months of the month's target × (days of that month inside P / days
   in the month), P cut at the data's end when it runs past it; ``plan_fulfillment = revenue / target``.
5. Customer retention: ``customers_prev`` = clients with a won deal closed in the previous window, each
   attributed to the manager of their last such deal; ``customers_retained`` = those of them with a won
   deal closed in P (with any manager); ``retention_rate = customers_retained / customers_prev``.
   A deal without a client (empty ``client``, e.g. an invoice without a customer id) counts in 1, 2 and 4
   (leads, won, revenue, average deal, fulfilment) and never as a customer here.

Every ratio with a zero denominator is null (NaN), never 0 and never an error. The team row applies the
same formulas to all deals (team target = sum of the managers' targets). A manager is listed when they
have a lead, a won deal, an activity or a target in P, or a customer in the previous window.
"""
from ..lazy import lazy_exports

# name → the module that defines it, imported on first use (metrics/lazy.py)
__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "period_rows": ("period_leads", "period_won", "period_activities", "retention_customers", "period_targets",
                    "shared_period_rows"),
    "scorecard": (
        "KPI_COLUMNS", "EXTRA_COLUMNS", "COUNT_COLUMNS", "LIGHT_KPIS", "Scorecard", "Aggregates",
        "kpi_aggregates", "scorecard_from", "compute_kpis", "changes", "DEFAULT_THRESHOLDS", "RELATIVE_TO_TEAM",
        "traffic_lights", "LIGHT_SAMPLE", "data_covered_end"
    ),
    "monthly": ("monthly_aggregates", "monthly_kpis", "monthly_table", "last_months"),
})
