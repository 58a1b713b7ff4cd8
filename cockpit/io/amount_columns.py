"""Whole columns of amount cells at once: the CSV reader's fast path. The
same rules as ``numbers_fr.parse_amount_cents`` cell by cell (tested so in
tests/test_abc_fast.py), decided for a column with a few regular expressions."""

from __future__ import annotations

import re

from cockpit.io.numbers_fr import NOT_CORE, ParseError, parse_amount_cents, sniff_decimal

# A plain amount: blank, or ASCII digits with at most two decimals and below
# 10^13 (so its cents fit any int64); a line of the joined column that is not.
_PLAIN = r"(?:-?[0-9]{1,13}(?:%s[0-9]{1,2})?)?"
_NOT_PLAIN = {mark: re.compile(rf"(?m)^(?!{_PLAIN % pattern}$)")
              for mark, pattern in ((".", r"\."), (",", ","), ("", "[.,]"))}
# sniff_decimal's votes, over the cores of a column joined with NULs.
_CELL = r"(?<![^\x00])(?:%s)(?![^\x00])"
_VOTE_COMMA = re.compile(_CELL % r"[0-9.]*,[0-9]{1,2}|[0-9]{1,3}(?:\.[0-9]{3}){2,}")
_VOTE_POINT = re.compile(_CELL % r"[0-9,]*\.[0-9]{1,2}|[0-9]{1,3}(?:,[0-9]{3}){2,}")
_ONE_DECIMAL = {mark: re.compile(rf"{re.escape(mark)}[0-9](?![0-9])") for mark in ".,"}
_CHUNK = 65536


def sniff_decimal_column(cells: list[str]) -> str:
    """`sniff_decimal` of a column of text cells, the same answer in bulk: a
    column of plain numbers is two counts; otherwise the votes are counted by
    chunks, stopping once the rest of the column cannot change the majority."""
    joined = "\n".join(cells)
    if joined.count("\n") == len(cells) - 1 and not _NOT_PLAIN[""].search(joined):
        return "." if joined.count(".") > joined.count(",") else ","  # a plain cell has one mark at most
    comma = point = 0
    for start in range(0, len(cells), _CHUNK):
        chunk = cells[start : start + _CHUNK]
        cores = "\x00".join(chunk)
        if cores.count("\x00") != len(chunk) - 1:
            return sniff_decimal(cells)
        cores = NOT_CORE.sub("", cores)  # no match spans a NUL: cell by cell
        comma += len(_VOTE_COMMA.findall(cores))
        point += len(_VOTE_POINT.findall(cores))
        left = len(cells) - start - len(chunk)
        if point - comma > left or comma - point >= left:
            break
    return "." if point > comma else ","


def _plain_cents(cell: str, decimal: str) -> int:
    int_part, _, frac = cell.partition(decimal)
    return int(int_part + frac.ljust(2, "0"))  # "-0,5" -> int("-050")


def amount_column(cells: list[str], decimal: str) -> tuple[list[int | None], tuple[int, ParseError] | None]:
    """Cents of a column of text cells (None for a blank), what `parse_amount_cents`
    gives cell by cell: plain cells in bulk, the others one by one. Stops at the
    first bad cell: (values, (its index, the error)), else (values, None)."""
    joined = "\n".join(cells)
    if joined.count("\n") != len(cells) - 1:  # a cell holds a line break: all one by one
        odd = list(range(len(cells)))
    else:
        odd, at, line = [], 0, 0
        for m in _NOT_PLAIN[decimal].finditer(joined):
            line += joined.count("\n", at, m.start())
            at = m.start()
            odd.append(line)
    if cells and not odd and joined.count(decimal) == len(cells) and not _ONE_DECIMAL[decimal].search(joined):
        values: list[int | None] = list(map(int, joined.replace(decimal, "").split("\n")))  # all "-?d+.dd"
        return values, None
    plain = cells
    if odd:
        plain = list(cells)
        for p in odd:
            plain[p] = ""
    values = [_plain_cents(c, decimal) if c else None for c in plain]
    for p in odd:
        if cells[p]:
            try:
                values[p] = parse_amount_cents(cells[p], decimal=decimal)
            except ParseError as exc:
                return values, (p, exc)
    return values, None
