"""Chart helpers: a chart structure reused with new data gives the same Vega-Lite spec; specs validate."""
import json
import os

import pandas as pd

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
