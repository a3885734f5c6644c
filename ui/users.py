"""``python -m ui.users``: hash a password, or print a user entry for .streamlit/secrets.toml (or a YAML file).

    python -m ui.users hash                      # asks for the password, prints its bcrypt hash
    python -m ui.users add-user --username olena --name "Олена Коваленко" --role manager \\
        --manager "Олена Коваленко" [--email x@y] [--yaml users.yaml]
"""
from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

import bcrypt

ROLES = ("admin", "head", "manager", "viewer")


def hash_password(password: str) -> str:
    data = password.strip().encode()
    if not data:
        raise ValueError("the password is empty")
    if len(data) > 72:
        raise ValueError("bcrypt takes at most 72 bytes of password")
    return bcrypt.hashpw(data, bcrypt.gensalt(rounds=12)).decode()


def toml_entry(*, username: str, name: str, role: str, password_hash: str, email: str = "",
               manager: str | None = None) -> str:
    first, _, last = name.partition(" ")
    q = lambda v: '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'  # noqa: E731
    lines = [f"[authenticator.credentials.usernames.{username.lower()}]", f"email = {q(email)}",
             f"first_name = {q(first)}", f"last_name = {q(last)}", f"password = {q(password_hash)}",
             f"roles = [{q(role)}]"]
    if manager:
        lines.append(f"manager = {q(manager)}")
    return "\n".join(lines) + "\n"


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
    args = p.parse_args(argv)
    password = getpass.getpass("Password: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
    try:
        hashed = hash_password(password)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.cmd == "hash":
        print(hashed)
        return 0
    if args.role == "manager" and not args.manager:
        print("error: a manager needs --manager (their name in the CRM data)", file=sys.stderr)
        return 2
    if args.yaml:
        import yaml
        path = Path(args.yaml)
        cfg = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
        users = cfg.setdefault("credentials", {}).setdefault("usernames", {})
        first, _, last = args.name.partition(" ")
        users[args.username.lower()] = {"email": args.email, "first_name": first, "last_name": last,
                                        "password": hashed, "roles": [args.role],
                                        **({"manager": args.manager} if args.manager else {})}
        path.write_text(yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8")
        print(f"added {args.username.lower()} to {path}")
        return 0
    print(toml_entry(username=args.username, name=args.name, role=args.role, password_hash=hashed,
                     email=args.email, manager=args.manager), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
