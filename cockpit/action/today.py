"""The rep's day (METHOD §7, "Today"): one list, most urgent first —
reminders due and overdue (clients' and prospects' next actions), clients due
by their contact rhythm (A first, the longest without a contact first),
call-first prospects, dormant prospects to close or revive. One line per
client or prospect, under its most urgent reason. ``owner`` narrows it to one
rep's clients and prospects (None: the team's), their classes read in that
rep's portfolio as the Portfolio screen shows it (METHOD §8).

Logging a contact (``log_contact``) moves the line out: the contact is the
latest, the reminder it answered is closed, the next one is in the future."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from cockpit.action.rhythm import Rhythm, due_clients, last_contacts
from cockpit.action.standing import standings
from cockpit.prospects.book import Book
from cockpit.prospects.funnel import outcome
from cockpit.prospects.store import Prospect, load_prospects

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace

Reason = Literal["reminder", "rhythm", "call_first", "dormant"]
REASONS: tuple[Reason, ...] = ("reminder", "rhythm", "call_first", "dormant")  # most urgent first
Kind = Literal["client", "prospect"]
Target = tuple[Kind, int]  # ("client", id) or ("prospect", id)


@dataclass(frozen=True)
class TodayLine:
    reason: Reason
    target: Target
    code: str  # the client's code; "" for a prospect
    name: str  # the client's name or the prospect's company
    owner: str | None
    cls: str | None  # the client's ABC class now; None for a prospect or a client out of the period
    zone: str | None
    date: dt.date | None  # a reminder's date; for a client due by rhythm, the day it became due
    days: int | None  # days late (reminder), since the last contact (rhythm, dormant); None: never contacted
    overdue: bool  # a reminder of a past day, a client past 1.5 × its rhythm
    last_contact: dt.date | None
    action: str  # the next action as recorded
    rhythm_days: int | None = None
    potential: int | None = None  # cents: the client's or the prospect's potential
    also: tuple[Reason, ...] = ()  # the other reasons it is in the day (a reminder of a call-first prospect)
    version: int = 0  # of the client's or prospect's row as read: log_contact's expected_version
    rhythm_status: str | None = None  # a client due by its rhythm: "due" | "overdue", whatever the line's reason


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def today_list(ws: Workspace, cfg: Config, today: dt.date | None = None, owner: str | None = None) -> list[TodayLine]:
    today = today or dt.date.today()
    with ws.lock:
        clients = ws.db.execute("SELECT id, code, name, owner, next_action, next_action_date, potential, version "
                                "FROM clients ORDER BY id").fetchall()
        prospect_owner = dict(ws.db.execute("SELECT id, owner FROM prospects").fetchall())
    stand = standings(ws, cfg, owner=owner)
    contacts = last_contacts(ws)
    mine = {r[0] for r in clients if owner is None or r[3] == owner}
    info = {r[0]: r for r in clients}
    prospects = load_prospects(ws)
    book = Book(prospects, cfg.prospects, today)
    theirs = [owner is None or prospect_owner.get(p.id) == owner for p in prospects]
    open_ = [outcome(p.stage) == "open" and theirs[i] for i, p in enumerate(prospects)]
    due = due_clients((s for cid, s in stand.items() if cid in mine), contacts, Rhythm.from_config(cfg.rhythm), today)
    first = [i for i in book.call_first() if open_[i]]
    idle = [i for i in book.funnel(today).dormant if open_[i]]
    # Every reason a client or prospect is in the day: its line names the first, and the others (``also``).
    why: dict[Target, list[Reason]] = {}
    for target, reason in [(("client", d.client_id), "rhythm") for d in due] + \
            [(("prospect", prospects[i].id), "call_first") for i in first] + \
            [(("prospect", prospects[i].id), "dormant") for i in idle]:
        why.setdefault(target, []).append(reason)  # type: ignore[arg-type]  # the literals above

    def also(target: Target, reason: Reason) -> tuple[Reason, ...]:
        return tuple(r for r in why.get(target, ()) if r != reason)

    by_rhythm = {d.client_id: d.status for d in due}
    reminders: list[tuple[dt.date, int, TodayLine]] = []
    for cid, code, name, own, action, when, potential, version in clients:
        day = _day(when)
        if cid in mine and day is not None and day <= today:
            s = stand.get(cid)
            reminders.append((day, 0, TodayLine(
                "reminder", ("client", cid), code, name, own, s.cls if s else None, s.zone if s else None, day,
                (today - day).days, day < today, contacts.get(cid), action, potential=potential,
                also=also(("client", cid), "reminder"), version=version, rhythm_status=by_rhythm.get(cid))))
    for r in book.reminders(today):
        p = prospects[r.index]
        if theirs[r.index]:  # a dated next action is a reminder at any stage ("Recontacter dans 6 mois" on a lost one)
            reminders.append((r.date, 1, _prospect_line("reminder", p, prospect_owner.get(p.id), r.date, r.days_late,
                                                        r.days_late > 0, also(("prospect", p.id), "reminder"))))
    reminders.sort(key=lambda e: (e[0], e[1]))  # the oldest first; on one day clients, then prospects in their order
    lines = [line for *_, line in reminders]
    seen = {line.target for line in lines}
    for d in due:
        cid, code, name, own, action, _, potential, version = info[d.client_id]
        if ("client", cid) not in seen:
            lines.append(TodayLine("rhythm", ("client", cid), code, name, own, d.cls, d.zone, d.due_date,
                                   d.days_since, d.status == "overdue", d.last_contact, action, d.rhythm_days,
                                   potential, version=version, rhythm_status=d.status))
    seen = {line.target for line in lines}
    for i in first:
        p = prospects[i]
        planned = (p.next_date() or dt.date.min) > today or _day(p.last_contact) == today
        if not planned and ("prospect", p.id) not in seen:
            seen.add(("prospect", p.id))
            lines.append(_prospect_line("call_first", p, prospect_owner.get(p.id), None, None, False,
                                        also(("prospect", p.id), "call_first")))
    for i in idle:
        p = prospects[i]
        if ("prospect", p.id) not in seen:
            last = _day(p.last_contact)
            idle_since = max([s.date for s in p.history] + ([last] if last else []), default=None)
            lines.append(_prospect_line("dormant", p, prospect_owner.get(p.id), None,
                                        None if idle_since is None else (today - idle_since).days, False,
                                        also(("prospect", p.id), "dormant")))
    return lines


def overdue_reminders(ws: Workspace, today: dt.date, owner: str | None = None) -> tuple[int, dt.date | None]:
    """How many of ``today_list``'s reminders are past (clients' and prospects'
    next actions of an earlier day, in ``owner``'s scope), and the oldest date:
    the start-up word, without ranking the portfolio."""
    mine, args = (" AND owner = ?", (owner,)) if owner is not None else ("", ())
    with ws.lock:
        dates = [d for table in ("clients", "prospects") for (d,) in ws.db.execute(
            f"SELECT next_action_date FROM {table} WHERE next_action_date IS NOT NULL{mine}", args)]
    past = [day for day in map(_day, dates) if day is not None and day < today]
    return len(past), min(past, default=None)


def _prospect_line(reason: Reason, p: Prospect, own: str | None, day: dt.date | None, days: int | None,
                   overdue: bool, also: tuple[Reason, ...] = ()) -> TodayLine:
    return TodayLine(reason, ("prospect", p.id), "", p.company, own, None, None, day, days, overdue,
                     _day(p.last_contact), p.next_action, potential=p.potential, also=also, version=p.version)


# Logging a contact is how a line leaves the list; the screens find both here.
from cockpit.action.contact_log import Logged, log_contact  # noqa: E402

__all__ = ["REASONS", "Logged", "Reason", "Target", "TodayLine", "log_contact", "overdue_reminders", "today_list"]
