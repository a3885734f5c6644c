"""The Data page's per-file report: detection, column mapping, stage assignment, data quality."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.loading import Dataset
from metrics.quality import dataset_summary, monthly_volume

from . import state, tables
from .i18n import lang, t
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


def set_mapping(file: str, field: str) -> None:
    """Selectbox callback: remember the user's column for this file and field (session-wide)."""
    value = st.session_state[f"map::{file}::{field}"]
    maps = {k: dict(v) for k, v in st.session_state.get("mappings", {}).items()}
    maps.setdefault(file, {})[field] = value
    st.session_state["mappings"] = maps


def set_stage(stage: str) -> None:
    stages = dict(st.session_state.get("stage_map", {}))
    stages[stage] = st.session_state[f"stage::{stage}"]
    st.session_state["stage_map"] = stages


def reset_corrections() -> None:
    st.session_state["mappings"], st.session_state["stage_map"] = {}, {}


def warning_text(w: dict) -> str:
    """An importer warning in the user's language (same codes and placeholders as importers.WARNINGS)."""
    key = f"warn.{w['code']}"
    from .catalogues import message
    return message(key, lang(), w["params"], fallback=w["message"])


def mapping_widgets(f) -> None:
    """One selectbox per canonical field: the column used, any header, or none."""
    options = [NONE, *f.headers]
    fields = [x for x in FIELDS.get(f.kind, []) if x in f.candidates or x in f.mapping or x in ("manager",)]
    cols = st.columns(3)
    for i, field in enumerate(fields):
        key = f"map::{f.name}::{field}"
        current = f.mapping.get(field, NONE)
        st.session_state[key] = current if current in options else NONE
        cols[i % 3].selectbox(t(f"field.{field}") if f"field.{field}" in TEXTS else field, options, key=key,
                              on_change=set_mapping, args=(f.name, field),
                              format_func=lambda h, none=t("data.no_column"): h or none)
    if f.ambiguous:
        st.warning(t("data.ambiguous", fields=", ".join(f.ambiguous)))


def stage_widgets(f) -> None:
    if not f.unknown_stages:
        return
    st.markdown(t("data.unknown_stages"))
    cols = st.columns(3)
    labels = {s: t(f"data.status.{s}") for s in ("won", "lost", "open")}
    for i, stage in enumerate(f.unknown_stages[:30]):
        key = f"stage::{stage}"
        st.session_state[key] = f.stage_map.get(stage, "open")
        cols[i % 3].selectbox(stage, ["won", "lost", "open"], key=key, on_change=set_stage, args=(stage,),
                              format_func=labels.get)


def quality_frame(f) -> pd.DataFrame:
    q = f.quality
    rows = [(t("data.q.rows_read"), q.rows_read), (t("data.q.rows_used"), q.rows_used),
            (t("data.q.duplicates"), q.duplicates), (t("data.q.negative"), q.negative_amounts),
            (t("data.q.managers"), len(q.managers)),
            (t("data.q.dates"), " – ".join(str(d.date()) for d in (q.date_min, q.date_max) if d is not None) or "—")]
    rows += [(t("data.q.dropped", reason=d["reason"]), f"{d['count']} (e.g. {d.get('example')!s})") for d in q.dropped]
    return pd.DataFrame(rows, columns=["what", "value"]).astype({"value": str})


def describe(f) -> str:
    formats = ", ".join(f"{h}: {t('data.date.' + v) if 'data.date.' + v in TEXTS else v}" for h, v in f.date_formats.items())
    return t("data.detected", system=t(f"data.system.{f.system}") if f"data.system.{f.system}" in TEXTS else f.system,
             kind=t(f"data.kind.{f.kind}"), encoding=f.encoding or "—", delimiter=repr(f.delimiter) if f.delimiter else "—",
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
