"""The Data page on the real Salesforce and Maven folders (../shared/real-data), in en / ru / uk: the files
set aside or joined are listed in full (a wrapping table, every join of User.csv), counts are grouped like
the page's metrics, negative amounts are not a check of activities or plans, a drop reason without an
example shows its count alone, and the managers-are-ids warning appears on the deals file."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from apphelp import spec_nodes, uploaded
from streamlit.testing.v1 import AppTest

REAL = Path(__file__).resolve().parents[2] / "shared" / "real-data"

pytestmark = [pytest.mark.usefixtures("no_legacy_pages_dir"),
              pytest.mark.skipif(not REAL.exists(), reason="../shared/real-data not present")]


def data_page(folder: str, lang: str, files=None) -> AppTest:
    files = files or [(p.name, p.read_bytes(), "text/csv") for p in sorted((REAL / folder).iterdir())]
    return uploaded(files, lang, "pages/data.py")


def checks(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe if list(d.value.columns) == ["what", "value"]]


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
def test_salesforce_user_file_lists_every_join_and_activities_have_no_amount_check(lang):
    at = data_page("salesforce_wave", lang)
    parts = at.table[0].value
    assert list(parts.iloc[:, 0]) == ["User.csv"]
    why = parts.iloc[0, 2]
    for f in ("Event.csv", "Opportunity.csv", "Quota.csv", "Task.csv"):   # all four joins, not only the first
        assert f in why
    q = checks(at)
    assert len(q) == 4                                            # Event, Opportunity, Quota, Task
    rows = {tuple(x["value"].iloc[:2]) for x in q}
    assert ("7\u00a0823", "7\u00a0823") in rows and ("5\u00a0197", "5\u00a0197") in rows   # grouped like 21 242
    n_checks = sorted(len(x) for x in q)
    assert n_checks == [5, 5, 5, 6]                               # the amount check only on the deals file


def test_maven_dropped_rows_without_example_show_the_count_alone():
    for lang, label in (("en", "Dropped: no date"), ("ru", None), ("uk", None)):
        at = data_page("maven_crm", lang)
        q = checks(at)[0]
        dropped = q[q["value"].str.startswith("500")]
        assert len(dropped) == 1 and "—" not in dropped["value"].iloc[0], q
        if label:
            assert dropped["what"].iloc[0] == label
        assert list(q["value"].iloc[:2]) == ["8\u00a0800", "8\u00a0300"]
        assert {"accounts.csv", "products.csv", "sales_teams.csv", "data_dictionary.csv"} == set(at.table[0].value.iloc[:, 0])


def test_managers_are_ids_warning_on_the_data_page():
    import io
    deals = pd.DataFrame({"Record ID": ["1", "2", "3"], "Deal Stage": ["Closed Won", "Closed Lost", "Closed Won"],
                          "Create Date": ["2025-01-03", "2025-01-05", "2025-01-10"],
                          "Close Date": ["2025-01-20", "2025-01-25", "2025-02-10"],
                          "Deal owner": ["41629779", "41629780", "41629779"], "Amount": [1200, 300, 800],
                          "Associated Company": ["Acme", "Beta", "Gamma"]})
    owners = pd.DataFrame({"Owner ID": ["1", "2", "3"], "First name": ["Holly", "Michael", "Dwight"],
                           "Last name": ["Flax", "Scott", "Schrute"]})

    def csv(df):
        b = io.StringIO()
        df.to_csv(b, index=False)
        return b.getvalue().encode()
    files = [("hubspot-crm-exports-all-deals-2025-03-01.csv", csv(deals), "text/csv"),
             ("owners.csv", csv(owners), "text/csv")]
    words = {"en": "look like ids", "ru": "похожи на идентификаторы", "uk": "схожі на ідентифікатори"}
    for lang, w in words.items():
        at = data_page("", lang, files)
        hits = [x.value for x in at.warning if w in x.value]
        assert len(hits) == 1 and "owners.csv" in hits[0] and "41629779" in hits[0], [x.value for x in at.warning]


def test_volume_chart_keeps_each_series_its_colour():
    """Maven has no activities, Salesforce has: won is green and lost red on both (the palette used to hand
    won pink on one and green on the other)."""
    for folder in ("maven_crm", "salesforce_wave"):
        at = data_page(folder, "ru")
        scales = [n["color"]["scale"] for n in spec_nodes(at)
                  if isinstance(n.get("color"), dict) and "scale" in n["color"]]
        scale = next(x for x in scales if "Создано сделок" in x.get("domain", []))
        colours = dict(zip(scale["domain"], scale["range"]))
        assert colours["Выиграно (закрыто)"] == "#16a34a" and colours["Проиграно (закрыто)"] == "#dc2626", colours


def test_warning_numbers_are_formatted_in_the_session_language():
    """Maven's 1 088 deals without a client: the count grouped and the revenue with two decimals
    (was '1088 deals … revenue 0.0')."""
    for lang, want in (("en", "1\u00a0088 deals have no client (0 won, revenue 0.00)"),
                       ("uk", "у 1\u00a0088 угод немає клієнта (виграно 0, виручка 0,00)")):
        at = data_page("maven_crm", lang)
        assert any(want in w.value for w in at.warning), [w.value for w in at.warning]
