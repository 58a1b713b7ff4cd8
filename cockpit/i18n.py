"""Messages and number formats, one catalogue per language: the folder
``locales/<lang>/`` (one file per screen, merged; a key defined twice is an error).

French is the default. Every string the UI shows goes through ``t``; money,
percentages and dates through the formatters below: CLDR's formats, as Babel
writes them (tests hold every one against Babel's own output).
"""

from __future__ import annotations

import datetime as dt
import os
import math
import sys
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from cockpit.safe_text import safe_text

if TYPE_CHECKING:
    from babel import Locale
    from babel.numbers import NumberPattern

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LANGS = ("fr", "en")
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
_current = "fr"


@cache
def catalogue(lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((Path(__file__).with_name("locales") / lang).glob("*.toml")):
        with path.open("rb") as f:
            part = tomllib.load(f)
        twice = set(part) & set(merged)
        if twice:
            raise ValueError(f"{path}: keys already defined in another file: {sorted(twice)}")
        merged.update(part)
    return merged


def lang_from_env() -> str | None:
    """'en' for LANG=en_US.UTF-8 and the like; None when it says nothing we speak."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value[:2] in LANGS:
            return value[:2]
    return None


def set_lang(lang: str) -> None:
    global _current
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: expected one of {LANGS}")
    _current = lang


def current() -> str:
    return _current


def t(key: str, **values: object) -> str:
    """The message ``key``; a text value is data (a name, a path, a reason read
    from a file) and passes the output sanitiser on its way into the sentence."""
    text = catalogue(_current).get(key)
    if text is None:
        raise KeyError(f"message {key!r} missing from the {_current} catalogue")
    if not values:
        return text
    return text.format(**{k: safe_text(v) if isinstance(v, str) else v for k, v in values.items()})


def both(key: str, **values: object) -> tuple[str, str]:
    """The message ``key`` in French and in English (an input error carries both)."""
    before = _current
    try:
        return tuple(_in(lang, key, values) for lang in LANGS)  # type: ignore[return-value]  # two languages
    finally:
        set_lang(before)


def _in(lang: str, key: str, values: dict[str, object]) -> str:
    set_lang(lang)
    return t(key, **values)


def _margin(key: str, amount_field: str) -> str:
    """``key``, or its margin wording (``key.margin``, itself plain or plural)
    when margin is what is shown (METHOD §1)."""
    margin = key + ".margin"
    if amount_field == "margin" and any(k in catalogue(_current) for k in (margin, margin + ".other")):
        return margin
    return key


def tm(key: str, amount_field: str, **values: object) -> str:
    """``t`` of ``key``, in its margin wording (``key.margin``) when margin is what is shown (METHOD §1)."""
    return t(_margin(key, amount_field), **values)


def singular(n: float) -> bool:
    """French puts 0 and 1 (and 1,5) in the singular ("0 client"), English only 1."""
    return abs(n) < 2 if _current == "fr" else n == 1


def plural(key: str, count: float, /, **values: object) -> str:
    """The one way a count meets a noun: the message ``key.one`` or
    ``key.other``, as ``count`` takes the singular in the language
    ("0 ligne", "1 line", "2 lines"). Every such message of the catalogues
    has both forms (tests/test_screen_words.py walks them)."""
    return t(f"{key}.{'one' if singular(count) else 'other'}", **values)


def tn(key: str, count: float, amount_field: str = "revenue", **values: object) -> str:
    """``plural`` of ``key`` in its margin wording when margin is shown."""
    return plural(_margin(key, amount_field), count, **values)


def counted(word: str, count: float, digits: int = 0) -> str:
    """"3 contacts", "1 client": a count and its noun (``count.<word>``), for a
    sentence that holds several counts, each agreeing with its own."""
    return plural(f"count.{word}", count, n=number(count, digits) if math.isfinite(count) else "∞")


def noun(n: float, word: str) -> str:
    """'client' or 'clients' (``noun.<word>``, plural forms) as ``n`` asks."""
    return plural(f"noun.{word}", n)


@cache
def _pattern(lang: str, pattern: str) -> tuple[NumberPattern, Locale]:
    """Babel's parsed pattern and locale, once: tables format thousands of cells."""
    from babel import Locale
    from babel.numbers import parse_pattern

    return parse_pattern(pattern), Locale.parse(_LOCALES[lang])


def _babel_money(cents: int, decimals: bool, lang: str | None = None) -> str:
    lang = lang or _current
    if lang == "fr":
        # A no-break space before the sign: "942 805 €" never wraps before "€".
        fmt = "#,##0.00\u00a0¤" if decimals else "#,##0\u00a0¤"
    else:
        fmt = "¤#,##0.00" if decimals else "¤#,##0"
    amount = Fraction(int(cents), 100)
    value = float(amount) if decimals else round(amount)
    pattern, locale = _pattern(lang, fmt)
    return str(pattern.apply(value, locale, currency="EUR", currency_digits=False))


def _babel_pct(share: float, digits: int, lang: str | None = None) -> str:
    lang = lang or _current
    fmt = ("#,##0." + "0" * digits if digits else "#,##0") + ("\u00a0%" if lang == "fr" else "%")
    pattern, locale = _pattern(lang, fmt)
    return str(pattern.apply(float(share), locale))


# (prefix, suffix, negative prefix, negative suffix, group, decimal) of each
# language's money and percentages: CLDR's, as Babel writes them. Kept here
# rather than read off Babel at run time: Babel's locale data costs ~30 ms,
# which the first frame would wait for (tests/test_columnar_read.py reads
# them off Babel's own output and checks they agree). A table formats
# thousands of cells; Babel takes ~12 µs each, these ~1 µs.
_SHAPES: dict[tuple[str, str], tuple[str, str, str, str, str, str]] = {
    ("fr", "money"): ("", "\u00a0€", "-", "\u00a0€", "\u202f", ","),
    ("fr", "pct"): ("", "\u00a0%", "-", "\u00a0%", "\u202f", ","),
    ("en", "money"): ("€", "", "-€", "", ",", "."),
    ("en", "pct"): ("", "%", "-", "%", ",", "."),
}


def _shape(lang: str, kind: str) -> tuple[str, str, str, str, str, str]:
    # The language is passed down, never switched: other threads format meanwhile.
    return _SHAPES[(lang, kind)]


def _grouped(whole: int, group: str) -> str:
    return f"{whole:,}".replace(",", group)


def money(cents: int, *, decimals: bool = False) -> str:
    """Euros in the language's format, e.g. "1 061 077 €" or "€1,061,077"."""
    cents = int(cents)
    prefix, suffix, n_prefix, n_suffix, group, dec = _shape(_current, "money")
    if decimals:
        whole, rest = divmod(abs(cents), 100)
        body = f"{_grouped(whole, group)}{dec}{rest:02d}"
        negative = cents < 0
    else:
        whole, rest = divmod(cents, 100)
        if rest > 50 or rest == 50 and whole % 2:  # half to even, as round(Fraction) does
            whole += 1
        body, negative = _grouped(abs(whole), group), whole < 0
    return f"{n_prefix}{body}{n_suffix}" if negative else f"{prefix}{body}{suffix}"


def pct(share: float | Fraction, digits: int = 1) -> str:
    share = float(share)
    if not math.isfinite(share):
        return _babel_pct(share, digits)
    prefix, suffix, n_prefix, n_suffix, group, dec = _shape(_current, "pct")
    # Babel's arithmetic: the float's shortest decimal, × 100, rounded half to even.
    value = Decimal(repr(share)).scaleb(2).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    body = format(abs(value), ",f").translate({ord(","): group, ord("."): dec})
    return f"{n_prefix}{body}{n_suffix}" if value.is_signed() else f"{prefix}{body}{suffix}"


def _babel_number(value: float, digits: int = 0, lang: str | None = None) -> str:
    pattern, locale = _pattern(lang or _current, "#,##0" + ("." + "0" * digits if digits else ""))
    return str(pattern.apply(value, locale))


def imported(kind: str, count: int, path: object) -> str:
    """"2 000 000 lignes de vente importées dans …": the CLI's and the app's words."""
    return plural(f"cli.done.{kind}", count, count=number(count), path=str(path))


def number(value: float, digits: int = 0) -> str:
    """A count or a figure in the language's format ("1 234", "12,5"), as Babel
    writes it (its arithmetic: the value's shortest decimal, rounded half to even)."""
    if isinstance(value, float) and not math.isfinite(value):
        return _babel_number(value, digits)
    *_, group, dec = _shape(_current, "pct")
    exact = Decimal(int(value)) if isinstance(value, int) else Decimal(repr(float(value)))
    rounded = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    body = format(abs(rounded), ",f").translate({ord(","): group, ord("."): dec})
    return f"-{body}" if rounded.is_signed() else body


def month(label: str) -> str:
    """A month 'YYYY-MM' in the language's words: "nov. 2026", "Nov 2026"."""
    from babel.dates import format_date

    year, mon = map(int, label[:7].split("-"))
    return format_date(dt.date(year, mon, 1), "MMM y", locale=_LOCALES[_current])


def axis_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top`` (1, 2 or 5 times a power of ten apart)."""
    if top <= 0:
        return [0.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(math.ceil(top / step - 1e-9)) + 1)]


def date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y") if _current == "fr" else value.isoformat()
