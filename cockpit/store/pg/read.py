"""Reading one period's portfolio from PostgreSQL in bulk (issue 13, item 4):
every column comes out of ``COPY (…) TO STDOUT (FORMAT binary)`` and numpy
reads it in place — integer columns as a fixed-width record array, text
columns as one ``string_agg`` the TextColumn keeps packed — never a Python
tuple per row. Everything is read in one REPEATABLE READ snapshot, so the
columns agree with each other; under row-level security a rep's load is their
own portfolio, with nothing to filter here.

Orders are bytewise (COLLATE "C"), as SQLite's BINARY: the (name, code)
tie-break and the group codes come out the same on both backends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from cockpit.store.portfolio_data import PortfolioData
from cockpit.store.portfolio_read import RowsOf, group_codes
from cockpit.store.text_column import SEP, TextColumn

if TYPE_CHECKING:
    import psycopg

_HEADER = 19  # PGCOPY signature (11), flags (4), header extension length (4)


class BulkReadError(RuntimeError):
    """COPY gave something else than the expected NOT NULL columns."""


def _copy(db: "psycopg.Connection[tuple[object, ...]]", select: "psycopg.sql.Composable") -> bytes:
    from psycopg import sql

    query = sql.SQL("COPY ({}) TO STDOUT (FORMAT binary)").format(select)
    chunks: list[bytes] = []
    with db.cursor() as cur, cur.copy(query) as copy:
        for chunk in copy:
            chunks.append(bytes(chunk))
    return b"".join(chunks)


def copy_ints(db: "psycopg.Connection[tuple[object, ...]]", select: "psycopg.sql.Composable", k: int) -> list[np.ndarray]:
    """``k`` BIGINT NOT NULL columns of ``select``, one int64 array each."""
    data = _copy(db, select)
    fields = [("n", ">i2")] + [item for i in range(k) for item in ((f"len{i}", ">i4"), (f"v{i}", ">i8"))]
    row = np.dtype(fields)
    body = len(data) - _HEADER - 2
    if body < 0 or body % row.itemsize:
        raise BulkReadError(f"COPY gave {len(data)} bytes, not rows of {k} bigint")
    records = np.frombuffer(data, dtype=row, offset=_HEADER, count=body // row.itemsize)
    if np.any(records["n"] != k) or any(np.any(records[f"len{i}"] != 8) for i in range(k)):
        raise BulkReadError("a NULL or a column that is not a bigint")
    return [records[f"v{i}"].astype(np.int64) for i in range(k)]


def copy_text(db: "psycopg.Connection[tuple[object, ...]]", column: str, source: "psycopg.sql.Composable",
              n: int) -> TextColumn:
    """One text column of ``n`` rows, joined by the server (string_agg) and
    packed as it comes; a value holding the separator falls back to rows."""
    from psycopg import sql

    select = sql.SQL("SELECT string_agg({c}, {sep} ORDER BY ord) FROM ({src}) AS s").format(
        c=sql.Identifier(column), sep=sql.Literal(SEP), src=source)
    data = _copy(db, select)
    (size,) = np.frombuffer(data, dtype=">i4", offset=_HEADER + 2, count=1)
    column_data = None if size < 0 else data[_HEADER + 6:_HEADER + 6 + int(size)]
    out = TextColumn.split(column_data)
    if len(out) != n:  # a separator inside a value (not written by the cockpit, which cleans text)
        rows = db.execute(sql.SQL("SELECT {c} FROM ({src}) AS s ORDER BY ord").format(c=sql.Identifier(column), src=source))
        out = TextColumn.of([str(r[0]) for r in rows])
    return out


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

    return copy_ints(db, sql.SQL("SELECT client_id, coalesce({f}, 0), version FROM amounts WHERE period = {p} "
                                 "ORDER BY client_id").format(f=sql.Identifier(field), p=sql.Literal(period)), 3)


def _load(db: "psycopg.Connection[tuple[object, ...]]", period: str, field: str) -> PortfolioData:
    from psycopg import sql

    amount_ids, amount, version = _amounts(db, period, field)
    ids, potential, client_version = copy_ints(
        db, sql.SQL("SELECT id, coalesce(potential, -1), version FROM clients ORDER BY id"), 3)
    (name_order,) = copy_ints(db, sql.SQL('SELECT id FROM clients ORDER BY name COLLATE "C", code COLLATE "C"'), 1)
    (by_group,) = copy_ints(db, sql.SQL('SELECT id FROM clients ORDER BY grp COLLATE "C", id'), 1)
    groups_source = sql.SQL('SELECT grp, count(*) AS n, grp COLLATE "C" AS ord FROM clients GROUP BY grp')
    (sizes,) = copy_ints(db, sql.SQL('SELECT n FROM ({}) AS g ORDER BY ord').format(groups_source), 1)
    group_names = copy_text(db, "grp", groups_source, len(sizes))
    by_id = sql.SQL("SELECT name, code, sector, id AS ord FROM clients")
    names, codes, sectors = (copy_text(db, c, by_id, len(ids)) for c in ("name", "code", "sector"))

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
