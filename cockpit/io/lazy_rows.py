"""A table's rows made when they are read, not held: an export of a million
clients streams them to the CSV or XLSX writer instead of keeping a million
lists of Python values (2 GB) alive at once."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import overload


class LazyRows(Sequence[list[object]]):
    def __init__(self, count: int, row: Callable[[int], list[object]]) -> None:
        self._count, self._row = count, row

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, k: int) -> list[object]: ...

    @overload
    def __getitem__(self, k: slice) -> list[list[object]]: ...

    def __getitem__(self, k: int | slice) -> list[object] | list[list[object]]:
        if isinstance(k, slice):
            return [self._row(i) for i in range(*k.indices(self._count))]
        if k < 0:
            k += self._count
        if not 0 <= k < self._count:
            raise IndexError(k)
        return self._row(k)

    def __iter__(self) -> Iterator[list[object]]:
        return map(self._row, range(self._count))

    def __eq__(self, other: object) -> bool:
        return list(self) == (list(other) if isinstance(other, Sequence) else other)

    __hash__ = None  # type: ignore[assignment]  # a table is not a key
