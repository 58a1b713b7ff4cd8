"""A rep writes only their own rows (METHOD §8: a portfolio is a rep's).

On PostgreSQL row-level security enforces it (``pg/schema.py`` OWNED_BY). On
SQLite ownership is a view and any rep may *read* every row, but the cockpit
writes as PostgreSQL would let it: a rep's edit, undo or import of a row that
is another rep's is refused in a sentence, and only a manager (or an account
outside the team, who set the team up) changes the team and the shared
settings. The file's permissions stay the barrier against anyone who writes
the file without the cockpit."""

from __future__ import annotations

import sqlite3
from typing import Any

from cockpit.store.workspace_open import AdminError
from cockpit.store.entities import ENTITIES

_CLIENT = "(SELECT c.owner FROM clients c WHERE c.id = t.client_id)"
_PROSPECT = "(SELECT p.owner FROM prospects p WHERE p.id = t.prospect_id)"
# Per table, the login (or, for activity and visits, the login or display name) that owns a row:
# the same rules as PostgreSQL's policies (pg/schema.py OWNED_BY; tests/test_own_rows.py holds them together).
OWNER_OF: dict[str, str] = {
    "clients": "t.owner",
    "amounts": _CLIENT,
    "zone_answers": _CLIENT,
    "sales": _CLIENT,
    "prospects": "t.owner",
    "stage_history": _PROSPECT,
    "qualification": _PROSPECT,
    "visits": "t.rep",
    "activity": "t.rep",
}
MANAGERS_ONLY = frozenset({"reps", "settings"})  # everyone reads them; only managers change them


class NotYours(AdminError):
    """A write a rep may not make, said in the interface's language."""

    def __init__(self, fr: str, en: str) -> None:
        super().__init__(fr)
        self.fr, self.en = fr, en

    def __str__(self) -> str:
        from cockpit.i18n import current

        return self.fr if current() == "fr" else self.en


def own_writer(db: Any, who: str) -> tuple[str, str] | None:
    """(login, display name) of ``who`` when they write only their own rows:
    an active rep, not a manager, of the workspace's team. None: every row
    (a manager; an account outside the team, as in a solo workspace)."""
    row = db.execute("SELECT name, role, active FROM reps WHERE login = ?", (who,)).fetchone()
    return (who, str(row[0])) if row is not None and row[2] and row[1] == "rep" else None


def check_row(db: sqlite3.Connection, me: tuple[str, str] | None, entity: str, key: tuple[Any, ...]) -> None:
    """Refuse (NotYours) a write of the row ``key`` of ``entity`` when it
    exists and is not ``me``'s. Called before a write (the row as it is) and
    after it (the row as written: no rep gives a row away)."""
    if me is None:
        return
    table, keys, _ = ENTITIES[entity]
    if table in MANAGERS_ONLY:
        raise managers_only(me[0])
    owner = OWNER_OF.get(table)
    if owner is None:
        return
    where = " AND ".join(f"t.{k} = ?" for k in keys)
    row = db.execute(f"SELECT {owner} FROM {table} t WHERE {where}", key).fetchone()
    if row is not None and row[0] not in me:
        raise not_yours(db, table, key, row[0])


def managers_only(login: str) -> NotYours:
    return NotYours(f"seul un responsable change l'équipe et les réglages partagés ({login} est commercial)",
                    f"only a manager changes the team and the shared settings ({login} is a rep)")


def not_yours(db: sqlite3.Connection, table: str, key: tuple[Any, ...], owner: str | None) -> NotYours:
    """The sentence for a row of another rep's (or of nobody's) portfolio."""
    held = db.execute("SELECT name FROM reps WHERE ? IN (login, name)", (owner,)).fetchone() if owner else None
    whose_fr, whose_en = (f"de {held[0]}", f"{held[0]}'s") if held else ("d'aucun commercial", "nobody's")
    if table in ("visits", "activity"):
        return NotYours(f"cette ligne d'activité est celle {whose_fr} : un commercial ne modifie que la sienne",
                        f"this activity line is {whose_en}: a rep changes only their own")
    kind = "prospect" if table in ("prospects", "stage_history", "qualification") else "client"
    query, own_fr, own_en = _NAMED[kind]
    found = db.execute(query, (key[0],)).fetchone()
    what = found[0] if found else f"{kind} {key[0]}"
    return NotYours(f"{what} est un {kind} {whose_fr} : un commercial ne modifie que {own_fr} "
                    "(un responsable le lui transfère)",
                    f"{what} is {whose_en} {kind}: a rep changes only {own_en} (a manager transfers it)")


# How a row is named in the sentence, and what a rep changes instead.
_NAMED = {
    "prospect": ("SELECT '« ' || company || ' »' FROM prospects WHERE id = ?", "les siens", "their own"),
    "client": ("SELECT '« ' || name || ' » (' || code || ')' FROM clients WHERE id = ?", "son portefeuille",
               "their own portfolio"),
}


def own_writes(ws: Any) -> str | None:
    """The login whose rows alone an import by ``ws``'s rep may write (None:
    every row), on either backend: a line naming another rep's row is refused
    on that line, before the database would refuse it."""
    if ws.backend == "postgresql":
        return str(ws.who) if ws.own_rows_only else None
    with ws.lock:
        me = own_writer(ws.db, ws.who)
    return me[0] if me is not None else None
