"""HTML tables saved as ``.xls`` (Bitrix24's "Excel" export, telephony reports) through lxml.

lxml's HTML parser (libxml2) is fast and forgiving with the unclosed tags such exports have. The biggest
table of the page is the data; ``colspan`` cells are padded; ``<br>`` becomes a space; the header row is
found as for any grid (title rows above it skipped). The declared ``<meta charset>`` is honoured, with a
fallback to cp1251 for bytes that are not UTF-8. When lxml cannot parse the page, :mod:`.reading`'s own
parser reads it (same result for well-formed tables).
"""
from __future__ import annotations

import re

import pandas as pd
import pyarrow as pa

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


def read_html_table(name: str, data: bytes) -> RawTable | None:
    """The page's biggest table as a raw table, or None when lxml finds no table."""
    try:
        import lxml.html
    except ImportError:  # pragma: no cover - lxml is pinned in requirements.txt
        return None
    text, encoding = _decode(data)
    guards.check_html(name, text, _limits.current())   # the upload limits, before parsing
    try:
        doc = lxml.html.fromstring(text)
    except Exception:  # noqa: BLE001 - unparsable page: the stdlib parser gets its turn
        return None
    for br in doc.iter("br"):                  # a line break inside a cell reads as a space
        br.tail = " " + (br.tail or "")
    best = None
    for tb in doc.iter("table"):
        nested = tb.find(".//table") is not None
        rows = []
        for tr in tb.iter("tr"):
            if nested and next(tr.iterancestors("table"), None) is not tb:    # a row of a nested table
                continue
            cells = []
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                cells.append(" ".join(td.text_content().split()))
                span = td.get("colspan")
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
    h = header_row(rows)
    body = rows[h + 1:]
    frame = pd.DataFrame(body, columns=range(width), dtype=object) if body else pd.DataFrame(columns=range(width))
    frame = frame.fillna("").astype(pd.ArrowDtype(pa.string()))
    frame, headers = finish_headers(frame, rows[h])
    return RawTable(frame, headers, encoding, "", "html", [], h)
