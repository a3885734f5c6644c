"""HTML tables saved as ``.xls`` (Bitrix24's "Excel" export, telephony reports) through lxml.

lxml's HTML parser (libxml2) is fast and forgiving with the unclosed tags such exports have. The biggest
table of the page is the data; ``colspan`` cells are padded; ``<br>`` becomes a space; the header row is
found as for any grid (title rows above it skipped). The declared ``<meta charset>`` is honoured, with a
fallback to cp1251 for bytes that are not UTF-8. When lxml cannot parse the page, :mod:`.reading`'s own
parser reads it (same result for well-formed tables).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import limits as _limits
from . import guards
from .reading import RawTable, finish_headers, header_row


def looks_like_html(data: bytes) -> bool:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<meta", b"<table")) or b"<table" in head[:2048]


def _decode(data: bytes) -> tuple[str, str]:
    m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([\w\-]+)", data[:4096], re.I)
    declared = m.group(1).decode("ascii", "ignore").lower() if m else "utf-8"
    for enc in dict.fromkeys([declared, "utf-8", "cp1251"]):
        try:
            return data.decode(enc).lstrip("\ufeff"), enc
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("cp1251", errors="replace"), "cp1251"


def _string_content():
    """XPath ``string()``: an element's whole text (what lxml.html's ``text_content()`` returns)."""
    from lxml import etree
    return etree.XPath("string()")


def read_html_table(name: str, data: bytes) -> RawTable | None:
    """The page's biggest table as a raw table, or None when lxml finds no table."""
    try:
        from lxml import etree
    except ImportError:  # pragma: no cover - lxml is pinned in requirements.txt
        return None
    text, encoding = _decode(data)
    guards.check_html(name, text, _limits.current())   # the upload limits, before parsing
    try:
        # the tree lxml.html.fromstring parses (libxml2's HTML parser), as plain elements: no Python class
        # lookup per element; the whole document is searched for tables (fromstring may return a part)
        doc = etree.fromstring(text, etree.HTMLParser())
    except Exception:  # noqa: BLE001 - unparsable page: the stdlib parser gets its turn
        return None
    if doc is None:        # an empty document (lxml.html: "Document is empty")
        return None
    string = _string_content()
    for br in doc.iter("br"):                  # a line break inside a cell reads as a space
        br.tail = " " + (br.tail or "")
    spans = bool(doc.xpath("boolean(//@colspan)"))  # any colspan at all? (else no attribute look-up per cell)
    best = None
    for tb in doc.iter("table"):
        nested = tb.find(".//table") is not None
        rows = []
        for tr in tb.iter("tr"):
            if nested and next(tr.iterancestors("table"), None) is not tb:    # a row of a nested table
                continue
            cells = []
            for td in tr.iterchildren("td", "th"):
                # a cell without child elements (nearly all) is its own text: no XPath string() per cell;
                # white space is folded afterwards, column by column (fold_column)
                cells.append(string(td) if len(td) else (td.text or ""))
                span = td.get("colspan") if spans else None
                if span is not None:
                    try:
                        cells.extend([""] * (max(1, min(50, int(span))) - 1))
                    except ValueError:
                        pass
            rows.append(cells)
        rows = [r for r in rows if r]
        if rows and (best is None or len(rows) > len(best)):
            best = rows
    if not best:
        return None
    width = max(len(r) for r in best)
    rows = [r + [""] * (width - len(r)) for r in best]
    head = [[_fold(v) for v in r] for r in rows[:30]]
    h = header_row(head)
    body = rows[h + 1:]
    if body:
        frame = pd.DataFrame({i: pd.Series(pd.arrays.ArrowExtensionArray(fold_column(c)))
                              for i, c in enumerate(zip(*body))})
    else:
        frame = pd.DataFrame(columns=range(width)).astype(pd.ArrowDtype(pa.string()))
    frame, headers = finish_headers(frame, head[h])
    return RawTable(frame, headers, encoding, "", "html", [], h)


def _fold(v: str) -> str:
    """A cell's text with its white space folded: runs → one space, none at the ends (``str.split``)."""
    return " ".join(v.split())


#: every character ``str.split()`` splits on (``str.isspace``), as an RE2 class
_WS = "[" + "".join(f"\\x{{{i:x}}}" for i in range(0x3001) if chr(i).isspace()) + "]"
_WS_NOT_SPACE = "[" + "".join(f"\\x{{{i:x}}}" for i in range(0x3001) if chr(i).isspace() and i != 32) + "]"
#: a cell that folding changes: white space at an end, a run of two, or any white space but a plain space
_NEEDS_FOLD = f"^{_WS}|{_WS}$|{_WS}{_WS}|{_WS_NOT_SPACE}"


def fold_column(cells) -> pa.Array:
    """:func:`_fold` of every cell of a column, as arrow strings: the cells it would change are found by
    one RE2 pass (:data:`_NEEDS_FOLD`) and only those are folded in Python; the others are already folded."""
    arr = pa.array(cells, type=pa.string())
    flag = pc.match_substring_regex(arr, _NEEDS_FOLD).to_numpy(zero_copy_only=False)
    if not flag.any():
        return arr
    vals = arr.to_numpy(zero_copy_only=False)
    at = np.flatnonzero(flag)
    vals[at] = [_fold(v) for v in vals[at]]
    return pa.array(vals, type=pa.string())
