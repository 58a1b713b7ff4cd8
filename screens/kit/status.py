"""The one status line: the screen's name, then the note of what just
happened (saved, failed, restored), then the screen's own state. The note
comes before the state so that a wide screen shows it whole.

Part of the state is *where* the rep looks (the period, the filters): when
the line does not fit (80 columns), that part comes right after the name and
is never cut; the note and the rest of the state follow, cut with an
ellipsis, and the name gives up its decoration (whose view) first, then
itself, before the period or the filter would."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.widgets import Static

from screens.kit.text import plain

SEP = " · "


def arrange(width: int, names: list[str], note: str, where: list[str], rest: list[str]) -> str:
    """The line for ``width`` cells. ``names`` are the screen's name, longest
    first ("Portefeuille (Claire Martin)", "Portefeuille", ""): the first
    that leaves room for ``where`` whole is used when the whole line does not fit."""
    full = SEP.join(p for p in [names[0], note, *where, *rest] if p)
    if width <= 0 or cell_len(full) <= width:
        return full
    looked_at = SEP.join(where)
    name = next((n for n in names if cell_len(SEP.join(p for p in (n, looked_at) if p)) <= width), names[-1])
    return SEP.join(p for p in [name, *where, note, *rest] if p)


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; width: 1fr; background: $panel; color: $text; text-wrap: nowrap; text-overflow: ellipsis; }
    StatusLine.-error { background: $error 40%; }
    """

    def __init__(self, name_key: str, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]  # Static's own keywords
        self.name_key = name_key
        self._where: list[str] = []
        self._parts: list[str] = []
        self._note = ""

    @property
    def note_text(self) -> str:
        return self._note

    def show(self, parts: list[str] | None = None, note: str | None = None, error: bool = False,
             where: list[str] | None = None) -> None:
        """New state and/or note (None keeps what is shown). ``where``: the
        part of the state that says what the rep looks at (period, filters),
        kept whole at any width; given with ``parts``, else it is none."""
        if parts is not None:
            self._parts, self._where = parts, where or []
        if note is not None:
            self._note = note
            self.set_class(error and bool(note), "-error")
        self._paint()

    def _paint(self) -> None:
        from cockpit.i18n import t

        name = t(self.name_key)
        scope = getattr(self.app, "scope", None)
        names = [name, ""]
        if scope is not None and scope.label():  # whose portfolio the figures are (METHOD §8)
            names.insert(0, f"{name} ({scope.label()})")
        line = arrange(self.content_region.width, names, self._note, self._where, self._parts)
        # One line high whatever it says: repainted, not laid out again (a layout is ~8 ms).
        self.update(plain(line), layout=False)

    def on_resize(self, event: events.Resize) -> None:
        self._paint()
