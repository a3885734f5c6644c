"""The projector view in a real browser at 1024×768 (a typical projector): no KPI card, label or heading
is cut in any language, and the Overview steps through the managers one screen at a time."""
from __future__ import annotations

import pytest

from tests.test_e2e import ARGS, CHROMIUM, Server, settle, sync_api  # noqa: F401 - the same server and browser

pytestmark = [pytest.mark.e2e]

#: elements whose text is cut: scrollWidth beyond the box while the overflow is hidden (an ellipsis)
CUT = """() => { const out = [];
  document.querySelectorAll('[data-testid="stMetricLabel"], [data-testid="stMetricValue"], '
    + '[data-testid="stMetricDelta"], h1, h2, h3, [data-testid="stTableStyledTable"] th').forEach(e => {
    [e, ...e.querySelectorAll('*')].forEach(c => {
      if (c.scrollWidth > c.clientWidth + 1 && getComputedStyle(c).overflow !== 'visible'
          && getComputedStyle(c).overflowX !== 'visible') out.push(c.innerText.slice(0, 40)); }); });
  return [...new Set(out)]; }"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("present"))
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
def test_projector_overview_cuts_nothing_and_steps_through_the_managers(server, browser, lang):
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        page.goto(f"{server.url}/?lang={lang}&view=present")
        settle(page, 120_000)
        page.wait_for_selector('[data-testid="stTable"]', timeout=120_000)     # the manager screen
        settle(page, 120_000)
        assert page.locator('[data-testid="stMetric"]').count() == 5
        assert page.evaluate(CUT) == []
        # the sidebar is collapsed: the page's content starts at the left edge (an open sidebar is ~300 px)
        assert page.locator('[data-testid="stMain"]').bounding_box()["x"] < 50
        first = page.locator("h3").first.inner_text()
        page.get_by_role("button", name={"en": "Next", "ru": "Далее", "uk": "Далі"}[lang]).click()
        page.wait_for_function("(t) => document.querySelector('h3') && document.querySelector('h3').innerText !== t",
                               arg=first, timeout=60_000)
        settle(page, 60_000)
        assert page.locator("h3").first.inner_text() != first
        assert page.evaluate(CUT) == []
    finally:
        page.close()


#: tables wider than their box (a side-scrolled grid, or a static table running past the page)
WIDE = """() => [...document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller, [data-testid="stTable"]')]
  .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText.slice(0, 40))"""
PAGES = ["", "conversion", "deal_size", "activity", "plan", "retention", "compare", "data"]


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
def test_projector_every_page_cuts_nothing_and_no_table_scrolls_sideways(server, browser, lang):
    """Every page at 1024×768 in the projector view: no card, label, heading or table header cut, and the
    tables wrap their cells instead of hiding the verdict column behind a side scroll."""
    page = browser.new_page(viewport={"width": 1024, "height": 768})
    try:
        for name in PAGES:
            page.goto(f"{server.url}/{name}?lang={lang}&view=present")
            settle(page, 120_000)
            page.wait_for_selector("h1", timeout=120_000)
            settle(page, 60_000)
            assert page.evaluate(CUT) == [], name
            assert page.evaluate(WIDE) == [], name
    finally:
        page.close()
