"""Any supported export files → one canonical :class:`~metrics.loading.Dataset` (app and CLI alike).

Wraps the importer (``metrics.importers``): the inputs are expanded into parts (a ``.zip``'s members, a
workbook's sheets), classified (deals, activities, plans, lookups, documentation), the lookups joined by
the keys their values prove (:mod:`metrics.importers.folder`), each main table read on its own (system,
kind, column mapping, stage vocabulary, date order detected), then combined by kind and de-duplicated.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import DataError
from .importers import ImportedFile, combine
from .importers.folder import read_folder
from .loading import Dataset
from .memory import release_memory


@dataclass
class Ingested:
    """The combined dataset plus what was read from every file (for the Data page)."""

    data: Dataset
    files: list[ImportedFile] = field(default_factory=list)
    duplicates_across_files: int = 0


def ingest(files: list[tuple[str, bytes | Callable[[], bytes]]], *,
           mappings: dict[str, dict[str, str]] | None = None,
           stages: dict[str, str] | None = None, max_bytes: int | None = None,
           parallel: bool = False, progress: Callable[..., None] | None = None) -> Ingested:
    """Read every (name, bytes) file and combine them.

    Instead of the bytes, a file may be given as a function returning them (e.g. ``Path.read_bytes``):
    it is called just before the file is parsed and the bytes are dropped right after, so that only one
    raw file is in memory at a time (the CLI at a million deals: ~0.7 GB less at the peak).

    ``mappings``: file name → {canonical field: header} overrides; the key ``"*"`` applies to every file
    (the CLI's ``--map``). ``stages``: stage value → won / lost / open, for every file. Raises DataError
    (naming the file) for a file that cannot be read, or when no file holds deals.

    ``parallel``: read the files on several threads at once, one per core (``os.cpu_count()``) at most (the
    app, whose uploaded bytes are in memory
    anyway: much of the work is in arrow kernels that release the GIL). Same result; a higher peak.

    ``progress``: called, in this order, as ``progress("read", i=, n=, name=)`` before each given file is
    read (1-based, of the files given), ``progress("join", n=)`` before ``n`` lookup tables are joined (only
    when there are any), ``progress("file", i=, n=, name=)`` before each file or sheet is recognised and
    converted (of the main tables) and ``progress("combine")`` before the files are combined — for a
    progress display; never needed. With ``parallel`` the "file" calls come from worker threads, in any
    order among themselves.
    """
    if not files:
        raise DataError("bad_argument", detail="no files given")
    imported, aside, lookups = read_folder(files, mappings=mappings or {}, stages=stages or None,
                                           max_bytes=max_bytes, parallel=parallel, progress=progress)
    release_memory()
    if not any(f.kind in ("deals", "orders") for f in imported):
        seen = [*(f"{f.name}: {f.kind}" for f in imported), *(f"{a['file']}: {a['kind']}" for a in aside + lookups)]
        raise DataError("no_deals_file", file=", ".join([*(f.name for f in imported), *(a["file"] for a in aside)]),
                        detail=", ".join(seen))
    if progress is not None:
        progress("combine")
    ds = combine(imported)
    notes = [w["message"] for q in ds.quality for w in q.warnings]
    notes += [f"{a['file']}: set aside ({a['kind']}): {a['reason']}" for a in aside]
    coded = [{"file": q.file, "code": w["code"], "params": w["params"]} for q in ds.quality for w in q.warnings]
    coded += [aside_note(a) for a in aside]
    if ds.duplicates_across_files:
        notes.append(f"{ds.duplicates_across_files} row(s) repeated across files were de-duplicated by id "
                     f"(the later file wins)")
        coded.append({"file": None, "code": "duplicates_across_files", "params": {"count": ds.duplicates_across_files}})
    has = {f.kind for f in imported}
    activities = ds.activities if "activities" in has else None
    plans = ds.plans if "plans" in has else None
    used = len(ds.deals) + (len(activities) if activities is not None else 0) + (len(plans) if plans is not None else 0)
    data = Dataset(deals=ds.deals, activities=activities, plans=plans,
                   rows_read=sum(q.rows_read for q in ds.quality), rows_used=used, warnings=notes,
                   quality=ds.quality, set_aside=aside, lookups=lookups,
                   duplicates_across_files=ds.duplicates_across_files, notes=coded)
    return Ingested(data=data, files=imported, duplicates_across_files=ds.duplicates_across_files)


def aside_note(a: dict) -> dict:
    """The note by code of one file set aside (``warn.set_aside``: the file, what it was, why — the why by code
    too: ``data.aside.<kind>`` with ``other``, or the reading error ``err.<code>`` with its parameters)."""
    if a.get("error"):
        why = {"key": f"err.{a['error']['code']}", "params": dict(a["error"]["params"])}
    else:
        why = {"key": f"data.aside.{a['kind']}", "params": {"other": a.get("other") or ""}}
    return {"file": a["file"], "code": "set_aside",
            "params": {"kind": {"key": f"data.kind.{a['kind']}", "params": {}}, "reason": why}}


def quality_report(data: Dataset, files: list[ImportedFile] | None = None) -> list[dict]:
    """What was read, per file or sheet (the CLI's ``data_quality.files``; the Data page shows the same):
    system, kind, mapping used (with the runner-up of each close call), rows read / used, and every
    reason rows were dropped with its count and an example. Lookups, documentation and files set aside
    are listed with the one line saying what they were used for or why not."""
    out = []
    by_name = {f.name: f for f in files or []}
    for q in data.quality:
        f = by_name.get(q.file)
        row = {"file": q.file, "rows_read": q.rows_read, "rows_used": q.rows_used,
               "dropped": [{"reason": d["reason"], "count": d["count"], "example": d.get("example"),
                            "row": d.get("row")} for d in q.dropped]}
        if f is not None:
            row.update({"system": f.system, "kind": f.kind, "mapping": f.mapping,
                        "close_calls": [{k: v for k, v in c.items() if k != "code"} for c in f.close_calls],
                        "joined": [{"file": j["file"], "as": j["role"], "by": j["by"]} for j in f.joins]})
        if q.cancellations:
            row["cancellations"] = {"count": q.cancellations, "amount": q.cancelled_amount}
        out.append(row)
    for a in data.lookups + data.set_aside:
        out.append({"file": a["file"], "kind": a["kind"], "used": bool(a.get("used")), "reason": a["reason"]})
        if a.get("other"):
            out[-1]["other"] = a["other"]
    return out
