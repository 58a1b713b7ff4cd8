"""Logging a contact from the rep's day, the card or the prospects: the
visit or call with its outcome, and the next action with its date, typed in
one line (``r +3j Rappeler``), in one journal unit (one undo takes it all
back). The contact closes the reminder it answered (a next action dated today
or before); the line's date and text, when given, are the next one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cockpit.action.contact_line import ContactLine, parse_contact_line
from cockpit.activity.suggest import normalise_kind

if TYPE_CHECKING:
    from cockpit.action.today import Target
    from cockpit.store.workspace import Edit, Workspace

_TABLE = {"client": "clients", "prospect": "prospects"}


@dataclass(frozen=True)
class Logged:
    visit_id: int
    line: ContactLine
    edits: list[Edit]


def rep_name(ws: Workspace) -> str:
    """The visit log names reps as the Activity screen does: the rep's name, else the login."""
    with ws.lock:
        row = ws.db.execute("SELECT name FROM reps WHERE login = ?", (ws.who,)).fetchone()
    return str(row[0]) if row and row[0] else ws.who


def log_contact(ws: Workspace, target: Target, kind: str, line: str | ContactLine, *, today: dt.date | None = None,
                rep: str | None = None, expected_version: int | None = None) -> Logged:
    """``kind``: visite/visit or appel/call; ``line``: as typed (ParseError
    if it does not read) or parsed. ``expected_version``: the client's or
    prospect's version the rep saw (Conflict if it moved)."""
    today = today or dt.date.today()
    kind = normalise_kind(kind)
    parsed = line if isinstance(line, ContactLine) else parse_contact_line(line, today)
    who, key = target
    entity = _TABLE[who]
    rep = rep or rep_name(ws)
    with ws.unit() as u:
        row = u.db.execute(f"SELECT next_action, next_action_date, version FROM {entity} WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(f"{entity} ({key},) does not exist")
        old_text, old_date, version = row
        (visit_id,) = u.db.execute("SELECT coalesce(max(id), 0) + 1 FROM visits").fetchone()  # under the write lock
        edits = [u.create("visits", {
            "id": visit_id, "date": today.isoformat(), "rep": rep, "kind": kind, "outcome": parsed.outcome,
            "note": parsed.action, "client_id": key if who == "client" else None,
            "prospect_id": key if who == "prospect" else None})]
        answered = old_date is not None and old_date[:10] <= today.isoformat()
        new_date = parsed.date.isoformat() if parsed.date else (None if answered else old_date)
        new_text = parsed.action or ("" if answered else old_text)
        check = expected_version if expected_version is not None else version
        if new_date != old_date:
            edits.append(u.set(entity, (key,), "next_action_date", new_date, expected_version=check))
            check = edits[-1].version
        if new_text != old_text:
            edits.append(u.set(entity, (key,), "next_action", new_text, expected_version=check))
        return Logged(int(visit_id), parsed, edits)
