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
    """The chart's Vega-Lite dict (not re-validated: the same specs are validated by the app's tests)."""
    spec = chart.to_dict(validate=False) if hasattr(chart, "to_dict") else dict(chart)
    font = "DejaVu Sans" if _fonts() else None
    if font:
        cfg = spec.setdefault("config", {})
        cfg["font"] = font
    return spec


def same_chart(spec: dict, records: list[dict], domain: list | None = None) -> dict:
    """``spec`` (a chart's dict whose first layer draws its own dataset) drawing ``records`` instead: the
    chart built once and reused for each manager, instead of building and serialising it again."""
    import copy

    out = copy.copy(spec)
    name = out["layer"][0]["data"]["name"]
    out["datasets"] = {**out["datasets"], name: records}
    if domain is not None:                     # the colour scale's series (this manager, the team)
        layer = copy.deepcopy(out["layer"][0])
        layer["encoding"]["color"]["scale"]["domain"] = list(domain)
        out["layer"] = [layer, *out["layer"][1:]]
    return out


def svg(chart) -> str:
    return vlc.vegalite_to_svg(_spec(chart))


def png(chart, scale: float = 2.0) -> bytes:
    """PNG through the SVG (measured: cheaper than vl-convert's direct PNG path)."""
    return vlc.svg_to_png(svg(chart), scale=scale)


def svg_to_png(image: str, scale: float = 2.0) -> bytes:
    return vlc.svg_to_png(image, scale=scale)


def many(charts: dict, *, kind: str = "svg", progress=None, start: float = 0.9, span: float = 0.08) -> dict:
    """Every chart of ``charts`` (key → Altair chart) as SVG text or PNG bytes, a few at a time (vl-convert
    converts on its own threads), telling ``progress`` as they finish."""
    import os
    from concurrent.futures import ThreadPoolExecutor, as_completed

    specs = {k: _spec(c) for k, c in charts.items()}             # Altair's to_dict: not thread-safe
    conv = (lambda sp: vlc.vegalite_to_svg(sp)) if kind == "svg" else \
        (lambda sp: vlc.svg_to_png(vlc.vegalite_to_svg(sp), scale=2))
    out: dict = {}
    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        jobs = {pool.submit(conv, sp): k for k, sp in specs.items()}
        for i, job in enumerate(as_completed(jobs), 1):
            out[jobs[job]] = job.result()
            if progress:
                progress(start + span * i / len(jobs), "charts")
    return out


def titled(chart, *, title: str, subtitle: str):
    """A chart for a download: its title, and the period and data source as the subtitle."""
    return chart.properties(title={"text": title, "subtitle": subtitle, "anchor": "start"})
