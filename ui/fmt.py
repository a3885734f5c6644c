"""Number formatting per language: thousands separators, decimal comma, percentages, currency."""
from __future__ import annotations

import functools
import math
from contextvars import ContextVar

import pandas as pd

NBSP = "\u00a0"
DASH = "—"


def _missing(x) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))


def num(x, lang: str = "en", digits: int = 0) -> str:
    """12345.6 → '12,346' (en) / '12 346' (ru, uk); digits after the point as asked."""
    if _missing(x):
        return DASH
    s = f"{float(x):,.{digits}f}"
    if lang in ("ru", "uk"):
        s = s.replace(",", NBSP).replace(".", ",")
    return s


def pct(x, lang: str = "en", digits: int = 1) -> str:
    """0.253 → '25.3%' (en) / '25,3%' (ru, uk)."""
    return DASH if _missing(x) else num(100 * float(x), lang, digits) + "%"


#: the loaded data's currency (ISO 4217 code) for this script run; None = the data has none (neutral format).
#: Set once per run by ui.context.run (a ContextVar: each session's script thread has its own).
_SCREEN_CURRENCY: ContextVar[str | None] = ContextVar("screen_currency", default=None)


def use_currency(code: str | None) -> None:
    """Make ``code`` (the data's own currency, None when it has none) the one money values are shown in."""
    _SCREEN_CURRENCY.set(code.upper() if code else None)


def screen_currency() -> str | None:
    return _SCREEN_CURRENCY.get()


def currency_label(code: str | None, lang: str) -> str:
    """The currency's sign as Babel (CLDR) writes it in ``lang`` ("$", "US$", "€"); hryvnia as "грн" in
    Russian / Ukrainian, as people write it; "" when there is no currency (neutral format)."""
    if not code:
        return ""
    return currency_label_of(code.upper(), lang)


@functools.lru_cache(maxsize=256)
def currency_label_of(code: str, lang: str) -> str:
    """:func:`currency_label` of an upper-case code, once per (code, language): Babel's lookup is the same
    every time (CLDR data), and a table of money values asked for it per cell."""
    if code == "UAH" and lang in ("ru", "uk"):
        return "грн"
    from babel.numbers import get_currency_symbol
    try:
        return get_currency_symbol(code, locale=lang)
    except Exception:  # an unknown locale: the ISO code
        return code


@functools.lru_cache(maxsize=64)
def sign_first(lang: str) -> bool:
    """Whether ``lang``'s standard currency pattern (CLDR, via Babel) puts the sign before the number."""
    try:
        from babel import Locale
        pattern = Locale.parse(lang).currency_formats["standard"].pattern
    except Exception:
        pattern = "#,##0.00\xa0¤"
    return pattern.split(";")[0].strip().startswith("¤")


def money(x, lang: str = "en", digits: int = 0, currency: str | None = None) -> str:
    """An amount in its currency, placed per language by Babel (CLDR pattern): 12345 USD → '$12,345' (en),
    '12 345 $' (ru); UAH → 'UAH 12,345' (en) / '12 345 грн' (ru, uk). ``currency`` an ISO code; None = the
    loaded data's own (``use_currency``); no currency at all → the plain number (never a made-up one)."""
    if _missing(x):
        return DASH
    code = (currency or screen_currency() or "").upper()
    body = num(x, lang, digits)
    if not code:
        return body
    sign = currency_label(code, lang)
    if sign_first(lang):
        gap = NBSP if sign[-1:].isalpha() else ""
        return f"{'-' if float(x) < 0 else ''}{sign}{gap}{num(abs(float(x)), lang, digits)}"
    return f"{body}{NBSP}{sign}"


def money_unit(lang: str, currency: str | None = None) -> str:
    """The currency sign a title or card label names (", $"), "" when the data has no currency."""
    sign = currency_label(currency or screen_currency(), lang)
    return f", {sign}" if sign else ""


def signed(x, lang: str, kind: str, currency: str | None = None) -> str:
    """A change with its sign: +2.5 pp, −1,200 UAH, +3."""
    if _missing(x):
        return DASH
    a = abs(float(x))
    shown = round(100 * a, 1) if kind == "pct" else round(a, 1 if kind == "num1" else 0)
    sign = "±" if shown == 0 else ("+" if x > 0 else "-")  # ASCII minus: st.metric reads the sign
    if kind == "pct":
        return f"{sign}{num(100 * a, lang, 1)}{NBSP}pp" if lang == "en" else f"{sign}{num(100 * a, lang, 1)}{NBSP}п.п."
    if kind == "money":
        return sign + money(a, lang, currency=currency)
    return sign + num(a, lang, 1 if kind == "num1" else 0)


FORMATTERS = {
    "int": lambda x, lang: num(x, lang, 0),
    "num1": lambda x, lang: num(x, lang, 1),
    "num2": lambda x, lang: num(x, lang, 2),
    "pct": lambda x, lang: pct(x, lang, 1),
    "money": lambda x, lang: money(x, lang, 0),
    "p": lambda x, lang: DASH if _missing(x) else ("<" + num(0.001, lang, 3) if x < 0.001 else num(x, lang, 3)),
}


def format_value(x, kind: str, lang: str) -> str:
    return FORMATTERS[kind](x, lang)


def compact(x, lang: str = "en") -> str:
    """Short amounts for cards: 49,870 → '49.9K' / '49,9 тыс.' / '49,9 тис.'."""
    if _missing(x):
        return DASH
    x = float(x)
    units = {"en": ("K", "M"), "ru": ("тыс.", "млн"), "uk": ("тис.", "млн")}[lang if lang in ("ru", "uk") else "en"]
    if abs(x) >= 1e6:
        body = num(x / 1e6, lang, 2) + (units[1] if lang == "en" else NBSP + units[1])
    elif abs(x) >= 1e4:
        body = num(x / 1e3, lang, 1) + (units[0] if lang == "en" else NBSP + units[0])
    else:
        body = num(x, lang, 0)
    return body


# --- auth: text from files is inert (issue #14, finding 6) ---
import re as _re  # noqa: E402

#: everything Streamlit's Markdown (labels, captions, alerts, expanders) gives a meaning to: links and images
#: ([ ] ( ) !), HTML (< >), emphasis (* _ ~), code (`), headings (#), tables (|), LaTeX ($), entities (&),
#: colour/badge directives and icons (:red[...], :material/x:), bare-URL autolinks (http://, www.) and the
#: escape character itself
MD_SPECIAL = "\\`*[]()<>#|$!~&{}:"        # and "_" unless inside a word (intraword "_" never emphasises)
_MD_ESCAPE = {ord(c): "\\" + c for c in MD_SPECIAL}
_LIST_START = _re.compile(r"^(\s*)(?:([-+=])|(\d+)([.)]))(?=\s|$)")
_WWW = _re.compile(r"(?i)\b(www)\.")
_UNDERSCORE = _re.compile(r"(?<![^\W_])_|_(?![^\W_])")    # an "_" not between two letters/digits


def inert(value) -> str:
    """``value`` as literal text for any Streamlit element that renders Markdown: every special character
    backslash-escaped (CommonMark), line breaks and control characters made spaces (no headings, lists or
    blocks), a leading list/heading marker escaped. Use it for every text that comes from a file — manager,
    client and stage names, file names, headers, quoted values — before it goes into st.markdown,
    st.caption, st.error/warning/info, an expander or a widget label. Shown, it reads exactly as ``value``."""
    text = "" if value is None else str(value)
    text = "".join(" " if (not ch.isprintable() and ch != " ") else ch for ch in text)
    text = _WWW.sub(r"\1\\.", _UNDERSCORE.sub(r"\\_", text.translate(_MD_ESCAPE)))
    return _LIST_START.sub(lambda m: m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}"),
                           text)
