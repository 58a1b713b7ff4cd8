"""A contact's email and phone as a rep types them (METHOD §5, the
qualification record): checked for their form, kept as typed otherwise.
A typo caught here is a call or a mail that reaches the prospect."""

from __future__ import annotations

import re

from cockpit.io.numbers_fr import ParseError

EMAIL_EXPECTED = ("une adresse email (ex. prenom.nom@societe.fr)", "an email address (e.g. first.last@company.com)")
PHONE_EXPECTED = ("un numéro de téléphone : 6 à 15 chiffres, espaces, points, tirets, + en tête "
                  "(ex. 03 87 12 34 56 ou +33 3 87 12 34 56)",
                  "a phone number: 6 to 15 digits, spaces, dots, dashes, a leading + "
                  "(e.g. 03 87 12 34 56 or +33 3 87 12 34 56)")

# One @, something before it, a dotted domain after it, no spaces: the form, not deliverability.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")
_PHONE = re.compile(r"\+?[\d\s.\-/()]+")


def parse_email(text: str) -> str:
    text = text.strip()
    if not _EMAIL.fullmatch(text):
        raise ParseError(*EMAIL_EXPECTED)
    return text


def parse_phone(text: str) -> str:
    """As typed (spaces kept: the rep reads it back); 6 to 15 digits (E.164's most)."""
    text = text.strip()
    digits = sum(ch.isdigit() for ch in text)
    if not _PHONE.fullmatch(text) or not 6 <= digits <= 15:
        raise ParseError(*PHONE_EXPECTED)
    return text
