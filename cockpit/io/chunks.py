"""A CSV file as a stream of chunks of whole rows, each parsed into columns of
text: pyarrow's reader for a chunk without quotes, the csv module (the
reference reader, `cockpit.io.sheets`) for one with quotes or ragged rows.

UTF-8 files are read from disk as they are; UTF-16 and Windows-1252 files
are decoded block by block into UTF-8 (`cockpit.io.transcode`, with
`sheets._decode`'s rules and errors) then cut the same way: neither is ever
whole in memory.
Anything the reference reader would treat differently (bare CR line ends, NUL
bytes, unbalanced quotes, giant cells) raises `NotFast`: the caller then
reads the file with the reference reader instead.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from cockpit.io.french_columns import chunk_is_clean
from cockpit.io.csv_start import OLE2, UTF8_HEAD, is_utf8, rows_start
from cockpit.io.sheets import refuse_other_binaries, utf16

_LONGEST_CELL = 100_000  # the csv module's field limit is 131,072: past this, the reference decides
FIRST_CHUNK = 1 << 16  # small: read by the csv module, it holds the header
CHUNK = 1 << 23
_BLOCK = 1 << 20  # pyarrow parses a chunk's blocks in parallel: twice as fast on two cores as one block


class NotFast(Exception):
    """This file needs the reference reader (nothing has been committed)."""


class NotUtf8(Exception):
    """A chunk past the head is not UTF-8: read the file again, checked whole
    first (`open_source` with ``check=True``), which finds its encoding."""


@dataclass
class Chunk:
    first_line: int  # physical line of its first byte
    offset: int  # where its bytes start in the (UTF-8) stream: `Source.again` reads it again
    data: bytes  # UTF-8, whole rows
    by_csv: bool  # parsed by the csv module (quotes, ragged rows)
    columns: list[pa.Array]  # raw text cells, "" past a short row's end
    clean: bool = False  # no cell `french_columns.clean` would change (checked on the bytes, in the reading thread)

    def rows_with_lines(self, sep: str) -> list[tuple[int, list[str]]]:
        """(physical line, raw cells) of each row, as `sheets._csv_table_by_line` numbers them."""
        return _csv_rows(self.data, sep, self.first_line)


@dataclass
class Source:
    path: str
    sep: str
    size: int  # bytes of the UTF-8 stream
    head: bytes  # the first bytes, to tell the format

    def chunks(self) -> Iterator[Chunk]:
        raise NotImplementedError

    def again(self, offset: int, size: int) -> bytes:
        raise NotImplementedError


def open_source(path: str, check: bool = False) -> Source | None:
    """The file as chunks of UTF-8 rows, or None for a workbook or OLE2 file
    (the reference reader names them). A file whose head is UTF-8 is taken
    for UTF-8 unless ``check``: each chunk is checked as it is parsed (pyarrow
    checks as it reads; the csv module decodes), and one that is not raises
    `NotUtf8`, instead of a whole pass over the file before the first row."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(1 << 18)
    except OSError:
        return None  # the reference reader says why, in its words
    if head.startswith((b"PK", OLE2)):
        return None
    refuse_other_binaries(path, head)  # empty, renamed .xlsx, binary: its sentence
    from cockpit.io.transcode import Transcoded, first_utf8_error

    wide = utf16(head)
    if wide is None and not check and is_utf8(head[:UTF8_HEAD], final=size <= UTF8_HEAD):
        return _OnDisk(path, size, head)
    error = None if wide else first_utf8_error(path)
    if wide is not None or error is not None:  # decoded as it streams, with `sheets._decode`'s rules and errors
        return _Streamed(path, head, Transcoded(path, wide, error))
    return _OnDisk(path, size, head)


class _OnDisk(Source):
    def __init__(self, path: str, size: int, head: bytes) -> None:
        super().__init__(path, "", size, head)
        self.sep, self._offset, self._line = rows_start(head)

    def chunks(self) -> Iterator[Chunk]:
        with open(self.path, "rb") as fh:
            fh.seek(self._offset)
            yield from _cut(lambda n: fh.read(n), self.sep, self._line, self._offset)

    def again(self, offset: int, size: int) -> bytes:
        with open(self.path, "rb") as fh:
            fh.seek(offset)
            return fh.read(size)


class _Streamed(Source):
    """A UTF-16 or Windows-1252 file, as UTF-8 decoded block by block."""

    def __init__(self, path: str, head: bytes, text: Any) -> None:
        super().__init__(path, "", text.size, head)  # size: of the UTF-8 stream cut into chunks
        self._text = text
        self.sep, self._offset, self._line = rows_start(text.read(0, 1 << 18))

    def chunks(self) -> Iterator[Chunk]:
        stream = self._text.stream()
        stream.read(self._offset)
        yield from _cut(stream.read, self.sep, self._line, self._offset)

    def again(self, offset: int, size: int) -> bytes:
        return cast(bytes, self._text.read(offset, size))


def _cut(read: Any, sep: str, line: int, offset: int) -> Iterator[Chunk]:
    """Chunks ending on a line break outside quotes (an even count of quotes before it)."""
    rest, size, first = b"", FIRST_CHUNK, True
    while True:
        block = read(size)
        data = rest + block
        if not data:
            return
        if block:
            end = _row_end(data)
            if end < 0 or first and data.count(b"\n", 0, end) < 64:  # the header's chunk holds 64 lines
                rest, size = data, size * 2
                continue
            data, rest = data[:end], data[end:]
        else:
            rest = b""
        yield _parse(data, sep, line, offset, first)
        line += data.count(b"\n")
        offset += len(data)
        first, size = False, CHUNK
        if not block:
            return


def _row_end(data: bytes) -> int:
    """Just after the last line break with an even count of quotes before it, else -1."""
    end = data.rfind(b"\n")
    quotes = data.count(b'"', 0, end) if end >= 0 else 0
    while end >= 0 and quotes % 2:
        prev = data.rfind(b"\n", 0, end)
        quotes -= data.count(b'"', prev + 1 if prev >= 0 else 0, end)
        end = prev
    return end + 1 if end >= 0 else -1


def _parse(data: bytes, sep: str, line: int, offset: int, first: bool) -> Chunk:
    if b"\x00" in data or data.count(b"\r") != data.count(b"\r\n"):
        raise NotFast("NUL byte or bare CR line end")
    if not first and b'"' not in data:
        columns = _arrow_columns(data, sep)
        if columns is not None:
            return Chunk(line, offset, data, False, columns, chunk_is_clean(data, sep))
    rows = [cells for _, cells in _csv_rows(data, sep, line)]
    width = max(map(len, rows), default=0)
    columns = [pa.array([r[i] if i < len(r) else "" for r in rows], pa.string()) for i in range(width)]
    return Chunk(line, offset, data, True, columns)


def _arrow_columns(data: bytes, sep: str) -> list[pa.Array] | None:
    """The cells of a chunk without quotes, by pyarrow; None if its rows are ragged."""
    width = data.count(sep.encode("utf-8"), 0, data.find(b"\n")) + 1
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, block_size=_BLOCK, use_threads=True),
            parse_options=pacsv.ParseOptions(delimiter=sep, quote_char=False, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None  # a row with another count of cells: the csv module reads this chunk
    columns = [table.column(i).combine_chunks() for i in range(width)]
    if any((pc.max(pc.binary_length(c)).as_py() or 0) >= _LONGEST_CELL for c in columns):
        raise NotFast("a cell too long for a table")
    return columns


def _csv_rows(data: bytes, sep: str, first_line: int) -> list[tuple[int, list[str]]]:
    """Rows of a chunk read as `sheets._csv_table_by_line` reads a file: strict csv, physical lines."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise NotUtf8 from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    out: list[tuple[int, list[str]]] = []
    last = 0
    try:
        for cells in reader:
            out.append((first_line + last, cells))
            last = reader.line_num
    except csv.Error:
        raise NotFast("unbalanced quotes or a giant cell: the reference reader names it") from None
    if any(len(c) >= _LONGEST_CELL for _, cells in out for c in cells):
        raise NotFast("a cell too long for a table")
    return out
