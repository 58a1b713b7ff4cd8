"""French Excel CSV written from columns at columnar speed: each column is
formatted at once (numpy, pyarrow compute), each slice of rows is joined in C
and written as one buffer. Byte for byte what `tabular.write_csv_fr` writes
for the same values (BOM, ';', CRLF, `format_cell_fr`'s forms, the formula
guard, quotes where the csv module puts them): tests/test_csv_columns.py
compares the two.

A column is given as one of:
- ``Ints(values)``: whole numbers, as ``str(int)``;
- ``Euros(cents, missing)``: ``format(Decimal(cents) / 100, "f")`` with a comma;
- ``Shares(values)``: ``Decimal(str(round(v, 6)))`` with a comma, NaN blank;
- ``Texts(array)``: a pyarrow string array (nulls blank), guarded and quoted.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.io.file_modes import create
from cockpit.io.float_text import decimal_text, hundredths_repr, round6_repr, strings
from cockpit.io.round6 import round6_ints
from cockpit.io.numbers_fr import format_cell_fr

_CENTS = strings([""] + [f",{c // 10}" if c % 10 == 0 else f",{c:02d}" for c in range(1, 100)])
_FORMULA = r"^'*[=+\-@\t\r\n]"  # numbers_fr._FORMULA_START
_QUOTE = r'["\r\n]'  # with the separator: what makes csv.writer quote a cell


@dataclass
class Ints:
    values: Any


@dataclass
class Euros:
    cents: Any
    missing: Any = None  # bool array: True where blank


@dataclass
class Shares:
    values: Any  # floats, NaN where blank


@dataclass
class Texts:
    values: pa.Array
    guard: bool = True  # the formula guard (off: the text as it is)


@dataclass
class Reprs:
    """What csv.writer writes for a float: its repr(). ``hundredths``: of
    cents / 100; else of round(v, 6) (`cockpit abc`'s shares)."""

    values: Any
    hundredths: bool = False


Column = Ints | Euros | Shares | Texts | Reprs
Slice = Callable[[int, int], list[Column]]  # the columns of rows [start, stop)


def write_csv_columns_fr(path: str | os.PathLike[str], headers: Sequence[object], count: int, columns: Slice,
                         step: int = 100_000) -> None:
    """``count`` rows, made ``step`` at a time by ``columns``; written atomically (0600)."""
    tmp = f"{(target := os.fspath(path))}.{os.getpid()}.tmp"
    head = io.StringIO()
    csv.writer(head, delimiter=";", lineterminator="\r\n").writerow([format_cell_fr(h) for h in headers])
    try:
        with open(create(tmp), "wb") as fh:
            fh.write(("\ufeff" + head.getvalue()).encode("utf-8"))
            for start in range(0, count, step):
                fh.write(lines(columns(start, min(count, start + step))))
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def lines(columns: list[Column], sep: str = ";", eol: str = "\r\n") -> memoryview:
    """The rows' CSV lines (UTF-8, each ended by ``eol``), in one buffer."""
    cells = [cell_text(c, sep) for c in columns]
    if len(cells) == 1:  # csv writes a row of one empty cell as ""
        cells[0] = pc.if_else(pc.equal(cells[0], ""), '""', cells[0])
    cells[-1] = pc.binary_join_element_wise(cells[-1], eol, "")  # the line end after the last cell
    joined = pc.binary_join_element_wise(*cells, sep) if len(cells) > 1 else cells[0]
    if isinstance(joined, pa.ChunkedArray):
        joined = joined.combine_chunks()
    joined = joined.cast(pa.large_string())
    _, offsets, data = joined.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64, count=len(joined) + 1, offset=8 * joined.offset)
    if data is None:
        return memoryview(b"")
    return memoryview(data)[int(ends[0]):int(ends[-1])]


def cell_text(column: Column, sep: str = ";") -> pa.Array:
    if isinstance(column, Reprs):
        values = np.asarray(column.values)
        return hundredths_repr(values) if column.hundredths else round6_repr(values)
    if isinstance(column, Ints):
        return pc.cast(pa.array(np.asarray(column.values, dtype=np.int64)), pa.string())
    if isinstance(column, Euros):
        return euros_text(np.asarray(column.cents, dtype=np.int64), column.missing)
    if isinstance(column, Shares):
        return shares_text(np.asarray(column.values, dtype=np.float64))
    text = pc.fill_null(column.values.cast(pa.string()), "")
    return quoted(guarded(text) if column.guard else text, sep)


def euros_text(cents: Any, missing: Any = None) -> pa.Array:
    """``format(Decimal(c) / 100, "f")``: the quotient's trailing zeros dropped (12340 → 123,4; 100 → 1)."""
    negative = cents < 0
    whole = np.abs(cents)  # int64: -2**63 is no amount of euros
    text = pc.binary_join_element_wise(
        pc.if_else(pa.array(negative), "-", ""), pc.cast(pa.array(whole // 100), pa.string()),
        pc.take(_CENTS, pa.array(whole % 100)), "")
    if missing is not None and np.any(missing):
        text = pc.if_else(pa.array(np.asarray(missing, dtype=bool)), "", text)
    return text


def shares_text(values: Any) -> pa.Array:
    """``format(Decimal(str(round(v, 6))), "f")`` with a comma; NaN blank. Where
    `float_text.round6_ints` is exact, the decimal of z / 10**6 (``Decimal``
    writes even 5e-05 out in full); the rest one by one."""
    z, bulk = round6_ints(values)
    text = decimal_text(z, 1_000_000, 6, ",")
    rest = np.flatnonzero(~bulk)
    if len(rest):
        one = [_share_one(float(v)) for v in values[rest].tolist()]
        text = pc.replace_with_mask(text, pa.array(~bulk), strings(one))
    return text


def _share_one(value: float) -> str:
    if value != value:
        return ""
    return format(Decimal(str(round(value, 6))), "f").replace(".", ",")


def guarded(text: pa.Array) -> pa.Array:
    """`numbers_fr.guard_formula`: a quote before a cell a spreadsheet would run."""
    if not _any_first(text, _FORMULA_BYTES):  # the usual case: one look at each first byte
        return text
    return pc.if_else(pc.match_substring_regex(text, _FORMULA), pc.binary_join_element_wise("'", text, ""), text)


def quoted(text: pa.Array, sep: str = ";") -> pa.Array:
    """csv.QUOTE_MINIMAL: a cell holding the separator, " CR or LF in quotes, its quotes doubled."""
    if not _any_byte(text, _table(sep.encode() + b'"\r\n')):
        return text
    needs = pc.match_substring_regex(text, "[" + re.escape(sep) + _QUOTE[1:])
    doubled = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
    return pc.if_else(needs, doubled, text)


def _bytes(text: pa.Array) -> tuple[Any, Any]:
    """(UTF-8 bytes, offsets) of a string array, without a copy."""
    text = text.cast(pa.large_string())
    _, offsets, data = text.buffers()
    ends = np.frombuffer(offsets, dtype=np.int64, count=len(text) + 1, offset=8 * text.offset)
    raw = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    return raw[int(ends[0]):int(ends[-1])], ends - ends[0]


def _table(chars: bytes) -> Any:
    table = np.zeros(256, dtype=bool)
    table[np.frombuffer(chars, np.uint8)] = True
    return table


_FORMULA_BYTES = _table(b"'=+-@\t\r\n")


def _any_byte(text: pa.Array, table: Any) -> bool:
    raw, _ = _bytes(text)
    return bool(table[raw].any())


def _any_first(text: pa.Array, table: Any) -> bool:
    raw, ends = _bytes(text)
    starts = ends[:-1][ends[1:] > ends[:-1]]  # of the cells that are not empty
    return bool(table[raw[starts]].any())


class _Natural:
    """A packed text column (`cockpit.store.text_column`) as one Arrow array
    over its own bytes, each item with the separator after it: a slice of rows
    is then a take and a trim, in C."""

    def __init__(self, data: bytes, starts: Any) -> None:
        raw = np.frombuffer(data, dtype=np.uint8)
        begins = np.concatenate(([0], np.flatnonzero(raw == 0x1E) + 1)).astype(np.int64)
        offsets = np.concatenate((begins, [len(data)])).astype(np.int64)
        self.array = pa.LargeStringArray.from_buffers(len(begins), pa.py_buffer(offsets), pa.py_buffer(data))
        self.item = np.searchsorted(begins, starts)  # the item at each of the column's starts

    def take(self, rows: Any) -> pa.Array:
        return pc.utf8_rtrim(pc.take(self.array, pa.array(self.item[rows])), characters="\x1e").cast(pa.string())


def text_column(values: Sequence[str], rows: Any, cache: dict[int, Any] | None = None) -> pa.Array:
    """The strings at ``rows`` of a text column: taken from a packed column's
    own bytes (`cockpit.store.text_column`, ``cache`` keeps what that needs
    between slices), else made one by one."""
    column = getattr(values, "column", values)  # a LazyText: its loaded column
    parts = getattr(column, "parts", None)
    if parts is None:
        return strings([column[i] for i in np.asarray(rows).tolist()])
    cache = {} if cache is None else cache
    natural = cache.get(id(column))
    if natural is None:
        data, starts, _ = parts()
        natural = cache[id(column)] = _Natural(data, starts)
    return cast(pa.Array, natural.take(rows))
