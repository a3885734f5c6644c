"""Lookups of an export folder: which tables describe the others, and how they are joined.

A folder holds *main* tables (deals / orders, activities, plans: a date column plus a status, stage,
amount, type or target) and *lookups* around them. A lookup is joined by the key its values prove,
never by the header alone: for every column of a main table, the share of its distinct values found in a
lookup's unique column (``overlap``); the best pair with at least ``MIN_OVERLAP`` wins (a header that
names the same thing breaks ties: ``orders.employeeID`` ↔ ``employees.employeeID``, not ``shipVia``).

Roles, decided from what the referencing column is and what the lookup holds:

* **users** (id → name): the main column is the manager (or an owner / user / employee / agent column);
  the lookup has a name column (``Name``, or first + last name) → the manager becomes that name, and a
  role / title / office column becomes the deal attribute ``team`` (Salesforce ``UserRole.Name``);
* **team hierarchy** (rep → manager / office / region): the lookup's keys are the reps' names already
  (Maven ``sales_teams``) → ``team`` = the rep's manager, ``office`` = the regional office; or the main
  table has no manager at all and the lookup gives a person per region (Superstore ``People``) → the
  manager is that person and ``region`` the attribute;
* **clients** (customers / accounts): the main column is the client or a customer / account column →
  the client becomes the lookup's company name;
* **products**: product prices / series; not needed when the deals carry amounts (reported);
* **order lines** (no unique key; a column whose values are the main table's order ids, with quantity
  and unit price): line totals summed per order become the order's amount;
* **returns** (order ids with a "returned" flag): those orders count as returned, not won;
* **documentation** (``Table, Field, Description``): describes the other files; set aside.

A table that shares no key with any main table is set aside with one line saying so.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import mapping as mp
from .reading import RawTable

MIN_OVERLAP = 0.8
PERSON_WORDS = re.compile(r"owner|user|employee|agent|rep\b|salesperson|manager|responsib|seller|person|"
                           r"ответствен|відповідальн|менеджер|сотрудник|співробітник", re.I)
CLIENT_WORDS = re.compile(r"customer|client|account|company|organi[sz]ation|клиент|клієнт|компани|компані|"
                           r"контрагент|покупат|покупець", re.I)
PRODUCT_WORDS = re.compile(r"product|товар|продукт|sku|stock", re.I)
TEAM_WORDS = re.compile(r"\brole|team|manager|head|lead\b|supervisor|команд|отдел|відділ|руковод|керівн", re.I)
OFFICE_WORDS = re.compile(r"office|region|branch|location|филиал|філія|офис|офіс|регион|регіон", re.I)
NAME_HEADER = re.compile(r"^(full\s*)?name$|^(company|account|customer|client|user|employee)\s*name$|"
                          r"^имя$|^фио$|^піб$|^название$|^назва$", re.I)


@dataclass
class Part:
    """One file or sheet of the folder while it is classified."""

    name: str
    raw: RawTable
    role: str = ""                  # deals / orders / activities / plans, or a lookup role
    reason: str = ""                # one line: why it was taken for that, or set aside
    kind: str | None = None         # the converter's kind, for main tables
    overrides: dict[str, str] = field(default_factory=dict)      # fields decided by the joins
    attributes: dict[str, str] = field(default_factory=dict)     # team / office / region → header
    joins: list[dict] = field(default_factory=list)
    alone: tuple[str, str] | None = None    # a lookup given without any main table: (role, key → what)


def norm(h: str) -> str:
    return " ".join(mp.words(h))


def keys(col: pd.Series) -> pd.Series:
    """Join keys as text: stripped, integer-valued floats without ".0" (5.0 ↔ "5"), empty → None."""
    v = col.to_numpy(dtype=object)
    out = []
    for x in v:
        if x is None or (isinstance(x, float) and np.isnan(x)):
            out.append(None)
        elif isinstance(x, float) and x.is_integer():
            out.append(str(int(x)))
        else:
            s = str(x).strip()
            out.append(s if s and s.upper() != "NULL" else None)
    return pd.Series(out, index=col.index, dtype=object)


def is_documentation(raw: RawTable) -> bool:
    ws = {w for h in raw.headers for w in mp.stems(mp.words(h))}
    return "description" in ws and bool(ws & {"field", "column", "table", "variable", "attribute"})


def main_kind(part: Part, forced: dict[str, str]) -> str | None:
    """The converter's kind when the table holds deals / activities / plans, else None (a lookup)."""
    frame, headers = part.raw.frame, part.raw.headers
    memo = mp.memo_of(part.raw)
    kind = mp.detect_kind(frame, headers, part.name, memo)
    known = {f: h for f, h in forced.items() if h in headers}
    m = memo.map(frame, headers, kind, known)
    mm = m.mapping
    if kind == "orders":
        return kind if any(f in mm for f in ("created_at", "closed_at", "modified_at")) else None
    if kind == "deals":
        dated = any(f in mm for f in ("created_at", "closed_at", "won_at", "modified_at"))
        what = any(f in mm for f in ("amount", "stage", "status", "closed_flag", "won_flag", "unit_price"))
        return kind if dated and what else None
    if kind == "activities":
        return kind if "at" in mm else None
    if kind == "plans":
        return kind if ("month" in mm and "target" in mm) or mp.month_headers(headers) else None
    return None


def lookup_kind(part: Part) -> tuple[str, str] | None:
    """What a table that holds no deals / activities / plans looks like on its own, from its unique
    columns and header words: ``("clients", "customerID → companyName")``, ``("users", "employeeID →
    firstName lastName")``, ``("team", "sales_agent → manager, regional_office")``, ``("products",
    "product")``; None when it looks like none of them (then it is read, and refused, as a main table)."""
    ukeys = unique_columns(part.raw)
    if not ukeys:
        return None
    heads = part.raw.headers
    named = {k: norm(k) for k in ukeys}
    for k, n in named.items():                            # customers / accounts: a unique client column
        if CLIENT_WORDS.search(n) and not PERSON_WORDS.search(n):
            names = name_column(part, k)
            label = next((h for h in heads if h != k and names is not None and keys(part.raw.frame[h]).equals(names)), None)
            return "clients", f"{k} → {label}" if label else k
    for k, n in named.items():                            # products
        if PRODUCT_WORDS.search(n):
            return "products", k
    for k, n in named.items():                            # users: an id and a name (or first + last name)
        idlike = bool({"id", "key"} & set(n.split())) or bool(PERSON_WORDS.search(n))
        names = name_column(part, k)
        if idlike and names is not None and names.notna().mean() > 0.5 and not names.equals(ukeys[k]):
            label = next((h for h in heads if h != k and keys(part.raw.frame[h]).equals(names)), None)
            if label is None:
                low = {norm(h).replace(" ", ""): h for h in heads}
                label = " ".join(low[x] for x in ("firstname", "lastname") if x in low) or "name"
            return "users", f"{k} → {label}"
    for k, n in named.items():                            # team hierarchy: rep → manager / office
        roles = role_columns(part, k)
        if PERSON_WORDS.search(n) and roles:
            return "team", f"{k} → {', '.join(roles.values())}"
    return None


def unique_columns(raw: RawTable) -> dict[str, pd.Series]:
    out = {}
    for h in raw.headers:
        k = keys(raw.frame[h])
        if k.notna().all() and k.is_unique and len(k) >= 2:
            out[h] = k
    return out


def _similar(a: str, b: str, lookup_name: str) -> float:
    wa = set(mp.stems(mp.words(a))) - {"id", "c", "external", "no", "number", "code", "key"}
    wb = set(mp.stems(mp.words(b))) | set(mp.stems(mp.words(re.sub(r"\.\w+$", "", lookup_name.split("/")[-1]))))
    wb -= {"id", "c", "external", "no", "number", "code", "key"}
    if norm(a) == norm(b):
        return 1.0
    return 0.5 if wa & wb else 0.0


def best_reference(main: Part, lookup: Part, lookup_keys: dict[str, pd.Series]) -> dict | None:
    """The (main column, lookup key) pair whose values overlap most: {column, key, overlap, matched}."""
    best = None
    for h in main.raw.headers:
        v = keys(main.raw.frame[h]).dropna()
        if v.empty:
            continue
        distinct = pd.unique(v.to_numpy())
        if len(distinct) < 2:
            continue
        for k, kv in lookup_keys.items():
            found = pd.Index(kv.to_numpy()).isin(distinct).sum()
            share = float(pd.Index(distinct).isin(kv.to_numpy()).mean())
            if share < MIN_OVERLAP or not found:
                continue
            sim = _similar(h, k, lookup.name)
            score = share + sim
            if best is None or score > best["score"]:
                best = {"column": h, "key": k, "overlap": share, "matched": int(found), "score": score,
                        "similar": sim}
    return best


def name_column(lookup: Part, key: str) -> pd.Series | None:
    """The lookup's display name per row: a name column, else first + last name, else None."""
    f = lookup.raw.frame
    for h in lookup.raw.headers:
        if h != key and NAME_HEADER.match(norm(h)):
            return keys(f[h])
    low = {norm(h).replace(" ", ""): h for h in lookup.raw.headers}
    first = next((low[x] for x in ("firstname", "first", "givenname", "имя", "імя") if x in low), None)
    last = next((low[x] for x in ("lastname", "last", "surname", "familyname", "фамилия", "прізвище") if x in low), None)
    if first and last:
        return (keys(f[first]).fillna("") + " " + keys(f[last]).fillna("")).str.strip()
    for h in lookup.raw.headers:  # "companyName", "contactName"...
        n = norm(h)
        if h != key and n.endswith(" name") and CLIENT_WORDS.search(n):
            return keys(f[h])
    return None


def role_columns(lookup: Part, key: str) -> dict[str, str]:
    """team / office / region columns of a lookup (header words)."""
    out: dict[str, str] = {}
    for h in lookup.raw.headers:
        if h == key:
            continue
        n = norm(h)
        if "team" not in out and TEAM_WORDS.search(n) and not n.endswith(" id"):
            out["team"] = h
        elif "office" not in out and OFFICE_WORDS.search(n):
            out["office"] = h
    return out


def add_column(main: Part, header: str, ref: str, lookup_keys: pd.Series, values: pd.Series) -> str:
    """Add ``values`` looked up through ``main[ref]`` ↔ ``lookup_keys`` as a new text column; its header."""
    table = dict(zip(lookup_keys.to_numpy(), values.to_numpy()))
    col = keys(main.raw.frame[ref]).map(table)
    name = header
    i = 2
    while name in main.raw.frame.columns:
        name = f"{header} ({i})"
        i += 1
    main.raw.frame[name] = col.astype(object).where(col.notna(), None)
    mark_joined(main, name)
    return name


def mark_joined(main: Part, name: str) -> None:
    """A column added by a join: it is used through an override only, never by the header mapping.
    (The table's columns changed: its remembered mappings are dropped.)"""
    mp.memo_of(main.raw).clear()
    if name not in main.raw.headers:
        main.raw.headers.append(name)
    main.raw.joined = getattr(main.raw, "joined", set()) | {name}


def line_totals(lines: Part) -> tuple[pd.Series, pd.Series] | None:
    """(order key per line, line total): the amount column, else quantity × unit price × (1 − discount)."""
    m = mp.memo_of(lines.raw).map(lines.raw.frame, lines.raw.headers, "orders").mapping
    f = lines.raw.frame

    def num(h):
        return pd.to_numeric(keys(f[h]), errors="coerce").fillna(0.0)
    if "amount" in m:
        total = num(m["amount"])
    elif "unit_price" in m and "quantity" in m:
        disc = num(m["discount"]) if "discount" in m else 0.0
        if isinstance(disc, pd.Series) and (disc > 1).any():
            disc = disc / 100.0
        total = num(m["unit_price"]) * num(m["quantity"]) * (1.0 - disc)
    else:
        return None
    return m, total
