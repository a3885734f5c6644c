"""Issue #17's bench cases: a deals export alone through the CLI vs DuckDB, workbooks, the CLI's start-up.

    python -m bench.cases [--alone 1M] [--workbooks 100k] [--repeat 3] [--data DIR] [--out bench/out]
                          [--only alone,xlsx,html,imports] [--commands]

* **alone** — the Bitrix24-style deals export of ``--alone`` deals (``bench.generate``), *no activities and no
  plans file*: the whole ``python -m metrics report --deals deals.csv --start --end --out`` as a process vs a
  DuckDB process (a script that imports only duckdb) reading the same file with the same parsing and
  computing the same KPI core (``bench.reference``'s SQL, with empty activity and plan tables). Wall time
  and peak memory of both; the CLI's KPI rows must equal DuckDB's (exit 3 otherwise). Target ≤ 1.5×.
* **xlsx** / **html** — the first ``--workbooks`` deals of the same export written as an ``.xlsx`` workbook
  (ID and amount as numbers, the dates as date cells, the rest text: read through python-calamine) and as
  Bitrix24's HTML "Excel" ``.xls`` (a ``<table>`` of text cells, read through lxml): read + standardise
  (``metrics.ingest``, what the CLI and the app's upload use) in a fresh process per run, seconds and MB/s
  of the file; the KPIs of each must equal those of the same deals read from the CSV.
* **imports** — ``python -X importtime -c "import metrics.cli"`` (cumulative time of ``metrics.cli``), and
  the wall time of the processes ``python -c "import metrics.cli"``, ``python -m metrics --help`` and, for
  the interpreter's own start-up, ``python -c pass``.

Each figure is the median of ``--repeat`` runs; the 1-minute load average is recorded before every run
(the figures of a loaded machine are upper bounds). Writes ``cases.md`` and ``cases.json`` to ``--out``.
``--commands`` only prints the command lines (after generating the files), to time them with any
whole-process timer (``/usr/bin/time -v``, ``hyperfine``). Small sizes (``--alone 2k --workbooks 2k``) run in
seconds: the tests do that.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

from .generate import BITRIX_DEAL_HEADERS, DEFAULT_OUT, generate, parse_size, size_label

ROOT = Path(__file__).resolve().parents[1]
PERIOD = ("2025-07-01", "2025-09-30")
TIME_BIN = "/usr/bin/time"
WARM = 50       #: deals in the warm-up workbooks
#: The KPI core compared with DuckDB (no activities, no plans: calls, meetings and targets are empty in both).
CORE = ["manager", "leads", "won_of_leads", "conversion", "won", "revenue", "avg_deal", "customers_prev",
        "customers_retained", "retention_rate"]


# --------------------------------------------------------------------------------------------------
# files
# --------------------------------------------------------------------------------------------------

def _bitrix_table(csv_path: Path, rows: int | None = None):
    """The Bitrix CSV's cells as an arrow table of strings (the trailing ``;`` column dropped)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [*BITRIX_DEAL_HEADERS, "_"]
    tab = pcsv.read_csv(csv_path, read_options=pcsv.ReadOptions(column_names=names, skip_rows=1),
                        parse_options=pcsv.ParseOptions(delimiter=";", quote_char='"', double_quote=True),
                        convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                            strings_can_be_null=False, quoted_strings_can_be_null=False))
    tab = tab.drop(["_"])
    return tab.slice(0, rows) if rows is not None else tab


def write_xlsx(csv_path: Path, out: Path, rows: int) -> Path:
    """The first ``rows`` deals as an .xlsx: ID and amount numbers, the three dates date cells, the rest text."""
    import xlsxwriter

    tab = _bitrix_table(csv_path, rows).to_pydict()
    heads = list(tab)
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb.add_worksheet("Сделки")
    dt_fmt = wb.add_format({"num_format": "dd.mm.yyyy hh:mm:ss"})
    d_fmt = wb.add_format({"num_format": "dd.mm.yyyy"})
    for j, h in enumerate(heads):
        ws.write_string(0, j, h)
    for i in range(len(tab[heads[0]])):
        for j, h in enumerate(heads):
            v = tab[h][i]
            if h == "ID":
                ws.write_number(i + 1, j, int(v))
            elif h == "Сумма":
                ws.write_number(i + 1, j, float(v.replace(",", ".")))
            elif h in ("Дата создания", "Дата изменения"):
                ws.write_datetime(i + 1, j, datetime.strptime(v, "%d.%m.%Y %H:%M:%S"), dt_fmt)
            elif h == "Предполагаемая дата закрытия":
                ws.write_datetime(i + 1, j, datetime.strptime(v, "%d.%m.%Y"), d_fmt)
            elif v:
                ws.write_string(i + 1, j, v)
    wb.close()
    return out


def write_html_xls(csv_path: Path, out: Path, rows: int) -> Path:
    """The first ``rows`` deals as Bitrix24's HTML "Excel" export: one ``<table>``, every cell text."""
    import html

    tab = _bitrix_table(csv_path, rows).to_pydict()
    heads = list(tab)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('<html>\n<head><meta http-equiv="Content-type" content="text/html;charset=utf-8" /></head>\n'
                 '<body>\n<table border="1">\n<tr>' + "".join(f"<th>{html.escape(h)}</th>" for h in heads) + "</tr>\n")
        cols = [tab[h] for h in heads]
        for i in range(len(cols[0])):
            fh.write("<tr>" + "".join(f"<td>{html.escape(c[i], quote=False)}</td>" for c in cols) + "</tr>\n")
        fh.write("</table>\n</body>\n</html>\n")
    return out


def prepare(alone: int | None, workbooks: int | None, data: Path) -> dict:
    """Generate (or reuse) the exports; returns the paths of every case's files."""
    paths: dict = {}
    if alone:
        folder = generate(alone, data)
        paths["alone"] = {"size": size_label(alone), "deals": folder / "bitrix" / "deals.csv", "n": alone}
    if workbooks:
        folder = generate(workbooks, data)
        csv_path = folder / "bitrix" / "deals.csv"
        wdir = folder / "workbooks"
        wdir.mkdir(exist_ok=True)
        xlsx, xls = wdir / "deals.xlsx", wdir / "deals.xls"
        stamp = wdir / "meta.json"
        want = {"csv_bytes": csv_path.stat().st_size, "rows": workbooks, "version": 1}
        if not (stamp.is_file() and json.loads(stamp.read_text()) == want and xlsx.is_file() and xls.is_file()):
            write_xlsx(csv_path, xlsx, workbooks)
            write_html_xls(csv_path, xls, workbooks)
            write_xlsx(csv_path, wdir / "warm.xlsx", WARM)          # the warm-up files (see read_worker)
            write_html_xls(csv_path, wdir / "warm.xls", WARM)
            stamp.write_text(json.dumps(want))
        for key, f in (("xlsx", xlsx), ("html", xls)):
            paths[key] = {"size": size_label(workbooks), "file": f, "csv": csv_path, "n": workbooks,
                          "warm": wdir / ("warm" + f.suffix)}
    return paths


# --------------------------------------------------------------------------------------------------
# the DuckDB process of the "alone" case
# --------------------------------------------------------------------------------------------------

def duck_alone_script(deals_csv: Path, out: Path) -> Path:
    """A script importing only duckdb: the reference's parsing of the deals file, empty activities and plans,
    the KPI SQL; prints the rows as JSON."""
    from metrics.periods import Period

    from . import reference as R

    period = Period(date.fromisoformat(PERIOD[0]), date.fromisoformat(PERIOD[1]))
    deals_sql = R.read_sql("bitrix", deals_csv.parent)[0]
    assert "deals.csv" in deals_sql and str(deals_csv.parent) in deals_sql
    stmts = [deals_sql,
             'CREATE OR REPLACE TABLE activities (activity_id VARCHAR, manager VARCHAR, type VARCHAR, '
             '"at" TIMESTAMP, done BOOLEAN)',
             "CREATE OR REPLACE TABLE plans (manager VARCHAR, month VARCHAR, target DOUBLE)",
             R.kpi_sql(period)]
    out.write_text("import duckdb, json, sys\n"
                   f"stmts = {stmts!r}\n"
                   "con = duckdb.connect(':memory:')\n"
                   "con.execute('SET enable_progress_bar = false')\n"
                   "for s in stmts[:-1]:\n    con.execute(s)\n"
                   "rows = con.execute(stmts[-1]).fetchall()\n"
                   "json.dump(rows, sys.stdout, ensure_ascii=False, default=float)\n", encoding="utf-8")
    return out


def alone_commands(deals_csv: Path, work: Path) -> tuple[list[str], list[str], Path]:
    out = work / "report-alone.json"
    cli = [sys.executable, "-m", "metrics", "report", "--deals", str(deals_csv), "--start", PERIOD[0],
           "--end", PERIOD[1], "--out", str(out)]
    duck = [sys.executable, str(duck_alone_script(deals_csv, work / "duck_alone.py"))]
    return cli, duck, out


# --------------------------------------------------------------------------------------------------
# measuring
# --------------------------------------------------------------------------------------------------

def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def measure(cmd: list[str]) -> dict:
    """Wall seconds, peak RSS (MB), exit code and output of one process (``/usr/bin/time -v`` when present)."""
    full = [TIME_BIN, "-v", *cmd] if Path(TIME_BIN).exists() else cmd
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    p = subprocess.run(full, cwd=ROOT, env=_env(), capture_output=True)
    wall = time.perf_counter() - t0
    err = p.stderr.decode(errors="replace")
    rss = next((int(ln.split(":")[1]) for ln in err.splitlines() if "Maximum resident set size" in ln), 0)
    return {"wall": wall, "peak_mb": rss / 1024, "rc": p.returncode, "stdout": p.stdout, "stderr": err,
            "load": load}


def _med(xs):
    return statistics.median(xs) if xs else None


def _check(a: list[dict], b: list[dict], label: str) -> list[str]:
    from .reference import COLUMNS, check_equal
    core = lambda r: {c: (r.get(c) if c in CORE else None) for c in COLUMNS}  # noqa: E731 - the rest: not compared
    return check_equal([core(r) for r in a], [core(r) for r in b], label=label)


def bench_alone(case: dict, repeat: int) -> dict:
    from . import reference as R

    work = Path(tempfile.mkdtemp(prefix="slcases-"))
    cli, duck, out = alone_commands(case["deals"], work)
    res = {"size": case["size"], "bytes": case["deals"].stat().st_size, "cli": [], "duck": [], "ratio": []}
    for i in range(repeat):                       # A B A B …: the ratio pair by pair
        c = measure(cli)
        if c["rc"] != 0:
            raise SystemExit(f"CLI failed ({c['rc']}): {c['stderr'][-2000:]}")
        d = measure(duck)
        if d["rc"] != 0:
            raise SystemExit(f"DuckDB process failed: {d['stderr'][-2000:]}")
        if i == 0:
            report = json.loads(out.read_text())
            ours = [{c: r.get(c) for c in R.COLUMNS} for r in report["managers"] + [report["team"]]]
            probs = _check(ours, R.rows_to_dicts(json.loads(d["stdout"])), "CLI (deals alone) vs DuckDB")
            if probs:
                print("KPI MISMATCH:\n  " + "\n  ".join(probs[:50]), file=sys.stderr)
                raise SystemExit(3)
            res["check"] = f"equal ({len(ours) - 1} managers + team)"
        for who, r in (("cli", c), ("duck", d)):
            res[who].append({"wall": r["wall"], "peak_mb": r["peak_mb"], "load": r["load"]})
        res["ratio"].append(c["wall"] / d["wall"])
        print(f"[alone {case['size']}] run {i + 1}/{repeat}: CLI {c['wall']:.2f}s {c['peak_mb']:.0f}MB, "
              f"DuckDB {d['wall']:.2f}s {d['peak_mb']:.0f}MB (load {c['load']:.1f})", file=sys.stderr, flush=True)
    res["median"] = {"cli": _med([x["wall"] for x in res["cli"]]), "duck": _med([x["wall"] for x in res["duck"]]),
                     "ratio": _med(res["ratio"]), "cli_peak_mb": max(x["peak_mb"] for x in res["cli"]),
                     "duck_peak_mb": max(x["peak_mb"] for x in res["duck"])}
    return res


def read_worker(path: Path, csv_path: Path | None, rows: int, warm: Path | None = None) -> dict:
    """One fresh process: ``metrics.ingest`` of the file (timed, the bytes already in memory; after an untimed
    read of the small ``warm`` file of the same format, so that the importer's own lazy imports are not in
    the rate); with ``csv_path`` also the first ``rows`` deals of the CSV, and the KPIs of both compared."""
    from metrics.ingest import ingest

    if warm is not None:
        ingest([(warm.name, warm.read_bytes())])
    raw = path.read_bytes()
    t0 = time.perf_counter()
    got = ingest([(path.name, raw)])
    seconds = time.perf_counter() - t0
    out = {"seconds": seconds, "bytes": len(raw), "rows": len(got.data.deals)}
    if csv_path is not None:
        from metrics.kpi import compute_kpis
        from metrics.periods import Period

        from . import reference as R

        lines = csv_path.read_bytes().split(b"\n", rows + 1)
        head = b"\n".join(lines[:rows + 1]) + b"\n"
        ref = ingest([(csv_path.name, head)])
        period = Period(date.fromisoformat(PERIOD[0]), date.fromisoformat(PERIOD[1]))
        a, b = (R.ours_rows(compute_kpis(deals=x.data.deals, period=period)) for x in (got, ref))
        probs = _check(a, b, f"{path.name} vs the CSV")
        if len(got.data.deals) != len(ref.data.deals):
            probs.append(f"{path.name}: {len(got.data.deals)} deals vs {len(ref.data.deals)} from the CSV")
        out["check"] = probs or f"equal to the CSV's ({len(a) - 1} managers + team, {len(ref.data.deals):,} deals)"
    return out


def bench_read(case: dict, repeat: int, label: str) -> dict:
    res = {"size": case["size"], "bytes": case["file"].stat().st_size, "runs": [], "load": []}
    for i in range(repeat):
        cmd = [sys.executable, "-m", "bench.cases", "_read", str(case["file"]), "--rows", str(case["n"]),
               "--warm", str(case["warm"])]
        if i == 0:
            cmd += ["--csv", str(case["csv"])]
        res["load"].append(os.getloadavg()[0])
        p = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True)
        if p.returncode != 0:
            raise SystemExit(f"{label} read failed: {p.stderr[-2000:]}")
        r = json.loads(p.stdout.strip().splitlines()[-1])
        if i == 0:
            if isinstance(r["check"], list):
                print("KPI MISMATCH:\n  " + "\n  ".join(r["check"][:50]), file=sys.stderr)
                raise SystemExit(3)
            res["check"], res["rows"] = r["check"], r["rows"]
        res["runs"].append(r["seconds"])
        print(f"[{label} {case['size']}] run {i + 1}/{repeat}: {r['seconds']:.2f}s "
              f"({r['bytes'] / 1e6 / r['seconds']:.1f} MB/s, load {res['load'][-1]:.1f})", file=sys.stderr, flush=True)
    med = _med(res["runs"])
    res["median"] = {"seconds": med, "mb_per_s": res["bytes"] / 1e6 / med}
    return res


def importtime_of(module: str = "metrics.cli") -> float:
    """Cumulative import seconds of ``module`` from ``python -X importtime``."""
    p = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {module}"], cwd=ROOT, env=_env(),
                       capture_output=True, text=True)
    for ln in p.stderr.splitlines():
        m = re.match(r"import time:\s*(\d+)\s*\|\s*(\d+)\s*\|\s*(\S+)\s*$", ln)
        if m and m.group(3) == module:
            return int(m.group(2)) / 1e6
    raise SystemExit(f"no importtime line for {module}: {p.stderr[-500:]}")


IMPORT_COMMANDS = {
    "python -c pass": ["-c", "pass"],
    'python -c "import metrics.cli"': ["-c", "import metrics.cli"],
    "python -m metrics --help": ["-m", "metrics", "--help"],
}


def bench_imports(repeat: int) -> dict:
    res: dict = {"importtime": [], "wall": {k: [] for k in IMPORT_COMMANDS}, "load": []}
    for _ in range(repeat):
        res["load"].append(os.getloadavg()[0])
        res["importtime"].append(importtime_of())
        for k, args in IMPORT_COMMANDS.items():
            r = measure([sys.executable, *args])
            if r["rc"] != 0:
                raise SystemExit(f"{k} failed: {r['stderr'][-500:]}")
            res["wall"][k].append(r["wall"])
    res["median"] = {"importtime": _med(res["importtime"]), **{k: _med(v) for k, v in res["wall"].items()}}
    return res


# --------------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------------

def _load(xs) -> str:
    xs = [x for x in xs if x is not None]
    return f"{min(xs):.1f}–{max(xs):.1f}" if xs else "—"


def markdown(res: dict) -> str:
    lines = ["# SalesLens — issue #17 bench cases", "",
             f"{res['when']} · {os.cpu_count()} CPUs · median of {res['repeat']} runs · period {PERIOD[0]} … "
             f"{PERIOD[1]}. Load average (1 min) before each run is given per case: on a loaded machine the "
             "figures are upper bounds.", "",
             "| case | ours | DuckDB | ratio / rate | target | met | load |", "|---|---|---|---|---|---|---|"]
    if "alone" in res:
        a = res["alone"]
        m = a["median"]
        lines.append(f"| deals export alone ({a['size']}, {a['bytes'] / 1e6:.0f} MB Bitrix CSV): `python -m metrics "
                     f"report` as a process vs DuckDB's process (KPI core) | {m['cli']:.2f} s, {m['cli_peak_mb']:.0f} MB "
                     f"| {m['duck']:.2f} s, {m['duck_peak_mb']:.0f} MB | {m['ratio']:.2f}× | ≤ 1.5× | "
                     f"{'yes' if m['ratio'] <= 1.5 else '**no**'} | "
                     f"{_load([x['load'] for x in a['cli']])} |")
    for key, what in (("xlsx", "XLSX (python-calamine)"), ("html", 'HTML "Excel" .xls (lxml)')):
        if key in res:
            r = res[key]
            lines.append(f"| {what}, {r['size']} deals ({r['bytes'] / 1e6:.1f} MB): read + standardise "
                         f"(`metrics.ingest`) | {r['median']['seconds']:.2f} s | — | {r['median']['mb_per_s']:.1f} MB/s "
                         f"| — | — | {_load(r['load'])} |")
    if "imports" in res:
        i = res["imports"]
        m = i["median"]
        lines.append(f"| `python -X importtime -c \"import metrics.cli\"`: cumulative for `metrics.cli` | "
                     f"{m['importtime'] * 1000:.0f} ms | — | — | — | — | {_load(i['load'])} |")
        for k in IMPORT_COMMANDS:
            lines.append(f"| `{k}` as a process, wall | {m[k]:.3f} s | — | — | — | — | {_load(i['load'])} |")
    lines += ["", "Checks: " + "; ".join(f"{k}: {res[k]['check']}" for k in ("alone", "xlsx", "html") if k in res), ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_read"]:                        # the worker of the xlsx / html cases
        p = argparse.ArgumentParser(prog="python -m bench.cases _read")
        p.add_argument("_read")
        p.add_argument("file", type=Path)
        p.add_argument("--rows", type=int, required=True)
        p.add_argument("--csv", type=Path)
        p.add_argument("--warm", type=Path)
        a = p.parse_args(argv)
        print(json.dumps(read_worker(a.file, a.csv, a.rows, a.warm), default=str))
        return 0
    p = argparse.ArgumentParser(prog="python -m bench.cases", description=__doc__.splitlines()[0])
    p.add_argument("--alone", default="1M", help="deals in the deals-alone case (default 1M; 0 to skip)")
    p.add_argument("--workbooks", default="100k", help="deals in the XLSX and HTML .xls cases (default 100k)")
    p.add_argument("--only", default="alone,xlsx,html,imports")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--data", type=Path, default=DEFAULT_OUT)
    p.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    p.add_argument("--commands", action="store_true", help="only print the command lines of the cases")
    a = p.parse_args(argv)
    only = set(a.only.split(","))
    paths = prepare(parse_size(a.alone) if "alone" in only and a.alone != "0" else None,
                    parse_size(a.workbooks) if only & {"xlsx", "html"} and a.workbooks != "0" else None, a.data)
    if a.commands:
        if "alone" in paths:
            work = a.data / paths["alone"]["size"] / "commands"
            work.mkdir(exist_ok=True)
            cli, duck, _ = alone_commands(paths["alone"]["deals"], work)
            print("alone, ours:  ", shlex.join(cli))
            print("alone, DuckDB:", shlex.join(duck))
        for k in ("xlsx", "html"):
            if k in paths:
                print(f"{k}:          ", shlex.join([sys.executable, "-m", "bench.cases", "_read",
                                                     str(paths[k]["file"]), "--rows", str(paths[k]["n"]),
                                                     "--warm", str(paths[k]["warm"])]))
        for k, args in IMPORT_COMMANDS.items():
            print(f"{k}:", shlex.join([sys.executable, *args]))
        return 0
    res: dict = {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "repeat": a.repeat}
    if "alone" in paths:
        res["alone"] = bench_alone(paths["alone"], a.repeat)
    for k in ("xlsx", "html"):
        if k in only and k in paths:
            res[k] = bench_read(paths[k], a.repeat, k)
    if "imports" in only:
        res["imports"] = bench_imports(a.repeat)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "cases.md").write_text(markdown(res))
    (a.out / "cases.json").write_text(json.dumps(res, indent=1, ensure_ascii=False, default=str))
    print((a.out / "cases.md").read_text())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
