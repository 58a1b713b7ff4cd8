"""Clients and sales files read in chunks of typed columns, with the rules
and the errors of `cockpit.io.tabular.read_records` (header search, column
layout, blank rows, the decimal mark voted over the whole column, required
cells, extra cells).

A chunk is checked in bulk; only a chunk found to hold a bad cell is read
again row by row with the reference rules, which name the first bad cell
exactly as `read_records` does (file, physical line, column, value, expected).
The decimal mark is decided by the first chunk's votes and checked against
the whole file's at the end: `Redo` asks the caller to start again with the
right one (a file whose majority changes past its first chunk is rare).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.io.amount_periods import column_key
from cockpit.io.prefetch import ahead
from cockpit.io.fields import FIELDS, REQUIRED_ONE_OF
from cockpit.io.input_error import InputError, file_error, no_line
from cockpit.io import french_columns as fc
from cockpit.io.chunks import Chunk, NotFast, NotUtf8, Source, open_source
from cockpit.io.numbers_fr import ParseError, clean_text, convert_cell, text_of, unguard
from cockpit.io.tabular import _EMPTY_REQUIRED, _extra_cell, _find_header, _layout, _Layout, _restrict


class Redo(Exception):
    """Read the file again: the whole file votes for another decimal mark than
    its first chunk did, or a chunk past its head is not UTF-8 (``check``)."""

    def __init__(self, decimals: dict[int, str] | None, check: bool = False) -> None:
        super().__init__("not UTF-8 past the head" if check else "decimal mark changes past the first chunk")
        self.decimals, self.check = decimals, check


@dataclass
class Batch:
    """Typed columns of one chunk's rows (blank rows dropped)."""

    size: int
    values: dict[str, Any]  # text: pa.Array; amount, int: int64 array; date: datetime64[D] array
    blanks: dict[str, Any] = field(default_factory=dict)  # amount and int fields: bool array, True where blank
    first_row: int = 0  # index in the file's rows of its first row


@dataclass
class _Where:
    """Where a chunk's rows are, to name the line of a row found bad later."""

    first_row: int
    offset: int
    size: int
    first_line: int
    skip: int  # rows of the chunk before the data (the header chunk)


class StreamReader:
    def __init__(self, path: str, kind: str, fields: set[str] | None = None,
                 decimals: dict[int, str] | None = None, check: bool = False, need_rows: bool = False) -> None:
        if kind not in ("clients", "sales"):
            raise NotFast(kind)
        source = open_source(path, check)
        if source is None:
            raise NotFast("not a CSV file")
        self.path, self.kind, self.source, self.wanted = path, kind, source, fields
        self.forced = decimals
        self.need_rows = need_rows  # an import: a file with no line under its header is refused
        self.decimals: dict[int, str] = dict(decimals or {})
        self.layout: _Layout | None = None
        self.header_line = 0
        self.rows = 0
        self.bytes_read = 0
        self._where: list[_Where] = []

    @property
    def fields(self) -> list[str]:
        assert self.layout is not None
        return [n for n in FIELDS[self.kind] if n in self.layout.main]

    def columns(self) -> dict[str, str]:
        assert self.layout is not None
        return {n: self.layout.headers[i] for n, i in self.layout.main.items()}

    def batches(self) -> Iterator[Batch]:
        try:
            yield from self._batches()
        except NotUtf8:
            raise Redo(self.forced, check=True) from None

    def _batches(self) -> Iterator[Batch]:
        votes: dict[int, list[int]] = {}
        bad: tuple[Chunk, int] | None = None
        for chunk in ahead(self.source.chunks()):  # the next chunk cut and parsed while this one is cleaned
            self.bytes_read = chunk.offset + len(chunk.data)
            skip = 0
            columns = chunk.columns
            if self.layout is None:
                skip, columns = self._header(chunk)
            lay = self.layout
            assert lay is not None
            cleaned = columns if chunk.clean else [fc.clean(c) for c in columns]
            keep = ~np.logical_and.reduce([fc.blank(c) for c in cleaned]) if cleaned else np.zeros(0, bool)
            if cleaned and not keep.all():
                mask = pa.array(keep)
                cleaned = [pc.filter(c, mask) for c in cleaned]
            size = int(keep.sum())
            amount_cols = self._amount_columns()
            for i in amount_cols:
                col = cleaned[i] if i < len(cleaned) else pa.array([""] * size, pa.string())
                c, p = fc.votes(col)
                v = votes.setdefault(i, [0, 0])
                v[0] += c
                v[1] += p
                if self.forced is None and i not in self.decimals:
                    self.decimals[i] = "." if v[1] > v[0] else ","
            if bad is not None:
                continue  # only counting votes now
            batch, wrong = self._typed(cleaned, size)
            if wrong:
                bad = chunk, skip
                if self.forced is not None or not amount_cols:
                    break
                continue
            self._where.append(_Where(self.rows, chunk.offset, len(chunk.data), chunk.first_line, skip))
            batch.first_row = self.rows
            self.rows += size
            yield batch
        if self.layout is None:
            raise file_error(self.path, "fichier vide : aucune ligne d'en-tête", "empty file: no header row")
        if self.forced is None:
            final = {i: "." if v[1] > v[0] else "," for i, v in votes.items()}
            if final != {i: self.decimals[i] for i in final}:
                raise Redo(final)
        if bad is not None:
            self._raise_first_error(bad[0], bad[1])
        if self.rows == 0 and self.need_rows:  # read to its end: an import stops here, within its transaction
            raise no_line(self.path)

    # --- the header ---------------------------------------------------------

    def _header(self, chunk: Chunk) -> tuple[int, list[pa.Array]]:
        rows = chunk.rows_with_lines(self.source.sep)
        cleaned = [(n, [clean_text(unguard(c)) for c in cells]) for n, cells in rows]
        filled = [(k, r) for k, r in enumerate(cleaned) if any(r[1])]
        if not filled:
            if chunk.data and len(chunk.data) >= 1 << 16:
                raise NotFast("no header in the first chunk")
            raise file_error(self.path, "fichier vide : aucune ligne d'en-tête", "empty file: no header row")
        if len(filled) < 10 and self.source.size > chunk.offset + len(chunk.data):
            raise NotFast("fewer than 10 rows in the first chunk")
        h = _find_header(self.kind, [r for _, r in filled[:10]])
        k, (line, header) = filled[h]
        self.header_line = line
        self.layout = _restrict(_layout(self.path, self.kind, line, header, self.wanted), self.wanted)
        data = [cells for _, cells in rows[k + 1:]]
        width = max(map(len, data), default=0)
        return k + 1, [pa.array([r[i] if i < len(r) else "" for r in data], pa.string()) for i in range(width)]

    def _amount_columns(self) -> list[int]:
        lay = self.layout
        assert lay is not None
        specs = FIELDS[self.kind]
        out = [i for n, i in lay.main.items() if specs[n].type == "amount"]
        return out + [i for cols in lay.by_year.values() for i in cols.values()]

    # --- typed columns ------------------------------------------------------------

    def _typed(self, cleaned: list[pa.Array], size: int) -> tuple[Batch, bool]:
        lay = self.layout
        assert lay is not None
        specs = FIELDS[self.kind]
        empty = pa.array([""] * size, pa.string()) if any(i >= len(cleaned) for i in self._all_indices()) else None

        def col(i: int) -> pa.Array:
            return cleaned[i] if i < len(cleaned) else empty

        if any(not fc.blank(cleaned[j]).all() for j in range(lay.width, len(cleaned))):
            return Batch(size, {}), True  # an extra cell
        batch = Batch(size, {})
        tasks = [(n, i, n) for n, i in lay.main.items()]
        # A clients file's other years' revenue and margin, kept under "revenue 2023" (amount_periods.column_key).
        tasks += [(n, i, column_key((n, y))) for n, cols in lay.by_year.items() for y, i in cols.items()]
        for name, i, key in tasks:
            spec, cells = specs[name], col(i)
            if spec.type == "text":
                value, blanks, wrong = cells, fc.blank(cells), False
            elif spec.type == "amount":
                value, blanks, wrong = fc.amounts(cells, self.decimals.get(i, ","))
            elif spec.type == "date":
                value, blanks, wrong = fc.dates(cells)
            else:
                value, blanks, wrong = fc.ints(cells)
            if wrong or spec.required and blanks.any():
                return batch, True
            batch.values[key] = value
            if spec.type != "text":
                batch.blanks[key] = blanks
        for group in REQUIRED_ONE_OF.get(self.kind, ()):
            present = [n for n in group if n in lay.main]
            if present and np.logical_and.reduce([fc.blank(batch.values[n]) for n in present]).any():
                return batch, True
        return batch, False

    def _all_indices(self) -> list[int]:
        lay = self.layout
        assert lay is not None
        return [*lay.main.values(), *(i for c in lay.by_year.values() for i in c.values())]

    # --- errors, by the reference rules ---------------------------------------------

    def _rows(self, offset: int, size: int, first_line: int, skip: int) -> list[tuple[int, list[str]]]:
        chunk = Chunk(first_line, offset, self.source.again(offset, size), True, [])
        rows = chunk.rows_with_lines(self.source.sep)[skip:]
        cleaned = [(n, [clean_text(unguard(c)) for c in cells]) for n, cells in rows]
        return [(n, cells) for n, cells in cleaned if any(cells)]

    def line_of(self, row: int) -> int:
        """Physical line of the file's data row ``row`` (0-based, blank rows not counted)."""
        where = next(w for w in reversed(self._where) if w.first_row <= row)
        return self._rows(where.offset, where.size, where.first_line, where.skip)[row - where.first_row][0]

    def _raise_first_error(self, chunk: Chunk, skip: int) -> None:
        lay = self.layout
        assert lay is not None
        rows = self._rows(chunk.offset, len(chunk.data), chunk.first_line, skip)
        check_rows(self.path, self.kind, lay, self.header_line, rows, self.decimals)
        raise NotFast("the bulk check found a bad cell the reference rules accept")


def check_rows(path: str, kind: str, lay: _Layout, header_line: int, rows: list[tuple[int, list[str]]],
               decimals: dict[int, str]) -> None:
    """`tabular._build`'s checks on cleaned, non-blank text rows: raises its first error."""
    specs = FIELDS[kind]

    def cell(line: int, cells: list[str], name: str, idx: int) -> object:
        spec, value = specs[name], cells[idx] if idx < len(cells) else ""
        if value == "":
            if spec.required:
                raise InputError(path, line, lay.headers[idx], "", *_EMPTY_REQUIRED)
            return {"text": "", "bool": False}.get(spec.type)
        try:
            return convert_cell(spec.type, value, decimal=decimals.get(idx, ","))
        except ParseError as exc:
            raise InputError(path, line, lay.headers[idx], text_of(value), exc.expected, exc.expected_en) from None

    for line, cells in rows:
        extra = next((c for c in cells[lay.width:] if c != ""), None)
        if extra is not None:
            raise _extra_cell(path, line, extra, lay.width, header_line)
        row = {n: cell(line, cells, n, i) for n, i in lay.main.items()}
        for n, cols in lay.by_year.items():
            for i in cols.values():
                cell(line, cells, n, i)
        for group in REQUIRED_ONE_OF.get(kind, ()):
            present = [n for n in group if n in lay.main]
            if present and all(row[n] == "" for n in present):
                raise InputError(path, line, lay.headers[lay.main[present[0]]], "", *_EMPTY_REQUIRED)
