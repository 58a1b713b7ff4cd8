"""The text panels of the Prospects screen: reminders, call-first list, the
selected prospect's record, the funnel's figures. Data is appended to
``rich.text.Text`` as plain text, never parsed as markup."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widget import Widget

from cockpit.i18n import date, money, number, plural, t, tn
from cockpit.prospects.book import Book
from cockpit.prospects.report import dormant_lines, funnel_lines, pipeline_line, source_lines
from cockpit.action.card import Contact
from cockpit.prospects.store import Prospect
from cockpit.safe_text import safe_text

from screens.prospects.source import cell_text, display, field_label

# The record's first line: the deal (stage, quote, signing) and the next step.
# The stage word needs no label; the quote and signing come before the rest so
# that 80 columns show them.
DETAIL_HEAD = ("stage", "quote_amount", "expected_signing", "potential", "next_action_date", "next_action")
DETAIL_FIELDS = ("first_name", "last_name", "function", "email", "phone", "source", "has_project", "last_purchase",
                 "notes")


def reminders_text(book: Book, today: dt.date, limit: int, next_key: str) -> Text:
    due = book.reminders(today)
    late = sum(1 for r in due if r.days_late > 0)
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(t("prospects.reminders.title", late=number(late), today=number(len(due) - late), hint=next_key),
               style="bold red" if late else "bold")
    for r in due[:limit]:
        p = book.prospects[r.index]
        style = "red" if r.days_late else "yellow"
        when = t("prospects.reminder.late", n=r.days_late) if r.days_late else t("prospects.reminder.today")
        out.append("\n" + ("⚠ " if r.days_late else "• "), style=style)
        out.append(f"{date(r.date)} ({when}) ", style=style)
        out.append(safe_text(p.company), style="bold")
        out.append(f" — {safe_text(p.next_action or '—')} · {display(p, 'stage')} · {cell_text(book, r.index)}")
    return out


def call_first_text(book: Book, limit: int) -> Text:
    first = book.call_first()
    out = Text(no_wrap=True, overflow="ellipsis")
    out.append(t("prospects.call_first.title"), style="bold")
    for i in first[:limit]:
        p = book.prospects[i]
        out.append("\n" + safe_text(p.company))
        out.append(f"  {money(p.potential) if p.potential is not None else '—'}", style="dim")
    if not first:
        out.append("\n" + t("prospects.none"), style="dim")
    elif len(first) > limit:
        out.append("\n" + tn("prospects.reminders.more", len(first) - limit, n=number(len(first) - limit)), style="dim")
    return out


class Detail(Widget):
    """The selected prospect: its deal on one line, its last contacts (the
    timeline, newest first) as many as the height allows, then the rest of
    its record. Repainted on every cursor move, so a plain widget of fixed
    height (a Static would re-layout the screen)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.parts: tuple[Text, list[Text], Text] = (Text(), [], Text())

    def show(self, parts: tuple[Text, list[Text], Text]) -> None:
        self.parts = parts
        self.refresh()

    def render(self) -> Text:
        head, contacts, fields = self.parts
        if not head.plain:
            return Text()
        room = max(1, self.size.height - 2)  # the head and the record's other fields
        shown = contacts[:room]
        if len(contacts) > room >= 2:  # the last line shown says how many more there are
            shown[-1] = Text(plural("prospects.timeline.more", (more := len(contacts) - room + 1), n=number(more)), style="dim")
        elif len(contacts) > room:  # one line (a short terminal): the newest, and how many in all
            count = plural("prospects.timeline.count", len(contacts), n=number(len(contacts)))
            shown = [Text(count + " ", style="dim") + contacts[0]]
        width = max(1, self.size.width)  # the content width (padding aside)
        out = head.copy()
        out.truncate(width, overflow="ellipsis")
        for line in shown:  # one row each, so the count above holds; the record below may wrap
            line = line.copy()
            line.truncate(width, overflow="ellipsis")
            out.append("\n")
            out.append_text(line)
        out.append("\n")
        out.append_text(fields)
        return out


def contact_line(c: Contact) -> Text:
    """``28/11/2026 appel · rendez-vous · Claire Martin — Rappeler`` (the note is the next action then decided)."""
    out = Text("↳ ", style="dim")
    out.append(date(dt.date.fromisoformat(c.date[:10])) + " ")
    out.append(t(f"action.kind.{c.kind}"), style="bold")
    out.append(" · " + t(f"action.outcome.{c.outcome}"), style="green" if c.outcome == "commande" else "")
    out.append(" · " + safe_text(c.rep), style="dim")
    if c.note:
        out.append(" — " + safe_text(c.note))
    return out


def detail_text(p: Prospect | None, contacts: list[Contact], today: dt.date) -> tuple[Text, list[Text], Text]:
    head, fields = Text(), Text()
    if p is None:
        return head, [], fields
    head.append(safe_text(p.company), style="bold")
    for name in DETAIL_HEAD:
        value = display(p, name)
        if value:
            head.append(" · " if name == "stage" else f" · {field_label(name)} ", style="dim")
            head.append(value, style="bold" if name in ("quote_amount", "expected_signing") else "")
    lines = [contact_line(c) for c in contacts]
    if not lines:
        lines = [Text(t("prospects.timeline.none"), style="dim")]
    first = True
    for name in DETAIL_FIELDS:
        value = display(p, name)
        if value:
            fields.append(("" if first else " · ") + f"{field_label(name)} ", style="dim")
            fields.append(value)
            first = False
    return head, lines, fields


def funnel_text(book: Book, today: dt.date | None = None) -> Text:
    f = book.funnel(today)
    lines = ([pipeline_line(f), ""] + funnel_lines(f, book.section) + [""]
             + dormant_lines(book, f, book.section["dormant_days"]) + source_lines(book.by_source(today)))
    return Text("\n".join(lines))
