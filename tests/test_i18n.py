"""Every text exists in English, Russian and Ukrainian; every key used in the code is defined."""
import re
import string
from pathlib import Path

from metrics.errors import MESSAGES
from ui.texts import TEXTS

ROOT = Path(__file__).resolve().parents[1]
SOURCES = [*ROOT.glob("app.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("ui/*.py")]


def fields(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_entry_has_three_non_empty_languages_with_the_same_placeholders():
    for key, values in TEXTS.items():
        assert len(values) == 3 and all(isinstance(v, str) and v.strip() for v in values), key
        assert fields(values[0]) == fields(values[1]) == fields(values[2]), key


def test_every_literal_key_used_in_the_code_exists():
    used = set()
    for path in SOURCES:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']""", path.read_text()))
    assert used, "no keys found: the pattern is broken"
    missing = sorted(k for k in used if k not in TEXTS and not k.endswith("."))  # "x." + var: dynamic
    assert not missing, missing


def test_dynamic_key_families_are_complete():
    from metrics.kpi import LIGHT_KPIS
    pages = ["overview", "conversion", "deal_size", "activity", "plan", "retention", "compare", "data"]
    needed = [f"page.{p}" for p in pages] + [f"{p}.explain" for p in pages]
    needed += [f"kpi.{k}" for k in LIGHT_KPIS] + [f"kpi.{k}.help" for k in LIGHT_KPIS]
    needed += [f"month.{i}" for i in range(1, 13)] + [f"err.{code}" for code in MESSAGES]
    assert not [k for k in needed if k not in TEXTS]


ENGINE_WARNINGS = {  # every StatisticalWarning text of metrics/ (as the engine writes it) → its text key
    "Kaplan–Meier curve is imprecise for: A, B": "eng.km_imprecise",
    "log-rank chi-square approximation is doubtful: fewer than 5 expected events for A, B": "eng.logrank_doubtful",
    "Brunner–Munzel test undefined (the samples do not overlap); used Mann–Whitney U instead": "eng.bm_undefined",
    "conversion is over-dispersed between managers; unwidened funnel limits will flag too many": "eng.overdispersed",
    "no variation between managers beyond chance was found: every shrunk rate equals the team rate":
        "eng.full_pooling",
    "fewer than 3 managers: no prior fitted, estimates are not shrunk": "eng.no_prior",
    "Managers work very different lead sources (Cramér's V = 0.41): compare them within sources, not on overall "
    "conversion.": "eng.lead_mix",
    "only 2 working day(s) of 21 have elapsed: the run-rate forecast and its band are very uncertain":
        "eng.forecast_early",
    "fewer than 5 elapsed working days for A, B (started mid-period): their forecast is very uncertain":
        "eng.forecast_short",
    "expected counts are small (Cochran's rule), so Fisher's exact test replaced the chi-square test":
        "eng.cochran_fisher",
    "expected counts are small (Cochran's rule), so the chi-square test was replaced by a Monte Carlo "
    "Fisher–Freeman–Halton exact test (100000 resamples, seed 0)": "eng.cochran_ffh",
    "BCa bootstrap interval of the mean is undefined for these data": "eng.bca_undefined",
}


def test_engine_warnings_are_shown_in_the_readers_language(monkeypatch):
    from ui import i18n
    for code, index in (("ru", 1), ("uk", 2)):
        monkeypatch.setattr(i18n, "lang", lambda code=code: code)
        for message, key in ENGINE_WARNINGS.items():
            got = i18n.engine_warning(message)
            params = i18n._ENGINE_WARNINGS[[k for _, k in i18n._ENGINE_WARNINGS].index(key)][0].match(message)
            assert got == TEXTS[key][index].format(**params.groupdict()), (code, message)
    monkeypatch.setattr(i18n, "lang", lambda: "en")
    assert i18n.engine_warning("something new") == "something new"  # unknown: shown as it is


def test_every_engine_warning_site_has_a_translation():
    """Each warnings.warn(...) in metrics/ starts with the text of one of the messages above (a new
    warning without a translation fails here)."""
    sites = 0
    for path in (ROOT / "metrics").glob("*.py"):
        for m in re.finditer(r'warnings\.warn\(\s*(f?"[^"]*"|\w+)', path.read_text()):
            first = m.group(1)
            if first.startswith(("\"", "f\"")):
                sites += 1
                literal = first.split('"', 1)[1].split("{")[0][:24]  # the text before any parameter
                assert any(m.startswith(literal) for m in ENGINE_WARNINGS), (path.name, literal)
    assert sites >= 9
