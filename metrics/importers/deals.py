"""Deals and orders → the canonical deals frame: status from stage/status/flags, close dates, amounts and
currencies, clients, ids, product lines and duplicates."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import evidence, vocab
from .canonical import canonical_deals

from ..errors import DataError
from ..frames import frame as text_frame, text
from . import arrow, values
from .context import Converter
from .report import ImportedFile

_CODES = {"won": 1, "lost": 2, "open": 3, "deleted": 4}
_NAMES = np.array([None, "won", "lost", "open", "deleted"], dtype=object)


class DealsConverter(Converter):
    # ---------------------------------------------------------------- deals / orders
    def convert(self, overrides) -> ImportedFile:
        m = self._map("deals", overrides)
        mm, q, n = m.mapping, self.q, self.n
        self.mapping_used = mm
        man_h = self._require(m, "manager", "no_manager_column")
        orders = self.kind == "orders"
        date_fields = [f for f in ("created_at", "closed_at", "won_at", "lost_at", "modified_at") if f in mm]
        created_f = "created_at" if "created_at" in mm else next(
            (f for f in ("closed_at", "won_at", "modified_at") if f in mm), None)
        if created_f is None:
            raise DataError("no_date_column", file=self.name, detail=", ".join(self.headers)[:300])
        if created_f != "created_at":
            q.warn("created_from_close", column=mm[created_f])
        self._footer([man_h, mm.get("deal_id"), mm.get("title")], mm[created_f])

        manager = self._managers(man_h)
        # The modification date only matters without any close-date column: otherwise it is read only
        # when the other date columns leave the day/month order unproven (it may prove it).
        lazy = "modified_at" in date_fields and created_f != "modified_at" and any(
            f in mm for f in ("closed_at", "won_at", "lost_at"))
        seen = len(q.warnings)
        dates = self._dates({f: mm[f] for f in date_fields if not (lazy and f == "modified_at")})
        if lazy and any(not r.decided for r in dates.values()
                        if r.fmt in (values.DAY_FIRST, values.MONTH_FIRST) and not r.dotted):
            del q.warnings[seen:]
            self.date_formats.clear()
            dates = self._dates({f: mm[f] for f in date_fields})
        for f, r in dates.items():
            self._check_dates(r, mm[f], required=(f == created_f))
        created = dates[created_f].values.to_numpy(dtype="datetime64[ns]")
        self._drop(np.isnat(created), "no_date", mm[created_f])

        amount, currency = self._amounts(mm)
        self._cancellations(m, amount)
        if orders:
            status, unknown, stage_map = self._order_status(mm)
        else:
            status, unknown, stage_map = self._status(mm)
        self._drop(status == "deleted", "deleted")
        returned = (status == "lost") & self.keep
        if orders and returned.any():
            q.warn("orders_returned", count=int(returned.sum()), amount=round(float(amount[returned].sum()), 2))
        closed = self._closed(dates, mm, status, created, orders)

        # client: company, else contact, else title (warned), else the deal id (warned)
        client = self._col(m, "client")
        contact = self._col(m, "contact") if client is None or client.null_count else None
        if client is None:
            client = contact
        elif contact is not None:
            client = pc.coalesce(client, contact)
        if "title" in mm and (client is None or client.null_count):
            need = (np.ones(n, bool) if client is None else arrow.isnull(client)) & self.keep
            if need.any():
                title = self._col(m, "title")
                q.warn("client_from_title", count=int(need.sum()))
                client = title if client is None else pc.coalesce(client, title)

        deal_id = self._col(m, "deal_id")
        missing = np.ones(n, bool) if deal_id is None else arrow.isnull(deal_id)
        ids = arrow.objects(deal_id, n)
        if (missing & self.keep).any():
            q.warn("no_id_column")
            title = self._col(m, "title") if "title" in mm else None
            parts = [manager, client if client is not None else pa.nulls(n, pa.string()),
                     title if title is not None else pa.nulls(n, pa.string()), pd.Series(created),
                     pd.Series(amount), pd.Series(status)]
            ids = np.where(missing, self._hash_ids(parts, "h"), ids)
        # a deal without a client keeps an empty client (None): it counts for revenue, won deals, average
        # deal and conversion, never as a customer (retention, cohorts, time to repeat skip it)
        clients = arrow.objects(client, n)
        still = (np.ones(n, bool) if client is None else arrow.isnull(client)) & self.keep
        if still.any() and self.line_shaped(mm):
            q.warn("lines_without_client", count=int(still.sum()), amount=round(float(amount[still].sum()), 2))

        k = self.keep
        source = self._col(m, "source")
        kk = slice(None) if k.all() else k  # (no copies of every column when no row was dropped)
        out = text_frame({
            "deal_id": ids[kk], "manager": self._objects(manager)[kk], "client": clients[kk],
            "created_at": created[kk], "status": status[kk], "closed_at": closed[kk], "amount": amount[kk],
            "source": self._objects(source)[kk], "currency": (currency if currency is not None else arrow.objects(None, n))[kk],
        }, copy=False)
        for attr, h in self.attributes.items():  # team hierarchy joined from a lookup (team, office, ...)
            out[attr] = text(self._objects(self._tx(h, collapse=True))[kk], index=out.index)
        if deal_id is not None and not (missing & k).any():
            has_dup = arrow.has_duplicates(deal_id if k.all() else deal_id.filter(pa.array(k)))
        else:
            has_dup = pd.Index(ids[k]).has_duplicates
        if has_dup:
            out = self._collapse(out, self.frame.loc[k].reset_index(drop=True),
                                 "product" in mm or self.line_shaped(mm))

        neg = out["amount"].to_numpy() < 0
        if neg.any():
            q.negative_amounts = int(neg.sum())
            q.drop("negative_amount", int(neg.sum()), str(out["amount"][neg].iloc[0]))
            q.warn("negative_amounts", count=int(neg.sum()), deal=str(out["deal_id"][neg].iloc[0]))
            out = out.loc[~neg].reset_index(drop=True)

        curs: list[str] = []
        if currency is not None:
            codes, uniq = pd.factorize(out["currency"].to_numpy(dtype=object))  # (one hash pass; None → -1)
            if len(uniq) == 1:       # one currency (the usual case): no counting; the empty cells get it
                curs = [str(uniq[0])]
                if (codes < 0).any():
                    out["currency"] = out["currency"].fillna(curs[0])
            else:
                vc = out["currency"].dropna().value_counts()
                curs = [str(c) for c in vc.index]
            if len(curs) > 1:
                q.warn("multi_currency", currencies=", ".join(f"{c} ({cnt})" for c, cnt in vc.items()))
        if len(out) == 0:
            raise DataError("no_rows", file=self.name)
        if still.any():         # (no kept row without a client → none after merging; 0.1 s per 1M deals saved)
            self._no_client(out)
        frame = canonical_deals(out)
        k = self.keep  # every kept row is a deal (none merged or dropped since): their managers in C++
        same = len(frame) == int(k.sum())
        self._finish_quality(frame, "created_at", (manager if k.all() else manager.filter(pa.array(k))) if same else None)
        return self._result(m, frame, unknown, stage_map, curs)

    def _no_client(self, out: pd.DataFrame) -> None:
        """Note the deals left without a client (after product lines were merged): how many, how many of
        them won and their revenue (``no_client``: ``count``, ``won``, ``revenue``)."""
        none = pd.isna(out["client"].to_numpy(dtype=object))
        if none.any():
            won = none & (out["status"].to_numpy(dtype=object) == "won")
            self.q.warn("no_client", count=int(none.sum()), won=int(won.sum()),
                        revenue=round(float(out["amount"].to_numpy()[won].sum()), 2))

    @staticmethod
    def line_shaped(mm) -> bool:
        """Are the rows lines of invoices / orders (a product, quantity or unit price column)?"""
        return any(f in mm for f in ("quantity", "unit_price"))

    def _number(self, header: str) -> np.ndarray:
        num = values.parse_numbers(self.frame[header])
        bad = num.bad & self.keep
        if bad.any():
            self.q.warn("unparsable_amounts", column=header, count=int(bad.sum()), example=num.example)
        values.report_notes(num.notes, self.keep, self.q.warn, column=header)
        return num.values.to_numpy(dtype="float64")

    def _cancellations(self, m, amount: np.ndarray) -> None:
        """Cancellations and returns are not sales: a credit-note id (``C536379`` among numeric invoice
        numbers) or a negative quantity. Their rows are dropped with their count and amount reported
        (revenue is the sales, not net of them)."""
        mm, n = m.mapping, self.n
        mask = np.zeros(n, bool)
        if "deal_id" in mm:
            ids = self._tx(mm["deal_id"])
            if pc.any(pc.or_(pc.starts_with(ids, "C"), pc.starts_with(ids, "c"))).as_py():  # cheap test first
                credit = pc.fill_null(pc.match_substring_regex(ids, r"^[Cc]\d"), False).to_numpy(zero_copy_only=False)
                digits = pc.fill_null(pc.match_substring_regex(ids, r"^\d+$"), False).to_numpy(zero_copy_only=False)
                if credit.any() and digits.sum() > credit.sum():
                    mask |= credit
        if "quantity" in mm:
            qty = self._number(mm["quantity"])
            mask |= np.nan_to_num(qty) < 0
        mask &= self.keep
        if mask.any():
            self.q.cancellations = int(mask.sum())
            self.q.cancelled_amount = round(float(np.abs(amount[mask]).sum()), 2)
            self.q.warn("cancellations", count=int(mask.sum()), amount=self.q.cancelled_amount)
            self._drop(mask, "cancellation", mm.get("deal_id") or mm.get("quantity"))

    def _amounts(self, mm) -> tuple[np.ndarray, np.ndarray | None]:
        """(amounts, currency per row or None): cells with currency signs/codes, currency column first.
        Without an amount (line total) column, a unit price and a quantity give the line total:
        quantity × unit price × (1 − discount) — a line-total column is never multiplied again."""
        q, n = self.q, self.n
        cell_cur = None
        if "amount" not in mm and "unit_price" in mm and "quantity" in mm:
            price, qty = self._number(mm["unit_price"]), self._number(mm["quantity"])
            disc = np.zeros(n) if "discount" not in mm else np.nan_to_num(self._number(mm["discount"]))
            if (disc > 1).any():                      # per cent, not a fraction
                disc = disc / 100.0
            amount = np.nan_to_num(price) * np.nan_to_num(qty) * (1.0 - disc)
            if "discount" in mm:
                q.warn("line_totals", quantity=mm["quantity"], price=mm["unit_price"], discount=mm["discount"])
            else:
                q.warn("line_totals_plain", quantity=mm["quantity"], price=mm["unit_price"])
            cur = values.currencies(self._tx(mm["currency"])).to_numpy(dtype=object) if "currency" in mm else None
            return amount, cur
        if "amount" in mm:
            num = values.parse_numbers(self.frame[mm["amount"]])
            amount = num.values.to_numpy(dtype="float64")
            bad = num.bad & self.keep
            if bad.any():
                q.warn("unparsable_amounts", column=mm["amount"], count=int(bad.sum()), example=num.example)
            values.report_notes(num.notes, self.keep, q.warn, column=mm["amount"])
            amount = np.where(np.isnan(amount), 0.0, amount)
            cell_cur = None if num.currency is None else num.currency.to_numpy(dtype=object)
        else:
            q.warn("no_amount_column")
            amount = np.zeros(n)
        if "currency" in mm:
            cur = values.currencies(self._tx(mm["currency"])).to_numpy(dtype=object)
            if cell_cur is not None:
                cur = np.where(pd.isna(cur), cell_cur, cur)
            return amount, cur
        return amount, cell_cur

    def _status(self, mm) -> tuple[np.ndarray, list[str], dict[str, str]]:
        """won/lost/open per row from the status column, else the stage, else the yes/no flags.
        Works on small integer codes (see ``_CODES``) and on the columns' distinct values."""
        q, n = self.q, self.n
        res = np.zeros(n, np.int8)                     # 0 = not known yet
        raw_idx, raw_vals = None, []
        stage_map: dict[str, str] = {}
        for fld in ("status", "stage"):
            if fld not in mm:
                continue
            d = self._codes(self._tx(mm[fld], collapse=True))
            uniq = d.dictionary.to_pylist()
            idx = pc.fill_null(d.indices, -1).to_numpy(zero_copy_only=False)
            cls = [values.classify_stage(u, self.stages) for u in uniq]
            codes = np.array([_CODES.get(c, 0) for c in cls] + [0], dtype=np.int8)
            res = np.where(res == 0, codes[idx], res)
            raw_idx, raw_vals = idx, uniq  # the stage (more specific) wins when both exist
            for u, c in zip(uniq, cls):
                if c is not None:
                    stage_map.setdefault(u, c)
        has_raw = np.zeros(n, bool) if raw_idx is None else raw_idx >= 0
        flag = None if "closed_flag" not in mm else values.parse_yes_no(self.frame[mm["closed_flag"]]).to_numpy()
        yes = no = None
        if flag is not None:
            yes, no = flag == True, flag == False  # noqa: E712
        if "won_flag" in mm:
            won = values.parse_yes_no(self.frame[mm["won_flag"]]).to_numpy()
            closed_yes = np.ones(n, bool) if yes is None else yes
            wf = np.where(won == True, 1, np.where((won == False) & closed_yes, 2, 0))  # noqa: E712
            res = np.where(res == 0, wf, res).astype(np.int8)
        unknown = (res == 0) & has_raw & self.keep
        closed_unknown = np.zeros(n, bool)
        if flag is not None:
            closed_unknown = unknown & yes
            unknown &= ~no  # an unknown stage on a deal the flag says is open is simply open
            res = np.where((res == 0) & yes & ~has_raw, 1, res).astype(np.int8)
        if not any(f in mm for f in ("stage", "status", "closed_flag", "won_flag")):
            q.warn("no_status_column")
        empty = (res == 0) & ~has_raw & self.keep
        if empty.any() and any(f in mm for f in ("stage", "status")):
            q.warn("empty_status", count=int(empty.sum()))
        unknown_vals: list[str] = []
        if unknown.any():
            counts = np.bincount(raw_idx[unknown], minlength=len(raw_vals))
            unknown_vals = [raw_vals[i] for i in np.argsort(-counts, kind="stable") if counts[i]]
            for mask, code, as_ in ((unknown & ~closed_unknown, "unknown_stages", "open"),
                                    (closed_unknown, "closed_unknown_stages", "lost")):
                if mask.any():
                    c = np.bincount(raw_idx[mask], minlength=len(raw_vals))
                    vals = [raw_vals[i] for i in np.argsort(-c, kind="stable") if c[i]]
                    q.warn(code, count=int(mask.sum()), stages=", ".join(vals[:10]))
                    for v in vals:
                        stage_map.setdefault(v, as_)
        res = np.where(closed_unknown, 2, np.where(res == 0, 3, res))
        return _NAMES[res], unknown_vals, stage_map

    def _order_status(self, mm) -> tuple[np.ndarray, list[str], dict[str, str]]:
        """Orders are sales (won) unless their status says cancelled / returned (lost)."""
        n = self.n
        col = mm.get("status") or mm.get("stage")
        if col is None:
            self.q.warn("orders_as_won")
            return np.full(n, "won", dtype=object), [], {}
        d = self._codes(self._tx(col, collapse=True))
        uniq = d.dictionary.to_pylist()
        idx = pc.fill_null(d.indices, -1).to_numpy(zero_copy_only=False)
        user = self.stages
        cls = [user.get(values.norm_value(u)) or
               ("lost" if vocab.ORDER_LOST.search(values.norm_value(u)) else "won") for u in uniq]
        status = np.array(cls + ["won"], dtype=object)[idx]
        return status, [], dict(zip(uniq, cls))

    def _closed(self, dates, mm, status, created, orders) -> np.ndarray:
        """Close dates count only for won/lost deals; Pipedrive won/lost times by outcome; orders close
        on their date; without any close column, closed deals fall back to the modification date."""
        nat = np.datetime64("NaT")
        closed = np.full(self.n, nat, dtype="datetime64[ns]")
        if "closed_at" in dates:
            closed = dates["closed_at"].values.to_numpy(dtype="datetime64[ns]").copy()
        for f, st in (("won_at", "won"), ("lost_at", "lost")):
            if f in dates:
                v = dates[f].values.to_numpy(dtype="datetime64[ns]")
                closed = np.where(np.isnat(closed) & (status == st), v, closed)
        if orders:
            closed = np.where(np.isnat(closed), created, closed)
        elif not any(f in dates for f in ("closed_at", "won_at", "lost_at")) and (status[self.keep] != "open").any():
            if "modified_at" in dates:
                closed = dates["modified_at"].values.to_numpy(dtype="datetime64[ns]")
                self.q.warn("closed_from_modified", column=mm["modified_at"])
            else:
                self.q.warn("no_close_date")
        return np.where(status == "open", nat, closed).astype("datetime64[ns]")

    def _collapse(self, out: pd.DataFrame, raw_rows: pd.DataFrame, has_product: bool) -> pd.DataFrame:
        """One row per deal id. Exact duplicate rows are dropped; product lines (a product column, or
        the same id with different amounts) become one deal with the amounts summed; repeated
        snapshots of a deal (same id and amount, other fields changed) keep the last row."""
        dup = out["deal_id"].duplicated(keep=False).to_numpy()
        if not dup.any():
            return out
        q = self.q
        # one id, different managers: two deals or an error, never one deal's product lines
        part = out.loc[dup, ["deal_id", "manager"]]
        owners = part.groupby("deal_id", sort=False)["manager"].nunique()
        clash = owners.index[owners.to_numpy() > 1]
        if len(clash):
            bad = out["deal_id"].isin(clash).to_numpy()
            first = str(clash[0])
            who = ", ".join(sorted(map(str, part.loc[part["deal_id"] == clash[0], "manager"].unique()))[:5])
            q.drop("conflicting_rows", int(bad.sum()), first)
            q.warn("conflicting_rows", count=len(clash), rows=int(bad.sum()), deal=first, managers=who)
            out = out.loc[~bad].reset_index(drop=True)
            raw_rows = raw_rows.loc[~bad].reset_index(drop=True)
            dup = out["deal_id"].duplicated(keep=False).to_numpy()
            if not dup.any():
                return out
        if True:  # only rows equal in every column are duplicates (product lines included)
            exact = np.zeros(len(out), bool)
            exact[np.flatnonzero(dup)] = raw_rows.loc[dup].astype(str).duplicated(keep="first").to_numpy()
            if exact.any():
                q.duplicates += int(exact.sum())
                q.drop("duplicate", int(exact.sum()), str(out["deal_id"][exact].iloc[0]))
                q.warn("duplicate_rows", count=int(exact.sum()))
                out = out.loc[~exact].reset_index(drop=True)
            dup = out["deal_id"].duplicated(keep=False).to_numpy()
            if not dup.any():
                return out
        out = out.assign(_pos=np.arange(len(out)))
        part = out.loc[dup]
        lines = np.full(len(part), True) if has_product else (
            part.groupby("deal_id", sort=False)["amount"].transform("nunique").to_numpy() > 1)
        merged = []
        line_rows = part.loc[lines]
        if len(line_rows):
            g = line_rows.groupby("deal_id", sort=False)
            one = g.last()
            one["amount"] = g["amount"].sum()
            one["created_at"] = g["created_at"].min()
            one["_pos"] = g["_pos"].min()
            merged.append(one.reset_index())
            q.warn("product_lines_collapsed", rows=len(line_rows), deals=len(one))
            idh = self.mapping_used.get("deal_id")
            if not has_product and idh:     # no product / quantity column: are these lines, or is it the client?
                q.warn("id_repeats", column=idh, rows=len(line_rows), deals=len(one),
                       flip=evidence.flip(self.name, "client", idh))
            q.drop("merged_lines", len(line_rows) - len(one), str(one.index[0]))
        snap = part.loc[~lines]
        if len(snap):
            last = snap.groupby("deal_id", sort=False).last().reset_index()
            q.duplicates += len(snap) - len(last)
            q.drop("duplicate", len(snap) - len(last), str(last["deal_id"].iloc[0]))
            q.warn("duplicate_rows", count=len(snap) - len(last))
            merged.append(last)
        res = pd.concat([out.loc[~dup], *merged], ignore_index=True).sort_values("_pos", kind="stable")
        return res.drop(columns="_pos").reset_index(drop=True)

    # ---------------------------------------------------------------- activities
