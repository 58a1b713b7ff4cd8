"""The client an imported line names, as the importer may write it (METHOD §8:
a rep writes only their own portfolio): by code, else by exact name when one
client has it. Shared by the SQLite and the PostgreSQL importers."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from cockpit.io.client_keys import NameIndex
from cockpit.io.input_error import InputError

if TYPE_CHECKING:
    from cockpit.io.tabular import Records
    from cockpit.store.workspace import Workspace


def clients_by_key(db: sqlite3.Connection, owner: str | None = None) -> tuple[dict[str, int], NameIndex]:
    """The clients by code and by name: every client, or ``owner``'s only."""
    mine, args = (" WHERE owner = ?", (owner,)) if owner is not None else ("", ())
    rows = db.execute(f"SELECT id, code, name FROM clients{mine} ORDER BY id", args).fetchall()
    return {code: cid for cid, code, _ in rows}, NameIndex(rows)


def unknown_client(path: str, line: int | None, value: str, own: bool) -> InputError:
    """A sales line naming no client the importer may write: unknown, or (``own``: a rep) another rep's."""
    if own:
        from cockpit.i18n import both

        return InputError(path, line, "client", value, *both("pgimport.unknown_own_client"))
    from cockpit.io.client_keys import unknown_client as anyones

    return anyones(path, line, value)


def theirs_client(path: str, line: int | None, column: str | None, code: str, by_name: bool = False) -> InputError:
    """A rep's clients line naming another rep's client: by code (the unique code
    tells it exists), or (``by_name``) by a name none of theirs has (``their_names``)."""
    from cockpit.i18n import both

    return InputError(path, line, column, code, *both("pgimport.theirs_client_name" if by_name else "pgimport.theirs_client"))


def their_names(ws: Workspace, db: sqlite3.Connection, names: Iterable[str], mine: NameIndex) -> set[str]:
    """Of ``names`` (a rep's lines without a code), those no client of ``mine``
    (the rep's own) has but another client has: a line naming it would make a
    second account of a colleague's client, so the import refuses it
    (``theirs_client``). Matched as ``NameIndex`` matches, on the name as
    written. On PostgreSQL the rep's role sees only their own clients: asked of
    ``cockpit_client_names`` (PG_MIGRATIONS[8]), which says only which of the
    names some client has."""
    unseen = sorted({n for n in names if n and not mine.has(n)})
    if not unseen:
        return set()
    if ws.backend == "postgresql":
        return {str(n) for (n,) in db.execute("SELECT name FROM cockpit_client_names(?)", (unseen,))}
    everyone = clients_by_key(db)[1]
    return {n for n in unseen if everyone.has(n)}


SalesClient = Callable[["Records", dict[str, Any], int], int]


def sales_clients(ws: Workspace, db: sqlite3.Connection) -> SalesClient:
    """The client id of a sales line (records, row, line), or InputError: among
    every client, or a rep's own (``reps.sales_owner``; on PostgreSQL row-level
    security shows a rep only theirs)."""
    from cockpit.store.reps import sales_owner

    owner = sales_owner(ws)
    own = ws.own_rows_only if ws.backend == "postgresql" else owner is not None
    by_code, by_name = clients_by_key(db, owner)

    def find(records: Records, row: dict[str, Any], line: int) -> int:
        code, name = row.get("client_code"), row.get("client_name")
        cid = by_code.get(code) if code else (
            by_name.find(name, records.path, line, records.columns.get("client_name")) if name is not None else None)
        if cid is None:
            raise unknown_client(records.path, line, str(code or name), own)
        return cid
    return find


def set_aside_unknown_clients(ws: Workspace, records: Records) -> Records:
    """``--skip-bad`` on a sales file: a line whose client the importer may not
    write (unknown, another rep's, a name several clients share) is set aside
    with its sentence as a bad cell is, and the other lines import; without
    --skip-bad, ``import_sales`` stops on it (exit 2). The other imports' lines
    naming another rep's rows: ``set_aside.set_aside_not_theirs``."""
    with ws.lock:
        find = sales_clients(ws, ws.db)
    return set_aside_lines(records, lambda row, line: find(records, row, line))


# Raises the importer's InputError for a line (its row, its line number) it would refuse.
LineCheck = Callable[[dict[str, Any], int], object]


def set_aside_lines(records: Records, check: LineCheck) -> Records:
    """Each line ``check`` refuses (its InputError) moved to the rejected ones
    with its sentence, in line order; ``records`` keeps the others."""
    kept = []
    for p, (row, line) in enumerate(zip(records.rows, records.lines)):
        try:
            check(row, line)
            kept.append(p)
        except InputError as error:
            records.rejected.append((line, error.message()))
            records.rejected_errors.append(error)
    if len(kept) < len(records.lines):
        records.rows = [records.rows[p] for p in kept]
        records.lines = [records.lines[p] for p in kept]
        records.data = None  # the rows are the truth now
        pairs = sorted(zip(records.rejected, records.rejected_errors), key=lambda p: p[0][0])  # in line order
        records.rejected, records.rejected_errors = [p[0] for p in pairs], [p[1] for p in pairs]
    return records
