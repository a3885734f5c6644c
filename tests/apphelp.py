"""Helpers shared by the AppTest tests: open the app on uploaded files in a language, walk chart specs."""
from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def uploaded(files, lang: str, page: str | None = None, timeout: int = 120) -> AppTest:
    """A fresh app in `lang` with `files` ((name, bytes, mime) tuples) uploaded, then `page` opened; fails on
    an exception."""
    at = AppTest.from_file(APP, default_timeout=timeout).run()
    at.session_state["lang"] = lang
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value(files).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def spec_nodes(at: AppTest):
    """Every dict inside every chart's Vega-Lite spec on the page, depth first."""
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")]
    stack = specs[::-1]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            yield x
            stack.extend(reversed(list(x.values())))
        elif isinstance(x, list):
            stack.extend(reversed(x))
