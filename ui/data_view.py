"""The Data page's per-file report: detection, what each file or sheet was taken for and why, column
mapping (close calls highlighted to confirm), stage assignment, data quality.

Widget keys carry the file's position and a digest of its name (``_key``), so the same file uploaded twice,
two files with one name or two exports sharing an unknown stage never collide
(StreamlitWidgetAlreadyInstantiatedError)."""
from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from metrics.loading import Dataset
from metrics.quality import dataset_summary, monthly_volume

from . import state, tables
from .fmt import inert
from .i18n import inert_params, lang, t
from .catalogues import TEXTS

FIELDS = {"deals": ["deal_id", "manager", "client", "created_at", "closed_at", "stage", "status", "amount",
                    "currency", "source"],
          "orders": ["deal_id", "manager", "client", "created_at", "amount", "currency", "source"],
          "activities": ["activity_id", "manager", "type", "at", "done"],
          "plans": ["manager", "month", "target"]}
NONE = ""


@state.shared_cache("data", max_entries=8)
def summary_and_volume(token: str, _data: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The Data page's summary table and monthly volumes, once per dataset (keyed by its content token)."""
    return dataset_summary(data=_data), monthly_volume(data=_data)


def _key(kind: str, file: str, what: str, seen: set[str]) -> str:
    """A widget key unique on the page: ``map::<file>::<field>`` (``stage::<stage>``), with a digest of the
    file's position appended when that key is already on the page (the same name twice)."""
    key = f"{kind}::{file}::{what}" if file else f"{kind}::{what}"
    if key in seen:
        key += "::" + hashlib.sha1(f"{len(seen)}\0{file}".encode()).hexdigest()[:8]
    seen.add(key)
    return key


def set_mapping(file: str, field: str, key: str) -> None:
    """Selectbox callback: remember the user's column for this file and field (session-wide)."""
    value = st.session_state[key]
    maps = {k: dict(v) for k, v in st.session_state.get("mappings", {}).items()}
    maps.setdefault(file, {})[field] = value
    st.session_state["mappings"] = maps


def set_stage(stage: str, key: str) -> None:
    stages = dict(st.session_state.get("stage_map", {}))
    stages[stage] = st.session_state[key]
    st.session_state["stage_map"] = stages


def reset_corrections() -> None:
    st.session_state["mappings"], st.session_state["stage_map"] = {}, {}


def warning_text(w: dict) -> str:
    """An importer warning in the user's language (same codes and placeholders as importers.WARNINGS)."""
    key = f"warn.{w['code']}"
    from .catalogues import message
    return message(key, lang(), {k: _param(k, v) for k, v in w["params"].items()}, fallback=inert(w["message"]))


def _param(name: str, v):
    """A warning's parameter as the page shows numbers: counts grouped (1 088), money with two decimals in
    the session's style (0.00 / 0,00); text inert; examples as they were."""
    from .fmt import format_value
    if isinstance(v, str):
        return inert(v)
    if name == "example" or isinstance(v, bool):
        return v
    if isinstance(v, int):
        return _n(v)
    if isinstance(v, float):
        return format_value(v, "num2", lang())
    return v


def _field_label(field: str) -> str:
    return t(f"field.{field}") if f"field.{field}" in TEXTS else field


def close_call_widgets(f, seen: set[str]) -> None:
    """Each close call highlighted: the choice made, pre-filled, and the runner-up to switch to."""
    for c in f.close_calls:
        options = [c["column"], *([c["runner_up"]] if c.get("runner_up") else [])]
        field = "deal_id" if c["code"] == "client_or_id" else c["field"]
        if c["code"] == "client_or_id":
            options = [NONE, c["column"]]
        key = _key("close", f.name, f"{c['code']}:{field}", seen)
        current = f.mapping.get(field, NONE)
        st.session_state[key] = current if current in options else options[0]
        st.warning(warning_text({"code": c["code"], "params": {"file": f.name, **c}, "message": ""}),
                   icon=":material/help:")
        st.selectbox(t("data.confirm", field=_field_label(field)), options, key=key, on_change=set_mapping,
                     args=(f.name, field, key), format_func=lambda h, none=t("data.no_column"): h or none)


def mapping_widgets(f, seen: set[str] | None = None) -> None:
    """One selectbox per canonical field: the column used, any header, or none."""
    options = [NONE, *f.headers]
    fields = [x for x in FIELDS.get(f.kind, []) if x in f.candidates or x in f.mapping or x in ("manager",)]
    cols = st.columns(3)
    for i, field in enumerate(fields):
        key = _key("map", f.name, field, seen if seen is not None else set())
        current = f.mapping.get(field, NONE)
        st.session_state[key] = current if current in options else NONE
        cols[i % 3].selectbox(_field_label(field), options, key=key,
                              on_change=set_mapping, args=(f.name, field, key),
                              format_func=lambda h, none=t("data.no_column"): h or none)
    if f.ambiguous:
        st.warning(t("data.ambiguous", fields=", ".join(f.ambiguous)))


def stage_widgets(f, seen: set[str] | None = None) -> None:
    """The file's unknown stages to assign; a stage already offered for another file is not asked again
    (the assignment is session-wide)."""
    seen = seen if seen is not None else set()
    stages = [s for s in f.unknown_stages[:30] if f"stage::{s}" not in seen]
    if not stages:
        return
    st.markdown(t("data.unknown_stages"))
    cols = st.columns(3)
    labels = {s: t(f"data.status.{s}") for s in ("won", "lost", "open")}
    for i, stage in enumerate(stages):
        key = _key("stage", "", stage, seen)
        st.session_state[key] = f.stage_map.get(stage, "open")
        cols[i % 3].selectbox(inert(stage), ["won", "lost", "open"], key=key, on_change=set_stage, args=(stage, key),
                              format_func=labels.get)


def _kind_label(kind: str) -> str:
    key = f"data.kind.{str(kind).replace(' ', '_')}"
    return t(key) if key in TEXTS else str(kind)


def taken_for(f) -> str:
    """One line: what the file or sheet was taken for, and the lookups joined into it."""
    joins = " ".join(t("data.joined", file=j["file"], role=_kind_label(j["role"]), by=j["by"]) for j in f.joins)
    return t("data.taken_for", kind=_kind_label(f.kind)) + (f" {joins}" if joins else "")


def parts_frame(data: Dataset) -> pd.DataFrame:
    """The lookups, documentation and files set aside: file, taken for, why (in the reader's language)."""
    rows = []
    for a in [*data.lookups, *data.set_aside]:
        if a.get("joins"):
            why = "; ".join(t("data.joined_to", to=j["to"], by=j["by"], share=f"{j['overlap']:.0%}") for j in a["joins"])
        elif a.get("error"):                  # a main table that could not be read: the reading error, translated
            from .catalogues import message
            why = message(f"err.{a['error']['code']}", lang(), inert_params(a["error"]["params"]),
                          fallback=a["reason"])
        elif f"data.aside.{a['kind']}" in TEXTS:
            why = t(f"data.aside.{a['kind']}", other=a.get("other") or "")
        else:
            why = a["reason"]
        rows.append({"file": a["file"], "kind": _kind_label(a["kind"]), "why": why})
    return pd.DataFrame(rows, columns=["file", "kind", "why"])


def show_parts(data: Dataset) -> None:
    """The lookups, documentation and files set aside as a table whose "why" wraps (a data grid cut the
    lines of a users file joined to four files after the first)."""
    parts = parts_frame(data)
    if len(parts):
        st.subheader(t("data.parts"))
        st.table(parts.rename(columns={"file": t("data.col.file"), "kind": t("data.col.taken_for"),
                                       "why": t("data.col.why")}), hide_index=True)


def _n(x: int) -> str:
    """A count as the page's metrics show it: thousands grouped by a no-break space (21 242)."""
    return f"{int(x):,}".replace(",", "\u00a0")


def quality_frame(f) -> pd.DataFrame:
    """The file's checks: rows read / used, duplicates, negative amounts (deals and orders only), managers,
    date range, cancellations, and each reason rows were dropped with its count and an example (the count
    alone when the reader kept none — never "e.g. —")."""
    q = f.quality
    rows = [(t("data.q.rows_read"), _n(q.rows_read)), (t("data.q.rows_used"), _n(q.rows_used)),
            (t("data.q.duplicates"), _n(q.duplicates))]
    if f.kind in ("deals", "orders"):
        rows.append((t("data.q.negative"), _n(q.negative_amounts)))
    rows += [(t("data.q.managers"), _n(len(q.managers))),
             (t("data.q.dates"), " – ".join(str(d.date()) for d in (q.date_min, q.date_max) if d is not None) or "—")]
    if q.cancellations:
        rows.append((t("data.q.cancellations"), f"{_n(q.cancellations)} ({q.cancelled_amount:,.2f})"))
    for d in q.dropped:
        reason = t(f"data.reason.{d['reason']}") if f"data.reason.{d['reason']}" in TEXTS else d["reason"]
        example = d.get("example")
        if example in (None, "") and d.get("row") is not None:
            example = t("data.q.row", row=_n(d["row"]))
        value = _n(d["count"]) if example in (None, "") else t("data.q.example", count=_n(d["count"]),
                                                                example=str(example))
        rows.append((t("data.q.dropped", reason=reason), value))
    return pd.DataFrame(rows, columns=["what", "value"]).astype({"value": str})


def describe(f) -> str:
    formats = ", ".join(f"{inert(h)}: {t('data.date.' + v) if 'data.date.' + v in TEXTS else inert(v)}"
                        for h, v in f.date_formats.items())
    return t("data.detected", system=t(f"data.system.{f.system}") if f"data.system.{f.system}" in TEXTS else inert(f.system),
             kind=t(f"data.kind.{f.kind}"), encoding=inert(f.encoding or "—"),
             delimiter=inert(repr(f.delimiter)) if f.delimiter else "—",
             dates=formats or "—")


def show_deals_preview(deals: pd.DataFrame, n: int = 200) -> None:
    """The first deals as the reader sees them (``tables.show``): field names and statuses in the session's
    language, amounts formatted, dates as text with an open deal's close date blank."""
    head = deals.head(n).reset_index(drop=True)
    view = pd.DataFrame(index=head.index)
    for col in head.columns:
        s = head[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d %H:%M").fillna(NONE)
        elif col == "status":
            words = {v: t(f"data.status.{v}") for v in s.dropna().unique() if f"data.status.{v}" in TEXTS}
            s = s.map(lambda v: words.get(v, v))
        elif s.dtype == object:
            s = s.fillna(NONE)
        view[col] = s
    kinds = {c: ("num2" if c == "amount" else "text") for c in view.columns}
    headers = {c: t(f"field.{c}") for c in view.columns if f"field.{c}" in TEXTS}
    tables.show(view, kinds, headers=headers, key="deals_preview")


def plain_warnings(f) -> list[dict]:
    """The file's warnings except the close calls (shown with their widgets by :func:`close_call_widgets`)."""
    return [w for w in f.quality.warnings if w["code"] not in ("close_call", "client_or_id")]
