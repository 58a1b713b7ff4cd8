"""The one search bar: `/` opens it at the foot of the screen, the keys typed
behind `/` land in it (type-ahead), each change and each Enter is posted to
the screen as ``SearchBar.Sought``, Escape closes it (``SearchBar.Closed``).
What a search does (jump to the next match, or filter the rows) is the
screen's; how it is typed, shown and closed is the same everywhere."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from screens.kit.typeahead import focus_now


class SearchBar(Input):
    DEFAULT_CSS = """
    SearchBar { dock: bottom; display: none; margin-bottom: 1; }
    SearchBar.-open { display: block; }
    """
    BINDINGS = [Binding("escape", "close_search", show=False)]

    @dataclass
    class Sought(Message):
        """The text changed (``again`` False) or the rep pressed Enter (True: the next match)."""

        bar: SearchBar
        text: str
        again: bool

        @property
        def control(self) -> SearchBar:
            return self.bar

    @dataclass
    class Closed(Message):
        """Escape: the bar is closed; the screen gives the focus back."""

        bar: SearchBar

        @property
        def control(self) -> SearchBar:
            return self.bar

    def __init__(self, placeholder: str, **kwargs: object) -> None:
        super().__init__(placeholder=placeholder, **kwargs)  # type: ignore[arg-type]  # Input's own keywords

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def open(self) -> None:
        """Shown and focused now, so the keys typed behind `/` reach it."""
        self.add_class("-open")
        focus_now(self)

    def close(self, clear: bool = False) -> None:
        self.remove_class("-open")
        if clear:
            self.value = ""

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Sought(self, event.value, False))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Sought(self, event.value, True))

    def action_close_search(self) -> None:
        self.close()
        self.post_message(self.Closed(self))
