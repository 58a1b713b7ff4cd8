"""What every cockpit screen offers the App."""

from __future__ import annotations

from textual.screen import Screen

from cockpit.workspace import Edit


class CockpitScreen(Screen):
    """What every cockpit screen offers the App."""

    HELP_TITLE = "portfolio.title"  # message key
    HELP_FIGURES: list[str] = []  # message keys, one sentence each

    def apply_journal(self, edit: Edit, message_key: str) -> bool:
        """Show an undone/redone edit if it is this screen's; True if it was."""
        return False

    def has_open_edit(self) -> bool:
        return False

    def draft(self) -> dict | None:
        """What is being typed (for SIGHUP), as JSON-able data, or None."""
        return None

    def data_changed(self, what: str) -> None:
        """Another screen changed ``what`` ("clients", "prospects", "activity"):
        reload what this screen shows of it."""
