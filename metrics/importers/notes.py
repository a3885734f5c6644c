"""Notes: what a column's reading found besides the values (reported by code, never silently bent), and
the English templates of the importer's warnings they turn into."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# --------------------------------------------------------------------------------------------------
# Notes: what a column's reading found besides the values (reported by code, never silently bent)
# --------------------------------------------------------------------------------------------------
@dataclass
class Note:
    """``code`` (an importer warning, "warn.<code>" in the UI) for the cells in ``mask``; ``cells`` is the
    column's text as it was in the file (for the example quoted); ``params`` are extra template
    parameters. :meth:`params_for` gives the count and example among the rows still kept."""

    code: str
    mask: np.ndarray
    cells: object = field(repr=False)
    params: dict = field(default_factory=dict)

    def params_for(self, keep: np.ndarray | None = None) -> dict | None:
        """{count, example, **params} over the kept rows; None when no kept row has it."""
        m = self.mask if keep is None else self.mask & keep
        if not m.any():
            return None
        v = self.cells[int(np.flatnonzero(m)[0])]
        v = v.as_py() if hasattr(v, "as_py") else v
        return {"count": int(m.sum()), "example": None if v is None else str(v)[:80], **self.params}


def make_notes(cells, *items: tuple) -> list[Note]:
    """Notes for the (code, mask, params) items whose mask has a true cell."""
    return [Note(code, mask, cells, params) for code, mask, params in items if mask is not None and mask.any()]


# --------------------------------------------------------------------------------------------------
# English templates of the notes above (the importer's warnings; "warn.<code>" in ui/locale/*.po)
# --------------------------------------------------------------------------------------------------
NOTE_TEMPLATES: dict[str, str] = {
    "date_markers": "{file}: {count} cell(s) of date column '{column}' say there is no date (e.g. {example!r}); "
                    "read as empty dates",
    "impossible_dates": "{file}: {count} value(s) in column '{column}' are dates that do not exist "
                        "(e.g. {example!r}); their rows were left out",
    "far_future_dates": "{file}: {count} date(s) in column '{column}' lie far in the future (after {after}, "
                        "e.g. {example!r}); kept, but they do not move the default period",
    "decimal_conflict": "{file}: column '{column}' uses '{decimal}' as its decimal separator, but {count} "
                        "value(s) contradict it (e.g. {example!r}); they were left out (amount 0), not guessed",
    "amount_out_of_range": "{file}: {count} value(s) in column '{column}' are beyond ±{limit} (e.g. {example!r}); "
                           "left out (amount 0)",
    "excel_errors": "{file}: {count} cell(s) in column '{column}' hold an Excel error value (e.g. {example!r}); "
                    "left out (amount 0)",
    "formula_cells": "{file}: {count} cell(s) in column '{column}' are formulas without a saved value "
                     "(e.g. {example!r}); they were left out (amount 0) — open the file in Excel, save it and "
                     "upload it again",
    "conflicting_rows": "{file}: {count} deal id(s) appear with different managers (e.g. deal {deal}: {managers}); "
                        "their {rows} row(s) were left out — one id cannot be two people's deal",
    "mixed_encoding": "{file}: {count} line(s) were not UTF-8 like the rest of the file and were read as "
                      "{encoding} (the first is line {line}); check the names in them",
    "blank_managers": "{file}: {count} row(s) have no manager (empty, only spaces or {example!r}); they were "
                      "left out of every total",
}


def report_notes(notes: list[Note], keep: np.ndarray | None, warn, **params) -> None:
    """``warn(code, count=…, example=…, **params)`` for every note that concerns a kept row."""
    for note in notes:
        got = note.params_for(keep)
        if got is not None:
            warn(note.code, **params, **got)
