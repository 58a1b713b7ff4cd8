"""A table that paints only the rows on screen, straight from a source.

Textual's DataTable builds every row (20 s to paint 100 k rows here); this one
asks its source for the visible rows at paint time, so one million rows cost
what forty do. Cells are ``rich.text.Text``: user data is never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from functools import lru_cache

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Column:
    label: str
    width: int  # 0 = takes the remaining width
    justify: str = "left"
    min_width: int = 8
    optional: bool = False  # dropped first when the terminal is too narrow


@lru_cache(maxsize=256)
def _style(style: str | Style) -> Style:
    return style if isinstance(style, Style) else Style.parse(style)


class TableSource(Protocol):
    columns: list[Column]

    def row_count(self) -> int: ...

    def row(self, index: int) -> list[Text]: ...


class VirtualTable(ScrollView, can_focus=True):
    """Header on the first line, rows below it, a cursor row."""

    COMPONENT_CLASSES = {"virtual-table--header", "virtual-table--cursor", "virtual-table--odd"}
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "activate", show=False),
    ]
    DEFAULT_CSS = """
    VirtualTable { background: $surface; overflow-x: hidden; }
    VirtualTable > .virtual-table--header { text-style: bold; background: $panel; }
    VirtualTable > .virtual-table--cursor { background: $accent 40%; }
    VirtualTable:focus > .virtual-table--cursor { background: $accent; color: $text; }
    VirtualTable > .virtual-table--odd { background: $surface-lighten-1 30%; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, repaint=False)

    class CursorMoved(Message):
        def __init__(self, table: "VirtualTable", row: int) -> None:
            super().__init__()
            self.table, self.row = table, row

    class Activated(Message):
        def __init__(self, table: "VirtualTable", row: int) -> None:
            super().__init__()
            self.table, self.row = table, row

    def __init__(self, source: TableSource, **kwargs) -> None:
        super().__init__(**kwargs)
        self.source = source

    # ---- size and geometry ---------------------------------------------
    def reload(self) -> None:
        """The source changed (rows added, edited or re-ranked): repaint."""
        self.virtual_size = Size(self.size.width, self.source.row_count() + 1)
        self.cursor_row = min(self.cursor_row, max(0, self.source.row_count() - 1))
        self.refresh()

    def on_resize(self) -> None:
        self.reload()

    @property
    def page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _widths(self) -> list[int]:
        """Width per column, 0 for an optional column that does not fit."""
        cols = self.source.columns
        width = self.scrollable_content_region.width
        shown = list(cols)
        while True:
            fixed = sum(c.width for c in shown if c.width) + len(shown) - 1
            flex = [c for c in shown if not c.width]
            need = fixed + sum(c.min_width for c in flex)
            optional = [c for c in shown if c.optional]
            if need <= width or not optional:
                break
            shown.remove(optional[-1])
        each = max(max((c.min_width for c in flex), default=0), (width - fixed) // len(flex)) if flex else 0
        return [(c.width or each) if c in shown else 0 for c in cols]

    # ---- painting ------------------------------------------------------
    def _lead(self) -> int:
        """Index of the last column the cursor highlights: the row's name (the
        first flexible column). Highlighting only the lead columns keeps a
        cursor move to two short repaints (~150 bytes over SSH, not ~400)."""
        return next((i for i, c in enumerate(self.source.columns) if not c.width), 0)

    def _line(self, cells: list[Text], widths: list[int], style: Style, lead_style: Style | None = None) -> Strip:
        columns = self.source.columns
        lead = self._lead() if lead_style is not None else -1
        segments: list[Segment] = []
        used = -1
        for i, (cell, width) in enumerate(zip(cells, widths)):
            if not width:
                continue
            pad_style = style + lead_style if i <= lead and lead_style is not None else style
            if segments:
                segments.append(Segment(" ", pad_style))
            segments += self._cell(cell, width, columns[i].justify, style, lead_style if i <= lead else None, pad_style)
            used += width + 1
        width = self.scrollable_content_region.width
        if used < width:
            segments.append(Segment(" " * (width - max(used, 0)), style))
        # One segment per run of a style: each segment costs its escape codes on the wire.
        merged = [segments[0]] if segments else []
        for segment in segments[1:]:
            last = merged[-1]
            if segment.style == last.style:
                merged[-1] = Segment(last.text + segment.text, last.style)
            else:
                merged.append(segment)
        return Strip(merged).crop(0, width) if used > width else Strip(merged, width)

    def _cell(self, cell: Text, width: int, justify: str, style: Style, lead_style: Style | None,
              pad_style: Style) -> list[Segment]:
        """One cell as segments, padded to ``width``. A plain cell (one style,
        the usual case) is built directly, ~10× cheaper than rendering a Text."""
        if cell.spans:
            cell = cell.copy()
            if lead_style is not None:
                cell.stylize(lead_style)
            cell.truncate(width, overflow="ellipsis")
            body = [Segment(s.text, style + s.style if s.style else style)
                    for s in cell.render(self.app.console) if s.text]
            used = sum(s.cell_length for s in body)
        else:
            text = cell.plain
            used = cell_len(text)
            if used > width:  # as Text.truncate(overflow="ellipsis") does
                text = set_cell_size(text, width - 1) + "…"
                used = cell_len(text)
            cell_style = style + _style(cell.style) if cell.style else style
            if lead_style is not None:
                cell_style += lead_style
            body = [Segment(text, cell_style)] if text else []
        if used >= width:
            return body
        pad = Segment(" " * (width - used), pad_style)
        return [pad, *body] if justify == "right" else [*body, pad]

    def render_lines(self, crop: Region) -> list[Strip]:
        # Widths, styles and columns once per paint, not once per line.
        self._paint = (self._widths(), self.rich_style, self.get_component_rich_style("virtual-table--header"),
                       self.get_component_rich_style("virtual-table--cursor"))
        try:
            return super().render_lines(crop)
        finally:
            self._paint = None

    _paint: tuple | None = None

    def render_line(self, y: int) -> Strip:
        widths, base, header_style, cursor_style = self._paint or (
            self._widths(), self.rich_style, self.get_component_rich_style("virtual-table--header"),
            self.get_component_rich_style("virtual-table--cursor"))
        if y == 0:
            header = [Text(c.label) for c in self.source.columns]
            return self._line(header, widths, base + header_style)
        row = self.scroll_offset.y + y - 1
        if row >= self.source.row_count():
            return Strip.blank(self.scrollable_content_region.width, base)
        return self._line(self.source.row(row), widths, base, cursor_style if row == self.cursor_row else None)

    # ---- cursor --------------------------------------------------------
    def _row_region(self, row: int) -> Region:
        widths = self._widths()
        lead = self._lead()
        width = self.column_x(lead) + widths[lead] + 1 if widths else self.size.width
        return Region(0, row - self.scroll_offset.y + 1, width, 1)

    def watch_cursor_row(self, old: int, new: int) -> None:
        top = self.scroll_offset.y
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
            self.refresh()
        elif new >= top + self.page_rows:
            self.scroll_to(y=new - self.page_rows + 1, animate=False, immediate=True)
            self.refresh()
        else:
            # Only the two rows that changed: a cursor move writes ~100 bytes.
            self.refresh(self._row_region(old), self._row_region(new))
        self.post_message(self.CursorMoved(self, new))

    def move_to(self, row: int) -> None:
        count = self.source.row_count()
        self.cursor_row = max(0, min(row, count - 1)) if count else 0

    def action_cursor(self, delta: int) -> None:
        self.move_to(self.cursor_row + delta)

    def action_page(self, delta: int) -> None:
        self.move_to(self.cursor_row + delta * self.page_rows)

    def action_jump(self, where: int) -> None:
        self.move_to(0 if where == 0 else self.source.row_count() - 1)

    def action_activate(self) -> None:
        if self.source.row_count():
            self.post_message(self.Activated(self, self.cursor_row))

    def on_click(self, event) -> None:
        if event.y >= 1:
            self.move_to(self.scroll_offset.y + event.y - 1)

    def cursor_screen_offset(self) -> tuple[int, int]:
        """Where the cursor row is, relative to this widget (for an inline editor)."""
        return 0, self.cursor_row - self.scroll_offset.y + 1

    def is_shown(self, index: int) -> bool:
        return self._widths()[index] > 0

    def column_x(self, index: int) -> int:
        widths = self._widths()
        return sum(w + 1 for w in widths[:index] if w)
