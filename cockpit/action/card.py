"""The client card (METHOD §7, issue 15): who the client is, its class now and
over the past periods, its revenue per period and per product family, its
share of wallet, its zone's questions with the rep's answers, the timeline of
its visits and calls, and its action plan. A pure read: one dataclass."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING

from cockpit.action.rhythm import Rhythm, Status, status
from cockpit.action.standing import Standing, latest_period, standings
from cockpit.action.zone_questions import question_keys
from cockpit.portfolio.periods import window

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace


@dataclass(frozen=True)
class Contact:
    id: int
    date: str  # ISO
    rep: str
    kind: str  # visite | appel
    outcome: str  # commande | rdv | rien
    note: str  # the next action decided then


@dataclass(frozen=True)
class Answer:
    question: str  # 'zone.question': t(f"action.q.{question}") words it
    answer: str
    version: int  # 0: not answered yet (the first edit creates the row)


@dataclass(frozen=True)
class PeriodFigures:
    period: str
    cls: str | None  # the ABC class that period; None when the client had no amount then
    revenue: int  # cents
    margin: int | None
    products: dict[str, int]  # product family -> revenue cents, from the sales lines


@dataclass(frozen=True)
class Card:
    id: int
    code: str
    name: str
    group: str
    sector: str
    city: str
    contact: str
    owner: str | None
    potential: int | None  # cents
    next_action: str
    next_action_date: str | None
    notes: str
    version: int  # of the clients row: the editor's expected version
    periods: list[PeriodFigures]  # oldest first
    potential_class: str | None
    zone: str | None
    answers: list[Answer]  # the zone's questions in the deck's order, answered or not
    other_answers: list[Answer]  # answers kept from another zone the client was in
    timeline: list[Contact]  # newest first
    rhythm_days: int | None
    rhythm_status: Status | None
    last_contact: str | None
    share_of_wallet: Fraction | None = field(default=None)  # revenue of the latest period ÷ potential
    current_class: str | None = None  # its class in the latest period; None: not a client of it (lost)

    @property
    def cls(self) -> str | None:
        return self.current_class

    def class_changes(self) -> list[tuple[str, str, str]]:
        """(period, class before, class then) at each change: "A → B" in 2025."""
        seen = [(p.period, p.cls) for p in self.periods if p.cls is not None]
        return [(b[0], str(a[1]), str(b[1])) for a, b in zip(seen, seen[1:]) if a[1] != b[1]]


_CLIENT = ("id, code, name, grp, sector, city, contact, owner, potential, next_action, next_action_date, notes, "
           "version")


def client_card(ws: Workspace, cfg: Config, code: str, today: dt.date | None = None,
                owner: str | None = None) -> Card | None:
    """The card of the client ``code`` (None if there is none); its classes
    within the team's portfolio, or within ``owner``'s (METHOD §8)."""
    today = today or dt.date.today()
    with ws.lock:
        row = ws.db.execute(f"SELECT {_CLIENT} FROM clients WHERE code = ?", (code,)).fetchone()
        if row is None:
            return None
        cid = row[0]
        amounts = ws.db.execute("SELECT period, revenue, margin FROM amounts WHERE client_id = ? ORDER BY period",
                                (cid,)).fetchall()
        stored = {q: (a, v) for q, a, v in ws.db.execute(
            "SELECT question, answer, version FROM zone_answers WHERE client_id = ?", (cid,))}
    visits = timeline(ws, ("client", cid))
    ranked: dict[str | None, dict[int, Standing]] = {}  # one ranking per period, the latest read once

    def class_in(period: str | None) -> Standing | None:
        if period not in ranked:  # the ABC table's class, a period of credit notes only too (class C)
            ranked[period] = standings(ws, cfg, period, owner, buyers_only=False)
        return ranked[period].get(cid)

    figures = [PeriodFigures(period, (s.cls if (s := class_in(period)) else None), revenue, margin,
                             _products(ws, cid, period)) for period, revenue, margin in amounts]
    now = class_in(latest_period(ws, cfg))
    now = now if now is not None and now.bought else None  # a lost client has no class, rhythm nor zone now
    zone = now.zone if now else None
    keys = question_keys(zone)
    answers = [Answer(q, *stored.get(q, ("", 0))) for q in keys]
    others = [Answer(q, a, v) for q, (a, v) in sorted(stored.items()) if q not in keys and a]
    last = visits[0].date[:10] if visits else None
    days = st = None
    if now is not None:
        days = Rhythm.from_config(cfg.rhythm).of(now.cls, now.zone)
        st = status(dt.date.fromisoformat(last) if last else None, days, today, Fraction(str(cfg.rhythm.overdue_factor)))
    potential = row[8]
    wallet = Fraction(now.revenue, potential) if now is not None and potential and potential > 0 else None
    cid, code_, name, grp, sector, city, contact, owner, _, action, action_date, notes, version = row
    return Card(cid, code_, name, grp, sector, city, contact, owner, potential, action, action_date, notes, version, figures, now.potential_class if now else None, zone, answers, others,
                visits, days, st, last, wallet, now.cls if now else None)


def timeline(ws: Workspace, target: tuple[str, int]) -> list[Contact]:
    """The visits and calls of a client (``("client", id)``) or a prospect
    (``("prospect", id)``), newest first."""
    column = {"client": "client_id", "prospect": "prospect_id"}[target[0]]
    with ws.lock:
        rows = ws.db.execute(f"SELECT id, date, rep, kind, outcome, note FROM visits WHERE {column} = ? "
                             "ORDER BY date DESC, id DESC", (target[1],)).fetchall()
    return [Contact(*r) for r in rows]


def _products(ws: Workspace, cid: int, period: str) -> dict[str, int]:
    start, end = window(period)
    with ws.lock:
        rows = ws.db.execute("SELECT product, sum(revenue) FROM sales WHERE client_id = ? AND date >= ? AND date < ? "
                             "GROUP BY product ORDER BY product", (cid, start, end)).fetchall()
    return {p: int(v) for p, v in rows}
