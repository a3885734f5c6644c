"""Any supported export files → one canonical :class:`~metrics.loading.Dataset` (app and CLI alike).

Wraps the importer (``metrics.importers``): each file is read on its own (system, kind, column mapping,
stage vocabulary, date order detected), then the files are combined by kind and de-duplicated by id.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .errors import DataError
from .importers import ImportedFile, combine, read_export
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
    app, whose uploaded bytes are in memory anyway: much of the work is in arrow kernels that release the
    GIL). Same result; a higher peak.

    ``progress``: called as ``progress("file", i=, n=, name=)`` before each file is read (1-based) and
    ``progress("combine")`` before the files are combined — for a progress display; never needed.
    """
    if not files:
        raise DataError("bad_argument", detail="no files given")
    mappings = mappings or {}

    def one(item: tuple[str, bytes | Callable[[], bytes]], i: int = 0) -> ImportedFile:
        name, data = item
        if progress is not None:
            progress("file", i=i + 1, n=len(files), name=name)
        wanted = {**mappings.get("*", {}), **mappings.get(name, {})}
        return read_export(name, data, mapping=wanted or None, stages=stages or None, max_bytes=max_bytes)

    if parallel and len(files) > 1:
        # own threads: the importer's kernels use values.pool(), which must not wait on its own workers
        workers = max(1, min(len(files), os.cpu_count() or 1))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="saleslens-ingest") as ex:
            imported = list(ex.map(one, files, range(len(files))))
        release_memory()
    else:
        imported = []
        for i, item in enumerate(files):
            imported.append(one(item, i))
            release_memory()  # the parser's freed buffers go back to the OS now, before the next file
    if not any(f.kind in ("deals", "orders") for f in imported):
        raise DataError("no_deals_file", file=", ".join(f.name for f in imported),
                        detail=", ".join(f"{f.name}: {f.kind}" for f in imported))
    if progress is not None:
        progress("combine")
    ds = combine(imported)
    notes = [w["message"] for q in ds.quality for w in q.warnings]
    if ds.duplicates_across_files:
        notes.append(f"{ds.duplicates_across_files} row(s) repeated across files were de-duplicated by id "
                     f"(the later file wins)")
    has = {f.kind for f in imported}
    activities = ds.activities if "activities" in has else None
    plans = ds.plans if "plans" in has else None
    used = len(ds.deals) + (len(activities) if activities is not None else 0) + (len(plans) if plans is not None else 0)
    coded = [{"file": q.file, "code": w["code"], "params": w["params"]} for q in ds.quality for w in q.warnings]
    data = Dataset(deals=ds.deals, activities=activities, plans=plans,
                   rows_read=sum(q.rows_read for q in ds.quality), rows_used=used, warnings=notes, notes=coded)
    return Ingested(data=data, files=imported, duplicates_across_files=ds.duplicates_across_files)
