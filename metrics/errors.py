"""Errors and warnings raised by the SalesLens engine.

``DataError`` carries a machine-readable ``code`` plus the file, column and an example row, so the UI can
translate the message and the CLI can print it in one line. Warnings follow lifelines' style: a dedicated
class for statistically doubtful input, so callers can filter or collect them.
"""
from __future__ import annotations

from typing import Any

# English templates; the UI translates the same codes (ui/i18n.py, keys "err.<code>").
MESSAGES: dict[str, str] = {
    "missing_columns": "{file}: missing required column(s): {column}",
    "bad_date": "{file}: column '{column}' has a value that is not a date: {value!r} (row {row})",
    "bad_number": "{file}: column '{column}' has a value that is not a number: {value!r} (row {row})",
    "negative_amount": "{file}: column '{column}' has a negative amount: {value!r} (row {row})",
    "bad_status": "{file}: column '{column}' has an unknown status {value!r} (row {row}); expected won, lost or open",
    "bad_type": "{file}: column '{column}' has an unknown activity type {value!r} (row {row}); expected call, meeting, email, task or other",
    "bad_bool": "{file}: column '{column}' has a value that is not true/false, yes/no or 1/0: {value!r} (row {row})",
    "bad_month": "{file}: column '{column}' has a value that is not a month (YYYY-MM): {value!r} (row {row})",
    "empty_value": "{file}: column '{column}' is empty in row {row}",
    "empty_file": "{file}: the file is empty",
    "no_rows": "{file}: the file has a header but no data rows",
    "unreadable": "{file}: the file could not be read as CSV or XLSX ({detail})",
    "unsupported_type": "{file}: unsupported file type; upload CSV or XLSX",
    "bad_period": "period: {detail}",
    "bad_argument": "{detail}",
}


class DataError(ValueError):
    """Bad input: names the file, the column and an example row.

    Attributes
    ----------
    code: key of the message (``MESSAGES`` here, ``err.<code>`` in the UI translations).
    params: ``file``, ``column``, ``row`` (1-based data row, header excluded), ``value``, ``detail``.
    """

    def __init__(self, code: str, *, file: str | None = None, column: str | None = None,
                 row: int | None = None, value: Any = None, detail: str | None = None) -> None:
        self.code = code
        self.params: dict[str, Any] = {"file": file or "input", "column": column, "row": row,
                                       "value": value, "detail": detail}
        super().__init__(render(code, self.params))


def render(code: str, params: dict[str, Any], templates: dict[str, str] | None = None) -> str:
    """Fill the template for ``code``; unknown codes fall back to the detail text."""
    tpl = (templates or MESSAGES).get(code) or MESSAGES.get(code) or "{detail}"
    safe = {k: ("" if v is None else v) for k, v in params.items()}
    try:
        return tpl.format(**safe)
    except (KeyError, IndexError, ValueError):
        return f"{code}: {safe}"


class SalesLensWarning(UserWarning):
    """Base class of every warning the engine emits."""


class StatisticalWarning(SalesLensWarning):
    """The statistics are doubtful: tiny samples, small expected counts, over-dispersion, ..."""


class DataQualityWarning(SalesLensWarning):
    """Rows were dropped or values were repaired while reading the data."""
