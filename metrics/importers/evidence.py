"""Evidence from the values: a header's score for a field is raised or lowered by what its column holds.

Header words alone mistake ``Customer ID`` for the deal id and ``Country`` for nothing. The values say more:

* a **deal / order id** is unique per row — or repeats only across the lines of one invoice (a file with
  quantity / unit price / product columns): a column that repeats in a file of one row per deal loses
  25 points;
* a **client** repeats across deals: a column unique in every row of a longer file loses 10 points;
* a **manager** has few distinct values: a column with more than half of its values distinct (over 50+
  rows) loses 40 points; one with a handful of names over many rows gains 4;
* dates must parse, amounts must be numbers (checked in :mod:`.mapping` before this).

The scores of the winner and the runner-up are kept (``Mapping.scores``); :func:`close_calls` lists the
choices that were not clearly ahead or that change the numbers a lot (deal id vs client).
"""
from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import values

SAMPLE = 20000
CLOSE = 8            # a runner-up within this many points is a close call


def _profile(col: pd.Series) -> tuple[int, int]:
    """(non-empty values, distinct values) in the first ``SAMPLE`` rows (arrow kernels, no Python loop)."""
    arr = values.to_arrow(col.head(SAMPLE))
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pc.cast(arr, pa.string()) if not pa.types.is_null(arr.type) else pa.array([], pa.string())
    t = pc.utf8_trim_whitespace(arr)
    t = pc.filter(t, pc.fill_null(pc.not_equal(t, ""), False))
    return len(t), int(pc.count_distinct(t).as_py())


def adjust(fld: str, col: pd.Series, score: int, *, lines: bool) -> int:
    """The header score of ``fld`` corrected by the column's values (see the module's rules)."""
    if fld not in ("deal_id", "client", "manager", "activity_id"):
        return score
    n, distinct = _profile(col)
    if n < 5:
        return score
    if fld in ("deal_id", "activity_id"):
        if distinct < n and not lines:
            return score - 25
        return score
    if fld == "client":
        return score - 10 if distinct == n and n >= 30 else score
    if distinct > 0.5 * n and n >= 50:
        return score - 40
    if n >= 50 and distinct <= max(3, n // 20):
        return score + 4
    return score


def flip(file: str, fld: str, header: str) -> str:
    """The exact CLI option that assigns ``header`` to ``fld`` in this file only."""
    return f'--map "{file}:{fld}={header}"'


def close_calls(file: str, mapping: dict[str, str], scores: dict[str, list[tuple[int, str]]],
                forced: set[str], frame: pd.DataFrame) -> list[dict]:
    """Choices to confirm: {field, column, runner_up, flip, code, params}.

    * ``close_call``: the runner-up for deal id, client, manager, amount or creation date is within
      ``CLOSE`` points of the winner (and not used by another field);
    * ``client_or_id``: the client is an id-like column and there is no deal id — the rows would be one
      deal each; if that column is really the order number, the numbers change completely;
    * ``id_repeats``: the deal id repeats and its rows were read as the lines of one deal.
    """
    out = []
    used = set(mapping.values())
    for fld in ("deal_id", "client", "manager", "amount", "created_at", "at"):
        h = mapping.get(fld)
        lst = scores.get(fld, [])
        if h is None or fld in forced or not lst:
            continue
        top = next((s for s, hh in lst if hh == h), None)
        runner = next(((s, hh) for s, hh in lst if hh != h and hh not in used), None)
        if top is not None and runner is not None and top - runner[0] < CLOSE:
            out.append({"code": "close_call", "field": fld, "column": h, "runner_up": runner[1],
                        "flip": flip(file, fld, runner[1])})
    c = mapping.get("client")
    if c and "client" not in forced and "deal_id" not in mapping:
        low = c.lower().replace("_", " ")
        if low.endswith(("id", " no", "number", "code", "key", "#")):
            n, distinct = _profile(frame[c])
            out.append({"code": "client_or_id", "field": "client", "column": c, "runner_up": None,
                        "flip": flip(file, "deal_id", c), "clients": distinct, "rows": n})
    return out

