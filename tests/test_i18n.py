"""Every text exists in English, Russian and Ukrainian; every key used in the code is defined."""
import re
import string
from pathlib import Path

from metrics.errors import MESSAGES
from ui.catalogues import TEXTS

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



def _warning_calls():
    """Every ``StatisticalWarning(...)`` constructed in metrics/: (file, line, code, keyword names)."""
    import ast
    for path in sorted((ROOT / "metrics").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "StatisticalWarning":
                code = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else None
                yield path.name, node.lineno, code, {k.arg for k in node.keywords}


def test_every_engine_warning_has_a_code_and_a_three_language_text():
    """A new statistical warning without a code or a translation fails here; the placeholders of its
    text are exactly the parameters the engine passes."""
    calls = list(_warning_calls())
    assert len(calls) >= 12
    for name, line, code, keys in calls:
        assert code and f"eng.{code}" in TEXTS, (name, line, code)
        assert fields(TEXTS[f"eng.{code}"][0]) == keys, (name, line, code, keys)


def test_engine_warnings_are_shown_in_the_readers_language(monkeypatch):
    import warnings

    from metrics.errors import StatisticalWarning
    from ui import i18n
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.warn(StatisticalWarning("expected counts are small (Cochran's rule), so the chi-square test was "
                                         "replaced by a Monte Carlo Fisher–Freeman–Halton exact test (100000 "
                                         "resamples, seed 0)", "cochran_ffh", n=100000, seed=0))
        warnings.warn(StatisticalWarning("Kaplan–Meier curve is imprecise for: A, B", "km_imprecise", who="A, B"))
        warnings.warn(StatisticalWarning("something new"))
        warnings.warn("not a statistical warning", UserWarning)
    entries = i18n.engine_warnings(caught)
    assert [e[2] for e in entries] == sorted([str(w.message) for w in caught][:3])  # only statistical ones
    for code, index in (("ru", 1), ("uk", 2)):
        monkeypatch.setattr(i18n, "lang", lambda code=code: code)
        shown = {e[0]: i18n.engine_warning(e) for e in entries}
        assert shown["cochran_ffh"] == TEXTS["eng.cochran_ffh"][index].format(n="100\u00a0000", seed="0")  # grouped
        assert shown["km_imprecise"] == TEXTS["eng.km_imprecise"][index].format(who="A, B")
        assert shown[""] == "something new"  # no code: shown as the engine wrote it
