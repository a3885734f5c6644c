"""Drawing a chart: for public data, its Vega-Lite spec is built once per process and shared read-only.

``chart(builder, *args, key=..., **kwargs)`` stands for ``st.altair_chart(builder(*args, **kwargs), key=key)``.
Building an Altair chart and converting it to a Vega-Lite spec (with its data as Arrow) is most of a
page's server time on the sample data (0.1–0.35 s a chart on this machine), and every visitor of the
public data (token starting with ``ui.state.PUBLIC``) draws the same charts from the same frames. So for
public data the spec is cached process-wide, keyed by the builder and a content digest of every argument
(the frames' values, index and dtypes, the translated titles, the language); a visitor gets a deep copy
(Streamlit edits the spec while sending it). For any other data (uploads) the chart is built in the
session as before: an upload's frames never enter the shared cache.
"""
from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from . import charts, state

#: reprs that name an object's address are not content: such arguments are not cached
_ADDRESS = " at 0x"


def _feed(h, value: Any) -> bool:
    """Add ``value``'s content to the digest; False when it has none we can trust (then: no caching)."""
    if isinstance(value, pd.DataFrame):
        h.update(b"df")
        h.update(repr((list(map(str, value.columns)), [str(d) for d in value.dtypes], value.shape)).encode())
        h.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        return True
    if isinstance(value, pd.Series):
        return _feed(h, value.to_frame())
    if isinstance(value, (list, tuple)):
        h.update(f"seq{len(value)}".encode())
        return all(_feed(h, v) for v in value)
    if isinstance(value, dict):
        h.update(f"map{len(value)}".encode())
        return all(_feed(h, k) and _feed(h, v) for k, v in value.items())
    text = repr(value)
    if _ADDRESS in text:
        return False
    h.update(type(value).__qualname__.encode() + b":" + text.encode())
    return True


def digest(args: tuple, kwargs: dict) -> str | None:
    """A content digest of a builder's arguments, or None when one has no trustworthy content."""
    h = hashlib.sha256()
    try:
        ok = _feed(h, list(args)) and _feed(h, dict(sorted(kwargs.items())))
    except TypeError:       # e.g. a frame cell holding a list: pandas cannot hash it
        return None
    return h.hexdigest() if ok else None


def spec_of(built) -> dict:
    """The Vega-Lite spec ``st.altair_chart`` would send for ``built`` (Streamlit's own conversion, so the
    element is the same)."""
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec  # noqa: PLC2701 - see docstring

    return _convert_altair_to_vega_lite_spec(built)


@st.cache_resource(max_entries=512, ttl="6h", show_spinner=False)
def shared_spec(name: str, digest_: str, _build: Callable[[], Any]) -> dict:
    """One spec per builder and argument digest for the whole process (public data only; read-only: every
    caller takes a deep copy)."""
    return spec_of(_build())


def is_public() -> bool:
    """Whether this run shows public data (the bundled sample data or a sample export)."""
    ctx = st.session_state.get("_ctx")
    return ctx is not None and str(getattr(ctx, "token", "")).startswith(state.PUBLIC)


def chart(builder: Callable[..., Any], *args: Any, key: str, **kwargs: Any):
    """``st.altair_chart(builder(*args, **kwargs), key=key)``; on public data from the shared spec cache."""
    # the caption (page title, period, source) is set per run outside the arguments: part of the key
    d = digest(args, {**kwargs, "_caption": charts.current_caption()}) if is_public() else None
    if d is None:
        return st.altair_chart(builder(*args, **kwargs), key=key)
    name = f"{builder.__module__}.{builder.__qualname__}"
    spec = shared_spec(name, d, lambda: builder(*args, **kwargs))
    return st.vega_lite_chart(spec=copy.deepcopy(spec), key=key)
