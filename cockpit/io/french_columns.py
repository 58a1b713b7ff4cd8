"""French cells cleaned and parsed a column at a time (pyarrow compute, RE2).

The same results as the per-cell rules of `cockpit.io.numbers_fr` (tested so
with hypothesis in tests/test_io_fast.py): the usual forms are recognised by
a few regular expressions and converted in bulk; any other cell goes through
the per-cell function itself, so an odd cell is never guessed. A column only
says *whether* it holds a bad cell: which one, and the sentence, come from the
reference reader (`cockpit.io.stream_read`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.io.cell_patterns import SPACE, SUSPECT as _SUSPECT, plain_amount, re_escape, suspect_in_rows
from cockpit.io.numbers_fr import ParseError, clean_text, parse_amount_cents, parse_date, parse_int, unguard

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]


# UTF-8 bytes that may begin a character of SPACE or INVISIBLE: controls, DEL, and the
# lead bytes of every non-ASCII one (C2: U+0080-00BF; D8 DB DC: Arabic and Syriac marks;
# E0 E1 E2 E3 EF: the other marks and spaces; F0 F3: the planes beyond). French letters
# (lead C3, C5) are not among them: most columns are passed by one look at their bytes.
_MAYBE = np.zeros(256, dtype=bool)
_MAYBE[list(range(0x20)) + [0x7F, 0xC2, 0xD8, 0xDB, 0xDC, 0xE0, 0xE1, 0xE2, 0xE3, 0xEF, 0xF0, 0xF3]] = True


def _maybe_suspect(column: pa.Array) -> Bools | None:
    """Cells that may match _SUSPECT (a superset), or None: none can."""
    text = column.cast(pa.large_string())
    _, offsets, data = text.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64, count=len(text) + 1, offset=8 * text.offset)
    raw = np.frombuffer(data, dtype=np.uint8)[int(ends[0]):int(ends[-1])] if data is not None else np.zeros(0, np.uint8)
    ends = ends - ends[0]
    filled = ends[1:] > ends[:-1]
    first = np.zeros(len(text), dtype=bool)
    starts = raw[ends[:-1][filled]]
    first[filled] = (starts == ord("'")) | (starts == ord(" "))
    last = np.zeros(len(text), dtype=bool)
    last[filled] = raw[ends[1:][filled] - 1] == ord(" ")
    out = first | last
    hits = np.flatnonzero(_MAYBE[raw])
    if len(hits):
        out[np.searchsorted(ends, hits, side="right") - 1] = True
    return out if out.any() else None


def chunk_is_clean(data: bytes, sep: str) -> bool:
    """Whether no cell of a quote-free chunk (rows ended by \n or \r\n, cells
    split by ``sep``) may match _SUSPECT: one regular expression over the
    chunk's bytes instead of a look at each column."""
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64))
    whole = pa.Array.from_buffers(pa.large_utf8(), 1, [None, offsets, pa.py_buffer(data)])
    return not pc.match_substring_regex(whole, suspect_in_rows(sep))[0].as_py()


def clean(column: pa.Array) -> pa.Array:
    """`clean_text(unguard(cell))` of every cell."""
    maybe = _maybe_suspect(column)
    if maybe is None:
        return column
    suspect = np.zeros(len(column), dtype=bool)
    where = np.flatnonzero(maybe)
    suspect[where] = np.asarray(pc.match_substring_regex(pc.take(column, pa.array(where)), _SUSPECT)
                                .to_numpy(zero_copy_only=False), dtype=bool)
    if not suspect.any():
        return column
    suspect = pa.array(suspect)
    fixed = [clean_text(unguard(c)) for c in pc.filter(column, suspect).to_pylist()]
    return pc.replace_with_mask(column, suspect, pa.array(fixed, pa.string()))


def blank(column: pa.Array) -> Bools:
    return np.asarray(pc.equal(pc.binary_length(column), 0).to_numpy(zero_copy_only=False), dtype=bool)


def _mask(column: pa.Array, pattern: str) -> Bools:
    return np.asarray(pc.match_substring_regex(column, pattern).to_numpy(zero_copy_only=False), dtype=bool)


# --- the decimal mark of a column: sniff_decimal's votes --------------------------

_NOT_CORE = r"(?i)[" + SPACE + r"€()+\-\x{2212}'\x{2019}%]|EUR|E"
_NUMERIC = r"^[0-9.,]*[0-9][0-9.,]*$"
_VOTE_COMMA = r"^(?:[0-9.]*,[0-9]{1,2}|[0-9]{1,3}(?:\.[0-9]{3}){2,})$"
_VOTE_POINT = r"^(?:[0-9,]*\.[0-9]{1,2}|[0-9]{1,3}(?:,[0-9]{3}){2,})$"
_PLAIN_ANY = r"^-?[0-9]{1,15}(?:[.,][0-9]{1,2})?$"


def votes(column: pa.Array) -> tuple[int, int]:
    """(comma votes, point votes) of `numbers_fr.sniff_decimal` over a cleaned column."""
    plain = pc.match_substring_regex(column, _PLAIN_ANY)
    simple = pc.filter(column, plain)
    comma = int(pc.sum(pc.match_substring(simple, ",")).as_py() or 0)
    point = int(pc.sum(pc.match_substring(simple, ".")).as_py() or 0)
    rest = pc.filter(column, pc.invert(plain))
    if len(rest):
        core = pc.replace_substring_regex(rest, _NOT_CORE, "")
        numeric = pc.match_substring_regex(core, _NUMERIC)
        is_comma = pc.and_(numeric, pc.match_substring_regex(core, _VOTE_COMMA))
        is_point = pc.and_(pc.and_(numeric, pc.invert(is_comma)), pc.match_substring_regex(core, _VOTE_POINT))
        comma += int(pc.sum(is_comma).as_py() or 0)
        point += int(pc.sum(is_point).as_py() or 0)
    return comma, point


# --- amounts --------------------------------------------------------------------

_SP = r"[ \x{a0}\x{202f}]?"


def _amount_forms(decimal: str) -> tuple[str, str]:
    """(plain amounts, the usual French forms) for a decimal mark."""
    mark = re_escape(decimal)
    groups = [" ", r"\x{a0}", r"\x{202f}"] + ([","] if decimal == "." else [])
    grouped = "|".join(rf"[0-9]{{1,3}}(?:{g}[0-9]{{3}}){{1,4}}" for g in groups)
    num = rf"(?:{grouped}|[0-9]{{1,15}})(?:{mark}[0-9]{{1,2}})?"
    euro = rf"(?:€{_SP})?{num}(?:{_SP}€)?"
    return plain_amount(decimal), rf"^(?:-?{euro}|\({euro}\)|{euro}-)$"


_FORMS = {mark: _amount_forms(mark) for mark in ".,"}


def _plain_cents(column: pa.Array, decimal: str) -> Ints:
    """Cents of cells "[-]digits[mark digits]": Arrow's decimal parser, exact;
    a decimal128's low 64 bits are its value (at most 17 digits here)."""
    if decimal == ",":
        column = pc.replace_substring(column, ",", ".")
    exact = pc.cast(column, pa.decimal128(18, 2))
    words = np.frombuffer(exact.buffers()[1], dtype=np.int64)
    return np.array(words[2 * exact.offset: 2 * (exact.offset + len(exact)): 2], dtype=np.int64)


def amounts(column: pa.Array, decimal: str) -> tuple[Ints, Bools, bool]:
    """(cents, blank, has a bad cell) of a cleaned amount column; a blank cell is 0 cents."""
    n = len(column)
    cents = np.zeros(n, dtype=np.int64)
    empty = blank(column)
    plain, usual = _FORMS[decimal]
    is_plain = _mask(column, plain)
    if (is_plain | empty).all():  # blank cells are 0 cents
        cents[:] = _plain_cents(pc.if_else(pa.array(empty), "0", column) if empty.any() else column, decimal)
        return cents, empty, False
    todo = ~(is_plain | empty)
    if is_plain.any():
        cents[is_plain] = _plain_cents(pc.filter(column, pa.array(is_plain)), decimal)
    is_usual = todo & _mask(column, usual)
    if is_usual.any():
        cells = pc.filter(column, pa.array(is_usual))
        negative = _mask(cells, r"[-(]")
        value = _plain_cents(pc.replace_substring_regex(cells, f"[^0-9{re_escape(decimal)}]", ""), decimal)
        cents[is_usual] = np.where(negative, -value, value)
    return cents, empty, _each(column, todo & ~is_usual, cents,
                               lambda c: parse_amount_cents(c, decimal=decimal))


def _each(column: pa.Array, odd: Bools, out: npt.NDArray[Any], parse: Callable[[str], Any]) -> bool:
    """The odd cells one by one with the per-cell rule; True at the first bad one."""
    if not odd.any():
        return False
    where = np.flatnonzero(odd)
    for p, cell in zip(where.tolist(), pc.take(column, pa.array(where)).to_pylist()):
        try:
            out[p] = parse(cell)
        except ParseError:
            return True
    return False


# --- dates and whole numbers ---------------------------------------------------

_DMY = r"^(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})/(?P<y>[0-9]{4})$"
_ISO = r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})$"


def dates(column: pa.Array) -> tuple[npt.NDArray[np.datetime64], Bools, bool]:
    """(days, blank, has a bad cell) of a cleaned date column (day first)."""
    out = np.full(len(column), np.datetime64("NaT"), dtype="datetime64[D]")
    empty = blank(column)
    done = empty.copy()
    bad = False
    for pattern in (_DMY, _ISO):
        hit = _mask(column, pattern)
        if not hit.any():
            continue
        parts = pc.extract_regex(pc.filter(column, pa.array(hit)), pattern)
        y, m, d = (np.asarray(parts.field(k).cast(pa.int64()).to_numpy(zero_copy_only=False)) for k in "ymd")
        month = ((y - 1970) * 12 + np.clip(m, 1, 12) - 1).astype("datetime64[M]")
        day = month.astype("datetime64[D]") + (np.clip(d, 1, 31) - 1)
        ok = (m >= 1) & (m <= 12) & (d >= 1) & (day.astype("datetime64[M]") == month) & (y >= 1900) & (y <= 2100)
        bad |= not ok.all()
        out[hit] = day
        done |= hit
    bad |= _each(column, ~done, out, lambda c: np.datetime64(parse_date(c), "D"))
    return out, empty, bad


def ints(column: pa.Array) -> tuple[Ints, Bools, bool]:
    """(values, blank, has a bad cell) of a cleaned whole-number column."""
    out = np.zeros(len(column), dtype=np.int64)
    empty = blank(column)
    plain = _mask(column, r"^-?[0-9]{1,18}$")
    if plain.any():
        out[plain] = pc.cast(pc.filter(column, pa.array(plain)), pa.int64()).to_numpy(zero_copy_only=False)
    return out, empty, _each(column, ~(plain | empty), out, parse_int)
