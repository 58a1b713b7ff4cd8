"""The action core's tables for ``cockpit export today | allocation | card
CODE`` (headers as keys, money in euros, shares as decimals, dates as
dates: the one writer of ``cockpit.io.exports`` formats them)."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from cockpit.io.exports import euros, share

if TYPE_CHECKING:
    from cockpit.action.allocation import Allocation
    from cockpit.action.today import TodayLine
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace

Table = tuple[list[str], list[list[object]]]


def _share(value: Fraction | None) -> Decimal | None:
    return None if value is None else share(float(value))


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _owner(ws: Workspace, args: argparse.Namespace | None) -> str | None:
    from cockpit.store.reps import view_owner

    # a rep's own (the team's with --team), a manager's or a solo workspace's: the team's
    return view_owner(ws, bool(getattr(args, "team", False)))


def today_table(ws: Workspace, cfg: Config, args: argparse.Namespace | None = None) -> Table:
    """The rep's day, most urgent first: one line per client or prospect."""
    from cockpit.action.today import today_list

    return today_rows(today_list(ws, cfg, owner=_owner(ws, args)))


def today_rows(lines: Sequence[TodayLine]) -> Table:
    """The Today list's table as exported (the Today screen's `x` exports it too)."""
    headers = ["reason", "kind", "code", "name", "owner", "class", "zone", "date", "days", "overdue", "last_contact",
               "next_action", "rhythm_days", "potential"]
    rows: list[list[object]] = [
        [x.reason, x.target[0], x.code, x.name, x.owner or "", x.cls or "", x.zone or "", x.date, x.days, x.overdue,
         x.last_contact, x.action, x.rhythm_days, euros(x.potential)]
        for x in lines]
    return headers, rows


def allocation_table(ws: Workspace, cfg: Config, args: argparse.Namespace | None = None) -> Table:
    """Per class and per zone: contacts against revenue and potential, and the finding if any."""
    from cockpit.action.allocation import load_allocation
    from cockpit.portfolio.periods import check_known, check_period, is_rolling, window

    period = getattr(args, "period", None)
    if period is None:  # the latest period's classes against the whole log, as the Time tab shows them
        return allocation_rows(load_allocation(ws, cfg, owner=_owner(ws, args)))
    # A period the workspace holds (never silently the latest): its classes against its own contacts.
    period = check_known(check_period(period), ws.periods(is_rolling(period.strip())))
    start, end = (dt.date.fromisoformat(d) for d in window(period))
    return allocation_rows(load_allocation(ws, cfg, _owner(ws, args), start, end - dt.timedelta(days=1), period))


def allocation_rows(a: Allocation) -> Table:
    """The allocation's table as exported (the Portfolio's tab exports it too)."""
    found: dict[tuple[str, str], str] = {(f.axis, f.share.key): f.kind for f in a.findings}
    headers = ["axis", "class_or_zone", "clients", "contacts", "contact_share", "amount", "amount_share", "potential",
               "potential_share", "finding"]
    rows: list[list[object]] = [
        [axis, s.key, s.clients, Decimal(s.contacts.numerator) / s.contacts.denominator, _share(s.contact_share),
         euros(s.revenue), _share(s.revenue_share), euros(s.potential), _share(s.potential_share),
         found.get((axis, s.key), "")]
        for axis, shares in (("class", a.by_class), ("zone", a.by_zone)) for s in shares]
    return headers, rows


def card_table(ws: Workspace, cfg: Config, args: argparse.Namespace) -> Table:
    """One client's card as (section, item, value, detail) rows."""
    from cockpit.action.card import client_card
    from cockpit.io.input_error import InputError

    code = (getattr(args, "code", None) or "").strip()
    card = client_card(ws, cfg, code, owner=_owner(ws, args)) if code else None
    if card is None:
        raise InputError("CODE", None, None, code or None, "le code d'un client de l'espace de travail (ex. cockpit export "
                         "card C001 fiche.csv)", "the code of a client of the workspace (e.g. cockpit export card C001 "
                         "card.csv)")
    rows: list[list[object]] = [["client", k, v, None] for k, v in (
        ("code", card.code), ("name", card.name), ("group", card.group), ("sector", card.sector), ("city", card.city),
        ("contact", card.contact), ("owner", card.owner or ""), ("potential", euros(card.potential)),
        ("class", card.cls or ""), ("potential_class", card.potential_class or ""), ("zone", card.zone or ""),
        ("share_of_wallet", _share(card.share_of_wallet)), ("rhythm_days", card.rhythm_days),
        ("rhythm_status", card.rhythm_status or ""), ("last_contact", _day(card.last_contact)),
        ("next_action", card.next_action), ("next_action_date", _day(card.next_action_date)), ("notes", card.notes))]
    for f in card.periods:
        rows.append(["period", f.period, euros(f.revenue), f.cls or ""])
        rows += [["product", f"{f.period} {p}", euros(v), None] for p, v in f.products.items()]
    rows += [["question", a.question, a.answer, None] for a in card.answers + card.other_answers]
    rows += [["contact", _day(c.date), f"{c.kind} {c.outcome}", f"{c.rep} · {c.note}" if c.note else c.rep]
             for c in card.timeline]
    return ["section", "item", "value", "detail"], rows
