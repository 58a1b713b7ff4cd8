"""What every cockpit screen offers the App, and what the App offers it.

A screen declares its hooks here (help, drafts, journal, export, start-up
word); the App calls only these. The keys typed after one of the screen's
actions wait for what it opens (kit.typeahead).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, cast

from textual.screen import Screen

from cockpit.store.workspace import Edit, Workspace

if TYPE_CHECKING:
    from screens.app import CockpitApp

# What changed in the workspace, as the App tells the screens.
Changed = Literal["clients", "amounts", "prospects", "activity", "visits", "external"]


def today_of(app: Any) -> dt.date:
    """The app's idea of today (tests and demos pin it with ``app.today``): every screen's."""
    return getattr(app, "today", dt.date.today)()


@dataclass(frozen=True)
class Described:
    """How a screen names a journaled change: row, field and value, in the rep's words."""

    row: str
    field: str
    value: str



class CockpitScreen(Screen[None]):
    # Each screen says what has the focus (its table, or an entry it opens):
    # Textual's own pick on showing the screen could land after an entry opened.
    AUTO_FOCUS = None
    HELP_TITLE = "portfolio.title"  # message key: the screen's name, also on its first line
    HELP_FIGURES: list[str] = []  # message keys, one sentence each
    HELP_KEYS: dict[str, str] = {}  # a figure's {placeholder} -> the binding id whose key it names (key_hint)

    _stale: set[str] | None = None  # changes from others, held while an editor is open
    _reads = 0  # reads asked through read_shown: the last one is shown
    _shown_once = False  # the first of them shown: until then, keys typed ahead wait (kit.typeahead)

    @property
    def awaiting_first_read(self) -> bool:
        """Built, its first rows still being read."""
        return self._reads > 0 and not self._shown_once

    @property
    def cockpit(self) -> "CockpitApp":
        return cast("CockpitApp", self.app)

    # ---- hooks the App calls ---------------------------------------------
    def apply_journal(self, edit: Edit) -> bool:
        """Show an undone/redone edit if it is this screen's; True if it was."""
        return False

    def describe(self, entity: str, key: tuple[Any, ...], field: str, value: Any) -> Described | None:
        """Name a change of this screen's entities (for undo and conflict messages)."""
        return None

    def has_open_edit(self) -> bool:
        from screens.kit.editor import InlineEditor

        return any(e.is_open for e in self.query(InlineEditor))

    def draft(self) -> dict[str, Any] | None:
        """What is being typed (for SIGHUP), as JSON-able data, or None."""
        return None

    def data_changed(self, what: str) -> None:
        """``what`` changed in the workspace: reload what this screen shows of it."""

    def on_virtual_table_sorted(self, event: Any) -> None:
        """`S` on any table: said on the status line, the one way for every screen."""
        self.cockpit.tell(event.said)

    # ---- changes from others wait for the open entry ---------------------
    def notify_changed(self, what: Changed) -> None:
        """Reload now, or when the entry the rep is typing in closes."""
        if not self.is_attached:  # the app is closing (a poll answered as it quit): nothing left to show
            return
        if self.has_open_edit():
            self._stale = (self._stale or set()) | {what}
            return
        self.data_changed(what)

    def read_shown(self, work: Callable[[Workspace], Any], show: Callable[[Any], None]) -> None:
        """Read what the screen shows (off the UI thread), then show it. A read
        that ends while the rep types in an entry (asked before it opened) waits
        like a change heard then: shown now, its rows would move under the entry.
        The entry's close reads again. Only the last read asked is shown: two
        reads can end in either order (`]]` typed in one burst)."""
        self._reads += 1
        asked = self._reads

        def shown(result: Any) -> None:
            if asked != self._reads:
                return  # a later read shows what the rep asked last
            if self.has_open_edit():
                self._stale = (self._stale or set()) | {"external"}
                return
            show(result)
            if not self._shown_once:
                self._shown_once = True
                self.cockpit.typeahead.release()  # keys typed behind this screen's key were for these rows

        self.cockpit.run_read(work, shown)

    def hold_change(self, what: Changed) -> None:
        """A change this hidden screen reads when it is shown again: not in a
        worker per edit while the rep works on another screen."""
        self._stale = (self._stale or set()) | {what}

    def on_screen_resume(self) -> None:
        if self._stale and not self.has_open_edit():
            self.editor_closed()

    def editor_closed(self) -> None:
        """An entry closed: apply what others changed meanwhile."""
        stale, self._stale = self._stale, None
        for what in sorted(stale or ()):
            self.data_changed(what)
