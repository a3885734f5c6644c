"""Loading data into the session: bundled sample data or the user's uploads.

Uploaded bytes are parsed in session-scoped caches keyed by their content (never by name only),
bounded in size and time, and never written to disk (notes/streamlit.md §3).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from metrics.loading import Dataset, load_bytes

SAMPLE_DIR = Path(__file__).resolve().parents[1] / "sample_data"
SAMPLE_FILES = {"deals": "deals.csv", "activities": "activities.csv", "plans": "plans.csv"}


@st.cache_data(show_spinner=False, max_entries=2)
def load_sample() -> Dataset:
    """The bundled sample data (public, identical for everybody: a global cache is fine)."""
    files = {k: [(name, (SAMPLE_DIR / name).read_bytes())] for k, name in SAMPLE_FILES.items()}
    return load_bytes(files)


@st.cache_data(scope="session", max_entries=8, ttl="2h", show_spinner=False)
def load_upload(files: dict[str, list[tuple[str, bytes]]]) -> Dataset:
    """Parse uploaded files; the key is their content, cached only for this session."""
    return load_bytes(files)


def token_of(files: dict[str, list[tuple[str, bytes]]]) -> str:
    """A content hash identifying one set of uploads (used to key per-session caches)."""
    h = hashlib.sha256()
    for kind in sorted(files):
        for name, data in files[kind]:
            h.update(kind.encode() + b"\0" + name.encode() + b"\0" + hashlib.sha256(data).digest())
    return h.hexdigest()[:16]
