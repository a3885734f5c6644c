"""Headers → canonical fields: normalisation, scoring, kind and system detection.

A header is normalised (case, ё→е, punctuation, "№"/"#" → "номер", Pipedrive "Entity - Field" split)
into word stems (simple RU/UA ending stripping, English plural "s"). Each field's synonyms from
:mod:`.vocab` are normalised the same way. Scores: exact phrase = weight + 20; all phrase words present
= weight − 3 per extra word; a header with a negative word for the field (creator, modifier, contact
owner, ...) is never a candidate; a header ending in ``id`` loses 30 points for every non-id field, so
a name column wins over its ``.id`` twin. Typed fields are checked against a sample of the column's
values (dates must parse, amounts must be numbers, flags must be yes/no words). Fields are assigned
greedily, best score first, one header per field. Equal best scores are reported as ambiguous.
"""
from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd

from . import evidence, values, vocab

_CYR = re.compile(r"[а-яёіїєґ]", re.I)
_RU_ENDINGS = sorted(
    ["иями", "ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ая", "яя", "ое", "ее", "ые", "ие",
     "ый", "ий", "ой", "ей", "ых", "их", "ую", "юю", "ия", "ья", "ию", "ью", "ии", "ія", "ію", "ії",
     "ам", "ям", "ах", "ях", "ов", "ев", "ом", "ем", "ою", "ею", "а", "я", "ы", "и", "у", "ю", "е", "о",
     "ь", "і", "ї", "є", "й"], key=len, reverse=True)
DATE_FIELDS = {"created_at", "closed_at", "won_at", "lost_at", "modified_at", "at"}
NUMBER_FIELDS = {"amount", "target", "quantity", "unit_price", "discount"}
FLAG_FIELDS = {"closed_flag", "won_flag", "done"}
ID_FIELDS = {"deal_id", "activity_id"}


def stem(token: str) -> str:
    if _CYR.search(token):
        for e in _RU_ENDINGS:
            if token.endswith(e) and len(token) - len(e) >= 3:
                return token[: -len(e)]
        return token
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


@lru_cache(maxsize=4096)
def words(text: str) -> tuple[str, ...]:
    """Lower-case word tokens (unstemmed)."""
    t = re.sub(r"([a-z])([A-Z])", r"\1 \2", str(text))
    t = t.lower().replace("ё", "е").replace("№", " номер ").replace("#", " номер ")
    t = t.replace("_", " ").replace("'", "").replace("’", "").replace("ʼ", "")
    return tuple(w for w in re.split(r"[^\w]+", t) if w)


@lru_cache(maxsize=4096)
def split_entity(header: str) -> tuple[str | None, str]:
    """Pipedrive-style "Deal - Owner" → ("deal", "Owner"); other headers → (None, header)."""
    m = vocab.ENTITY_PREFIX.match(header)
    if m:
        return m.group(1).lower(), m.group(2)
    return None, header


def header_words(header: str, kind: str | None = None) -> tuple[str, ...]:
    """Words of a header for matching: the entity prefix is dropped when it is the file's own kind."""
    entity, rest = split_entity(header)
    if entity is None:
        return words(header)
    own = vocab.ENTITY_KIND.get(entity)
    if own is not None and (kind is None or own == kind or (kind == "orders" and own == "deals")):
        return words(rest)
    return words(entity) + words(rest)


def stems(ws: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem(w) for w in ws)


@lru_cache(maxsize=1024)
def _phrase(phrase: str) -> tuple[str, ...]:
    return stems(words(phrase))


def _negative(ws: tuple[str, ...], negatives: list[str]) -> bool:
    joined = " " + " ".join(ws) + " "
    st = stems(ws)
    for neg in negatives:
        if " " in neg:
            if f" {neg} " in joined:
                return True
            continue
        for w, s in zip(ws, st):
            if len(neg) <= 3:
                if w == neg or s == neg:
                    return True
            elif w.startswith(neg) or s.startswith(neg):
                return True
    return False


def score(header_ws: tuple[str, ...], synonyms: list[tuple[str, int]], negatives: list[str], fld: str) -> int | None:
    if not header_ws or _negative(header_ws, negatives):
        return None
    h = stems(header_ws)
    hs = set(h)
    best = None
    for phrase, weight in synonyms:
        p = _phrase(phrase)
        if not p:
            continue
        if h == p:
            s = weight + 20
        elif set(p) <= hs:
            s = weight - 3 * (len(h) - len(p))
        else:
            continue
        best = s if best is None else max(best, s)
    if best is not None and fld not in ID_FIELDS and header_ws[-1] == "id" and len(header_ws) > 1:
        best -= 30
    return best


FIELDS = {"deals": (vocab.DEAL_FIELDS, vocab.DEAL_NEGATIVE), "orders": (vocab.DEAL_FIELDS, vocab.DEAL_NEGATIVE),
          "activities": (vocab.ACTIVITY_FIELDS, vocab.ACTIVITY_NEGATIVE),
          "plans": (vocab.PLAN_FIELDS, vocab.PLAN_NEGATIVE)}


@dataclass
class Mapping:
    kind: str
    mapping: dict[str, str]
    candidates: dict[str, list[str]]
    ambiguous: list[str]
    scores: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


def _content_ok(fld: str, col: pd.Series) -> bool:
    if fld in DATE_FIELDS:
        return values.looks_like_dates(col)
    if fld in NUMBER_FIELDS:
        return values.looks_like_numbers(col)
    if fld in FLAG_FIELDS:
        return values.looks_like_yes_no(col)
    if fld == "month":
        sample = col.dropna().head(200)
        got = values.parse_months(sample)
        return len(sample) == 0 or got.notna().mean() >= 0.6
    return True


def _is_empty(col: pd.Series) -> bool:
    sample = col.head(2000)
    if isinstance(sample.dtype, pd.ArrowDtype):
        st = sample.str.strip()
        return bool(((st == "") | st.isna()).all())
    return bool(sample.map(lambda v: v is None or (isinstance(v, float) and v != v) or str(v).strip() == "").all())


class MapMemo:
    """The :func:`map_columns` results of one file's table, so that classifying it (:func:`detect_kind`,
    :func:`.lookups.main_kind`, the folder's joins) and converting it score its columns once per distinct
    (headers, kind, overrides, exclude). Carried with the file's :class:`.reading.RawTable` (``raw.maps``),
    never shared across files: an entry holds only if the frame asked about *is* the one it was computed
    on (a weak reference: the memo keeps no columns alive), and :func:`.lookups.mark_joined` clears it when
    a join writes a column. Each answer is a fresh copy (callers may edit their mapping). Not pickled (a
    copy starts empty)."""

    def __init__(self) -> None:
        self._got: dict[tuple, tuple[weakref.ref, Mapping]] = {}

    def __getstate__(self) -> dict:
        return {}

    def __setstate__(self, state: dict) -> None:
        self._got = {}

    def clear(self) -> None:
        self._got.clear()

    def map(self, frame: pd.DataFrame, headers: list[str], kind: str,
            overrides: dict[str, str] | None = None, exclude: set[str] | None = None) -> Mapping:
        """:func:`map_columns` (``None`` and empty overrides / exclude are the same question)."""
        key = (tuple(headers), kind, tuple((overrides or {}).items()), frozenset(exclude or ()))
        got = self._got.get(key)
        if got is None or got[0]() is not frame:
            got = self._got[key] = (weakref.ref(frame), map_columns(frame, headers, kind, overrides, exclude))
        return _copy(got[1])


def _copy(m: Mapping) -> Mapping:
    return Mapping(m.kind, dict(m.mapping), {f: list(v) for f, v in m.candidates.items()}, list(m.ambiguous),
                   {f: list(v) for f, v in m.scores.items()})


def memo_of(raw) -> MapMemo:
    """The :class:`MapMemo` carried with a raw table (made on first use; a fresh one without a table)."""
    if raw is None:
        return MapMemo()
    memo = getattr(raw, "maps", None)
    if memo is None:
        memo = raw.maps = MapMemo()
    return memo


def map_columns(frame: pd.DataFrame, headers: list[str], kind: str,
                overrides: dict[str, str] | None = None, exclude: set[str] | None = None) -> Mapping:
    """Score every header for every field of ``kind`` and assign fields greedily."""
    synonyms, negatives = FIELDS[kind]
    exclude = exclude or set()
    scored: dict[str, list[tuple[int, str]]] = {}
    lines = kind in ("deals", "orders") and any(
        score(header_words(h, kind), synonyms[f], negatives.get(f, []), f) is not None
        for h in headers for f in ("quantity", "unit_price", "product"))
    for fld, syn in synonyms.items():
        neg = negatives.get(fld, [])
        lst = []
        for h in headers:
            if h in exclude:
                continue
            s = score(header_words(h, kind), syn, neg, fld)
            if s is None:
                continue
            col = frame[h]
            # an unmistakable name (exact phrase) is trusted even if the values are bad: the pipeline
            # then reports the bad values (e.g. all_dates_unparsable) instead of "no such column"
            strong = s >= 100 and fld in DATE_FIELDS | NUMBER_FIELDS
            if not strong and not _content_ok(fld, col):
                continue
            if _is_empty(col):
                s -= 10
            s = evidence.adjust(fld, col, s, lines=lines)
            lst.append((s, h))
        lst.sort(key=lambda t: (-t[0], headers.index(t[1])))
        if lst:
            scored[fld] = lst

    mapping: dict[str, str] = {}
    used: set[str] = set()
    for fld, h in (overrides or {}).items():
        mapping[fld] = h
        used.add(h)
    triples = sorted(((s, fld, h) for fld, lst in scored.items() for s, h in lst),
                     key=lambda t: (-t[0], list(synonyms).index(t[1]), headers.index(t[2])))
    for s, fld, h in triples:
        if fld in mapping or h in used:
            continue
        mapping[fld] = h
        used.add(h)
    ambiguous = []
    for fld, h in mapping.items():
        if overrides and fld in overrides:
            continue
        lst = scored.get(fld, [])
        top = next((s for s, hh in lst if hh == h), None)
        rivals = [hh for s, hh in lst if s == top and hh != h and hh not in mapping.values()]
        if rivals:
            ambiguous.append(fld)
    candidates = {fld: [h for _, h in lst] for fld, lst in scored.items()}
    for fld, h in mapping.items():
        candidates.setdefault(fld, [h])
        if h not in candidates[fld]:
            candidates[fld].insert(0, h)
    return Mapping(kind, mapping, candidates, ambiguous, scored)


# --------------------------------------------------------------------------------------------------
# Kind and system detection
# --------------------------------------------------------------------------------------------------

def month_headers(headers: list[str]) -> dict[str, str]:
    """Headers that name a month (wide plans): header → 'YYYY-MM'."""
    out = {}
    for h in headers:
        m = values.month_of(h)
        if m is not None:
            out[h] = m
    return out


def _marker_hits(headers: list[str], kind: str) -> int:
    n = 0
    for h in headers:
        hs = set(stems(header_words(h)))
        for marker in vocab.KIND_MARKERS[kind]:
            if set(_phrase(marker)) <= hs:
                n += 1
                break
    return n


def detect_kind(frame: pd.DataFrame, headers: list[str], name: str, memo: MapMemo | None = None) -> str:
    """deals / activities / plans / orders from the headers (the file name only breaks ties). ``memo``:
    the file's :class:`MapMemo` (its mappings are scored once)."""
    run = memo.map if memo is not None else map_columns
    entities = [vocab.ENTITY_KIND.get(split_entity(h)[0] or "") for h in headers]
    n_act, n_deal = entities.count("activities"), entities.count("deals")
    if n_act or n_deal:
        return "activities" if n_act > n_deal else "deals"
    hint = next((k for rx, k in vocab.FILENAME_KIND if rx.search(name)), None)
    months = month_headers(headers)
    plan = run(frame, headers, "plans")
    dm = run(frame, headers, "deals")
    if plan.mapping.get("manager") and months:
        # one column per month: plans, unless a single month-like header sits in a deals file
        dated = any(f in dm.mapping for f in ("created_at", "closed_at", "modified_at"))
        if len(months) >= 2 or hint == "plans" or _marker_hits(headers, "plans") or not dated:
            return "plans"
    if plan.mapping.get("manager") and plan.mapping.get("target") and plan.mapping.get("month"):
        # long plans need a plan word (plan / target / quota / ціль ...) and nothing deal-like
        if _marker_hits(headers, "plans") and (_marker_hits(headers, "deals") == 0 or hint == "plans"):
            return "plans"
    act = _marker_hits(headers, "activities")
    deal = _marker_hits(headers, "deals")
    orders = _marker_hits(headers, "orders")
    lower = {h.strip().lower() for h in headers}
    if {"activity_id", "type", "at"} <= lower:
        return "activities"
    if {"deal_id", "status"} <= lower:
        return "deals"
    if act > deal:
        return "activities"
    if act == deal and act > 0 and hint == "activities":
        return "activities"
    if deal > 0:
        return "deals"
    if orders > 0:  # order lists may carry an order status (paid / cancelled), still orders
        return "orders"
    if any(f in dm.mapping for f in ("stage", "status", "closed_flag", "won_flag")):
        return "deals"
    if orders > 0 or hint == "orders":
        return "orders"
    am = run(frame, headers, "activities")
    if "type" in am.mapping and "amount" not in dm.mapping and values.activity_types(
            frame[am.mapping["type"]].head(200)).ne("other").mean() > 0.5:
        return "activities"
    if hint in ("activities", "plans"):
        return hint
    if "amount" in dm.mapping:
        return "orders"
    return hint or "deals"


def detect_system(headers: list[str], name: str, fmt: str) -> str:
    """Which CRM wrote the file, from signature headers (and the file name / HTML format as hints)."""
    lower = {h.strip().lower() for h in headers}
    canonical_sets = [{"deal_id", "manager", "client", "created_at", "status", "amount"},
                      {"activity_id", "manager", "type", "at"}, {"manager", "month", "target"}]
    if any(s <= lower for s in canonical_sets):
        return "canonical"
    if any(split_entity(h)[0] for h in headers):
        return "pipedrive"
    norm = {" ".join(words(h)) for h in headers}
    scores = {sys: sum(1 for sig in sigs if " ".join(words(sig)) in norm)
              for sys, sigs in vocab.SYSTEM_SIGNATURES.items()}
    low = name.lower()
    if "hubspot" in low:
        scores["hubspot"] += 3
    if re.search(r"(^|/)deals_\d{4}_\d{2}_\d{2}", low) or "zoho" in low:
        scores["zoho"] += 2
    if "salesforce" in low or "opportunit" in low:
        scores["salesforce"] += 1
    if "bitrix" in low or fmt == "html":
        scores["bitrix24"] += 1
    if "amocrm" in low or "amo_" in low:
        scores["amocrm"] += 2
    if "kommo" in low:
        scores["kommo"] += 2
    cyr = any(_CYR.search(h) for h in headers)
    if cyr:
        scores["kommo"] = 0
    elif scores.get("amocrm"):
        scores["amocrm"] = 0
    best = max(scores, key=lambda k: scores[k])
    if scores[best] >= 2:
        return best
    return "spreadsheet"


def cyrillic_headers(headers: list[str]) -> bool:
    return sum(1 for h in headers if _CYR.search(h)) >= max(1, len(headers) // 3)
