"""Number columns: amounts with decimal comma or point decided once per column, thousands separators,
currency signs/codes, accounting negatives and scientific notation; currencies normalised."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import vocab
from .cells import Cells, in_halves, number_cells, map_unique, norm_value, sample_idx, stripped, to_arrow
from .notes import Note, make_notes

# --------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------
@dataclass
class NumberParse:
    values: pd.Series            # float64, NaN where empty or unparsable
    bad: np.ndarray              # non-empty cells that are not numbers
    currency: pd.Series | None   # currency code found in the cell ("USD 1,200.50"), else None
    decimal: str = "."
    example: str | None = None
    notes: list[Note] = field(default_factory=list)  # decimal conflicts, out of range, #N/A, formulas


_CLEAN_NUMBER = r"^-?\d+(\.\d+)?$"
_SCIENTIFIC = r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d{1,4}$"
#: an amount beyond this (in absolute value) is reported as out of range (``amount_out_of_range``), not
#: summed: no real deal is worth 10^15, and 1e300 would turn every total into inf
MAX_AMOUNT = 1e15
#: Excel's error values (a cell whose formula failed); counted (``excel_errors``), never read as 0
EXCEL_ERRORS = ("#N/A", "#N/A!", "#NA", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!",
                "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#UNKNOWN!", "#CONNECT!", "#BUSY!")
_ERRORS_SET = pa.array(sorted({e for x in EXCEL_ERRORS for e in (x, x.lower())}), type=pa.string())
# separators as grouping: 1,234,567.89 / 1.234.567,89 / Indian 1,23,45,678.00
_DOT_DECIMAL_OK = r"^(\d+(\.\d+)?|\.\d+|\d{1,3}(,\d{3})+(\.\d+)?|\d{1,2}(,\d{2})*,\d{3}(\.\d+)?)$"
_COMMA_DECIMAL_OK = r"^(\d+(,\d+)?|,\d+|\d{1,3}(\.\d{3})+(,\d+)?)$"


def parse_numbers(s: pd.Series) -> NumberParse:
    """Amounts with decimal comma or point, thousands separators (space, NBSP, thin space, comma, dot,
    apostrophe), currency signs/codes, minus signs or accounting parentheses, scientific notation
    (``1.5E+06``).

    The decimal separator is decided once per column from the evidence (cells whose shape proves a
    decimal comma — ``99,5``, ``1.234,56``, ``1.234.567`` — against those proving a decimal point); a cell
    that contradicts the decision (``1234.56`` in a decimal-comma column, ``$1,234.56`` among
    ``1.234,56``) is not reinterpreted but left out and reported (note ``decimal_conflict``). Values
    beyond ±:data:`MAX_AMOUNT` (``1e300``) are left out (``amount_out_of_range``); Excel error values
    (``#N/A``) and formulas without a value are counted (``excel_errors``, ``formula_cells``)."""
    res = _parse_numbers(s)
    x = res.values.to_numpy(dtype="float64")
    huge = ~np.isnan(x) & ~(np.abs(x) <= MAX_AMOUNT)
    if huge.any():
        x = np.where(huge, np.nan, x)
        res.values = pd.Series(x)
        res.bad = res.bad & ~huge
        res.notes.append(Note("amount_out_of_range", huge, Cells(s), {"limit": f"{MAX_AMOUNT:.0e}"}))
    return res


def _parse_numbers(s: pd.Series) -> NumberParse:
    n = len(s)
    if pd.api.types.is_bool_dtype(s.dtype):
        s = s.astype(object)
    if pd.api.types.is_numeric_dtype(s.dtype):
        return NumberParse(pd.to_numeric(s, errors="coerce").astype("float64").reset_index(drop=True),
                           np.zeros(n, bool), None)
    if pd.api.types.is_object_dtype(s.dtype):
        isnum = pd.Series(number_cells(s), index=s.index)
        if isnum.all():
            return NumberParse(pd.to_numeric(s, errors="coerce").astype("float64").reset_index(drop=True),
                               np.zeros(n, bool), None)
        if isnum.any():
            out = np.full(n, np.nan)
            out[isnum.to_numpy()] = pd.to_numeric(s[isnum], errors="coerce").to_numpy(dtype="float64")
            rest = _parse_numbers(s[~isnum].astype(object).reset_index(drop=True))
            out[~isnum.to_numpy()] = rest.values.to_numpy()
            bad = np.zeros(n, bool)
            bad[~isnum.to_numpy()] = rest.bad
            cur = None
            if rest.currency is not None:
                cur = pd.Series([None] * n, dtype=object)
                cur[~isnum.to_numpy()] = rest.currency.to_numpy()
            notes = []
            for note in rest.notes:  # back to the whole column's rows
                mask = np.zeros(n, bool)
                mask[~isnum.to_numpy()] = note.mask
                notes.append(Note(note.code, mask, Cells(s), note.params))
            return NumberParse(pd.Series(out), bad, cur, rest.decimal, rest.example, notes)
    arr = to_arrow(s)
    txt, empty = stripped(arr)
    null = pa.scalar(None, pa.string())
    def all_match(pattern: str) -> bool:
        """Does every non-empty cell match? Tried on the first cells before the whole column."""
        head = txt.slice(0, 2000)
        if not pc.all(pc.or_(pc.match_substring_regex(head, pattern), pc.equal(head, ""))).as_py():
            return False
        hit = in_halves(lambda a: pc.match_substring_regex(a, pattern), txt).to_numpy(zero_copy_only=False)
        return bool((hit | empty).all())

    if all_match(_CLEAN_NUMBER):
        vals = pc.cast(pc.if_else(pa.array(empty), null, txt), pa.float64())
        return NumberParse(pd.Series(vals.to_numpy(zero_copy_only=False)), np.zeros(n, bool), None)
    # plain decimal comma with one or two decimals ("73160,82", "-5,5"): unambiguous
    if all_match(r"^-?\d+(,\d{1,2})?$"):
        vals = pc.cast(pc.if_else(pa.array(empty), null, pc.replace_substring(txt, ",", ".")), pa.float64())
        return NumberParse(pd.Series(vals.to_numpy(zero_copy_only=False)), np.zeros(n, bool), None, ",")

    def mask(a: pa.Array) -> np.ndarray:
        return pc.fill_null(a, False).to_numpy(zero_copy_only=False)

    sci = mask(pc.match_substring_regex(txt, _SCIENTIFIC))
    errors = mask(pc.is_in(txt, value_set=_ERRORS_SET))
    formulas = mask(pc.starts_with(txt, "="))
    currency = None
    has_other = pc.match_substring_regex(txt, r"[^0-9.,\s\-+()'’" + "\u00a0\u2009\u202f" + "]").to_numpy(zero_copy_only=False)
    if has_other.any():
        cur = pc.extract_regex(txt, "(?i)(?P<c>" + vocab.CURRENCY_PATTERN + ")")
        codes = pd.Series(cur.field("c").to_numpy(zero_copy_only=False)).where(
            cur.is_valid().to_numpy(zero_copy_only=False) & ~sci, None)
        if codes.notna().any():
            currency = map_unique(codes, lambda c: normalize_currency(c))
        txt = pc.replace_substring_regex(txt, vocab.CURRENCY_IN_CELL.pattern, "")
    body = pc.replace_substring_regex(txt, r"[^0-9.,\-()]", "")
    neg = pc.or_(pc.or_(pc.starts_with(body, "-"), pc.starts_with(body, "(")), pc.ends_with(body, "-"))
    body = pc.replace_substring_regex(body, r"[\-()]", "")

    # the column's decimal separator, from the cells whose shape proves one
    has_comma = mask(pc.match_substring(body, ","))
    has_dot = mask(pc.match_substring(body, "."))
    both = has_comma & has_dot
    comma_last = mask(pc.match_substring_regex(body, r",\d*$"))
    multi_comma = mask(pc.match_substring_regex(body, r",.*,"))
    multi_dot = mask(pc.match_substring_regex(body, r"\..*\."))
    group_comma = mask(pc.match_substring_regex(body, r"^\d{1,3}(,\d{3})+$"))
    group_dot = mask(pc.match_substring_regex(body, r"^\d{1,3}(\.\d{3})+$"))
    only_comma, only_dot = has_comma & ~has_dot, has_dot & ~has_comma
    proves_comma = ((both & comma_last) | (only_comma & ~group_comma & ~multi_comma)
                    | (only_dot & multi_dot & group_dot)) & ~sci
    proves_dot = ((both & ~comma_last) | (only_dot & ~group_dot & ~multi_dot)
                  | (only_comma & multi_comma & group_comma)) & ~sci
    n_comma, n_dot = int(proves_comma.sum()), int(proves_dot.sum())
    decimal = "," if n_comma and n_comma >= n_dot else "."
    shaped = pc.match_substring_regex(body, _COMMA_DECIMAL_OK if decimal == "," else _DOT_DECIMAL_OK)
    conflict = ~mask(shaped) & (has_comma | has_dot) & ~sci & ~empty
    if decimal == ",":
        body = pc.replace_substring(body, ".", "")
        body = pc.replace_substring(body, ",", ".")
    else:
        body = pc.replace_substring(body, ",", "")
    valid = pc.match_substring_regex(body, r"^(\d+\.?\d*|\.\d+)$")
    vals = pc.cast(pc.if_else(valid, body, pa.scalar(None, pa.string())), pa.float64())
    out = vals.to_numpy(zero_copy_only=False)
    out = np.where(neg.to_numpy(zero_copy_only=False), -out, out)
    out = np.where(conflict | errors | formulas, np.nan, out)
    if sci.any():  # 1.5E+06 → 1500000 (read as written, not stripped to its digits)
        rows = np.flatnonzero(sci)
        out[rows] = pc.cast(stripped(arr)[0].take(pa.array(rows)), pa.float64()).to_numpy(zero_copy_only=False)
    bad = np.isnan(out) & ~empty & ~conflict & ~errors & ~formulas
    example = to_arrow(s)[int(np.flatnonzero(bad)[0])].as_py() if bad.any() else None
    notes = make_notes(arr, ("decimal_conflict", conflict, {"decimal": decimal}), ("excel_errors", errors, {}),
                   ("formula_cells", formulas, {}))
    return NumberParse(pd.Series(out.astype("float64")), bad, currency, decimal, example, notes)


def looks_like_numbers(s: pd.Series, threshold: float = 0.8) -> bool:
    sample = s.iloc[sample_idx(len(s), 300)].reset_index(drop=True)
    res = parse_numbers(sample)
    filled = res.values.notna().sum()
    total = filled + res.bad.sum()
    return total == 0 or filled / total >= threshold


def normalize_currency(v: object) -> str | None:
    """'₴' / 'грн.' / 'Гривна' / 'uah' → 'UAH'; unknown 3-letter codes kept upper-cased."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    t = norm_value(v) if str(v).strip() not in ("$", "₴", "€", "₽", "£") else str(v).strip()
    if not t:
        return None
    if t in vocab.CURRENCY_WORDS:
        return vocab.CURRENCY_WORDS[t]
    t2 = t.rstrip(".")
    if t2 in vocab.CURRENCY_WORDS:
        return vocab.CURRENCY_WORDS[t2]
    if re.fullmatch(r"[a-z]{3}", t):
        return t.upper()
    for word, code in vocab.CURRENCY_WORDS.items():
        if len(word) > 3 and t.startswith(word):
            return code
    return str(v).strip()


def currencies(s: pd.Series) -> pd.Series:
    return map_unique(s, normalize_currency)
