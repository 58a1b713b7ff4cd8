"""The ctrl+p palette in the rep's language: its placeholder, Textual's own
system commands (titles and help) and ours. What Textual does not let a
program translate is listed in docs/i18n-textual.md."""

from __future__ import annotations

from typing import Any, Iterable

from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from cockpit.i18n import t

from screens.kit.keys import palette_commands

# Textual's system commands by their English title (help too where a title has two).
SYSTEM = {("Theme", None): "theme", ("Quit", None): "quit", ("Minimize", None): "minimize",
          ("Maximize", None): "maximize", ("Screenshot", None): "screenshot",
          ("Keys", "Hide the keys and widget help panel"): "keys_hide",
          ("Keys", "Show help for the focused widget and a summary of available keys"): "keys_show"}


def translated(command: SystemCommand) -> SystemCommand:
    key = SYSTEM.get((command.title, None)) or SYSTEM.get((command.title, command.help))
    if key is None:  # a command a later Textual adds: shown as Textual says it
        return command
    return command._replace(title=t(f"palette.{key}"), help=t(f"palette.{key}.help"))


class TranslatedPalette(App):
    """Mixed into the App: the palette and its system commands, translated."""

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t("palette.placeholder")))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=t("palette.themes")))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield from map(translated, super().get_system_commands(screen))
        yield from palette_commands(self, screen)  # every action of ours, with its live key
