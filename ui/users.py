"""``python -m ui.users``: users for .streamlit/secrets.toml (or a YAML file), and the admin's lock/session tools.

    python -m ui.users hash                      # asks for the password, prints its bcrypt hash
    python -m ui.users add-user --username olena --name "Олена Коваленко" --role manager \\
        --manager "Олена Коваленко" [--email x@y] [--yaml users.yaml]
    python -m ui.users unlock --username olena   # lift the failed-log-in locks of a name (all addresses)
    python -m ui.users unlock --source 10.0.0.7  # ... or of an address
    python -m ui.users revoke --username olena   # end every open session of a user (their cookies stop working)
    python -m ui.users audit [--limit 50]        # the last lines of the audit log

Every field is validated and the entry is written by a TOML serializer (tomli-w) or YAML's safe_dump, so a
crafted value cannot add keys or tables (``[app] auth_enabled = false``) to the secrets file.
``unlock``/``revoke``/``audit`` use the shared store (``SALESLENS_STATE_DB``, ``--db`` or ``~/.saleslens/auth.db``;
ui/store.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import getpass
import re
import sys
from pathlib import Path

import bcrypt

ROLES = ("admin", "head", "manager", "viewer")
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}")
MAX_TEXT = 200


class InvalidField(ValueError):
    """A field that may not go into the credentials file; the message names the field."""


def check_username(value: str) -> str:
    name = (value or "").strip().lower()
    if not USERNAME.fullmatch(name):
        raise InvalidField(f"--username {value!r}: use 1-64 of a-z 0-9 . _ - (starting with a letter or digit)")
    return name


def check_text(field: str, value: str | None, *, required: bool) -> str:
    """A display name / CRM name: printable, one line, at most MAX_TEXT characters."""
    value = "" if value is None else value
    if required and not value.strip():
        raise InvalidField(f"--{field} is empty")
    if len(value) > MAX_TEXT:
        raise InvalidField(f"--{field}: at most {MAX_TEXT} characters")
    if any(not ch.isprintable() for ch in value):      # newlines, tabs, control and format characters
        raise InvalidField(f"--{field}: one line of printable characters only")
    return value.strip()


def check_email(value: str) -> str:
    value = (value or "").strip()
    if value and not EMAIL.fullmatch(value):
        raise InvalidField(f"--email {value!r} is not an e-mail address")
    return value


def hash_password(password: str) -> str:
    data = password.strip().encode()
    if not data:
        raise ValueError("the password is empty")
    if len(data) > 72:
        raise ValueError("bcrypt takes at most 72 bytes of password")
    return bcrypt.hashpw(data, bcrypt.gensalt(rounds=12)).decode()


def user_record(*, name: str, role: str, password_hash: str, email: str = "", manager: str | None = None) -> dict:
    if role not in ROLES:
        raise InvalidField(f"--role {role!r}: one of {', '.join(ROLES)}")
    if not re.fullmatch(r"\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}", password_hash or ""):
        raise InvalidField("password hash: not a bcrypt hash")
    name = check_text("name", name, required=True)
    first, _, last = name.partition(" ")
    record = {"email": check_email(email), "first_name": first, "last_name": last.strip(),
              "password": password_hash, "roles": [role]}
    if manager:
        record["manager"] = check_text("manager", manager, required=True)
    elif role == "manager":
        raise InvalidField("a manager needs --manager (their name in the CRM data)")
    return record


def toml_entry(*, username: str, name: str, role: str, password_hash: str, email: str = "",
               manager: str | None = None) -> str:
    """The user's table for secrets.toml, written by tomli-w (validated fields, quoted keys and values)."""
    import tomli_w
    record = user_record(name=name, role=role, password_hash=password_hash, email=email, manager=manager)
    doc = {"authenticator": {"credentials": {"usernames": {check_username(username): record}}}}
    return tomli_w.dumps(doc)


def _store(db: str | None):
    from .store import open_store
    return open_store(db) if db else open_store()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ui.users", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("hash", help="print the bcrypt hash of a password (asked without echo)")
    a = sub.add_parser("add-user", help="print (or add to a YAML file) a user entry")
    a.add_argument("--username", required=True)
    a.add_argument("--name", required=True)
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument("--manager", help="for role manager: their name as it appears in the CRM data")
    a.add_argument("--email", default="")
    a.add_argument("--yaml", metavar="FILE", help="add the user to this YAML credentials file instead")
    u = sub.add_parser("unlock", help="lift failed-log-in locks of a user name and/or an address")
    u.add_argument("--username")
    u.add_argument("--source", help="a client address (as in the audit log)")
    u.add_argument("--db", help="the store file (default: SALESLENS_STATE_DB or ~/.saleslens/auth.db)")
    r = sub.add_parser("revoke", help="end every open session of a user")
    r.add_argument("--username", required=True)
    r.add_argument("--db")
    au = sub.add_parser("audit", help="print the last lines of the audit log")
    au.add_argument("--limit", type=int, default=50)
    au.add_argument("--db")
    args = p.parse_args(argv)

    if args.cmd in ("unlock", "revoke", "audit"):
        db = _store(args.db)
        if args.cmd == "audit":
            for at, event, user, source, detail in db.audit_rows(max(1, args.limit)):
                when = dt.datetime.fromtimestamp(at, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
                print(f"{when}Z  {event:15} {user or '-':20} {source or '-':15} {detail or ''}")
            return 0
        try:
            user = check_username(args.username) if args.username else None
        except InvalidField as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        if args.cmd == "revoke":
            n = db.revoke_user(user)
            db.audit("revoked_by_admin", user, None, sessions=n)
            print(f"revoked {n} session(s) of {user}")
            return 0
        if not user and not args.source:
            print("error: give --username and/or --source", file=sys.stderr)
            return 2
        n = db.unlock(username=user, source=args.source)
        db.audit("unlocked_by_admin", user, args.source, counters=n)
        print(f"cleared {n} counter(s)")
        return 0

    if args.cmd == "add-user":      # validate everything before asking for the password
        try:
            username = check_username(args.username)
            user_record(name=args.name, role=args.role, password_hash="$2b$12$" + "." * 53, email=args.email,
                        manager=args.manager)
        except InvalidField as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        hashed = hash_password(password)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.cmd == "hash":
        print(hashed)
        return 0
    record = user_record(name=args.name, role=args.role, password_hash=hashed, email=args.email, manager=args.manager)
    if args.yaml:
        import yaml
        path = Path(args.yaml)
        cfg = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) or {}
        users = cfg.setdefault("credentials", {}).setdefault("usernames", {})
        users[username] = record
        path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
        print(f"added {username} to {path}")
        return 0
    print(toml_entry(username=username, name=args.name, role=args.role, password_hash=hashed,
                     email=args.email, manager=args.manager), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
