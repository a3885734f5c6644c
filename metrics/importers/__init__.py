"""CRM export importer: any supported export file → the canonical SalesLens frames.

Supported exports (headers matched on normalised words, so localised or renamed columns still map):

* **Bitrix24** deals and leads (RU / UA / EN): CSV (UTF-8 BOM or cp1251, ``;``, quoted, trailing ``;``)
  and the "Excel" export that is really an HTML table (``.xls``); calls report; "Сделка закрыта"
  Да/Нет combined with the stage; "Предполагаемая дата закрытия" only counts for closed deals.
* **amoCRM** (RU) and **Kommo** (EN) deals/leads.
* **HubSpot** deals (``hubspot-crm-exports-*.csv|xlsx``) and call exports.
* **Pipedrive** deals and activities ("Deal - …" / "Activity - …" headers; Won time / Lost time /
  Deal closed on are closes, Expected close date never is).
* **Salesforce** opportunity reports (footer rows dropped, locale dates).
* **Zoho CRM** deals (name columns win over their ``.id`` twins).
* **Generic spreadsheets** in English, Russian and Ukrainian ("Менеджер", "Клієнт", "Сума",
  "Manager", "Customer", "Amount", …), orders/sales lists without a status (every row a won sale),
  plans in long (manager, month, target) or wide form (one column per month), and SalesLens'
  own canonical CSV/XLSX.

Public API::

    f = read_export(name, data, kind=None, mapping=None, stages=None, max_bytes=None) -> ImportedFile
    ds = combine([f1, f2, ...]) -> Dataset(deals, activities, plans, quality)

``mapping`` overrides canonical field → header (a value of ``None``/``""`` means "no such column");
``stages`` maps a stage value → won / lost / open. Besides the canonical fields, ``mapping`` may name
the helper fields ``contact``, ``title``, ``stage``, ``closed_flag``, ``won_flag``, ``won_at``,
``lost_at``, ``modified_at``, ``product`` (deals) and ``time_of_day`` (activities); for a wide plan the
mapping lists its month columns as ``"month:YYYY-MM": header``. A returned ``mapping`` can be passed
back as ``mapping=`` (the UI's selectboxes start from ``mapping`` and offer ``candidates``).

Status rules: the status column, else the stage, is read through the won/lost/open vocabularies
(:mod:`.vocab`). An unknown stage counts as open and is listed in ``unknown_stages`` with a warning —
except that a Bitrix-style closed flag decides: "closed = no" makes it silently open, "closed = yes"
makes it lost (listed, warned). Orders are won unless their status says cancelled / returned.
``combine`` keeps, for each (system, deal_id) / (system, activity_id) / (manager, month), the row of
the last file that has it.

Bad input raises
:class:`~metrics.errors.DataError` with a code, the file, the column and an example row. Modules:
:mod:`.vocab` (words), :mod:`.reading` (bytes → raw table), :mod:`.workbook` (xls / xlsx / ods sheets),
:mod:`.folder` (a folder, a .zip or a workbook: the parts, their kinds, the lookups joined),
:mod:`.evidence` (columns scored by their values), :mod:`.lookups` (users, clients, teams, order lines),
:mod:`.mapping` (headers → fields), :mod:`.values` (stages, yes/no, months; re-exports
:mod:`.dates`, :mod:`.numbers`, :mod:`.notes`, :mod:`.cells`), :mod:`.pipeline` (one file),
:mod:`.context` (the converters' shared state), :mod:`.deals` / :mod:`.activities` / :mod:`.plans` (one
converter per kind), :mod:`.arrow` (arrow helpers), :mod:`.canonical` (canonical frames), :mod:`.report`
(what was read).
"""
from __future__ import annotations

from .pipeline import KINDS, SYSTEMS, combine, read_export
from ..loading import Dataset
from .report import WARNINGS, DataQuality, ImportedFile

__all__ = ["read_export", "combine", "ImportedFile", "Dataset", "DataQuality", "WARNINGS", "SYSTEMS", "KINDS"]
