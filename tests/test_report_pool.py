"""The chart converter started ahead (``report.render.Pool``): a cold process's report has its charts
converted by a worker that booted vl-convert while the report was computed. The images are the ones this
process converts itself, byte for byte; the worker is kept for the next report; a dead worker's charts are
converted here."""
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def charts():
    """The sample data's report charts for September 2026 (Altair charts; the trend drawn per manager)."""
    from metrics.loading import load_paths
    from metrics.periods import month
    from report import Options, collect
    d = ROOT / "sample_data"
    data = load_paths(deals=[str(d / "deals.csv")], activities=[str(d / "activities.csv")],
                      plans=[str(d / "plans.csv")])
    c = collect(data=data, period=month(2026, 9), options=Options(lang="uk"))["charts"]
    assert len(c) > 12 and sum(k.startswith("trend") for k in c) >= 10, sorted(c)
    return c


@pytest.mark.parametrize("kind", ["png", "svg"])
def test_the_worker_ahead_gives_the_same_images_as_this_process(charts, kind):
    from report import render
    with render.Pool() as pool:
        assert len(pool.helpers) == 1
        ahead = render.many(charts, kind=kind, pool=pool)
    here = render.many(charts, kind=kind)                         # no pool: converted in this process
    assert set(ahead) == set(charts)

    def same(v):      # Vega numbers an SVG's gradients per process (gradient_0, _1, …): the id, not the picture
        return re.sub(r"gradient_\d+", "gradient_N", v) if kind == "svg" else v
    assert all(same(ahead[k]) == same(here[k]) for k in charts), [k for k in charts if same(ahead[k]) != same(here[k])]
    sig = b"\x89PNG" if kind == "png" else "<svg"
    assert all(v[:4] == sig for v in ahead.values())
    assert len({ahead[k] for k in charts if k.startswith("trend")}) == sum(k.startswith("trend") for k in charts)


def test_a_closed_pools_worker_is_kept_for_the_next_report_and_a_dead_ones_charts_are_made_here(charts):
    from report import render
    first = render.Pool()
    pid = first.helpers[0].proc.pid
    first.close()
    second = render.Pool()
    assert [h.proc.pid for h in second.helpers] == [pid]         # the same process, its runtime already up
    os.kill(pid, signal.SIGKILL)                                  # the worker this test started
    second.helpers[0].proc.wait()
    some = {k: charts[k] for k in list(charts)[:3]}
    got = render.many(some, kind="svg", pool=second)
    second.close()
    assert all(got[k] == render.many({k: some[k]}, kind="svg")[k] for k in some)
    third = render.Pool()
    assert [h.proc.pid for h in third.helpers] != [pid] and third.helpers[0].proc.poll() is None
    third.close()


def test_a_cold_command_line_report_converts_no_chart_in_its_own_process(tmp_path):
    """The command line's process never boots vl-convert itself (the worker does): ``render.warm()`` stays
    false through a whole PPTX build, and the deck has its pictures."""
    code = ("import sys, report, report.render as r; from metrics.cli import main; "
            f"rc = main(['report', '--deals', 'sample_data/deals.csv', '--format', 'pptx', '--out', {str(tmp_path / 'r.pptx')!r}]); "
            "sys.exit(10 * rc + r.warm())")
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT, timeout=300).returncode == 0
    from pptx import Presentation
    deck = Presentation(str(tmp_path / "r.pptx"))
    assert sum(sh.shape_type == 13 for s in deck.slides for sh in s.shapes) >= 12
