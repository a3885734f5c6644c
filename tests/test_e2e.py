"""Browser tests: a real `streamlit run app.py`, driven by Playwright with Debian's chromium (no download).

Skipped only when chromium or playwright is missing on a developer's machine; with CI=true a skipped
browser test fails the run (see conftest.py).
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PAGES = ["overview", "conversion", "deal_size", "activity", "plan", "retention", "compare", "data"]
SHOTS = Path(os.environ.get("SALESLENS_SHOTS", ROOT / "screenshots"))

pytestmark = [pytest.mark.e2e]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not Path(CHROMIUM).exists():
    pytestmark.append(pytest.mark.skip(reason="Debian chromium is not installed (apt-get install chromium)"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, tmp: Path, env: dict | None = None):
        self.port = _free_port()
        self.log = tmp / f"streamlit-{self.port}.log"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port",
             str(self.port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, stdout=self.log.open("w"), stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=1).read() == b"ok":
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        pytest.fail("streamlit did not come up:\n" + self.log.read_text()[-3000:])

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def settle(page, timeout=45_000):
    """Wait until the script finished: a title is shown, no running indicator, no skeletons."""
    page.wait_for_selector("h1", timeout=timeout)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')
        && !document.querySelector('[data-testid="stSkeleton"]')""", timeout=timeout)
    page.wait_for_timeout(400)
    page.wait_for_function("""() => !document.querySelector('[data-testid="stStatusWidget"]')""", timeout=timeout)


def no_exception(page):
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]').first.inner_text()


def test_fresh_server_deep_link_runs_through_app_py(browser, tmp_path):
    """On a freshly started server the first request is a deep link: the page must get the shared sidebar
    (i.e. app.py ran), not the legacy pages/ run without it."""
    server = Server(tmp_path)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{server.url}/conversion")
        settle(page)
        no_exception(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sync_api.expect(sidebar.get_by_text("Sample data")).to_be_visible(timeout=30_000)
        sync_api.expect(page.locator("h1").first).to_be_visible(timeout=30_000)
        no_exception(page)
        sync_api.expect(sidebar.locator('[data-testid="stSidebarNavLink"]')).to_have_count(len(PAGES))
        page.close()
    finally:
        server.stop()


def test_every_page_then_change_a_target(browser, tmp_path):
    from metrics import kpi
    from metrics.loading import load_paths
    from metrics.periods import default_period
    from ui.fmt import pct

    server = Server(tmp_path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        for name in PAGES:
            page.goto(f"{server.url}/{name}")
            settle(page)
            no_exception(page)
            assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 1, name
            page.screenshot(path=str(SHOTS / f"e2e-{name}.png"))

        # the engine's numbers for the default period, with one manager's target overridden
        data = load_paths(deals=["sample_data/deals.csv"], activities=["sample_data/activities.csv"],
                          plans=["sample_data/plans.csv"])
        period = default_period(deals=data.deals, activities=data.activities)
        base = kpi.compute_kpis(deals=data.deals, activities=data.activities, plans=data.plans, period=period)
        name = base.managers["manager"].iloc[0]
        changed = kpi.compute_kpis(deals=data.deals, activities=data.activities, plans=data.plans, period=period,
                                   overrides={name: 10_000.0})
        before, after = (pct(c.team["plan_fulfillment"].iloc[0]) for c in (base, changed))
        assert before != after

        page.goto(server.url)
        settle(page)
        card = page.locator('[data-testid="stMetric"]').filter(has_text="Plan fulfilment")
        sync_api.expect(card.locator('[data-testid="stMetricValue"]')).to_have_text(before)
        page.locator('[data-testid="stSidebar"]').get_by_text("Monthly targets").click()
        box = page.get_by_role("spinbutton", name=name)
        box.fill("10000")
        box.press("Enter")
        settle(page)
        sync_api.expect(card.locator('[data-testid="stMetricValue"]')).to_have_text(after, timeout=20_000)
        # the value survives a page switch
        page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Plan").click()
        settle(page)
        sync_api.expect(page.get_by_role("spinbutton", name=name)).to_have_value("10000")
        page.screenshot(path=str(SHOTS / "e2e-plan-after-target.png"))
        page.close()
    finally:
        server.stop()


def test_upload_bitrix24_then_pipedrive_pair(browser, tmp_path):
    """Upload a raw Bitrix24 CSV, then a Pipedrive deals + activities pair: the Overview shows the engine's
    conversion for each, with no manual step."""
    from metrics import kpi
    from metrics.ingest import ingest
    from metrics.periods import default_period
    from ui.fmt import pct

    exports = ROOT / "sample_data" / "exports"
    bitrix = [exports / "bitrix24_deals.csv"]
    pipedrive = [exports / "pipedrive_deals.csv", exports / "pipedrive_activities.csv"]

    def expected(paths):
        data = ingest([(p.name, p.read_bytes()) for p in paths]).data
        card = kpi.compute_kpis(deals=data.deals, activities=data.activities, plans=data.plans,
                                period=default_period(deals=data.deals, activities=data.activities))
        return pct(card.team["conversion"].iloc[0]), card.team["activities_per_day"].iloc[0]

    server = Server(tmp_path)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(server.url)
        settle(page)
        page.locator('[data-testid="stSidebar"]').get_by_text("My files").click()
        settle(page)
        uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        card = page.locator('[data-testid="stMetric"]').filter(has_text="Conversion").locator('[data-testid="stMetricValue"]')
        for paths in (bitrix, pipedrive):
            conv, per_day = expected(paths)
            uploader.set_input_files([str(p) for p in paths])
            settle(page)
            sync_api.expect(card).to_have_text(conv, timeout=30_000)
            no_exception(page)
        activity = page.locator('[data-testid="stMetric"]').filter(has_text="Calls + meetings").locator(
            '[data-testid="stMetricValue"]')
        sync_api.expect(activity).to_have_text(f"{per_day:,.1f}")   # the Pipedrive activities were read
        page.screenshot(path=str(SHOTS / "e2e-pipedrive-upload.png"))
        page.close()
    finally:
        server.stop()
