"""``--skip-bad`` on any import (METHOD §8: a rep writes only their own rows):
a line naming what the importing rep may not write — a client that is not
theirs (another rep's; in a sales or visits file, unknown too), an owner or
rep cell naming another rep, another rep's prospect — is set aside with its
sentence, as a bad cell is, and the other lines import.

The checks are the importers' own, asked of each line before anything is
written, so the sentence is the one the import without --skip-bad stops on
(exit 2, nothing written); the importers keep them as the last line of
defence. Before, only a sales file's such lines were set aside: every other
import stopped whole on the first one even with --skip-bad."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cockpit.io.tabular import Records
    from cockpit.store.client_lookup import LineCheck
    from cockpit.store.workspace import Workspace


def set_aside_not_theirs(ws: Workspace, records: Records, kind: str) -> Records:
    """``records`` without the lines ``kind``'s importer would refuse as naming
    what the rep may not write; they join ``records.rejected``, in line order."""
    from cockpit.store.client_lookup import set_aside_lines, set_aside_unknown_clients

    if kind == "sales":
        return set_aside_unknown_clients(ws, records)
    with ws.lock:  # the checks read the workspace as the import will find it
        return set_aside_lines(records, _CHECKS[kind](ws, records))


def _clients(ws: Workspace, records: Records) -> LineCheck:
    """``loading.import_clients``'s refusals, in its order: an owner cell naming
    another rep (or nobody of the team), then a code of another rep's client,
    or without a code a name of one that none of the rep's clients has (a
    client a line before makes by a new code is theirs then, as there)."""
    from cockpit.io.owners import Owners
    from cockpit.store.client_lookup import clients_by_key, their_names, theirs_client
    from cockpit.store.own_rows import own_writes

    own = own_writes(ws)
    owners = Owners(ws.db, ws.who, mine_only=own is not None)
    codes = {str(c) for c in records.column("code") if c} if "code" in records.fields else set()
    theirs = _their_codes(ws, codes, own) if own is not None and codes else set()
    mine = clients_by_key(ws.db, own)[1] if own is not None else None
    named = set() if mine is None else their_names(ws, ws.db, (r["name"] for r in records.rows if not r.get("code")), mine)
    known = theirs | ({str(c) for (c,) in ws.db.execute("SELECT code FROM clients")} if named else set())

    def check(row: dict[str, Any], line: int) -> None:
        owners.resolve(row.get("owner"), records.path, line, records.columns.get("owner"))
        code = row.get("code")
        if code and str(code) in theirs:
            raise theirs_client(records.path, line, records.columns.get("code"), str(code))
        if mine is None or not named:
            return
        if not code and row["name"] in named and not mine.has(row["name"]):
            raise theirs_client(records.path, line, records.columns.get("name"), row["name"], by_name=True)
        if code and str(code) not in known:
            mine.add(row["name"], None, str(code))
    return check


def _their_codes(ws: Workspace, codes: set[str], own: str) -> set[str]:
    """Of ``codes``, those of clients that are not ``own``'s. On PostgreSQL a rep
    sees only their own: a code they cannot see is asked of the unique index by
    an INSERT rolled back (``pg.imports._free_codes``' way), nothing of that
    client read."""
    if ws.backend != "postgresql":
        return {str(c) for (c,) in ws.db.execute("SELECT code FROM clients WHERE owner IS NOT ?", (own,))} & codes
    import psycopg

    unseen = sorted(codes - {str(c) for (c,) in ws.db.execute("SELECT code FROM clients")})
    free: set[str] = set()
    if unseen:
        conn = ws.pg  # type: ignore[attr-defined]  # a PgWorkspace's own connection
        with conn.transaction():
            free = {str(r[0]) for r in conn.execute(
                "INSERT INTO clients(code, name) SELECT c, '' FROM unnest(%s::text[]) c "
                "ON CONFLICT (code) DO NOTHING RETURNING code", (unseen,))}
            raise psycopg.Rollback()
    return set(unseen) - free


def _prospects(ws: Workspace, records: Records) -> LineCheck:
    from cockpit.prospects.files import line_check

    return line_check(ws, records)


def _activity(ws: Workspace, records: Records) -> LineCheck:
    from cockpit.activity.store import line_check

    return line_check(ws, records, "activity")


def _visits(ws: Workspace, records: Records) -> LineCheck:
    from cockpit.activity.store import line_check

    return line_check(ws, records, "visits")


_CHECKS: dict[str, Callable[[Workspace, Records], LineCheck]] = {
    "clients": _clients, "prospects": _prospects, "activity": _activity, "visits": _visits}
