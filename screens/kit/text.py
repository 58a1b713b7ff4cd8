"""The one way text from data reaches a widget: through the core's one
sanitiser (cockpit.safe_text) on the way out, and never read as markup."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.visual import VisualType
from textual.widgets import Static

from cockpit.safe_text import safe_text


def safe(value: object) -> str:
    """The text of ``value``, fit for a terminal."""
    return safe_text(str(value))


def plain(value: object) -> Content:
    """Data or catalogue text for a widget: sanitised, never markup."""
    return Content(safe(value))


def wrap_between_words(text: Text, width: int) -> Text:
    """``text`` in lines of at most ``width`` cells, cut only at ordinary
    spaces. rich and Textual also cut at no-break spaces (``str.isspace``),
    which split figures ("HHI 1 / 184", "6 111 / €"): a figure stays whole."""
    out: list[Text] = []
    for line in text.split("\n", allow_blank=True):
        offsets, column, plain = [], 0, line.plain
        for word in re.finditer(r"[^ ]+ *| +", plain):
            size = cell_len(word.group().rstrip(" "))
            if column and column + size > width:
                offsets.append(word.start())
                column = 0
            column += cell_len(word.group())
        pieces = list(line.divide(offsets)) if offsets else [line]
        for piece in pieces[:-1]:
            piece.rstrip()  # the space at the cut, in place
        out += pieces
    wrapped = Text("\n", end="").join(out)
    wrapped.no_wrap, wrapped.overflow = True, "ellipsis"
    return wrapped


class Prose(Static):
    """A Static for panels of words and figures: wrapped between words only
    (see ``wrap_between_words``). Text only, never markup."""

    def __init__(self, text: str | Text = "", **kwargs) -> None:
        super().__init__(markup=False, **kwargs)
        self.text = Text(text) if isinstance(text, str) else text

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        self.text = content if isinstance(content, Text) else Text(str(content))
        self.refresh(layout=layout)

    def render(self) -> Text:
        return wrap_between_words(self.text, max(1, self.content_region.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap_between_words(self.text, max(1, width)).plain.split("\n"))
