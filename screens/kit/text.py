"""The one way text from data reaches the terminal: stripped of control,
escape, bidi and zero-width characters on the way out (the workspace may
hold what another program wrote), and never read as markup."""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from cockpit.numbers_fr import clean_text


def safe(value: object) -> str:
    """The text of ``value``, fit for a terminal."""
    return clean_text(str(value))


def plain(value: object) -> Content:
    """Data or catalogue text for a widget: sanitised, never markup."""
    return Content(safe(value))


def cell(value: object, style: str = "") -> Text:
    """A table cell or a panel line from data."""
    return Text(safe(value), style=style)
