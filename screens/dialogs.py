"""Modal dialogs: limits, help. Escape closes every one of them."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from cockpit.portfolio.abc import Limits
from cockpit.i18n import number, t

from screens.kit.keys import key_hint, live_keys, visible_bindings

if TYPE_CHECKING:
    from screens.app import CockpitApp


class LimitsDialog(ModalScreen[Limits | None]):
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, limits: Limits, amount_field: str = "revenue") -> None:
        super().__init__()
        self.limits, self.amount_field = limits, amount_field

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(t("limits.title" + (".margin" if self.amount_field == "margin" else "")), markup=False)
            yield Label(t("limits.a"), markup=False)
            yield Input(number(float(self.limits.a) * 100, 1), id="a-limit")
            yield Label(t("limits.b"), markup=False)
            yield Input(number(float(self.limits.b) * 100, 1), id="b-limit")
            with Horizontal(classes="buttons"):
                yield Button(t("dialog.ok"), variant="primary", id="ok")
                yield Button(t("dialog.cancel"), id="cancel")

    def _read(self) -> Limits | None:
        try:
            a, b = (Fraction(self.query_one(f"#{w}", Input).value.replace(",", ".").replace("%", "").strip()) / 100
                    for w in ("a-limit", "b-limit"))
            return Limits.of(a, b)
        except (ValueError, ZeroDivisionError):
            return None

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        limits = self._read()
        if limits is None:
            cast("CockpitApp", self.app).say(t("limits.bad"), "error")
        else:
            self.dismiss(limits)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every binding of the screen it was opened from, and what the figures mean."""

    BINDINGS = [Binding("escape", "close", show=False)]

    def __init__(self, screen_title: str, node, figures: list[str]) -> None:
        super().__init__()
        self.screen_title, self.node, self.figures = screen_title, node, figures
        for key in live_keys(node, "app.help"):  # the key that opened it closes it, whatever [keys] made it
            self._bindings.bind(key, "close", show=False)

    def compose(self) -> ComposeResult:
        lines = Text()
        lines.append(t("help.keys") + "\n", style="bold")
        for keys, binding in visible_bindings(self.node) + visible_bindings(self.app):
            lines.append(f"  {keys:<14}", style="bold")
            lines.append(f"{binding.description}  {binding.tooltip}\n")
        lines.append("\n" + t("help.figures") + "\n", style="bold")
        hints = {name: key_hint(self.node, binding) for name, binding in self.node.HELP_KEYS.items()}  # as remapped
        for fig in self.figures:
            lines.append(f"  • {t(fig, **hints)}\n")
        with Vertical(classes="dialog help"):
            yield Label(t("help.title", screen=self.screen_title), markup=False)
            with VerticalScroll():
                yield Static(lines, id="help-body")
            yield Label(t("help.close", hint=key_hint(self.node, "app.help")), markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


class ClientListDialog(ModalScreen[int | None]):
    """The clients behind a figure; Enter jumps to one in the table."""

    BINDINGS = [Binding("escape", "close", show=False)]

    def __init__(self, title: str, rows: list[tuple[str, int | None, int | None]]) -> None:
        super().__init__()
        self.title_text, self.rows = title, rows

    def compose(self) -> ComposeResult:
        from screens.kit.virtual_table import VirtualTable

        with Vertical(classes="dialog list"):
            yield Label(self.title_text, markup=False)
            yield VirtualTable(_ClientRows(self.rows), id="client-list")
            yield Label(t("list.hint"), markup=False)

    def on_virtual_table_activated(self, event) -> None:
        index = self.rows[event.row][2] if self.rows else None
        self.dismiss(index)

    def action_close(self) -> None:
        self.dismiss(None)


class _ClientRows:
    def __init__(self, rows: list[tuple[str, int | None, int | None]]) -> None:
        from screens.kit.virtual_table import Column

        self.rows = rows
        self.columns = [Column(t("col.name"), 0, min_width=16), Column(t("col.amount"), 14, "right")]

    def row_count(self) -> int:
        return len(self.rows)

    def row(self, index: int) -> list[Text]:
        from cockpit.i18n import money

        name, amount, _ = self.rows[index]
        return [Text(name), Text("—" if amount is None else money(amount))]



class TooSmallScreen(ModalScreen[None]):
    """Shown while the terminal is below the size the cockpit can be used at:
    no edit can be made half-seen. It goes away when the terminal grows."""

    BINDINGS = [Binding("escape", "app.bell", show=False)]

    def compose(self) -> ComposeResult:
        yield Label(t("too_small", width=MIN_SIZE[0], height=MIN_SIZE[1], hint=key_hint(self, "app.force_quit")),
                    markup=False, id="too-small")


MIN_SIZE = (60, 15)
