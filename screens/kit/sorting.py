"""Sorting any table by the column under its column cursor (`S`): the one
way for every table. A source may give its own keys (``sort_key(column)``:
numbers or ranks, fast at a million rows); else the keys are read from the
cells as the rep sees them — numbers in French or English form sort as
numbers, the rest as text, case aside. The source's own order (the ABC rank)
is one more `S` away: sorted, reversed, back to the source's order."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

if TYPE_CHECKING:
    from screens.kit.virtual_table import Column

READ_FROM_CELLS = 200_000  # beyond this many rows a table sorts only on keys its source gives
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_SPACES = str.maketrans("", "", " \u00a0\u202f€%")


def cell_number(text: str) -> float | None:
    """12 345,50 € -> 12345.5; "—" or a word -> None."""
    plain = text.translate(_SPACES)
    if not plain or not _NUMBER.fullmatch(plain):
        return None
    return float(plain.replace(",", "."))


def keys_from_cells(source: Any, column: int) -> np.ndarray | None:
    n = source.row_count()
    if n > READ_FROM_CELLS:
        return None
    texts = [source.row(i)[column].plain for i in range(n)]
    numbers = [cell_number(s) for s in texts]
    if any(x is not None for x in numbers) and all(x is not None or s.strip() in ("", "—") for x, s in zip(numbers, texts)):
        # Numbers first; blanks ("—") last whatever the direction: they say "not entered".
        return np.array([np.nan if x is None else x for x in numbers], dtype=float)
    _, codes = np.unique(np.array([s.casefold() for s in texts], dtype=object), return_inverse=True)
    return codes.astype(np.int64)


def sort_order(keys: np.ndarray, descending: bool) -> np.ndarray:
    """Row order by ``keys``; ties keep the source's order, blanks (NaN) last."""
    keys = np.asarray(keys)
    if keys.dtype.kind == "f":
        blank = np.isnan(keys)
        keys = np.where(blank, 0.0, keys)
        signed = -keys if descending else keys
        return np.lexsort((np.arange(len(keys)), signed, blank))
    signed = -keys.astype(np.int64) if descending else keys.astype(np.int64)
    return np.argsort(signed, kind="stable")


def first_direction(keys: np.ndarray) -> bool:
    """Numbers sort largest first (revenue, potential), text A to Z."""
    return bool(np.asarray(keys).dtype.kind == "f")


class SortedSource:
    """``inner`` shown in ``order`` (display row -> inner row); everything
    else a screen asks of its source is the inner source's."""

    def __init__(self, inner: Any, column: int, descending: bool, order: np.ndarray) -> None:
        self.inner, self.column, self.descending = inner, column, descending
        self.order = order
        self.position = np.empty(len(order), dtype=np.int64)
        self.position[order] = np.arange(len(order))
        self._columns: tuple[Any, list[Column]] = (None, [])
        self.first = descending  # the direction the column's first `S` takes

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    @property
    def columns(self) -> list[Column]:
        cols = self.inner.columns
        if self._columns[0] is not cols:  # asked for at every paint: built once per inner list
            mark = " ▼" if self.descending else " ▲"
            self._columns = (cols, [replace(c, label=c.label + mark) if j == self.column else c
                                    for j, c in enumerate(cols)])
        return self._columns[1]

    def row_count(self) -> int:
        return len(self.order)

    def row(self, index: int) -> Any:
        return self.inner.row(int(self.order[index]))


def sorted_view(inner: Any, column: int, descending: bool | None) -> SortedSource | None:
    """``inner`` sorted by ``column`` (``descending`` None: the column's first
    direction), or None when it cannot be sorted there."""
    own = getattr(inner, "sort_key", None)
    keys = own(column) if own is not None else None
    if keys is None and (own is None or getattr(inner, "cells_sort", True)):
        keys = keys_from_cells(inner, column)
    if keys is None or len(keys) != inner.row_count():
        return None
    keys = np.asarray(keys)
    first = first_direction(keys)
    down = first if descending is None else descending
    view = SortedSource(inner, column, down, sort_order(keys, down))
    view.first = first
    return view


def inner_rows(source: Any, rows: Sequence[int]) -> list[int]:
    return [int(source.order[r]) for r in rows] if isinstance(source, SortedSource) else list(rows)


class Sortable:
    """Mixed into VirtualTable: the column cursor (←/→, shown in the header),
    `S` to sort by its column, and the map between the rows on screen and
    the source's rows (``cursor_index``, ``move_to_index``)."""

    column_cursor: int = 0
    column_keys: bool = True  # False: the screen moves the column cursor itself (Prospects: the column e edits)
    _inner: Any = None
    _sort: tuple[int, bool] | None = None  # (column, descending) the rep chose

    @property
    def source(self) -> Any:
        return self._shown

    @source.setter
    def source(self, value: Any) -> None:
        self._inner = value
        self._shown = value
        if self._sort is not None:
            self._shown = sorted_view(value, *self._sort) or value

    @property
    def inner_source(self) -> Any:
        return self._inner

    def resort(self) -> None:
        """The source's rows changed in place (an edit re-ranked them): sort again."""
        if self._sort is not None:
            self._shown = sorted_view(self._inner, *self._sort) or self._inner

    @property
    def cursor_index(self) -> int:
        """The source's row under the cursor."""
        row = self.cursor_row  # type: ignore[attr-defined]
        shown = self._shown
        return int(shown.order[row]) if isinstance(shown, SortedSource) and row < len(shown.order) else row

    def display_row(self, index: int) -> int:
        shown = self._shown
        return int(shown.position[index]) if isinstance(shown, SortedSource) and index < len(shown.position) else index

    def display_rows(self, indices: Any) -> np.ndarray:
        """The rows on screen of the source's rows ``indices``."""
        shown = self._shown
        indices = np.asarray(indices, dtype=np.int64)
        return shown.position[indices] if isinstance(shown, SortedSource) else indices

    def move_to_index(self, index: int) -> None:
        self.move_to(self.display_row(index))  # type: ignore[attr-defined]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "column" and not self.column_keys:
            return False  # the key goes on to the screen's own binding
        return True

    def action_column(self, delta: int) -> None:
        shown = [i for i, w in enumerate(self._widths()) if w]  # type: ignore[attr-defined]
        if not shown:
            return
        here = shown.index(self.column_cursor) if self.column_cursor in shown else 0
        self.column_cursor = shown[max(0, min(len(shown) - 1, here + delta))]
        self.refresh()  # type: ignore[attr-defined]

    def action_sort(self) -> None:
        """Sorted by the cursor's column, then the other way, then the source's own order."""
        from cockpit.i18n import t

        index, column = self.cursor_index, self.column_cursor
        label = self._inner.columns[column].label
        if self._sort is not None and self._sort[0] == column and isinstance(self._shown, SortedSource):
            if self._shown.descending == self._shown.first:
                self._sort = (column, not self._shown.descending)
                self._shown = sorted_view(self._inner, *self._sort) or self._inner
            else:
                self._sort, self._shown = None, self._inner
        else:
            view = sorted_view(self._inner, column, None)
            if view is None:
                self.app.notify(t("kit.sort.cannot", column=label), severity="warning", markup=False)  # type: ignore[attr-defined]
                return
            self._sort, self._shown = (column, view.descending), view
        self.reload()  # type: ignore[attr-defined]
        self.move_to_index(index)  # the same row stays under the cursor
        shown = self._shown
        said = t("kit.sort.none") if not isinstance(shown, SortedSource) else t(
            "kit.sort.down" if shown.descending else "kit.sort.up", column=label)
        self.post_message(self.Sorted(self, said))  # type: ignore[attr-defined]

