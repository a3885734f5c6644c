"""Load the input files of one dataset (deals, activities, plans) into canonical frames."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from .errors import DataError
from .schema import KINDS, empty_frame, load_canonical


@dataclass
class Dataset:
    """Canonical frames of one dataset plus what reading them found — the one data model of SalesLens
    (the bundled sample data, the CLI and the uploads alike).

    ``quality``: one :class:`metrics.importers.DataQuality` per file or sheet read (empty for canonical
    files loaded by :func:`load_bytes`); ``set_aside``: the files that were not used, one line each
    ({file, kind, reason}); ``lookups``: the lookup files joined (users, clients, teams, order lines…,
    {file, kind, reason}); ``duplicates_across_files``: rows repeated across files, de-duplicated."""

    deals: pd.DataFrame
    activities: pd.DataFrame | None = None
    plans: pd.DataFrame | None = None
    rows_read: int = 0
    rows_used: int = 0
    warnings: list[str] = field(default_factory=list)
    quality: list = field(default_factory=list)
    set_aside: list[dict] = field(default_factory=list)
    lookups: list[dict] = field(default_factory=list)
    duplicates_across_files: int = 0
    notes: list[dict] = field(default_factory=list)  # the same reading notes by code: {file, code, params}


def load_bytes(files: dict[str, list[tuple[str, bytes]]]) -> Dataset:
    """files: kind → [(file name, bytes), ...]. Several files of one kind are concatenated;
    deals are de-duplicated by deal_id (the last file wins)."""
    return _load({kind: [(name, (lambda d=data: d)) for name, data in parts] for kind, parts in files.items()})


def _load(sources: dict[str, list[tuple[str, Callable[[], bytes]]]]) -> Dataset:
    """:func:`load_bytes` with each file's bytes fetched only when it is parsed (so that a file read from
    disk can be freed as soon as it is parsed: lower peak memory)."""
    frames: dict[str, pd.DataFrame | None] = {}
    read = 0
    notes: list[str] = []
    coded: list[dict] = []
    for kind in KINDS:
        parts = [load_canonical(kind, get(), file=name) for name, get in sources.get(kind, [])]
        read += sum(len(p) for p in parts)
        frames[kind] = (parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)) if parts else None
    deals = frames["deals"]
    if deals is None:
        raise DataError("bad_argument", detail="no deals file given")
    dup = deals["deal_id"].duplicated(keep="last")  # (the Series method: same mask, twice as fast)
    if dup.any():
        notes.append(f"{int(dup.sum())} duplicate deal_id row(s) dropped (the last one kept)")
        coded.append({"file": None, "code": "duplicate_deal_ids", "params": {"count": int(dup.sum())}})
        deals = deals.loc[~dup].reset_index(drop=True)
    used = len(deals) + sum(len(frames[k]) for k in ("activities", "plans") if frames[k] is not None)
    return Dataset(deals=deals, activities=frames["activities"], plans=frames["plans"],
                   rows_read=read, rows_used=used, warnings=notes, notes=coded)


def load_paths(*, deals: list[str], activities: list[str] = (), plans: list[str] = ()) -> Dataset:
    def files(paths):
        out = []
        for p in paths:
            path = Path(p)
            if not path.is_file():
                raise DataError("bad_argument", detail=f"{p}: no such file")
            out.append((path.name, path.read_bytes))      # read when parsed, freed right after
        return out
    return _load({"deals": files(deals), "activities": files(activities), "plans": files(plans)})


__all__ = ["Dataset", "load_bytes", "load_paths", "empty_frame"]  # empty_frame: re-exported
