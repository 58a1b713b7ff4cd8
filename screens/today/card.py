"""The client card (METHOD §7): who the client is, its class now and before,
its revenue per period and product family, its share of wallet, its zone's
questions with the rep's answers, its contacts, its action plan. The action
plan, the city, the contact person and the answers are edited in the kit's
editor and written by the one committer (version checked, undoable)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from cockpit.action.card import Card, client_card
from cockpit.i18n import date, money, pct, plural, t
from cockpit.io.dates_fr import parse_next_date
from cockpit.safe_text import safe_text

from screens.kit import Commit, EditField, InlineEditor
from screens.kit.base import today_of
from screens.kit.keys import key_hint
from screens.kit.virtual_table import Column, VirtualTable

if TYPE_CHECKING:
    from screens.app import CockpitApp


@dataclass(frozen=True)
class CardField:
    entity: str  # clients | zone_answers
    key: tuple[Any, ...]
    field: str
    label: str
    value: str | None
    version: int


def card_fields(card: Card) -> list[CardField]:
    """The card's editable lines: the action plan first, then who to see, then the zone's questions."""
    key = (card.id,)
    out = [CardField("clients", key, "next_action", t("card.next_action"), card.next_action, card.version),
           CardField("clients", key, "next_action_date", t("card.next_action_date"), card.next_action_date, card.version),
           CardField("clients", key, "notes", t("card.notes"), card.notes, card.version),
           CardField("clients", key, "contact", t("card.contact"), card.contact, card.version),
           CardField("clients", key, "city", t("card.city"), card.city, card.version)]
    out += [CardField("zone_answers", (card.id, a.question), "answer", t(f"action.q.{a.question}"), a.answer, a.version)
            for a in card.answers]
    return out


def shown(f: CardField) -> str:
    if f.field == "next_action_date" and f.value:
        return date(dt.date.fromisoformat(f.value[:10]))
    return f.value or ""


class _Fields:
    def __init__(self, fields: list[CardField]) -> None:
        self.fields = fields
        self.columns = [Column(t("card.col.field"), 0, min_width=16, want=40), Column(t("card.col.value"), 0, min_width=16)]

    def row_count(self) -> int:
        return len(self.fields)

    def row(self, index: int) -> list[Text]:
        f = self.fields[index]
        return [Text(f.label), Text(safe_text(shown(f)))]


def card_lines(card: Card, names: dict[str, str]) -> list[str]:
    """The card's figures, one sentence a line, in the rep's words."""
    lines = [t("card.who", group=card.group or "—", sector=card.sector or "—",
               owner=names.get(card.owner or "", card.owner or "—"))]
    changes = ", ".join(t("card.change", period=p, before=a, after=b) for p, a, b in card.class_changes())
    lines.append(t("card.class", cls=card.cls or "—", potential=card.potential_class or "—", zone=t(f"zone.{card.zone}")
                   if card.zone else "—") + (f" · {changes}" if changes else ""))
    lines.append(t("card.revenue") + " " + " · ".join(f"{safe_text(p.period)} {money(p.revenue)}" for p in card.periods[-4:]))
    if card.periods and card.periods[-1].products:
        lines.append(t("card.products", period=card.periods[-1].period) + " " + " · ".join(
            f"{safe_text(name)} {money(v)}" for name, v in sorted(card.periods[-1].products.items(), key=lambda kv: -kv[1])))
    wallet = pct(float(card.share_of_wallet), 0) if card.share_of_wallet is not None else "—"
    lines.append(t("card.wallet", potential=money(card.potential) if card.potential is not None else "—", wallet=wallet))
    if card.rhythm_days is not None:
        last = date(dt.date.fromisoformat(card.last_contact)) if card.last_contact else t("card.never")
        lines.append(plural("card.rhythm", card.rhythm_days, days=card.rhythm_days, last=last,
                       status=t(f"card.status.{card.rhythm_status}") if card.rhythm_status else ""))
    return lines


def timeline_lines(card: Card) -> list[str]:
    # A contact without a note ends on its rep, not on a separator ("… · Claire Martin ·").
    return [t("card.contact_line", day=date(dt.date.fromisoformat(c.date[:10])), kind=t(f"action.kind.{c.kind}"),
              outcome=t(f"action.outcome.{c.outcome}"), rep=c.rep, note=c.note).removesuffix(" · ")
            for c in card.timeline[:12]] or [t("card.no_contact")]


class CardScreen(ModalScreen[None]):
    CSS_PATH = "today.tcss"
    BINDINGS = [Binding("escape", "close", show=False, id="card.close"),
                Binding("e", "edit", "card.key.edit", id="card.edit", priority=True),
                # A modal ends the binding chain before the App's: undo is offered here too.
                Binding("u,ctrl+z", "undo", "key.undo", show=False, id="card.undo"),
                Binding("ctrl+y", "redo", "key.redo", show=False, id="card.redo"),
                # The card can be taller than the terminal (80×24): its figures above the fields and the
                # contacts below them are reached by page, whatever the fields' cursor.
                Binding("pageup", "page(-1)", "card.key.page_up", show=False, id="card.page_up", priority=True),
                Binding("pagedown", "page(1)", "card.key.page_down", show=False, id="card.page_down", priority=True)]

    def __init__(self, card: Card) -> None:
        super().__init__(id="card")
        self.card = card

    @property
    def cockpit(self) -> "CockpitApp":
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        c = self.card
        with Vertical(classes="card"):
            yield Label(safe_text(f"{c.code} · {c.name}" + (f" · {c.city}" if c.city else "")), markup=False, classes="card-title")
            with VerticalScroll(classes="card-body", can_focus=False):
                yield Static("\n".join(card_lines(c, self.cockpit.scope.names)), markup=False, id="card-figures")
                yield VirtualTable(_Fields(card_fields(c)), id="card-fields")
                yield Label(t("card.timeline"), markup=False, classes="card-section")
                yield Static("\n".join(timeline_lines(c)), markup=False, id="card-timeline")
            yield Label(self.keys_line(), markup=False, classes="card-keys")
        yield InlineEditor(id="card-editor")

    def keys_line(self) -> str:
        """The card's own keys (no footer under a modal), as the live bindings have them."""
        hints = {name: key_hint(self, f"card.{name}") for name in ("page_up", "page_down", "edit", "undo", "close")}
        return t("card.keys", **hints)

    def on_mount(self) -> None:
        self.table.styles.height = len(self.table.source.fields) + 1
        self.table.focus()
        self.call_after_refresh(self._top)  # the focus scrolled to the fields: the figures come first

    def _top(self) -> None:
        self.query_one(".card-body", VerticalScroll).scroll_home(animate=False)

    def action_page(self, step: int) -> None:
        body = self.query_one(".card-body", VerticalScroll)
        if step < 0:
            body.scroll_page_up(animate=False)
        else:
            body.scroll_page_down(animate=False)

    @property
    def table(self) -> VirtualTable:
        return self.query_one("#card-fields", VirtualTable)

    def action_undo(self) -> None:
        self.cockpit.action_undo()
        self.cockpit.committer.when_idle(self.reread)

    def action_redo(self) -> None:
        self.cockpit.action_redo()
        self.cockpit.committer.when_idle(self.reread)

    def action_close(self) -> None:
        editor = self.query_one(InlineEditor)
        if editor.is_open:
            editor.close()
            return
        self.dismiss(None)

    def on_virtual_table_activated(self, event: VirtualTable.Activated) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        editor = self.query_one(InlineEditor)
        if editor.is_open:
            return
        f = self.table.source.fields[self.table.cursor_index]
        today = today_of(self.app)
        parse = (lambda s: parse_next_date(s, today).isoformat() if s.strip() else None) \
            if f.field == "next_action_date" else (lambda s: s)
        editor.open_over(self.table, 1, EditField(self.card.name, f.label, shown(f), parse, f))

    def on_inline_editor_done(self, event: InlineEditor.Done) -> None:
        f: CardField = event.field.target
        value = event.value
        if value == f.value or (not value and not f.value):
            return

        def refresh(result: Any = None) -> None:
            self.cockpit.data_changed("clients")
            self.reread()

        said = t("card.saved", field=f.label, name=self.card.name)
        self.cockpit.committer.submit(Commit(
            f.entity, f.key, f.field, value, f.version or None, self.card.name, f.label, f.value,
            show=lambda v: safe_text(str(v or "—")), apply=lambda v, version: self.reread(), saved=refresh, said=said))

    def reread(self) -> None:
        cfg, owner, code = self.cockpit.cfg, self.cockpit.scope.owner, self.card.code

        def show(card: Card | None) -> None:
            if card is None or not self.is_attached:
                return
            row = self.table.cursor_index
            self.card = card
            self.table.source = _Fields(card_fields(card))
            self.table.reload()
            self.table.move_to_index(row)
            self.query_one("#card-figures", Static).update("\n".join(card_lines(card, self.cockpit.scope.names)))
            self.query_one("#card-timeline", Static).update("\n".join(timeline_lines(card)))

        today = today_of(self.app)
        self.cockpit.run_read(lambda ws: client_card(ws, cfg, code, today, owner=owner), show)


def open_card(app: "CockpitApp", code: str) -> None:
    """Read the card in a worker, then show it over the screen."""
    cfg, owner, today = app.cfg, app.scope.owner, today_of(app)

    def show(card: Card | None) -> None:
        if card is not None:
            app.push_screen(CardScreen(card))

    app.run_read(lambda ws: client_card(ws, cfg, code, today, owner=owner), show)
