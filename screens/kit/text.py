"""The one way text from data reaches a widget: through the core's one
sanitiser (cockpit.safe_text) on the way out, and never read as markup."""

from __future__ import annotations

import re
from typing import Any

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


def guard_output() -> None:
    """The last line of defence, on the way out: every cell's text passes the
    one sanitiser as Textual turns a strip of cells into terminal bytes, so a
    value a widget took as it is (an Input's value or suggestion, a label made
    with an f-string) never reaches the terminal as an escape sequence or a
    bidi override. Widgets still pass data through ``safe``/``plain`` (widths
    are measured on what is shown); this only catches what slipped by.
    Textual is pinned exactly: tests/test_output_guard.py checks the hook."""
    from textual.strip import Strip
    from rich.segment import Segment

    original = Strip.render
    if getattr(original, "guarded", False):
        return

    def render(self: Strip, console: Any) -> str:
        if self._render_cache is None and not all(safe_text(text) is text for text, _, _ in self._segments):
            clean = Strip([Segment(safe_text(text), style, control) for text, style, control in self._segments])
            self._render_cache = original(clean, console)
        return original(self, console)

    render.guarded = True  # type: ignore[attr-defined]
    Strip.render = render  # type: ignore[method-assign]
