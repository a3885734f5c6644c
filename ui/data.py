"""Loading data into the session: bundled sample data, bundled sample CRM exports, or the user's uploads.

Uploaded bytes are parsed in session-scoped caches keyed by the upload (Streamlit's random file id, the
name and the size: :func:`upload_digest`) or, for bytes in memory, by their content — never by name only —,
bounded in size and time, and never written to disk (notes/streamlit.md §3).
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

from metrics.errors import DataError
from metrics.ingest import Ingested, ingest
from metrics.loading import Dataset

from . import keep, state

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


SAMPLE_TOKEN = state.PUBLIC + "sample"


@st.cache_resource(show_spinner=False, max_entries=2)
def load_sample() -> Dataset:
    """The bundled sample data: public and identical for everybody, so parsed once per process and shared
    read-only (a ``cache_resource``: no copy per rerun), read through the same importer as every upload
    (:func:`metrics.ingest.ingest`: one canonical-file path)."""
    return ingest([(name, (SAMPLE_DIR / name).read_bytes()) for name in SAMPLE_FILES.values()]).data


def sample_export_files(key: str) -> list[tuple[str, bytes]]:
    return [(name, (SAMPLE_DIR / "exports" / name).read_bytes()) for name in SAMPLE_EXPORTS[key]]


@dataclass(frozen=True)
class Source:
    """One file to read: its name, a sha256 (hex) identifying its content and a way to get the bytes.

    For bytes in memory (:func:`from_bytes`) the digest is the sha256 of the bytes; for an upload
    (:func:`uploaded`) it is the sha256 of the upload's identity in this session (Streamlit's random
    ``file_id``, the name and the size), so that neither the upload nor a rerun hashes the bytes. The
    caches below are keyed by the digests, never by the name alone."""

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


def upload_digest(file_id: str, name: str, size: int) -> str:
    """The digest of one upload: sha256 of its ``file_id``, name and size. Streamlit gives every upload a
    random ``file_id`` (a UUID) that its value keeps on every rerun of the session until the file is removed,
    and the server keeps one content per (session, file_id); the caches it keys are this session's only
    (:func:`ui.state.shared_cache`: an upload's token is never public), so it identifies the content as well
    as hashing the bytes would — without reading 680 MB (~1 s at a million deals) on the upload's run. A
    file removed and uploaded again gets a new ``file_id`` and is read again."""
    return hashlib.sha256(f"upload\0{file_id}\0{name}\0{int(size)}".encode()).hexdigest()


def uploaded(files) -> list[Source]:
    """Sources for ``st.file_uploader`` files (:func:`upload_digest`: the bytes are not hashed); the bytes
    are read only when a cache misses."""
    return [Source(f.name, upload_digest(f.file_id, f.name, f.size), f.getvalue) for f in files]


@state.shared_cache("resource", max_entries=4)
def load_files(token: str, mappings: tuple, stages: tuple, _files: list[Source], _progress=None) -> Ingested:
    """Read any supported exports; keyed by the files' content token (:func:`token_of`, which covers the
    digests, names and corrections) and the user's corrections, this session only.

    A session-scoped ``cache_resource``: every rerun of this session gets the same parsed frames back
    (``cache_data`` would unpickle a copy of a million-row dataset on every rerun, ~1 s). They are
    read-only by contract: the engine never mutates its inputs and the pages only read them.
    ``_progress``: the engine's progress callback (:class:`ui.progress.Loading`; not part of the key)."""
    return ingest([(f.name, f.read) for f in _files], mappings={f: dict(m) for f, m in mappings},
                  stages=dict(stages), parallel=True, progress=_progress)  # two files at once (~1.5 s less at 1M deals)


def token_of(files: list[Source], *extra, public: bool = False) -> str:
    """A content hash identifying one set of files and corrections (keys the caches); public data (the
    bundled sample exports) gets the :data:`ui.state.PUBLIC` prefix and is cached once per process."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + bytes.fromhex(f.digest))
    h.update(repr(extra).encode())
    return (state.PUBLIC if public else "") + h.hexdigest()[:16]


@dataclass(frozen=True)
class Choice:
    """What the sidebar's data-source widgets chose: the source, the sample export, the uploads."""

    source: str
    export: str | None = None
    files: tuple = ()


@dataclass
class Loaded:
    dataset: Dataset
    token: str
    label: str
    files: list = field(default_factory=list)      #: the per-file reports (Data page), none for the sample


def _kept_uploads() -> list[Source]:
    """This browser's uploads kept in server memory (after a refresh), as sources."""
    got = keep.get(st.session_state.get("_browser"))
    return from_bytes(got) if got else []


def load(choice: Choice, user=None, progress=None) -> Loaded | None:
    """The dataset of the sidebar's choice; on a bad file the previous one stays loaded (and the error is
    shown where this is called: the sidebar). Uploads are remembered for this browser in server memory
    (:mod:`ui.keep`) so that a refresh finds them again. ``progress``: a :class:`ui.progress.Loading`
    shown while files are read (set to its error state on a bad file)."""
    from .i18n import error_text, t

    if choice.source == "sample":
        return _for_role(Loaded(load_sample(), SAMPLE_TOKEN, t("sidebar.source_sample")), user)
    if choice.source == "export":
        files = from_bytes(sample_export_files(choice.export))
        public = True
    else:
        files = list(choice.files)
        public = False
        if not files:
            files = _kept_uploads()
            if files:
                st.caption(t("sidebar.kept", names=", ".join(f.name for f in files)))
        if not files:
            st.info(t("sidebar.need_deals"))
            last = st.session_state.get("_last_upload")
            return _for_role(last, user) if last is not None else None
    maps, stages = corrections()
    token = token_of(files, maps, stages, public=public)
    try:
        loaded = load_files(token, maps, stages, files, progress)
    except DataError as exc:
        if progress is not None:
            progress.fail()
        st.error(error_text(exc))
        last = st.session_state.get("_last_upload")
        return _for_role(last, user) if last is not None else None
    names = ", ".join(f.name for f in files)
    got = Loaded(loaded.data, token, names, list(loaded.files))
    if not public and st.session_state.get("_kept") != token:
        keep.put(st.session_state.get("_browser"), [(f.name, f.read()) for f in files])
        st.session_state["_kept"] = token
    st.session_state["_last_upload"] = got
    return _for_role(got, user)


def _for_role(got: Loaded, user) -> Loaded:
    """A manager sees their own rows and an anonymous team: everybody else is renamed (metrics.privacy)."""
    if user is None or user.role != "manager":
        return got
    from metrics.privacy import anonymise

    from . import auth
    from .i18n import lang, t
    key = auth.pseudonym_key()          # per session, under the deployment's secret (README, pseudonyms)
    anon = anonymise(data=got.dataset, keep=user.manager, key=key, colleague=t("auth.colleague"),
                     client=t("auth.client"))
    return Loaded(anon, f"{got.token}:{user.manager}:{lang()}:{hashlib.sha256(key).hexdigest()[:16]}", got.label,
                  got.files)


def corrections() -> tuple[tuple, tuple]:
    """The session's column-mapping and stage corrections as hashable keys."""
    maps = st.session_state.get("mappings", {})
    stages = st.session_state.get("stage_map", {})
    return (tuple(sorted((f, tuple(sorted(m.items()))) for f, m in maps.items())),
            tuple(sorted(stages.items())))
