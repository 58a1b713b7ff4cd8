"""The text panels of the Prospects screen: reminders, call-first list, the
selected prospect's record, the funnel's figures. Data is appended to
``rich.text.Text`` as plain text, never parsed as markup."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widget import Widget

from cockpit.i18n import date, money, number, t, tn
from cockpit.prospects.book import Book
from cockpit.prospects.report import dormant_lines, funnel_lines, pipeline_line, source_lines
from cockpit.prospects.store import Prospect
from cockpit.safe_text import safe_text

from screens.prospects.source import cell_text, display, field_label

DETAIL_FIELDS = ("first_name", "last_name", "function", "email", "phone", "source", "has_project", "last_purchase",
                 "next_action", "next_action_date", "notes")


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
    """The selected prospect's record: repainted on every cursor move, so a
    plain widget of fixed height (a Static would re-layout the screen)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = Text()

    def show(self, text: Text) -> None:
        self.text = text
        self.refresh()

    def render(self) -> Text:
        return self.text


def detail_text(p: Prospect | None) -> Text:
    out = Text()
    if p is None:
        return out
    out.append(safe_text(p.company), style="bold")
    for name in DETAIL_FIELDS:
        value = display(p, name)
        if value:
            out.append(f" · {field_label(name)} ", style="dim")
            out.append(value)
    return out


def funnel_text(book: Book, today: dt.date | None = None) -> Text:
    f = book.funnel(today)
    lines = ([pipeline_line(f), ""] + funnel_lines(f, book.section) + [""]
             + dormant_lines(book, f, book.section["dormant_days"]) + source_lines(book.by_source(today)))
    return Text("\n".join(lines))
