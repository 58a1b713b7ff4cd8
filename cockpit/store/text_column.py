"""Text columns read from SQLite in one piece.

A million client names as Python strings cost ~100 MB and most of the time
of opening a big workspace (one tuple and one string per row). Here SQLite
concatenates the column (``group_concat``) in one step, without the GIL,
and hands it over as UTF-8 bytes; the column is those bytes plus where each
item starts, and a search is one scan of the casefolded text.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, cast, overload

import numpy as np

SEP = "\x1e"  # record separator: control characters never reach the workspace (clean_text)


class _Packed:
    """The UTF-8 bytes of a column, and what a search needs, made once."""

    __slots__ = ("data", "_folded", "_continuation")

    def __init__(self, data: bytes):
        self.data = data
        self._folded: str | None = None
        self._continuation: np.ndarray | None = None

    def folded(self) -> str:
        """The casefolded text; "" when casefolding changes its length (ß → ss)."""
        if self._folded is None:
            text = self.data.decode()
            folded = text.casefold()
            self._folded = folded if len(folded) == len(text) else ""
        return self._folded

    def char_index(self, byte_positions: np.ndarray) -> np.ndarray:
        """Character index of byte positions: minus the UTF-8 continuation bytes before them."""
        if self._continuation is None:
            self._continuation = np.flatnonzero((np.frombuffer(self.data, np.uint8) & 0xC0) == 0x80)
        return byte_positions - np.searchsorted(self._continuation, byte_positions)


class TextColumn(Sequence[str]):
    """A read-only sequence of strings packed in one UTF-8 buffer."""

    __slots__ = ("_packed", "_starts", "_lengths")

    def __init__(self, packed: _Packed | bytes, starts: np.ndarray, lengths: np.ndarray):
        self._packed = packed if isinstance(packed, _Packed) else _Packed(packed)
        self._starts, self._lengths = starts, lengths  # in bytes

    @classmethod
    def of(cls, items: Sequence[str]) -> TextColumn:
        encoded = [s.encode() for s in items]
        lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
        return cls(SEP.encode().join(encoded), _starts(lengths), lengths)

    @classmethod
    def split(cls, data: bytes | None) -> TextColumn:
        """Items joined by SEP (None: no item)."""
        if data is None:
            return cls(b"", np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        seps = np.flatnonzero(np.frombuffer(data, np.uint8) == ord(SEP))
        starts = np.concatenate(([0], seps + 1)).astype(np.int64)
        ends = np.concatenate((seps, [len(data)])).astype(np.int64)
        return cls(data, starts, ends - starts)

    def __len__(self) -> int:
        return len(self._starts)

    def longest(self) -> int:
        """The longest item's length in bytes (its characters, or more for accents): no string built."""
        return int(self._lengths.max()) if len(self._lengths) else 0

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice | np.ndarray | list[int]) -> TextColumn: ...
    def __getitem__(self, i: int | slice | np.ndarray | list[int]) -> str | TextColumn:
        # int -> str; slice or index array -> TextColumn
        if isinstance(i, slice | np.ndarray | list):
            return self.take(np.arange(len(self))[i] if isinstance(i, slice) else np.asarray(i, dtype=np.int64))
        start = int(self._starts[i])
        return self._packed.data[start:start + int(self._lengths[i])].decode()

    def __iter__(self) -> Iterator[str]:
        data = self._packed.data
        for start, length in zip(self._starts.tolist(), self._lengths.tolist()):
            yield data[start:start + length].decode()

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and any(item == value for item in self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(other) == len(self) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]  # it has __eq__: unhashable, like a list

    def tolist(self) -> list[str]:
        return list(self)

    def parts(self) -> tuple[bytes, np.ndarray, np.ndarray]:
        """The packed UTF-8 bytes, and where each item starts and how long it is
        (in bytes): a columnar writer copies items without a string per item."""
        return self._packed.data, self._starts, self._lengths

    def take(self, indices: np.ndarray) -> TextColumn:
        """The items at ``indices``, sharing the packed bytes."""
        return TextColumn(self._packed, self._starts[indices], self._lengths[indices])

    def find(self, needle: str) -> np.ndarray:
        """Indices of the items that contain ``needle``, ignoring case."""
        needle = needle.casefold()
        if not needle:
            return np.zeros(0, dtype=np.int64)
        folded = self._packed.folded()
        if not folded or SEP in needle:
            return np.flatnonzero([needle in item.casefold() for item in self]).astype(np.int64)
        positions = np.fromiter((m.start() for m in re.finditer(re.escape(needle), folded)), dtype=np.int64)
        if not len(positions) or not len(self):
            return np.zeros(0, dtype=np.int64)
        # Items may be a selection in any order: map match positions through the sorted starts.
        by_start = np.argsort(self._starts, kind="stable")
        starts = self._packed.char_index(self._starts[by_start])
        ends = self._packed.char_index(self._starts[by_start] + self._lengths[by_start])
        slot = np.searchsorted(starts, positions, side="right") - 1
        clipped = np.maximum(slot, 0)
        inside = (slot >= 0) & (positions + len(needle) <= ends[clipped])
        # Every item at a matched start: a selection may hold one item twice.
        return np.sort(by_start[np.isin(starts, starts[slot[inside]])])


def _starts(lengths: np.ndarray) -> np.ndarray:
    starts = np.zeros(len(lengths), dtype=np.int64)
    if len(lengths) > 1:
        np.cumsum(lengths[:-1] + 1, out=starts[1:])
    return starts


def read_columns(db: sqlite3.Connection, source: str, params: tuple[Any, ...] = (), *, ints: Sequence[str] = (),
                 texts: Sequence[str] = ()) -> tuple[Any, ...]:
    """Integer columns (int64 arrays) then text columns (TextColumn) of the
    rows of ``source`` (a FROM clause, in the order SQLite yields them), each
    concatenated by SQLite in one query."""
    aggregates = [f"group_concat({c})" for c in ints]
    aggregates += [f"CAST(group_concat({c}, char(30)) AS BLOB)" for c in texts]
    row = db.execute(f"SELECT count(*), {', '.join(aggregates)} FROM {source}", params).fetchone()
    n, row = row[0], row[1:]
    numbers = [parse_ints(text) for text in row[:len(ints)]]
    columns = [TextColumn.split(data) for data in row[len(ints):]]
    for i, column in enumerate(columns):
        if len(column) != n:  # a separator inside a value (written before clean_text): row by row
            columns[i] = TextColumn.of([r[0] for r in db.execute(f"SELECT {texts[i]} FROM {source}", params)])
    if any(len(v) != n for v in numbers):  # group_concat skips NULLs
        raise NotIntegers(f"a NULL in {', '.join(ints)}")
    return (*numbers, *columns)


def read_text(db: sqlite3.Connection, column: str, source: str, params: tuple[Any, ...] = ()) -> TextColumn:
    return cast("TextColumn", read_columns(db, source, params, texts=[column])[0])


def read_ints(db: sqlite3.Connection, columns: Sequence[str], source: str, params: tuple[Any, ...] = ()) -> list[np.ndarray]:
    return list(read_columns(db, source, params, ints=columns))


class NotIntegers(ValueError):
    """A column meant to hold integers holds something else (a REAL, a text)."""


def parse_ints(text: str | None) -> np.ndarray:
    """Comma-separated integers, parsed by numpy in C."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    expected = text.count(",") + 1
    try:
        values = np.fromstring(text, sep=",", dtype=np.int64)
    except (ValueError, DeprecationWarning):  # numpy warns, or raises under -W error, on a non-integer
        raise NotIntegers(text[:40]) from None
    if len(values) != expected:
        raise NotIntegers(text[:40])
    return values
