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
    # importer (metrics/importers)
    "no_manager_column": "{file}: no column looks like the manager (owner / responsible person); choose it in the column mapping. Columns: {detail}",
    "no_date_column": "{file}: no column looks like a date (creation / activity / order date); choose it in the column mapping. Columns: {detail}",
    "all_dates_unparsable": "{file}: no value in column '{column}' could be read as a date, e.g. {value!r} (row {row})",
    "binary_file": "{file}: this is not a table but {detail}; upload a CSV, XLSX or the CRM's Excel export",
    "truncated_xlsx": "{file}: the XLSX file is damaged or incomplete ({detail}); export or save it again",
    "too_large": "{file}: the file is too large ({detail})",
    "bad_mapping": "{file}: column {column!r} chosen for {value!r} is not in the file; columns: {detail}",
    "no_plan_columns": "{file}: a plans file needs a manager column and either month + target columns or one column per month (e.g. 2025-01, Jan 2025, Січень 2025)",
    "no_deals_file": "{file}: none of these files holds deals ({detail}); add the deals or leads export",
    # a lookup file given alone (metrics/importers/folder.py): what it was taken for
    "alone_users": "{file} looks like a users list (id → name: {detail}); give the deals / orders file with it",
    "alone_clients": "{file} looks like a clients list (id → name: {detail}); give the deals / orders file with it",
    "alone_team": "{file} looks like a team hierarchy (rep → manager / office: {detail}); give the deals / orders "
                  "file with it",
    "alone_products": "{file} looks like a product list ({detail}); give the deals / orders file with it",
    "bad_argument": "{detail}",
    # --- hostile: limits checked before parsing (metrics/limits.py) and broken files ---
    "too_many_columns": "{file}: {value:,} columns — more than the limit of {detail} columns "
                        "(SALESLENS_MAX_COLUMNS); nothing was read",
    "too_many_rows": "{file}: {value:,} rows — more than the limit of {detail} rows (SALESLENS_MAX_ROWS); "
                     "nothing was read",
    "too_many_cells": "{file}: {value:,} cells (rows × columns) — more than the limit of {detail} cells "
                      "(SALESLENS_MAX_CELLS); nothing was read",
    "sheet_too_large": "{file}: the sheet declares the range {column} ({value} rows × columns) — beyond the limit "
                       "of {detail} (SALESLENS_MAX_ROWS / _COLUMNS / _CELLS); nothing was read",
    "archive_too_large": "{file}: the workbook unpacks to {value} — more than the limit of {detail} "
                         "(SALESLENS_MAX_UNPACKED_MB); nothing was read",
    "archive_ratio": "{file}: part {column} unpacks to {value} times its packed size — more than the limit of "
                     "{detail} (SALESLENS_MAX_RATIO; a zip bomb?); nothing was read",
    "html_too_complex": "{file}: the HTML table's {column} is {value} — more than the limit of {detail} "
                        "(SALESLENS_MAX_HTML_DEPTH / SALESLENS_MAX_SPAN); nothing was read",
    "parse_timeout": "{file}: reading it took longer than the limit of {detail} (SALESLENS_PARSE_SECONDS); "
                     "nothing was read",
    "parse_memory": "{file}: reading it needed more memory than the limit of {detail} "
                    "(SALESLENS_PARSE_MEMORY_MB); nothing was read",
    "scenario_not_utf8": "{file}: the scenario file is not UTF-8 text ({detail}); nothing was applied",
    "scenario_not_json": "{file}: the scenario file is not valid JSON: {detail} (line {row}, column {column}); "
                         "nothing was applied",
    "scenario_not_object": "{file}: the scenario file must hold a JSON object, not {detail}; nothing was applied",
    "scenario_too_large": "{file}: the file is {value} — more than the limit of {detail} for a scenario "
                          "(SALESLENS_MAX_SCENARIO_KB); nothing was applied",
    "scenario_too_deep": "{file}: the file nests {value} levels deep — more than the limit of {detail}; "
                         "nothing was applied",
    "scenario_bad_number": "{file}: a number with {row} digits ({value}) — more than the limit of {detail} "
                           "digits; nothing was applied",
    "unbalanced_quote": "{file}: the quote opened in line {row} is never closed ({value!r}); everything after it "
                        "would be one value — fix that line and upload the file again",
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


class Note(str):
    """A message for the user that is also a code: ``str(note)`` is the English text (what the CLI prints and
    the JSON carries), ``code`` and ``params`` name it for translations — the app renders the catalogues'
    ``<prefix>.<code>`` with ``params`` through ``ui.catalogues.message`` (plural forms by ``params["count"]``).
    Used where the engine returns plain strings (e.g. the scenario problems: prefix ``scen.``)."""

    code: str
    params: dict[str, Any]

    def __new__(cls, text: str, code: str, **params: Any) -> "Note":
        self = super().__new__(cls, text)
        self.code, self.params = code, params
        return self

    def __reduce__(self):                      # pickled by the session caches: keep the code and the params
        return (_note, (str(self), self.code, self.params))


def _note(text: str, code: str, params: dict[str, Any]) -> Note:
    return Note(text, code, **params)


def note(code: str, templates: dict[str, str], /, **params: Any) -> Note:
    """The :class:`Note` for ``code``: its English text from ``templates`` filled with ``params``."""
    return Note(render(code, params, templates), code, **params)


class SalesLensWarning(UserWarning):
    """Base class of every warning the engine emits."""


class StatisticalWarning(SalesLensWarning):
    """The statistics are doubtful: tiny samples, small expected counts, over-dispersion, ...

    ``str(w)`` is the English text; ``code`` and ``params`` name it for translations (the app shows
    the catalogues (``ui/locale/*.po``) "eng.<code>" filled with ``params``)."""

    def __init__(self, message: str, code: str | None = None, **params: object) -> None:
        super().__init__(message)
        self.code, self.params = code, params


class DataQualityWarning(SalesLensWarning):
    """Rows were dropped or values were repaired while reading the data."""
