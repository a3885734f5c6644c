"""The state of one file while it is converted (:class:`Converter`): the raw frame, the rows still kept,
the quality report, and the helpers every kind's converter uses (mapping, dropping rows with a reason,
footers, dates, the result)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import DataError
from . import arrow, evidence, mapping as mp, reading, values, vocab
from .report import ImportedFile

_FOOTER_RE2 = "(?i)" + vocab.FOOTER.pattern
_NAME_FIELDS = {"manager", "client", "contact", "source", "currency", "stage", "status", "type"}


def resolve_overrides(name: str, headers: list[str], overrides: dict[str, str] | None, kind: str
                       ) -> tuple[dict[str, str], set[str]]:
    """User overrides → (field → exact header, fields explicitly set to 'no column')."""
    if not overrides:
        return {}, set()
    synonyms, _ = mp.FIELDS[kind]
    known = set(synonyms) | {"status"}
    out, none = {}, set()
    for fld, h in overrides.items():
        if kind == "plans" and fld.startswith("month:"):
            continue  # a wide plan's month columns (as reported in ``mapping``) are found again anyway
        if fld not in known:
            raise DataError("bad_argument", file=name,
                            detail=f"{name}: unknown field {fld!r} for {kind}; fields: {', '.join(sorted(known))}")
        if h is None or str(h).strip() == "":
            none.add(fld)
            continue
        hit = next((x for x in headers if x == h), None) or next(
            (x for x in headers if reading.clean_header(x).lower() == reading.clean_header(h).lower()), None)
        if hit is None:
            raise DataError("bad_mapping", file=name, column=str(h), value=fld, detail=", ".join(headers)[:300])
        out[fld] = hit
    return out, none


def user_stages(name: str, stages: dict[str, str] | None) -> dict[str, str]:
    out = {}
    for k, v in (stages or {}).items():
        st = str(v).strip().lower()
        if st not in ("won", "lost", "open"):
            raise DataError("bad_argument", file=name,
                            detail=f"stage {k!r} must be assigned to won, lost or open, not {v!r}")
        out[values.norm_value(k)] = st
    return out


class Converter:
    """State of one file while it is converted: the raw frame, the rows still kept, the quality report."""

    def __init__(self, name, raw, frame, headers, system, kind, q, rownum, stages):
        self.name, self.raw, self.frame, self.headers = name, raw, frame, headers
        self.system, self.kind, self.q, self.rownum = system, kind, q, rownum
        self.n = len(frame)
        self.stages = user_stages(name, stages)
        self.date_formats: dict[str, str] = {}
        self.keep = np.ones(self.n, bool)
        self.auto: set[str] = set()
        self.attributes: dict[str, str] = {}
        self.close_calls: list[dict] = []
        self._txcache: dict[tuple[str, bool], pa.Array] = {}
        self._stripcache: dict[str, tuple[pa.Array, np.ndarray]] = {}
        self._codecache: dict[int, tuple[pa.Array, pa.DictionaryArray]] = {}  # id → (array, its encoding)
        cyr = mp.cyrillic_headers(headers)
        self.default_order = values.MONTH_FIRST if (system in vocab.US_SYSTEMS and not cyr) else values.DAY_FIRST

    # ---------------------------------------------------------------- helpers
    def _map(self, kind: str, overrides) -> mp.Mapping:
        forced, none = resolve_overrides(self.name, self.headers, overrides, kind)
        joined = set(getattr(self.raw, "joined", ())) - set(forced.values())  # looked-up columns: by override only
        m = mp.memo_of(self.raw).map(self.frame, self.headers, kind, forced, exclude=joined)
        for fld in none:
            if fld not in forced:
                m.mapping.pop(fld, None)
        if m.ambiguous:
            self.q.warn("ambiguous_columns", fields=", ".join(m.ambiguous))
        self.auto = {f for f in m.mapping if f not in forced}
        self.close_calls = evidence.close_calls(self.name, m.mapping, m.scores, set(forced) | none, self.frame)
        for c in self.close_calls:
            params = {k: v for k, v in c.items() if k != "code"}
            self.q.warn(c["code"], **params)
        return m

    def _col(self, m: mp.Mapping, fld: str) -> pa.Array | None:
        h = m.mapping.get(fld)
        return None if h is None else self._tx(h, collapse=fld in _NAME_FIELDS)

    def _tx(self, header: str, collapse: bool = False) -> pa.Array:
        key = (header, collapse)
        if key not in self._txcache:
            t, d = arrow.text_codes(None, collapse, pre=self._stripped(header))
            self._txcache[key] = t
            if d is not None:
                self._codecache[id(t)] = (t, d)
        return self._txcache[key]

    def _codes(self, a: pa.Array) -> pa.DictionaryArray:
        """``pc.dictionary_encode(a)``, once per array (the collapse step of :meth:`_tx` may have done it)."""
        got = self._codecache.get(id(a))
        if got is None or got[0] is not a:   # (the array is held with its encoding: its id is not reused)
            got = self._codecache[id(a)] = (a, pc.dictionary_encode(a))
        return got[1]

    def _objects(self, a: pa.Array | None) -> np.ndarray:
        """:func:`arrow.objects` of a converted column, reusing its dictionary encoding when known."""
        got = None if a is None else self._codecache.get(id(a))
        return arrow.objects(a, self.n, got[1] if got is not None and got[0] is a else None)

    def seed_stripped(self, seen: dict[str, tuple[pa.Array, np.ndarray]]) -> None:
        """Reuse the columns' :func:`values.stripped` computed on these very rows (the empty-row check)."""
        for h, pre in seen.items():
            if h in self.frame.columns and len(pre[1]) == self.n:
                self._stripcache[h] = pre

    def _stripped(self, header: str) -> tuple[pa.Array, np.ndarray]:
        """(the column trimmed with '' for a missing cell, empty mask): :func:`values.stripped`, once per column."""
        if header not in self._stripcache:
            self._stripcache[header] = values.stripped(values.to_arrow(self.frame[header]))
        return self._stripcache[header]

    def _text_pre(self, header: str) -> tuple[pa.Array, np.ndarray] | None:
        """The column's stripped text for the date reader when it reads the column as text (an arrow string
        column, as from a CSV), else None (the reader takes the cells as they are)."""
        dt = self.frame[header].dtype
        if isinstance(dt, pd.ArrowDtype) and pa.types.is_string(dt.pyarrow_dtype):
            return self._stripped(header)
        return None

    def _drop(self, mask: np.ndarray, reason: str, example_col: str | None = None) -> None:
        mask = mask & self.keep
        n = int(mask.sum())
        if not n:
            return
        i = int(np.flatnonzero(mask)[0])
        ex = None
        if example_col is not None:
            v = self.frame[example_col].iloc[i]
            ex = None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v)[:80]
        self.q.drop(reason, n, ex, int(self.rownum[i]))
        self.keep &= ~mask

    def _managers(self, header: str) -> pa.Array:
        """The manager column; rows that name nobody (empty, spaces, ``#N/A``) are dropped and counted."""
        manager = self._tx(header, collapse=True)
        got = self._codecache.get(id(manager))
        blank = values.no_manager(manager, got[1] if got is not None and got[0] is manager else None) & self.keep
        if blank.any():
            i = int(np.flatnonzero(blank)[0])
            v = self.frame[header].iloc[i]
            self.q.warn("blank_managers", column=header, count=int(blank.sum()), example="" if v is None else str(v))
            manager = pc.if_else(pa.array(blank), arrow.NULL, manager)
        self._drop(arrow.isnull(manager), "no_manager", header)
        return manager

    def _footer(self, cols: list[str | None], date_col: str | None) -> None:
        """Drop total/footer rows: a footer phrase in the first / manager / id column and no date."""
        rows = np.flatnonzero(self.keep & (arrow.isnull(self._tx(date_col)) if date_col else True))
        if not len(rows):
            return
        hit = np.zeros(len(rows), bool)
        take = pa.array(rows)
        for c in dict.fromkeys([self.headers[0], *[c for c in cols if c]]):
            arr = values.to_arrow(self.frame[c]).take(take)
            hit |= pc.fill_null(pc.match_substring_regex(arr, _FOOTER_RE2), False).to_numpy(zero_copy_only=False)
        mask = np.zeros(self.n, bool)
        mask[rows[hit]] = True
        self._drop(mask, "footer", self.headers[0])

    def _dates(self, cols: dict[str, str]) -> dict[str, values.DateParse]:
        """Parse date columns; a column whose day/month order is undecided borrows the order another
        column of the same file proved, else keeps the default (and a warning says so)."""
        out = {f: values.parse_dates(self.frame[h], default_order=self.default_order, pre=self._text_pre(h))
               for f, h in cols.items()}
        proven = {r.fmt for r in out.values()
                  if r.decided and r.fmt in (values.DAY_FIRST, values.MONTH_FIRST) and not r.dotted}
        if len(proven) > 1:
            self.q.warn("date_order_conflict")
        for f, r in list(out.items()):
            if r.fmt in (values.DAY_FIRST, values.MONTH_FIRST) and not r.decided and not r.dotted:
                if len(proven) == 1:
                    order = next(iter(proven))
                    if order != r.fmt:
                        out[f] = r = values.parse_dates(self.frame[cols[f]], order=order, pre=self._text_pre(cols[f]))
                else:
                    col = self.frame[cols[f]]
                    ex = next((str(v) for v in col.head(50) if v is not None and str(v).strip()), "")
                    self.q.warn("date_order_guessed", column=cols[f], example=ex, order=r.fmt)
            if r.fmt:
                self.date_formats[cols[f]] = r.fmt
        return out

    def _check_dates(self, r: values.DateParse, header: str, required: bool) -> None:
        values.report_notes(r.notes, self.keep, self.q.warn, column=header)
        impossible = next((x.mask for x in r.notes if x.code == "impossible_dates"), None)
        if impossible is not None:  # a date that does not exist: its row is left out (whatever the column)
            self._drop(impossible, "impossible_date", header)
        ok = int((~np.isnat(r.values.to_numpy(dtype="datetime64[ns]")) & self.keep).sum())
        bad = r.bad & self.keep
        if not bad.any():
            return
        if ok == 0:
            i = int(np.flatnonzero(bad)[0])
            raise DataError("all_dates_unparsable", file=self.name, column=header, row=int(self.rownum[i]),
                            value=str(self.frame[header].iloc[i]))
        i = int(np.flatnonzero(bad)[0])
        self.q.warn("unparsable_dates", column=header, count=int(bad.sum()), example=str(self.frame[header].iloc[i]))
        if required:
            self._drop(bad, "bad_date", header)

    def _finish_quality(self, frame: pd.DataFrame, date_col: str, managers: pa.Array | None = None) -> None:
        """``managers``: the kept rows' manager column as arrow strings, when no row was dropped since
        (distinct values hashed in C++ instead of over Python objects)."""
        self.q.rows_used = len(frame)
        if managers is not None and len(frame):
            self.q.managers = sorted(pc.unique(managers).drop_null().to_pylist())
        else:
            self.q.managers = sorted(pd.unique(frame["manager"]).tolist()) if len(frame) else []
        if len(frame):
            col = frame[date_col]
            if date_col == "month":
                self.q.date_min = pd.Timestamp(col.min() + "-01")
                self.q.date_max = pd.Timestamp(col.max() + "-01") + pd.offsets.MonthEnd(0)
            else:
                self.q.date_min, self.q.date_max = col.min(), col.max()

    def _result(self, m, frame, unknown=None, stage_map=None, currencies=None) -> ImportedFile:
        system = self.system
        if system == "spreadsheet" and "manager" not in self.auto:
            system = "unknown"
        mapping, candidates = dict(m.mapping), {k: list(v) for k, v in m.candidates.items()}
        if self.kind in ("deals", "orders") and "status" not in mapping and "stage" in mapping:
            mapping["status"] = mapping["stage"]  # the canonical name of what decided won/lost/open
        if self.kind in ("deals", "orders"):
            both = candidates.get("status", []) + [h for h in candidates.get("stage", [])
                                                   if h not in candidates.get("status", [])]
            if both:
                candidates["status"] = both
        return ImportedFile(
            name=self.name, system=system, kind=self.kind, encoding=self.raw.encoding,
            delimiter=self.raw.delimiter, headers=self.headers, mapping=mapping,
            candidates=candidates, ambiguous=m.ambiguous, date_formats=self.date_formats,
            unknown_stages=unknown or [], stage_map=stage_map or {}, currencies=currencies or [],
            frame=frame, quality=self.q, close_calls=self.close_calls)

    @staticmethod
    def _hash_ids(parts: list, prefix: str) -> np.ndarray:
        """Stable ids from row contents (when the export has no id column)."""
        df = pd.DataFrame({f"c{i}": (p.to_numpy(zero_copy_only=False) if isinstance(p, pa.Array) else p)
                           for i, p in enumerate(parts)})
        for c in df.columns:   # the same ids on pandas 2 and 3: times in ns, text as object with "" for none
            if pd.api.types.is_datetime64_any_dtype(df[c]):
                df[c] = df[c].astype("datetime64[ns]").astype("int64")
            elif pd.api.types.is_object_dtype(df[c]) or pd.api.types.is_string_dtype(df[c]):
                # pandas 3 infers ``str`` (missing: NaN) from an object array of strings
                text = df[c].astype(object).fillna("").astype(str).to_numpy(dtype=object)
                df[c] = pd.Series(text, index=df.index, dtype=object)
        h = pd.util.hash_pandas_object(df, index=False).to_numpy()
        return np.char.add(prefix, np.char.mod("%016x", h)).astype(object)

    def _require(self, m: mp.Mapping, fld: str, code: str) -> str:
        h = m.mapping.get(fld)
        if h is None:
            raise DataError(code, file=self.name, detail=", ".join(self.headers)[:300])
        return h

