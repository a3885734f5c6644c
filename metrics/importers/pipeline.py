"""One file: bytes → raw table → kind → the kind's converter; several files: :func:`combine`."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .. import schema
from ..errors import DataError
from ..loading import Dataset
from ..memory import release_memory
from . import arrow, htmltable, mapping as mp, reading, repair, vocab, workbook
from .activities import ActivitiesConverter
from .canonical import ATTRIBUTES, schema_columns
from .deals import DealsConverter
from .plans import PlansConverter
from .report import DataQuality, ImportedFile

SYSTEMS = ("bitrix24", "amocrm", "kommo", "hubspot", "pipedrive", "salesforce", "zoho", "canonical",
           "spreadsheet", "unknown")
KINDS = ("deals", "activities", "plans", "orders")
CONVERTERS = {"deals": DealsConverter, "orders": DealsConverter, "activities": ActivitiesConverter,
              "plans": PlansConverter}


def read_export(name: str, data: bytes | Callable[[], bytes], *, kind: str | None = None,
                mapping: dict[str, str] | None = None, stages: dict[str, str] | None = None,
                max_bytes: int | None = None) -> ImportedFile:
    """Read one CRM export (CSV / XLSX / HTML-.xls bytes) into canonical form. Raises DataError.

    ``data`` may be a function returning the bytes (e.g. ``Path.read_bytes``): they are then fetched
    when needed and dropped as soon as the file is parsed into a table, before the conversion."""
    try:
        return _read_export(name, data, kind=kind, overrides=mapping, stages=stages, max_bytes=max_bytes)
    except DataError:
        raise
    except MemoryError as exc:
        raise DataError("too_large", file=name, detail="not enough memory to read it") from exc
    except Exception as exc:  # noqa: BLE001 - never a raw traceback for bad input
        raise DataError("unreadable", file=name, detail=f"{type(exc).__name__}: {exc}"[:200]) from exc


def combine(files: list[ImportedFile]) -> Dataset:
    """Concatenate files by kind. Deals are de-duplicated by (system, deal_id) and activities by
    (system, activity_id), the row from the later file winning; plans by (manager, month), likewise."""
    def stack(kinds: tuple[str, ...], key: str | None) -> tuple[pd.DataFrame, int]:
        target = "deals" if "deals" in kinds else kinds[0]
        cols = schema_columns(target)
        mine = [f for f in files if f.kind in kinds and len(f.frame)]
        if len(mine) == 1 and key:  # one file: its ids are unique already (read_export de-duplicates)
            frame = mine[0].frame
            cols = cols + [c for c in ATTRIBUTES if c in frame.columns]
            return (frame if list(frame.columns) == cols else frame[cols]), 0
        parts = []
        for order, f in enumerate(files):
            if f.kind in kinds and len(f.frame):
                part = f.frame.copy()
                part["_system"], part["_order"] = f.system, order
                parts.append(part)
        if not parts:
            return schema.empty_frame(target)[cols], 0
        allf = pd.concat(parts, ignore_index=True)
        keys = ["_system", key] if key else ["manager", "month"]
        before = len(allf)
        allf = allf.drop_duplicates(subset=keys, keep="last")
        allf = allf.drop(columns=["_system", "_order"]).reset_index(drop=True)
        return allf[cols + [c for c in ATTRIBUTES if c in allf.columns]], before - len(allf)

    deals, d1 = stack(("deals", "orders"), "deal_id")
    acts, d2 = stack(("activities",), "activity_id")
    plans, d3 = stack(("plans",), None)
    if len(plans):
        plans = plans.sort_values(["manager", "month"]).reset_index(drop=True)
    return Dataset(deals=deals, activities=acts, plans=plans, quality=[f.quality for f in files],
                   rows_read=sum(f.quality.rows_read for f in files), duplicates_across_files=d1 + d2 + d3)


def _read_export(name: str, data: bytes | Callable[[], bytes], *, kind: str | None,
                 overrides: dict[str, str] | None, stages: dict[str, str] | None, max_bytes: int | None
                 ) -> ImportedFile:
    if kind is not None and kind not in KINDS:
        raise DataError("bad_argument", file=name, detail=f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    data = data() if callable(data) else data
    if data is not None and workbook.kind_of(data) in ("xls", "ods"):
        raw = workbook.read_sheets(name, data)[0][1]  # one file: its first sheet (a folder reads them all)
    else:
        raw = read_text_table(name, data, max_bytes=max_bytes)
    del data
    release_memory()  # the parser's scratch buffers (a few hundred MB at a million rows)
    return convert_raw(name, raw, kind=kind, overrides=overrides, stages=stages)


def read_text_table(name: str, data: bytes, *, max_bytes: int | None = None) -> reading.RawTable:
    """A CSV / HTML / XLSX file → raw table; CSV lines split by an unquoted delimiter inside one cell are
    merged back first (:func:`.repair.merge_split_cells`) and counted on the table (``repaired``)."""
    if data and htmltable.looks_like_html(data) and (max_bytes is None or len(data) <= max_bytes):
        raw = htmltable.read_html_table(name, data)
        if raw is not None and raw.headers:
            return raw
    fixed, repaired = repair.merge_split_cells(data, max_bytes=max_bytes)
    raw = reading.read_raw(name, fixed, max_bytes=max_bytes)
    raw.repaired = repaired
    return raw


def convert_raw(name: str, raw: reading.RawTable, *, kind: str | None, overrides: dict[str, str] | None,
                stages: dict[str, str] | None, attributes: dict[str, str] | None = None,
                system: str | None = None) -> ImportedFile:
    """One raw table (a file or a sheet) → its canonical frame. ``attributes``: extra deal attributes
    (``team``, ``office``…) → the header holding them (columns joined from a team hierarchy);
    ``system``: the CRM when the folder proved it (e.g. Salesforce Data Loader ids)."""
    q = DataQuality(file=name, rows_read=len(raw.frame) + len(raw.malformed))
    for code, params in raw.notes:  # what reading the bytes repaired (mixed encodings, formula cells...)
        q.warn(code, **params)
    if len(raw.frame) == 0 or not raw.headers:
        raise DataError("no_rows", file=name)
    frame = raw.frame
    if raw.malformed:
        foot = [m for m in raw.malformed if vocab.FOOTER.search(m.strip().strip('"'))]
        q.drop("footer", len(foot), foot[0].strip()[:80] if foot else None)
        other = [m for m in raw.malformed if m not in foot and m.strip().strip('";,\t|')]
        blank = len(raw.malformed) - len(foot) - len(other)
        q.drop("empty_row", blank)
        if other:
            q.drop("malformed", len(other), other[0][:80])
            q.warn("malformed_rows", count=len(other), example=other[0][:80])
    repaired = getattr(raw, "repaired", None)
    if repaired:
        q.warn("split_cells_merged", count=repaired[0], column=repaired[1])
    seen: dict = {}
    empty = arrow.empty_rows(frame, seen)
    if empty.any():
        seen = {}  # (computed on the rows before the empty ones were dropped)
        q.drop("empty_row", int(empty.sum()))
        frame = frame.loc[~empty].reset_index(drop=True)
    rownum = np.flatnonzero(~empty) + 1  # 1-based data row numbers of the remaining rows
    if len(frame) == 0:
        raise DataError("no_rows", file=name)
    headers = list(frame.columns)
    system = system or mp.detect_system(headers, name, raw.fmt)
    kind = kind or mp.detect_kind(frame, headers, name, mp.memo_of(raw))
    ctx = CONVERTERS[kind](name, raw, frame, headers, system, kind, q, rownum, stages)
    ctx.attributes = dict(attributes or {})
    ctx.seed_stripped(seen)
    if kind in ("deals", "orders"):       # the file's own Team / Office / Region column (a joined one wins)
        taken = set(ctx.attributes.values()) | set((overrides or {}).values())
        for h in headers:
            attr = next((a for a, names in vocab.ATTRIBUTE_HEADERS.items() if " ".join(mp.words(h)) in names), None)
            if attr is not None and attr not in ctx.attributes and h not in taken:
                ctx.attributes[attr] = h
    raw.frame = frame = None  # the converter holds the only reference (so it can let columns go)
    return ctx.convert(overrides)
