"""Browser tests of hosted use (issue #14): after log-out, back + reload and a replayed cookie show the log-in
form; failed log-ins for a known and an unknown name get the same message; throttling holds after a restart.
Same machinery as tests/test_e2e.py (a real `streamlit run app.py`, Debian chromium)."""
from __future__ import annotations

import pytest

from test_e2e import CHROMIUM, ROOT, SHOTS, Server, browser, settle, sync_api  # noqa: F401 - fixture

pytestmark = [pytest.mark.e2e]
if not __import__("pathlib").Path(CHROMIUM).exists():
    pytestmark.append(pytest.mark.skip(reason="Debian chromium is not installed (apt-get install chromium)"))
COOKIE = "saleslens_auth"


def _idle(page, timeout=45_000):
    """The script run started by the last action has finished (the running indicator came and went)."""
    page.wait_for_timeout(500)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=timeout)


def _login(page, user, password):
    _idle(page)
    page.get_by_role("textbox", name="Username").fill(user)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    _idle(page)


def _login_form_shown(page):
    sync_api.expect(page.get_by_role("textbox", name="Password")).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)                       # a cookie re-login would replace the form by now
    sync_api.expect(page.get_by_role("textbox", name="Password")).to_be_visible()
    assert page.get_by_role("heading", name="Overview").count() == 0
    assert page.locator('[data-testid="stSidebarNavLink"], [data-testid="stMetric"]').count() == 0


def _wait_cookie(context, timeout=20.0):
    import time
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = [c for c in context.cookies() if c["name"] == COOKIE]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError("the log-in cookie was never written")


def _error_text(page) -> str:
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="Wrong username or password")
    sync_api.expect(alert).to_have_count(1, timeout=30_000)
    return alert.inner_text()


def test_after_log_out_back_reload_and_a_replayed_cookie_show_the_login_form(browser, tmp_path):
    server = auth_server(tmp_path)
    try:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(server.url)
        _login(page, "alice", "alice-demo-pass")
        sync_api.expect(page.get_by_role("heading", name="Overview")).to_be_visible(timeout=30_000)
        cookie = _wait_cookie(context)
        assert cookie["sameSite"] == "Strict" and cookie["path"] == "/"
        settle(page)                                   # the table toolbar has no unguarded CSV export
        page.locator('[data-testid="stDataFrame"]').first.hover()
        sync_api.expect(page.locator('[data-testid="stElementToolbar"] button[aria-label="Search"]').first).to_be_attached()
        assert page.locator('[data-testid="stElementToolbar"] button[aria-label="Download as CSV"]').count() == 0
        page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Retention").click()
        sync_api.expect(page.get_by_role("heading", name="Retention", exact=True)).to_be_visible(timeout=30_000)
        settle(page)
        page.get_by_role("button", name="Log out").click()
        _login_form_shown(page)
        page.go_back()
        page.reload()
        _login_form_shown(page)                        # back + reload: still logged out
        page.screenshot(path=str(SHOTS / "e2e-auth-after-logout.png"))
        context.close()

        replay = browser.new_context(viewport={"width": 1400, "height": 1000})
        replay.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path", "expires", "sameSite")}])
        page = replay.new_page()
        page.goto(f"{server.url}/retention")
        _login_form_shown(page)                        # the replayed cookie is refused by the server
        replay.close()
    finally:
        server.stop()
    log = server.log.read_text()
    assert "Traceback" not in log, log[-3000:]


def auth_server(tmp_path, proxied: bool = False):
    """The app with log-in on and the demo users (secrets.example.toml with a real cookie key). ``proxied``:
    as behind a reverse proxy — the client address comes from X-Forwarded-For (added by HeaderProxy in front of the server),
    so the per-address counters apply (a local connection has no address of its own)."""
    import tomllib
    secrets = (ROOT / ".streamlit" / "secrets.example.toml").read_text()
    secrets = secrets.replace(tomllib.loads(secrets)["authenticator"]["cookie"]["key"], "e2e-" + "k" * 60)
    if proxied:
        secrets = secrets.replace("[app]\n", '[app]\nclient_ip_header = "X-Forwarded-For"\n', 1)
    path = tmp_path / f"secrets-{'proxied' if proxied else 'local'}.toml"
    path.write_text(secrets)
    return Server(tmp_path, env={"SALESLENS_AUTH": "1"}, args=["--secrets.files", str(path)])


PROXY = {"X-Forwarded-For": "203.0.113.50, 198.51.100.7"}


class HeaderProxy:
    """A reverse proxy in front of the server that adds ``PROXY``'s header to the first request of every
    connection (the WebSocket handshake is a connection of its own) — what a real deployment's proxy does.
    (A browser's ``extra_http_headers`` do not reach the WebSocket handshake in every Chromium build.)"""

    def __init__(self, target_port: int):
        import socket
        import threading
        self._socket, self._threading = socket, threading
        self.target = target_port
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.stopped:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            self._threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client) -> None:
        try:
            upstream = self._socket.create_connection(("127.0.0.1", self.target))
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = client.recv(65536)
                if not chunk:
                    return
                head += chunk
            first, rest = head.split(b"\r\n", 1)
            extra = "".join(f"{k}: {v}\r\n" for k, v in PROXY.items()).encode()
            upstream.sendall(first + b"\r\n" + extra + rest)
            self._threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
            self._pipe(client, upstream)
        except OSError:
            pass

    @staticmethod
    def _pipe(src, dst) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(2)
                except OSError:
                    pass

    def stop(self) -> None:
        self.stopped = True
        self.listener.close()


def test_same_message_for_known_and_unknown_names_and_throttling_survives_a_restart(browser, tmp_path):
    from ui.store import open_store
    server = auth_server(tmp_path, proxied=True)
    try:
        proxy = HeaderProxy(server.port)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(proxy.url)
        sync_api.expect(page.get_by_role("textbox", name="Username")).to_be_visible(timeout=30_000)
        _login(page, "hanna", "wrong-password")
        known = _error_text(page)
        _login(page, "no-such-user", "wrong-password")
        settle_unknown = _error_text(page)
        assert known == settle_unknown and known.startswith("Wrong username or password")
        for _ in range(4 + 2):                         # hanna: 5 failures from this address lock her here;
            _login(page, "hanna", "wrong-password")    # 2 more while locked double the delay twice (120 s)
            assert _error_text(page) == known
        context.close()
        proxy.stop()
    finally:
        server.stop()
    rows = open_store().audit_rows(50)
    assert {r[3] for r in rows} == {"198.51.100.7"}                  # the proxy's last entry
    events = [r[1:3] for r in rows]
    assert events == [("login_failed", "hanna"), ("login_failed", "no-such-user")] + [("login_failed", "hanna")] * 4 \
        + [("lockout", "hanna")] + [("login_refused", "hanna")] * 2, events
    server = auth_server(tmp_path, proxied=True)   # a restart: the counters are in the shared store
    try:
        proxy = HeaderProxy(server.port)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(proxy.url)
        sync_api.expect(page.get_by_role("textbox", name="Username")).to_be_visible(timeout=30_000)
        _login(page, "hanna", "hanna-demo-pass")       # the right password, while locked
        assert _error_text(page) == known
        _login_form_shown(page)
        context.close()
        proxy.stop()
    finally:
        server.stop()
    assert [r[1:3] for r in open_store().audit_rows(1)] == [("login_refused", "hanna")]
