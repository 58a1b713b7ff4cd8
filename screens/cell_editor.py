"""An Input that opens over a table cell to edit an amount in place.

It parses French or English amounts itself and posts ``Committed`` with
integer cents; a bad amount keeps it open (nothing typed is lost).
"""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import Input

from cockpit.i18n import t
from cockpit.tabular import parse_amount_cents, sniff_decimal

from .virtual_table import VirtualTable


class CellEditor(Input):
    class Committed(Message):
        def __init__(self, editor: "CellEditor", target: object, cents: int | None) -> None:
            super().__init__()
            self.editor, self.target, self.cents = editor, target, cents

    def __init__(self, **kwargs) -> None:
        # No validators here (the amount is parsed on submit): without validate_on, Input
        # toggles -valid on each keystroke and submit, and that class re-lays the screen out.
        super().__init__(select_on_focus=True, validate_on=(), **kwargs)
        self.target: object = None  # what is being edited, for whoever handles Committed

    @property
    def is_open(self) -> bool:
        return self.target is not None

    def open_over(self, table: VirtualTable, column: int, cents: int | None, target: object, prompt: str) -> None:
        _, y = table.cursor_screen_offset()
        x = table.column_x(column)
        self.styles.offset = (table.region.x + x - 1, table.region.y + y - 1)
        self.styles.width = max(table.source.columns[column].width, 10) + 4
        self.value = "" if cents is None else f"{cents / 100:.2f}".replace(".", ",").removesuffix(",00")
        self.tooltip = Text(prompt)  # prompts carry client names: data, not markup
        self.target = target
        self.add_class("-open")
        self.focus()

    def close(self) -> None:
        self.remove_class("-open")
        self.target = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.target is None:  # committed already, being hidden: nothing is open
            return
        text = event.value.strip()
        if not text and self.target is not None:
            cents = None  # an emptied cell: "not entered"
        else:
            try:
                cents = parse_amount_cents(text, decimal=sniff_decimal([text]))
            except ValueError:
                self.app.say(t("edit.bad_amount", value=text), "error")
                return
        target = self.target
        self.target = None
        self.post_message(self.Committed(self, target, cents))
        # Hidden once the new figures are on screen: hiding lays the whole screen
        # out again (~8 ms at 120×40), which the rep's new rank need not wait for.
        self.set_timer(0.04, self._hide_if_closed)

    def _hide_if_closed(self) -> None:
        if self.target is None:  # not reopened meanwhile
            self.remove_class("-open")
