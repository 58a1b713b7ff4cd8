"""The owner column of an import (METHOD §8): every client and prospect has
a rep. A file names them by login or display name ("claire", "Claire
Martin", case aside); a name the team does not know is an input error on its
line. Without the column, the rep who imports owns the new rows."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from cockpit.io.input_error import InputError


class Owners:
    """The active reps of the workspace, by login and by display name."""

    def __init__(self, db: sqlite3.Connection, who: str, *, mine_only: bool = False) -> None:
        rows = db.execute("SELECT login, name FROM reps WHERE active <> 0 ORDER BY login").fetchall()
        self.by_key: dict[str, str] = {key.casefold(): login for login, name in rows for key in (login, name)}
        self.logins: list[str] = [login for login, _ in rows]
        self.names: dict[str, str] = {login: name for login, name in rows}  # display name per login
        self.default = who if who in self.logins else None  # an account outside the team: rows without an owner
        # A rep on PostgreSQL: the database lets them own rows, never give them to another rep.
        self.mine_only = who if mine_only else None

    def resolve(self, value: object, path: str, line: int | None, column: str | None) -> str | None:
        """The login ``value`` names (None for an empty cell: the default owner applies)."""
        text = "" if value is None else str(value).strip()
        if not text:
            return None
        login = self.by_key.get(text.casefold())
        if login is None and not self.logins:
            raise InputError(path, line, column, text,
                             "un commercial de l'équipe, mais l'espace de travail n'en a aucun : "
                             "cockpit rep add IDENTIFIANT --name \"Prénom Nom\" d'abord",
                             "a rep of the team, but the workspace has none: cockpit rep add LOGIN --name \"First Last\" first")
        if login is None:
            team = ", ".join(self.logins)
            raise InputError(path, line, column, text,
                             f"un commercial de l'équipe, par identifiant ou nom affiché ({team} ; cockpit rep list)",
                             f"a rep of the team, by login or display name ({team}; cockpit rep list)")
        if self.mine_only is not None and login != self.mine_only:
            from cockpit.i18n import both

            raise InputError(path, line, column, text, *both("pgimport.not_yours", login=self.mine_only))
        return login


def owner_logins(owners: Owners, values: Sequence[object] | None, path: str, line_of: Callable[[int], int | None],
                 column: str | None) -> list[str | None] | None:
    """Per row, the login its owner cell names (None: empty); None without the
    column. Each distinct value is resolved once; an unknown one is refused on
    the first line that has it."""
    if values is None:
        return None
    seen: dict[object, str | None] = {}
    out: list[str | None] = []
    for i, value in enumerate(values):
        if value not in seen:
            seen[value] = owners.resolve(value, path, line_of(i), column)
        out.append(seen[value])
    return out


def apply_owners(db: sqlite3.Connection, ids: Sequence[int], new: Sequence[bool], logins: list[str | None] | None,
                 default: str | None, first_new_id: int | None = None) -> None:
    """Owners of an import's rows: a filled cell names it (a change moves the
    row's version); a new row without one is the importing rep's."""
    if logins is None:
        if default is not None and first_new_id is not None:  # the new rows' ids follow the old ones
            db.execute("UPDATE clients SET owner = ? WHERE id >= ? AND owner IS NULL", (default, first_new_id))
        elif default is not None:
            db.executemany("UPDATE clients SET owner = ? WHERE id = ?",
                           [(default, cid) for cid, is_new in zip(ids, new) if is_new])
        return
    rows = [(login if login is not None else default, login if login is not None else default, cid)
            for cid, is_new, login in zip(ids, new, logins) if login is not None or (is_new and default is not None)]
    db.executemany("UPDATE clients SET owner = ?, version = version + (owner IS NOT ?) WHERE id = ?", rows)
