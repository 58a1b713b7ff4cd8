"""The one inline editor: an Input that opens over a table cell, names what
it edits, parses what the rep typed and posts ``InlineEditor.Done``.

- It takes focus at once (not on the next tick), and the keys that open it
  are priority bindings, so every key of a burst typed after the edit key
  lands in it.
- A bad entry keeps it open with the text (nothing typed is lost) and says
  what was expected; an empty required amount is refused, never saved as 0.
- A change of an amount by more than 90 % asks first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input

from cockpit.i18n import current, money, pct, t
from cockpit.io.numbers_fr import AMOUNT_EXPECTED, ParseError
from cockpit.io.tabular import parse_amount_cents, sniff_decimal

from screens.kit.keys import key_hint
from screens.kit.text import plain, safe
from screens.kit.typeahead import focus_now

if TYPE_CHECKING:
    from screens.kit.virtual_table import VirtualTable

BIG_CHANGE = 0.9  # an amount moved by more than this share of itself is confirmed


def parse_amount(text: str) -> int:
    """Cents from a French or English amount; ParseError names the expected form."""
    try:
        return parse_amount_cents(text, decimal=sniff_decimal([text]))
    except ValueError:
        raise ParseError(*AMOUNT_EXPECTED) from None


def amount_text(cents: int | None) -> str:
    """An amount as the rep types it back (1234,5 → "1234,50"), no thousands separator."""
    if cents is None:
        return ""
    text = f"{cents / 100:.2f}"
    return (text.replace(".", ",") if current() == "fr" else text).removesuffix(",00").removesuffix(".00")


@dataclass
class EditField:
    """What the editor edits: named for the rep, parsed by ``parse``."""

    row: str  # the row's name (a client, a prospect, a rep's month): data
    label: str  # the field, in the rep's words
    text: str  # what the entry starts with
    parse: Callable[[str], Any]  # raises ParseError (or ValueError) on a bad entry
    target: Any = None  # the screen's own handle on what is edited
    amount: int | None = None  # cents before the edit, for an amount: empty refused, big changes confirmed
    required: bool = False
    optional_amount: bool = False  # an amount that may be cleared (a potential): empty means "not entered"

    def title(self) -> str:
        return safe(f"{self.label} · {self.row}")


def is_big_change(old: int | None, new: int | None) -> bool:
    return old is not None and old != 0 and new is not None and abs(new - old) > BIG_CHANGE * abs(old)


class InlineEditor(Input):
    # Hidden, not display: none: showing it then lays nothing out again.
    DEFAULT_CSS = """
    InlineEditor { position: absolute; visibility: hidden; layer: overlay; height: 3; border: tall $accent; }
    InlineEditor.-open { visibility: visible; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False, id="kit.editor.cancel")]

    class Done(Message):
        """The rep confirmed a value that parsed: the screen commits it."""

        def __init__(self, editor: "InlineEditor", field: EditField, value: Any) -> None:
            super().__init__()
            self.editor, self.field, self.value = editor, field, value

        @property
        def control(self) -> "InlineEditor":
            return self.editor

    def __init__(self, **kwargs: Any) -> None:
        # No validators (parsed on submit): toggling -valid per key re-lays the screen out.
        super().__init__(select_on_focus=True, validate_on=(), **kwargs)
        self.field: EditField | None = None
        self._back_to: Widget | None = None

    @property
    def is_open(self) -> bool:
        return self.field is not None

    def draft_restored(self) -> str:
        """The words for an entry a dropped session left, opened again here."""
        f = self.field
        return t("kit.draft.restored", row=f.row if f else "", field=f.label if f else "", cancel=key_hint(self, "kit.editor.cancel"))

    def open_over(self, table: "VirtualTable", column: int | None, field: EditField, *, keep_text: bool = False) -> None:
        """Open over the cursor's cell of ``column`` (or across the row when
        the column is not shown), naming the field and the row in its title."""
        _, y = table.cursor_screen_offset()
        if column is not None and table.is_shown(column):
            x = table.column_x(column)
            width = max(table.source.columns[column].width, 12) + 4
        else:
            x, width = 1, max(24, table.region.width - 2)
        width = max(width, min(len(field.title()) + 6, table.region.width))
        left = max(0, min(table.region.x + x - 1, table.region.right - width))
        self.styles.offset = (left, table.region.y + y - 1)
        self.styles.width = width
        self.open(field, keep_text=keep_text)

    def open(self, field: EditField, *, keep_text: bool = False) -> None:
        from screens.kit.scope import refused_here

        if refused_here(self.app):  # the team's view, for a rep: nothing to type into
            return
        self.field = field
        self.border_title = plain(field.title())  # a name is data: never markup, never control
        self.select_on_focus = not keep_text  # a restored draft is gone on with, not replaced
        self.value = safe(field.text)  # a stored value shown as it will be kept (no control)
        self.cursor_position = len(self.value)
        self.add_class("-open")
        self.styles.visibility = "visible"  # now: a hidden widget cannot take the focus
        self._back_to = self.screen.focused if self.screen.focused is not self else None
        focus_now(self)  # now, not on the next tick: the rest of a burst is waiting for this entry
        self.app.call_later(self._keep_focus)  # a focus() asked for just before (a tab switch) runs after this

    def _keep_focus(self) -> None:
        if self.field is not None and not self.has_focus and self.screen is self.app.screen:
            self.screen.set_focus(self)

    def on_blur(self) -> None:
        # Open, yet something took the focus back on this screen (a reload
        # focusing its table): the entry keeps it. A dialog above is another screen.
        if self.field is not None:
            self.app.call_later(self._keep_focus)

    def close(self) -> None:
        if self.field is None:
            return
        self.field = None
        self.remove_class("-open")
        self.styles.visibility = "hidden"
        back, self._back_to = self._back_to, None
        if back is not None and back.is_attached:
            self.screen.set_focus(back)
        screen = self.screen
        closed = getattr(screen, "editor_closed", None)
        if closed is not None:
            closed()

    def action_cancel(self) -> None:
        self.close()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.field
        if field is None:
            return
        text = event.value.strip()
        try:
            value = self._parse(field, text)
        except (ParseError, ValueError) as exc:
            expected = getattr(exc, "expected" if current() == "fr" else "expected_en", str(exc))
            self.app.notify(t("kit.edit.bad", value=safe(text), expected=expected), severity="error", markup=False)
            return  # open, with the text: nothing typed is lost
        if field.amount is not None and is_big_change(field.amount, value):
            self._confirm_big(field, value)
            return
        self._done(field, value)

    def _parse(self, field: EditField, text: str) -> Any:
        if not text and (field.required or field.amount is not None and not field.optional_amount):
            required = t("kit.edit.required", cancel=key_hint(self, "kit.editor.cancel"))
            raise ParseError(required, required)
        if not text and field.optional_amount:
            return None
        return field.parse(text)

    def _confirm_big(self, field: EditField, value: int) -> None:
        from screens.kit.dialogs import ConfirmDialog

        old = field.amount or 0
        question = t("kit.edit.big_change", row=field.row, field=field.label, old=money(old), new=money(value),
                     change=("+" if value > old else "") + pct((value - old) / abs(old), 0))

        def answer(yes: bool | None) -> None:
            if yes and self.field is field:
                self._done(field, value)
            elif self.field is field:
                self.screen.set_focus(self)

        self.app.push_screen(ConfirmDialog(question), answer)

    def _done(self, field: EditField, value: Any) -> None:
        self.close()
        self.post_message(self.Done(self, field, value))
