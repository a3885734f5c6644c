"""A second chart converter in its own process (``report.render.many`` starts it for a long report).

vl-convert runs every conversion of a process on one JavaScript worker, so threads do not convert two
charts at once; a second process does, on the second core. Run as a script (``python chart_worker.py``),
not as ``-m report.chart_worker``, so that it imports vl-convert only — not the report package, pandas or
Altair. The protocol, on stdin / stdout, one pickled value after another (parent and child are the same
program, so pickle carries no outside data):

* the parent sends ``(font_dir | None)`` once, then ``(kind, engine, spec)`` per chart — ``kind`` "svg",
  "png" or "vega" (compile a Vega-Lite spec to Vega only), ``engine`` "vega" or "vegalite", ``spec`` the
  spec dict — and ``None`` to stop;
* the child answers each chart with ``(True, svg_str | png_bytes | vega_dict)`` or ``(False, error text)``.

Right after the font the child converts a tiny chart of its own: vl-convert boots its JavaScript runtime
on the first conversion (~1 s, holding the GIL), and a worker started ahead (``report.render.Pool``) has
that done while the parent is still computing the report.
"""
from __future__ import annotations

import pickle
import sys


#: a chart with an axis and a text mark: the first conversion boots the runtime and loads the fonts
WARM_UP = {"data": {"values": [{"x": "a", "y": 1}]}, "mark": "bar", "encoding": {
    "x": {"field": "x", "type": "nominal"}, "y": {"field": "y", "type": "quantitative"}, "text": {"value": "Ж"}}}


def convert(vlc, kind: str, engine: str, spec: dict):
    if kind == "vega":
        return vlc.vegalite_to_vega(spec)
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
    try:
        vlc.vegalite_to_svg(WARM_UP)
    except Exception:  # noqa: BLE001 - a failed warm-up only means the first chart pays the start
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
