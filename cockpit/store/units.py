"""Units of work: several journaled changes in one transaction, undone and
redone together (``with ws.unit() as u: u.set(…); u.create(…)``).

Every journal row carries the unit it belongs to; undo takes the rep's last
unit whole. An import leaves a barrier in the journal: undo stops there and
says so, it never reaches past an import silently.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import TYPE_CHECKING, Any

from cockpit.store.entities import ENTITIES, ROW, Edit

if TYPE_CHECKING:
    from cockpit.store.workspace import Workspace

BARRIER = "!import"  # journal field of an import: undo stops there


class ImportBarrier(Exception):
    """Undo reached an import, which cannot be undone."""

    def __init__(self, when: str, what: str) -> None:
        super().__init__(f"the import of {when} ({what}) cannot be undone")
        self.when, self.what = when, what



def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


class Unit:
    """Journaled changes inside one open transaction; one journal unit."""

    def __init__(self, ws: "Workspace", db: sqlite3.Connection) -> None:
        self.ws, self.db = ws, db
        # The seq the first row will get: the write lock is held, nobody else inserts.
        self.id = db.execute("SELECT coalesce(max(seq), 0) + 1 FROM journal").fetchone()[0]
        self.edits: list["Edit"] = []
        # A new unit forgets what was undone: redo no longer applies.
        db.execute("UPDATE journal SET state = 'dropped' WHERE who = ? AND state = 'undone'", (ws.who,))

    def journal(self, entity: str, key: tuple[Any, ...], field: str, old: Any, new: Any, version: int) -> "Edit":
        cur = self.db.execute(
            "INSERT INTO journal(ts, who, entity, row_key, field, old, new, state, unit) VALUES (?,?,?,?,?,?,?, 'done', ?)",
            (_now(), self.ws.who, entity, json.dumps(list(key)), field, json.dumps(old), json.dumps(new), self.id))
        edit = Edit(int(cur.lastrowid or 0), entity, tuple(key), field, old, new, version)
        self.edits.append(edit)
        return edit

    def set(self, entity: str, key: tuple[Any, ...], field: str, value: Any, *, expected_version: int | None = None) -> "Edit":
        """One field, checked against the version the rep saw (Conflict if it moved)."""
        applied = self.ws._write(self.db, entity, key, field, value, expected_version)
        return self.journal(entity, key, field, applied.old, applied.new, applied.version)

    def create(self, entity: str, values: dict[str, Any]) -> "Edit":
        """A row (undo deletes it); the journal keeps its key, so a redo puts it back under it."""
        key = self.ws._insert_row(self.db, entity, values)
        keys = ENTITIES[entity][1]
        return self.journal(entity, key, ROW, None, {**values, **dict(zip(keys, key))}, 1)

    def delete(self, entity: str, key: tuple[Any, ...]) -> "Edit":
        """A row (undo puts it back, same key, same values)."""
        row = self.ws._read_row(self.db, entity, key)
        if row is None:
            raise KeyError(f"{entity} {key} does not exist")
        self.ws._delete_row(self.db, entity, key)
        return self.journal(entity, key, ROW, row, None, 1)

    def read(self, entity: str, key: tuple[Any, ...]) -> dict[str, Any] | None:
        return self.ws._read_row(self.db, entity, key)

    def barrier(self, what: str) -> None:
        """An import: undo stops here and says so."""
        self.journal("import", (), BARRIER, None, what, 0)


def last_unit(db: sqlite3.Connection, who: str, state: str, order: str) -> list[tuple[Any, ...]]:
    """The journal rows of ``who``'s last done (or first undone) unit, in the order to apply them."""
    row = db.execute(f"SELECT coalesce(unit, seq) FROM journal WHERE who = ? AND state = ? ORDER BY seq {order} LIMIT 1",
                     (who, state)).fetchone()
    if row is None:
        return []
    return db.execute(
        f"SELECT seq, ts, entity, row_key, field, old, new FROM journal WHERE who = ? AND state = ? "
        f"AND coalesce(unit, seq) = ? ORDER BY seq {order}", (who, state, row[0])).fetchall()
