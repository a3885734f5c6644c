"""Hosted use (issue #14): sessions that end, throttling that slows attackers and not users, one failure
message, the audit log, the users CLI that cannot write extra keys, inert text from files, guarded downloads."""
from __future__ import annotations

import io
import json
import sys
import time
import tomllib
from pathlib import Path

import jwt
import pytest
from streamlit.testing.v1 import AppTest

import ui.auth as auth
from ui import store as store_mod
from ui import users as users_cli

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SECRETS = tomllib.loads((ROOT / ".streamlit" / "secrets.example.toml").read_text())
SECRETS["authenticator"]["cookie"]["key"] = "k" * 48
KEY = SECRETS["authenticator"]["cookie"]["key"]
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


def app(monkeypatch, secrets=SECRETS, ip="10.0.0.1"):
    monkeypatch.setenv("SALESLENS_AUTH", "1")
    monkeypatch.setattr(auth, "client_source", lambda: ip)
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in secrets.items():
        at.secrets[k] = v
    return at.run()


def login(at, user, password):
    at.text_input[0].input(user)
    at.text_input[1].input(password)
    at.button[0].click().run()
    return at


def errors(at):
    return [e.value for e in at.error]


def restart():
    """A new process: no in-memory store objects (the SQLite file stays)."""
    store_mod.forget_stores()


# --- failed log-ins --------------------------------------------------------------------------------------
def test_every_failure_gets_the_same_message_known_or_unknown_locked_or_not(monkeypatch):
    at = app(monkeypatch)
    seen = []
    for name in ("hanna", "nobody-here", "hanna", "nobody-here"):
        login(at, name, "wrong")
        seen.append(errors(at))
    for _ in range(auth.MAX_ATTEMPTS):                     # lock both names from this address
        login(at, "hanna", "wrong")
        login(at, "nobody-here", "wrong")
    login(at, "hanna", "hanna-demo-pass")                  # locked: refused although right
    seen.append(errors(at))
    assert at.session_state["authentication_status"] is not True
    login(at, "nobody-here", "x")
    seen.append(errors(at))
    assert all(s == seen[0] for s in seen) and len(seen[0]) == 1, seen
    assert "Wrong username or password" in seen[0][0]
    db = auth.store()
    assert db.wait(store_mod.keys_for("nobody-here", "10.0.0.1")) > 0     # unknown names lock alike
    events = [r[1] for r in db.audit_rows(500)]
    assert events.count("lockout") >= 2 and "login_refused" in events and "login" not in events


def test_a_lock_from_one_address_does_not_lock_the_user_elsewhere(monkeypatch):
    attacker = app(monkeypatch, ip="203.0.113.9")
    for _ in range(auth.MAX_ATTEMPTS + 2):
        login(attacker, "hanna", "guess")
    login(attacker, "hanna", "hanna-demo-pass")
    assert attacker.session_state["authentication_status"] is not True
    user = login(app(monkeypatch, ip="10.0.0.5"), "hanna", "hanna-demo-pass")
    assert user.session_state["authentication_status"] is True      # the real user still gets in


def test_delays_grow_per_user_from_many_addresses_and_stay_short():
    db = store_mod.open_store()
    now = 1_000_000.0
    rule = store_mod.RULES["user"]
    for i in range(rule.free + 3):                          # a distributed guesser: a new address each time
        db.fail(store_mod.keys_for("hanna", f"198.51.100.{i}"), now)
    wait = db.wait({"user": "user:hanna"}, now)
    assert wait == rule.delay(rule.free + 3) == min(rule.cap, rule.base * 8) and 0 < wait <= 60
    assert db.wait({"pair": "pair:hanna|10.0.0.5"}, now) == 0       # the user's own address is not locked
    assert [store_mod.RULES["pair"].delay(n) for n in (4, 5, 6, 7, 20)] == [0, 30, 60, 120, 900]


def test_throttling_survives_a_restart_and_an_admin_lifts_it(monkeypatch, capsys, _state_db):
    at = app(monkeypatch)
    for _ in range(auth.MAX_ATTEMPTS):
        login(at, "hanna", "nope")
    restart()                                               # the server restarts: counters are in the file
    at = login(app(monkeypatch), "hanna", "hanna-demo-pass")
    assert at.session_state["authentication_status"] is not True
    assert users_cli.main(["unlock", "--username", "hanna", "--db", str(_state_db)]) == 0
    assert "cleared 2 counter(s)" in capsys.readouterr().out      # the pair and the name (not the address)
    at = login(app(monkeypatch), "hanna", "hanna-demo-pass")
    assert at.session_state["authentication_status"] is True
    events = [r[1] for r in auth.store().audit_rows(500)]
    assert events[-2:] == ["unlocked_by_admin", "login"]


# --- sessions --------------------------------------------------------------------------------------------
def _cookie_of(at) -> str:
    op = at.session_state["_cookie_op"]
    assert op[0] == "set"
    return op[1]


def test_log_out_revokes_the_session_so_a_replayed_cookie_is_refused(monkeypatch):
    at = login(app(monkeypatch), "alice", "alice-demo-pass")
    token = _cookie_of(at)
    claims = jwt.decode(token, KEY, algorithms=["HS256"])
    assert claims["username"] == "alice" and claims["exp"] > time.time() and len(claims["jti"]) >= 24
    # a second browser session presenting the cookie is logged in while the session is open ...
    monkeypatch.setattr(auth, "cookie_token", lambda name: token)
    other = app(monkeypatch)
    assert other.session_state["authentication_status"] is True and other.title[0].value == "Overview"
    at.run()
    at.sidebar.button(key="logout_btn").click().run()
    assert at.session_state["_cookie_op"][0] == "delete"           # the browser is told to drop it
    assert auth.store().session_user(claims["jti"]) is None
    replay = app(monkeypatch)                                       # ... and refused after log-out
    assert not replay.session_state["authentication_status"] and not replay.title and len(replay.text_input) == 2
    other.run()                                                     # the other tab is logged out on its next rerun
    assert not other.session_state["authentication_status"] and not other.title
    events = [r[1] for r in auth.store().audit_rows(50)]
    assert "logout" in events and "session_refused" in events and "session_ended" in events


def test_forged_or_expired_cookies_are_refused(monkeypatch):
    db = auth.store()
    jti = db.open_session("alice", time.time() + 3600)
    forged = jwt.encode({"username": "alice", "jti": jti, "exp": int(time.time()) + 3600}, "x" * 48, algorithm="HS256")
    monkeypatch.setattr(auth, "cookie_token", lambda name: forged)
    assert not app(monkeypatch).session_state["authentication_status"]       # wrong key
    other = jwt.encode({"username": "hanna", "jti": jti, "exp": int(time.time()) + 3600}, KEY, algorithm="HS256")
    monkeypatch.setattr(auth, "cookie_token", lambda name: other)
    assert not app(monkeypatch).session_state["authentication_status"]       # someone else's session id
    old = db.open_session("alice", time.time() - 1)
    expired = jwt.encode({"username": "alice", "jti": old, "exp": int(time.time()) + 3600}, KEY, algorithm="HS256")
    monkeypatch.setattr(auth, "cookie_token", lambda name: expired)
    assert not app(monkeypatch).session_state["authentication_status"]       # the store's expiry counts
    good = jwt.encode({"username": "alice", "jti": jti, "exp": int(time.time()) + 3600}, KEY, algorithm="HS256")
    monkeypatch.setattr(auth, "cookie_token", lambda name: good)
    assert app(monkeypatch).session_state["authentication_status"] is True
    assert db.revoke_user("alice") == 1
    assert not app(monkeypatch).session_state["authentication_status"]       # admin revoke


# --- OIDC (st.login) -------------------------------------------------------------------------------------
def test_oidc_mode_maps_st_user_to_a_role(monkeypatch):
    secrets = json.loads(json.dumps(SECRETS))
    secrets["app"]["oidc_roles"] = {"olena@example.com": "manager", "boss@example.com": "head"}
    secrets["app"]["oidc_managers"] = {"olena@example.com": "Олена Коваленко"}
    monkeypatch.setenv("SALESLENS_AUTH", "oidc")
    at = AppTest.from_file(APP, default_timeout=90)
    for k, v in secrets.items():
        at.secrets[k] = v
    at.run()
    assert not at.title and [b.label for b in at.button] == ["Log in with your organisation's account"]
    at.user["is_logged_in"] = True
    at.user["email"] = "stranger@example.com"
    at.run()
    assert not at.title and "no role" in at.error[0].value
    at.user["email"] = "olena@example.com"
    at.user["name"] = "Olena"
    at.run()
    assert at.title[0].value == "Overview"
    assert "Logged in: Olena (manager)" in [c.value for c in at.sidebar.caption]
    assert "Colleague" in " ".join(d.value.to_csv() for d in at.dataframe)


# --- users CLI -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("username", ["olena\n[app]\nauth_enabled = false", "a]b", "Олена", "", "_x", "a" * 65,
                                      "alice.admin]\n[app"])
def test_add_user_refuses_a_crafted_user_name(monkeypatch, capsys, username):
    monkeypatch.setattr(sys, "stdin", io.StringIO("pw-123456\n"))
    assert users_cli.main(["add-user", "--username", username, "--name", "X Y", "--role", "admin"]) == 2
    assert "--username" in capsys.readouterr().err


@pytest.mark.parametrize("field, value", [("--name", "Olena\n[app]\nauth_enabled = false"),
                                          ("--email", "x@y.z\"\n[app]"), ("--manager", "A\rB")])
def test_add_user_refuses_crafted_fields(monkeypatch, capsys, field, value):
    monkeypatch.setattr(sys, "stdin", io.StringIO("pw-123456\n"))
    args = {"--username": "olena", "--name": "Olena K", "--role": "manager", "--manager": "Олена Коваленко",
            "--email": "o@example.com", field: value}
    assert users_cli.main(["add-user", *[x for kv in args.items() for x in kv]]) == 2
    assert field in capsys.readouterr().err


def test_add_user_writes_toml_that_parses_to_exactly_one_user(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("pw-123456\n"))
    name = 'Ol"e]na = [app] \\ K'                         # quotes, brackets, backslash: data, not syntax
    assert users_cli.main(["add-user", "--username", "Olena.K", "--name", name, "--role", "manager",
                           "--manager", "Олена \"K\" [x]"]) == 0
    doc = tomllib.loads(capsys.readouterr().out)
    assert list(doc) == ["authenticator"]
    (user, rec), = doc["authenticator"]["credentials"]["usernames"].items()
    assert user == "olena.k" and rec["first_name"] + " " + rec["last_name"] == name
    assert rec["manager"] == "Олена \"K\" [x]" and rec["roles"] == ["manager"]
    assert auth.check_password(rec["password"], "pw-123456") and not auth.check_password(rec["password"], "pw")


def test_uploads_are_audited_by_name_and_size_only(monkeypatch):
    at = login(app(monkeypatch), "hanna", "hanna-demo-pass")
    at.run()
    data = (ROOT / "sample_data" / "deals.csv").read_bytes()
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value([("deals.csv", data, "text/csv")]).run()
    at.run()                                                   # a rerun does not log the same files again
    rows = [r for r in auth.store().audit_rows(100) if r[1] == "upload"]
    assert len(rows) == 1 and rows[0][2] == "hanna"
    assert json.loads(rows[0][4]) == {"files": [{"name": "deals.csv", "bytes": len(data)}]}
    first_line = data.split(b"\n")[1].decode()
    assert all(first_line not in str(r) for r in auth.store().audit_rows(100))


def test_each_session_of_a_manager_numbers_the_colleagues_afresh(monkeypatch):
    """The app's pseudonym key: per-session salt under the deployment secret (kept in the store)."""
    tables = []
    for _ in range(2):
        at = login(app(monkeypatch), "olena", "olena-demo-pass")
        at.run()
        df = at.dataframe[0].value
        col = df.columns[0]
        tables.append(dict(zip(df[col], df.iloc[:, 1:].map(str).agg("|".join, axis=1))))   # (astype(str) keeps NaN on pandas 3)
    a, b = tables
    assert set(a) == set(b) and any(k.startswith("Colleague") for k in a)
    assert a != b                      # same people, same numbers, other pseudonyms (prob. of equal: 1/9!)
    secret = auth.store().secret("pseudonym_key")
    restart()
    assert auth.store().secret("pseudonym_key") == secret and len(secret) == 64


def test_without_a_known_address_nobody_can_lock_a_name_for_more_than_a_minute_or_everybody_at_all():
    db = store_mod.open_store()
    now = 2_000_000.0
    for _ in range(50):                                     # everyone behind one local proxy looks the same
        db.fail(store_mod.keys_for("hanna", store_mod.UNKNOWN), now)
    assert db.wait(store_mod.keys_for("hanna", store_mod.UNKNOWN), now) == 60
    assert db.wait(store_mod.keys_for("olena", store_mod.UNKNOWN), now) == 0     # other names unaffected
    assert not [k for k, *_ in db.counters() if k.startswith("source:")]
    assert db.unlock(username="hanna") == 2 and db.wait(store_mod.keys_for("hanna", store_mod.UNKNOWN), now) == 0
