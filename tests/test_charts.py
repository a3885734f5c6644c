"""Chart helpers: a chart structure reused with new data gives the same Vega-Lite spec; specs validate."""
import json
import os

import pandas as pd
import pytest

from ui import charts


def cells(n=3):
    return pd.DataFrame({"manager": [f"M{i}" for i in range(n)] * 2, "kpi_label": ["Conv"] * n + ["Deal"] * n,
                         "light": ["green", "red", "none"] * (2 * n // 3) + ["amber"] * (2 * n % 3),
                         "text": [f"{i}%" for i in range(2 * n)]})


def test_with_data_gives_the_spec_of_the_chart_built_on_the_data():
    df = cells()
    args = dict(row="manager", col="kpi_label", light="light", text="text", col_order=["Conv", "Deal"],
                row_order=["M0", "M1", "M2"], lang="ru")
    direct = charts.light_matrix(df, **args).to_dict()
    empty = charts.light_matrix(df.iloc[:0], **args)
    reused = charts.with_data(empty, df).to_dict()
    assert json.dumps(direct, sort_keys=True) == json.dumps(reused, sort_keys=True)
    assert len(empty.data) == 0                                   # the cached structure holds no rows


def test_specs_are_validated_under_pytest_and_the_app_skips_it(monkeypatch):
    df = cells()
    chart = charts.bars(df.assign(v=1.0), x="v", y="manager", title="t")
    assert "to_dict" not in vars(chart)                           # pytest: Altair's validating to_dict
    monkeypatch.delenv("PYTEST_CURRENT_TEST", raising=False)
    monkeypatch.delenv("SALESLENS_VALIDATE_CHARTS", raising=False)
    fast = charts.bars(df.assign(v=1.0), x="v", y="manager", title="t")
    assert "to_dict" in vars(fast) and "to_dict" not in fast._kwds
    assert json.dumps(fast.to_dict(), sort_keys=True) == json.dumps(chart.to_dict(), sort_keys=True)
    assert os.environ.get("SALESLENS_VALIDATE_CHARTS") is None


def test_long_matrix_column_labels_wrap_onto_lines_that_end_together():
    """The traffic-light matrix's KPI labels overlapped their neighbours ("Середній чек (середнє)" ran into
    "Дзвінки + зустрічі / день" in the report): long ones wrap at 16 characters, short ones are padded with
    empty lines so every label ends on the same line, and the padding lifts them all above the cells."""
    import json

    from ui import charts
    expr, n = charts.wrapped_labels(["Конверсія", "Дзвінки + зустрічі / день"])
    assert n == 2
    table = json.loads(expr.split("[datum.label]")[0])
    assert table == {"Конверсія": ["", "Конверсія"], "Дзвінки + зустрічі / день": ["Дзвінки +", "зустрічі / день"]}
    assert charts.wrapped_labels(["Conversion", "Retention"]) == ("datum.label", 1)
    cells = pd.DataFrame({"m": ["A"], "k": ["Дзвінки + зустрічі / день"], "light": ["green"], "t": ["1"]})
    spec = charts.light_matrix(cells, row="m", col="k", light="light", text="t",
                               col_order=["Дзвінки + зустрічі / день"], row_order=["A"], lang="uk").to_dict()
    axis = spec["layer"][0]["encoding"]["x"]["axis"]
    assert axis["labelPadding"] == 3 + 13 and axis["labelLimit"] == 0 and "зустрічі / день" in axis["labelExpr"]


def test_funnel_names_never_stand_on_each_other():
    """Two managers with the same leads and conversion got their names printed on top of each other on the
    funnel plot: the second goes to the dot's left; a third on the next free line; a lone dot keeps its
    name on its right, at its own rate."""
    from ui import charts
    pts = pd.DataFrame({"manager": ["Anna Kowalska", "Boris Petrov", "Chen Li", "Dana"],
                        "n": [40, 40, 40, 5], "rate": [0.30, 0.30, 0.30, 0.10]})
    curve = pd.DataFrame({"n": [1, 90], "rate": [1.0, 0.3]})
    rates, sides = charts.label_positions(pts, curve, height=380)
    assert (rates[0], sides[0]) == (0.30, "right") and (rates[1], sides[1]) == (0.30, "left")
    assert rates[2] == pytest.approx(0.30 + 14 / 380) and sides[2] == "right"      # one line (11 + 3 px) up
    assert (rates[3], sides[3]) == (0.10, "right")
    spec = charts.funnel(pts.assign(side="inside", successes=1, where="x"), curve, p0=0.3, x_title="n",
                         y_title="r", lang="en").to_dict()
    texts = [l for l in spec["layer"] if l.get("mark", {}).get("type") == "text"]
    assert sorted(l["mark"]["align"] for l in texts) == ["left", "right"]
