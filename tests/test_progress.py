"""Issue #17, progress: the engine reports every step of an upload through one callback (the CLI prints
them, the app shows them in an ``st.status`` with a progress bar, ending in "Loaded: n files, m rows")."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics.ingest import ingest
from test_importer_folder import csv, salesforce_like

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
SAMPLE = ROOT / "sample_data"
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


def recorder():
    steps = []
    return steps, lambda step, **params: steps.append((step, params))


def two_files() -> list[tuple[str, bytes]]:
    return [("deals.csv", (SAMPLE / "deals.csv").read_bytes()), ("activities.csv", (SAMPLE / "activities.csv").read_bytes())]


def test_the_callback_gets_every_step_in_order_for_a_two_file_upload():
    steps, progress = recorder()
    got = ingest(two_files(), progress=progress)
    assert steps == [("read", {"i": 1, "n": 2, "name": "deals.csv"}),
                     ("read", {"i": 2, "n": 2, "name": "activities.csv"}),
                     ("file", {"i": 1, "n": 2, "name": "deals.csv"}),
                     ("file", {"i": 2, "n": 2, "name": "activities.csv"}),
                     ("combine", {})]
    assert len(got.data.deals) == 6121 and len(got.data.activities) == 45262     # the files' lines less headers


def test_parallel_reading_reports_the_same_steps_the_file_steps_in_any_order():
    steps, progress = recorder()
    ingest(two_files(), progress=progress, parallel=True)
    assert steps[:2] == [("read", {"i": 1, "n": 2, "name": "deals.csv"}),
                         ("read", {"i": 2, "n": 2, "name": "activities.csv"})]
    assert sorted(s[1]["name"] for s in steps[2:4]) == ["activities.csv", "deals.csv"]
    assert {s[0] for s in steps[2:4]} == {"file"} and {s[1]["n"] for s in steps[2:4]} == {2}
    assert steps[4:] == [("combine", {})]


def test_joining_lookups_is_a_step_of_its_own_and_counts_them():
    stray = pd.DataFrame({"code": ["X1", "X2"], "label": ["a", "b"]})
    steps, progress = recorder()
    ingest([*salesforce_like(), ("stray.csv", csv(stray))], progress=progress)
    assert [s for s, _ in steps] == ["read", "read", "read", "join", "file", "combine"]
    assert steps[3] == ("join", {"n": 2})                      # User.csv and stray.csv are lookups
    assert steps[4] == ("file", {"i": 1, "n": 1, "name": "Opportunity.csv"})


def test_a_bad_file_stops_after_its_read_step():
    steps, progress = recorder()
    with pytest.raises(Exception) as exc:
        ingest([("deals.csv", (SAMPLE / "deals.csv").read_bytes()), ("empty.csv", b"")], progress=progress)
    assert getattr(exc.value, "code", None) == "empty_file"
    assert steps == [("read", {"i": 1, "n": 2, "name": "deals.csv"}), ("read", {"i": 2, "n": 2, "name": "empty.csv"})]


def upload(lang: str, files) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["source"] = "upload"
    at.session_state["lang"] = lang
    at.run()
    at.sidebar.file_uploader(key="uploads").set_value([(n, b, "text/csv") for n, b in files]).run()
    assert not at.exception
    return at


@pytest.mark.parametrize("lang, done", [("en", "Loaded: 2 files, 51,383 rows"),
                                        ("ru", "Загружено: 2 файла, 51\u00a0383 строки")])
def test_uploading_two_files_shows_the_status_ending_loaded(lang, done):
    at = upload(lang, two_files())
    statuses = at.sidebar.status
    assert [s.label for s in statuses] == [done] and statuses[0].state == "complete"
    at.run()                                   # a rerun reads nothing (cache hit): no status, nothing replayed
    assert not at.exception and len(at.sidebar.status) == 0


def test_a_bad_upload_puts_the_status_in_the_error_state_and_keeps_the_data():
    at = upload("en", two_files()[:1])
    assert at.sidebar.status[0].label == "Loaded: 1 file, 6,121 rows"
    at.sidebar.file_uploader(key="uploads").set_value([("empty.csv", b"", "text/csv")]).run()
    assert not at.exception
    assert [(s.label, s.state) for s in at.sidebar.status] == [
        ("The files could not be loaded; the data loaded before stays", "error")]
    assert at.sidebar.error and at.title[0].value == "Overview"


def _status_script():
    import threading

    import streamlit as st

    from ui.progress import Loading

    st.session_state["lang"] = st.session_state.get("want", "en")
    loading = Loading()
    loading("read", i=1, n=2, name="a_*b*.csv")
    if st.session_state.get("stop") == "read":
        st.stop()
    worker = threading.Thread(target=lambda: loading("file", i=2, n=2, name="c.csv"), name="saleslens-ingest-test")
    worker.start()
    worker.join()


def test_a_step_from_an_importer_worker_thread_reaches_the_status_and_file_names_are_inert():
    at = AppTest.from_function(_status_script)
    at.session_state["stop"] = "read"
    at.run()
    assert [(s.label, s.state) for s in at.status] == [(r"File 1 of 2: a\_\*b\*.csv — reading", "running")]
    at.session_state["stop"] = None
    at.session_state["want"] = "uk"
    at.run()
    assert not at.exception
    assert [s.label for s in at.status] == ["Файл 2 з 2: c.csv — розпізнавання стовпців"]
