"""Prospects screen (METHOD §5): the reminders on top, the prospect table,
the qualification matrix with the call-first list, and the funnel (``f``).

``Q`` opens qualification mode (``q`` quits, as on every screen).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region
from textual.widgets import Static

from cockpit.i18n import current, money, number, plural, t
from cockpit.prospects.book import Book
from cockpit.prospects.store import Prospect
from cockpit.prospects.funnel import STAGES
from cockpit.store.entities import ROW, Edit

from screens.kit.footer import CockpitFooter
from screens.kit import CockpitScreen, Described, InlineEditor, SearchBar, StatusLine
from screens.kit.base import today_of
from screens.prospects.churn import ChurnWords
from screens.prospects.funnel import FunnelChart
from screens.prospects.search import ProspectSearch
from screens.kit.keys import key_hint, translate_bindings
from screens.kit.text import Prose
from screens.prospects.board import StageBoard
from screens.prospects.edit import ProspectEditing
from screens.prospects.work import ProspectWork
from screens.prospects.matrix import MatrixGrid
from screens.prospects.panels import Detail, call_first_text, detail_text, funnel_text, reminders_text
from screens.prospects.source import ProspectSource, field_label
from screens.kit.virtual_table import VirtualTable


class ProspectsScreen(ProspectWork, ProspectSearch, ProspectEditing, CockpitScreen):
    LISTS_REMINDERS = True  # its own reminders panel: the start-up word is not said over its status line
    CSS_PATH = "prospects.tcss"
    HELP_TITLE = "prospects.title"
    HELP_FIGURES = ["prospects.help.reminders", "prospects.help.matrix", "prospects.help.call_first",
                    "prospects.help.conversion", "prospects.help.days", "prospects.help.probability",
                    "prospects.help.pipeline", "prospects.help.timeline", "prospects.help.board", "prospects.help.keys"]
    HELP_KEYS = {"qualify": "prospects.qualify", "quit": "app.force_quit", "edit": "prospects.edit",
                 "left": "prospects.column_left", "right": "prospects.column_right",
                 "next_stage": "prospects.next_stage", "prev_stage": "prospects.prev_stage",
                 "board_left": "prospects.board_left", "board_right": "prospects.board_right",
                 "board_up": "prospects.board_up", "board_down": "prospects.board_down"}
    BINDINGS = [
        Binding("a", "add", "prospects.key.add", id="prospects.add"),
        Binding("e", "edit", "prospects.key.edit", id="prospects.edit"),
        Binding("r", "remind", "prospects.key.remind", id="prospects.remind"),
        Binding("v", "log('visite')", "today.key.visit", id="prospects.visit"),
        Binding("A", "log('appel')", "today.key.call", id="prospects.call"),
        Binding("b", "board", "prospects.key.board", id="prospects.board"),
        Binding("plus", "stage(1)", "prospects.key.next_stage", key_display="+", id="prospects.next_stage"),
        Binding("minus", "stage(-1)", "prospects.key.prev_stage", key_display="-", show=False, id="prospects.prev_stage"),
        Binding("Q", "qualify", "prospects.key.qualify", id="prospects.qualify"),
        Binding("slash", "search", "prospects.key.search", key_display="/", id="prospects.search"),
        Binding("f", "funnel", "prospects.key.funnel", id="prospects.funnel"),
        Binding("m", "matrix", "prospects.key.matrix", id="prospects.matrix"),
        Binding("d", "delete", "prospects.key.delete", id="prospects.delete"),
        Binding("s", "filter_stage", "prospects.key.stage_filter", show=False, id="prospects.stage_filter"),
        Binding("o", "filter_source", "prospects.key.source_filter", show=False, id="prospects.source_filter"),
        Binding("X", "clear_filters", "prospects.key.clear", show=False, id="prospects.clear"),
        Binding("t", "next_reminder", "prospects.key.next_reminder", show=False, id="prospects.next_reminder"),
        Binding("left", "column(-1)", "prospects.key.column_left", key_display="←", show=False, id="prospects.column_left"),
        Binding("right", "column(1)", "prospects.key.column_right", key_display="→", show=False, id="prospects.column_right"),
    ]


    def __init__(self) -> None:
        super().__init__(id="prospects")
        translate_bindings(self)
        self.book: Book | None = None
        self.filters: dict[str, Any] = {"stage": None, "source": None, "cell": None, "text": ""}
        self._reminder_at = -1

    def today(self) -> dt.date:
        return today_of(self.app)

    def compose(self) -> ComposeResult:
        yield StatusLine("prospects.title", id="p-status")
        yield Static("", id="p-reminders", markup=False)
        with Vertical(id="p-main"):
            with Vertical(id="p-left"):
                yield VirtualTable(ProspectSource(None, dt.date.min), id="p-table")
                yield StageBoard(id="p-board")
                yield Detail(id="p-detail")
            with Horizontal(id="p-side"):
                yield MatrixGrid(id="p-matrix")
                yield Static("", id="p-callfirst", markup=False)
        with Horizontal(id="p-funnel"):
            yield FunnelChart(id="p-funnel-chart")
            with VerticalScroll(id="p-funnel-side"):
                yield ChurnWords(id="p-funnel-churn")  # first: whole at 80×24
                yield Prose("", id="p-funnel-table")
        yield InlineEditor(id="p-editor")
        yield SearchBar("prospects.search.prompt", id="p-search")
        yield CockpitFooter()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#p-table", VirtualTable)

    @property
    def source(self) -> ProspectSource:
        return cast("ProspectSource", self.table.inner_source)  # the table shows prospects only (maybe sorted)

    def on_resize(self, event) -> None:
        self.set_class(event.size.width < 110, "-narrow")
        self.query_one("#p-matrix", MatrixGrid).compact = self.has_class("-narrow")
        if self.book is not None:
            self._paint_reminders()

    # ---- loading ---------------------------------------------------------
    def on_mount(self) -> None:
        self.table.column_keys = False  # ←/→ choose the column `e` edits (and `S` sorts): the screen's own
        self.table.loading = True
        self.reload()

    def _load(self, ws) -> tuple[Book, dict]:
        from cockpit.prospects.team import load_book  # the view's prospects, the workspace's probabilities (METHOD §5)

        book = load_book(ws, self.cockpit.cfg.prospects, self.today(), self.cockpit.scope.owner)
        return book, self.read_timelines(ws, book.prospects)

    def reload(self, focus_id: int | None = None) -> None:
        """Read everything again (after an undo, a win, someone else's edit)."""
        keep = focus_id if focus_id is not None else getattr(self.current(), "id", None)
        self.read_shown(self._load, lambda read: self.show_book(read[0], keep, read[1]))

    def show_book(self, book: Book, focus_id: int | None = None, timelines: dict | None = None) -> None:
        first = self.book is None
        self.book, self.timelines = book, timelines if timelines is not None else self.timelines
        source = ProspectSource(book, self.today())
        source.column = self.source.column
        self.table.source = source
        self.table.loading = False
        if not self.has_open_edit() and not self.search_bar.has_focus:
            (self.board if self.on_board else self.table).focus()
        self.refresh_all(focus_id)
        repaint = getattr(self.app.screen, "repaint_from_book", None)
        if repaint is not None:  # qualification mode open above this screen
            repaint()
        if first:
            self._offer_draft()

    # ---- filtering -------------------------------------------------------
    def visible_rows(self) -> list[int]:
        book, f = self.book, self.filters
        if book is None:
            return []
        cell_mask = book.in_cell(f["cell"]) if f["cell"] is not None else None
        needle = str(f["text"]).casefold()
        rows = []
        for i, p in enumerate(book.prospects):
            if f["stage"] is not None and p.stage != f["stage"]:
                continue
            if f["source"] is not None and p.source != f["source"]:
                continue
            if cell_mask is not None and not cell_mask[i]:
                continue
            if needle and needle not in " ".join((p.company, p.first_name, p.last_name, p.function, p.email, p.phone,
                                                  p.next_action, p.notes)).casefold():
                continue
            rows.append(i)
        return rows

    def current(self) -> Prospect | None:
        return self.source.prospect(self.table.cursor_index)

    def prospect_by_id(self, pid: int | None) -> Prospect | None:
        i = self.book.index_of(pid) if self.book is not None and pid is not None else None
        return None if i is None else self.book.prospects[i]  # type: ignore[union-attr]  # i: found in the book

    def move_to_id(self, pid: int | None) -> None:
        i = self.book.index_of(pid) if self.book is not None and pid is not None else None
        if i is not None and i in self.source.rows:
            self.table.move_to_index(self.source.rows.index(i))

    # ---- painting --------------------------------------------------------
    def refresh_all(self, focus_id: int | None = None) -> None:
        book = self.book
        if book is None:
            return
        keep = focus_id if focus_id is not None else getattr(self.current(), "id", None)
        book.rescore()
        self.source.today = self.today()
        self.source.rows = self.visible_rows()
        self.table.reload()
        self.move_to_id(keep)
        self.source.cursor = self.table.cursor_index
        self.table.refresh()
        matrix = book.matrix()
        grid = self.query_one("#p-matrix", MatrixGrid)
        grid.selected = self.filters["cell"]
        grid.show(matrix)
        self._paint_call_first()
        self._paint_reminders()
        self._paint_board()
        self._paint_detail()
        if self.has_class("-funnel"):
            self._paint_funnel()
        self.update_status()

    def update_status(self, note: str = "") -> None:
        book = self.book
        if book is None:
            return
        parts = [plural("prospects.status", len(self.source.rows), shown=number(len(self.source.rows)), n=number(len(book)),
                   pipeline=money(book.funnel(self.today()).pipeline))]
        f = self.filters
        active = []
        if f["stage"] is not None:
            active.append(t(f"prospects.stage.{f['stage']}"))
        if f["source"] is not None:
            active.append(str(f["source"]) or "—")
        if f["cell"] is not None:
            p, a = f["cell"]
            active.append(t("prospects.cell", p=t(f"prospects.level.short.{p}"), a=t(f"prospects.level.short.{a}")))
        if f["text"]:
            active.append(f"« {f['text']} »")
        where = [t("prospects.status.filters", filters=", ".join(active), hint=key_hint(self, "prospects.clear"))] if active else []
        parts.append(t("prospects.status.column", column=self.table.source.columns[self.source.column].label))
        self.query_one(StatusLine).show(parts, note=note or None, where=where)

    def _paint_reminders(self) -> None:
        limit = 2 if self.has_class("-narrow") else 5  # the title carries the counts
        hint = key_hint(self, "prospects.next_reminder")
        self.query_one("#p-reminders", Static).update(reminders_text(cast("Book", self.book), self.today(), limit, hint))

    def _paint_call_first(self) -> None:
        self.query_one("#p-callfirst", Static).update(call_first_text(cast("Book", self.book), 6))

    def _paint_detail(self) -> None:
        p = self.current()
        self.query_one("#p-detail", Detail).show(detail_text(p, self.contacts_of(p), self.today()))

    def _paint_funnel(self) -> None:
        book = cast("Book", self.book)  # painted with a book
        self.query_one("#p-funnel-chart", FunnelChart).show(book.funnel(self.today()))
        self.query_one("#p-funnel-table", Static).update(funnel_text(book, self.today()))
        self.query_one(ChurnWords).load(self.today())

    # ---- events ----------------------------------------------------------
    def on_virtual_table_cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        old, self.source.cursor = self.source.cursor, event.row
        if self.source.column:  # the table repaints its lead cells only: the chosen column's two cells too
            table, top = self.table, self.table.scroll_offset.y
            table.refresh(*(Region(0, r - top + 1, table.size.width, 1) for r in (old, event.row)))
        self._paint_detail()

    def on_virtual_table_activated(self, event: VirtualTable.Activated) -> None:
        self.action_edit()

    @on(MatrixGrid.Chosen)
    def cell_chosen(self, event: MatrixGrid.Chosen) -> None:
        self.filters["cell"] = None if self.filters["cell"] == event.cell else event.cell
        self.refresh_all()
        self.table.move_to(0)
        self.focus_list()

    # ---- actions ---------------------------------------------------------
    def action_matrix(self) -> None:
        self.remove_class("-funnel")
        self.query_one("#p-matrix", MatrixGrid).focus()

    def action_funnel(self) -> None:
        self.toggle_class("-funnel")
        if self.has_class("-funnel") and self.book is not None:
            self._paint_funnel()
        else:
            self.focus_list()

    def action_filter_stage(self) -> None:
        order = [None, *STAGES]
        self.filters["stage"] = order[(order.index(self.filters["stage"]) + 1) % len(order)]
        self.refresh_all()

    def action_filter_source(self) -> None:
        if self.book is None:
            return
        order = [None, *sorted({p.source for p in self.book.prospects})]
        current = self.filters["source"] if self.filters["source"] in order else None
        self.filters["source"] = order[(order.index(current) + 1) % len(order)]
        self.refresh_all()

    def action_clear_filters(self) -> None:
        self.filters = {"stage": None, "source": None, "cell": None, "text": ""}
        self.search_bar.value = ""
        self.refresh_all()

    def key_escape(self) -> None:
        if self.search_bar.is_open:
            self.search_bar.close(clear=True)
            self.focus_list()
        elif self.has_open_edit():
            self.editor.close()
        elif self.has_class("-funnel"):
            self.action_funnel()
        elif not self.anchor.has_focus:
            self.focus_list()

    def action_next_reminder(self) -> None:
        if self.book is None:
            return
        due = self.book.reminders(self.today())
        if not due:
            self.cockpit.say(t("prospects.reminders.none"))
            return
        self._reminder_at = (self._reminder_at + 1) % len(due)
        index = due[self._reminder_at].index
        if index not in self.source.rows:
            self.action_clear_filters()
        self.table.move_to_index(self.source.rows.index(index))
        self.focus_list()

    def action_qualify(self) -> None:
        if self.book is None or not self.source.rows:
            return
        from screens.prospects.qualify import QualifyScreen

        def closed(pid: int | None) -> None:
            self.refresh_all(pid)

        self.app.push_screen(QualifyScreen(self, list(self.source.rows), self.table.cursor_index), closed)

    # ---- the App's journal and other screens' changes ---------------------
    def apply_journal(self, edit: Edit) -> bool:
        if edit.entity not in ("prospects", "qualification", "visits"):
            return False  # a visit: a prospect's timeline may have lost or regained it
        if not self._reload_pending:  # a unit's edits: one read of the book
            self._reload_pending = True

            def again() -> None:
                self._reload_pending = False
                self.reload(edit.key[0] if edit.entity != "visits" else None)

            self.call_after_refresh(again)
        return True

    _reload_pending = False

    def describe(self, entity: str, key: tuple, field: str, value: object) -> Described | None:
        if entity == "visits":
            return self.describe_contact(field, value)
        if entity not in ("prospects", "qualification"):
            return None
        name = self._name_of(key[0])
        if entity == "qualification":  # the criterion in the rep's words, never its key in the settings
            criterion = self.book.scheme.get(str(key[1])) if self.book is not None else None
            label = criterion.name(current()) if criterion is not None else str(key[1])
            score = None if value is None else float(cast("float", value))
            return Described(name, label, "—" if score is None else number(score, 0 if score.is_integer() else 1))
        if field == ROW:  # value: the row after the step, None once it is gone
            row = value if isinstance(value, dict) else {}
            return Described(str(row.get("company") or name), t("prospects.journal.row"),
                             t("prospects.journal.back" if value is not None else "prospects.journal.gone"))
        from cockpit.i18n import catalogue

        label = field_label(field) if f"prospects.col.{field}" in catalogue(current()) else field
        return Described(name, label, self._show(field)(value))

    def _name_of(self, pid: int) -> str:
        p = self.prospect_by_id(pid)
        return p.company if p is not None else f"#{pid}"

    def data_changed(self, what: str) -> None:
        if what in ("prospects", "visits", "external") and self.book is not None:
            self.reload()
