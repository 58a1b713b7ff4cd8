"""The one status line: the screen's name, then the note of what just
happened (saved, failed, restored), then the screen's own state. The note
comes before the state so that 80 columns show it whole."""

from __future__ import annotations

from textual.widgets import Static

from screens.kit.text import plain

SEP = " · "


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; background: $panel; color: $text; text-wrap: nowrap; text-overflow: ellipsis; }
    StatusLine.-error { background: $error 40%; }
    """

    def __init__(self, name_key: str, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]  # Static's own keywords
        self.name_key = name_key
        self._parts: list[str] = []
        self._note = ""

    @property
    def note_text(self) -> str:
        return self._note

    def show(self, parts: list[str] | None = None, note: str | None = None, error: bool = False) -> None:
        """New state parts and/or note (None keeps what is shown)."""
        from cockpit.i18n import t

        if parts is not None:
            self._parts = parts
        if note is not None:
            self._note = note
            self.set_class(error and bool(note), "-error")
        name = t(self.name_key)
        scope = getattr(self.app, "scope", None)
        if scope is not None and scope.label():  # whose portfolio the figures are (METHOD §8)
            name += f" ({scope.label()})"
        line = SEP.join(p for p in [name, self._note, *self._parts] if p)
        # One line high whatever it says: repainted, not laid out again (a layout is ~8 ms).
        self.update(plain(line), layout=False)
