"""Where a CSV file's rows start, read from its first bytes: the separator
(a "sep=" line, else sniffed), the byte offset and line of the first row.
Without pyarrow: `cockpit abc`'s polars path reads it too (`abc_plain`)."""

from __future__ import annotations

import codecs

from cockpit.io.sheets import _SEP_LINE, _sniff_separator

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF8_HEAD = 1 << 18  # bytes found UTF-8 for the file to be taken for UTF-8


def is_utf8(data: bytes, final: bool) -> bool:
    """Whether ``data`` is UTF-8 (a character cut at its end is allowed unless ``final``)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(data, final)
    except UnicodeDecodeError:
        return False
    return True


def rows_start(data: bytes) -> tuple[str, int, int]:
    """Separator, byte offset of the first row and its line (after a BOM and a "sep=" line)."""
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    # "replace": bytes past the head are not checked yet (a chunk that holds one raises NotUtf8)
    text = codecs.getincrementaldecoder("utf-8")(errors="replace").decode(data[skip:])
    sep_line = _SEP_LINE.match(text)
    if sep_line:
        return sep_line[1], skip + len(text[: sep_line.end()].encode("utf-8")), 2
    return _sniff_separator(text), skip, 1
