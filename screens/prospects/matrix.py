"""The 3 × 3 qualification matrix as a widget: potential high at the top,
accessibility high on the right; count and potential amount per cell. Arrows
move a cell cursor, Enter asks to filter the table to that cell."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from cockpit.i18n import money, number, t
from cockpit.prospects.qualification import Matrix
from cockpit.prospects.report import level_name

from screens.kit.keys import key_hint

CELL_WIDTH = 12


class MatrixGrid(Widget, can_focus=True):
    BINDINGS = [
        Binding("up", "move(1, 0)", show=False, id="prospects.matrix_up"),
        Binding("down", "move(-1, 0)", show=False, id="prospects.matrix_down"),
        Binding("left", "move(0, -1)", show=False, id="prospects.matrix_left"),
        Binding("right", "move(0, 1)", show=False, id="prospects.matrix_right"),
        Binding("enter", "choose", show=False, id="prospects.matrix_choose"),
    ]
    DEFAULT_CSS = """
    MatrixGrid { height: auto; width: auto; padding: 0 1; }
    """

    cursor: reactive[tuple[int, int]] = reactive((2, 2))

    class Chosen(Message):
        def __init__(self, cell: tuple[int, int]) -> None:
            super().__init__()
            self.cell = cell

    def __init__(self, *, focusable: bool = True, **kwargs) -> None:
        super().__init__(**kwargs)
        self.can_focus = focusable  # before mounting: a screen focuses its first focusable widget
        self.matrix: Matrix | None = None
        self.highlight: tuple[int, int] | None = None  # a prospect's own cell (qualification mode)
        self.selected: tuple[int, int] | None = None  # the cell the table is filtered to
        self.compact = False  # one line per row, for narrow terminals
        self.title_key = "prospects.matrix.title"

    def show(self, matrix: Matrix, highlight: tuple[int, int] | None = None) -> None:
        self.matrix, self.highlight = matrix, highlight
        self.refresh(layout=True)

    def render(self) -> Text:
        """Two lines per cell (count, amount), or one ("count · amount") when compact."""
        width = 16 if self.compact else CELL_WIDTH
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append(t(self.title_key, hint=key_hint(self, "prospects.matrix"), choose=key_hint(self, "prospects.matrix_choose")) + "\n",
                   style="bold")
        rows = [self._label("potential", p) for p in range(3)]
        label_w = max(len(r) for r in rows)
        out.append(" " * label_w)
        for a in range(3):
            out.append(" " + self._label("accessibility", a)[:width].center(width), style="dim")
        m = self.matrix
        for p in (2, 1, 0):
            for line in range(1 if self.compact else 2):
                out.append("\n")
                out.append((rows[p] if line == 0 else "").ljust(label_w), style="dim")
                for a in range(3):
                    out.append(" ")
                    if m is None:
                        text = "…" if line == 0 else ""
                    elif self.compact:
                        text = f"{number(int(m.counts[p][a]))} · {money(int(m.amounts[p][a]))}"
                    elif line == 0:
                        text = number(int(m.counts[p][a]))
                    else:
                        text = money(int(m.amounts[p][a]))
                    out.append(text.center(width)[:width], style=self._style(p, a))
        return out

    def _label(self, axis: str, level: int) -> str:
        """"Potentiel : très" for a row; "A peu" (the axis letter and the same
        level word) where the label must fit a column or a narrow terminal."""
        if self.compact or axis == "accessibility":
            return t(f"prospects.axis.{axis}")[0] + " " + t(f"prospects.level.short.{level}")
        return level_name(axis, level)

    def _style(self, p: int, a: int) -> str:
        style = "on dark_green" if (p, a) == (2, 2) else "on grey15"
        if (p, a) == self.highlight:
            style = "bold black on yellow"
        elif self.has_focus and (p, a) == self.cursor:
            style = "bold reverse"
        elif (p, a) == self.selected:
            style += " underline bold"
        return style

    def action_move(self, dp: int, da: int) -> None:
        p, a = self.cursor
        self.cursor = (min(2, max(0, p + dp)), min(2, max(0, a + da)))

    def watch_cursor(self) -> None:
        self.refresh()

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self.cursor))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

