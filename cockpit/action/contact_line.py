"""One line a rep types after a contact: its outcome, the next action's date
and the next action, e.g. ``r +3j Rappeler pour le devis`` (appointment,
in three days, "Rappeler pour le devis"). French or English words; the date
in any form a next action takes (``cockpit.io.dates_fr``). The date and the
text are optional; a word that starts like a date (a digit, a +) must be one."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cockpit.io.dates_fr import parse_next_date
from cockpit.io.numbers_fr import ParseError

OUTCOME_EXPECTED = ("un résultat en tête : c (commande), r (rendez-vous) ou n (rien), puis la date et l'action "
                    "(ex. r +3j Rappeler)",
                    "an outcome first: o (order), a (appointment) or n (nothing), then the date and the action "
                    "(e.g. a +3d Call back)")

# Outcomes as stored by the visit log (cockpit.activity.suggest): commande, rdv, rien.
_OUTCOMES = {"c": "commande", "cde": "commande", "commande": "commande", "o": "commande", "order": "commande",
             "r": "rdv", "rdv": "rdv", "rendez-vous": "rdv", "a": "rdv", "appointment": "rdv", "appt": "rdv",
             "n": "rien", "rien": "rien", "-": "rien", "nothing": "rien", "none": "rien", "aucun": "rien"}
_DATE_LIKE = re.compile(r"[+\d]")


@dataclass(frozen=True)
class ContactLine:
    outcome: str  # commande | rdv | rien
    date: dt.date | None  # the next action's date, today or later
    action: str  # the next action, as typed


def parse_contact_line(text: str, today: dt.date) -> ContactLine:
    """``outcome [date] [action]``; ParseError saying what was expected."""
    words = text.split()
    if not words or words[0].casefold() not in _OUTCOMES:
        raise ParseError(*OUTCOME_EXPECTED)
    outcome, rest = _OUTCOMES[words[0].casefold()], words[1:]
    # Two words first ("après demain", "25 /12" is not a form): the longest date wins.
    for size in (2, 1):
        if len(rest) >= size:
            try:
                day = parse_next_date(" ".join(rest[:size]), today)
            except ParseError:
                if size == 1 and _DATE_LIKE.match(rest[0]):
                    raise  # "+3x", "32/01", a past date: said, never taken as the action's text
                continue
            return ContactLine(outcome, day, " ".join(rest[size:]))
    return ContactLine(outcome, None, " ".join(rest))
