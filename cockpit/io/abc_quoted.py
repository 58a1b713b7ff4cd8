"""The bytes of a clients file checked for `cockpit abc`'s polars path
(`abc_plain`), quotes included, in one pass of whole-array operations.

A quote is accepted where polars and the reference (Python's csv module,
strict) read it alike, RFC 4180: a quoted cell opens at a cell's start,
closes before a separator, a line end or the file's end, and a quote inside
it is doubled. No line break inside quotes: polars cuts the file at line ends
to read it in parallel, and the reference would clean such a cell anyway. No
carriage return, no NUL. Anything else sends the file to the reference.

Quotes are followed as simdjson follows them: each block's quote, separator
and line-break bytes packed eight to a byte, then the running parity of the
quotes (in or out of a quoted cell) by shifts within 64-bit words and a carry
from word to word: a few operations per 64 bytes, no loop per row or quote.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_BLOCK = 1 << 23
_QUOTE, _LF = ord('"'), ord("\n")
_SHIFTS = [np.uint64(s) for s in (1, 2, 4, 8, 16, 32)]
_ONE, _TOP = np.uint64(1), np.uint64(63)


def unquoted_separators(path: str, offset: int, sep: str) -> tuple[int, bool] | None:
    """(separators outside quotes from ``offset`` on, whether the file holds a
    quote), or None: a CR, a NUL, a line break inside quotes, or a quote the
    two readers might read apart (not opening a cell, not closing one, never closed)."""
    mark = ord(sep)
    ends = (mark, _LF, _QUOTE)  # what may come before an opening quote, after a closing one
    count, quoted = 0, False
    inside, closed, boundary = False, False, True  # in a quoted cell; after a closing quote; after one of `ends`
    with open(path, "rb", buffering=0) as fh:
        fh.seek(offset)
        while block := fh.read(_BLOCK):
            if b"\r" in block or b"\x00" in block or (closed and block[0] not in ends):
                return None
            data = np.frombuffer(block, np.uint8)
            if b'"' not in block:  # most blocks of most files: the separators counted, as they are
                if inside and b"\n" in block:
                    return None
                count += 0 if inside else int(np.count_nonzero(data == mark))
                closed, boundary = False, block[-1] in (mark, _LF)
                continue
            quoted = True
            found = _quoted_block(data, mark, inside, boundary)
            if found is None:
                return None
            seps, inside = found
            count += seps
            closed, boundary = block[-1] == _QUOTE and not inside, block[-1] in ends
    return None if inside else (count, quoted)


def _quoted_block(data: Any, mark: int, inside: bool, boundary: bool) -> tuple[int, bool] | None:
    """(separators outside quotes, whether a quoted cell is still open at the
    end) of one block, or None; ``inside``: a quoted cell open at its start,
    ``boundary``: the byte before it may come before an opening quote."""
    n = len(data)
    quote, seps, lf = (_bits(data == b, n) for b in (_QUOTE, mark, _LF))
    # Bit i of `within`: an odd count of quotes up to byte i, counting the open cell at the start.
    within = quote.copy()
    for s in _SHIFTS:
        within ^= within << s
    word_odd = within >> _TOP  # each word's own parity
    before = (np.bitwise_xor.accumulate(word_odd) ^ word_odd) ^ np.uint64(inside)
    within ^= np.uint64(0) - before  # all ones where the words before left a cell open
    if np.any(lf & within):
        return None  # a line break inside quotes
    ends = seps | lf | quote
    ends[n >> 6] |= _ONE << np.uint64(n & 63)  # the block's end: its next byte is checked by the caller
    after = (ends >> _ONE) | (np.concatenate((ends[1:], ends[:1] & 0)) << _TOP)  # bit i: byte i + 1 is an end
    prior = (ends << _ONE) | np.concatenate(([np.uint64(boundary)], ends[:-1] >> _TOP))  # byte i - 1 is
    if np.any(quote & within & ~prior) or np.any(quote & ~within & ~after):
        return None  # a quote that opens inside a cell, or text after a closing one
    outside = int(np.bitwise_count(seps & ~within).sum())
    return outside, inside ^ bool(int(np.bitwise_count(quote).sum()) & 1)


def _bits(mask: Any, n: int) -> Any:
    """``mask`` packed a bit per byte into 64-bit words (byte i is bit i % 64
    of word i // 64), with at least one bit to spare past byte n - 1."""
    packed = np.packbits(mask, bitorder="little")
    words = np.zeros((n >> 6) + 1, "<u8")  # little-endian words: byte i of the block is bit i of the words
    words.view(np.uint8)[: len(packed)] = packed
    return words
