"""The workshop report (PDF and PPTX) from the same settings as the screen — used by ``python -m metrics
report --format pdf|pptx`` and by the Overview's "Download report". No streamlit import here."""
from __future__ import annotations

from collections.abc import Callable

from metrics.loading import Dataset
from metrics.periods import Period

from .content import Options, collect

FORMATS = ("pdf", "pptx")


def build(fmt: str, *, data: Dataset, period: Period, options: Options,
          progress: Callable[[float, str], None] | None = None, pool=None) -> bytes:
    """The report file's bytes. ``progress(fraction, step)`` is told how far the build is. ``pool``: chart
    converters started ahead (``report.render.Pool``, closed by the caller); without one, a process that has
    not converted a chart yet starts its own here, so that the converters boot while the report is computed."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown report format {fmt!r}")
    from . import render
    own = pool is None and not render.warm()
    if own:
        pool = render.Pool()
    try:
        content = collect(data=data, period=period, options=options, progress=progress)
        if fmt == "pdf":
            from .pdf import build as pdf
            out = pdf(content, progress, pool=pool)
        else:
            from .slides import build as pptx
            out = pptx(content, progress, pool=pool)
    finally:
        if own:
            pool.close()
    if progress:
        progress(1.0, "done")
    return out


__all__ = ["FORMATS", "Options", "build", "collect"]
