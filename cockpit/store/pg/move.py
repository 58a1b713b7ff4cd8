"""Moving up (issue 13, item 5): a SQLite workspace copied into PostgreSQL
all or nothing — one transaction, COPY for every table — then counts and
money totals compared table by table before the commit; a mismatch rolls
everything back. And ``cockpit backup`` on PostgreSQL: pg_dump, or the exact
command to run where it is missing."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cockpit import i18n
from cockpit.i18n import t
from cockpit.store.pg.schema import DERIVED, MANAGER_ROLE, PROSPECT_IDS, REP_ROLE, ROWID
from cockpit.store.pg.target import PgError, redact
from cockpit.store.schema import MIGRATIONS

if TYPE_CHECKING:
    import psycopg

# Parents before children (foreign keys): reps before owners, clients before amounts and prospects.
TABLES = ("reps", "settings", "clients", "amounts", "sales", "prospects", "stage_history", "qualification",
          "activity", "visits", "journal", "zone_answers")
MONEY: dict[str, tuple[str, ...]] = {"clients": ("potential",), "amounts": ("revenue", "margin"),
                                     "sales": ("revenue", "margin"), "prospects": ("potential", "quote_amount")}
IDENTITY = {"clients": "id", "sales": "id", "prospects": "id", "visits": "id", "journal": "seq", "stage_history": "rowid"}


def _open_source(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise PgError(t("pg.move_no_file", path=str(path)))
    src = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        version = src.execute("PRAGMA user_version").fetchone()[0]
        src.execute("SELECT count(*) FROM clients").fetchone()
    except sqlite3.DatabaseError:
        src.close()
        raise PgError(t("pg.move_not_workspace", path=str(path))) from None
    if version != len(MIGRATIONS):
        src.close()
        raise PgError(t("pg.move_old_schema", path=str(path), version=version, ours=len(MIGRATIONS)))
    return src


def totals(execute: Callable[[str], Any], table: str) -> tuple[int, ...]:
    """(rows, then the sum of each money column): the figures both sides must agree on."""
    sums = "".join(f", coalesce(sum({c}), 0)" for c in MONEY.get(table, ()))
    row = execute(f"SELECT count(*){sums} FROM {table}").fetchone()
    return tuple(int(v) for v in row)


def move_up(db: "psycopg.Connection[tuple[object, ...]]", path: Path, target: str) -> list[str]:
    """Copy the workspace at ``path`` into the (empty) database; the lines to say."""
    src = _open_source(path)
    try:
        with db.transaction():
            if any(totals(db.execute, table)[0] for table in TABLES):
                raise PgError(t("pg.move_not_empty", target=redact(target)))
            fast = _skip_row_triggers(db)
            for table in TABLES:
                _copy_table(src, db, table)
            if fast:
                _check_references(db)
            for table, column in IDENTITY.items():  # new rows continue after the copied ids
                db.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                           f"coalesce(max({column}), 0) + 1, false) FROM {table}")
            # A new prospect's id is past a deleted one's history and scores too (PgDb.new_prospect_id).
            db.execute(PROSPECT_IDS)
            _team_roles(db)
            lines = []
            for table in TABLES:
                ours, theirs = totals(src.execute, table), totals(db.execute, table)
                if ours != theirs:
                    raise PgError(t("pg.move_mismatch", table=table, sqlite=_say(table, ours), pg=_say(table, theirs)))
                lines.append(t("pg.move_table", table=table, figures=_say(table, ours)))
    finally:
        src.close()
    return [*lines, t("pg.move_done", path=str(path), target=redact(target))]


def _copy_table(src: sqlite3.Connection, db: "psycopg.Connection[tuple[object, ...]]", table: str) -> None:
    columns = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
    if IDENTITY.get(table) == ROWID:  # SQLite's implicit rowid, a column on PostgreSQL: the order is kept
        columns.append(ROWID)
    selected = [*columns, *(f"{expr} AS {c}" for (t_, c), expr in DERIVED.items() if t_ == table)]
    columns += [c for t_, c in DERIVED if t_ == table]  # filled here: a superuser's move skips the row triggers
    names = ", ".join(columns)
    kinds = {str(name): str(kind) for name, kind in db.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s",
        (table,))}
    # Binary COPY, each value packed by psycopg's C dumper for its column's type: no text to format and parse.
    with db.cursor() as cur, cur.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT binary)") as copy:
        copy.set_types([kinds[c] for c in columns])
        rows = src.execute(f"SELECT {', '.join(selected)} FROM {table}")
        while batch := rows.fetchmany(10_000):
            for row in batch:
                copy.write_row(row)


def _skip_row_triggers(db: "psycopg.Connection[tuple[object, ...]]") -> bool:
    """A superuser's move skips the per-row foreign-key checks (replica mode, this
    transaction only; a million lookups for ten million lines) and checks every
    reference in one pass afterwards instead (``_check_references``)."""
    row = db.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
    if not (row and row[0]):
        return False
    db.execute("SET LOCAL session_replication_role = replica")
    return True


def _check_references(db: "psycopg.Connection[tuple[object, ...]]") -> None:
    """Every foreign key of the workspace's tables, checked in one anti-join each."""
    db.execute("SET LOCAL session_replication_role = origin")
    keys = db.execute(
        "SELECT c.conrelid::regclass::text, a.attname, c.confrelid::regclass::text, f.attname FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace ORDER BY 1, 2").fetchall()
    for table, column, parent, key in keys:
        orphan = db.execute(f"SELECT t.{column} FROM {table} t WHERE t.{column} IS NOT NULL AND NOT EXISTS "
                            f"(SELECT 1 FROM {parent} p WHERE p.{key} = t.{column}) LIMIT 1").fetchone()
        if orphan is not None:
            raise PgError(t("pg.move_orphan", table=str(table), column=str(column), value=str(orphan[0]),
                            parent=str(parent)))


def _team_roles(db: "psycopg.Connection[tuple[object, ...]]") -> None:
    """Every rep of the workspace gets their login role, as ``cockpit rep add`` would."""
    from psycopg import sql

    for login, role in db.execute("SELECT login, role FROM reps").fetchall():
        who = sql.Identifier(str(login))
        if not db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
            db.execute(sql.SQL("CREATE ROLE {} LOGIN").format(who))
        db.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(MANAGER_ROLE if role == "manager" else REP_ROLE), who))


def _say(table: str, figures: tuple[int, ...]) -> str:
    parts = [i18n.plural("pg.rows", figures[0], n=i18n.number(figures[0]))]
    parts += [f"{t(f'pg.money.{c}')} {i18n.money(v, decimals=True)}" for c, v in zip(MONEY.get(table, ()), figures[1:])]
    return ", ".join(parts)


def backup(conninfo: str, target: Path, db: "psycopg.Connection[Any] | None" = None) -> str:
    """pg_dump's custom format (pg_restore reads it), or the command to run where pg_dump is missing."""
    if target.exists():
        raise PgError(t("pg.backup_exists", path=str(target)))
    command = ["pg_dump", "--format=custom", f"--file={target}", f"--dbname={conninfo}"]
    if db is not None and not (db.execute("SELECT rolsuper OR rolbypassrls FROM pg_roles "
                                          "WHERE rolname = current_user").fetchone() or (False,))[0]:
        # pg_dump reads every row with row-level security off: a rep's or a manager's role may not.
        from psycopg.conninfo import conninfo_to_dict, make_conninfo

        who = str((db.execute("SELECT current_user").fetchone() or ("?",))[0])
        parts = {k: v for k, v in conninfo_to_dict(conninfo).items() if k not in ("user", "password")}
        raise PgError(t("pg.backup_needs_owner", role=who,
                        command=" ".join(command[:-1] + [f"--dbname='{redact(make_conninfo('', **parts))}'"])))
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        shown = " ".join(command[:-1] + [f"--dbname='{redact(conninfo)}'"])
        raise PgError(t("pg.backup_no_pg_dump", command=shown))
    done = subprocess.run([pg_dump, *command[1:]], capture_output=True, text=True)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        reason = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
        raise PgError(t("pg.backup_failed", reason=reason))
    return t("pg.backup_done", path=str(target))
