"""Cell values: dates, numbers, stages/statuses, yes/no words, activity types, months, currencies.

Everything here is column-wise. Dates and numbers are decided once per column (day-first or
month-first, decimal comma or point) from the evidence in the whole column, then parsed vectorised:
pyarrow ``strptime`` with an explicit format for the dominant shape, and a vectorised regex (RE2) for
the remaining rows (dates without time among datetimes, 2-digit years, AM/PM, ISO with zone...).
Text vocabularies (stages, yes/no, types) are mapped on the column's distinct values only.

This module keeps stages/statuses, yes/no words, activity types, months and blank managers; the rest
lives in sibling modules and is re-exported here: :mod:`.cells` (arrow and cell helpers), :mod:`.notes`
(notes and their warning templates), :mod:`.dates` (dates) and :mod:`.numbers` (amounts, currencies).
"""
from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import vocab
# the value readers live in sibling modules; re-exported here so ``values.X`` keeps working
from .cells import in_halves, map_unique, norm_value, one_chunk, pool, sample_idx, stripped, to_arrow  # noqa: F401
from .dates import (DAY_FIRST, EXCEL_DATE, EXCEL_SERIAL, FAR_FUTURE_DAYS, ISO, MONTH_FIRST,  # noqa: F401
                    NO_DATE_MARKERS, DateParse, looks_like_dates, month_number, order_evidence, parse_dates)
from .notes import NOTE_TEMPLATES, Note, report_notes  # noqa: F401
from .numbers import (EXCEL_ERRORS, MAX_AMOUNT, NumberParse, currencies, looks_like_numbers,  # noqa: F401
                      normalize_currency, parse_numbers)

# --------------------------------------------------------------------------------------------------
# Stages, statuses, yes/no, activity types
# --------------------------------------------------------------------------------------------------
_WON = {norm_value(x) for x in vocab.WON_STAGES}
_LOST = {norm_value(x) for x in vocab.LOST_STAGES}
_OPEN = {norm_value(x) for x in vocab.OPEN_STAGES}
_DELETED = {norm_value(x) for x in vocab.DELETED_STATUSES}


def classify_stage(value: object, user: dict[str, str] | None = None) -> str | None:
    """won / lost / open / deleted for a stage or status name; None if unknown."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    t = norm_value(value)
    if not t:
        return None
    if user and t in user:
        return user[t]
    if t in _WON:
        return "won"
    if t in _LOST:
        return "lost"
    if t in _OPEN:
        return "open"
    if t in _DELETED:
        return "deleted"
    if vocab.LOST_KEYWORDS.search(t):
        return "lost"
    if vocab.WON_KEYWORDS.search(t):
        return "won"
    return None


def classify_stages(s: pd.Series, user: dict[str, str] | None = None) -> pd.Series:
    """Column-wise :func:`classify_stage` (on distinct values); unknown/empty → None."""
    return map_unique(s, lambda v: classify_stage(v, user))


_YES = {norm_value(x) for x in vocab.YES_WORDS}
_NO = {norm_value(x) for x in vocab.NO_WORDS}


def yes_no(value: object) -> bool | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return bool(value)
    t = norm_value(value)
    if t in _YES or str(value).strip() in vocab.YES_WORDS:
        return True
    if t in _NO or str(value).strip() in vocab.NO_WORDS:
        return False
    return None


def parse_yes_no(s: pd.Series) -> pd.Series:
    """True / False / None per cell (None for empty or unknown words)."""
    return map_unique(s, yes_no)


def yes_no_flags(s: pd.Series, missing: bool) -> np.ndarray:
    """Booleans per cell: yes → True, no → False, empty or unknown words → ``missing``."""
    def flag(v: object) -> bool:
        got = yes_no(v)
        return missing if got is None else got
    return map_unique(s, flag, fill=missing, dtype=bool).to_numpy()


def looks_like_yes_no(s: pd.Series, threshold: float = 0.9) -> bool:
    sample = s.iloc[sample_idx(len(s), 300)]
    txt = sample.astype(object).where(sample.notna(), None)
    filled = txt.map(lambda v: v is not None and str(v).strip() != "")
    if not filled.any():
        return True
    got = parse_yes_no(txt[filled])
    return got.notna().mean() >= threshold


def activity_type(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "other"
    t = norm_value(value)
    if t in ("call", "meeting", "email", "task", "other"):
        return t
    for prefix, kind in vocab.ACTIVITY_TYPE_WORDS:
        if prefix in t:
            return kind
    return "other"


def activity_types(s: pd.Series) -> pd.Series:
    return map_unique(s, activity_type, fill="other")


# --------------------------------------------------------------------------------------------------
# Months (plan headers and plan month cells)
# --------------------------------------------------------------------------------------------------
_PLAN_WORDS = re.compile(r"(?i)\b(plan|план|target|quota|goal|цель|ціль|month|месяц|місяць|на)\b[:\s\-]*")


def month_of(value: object) -> str | None:
    """'YYYY-MM' for a month header or cell: 2025-01, 2025/1, 01.2025, 1/2025, Jan 2025, January 2025,
    Январь 2025, янв. 2025, Січень 2025, Jan-25, a real date, or an ISO date; None otherwise."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, (_dt.datetime, _dt.date, pd.Timestamp)):
        return f"{value.year:04d}-{value.month:02d}"
    t = str(value).strip().lower().replace("ё", "е")
    t = _PLAN_WORDS.sub(" ", t).strip(" .,:;()")
    t = re.sub(r"\s+г\.?$|\s+р\.?$|\s+year$", "", t).strip()
    m = re.fullmatch(r"(\d{4})[-./ ](\d{1,2})(?:[-./ ]\d{1,2})?(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?", t)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
    else:
        m = re.fullmatch(r"(\d{1,2})[-./ ](\d{4})", t)
        if m:
            mo, y = int(m.group(1)), int(m.group(2))
        else:
            m = re.fullmatch(r"([^\W\d_]+)\.?[\s\-'’/,]*(\d{4}|\d{2})", t) or None
            if m:
                mon, yy = m.group(1), m.group(2)
            else:
                m = re.fullmatch(r"(\d{4})[\s\-/,]*([^\W\d_]+)\.?", t)
                if not m:
                    return None
                yy, mon = m.group(1), m.group(2)
            mo_f = month_number(mon)
            if np.isnan(mo_f) or len(mon) < 3:
                return None
            mo, y = int(mo_f), int(yy)
            if y < 100:
                y += 2000
    if not (1 <= mo <= 12 and 1900 <= y <= 2200):
        return None
    return f"{y:04d}-{mo:02d}"


def parse_months(s: pd.Series) -> pd.Series:
    return map_unique(s, month_of)


#: manager cells that are not a name: Excel errors and "no value" words (counted as blank managers)
NO_MANAGER = frozenset({*EXCEL_ERRORS, "n/a", "na", "none", "null", "nan", "-", "—", "–", "#н/д", "(blank)",
                        "(пусто)", "не назначен", "не призначено"})
_NO_MANAGER_SET = pa.array(sorted({v for m in NO_MANAGER for v in (m, m.upper(), m.title(), m.capitalize())}),
                           type=pa.string())


def no_manager(arr: pa.Array, codes: pa.DictionaryArray | None = None) -> np.ndarray:
    """Cells of a (trimmed, empty → null) manager column that name nobody: empty or only spaces, an Excel
    error (``#N/A``), a formula without a value (``=VLOOKUP(…)``) or a "no value" word (:data:`NO_MANAGER`).
    ``codes``: the column's dictionary encoding, when known (then only its distinct values are tested)."""
    if codes is not None:
        words = codes.dictionary
        hit = pc.or_kleene(pc.is_in(words, value_set=_NO_MANAGER_SET), pc.starts_with(words, "="))
        return pc.fill_null(pc.take(hit, codes.indices), True).to_numpy(zero_copy_only=False)
    hit = pc.or_kleene(arr.is_null(), pc.is_in(arr, value_set=_NO_MANAGER_SET))
    hit = pc.or_kleene(hit, pc.starts_with(arr, "="))  # a formula without a saved value (XLSX)
    return pc.fill_null(hit, True).to_numpy(zero_copy_only=False)
