"""The workspace: one SQLite file, WAL, synchronous=FULL, every write its own
``BEGIN IMMEDIATE`` transaction, every row versioned, every edit journaled.

Amounts per client and period (``amounts``) are the aggregates the portfolio
ranks; sales lines (``sales``) are the detail the product matrix reads.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from cockpit.portfolio import periods as periods_mod
from cockpit.io.numbers_fr import clean_text
from cockpit.store.entities import ENTITIES, ROW, UPSERT, Edit
from cockpit.store.own_rows import NotYours, check_row, own_writer
from cockpit.store.schema import MIGRATIONS
from cockpit.store.portfolio_data import PortfolioData, factorize_sorted
from cockpit.store.portfolio_read import read_year
from cockpit.store.units import BARRIER, ImportBarrier, Unit, last_unit
from cockpit.store.workspace_open import ReadOnly, connect

if TYPE_CHECKING:
    from cockpit.store.text_column import TextColumn

__all__ = ["Conflict", "Edit", "ReadOnly", "Workspace", "default_path"]

class Conflict(Exception):
    """The row changed since it was shown: the rep chooses, nothing is overwritten."""

    def __init__(self, entity: str, key: tuple[Any, ...], field: str, theirs: Any, version: int):
        super().__init__(f"{entity} {key} {field} changed meanwhile (now {theirs!r})")
        self.entity, self.key, self.field, self.theirs, self.version = entity, key, field, theirs, version


def default_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("sales-cockpit")) / "workspace.sqlite"


def demo_path() -> Path:
    """The sample's own file (``cockpit --demo``): never a rep's workspace, so
    trying the cockpit never mixes the sample's clients with real ones."""
    return default_path().with_name("demo.sqlite")


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


_OWNING = frozenset({"owner", "rep", "client_id", "prospect_id"})  # the fields that say whose a row is


class Workspace:
    backend = "sqlite"  # "postgresql" for a PgWorkspace: the imports write there by COPY (cockpit/store/pg/imports.py)
    # True where the database lets this rep write only their own rows (a rep on PostgreSQL): an import
    # naming another rep is refused on its line instead of by the server. On SQLite ownership is a view.
    own_rows_only = False

    def __init__(self, path: Path | str, *, busy_timeout_ms: int = 5000, who: str | None = None):
        self.path = Path(path)
        fresh = not self.path.exists()
        if fresh:
            # A personal workspace: 0700 directory, 0600 file.
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600)
            os.close(fd)
        self.db, how = connect(self.path, busy_timeout_ms)
        self.read_only, self.immutable = how != "rw", how == "immutable"
        self.db.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not self.read_only:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
        self.who = who or getpass.getuser()
        # One connection shared by the UI's worker threads, one at a time.
        self.lock = threading.RLock()
        self._writer: tuple[tuple[str, str] | None] | None = None  # own_writer, read once per transaction
        self.migrate()

    def close(self, timeout: float | None = None) -> None:
        """With ``timeout``: give up if a worker still holds the connection
        (its open transaction is rolled back by SQLite at the next open)."""
        if timeout is None:
            self.db.close()
            return
        if self.lock.acquire(timeout=timeout):
            try:
                self.db.close()
            finally:
                self.lock.release()

    # ---- transactions ------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE takes the write lock first, so a read-then-write
        cannot interleave with another rep's; SQLITE_BUSY beyond the busy
        timeout is retried a few times before it surfaces."""
        with self.lock:
            yield from self._transaction()

    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise ReadOnly(self.path)
        for attempt in range(5):
            try:
                self.db.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc) or attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))
        self._writer = None  # the rep's authority as this transaction finds it, read at its first write
        try:
            yield self.db
        except BaseException:
            if self.db.in_transaction:  # SQLite already rolled back after SQLITE_FULL: keep its error
                self.db.execute("ROLLBACK")
            raise
        else:
            self.db.execute("COMMIT")

    def migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise RuntimeError(f"{self.path}: workspace schema {version} is newer than this cockpit ({len(MIGRATIONS)})")
        if self.read_only and version < len(MIGRATIONS):
            raise ReadOnly(self.path)  # an older schema cannot be brought up to date here
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            with self.transaction() as db:
                for statement in script:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version={number}")

    def setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       (key, value))

    def is_empty(self) -> bool:
        return bool(self.db.execute("SELECT NOT EXISTS (SELECT 1 FROM clients)").fetchone()[0] == 1)

    def data_version(self) -> int:
        """Changes when another connection commits (for polling others' edits)."""
        return int(self.db.execute("PRAGMA data_version").fetchone()[0])

    def change_mark(self) -> tuple[int, int]:
        """Moves with any commit, this connection's or another's."""
        with self.lock:
            return self.data_version(), self.db.total_changes

    # ---- reading -----------------------------------------------------
    def periods(self, rolling: bool = False) -> list[str]:
        if rolling:
            return periods_mod.rolling_periods(self.db)
        # One index seek per period, not a scan of every amount (DISTINCT reads them all).
        out: list[str] = []
        with self.lock:
            row = self.db.execute("SELECT min(period) FROM amounts").fetchone()
            while row[0] is not None:
                out.append(row[0])
                row = self.db.execute("SELECT min(period) FROM amounts WHERE period > ?", (row[0],)).fetchone()
        return out

    def load_portfolio(self, period: str | None = None, field: str = "revenue", rolling: bool = False,
                       owner: str | None = None) -> PortfolioData:
        """One period's portfolio: the team's, or one rep's (``owner``, METHOD §8)."""
        if field not in ("revenue", "margin"):
            raise ValueError(field)
        with self.lock:
            period = period or (self.periods(rolling) or [str(dt.date.today().year)])[-1]
        data = self._load_portfolio(period, field, owner)
        if field == "margin":  # share of wallet is revenue ÷ potential in margin mode too (METHOD §1)
            revenue = self._load_portfolio(period, "revenue", owner)
            if np.array_equal(revenue.client_id, data.client_id):  # the same amounts rows: no lookup
                data.revenue = np.asarray(revenue.amount, dtype=np.int64)
            else:  # another rep committed in between
                by_id = dict(zip(revenue.client_id.tolist(), revenue.amount.tolist()))
                data.revenue = np.array([by_id.get(c, 0) for c in data.client_id.tolist()], dtype=np.int64)
        return data

    def _load_portfolio(self, period: str, field: str, owner: str | None = None) -> PortfolioData:
        if owner is None and not periods_mod.is_rolling(period):
            data = read_year(self, period, field)
            if data is not None:
                return data
        # One rep's portfolio is a few thousand rows of a million: read through the owner index.
        mine = " WHERE owner = ?" if owner is not None else ""
        with self.lock:
            rows = self._portfolio_rows(period, field, owner)
            name_order = np.fromiter((r[0] for r in self.db.execute(
                f"SELECT id FROM clients{mine} ORDER BY name, code", () if owner is None else (owner,))), dtype=np.int64)
        numbers = np.fromiter(((r[0], r[5], r[6], r[7], r[8]) for r in rows), dtype=np.dtype((np.int64, 5)), count=len(rows))
        numbers = numbers.reshape(len(rows), 5)
        # Groups and sectors repeat: one string object each, not one per client,
        # and the groups' codes come out of the same pass.
        group_names, group_code = factorize_sorted([r[3] for r in rows])
        sector_names, sector_code = factorize_sorted([r[4] for r in rows])
        client_id = numbers[:, 0].copy()
        key_by_id = np.zeros(int(max(name_order.max(initial=0), client_id.max(initial=0))) + 1, dtype=np.int64)
        key_by_id[name_order] = np.arange(len(name_order))
        return PortfolioData(
            period, client_id, [r[1] for r in rows], [r[2] for r in rows], group_names[group_code].tolist(),
            sector_names[sector_code].tolist(), numbers[:, 1].copy(), numbers[:, 2].copy(), numbers[:, 3].copy(),
            numbers[:, 4].copy(), key_by_id[client_id], (group_names, group_code),
        )

    def _portfolio_rows(self, period: str, field: str, owner: str | None = None) -> list[tuple[Any, ...]]:
        if periods_mod.is_rolling(period):
            rows = periods_mod.rolling_rows(self.db, period, field)
            if owner is None:
                return rows
            owned = self.owned(owner)
            return [r for r in rows if r[0] in owned]
        mine = "" if owner is None else " AND c.owner = ?"
        return self.db.execute(
            f"SELECT c.id, c.code, c.name, c.grp, c.sector, coalesce(c.potential, -1), coalesce(a.{field}, 0), a.version, c.version "
            f"FROM amounts a JOIN clients c ON c.id = a.client_id WHERE a.period = ?{mine} ORDER BY c.id",
            (period,) if owner is None else (period, owner),
        ).fetchall()

    def owned(self, owner: str) -> frozenset[int]:
        """The ids of the clients ``owner`` owns."""
        with self.lock:
            return frozenset(r[0] for r in self.db.execute("SELECT id FROM clients WHERE owner = ?", (owner,)))

    def get(self, entity: str, key: tuple[Any, ...], field: str) -> tuple[Any, int] | None:
        table, keys, fields = ENTITIES[entity]
        if field not in fields:
            raise ValueError(f"{entity}.{field} is not editable")
        where = " AND ".join(f"{k} = ?" for k in keys)
        row = self.db.execute(f"SELECT {field}, version FROM {table} WHERE {where}", key).fetchone()
        return (row[0], row[1]) if row else None

    # ---- writing -----------------------------------------------------
    @contextlib.contextmanager
    def unit(self) -> Iterator[Unit]:
        """Several journaled changes in one transaction, undone as one."""
        with self.transaction() as db:
            yield Unit(self, db)

    @contextlib.contextmanager
    def import_unit(self, what: str) -> Iterator[sqlite3.Connection]:
        """An import's one transaction, ending in a barrier undo stops at and names."""
        with self.unit() as u:
            yield u.db
            u.barrier(what)

    def edit(self, entity: str, key: tuple[Any, ...], field: str, value: Any, *, expected_version: int | None = None) -> Edit:
        """Set one field, journaled; raises Conflict if the row moved on since
        ``expected_version`` (the version the rep saw)."""
        with self.unit() as u:
            return u.set(entity, key, field, value, expected_version=expected_version)

    # PostgreSQL's twins of these: the row locked until the commit, a concurrent upsert left to the other rep.
    _LOCK_ROW = ""
    _UPSERT_TAIL = ""

    def _write(self, db: sqlite3.Connection, entity: str, key: tuple[Any, ...], field: str, value: Any, expected: int | None) -> Edit:
        table, keys, fields = ENTITIES[entity]
        if isinstance(value, str):
            value = clean_text(value)  # ESC, bidi overrides, NUL…: text is data, never terminal control
        if field not in fields:
            raise ValueError(f"{entity}.{field} is not editable")
        where = " AND ".join(f"{k} = ?" for k in keys)
        read = f"SELECT {field}, version FROM {table} WHERE {where}{self._LOCK_ROW}"
        me = self._own_writer(db)
        check_row(db, me, entity, key)  # the row as it is: another rep's is not this rep's to change
        row = db.execute(read, key).fetchone()
        if row is None:
            if entity not in UPSERT:
                raise KeyError(f"{entity} {key} does not exist")
            db.execute(f"INSERT INTO {table}({', '.join(keys)}, version) VALUES ({', '.join('?' * len(keys))}, 0)"
                       f"{self._UPSERT_TAIL}", key)
            row = db.execute(read, key).fetchone()
            if row is None:  # row-level security hid the row another rep created
                raise KeyError(f"{entity} {key} does not exist")
        old, version = row
        if expected is not None and version != expected:
            raise Conflict(entity, key, field, old, version)
        db.execute(f"UPDATE {table} SET {field} = ?, version = version + 1 WHERE {where}", (value, *key))
        if version == 0 or field in _OWNING:
            check_row(db, me, entity, key)  # the row as written: a rep neither gives a row away nor makes another's
        return Edit(0, entity, key, field, old, value, version + 1)

    def _own_writer(self, db: sqlite3.Connection) -> tuple[str, str] | None:
        """Whose rows alone this rep may write (None: every row), read once per
        transaction; PostgreSQL's row-level security does it there (PgWorkspace)."""
        if self._writer is None:
            self._writer = (own_writer(db, self.who),)
        return self._writer[0]

    def create(self, entity: str, values: dict[str, Any]) -> Edit:
        """Insert a row (journaled: undo deletes it). Returns the Edit, key = the new id."""
        with self.unit() as u:
            return u.create(entity, values)

    def delete(self, entity: str, key: tuple[Any, ...]) -> Edit:
        """Delete a row (journaled: undo puts it back, same id, same values)."""
        with self.unit() as u:
            return u.delete(entity, key)

    def _insert_row(self, db: sqlite3.Connection, entity: str, values: dict[str, Any]) -> tuple[Any, ...]:
        table, keys, fields = ENTITIES[entity]
        unknown = set(values) - fields - set(keys)
        if unknown:
            raise ValueError(f"{entity}: unknown fields {sorted(unknown)}")
        me = self._own_writer(db)
        if me is not None and "owner" in fields and values.get("owner") is None:
            values = {**values, "owner": me[0]}  # a rep's new client or prospect is theirs (PostgreSQL: a trigger)
        cols = list(values)
        clean = [clean_text(v) if isinstance(v, str) else v for v in values.values()]
        cur = db.execute(f"INSERT INTO {table}({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", clean)
        key = tuple(values[k] for k in keys) if all(k in values for k in keys) else (cur.lastrowid,)
        check_row(db, me, entity, key)
        return key

    def _read_row(self, db: sqlite3.Connection, entity: str, key: tuple[Any, ...]) -> dict[str, Any] | None:
        table, keys, fields = ENTITIES[entity]
        cols = list(keys) + sorted(fields - set(keys))
        where = " AND ".join(f"{k} = ?" for k in keys)
        row = db.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {where}", key).fetchone()
        return dict(zip(cols, row)) if row else None

    def _delete_row(self, db: sqlite3.Connection, entity: str, key: tuple[Any, ...]) -> None:
        table, keys, _ = ENTITIES[entity]
        check_row(db, self._own_writer(db), entity, key)
        db.execute(f"DELETE FROM {table} WHERE {' AND '.join(f'{k} = ?' for k in keys)}", key)

    def _step(self, state_from: str, state_to: str, order: str) -> list[Edit] | None:
        """Undo (or redo) the rep's last (first undone) unit whole. A unit that
        meets another rep's change is set aside, so the next step takes the one
        before it; an import stops undo (ImportBarrier)."""
        try:
            with self.transaction() as db:
                rows = last_unit(db, self.who, state_from, order)
                if not rows:
                    return None
                if rows[0][4] == BARRIER:
                    raise ImportBarrier(rows[0][1], json.loads(rows[0][6]) or "")
                return [self._apply_entry(db, row, state_from, state_to) for row in rows]
        except (Conflict, NotYours, KeyError):  # KeyError: the row went, or row-level security hides it now
            with self.transaction() as db:
                db.execute("UPDATE journal SET state = 'dropped' WHERE seq IN (%s)" % ",".join("?" * len(rows)),
                           [r[0] for r in rows])
            raise

    def _apply_entry(self, db: sqlite3.Connection, row: tuple[Any, ...], state_from: str, state_to: str) -> Edit:
        seq, _, entity, row_key, field, old, new = row
        key = tuple(json.loads(row_key))
        before, after = (json.loads(new), json.loads(old)) if state_from == "done" else (json.loads(old), json.loads(new))
        if field == ROW:
            exists = self._read_row(db, entity, key) is not None
            if exists != (before is not None):
                raise Conflict(entity, key, field, "exists" if exists else "deleted", 0)
            if after is None:
                self._delete_row(db, entity, key)
            else:
                self._insert_row(db, entity, after)
            db.execute("UPDATE journal SET state = ? WHERE seq = ?", (state_to, seq))
            return Edit(seq, entity, key, field, before, after, 1)
        current = self._current(db, entity, key, field)
        if current is not None and current[0] != before:
            raise Conflict(entity, key, field, current[0], current[1])
        applied = self._write(db, entity, key, field, after, None)
        db.execute("UPDATE journal SET state = ? WHERE seq = ?", (state_to, seq))
        return Edit(seq, entity, key, field, before, after, applied.version)

    def _current(self, db: sqlite3.Connection, entity: str, key: tuple[Any, ...], field: str) -> tuple[Any, int] | None:
        table, keys, _ = ENTITIES[entity]
        where = " AND ".join(f"{k} = ?" for k in keys)
        return cast("tuple[Any, int] | None", db.execute(f"SELECT {field}, version FROM {table} WHERE {where}", key).fetchone())

    def undo(self) -> list[Edit] | None:
        """Undo this user's last edit (survives restarts: the journal is in the file)."""
        return self._step("done", "undone", "DESC")

    def redo(self) -> list[Edit] | None:
        return self._step("undone", "done", "ASC")

    def journal(self, limit: int = 50) -> list[tuple[Any, ...]]:
        return self.db.execute(
            "SELECT seq, ts, who, entity, row_key, field, old, new, state FROM journal ORDER BY seq DESC LIMIT ?", (limit,)
        ).fetchall()
