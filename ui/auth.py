"""Log-in, roles and what each role may see (streamlit-authenticator 0.4.2; notes/streamlit.md §1, §3, §7).

* Off by default for a local run (a "demo mode — no log-in" badge). On when ``[app] auth_enabled = true`` in
  the secrets; ``SALESLENS_AUTH=1|0`` forces it on or off (deployments, tests).
* Credentials: ``[authenticator.credentials.usernames.<user>]`` in ``.streamlit/secrets.toml`` (bcrypt hashes;
  ``python -m ui.auth hash`` / ``add-user``), or a YAML file named by ``[app] credentials_file`` (read, never
  rewritten). Each user has ``roles = ["admin" | "head" | "manager" | "viewer"]``; a manager also has
  ``manager = "<name in the CRM data>"``.
* The cookie key comes from the secrets; with auth on, a missing, default or short key stops the app.
* Lock-out: ``MAX_ATTEMPTS`` failed log-ins lock a user for ``LOCK_SECONDS`` (time-limited, so one visitor
  cannot lock somebody out for good). The counters live in one process-wide credentials dict.
* Log-out clears the session's data (uploads, parsed files, corrections, targets) and its caches, not only the
  flag (``ui.state.clear_session``).
"""
from __future__ import annotations

import copy
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from .i18n import t

ROLES = ("admin", "head", "manager", "viewer")
ALL_PAGES = ("overview", "conversion", "deal_size", "activity", "plan", "retention", "compare", "data")
PAGES = {"admin": ALL_PAGES, "head": ALL_PAGES,
         "viewer": tuple(p for p in ALL_PAGES if p != "plan"),      # demo: sample data, nothing to change
         # a manager sees own KPIs against an anonymised team; no plan editing, no raw rows
         "manager": ("overview", "conversion", "deal_size", "activity", "retention", "compare")}
MAX_ATTEMPTS = 5
LOCK_SECONDS = 15 * 60
MIN_KEY_LENGTH = 32
DEFAULT_KEYS = {"some_key", "some_signature_key", "replace-with-a-long-random-secret", "change-me", "changeme",
                "secret", "random_signature_key"}

class AuthConfigError(RuntimeError):
    """Auth is on but its configuration is unusable; the message says why."""


@dataclass(frozen=True)
class User:
    username: str
    name: str
    role: str
    manager: str | None = None      # the CRM name a "manager" user sees as themselves

    @property
    def can_edit(self) -> bool:
        """May change targets and thresholds."""
        return self.role in ("admin", "head")

    @property
    def can_upload(self) -> bool:
        return self.role != "viewer"


DEMO = User(username="demo", name="Demo", role="admin")


def _secrets() -> dict:
    try:
        return st.secrets.to_dict()
    except FileNotFoundError:      # no secrets.toml (StreamlitSecretNotFoundError)
        return {}


def auth_enabled() -> bool:
    env = os.environ.get("SALESLENS_AUTH")
    if env is not None:
        return env.strip().lower() not in ("0", "false", "off", "no", "")
    return bool(_secrets().get("app", {}).get("auth_enabled", False))


def load_config(secrets: dict | None = None) -> dict:
    """{credentials, cookie: {name, key, expiry_days}} from the secrets or the YAML file they name."""
    secrets = _secrets() if secrets is None else secrets
    cfg = copy.deepcopy(secrets.get("authenticator", {}))
    path = secrets.get("app", {}).get("credentials_file")
    if path:
        import yaml
        file = Path(path)
        if not file.is_file():
            raise AuthConfigError(t("auth.no_file", path=path))
        cfg = {**yaml.safe_load(file.read_text(encoding="utf-8")), **{k: v for k, v in cfg.items() if k == "cookie"}}
    cookie = cfg.get("cookie", {})
    key = str(cookie.get("key", ""))
    if not key:
        raise AuthConfigError(t("auth.key_missing"))
    if key.lower() in DEFAULT_KEYS or len(key) < MIN_KEY_LENGTH:
        raise AuthConfigError(t("auth.key_weak", n=MIN_KEY_LENGTH))
    if not cfg.get("credentials", {}).get("usernames"):
        raise AuthConfigError(t("auth.no_users"))
    cfg.setdefault("cookie", {}).setdefault("name", "saleslens_auth")
    cfg["cookie"].setdefault("expiry_days", 1)
    return cfg


@st.cache_resource
def _shared_credentials(fingerprint: str, _credentials: dict) -> dict:
    """One credentials dict per process, so failed-attempt counters survive reruns and sessions."""
    creds = copy.deepcopy(_credentials)
    for user in creds.get("usernames", {}).values():
        user.setdefault("failed_login_attempts", 0)
    return creds


@st.cache_resource
def _lock_book() -> tuple[dict, threading.Lock]:
    return {}, threading.Lock()


def expire_locks(creds: dict, now: float | None = None) -> None:
    """Record when each user's failure counter last changed; unlock users locked for LOCK_SECONDS."""
    now = time.time() if now is None else now
    book, lock = _lock_book()
    with lock:
        for name, user in creds.get("usernames", {}).items():
            count = int(user.get("failed_login_attempts", 0) or 0)
            seen = book.get(name)
            if seen is None or seen[0] != count:
                book[name] = (count, now)
            elif count >= MAX_ATTEMPTS and now - seen[1] >= LOCK_SECONDS:
                user["failed_login_attempts"] = 0
                book[name] = (0, now)


def role_of(roles) -> str:
    roles = list(roles or [])
    return next((r for r in ROLES if r in roles), "viewer")


def clear_session_data(*_args) -> None:
    """Log-out: forget everything this session loaded or set, and its session caches (``ui.state`` owns
    the keys and the caches; nothing here lists them)."""
    from . import state
    state.clear_session()


def current_user() -> User | None:
    """The logged-in user (or the demo user when auth is off); None before log-in."""
    if not auth_enabled():
        return DEMO
    if not st.session_state.get("authentication_status"):
        return None
    username = st.session_state.get("username") or ""
    info = st.session_state.get("_auth_users", {}).get(username, {})
    return User(username=username, name=st.session_state.get("name") or username,
                role=role_of(st.session_state.get("roles") or info.get("roles")), manager=info.get("manager"))


def login_gate() -> User | None:
    """Draw the log-in form (main area) when needed; return the user once logged in. Call after st.navigation."""
    if not auth_enabled():
        return DEMO
    import streamlit_authenticator as stauth

    cfg = load_config()
    creds = _shared_credentials(repr(sorted(cfg["credentials"]["usernames"])), cfg["credentials"])
    expire_locks(creds)
    st.session_state["_auth_users"] = {u: {"roles": v.get("roles"), "manager": v.get("manager")}
                                       for u, v in creds["usernames"].items()}
    auth = stauth.Authenticate(creds, cfg["cookie"]["name"], cfg["cookie"]["key"],
                               float(cfg["cookie"]["expiry_days"]), auto_hash=False,
                               login_sleep_time=float(cfg.get("login_sleep_time", 0.7)))
    if not st.session_state.get("authentication_status"):
        try:
            auth.login(location="main", max_login_attempts=MAX_ATTEMPTS, key="login",
                       fields={"Form name": t("auth.title"), "Username": t("auth.username"),
                               "Password": t("auth.password"), "Login": t("auth.login")})
        except stauth.LoginError as exc:
            msg = str(exc)
            st.error(t("auth.locked", minutes=LOCK_SECONDS // 60) if "attempts" in msg.lower() else msg)
        if st.session_state.get("authentication_status") is False:
            st.error(t("auth.failed"))
    user = current_user()
    if user is not None:
        auth.logout(t("auth.logout"), "sidebar", key="logout_btn", callback=clear_session_data)
        if not st.session_state.get("authentication_status"):   # logged out just now: back to the form
            st.rerun()
    return user


def badge(user: User) -> None:
    """Who is logged in, or the demo-mode badge."""
    if not auth_enabled():
        st.sidebar.badge(t("auth.demo"), icon=":material/lock_open:", color="orange")
    else:
        st.sidebar.caption(t("auth.who", name=user.name, role=t(f"auth.role.{user.role}")))
