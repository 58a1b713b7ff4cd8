"""The one sanitiser for text on its way to a terminal.

Whatever is in the workspace (group-writable: anyone may have written into it
with sqlite3) or in a file is data, never terminal control: every string from
there passes ``safe_text`` before a screen cell, a label, a dialog, a chart
label, the report or ``abc --format table`` shows it. Imports use it too
(``numbers_fr.clean_text``), but output does not rely on that.
"""

from __future__ import annotations

import re

# Escape sequences go whole, not only their ESC byte, so "\x1b[2J" leaves no
# "[2J" behind: CSI, then OSC/DCS/SOS/PM/APC strings (to BEL or ST), then any
# other escape. A C1 character (U+0080-U+009F) goes alone: a UTF-8 terminal
# does not read it as the start of a sequence.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]?"
)
# Line and paragraph breaks become a space, so a value stays on its row.
_SPACES = dict.fromkeys(map(ord, "\t\n\v\f\r\x85\u2028\u2029"), " ")
# C0/C1 controls, bidi overrides/embeddings/isolates/marks, zero-width and
# the other invisible format characters (Unicode category Cf).
_INVISIBLE_RANGES = (
    (0x00, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x600, 0x605), (0x61C, 0x61C),
    (0x6DD, 0x6DD), (0x70F, 0x70F), (0x890, 0x891), (0x8E2, 0x8E2), (0x180E, 0x180E),
    (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0xFEFF, 0xFEFF), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD),
    (0x110CD, 0x110CD), (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE007F),
)
_TABLE = {**{c: None for lo, hi in _INVISIBLE_RANGES for c in range(lo, hi + 1)}, **_SPACES,
          **dict.fromkeys(range(0xD800, 0xE000), "\ufffd")}  # a lone surrogate cannot even be printed
# Any character the table changes: absent, the text is shown as it is (no-break
# spaces of French numbers are not printable() but are safe).
_NEEDS_WORK = re.compile("[" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in (
    *_INVISIBLE_RANGES, (0x85, 0x85), (0x2028, 0x2029), (0xD800, 0xDFFF))) + "]")


def safe_text(s: str) -> str:
    """``s`` as plain characters a terminal shows: no escape sequence, no
    control or invisible character, no line break (a space instead)."""
    if s.isprintable() or not _NEEDS_WORK.search(s):  # the usual cases, at C speed
        return s
    return _ESCAPES.sub("", s.replace("\r\n", " ")).translate(_TABLE)


def is_safe(s: str) -> bool:
    return safe_text(s) == s
