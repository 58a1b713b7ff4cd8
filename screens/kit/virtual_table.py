"""A table that paints only the rows on screen, straight from a source.

Textual's DataTable builds every row (20 s to paint 100 k rows here); this one
asks its source for the visible rows at paint time, so one million rows cost
what forty do. Cells are ``rich.text.Text``: user data is never markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple, Protocol

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

from cockpit.safe_text import safe_text

from screens.kit.sorting import Sortable


@dataclass(frozen=True)
class Column:
    label: str
    width: int  # 0 = takes the remaining width
    justify: str = "left"
    min_width: int = 8
    optional: bool = False  # dropped first when the terminal is too narrow
    want: int = 0  # a flexible column's width before any optional column shows (0: its min_width)


class _Paint(NamedTuple):
    widths: list[int]
    right: list[bool]  # right-justified columns
    lead: int
    width: int  # of the widget
    content: int  # width of the columns, left of the position mark
    base: Style
    header: Style
    cursor: Style
    thumb_style: Style
    thumb: range  # lines of the position mark


POSITION_COLUMN = 1  # the table's last column shows where the page is


@lru_cache(maxsize=256)
def _style(style: str | Style) -> Style:
    return style if isinstance(style, Style) else Style.parse(style)


def _share(room: int, flex: list[Column]) -> list[int]:
    """``room`` cells among the flexible columns: each up to its want (the
    shortest filled first, never below its min_width), then the surplus
    evenly. Each share grows with ``room``."""
    wants = [max(c.min_width, c.want) for c in flex]
    if not flex:
        return []
    if room >= sum(wants):
        extra, rest = divmod(room - sum(wants), len(flex))
        return [w + extra + (i < rest) for i, w in enumerate(wants)]
    sizes = [c.min_width for c in flex]
    while sum(sizes) < room:
        i = min((i for i, w in enumerate(wants) if sizes[i] < w), key=lambda i: sizes[i])
        sizes[i] += 1
    return sizes


class TableSource(Protocol):
    @property
    def columns(self) -> list[Column]: ...

    def row_count(self) -> int: ...

    def row(self, index: int) -> list[Text]: ...


class VirtualTable(Sortable, ScrollView, can_focus=True):
    """Header on the first line, rows below it, a cursor row; a column
    cursor (←/→) and `S` to sort by its column (screens.kit.sorting)."""

    COMPONENT_CLASSES = {"virtual-table--header", "virtual-table--cursor", "virtual-table--odd",
                         "virtual-table--thumb"}
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "activate", show=False),
        Binding("left", "column(-1)", show=False),
        Binding("right", "column(1)", show=False),
        Binding("S", "sort", "kit.key.sort", show=False, id="kit.table.sort"),
    ]
    DEFAULT_CSS = """
    VirtualTable { background: $surface; overflow-x: hidden; scrollbar-size-vertical: 0; }
    VirtualTable > .virtual-table--thumb { color: $panel-lighten-2; }
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

    class Sorted(Message):
        """The rows were sorted (or put back in the source's order): ``said`` tells the rep."""

        def __init__(self, table: "VirtualTable", said: str) -> None:
            super().__init__()
            self.table, self.said = table, said

    class Activated(Message):
        def __init__(self, table: "VirtualTable", row: int) -> None:
            super().__init__()
            self.table, self.row = table, row

    def __init__(self, source: TableSource, **kwargs) -> None:
        self._lines: dict[int, Strip] = {}  # painted line → strip, until repainted
        super().__init__(**kwargs)
        self.source = source

    # ---- size and geometry ---------------------------------------------
    def reload(self) -> None:
        """The source changed (rows added, edited or re-ranked): repaint."""
        self.resort()
        self.virtual_size = Size(self.size.width, self.source.row_count() + 1)
        self.cursor_row = min(self.cursor_row, max(0, self.source.row_count() - 1))
        self.refresh()

    def on_resize(self) -> None:
        self.reload()

    @property
    def page_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _widths(self) -> list[int]:
        """Width per column, 0 for an optional column that does not fit.

        Extra width goes first to the flexible (name) columns: an optional
        column shows only once each of them has its ``want``, so a wider
        terminal never makes a name shorter. What is left before the next
        optional column fits stays blank at the right; once every column
        shows, the flexible ones share the rest."""
        cols = self.source.columns
        width = self.scrollable_content_region.width - POSITION_COLUMN
        shown = list(cols)
        while True:
            fixed = sum(c.width for c in shown if c.width) + len(shown) - 1
            flex = [c for c in shown if not c.width]
            need = fixed + sum(max(c.min_width, c.want) for c in flex)
            optional = [c for c in shown if c.optional]
            if need <= width or not optional:
                break
            shown.remove(optional[-1])
        room = width - fixed
        if len(shown) < len(cols):  # an optional column waits for room: names stop at their want
            room = min(room, sum(max(c.min_width, c.want) for c in flex))
        sizes = dict(zip(map(id, flex), _share(room, flex)))
        return [(c.width or sizes[id(c)]) if c in shown else 0 for c in cols]

    # ---- painting ------------------------------------------------------
    def _lead(self) -> int:
        """Index of the last column the cursor highlights: the row's name (the
        first flexible column). Highlighting only the lead columns keeps a
        cursor move to two short repaints (~150 bytes over SSH, not ~400)."""
        return next((i for i, c in enumerate(self.source.columns) if not c.width), 0)

    def _new_paint(self) -> _Paint:
        """What every line of one paint shares, computed once for the paint."""
        base = self.rich_style
        return _Paint(self._widths(), [c.justify == "right" for c in self.source.columns], self._lead(),
                      self.size.width, self.scrollable_content_region.width - POSITION_COLUMN, base,
                      self.get_component_rich_style("virtual-table--header"),
                      self.get_component_rich_style("virtual-table--cursor"),
                      base + self.get_component_rich_style("virtual-table--thumb"), self._thumb())

    def _thumb(self) -> range:
        """Lines of the position mark: where the page is among all the rows.
        Drawn in the table's own last column, not by a ScrollBar widget, which
        repaints its whole height at each scroll (~2 ms a page at 120×40)."""
        rows, page = self.source.row_count(), self.page_rows
        if rows <= page:
            return range(0)
        size = max(1, round(page * page / rows))
        top = min(page - size, round(self.scroll_offset.y * (page - size) / max(1, rows - page)))
        return range(1 + top, 1 + top + size)

    def _line(self, cells: list[Text], paint: _Paint, style: Style, lead_style: Style | None = None, *,
              mark: Segment) -> Strip:
        lead = paint.lead if lead_style is not None else -1
        lead_full = style + lead_style if lead_style is not None else style
        # Runs of one style become one segment: each segment costs its escape codes on the wire.
        texts: list[str] = []
        styles: list[Style] = []

        def put(text: str, text_style: Style) -> None:
            if styles and styles[-1] == text_style:
                texts[-1] += text
            elif text:
                texts.append(text)
                styles.append(text_style)

        used = -1
        for i, (cell, width) in enumerate(zip(cells, paint.widths)):
            if not width:
                continue
            in_lead = i <= lead
            pad_style = lead_full if in_lead else style
            if used >= 0:
                put(" ", pad_style)
            parts = self._cell(cell, width, style, lead_style if in_lead else None)
            used_here = sum(cell_len(text) for text, _ in parts)
            pad = " " * (width - used_here) if used_here < width else ""
            if paint.right[i]:
                put(pad, pad_style)
            for text, text_style in parts:
                put(text, text_style)
            if not paint.right[i]:
                put(pad, pad_style)
            used += width + 1
        # Padded to the widget's width (under the scrollbar too): one Strip per line.
        if used < paint.content:
            put(" " * (paint.content - max(used, 0)), style)
        segments = [Segment(text, text_style) for text, text_style in zip(texts, styles)]
        if used > paint.content:
            segments = list(Strip(segments).crop(0, paint.content))
        # The position mark, then the widget's last cells (a scrollbar gutter, if any).
        rest = paint.width - paint.content - 1
        return Strip([*segments, mark, *([Segment(" " * rest, style)] if rest > 0 else [])], paint.width)

    def _cell(self, cell: Text, width: int, style: Style, lead_style: Style | None) -> list[tuple[str, Style]]:
        """One cell cut to ``width``, as (text, style) runs. A plain cell (one
        style, the usual case) is one run, built without rendering a Text."""
        if cell.spans and safe_text(cell.plain) != cell.plain:  # data text is never terminal control
            cell = Text(safe_text(cell.plain), style=cell.style)
        if cell.spans:
            cell = cell.copy()
            if lead_style is not None:
                cell.stylize(lead_style)
            cell.truncate(width, overflow="ellipsis")
            return [(s.text, style + s.style if s.style else style) for s in cell.render(self.app.console) if s.text]
        text = safe_text(cell.plain)
        if cell_len(text) > width:  # as Text.truncate(overflow="ellipsis") does
            text = set_cell_size(text, width - 1) + "…"
        cell_style = style + _style(cell.style) if cell.style else style
        if lead_style is not None:
            cell_style += lead_style
        return [(text, cell_style)]

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop``, from this table's own line cache. Textual's
        styles cache, which adds borders and padding this widget does not
        have, costs a third of a page's paint (1–2 ms at 120×40)."""
        width = self.size.width
        key = (width, self.scroll_offset.y, self.has_focus)
        if key != self._lines_key:
            self._lines.clear()
            self._lines_key = key
        missing = [y for y in crop.line_range if y not in self._lines]
        if missing:
            self._paint = self._new_paint()
            try:
                background = self.background_colors[1]
                filters = self.get_line_filters()
                for y in missing:
                    strip = self.render_line(y)
                    for line_filter in filters:  # NO_COLOR, 16 colours, dimming under a modal
                        strip = strip.apply_filter(line_filter, background)
                    self._lines[y] = strip
            finally:
                self._paint = None
        strips = [self._lines[y] for y in crop.line_range]
        if crop.column_span != (0, width):
            x1, x2 = crop.column_span
            strips = [strip.crop(x1, x2) for strip in strips]
        return strips

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False):
        # The line cache follows what is repainted: the given lines, else all of them.
        if regions:
            for region in regions:
                for y in region.line_range:
                    self._lines.pop(y, None)
        elif repaint:
            self._lines.clear()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def notify_style_update(self) -> None:
        self._lines.clear()  # a theme or CSS change
        super().notify_style_update()

    _paint: _Paint | None = None  # during one render_lines
    _lines_key: tuple | None = None

    def render_line(self, y: int) -> Strip:
        paint = self._paint or self._new_paint()
        mark = Segment("▐" if y in paint.thumb else " ", paint.thumb_style)
        if y == 0:  # the column cursor's label underlined: the column `S` sorts by
            return self._line([Text(safe_text(c.label), style="underline" if i == self.column_cursor and self.has_focus else "")
                               for i, c in enumerate(self.source.columns)], paint, paint.base + paint.header, mark=mark)
        row = self.scroll_offset.y + y - 1
        if row >= self.source.row_count():
            return Strip([Segment(" " * paint.content, paint.base), mark]).extend_cell_length(paint.width, paint.base)
        return self._line(self.source.row(row), paint, paint.base, paint.cursor if row == self.cursor_row else None,
                          mark=mark)

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
