"""Messages and number formats, one catalogue per language: the folder
``locales/<lang>/`` (one file per screen, merged; a key defined twice is an error).

French is the default. Every string the UI shows goes through ``t``; money,
percentages and dates through the formatters below (Babel, not hand-written).
"""

from __future__ import annotations

import datetime as dt
import os
from fractions import Fraction
from functools import cache
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # pragma: no cover
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
    text = catalogue(_current).get(key)
    if text is None:
        raise KeyError(f"message {key!r} missing from the {_current} catalogue")
    return text.format(**values) if values else text


@cache
def _pattern(lang: str, pattern: str):
    """Babel's parsed pattern and locale, once: tables format thousands of cells."""
    from babel import Locale
    from babel.numbers import parse_pattern

    return parse_pattern(pattern), Locale.parse(_LOCALES[lang])


def money(cents: int, *, decimals: bool = False) -> str:
    if _current == "fr":
        # A no-break space before the sign: "942 805 €" never wraps before "€".
        fmt = "#,##0.00\u00a0¤" if decimals else "#,##0\u00a0¤"
    else:
        fmt = "¤#,##0.00" if decimals else "¤#,##0"
    amount = Fraction(int(cents), 100)
    value = float(amount) if decimals else round(amount)
    pattern, locale = _pattern(_current, fmt)
    return pattern.apply(value, locale, currency="EUR", currency_digits=False)


def pct(share: float | Fraction, digits: int = 1) -> str:
    fmt = ("#,##0." + "0" * digits if digits else "#,##0") + ("\u00a0%" if _current == "fr" else "%")
    pattern, locale = _pattern(_current, fmt)
    return pattern.apply(float(share), locale)


def number(value: float, digits: int = 0) -> str:
    pattern, locale = _pattern(_current, "#,##0" + ("." + "0" * digits if digits else ""))
    return pattern.apply(value, locale)


def date(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y") if _current == "fr" else value.isoformat()
