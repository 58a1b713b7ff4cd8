"""The workspace on PostgreSQL: what the screens use of ``Workspace`` —
periods, load_portfolio, get, edit with ``expected_version`` (the same
Conflict), units of work, undo/redo, create/delete, change_mark — over one
psycopg connection, with the journal and units of the SQLite workspace.

The SQLite workspace's statements run here through a small adapter (``?``
placeholders, ``lastrowid`` from RETURNING). What differs is overridden: a
row is locked (SELECT … FOR UPDATE) before its version is checked, since
PostgreSQL has no database-wide write lock as BEGIN IMMEDIATE; a first edit
of an upsert row does not fail when another rep creates it first; the
portfolio is read in bulk (cockpit/store/pg/read.py); others' commits arrive
by LISTEN/NOTIFY. The rep is the database role (``current_user``): row-level
security decides what they read and write.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from cockpit.portfolio import periods as periods_mod
from cockpit.store.entities import ENTITIES
from cockpit.store.pg import read
from cockpit.store.pg.schema import PG_MIGRATIONS, schema_version
from cockpit.store.pg.target import PgError, connect, redact
from cockpit.store.portfolio_data import PortfolioData
from cockpit.store.workspace import Workspace

if TYPE_CHECKING:
    import psycopg

    from cockpit.store.pg.listen import ChangeListener

# The generated key of each table that has one: what sqlite3's lastrowid gave.
_GENERATED = {"clients": "id", "sales": "id", "prospects": "id", "visits": "id", "journal": "seq"}
_INSERT = re.compile(r"\s*INSERT\s+INTO\s+(\w+)", re.IGNORECASE)


class PgCursor:
    """The part of sqlite3.Cursor the workspace uses."""

    def __init__(self, cur: "psycopg.Cursor[tuple[Any, ...]]", returning: bool) -> None:
        self._cur = cur
        self.lastrowid: int | None = None
        if returning:
            row = cur.fetchone()
            self.lastrowid = int(row[0]) if row else None

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def fetchone(self) -> tuple[Any, ...] | None:
        return self._cur.fetchone()

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._cur.fetchall()

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self._cur)


class PgDb:
    """The part of sqlite3.Connection the workspace's shared code uses. Its SQL
    never holds a literal ``?`` or ``%`` (psycopg's placeholder character)."""

    def __init__(self, conn: "psycopg.Connection[tuple[Any, ...]]") -> None:
        self.conn = conn

    def execute(self, query: str, params: Sequence[Any] = ()) -> PgCursor:
        query = query.replace("?", "%s")
        insert = _INSERT.match(query)
        key = _GENERATED.get(insert.group(1)) if insert else None
        if key is not None and "RETURNING" not in query.upper():
            query += f" RETURNING {key}"
        return PgCursor(self.conn.execute(query, tuple(params)), key is not None)

    def executemany(self, query: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.conn.cursor() as cur:
            cur.executemany(query.replace("?", "%s"), rows)

    def new_prospect_id(self) -> int:
        """The next prospect id for every rep at once (row-level security hides
        the others' from a max()); past every id in use (PG_MIGRATIONS[2])."""
        row = self.conn.execute("SELECT nextval(pg_get_serial_sequence('prospects', 'id'))").fetchone()
        return int(row[0]) if row else 1

    def prospect_holders(self, company: str) -> list[tuple[str, str | None]]:
        """Every rep's prospects of ``company`` (case aside), seen or not: their
        company as written and their owner (PG_MIGRATIONS[4])."""
        rows = self.conn.execute("SELECT company, owner FROM cockpit_prospect_holders(%s)", (company,)).fetchall()
        return [(str(c), None if o is None else str(o)) for c, o in rows if str(c).casefold() == company.casefold()]

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self.conn.info.transaction_status != TransactionStatus.IDLE

    def close(self) -> None:
        self.conn.close()


def _bypasses_security(conn: "psycopg.Connection[tuple[Any, ...]]") -> bool:
    """The administrator's role (a superuser, or one with BYPASSRLS) writes every row."""
    row = conn.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user").fetchone()
    return bool(row and row[0])


class PgWorkspace(Workspace):
    """``PgWorkspace("postgresql://…")``: the Workspace API on PostgreSQL."""

    backend = "postgresql"

    def __init__(self, conninfo: str, *, who: str | None = None, busy_timeout_ms: int = 5000) -> None:
        self.conninfo = conninfo
        conn = connect(conninfo, autocommit=True)  # transactions are explicit, as BEGIN IMMEDIATE was
        conn.execute(f"SET lock_timeout = {int(busy_timeout_ms)}")
        if schema_version(conn) != len(PG_MIGRATIONS):
            conn.close()
            from cockpit.i18n import t

            raise PgError(t("pg.no_schema", target=redact(conninfo)))
        self.pg = conn
        # The shared code types it as sqlite3's; PgDb answers the calls it makes.
        self.db = cast(sqlite3.Connection, PgDb(conn))
        self.path = Path(redact(conninfo))  # for messages only: there is no file
        self.read_only = self.immutable = False
        current = conn.execute("SELECT current_user, cockpit_is_manager()").fetchone()
        self.who = who or str(current[0] if current else "")
        self.manager = bool(current and current[1])
        self.own_rows_only = not self.manager and not _bypasses_security(conn)
        self.lock = threading.RLock()
        self._reader: psycopg.Connection[tuple[Any, ...]] | None = None
        # One bulk read at a time on the reading connection (the prefetch thread and a screen's worker may both ask).
        self._read_lock = threading.Lock()
        self._listener: ChangeListener | None = None
        self._commits = 0

    def close(self, timeout: float | None = None) -> None:
        if self._listener is not None:
            self._listener.stop()
        if self._reader is not None:
            self._reader.close()
        self.pg.close()

    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self.pg.transaction():
            yield self.db
        self._commits += 1

    def migrate(self) -> None:
        """The schema is the administrator's (``cockpit --db URL init``); a rep's role may not change it."""

    def data_version(self) -> int:
        """Moves with every commit heard on the channel (LISTEN/NOTIFY, no polling)."""
        if self._listener is None:
            from cockpit.store.pg.listen import ChangeListener

            self._listener = ChangeListener(self.conninfo).start()
        return self._listener.mark

    def change_mark(self) -> tuple[int, int]:
        return self.data_version(), self._commits

    def periods(self, rolling: bool = False) -> list[str]:
        if rolling:  # months of sales lines: the shared code, through the adapter
            return super().periods(rolling=True)
        with self._read_lock:
            return read.periods(self._read_connection())

    def _load_portfolio(self, period: str, field: str, owner: str | None = None) -> PortfolioData:
        if periods_mod.is_rolling(period):  # twelve months summed from the lines: the shared code (rows, not bulk)
            return super()._load_portfolio(period, field, self._owner(owner))
        with self._read_lock:
            return read.load_portfolio(self._read_connection(), period, field, owner=self._owner(owner))

    def _owner(self, owner: str | None) -> str | None:
        """A rep sees only their rows anyway (row-level security); naming them lets
        PostgreSQL read their clients through the owner index instead of filtering all."""
        return owner if owner is not None or self.manager else self.who

    def load_portfolio(self, period: str | None = None, field: str = "revenue", rolling: bool = False,
                       owner: str | None = None) -> PortfolioData:
        period = period or (self.periods(rolling) or [""])[-1]
        if rolling or periods_mod.is_rolling(period):
            return super().load_portfolio(period, field, rolling, owner)
        with self._read_lock:
            return read.load_portfolio(self._read_connection(), period, field, owner=self._owner(owner))

    def _read_connection(self) -> "psycopg.Connection[tuple[Any, ...]]":
        """Reads in bulk on their own connection: never inside an edit's transaction."""
        if self._reader is None:
            self._reader = connect(self.conninfo, autocommit=True)
        return self._reader

    # The row is locked until the commit: another rep's edit waits, then sees the new version (Workspace._write).
    _LOCK_ROW = " FOR UPDATE"
    _UPSERT_TAIL = " ON CONFLICT DO NOTHING"

    def _own_writer(self, db: sqlite3.Connection) -> tuple[str, str] | None:
        return None  # row-level security refuses another rep's row (pg/schema.py OWNED_BY)

    def _current(self, db: sqlite3.Connection, entity: str, key: tuple[Any, ...], field: str) -> tuple[Any, int] | None:
        table, keys, _ = ENTITIES[entity]
        where = " AND ".join(f"{k} = ?" for k in keys)
        return cast("tuple[Any, int] | None",
                    db.execute(f"SELECT {field}, version FROM {table} WHERE {where} FOR UPDATE", key).fetchone())
