"""Load the input files of one dataset (deals, activities, plans) into canonical frames."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import DataError
from .schema import KINDS, empty_frame, load_canonical


@dataclass
class Dataset:
    """Canonical frames of one dataset plus what reading them found."""

    deals: pd.DataFrame
    activities: pd.DataFrame | None = None
    plans: pd.DataFrame | None = None
    rows_read: int = 0
    rows_used: int = 0
    warnings: list[str] = field(default_factory=list)


def load_bytes(files: dict[str, list[tuple[str, bytes]]]) -> Dataset:
    """files: kind → [(file name, bytes), ...]. Several files of one kind are concatenated;
    deals are de-duplicated by deal_id (the last file wins)."""
    frames: dict[str, pd.DataFrame | None] = {}
    read = 0
    notes: list[str] = []
    for kind in KINDS:
        parts = [load_canonical(kind, data, file=name) for name, data in files.get(kind, [])]
        read += sum(len(p) for p in parts)
        frames[kind] = pd.concat(parts, ignore_index=True) if parts else None
    deals = frames["deals"]
    if deals is None:
        raise DataError("bad_argument", detail="no deals file given")
    dup = deals.duplicated("deal_id", keep="last")
    if dup.any():
        notes.append(f"{int(dup.sum())} duplicate deal_id row(s) dropped (the last one kept)")
        deals = deals.loc[~dup].reset_index(drop=True)
    used = len(deals) + sum(len(frames[k]) for k in ("activities", "plans") if frames[k] is not None)
    return Dataset(deals=deals, activities=frames["activities"], plans=frames["plans"],
                   rows_read=read, rows_used=used, warnings=notes)


def load_paths(*, deals: list[str], activities: list[str] = (), plans: list[str] = ()) -> Dataset:
    def read(paths):
        out = []
        for p in paths:
            path = Path(p)
            if not path.is_file():
                raise DataError("bad_argument", detail=f"{p}: no such file")
            out.append((path.name, path.read_bytes()))
        return out
    return load_bytes({"deals": read(deals), "activities": read(activities), "plans": read(plans)})


__all__ = ["Dataset", "load_bytes", "load_paths", "empty_frame"]
