"""The DuckDB reference: the same read, parsing, stage → status mapping and five KPI aggregates in SQL.

DuckDB is a dev-only dependency of the benchmark (``duckdb==2.0.1``); the app never imports it.

What the SQL does, to match the KPI contract of :mod:`metrics.kpi` (and what ``metrics.importers`` /
``metrics.schema`` produce from the generated files):

* **read + standardise** — ``read_csv(..., all_varchar=true)`` then column-wise parsing into a canonical
  ``deals`` / ``activities`` / ``plans`` table: ``strptime(.., '%d.%m.%Y %H:%M:%S')`` (Bitrix) or ISO,
  ``replace(amount, ',', '.')::DOUBLE``, the Bitrix stage → won / lost / open (an unknown stage of a
  deal whose ``Сделка закрыта`` is Да counts as lost, else open), the close date of closed deals from
  ``Предполагаемая дата закрытия`` (open deals: none), the client = company, else contact, else title;
  activity types Звонок / Встреча / Письмо / Задача → call / meeting / email / task, Выполнено Нет →
  not done.
* **five KPIs for a period P** (timestamps compare by date: ``ts >= start AND ts < end + 1 day``) —
  leads / won_of_leads (created in P), won / revenue (won and closed in P), calls / meetings (done, in
  P), target = Σ plan × (days of the month in P / days in the month), customers_prev (clients with a
  won deal closed in the previous window, each attributed to the manager of their last such deal —
  ordered by close time then deal_id, like the engine's stable sort) and customers_retained (those with
  a won deal closed in P, any manager); the ratios; a manager is listed when any of these is present;
  the team row sums the managers' rows.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

from metrics.periods import Period

from .generate import ACTIVITY_TYPES, STAGES

_Q = "'{}'".format


def _lit(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _in(values) -> str:
    return "(" + ", ".join(_lit(v) for v in values) + ")"


def read_sql(dialect: str, folder: Path) -> list[str]:
    """CREATE TABLE deals / activities / plans from one dataset folder (bitrix or canonical dialect)."""
    f = Path(folder)
    plans = (f"CREATE OR REPLACE TABLE plans AS SELECT trim(manager) AS manager, trim(month) AS month, "
             f"coalesce(target::DOUBLE, 0) AS target FROM read_csv({_lit(str(f / 'plans.csv'))}, delim=',', "
             f"quote='\"', escape='\"', header=true, all_varchar=true)")
    if dialect == "bitrix":
        csv = "delim=';', quote='\"', escape='\"', header=true, all_varchar=true"
        stage = 'trim("Стадия сделки")'
        status = (f"CASE WHEN {stage} IN {_in(STAGES['won'])} THEN 'won' "
                  f"WHEN {stage} IN {_in(STAGES['lost'])} THEN 'lost' "
                  f"WHEN {stage} IN {_in(STAGES['open'])} THEN 'open' "
                  f"WHEN trim(\"Сделка закрыта\") = 'Да' THEN 'lost' ELSE 'open' END")
        deals = (
            "CREATE OR REPLACE TABLE deals AS "
            "SELECT deal_id, manager, client, created_at, status, "
            "CASE WHEN status <> 'open' THEN strptime(close_day, '%d.%m.%Y') END AS closed_at, "
            "amount, source, currency FROM ("
            f"SELECT trim(\"ID\") AS deal_id, trim(\"Ответственный\") AS manager, "
            "coalesce(nullif(trim(\"Компания\"), ''), nullif(trim(\"Контакт\"), ''), "
            "nullif(trim(\"Название сделки\"), '')) AS client, "
            "strptime(trim(\"Дата создания\"), '%d.%m.%Y %H:%M:%S') AS created_at, "
            f"{status} AS status, trim(\"Предполагаемая дата закрытия\") AS close_day, "
            "coalesce(replace(trim(\"Сумма\"), ',', '.')::DOUBLE, 0) AS amount, "
            "nullif(trim(\"Источник\"), '') AS source, "
            "CASE trim(\"Валюта\") WHEN 'Российский рубль' THEN 'RUB' WHEN 'Доллар США' THEN 'USD' "
            "WHEN 'Евро' THEN 'EUR' ELSE nullif(trim(\"Валюта\"), '') END AS currency "
            f"FROM read_csv({_lit(str(f / 'deals.csv'))}, {csv}))")
        types = " ".join(f"WHEN {_lit(ru)} THEN {_lit(en)}" for en, ru in ACTIVITY_TYPES.items())
        acts = (
            "CREATE OR REPLACE TABLE activities AS "
            "SELECT trim(\"ID\") AS activity_id, trim(\"Ответственный\") AS manager, "
            f"CASE trim(\"Тип дела\") {types} ELSE 'other' END AS type, "
            "strptime(trim(\"Дата начала\"), '%d.%m.%Y %H:%M:%S') AS \"at\", "
            "coalesce(trim(\"Выполнено\"), '') <> 'Нет' AS done "
            f"FROM read_csv({_lit(str(f / 'activities.csv'))}, {csv})")
    elif dialect == "canonical":
        csv = "delim=',', quote='\"', escape='\"', header=true, all_varchar=true"
        deals = (
            "CREATE OR REPLACE TABLE deals AS "
            "SELECT trim(deal_id) AS deal_id, trim(manager) AS manager, trim(client) AS client, "
            "strptime(trim(created_at), '%Y-%m-%d %H:%M:%S') AS created_at, lower(trim(status)) AS status, "
            "CASE WHEN lower(trim(status)) <> 'open' "
            "THEN strptime(nullif(trim(closed_at), ''), '%Y-%m-%d %H:%M:%S') END AS closed_at, "
            "coalesce(nullif(trim(amount), '')::DOUBLE, 0) AS amount, nullif(trim(source), '') AS source, "
            "nullif(trim(currency), '') AS currency "
            f"FROM read_csv({_lit(str(f / 'deals.csv'))}, {csv})")
        acts = (
            "CREATE OR REPLACE TABLE activities AS "
            "SELECT trim(activity_id) AS activity_id, trim(manager) AS manager, lower(trim(type)) AS type, "
            "strptime(trim(\"at\"), '%Y-%m-%d %H:%M:%S') AS \"at\", "
            "lower(coalesce(trim(done), '')) NOT IN ('false', 'no', '0', 'n', 'f', '0.0') AS done "
            f"FROM read_csv({_lit(str(f / 'activities.csv'))}, {csv})")
    else:
        raise ValueError(f"unknown dialect {dialect!r}")
    return [deals, acts, plans]


def kpi_sql(period: Period) -> str:
    """The five KPI aggregates per manager and the team row (manager NULL), sorted by manager."""
    prev = period.previous()
    s, e = _Q(period.start.isoformat()), _Q(period.end.isoformat())
    ps, pe = _Q(prev.start.isoformat()), _Q(prev.end.isoformat())
    in_p = lambda c: f"{c} >= TIMESTAMP {s} AND {c} < TIMESTAMP {e} + INTERVAL 1 DAY"  # noqa: E731
    in_prev = lambda c: f"{c} >= TIMESTAMP {ps} AND {c} < TIMESTAMP {pe} + INTERVAL 1 DAY"  # noqa: E731
    months = period.month_overlaps()
    shares = ", ".join(f"({_lit(m)}, {float(x)!r})" for m, x in zip(months["month"], months["share"]))
    return f"""
WITH
leads AS (SELECT manager, count(*) AS leads, count(*) FILTER (WHERE status = 'won') AS won_of_leads
          FROM deals WHERE {in_p('created_at')} GROUP BY manager),
won AS (SELECT manager, count(*) AS won, sum(amount) AS revenue
        FROM deals WHERE status = 'won' AND {in_p('closed_at')} GROUP BY manager),
acts AS (SELECT manager, count(*) FILTER (WHERE type = 'call') AS calls,
                count(*) FILTER (WHERE type = 'meeting') AS meetings
         FROM activities WHERE done AND type IN ('call', 'meeting') AND {in_p('"at"')} GROUP BY manager),
months(month, share) AS (VALUES {shares}),
tgt AS (SELECT manager, sum(target * share) AS target FROM plans JOIN months USING (month) GROUP BY manager),
prev_last AS (SELECT client, manager FROM deals WHERE status = 'won' AND {in_prev('closed_at')}
              QUALIFY row_number() OVER (PARTITION BY client ORDER BY closed_at DESC, deal_id DESC) = 1),
now_clients AS (SELECT DISTINCT client FROM deals WHERE status = 'won' AND {in_p('closed_at')}),
ret AS (SELECT p.manager, count(*) AS customers_prev, count(n.client) AS customers_retained
        FROM prev_last p LEFT JOIN now_clients n ON p.client = n.client GROUP BY p.manager),
people AS (SELECT manager FROM leads UNION SELECT manager FROM won UNION SELECT manager FROM acts
           UNION SELECT manager FROM ret UNION SELECT manager FROM tgt),
m AS (
  SELECT p.manager, coalesce(l.leads, 0) AS leads, coalesce(l.won_of_leads, 0) AS won_of_leads,
         coalesce(w.won, 0) AS won, coalesce(w.revenue, 0.0) AS revenue,
         coalesce(a.calls, 0) + coalesce(a.meetings, 0) AS activities,
         coalesce(a.calls, 0) AS calls, coalesce(a.meetings, 0) AS meetings, t.target,
         coalesce(r.customers_prev, 0) AS customers_prev, coalesce(r.customers_retained, 0) AS customers_retained
  FROM people p LEFT JOIN leads l USING (manager) LEFT JOIN won w USING (manager)
       LEFT JOIN acts a USING (manager) LEFT JOIN tgt t USING (manager) LEFT JOIN ret r USING (manager)),
allrows AS (
  SELECT 0 AS team, * FROM m
  UNION ALL
  SELECT 1, NULL, sum(leads), sum(won_of_leads), sum(won), sum(revenue), sum(activities), sum(calls),
         sum(meetings), sum(target), sum(customers_prev), sum(customers_retained) FROM m)
SELECT manager, leads, won_of_leads, won_of_leads / nullif(leads, 0) AS conversion, won, revenue,
       revenue / nullif(won, 0) AS avg_deal, activities, calls, meetings, target,
       revenue / nullif(target, 0) AS plan_fulfillment, customers_prev, customers_retained,
       customers_retained / nullif(customers_prev, 0) AS retention_rate
FROM allrows ORDER BY team, manager
"""


COLUMNS = ["manager", "leads", "won_of_leads", "conversion", "won", "revenue", "avg_deal", "activities", "calls",
           "meetings", "target", "plan_fulfillment", "customers_prev", "customers_retained", "retention_rate"]


def rows_to_dicts(rows) -> list[dict]:
    return [dict(zip(COLUMNS, r)) for r in rows]


def run_inprocess(dialect: str, folder: Path, period: Period, threads: int | None = None) -> dict:
    """Run the reference in this process; returns {'read': s, 'kpis': s, 'rows': [...]} (fresh database)."""
    import time

    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    t0 = time.perf_counter()
    for stmt in read_sql(dialect, folder):
        con.execute(stmt)
    t1 = time.perf_counter()
    rows = con.execute(kpi_sql(period)).fetchall()
    t2 = time.perf_counter()
    con.close()
    return {"read": t1 - t0, "kpis": t2 - t1, "rows": rows_to_dicts(rows)}


def process_code(dialect: str, folder: Path, period: Period) -> str:
    """Source of a ``python -c`` program running the same SQL and printing the KPI rows as JSON."""
    stmts = read_sql(dialect, folder) + [kpi_sql(period)]
    return ("import duckdb, json, sys\n"
            f"stmts = {stmts!r}\n"
            "con = duckdb.connect(':memory:')\n"
            "con.execute('SET enable_progress_bar = false')\n"
            "for s in stmts[:-1]:\n    con.execute(s)\n"
            "rows = con.execute(stmts[-1]).fetchall()\n"
            "json.dump(rows, sys.stdout, ensure_ascii=False, default=float)\n")


def ours_rows(scorecard) -> list[dict]:
    """Our Scorecard in the reference's shape (managers sorted, then the team row with manager None)."""
    tab = scorecard.table()
    out = []
    for r in tab.to_dict("records"):
        out.append({c: (None if isinstance(r[c], float) and math.isnan(r[c]) else r[c]) for c in COLUMNS})
    return out


def check_equal(ours: list[dict], ref: list[dict], *, label: str) -> list[str]:
    """Differences between our KPI rows and DuckDB's (counts exact, money and ratios to 1e-9 relative)."""
    problems = []
    if [r["manager"] for r in ours] != [r["manager"] for r in ref]:
        a, b = {r["manager"] for r in ours}, {r["manager"] for r in ref}
        problems.append(f"{label}: managers differ: only ours {sorted(a - b, key=str)[:5]}, "
                        f"only DuckDB {sorted(b - a, key=str)[:5]}")
        return problems
    for o, r in zip(ours, ref):
        for c in COLUMNS[1:]:
            x, y = o[c], r[c]
            if x is None or y is None or (isinstance(x, float) and math.isnan(x)):
                same = (x is None or (isinstance(x, float) and math.isnan(x))) and \
                       (y is None or (isinstance(y, float) and math.isnan(y)))
            elif c in ("revenue", "avg_deal", "target", "conversion", "plan_fulfillment", "retention_rate"):
                same = math.isclose(float(x), float(y), rel_tol=1e-9, abs_tol=1e-6)
            else:
                same = int(x) == int(y)
            if not same:
                problems.append(f"{label}: manager {o['manager']!r} {c}: ours {x!r} vs DuckDB {y!r}")
    return problems


if __name__ == "__main__":  # python -m bench.reference DIALECT FOLDER START END → JSON rows
    import sys
    from datetime import date

    dialect, folder, start, end = sys.argv[1:5]
    res = run_inprocess(dialect, Path(folder), Period(date.fromisoformat(start), date.fromisoformat(end)))
    print(json.dumps({k: v for k, v in res.items()}, ensure_ascii=False, default=float, indent=1))
