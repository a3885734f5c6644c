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
from ..errors import DataError, Note, note
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

#: English templates of the scenario problems (the app shows ``scen.<code>`` of ui/locale/*.po with the same
#: parameters). Values from the file come as their ``repr`` (``value``, ``name``, ``kpi``…), never raw.
PROBLEMS: dict[str, str] = {
    "manager_not_text": "{where}: manager name {name} is not text; skipped",
    "manager_unknown": "{where}: manager {name} is not in this data; skipped",
    "grid_manager_not_text": "plan_grid row {row}: manager name {name} is not text; skipped",
    "grid_manager_unknown": "plan_grid row {row}: manager {name} is not in this data; skipped",
    "not_object": "{key} must be an object, got {type}; ignored",
    "unknown_setting": "unknown setting {key} ignored",
    "bad_version": "version must be a positive integer, got {value}; read as version {version}",
    "newer_version": "the file is version {value}, newer than this app's {version}; settings this version knows "
                     "were read",
    "bad_source": "source must be 'sample', 'upload' or 'export.<name>', got {value}; ignored",
    "not_text": "{key} must be text, got {value}; ignored",
    "bad_created": "created {value} is not an ISO date-time; ignored",
    "other_dataset": "the scenario was saved for another dataset (fingerprint {saved}, this data {current}); "
                     "settings were applied where they fit",
    "bad_language": "language {value} is not one of {expected}; ignored",
    "period_not_object": "period must be an object; period ignored",
    "period_kind": "period kind {value} is not one of {expected}; period ignored",
    "period_fields": "period has unexpected fields {fields}; period ignored",
    "period_custom": "custom period needs start and end dates YYYY-MM-DD, got {start}, {end}; period ignored",
    "period_order": "period start {start} is after end {end}; period ignored",
    "period_value": "period value {value} is not a valid {kind}; period ignored",
    "bad_default_target": "default_target must be a number ≥ 0, got {value}; ignored",
    "bad_override": "overrides: target {value} for {name} is not a number ≥ 0; skipped",
    "grid_not_list": "plan_grid must be a list, got {type}; ignored",
    "grid_row_shape": "plan_grid row {row} must have exactly manager, month, target; skipped",
    "grid_month": "plan_grid row {row}: month {value} is not YYYY-MM; skipped",
    "grid_target": "plan_grid row {row}: target {value} for {name} is not a number ≥ 0; skipped",
    "grid_repeat": "plan_grid row {row}: a second row for {name} {month}; skipped",
    "kt_unknown": "kpi_targets: unknown KPI {kpi} (expected {expected}); skipped",
    "kt_not_object": "kpi_targets[{kpi}] must be an object; skipped",
    "kt_rate_target": "kpi_targets[{kpi}]: target {value} for {name} is not a number between 0 and 1; skipped",
    "kt_target": "kpi_targets[{kpi}]: target {value} for {name} is not a number ≥ 0; skipped",
    "th_unknown": "thresholds: unknown KPI {kpi} (expected {expected}); skipped",
    "th_shape": "thresholds[{kpi}] must be [green, amber] numbers ≥ 0, got {value}; skipped",
    "th_order": "thresholds[{kpi}]: amber {amber} is above green {green}; skipped",
    "tm_unknown": "threshold_mode: unknown KPI {kpi}; skipped",
    "tm_value": "threshold_mode[{kpi}] {value} is not one of {expected}; skipped",
    "w_unknown": "weights: unknown KPI {kpi} (expected {expected}); skipped",
    "w_value": "weights[{kpi}] must be a number ≥ 0, got {value}; skipped",
    "w_zero": "weights are all 0; ignored",
    "mapping_shape": "mapping[{file}] must be an object {{field: column header}}; skipped",
    "stage_value": "stages[{stage}] {value} is not one of {expected}; skipped",
    "bad_alpha": "alpha must be between 0 and 1, got {value}; {default} used",
    "bad_min_n": "min_n must be an integer ≥ 0, got {value}; {default} used",
    "bad_adjust": "adjust {value} is not one of {expected}; {default} used",
    "more": "… and {count} more problems like these",
}


def problem(code: str, /, **params: Any) -> Note:
    """One scenario problem: English text (``PROBLEMS[code]``) plus code and parameters."""
    return note(code, PROBLEMS, **params)


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
    language: str = ""       #: the language it was saved in; "" = not recorded (loading keeps the screen's)
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


def _period_problem(p: Any) -> Note | None:
    """What is wrong with a period spec (a ``period_*`` problem: "...; period ignored"), None when it is valid."""
    if not isinstance(p, Mapping):
        return problem("period_not_object")
    kind = p.get("kind")
    if kind not in PERIOD_KINDS:
        return problem("period_kind", value=repr(kind), expected=str(list(PERIOD_KINDS)))
    extra = set(p) - ({"kind", "start", "end"} if kind == "custom" else {"kind", "value"})
    if extra:
        return problem("period_fields", fields=str(sorted(extra)))
    if kind == "custom":
        try:
            a, b = date.fromisoformat(p.get("start")), date.fromisoformat(p.get("end"))
        except (TypeError, ValueError):
            return problem("period_custom", start=repr(p.get("start")), end=repr(p.get("end")))
        return None if a <= b else problem("period_order", start=str(a), end=str(b))
    v = p.get("value")
    ok = {"month": is_month(v), "quarter": isinstance(v, str) and bool(_QUARTER_RE.match(v)),
          "year": isinstance(v, str) and bool(_YEAR_RE.match(v))}[kind]
    return None if ok else problem("period_value", value=repr(v), kind=kind)


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
                       managers: Sequence[str] | None = None, name: str = "scenario") -> tuple[Scenario, list[str]]:
    """Read a scenario, applying what can be applied and listing what could not.

    Raises DataError only when the text is not JSON or not a JSON object (codes ``scenario_not_utf8`` /
    ``scenario_not_json`` / ``scenario_not_object``, naming the file ``name``). Everything else — wrong types,
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
            raise DataError("scenario_not_utf8", file=name, detail=exc.reason) from None
    if not isinstance(text, str):
        raise bad(f"scenario must be JSON text, got {type(text).__name__}", "scenario")
    try:
        raw = limits.load_json(text, name="scenario")  # size, depth and digits bounded (metrics/limits.py)
    except json.JSONDecodeError as exc:
        raise DataError("scenario_not_json", file=name, detail=exc.msg, row=exc.lineno,
                        column=str(exc.colno)) from None
    if not isinstance(raw, dict):
        raise DataError("scenario_not_object", file=name, detail=type(raw).__name__)

    problems: list[str] = []        # Note: English text + code + params (the app shows "scen.<code>")
    known = {m for m in managers} if managers is not None else None
    default = Scenario()
    kw: dict[str, Any] = {}

    def add(code: str, **params: Any) -> None:
        problems.append(problem(code, **params))

    def who_ok(name: Any, where: str | None = None, row: int | None = None) -> bool:
        at = {"where": where} if row is None else {"row": row}
        prefix = "" if row is None else "grid_"
        if not isinstance(name, str) or not name.strip():
            add(f"{prefix}manager_not_text", **at, name=repr(name))
            return False
        if known is not None and name not in known:
            add(f"{prefix}manager_unknown", **at, name=repr(name))
            return False
        return True

    def obj(key: str) -> dict | None:
        v = raw[key]
        if not isinstance(v, dict):
            add("not_object", key=key, type=type(v).__name__)
            return None
        return v

    for key in raw:
        if key not in {f.name for f in fields(Scenario)}:
            add("unknown_setting", key=repr(key))

    if "version" in raw:
        v = raw["version"]
        if not isinstance(v, int) or isinstance(v, bool) or v < 1:
            add("bad_version", value=repr(v), version=SCENARIO_VERSION)
        elif v > SCENARIO_VERSION:
            add("newer_version", value=v, version=SCENARIO_VERSION)
            kw["version"] = v
        else:
            kw["version"] = v
    if "source" in raw:
        v = raw["source"]
        if isinstance(v, str) and (v in ("", "sample", "upload") or (v.startswith("export.") and len(v) > 7)):
            kw["source"] = v
        else:
            add("bad_source", value=repr(v))
    for key in ("name", "created", "fingerprint"):
        if key in raw:
            if isinstance(raw[key], str):
                kw[key] = raw[key]
            else:
                add("not_text", key=key, value=repr(raw[key]))
    if "created" in kw:
        try:
            datetime.fromisoformat(kw["created"])
        except ValueError:
            add("bad_created", value=repr(kw["created"]))
            del kw["created"]
    fp = kw.get("fingerprint", "")
    if fingerprint and fp and fp != fingerprint:
        add("other_dataset", saved=fp, current=fingerprint)
    if raw.get("language", "") != "":             # "" = not recorded, as written for such a scenario
        if raw["language"] in LANGUAGES:
            kw["language"] = raw["language"]
        else:
            add("bad_language", value=repr(raw["language"]), expected=str(list(LANGUAGES)))
    if "period" in raw and raw["period"] not in ({}, None):        # {} / null: no period chosen
        why = _period_problem(raw["period"])
        if why:
            problems.append(why)
        else:
            kw["period"] = dict(raw["period"])
    if "default_target" in raw:
        v = raw["default_target"]
        if v is None or (_num_ok(v) and v >= 0):
            kw["default_target"] = v
        else:
            add("bad_default_target", value=repr(v))
    if "overrides" in raw and (o := obj("overrides")) is not None:
        kw["overrides"] = {}
        for m, v in o.items():
            if not who_ok(m, "overrides"):
                continue
            if _num_ok(v) and v >= 0:
                kw["overrides"][m] = v
            else:
                add("bad_override", value=repr(v), name=repr(m))
    if "plan_grid" in raw:
        grid = raw["plan_grid"]
        if not isinstance(grid, list):
            add("grid_not_list", type=type(grid).__name__)
        else:
            kw["plan_grid"] = []
            seen = set()
            for i, r in enumerate(grid, 1):
                if not isinstance(r, dict) or set(r) != {"manager", "month", "target"}:
                    add("grid_row_shape", row=i)
                    continue
                if not who_ok(r["manager"], row=i):
                    continue
                if not is_month(r["month"]):
                    add("grid_month", row=i, value=repr(r["month"]))
                    continue
                t = r["target"]
                if not (t is None or (_num_ok(t) and t >= 0)):
                    add("grid_target", row=i, value=repr(t), name=repr(r["manager"]))
                    continue
                if (r["manager"], r["month"]) in seen:
                    add("grid_repeat", row=i, name=repr(r["manager"]), month=str(r["month"]))
                    continue
                seen.add((r["manager"], r["month"]))
                kw["plan_grid"].append(dict(r))
    if "kpi_targets" in raw and (o := obj("kpi_targets")) is not None:
        kw["kpi_targets"] = {}
        for kpi, per in o.items():
            if kpi not in KPI_TARGET_KPIS:
                add("kt_unknown", kpi=repr(kpi), expected=str(list(KPI_TARGET_KPIS)))
                continue
            if not isinstance(per, dict):
                add("kt_not_object", kpi=repr(kpi))
                continue
            clean: dict[str | None, float] = {}
            for m, v in per.items():
                if m != TEAM_KEY and not who_ok(m, f"kpi_targets[{kpi!r}]"):
                    continue
                hi = 1.0 if kpi in RATE_KPIS else math.inf
                if _num_ok(v) and 0 <= v <= hi:
                    clean[None if m == TEAM_KEY else m] = v
                else:
                    add("kt_rate_target" if kpi in RATE_KPIS else "kt_target", kpi=repr(kpi), value=repr(v),
                        name=repr(m))
            kw["kpi_targets"][kpi] = clean
    if "thresholds" in raw and (o := obj("thresholds")) is not None:
        kw["thresholds"] = {}
        for kpi, v in o.items():
            if kpi not in LIGHT_KPIS:
                add("th_unknown", kpi=repr(kpi), expected=str(list(LIGHT_KPIS)))
            elif not (isinstance(v, list) and len(v) == 2 and all(_num_ok(x) and x >= 0 for x in v)):
                add("th_shape", kpi=repr(kpi), value=repr(v))
            elif v[1] > v[0]:
                add("th_order", kpi=repr(kpi), amber=str(v[1]), green=str(v[0]))
            else:
                kw["thresholds"][kpi] = [float(v[0]), float(v[1])]
    if "threshold_mode" in raw and (o := obj("threshold_mode")) is not None:
        kw["threshold_mode"] = {}
        for kpi, v in o.items():
            if kpi not in LIGHT_KPIS:
                add("tm_unknown", kpi=repr(kpi))
            elif v not in THRESHOLD_MODES:
                add("tm_value", kpi=repr(kpi), value=repr(v), expected=str(list(THRESHOLD_MODES)))
            else:
                kw["threshold_mode"][kpi] = v
    if "weights" in raw and (o := obj("weights")) is not None:
        kw["weights"] = {}
        for kpi, v in o.items():
            if kpi not in COMPOSITE_KPIS:
                add("w_unknown", kpi=repr(kpi), expected=str(list(COMPOSITE_KPIS)))
            elif not (_num_ok(v) and v >= 0):
                add("w_value", kpi=repr(kpi), value=repr(v))
            else:
                kw["weights"][kpi] = v
        if kw["weights"] and sum(kw["weights"].values()) <= 0:
            add("w_zero")
            kw["weights"] = {}
    if "mapping" in raw and (o := obj("mapping")) is not None:
        kw["mapping"] = {}
        for fname, m in o.items():
            if not isinstance(m, dict) or not all(isinstance(k, str) and isinstance(h, str) for k, h in m.items()):
                add("mapping_shape", file=repr(fname))
            else:
                kw["mapping"][fname] = dict(m)
    if "stages" in raw and (o := obj("stages")) is not None:
        kw["stages"] = {}
        for stage, v in o.items():
            if v in STAGE_VALUES:
                kw["stages"][stage] = v
            else:
                add("stage_value", stage=repr(stage), value=repr(v), expected=str(list(STAGE_VALUES)))
    if "alpha" in raw:
        v = raw["alpha"]
        if _num_ok(v) and 0 < v < 1:
            kw["alpha"] = v
        else:
            add("bad_alpha", value=repr(v), default=str(default.alpha))
    if "min_n" in raw:
        v = raw["min_n"]
        if isinstance(v, int) and not isinstance(v, bool) and v >= 0:
            kw["min_n"] = v
        else:
            add("bad_min_n", value=repr(v), default=str(default.min_n))
    if "adjust" in raw:
        if raw["adjust"] in ADJUST_VALUES:
            kw["adjust"] = raw["adjust"]
        else:
            add("bad_adjust", value=repr(raw["adjust"]), expected=str(list(ADJUST_VALUES)), default=default.adjust)
    if "created" not in kw:
        kw["created"] = default.created
    if len(problems) > MAX_PROBLEMS:  # a huge file of bad rows: the first ones and a count, not 27 MB
        problems = problems[:MAX_PROBLEMS] + [problem("more", count=len(problems) - MAX_PROBLEMS)]
    return Scenario(**kw), problems


#: English labels of the compared settings (``compare_scenarios``'s "setting" column; the app shows
#: ``scen.cmp.<code>`` of ui/locale/*.po) and of a period's value.
COMPARE_LABELS: dict[str, str] = {
    "name": "name", "fingerprint": "fingerprint", "language": "language", "period": "period",
    "default_target": "default_target", "target": "target: {manager}", "plan": "plan: {manager} {month}",
    "kpi_target": "kpi target: {kpi} {manager}", "kpi_target_team": "kpi target: {kpi} (everybody)",
    "threshold": "threshold: {kpi}", "threshold_mode": "threshold mode: {kpi}", "weight": "weight: {kpi}",
    "mapping": "mapping: {file} {field}", "stage": "stage: {stage}", "alpha": "alpha", "min_n": "min_n",
    "adjust": "adjust", "version": "version",
    "period_custom": "custom {start} – {end}", "period_month": "month {value}", "period_quarter": "quarter {value}",
    "period_year": "year {value}",
}


def _label(code: str, /, **params: Any) -> Note:
    return note(code, COMPARE_LABELS, **params)


def _period_text(p: Mapping[str, str]) -> str | None:
    if not p:
        return None
    if p.get("kind") == "custom":
        return _label("period_custom", start=str(p.get("start")), end=str(p.get("end")))
    if p.get("kind") in ("month", "quarter", "year"):
        return _label(f"period_{p['kind']}", value=str(p.get("value")))
    return f"{p.get('kind')} {p.get('value')}"


def _flatten(s: Scenario) -> dict[str, Any]:
    out: dict[str, Any] = {_label(k): v for k, v in (("name", s.name), ("fingerprint", s.fingerprint),
                                                       ("language", s.language), ("period", _period_text(s.period)),
                                                       ("default_target", s.default_target))}
    for m, v in sorted(s.overrides.items()):
        out[_label("target", manager=str(m))] = v
    for r in sorted(s.plan_grid, key=lambda r: (str(r.get("manager")), str(r.get("month")))):
        out[_label("plan", manager=str(r.get("manager")), month=str(r.get("month")))] = r.get("target")
    for kpi, per in sorted(s.kpi_targets.items()):
        for m, v in sorted(per.items(), key=lambda kv: (kv[0] is not None, str(kv[0]))):
            out[_label("kpi_target_team", kpi=kpi) if m is None else _label("kpi_target", kpi=kpi, manager=str(m))] = v
    for kpi, v in sorted(s.thresholds.items()):
        out[_label("threshold", kpi=kpi)] = f"{v[0]:g} / {v[1]:g}"
    for kpi, v in sorted(s.threshold_mode.items()):
        out[_label("threshold_mode", kpi=kpi)] = v
    for kpi, v in sorted(s.weights.items()):
        out[_label("weight", kpi=kpi)] = v
    for fname, m in sorted(s.mapping.items()):
        for fld, h in sorted(m.items()):
            out[_label("mapping", file=str(fname), field=str(fld))] = h
    for stage, v in sorted(s.stages.items()):
        out[_label("stage", stage=str(stage))] = v
    out.update({_label(k): getattr(s, k) for k in ("alpha", "min_n", "adjust", "version")})
    return out


def compare_scenarios(a: Scenario, b: Scenario) -> pd.DataFrame:
    """The settings that differ between two scenarios: setting, a, b (None where a side lacks the setting).
    A setting (and a period's value) is a :class:`~metrics.errors.Note`: its English label, code and parameters.

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
