"""Dialog of the Prospects screen: complete a won prospect's client record.
Escape cancels it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from cockpit.i18n import t
from cockpit.prospects.store import Prospect
from cockpit.io.tabular import parse_amount_cents, sniff_decimal
from screens.kit.keys import key_hint
from screens.kit.text import safe

if TYPE_CHECKING:
    from screens.app import CockpitApp

DIALOG_CSS = """
WinDialog { align: center middle; }
WinDialog > Vertical {
    width: 70; max-width: 95%; height: auto; max-height: 95%;
    padding: 0 1; border: thick $accent; background: $surface;
}
WinDialog Horizontal { height: 1; margin-top: 1; }
WinDialog Horizontal Label { width: 24; }
WinDialog Input { height: 1; border: none; padding: 0 1; width: 1fr; background: $boost; }
WinDialog Input:focus { background: $accent 30%; border: none; }
WinDialog .dialog-keys { margin-top: 1; color: $text-muted; }
"""


class WinDialog(ModalScreen[dict[str, Any] | None]):
    """The client a won prospect becomes: its name, group, sector and
    potential, prefilled from the prospect; the first empty one has the focus."""

    DEFAULT_CSS = DIALOG_CSS
    BINDINGS = [Binding("escape", "cancel", show=False, id="prospects.win.cancel")]

    def __init__(self, prospect: Prospect) -> None:
        super().__init__()
        self.prospect = prospect

    def compose(self) -> ComposeResult:
        p = self.prospect
        potential = "" if p.potential is None else f"{p.potential / 100:.2f}".replace(".", ",").removesuffix(",00")
        with Vertical():
            yield Static(Text(t("prospects.win.title", company=p.company), style="bold"))
            for field, value in (("name", p.company), ("grp", p.company), ("sector", ""), ("potential", potential)):
                with Horizontal():
                    yield Label(t(f"prospects.win.{field}"), markup=False)
                    yield Input(safe(value), id=f"win-{field}", select_on_focus=False)
            yield Label(t("prospects.win.keys", cancel=key_hint(self, "prospects.win.cancel")), markup=False, classes="dialog-keys")

    def on_mount(self) -> None:
        empty = [i for i in self.query(Input) if not i.value.strip()]
        (empty[0] if empty else self.query_one("#win-sector", Input)).focus()

    def _read(self) -> dict[str, Any] | None:
        values: dict[str, Any] = {f: self.query_one(f"#win-{f}", Input).value.strip() for f in ("name", "grp", "sector", "potential")}
        if not values["name"]:
            cast("CockpitApp", self.app).say(t("prospects.win.need_name"), "error")
            self.query_one("#win-name", Input).focus()
            return None
        text = values.pop("potential")
        try:
            values["potential"] = parse_amount_cents(text, decimal=sniff_decimal([text])) if text else None
        except ValueError:
            cast("CockpitApp", self.app).say(t("edit.bad_amount", value=text), "error")
            self.query_one("#win-potential", Input).focus()
            return None
        return values

    @on(Input.Submitted)
    def submit(self) -> None:
        values = self._read()
        if values is not None:
            self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)
