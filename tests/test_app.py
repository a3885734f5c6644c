"""AppTest: every page renders in every language, sidebar controls change numbers and persist, bad uploads
keep the data that was loaded, and the app shows the CLI's numbers."""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui.catalogues import TEXTS

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = ["overview", "conversion", "deal_size", "activity", "plan", "retention", "compare", "data"]
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")
#: pages with lazy tabs: (tabs key, label text key, the tab has a chart)
LAZY_TABS = {"plan": [("plan_tabs", f"plan.tab.{k}", k in ("green", "whatif", "score"))
                      for k in ("targets", "green", "forecast", "whatif", "score", "scenarios")],
             "retention": [("coh_tabs", f"retention.tab.{k}", True) for k in ("heatmap", "curves", "km")]}


@pytest.fixture
def at():
    return AppTest.from_file(APP, default_timeout=60).run()


def scorecard(at):
    return at.dataframe[0].value.set_index("Manager")


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
def test_every_page_renders_in_every_language(lang):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, lang, [e.value for e in at.exception])
        assert at.title and at.title[0].value, page
        for tab in LAZY_TABS.get(page, [None]):     # lazy tabs: every tab's content, one at a time
            if tab is not None:
                at.session_state[tab[0]] = TEXTS[tab[1]][["en", "ru", "uk"].index(lang)]
                at.run()
                assert not at.exception, (page, tab, lang, [e.value for e in at.exception])
            if tab is None or tab[2]:
                assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart"), f"{page} {tab} has no chart"
    assert at.sidebar.selectbox(key="lang").value == lang


def test_russian_titles_and_number_format():
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "ru"
    at.run()
    assert at.title[0].value == "Обзор"
    assert "," in at.metric[0].value and "%" in at.metric[0].value  # 5,2% not 5.2%


def test_changing_the_default_target_changes_plan_fulfilment(at):
    before = scorecard(at)["Target"].copy()
    at.sidebar.number_input(key="default_target").set_value(1_000_000).run()
    after = scorecard(at)
    # managers with a plan keep it; the default applies only where there is none → same here, so override one
    assert (after["Target"].fillna(-1) >= before.fillna(-1)).all()
    name = after.index[0]
    assert not [w for w in at.sidebar.number_input if (w.key or "").startswith("tgt::")]  # lazy: closed
    at.session_state["exp_targets_managers"] = True           # open the per-manager targets
    at.run()
    at.sidebar.number_input(key=f"tgt::{name}").set_value(1.0).run()
    row = scorecard(at).loc[name]
    assert row["Target"] == pytest.approx(1.0)
    assert row["Plan fulfilment"] == pytest.approx(row["Revenue"] / 1.0)
    at.session_state["exp_targets_managers"] = False          # closed again: the override stays
    at.run()
    assert not [w for w in at.sidebar.number_input if (w.key or "").startswith("tgt::")]
    assert scorecard(at).loc[name, "Target"] == pytest.approx(1.0)


def test_alpha_widens_the_interval(at):
    at.switch_page("pages/conversion.py").run()
    t95 = at.dataframe[0].value
    at.sidebar.select_slider(key="alpha").set_value(0.01).run()
    t99 = at.dataframe[0].value
    w95 = (t95["Interval to"] - t95["Interval from"]).iloc[0]
    w99 = (t99["Interval to"] - t99["Interval from"]).iloc[0]
    assert w99 > w95


def test_period_change_changes_numbers(at):
    # the default month is September 2026 (the latest complete month whose leads are mostly closed:
    # October's are 65% open — issue #16), so another month is picked here
    leads_default = scorecard(at).loc["Команда" if False else "Team", "Leads"]
    assert at.session_state["period_month"] == "2026-09"
    at.sidebar.selectbox(key="period_month").set_value("2026-08").run()
    assert scorecard(at).loc["Team", "Leads"] != leads_default
    at.sidebar.selectbox(key="period_kind").set_value("quarter").run()
    assert not at.exception
    assert scorecard(at).loc["Team", "Leads"] > leads_default


def test_controls_survive_switching_pages(at):
    at.sidebar.selectbox(key="period_month").set_value("2026-08").run()
    name = scorecard(at).index[1]
    at.session_state["exp_targets_managers"] = True           # open the per-manager targets
    at.run()
    at.sidebar.number_input(key=f"tgt::{name}").set_value(123_000.0).run()
    at.sidebar.select_slider(key="alpha").set_value(0.1).run()
    for page in ["conversion", "plan", "data", "overview"]:
        at.switch_page(f"pages/{page}.py").run()
        assert at.sidebar.selectbox(key="period_month").value == "2026-08"
        assert at.sidebar.select_slider(key="alpha").value == 0.1
        assert at.session_state[f"tgt::{name}"] == 123_000.0   # kept even while its expander is closed
    assert scorecard(at).loc[name, "Target"] == 123_000.0


def test_bad_upload_shows_translated_error_and_keeps_loaded_data(at):
    good = (ROOT / "sample_data" / "deals.csv").read_bytes()
    at.session_state["lang"] = "uk"
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value([("deals.csv", good, "text/csv")]).run()
    assert not at.exception and not at.error
    leads = at.dataframe[0].value.set_index("Менеджер").loc["Команда", "Ліди"]
    header_only = good.split(b"\n")[0] + b"\n"
    at.sidebar.file_uploader(key="uploads").set_value([("broken.csv", header_only, "text/csv")]).run()
    assert not at.exception
    msg = at.sidebar.error[0].value
    assert msg.startswith("broken.csv:") and "немає рядків даних" in msg
    assert at.dataframe[0].value.set_index("Менеджер").loc["Команда", "Ліди"] == leads


def test_unparsable_dates_are_reported_with_file_column_and_example(at):
    lines = (ROOT / "sample_data" / "deals.csv").read_bytes().split(b"\n")
    cells = lines[3].split(b",")
    cells[3] = b"not-a-day"                      # created_at of data row 3
    bad = b"\n".join(lines[:3] + [b",".join(cells)] + lines[4:])
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value([("odd.csv", bad, "text/csv")]).run()
    at.switch_page("pages/data.py").run()
    text = " ".join(w.value for w in at.warning)
    assert "odd.csv" in text and "created_at" in text and "not-a-day" in text


def test_app_and_cli_show_the_same_numbers(at):
    out = subprocess.run([sys.executable, "-m", "metrics", "report", "--deals", "sample_data/deals.csv",
                          "--activities", "sample_data/activities.csv", "--plans", "sample_data/plans.csv"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    rep = json.loads(out.stdout)
    card = scorecard(at)
    assert at.session_state["period_month"] == rep["period"]["start"][:7]
    cols = {"Leads": "leads", "Conversion": "conversion", "Average deal": "avg_deal", "Revenue": "revenue",
            "Target": "target", "Plan fulfilment": "plan_fulfillment", "Retention": "retention_rate"}
    for m in rep["managers"] + [dict(rep["team"], manager="Team")]:
        for col, key in cols.items():
            shown, cli_value = card.loc[m["manager"], col], m[key]
            if cli_value is None:
                assert shown != shown, (m["manager"], col)  # NaN
            else:
                assert shown == pytest.approx(cli_value, rel=1e-12), (m["manager"], col)


def test_retention_curves_per_cohort_include_the_team_reference(at):
    at.switch_page("pages/retention.py").run()
    assert not at.get("segmented_control") or all(c.key != "coh_curves" for c in at.segmented_control)  # lazy tab
    at.session_state["coh_tabs"] = "Retention curves"
    at.run()
    at.segmented_control(key="coh_curves").set_value("cohort").run()
    assert not at.exception
    import json as _json
    charts = at.get("vega_lite_chart") + at.get("arrow_vega_lite_chart")
    specs = " ".join(c.proto.spec for c in charts)
    assert "period_index" in specs
    data = " ".join(bytes(d.data.data).decode("utf-8", "ignore") for c in charts for d in c.proto.datasets)
    assert "2025-06" in data and "Team" in data       # a cohort's own curve and the pooled team curve
    assert _json.loads(charts[0].proto.spec)           # specs are valid JSON


def test_retention_tabs_compute_their_part_when_opened_and_survive_a_language_change(at):
    at.switch_page("pages/retention.py").run()
    assert not any("Median" in " ".join(map(str, d.value.columns)) for d in at.dataframe)   # KM tab closed
    at.session_state["coh_tabs"] = "Time to repeat"
    at.run()
    assert not at.exception
    assert any("Median" in " ".join(map(str, d.value.columns)) for d in at.dataframe)
    assert any("log-rank" in m.value.lower() for m in at.markdown)
    at.sidebar.selectbox(key="lang").set_value("uk").run()
    assert not at.exception
    assert at.session_state["coh_tabs"] == TEXTS["retention.tab.km"][2]        # same tab, Ukrainian label
    assert any("Медіана" in " ".join(map(str, d.value.columns)) for d in at.dataframe)


def test_data_page_preview_speaks_the_readers_language(at):
    at.session_state["lang"] = "uk"
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    preview = next(d.value for d in at.dataframe if "ID угоди" in d.value.columns)
    deals = pd.read_csv(ROOT / "sample_data" / "deals.csv")
    first = deals.iloc[0]                        # D-00001 is open: no close date, shown blank
    row = preview.iloc[0]
    assert row["ID угоди"] == first["deal_id"] and row["Статус"] == "відкрита" and row["Дата закриття"] == ""
    assert row["Дата створення"] == first["created_at"][:16]
    assert set(preview["Статус"]) <= {"виграна", "програна", "відкрита"}


def test_overview_builds_the_report_with_the_screens_settings_and_offers_it_for_download(at):
    """The Overview's "Download report": a click builds the PDF from the screen's settings (here α = 0.10:
    its intervals say 90%), then a download button offers it; the projector toggle shows one manager."""
    import io

    from pypdf import PdfReader
    at.session_state["alpha"] = 0.10
    at.run()
    at.button(key="report_build").click().run()
    assert not at.exception
    blob = at.session_state["_report_file"][1]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(blob)).pages)
    assert text.startswith("SalesLens") and "Intervals: 90%" in text.replace("\n", " ")
    assert any(b.label == "Download report" for b in at.get("download_button"))
    at.toggle(key="present").set_value(True).run()
    assert not at.exception
    assert [s.value for s in at.subheader][-1] == at.session_state["present_manager"]


def test_a_users_list_alone_on_the_data_page_says_what_it_is_and_keeps_the_data(at):
    good = (ROOT / "sample_data" / "deals.csv").read_bytes()
    users = b"employeeID,lastName,firstName,title\n1,Davolio,Nancy,Rep\n2,Fuller,Andrew,VP\n"
    at.session_state["lang"] = "ru"
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value([("deals.csv", good, "text/csv")]).run()
    at.switch_page("pages/data.py").run()
    assert not at.exception and not at.error
    before = [e.label for e in at.expander]
    assert any(x.startswith("deals.csv") for x in before)
    at.sidebar.file_uploader(key="uploads").set_value([("employees.csv", users, "text/csv")]).run()
    assert not at.exception
    assert at.sidebar.error[0].value == ("employees.csv похож на список пользователей (id → имя: employeeID → "
                                         "firstName lastName); загрузите вместе с ним файл сделок / заказов")
    assert [e.label for e in at.expander] == before          # the deals loaded before stay loaded


@pytest.mark.parametrize("lang, want", [("en", "51,558"), ("ru", "51\u00a0558"), ("uk", "51\u00a0558")])
def test_the_data_page_s_row_counts_are_grouped_as_the_session_language_groups_numbers(lang, want):
    """Rows read / used of the sample data (6,121 deals + 45,262 activities + 175 plan rows) with the same
    grouping as the table above them (was '51 558' in English too)."""
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.session_state["lang"] = lang
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert [m.value for m in at.metric][:2] == [want, want]
