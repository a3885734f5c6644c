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
