"""Issue #17, the app with a million deals: work taken off the upload's run and off every rerun — an upload
identified without hashing its bytes, the data's currency and end computed once per dataset, money formats
looked up once per currency and language — with the numbers on screen unchanged."""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics import periods
from metrics.report import data_currency
from ui import context, data, fmt

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
EXPORT = ROOT / "sample_data/exports/bitrix24_deals.csv"
pytestmark = pytest.mark.usefixtures("no_legacy_pages_dir")


class FakeUpload:
    """What ``ui.data.uploaded`` reads of a Streamlit ``UploadedFile``, counting reads of the bytes."""

    def __init__(self, file_id: str, name: str, content: bytes):
        self.file_id, self.name, self.size, self._content, self.reads = file_id, name, len(content), content, 0

    def getvalue(self) -> bytes:
        self.reads += 1
        return self._content


def test_an_upload_is_identified_by_its_file_id_name_and_size_without_reading_its_bytes():
    one = FakeUpload("3f1c-uuid-1", "deals.csv", b"a;b\n1;2\n")
    [src] = data.uploaded([one])
    assert one.reads == 0                                   # nothing hashed: the bytes are not touched
    assert src.name == "deals.csv" and src.digest == data.upload_digest("3f1c-uuid-1", "deals.csv", one.size)
    assert src.read() == b"a;b\n1;2\n" and one.reads == 1   # read when a cache misses
    same = data.uploaded([FakeUpload("3f1c-uuid-1", "deals.csv", b"a;b\n1;2\n")])[0]
    assert same.digest == src.digest                        # the same upload on a rerun: the same key
    for other in (FakeUpload("3f1c-uuid-2", "deals.csv", b"a;b\n1;2\n"),      # uploaded again: a new file_id
                  FakeUpload("3f1c-uuid-1", "deals2.csv", b"a;b\n1;2\n"),
                  FakeUpload("3f1c-uuid-1", "deals.csv", b"a;b\n1;2\n3;4\n")):
        assert data.uploaded([other])[0].digest != src.digest
    assert len(src.digest) == 64 and int(src.digest, 16) >= 0     # hex, as token_of expects
    assert data.token_of([src]) == data.token_of(data.uploaded([FakeUpload("3f1c-uuid-1", "deals.csv", b"xxxxxxxx")]))


def _scorecard(at: AppTest) -> pd.DataFrame:
    return at.session_state["_ctx"].scorecard.managers.reset_index(drop=True)


def test_an_uploaded_export_shows_the_numbers_of_the_same_bundled_export_and_a_rerun_reuses_the_parse():
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["source"] = "export"
    at.session_state["sample_export"] = "bitrix24"
    at.run()
    assert not at.exception
    bundled = _scorecard(at)
    assert len(bundled) and bundled["leads"].sum() > 0

    at.sidebar.radio(key="source").set_value("upload").run()
    at.sidebar.file_uploader(key="uploads").set_value((EXPORT.name, EXPORT.read_bytes(), "text/csv")).run()
    assert not at.exception
    token = at.session_state["_ctx"].token
    assert not token.startswith("pub:")                     # an upload: this session's caches only
    pd.testing.assert_frame_equal(_scorecard(at), bundled)  # keyed by the upload, the same numbers
    assert [s.state for s in at.sidebar.status] == ["complete"]
    at.run()
    assert at.session_state["_ctx"].token == token and len(at.sidebar.status) == 0    # parsed once
    at.sidebar.file_uploader(key="uploads").set_value((EXPORT.name, EXPORT.read_bytes(), "text/csv")).run()
    assert at.session_state["_ctx"].token != token          # the same bytes uploaded again: read again
    pd.testing.assert_frame_equal(_scorecard(at), bundled)


def test_the_data_s_currency_is_read_once_per_dataset_not_per_rerun(monkeypatch):
    calls: list[int] = []

    def spy(deals, default="UAH"):
        calls.append(len(deals))
        return data_currency(deals, default=default)
    monkeypatch.setattr(context, "data_currency", spy)
    context.currency_of.clear_shared()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["source"] = "upload"
    at.run()
    at.sidebar.file_uploader(key="uploads").set_value((EXPORT.name, EXPORT.read_bytes(), "text/csv")).run()
    assert not at.exception and len(calls) == 1
    deals = at.session_state["_ctx"].dataset.deals
    code = data_currency(deals, default=None)
    assert code == "UAH"                                    # the export's «Гривна»
    assert any(m.label.endswith(", UAH") for m in at.metric)       # money on screen in it (English)
    at.sidebar.select_slider(key="alpha").set_value(0.01).run()
    at.sidebar.number_input(key="default_target").set_value(50_000.0).run()
    at.switch_page("pages/deal_size.py").run()
    assert not at.exception and len(calls) == 1             # the same data: not scanned again


def test_the_retention_page_takes_the_data_s_end_from_the_dataset_s_cache(data_end_calls):
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("pages/retention.py").run()
    assert not at.exception
    ctx = at.session_state["_ctx"]
    expected = periods.data_end(deals=ctx.dataset.deals, activities=ctx.dataset.activities)
    assert context.data_end_of(ctx.token, ctx.dataset) == expected
    assert context.facts(ctx.token, ctx.dataset)["covered_end"] == \
        context.kpi.data_covered_end(deals=ctx.dataset.deals, activities=ctx.dataset.activities)
    cohorts = context.cohort_team  # noqa: F841 - the page's cohorts are keyed by that end (unchanged)
    calls = data_end_calls()
    at.run()
    at.session_state["coh_horizon"] = 6
    at.run()
    assert not at.exception and calls == []                 # was: every rerun scanned every row


def test_money_is_formatted_as_before_with_babel_asked_once_per_currency_and_language(monkeypatch):
    import babel.numbers

    asked: list[tuple] = []
    real = babel.numbers.get_currency_symbol

    def spy(code, locale=None):
        asked.append((code, locale))
        return real(code, locale=locale)
    monkeypatch.setattr(babel.numbers, "get_currency_symbol", spy)
    fmt.currency_label_of.cache_clear()
    fmt.sign_first.cache_clear()
    got = [fmt.money(v, lg, currency=c) for v in (12345.4, -1200.0, 7.0) for lg in ("en", "ru", "uk")
           for c in ("USD", "EUR", "UAH")]
    assert got[:9] == ["$12,345", "€12,345", "UAH\u00a012,345", "12\u00a0345\u00a0$", "12\u00a0345\u00a0€",
                       "12\u00a0345\u00a0грн", "12\u00a0345\u00a0USD", "12\u00a0345\u00a0EUR", "12\u00a0345\u00a0грн"]
    assert got[9] == "-$1,200" and got[12] == "-1\u00a0200\u00a0$" and got[-1] == "7\u00a0грн"
    assert sorted(set(asked)) == sorted(asked)              # each (currency, language) looked up once
    assert len(asked) == 7                                  # hryvnia in ru / uk is "грн" without Babel
    assert fmt.money(None, "en", currency="USD") == fmt.DASH and fmt.money(5.0, "en") == "5"


def _label_positions_before(points, curve, *, height, width=660, font=11):
    """``ui.charts.label_positions`` as it was (pandas lookups per name and try, a Python loop over every
    box): the reference the faster one must equal exactly."""
    import math
    x_max = max(float(points["n"].max()), float(curve["n"].max()) if len(curve) else 0.0) or 1.0
    step_x = 10 ** math.floor(math.log10(x_max))
    x_max = math.ceil(x_max / step_x) * step_x
    y_max = max(float(points["rate"].max()), float(curve["rate"].max()) if len(curve) else 0.0) or 1.0
    y_max = min(1.0, math.ceil(y_max * 10) / 10)
    line = font + 3

    def at(i):
        return (float(points["n"].iloc[i]) / x_max * width, height - float(points["rate"].iloc[i]) / y_max * height)

    def free(x0, top, w):
        return 0 <= x0 and x0 + w <= width + 60 and not any(
            x0 < bx + bw and bx < x0 + w and top < by + bh and by < top + line for bx, by, bw, bh in boxes)

    boxes = [(x - 7, y - 7, 14.0, 14.0) for x, y in map(at, range(len(points)))]
    rates, sides = [0.0] * len(points), ["right"] * len(points)
    for i in sorted(range(len(points)), key=lambda i: -float(points["rate"].iloc[i])):
        x, y = at(i)
        w = 0.62 * font * len(str(points["manager"].iloc[i]))
        tries = [(step, side) for step in (0, -1, 1, -2, 2) for side in ("right", "left")]
        step, side = next(((st, sd) for st, sd in tries
                           if free(x + 8 if sd == "right" else x - 8 - w, y + st * line - line / 2, w)), (0, "right"))
        boxes.append((x + 8 if side == "right" else x - 8 - w, y + step * line - line / 2, w, line))
        rates[i] = float(points["rate"].iloc[i]) - step * line / height * y_max
        sides[i] = side
    return rates, sides


@pytest.mark.parametrize("n, seed", [(1, 0), (12, 1), (60, 2), (200, 3)])
def test_funnel_names_are_placed_exactly_as_before(n, seed):
    import numpy as np

    from ui import charts

    rng = np.random.default_rng(seed)
    crowd = rng.integers(40, 400, n) if seed % 2 else rng.integers(50, 5000, n)   # crowded and spread out
    pts = pd.DataFrame({"manager": [f"Менеджер {i:03d}" + "x" * (i % 7) for i in range(n)], "n": crowd,
                        "rate": rng.uniform(0.1, 0.4, n).round(2)}, index=np.arange(n) * 3 + 5)
    curve = pd.DataFrame({"n": np.linspace(1, float(crowd.max()), 50), "rate": np.linspace(0.5, 0.3, 50)})
    got = charts.label_positions(pts, curve, height=380)
    assert got == _label_positions_before(pts, curve, height=380)
    if n > 12:
        assert "left" in got[1] and any(r != x for r, x in zip(got[0], pts["rate"]))   # the crowd moved names


def _volume_reference(data) -> list[tuple]:
    """The Data page's monthly volumes by their definition: YYYY-MM strings and a count per series."""
    d = data.deals
    rows = []

    def add(ts, series):
        for m, n in ts.dropna().dt.strftime("%Y-%m").value_counts().items():
            rows.append((m, series, int(n)))
    add(d["created_at"], "created")
    status = d["status"]
    for s, g in d[status.notna() & (status != "open")].groupby("status"):
        add(g["closed_at"], str(s))
    add(d.loc[status == "open", "created_at"], "open")
    if data.activities is not None:
        add(data.activities["at"], "activities")
    if not rows:
        return []
    df = pd.DataFrame(rows, columns=["month", "series", "count"]).groupby(["month", "series"], as_index=False).sum()
    return list(df.sort_values(["month", "series"]).itertuples(index=False, name=None))


def _data(created, closed, status, acts=None, unit="ns"):
    from metrics.loading import Dataset

    def ts(v):
        return pd.Series(pd.to_datetime(v, format="ISO8601")).astype(f"datetime64[{unit}]")
    deals = pd.DataFrame({"created_at": ts(created), "closed_at": ts(closed), "status": pd.Series(status, dtype=object),
                          "manager": ["A"] * len(created)})
    acts = None if acts is None else pd.DataFrame({"at": ts(acts), "manager": ["A"] * len(acts)})
    return Dataset(deals=deals, activities=acts, plans=None)


VOLUME_CASES = {
    "around 1970, NaT, a month's last instant": _data(
        ["1969-12-31 23:59:59", "1970-01-01", None, "2025-01-31 23:59:59.999"], [None, "1969-12-01", "2025-02-01", None],
        ["open", "won", None, "lost"], ["1960-03-05 12:00", None, "2025-05-05"], unit="us"),
    "a far-future outlier, no activity rows": _data(["2025-01-01", "2099-12-31"], ["2025-02-01", None],
                                                    ["won", "open"], []),
    "a status named like a series": _data(["1700-01-01", "2025-01-01"], [None, "2025-03-03"], ["open", "created"]),
    "no dates at all": _data([None], [None], [None], [None]),
    "centuries apart (counted by month per row)": _data(["1678-01-01", "2025-01-01", "2261-12-31"],
                                                        [None, "2025-02-01", None], ["open", "won", "lost"], ["1800-05-05"]),
}


@pytest.mark.parametrize("case", list(VOLUME_CASES))
def test_the_data_page_s_monthly_volumes_keep_their_definition(case, monkeypatch):
    from metrics import quality

    data = VOLUME_CASES[case]
    got = quality.monthly_volume(data=data)
    assert list(got.itertuples(index=False, name=None)) == _volume_reference(data)
    monkeypatch.setattr(quality, "_DAY_SPAN", 10)          # the month-per-row path gives the same table
    pd.testing.assert_frame_equal(quality.monthly_volume(data=data), got)


def test_the_data_page_s_monthly_volumes_of_the_sample_data_keep_their_definition():
    from metrics import quality

    data = data_mod_sample()
    got = quality.monthly_volume(data=data)
    assert list(got.itertuples(index=False, name=None)) == _volume_reference(data)
    created = got[got["series"] == "created"]["count"].sum()
    assert created == data.deals["created_at"].notna().sum() and len(got["month"].unique()) >= 12


def data_mod_sample():
    from metrics.ingest import ingest

    return ingest([(n, (data.SAMPLE_DIR / n).read_bytes()) for n in data.SAMPLE_FILES.values()]).data


@pytest.mark.parametrize("values", [["a", "b", "a", None, float("nan"), pd.NA, "b "], ["x"] * 5, [None, None], [],
                                    [1, 1.0, "1", None], [("a",), ("a",), None], ["a", pd.Timestamp("2025-01-01"), pd.NaT]])
def test_distinct_managers_are_counted_as_pandas_counts_them(values):
    from metrics.quality import n_distinct

    s = pd.Series(values, dtype=object)
    assert n_distinct(s) == s.nunique()


@pytest.mark.parametrize("values, dtype", [(["b", None, float("nan"), "a", pd.NA, "b", "a "], object),
                                           (["b", "a", None], "str"), ([3.0, 1.0, None, 3.0], "float64"),
                                           ([], object), ([None, None], object), ([[1], [1]], object)])
def test_the_sidebar_s_managers_and_sources_are_the_sorted_distinct_values(values, dtype):
    s = pd.Series(values, dtype=dtype)
    try:
        want = sorted(set(s.dropna().unique()))
    except TypeError:                                       # lists: not hashable for pandas either
        with pytest.raises(TypeError):
            context.distinct_sorted(s)
        return
    assert context.distinct_sorted(s) == want


def test_the_default_period_and_year_of_an_upload_reuse_the_data_s_end(data_end_calls):
    """``facts`` hands ``data_end_of``'s value to ``default_period`` / ``default_year``: the upload's run
    scans the data for its end once (was three times: data_end_of, default_period, default_year)."""
    calls = data_end_calls()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["source"] = "upload"
    at.run()
    at.sidebar.file_uploader(key="uploads").set_value((EXPORT.name, EXPORT.read_bytes(), "text/csv")).run()
    assert not at.exception and calls == []                 # was 2: default_period's and default_year's own
    ctx = at.session_state["_ctx"]
    deals, acts = ctx.dataset.deals, ctx.dataset.activities
    assert ctx.period == periods.default_period(deals=deals, activities=acts)    # the same default period
    assert len(calls) == 1


def test_the_upload_s_month_and_the_month_before_are_aggregated_in_one_pass(monkeypatch):
    """The default period is a calendar month: its aggregates and the previous month's come from one
    ``kpi.monthly_aggregates`` pass (was two ``kpi_aggregates`` scans), and both scorecards are exactly
    those of ``kpi_aggregates``."""
    from metrics import kpi
    real_kpi, real_monthly = kpi.kpi_aggregates, kpi.monthly_aggregates
    plain: list = []
    one_pass: list = []

    def spy_kpi(**kw):
        plain.append(kw["period"])
        return real_kpi(**kw)

    def spy_monthly(**kw):
        one_pass.append(list(kw["months"]))
        return real_monthly(**kw)
    monkeypatch.setattr(kpi, "kpi_aggregates", spy_kpi)
    monkeypatch.setattr(kpi, "monthly_aggregates", spy_monthly)
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["source"] = "upload"
    at.run()
    at.sidebar.file_uploader(key="uploads").set_value((EXPORT.name, EXPORT.read_bytes(), "text/csv")).run()
    assert not at.exception
    ctx = at.session_state["_ctx"]
    p = ctx.period
    assert p.is_whole_months and p.n_months == 1
    assert plain == [] and one_pass == [[p.previous(), p]]
    deals, acts, s = ctx.dataset.deals, ctx.dataset.activities, ctx.settings
    args = dict(**s.target_args(), alpha=s.alpha, calendar=context.calendar_of(s),
                covered_end=kpi.data_covered_end(deals=deals, activities=acts))
    for card, period in ((ctx.scorecard, p), (ctx.previous, p.previous())):
        ref = kpi.scorecard_from(real_kpi(deals=deals, period=period, activities=acts), **args)
        assert card.period == period and card.team["leads"].iloc[0] > 0
        pd.testing.assert_frame_equal(card.table(), ref.table(), check_exact=True)
