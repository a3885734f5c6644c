"""The app's Altair charts as images: SVG (vector, for the PDF) and PNG (for the slides), via vl-convert.

The same Vega-Lite spec the page draws (``ui.charts``); no browser, no screenshot. Text in the images is
set in DejaVu Sans when the machine has it (Debian ``fonts-dejavu-core``), which covers Cyrillic.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import vl_convert as vlc

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")


@lru_cache(maxsize=1)
def _fonts() -> str | None:
    for d in FONT_DIRS:
        if Path(d).is_dir():
            try:
                vlc.register_font_directory(d)
            except Exception:  # noqa: BLE001 - registering twice or an odd font dir must not stop a report
                pass
            return d
    return None


def _spec(chart) -> dict:
    spec = chart.to_dict() if hasattr(chart, "to_dict") else dict(chart)
    font = "DejaVu Sans" if _fonts() else None
    if font:
        cfg = spec.setdefault("config", {})
        cfg["font"] = font
    return spec


def svg(chart) -> str:
    return vlc.vegalite_to_svg(_spec(chart))


def png(chart, scale: float = 2.0) -> bytes:
    return vlc.vegalite_to_png(_spec(chart), scale=scale)


def titled(chart, *, title: str, subtitle: str):
    """A chart for a download: its title, and the period and data source as the subtitle."""
    return chart.properties(title={"text": title, "subtitle": subtitle, "anchor": "start"})
