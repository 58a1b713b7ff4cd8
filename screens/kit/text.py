"""The one way text from data reaches a widget: through the core's one
sanitiser (cockpit.safe_text) on the way out, and never read as markup."""

from __future__ import annotations

from textual.content import Content

from cockpit.safe_text import safe_text


def safe(value: object) -> str:
    """The text of ``value``, fit for a terminal."""
    return safe_text(str(value))


def plain(value: object) -> Content:
    """Data or catalogue text for a widget: sanitised, never markup."""
    return Content(safe(value))
