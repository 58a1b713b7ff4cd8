"""Prospects in the workspace: loading, and the writes that are more than one
field (a stage change and its history row, an added prospect, a won prospect
becoming a client), each in one transaction and journaled so undo restores it.

A stage change journals ``prospects.stage`` and appends a ``stage_history``
row; the history row of an undone change stays behind and is ignored on
reading (see ``prospects.effective_history``), then cleared by the next change.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any, cast

from cockpit.config_prospects import FUNNEL
from cockpit.prospects.funnel import STAGES, Step, effective_history, outcome, stage_rank
from cockpit.store.workspace import Conflict, Edit, Workspace

COLUMNS = ("company", "first_name", "last_name", "function", "email", "phone", "source", "stage", "has_project",
           "last_purchase", "potential", "next_action", "next_action_date", "notes", "created", "client_id",
           "quote_amount", "expected_signing", "won_back_from")
# How a rep's typed value is read, per editable field.
FIELD_KINDS = {
    "company": "text", "first_name": "text", "last_name": "text", "function": "text", "email": "email",
    "phone": "phone", "source": "text", "stage": "stage", "has_project": "bool", "last_purchase": "date",
    "potential": "amount", "next_action": "text", "next_action_date": "next_date", "notes": "text",
    "quote_amount": "amount", "expected_signing": "date",
}


@dataclass
class Prospect:
    id: int
    company: str
    first_name: str = ""
    last_name: str = ""
    function: str = ""
    email: str = ""
    phone: str = ""
    source: str = ""
    stage: str = "suspect"
    has_project: bool = False
    last_purchase: str | None = None  # ISO date
    potential: int | None = None  # cents
    next_action: str = ""
    next_action_date: str | None = None  # ISO date
    notes: str = ""
    created: str = ""
    client_id: int | None = None  # the client it became once won
    quote_amount: int | None = None  # cents
    expected_signing: str | None = None  # ISO date
    won_back_from: int | None = None  # the lost client a win-back prospect comes from
    version: int = 1
    scores: dict[str, float] = field(default_factory=dict)
    score_versions: dict[str, int] = field(default_factory=dict)
    history: list[Step] = field(default_factory=list)
    last_contact: str | None = None  # ISO date of the last visit or call (the log): dormancy reads it
    owner: str | None = None  # the rep whose prospect it is (METHOD §8)

    def get(self, name: str) -> Any:
        return getattr(self, name)

    @property
    def contact(self) -> str:
        return " ".join(p for p in (self.first_name, self.last_name) if p)

    def next_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.next_action_date) if self.next_action_date else None


def _date(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else default
    except ValueError:
        return default


def load_prospects(ws: Workspace, owner: str | None = None) -> list[Prospect]:
    """Every prospect (or ``owner``'s) with its raw scores and its effective stage history."""
    mine, args = ("WHERE owner = ? ", (owner,)) if owner is not None else ("", ())
    with ws.lock:
        rows = ws.db.execute(f"SELECT id, {', '.join(COLUMNS)}, version, owner FROM prospects {mine}ORDER BY id",
                             args).fetchall()
        scores = ws.db.execute("SELECT prospect_id, criterion, score, version FROM qualification").fetchall()
        history = ws.db.execute("SELECT prospect_id, stage, date FROM stage_history ORDER BY rowid").fetchall()
        contacts = ws.db.execute("SELECT prospect_id, max(date) FROM visits WHERE prospect_id IS NOT NULL "
                                 "GROUP BY prospect_id").fetchall()
    out, by_id = [], {}
    for r in rows:
        values = dict(zip(("id", *COLUMNS, "version", "owner"), r))
        values["has_project"] = bool(values["has_project"])
        p = Prospect(**values)
        out.append(p)
        by_id[p.id] = p
    for pid, key, score, version in scores:
        if pid in by_id:
            p = by_id[pid]
            p.score_versions[key] = version
            if score is not None:
                p.scores[key] = float(score)
    steps: dict[int, list[tuple[str, dt.date]]] = {}
    for pid, stage, date in history:
        steps.setdefault(pid, []).append((stage, _date(date, dt.date.min)))
    last_contact = dict(contacts)
    for p in out:
        p.history = effective_history(steps.get(p.id, []), p.stage, _date(p.created, dt.date.min))
        p.last_contact = last_contact.get(p.id)
    return out


# ---- writes of more than one row: one unit each (undone as one) ------------------

def _record_stage(db: sqlite3.Connection, pid: int, old: str, new: str, today: dt.date) -> None:
    """Append the entry into ``new``; first drop the rows an undo left after the
    last entry into ``old`` (they record changes that no longer happened)."""
    last = db.execute("SELECT max(rowid) FROM stage_history WHERE prospect_id = ? AND stage = ?", (pid, old)).fetchone()[0]
    if last is not None:
        db.execute("DELETE FROM stage_history WHERE prospect_id = ? AND rowid > ?", (pid, last))
    db.execute("INSERT INTO stage_history(prospect_id, stage, date) VALUES (?,?,?)", (pid, new, today.isoformat()))


def new_prospect_id(db: sqlite3.Connection) -> int:
    """Past every id in use, including a deleted prospect's: its history and
    scores stay in the file for the undo, and must not attach to a newcomer.
    On PostgreSQL a rep sees only their own prospects: the id comes from the
    table's sequence, which every new prospect there takes from."""
    if (from_sequence := getattr(db, "new_prospect_id", None)) is not None:
        return int(from_sequence())
    return 1 + max(int(db.execute(f"SELECT coalesce(max({col}), 0) FROM {table}").fetchone()[0])
                   for table, col in (("prospects", "id"), ("stage_history", "prospect_id"), ("qualification", "prospect_id")))


def create_prospect(ws: Workspace, values: dict[str, Any], today: dt.date) -> Edit:
    """A new prospect (journaled: undo removes it) entering its stage today."""
    values = {"stage": "suspect", "created": today.isoformat(), **values}
    with ws.unit() as u:
        db = u.db
        if "owner" not in values:  # the rep who enters it owns it (METHOD §8), when in the team
            known = db.execute("SELECT login FROM reps WHERE login = ? AND active <> 0", (ws.who,)).fetchone()
            values["owner"] = known[0] if known else None
        edit = u.create("prospects", {"id": new_prospect_id(db), **values})
        db.execute("INSERT INTO stage_history(prospect_id, stage, date) VALUES (?,?,?)",
                   (edit.key[0], values["stage"], values["created"]))
        return edit


def change_stage(ws: Workspace, pid: int, stage: str, today: dt.date, expected_version: int | None) -> Edit:
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}")
    with ws.unit() as u:
        db = u.db
        old = db.execute("SELECT stage, owner FROM prospects WHERE id = ?", (pid,)).fetchone()
        if old is None:
            raise KeyError(f"prospects ({pid},) does not exist")
        edit = u.set("prospects", (pid,), "stage", stage, expected_version=expected_version)
        _record_stage(db, pid, old[0], stage, today)
        return edit


class InUse(Exception):
    """The prospect has visits logged: deleting it would orphan them."""

    def __init__(self, visits: int) -> None:
        super().__init__(f"{visits} visits")
        self.visits = visits


def delete_prospect(ws: Workspace, pid: int) -> Edit:
    """Journaled; its scores and history stay in the file so undo finds them."""
    with ws.unit() as u:
        visits = u.db.execute("SELECT count(*) FROM visits WHERE prospect_id = ?", (pid,)).fetchone()[0]
        if visits:
            raise InUse(visits)
        return u.delete("prospects", (pid,))


# ---- winning: the prospect becomes a client of the portfolio -----------------

@dataclass(frozen=True)
class Won:
    edits: list[Edit]
    client_id: int
    code: str
    period: str
    version: int  # the prospect row's version after the win


def _next_code(db: sqlite3.Connection) -> str:
    """C + one more than the largest number in the C-codes, as wide as they are."""
    best, width = 0, 3
    for (code,) in db.execute("SELECT code FROM clients WHERE code GLOB 'C[0-9]*'"):
        if re.fullmatch(r"C\d+", code) and int(code[1:]) >= best:
            best, width = int(code[1:]), max(width, len(code) - 1)
    n = best + 1
    while db.execute("SELECT 1 FROM clients WHERE code = ?", (f"C{n:0{width}d}",)).fetchone():
        n += 1
    return f"C{n:0{width}d}"


def win(ws: Workspace, pid: int, stage: str, client: dict[str, Any], today: dt.date,
        expected_version: int | None) -> Won:
    """Stage to client (or fidele), the client created with its potential and a
    zero-revenue amount in the latest period so the portfolio shows it, and
    the prospect linked to it. Journal order keeps undo safe for the foreign
    keys: stage, client, amount, link (undone link first, stage last)."""
    if stage_rank(stage) < FUNNEL.index("client"):
        raise ValueError(f"{stage!r} is not a won stage")
    with ws.unit() as u:
        db = u.db
        old = db.execute("SELECT stage, owner FROM prospects WHERE id = ?", (pid,)).fetchone()
        if old is None:
            raise KeyError(f"prospects ({pid},) does not exist")
        edits = [u.set("prospects", (pid,), "stage", stage, expected_version=expected_version)]
        _record_stage(db, pid, old[0], stage, today)
        periods = [r[0] for r in db.execute("SELECT DISTINCT period FROM amounts ORDER BY period")]
        period = periods[-1] if periods else str(today.year)
        code = _next_code(db)
        values = {"code": code, "name": client["name"], "grp": client.get("grp") or client["name"],
                  "sector": client.get("sector") or "", "potential": client.get("potential")}
        if old[1] is not None:  # the rep who won it owns the new client (METHOD §8)
            values["owner"] = old[1]
        edits.append(u.create("clients", values))
        cid = edits[-1].key[0]
        edits.append(u.create("amounts", {"client_id": cid, "period": period, "revenue": 0}))
        edits.append(u.set("prospects", (pid,), "client_id", cid))
        return Won(edits, cid, code, period, edits[-1].version)


def latest_versions(ws: Workspace, pid: int) -> tuple[int, int | None, str] | None:
    """(version, client_id, stage) of one prospect as stored now."""
    with ws.lock:
        return cast("tuple[int, int | None, str] | None",
                    ws.db.execute("SELECT version, client_id, stage FROM prospects WHERE id = ?", (pid,)).fetchone())


__all__ = ["COLUMNS", "FIELD_KINDS", "Prospect", "load_prospects", "create_prospect", "change_stage", "delete_prospect",
           "InUse", "Won", "win", "latest_versions", "Conflict", "outcome"]
