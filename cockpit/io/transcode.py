"""A UTF-16 or Windows-1252 CSV streamed as UTF-8 chunks, never whole in
memory, with `sheets._decode`'s rules and sentences:

- a UTF-16 file (its BOM, or its NULs: `sheets.utf16`) must decode whole, else "encodage
  illisible" (no line);
- any other file that is not UTF-8 is Windows-1252; a byte Windows-1252 does
  not define is "encodage illisible" on its line, and a file that also holds
  a well-formed UTF-8 character is "encodages mélangés" on the line where the
  encodings change (`sheets._refuse_mixed`).

A first pass checks the whole file and measures its UTF-8 size (the progress
bar's total); the second hands out UTF-8 bytes to `chunks._cut`. Where each
block of the file starts in the UTF-8 stream is kept, so a chunk is read
again (to name a bad cell) by decoding from there.
"""

from __future__ import annotations

import bisect
import codecs
from collections.abc import Iterator
from typing import Any

from cockpit.io.input_error import file_error
from cockpit.io.sheets import _UTF8_CHAR

BLOCK = 1 << 23  # bytes of the file decoded at a time (even: UTF-16 code units stay whole)


def _unreadable(path: str, line: int | None) -> Exception:
    return file_error(path, "encodage illisible (ni UTF-8 ni Windows-1252) : réenregistrez en « CSV UTF-8 »",
                      "unreadable encoding (neither UTF-8 nor Windows-1252): save as 'CSV UTF-8'", line)


def _mixed(path: str, line: int) -> Exception:
    return file_error(path, "encodages mélangés : UTF-8 sur certaines lignes, Windows-1252 sur d'autres (elles changent ici) ;"
                            " réenregistrez tout le fichier en « CSV UTF-8 »",
                      "mixed encodings: UTF-8 on some lines, Windows-1252 on others (they change here);"
                      " save the whole file as 'CSV UTF-8'", line)


def first_utf8_error(path: str) -> int | None:
    """Where strict UTF-8 first fails, as `sheets._decode` reports it (after a
    BOM, counted from the BOM's end: "utf-8-sig" does so), or None: UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = 0
    with open(path, "rb") as fh:
        bom = len(codecs.BOM_UTF8) if fh.read(3) == codecs.BOM_UTF8 else 0
        fh.seek(0)
        while True:
            block = fh.read(BLOCK)
            pending = len(decoder.getstate()[0])  # bytes of a character begun in the block before
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as exc:
                return done - pending + exc.start - bom
            if not block:
                return None
            done += len(block)


class _Bad(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


class Transcoded:
    """The file as UTF-8: ``size`` bytes of it, ``read(offset, n)`` and ``stream()``."""

    def __init__(self, path: str, utf16: tuple[str, int] | None, utf8_error: int | None) -> None:
        self.path = path
        # UTF-16 (`sheets.utf16`: its codec, and its BOM's length to skip), else Windows-1252
        self.codec, self.start = utf16 or ("cp1252", 0)
        self.marks: list[tuple[int, int]] = []  # (UTF-8 offset, file offset) of each block, decoder empty there
        self.size = self._check(utf8_error)

    def _blocks(self, at: int) -> Iterator[tuple[int, bytes, str]]:
        """(file offset, bytes, text) of each block from ``at``, decoded strictly;
        a byte that does not decode raises _Bad with its offset in the file."""
        decoder = codecs.getincrementaldecoder(self.codec)("strict")
        with open(self.path, "rb") as fh:
            fh.seek(at)
            while True:
                block = fh.read(BLOCK)
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(block, final=not block)
                except UnicodeDecodeError as exc:
                    raise _Bad(at - pending + exc.start) from None
                yield at, block, text
                if not block:
                    return
                at += len(block)

    def _check(self, utf8_error: int | None) -> int:
        size, found = 0, None
        tail = b""
        try:
            for at, block, text in self._blocks(self.start):
                if block:
                    self.marks.append((size, at))
                if self.codec == "cp1252" and found is None:
                    hit = _UTF8_CHAR.search(tail + block)  # a character may straddle two blocks
                    if hit is not None:
                        found = at - len(tail) + hit.start()
                    tail = block[-3:]
                size += len(text.encode("utf-8"))
        except _Bad as bad:
            raise _unreadable(self.path, self._line_at(bad.offset) if self.codec == "cp1252" else None) from None
        if found is not None and utf8_error is not None:
            change = utf8_error if found < utf8_error else found
            raise _mixed(self.path, self._line_at(change))
        return size

    def _line_at(self, offset: int) -> int:
        """`data[:offset].count(b"\\n") + 1`, reading the file in blocks."""
        count, done = 0, 0
        with open(self.path, "rb") as fh:
            while done < offset and (block := fh.read(min(BLOCK, offset - done))):
                count += block.count(b"\n")
                done += len(block)
        return count + 1

    def stream(self) -> Any:
        """A reader of the UTF-8 bytes in order: ``read(n)``."""
        return _Reader(self._texts(0))

    def _texts(self, mark: int) -> Iterator[bytes]:
        for _, _, text in self._blocks(self.marks[mark][1] if self.marks else self.start):
            if text:
                yield text.encode("utf-8")

    def read(self, offset: int, n: int) -> bytes:
        """``n`` UTF-8 bytes from ``offset``: decoded again from the block before it."""
        if not self.marks:
            return b""
        mark = bisect.bisect_right([m for m, _ in self.marks], offset) - 1
        reader = _Reader(self._texts(mark))
        reader.read(offset - self.marks[mark][0])
        return reader.read(n)


class _Reader:
    def __init__(self, parts: Iterator[bytes]) -> None:
        self._parts, self._buf = parts, b""

    def read(self, n: int) -> bytes:
        while len(self._buf) < n:
            part = next(self._parts, None)
            if part is None:
                break
            self._buf += part
        out, self._buf = self._buf[:n], self._buf[n:]
        return out
