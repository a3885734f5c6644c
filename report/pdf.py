"""The report as an A4 landscape PDF, typeset by Typst (the ``typst`` wheel: the compiler inside, no system
packages) from ``report.typ``, with the charts as vector SVG and the fonts embedded."""
from __future__ import annotations

import json
from pathlib import Path

import typst

from . import render

TEMPLATE = Path(__file__).with_name("report.typ")


def build(content: dict, progress=None, pool=None) -> bytes:
    say = progress or (lambda f, s: None)
    inputs = {"doc": json.dumps({k: v for k, v in content.items() if k != "charts"} |
                                {"charts": {k: True for k in content["charts"]}}, ensure_ascii=False)}
    for key, image in render.many(content["charts"], kind="svg", progress=say, pool=pool).items():
        inputs[f"chart:{key}"] = image
    fonts = [d for d in render.FONT_DIRS if Path(d).is_dir()]
    return typst.compile(TEMPLATE.read_bytes(), font_paths=fonts, sys_inputs=inputs, format="pdf")
