"""The workshop report (PDF and PPTX) from the same settings as the screen — used by ``python -m metrics
report --format pdf|pptx`` and by the Overview's "Download report". No streamlit import here."""
from __future__ import annotations

from collections.abc import Callable

from metrics.loading import Dataset
from metrics.periods import Period

from .content import Options, collect

FORMATS = ("pdf", "pptx")


def build(fmt: str, *, data: Dataset, period: Period, options: Options,
          progress: Callable[[float, str], None] | None = None) -> bytes:
    """The report file's bytes. ``progress(fraction, step)`` is told how far the build is."""
    content = collect(data=data, period=period, options=options, progress=progress)
    if fmt == "pdf":
        from .pdf import build as pdf
        out = pdf(content, progress)
    elif fmt == "pptx":
        from .slides import build as pptx
        out = pptx(content, progress)
    else:
        raise ValueError(f"unknown report format {fmt!r}")
    if progress:
        progress(1.0, "done")
    return out


__all__ = ["FORMATS", "Options", "build", "collect"]
