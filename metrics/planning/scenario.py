"""Scenarios: saved settings as JSON.

:class:`Scenario`, ``scenario_to_json``, ``scenario_from_json`` (tolerant: returns the scenario and the list
of problems), ``dataset_fingerprint(*, deals)``, ``compare_scenarios(a, b)`` → [setting, a, b],
``scenario_plans(s)``, ``scenario_period(s)``, ``plan_grid_from_frame(plans)``,
``apply_plan_edits(*, plans, edits)``.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timezone
from typing import Any, Mapping, Sequence

import numpy as np
import pandas as pd

from .. import limits
from ..guards import bad
from ..kpi import LIGHT_KPIS
from ..periods import Period
from ..periods import month as month_period
from ..periods import quarter as quarter_period
from ..periods import year as year_period
from .checks import check_deals, check_plans, is_month, plan_frame
from .kpi_targets import KPI_TARGET_KPIS, RATE_KPIS
from .score import COMPOSITE_KPIS
from ..frames import frame as text_frame


COMPARE_COLUMNS = ["setting", "a", "b"]
TEAM_KEY = "*"                  # JSON key of a team-wide KPI target (Python: None)
SCENARIO_VERSION = 1
MAX_PROBLEMS = 20               # problems listed one by one; the rest are counted
LANGUAGES = ("en", "ru", "uk")
PERIOD_KINDS = ("month", "quarter", "year", "custom")
THRESHOLD_MODES = ("absolute", "share_of_target")
STAGE_VALUES = ("won", "lost", "open")
ADJUST_VALUES = ("holm", "bh")
_QUARTER_RE = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR_RE = re.compile(r"^\d{4}$")


# ----------------------------------------------------------------------------------------------------------
# scenarios
# ----------------------------------------------------------------------------------------------------------
def _now_iso() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def _plain(v: Any) -> Any:
    """JSON-friendly copy: tuples → lists, numpy scalars → Python, NaN → None."""
    if isinstance(v, Mapping):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(float(v)) else float(v)
    return v


@dataclass
class Scenario:
    """A saved set of settings: targets, thresholds, weights, column mapping, statistics options.

    period: {"kind": "month"|"quarter"|"year", "value": "2025-10"|"2025-Q4"|"2025"} or
    {"kind": "custom", "start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}; plan_grid: [{manager, month, target}]
    (target None = no target); kpi_targets: {kpi: {manager or None: value}} (None = everybody; "*" in
    JSON); thresholds: {kpi: [green, amber]}; threshold_mode: {kpi: "absolute"|"share_of_target"};
    mapping: {file: {field: header}}; stages: {CRM stage: won|lost|open}; source: the data source the
    scenario was saved on ("sample", "export.<name>", "upload"; "" = not recorded).
    """

    name: str = ""
    created: str = field(default_factory=_now_iso)
    fingerprint: str = ""
    language: str = "en"
    period: dict[str, str] = field(default_factory=dict)
    default_target: float | None = None
    overrides: dict[str, float] = field(default_factory=dict)
    plan_grid: list[dict[str, Any]] = field(default_factory=list)
    kpi_targets: dict[str, dict[str | None, float]] = field(default_factory=dict)
    thresholds: dict[str, list[float]] = field(default_factory=dict)
    threshold_mode: dict[str, str] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)
    mapping: dict[str, dict[str, str]] = field(default_factory=dict)
    stages: dict[str, str] = field(default_factory=dict)
    alpha: float = 0.05
    min_n: int = 30
    adjust: str = "holm"
    source: str = ""
    version: int = SCENARIO_VERSION

    def __post_init__(self) -> None:
        # normalise containers so that tuples and lists (e.g. DEFAULT_THRESHOLDS) compare equal after a round trip
        self.period = dict(self.period)
        self.overrides = dict(self.overrides)
        self.plan_grid = [dict(r) for r in self.plan_grid]
        self.kpi_targets = {k: dict(v) for k, v in self.kpi_targets.items()}
        self.thresholds = {k: [float(x) for x in v] for k, v in self.thresholds.items()}
        self.threshold_mode = dict(self.threshold_mode)
        self.weights = dict(self.weights)
        self.mapping = {k: dict(v) for k, v in self.mapping.items()}
        self.stages = dict(self.stages)


def dataset_fingerprint(*, deals: pd.DataFrame) -> str:
    """A short id of a dataset: sha256 of the sorted manager names, the first and last date (created_at /
    closed_at) and the row count; first 16 hex digits. Same data → same id; it is not a content hash."""
    check_deals(deals)
    mgrs = sorted(set(deals["manager"].astype(str)))
    stamps = pd.concat([deals["created_at"], deals["closed_at"]]).dropna()
    lo = stamps.min().date().isoformat() if len(stamps) else ""
    hi = stamps.max().date().isoformat() if len(stamps) else ""
    text = json.dumps({"managers": mgrs, "first": lo, "last": hi, "rows": int(len(deals))}, ensure_ascii=False,
                      sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def scenario_to_json(s: Scenario) -> str:
    """The scenario as JSON text (UTF-8 names kept; a None key of kpi_targets is written as "*")."""
    if not isinstance(s, Scenario):
        raise bad(f"s must be a Scenario, got {type(s).__name__}", "s")
    out: dict[str, Any] = {}
    for f in fields(Scenario):
        v = getattr(s, f.name)
        if f.name == "kpi_targets":
            v = {k: {(TEAM_KEY if who is None else who): x for who, x in per.items()} for k, per in v.items()}
        out[f.name] = _plain(v)
    return json.dumps(out, ensure_ascii=False, indent=2)


def _num_ok(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))


def _period_problem(p: Any) -> str | None:
    if not isinstance(p, Mapping):
        return "period must be an object"
    kind = p.get("kind")
    if kind not in PERIOD_KINDS:
        return f"period kind {kind!r} is not one of {list(PERIOD_KINDS)}"
    extra = set(p) - ({"kind", "start", "end"} if kind == "custom" else {"kind", "value"})
    if extra:
        return f"period has unexpected fields {sorted(extra)}"
    if kind == "custom":
        try:
            a, b = date.fromisoformat(p.get("start")), date.fromisoformat(p.get("end"))
        except (TypeError, ValueError):
            return f"custom period needs start and end dates YYYY-MM-DD, got {p.get('start')!r}, {p.get('end')!r}"
        return None if a <= b else f"period start {a} is after end {b}"
    v = p.get("value")
    ok = {"month": is_month(v), "quarter": isinstance(v, str) and bool(_QUARTER_RE.match(v)),
          "year": isinstance(v, str) and bool(_YEAR_RE.match(v))}[kind]
    return None if ok else f"period value {v!r} is not a valid {kind}"


def scenario_period(s: Scenario) -> Period | None:
    """The scenario's period as a Period, or None when it has none."""
    p = s.period
    if not p or _period_problem(p):
        return None
    kind = p["kind"]
    if kind == "custom":
        return Period(date.fromisoformat(p["start"]), date.fromisoformat(p["end"]))
    v = p["value"]
    if kind == "month":
        return month_period(int(v[:4]), int(v[5:]))
    if kind == "quarter":
        y, q = _QUARTER_RE.match(v).groups()
        return quarter_period(int(y), int(q))
    return year_period(int(v))


def plan_grid_from_frame(plans: pd.DataFrame) -> list[dict[str, Any]]:
    """A plans frame → plan_grid rows [{manager, month, target}] (NaN target → None)."""
    p = check_plans(plans)
    return [{"manager": m, "month": mo, "target": None if np.isnan(t) else float(t)}
            for m, mo, t in zip(p["manager"], p["month"], p["target"])]


def scenario_plans(s: Scenario) -> pd.DataFrame:
    """The scenario's plan grid as a plans frame (manager, month, target; None → NaN)."""
    rows = [(r["manager"], r["month"], np.nan if r.get("target") is None else float(r["target"]))
            for r in s.plan_grid]
    return plan_frame(rows)


def scenario_from_json(text: str | bytes, *, fingerprint: str | None = None,
                       managers: Sequence[str] | None = None) -> tuple[Scenario, list[str]]:
    """Read a scenario, applying what can be applied and listing what could not.

    Raises DataError only when the text is not JSON or not a JSON object. Everything else — wrong types,
    unknown settings or KPIs, negative targets, thresholds with amber above green, managers not in
    ``managers`` (when given), a newer version — is skipped (the default is kept) and described in
    ``problems``. A fingerprint different from ``fingerprint`` (when both are known) is reported and the
    rest still applied. Returns (scenario, problems).
    """
    if isinstance(text, bytes):
        if len(text) > limits.current().max_scenario_bytes:  # (before decoding a huge file)
            limits.load_json(text, name="scenario")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise bad(f"scenario file is not UTF-8 text ({exc.reason})", "scenario") from None
    if not isinstance(text, str):
        raise bad(f"scenario must be JSON text, got {type(text).__name__}", "scenario")
    try:
        raw = limits.load_json(text, name="scenario")  # size, depth and digits bounded (metrics/limits.py)
    except json.JSONDecodeError as exc:
        raise bad(f"scenario file is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                   "scenario") from None
    if not isinstance(raw, dict):
        raise bad(f"scenario file must hold a JSON object, got {type(raw).__name__}", "scenario")

    problems: list[str] = []
    known = {m for m in managers} if managers is not None else None
    default = Scenario()
    kw: dict[str, Any] = {}

    def who_ok(name: Any, where: str) -> bool:
        if not isinstance(name, str) or not name.strip():
            problems.append(f"{where}: manager name {name!r} is not text; skipped")
            return False
        if known is not None and name not in known:
            problems.append(f"{where}: manager {name!r} is not in this data; skipped")
            return False
        return True

    def obj(key: str) -> dict | None:
        v = raw[key]
        if not isinstance(v, dict):
            problems.append(f"{key} must be an object, got {type(v).__name__}; ignored")
            return None
        return v

    for key in raw:
        if key not in {f.name for f in fields(Scenario)}:
            problems.append(f"unknown setting {key!r} ignored")

    if "version" in raw:
        v = raw["version"]
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            problems.append(f"version must be a positive integer, got {v!r}; read as version {SCENARIO_VERSION}")
        elif v > SCENARIO_VERSION:
            problems.append(f"the file is version {v}, newer than this app's {SCENARIO_VERSION}; "
                            f"settings this version knows were read")
            kw["version"] = v
        else:
            kw["version"] = v
    if "source" in raw:
        v = raw["source"]
        if isinstance(v, str) and (v in ("", "sample", "upload") or (v.startswith("export.") and len(v) > 7)):
            kw["source"] = v
        else:
            problems.append(f"source must be 'sample', 'upload' or 'export.<name>', got {v!r}; ignored")
    for key in ("name", "created", "fingerprint"):
        if key in raw:
            if isinstance(raw[key], str):
                kw[key] = raw[key]
            else:
                problems.append(f"{key} must be text, got {raw[key]!r}; ignored")
    if "created" in kw:
        try:
            datetime.fromisoformat(kw["created"])
        except ValueError:
            problems.append(f"created {kw['created']!r} is not an ISO date-time; ignored")
            del kw["created"]
    fp = kw.get("fingerprint", "")
    if fingerprint and fp and fp != fingerprint:
        problems.append(f"the scenario was saved for another dataset (fingerprint {fp}, this data {fingerprint}); "
                        f"settings were applied where they fit")
    if "language" in raw:
        if raw["language"] in LANGUAGES:
            kw["language"] = raw["language"]
        else:
            problems.append(f"language {raw['language']!r} is not one of {list(LANGUAGES)}; ignored")
    if "period" in raw and raw["period"] not in ({}, None):        # {} / null: no period chosen
        why = _period_problem(raw["period"])
        if why:
            problems.append(f"{why}; period ignored")
        else:
            kw["period"] = dict(raw["period"])
    if "default_target" in raw:
        v = raw["default_target"]
        if v is None or (_num_ok(v) and v >= 0):
            kw["default_target"] = v
        else:
            problems.append(f"default_target must be a number ≥ 0, got {v!r}; ignored")
    if "overrides" in raw and (o := obj("overrides")) is not None:
        kw["overrides"] = {}
        for m, v in o.items():
            if not who_ok(m, "overrides"):
                continue
            if _num_ok(v) and v >= 0:
                kw["overrides"][m] = v
            else:
                problems.append(f"overrides: target {v!r} for {m!r} is not a number ≥ 0; skipped")
    if "plan_grid" in raw:
        grid = raw["plan_grid"]
        if not isinstance(grid, list):
            problems.append(f"plan_grid must be a list, got {type(grid).__name__}; ignored")
        else:
            kw["plan_grid"] = []
            seen = set()
            for i, r in enumerate(grid, 1):
                if not isinstance(r, dict) or set(r) != {"manager", "month", "target"}:
                    problems.append(f"plan_grid row {i} must have exactly manager, month, target; skipped")
                    continue
                if not who_ok(r["manager"], f"plan_grid row {i}"):
                    continue
                if not is_month(r["month"]):
                    problems.append(f"plan_grid row {i}: month {r['month']!r} is not YYYY-MM; skipped")
                    continue
                t = r["target"]
                if not (t is None or (_num_ok(t) and t >= 0)):
                    problems.append(f"plan_grid row {i}: target {t!r} for {r['manager']!r} is not a number ≥ 0; "
                                    f"skipped")
                    continue
                if (r["manager"], r["month"]) in seen:
                    problems.append(f"plan_grid row {i}: a second row for {r['manager']!r} {r['month']}; skipped")
                    continue
                seen.add((r["manager"], r["month"]))
                kw["plan_grid"].append(dict(r))
    if "kpi_targets" in raw and (o := obj("kpi_targets")) is not None:
        kw["kpi_targets"] = {}
        for kpi, per in o.items():
            if kpi not in KPI_TARGET_KPIS:
                problems.append(f"kpi_targets: unknown KPI {kpi!r} (expected {list(KPI_TARGET_KPIS)}); skipped")
                continue
            if not isinstance(per, dict):
                problems.append(f"kpi_targets[{kpi!r}] must be an object; skipped")
                continue
            clean: dict[str | None, float] = {}
            for m, v in per.items():
                if m != TEAM_KEY and not who_ok(m, f"kpi_targets[{kpi!r}]"):
                    continue
                hi = 1.0 if kpi in RATE_KPIS else math.inf
                if _num_ok(v) and 0 <= v <= hi:
                    clean[None if m == TEAM_KEY else m] = v
                else:
                    rng_txt = "between 0 and 1" if kpi in RATE_KPIS else "≥ 0"
                    problems.append(f"kpi_targets[{kpi!r}]: target {v!r} for {m!r} is not a number {rng_txt}; "
                                    f"skipped")
            kw["kpi_targets"][kpi] = clean
    if "thresholds" in raw and (o := obj("thresholds")) is not None:
        kw["thresholds"] = {}
        for kpi, v in o.items():
            if kpi not in LIGHT_KPIS:
                problems.append(f"thresholds: unknown KPI {kpi!r} (expected {list(LIGHT_KPIS)}); skipped")
            elif not (isinstance(v, list) and len(v) == 2 and all(_num_ok(x) and x >= 0 for x in v)):
                problems.append(f"thresholds[{kpi!r}] must be [green, amber] numbers ≥ 0, got {v!r}; skipped")
            elif v[1] > v[0]:
                problems.append(f"thresholds[{kpi!r}]: amber {v[1]} is above green {v[0]}; skipped")
            else:
                kw["thresholds"][kpi] = [float(v[0]), float(v[1])]
    if "threshold_mode" in raw and (o := obj("threshold_mode")) is not None:
        kw["threshold_mode"] = {}
        for kpi, v in o.items():
            if kpi not in LIGHT_KPIS:
                problems.append(f"threshold_mode: unknown KPI {kpi!r}; skipped")
            elif v not in THRESHOLD_MODES:
                problems.append(f"threshold_mode[{kpi!r}] {v!r} is not one of {list(THRESHOLD_MODES)}; skipped")
            else:
                kw["threshold_mode"][kpi] = v
    if "weights" in raw and (o := obj("weights")) is not None:
        kw["weights"] = {}
        for kpi, v in o.items():
            if kpi not in COMPOSITE_KPIS:
                problems.append(f"weights: unknown KPI {kpi!r} (expected {list(COMPOSITE_KPIS)}); skipped")
            elif not (_num_ok(v) and v >= 0):
                problems.append(f"weights[{kpi!r}] must be a number ≥ 0, got {v!r}; skipped")
            else:
                kw["weights"][kpi] = v
        if kw["weights"] and sum(kw["weights"].values()) <= 0:
            problems.append("weights are all 0; ignored")
            kw["weights"] = {}
    if "mapping" in raw and (o := obj("mapping")) is not None:
        kw["mapping"] = {}
        for fname, m in o.items():
            if not isinstance(m, dict) or not all(isinstance(k, str) and isinstance(h, str) for k, h in m.items()):
                problems.append(f"mapping[{fname!r}] must be an object {{field: column header}}; skipped")
            else:
                kw["mapping"][fname] = dict(m)
    if "stages" in raw and (o := obj("stages")) is not None:
        kw["stages"] = {}
        for stage, v in o.items():
            if v in STAGE_VALUES:
                kw["stages"][stage] = v
            else:
                problems.append(f"stages[{stage!r}] {v!r} is not one of {list(STAGE_VALUES)}; skipped")
    if "alpha" in raw:
        v = raw["alpha"]
        if _num_ok(v) and 0 < v < 1:
            kw["alpha"] = v
        else:
            problems.append(f"alpha must be between 0 and 1, got {v!r}; {default.alpha} used")
    if "min_n" in raw:
        v = raw["min_n"]
        if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
            kw["min_n"] = v
        else:
            problems.append(f"min_n must be an integer ≥ 0, got {v!r}; {default.min_n} used")
    if "adjust" in raw:
        if raw["adjust"] in ADJUST_VALUES:
            kw["adjust"] = raw["adjust"]
        else:
            problems.append(f"adjust {raw['adjust']!r} is not one of {list(ADJUST_VALUES)}; {default.adjust} used")
    if "created" not in kw:
        kw["created"] = default.created
    if len(problems) > MAX_PROBLEMS:  # a huge file of bad rows: the first ones and a count, not 27 MB
        problems = problems[:MAX_PROBLEMS] + [f"… and {len(problems) - MAX_PROBLEMS} more problems like these"]
    return Scenario(**kw), problems


def _period_text(p: Mapping[str, str]) -> str | None:
    if not p:
        return None
    if p.get("kind") == "custom":
        return f"custom {p.get('start')} – {p.get('end')}"
    return f"{p.get('kind')} {p.get('value')}"


def _flatten(s: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {"name": s.name, "fingerprint": s.fingerprint, "language": s.language,
                           "period": _period_text(s.period), "default_target": s.default_target}
    for m, v in sorted(s.overrides.items()):
        out[f"target: {m}"] = v
    for r in sorted(s.plan_grid, key=lambda r: (str(r.get("manager")), str(r.get("month")))):
        out[f"plan: {r.get('manager')} {r.get('month')}"] = r.get("target")
    for kpi, per in sorted(s.kpi_targets.items()):
        for m, v in sorted(per.items(), key=lambda kv: (kv[0] is not None, str(kv[0]))):
            out[f"kpi target: {kpi} {'(everybody)' if m is None else m}"] = v
    for kpi, v in sorted(s.thresholds.items()):
        out[f"threshold: {kpi}"] = f"{v[0]:g} / {v[1]:g}"
    for kpi, v in sorted(s.threshold_mode.items()):
        out[f"threshold mode: {kpi}"] = v
    for kpi, v in sorted(s.weights.items()):
        out[f"weight: {kpi}"] = v
    for fname, m in sorted(s.mapping.items()):
        for fld, h in sorted(m.items()):
            out[f"mapping: {fname} {fld}"] = h
    for stage, v in sorted(s.stages.items()):
        out[f"stage: {stage}"] = v
    out.update({"alpha": s.alpha, "min_n": s.min_n, "adjust": s.adjust, "version": s.version})
    return out


def compare_scenarios(a: Scenario, b: Scenario) -> pd.DataFrame:
    """The settings that differ between two scenarios: setting, a, b (None where a side lacks the setting).

    Compared: name, dataset fingerprint, language, period, default target, each manager's override, each plan
    cell, each KPI target, thresholds and their modes, weights, column mapping, stages, alpha, min_n, adjust,
    version (not the creation time). Rows in the order of a's settings, then b's extra ones.
    """
    for name, s in (("a", a), ("b", b)):
        if not isinstance(s, Scenario):
            raise bad(f"{name} must be a Scenario, got {type(s).__name__}", name)
    fa, fb = _flatten(a), _flatten(b)
    keys = list(fa) + [k for k in fb if k not in fa]
    rows = [(k, fa.get(k), fb.get(k)) for k in keys if fa.get(k) != fb.get(k)]
    return text_frame({"setting": pd.Series([r[0] for r in rows], dtype=object),
                       "a": pd.Series([r[1] for r in rows], dtype=object),
                       "b": pd.Series([r[2] for r in rows], dtype=object)})


def apply_plan_edits(*, plans: pd.DataFrame | None, edits: Mapping[tuple[str, str], float | None]) -> pd.DataFrame | None:
    """The plans with hand-set cells replacing the file's: ``edits`` (manager, month) → target (None or NaN
    removes the cell's target). Returns None when there is neither a plans frame nor an edit."""
    if not edits:
        return plans
    base = plan_frame([]) if plans is None else plans[["manager", "month", "target"]]
    keys = set(edits)
    # a boolean *array*: an empty Python list would select zero columns (KeyError 'manager', issue #12)
    keep = base[np.array([(m, mo) not in keys for m, mo in zip(base["manager"], base["month"])], dtype=bool)]
    add = pd.DataFrame([(m, mo, float(v)) for (m, mo), v in edits.items() if v is not None and v == v],
                       columns=["manager", "month", "target"])
    out = pd.concat([keep, add], ignore_index=True) if len(add) else keep.reset_index(drop=True)
    out["manager"] = out["manager"].astype(object)
    out["month"] = out["month"].astype(object)
    return out.sort_values(["manager", "month"], kind="stable").reset_index(drop=True)
