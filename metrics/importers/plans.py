"""Plans (long: manager, month, target; or wide: one column per month) → the canonical plans frame."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import schema
from . import mapping as mp

from ..errors import DataError
from . import arrow, values
from .context import Converter
from .report import ImportedFile
from ..frames import frame as text_frame


class PlansConverter(Converter):
    def convert(self, overrides) -> ImportedFile:
        months = mp.month_headers(self.headers)
        m = self._map("plans", overrides)
        mm, q = m.mapping, self.q
        man_h = self._require(m, "manager", "no_manager_column")
        self._footer([man_h], None)
        manager = arrow.objects(self._tx(man_h, collapse=True), self.n)
        self._drop(pd.isna(manager), "no_manager")
        long_form = "month" in mm and "target" in mm and mm["month"] not in months and mm["target"] not in months
        if long_form:
            month = values.parse_months(self.frame[mm["month"]]).to_numpy(dtype=object)
            bad = pd.isna(month) & self.keep
            if bad.any() and bad.sum() == self.keep.sum():
                i = int(np.flatnonzero(bad)[0])
                raise DataError("bad_month", file=self.name, column=mm["month"], row=int(self.rownum[i]),
                                value=str(self.frame[mm["month"]].iloc[i]))
            self._drop(bad, "bad_month", mm["month"])
            num = values.parse_numbers(self.frame[mm["target"]])
            target = num.values.to_numpy(dtype="float64")
            if (num.bad & self.keep).any():
                q.warn("unparsable_amounts", column=mm["target"], count=int((num.bad & self.keep).sum()),
                       example=num.example)
            self._drop(np.isnan(target), "no_target", mm["target"])
            k = self.keep
            long = text_frame({"manager": manager[k], "month": month[k], "target": target[k]})
        elif months:
            parts, skipped = [], 0
            for h, mo in months.items():
                num = values.parse_numbers(self.frame[h])
                t = num.values.to_numpy(dtype="float64")
                ok = ~np.isnan(t) & self.keep
                skipped += int((np.isnan(t) & self.keep).sum())
                if (num.bad & self.keep).any():
                    q.warn("unparsable_amounts", column=h, count=int((num.bad & self.keep).sum()),
                           example=num.example)
                parts.append(text_frame({"manager": manager[ok], "month": mo, "target": t[ok]}))
            if skipped:
                q.warn("no_target_rows", count=skipped)
            long = pd.concat(parts, ignore_index=True)
            m.mapping.pop("month", None)
            m.mapping.pop("target", None)
            m.mapping.update({f"month:{mo}": h for h, mo in months.items()})
        else:
            raise DataError("no_plan_columns", file=self.name)
        neg = long["target"].to_numpy() < 0
        if neg.any():
            q.negative_amounts = int(neg.sum())
            q.drop("negative_amount", int(neg.sum()))
            long = long.loc[~neg]
        if len(long) == 0:
            raise DataError("no_rows", file=self.name)
        frame = schema.standardize_plans(long.reset_index(drop=True), file=self.name)
        self._finish_quality(frame, "month")
        return self._result(m, frame)

