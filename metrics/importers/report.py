"""What reading one file found: the warnings' English templates, the per-file quality report and the
:class:`ImportedFile` result (canonical frame + detection + mapping)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import render
from . import values


# English templates of the importer's warnings (the UI can translate by code, e.g. "warn.<code>").
WARNINGS: dict[str, str] = {
    "ambiguous_columns": "{file}: several columns could be the {fields}; check the column mapping",
    "unknown_stages": "{file}: {count} deal(s) have stages SalesLens does not know ({stages}); they are "
                      "counted as open — assign them to won or lost",
    "closed_unknown_stages": "{file}: {count} closed deal(s) have stages SalesLens does not know ({stages}); "
                             "they are counted as lost — assign them if a stage means won",
    "empty_status": "{file}: {count} deal(s) have an empty stage/status; counted as open",
    "no_status_column": "{file}: no stage or status column; every deal is counted as open",
    "orders_as_won": "{file}: no status column; every row is counted as a completed (won) sale",
    "multi_currency": "{file}: amounts are in several currencies ({currencies}); they are not converted — "
                      "filter by currency before comparing totals",
    "no_id_column": "{file}: no id column; ids were derived from the row contents, so repeated exports of "
                    "changed deals may not de-duplicate",
    "client_from_title": "{file}: {count} deal(s) have no company or contact; the deal title is used as the client",
    "no_client": "{file}: {count} deal(s) have no client ({won} won, revenue {revenue}); they count for revenue, "
                 "won deals, average deal and conversion, not as customers (retention, cohorts)",
    "date_order_guessed": "{file}: dates in column '{column}' (e.g. {example}) read either way; read as {order}",
    "date_order_conflict": "{file}: date columns disagree on day/month order; each column was read on its own evidence",
    "product_lines_collapsed": "{file}: {rows} rows for {deals} deal(s) were merged into one deal each "
                               "(product lines; amounts summed)",
    "duplicate_rows": "{file}: {count} duplicate row(s) were ignored",
    "negative_amounts": "{file}: {count} deal(s) with a negative amount were left out (e.g. deal {deal})",
    "unparsable_dates": "{file}: {count} value(s) in column '{column}' are not dates (e.g. {example!r})",
    "unparsable_amounts": "{file}: {count} value(s) in column '{column}' are not numbers (e.g. {example!r}); "
                          "counted as 0",
    "closed_from_modified": "{file}: no close date column; closed deals use the modification date ('{column}')",
    "no_close_date": "{file}: no close date column; won and lost deals have no close date",
    "created_from_close": "{file}: no creation date column; '{column}' is used as the creation date",
    "no_amount_column": "{file}: no amount column; amounts are 0",
    "no_type_column": "{file}: no activity type column; activities are counted as '{type}'",
    "no_target_rows": "{file}: {count} plan cell(s) are empty and were skipped",
    # --- importer: folders, lookups, evidence, invoice lines ---
    "split_cells_merged": "{file}: {count} line(s) had one field too many (an unquoted delimiter in "
                          "'{column}'); the two parts were joined back",
    "line_totals": "{file}: no line-total column; amount = {quantity} × {price} × (1 − {discount})",
    "line_totals_plain": "{file}: no line-total column; amount = {quantity} × {price}",
    "cancellations": "{file}: {count} cancellation / return line(s) (credit notes, negative quantities) "
                     "for {amount} are not sales and were left out",
    "managers_are_ids": "{file}: the managers look like ids (e.g. {example!r} in '{column}', {count} distinct); "
                        "{users} was set aside because it shares no id with this file — export the users "
                        "with the same ids to see names",
    "lines_without_client": "{file}: {count} line(s) without a client (amount {amount}) count for revenue, "
                            "never as a customer of their own",
    "close_call": "{file}: '{column}' was taken as the {field}, '{runner_up}' nearly as likely; to use it: "
                  "{flip}",
    "client_or_id": "{file}: '{column}' was taken as the client ({clients} clients for {rows} rows), not as "
                    "the deal id; if each value is one deal, use {flip}",
    "id_repeats": "{file}: deal id '{column}' repeats ({rows} rows for {deals} ids) and was read as lines of "
                  "one deal; if it is the client, use {flip}",
    "done_from_status": "{file}: done is read from '{column}': only {done} count as done",
    "orders_returned": "{file}: {count} order line(s) for {amount} are cancelled or returned: counted as "
                       "lost, not as sales",
    "malformed_rows": "{file}: {count} line(s) with the wrong number of columns were skipped (e.g. {example!r})",
}
WARNINGS.update(values.NOTE_TEMPLATES)  # what reading a value found (markers, impossible dates, ...)


@dataclass
class DataQuality:
    file: str
    rows_read: int = 0
    rows_used: int = 0
    dropped: list[dict[str, Any]] = field(default_factory=list)    # {reason, count, example, row}
    warnings: list[dict[str, Any]] = field(default_factory=list)   # {code, message, params}
    duplicates: int = 0
    negative_amounts: int = 0
    cancellations: int = 0
    cancelled_amount: float = 0.0
    managers: list[str] = field(default_factory=list)
    date_min: pd.Timestamp | None = None
    date_max: pd.Timestamp | None = None

    def drop(self, reason: str, count: int, example: Any = None, row: int | None = None) -> None:
        if count:
            self.dropped.append({"reason": reason, "count": int(count), "example": example, "row": row})

    def warn(self, code: str, **params: Any) -> None:
        params = {"file": self.file, **params}
        self.warnings.append({"code": code, "message": render(code, params, WARNINGS), "params": params})


@dataclass
class ImportedFile:
    name: str
    system: str
    kind: str
    encoding: str
    delimiter: str
    headers: list[str]
    mapping: dict[str, str]
    candidates: dict[str, list[str]]
    ambiguous: list[str]
    date_formats: dict[str, str]
    unknown_stages: list[str]
    stage_map: dict[str, str]
    currencies: list[str]
    frame: pd.DataFrame
    quality: DataQuality
    close_calls: list[dict[str, Any]] = field(default_factory=list)  # {field, column, runner_up, flip}
    taken_for: str = ""            # what the file was used for (deals, a users lookup joined to ...)
    joins: list[dict[str, Any]] = field(default_factory=list)        # lookups joined into this file

