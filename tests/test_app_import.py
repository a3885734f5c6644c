"""AppTest of the importer in the app: corrections on the Data page apply everywhere, unknown stages are
assigned by the user, bad files keep what was loaded."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
EXPORTS = ROOT / "sample_data" / "exports"
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


def team(at, col):
    return at.dataframe[0].value.set_index("Manager").loc["Team", col]


def upload(at, *files):
    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value(list(files)).run()
    return at


@pytest.fixture
def at():
    return AppTest.from_file(APP, default_timeout=90).run()


def test_column_mapping_correction_applies_to_every_page(at):
    upload(at, ("deals.csv", (EXPORTS / "bitrix24_deals.csv").read_bytes(), "text/csv"))
    managers_before = set(at.dataframe[0].value["Manager"]) - {"Team"}
    assert "Адміністратор порталу" not in managers_before          # the creator is never the owner
    at.switch_page("pages/data.py").run()
    box = at.selectbox(key="map::deals.csv::manager")
    assert box.value == "Ответственный"
    box.set_value("Кем создана").run()                              # the user insists: the creator
    assert not at.exception
    at.switch_page("pages/overview.py").run()
    managers_after = set(at.dataframe[0].value["Manager"]) - {"Team"}
    assert "Адміністратор порталу" in managers_after and managers_after != managers_before
    at.switch_page("pages/conversion.py").run()                      # the correction survives page switches
    assert "Адміністратор порталу" in set(at.dataframe[0].value["Manager"])


def test_unknown_stage_is_listed_and_assigned(at):
    """20 won deals get a portal's own closing stage "Оплачено": closed with an unknown stage, they count as
    lost until the user says the stage means won — then the KPIs are those of the original export."""
    text = (EXPORTS / "bitrix24_deals.csv").read_text(encoding="utf-8-sig")
    upload(at, ("orig.csv", text.encode("utf-8-sig"), "text/csv"))
    at.sidebar.selectbox(key="period_kind").set_value("year").run()   # the whole export (Aug–Oct 2026)
    original = team(at, "Conversion")
    lines, changed = text.splitlines(), 0
    for i, line in enumerate(lines[1:], start=1):
        if changed < 20 and '"Сделка успешна"' in line:
            lines[i] = line.replace('"Сделка успешна"', '"Оплачено"')
            changed += 1
    upload(at, ("b24.csv", ("\n".join(lines) + "\n").encode("utf-8-sig"), "text/csv"))
    assert team(at, "Conversion") < original
    at.switch_page("pages/data.py").run()
    assert any("Оплачено" in w.value for w in at.warning)
    at.selectbox(key="stage::Оплачено").set_value("won").run()
    assert at.session_state["stage_map"] == {"Оплачено": "won"}
    at.switch_page("pages/overview.py").run()
    assert team(at, "Conversion") == original


def test_image_renamed_csv_gives_translated_error_and_keeps_data(at):
    upload(at, ("pipedrive_deals.csv", (EXPORTS / "pipedrive_deals.csv").read_bytes(), "text/csv"))
    leads = team(at, "Leads")
    at.session_state["lang"] = "ru"
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    at.sidebar.file_uploader(key="uploads").set_value([("photo.csv", png, "text/csv")]).run()
    assert not at.exception
    msg = at.sidebar.error[0].value
    assert msg.startswith("photo.csv:") and "это не таблица" in msg
    assert at.dataframe[0].value.set_index("Менеджер").loc["Команда", "Лиды"] == leads


def test_pipedrive_pair_with_plans_equals_bitrix_export(at):
    upload(at, *[(n, (EXPORTS / n).read_bytes(), "text/csv")
                 for n in ("pipedrive_deals.csv", "pipedrive_activities.csv", "plans_wide.xlsx")])
    pipedrive = at.dataframe[0].value.set_index("Manager")
    assert pipedrive["Activity / day"].notna().all() and pipedrive["Target"].notna().any()
    upload(at, ("b.csv", (EXPORTS / "bitrix24_deals.csv").read_bytes(), "text/csv"))
    bitrix = at.dataframe[0].value.set_index("Manager")
    for col in ("Leads", "Conversion", "Average deal", "Revenue", "Retention"):
        assert pipedrive[col].fillna(-1).equals(bitrix[col].fillna(-1)), col
