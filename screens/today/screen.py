"""Aujourd'hui / Today (METHOD §7): the rep's day in one list, most urgent
first — reminders due and overdue, clients due by their contact rhythm,
call-first prospects, dormant prospects. From a line, `a` logs a call and `v`
a visit, typed in one line (`r +3j Rappeler`) in the kit's editor and written
by the one committer; the line leaves the list. Enter opens the client's card
or the prospect on the Prospects screen."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding

from cockpit.action.today import TodayLine, overdue_reminders, today_list
from cockpit.i18n import date, number, plural, t, tn

from cockpit.store.entities import Edit

from screens.kit import CockpitScreen, Described, InlineEditor, SearchBar, StatusLine
from screens.kit.contact_entry import Contactee, is_entry, open_entry, submit_entry
from screens.kit.search import find
from screens.kit.base import today_of
from screens.kit.footer import CockpitFooter
from screens.kit.keys import key_hint, translate_bindings
from screens.kit.text import Prose
from screens.kit.virtual_table import VirtualTable
from screens.today.source import TodaySource


class TodayScreen(CockpitScreen):
    LISTS_REMINDERS = True  # the start-up word is not said over it
    CSS_PATH = "today.tcss"
    HELP_TITLE = "today.title"
    HELP_FIGURES = ["today.help.list", "today.help.log", "today.help.rhythm"]
    HELP_KEYS = {"call": "today.call", "visit": "today.visit", "undo": "app.undo"}
    BINDINGS = [
        Binding("a", "log('appel')", "today.key.call", id="today.call"),
        Binding("v", "log('visite')", "today.key.visit", id="today.visit"),
        Binding("enter", "open", "today.key.open", id="today.open"),
        Binding("slash", "search", "today.key.search", key_display="/", id="today.search"),
    ]

    def __init__(self) -> None:
        super().__init__(id="today")
        translate_bindings(self)
        self.lines: list[TodayLine] | None = None
        self.names: dict[tuple[str, int], str] = {}  # every line seen: undo names what left the list

    def today(self) -> dt.date:
        return today_of(self.app)

    def compose(self) -> ComposeResult:
        yield StatusLine("today.title", id="today-status")
        yield Prose("", id="today-summary")
        yield VirtualTable(TodaySource([], {}), id="today-list")
        yield SearchBar("today.search.prompt", id="today-search")
        yield InlineEditor(id="today-editor")
        yield CockpitFooter()

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#today-list", VirtualTable)

    @property
    def editor(self) -> InlineEditor:
        return self.query_one("#today-editor", InlineEditor)

    def on_mount(self) -> None:
        # Focused now and never "loading" (a loading widget leaves the key chain, so the footer's
        # keys would depend on when the rows arrive): the empty list is filled when they do.
        self.table.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        self.table.focus()

    # ---- reading ---------------------------------------------------------
    def reload(self) -> None:
        cfg, owner, today = self.cockpit.cfg, self.cockpit.scope.owner, self.today()
        self.read_shown(lambda ws: today_list(ws, cfg, today, owner), self.show_lines)

    def show_lines(self, lines: list[TodayLine]) -> None:
        at = self.current()
        self.lines = lines
        self.names.update((line.target, line.name) for line in lines)
        table = self.table
        table.source = TodaySource(lines, self.cockpit.scope.names)
        table.reload()
        if at is not None:  # the cursor stays on the line it was on, or where that line was
            index = next((i for i, line in enumerate(lines) if line.target == at.target), None)
            if index is not None:
                table.move_to_index(index)
            else:
                table.move_to(table.cursor_row)
        if not self.editor.is_open:
            table.focus()
        self.query_one("#today-summary", Prose).update(Text(self.summary(lines)))
        self.update_status()

    def summary(self, lines: list[TodayLine]) -> str:
        if not lines:
            return t("today.empty")
        counts = {r: sum(1 for line in lines if line.reason == r) for r in ("reminder", "rhythm", "call_first", "dormant")}
        late = sum(1 for line in lines if line.overdue)
        part = {k: plural(f"today.part.{k}", counts[r], n=number(counts[r]))
                for k, r in (("reminders", "reminder"), ("due", "rhythm"), ("call", "call_first"), ("dormant", "dormant"))}
        return t("today.summary", total=number(len(lines)), late=number(late), day=date(self.today()), **part)

    def update_status(self, note: str = "") -> None:
        parts = [tn("today.status.count", len(self.lines or []), n=number(len(self.lines or [])))]
        self.query_one(StatusLine).show(parts, note=note or None)

    def export_view(self) -> tuple[str, list[str], list[list[Any]]] | None:
        """What `x` exports: the list's real numbers and dates, as `cockpit export today` writes them."""
        from cockpit.action.tables import today_rows

        return None if self.lines is None else ("today", *today_rows(self.lines))

    def current(self) -> TodayLine | None:
        if not self.lines:
            return None
        row = self.table.cursor_index
        return self.lines[row] if 0 <= row < len(self.lines) else None

    def apply_journal(self, edit: Edit) -> bool:
        """An undone or redone contact (or any client or prospect change): the list is read again."""
        if edit.entity in ("clients", "prospects", "visits", "zone_answers") and self.lines is not None:
            self.reload()
        return False  # other screens may show it too

    def describe(self, entity: str, key: tuple[Any, ...], field: str, value: Any) -> Described | None:
        if entity != "visits" or not isinstance(value, dict):
            return None
        target = ("client", value.get("client_id")) if value.get("client_id") else ("prospect", value.get("prospect_id"))
        name = self.names.get(target)  # type: ignore[arg-type]
        if name is None:
            return None
        return Described(t("today.contact_with", kind=t(f"action.kind.{value.get('kind')}"), name=name), field, "")

    def data_changed(self, what: str) -> None:
        if self.lines is not None and what in ("clients", "prospects", "amounts", "visits", "external"):
            self.reload()

    # ---- logging a contact: the kit's one-line entry -------------------------
    def action_log(self, kind: str) -> None:
        line = self.current()
        if line is not None:
            open_entry(self, self.editor, self.table, 4, Contactee(line.target, line.name, line.version), kind,
                       self.today())

    def on_inline_editor_done(self, event: InlineEditor.Done) -> None:
        if is_entry(event.field.target):
            submit_entry(self, event.field.target, event.value, self.today(), self.reload)

    # ---- search: by name or code, "2/5", ↓ ↑ ------------------------------------
    def action_search(self) -> None:
        self.query_one(SearchBar).open()

    def on_search_bar_sought(self, event: SearchBar.Sought) -> None:
        lines = self.lines or []

        def match(text: str) -> list[int]:
            needle = text.casefold()
            return [i for i, line in enumerate(lines) if needle in line.name.casefold() or needle in line.code.casefold()]

        find(event.bar, self.table, match, event, lambda text: self.cockpit.tell(t("search.none", text=text), "warning"))

    def on_search_bar_closed(self, event: SearchBar.Closed) -> None:
        event.bar.border_subtitle = ""
        self.table.focus()

    # ---- opening a line ------------------------------------------------------
    async def action_open(self) -> None:
        line = self.current()
        if line is None:
            return
        if line.target[0] == "client":
            from screens.today.card import open_card

            open_card(self.cockpit, line.code)
            return
        await self.cockpit.switch_mode("prospects")  # its cursor on the prospect
        self.cockpit.screen.reload(line.target[1])  # type: ignore[attr-defined]

    async def on_virtual_table_activated(self, event: VirtualTable.Activated) -> None:
        event.stop()
        await self.action_open()

    @staticmethod
    def at_start(app: Any) -> None:
        """Once at start-up (the App asks): the day's overdue reminders, clients' and
        prospects' as this list counts them, on the status line of the screen shown
        (a toast covered the chart), never over a note of this start (a restored draft),
        nor on a screen that lists reminders (this one, Prospects: its status line is its pipeline's)."""
        def done(found: tuple[int, dt.date | None]) -> None:
            n, oldest = found
            line = next(iter(app.screen.query(StatusLine)), None)
            if n and oldest and not getattr(app.screen, "LISTS_REMINDERS", False) and not (line and line.note_text):
                app.tell(tn("today.startup", n, n=number(n), oldest=date(oldest), hint=key_hint(app, "app.today")),
                         "warning")

        app.call_later(lambda: app.run_db(lambda ws: overdue_reminders(ws, today_of(app), app.scope.owner), done))
