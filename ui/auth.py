"""Log-in, sessions, throttling, roles and what each role may see (notes/streamlit.md §1, §7; issue #14).

* Off by default for a local run (a "demo mode — no log-in" badge). On when ``[app] auth_enabled = true`` in
  the secrets; ``SALESLENS_AUTH=1|0`` forces it on or off; ``SALESLENS_AUTH=oidc`` (or ``[app] auth = "oidc"``)
  uses Streamlit's native ``st.login`` (OIDC) with roles from ``[app.oidc_roles]`` (README, "Hosted use").
* Credentials: ``[authenticator.credentials.usernames.<user>]`` in ``.streamlit/secrets.toml`` (bcrypt hashes;
  ``python -m ui.users hash`` / ``add-user``), or a YAML file named by ``[app] credentials_file`` (read, never
  rewritten). Each user has ``roles = ["admin" | "head" | "manager" | "viewer"]``; a manager also has
  ``manager = "<name in the CRM data>"``.
* The cookie key comes from the secrets; with auth on, a missing, default or short key stops the app.
* Sessions end: a log-in opens a session (a random id, "jti") in the shared store (ui/store.py, SQLite); the
  cookie is a JWT {username, jti, exp} signed with the cookie key. Every rerun checks that the session is
  still open; log-out revokes it, so a replayed cookie is refused. The cookie is written by the
  extra-streamlit-components cookie component (JavaScript), so it cannot be HttpOnly; it is SameSite=Strict
  and Secure whenever the app is reached over https (or ``[authenticator.cookie] secure = true``).
* Failed log-ins: counted per name+address, per name and per address in the store (ui/store.RULES: growing
  delays), one message for every failure — known or unknown name, locked or not. ``python -m ui.users
  unlock --username X`` lifts a lock. Log-ins, failures, lock-outs, log-outs and uploads (names and sizes)
  go to the store's audit log (``python -m ui.users audit``).
* Log-out clears the session's data (uploads, parsed files, corrections, targets) and its caches, not only the
  flag (``ui.state.clear_session``).
"""
from __future__ import annotations

import copy
import datetime as _dt
import os
import secrets as _secrets_mod
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import streamlit as st

from . import store as _store
from .fmt import inert
from .i18n import t

ROLES = ("admin", "head", "manager", "viewer")
ALL_PAGES = ("overview", "conversion", "deal_size", "activity", "plan", "retention", "compare", "data")
PAGES = {"admin": ALL_PAGES, "head": ALL_PAGES,
         "viewer": tuple(p for p in ALL_PAGES if p != "plan"),      # demo: sample data, nothing to change
         # a manager sees own KPIs against an anonymised team; no plan editing, no raw rows
         "manager": ("overview", "conversion", "deal_size", "activity", "retention", "compare")}
MAX_ATTEMPTS = _store.RULES["pair"].free      #: failures from one address before this name is locked there
LOCK_SECONDS = int(_store.RULES["pair"].cap)  #: the longest such lock (the delays grow up to it)
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


def auth_mode() -> str:
    """"off", "password" (streamlit-authenticator style users in the secrets) or "oidc" (st.login)."""
    env = os.environ.get("SALESLENS_AUTH")
    app = _secrets().get("app", {})
    if env is not None:
        value = env.strip().lower()
        if value in ("0", "false", "off", "no", ""):
            return "off"
        return "oidc" if value == "oidc" else "password"
    if not app.get("auth_enabled", False):
        return "off"
    return "oidc" if str(app.get("auth", "")).lower() == "oidc" else "password"


def auth_enabled() -> bool:
    return auth_mode() != "off"


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


def store() -> _store.Store:
    """The shared store (sessions, counters, audit log, pseudonym key); its path is a setting (ui/store.py)."""
    return _store.open_store(secrets_=_secrets())


def client_source() -> str:
    """The visitor's address: the socket's peer, or — only when ``[app] client_ip_header`` names a header set by
    your own reverse proxy (e.g. "X-Forwarded-For") — that header's last entry."""
    header = _secrets().get("app", {}).get("client_ip_header")
    if header:
        try:
            value = st.context.headers.get(header)
        except Exception:  # noqa: BLE001 - no request context (tests, bare mode)
            value = None
        if isinstance(value, str) and value.strip():
            return value.split(",")[-1].strip()[:64]
    try:
        ip = st.context.ip_address
    except Exception:  # noqa: BLE001
        ip = None
    return ip if isinstance(ip, str) and ip else _store.UNKNOWN


@lru_cache(maxsize=1)
def _dummy_hash() -> bytes:
    """Checked against for unknown names, so they cost the same bcrypt time as known ones."""
    import bcrypt
    return bcrypt.hashpw(b"not-a-password", bcrypt.gensalt(rounds=12))


def check_password(password_hash: str | None, password: str) -> bool:
    import bcrypt
    data = (password or "").strip().encode()
    target = password_hash.encode() if isinstance(password_hash, str) and password_hash.startswith("$2") else None
    try:
        ok = bcrypt.checkpw(data, target or _dummy_hash())
    except ValueError:          # bcrypt 5: more than 72 bytes, or a malformed hash
        ok = False
    return ok and target is not None and bool(data)


def attempt(users: dict, username: str, password: str, source: str) -> bool:
    """One log-in attempt against the throttles (store.RULES) and the bcrypt hashes. An attempt while any of
    its counters is locked is refused without looking at the password and counts against the locked counters
    only (a user retrying while somebody else's guessing slows their name does not lock themselves out)."""
    db = store()
    name = (username or "").strip().lower()[:128]
    keys = _store.keys_for(name, source)
    now = time.time()
    locked = {kind: key for kind, key in keys.items() if db.wait({kind: key}, now) > 0}
    if locked:
        check_password(None, password)                       # same work as a real check
        db.fail(locked, now)
        db.audit("login_refused", name, source, locked=sorted(locked))
        return False
    if check_password((users.get(name) or {}).get("password"), password):
        db.succeed(keys)
        db.audit("login", name, source)
        return True
    newly = db.fail(keys, now)
    db.audit("login_failed", name, source, known=name in users)
    for kind in newly:
        db.audit("lockout", name, source, counter=kind)
    return False


def role_of(roles) -> str:
    roles = list(roles or [])
    return next((r for r in ROLES if r in roles), "viewer")


def clear_session_data(*_args) -> None:
    """Log-out: forget everything this session loaded or set, and its session caches (``ui.state`` owns
    the keys and the caches; nothing here lists them)."""
    from . import state
    state.clear_session()
    for key in ("_pseudonym_salt", "_audited_uploads"):     # this module's own session keys
        st.session_state.pop(key, None)


def current_user() -> User | None:
    """The logged-in user (or the demo user when auth is off); None before log-in."""
    mode = auth_mode()
    if mode == "off":
        return DEMO
    if mode == "oidc":
        return _oidc_user()
    if not st.session_state.get("authentication_status"):
        return None
    username = st.session_state.get("username") or ""
    info = st.session_state.get("_auth_users", {}).get(username, {})
    return User(username=username, name=st.session_state.get("name") or username,
                role=role_of(st.session_state.get("roles") or info.get("roles")), manager=info.get("manager"))


def _cookie_secure(cfg: dict) -> bool:
    flag = cfg["cookie"].get("secure")
    if flag is not None:
        return bool(flag)
    try:
        url = str(st.context.url or "")
        proto = st.context.headers.get("X-Forwarded-Proto") or ""
    except Exception:  # noqa: BLE001
        return False
    return url.startswith("https://") or (isinstance(proto, str) and proto.lower() == "https")


def _cookie_ops(cfg: dict) -> None:
    """Write or delete the cookie through the cookie component (JS) until the browser confirms it."""
    op = st.session_state.get("_cookie_op")
    if not op:
        return
    from extra_streamlit_components.CookieManager import _component_func as cookie_component
    kind, token, expires, nonce = op
    name = cfg["cookie"]["name"]
    if kind == "set":
        options = {"path": "/", "sameSite": "strict",
                   "expires": _dt.datetime.fromtimestamp(expires, _dt.timezone.utc).isoformat()}
        if _cookie_secure(cfg):
            options["secure"] = True
        done = cookie_component(method="set", cookie=name, value=token, options=options, key=f"_ck_{nonce}",
                                default=False)
    else:
        done = cookie_component(method="delete", cookie=name, key=f"_ck_{nonce}", default=False)
    if done is True:
        st.session_state.pop("_cookie_op", None)


def _schedule_cookie(kind: str, token: str = "", expires: float = 0.0) -> None:
    st.session_state["_cookie_op"] = (kind, token, expires, _secrets_mod.token_hex(6))


def _start_session(cfg: dict, users: dict, username: str, jti: str) -> None:
    info = users[username]
    st.session_state.update(authentication_status=True, username=username, _auth_jti=jti,
                            name=" ".join(x for x in (info.get("first_name"), info.get("last_name")) if x) or username,
                            email=info.get("email"), roles=list(info.get("roles") or []))


def _forget_login() -> None:
    for key in ("username", "name", "email", "roles", "_auth_jti"):
        st.session_state.pop(key, None)
    st.session_state["authentication_status"] = None


def _end_session(*_args) -> None:
    """Log-out (button callback): the session is revoked in the store, the cookie deleted, the data forgotten."""
    db = store()
    db.revoke(st.session_state.get("_auth_jti"))
    db.audit("logout", st.session_state.get("username"), client_source())
    clear_session_data()
    _forget_login()
    _schedule_cookie("delete")


def cookie_token(name: str) -> str | None:
    """The cookie the browser sent when this session's connection opened (a MagicMock in AppTest)."""
    try:
        token = st.context.cookies.get(name)
    except Exception:  # noqa: BLE001 - no request context
        return None
    return token if isinstance(token, str) else None


def _from_cookie(cfg: dict, users: dict) -> None:
    """A new browser session with a cookie: log in again only if its session is still open in the store."""
    import jwt
    token = cookie_token(cfg["cookie"]["name"])
    if not isinstance(token, str) or not token or st.session_state.get("_cookie_checked") == token:
        return
    st.session_state["_cookie_checked"] = token       # each token is looked at once per browser session
    try:
        claims = jwt.decode(token, str(cfg["cookie"]["key"]), algorithms=["HS256"],
                            options={"require": ["exp", "jti", "username"]})
    except jwt.PyJWTError:
        claims = {}
    db = store()
    who = db.session_user(claims.get("jti"))
    if who is not None and who == claims.get("username") and who in users:
        _start_session(cfg, users, who, claims["jti"])
        return
    db.audit("session_refused", str(claims.get("username") or "")[:128] or None, client_source())
    _schedule_cookie("delete")


def _login_form() -> tuple[str, str] | None:
    with st.form("login", clear_on_submit=False):
        st.subheader(t("auth.title"))
        username = st.text_input(t("auth.username"), key="login_username", autocomplete="username", max_chars=128)
        password = st.text_input(t("auth.password"), type="password", key="login_password",
                                 autocomplete="current-password", max_chars=256)
        if st.form_submit_button(t("auth.login")):
            return username or "", password or ""
    return None


def login_gate() -> User | None:
    """Draw the log-in form (main area) when needed; return the user once logged in. Call after st.navigation."""
    mode = auth_mode()
    if mode == "off":
        return DEMO
    if mode == "oidc":
        return _oidc_gate()
    cfg = load_config()
    users = {str(k).lower(): v for k, v in cfg["credentials"]["usernames"].items()}
    st.session_state["_auth_users"] = {u: {"roles": v.get("roles"), "manager": v.get("manager")}
                                       for u, v in users.items()}
    st.session_state.setdefault("authentication_status", None)
    _cookie_ops(cfg)
    if st.session_state.get("authentication_status"):
        if store().session_user(st.session_state.get("_auth_jti")) != st.session_state.get("username"):
            store().audit("session_ended", st.session_state.get("username"), client_source())
            clear_session_data()
            _forget_login()               # revoked elsewhere (log-out in another tab, admin) or expired
    else:
        _from_cookie(cfg, users)
    if not st.session_state.get("authentication_status"):
        submitted = _login_form()
        if submitted is not None:
            username, password = submitted
            if attempt(users, username, password, client_source()):
                name = username.strip().lower()
                expires = time.time() + float(cfg["cookie"]["expiry_days"]) * 86400
                jti = store().open_session(name, expires, client_source())
                _start_session(cfg, users, name, jti)
                if float(cfg["cookie"]["expiry_days"]) > 0:
                    import jwt
                    token = jwt.encode({"username": name, "jti": jti, "exp": int(expires)},
                                       str(cfg["cookie"]["key"]), algorithm="HS256")
                    _schedule_cookie("set", token, expires)
                    _cookie_ops(cfg)
            else:
                st.session_state["authentication_status"] = False
                st.error(t("auth.refused"))
    user = current_user()
    if user is not None:
        st.sidebar.button(t("auth.logout"), key="logout_btn", on_click=_end_session)
    return user


# --- Streamlit's native log-in (OIDC: Google, Microsoft Entra, Keycloak, ...) -------------------------------
def _oidc_settings() -> dict:
    app = _secrets().get("app", {})
    return {"provider": app.get("oidc_provider"),
            "roles": {str(k).lower(): v for k, v in (app.get("oidc_roles") or {}).items()},
            "managers": {str(k).lower(): v for k, v in (app.get("oidc_managers") or {}).items()}}


def _oidc_user() -> User | None:
    """st.user mapped to a role by its e-mail (``[app.oidc_roles]``; ``"*"`` = everyone else); None when not
    logged in or not mapped."""
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "").lower()
        name = str(st.user.get("name") or email)
    except (AttributeError, KeyError):
        return None
    cfg = _oidc_settings()
    role = cfg["roles"].get(email) or cfg["roles"].get("*")
    if role not in ROLES or (role == "manager" and not cfg["managers"].get(email)):
        return None
    return User(username=email, name=name, role=role, manager=cfg["managers"].get(email))


def _oidc_gate() -> User | None:
    user = _oidc_user()
    logged_in = bool(getattr(st.user, "is_logged_in", False)) if hasattr(st, "user") else False
    if user is None:
        st.subheader(t("auth.title"))
        if logged_in:
            st.error(t("auth.oidc_no_role"))
            if st.button(t("auth.logout"), key="oidc_logout"):
                st.logout()
        elif st.button(t("auth.oidc_login"), key="oidc_login", icon=":material/login:"):
            provider = _oidc_settings()["provider"]
            st.login(provider) if provider else st.login()
        return None
    if st.session_state.get("_oidc_seen") != user.username:
        st.session_state["_oidc_seen"] = user.username
        store().audit("login", user.username, client_source(), via="oidc")
    if st.sidebar.button(t("auth.logout"), key="logout_btn"):
        store().audit("logout", user.username, client_source(), via="oidc")
        clear_session_data()
        st.logout()
    return user


def pseudonym_key() -> bytes:
    """The key that decides who is "Colleague NN" (metrics.privacy): HMAC of a per-session random value
    under the deployment's secret (``[app] pseudonym_key`` in the secrets, else one generated once and kept
    in the store). A new session (a new log-in) gets new numbers, so numbers cannot be tracked across
    sessions either."""
    import hashlib
    import hmac
    deployment = str(_secrets().get("app", {}).get("pseudonym_key") or store().secret("pseudonym_key"))
    salt = st.session_state.setdefault("_pseudonym_salt", _secrets_mod.token_hex(16))
    return hmac.new(deployment.encode(), salt.encode(), hashlib.sha256).digest()


def audit_uploads(files) -> None:
    """Audit log: each new set of uploaded files, by name and size only (never their content)."""
    if not auth_enabled() or not files:
        return
    seen = tuple((str(getattr(f, "name", "?")), int(getattr(f, "size", 0) or 0)) for f in files)
    if st.session_state.get("_audited_uploads") == seen:
        return
    st.session_state["_audited_uploads"] = seen
    user = current_user()
    store().audit("upload", user.username if user else None, client_source(),
                  files=[{"name": n[:200], "bytes": b} for n, b in seen])


def badge(user: User) -> None:
    """Who is logged in, or the demo-mode badge."""
    if not auth_enabled():
        st.sidebar.badge(t("auth.demo"), icon=":material/lock_open:", color="orange")
    else:
        st.sidebar.caption(t("auth.who", name=inert(user.name), role=t(f"auth.role.{user.role}")))
