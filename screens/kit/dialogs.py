"""The kit's dialogs: confirm, conflict (keep mine / take theirs) and error.

Their text wraps and, when long, scrolls: a dialog shows its whole sentence
at 80×24, never cut. Texts from data are plain (Content), never markup.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from cockpit.i18n import t

from screens.kit.keys import key_hint, keys_hint
from screens.kit.text import plain

DIALOG_CSS = """
KitDialog { align: center middle; }
KitDialog > .kit-dialog {
    width: 76; max-width: 96%; height: auto; max-height: 92%;
    padding: 0 1; border: thick $accent; background: $surface;
}
KitDialog.-error > .kit-dialog { border: thick $error; }
KitDialog .kit-body { height: auto; max-height: 16; }
KitDialog .kit-text { width: 1fr; height: auto; }
KitDialog .kit-title { width: 1fr; height: auto; text-style: bold; }
KitDialog .kit-keys { width: 1fr; height: auto; margin-top: 1; color: $text-muted; }
KitDialog .buttons { height: auto; margin-top: 1; }
"""


class KitDialog(ModalScreen[Any]):
    """A title, a body that wraps (and scrolls past 16 lines), a line of keys."""

    DEFAULT_CSS = DIALOG_CSS

    def __init__(self, title: str, body: list[str], keys: str) -> None:
        super().__init__()
        self.title_text, self.body, self.keys = title, body, keys

    def compose(self) -> ComposeResult:
        with Vertical(classes="kit-dialog"):
            if self.title_text:
                yield Static(plain(self.title_text), classes="kit-title")
            with VerticalScroll(classes="kit-body", can_focus=False):  # the keys are the dialog's, not a scroll's
                for line in self.body:
                    yield Static(plain(line), classes="kit-text")
            yield from self.buttons()
            yield Label(self.key_line(), markup=False, classes="kit-keys")

    def buttons(self) -> ComposeResult:
        yield from ()

    def key_line(self) -> str:
        """The dialog's keys; a dialog with bindings of its own names them as
        the live bindings have them (a [keys] remap included)."""
        return self.keys

    def text(self) -> str:
        """Everything the dialog says, as the rep reads it (for tests and logs)."""
        return "\n".join([self.title_text, *self.body, self.key_line()])


class ConfirmDialog(KitDialog):
    """Yes with o / y / Enter, no with n / Escape."""

    BINDINGS = [
        Binding("o,y,enter", "answer(True)", show=False, id="kit.confirm.yes"),
        Binding("n,escape", "answer(False)", show=False, id="kit.confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__("", [question], "")

    def key_line(self) -> str:
        return t("kit.confirm.keys", yes=keys_hint(self, "kit.confirm.yes"), no=keys_hint(self, "kit.confirm.no"))

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class ConflictDialog(KitDialog):
    """Someone else changed the row since it was shown: keep mine or take
    theirs. Nothing is overwritten until the rep says so."""

    BINDINGS = [
        Binding("m", "choose(True)", show=False, id="kit.conflict.mine"),
        Binding("t,escape", "choose(False)", show=False, id="kit.conflict.theirs"),
    ]

    def __init__(self, row: str, field: str, mine: str, theirs: str) -> None:
        super().__init__(t("conflict.title", name=row),
                         [t("kit.conflict.body", field=field, mine=mine, theirs=theirs)], "")
        self.add_class("-error")

    def key_line(self) -> str:
        return t("kit.conflict.keys", mine=keys_hint(self, "kit.conflict.mine"), theirs=keys_hint(self, "kit.conflict.theirs"))

    def buttons(self) -> ComposeResult:
        with Horizontal(classes="buttons"):
            yield Button(t("conflict.keep_mine", hint=key_hint(self, "kit.conflict.mine")), variant="warning", id="mine")
            yield Button(t("conflict.take_theirs", hint=key_hint(self, "kit.conflict.theirs")), variant="primary", id="theirs")

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "mine")

    def action_choose(self, mine: bool) -> None:
        self.dismiss(mine)


class ErrorDialog(KitDialog):
    """One clear sentence (file, line, column, value, what was expected); the
    workspace is unchanged. Enter or Escape closes it."""

    BINDINGS = [Binding("escape,enter", "close", show=False, id="kit.error.close")]

    def __init__(self, message: str) -> None:
        super().__init__(t("error.title"), [message], "")
        self.add_class("-error")

    def key_line(self) -> str:
        return t("error.unchanged", close=keys_hint(self, "kit.error.close"))

    def action_close(self) -> None:
        self.dismiss(False)


class ChoiceDialog(KitDialog):
    """One line among a few (e.g. whose portfolio to show): ↑ ↓ and Enter,
    Escape leaves things as they are. Lines are data: plain text."""

    BINDINGS = [Binding("escape", "close", show=False, id="kit.choice.close")]

    def __init__(self, title: str, options: list[str], current: int = 0) -> None:
        super().__init__(title, [], "")
        self.options, self.current = options, current

    def key_line(self) -> str:
        return t("kit.choice.keys", close=key_hint(self, "kit.choice.close"))

    def buttons(self) -> ComposeResult:
        from textual.widgets import OptionList

        yield OptionList(*(plain(o) for o in self.options), id="choices")

    def on_mount(self) -> None:
        from textual.widgets import OptionList

        choices = self.query_one("#choices", OptionList)
        choices.highlighted = self.current
        choices.focus()

    def on_option_list_option_selected(self, event) -> None:
        self.dismiss(event.option_index)

    def action_close(self) -> None:
        self.dismiss(None)
