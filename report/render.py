"""The app's Altair charts as images: SVG (vector, for the PDF) and PNG (for the slides), via vl-convert.

The same Vega-Lite spec the page draws (``ui.charts``); no browser, no screenshot. Text in the images is
set in DejaVu Sans when the machine has it (Debian ``fonts-dejavu-core``), which covers Cyrillic.
"""
from __future__ import annotations

import atexit
import threading
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


#: whether this process has converted a chart (vl-convert's JavaScript runtime is up here: ~1 s on the first
#: conversion, holding the GIL)
_warm = False


def warm() -> bool:
    return _warm


def _here():
    """vl-convert in this process (its runtime now booted)."""
    global _warm
    _warm = True
    return vlc


def svg(chart) -> str:
    return _here().vegalite_to_svg(_spec(chart))


def png(chart, scale: float = 2.0) -> bytes:
    """PNG through the SVG (measured: cheaper than vl-convert's direct PNG path)."""
    return _here().svg_to_png(svg(chart), scale=scale)


def svg_to_png(image: str, scale: float = 2.0) -> bytes:
    return _here().svg_to_png(image, scale=scale)


#: from this many charts on, a second process converts too (vl-convert converts one chart at a time per
#: process, whatever the threads; a second one costs ~1 s to start, which a short report would not repay)
PARALLEL_MIN = 40
WORKER = Path(__file__).with_name("chart_worker.py")


def _first_data(spec: dict) -> tuple[str, list | None] | None:
    """(the first layer's dataset name, its colour domain or None) for a chart shaped like ``same_chart``'s."""
    try:
        layer = spec["layer"][0]
        name = layer["data"]["name"]
    except (KeyError, IndexError, TypeError):
        return None
    if name not in (spec.get("datasets") or {}):
        return None
    domain = (((layer.get("encoding") or {}).get("color") or {}).get("scale") or {}).get("domain")
    return name, domain


def _template_key(spec: dict) -> str | None:
    """The chart without its first layer's rows and colour domain: charts with the same key are one chart
    drawing different rows (``same_chart``) — compiled to Vega once, their rows put into the compiled spec."""
    import json

    found = _first_data(spec)
    if found is None:
        return None
    name, domain = found
    layer = dict(spec["layer"][0])
    if domain is not None:
        enc = dict(layer["encoding"])
        enc["color"] = {**enc["color"], "scale": {**enc["color"]["scale"], "domain": None}}
        layer["encoding"] = enc
    rest = {**spec, "datasets": {**spec["datasets"], name: None}, "layer": [layer, *spec["layer"][1:]]}
    return json.dumps(rest, sort_keys=True, default=str)


def _swap(vega: dict, old: dict, new: dict) -> dict | None:
    """The compiled Vega spec ``vega`` of the Vega-Lite chart ``old`` with the rows and colour domain of
    ``new`` (same template key) — or None when the compiled spec does not show them exactly once."""
    (name, old_domain), (_, new_domain) = _first_data(old), _first_data(new)
    data = [{**d, "values": new["datasets"][name]} if d.get("name") == name and "values" in d else d
            for d in vega.get("data", [])]
    if sum(d.get("name") == name and "values" in d for d in vega.get("data", [])) != 1:
        return None
    scales = vega.get("scales", [])
    if old_domain is not None:
        hits = [i for i, s in enumerate(scales) if s.get("domain") == old_domain]
        if len(hits) != 1:
            return None
        scales = [{**s, "domain": list(new_domain)} if i == hits[0] else s for i, s in enumerate(scales)]
    return {**vega, "data": data, "scales": scales}


def jobs(specs: dict, compile=None) -> dict:
    """key → ("vega" | "vegalite", spec): a chart drawn many times with other rows (``same_chart``) is
    compiled from Vega-Lite once and its rows swapped into the Vega spec — checked on the second chart of
    each template against compiling it in full (if they differ, every chart is compiled in full).
    ``compile``: Vega-Lite dict → Vega dict (default vl-convert in this process)."""
    compile = compile or (lambda sp: _here().vegalite_to_vega(sp))
    out: dict = {}
    compiled: dict = {}                               # template key → (its Vega-Lite spec, its Vega spec)
    for k, sp in specs.items():
        tk = _template_key(sp)
        if tk is None:
            out[k] = ("vegalite", sp)
            continue
        if tk not in compiled:
            compiled[tk] = (sp, compile(sp), None)
            out[k] = ("vega", compiled[tk][1])
            continue
        base_vl, base_vega, checked = compiled[tk]
        swapped = _swap(base_vega, base_vl, sp) if checked is not False else None
        if checked is None:
            checked = swapped is not None and swapped == compile(sp)
            compiled[tk] = (base_vl, base_vega, checked)
        out[k] = ("vega", swapped) if checked and swapped is not None else ("vegalite", sp)
    return out


class _Helper:
    """The second converter process (``chart_worker.py``), one chart at a time."""

    def __init__(self):
        import pickle
        import subprocess
        import sys

        self.proc = subprocess.Popen([sys.executable, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self._pickle = pickle
        self._send(_fonts())

    def _send(self, value) -> None:
        self._pickle.dump(value, self.proc.stdin, protocol=self._pickle.HIGHEST_PROTOCOL)
        self.proc.stdin.flush()

    def convert(self, kind: str, engine: str, spec: dict):
        """The image, or None if the worker failed (the caller converts that chart itself)."""
        self._send((kind, engine, spec))
        ok, value = self._pickle.load(self.proc.stdout)
        return value if ok else None

    def compile(self, spec: dict) -> dict:
        """The Vega-Lite spec compiled to Vega by the worker (in this process if the worker fails)."""
        try:
            got = self.convert("vega", "vegalite", spec)
        except Exception:  # noqa: BLE001 - the worker died: compiled here
            got = None
        return got if got is not None else _here().vegalite_to_vega(spec)

    def close(self) -> None:
        try:
            self._send(None)
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001 - a stuck worker is stopped, the report is already made
            self.proc.kill()
            self.proc.wait()


KEEP = 1                      #: live helpers kept for the next Pool of this process
_IDLE: list[_Helper] = []
_IDLE_LOCK = threading.Lock()


@atexit.register
def _close_idle() -> None:
    with _IDLE_LOCK:
        while _IDLE:
            _IDLE.pop().close()


class Pool:
    """Chart converter processes started ahead of the charts (``report.build`` in a process that has not
    converted a chart yet: the command line, the app's first report). Each boots vl-convert's JavaScript
    runtime (~1 s of CPU, which this process would otherwise pay on its first chart, holding the GIL) on the
    other core while this process computes the report; ``many(..., pool=)`` then converts on them — also
    below ``PARALLEL_MIN`` charts, their start being paid already — and compiles there too, so this process
    never boots its own runtime. One process by default: the runtime's start is then paid once, as before,
    only elsewhere (CPU about the same); two would halve the conversions on an idle machine but pay the
    start twice (measured on the shared machine under load: +0.7 s CPU and 16 % slower). A process that has
    converted before (``warm()``) gets no pool: there the runtime is up and a helper would only add its start.
    A closed pool's live helper is kept for the next pool of this process (the app's next report: its runtime
    is up, nothing is paid again); at most ``KEEP`` are kept, and they stop when this process exits."""

    def __init__(self, processes: int = 1):
        self.helpers: list[_Helper] = []
        with _IDLE_LOCK:
            while _IDLE and len(self.helpers) < processes:
                h = _IDLE.pop()
                if h.proc.poll() is None:
                    self.helpers.append(h)
        while len(self.helpers) < processes:
            try:
                self.helpers.append(_Helper())
            except OSError:
                break

    def close(self) -> None:
        for h in self.helpers:
            with _IDLE_LOCK:
                keep = h.proc.poll() is None and len(_IDLE) < KEEP
                if keep:
                    _IDLE.append(h)
            if not keep:
                h.close()
        self.helpers = []

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _processes() -> int:
    import os
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:                                 # not on Linux
        cores = os.cpu_count() or 1
    return max(1, cores)                                   # one worker per core the process may use


def many(charts: dict, *, kind: str = "svg", progress=None, start: float = 0.9, span: float = 0.08,
         processes: int | None = None, pool: Pool | None = None) -> dict:
    """Every chart of ``charts`` (key → Altair chart or Vega-Lite dict) as SVG text or PNG bytes, telling
    ``progress`` as they finish. Each chart is converted once; a chart drawn for every manager is compiled
    once (``jobs``). From ``PARALLEL_MIN`` charts on, two worker processes convert (``chart_worker.py``),
    each taking the next chart from one list, so a slow chart does not hold the other back: vl-convert holds
    the GIL while it converts, so this process only hands out the charts (converting here too would stall
    the thread that feeds a worker). ``pool``: converters started ahead (``Pool``), used whatever the
    number of charts and left open for their owner to close."""
    from .chart_worker import convert

    _fonts()
    specs = {k: _spec(c) for k, c in charts.items()}             # Altair's to_dict: in this thread
    ahead = [h for h in (pool.helpers if pool is not None else []) if h.proc.poll() is None]
    work = list(jobs(specs, compile=ahead[0].compile if ahead else None).items())
    # the big one-off charts first, the many small per-manager ones after: the converters end together
    work.sort(key=lambda kv: kv[1][0] != "vegalite")
    out: dict = {}
    lock = threading.Lock()
    pending = iter(range(len(work)))
    redo: list[int] = []

    def take() -> int | None:
        with lock:
            return next(pending, None)

    def tell() -> None:
        if progress:
            progress(start + span * len(out) / max(len(work), 1), "charts")

    def feed(helper: _Helper) -> None:
        while (i := take()) is not None:
            key, (engine, spec) = work[i]
            try:
                image = helper.convert(kind, engine, spec)
            except Exception:  # noqa: BLE001 - the worker died: the rest is converted elsewhere
                image = None
            if image is None:
                redo.append(i)
                if helper.proc.poll() is not None:
                    return
                continue
            out[key] = image

    helpers: list[_Helper] = []                 # started here for this call (closed at its end)
    if len(work) >= PARALLEL_MIN:
        for _ in range(max(0, (_processes() if processes is None else processes) - len(ahead))):
            try:
                helpers.append(_Helper())
            except OSError:
                break
        if not ahead and len(helpers) < 2:   # one worker alone would only add its start to this process's work
            for h in helpers:
                h.close()
            helpers = []
    try:
        threads = [threading.Thread(target=feed, args=(h,), name="chart-worker", daemon=True)
                   for h in ahead + helpers]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            threads[0].join(0.25) if threads[0].is_alive() else threads[-1].join(0.25)
            tell()
        while (i := take()) is not None:                      # no workers: every chart here
            key, (engine, spec) = work[i]
            out[key] = convert(_here(), kind, engine, spec)
            tell()
        for i in redo:                                         # a worker's failures: converted here, raising here
            key, (engine, spec) = work[i]
            out[key] = convert(_here(), kind, engine, spec)
    finally:
        for h in helpers:
            h.close()
    tell()
    return {k: out[k] for k in specs}


def titled(chart, *, title: str, subtitle: str):
    """A chart for a download: its title, and the period and data source as the subtitle."""
    return chart.properties(title={"text": title, "subtitle": subtitle, "anchor": "start"})
