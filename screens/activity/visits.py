"""The visit/call log on the Activity screen, the dialog that enters one
contact (date, client or prospect, kind, outcome) and the one naming a new rep."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import datetime as dt
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Select

from cockpit.activity.score import months_of
from cockpit.activity.store import Party, add_visit, delete_visit, parties
from cockpit.activity.suggest import OUTCOMES, VISIT_KINDS
from cockpit.i18n import date, number, plural, t
from cockpit.io.numbers_fr import ParseError, parse_date

from screens.activity.mixin import ActivityMixin
from screens.activity.source import VisitsSource
from screens.kit import Job
from screens.kit.keys import key_hint
from screens.kit.text import safe

if TYPE_CHECKING:
    from screens.app import CockpitApp



@dataclass(frozen=True)
class VisitEntry:
    date: dt.date
    party: str  # client code or name, or prospect company, as typed
    kind: str
    outcome: str


class VisitDialog(ModalScreen[VisitEntry | None]):
    DEFAULT_CSS = """
    VisitDialog { align: center middle; }
    VisitDialog #visit-dialog { width: 64; }
    VisitDialog Label { margin-top: 1; }
    VisitDialog Button { margin-right: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, rep: str, default_date: dt.date, names: list[str]) -> None:
        super().__init__()
        self.rep, self.default_date, self.names = rep, default_date, names

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="visit-dialog"):
            yield Label(t("activity.visit.title", rep=self.rep), markup=False)
            yield Label(t("activity.visit.date"), markup=False)
            yield Input(date(self.default_date), id="visit-date", compact=True)
            yield Label(t("activity.visit.party"), markup=False)
            yield Input(id="visit-party", suggester=SuggestFromList([safe(n) for n in self.names], case_sensitive=False), compact=True)
            yield Label(t("activity.visit.kind"), markup=False)
            yield Select([(t(f"activity.kind.{k}"), k) for k in VISIT_KINDS], value=VISIT_KINDS[0],
                         allow_blank=False, id="visit-kind", compact=True)
            yield Label(t("activity.visit.outcome"), markup=False)
            yield Select([(t(f"activity.outcome.{o}"), o) for o in OUTCOMES], value=OUTCOMES[-1],
                         allow_blank=False, id="visit-outcome", compact=True)
            with Horizontal(classes="buttons"):
                yield Button(t("dialog.ok"), variant="primary", id="ok", compact=True)
                yield Button(t("dialog.cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#visit-party", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#ok")
    def submit(self) -> None:
        text = self.query_one("#visit-date", Input).value
        try:
            when = parse_date(text.strip())
        except ParseError:
            cast("CockpitApp", self.app).say(t("activity.visit.bad_date", value=text), "error")
            return
        party = self.query_one("#visit-party", Input).value.strip()
        if not party:
            cast("CockpitApp", self.app).say(t("activity.visit.no_party"), "error")
            return
        self.dismiss(VisitEntry(when, party, str(self.query_one("#visit-kind", Select).value),
                                str(self.query_one("#visit-outcome", Select).value)))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class NameDialog(ModalScreen[str | None]):
    """One line of text: a new rep's name."""

    DEFAULT_CSS = """
    NameDialog { align: center middle; }
    NameDialog .dialog { width: 56; }
    """
    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, markup=False)
            yield Input(id="name-input")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class VisitLogMixin(ActivityMixin):
    """The Activity screen's visit log: shown with `v`, a contact added with
    `a` or removed with `x` (each journaled, so undo covers it)."""

    # The log's keys and the indicators' keys: the footer shows those of the view on screen.
    LOG_KEYS = frozenset({"add_visit", "delete_visit"})
    INDICATOR_KEYS = frozenset({"edit", "accept", "whatif"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        log = self.has_class("-visits")
        if action in self.LOG_KEYS:
            return log
        if action in self.INDICATOR_KEYS and log:
            return False  # not on view (e would change an indicator the rep does not see): v goes back to them
        return True

    def action_visits(self) -> None:
        self.toggle_class("-visits")
        self.refresh_bindings()
        if self.has_class("-visits"):
            self.refresh_visits()
            self.table("visits").focus()
        else:
            self.table("team").focus()

    def refresh_visits(self) -> None:
        st = self.state
        if st is None or self.period is None or self.rep is None:
            return
        visits = st.log.of(self.rep, months_of(self.period))
        party = {v.id: (f"{st.clients[v.client_id][0]} {st.clients[v.client_id][1]}" if v.client_id in st.clients
                        else st.prospects.get(v.prospect_id or -1, "?")) for v in visits}
        tg = st.targets
        why = {v.id: "A" if v.client_id in tg.a_clients else t("activity.target.dev") if v.client_id in tg.dev_clients
               else t("activity.target.hot") if v.prospect_id in tg.hot_prospects else "" for v in visits}
        table = self.table("visits")
        table.source = VisitsSource(visits, party, why)
        table.reload()

    def action_add_visit(self) -> None:
        st = self.state
        if st is None or self.rep is None or self.period is None:
            return
        rep = self.rep
        names = sorted({n for _, n in st.clients.values()} | set(st.prospects.values()))

        def log(entry: VisitEntry, party: Party) -> None:
            self.cockpit.committer.submit(Job(
                lambda ws: add_visit(ws, entry.date.isoformat(), rep, *party, entry.kind, entry.outcome),
                lambda edit: self.visits_changed(t("activity.visit.added", rep=rep))))

        def done(entry: VisitEntry | None) -> None:
            if entry is None or self.state is None:
                return
            found = parties(entry.party, self.state.clients, self.state.prospects)
            if not found:
                self.cockpit.say(t("activity.visit.unknown", party=entry.party), "error")
            elif len(found) == 1:
                log(entry, found[0])
            else:  # namesakes (sites of one group): the rep picks one by its code
                self.choose_party(entry, found, log)

        # A contact is logged on the day it happened: today, whatever period is shown.
        self.app.push_screen(VisitDialog(rep, self.today(), names), done)

    def choose_party(self, entry: VisitEntry, found: list[Party], log) -> None:
        from screens.dialogs import ClientListDialog

        ids = [c for c, _ in found if c is not None]

        def read(ws) -> dict[int, tuple[str, str, str, int | None]]:
            marks = ",".join("?" * len(ids))
            rows = ws.db.execute(
                f"SELECT c.id, c.code, c.name, c.sector, (SELECT a.revenue FROM amounts a WHERE a.client_id = c.id "
                f"ORDER BY a.period DESC LIMIT 1) FROM clients c WHERE c.id IN ({marks})", ids).fetchall()
            return {r[0]: r[1:] for r in rows}

        def show(details: dict[int, tuple[str, str, str, int | None]]) -> None:
            rows: list[tuple[str, int | None, int | None]] = []
            for i, (cid, pid) in enumerate(found):
                if cid is not None and cid in details:
                    code, name, sector, revenue = details[cid]
                    rows.append((" · ".join(x for x in (code, name, sector) if x), revenue, i))
                elif pid is not None:
                    rows.append((t("activity.visit.a_prospect", company=self.state.prospects.get(pid, "?")) if self.state
                                 else str(pid), None, i))
            title = plural("activity.visit.namesakes", len(rows), party=entry.party, count=number(len(rows)))
            self.app.push_screen(ClientListDialog(title, rows), lambda i: None if i is None else log(entry, found[i]))

        self.cockpit.run_read(read, show)

    def action_delete_visit(self) -> None:
        table = self.table("visits")
        if not self.has_class("-visits") or not isinstance(table.source, VisitsSource) or not table.source.row_count():
            self.cockpit.say(t("activity.visit.pick", hint=key_hint(self, "activity.visits")), "warning")
            return
        visit = table.source.visits[table.cursor_index]
        self.cockpit.committer.submit(Job(lambda ws: delete_visit(ws, visit.id),
                                      lambda edit: self.visits_changed(t("activity.visit.deleted"))))

    def visits_changed(self, message: str) -> None:
        self.cockpit.say(message)
        self.reload()
        # Other screens may show contacts (a prospect's history): tell them.
        self._announcing = True
        try:
            self.cockpit.data_changed("visits")
        finally:
            self._announcing = False
