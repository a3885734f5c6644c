"""Many visitors at once: a real ``streamlit run app.py`` on 127.0.0.1 and N simulated visitors (Playwright,
Debian chromium, one browser context each, all starting together).

    python -m bench.load                         # 10 and 30 visitors, 3 page switches each
    python -m bench.load --visitors 10 --pages 4 --deadline 240 --json bench/out/load.json
    python -m bench.load --mode protocol         # the same visitors without browsers: the server's share
    python -m bench.load --mode both             # one round of each per visitor count
    python -m bench.load --mode protocol --servers 2   # two server processes behind a sticky proxy

Two modes. ``browser`` (the headline): Playwright + Debian chromium, one context per visitor — what a
visitor waits for, the browsers' own rendering included (here they share the 2 cores with the server).
``protocol``: each visitor is a websocket client speaking Streamlit's protocol (``BackMsg`` /
``ForwardMsg`` on ``/_stcore/stream``) and waits for each run's ``script_finished`` — the server's time
(script runs, serialisation, websocket) with nothing of a browser's. Both report the server's CPU seconds
per visitor (from /proc) for the same tour.

Per visitor: the first page's time (navigation start → the Overview's title, charts drawn, no "running"
indicator) and each page switch's time (click in the sidebar → the new page's title, settled). Server
memory: RSS before the visitors, at the peak (all sessions open) and after every context is closed and
the sessions ended (Streamlit drops a session's state and its session-scoped caches when its connection
closes and the server's ``disconnectedSessionTTL``, ``--session-ttl``, has passed; the app then collects and
``malloc_trim``s the heap). RSS after close can stay near the peak (the shared caches of public data grow
during the first wave, and the allocator keeps arenas); the
test of "released" is a second wave of N visitors (``--waves 2``): its peak stays at the first wave's when
the first wave's sessions were freed, and grows by the per-session figure when they leak. Bounded: every wait has a timeout, the whole run a deadline (``--deadline`` seconds per round);
whatever is unfinished then counts as a failure and the round stops by itself.
The figures are also given per wave (``per_wave``): the first wave visits the other pages cold (their
shared caches and charts are built then, once per process), later waves warm. ``--servers K``: K server
processes behind :class:`StickyProxy` (the GIL is per process); CPU and RSS are summed over them.
Targets (issue #14, this 2-core machine): 10 visitors' first pages ≤ 8 s each, navigation p95 ≤ 1.5 s,
memory released when the sessions end.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
#: (nav label, heading) of the pages a visitor switches to, in order
TOUR = [("Conversion", "Conversion"), ("Deal size", "Deal size"), ("Activity", "Activity"),
        ("Compare", "Compare"), ("Overview", "Overview")]
IDLE = """() => !document.querySelector('[data-testid="stStatusWidget"]')
    && !document.querySelector('[data-testid="stSkeleton"]')"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) the process has used so far (from /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of the process and its children, MB (from /proc)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class Server:
    def __init__(self, log: Path, env: dict | None = None, session_ttl: int = 120):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(self.port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
             "--server.disconnectedSessionTTL", str(session_ttl)],
            cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT,
            env={**os.environ, "SALESLENS_AUTH": "0", **(env or {})})
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("streamlit did not come up:\n" + log.read_text()[-2000:])

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


async def _settled(page, heading: str, timeout_ms: float) -> None:
    await page.get_by_role("heading", name=heading, exact=True).first.wait_for(timeout=timeout_ms)
    await page.wait_for_function(IDLE, timeout=timeout_ms)
    await page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(state="attached", timeout=timeout_ms)
    await page.wait_for_timeout(150)
    await page.wait_for_function(IDLE, timeout=timeout_ms)


async def visitor(browser, url: str, n_pages: int, step_timeout: float, out: dict) -> None:
    ctx = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await ctx.new_page()
        t0 = time.perf_counter()
        await page.goto(url, timeout=step_timeout * 1000)
        await _settled(page, "Overview", step_timeout * 1000)
        out["first"] = time.perf_counter() - t0
        out["nav"] = []
        for label, heading in TOUR[:n_pages]:
            link = page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=label).first
            t0 = time.perf_counter()
            await link.click(timeout=step_timeout * 1000)
            await _settled(page, heading, step_timeout * 1000)
            out["nav"].append(time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - a timed-out or failed visit is a result, not a crash
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    finally:
        out["ctx"] = ctx


class ProtocolVisitor:
    """A visitor without a browser: a websocket client speaking Streamlit's protocol (``BackMsg`` /
    ``ForwardMsg`` protobufs on ``/_stcore/stream``), as the browser's frontend does. It asks for a run,
    reads the messages until the run's ``script_finished`` and draws nothing — so its times are the
    server's (script run, serialisation, websocket) and nothing of a browser's."""

    def __init__(self, url: str, step_timeout: float):
        self.ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
        self.timeout = step_timeout
        self.pages: dict[str, str] = {}     # url path ("" = the default page) → page script hash
        self.ws = None

    async def open(self) -> None:
        import websockets

        self.ws = await websockets.connect(self.ws_url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=self.timeout)

    async def run(self, path: str = "") -> int:
        """One script run of page ``path`` (the first run when no page is known yet); returns the number of
        elements drawn. Raises on an exception element or a compile error."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_name = path
        if path in self.pages:
            msg.rerun_script.page_script_hash = self.pages[path]
        await self.ws.send(msg.SerializeToString())
        elements = 0
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await asyncio.wait_for(self.ws.recv(), timeout=self.timeout))
            kind = fwd.WhichOneof("type")
            if kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                elements += 1
                if fwd.delta.new_element.WhichOneof("type") == "exception":
                    raise RuntimeError(f"exception in the run: {fwd.delta.new_element.exception.message[:150]}")
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    raise RuntimeError("compile error")
                if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    return elements

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()


#: url path of each tour page in the protocol mode (the nav label → st.Page url_path)
PATHS = {"Overview": "overview", "Conversion": "conversion", "Deal size": "deal_size", "Activity": "activity",
         "Compare": "compare"}


class _Closer:
    def __init__(self, v: ProtocolVisitor):
        self.v = v

    async def close(self) -> None:
        await self.v.close()


async def protocol_visitor(_browser, url: str, n_pages: int, step_timeout: float, out: dict) -> None:
    v = ProtocolVisitor(url, step_timeout)
    out["ctx"] = _Closer(v)
    try:
        t0 = time.perf_counter()
        await v.open()
        if await v.run() == 0:
            raise RuntimeError("the first run drew nothing")
        out["first"] = time.perf_counter() - t0
        out["nav"] = []
        for label, _heading in TOUR[:n_pages]:
            path = PATHS[label]
            t0 = time.perf_counter()
            await v.run(path if path in v.pages else "")
            out["nav"].append(time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - a timed-out or failed visit is a result, not a crash
        out["error"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else ''}"


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(q * (len(s) - 1))))]


async def _touch(url: str) -> None:
    """One short protocol connection: Streamlit drops expired disconnected sessions (its session storage is
    a TTL cache) when the storage is next used — a new connection does."""
    v = ProtocolVisitor(url, 30)
    try:
        await v.open()
    finally:
        await v.close()


class StickyProxy:
    """A tiny TCP proxy on 127.0.0.1 in front of several server processes (``--servers K``): each incoming
    connection goes to the next backend in turn and stays there. A visitor's websocket is one connection,
    so its session lives on one server (sticky per session). For the bench only: the page's other HTTP
    requests (static files, uploads) may land on another backend, and an upload must reach the server
    that holds its session — a deployment needs a load balancer with session affinity (a cookie), see the
    README."""

    def __init__(self, ports: list[int]):
        self.ports, self.port, self._next, self._server = ports, _free_port(), 0, None
        self.url = f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)

    async def _handle(self, reader, writer) -> None:
        port = self.ports[self._next % len(self.ports)]
        self._next += 1
        try:
            b_reader, b_writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            writer.close()
            return

        async def pipe(src, dst) -> None:
            try:
                while data := await src.read(1 << 16):
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                dst.close()
        await asyncio.gather(pipe(reader, b_writer), pipe(b_reader, writer))

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()


async def one_round(n: int, n_pages: int, deadline: float, step_timeout: float, log_dir: Path,
                    waves: int = 2, mode: str = "browser", session_ttl: int = 15, n_servers: int = 1) -> dict:
    from contextlib import AsyncExitStack

    servers: list[Server] = []
    try:
        for i in range(n_servers):
            servers.append(Server(log_dir / f"load-{mode}-{n}-{i}.log", session_ttl=session_ttl))
    except Exception:
        for sv in servers:
            sv.stop()
        raise
    pids = [sv.proc.pid for sv in servers]
    proxy = StickyProxy([sv.port for sv in servers]) if n_servers > 1 else None
    url = proxy.url if proxy else servers[0].url
    run_visitor = visitor if mode == "browser" else protocol_visitor
    try:
        if proxy:
            await proxy.start()
        async with AsyncExitStack() as stack:
            browser = None
            if mode == "browser":
                from playwright.async_api import async_playwright

                p = await stack.enter_async_context(async_playwright())
                browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            # one visitor per server first: each process warms up (imports, the shared public sample data)
            for _sv in servers:
                warm: dict = {}
                await asyncio.wait_for(run_visitor(browser, url, 0, step_timeout, warm), timeout=deadline)
                await warm["ctx"].close()
            await asyncio.sleep(session_ttl + 3)
            for sv in servers:
                await _touch(sv.url)
            await asyncio.sleep(2)
            before = sum(rss_mb(p) for p in pids)
            results, pending, peaks, afters, cpus, wall, by_wave = [], [], [], [], [], 0.0, []
            for _wave in range(waves):        # a later wave reusing the memory = the first wave's was released
                wave = [{} for _ in range(n)]
                c0 = sum(cpu_s(p) for p in pids)
                tasks = [asyncio.create_task(run_visitor(browser, url, n_pages, step_timeout, r))
                         for r in wave]
                t0 = time.perf_counter()
                _done, still = await asyncio.wait(tasks, timeout=deadline)
                for task in still:
                    task.cancel()
                wall = max(wall, time.perf_counter() - t0)
                cpus.append(sum(cpu_s(p) for p in pids) - c0)
                peaks.append(sum(rss_mb(p) for p in pids))
                for r in wave:
                    if "ctx" in r:
                        await r["ctx"].close()
                # sessions end when their connections close and the reconnection window (the server's
                # disconnectedSessionTTL) has passed; their state and session-scoped caches are dropped then
                await asyncio.sleep(session_ttl + 3)
                for sv in servers:
                    await _touch(sv.url)
                await asyncio.sleep(5)
                afters.append(sum(rss_mb(p) for p in pids))
                results += wave
                pending += list(still)
                by_wave.append(wave)
            if browser is not None:
                await browser.close()
        peak, released = peaks[0], afters[-1]
        firsts = [r["first"] for r in results if "first" in r]
        navs = [x for r in results for x in r.get("nav", [])]
        errors = [r["error"] for r in results if "error" in r] + ["deadline"] * len(pending)
        return {"mode": mode, "visitors": n, "servers": n_servers, "pages_each": n_pages, "wall_s": round(wall, 1),
                "first_page_s": {"p50": pct(firsts, .5), "p95": pct(firsts, .95), "max": max(firsts, default=None),
                                 "n": len(firsts)},
                "navigation_s": {"p50": pct(navs, .5), "p95": pct(navs, .95), "max": max(navs, default=None),
                                 "n": len(navs)},
                "per_wave": [{"first_p95": pct([r["first"] for r in w if "first" in r], .95),
                              "nav_p50": pct([x for r in w for x in r.get("nav", [])], .5),
                              "nav_p95": pct([x for r in w for x in r.get("nav", [])], .95)} for w in by_wave],
                "server_cpu_s": {"per_wave": [round(x, 1) for x in cpus],
                                 "per_visitor": round(sum(cpus) / max(1, n * len(cpus)), 2)},
                "rss_mb": {"before": round(before, 1), "peak": round(peak, 1), "after_close": round(released, 1),
                           "per_session": round((peak - before) / max(n, 1), 1),
                           "wave_peaks": [round(x, 1) for x in peaks], "wave_after": [round(x, 1) for x in afters]},
                "session_ttl_s": session_ttl, "errors": errors[:10], "n_errors": len(errors)}
    finally:
        if proxy:
            await proxy.stop()
        for sv in servers:
            sv.stop()


def _fmt(x) -> str:
    return "—" if x is None else f"{x:.2f}"


def table(rounds: list[dict]) -> str:
    lines = ["| mode | visitors | first page p50 / p95 / max (s) | navigation p50 / p95 / max (s) | RSS before → peak → "
             "after close (MB) | per session (MB) | peak per wave (MB) | server CPU per visitor (s) | errors |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rounds:
        f, nv, m = r["first_page_s"], r["navigation_s"], r["rss_mb"]
        mode = r["mode"] + (f", {r['servers']} servers" if r.get("servers", 1) > 1 else "")
        lines.append(f"| {mode} | {r['visitors']} | {_fmt(f['p50'])} / {_fmt(f['p95'])} / {_fmt(f['max'])} | "
                     f"{_fmt(nv['p50'])} / {_fmt(nv['p95'])} / {_fmt(nv['max'])} | {m['before']:.0f} → {m['peak']:.0f}"
                     f" → {m['after_close']:.0f} | {m['per_session']:.1f} | "
                     f"{' / '.join(f'{x:.0f}' for x in m['wave_peaks'])} | {r['server_cpu_s']['per_visitor']:.2f} | "
                     f"{r['n_errors']} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    ap.add_argument("--visitors", default="10,30", help="comma-separated visitor counts, one round each")
    ap.add_argument("--pages", type=int, default=3, help=f"page switches per visitor (at most {len(TOUR)})")
    ap.add_argument("--deadline", type=float, default=300, help="seconds per round before it stops by itself")
    ap.add_argument("--step-timeout", type=float, default=120, help="seconds one page may take")
    ap.add_argument("--waves", type=int, default=2, help="waves of N visitors, one after the other (memory reuse)")
    ap.add_argument("--mode", default="browser", choices=["browser", "protocol", "both"],
                    help="browser: Playwright + chromium (the headline); protocol: websocket clients speaking "
                         "Streamlit's protocol, no browser (the server's share); both: one round of each")
    ap.add_argument("--session-ttl", type=int, default=15,
                    help="the server's disconnectedSessionTTL for the run (Streamlit's default 120 s): a closed "
                         "session is dropped only after it")
    ap.add_argument("--servers", type=int, default=1,
                    help="server processes behind a sticky per-connection proxy (the GIL is per process)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args(argv)
    modes = ["browser", "protocol"] if args.mode == "both" else [args.mode]
    if "browser" in modes and not Path(CHROMIUM).exists():
        print("Debian chromium is needed (apt-get install chromium)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))     # a kill still stops the server (finally)
    log_dir = Path(tempfile.mkdtemp(prefix="saleslens-load-"))
    rounds = []
    for n in [int(x) for x in args.visitors.split(",") if x.strip()]:
        for mode in modes:
            load_before = os.getloadavg()[0]
            r = asyncio.run(one_round(n, min(args.pages, len(TOUR)), args.deadline, args.step_timeout, log_dir,
                                      max(1, args.waves), mode, args.session_ttl, max(1, args.servers)))
            r["load_avg_before"], r["load_avg"] = load_before, os.getloadavg()[0]
            rounds.append(r)
            print(json.dumps(r), flush=True)
    print(table(rounds))
    print(f"(server logs in {log_dir})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rounds, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
