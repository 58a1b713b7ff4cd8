"""The footer, rebuilt only when what it shows has changed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class CockpitFooter(Footer):
    """Textual's Footer recomposes all its keys whenever the bindings may
    have changed (each focus change, each ``refresh_bindings``): six times in
    the first second of the Portfolio, ~25 ms each. The same keys, enabled
    the same way, need no new widgets."""

    _shown: tuple | None = None

    def _what_it_shows(self) -> tuple | None:
        if not self._bindings_ready or not self.is_attached:
            return None
        return (self.show_command_palette, self.compact, tuple(
            (binding.key, self.app.get_key_display(binding), binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values() if binding.show
        ))

    def compose(self) -> ComposeResult:
        # A FooterKey starts compact (True) and is bound to the footer's (False):
        # each key was restyled twice as it mounted (~15 ms of the first frame).
        # Given the footer's value before it mounts, it is restyled for nothing.
        # The palette's key is not bound: it stays compact, as Textual has it.
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    async def recompose(self) -> None:
        shows = self._what_it_shows()
        if shows is not None and shows == self._shown:
            return
        self._shown = shows
        await super().recompose()
