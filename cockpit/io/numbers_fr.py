"""Cell-level parsing and formatting: text cleaning, French amounts, dates.

Pure functions on single cells, no I/O. Every parser raises `ParseError`
(a ValueError) whose `expected` / `expected_en` say, in a few words, what the
cell should have looked like; the reader adds file, line and column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

from cockpit.safe_text import safe_text

__all__ = [
    "ParseError", "clean_text", "parse_amount_cents", "parse_percent",
    "sniff_decimal", "parse_date", "parse_int", "parse_bool",
    "excel_serial_to_date", "float_to_cents", "AMOUNT_EXPECTED", "printable", "guard_formula",
    "unguard", "text_of", "convert_cell", "format_cell_fr",
]


class ParseError(ValueError):
    """A cell that does not fit its column; str() is the French `expected`."""

    def __init__(self, expected: str, expected_en: str) -> None:
        super().__init__(expected)
        self.expected = expected
        self.expected_en = expected_en


MAX_CENTS = 10**17
AMOUNT_EXPECTED = ("un montant (ex. 1 234,50)", "an amount (e.g. 1,234.50)")
_AMBIGUOUS = (
    "un montant sans séparateur ambigu (« 1.234 » : mille deux cent trente-quatre "
    "ou un virgule deux ? écrivez 1234 ou 1 234,00)",
    "an amount without an ambiguous separator ('1.234': one thousand or one point "
    "two? write 1234 or 1 234,00)",
)
_TOO_PRECISE = ("un montant avec au plus 2 décimales", "an amount with at most 2 decimals")
_NOT_PERCENT = ("un montant, pas un pourcentage", "an amount, not a percentage")
_PERCENT = ("un pourcentage (ex. 16,6 %)", "a percentage (e.g. 16.6 %)")
_DATE = ("une date jour/mois/année (ex. 03/04/2024)", "a day/month/year date (e.g. 03/04/2024)")
_INT = ("un nombre entier (ex. 12)", "a whole number (e.g. 12)")
_BOOL = ("oui ou non", "yes or no")
_DATE_RANGE = ("une date entre 1900 et 2100", "a date between 1900 and 2100")
DATE_YEARS = (1900, 2100)  # a period outside is a typo (01/01/1800), not business

# --- text -------------------------------------------------------------------



def clean_text(s: str) -> str:
    """Strip terminal escapes, control, bidi-override and zero-width characters.

    Tabs and line breaks become spaces (so words stay apart); the result is
    stripped. Nothing else is touched: "NA", "NULL", "01000" stay as written.
    """
    return safe_text(s).strip()


# --- numbers ----------------------------------------------------------------

_GROUP_CHARS = " \u00a0\u202f'\u2019"
_CURRENCY = re.compile(r"^(?:€|EUR|E)\s*|\s*(?:€|EUR|E)$", re.IGNORECASE)


def _strip_sign_and_currency(text: str) -> tuple[bool, str]:
    """Remove currency marks and one sign marker: -x, +x, x-, (x), U+2212."""
    s = text.strip().replace("\u2212", "-")
    negative = signs = 0
    while True:
        before = s
        s = _CURRENCY.sub("", s, count=1).strip()
        if len(s) >= 2 and s[0] == "(" and s[-1] == ")":
            s, negative, signs = s[1:-1].strip(), negative ^ 1, signs + 1
        elif s and s[0] in "+-":
            negative ^= s[0] == "-"
            s, signs = s[1:].strip(), signs + 1
        elif s.endswith("-"):
            s, negative, signs = s[:-1].strip(), negative ^ 1, signs + 1
        if s == before:
            break
    if signs > 1:
        raise ParseError(*AMOUNT_EXPECTED)
    return bool(negative), s


def _split_number(core: str, decimal: str) -> tuple[str, str]:
    """Split "1 234,5" into ("1234", "5") for the given decimal mark."""
    other = "." if decimal == "," else ","
    if not core or core.count(decimal) > 1:
        raise ParseError(*AMOUNT_EXPECTED)
    int_part, _, frac = core.partition(decimal)
    if len(core) > 40:  # int() refuses 4300+ digits with a bare ValueError
        raise ParseError(*AMOUNT_EXPECTED)
    if decimal in core and not (frac.isascii() and frac.isdigit()):
        raise ParseError(*AMOUNT_EXPECTED)
    if int_part.isascii() and int_part.isdigit() or (not int_part and frac):
        return int_part or "0", frac
    for sep in _GROUP_CHARS + other:
        if re.fullmatch(rf"\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+", int_part, re.ASCII):
            # "1.234" in a decimal-comma column reads as 1234 or 1,234: refuse.
            if sep == "." and decimal == "," and not frac and int_part.count(".") == 1:
                raise ParseError(*_AMBIGUOUS)
            return int_part.replace(sep, ""), frac
    raise ParseError(*AMOUNT_EXPECTED)


def parse_amount_cents(text: str, *, decimal: str = ",") -> int:
    """Parse a money amount written the French (or English) way into cents.

    Exact: digits are read as text, never through float. More than two
    decimals is refused (money), and so is a percentage.
    """
    if "%" in text:
        raise ParseError(*_NOT_PERCENT)
    negative, core = _strip_sign_and_currency(text)
    int_digits, frac = _split_number(core, decimal)
    if len(frac) > 2:
        if decimal == "," and len(frac) == 3 and len(int_digits) <= 3 and core.count(",") == 1:
            raise ParseError(*_AMBIGUOUS)
        raise ParseError(*_TOO_PRECISE)
    cents = int(int_digits) * 100 + int(frac.ljust(2, "0"))
    return _in_range(-cents if negative else cents)


def _in_range(cents: int) -> int:
    # Amounts end up in int64 columns; a quadrillion euros is a typo anyway.
    if abs(cents) >= MAX_CENTS:
        raise ParseError(*AMOUNT_EXPECTED)
    return cents


def parse_percent(text: str, *, decimal: str = ",") -> Fraction:
    """"16,6 %" -> Fraction(83, 500). Without a % sign the number is still
    read as percentage points ("16,6" -> 0.166)."""
    try:
        negative, core = _strip_sign_and_currency(text.replace("%", ""))
        int_digits, frac = _split_number(core, decimal)
    except ParseError:
        raise ParseError(*_PERCENT) from None
    value = Fraction(int(int_digits + frac), 10 ** len(frac) * 100)
    return -value if negative else value


NOT_CORE = re.compile(r"[\s€()+\-\u2212'’%]|EUR|E", re.IGNORECASE)


def sniff_decimal(cells: Iterable[str]) -> str:
    """Decide the decimal mark of a whole column: "," or ".".

    A comma followed by 1-2 final digits votes comma, a point followed by 1-2
    final digits votes point; repeated 3-digit groups vote for the other mark.
    Majority wins (the minority cells then fail one by one, with their line);
    no evidence means French, ",".
    """
    comma = point = 0
    for cell in cells:
        core = NOT_CORE.sub("", cell) if isinstance(cell, str) else ""
        if not re.fullmatch(r"[\d.,]*\d[\d.,]*", core, re.ASCII):
            continue
        if re.fullmatch(r"[\d.]*,\d{1,2}|\d{1,3}(?:\.\d{3}){2,}", core):
            comma += 1
        elif re.fullmatch(r"[\d,]*\.\d{1,2}|\d{1,3}(?:,\d{3}){2,}", core):
            point += 1
    return "." if point > comma else ","


# --- dates, integers, booleans ------------------------------------------------

_TIME = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(rf"(\d{{4}})([-/])(\d{{1,2}})\2(\d{{1,2}}){_TIME}")
_DMY = re.compile(rf"(\d{{1,2}})([/.\-])(\d{{1,2}})\2(\d{{4}}|\d{{2}}){_TIME}")
_SERIAL_RANGE = (20000, 80000)  # 1954..2119: only plausible business dates
EPOCH_1900 = dt.date(1899, 12, 30)


def excel_serial_to_date(serial: float, epoch: dt.date = EPOCH_1900) -> dt.date:
    if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1]:
        raise ParseError(*_DATE)
    return epoch + dt.timedelta(days=int(serial))


def parse_date(value: object, *, epoch: dt.date = EPOCH_1900) -> dt.date:
    """Day-first text dates, ISO dates, date/datetime objects, Excel serials,
    between 1900 and 2100."""
    day = _parse_date(value, epoch)
    if not DATE_YEARS[0] <= day.year <= DATE_YEARS[1]:
        raise ParseError(*_DATE_RANGE)
    return day


def _parse_date(value: object, epoch: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return excel_serial_to_date(value, epoch)
    text = str(value).strip()
    try:
        if m := _ISO.fullmatch(text):
            return dt.date(int(m[1]), int(m[3]), int(m[4]))
        if m := _DMY.fullmatch(text):
            year = int(m[4])
            if len(m[4]) == 2:  # Excel's own pivot: 00-29 -> 2000s
                year += 2000 if year < 30 else 1900
            return dt.date(year, int(m[3]), int(m[1]))
        if text.isascii() and text.isdigit() and len(text) == 5:
            return excel_serial_to_date(int(text), epoch)
    except ValueError:  # 31/02/2024
        pass
    raise ParseError(*_DATE)


def parse_int(value: object) -> int:
    if isinstance(value, bool):
        raise ParseError(*_INT)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ParseError(*_INT)
    text = re.sub(r"[ \u00a0\u202f]", "", str(value))
    if re.fullmatch(r"[+-]?\d{1,18}", text, re.ASCII):
        return int(text)
    raise ParseError(*_INT)


_TRUE = {"oui", "o", "yes", "y", "1", "x", "vrai", "true"}
_FALSE = {"non", "n", "no", "0", "", "faux", "false"}


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ParseError(*_BOOL)


def float_to_cents(value: float) -> int:
    """Cents from a spreadsheet float, tolerating binary noise only.

    1234.5600000000002 (a SUM in Excel) is 123456 cents; 12.345 is refused.
    """
    if not math.isfinite(value):
        raise ParseError(*AMOUNT_EXPECTED)
    exact = Decimal(repr(value)) * 100
    rounded = exact.to_integral_value()
    # Float noise stays far below 1e-4 cent for any realistic amount, while a
    # real third decimal is at least 1e-3 cent away from a whole cent.
    if abs(exact - rounded) > Decimal("1e-4"):
        raise ParseError(*_TOO_PRECISE)
    return int(rounded)


# --- whole cells: typed conversion, display, export ---------------------------

def printable(text: str, limit: int = 60) -> str:
    """Escape invisible characters and shorten, so a message cannot drive the terminal."""
    out = "".join(
        ch if unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp") else f"\\u{ord(ch):04x}"
        for ch in text[: limit + 1]
    )
    return out if len(text) <= limit else out[: limit - 1] + "…"


_FORMULA_START = re.compile(r"'*[=+\-@\t\r\n]")


def guard_formula(text: str) -> str:
    """CSV injection guard: a spreadsheet would run "=HYPERLINK(...)"; a leading
    quote makes it text. Quotes already there get one more, so `unguard`
    gives back exactly the original."""
    return "'" + text if _FORMULA_START.match(text) else text


def unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and _FORMULA_START.match(text[1:]) else text


def text_of(value: object) -> str:
    """Text of a typed spreadsheet value, as a French user would type it."""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if value.time() != dt.time() else "%d/%m/%Y")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return clean_text(str(value))


def convert_cell(type_: str, value: object, *, decimal: str = ",", epoch: dt.date = EPOCH_1900) -> object:
    """One non-empty cell (text, or a typed XLSX value) to its field type:
    "text" -> str, "amount" -> int cents, "int", "date", "bool"."""
    if type_ == "text":
        return value if isinstance(value, str) else text_of(value)
    if type_ == "date":
        return parse_date(value, epoch=epoch)
    if type_ == "int":
        return parse_int(value)
    if type_ == "bool":
        return parse_bool(value)
    if isinstance(value, str):
        return parse_amount_cents(value, decimal=decimal)
    if isinstance(value, int) and not isinstance(value, bool):
        return _in_range(value * 100)
    if isinstance(value, float):
        return _in_range(float_to_cents(value))
    raise ParseError(*AMOUNT_EXPECTED)  # a date or boolean where money was expected


def format_cell_fr(value: object) -> str:
    """Export form: decimal comma, day-first dates, oui/non, guarded text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return guard_formula(str(value))
