"""Uploaded files kept for the same browser across a refresh: in server memory only, bounded, never on disk.

One process-wide store maps a random per-browser id (``?b=`` in the URL, :func:`ui.state.read_url`) — and,
with log-in on, the user name — to the bytes of that browser's last uploads. Entries expire after
:data:`TTL_SECONDS`; the least recently used go first beyond :data:`MAX_BROWSERS` entries or
:data:`MAX_BYTES` in all. Log-out forgets the entry (:func:`ui.state.clear_session`). The id is a
capability: whoever has the URL of a browser's session (and, with log-in, its user) gets its files back,
so it is random (144 bits) and never shown elsewhere.
"""
from __future__ import annotations

import threading
import time
from collections import OrderedDict

import streamlit as st

TTL_SECONDS = 2 * 3600
MAX_BROWSERS = 16
MAX_BYTES = 1_000_000_000


class Store:
    def __init__(self, ttl: float = TTL_SECONDS, max_entries: int = MAX_BROWSERS, max_bytes: int = MAX_BYTES):
        self.ttl, self.max_entries, self.max_bytes = ttl, max_entries, max_bytes
        self._items: OrderedDict[str, tuple[float, tuple[tuple[str, bytes], ...]]] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        for k in [k for k, (at, _) in self._items.items() if now - at > self.ttl]:
            del self._items[k]
        while len(self._items) > self.max_entries or (
                self._items and sum(len(b) for _, f in self._items.values() for _, b in f) > self.max_bytes):
            self._items.popitem(last=False)

    def put(self, key: str, files: list[tuple[str, bytes]], now: float | None = None) -> None:
        now = time.time() if now is None else now
        with self._lock:
            self._items.pop(key, None)
            if sum(len(b) for _, b in files) <= self.max_bytes:
                self._items[key] = (now, tuple(files))
            self._expire(now)

    def get(self, key: str, now: float | None = None) -> list[tuple[str, bytes]] | None:
        now = time.time() if now is None else now
        with self._lock:
            self._expire(now)
            got = self._items.get(key)
            if got is None:
                return None
            self._items.move_to_end(key)
            self._items[key] = (now, got[1])
            return list(got[1])

    def forget(self, key: str) -> None:
        with self._lock:
            self._items.pop(key, None)

    def __len__(self) -> int:
        return len(self._items)


@st.cache_resource
def store() -> Store:
    """The process's one store (a ``cache_resource``: the same object for every session)."""
    return Store()


def _key(browser: str | None) -> str | None:
    if not browser:
        return None
    user = st.session_state.get("username") or ""
    return f"{browser}:{user}"


def put(browser: str | None, files: list[tuple[str, bytes]]) -> None:
    key = _key(browser)
    if key:
        store().put(key, files)


def get(browser: str | None) -> list[tuple[str, bytes]] | None:
    key = _key(browser)
    return store().get(key) if key else None


def forget(browser: str | None) -> None:
    key = _key(browser)
    if key:
        store().forget(key)
