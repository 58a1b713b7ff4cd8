"""Prospects as reps work them (issue 15 item 7): the selected prospect's
timeline of calls and visits, a contact logged from this screen (the kit's
one-line entry, as on Today), and the stage board toggled with the table.

The board's cursor and the table's stay on the same prospect, so every key of
the screen (``+``/``-``, ``e``, ``r``, a contact) acts on the selected card
through the table's own paths (change_stage, the committer, the undo)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from cockpit.action.card import Contact
from cockpit.i18n import t
from cockpit.prospects.store import Prospect
from cockpit.prospects.timeline import prospect_timelines

from screens.kit.base import Described
from screens.kit.contact_entry import Contactee, open_entry
from screens.prospects.board import StageBoard, cards_of

if TYPE_CHECKING:  # a mixin of ProspectsScreen
    import datetime as dt

    from cockpit.prospects.book import Book
    from cockpit.store.workspace import Workspace
    from screens.kit.base import CockpitScreen as _ScreenBase
    from screens.kit.editor import InlineEditor
    from screens.kit.virtual_table import VirtualTable
    from screens.prospects.source import ProspectSource
else:
    _ScreenBase = object


class ProspectWork(_ScreenBase):
    """Mixin for ProspectsScreen (which provides book, table, source, editor, current(), today())."""
    if TYPE_CHECKING:
        book: Book | None
        @property
        def table(self) -> VirtualTable: ...
        @property
        def source(self) -> ProspectSource: ...
        @property
        def editor(self) -> InlineEditor: ...
        def today(self) -> dt.date: ...
        def current(self) -> Prospect | None: ...
        def move_to_id(self, pid: int | None) -> None: ...
        def prospect_by_id(self, pid: int | None) -> Prospect | None: ...
        def _paint_detail(self) -> None: ...

    timelines: dict[int, list[Contact]] = {}  # prospect id -> contacts, newest first (read with the book)

    def contacts_of(self, p: Prospect | None) -> list[Contact]:
        return self.timelines.get(p.id, []) if p is not None else []

    @staticmethod
    def read_timelines(ws: Workspace, prospects: list[Prospect]) -> dict[int, list[Contact]]:
        return prospect_timelines(ws, (p.id for p in prospects))

    # ---- a call or a visit ---------------------------------------------------
    def describe_contact(self, field: str, value: object) -> Described | None:
        """"appel avec <société>" for an undone or redone contact with one of this screen's prospects."""
        if not isinstance(value, dict) or not value.get("prospect_id"):
            return None
        p = self.prospect_by_id(value["prospect_id"])
        if p is None:
            return None
        return Described(t("today.contact_with", kind=t(f"action.kind.{value.get('kind')}"), name=p.company), field, "")

    def action_log(self, kind: str) -> None:
        p = self.current()
        if p is None:
            return
        open_entry(self, self.editor, cast("VirtualTable", self.anchor), 0, Contactee(("prospect", p.id), p.company,
                   p.version), kind, self.today())

    # ---- the board -------------------------------------------------------------
    @property
    def board(self) -> StageBoard:
        return self.query_one("#p-board", StageBoard)

    @property
    def on_board(self) -> bool:
        return self.has_class("-board")

    @property
    def anchor(self) -> Any:
        """What an inline entry opens over: the board's card or the table's row."""
        return self.board if self.on_board else self.table

    def focus_list(self) -> None:
        """The table, or the board when it is shown (a hidden table must not take the keys)."""
        self.anchor.focus()

    def action_board(self) -> None:
        self.toggle_class("-board")
        if self.on_board:
            self._paint_board()
            self.board.focus()
            chosen = self.board.selected
            if chosen is not None:
                self.move_to_id(chosen.pid)
                self._paint_detail()
        else:
            self.table.focus()

    def _paint_board(self) -> None:
        book = self.book
        if book is None or not self.on_board:
            return
        rows, table = self.source.rows, self.table
        order = sorted(range(len(rows)), key=table.display_row)  # as the table shows them, sorted or not
        shown = [book.prospects[rows[i]] for i in order]  # the table's filters and order
        current = self.current()
        self.board.show(cards_of(shown), self.today(), current.id if current is not None else None)

    def on_stage_board_selected(self, event: StageBoard.Selected) -> None:
        if event.pid is not None:
            self.move_to_id(event.pid)
        self._paint_detail()
