"""Activities (calls, meetings, e-mails, tasks) → the canonical activities frame."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import schema
from . import mapping as mp, vocab
from .canonical import canonical_activities

from ..errors import DataError
from ..frames import frame as text_frame
from . import arrow, values
from .context import Converter
from .report import ImportedFile


class ActivitiesConverter(Converter):
    def convert(self, overrides) -> ImportedFile:
        m = self._map("activities", overrides)
        mm, q, n = m.mapping, self.q, self.n
        man_h = self._require(m, "manager", "no_manager_column")
        at_h = self._require(m, "at", "no_date_column")
        self._footer([man_h, mm.get("activity_id")], at_h)
        if "activity_id" in mm and not self._tx(mm["activity_id"]).null_count:
            # ids present (no row hashing): the columns not mapped are not needed any more (free them)
            used = dict.fromkeys([self.headers[0], *mm.values(),
                                  *(h for h in self.headers if mp.words(h)[-1:] in (("status",), ("статус",)))])
            self.frame = self.frame[[h for h in self.headers if h in used]]
        manager = self._managers(man_h)
        r = self._dates({"at": at_h})["at"]
        self._check_dates(r, at_h, required=True)
        at = r.values.to_numpy(dtype="datetime64[ns]")
        if "time_of_day" in mm:  # Pipedrive "Due date" + "Due time"
            tod = pd.Series(arrow.objects(arrow.text(self.frame[mm["time_of_day"]]), n), dtype=object)
            parts = tod.str.extract(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?")
            secs = sum(pd.to_numeric(parts[i], errors="coerce").fillna(0).to_numpy() * f
                       for i, f in ((0, 3600), (1, 60), (2, 1)))
            midnight = ~np.isnat(at) & (at == at.astype("datetime64[D]").astype("datetime64[ns]"))
            at = np.where(midnight, at + (secs * 1e9).astype("int64").astype("timedelta64[ns]"), at)
        self._drop(np.isnat(at), "no_date", at_h)
        if "type" in mm:
            typ = values.activity_types(self._tx(mm["type"])).to_numpy(dtype=object)
        else:
            default = "call" if self._is_calls() else (
                "meeting" if re.search(r"event|meeting|встреч|зустріч", self.name, re.I) else "other")
            q.warn("no_type_column", type=default)
            typ = np.full(n, default, dtype=object)
        done = np.ones(n, bool)
        if "done" in mm:
            done = values.yes_no_flags(self.frame[mm["done"]], missing=True)
        else:
            done = self._done_from_status(done)
        aid = self._col(m, "activity_id")
        missing = np.ones(n, bool) if aid is None else arrow.isnull(aid)
        ids = None
        if (missing & self.keep).any():
            q.warn("no_id_column")
            extra = [arrow.text(self.frame[h]) for h in self.headers if h not in (man_h, at_h)][:8]
            ids = np.where(missing, self._hash_ids([manager, pd.Series(at), pd.Series(typ), *extra], "a"),
                           arrow.objects(aid, n))
        k = self.keep
        if ids is None:  # the file's own ids, kept as arrow strings (schema.ID_DTYPE)
            kept = aid if k.all() else aid.filter(pa.array(k))
            act_ids = pd.arrays.ArrowExtensionArray(kept)
        else:
            act_ids = pd.array(ids[k].astype(str), dtype=schema.ID_DTYPE)
        kk = slice(None) if k.all() else k
        out = text_frame({"activity_id": act_ids, "manager": self._objects(manager)[kk], "type": typ[kk],
                          "at": at[kk], "done": done[kk]}, copy=False)
        if aid is not None and not (missing & k).any():
            maybe_dup = arrow.has_duplicates(aid if k.all() else aid.filter(pa.array(k)))
        else:
            maybe_dup = True
        dup = out["activity_id"].duplicated(keep="last").to_numpy() if maybe_dup else np.zeros(len(out), bool)
        if dup.any():
            q.duplicates = int(dup.sum())
            q.drop("duplicate", int(dup.sum()), str(out["activity_id"][dup].iloc[0]))
            q.warn("duplicate_rows", count=int(dup.sum()))
            out = out.loc[~dup].reset_index(drop=True)
        if len(out) == 0:
            raise DataError("no_rows", file=self.name)
        frame = canonical_activities(out)
        self._finish_quality(frame, "at", None if dup.any() else (manager if k.all() else manager.filter(pa.array(k))))
        return self._result(m, frame)

    def _done_from_status(self, done: np.ndarray) -> np.ndarray:
        """A task status column (Salesforce ``Status``: Completed / Not Started / In Progress …) decides
        done: a status in ``vocab.DONE_STATUSES`` is done, any other is not."""
        for h in self.headers:
            ws = mp.words(h)
            if not ws or ws[-1] not in ("status", "статус"):
                continue
            vals = pd.Series(arrow.objects(self._tx(h, collapse=True), self.n)).map(
                lambda v: None if v is None else values.norm_value(v))
            distinct = set(vals.dropna().unique())
            if len(distinct) >= 2 and distinct & vocab.DONE_STATUSES:
                self.q.warn("done_from_status", column=h, done=", ".join(sorted(distinct & vocab.DONE_STATUSES)))
                return vals.isin(vocab.DONE_STATUSES).to_numpy()
        return done

    def _is_calls(self) -> bool:
        ws = {w for h in self.headers for w in mp.stems(mp.words(h))}
        return bool(ws & {"call", "звонк", "дзвінк", "вызов", "outcome", "direction"}) or \
            bool(re.search(r"call|звон|дзвін", self.name, re.I))

    # ---------------------------------------------------------------- plans
