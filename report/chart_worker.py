"""A second chart converter in its own process (``report.render.many`` starts it for a long report).

vl-convert runs every conversion of a process on one JavaScript worker, so threads do not convert two
charts at once; a second process does, on the second core. Run as a script (``python chart_worker.py``),
not as ``-m report.chart_worker``, so that it imports vl-convert only — not the report package, pandas or
Altair. The protocol, on stdin / stdout, one pickled value after another (parent and child are the same
program, so pickle carries no outside data):

* the parent sends ``(font_dir | None)`` once, then ``(kind, engine, spec)`` per chart — ``kind`` "svg" or
  "png", ``engine`` "vega" or "vegalite", ``spec`` the spec dict — and ``None`` to stop;
* the child answers each chart with ``(True, svg_str | png_bytes)`` or ``(False, error text)``.
"""
from __future__ import annotations

import pickle
import sys


def convert(vlc, kind: str, engine: str, spec: dict):
    image = vlc.vega_to_svg(spec) if engine == "vega" else vlc.vegalite_to_svg(spec)
    return image if kind == "svg" else vlc.svg_to_png(image, scale=2)


def main() -> int:
    import vl_convert as vlc

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    font_dir = pickle.load(source)
    if font_dir:
        try:
            vlc.register_font_directory(font_dir)
        except Exception:  # noqa: BLE001 - the same tolerance as report.render._fonts
            pass
    while True:
        try:
            job = pickle.load(source)
        except EOFError:
            return 0
        if job is None:
            return 0
        try:
            answer = (True, convert(vlc, *job))
        except Exception as exc:  # noqa: BLE001 - the parent converts this chart itself and raises there
            answer = (False, f"{type(exc).__name__}: {exc}")
        pickle.dump(answer, sink, protocol=pickle.HIGHEST_PROTOCOL)
        sink.flush()


if __name__ == "__main__":
    raise SystemExit(main())
