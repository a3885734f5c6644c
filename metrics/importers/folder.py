"""A whole export at once: several files, a ``.zip`` of them, or a workbook's sheets → converted files.

1. :func:`expand` — every input becomes parts: a ``.zip`` its members (folders inside kept in the name),
   a workbook its sheets (``book.xls:Orders``), anything else itself. The same bytes given twice are
   read once (the second set aside with a note); two different files with one name are told apart
   (``deals.csv``, ``deals (2).csv``). A file that cannot be read at all stops the run with its error;
   a member of a ``.zip`` that is not a table is set aside.
2. :func:`classify` — documentation (``Table, Field, Description``), main tables (deals / orders,
   activities, plans) and lookups (:mod:`.lookups`). One file alone that is a lookup (a users, clients,
   team or product list: :func:`.lookups.lookup_kind`) stops the run with ``alone_<role>`` naming the file
   and what it was taken for.
3. :func:`join` — each lookup joined into the main tables by the key its values prove; the fields it
   decides (manager name, client name, order amount, returned) become per-part column overrides, team
   hierarchy columns become deal attributes. The user's own ``--map`` always wins.
4. :func:`read_folder` — the main tables converted (:func:`.pipeline.convert_raw`); a main table that
   fails while others hold deals is set aside with its error rather than stopping the whole folder.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import PurePosixPath

import pandas as pd

from ..errors import DataError
from ..memory import release_memory
from . import lookups as lk, mapping as mp, values, workbook
from .lookups import Part
from .pipeline import convert_raw, read_text_table
from .report import ImportedFile

TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xls", ".xlsx", ".xlsm", ".ods", ".htm", ".html", ".zip")


def _unique_name(name: str, seen: set[str]) -> str:
    if name not in seen:
        return name
    p = PurePosixPath(name)
    i = 2
    while f"{p.stem} ({i}){p.suffix}" in seen:
        i += 1
    return f"{p.stem} ({i}){p.suffix}"


def _workers(n: int) -> int:
    """Threads for ``n`` parts: one per core at most."""
    return max(1, min(n, os.cpu_count() or 1))


def _fingerprint(data: bytes) -> str:
    """Identifies a file's bytes: its length and the digest of its first and last MB (the same file
    uploaded twice; not hashing all of a 300 MB upload)."""
    h = hashlib.sha256(len(data).to_bytes(8, "little"))
    h.update(data[: 1 << 20])
    h.update(data[-(1 << 20):])
    return h.hexdigest()


def _parse(name: str, data: bytes, max_bytes: int | None) -> tuple[list[Part], list[dict]]:
    """One file (not a zip) → its parts. Raises DataError naming the file."""
    # a file that cannot be read at all (an image, a broken workbook) stops the run with its own error:
    # the user gave it as data; files that are read but not usable are set aside later, one line each
    if workbook.kind_of(data):
        return [Part(n, raw) for n, raw in workbook.read_sheets(name, data)], []
    return [Part(name, read_text_table(name, data, max_bytes=max_bytes))], []


def expand(files: list[tuple[str, bytes | Callable[[], bytes]]], *, max_bytes: int | None = None,
           parallel: bool = False, progress: Callable[..., None] | None = None) -> tuple[list[Part], list[dict]]:
    """(parts, set aside): see the module's step 1. ``parallel``: parse two files at once (the app, whose
    uploads are in memory anyway); otherwise each file's bytes are fetched, parsed and dropped in turn.
    ``progress("read", i=, n=, name=)`` before each given file is read (1-based, of the files given)."""
    parts: list[Part] = []
    aside: list[dict] = []
    digests: dict[str, str] = {}
    names: set[str] = set()
    jobs: list[tuple[int, str, bytes]] = []
    results: dict[int, tuple[list[Part], list[dict]]] = {}

    def add(name: str, data: bytes) -> None:
        digest = _fingerprint(data)
        if digest in digests:
            aside.append({"file": name, "kind": "duplicate", "other": digests[digest],
                          "reason": f"the same file as {digests[digest]}; read once"})
            return
        name = _unique_name(name, names)
        names.add(name)
        digests[digest] = name
        if data[:4] == b"PK\x03\x04" and workbook.kind_of(data) is None:
            try:
                zf = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                aside.append({"file": name, "kind": "unreadable", "reason": "a damaged ZIP archive"})
                return
            with zf:
                for info in zf.infolist():
                    member = info.filename
                    base = PurePosixPath(member).name
                    if info.is_dir() or member.startswith("__MACOSX") or base.startswith((".", "~$")):
                        continue
                    if not base.lower().endswith(TABLE_SUFFIXES):
                        aside.append({"file": f"{name}/{member}", "kind": "not_a_table",
                                      "other": PurePosixPath(base).suffix or base,
                                      "reason": f"not a table file ({PurePosixPath(base).suffix or base})"})
                        continue
                    add(f"{name}/{member}", zf.read(info))
            return
        order = len(jobs) + len(results)
        if parallel:
            jobs.append((order, name, data))
        else:
            results[order] = _parse(name, data, max_bytes)

    for i, (name, data) in enumerate(files):
        if progress is not None:
            progress("read", i=i + 1, n=len(files), name=name)
        raw = data() if callable(data) else data
        if max_bytes is not None and raw is not None and len(raw) > max_bytes:
            raise DataError("too_large", file=name, value=len(raw), detail=f"{len(raw):,} > {max_bytes:,} bytes")
        if raw is None or not raw:
            raise DataError("empty_file", file=name)
        add(name, raw)
        del raw
        release_memory(trim=False)
    if jobs:
        # own threads: the importer's kernels use values.pool(), which must not wait on its own workers
        with ThreadPoolExecutor(max_workers=_workers(len(jobs)), thread_name_prefix="saleslens-ingest") as ex:
            for (order, *_), res in zip(jobs, ex.map(lambda j: _parse(j[1], j[2], max_bytes), jobs)):
                results[order] = res
    for order in sorted(results):
        got, why = results[order]
        parts += got
        aside += why
    return parts, aside


def wanted(mappings: dict[str, dict[str, str]], part: str, headers: list[str], several: bool) -> dict[str, str]:
    """The user's overrides for one part: ``"*"`` (all files; with several parts only the headers this
    part has), then the file's base name, the sheet's name and the part's full name."""
    out = {}
    for f, h in (mappings.get("*") or {}).items():
        if not several or h in (None, "") or h in headers or any(x.strip().lower() == str(h).strip().lower()
                                                                  for x in headers):
            out[f] = h
    file = part.split(":", 1)[0]
    for key in dict.fromkeys([PurePosixPath(file).name, file, part.rsplit(":", 1)[-1], part]):
        if key in mappings and key != "*":
            out.update(mappings[key])
    return out


#: fields a user maps that make a table a main one (deals, activities, plans)
MAIN_FIELDS = ("created_at", "amount", "stage", "status", "at", "target")

#: a lookup given alone → the error saying what it was taken for
ALONE = {"users": "alone_users", "clients": "alone_clients", "team": "alone_team", "products": "alone_products"}


def classify(parts: list[Part], mappings: dict[str, dict[str, str]]) -> None:
    """Sets each part's ``role`` (and ``kind`` for main tables): documentation, a main kind, or "lookup"."""
    several = len(parts) > 1
    for p in parts:
        if lk.is_documentation(p.raw):
            p.role, p.reason = "documentation", "describes the columns of the other files"
            continue
        forced = wanted(mappings, p.name, p.raw.headers, several)
        canonical = mp.detect_system(p.raw.headers, p.name, p.raw.fmt) == "canonical"
        if several and not canonical:
            kind = lk.main_kind(p, forced)
        else:
            kind = mp.detect_kind(p.raw.frame, p.raw.headers, p.name, mp.memo_of(p.raw))
        if kind is None and any(f in forced for f in MAIN_FIELDS):
            kind = mp.detect_kind(p.raw.frame, p.raw.headers, p.name, mp.memo_of(p.raw))
        elif not several and not canonical and not any(f in forced for f in MAIN_FIELDS) \
                and lk.main_kind(p, forced) is None:
            p.alone = lk.lookup_kind(p)      # one lookup alone (a users or clients list): refused, said what
            if p.alone is not None:
                kind = None
        if kind is None:
            p.role = "lookup"
        else:
            p.role, p.kind = kind, kind


def _field_of(main: Part, header: str, forced: dict[str, str]) -> str | None:
    m = mp.memo_of(main.raw).map(main.raw.frame, main.raw.headers, main.kind,
                                 {f: h for f, h in forced.items() if h in main.raw.headers})
    return next((f for f, h in m.mapping.items() if h == header), None), m.mapping


def join(parts: list[Part], mappings: dict[str, dict[str, str]]) -> list[dict]:
    """Join the lookups into the main tables; returns one report line per lookup (used or set aside)."""
    mains = [p for p in parts if p.kind]
    report = []
    for lookup in [p for p in parts if p.role == "lookup"]:
        ukeys = lk.unique_columns(lookup.raw)
        used = []
        for main in mains:
            forced = wanted(mappings, main.name, main.raw.headers, True)
            ref = lk.best_reference(main, lookup, ukeys) if ukeys else None
            if ref is None:
                r = _reverse(main, lookup, forced)
                if r:
                    used.append(r)
                continue
            fld, mm = _field_of(main, ref["column"], forced)
            role = _join_one(main, lookup, ref, fld, mm, forced)
            if role:
                used.append({"to": main.name, "by": f"{ref['column']} = {lookup.name}:{ref['key']}",
                             "overlap": round(ref["overlap"], 3), "role": role})
        if used:
            lookup.role = used[0]["role"]
            lookup.joins = used
            lookup.reason = "; ".join(f"{u['role']} → {u['to']} by {u['by']} ({u['overlap']:.0%} of its values)"
                                      for u in used)
            report.append({"file": lookup.name, "kind": lookup.role, "reason": lookup.reason, "used": True,
                           "joins": used})
        else:
            lookup.role = "unused"
            lookup.reason = "shares no key with the deals, activities or plans files"
            looks = lk.lookup_kind(lookup)
            report.append({"file": lookup.name, "kind": "unused", "reason": lookup.reason, "used": False,
                           **({"looks_like": looks[0]} if looks else {})})
    return report


def _join_one(main: Part, lookup: Part, ref: dict, fld: str | None, mm: dict, forced: dict) -> str | None:
    col, key = ref["column"], ref["key"]
    n = lk.norm(col)
    lkeys = lk.keys(lookup.raw.frame[key])
    if fld in ("manager", None) and (fld == "manager" or lk.PERSON_WORDS.search(n)) and not lk.CLIENT_WORDS.search(n):
        names = lk.name_column(lookup, key)
        roles = lk.role_columns(lookup, key)
        if names is not None:
            h = lk.add_column(main, f"{col} → name", col, lkeys, names)
            if "manager" not in forced:
                main.overrides["manager"] = h
            if "team" not in roles:  # a "reports to" column pointing at the lookup's own keys
                for rh in lookup.raw.headers:
                    if rh != key and lk.keys(lookup.raw.frame[rh]).dropna().isin(set(lkeys)).mean() > 0.8 \
                            and lk.keys(lookup.raw.frame[rh]).notna().any():
                        boss = lk.keys(lookup.raw.frame[rh]).map(dict(zip(lkeys, names)))
                        main.attributes["team"] = lk.add_column(main, f"{col} → team", col, lkeys, boss)
                        break
            _attributes(main, lookup, roles, col, lkeys)
            return "users"
        if roles:
            _attributes(main, lookup, roles, col, lkeys)
            return "team"
        return "lookup"
    if fld == "client" or lk.CLIENT_WORDS.search(n):
        names = lk.name_column(lookup, key)
        if names is not None:
            h = lk.add_column(main, f"{col} → name", col, lkeys, names)
            if "client" not in forced:
                main.overrides["client"] = h
            return "clients"
        return "clients"
    if fld == "product" or lk.PRODUCT_WORDS.search(n):
        return "products"
    if "manager" not in mm and "manager" not in forced:
        person = next((h for h in lookup.raw.headers if h != key and lk.PERSON_WORDS.search(lk.norm(h))), None)
        if person is not None:
            main.overrides["manager"] = lk.add_column(main, f"{person} ({PurePosixPath(lookup.name).name})", col,
                                                      lkeys, lk.keys(lookup.raw.frame[person]))
            main.attributes.setdefault("region", col)
            return "team"
    return None


def _attributes(main: Part, lookup: Part, roles: dict[str, str], col: str, lkeys: pd.Series) -> None:
    for attr, rh in roles.items():
        if attr not in main.attributes:
            main.attributes[attr] = lk.add_column(main, f"{col} → {attr}", col, lkeys, lk.keys(lookup.raw.frame[rh]))


def _reverse(main: Part, lookup: Part, forced: dict) -> dict | None:
    """Order lines and returns: a lookup column whose values are the main table's order ids."""
    if main.kind not in ("deals", "orders"):
        return None
    m = mp.memo_of(main.raw).map(main.raw.frame, main.raw.headers, main.kind,
                                 {f: h for f, h in forced.items() if h in main.raw.headers}).mapping
    idh = m.get("deal_id")
    if idh is None:
        return None
    ids = lk.keys(main.raw.frame[idh])
    idset = set(ids.dropna())
    for h in lookup.raw.headers:
        v = lk.keys(lookup.raw.frame[h]).dropna()
        if v.empty or v.isin(idset).mean() < lk.MIN_OVERLAP:
            continue
        heads = [lk.norm(x) for x in lookup.raw.headers]
        if any("return" in x or "refund" in x or "возврат" in x or "поверн" in x for x in heads):
            returned = set(v)
            col = ids.map(lambda x: "returned" if x in returned else None)
            name = f"returned ({PurePosixPath(lookup.name.split(':')[-1]).name})"
            main.raw.frame[name] = col.astype(object)
            lk.mark_joined(main, name)
            if "status" not in forced:
                main.overrides["status"] = name
            return {"to": main.name, "by": f"{idh} = {lookup.name}:{h}", "overlap": 1.0, "role": "returns"}
        lt = lk.line_totals(lookup)
        if lt is not None and "amount" not in forced:
            _, total = lt
            sums = total.groupby(lk.keys(lookup.raw.frame[h]).to_numpy()).sum()
            name = f"amount ({PurePosixPath(lookup.name).name})"
            main.raw.frame[name] = ids.map(sums).astype(object)
            lk.mark_joined(main, name)
            main.overrides["amount"] = name
            return {"to": main.name, "by": f"{idh} = {lookup.name}:{h}", "overlap": round(float(v.isin(idset).mean()), 3),
                    "role": "order lines"}
    return None


def _copies(parts: list[Part], aside: list[dict]) -> None:
    """Two main tables with the same columns, the same number of rows and the same values in every column
    but the ids and dates (which a re-save rewrites), 20 rows or more, are one table saved twice (Superstore's .xls and its
    CSV re-save): the workbook is read, the copy set aside."""
    mains = [p for p in parts if p.kind]
    for i, b in enumerate(mains):
        for a in mains[:i]:
            if a.kind is None or len(a.raw.frame) != len(b.raw.frame) or len(a.raw.frame) < 20:
                continue
            if [h.lower() for h in a.raw.headers] != [h.lower() for h in b.raw.headers]:
                continue
            m = mp.memo_of(a.raw).map(a.raw.frame, a.raw.headers, a.kind).mapping
            skip = {h for f, h in m.items() if f in mp.DATE_FIELDS or f == "deal_id"}   # re-saves rewrite these
            skip |= {h for h in a.raw.headers if values.looks_like_dates(a.raw.frame[h].head(500))}
            if not all(_same_values(a.raw.frame[ha], b.raw.frame[hb])
                       for ha, hb in zip(a.raw.headers, b.raw.headers) if ha not in skip):
                continue
            if a.raw.fmt == "csv" and b.raw.fmt != "csv":   # keep the workbook's native cells
                a, b = b, a
            aside.append({"file": b.name, "kind": "copy", "other": a.name,
                          "reason": f"the same table as {a.name} (same columns, rows and amounts); read once"})
            b.kind, b.role = None, "copy"
            break


def _same_values(x: pd.Series, y: pd.Series) -> bool:
    """The same values in some order (numbers compared as numbers, text as stripped text)."""
    kx, ky = lk.keys(x), lk.keys(y)
    nx, ny = pd.to_numeric(kx, errors="coerce"), pd.to_numeric(ky, errors="coerce")
    if nx.notna().mean() > 0.9 and ny.notna().mean() > 0.9:
        return bool(abs(nx.sum() - ny.sum()) <= 1e-6 * max(1.0, abs(nx.sum())))
    return sorted(kx.fillna("")) == sorted(ky.fillna(""))


def _system(parts: list[Part]) -> str | None:
    heads = {h for p in parts for h in p.raw.headers}
    if any(h.endswith("__c") or h in ("OwnerId", "AccountId", "StageName") for h in heads):
        return "salesforce"
    return None


def read_folder(files: list[tuple[str, bytes | Callable[[], bytes]]], *,
                mappings: dict[str, dict[str, str]] | None = None, stages: dict[str, str] | None = None,
                max_bytes: int | None = None, parallel: bool = False,
                progress: Callable[..., None] | None = None) -> tuple[list[ImportedFile], list[dict], list[dict]]:
    """(converted files, set aside, lookups used): the module's four steps. ``parallel``: files parsed and
    converted two at a time (same result; a higher memory peak)."""
    mappings = mappings or {}
    parts, aside = expand(files, max_bytes=max_bytes, parallel=parallel, progress=progress)
    if not parts:
        raise DataError("no_deals_file", file=", ".join(n for n, _ in files),
                        detail="; ".join(f"{a['file']}: {a['reason']}" for a in aside))
    classify(parts, mappings)
    alone = [p for p in parts if p.alone]
    if alone and not any(p.kind for p in parts):
        role, what = alone[0].alone
        raise DataError(ALONE[role], file=alone[0].name, detail=what)
    _copies(parts, aside)
    if progress is not None and len(parts) > 1 and any(p.role == "lookup" for p in parts):
        progress("join", n=sum(p.role == "lookup" for p in parts))
    used = join(parts, mappings) if len(parts) > 1 else []
    system = _system(parts)
    several = len(parts) > 1
    for p in parts:
        if p.role == "documentation":
            aside.append({"file": p.name, "kind": "documentation", "reason": p.reason})
    out: list[ImportedFile] = []
    errors: list[tuple[Part, DataError]] = []
    mains = []
    for p in parts:
        if not p.kind:
            if p.role != "copy":
                p.raw = None
            continue
        mains.append(p)

    def convert(p: Part, i: int = 0) -> ImportedFile | DataError:
        if progress is not None:
            progress("file", i=i + 1, n=len(mains), name=p.name)
        over = {**p.overrides, **wanted(mappings, p.name, p.raw.headers, several)}
        try:
            f = convert_raw(p.name, p.raw, kind=p.kind, overrides=over or None,
                            stages=stages, attributes=p.attributes, system=system)
        except DataError as exc:
            return exc
        finally:
            p.raw = None
        f.taken_for = f.kind
        f.joins = [dict(j, file=lp.name) for lp in parts if lp.joins for j in lp.joins if j["to"] == p.name]
        return f

    if parallel and len(mains) > 1:
        with ThreadPoolExecutor(max_workers=_workers(len(mains)), thread_name_prefix="saleslens-ingest") as ex:
            done = list(ex.map(convert, mains, range(len(mains))))
    else:
        done = []
        for i, p in enumerate(mains):
            done.append(convert(p, i))
            release_memory(trim=False)
    for p, r in zip(mains, done):
        if isinstance(r, DataError):
            errors.append((p, r))
        else:
            out.append(r)
    if errors and not any(f.kind in ("deals", "orders") for f in out):
        raise errors[0][1]
    for p, exc in errors:
        aside.append({"file": p.name, "kind": p.kind, "reason": str(exc).splitlines()[0],
                      "error": {"code": exc.code, "params": {k: v if v is None or isinstance(v, (str, int, float))
                                                             else str(v) for k, v in exc.params.items()}}})
    _managers_as_ids(out, [u for u in used if not u["used"] and u.get("looks_like") == "users"])
    return out, aside, used


#: a manager value that is an id, not a name: no spaces, at least one digit (41629779, 005Hp00000AbCdE,
#: W_Sales_User.11)
_ID_SHAPED = re.compile(r"^[^\s]*\d[^\s]*$")


def _managers_as_ids(out: list[ImportedFile], users: list[dict]) -> None:
    """A users / owners file was set aside (no id shared with the deals) and a deals file's managers are
    still ids (≥ 90% of its distinct managers id-shaped): warn ``managers_are_ids`` on that deals file with
    the users file set aside, the manager column and an example id."""
    if not users:
        return
    for f in out:
        if f.kind not in ("deals", "orders") or "manager" not in f.frame:
            continue
        names = pd.Series(f.frame["manager"].dropna().unique()).astype(str)
        if names.empty or names.str.match(_ID_SHAPED).mean() < 0.9:
            continue
        f.quality.warn("managers_are_ids", users=", ".join(u["file"] for u in users),
                       column=f.mapping.get("manager", ""), example=str(names.iloc[0]), count=int(len(names)))
