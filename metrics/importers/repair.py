"""Lines of a CSV that an unquoted delimiter inside one cell split into one field too many.

Northwind's ``orders.csv`` writes ``Rua do Paço, 67`` unquoted: 176 of its 830 lines have 15 fields under
a 14-column header. Such a line is put back together by joining two neighbouring fields at the one place
where the result fits the columns best: every column's shape (number / date / text / empty) is learnt
from the lines of the right width, and the join that makes the most fields match their column's shape
wins (ties: the column whose values contain spaces, i.e. free text such as an address). Only lines with
exactly one field too many are joined, only when they are a minority, and only in files small enough to
scan (≤ 20 MB); everything else is left to the reader, which reports the lines it skips.
"""
from __future__ import annotations

import csv
import io
import re

_NUM = re.compile(r"^-?\d+([.,]\d+)?$")
_DATE = re.compile(r"^\d{1,4}[-./]\d{1,2}[-./]\d{1,4}")
LIMIT = 20 << 20


def _shape(v: str) -> str:
    v = v.strip()
    if not v or v.upper() in ("NULL", "NA", "N/A"):
        return "empty"
    if _DATE.match(v):
        return "date"
    if _NUM.match(v):
        return "number"
    return "text"


def merge_split_cells(data: bytes, *, max_bytes: int | None = None) -> tuple[bytes, tuple[int, str] | None]:
    """(bytes, (lines joined, column) or None). The bytes are returned unchanged unless lines were joined."""
    if not data or len(data) > LIMIT or (max_bytes is not None and len(data) > max_bytes):
        return data, None
    if data[:1] in (b"<", b"P", b"\xd0") or b"\x00" in data[:4000]:
        return data, None
    first_nl = data.find(b"\n")
    head = data[:first_nl if first_nl > 0 else len(data)]
    d = max((b",", b";", b"\t"), key=head.count)
    if b'"' not in data:     # unquoted: every line must have the header's count of delimiters (checked in C)
        counts = {line.count(d) for line in data.split(b"\n") if line.strip()}
        if len(counts) <= 1:
            return data, None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data, None
    first = text.split("\n", 1)[0]
    delim = max([",", ";", "\t"], key=first.count)
    if first.count(delim) == 0:
        return data, None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, quotechar='"'))
    except csv.Error:
        return data, None
    if len(rows) < 3:
        return data, None
    width = len(rows[0])
    long = [i for i, r in enumerate(rows[1:], 1) if len(r) == width + 1]
    if not long or len(long) > 0.5 * len(rows) or any(len(r) > width + 1 for r in rows[1:]):
        return data, None
    good = [r for r in rows[1:] if len(r) == width][:2000]
    if not good:
        return data, None
    shapes, spaces = [], []
    for j in range(width):
        col = [_shape(r[j]) for r in good]
        nonempty = [c for c in col if c != "empty"]
        shapes.append(max(set(nonempty), key=nonempty.count) if nonempty else "empty")
        spaces.append(sum(" " in r[j] for r in good) / len(good))
    used: dict[int, int] = {}
    for i in long:
        r = rows[i]
        best = None
        for k in range(width):
            merged = r[:k] + [r[k] + delim + r[k + 1]] + r[k + 2:]
            fit = sum(_shape(v) in (shapes[j], "empty") for j, v in enumerate(merged))
            key = (fit, spaces[k] if shapes[k] == "text" else -1.0)
            if best is None or key > best[0]:
                best = (key, k, merged)
        rows[i] = best[2]
        used[best[1]] = used.get(best[1], 0) + 1
    out = io.StringIO()
    w = csv.writer(out, delimiter=delim, quotechar='"', lineterminator="\n")
    w.writerows(rows)
    col = max(used, key=used.get)
    return out.getvalue().encode("utf-8"), (len(long), rows[0][col].strip())
