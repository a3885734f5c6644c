"""Message catalogues: every text a user sees, one gettext ``.po`` file per language in ``ui/locale/``.

* ``ui/locale/<code>.po`` — msgid = the text's key (``"kpi.conversion"``), msgstr = the text. A text that
  depends on a number is a plural entry (``msgid_plural``, ``msgstr[0..k]``) chosen by the catalogue's own
  ``Plural-Forms`` header (gettext's rule, e.g. Russian one / few / many). Placeholders are ``{name}``.
* Adding a language = adding one catalogue (its ``lang.name`` entry is the name shown in the language menu);
  what it lacks falls back to English.
* During the migration from ``ui/texts.py`` (key → (en, ru, uk) tuples), an entry not yet in a catalogue is
  read from texts.py; ``python -m ui.catalogues migrate`` moves every remaining entry into the catalogues
  and deletes texts.py.

No streamlit here: the report builder and the command line use the same texts as the app.
"""
from __future__ import annotations

import gettext
import io
import os
import sys
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

BASE = ("en", "ru", "uk")                       #: the order of the texts.py tuples
DEFAULT = "en"
_HERE = Path(__file__).resolve().parent


def locale_dir() -> Path:
    return Path(os.environ.get("SALESLENS_LOCALE_DIR") or _HERE / "locale")


def _legacy() -> dict[str, tuple[str, ...]]:
    """The ui/texts.py entries (empty once migrated)."""
    try:
        from .texts import TEXTS as legacy
    except ImportError:
        return {}
    return legacy


class Catalogue:
    """One loaded catalogue: singular texts, plural forms and the plural rule."""

    def __init__(self, catalog: Catalog | None):
        self.single: dict[str, str] = {}
        self.plural: dict[str, tuple[str, ...]] = {}
        self.rule = lambda n: 0 if n == 1 else 1
        if catalog is None:
            return
        header = dict(catalog.mime_headers).get("Plural-Forms", "")
        expr = next((p.split("=", 1)[1].strip().rstrip(";") for p in header.split(";")
                     if p.strip().startswith("plural=")), None)
        if expr:
            self.rule = gettext.c2py(expr)
        for m in catalog:
            if not m.id:
                continue
            if isinstance(m.id, (tuple, list)):
                forms = tuple(m.string) if isinstance(m.string, (tuple, list)) else (m.string,)
                if any(forms):
                    self.plural[m.id[0]] = forms
            elif m.string:
                self.single[m.id] = m.string


@lru_cache(maxsize=16)
def _load(code: str, folder: str) -> Catalogue:
    path = Path(folder) / f"{code}.po"
    if not path.is_file():
        return Catalogue(None)
    with path.open("rb") as fh:
        return Catalogue(read_po(fh, abort_invalid=False))


def catalogue(code: str) -> Catalogue:
    return _load(code, str(locale_dir()))


def reload() -> None:
    _load.cache_clear()


def languages() -> list[str]:
    """The three base languages, then every other language that has a catalogue (sorted)."""
    extra = sorted(p.stem for p in locale_dir().glob("*.po") if p.stem not in BASE)
    return [*BASE, *extra]


def _raw(key: str, code: str) -> str | None:
    """The singular text of ``key`` in ``code``: its catalogue, then texts.py (during the migration)."""
    got = catalogue(code).single.get(key)
    if got is not None:
        return got
    legacy = _legacy().get(key)
    if legacy is not None and code in BASE:
        return legacy[BASE.index(code)]
    return None


def has(key: str) -> bool:
    return _raw(key, DEFAULT) is not None or key in catalogue(DEFAULT).plural


def text(key: str, code: str, /, **params) -> str:
    """The text of ``key`` in language ``code`` with ``{params}`` filled in; English where the language
    lacks it; the key itself when no language has it (a bug the tests catch, never a crash)."""
    raw = _raw(key, code)
    if raw is None:
        raw = _raw(key, DEFAULT)
    if raw is None:
        forms = catalogue(code).plural.get(key) or catalogue(DEFAULT).plural.get(key)
        if forms is None:
            return key
        raw = forms[-1]
    return raw.format(**params) if params else raw


def ntext(key: str, code: str, n: int | float, /, **params) -> str:
    """The plural form of ``key`` for the number ``n`` in language ``code`` (by the catalogue's
    Plural-Forms rule); ``{n}`` is ``n`` unless the caller passes a formatted ``n`` in ``params``."""
    cat = catalogue(code)
    forms, rule = cat.plural.get(key), cat.rule
    if forms is None:
        base = catalogue(DEFAULT)
        forms, rule = base.plural.get(key), base.rule
    params.setdefault("n", n)
    if forms is None:
        return text(key, code, **params)
    whole = int(n) if float(n) == int(n) else None
    index = rule(whole) if whole is not None else len(forms) - 1     # fractions take the last form
    raw = forms[min(index, len(forms) - 1)]
    return raw.format(**params)


#: the parameter whose number picks a plural form, in order of preference
COUNT_PARAMS = ("count", "n")


def message(key: str, code: str, params: dict | None = None, /, fallback: str | None = None) -> str:
    """THE function that renders what the engine emits as a code plus parameters — errors (``err.<code>``),
    statistical warnings (``eng.<code>``), importer and data-quality notes (``warn.<code>``), scenario
    problems — in language ``code``: the plural form chosen by ``params["count"]`` (or ``n``) when the text
    is a plural entry, placeholders filled (``None`` shows as empty), ``fallback`` (the engine's English
    text) when no catalogue has the key or the template does not fit the parameters. A parameter that is itself
    a coded text (``{"key": ..., "params": {...}}``, e.g. why a file was set aside) is rendered first, the same
    way and in the same language."""
    params = {k: ("" if v is None else message(v["key"], code, v.get("params")) if _is_coded(v) else v)
              for k, v in (params or {}).items()}
    number = next((params[p] for p in COUNT_PARAMS if p in params), None)
    try:
        whole = int(float(str(number).replace("\u00a0", "").replace(",", ""))) if number not in (None, "") else None
    except ValueError:
        whole = None
    plural = key in catalogue(code).plural or key in catalogue(DEFAULT).plural
    if whole is not None and str(number).strip().lstrip("-").isdigit() and abs(whole) >= 1000:
        # a count in the language's digit grouping: "100 000 повторных выборок", not "100000"
        from babel.numbers import format_decimal
        counted = next(p for p in COUNT_PARAMS if p in params)
        params[counted] = format_decimal(whole, locale=code if code in languages() else DEFAULT)
    if plural and whole is not None:
        return _safe(lambda: ntext(key, code, whole, **params), fallback, key)
    if not has(key):
        return fallback if fallback is not None else key
    return _safe(lambda: text(key, code, **params), fallback, key)


def _is_coded(v) -> bool:
    return isinstance(v, Mapping) and isinstance(v.get("key"), str)


def _safe(make, fallback, key):
    try:
        return make()
    except (KeyError, IndexError, ValueError):
        return fallback if fallback is not None else key


def lang_name(code: str) -> str:
    return catalogue(code).single.get("lang.name") or {"en": "English", "ru": "Русский", "uk": "Українська"}.get(
        code, code)


class _Tuples(Mapping):
    """Read-only view key → (en, ru, uk) over the catalogues and texts.py — what code written against the old
    ``TEXTS`` dict (``TEXTS[key][i]``, ``key in TEXTS``) keeps working with."""

    def _keys(self) -> list[str]:
        keys = dict.fromkeys(_legacy())
        for code in BASE:
            keys.update(dict.fromkeys(catalogue(code).single))
            keys.update(dict.fromkeys(catalogue(code).plural))
        return list(keys)

    @staticmethod
    def _one(key: str, code: str) -> str | None:
        """The singular text, or a plural entry's general (last) form."""
        got = _raw(key, code)
        if got is None and key in catalogue(code).plural:
            got = catalogue(code).plural[key][-1]
        return got

    def __getitem__(self, key: str) -> tuple[str, ...]:
        values = tuple(self._one(key, code) for code in BASE)
        if values[0] is None:
            raise KeyError(key)
        return tuple(v if v is not None else values[0] for v in values)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and has(key)

    def __iter__(self):
        return iter(self._keys())

    def __len__(self) -> int:
        return len(self._keys())


TEXTS = _Tuples()


# --- the migration command -------------------------------------------------------------------------------

_PLURAL_FORMS = {"en": "nplurals=2; plural=(n != 1);",
                 "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
                       "n%100>=20) ? 1 : 2);",
                 "uk": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || "
                       "n%100>=20) ? 1 : 2);"}


def read_catalog(path: Path, code: str) -> Catalog:
    if path.is_file():
        with path.open("rb") as fh:
            return read_po(fh, abort_invalid=False)
    cat = Catalog(locale=code if code in BASE else None, project="SalesLens", fuzzy=False)
    return cat


def write_catalog(path: Path, cat: Catalog, code: str) -> None:
    buf = io.BytesIO()
    write_po(buf, cat, width=0, omit_header=False, sort_output=False, ignore_obsolete=True)
    body = buf.getvalue().decode("utf-8")
    # one stable header whatever Babel's defaults are (no dates: re-running gives the same file)
    lines, out, in_header = body.splitlines(), [], True
    for line in lines:
        if in_header and (line.startswith("#") or line.startswith('msgid ""') or line.startswith('msgstr ""')
                          or line.startswith('"')):
            continue
        in_header = False
        out.append(line)
    header = [f"# SalesLens messages: {code}. Keys are msgids; placeholders are {{name}}.",
              'msgid ""', 'msgstr ""', f'"Language: {code}\\n"', '"MIME-Version: 1.0\\n"',
              '"Content-Type: text/plain; charset=UTF-8\\n"', '"Content-Transfer-Encoding: 8bit\\n"',
              f'"Plural-Forms: {_PLURAL_FORMS.get(code, _PLURAL_FORMS["en"])}\\n"', ""]
    path.write_text("\n".join(header + out).rstrip("\n") + "\n", encoding="utf-8")


def migrate(folder: Path | None = None, texts_file: Path | None = None) -> int:
    """Move every ui/texts.py entry that no catalogue has yet into the catalogues (appended in texts.py's
    order), then delete texts.py. Returns the number of entries moved."""
    folder = folder or locale_dir()
    texts_file = texts_file or _HERE / "texts.py"
    folder.mkdir(parents=True, exist_ok=True)
    legacy = _legacy() if texts_file == _HERE / "texts.py" else legacy_entries(texts_file)
    moved = 0
    for i, code in enumerate(BASE):
        path = folder / f"{code}.po"
        cat = read_catalog(path, code)
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in cat if m.id}
        for key, values in legacy.items():
            if key in have:
                continue
            cat.add(key, values[i])
            moved += i == 0
        write_catalog(path, cat, code)
    if texts_file.is_file():
        texts_file.unlink()
    sys.modules.pop(f"{__package__}.texts", None)
    reload()
    return moved


def legacy_entries(path: Path) -> dict:
    scope: dict = {}
    exec(compile(path.read_text(encoding="utf-8"), str(path), "exec"), scope)   # noqa: S102 - our own file
    return scope["TEXTS"]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["migrate"]:
        print("usage: python -m ui.catalogues migrate   (moves ui/texts.py into ui/locale/*.po)", file=sys.stderr)
        return 2
    if not (_HERE / "texts.py").is_file():
        print("nothing to migrate: ui/texts.py is gone", file=sys.stderr)
        return 0
    n = migrate()
    print(f"moved {n} entries from ui/texts.py into {locale_dir()}/{{{','.join(BASE)}}}.po; ui/texts.py deleted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
