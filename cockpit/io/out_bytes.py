"""Text made as UTF-8 bytes in bulk, written to a text stream: straight to
its bytes when it is UTF-8 (stdout usually), else decoded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import BinaryIO, TextIO


def utf8_bytes(out: TextIO) -> BinaryIO | None:
    """The bytes under ``out`` when it writes UTF-8 (stdout usually), else None."""
    utf8 = (getattr(out, "encoding", "") or "").lower().replace("-", "") == "utf8"
    return getattr(out, "buffer", None) if utf8 else None


def write_chunks(out: TextIO, head: str, chunks: Iterable[memoryview], tail: str = "") -> None:
    """``head``, the chunks (UTF-8) and ``tail`` to ``out``: to its bytes when it is UTF-8."""
    out.write(head)
    out.flush()
    binary = utf8_bytes(out)
    for chunk in chunks:
        if binary is not None:
            binary.write(chunk)
        else:
            out.write(bytes(chunk).decode("utf-8"))
    if binary is not None:
        binary.flush()
    out.write(tail)
