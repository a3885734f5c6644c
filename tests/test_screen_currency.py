"""Money on screen is in the loaded data's own currency (issue #15): Babel's sign and placement per language,
the plain number when the data names no currency, and the CLI's JSON names the same currency."""
import json
import subprocess
import sys
from pathlib import Path

import pytest
from babel.numbers import get_currency_symbol
from apphelp import spec_nodes
from streamlit.testing.v1 import AppTest

from ui import fmt

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


def test_money_follows_babel_per_language():
    nb = "\u00a0"
    assert fmt.money(12345.4, "en", currency="USD") == "$12,345"
    assert fmt.money(12345.4, "ru", currency="USD") == f"12{nb}345{nb}$"
    assert fmt.money(12345.4, "uk", currency="USD") == f"12{nb}345{nb}{get_currency_symbol('USD', 'uk')}"
    assert fmt.money(-1200, "en", currency="EUR") == "-€1,200"
    assert fmt.money(12345, "en", currency="UAH") == f"UAH{nb}12,345"      # a letter code gets a space
    assert fmt.money(12345, "uk", currency="UAH") == f"12{nb}345{nb}грн"
    assert fmt.signed(1200, "en", "money", currency="USD") == "+$1,200"


def test_no_currency_is_a_plain_number_never_a_made_up_one():
    fmt.use_currency(None)
    assert fmt.money(12345, "en") == "12,345"
    assert fmt.money(12345, "ru") == "12\u00a0345"
    assert fmt.money_unit("en") == ""
    fmt.use_currency("usd")
    try:
        assert fmt.money(5, "en") == "$5" and fmt.money_unit("ru") == ", $"
    finally:
        fmt.use_currency(None)


def _usd_deals(tmp_path) -> Path:
    lines = (ROOT / "sample_data" / "deals.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",currency")
    out = tmp_path / "deals_usd.csv"
    out.write_text("\n".join([lines[0]] + [l.rsplit(",", 1)[0] + ",USD" for l in lines[1:]]) + "\n", encoding="utf-8")
    return out


def _chart_titles(at) -> list[str]:
    return [n["title"] for n in spec_nodes(at) if isinstance(n.get("title"), str)]


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
def test_a_usd_upload_shows_dollars_on_cards_charts_and_plan(tmp_path, lang):
    sign = get_currency_symbol("USD", lang)
    assert sign in ("$", "US$", "USD")
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["lang"] = lang
    at.run()
    # the sample data keeps its own currency (hryvnia)
    uah = fmt.currency_label("UAH", lang)
    assert any(m.label.endswith(f", {uah}") for m in at.metric), [m.label for m in at.metric]
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value([("deals.csv", _usd_deals(tmp_path).read_bytes(),
                                                        "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [m.label for m in at.metric]
    assert any(lb.endswith(f", {sign}") for lb in labels), labels
    assert not any("грн" in lb or "UAH" in lb for lb in labels), labels
    assert f", {sign}" in at.sidebar.number_input(key="default_target").label
    at.switch_page("pages/deal_size.py").run()
    assert not at.exception
    assert any(f", {sign}" in t for t in _chart_titles(at)), _chart_titles(at)


def test_the_cli_json_names_the_uploads_currency(tmp_path):
    out = subprocess.run([sys.executable, "-m", "metrics", "report", "--deals", str(_usd_deals(tmp_path))],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["currency"] == "USD"
    out = subprocess.run([sys.executable, "-m", "metrics", "report", "--deals", "sample_data/deals.csv"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert json.loads(out.stdout)["currency"] == "UAH"


def test_a_tiny_p_value_is_written_in_the_languages_number_format():
    """'p < 0.001' kept its English decimal point in Russian and Ukrainian sentences and the report."""
    assert [fmt.format_value(0.0004, "p", lg) for lg in ("en", "ru", "uk")] == ["<0.001", "<0,001", "<0,001"]
    assert fmt.format_value(0.0123, "p", "uk") == "0,012"
