"""Reading one period's portfolio from PostgreSQL in bulk (issue 13, item 4).

Each column is packed by the server in one aggregate — integers as
``string_agg(int8send(x), '')``, 8 big-endian bytes each, texts as one
``string_agg`` joined by SEP — and comes out of ``COPY (…) TO STDOUT (FORMAT
binary)`` as one row that numpy reads in place: never a Python tuple, nor a
COPY message, per client (libpq hands COPY data over one row at a time).
Everything is read in one REPEATABLE READ snapshot, so the columns agree with
each other; under row-level security a rep's load is their own portfolio,
with nothing to filter here.

Orders are bytewise (COLLATE "C"), as SQLite's BINARY: the (name, code)
tie-break and the group codes come out the same on both backends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from cockpit.store.portfolio_data import PortfolioData
from cockpit.store.portfolio_read import RowsOf, group_codes
from cockpit.store.text_column import SEP, TextColumn

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql as pgsql

_HEADER = 19  # PGCOPY signature (11), flags (4), header extension length (4)


class BulkReadError(RuntimeError):
    """COPY gave something else than the expected NOT NULL columns."""


def _copy_row(db: "psycopg.Connection[tuple[object, ...]]", select: "pgsql.Composable") -> list[bytes | None]:
    """The fields of the one row ``select`` gives, as raw binary values."""
    from psycopg import sql

    with db.cursor() as cur, cur.copy(sql.SQL("COPY ({}) TO STDOUT (FORMAT binary)").format(select)) as copy:
        data = b"".join(bytes(chunk) for chunk in copy)
    (count,) = np.frombuffer(data, dtype=">i2", offset=_HEADER, count=1)
    fields: list[bytes | None] = []
    at = _HEADER + 2
    for _ in range(int(count)):
        (size,) = np.frombuffer(data, dtype=">i4", offset=at, count=1)
        at += 4
        fields.append(None if size < 0 else data[at:at + int(size)])
        at += max(int(size), 0)
    return fields


def read_columns(db: "psycopg.Connection[tuple[object, ...]]", source: "pgsql.Composable", *,
                 ints: Sequence[str] = (), texts: Sequence[str] = (), order: str = "ord") -> tuple[Any, ...]:
    """Integer columns (int64 arrays) then text columns (TextColumn) of the
    rows of ``source`` (a SELECT with an ``ord`` column), in ``order``."""
    from psycopg import sql

    by = sql.SQL(order)
    parts: list[pgsql.Composable] = [sql.SQL("count(*)")]
    parts += [sql.SQL("string_agg(int8send({}), '' ORDER BY {})").format(sql.Identifier(c), by) for c in ints]
    parts += [sql.SQL("string_agg({}, {} ORDER BY {})").format(sql.Identifier(c), sql.Literal(SEP), by) for c in texts]
    fields = _copy_row(db, sql.SQL("SELECT {} FROM ({}) AS s").format(sql.SQL(", ").join(parts), source))
    n = int(np.frombuffer(fields[0] or b"", dtype=">i8")[0])
    numbers = [np.frombuffer(f or b"", dtype=">i8").astype(np.int64) for f in fields[1:1 + len(ints)]]
    if any(len(v) != n for v in numbers):  # string_agg skips NULLs
        raise BulkReadError(f"a NULL in {', '.join(ints)}")
    columns = [TextColumn.split(f) if n else TextColumn.split(None) for f in fields[1 + len(ints):]]
    for i, column in enumerate(columns):
        if len(column) != n:  # a separator inside a value (not written by the cockpit, which cleans text)
            rows = db.execute(sql.SQL("SELECT {} FROM ({}) AS s ORDER BY {}").format(sql.Identifier(texts[i]), source, by))
            columns[i] = TextColumn.of([str(r[0]) for r in rows])
    return (*numbers, *columns)


def periods(db: "psycopg.Connection[tuple[object, ...]]") -> list[str]:
    return [str(r[0]) for r in db.execute('SELECT DISTINCT period COLLATE "C" FROM amounts ORDER BY 1')]


def load_portfolio(db: "psycopg.Connection[tuple[object, ...]]", period: str, field: str = "revenue") -> PortfolioData:
    """One period's PortfolioData, the same as the SQLite workspace's for the same rows."""
    if field not in ("revenue", "margin"):
        raise ValueError(field)
    from psycopg.pq import TransactionStatus

    own = db.info.transaction_status == TransactionStatus.IDLE  # else: inside the caller's transaction, its snapshot
    with db.transaction():
        if own:
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        data = _load(db, period, field)
        if field == "margin":  # share of wallet is revenue ÷ potential in margin mode too (METHOD §1)
            data.revenue = _amounts(db, period, "revenue")[1]
    return data


def _amounts(db: "psycopg.Connection[tuple[object, ...]]", period: str, field: str) -> list[np.ndarray]:
    from psycopg import sql

    source = sql.SQL("SELECT client_id AS ord, coalesce({f}, 0) AS amount, version FROM amounts WHERE period = {p}").format(
        f=sql.Identifier(field), p=sql.Literal(period))
    return list(read_columns(db, source, ints=["ord", "amount", "version"]))


def _load(db: "psycopg.Connection[tuple[object, ...]]", period: str, field: str) -> PortfolioData:
    from psycopg import sql

    amount_ids, amount, version = _amounts(db, period, field)
    ids, potential, client_version, names, codes, sectors = read_columns(
        db, sql.SQL("SELECT id AS ord, coalesce(potential, -1) AS potential, version, name, code, sector FROM clients"),
        ints=["ord", "potential", "version"], texts=["name", "code", "sector"])
    (name_order,) = read_columns(db, sql.SQL("SELECT id, name, code FROM clients"), ints=["id"],
                                 order='name COLLATE "C", code COLLATE "C"')
    (by_group,) = read_columns(db, sql.SQL("SELECT id, grp FROM clients"), ints=["id"], order='grp COLLATE "C", id')
    sizes, group_names = read_columns(db, sql.SQL('SELECT grp, count(*) AS n, grp COLLATE "C" AS ord FROM clients GROUP BY grp'),
                                      ints=["n"], texts=["grp"])

    rows_of = RowsOf(ids)
    groups = group_codes(rows_of, by_group, sizes, group_names)
    rows = rows_of(amount_ids)  # row of each client of the period in the all-clients arrays
    key_by_row = np.empty(len(ids), dtype=np.int64)
    key_by_row[rows_of(name_order)] = np.arange(len(ids))
    codes_in_period = groups.code_by_row[rows]  # only the groups with a client this period, renumbered
    present = np.flatnonzero(np.bincount(codes_in_period, minlength=len(groups.names)))
    recode = np.zeros(len(groups.names), dtype=np.int64)
    recode[present] = np.arange(len(present))
    group_code = recode[codes_in_period]
    present_names = groups.names.take(present)
    return PortfolioData(
        period, amount_ids, codes.take(rows), names.take(rows), present_names.take(group_code), sectors.take(rows),
        potential[rows], amount, version, client_version[rows], key_by_row[rows], (present_names, group_code),
    )
