"""Loading data into the session: bundled sample data, bundled sample CRM exports, or the user's uploads.

Uploaded bytes are parsed in session-scoped caches keyed by their content (never by name only),
bounded in size and time, and never written to disk (notes/streamlit.md §3).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

from metrics.ingest import Ingested, ingest
from metrics.loading import Dataset

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
SAMPLE_FILES = {"deals": "deals.csv", "activities": "activities.csv", "plans": "plans.csv"}
#: one-click demo exports: label key → files in sample_data/exports/
SAMPLE_EXPORTS = {
    "bitrix24": ["bitrix24_deals.csv"],
    "bitrix24_xls": ["bitrix24_deals.xls"],
    "amocrm": ["amocrm_deals.csv"],
    "hubspot": ["hubspot-crm-exports-all-deals-2026-11-01.csv"],
    "pipedrive": ["pipedrive_deals.csv", "pipedrive_activities.csv", "plans_wide.xlsx"],
    "salesforce": ["salesforce_opportunities.csv"],
    "zoho": ["zoho_Deals_2026_11_01.csv"],
}


@st.cache_data(show_spinner=False, max_entries=2)
def load_sample() -> Dataset:
    """The bundled sample data (public, identical for everybody: a global cache is fine), read through the
    same importer as every upload (:func:`metrics.ingest.ingest`: one canonical-file path)."""
    return ingest([(name, (SAMPLE_DIR / name).read_bytes()) for name in SAMPLE_FILES.values()]).data


def sample_export_files(key: str) -> list[tuple[str, bytes]]:
    return [(name, (SAMPLE_DIR / "exports" / name).read_bytes()) for name in SAMPLE_EXPORTS[key]]


@dataclass(frozen=True)
class Source:
    """One file to read: its name, the sha256 of its bytes (hex) and a way to get the bytes.

    The digest is computed once per upload (:func:`uploaded`) so that a rerun never hashes the bytes
    again; the caches below are keyed by the digests (content), never by the name alone."""

    name: str
    digest: str
    read: Callable[[], bytes] = field(compare=False, repr=False)


def from_bytes(files: list[tuple[str, bytes]]) -> list[Source]:
    """Sources for bytes already in memory (the small bundled sample exports): hashed here."""
    return [Source(name, hashlib.sha256(data).hexdigest(), lambda data=data: data) for name, data in files]


def _uploaded_file_deepcopy(self: UploadedFile, memo: dict) -> UploadedFile:
    """A fresh ``UploadedFile`` over the same immutable bytes (``BytesIO`` shares them copy-on-write).

    Streamlit deep-copies a widget's value on every rerun so user code cannot mutate it; for an upload
    the default deepcopy copies every byte (~0.3 s per rerun for 330 MB). A new file object on the same
    ``bytes`` gives the same protection — its own read position, writes never reach the original."""
    rec = UploadedFileRec(file_id=self.file_id, name=self.name, type=self.type, data=self.getvalue())
    new = UploadedFile(rec, self._file_urls)
    new.seek(self.tell())
    return new


if "__deepcopy__" not in UploadedFile.__dict__:
    UploadedFile.__deepcopy__ = _uploaded_file_deepcopy


def uploaded(files) -> list[Source]:
    """Sources for ``st.file_uploader`` files. Each upload (its file_id, name and size) is hashed once and
    the digest remembered in this session's state; the bytes are read only when a cache misses."""
    memo = st.session_state.get("_upload_digests", {})
    fresh = {}
    out = []
    for f in files:
        key = (f.file_id, f.name, f.size)
        digest = memo.get(key)
        if digest is None:
            digest = hashlib.sha256(f.getvalue()).hexdigest()
        fresh[key] = digest
        out.append(Source(f.name, digest, f.getvalue))
    st.session_state["_upload_digests"] = fresh      # only the current uploads' digests are kept
    return out


@st.cache_resource(scope="session", max_entries=4, ttl="2h", show_spinner=False)
def load_files(token: str, mappings: tuple, stages: tuple, _files: list[Source]) -> Ingested:
    """Read any supported exports; keyed by the files' content token (:func:`token_of`, which covers the
    digests, names and corrections) and the user's corrections, this session only.

    A session-scoped ``cache_resource``: every rerun of this session gets the same parsed frames back
    (``cache_data`` would unpickle a copy of a million-row dataset on every rerun, ~1 s). They are
    read-only by contract: the engine never mutates its inputs and the pages only read them."""
    return ingest([(f.name, f.read()) for f in _files], mappings={f: dict(m) for f, m in mappings},
                  stages=dict(stages), parallel=True)  # two files at once (~1.5 s less at 1M deals)


def token_of(files: list[Source], *extra) -> str:
    """A content hash identifying one set of files and corrections (keys the per-session caches)."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + bytes.fromhex(f.digest))
    h.update(repr(extra).encode())
    return h.hexdigest()[:16]


def corrections() -> tuple[tuple, tuple]:
    """The session's column-mapping and stage corrections as hashable keys."""
    maps = st.session_state.get("mappings", {})
    stages = st.session_state.get("stage_map", {})
    return (tuple(sorted((f, tuple(sorted(m.items()))) for f, m in maps.items())),
            tuple(sorted(stages.items())))
