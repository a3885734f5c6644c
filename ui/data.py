"""Loading data into the session: bundled sample data, bundled sample CRM exports, or the user's uploads.

Uploaded bytes are parsed in session-scoped caches keyed by their content (never by name only),
bounded in size and time, and never written to disk (notes/streamlit.md §3).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import streamlit as st

from metrics.ingest import Ingested, ingest
from metrics.loading import Dataset, load_bytes

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
    """The bundled sample data (public, identical for everybody: a global cache is fine)."""
    files = {k: [(name, (SAMPLE_DIR / name).read_bytes())] for k, name in SAMPLE_FILES.items()}
    return load_bytes(files)


def sample_export_files(key: str) -> list[tuple[str, bytes]]:
    return [(name, (SAMPLE_DIR / "exports" / name).read_bytes()) for name in SAMPLE_EXPORTS[key]]


@st.cache_data(scope="session", max_entries=8, ttl="2h", show_spinner=False)
def load_files(files: list[tuple[str, bytes]], mappings: tuple, stages: tuple) -> Ingested:
    """Read any supported exports; keyed by their content and the user's corrections, this session only."""
    return ingest(files, mappings={f: dict(m) for f, m in mappings}, stages=dict(stages))


def token_of(files: list[tuple[str, bytes]], *extra) -> str:
    """A content hash identifying one set of files and corrections (keys the per-session caches)."""
    h = hashlib.sha256()
    for name, data in files:
        h.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    h.update(repr(extra).encode())
    return h.hexdigest()[:16]


def corrections() -> tuple[tuple, tuple]:
    """The session's column-mapping and stage corrections as hashable keys."""
    maps = st.session_state.get("mappings", {})
    stages = st.session_state.get("stage_map", {})
    return (tuple(sorted((f, tuple(sorted(m.items()))) for f, m in maps.items())),
            tuple(sorted(stages.items())))
