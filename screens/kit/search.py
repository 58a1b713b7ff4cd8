"""The one search bar: `/` opens it at the foot of the screen, the keys typed
behind `/` land in it (type-ahead), each change and each Enter is posted to
the screen as ``SearchBar.Sought``, Escape closes it (``SearchBar.Closed``).
What a search does (jump to the next match, or filter the rows) is the
screen's; how it is typed, shown and closed is the same everywhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from cockpit.i18n import t

from screens.kit.keys import key_hint
from screens.kit.typeahead import focus_now

if TYPE_CHECKING:
    from screens.kit.virtual_table import VirtualTable


class SearchBar(Input):
    DEFAULT_CSS = """
    SearchBar { dock: bottom; display: none; margin-bottom: 1; }
    SearchBar.-open { display: block; }
    """
    BINDINGS = [Binding("escape", "close_search", show=False),
                Binding("down", "again(False)", show=False, id="kit.search.next"),
                Binding("up", "again(True)", show=False, id="kit.search.previous")]

    @dataclass
    class Sought(Message):
        """The text changed (``again`` False) or the rep asked for the next
        match (Enter, ↓) or the previous one (↑: ``backwards``)."""

        bar: SearchBar
        text: str
        again: bool
        backwards: bool = False
        arrow: bool = False  # ↑ or ↓ (Enter also closes a filtering bar)

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

    def __init__(self, prompt: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]  # Input's own keywords
        self.prompt = prompt  # a message key: said with ↓ ↑ as the live bindings have them

    def on_mount(self) -> None:
        self.placeholder = t(self.prompt, next=key_hint(self, "kit.search.next"), previous=key_hint(self, "kit.search.previous"))

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

    def action_again(self, backwards: bool) -> None:
        self.post_message(self.Sought(self, self.value, True, backwards, arrow=True))

    def count(self, at: int, total: int) -> None:
        """"2/5" at the bar's corner: which match the cursor is on, of how many."""
        from textual.content import Content

        self.border_subtitle = Content(f"{at}/{total}" if total else t("kit.search.no_match"))

    def action_close_search(self) -> None:
        self.close()
        self.post_message(self.Closed(self))


def jump(matches: Sequence[int] | np.ndarray, cursor: int, again: bool, backwards: bool) -> int | None:
    """Where a search puts the cursor among ``matches`` (display rows, ascending):
    as the rep types, the first at or after the cursor; asked again, the next
    (or previous) one, round the end. None without a match."""
    if not len(matches):
        return None
    rows = np.asarray(matches)
    if backwards:
        k = int(np.searchsorted(rows, cursor, side="left")) - 1
        return k if k >= 0 else len(rows) - 1
    k = int(np.searchsorted(rows, cursor, side="right" if again else "left"))
    return k if k < len(rows) else 0


IN_WORKER = 50_000  # rows; below, a search is a few milliseconds on the UI thread


def find(bar: SearchBar, table: "VirtualTable", match: Callable[[str], Any], event: SearchBar.Sought,
         none: Callable[[str], None]) -> None:
    """The one search of a table: ``match(text)`` gives the source's rows that
    match; the cursor goes to the next one on screen (sorted or not) and the
    bar counts "2/5". A big table is searched off the UI thread, the latest
    keystroke winning. ``none(text)`` says there is no match."""
    text, source = event.text, table.inner_source
    if not text:
        bar.border_subtitle = ""
        return

    def found(indices: Any) -> None:
        if source is not table.inner_source or bar.value != text:
            return  # the rep typed on, or the table was reloaded: a newer search follows
        rows = np.sort(table.display_rows(indices))
        k = jump(rows, table.cursor_row, event.again, event.backwards)
        bar.count(0 if k is None else k + 1, len(rows))
        if k is None:
            none(text)
        else:
            table.move_to(int(rows[k]))

    if source.row_count() < IN_WORKER:
        found(match(text))
        return

    def work() -> None:
        indices = match(text)
        bar.app.call_from_thread(found, indices)

    bar.run_worker(work, thread=True, exclusive=True, group="search", exit_on_error=False)


def cells_match(source: Any, text: str) -> list[int]:
    """The source's rows with a cell containing ``text`` (case aside): the
    search of a small table that has no faster one of its own."""
    needle = text.casefold()
    return [i for i in range(source.row_count()) if any(needle in cell.plain.casefold() for cell in source.row(i))]
