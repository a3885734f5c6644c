"""Issue #12 in a real browser: a workshop on the Bitrix24 sample export and on an upload, in all three
languages — nothing lost on a language switch, a page switch or a refresh (F5), no traceback on the Plan
page without a plans file, and the same targets on every page."""
from __future__ import annotations

import re

import pytest

from test_e2e import ROOT, SHOTS, Server, browser, no_exception, settle, sync_api  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e]
LANG_NAMES = {"en": "English", "ru": "Русский", "uk": "Українська"}
PERIOD_WORD = {"en": "Period", "ru": "Период", "uk": "Період"}
NAV = {"conversion": {"en": "Conversion", "ru": "Конверсия", "uk": "Конверсія"},
       "plan": {"en": "Plan", "ru": "План", "uk": "План"},
       "overview": {"en": "Overview", "ru": "Обзор", "uk": "Огляд"}}


def caption(page) -> str:
    text = page.locator('[data-testid="stMain"]').inner_text()
    m = re.search(r"(Period|Период|Період) [^\n]*", text)
    return m.group(0) if m else ""


def pick(page, where, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label`` inside ``where``."""
    where.locator('[data-testid="stSelectbox"]').filter(has_text=label).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def go(page, name: str, lang: str) -> None:
    """Open a page from the sidebar and wait for *its* heading and caption: right after the click the old
    page may still be idle (no running indicator yet), so ``settle`` alone can return before the new run."""
    title = NAV[name][lang]
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title).first.click()
    page.wait_for_function("""([title]) => {
        const main = document.querySelector('[data-testid="stMain"]');
        const h1 = main && main.querySelector('h1');
        return h1 && h1.innerText.trim().startsWith(title) && /(Period|Период|Період) /.test(main.innerText);
    }""", arg=[title], timeout=60_000)
    settle(page)
    no_exception(page)


def test_workshop_on_the_bitrix24_export_loses_nothing(browser, tmp_path):
    server = Server(tmp_path)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(server.url)
        settle(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("Sample CRM export").click()
        settle(page)
        pick(page, sidebar, "Period", "Quarter")
        assert "bitrix24_deals.csv" in caption(page) and "01.07.2026 – 30.09.2026" in caption(page), caption(page)
        for lang in ("ru", "uk", "en"):                           # finding 1: language, then another page
            pick(page, sidebar, {"ru": "Language", "uk": "Язык", "en": "Мова"}[lang], LANG_NAMES[lang])
            for name in ("conversion", "plan", "overview"):
                go(page, name, lang)
                cap = caption(page)
                assert cap.startswith(PERIOD_WORD[lang]), (lang, name, cap)
                assert "bitrix24_deals.csv" in cap and "01.07.2026 – 30.09.2026" in cap, (lang, name, cap)
        assert "source=export.bitrix24" in page.url and "period=2026-Q3" in page.url, page.url
        page.reload()                                             # finding 4: F5 keeps the workshop
        settle(page)
        no_exception(page)
        cap = caption(page)
        assert "bitrix24_deals.csv" in cap and "01.07.2026 – 30.09.2026" in cap, cap
        pick(page, sidebar, "Language", "Українська")
        page.reload()
        settle(page)
        assert caption(page).startswith("Період") and "bitrix24_deals.csv" in caption(page)
        pick(page, sidebar, "Мова", "English")

        # finding 2: the Plan page's rules with no plans file, then every page still works
        go(page, "plan", "en")
        main = page.locator('[data-testid="stMain"]')
        for rule in ("Percentile of own past months", "Last year's revenue + growth",
                     "Team target split by past share"):
            pick(page, main, "Rule", rule)
            main.get_by_role("button", name="Apply the rule").click()
            settle(page)
            no_exception(page)
        for i in range(page.locator('[data-testid="stSidebarNavLink"]').count()):
            page.locator('[data-testid="stSidebarNavLink"]').nth(i).click()
            settle(page)
            no_exception(page)

        # finding 3: a per-manager target in the sidebar, then grid cells (a rule writes them) beat it; the
        # Overview's team plan fulfilment is the engine's for the targets in effect each time
        from metrics import kpi
        from metrics.ingest import ingest
        from metrics.periods import quarter
        from ui.fmt import pct
        export = ROOT / "sample_data" / "exports" / "bitrix24_deals.csv"
        data = ingest([(export.name, export.read_bytes())]).data
        period = quarter(2026, 3)
        listed = kpi.compute_kpis(deals=data.deals, period=period).managers["manager"].tolist()

        def fulfilment(plans):
            import pandas as pd
            frame = pd.DataFrame(plans, columns=["manager", "month", "target"])
            return pct(kpi.compute_kpis(deals=data.deals, period=period, plans=frame).team["plan_fulfillment"].iloc[0])

        months = ["2026-07", "2026-08", "2026-09"]
        who = "Андрій Шевченко"
        go(page, "plan", "en")
        main.get_by_role("button", name="Clear the grid's edits").click()   # clear the rules' grid cells
        settle(page)
        sidebar.locator('[data-testid="stExpander"] summary').filter(has_text="Monthly targets per manager").click()
        settle(page)
        box = sidebar.get_by_role("spinbutton", name=who)
        assert box.get_attribute("placeholder") == "no plan"
        box.fill("111000")
        box.press("Enter")
        settle(page)
        card = page.locator('[data-testid="stMetric"]').filter(has_text="Plan fulfilment").locator(
            '[data-testid="stMetricValue"]')
        go(page, "overview", "en")
        sync_api.expect(card).to_have_text(fulfilment([(who, m, 111_000.0) for m in months]), timeout=20_000)
        go(page, "plan", "en")
        pick(page, main, "Rule", "Same target for everyone")
        main.get_by_text("Ramp up new managers", exact=False).click()          # off: the same for all
        settle(page)
        target = main.get_by_role("spinbutton", name=re.compile("Same target"))
        target.fill("300000")
        target.press("Enter")
        settle(page)
        main.get_by_role("button", name="Apply the rule").click()
        settle(page)
        no_exception(page)
        page.screenshot(path=str(SHOTS / "e2e-state-plan-grid-beats-sidebar.png"), full_page=True)
        go(page, "overview", "en")
        expected = fulfilment([(m, mo, 300_000.0) for m in listed for mo in months])
        assert expected != fulfilment([(who, m, 111_000.0) for m in months])
        sync_api.expect(card).to_have_text(expected, timeout=20_000)
        page.close()
    finally:
        server.stop()


def test_an_upload_survives_a_refresh_and_a_language_switch(browser, tmp_path):
    upload = ROOT / "tests" / "fixtures" / "exports" / "salesforce_opportunity_report.csv"
    server = Server(tmp_path)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(server.url)
        settle(page)
        sidebar = page.locator('[data-testid="stSidebar"]')
        sidebar.get_by_text("My files").click()
        settle(page)
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        settle(page)
        main = page.locator('[data-testid="stMain"]')
        sync_api.expect(main).to_contain_text(upload.name, timeout=30_000)     # the upload's rerun
        pick(page, sidebar, "Language", "Русский")
        go(page, "conversion", "ru")
        assert upload.name in caption(page) and caption(page).startswith("Период"), caption(page)
        assert "b=" in page.url and "source=upload" in page.url, page.url
        page.reload()                                              # F5: the files come back from memory
        settle(page)
        sync_api.expect(main).to_contain_text(upload.name, timeout=30_000)
        no_exception(page)
        assert upload.name in caption(page) and caption(page).startswith("Период"), caption(page)
        sync_api.expect(sidebar.get_by_text("Ваши файлы до обновления страницы", exact=False)).to_be_visible()
        other = browser.new_page(viewport={"width": 1400, "height": 1000})   # another browser: nothing
        other.goto(f"{server.url}/?source=upload&lang=ru")
        settle(other)
        assert upload.name not in caption(other)
        other.close()
        page.close()
    finally:
        server.stop()
