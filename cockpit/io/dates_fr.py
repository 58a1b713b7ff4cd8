"""A next-action date as a rep types it, French or English, relative to ``today``.

``25/12`` (next 25 December, today included), ``25/12/2026``, ``25/12/26``,
``2026-12-25``, ``+3j`` / ``+3d`` (days), ``+2s`` / ``+2w`` (weeks),
``+1m`` (months), ``lundi`` / ``monday`` / ``lun`` / ``mon`` (the next one,
never today), ``aujourd'hui`` / ``today``, ``demain`` / ``tomorrow``,
``après-demain``. Anything else raises ParseError saying what was expected.
A next action is today or later: a past date (``01/01/2020``, ``hier``) is
refused the same way whichever form it was typed in (``PastDate``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata

from cockpit.io.numbers_fr import ParseError, parse_date

EXPECTED = ("une date : 25/12, 25/12/2026, +3j, +2s, +1m, lundi, demain",
            "a date: 25/12, 25/12/2026, +3d, +2w, +1m, monday, tomorrow")

PAST = ("une date d'aujourd'hui ou après (une prochaine action n'est pas dans le passé) : 25/12, +3j, lundi, demain",
        "today or a later date (a next action is not in the past): 25/12, +3d, monday, tomorrow")


class PastDate(ParseError):
    """A date before today where a next action is asked for."""

    def __init__(self) -> None:
        super().__init__(*PAST)


_WEEKDAYS = {
    0: ("lundi", "lun", "monday", "mon"),
    1: ("mardi", "mar", "tuesday", "tue", "tues"),
    2: ("mercredi", "mer", "wednesday", "wed"),
    3: ("jeudi", "jeu", "thursday", "thu", "thurs"),
    4: ("vendredi", "ven", "friday", "fri"),
    5: ("samedi", "sam", "saturday", "sat"),
    6: ("dimanche", "dim", "sunday", "sun"),
}
_WEEKDAY = {name: day for day, names in _WEEKDAYS.items() for name in names}
_NAMED = {"aujourdhui": 0, "auj": 0, "today": 0, "demain": 1, "tomorrow": 1, "apresdemain": 2,
          "hier": -1, "yesterday": -1, "avanthier": -2}
_UNITS = {
    "j": "d", "jour": "d", "jours": "d", "d": "d", "day": "d", "days": "d", "": "d",
    "s": "w", "sem": "w", "semaine": "w", "semaines": "w", "w": "w", "week": "w", "weeks": "w",
    "m": "m", "mois": "m", "month": "m", "months": "m",
}
_RELATIVE = re.compile(r"\+\s*(\d{1,4})\s*([a-z]*)")
_DAY_MONTH = re.compile(r"(\d{1,2})[/.-](\d{1,2})")


def _plain(text: str) -> str:
    """Lower case, no accents, no apostrophes or spaces: "Après-demain" -> "apresdemain"."""
    s = unicodedata.normalize("NFKD", text.strip().lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[\s'’-]", "", s).removesuffix(".")


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day of the month, or the month's last day (31/01 + 1 month = 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse_next_date(text: str, today: dt.date) -> dt.date:
    """The date ``text`` names, today or later; PastDate for an earlier one."""
    day = _parse(text, today)
    if day < today:
        raise PastDate()
    return day


def _parse(text: str, today: dt.date) -> dt.date:
    raw = text.strip()
    key = _plain(raw)
    if not key:
        raise ParseError(*EXPECTED)
    if key in _NAMED:
        return today + dt.timedelta(days=_NAMED[key])
    if key in _WEEKDAY:
        ahead = (_WEEKDAY[key] - today.weekday()) % 7 or 7
        return today + dt.timedelta(days=ahead)
    if m := _RELATIVE.fullmatch(raw.lower()):
        count, unit = int(m[1]), _UNITS.get(_plain(m[2]))
        if unit == "d":
            return today + dt.timedelta(days=count)
        if unit == "w":
            return today + dt.timedelta(weeks=count)
        if unit == "m":
            return add_months(today, count)
        raise ParseError(*EXPECTED)
    if m := _DAY_MONTH.fullmatch(raw):
        day, month = int(m[1]), int(m[2])
        for year in range(today.year, today.year + 5):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:  # 29/02 in a common year: the next leap year
                continue
            if candidate >= today:
                return candidate
        raise ParseError(*EXPECTED)
    try:
        return parse_date(raw)
    except ParseError:
        raise ParseError(*EXPECTED) from None
