"""The owner column of an import (METHOD §8): every client and prospect has
a rep. A file names them by login or display name ("claire", "Claire
Martin", case aside); a name the team does not know is an input error on its
line. Without the column, the rep who imports owns the new rows."""

from __future__ import annotations

import sqlite3

from cockpit.io.input_error import InputError


class Owners:
    """The active reps of the workspace, by login and by display name."""

    def __init__(self, db: sqlite3.Connection, who: str) -> None:
        rows = db.execute("SELECT login, name FROM reps WHERE active <> 0 ORDER BY login").fetchall()
        self.by_key: dict[str, str] = {key.casefold(): login for login, name in rows for key in (login, name)}
        self.logins: list[str] = [login for login, _ in rows]
        self.default = who if who in self.logins else None  # an account outside the team: rows without an owner

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
        return login
