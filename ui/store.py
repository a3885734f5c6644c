"""The app's small shared state: log-in sessions, failed-log-in counters, the audit log, the pseudonym key.

One SQLite file (WAL mode, a busy timeout), so every replica on one host or one shared volume sees the same
revocations and counters, and they survive a restart. No uploaded data ever goes here — only user names,
session ids, client addresses, times and upload file names/sizes in the audit log.

Where: ``SALESLENS_STATE_DB`` in the environment, else ``[app] state_db`` in the secrets, else
``~/.saleslens/auth.db``. The module imports no streamlit, so ``python -m ui.users`` (unlock, revoke, audit)
uses it without a running app.
"""
from __future__ import annotations

import json
import os
import secrets
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path("~/.saleslens/auth.db")
DECAY_SECONDS = 24 * 3600          #: a counter with no failure for a day starts again from zero


@dataclass(frozen=True)
class Rule:
    """Failures allowed for free, then a delay of ``base`` seconds doubling with every further failure,
    at most ``cap``: delay(n) = 0 if n < free else min(cap, base · 2^(n − free))."""
    free: int
    base: float
    cap: float

    def delay(self, n: int) -> float:
        return 0.0 if n < self.free else float(min(self.cap, self.base * 2 ** min(n - self.free, 30)))


#: what one failed log-in counts against. "pair" (this name from this address) locks like a classic
#: lock-out; "user" (this name from anywhere) only slows a distributed guesser to one try a minute, so
#: nobody can lock a user out for long from elsewhere; "source" (any name from this address) slows spraying.
#: When the address is not known (Streamlit reports none for local connections — a reverse proxy on the same
#: host without ``client_ip_header`` looks like that too), everyone shares it: then "shared" replaces "pair"
#: (this name, capped at a minute) and there is no "source" counter, so nobody can lock everybody out.
RULES = {"pair": Rule(free=5, base=30, cap=15 * 60),
         "user": Rule(free=10, base=5, cap=60),
         "source": Rule(free=20, base=30, cap=15 * 60),
         "shared": Rule(free=5, base=30, cap=60)}
UNKNOWN = "unknown"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (jti TEXT PRIMARY KEY, username TEXT NOT NULL, created REAL NOT NULL,
    expires REAL NOT NULL, revoked REAL, source TEXT);
CREATE INDEX IF NOT EXISTS sessions_user ON sessions(username);
CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, kind TEXT NOT NULL, count INTEGER NOT NULL,
    last REAL NOT NULL, until REAL NOT NULL);
CREATE TABLE IF NOT EXISTS audit (id INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, event TEXT NOT NULL,
    username TEXT, source TEXT, detail TEXT);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_lock = threading.Lock()
_stores: dict[str, "Store"] = {}


def default_path(secrets_: dict | None = None) -> Path:
    env = os.environ.get("SALESLENS_STATE_DB")
    if env:
        return Path(env).expanduser()
    configured = ((secrets_ or {}).get("app") or {}).get("state_db")
    return Path(configured or DEFAULT_PATH).expanduser()


def open_store(path: str | Path | None = None, secrets_: dict | None = None) -> "Store":
    """The process's store for ``path`` (one connection per thread, created on first use)."""
    p = str(Path(path).expanduser() if path else default_path(secrets_))
    with _lock:
        if p not in _stores:
            _stores[p] = Store(p)
        return _stores[p]


def forget_stores() -> None:
    """Drop this process's store objects (the files stay): what a restart does; for tests and tools."""
    with _lock:
        _stores.clear()


def keys_for(username: str, source: str) -> dict[str, str]:
    """The counters one attempt touches (the name as typed, lowercased: unknown names count alike)."""
    if not source or source == UNKNOWN:
        return {"shared": f"shared:{username}", "user": f"user:{username}"}
    return {"pair": f"pair:{username}|{source}", "user": f"user:{username}", "source": f"source:{source}"}


class Store:
    def __init__(self, path: str):
        self.path = path
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db().executescript(_SCHEMA)
        try:
            os.chmod(path, 0o600)
        except OSError:
            pass

    # --- plumbing ---------------------------------------------------------------------------------------
    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=10, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA busy_timeout=10000")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    class _Tx:
        def __init__(self, db):
            self.db = db

        def __enter__(self):
            self.db.execute("BEGIN IMMEDIATE")
            return self.db

        def __exit__(self, kind, *_):
            self.db.execute("ROLLBACK" if kind else "COMMIT")

    def _tx(self):
        return Store._Tx(self._db())

    # --- sessions -----------------------------------------------------------------------------------------
    def open_session(self, username: str, expires: float, source: str = "") -> str:
        """A new session id (jti) for ``username``, valid until ``expires`` (epoch seconds)."""
        jti = secrets.token_urlsafe(24)
        with self._tx() as db:
            db.execute("INSERT INTO sessions VALUES (?, ?, ?, ?, NULL, ?)", (jti, username, time.time(), expires, source))
        return jti

    def session_user(self, jti: str | None) -> str | None:
        """The user of a live session (known, not revoked, not expired), else None."""
        if not jti or not isinstance(jti, str):
            return None
        row = self._db().execute("SELECT username, expires, revoked FROM sessions WHERE jti = ?", (jti,)).fetchone()
        if row is None or row[2] is not None or row[1] <= time.time():
            return None
        return row[0]

    def revoke(self, jti: str | None) -> None:
        if jti:
            with self._tx() as db:
                db.execute("UPDATE sessions SET revoked = ? WHERE jti = ? AND revoked IS NULL", (time.time(), jti))

    def revoke_user(self, username: str) -> int:
        """Revoke every live session of ``username`` (admin: a stolen laptop); returns how many."""
        with self._tx() as db:
            now = time.time()
            cur = db.execute("UPDATE sessions SET revoked = ? WHERE username = ? AND revoked IS NULL AND expires > ?",
                             (now, username, now))
            db.execute("DELETE FROM sessions WHERE expires < ?", (time.time() - DECAY_SECONDS,))
            return cur.rowcount

    # --- failed log-ins -----------------------------------------------------------------------------------
    def wait(self, keys: dict[str, str], now: float | None = None) -> float:
        """Seconds until an attempt with these counters is accepted again (0 = now)."""
        now = time.time() if now is None else now
        q = "SELECT until FROM failures WHERE key IN (%s)" % ",".join("?" * len(keys))
        untils = [r[0] for r in self._db().execute(q, list(keys.values()))]
        return max([0.0, *(u - now for u in untils)])

    def fail(self, keys: dict[str, str], now: float | None = None) -> list[str]:
        """Count one failure against each counter; returns the kinds that became locked by it."""
        now = time.time() if now is None else now
        locked = []
        with self._tx() as db:
            for kind, key in keys.items():
                row = db.execute("SELECT count, last FROM failures WHERE key = ?", (key,)).fetchone()
                n = 0 if row is None or now - row[1] > DECAY_SECONDS else row[0]
                n += 1
                delay = RULES[kind].delay(n)
                if delay and not RULES[kind].delay(n - 1):
                    locked.append(kind)
                db.execute("INSERT OR REPLACE INTO failures VALUES (?, ?, ?, ?, ?)", (key, kind, n, now, now + delay))
        return locked

    def succeed(self, keys: dict[str, str]) -> None:
        """A right password: this name's counters start again (the address's does not: one account of
        one's own must not reset a guesser's budget)."""
        with self._tx() as db:
            db.execute("DELETE FROM failures WHERE key IN (?, ?)", (keys.get("pair") or keys.get("shared"), keys["user"]))

    def unlock(self, username: str | None = None, source: str | None = None) -> int:
        """Admin: clear the counters of a user name (all addresses) and/or an address; returns how many."""
        n = 0
        with self._tx() as db:
            if username:
                n += db.execute("DELETE FROM failures WHERE key IN (?, ?) OR (kind = 'pair' AND key LIKE ? ESCAPE '\\')",
                                (f"user:{username}", f"shared:{username}", _like_prefix(f"pair:{username}|"))).rowcount
            if source:
                n += db.execute("DELETE FROM failures WHERE key = ? OR (kind = 'pair' AND key LIKE ? ESCAPE '\\')",
                                (f"source:{source}", "%" + _like_escape(f"|{source}"))).rowcount
        return n

    def counters(self) -> list[tuple]:
        return self._db().execute("SELECT key, count, until FROM failures ORDER BY key").fetchall()

    # --- audit log ----------------------------------------------------------------------------------------
    def audit(self, event: str, username: str | None = None, source: str | None = None, **detail) -> None:
        """One line of the audit log (events: login, login_failed, lockout, login_refused, logout,
        session_refused, upload). ``detail`` holds names and sizes only, never data."""
        with self._tx() as db:
            db.execute("INSERT INTO audit (at, event, username, source, detail) VALUES (?, ?, ?, ?, ?)",
                       (time.time(), event, username, source, json.dumps(detail, ensure_ascii=False) if detail else None))

    def audit_rows(self, limit: int = 100) -> list[tuple]:
        return self._db().execute("SELECT at, event, username, source, detail FROM audit ORDER BY id DESC LIMIT ?",
                                  (limit,)).fetchall()[::-1]

    # --- settings -----------------------------------------------------------------------------------------
    def secret(self, name: str, nbytes: int = 32) -> str:
        """A random secret generated once per deployment and kept here (e.g. the pseudonym key)."""
        row = self._db().execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        if row is not None:
            return row[0]
        with self._tx() as db:       # first use: one replica wins, the others read its value
            db.execute("INSERT OR IGNORE INTO settings VALUES (?, ?)", (name, secrets.token_hex(nbytes)))
            return db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()[0]


def _like_escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_prefix(s: str) -> str:
    return _like_escape(s) + "%"
