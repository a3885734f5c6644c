"""Browser test: in a real `streamlit run app.py`, an "Excel" file is parsed in the budgeted worker process
(forked from the server) and loads; a hostile XLSX gets its one-line message and what was loaded stays."""
from __future__ import annotations

from pathlib import Path

import pytest

import hostile_files as hf
from test_e2e import Server, browser, no_exception, settle, sync_api  # noqa: F401 - fixtures and helpers

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.e2e]


def test_excel_exports_go_through_the_worker_in_a_real_server(browser, tmp_path):  # noqa: F811
    xls = ROOT / "sample_data" / "exports" / "bitrix24_deals.xls"
    far = tmp_path / "far.xlsx"
    far.write_bytes(hf.far_cell_xlsx())
    server = Server(tmp_path)
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(server.url)
        settle(page)
        page.locator('[data-testid="stSidebar"]').get_by_text("My files").click()
        settle(page)
        uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
        uploader.set_input_files(str(xls))
        settle(page, timeout=120_000)
        no_exception(page)
        card = page.locator('[data-testid="stMetric"]').filter(has_text="Conversion")
        card.first.wait_for(timeout=60_000)
        value = card.locator('[data-testid="stMetricValue"]').first.inner_text()
        uploader.set_input_files(str(far))
        settle(page, timeout=120_000)
        no_exception(page)
        error = page.locator('[data-testid="stSidebar"] [data-testid="stAlertContentError"]').first
        error.wait_for(timeout=60_000)
        assert "far.xlsx" in error.inner_text() and "XFD1048576" in error.inner_text()
        assert card.locator('[data-testid="stMetricValue"]').first.inner_text() == value
        assert "Traceback" not in server.log.read_text()
    finally:
        server.stop()
