"""Reading one period's portfolio from PostgreSQL in bulk (issue 13, item 4).

Each column is packed by the server in one aggregate — integers as
``string_agg(int8send(x), '')``, 8 big-endian bytes each, texts as one
``string_agg`` joined by SEP — and comes out of ``COPY (…) TO STDOUT (FORMAT
binary)`` as one row that numpy reads in place: never a Python tuple, nor a
COPY message, per client (libpq hands COPY data over one row at a time).
Everything is read in one REPEATABLE READ snapshot, so the columns agree with
each other; under row-level security a rep's load is their own portfolio,
with nothing to filter here (its policy is ``owner = current_user``, an index
range: cockpit/store/pg/schema.py). The server's cost is about one aggregate
step per value sent, so fewer values are sent: the clients in one plain scan
(no walk of the primary key), the versions of the edited rows only (the
others are 1), and each read's own work is done in the thread that read it.

Orders are bytewise (COLLATE "C"), as SQLite's BINARY: the (name, code)
tie-break and the group codes come out the same on both backends.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from cockpit.store.portfolio_data import PortfolioData
from cockpit.store.portfolio_read import Changed, LazyText, RowsOf
from cockpit.store.text_column import SEP, TextColumn

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql as pgsql

_HEADER = 19  # PGCOPY signature (11), flags (4), header extension length (4)


class BulkReadError(RuntimeError):
    """COPY gave something else than the expected NOT NULL columns."""


def _copy_row(db: "psycopg.Connection[tuple[object, ...]]", select: "pgsql.Composable") -> list[memoryview | None]:
    """The fields of the one row ``select`` gives, as raw binary values: views
    into the message received, no copy (a column is tens of megabytes)."""
    from psycopg import sql

    with db.cursor() as cur, cur.copy(sql.SQL("COPY ({}) TO STDOUT (FORMAT binary)").format(select)) as copy:
        chunks = list(copy)
    # The server sends the header with the row, then the trailer (int16 -1) as a message of its own: no join then.
    whole = len(chunks) == 1 or (len(chunks) == 2 and bytes(chunks[1]) == b"\xff\xff")
    data = memoryview(chunks[0] if whole else b"".join(chunks)).cast("B")
    (count,) = np.frombuffer(data, dtype=">i2", offset=_HEADER, count=1)
    fields: list[memoryview | None] = []
    at = _HEADER + 2
    for _ in range(int(count)):
        (size,) = np.frombuffer(data, dtype=">i4", offset=at, count=1)
        at += 4
        fields.append(None if size < 0 else data[at:at + int(size)])
        at += max(int(size), 0)
    return fields


# An integer column read only where a condition holds, e.g. ("version", "version <> 1"): the rows that
# differ from the usual value, one aggregate step each instead of one per row.
Ints = Sequence["str | tuple[str, str]"]


def read_columns(db: "psycopg.Connection[tuple[object, ...]]", source: "pgsql.Composable", *,
                 ints: Ints = (), texts: Sequence[str] = (), order: str | None = "ord") -> tuple[Any, ...]:
    """Integer columns (int64 arrays) then text columns (TextColumn) of the
    rows of ``source`` (a SELECT), in ``order``, or as the table gives them
    (``None``: a plain scan, no sort nor index walk; ``ord`` says the rows).

    The rows come sorted from a subquery, one sort (or index scan) for every
    column: an ORDER BY inside each aggregate would sort once per column,
    several times slower at a million rows. PostgreSQL feeds an aggregate in
    its sorted subquery's order (the documented idiom for ordered
    string_agg/array_agg input); ids are checked ascending all the same."""
    from psycopg import sql

    parts: list[pgsql.Composable] = [sql.SQL("count(*)")]
    for c in ints:
        name, where = (c, None) if isinstance(c, str) else c
        agg = sql.SQL("string_agg(int8send({}), '')").format(sql.Identifier(name))
        parts.append(agg if where is None else sql.SQL("{} FILTER (WHERE {})").format(agg, sql.SQL(where)))
    parts += [sql.SQL("string_agg({}, {})").format(sql.Identifier(c), sql.Literal(SEP)) for c in texts]
    ordered = source if order is None else sql.SQL("{} ORDER BY {}").format(source, sql.SQL(order))
    fields = _copy_row(db, sql.SQL("SELECT {} FROM ({}) AS s").format(sql.SQL(", ").join(parts), ordered))
    n = int(np.frombuffer(fields[0] or b"", dtype=">i8")[0])
    numbers = [np.frombuffer(f or b"", dtype=">i8").astype(np.int64) for f in fields[1:1 + len(ints)]]
    if any(len(v) != n for c, v in zip(ints, numbers) if isinstance(c, str)):  # string_agg skips NULLs
        raise BulkReadError(f"a NULL in {', '.join(map(str, ints))}")
    columns = [TextColumn.split(bytes(f) if n and f is not None else None) for f in fields[1 + len(ints):]]
    for i, column in enumerate(columns):
        if len(column) != n:  # a separator inside a value (not written by the cockpit, which cleans text)
            columns[i] = _one_by_one(db, source, texts[i], order, numbers[0] if order is None else None)
    return (*numbers, *columns)


def _one_by_one(db: "psycopg.Connection[tuple[object, ...]]", source: "pgsql.Composable", column: str,
                order: str | None, ords: np.ndarray | None) -> TextColumn:
    """A text column read row by row (slow, but never wrong), in the order of
    ``order``, or of ``ords`` (the ``ord`` of each row of a plain scan)."""
    from psycopg import sql

    rows = db.execute(sql.SQL("SELECT ord, {} FROM ({}) AS s ORDER BY {}").format(
        sql.Identifier(column), source, sql.SQL(order or "ord"))).fetchall()
    values = TextColumn.of([str(r[1]) for r in rows])
    if ords is None:
        return values
    return values.take(np.searchsorted(np.array([int(str(r[0])) for r in rows], dtype=np.int64), ords))


def _lazy(db: "psycopg.Connection[tuple[object, ...]]", column: str, wanted: np.ndarray) -> LazyText:
    """A column only exports and the products tab need, read on first use, by id
    (a client added meanwhile does not shift the others), on a connection of
    its own: the caller's may be busy with another read in another thread."""
    from psycopg import sql

    from cockpit.store.pg.target import connect

    conninfo = _conninfo(db)

    def load() -> Sequence[str]:
        with connect(conninfo, autocommit=True) as conn:
            ids, values = read_columns(conn, sql.SQL("SELECT id AS ord, {} FROM clients").format(sql.Identifier(column)),
                                       ints=["ord"], texts=[column])
        return cast("TextColumn", values).take(RowsOf(_ascending(ids))(wanted))

    return LazyText(load, len(wanted))


def _conninfo(db: "psycopg.Connection[tuple[object, ...]]") -> str:
    """How to open another connection like ``db`` (its dsn hides the password)."""
    from psycopg.conninfo import make_conninfo

    return make_conninfo(db.info.dsn, **({"password": db.info.password} if db.info.password else {}))


def _ascending(ids: np.ndarray) -> np.ndarray:
    if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):
        raise BulkReadError("rows did not come in id order")
    return ids


def periods(db: "psycopg.Connection[tuple[object, ...]]") -> list[str]:
    return [str(r[0]) for r in db.execute('SELECT DISTINCT period COLLATE "C" FROM amounts ORDER BY 1')]


def load_portfolio(db: "psycopg.Connection[tuple[object, ...]]", period: str, field: str = "revenue",
                   workers: int = 3, owner: str | None = None) -> PortfolioData:
    """One period's PortfolioData, the same as the SQLite workspace's for the
    same rows: the team's (as far as row-level security lets the role see),
    or one rep's (``owner``, a manager looking at a rep).

    Its reads run on ``workers`` connections at once, all in the snapshot of
    ``db``'s transaction (pg_export_snapshot), so they agree as one read
    would; inside a transaction of the caller's, on ``db`` alone."""
    if field not in ("revenue", "margin"):
        raise ValueError(field)
    from psycopg.pq import TransactionStatus

    own = db.info.transaction_status == TransactionStatus.IDLE
    reads = _reads(period, field, owner)
    with db.transaction():
        if own:
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        _settings(db)
        if own and workers > 1:
            got = _in_parallel(db, reads, workers)
        else:
            got = {name: _run(db, name, spec) for name, spec in reads.items()}
    data = _assemble(db, period, got)
    if field == "margin":  # share of wallet is revenue ÷ potential in margin mode too (METHOD §1)
        data.revenue = got["revenue"][1]
    return data


Spec = tuple["pgsql.Composable", Ints, list[str], "str | None"]
# Versions start at 1 and move only with an edit: the rows edited are read (key and version), the others are 1.
EDITED = [("ord", "version <> 1"), ("version", "version <> 1")]


def _reads(period: str, field: str, owner: str | None) -> dict[str, Spec]:
    from psycopg import sql

    clients = sql.SQL("clients") if owner is None else sql.SQL("clients WHERE owner = {}").format(sql.Literal(owner))
    # One rep's amounts: one range of the (owner, period, client_id) index, the owner being on each amount.
    mine = sql.SQL("") if owner is None else sql.SQL(" AND owner = {}").format(sql.Literal(owner))

    def amounts(f: str) -> Spec:
        return (sql.SQL("SELECT client_id AS ord, coalesce({f}, 0) AS amount, version FROM amounts "
                        "WHERE period = {p}{mine}").format(f=sql.Identifier(f), p=sql.Literal(period), mine=mine),
                ["ord", "amount", *EDITED], [], "ord")

    reads: dict[str, Spec] = {
        # The longest first: the parallel readers take them in this order. The clients in one plain scan
        # (order None: sorted here by id if the table gives them otherwise), every column at once.
        "clients": (sql.SQL("SELECT id AS ord, coalesce(potential, -1) AS potential, version, name FROM {}").format(
            clients), ["ord", "potential", *EDITED], ["name"], None),
        "groups": (sql.SQL('SELECT grp COLLATE "C" AS grp, count(*) AS n FROM {} GROUP BY 1').format(clients),
                   ["n"], ["grp"], "grp"),
        "amounts": amounts(field),
        "by_group": (sql.SQL("SELECT id FROM {}").format(clients), ["id"], [], 'grp COLLATE "C", id'),
        "name_order": (sql.SQL("SELECT id FROM {}").format(clients), ["id"], [], 'name COLLATE "C", code COLLATE "C"'),
    }
    if field == "margin":
        reads["revenue"] = amounts("revenue")
    return reads


def _run(db: "psycopg.Connection[tuple[object, ...]]", name: str, spec: Spec) -> Any:
    """One read, and what can be made of it alone, in the thread that read it:
    the end of the load (``_assemble``) then only looks up the period's clients."""
    source, ints, texts, order = spec
    got = read_columns(db, source, ints=ints, texts=texts, order=order)
    if name == "clients":
        ids, potential, edited, versions, names = got
        if len(ids) > 1 and not bool(np.all(ids[1:] > ids[:-1])):  # the table's order is not the ids' (rows moved)
            by_id = np.argsort(ids, kind="stable")
            ids, potential, names = ids[by_id], potential[by_id], names.take(by_id)
        _ascending(ids)
        return ids, potential, names, _edited(ids, edited, versions), RowsOf(ids)
    if name in ("amounts", "revenue"):
        ids, amount, edited, versions = got
        return _ascending(ids), amount, _edited(ids, edited, versions)
    if name in ("name_order", "by_group"):
        return _Positions(got[0])
    if name == "groups":
        sizes, group_names = got
        return np.repeat(np.arange(len(sizes)), sizes), group_names
    return got


class _Positions:
    """Where each id stands in ``ids`` (any order): a table by id when ids are dense, else a sorted copy."""

    def __init__(self, ids: np.ndarray) -> None:
        self.n = len(ids)
        self.table: np.ndarray | None = None
        self.order: np.ndarray | None = None
        top = int(ids.max()) if len(ids) else -1
        if len(ids) and int(ids.min()) >= 0 and top <= 4 * len(ids) + 1024:
            self.table = np.full(top + 1, -1, dtype=np.int64)
            self.table[ids] = np.arange(len(ids))
        else:
            self.order = np.argsort(ids, kind="stable")
            self.rows = RowsOf(ids[self.order])

    def __call__(self, wanted: np.ndarray) -> np.ndarray:
        if self.table is None:
            return cast("np.ndarray", cast("np.ndarray", self.order)[self.rows(wanted)])
        if not len(wanted):
            return np.zeros(0, dtype=np.int64)
        if int(wanted.min()) < 0 or int(wanted.max()) >= len(self.table):
            raise Changed
        out: np.ndarray = self.table[wanted]
        if int(out.min()) < 0:
            raise Changed
        return out


def _settings(db: "psycopg.Connection[tuple[object, ...]]") -> None:
    # The groups come counted in the (grp, id) index's order; a hash of 500 k groups then a sort is 3× slower.
    db.execute("SET LOCAL enable_hashagg = off")
    db.execute("SET LOCAL jit = off")  # compiling these plain scans costs more than it saves


def _in_parallel(db: "psycopg.Connection[tuple[object, ...]]", reads: dict[str, Spec], workers: int) -> dict[str, Any]:
    """Each read on the first free of ``workers`` connections, all in ``db``'s snapshot."""
    import threading

    from cockpit.store.pg.target import connect

    snapshot = str((db.execute("SELECT pg_export_snapshot()").fetchone() or ("",))[0])
    conninfo = _conninfo(db)
    queue = list(reads.items())
    got: dict[str, Any] = {}
    lock = threading.Lock()

    def work(conn: "psycopg.Connection[tuple[object, ...]]") -> None:
        while True:
            with lock:
                if not queue or "error" in got:
                    return
                name, spec = queue.pop(0)
            try:
                result = _run(conn, name, spec)
            except BaseException as exc:  # handed to the caller's thread
                with lock:
                    got["error"] = exc
                return
            with lock:
                got[name] = result

    def helper() -> None:
        try:
            with connect(conninfo) as conn, conn.transaction():
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                conn.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                _settings(conn)
                work(conn)
        except BaseException as exc:
            with lock:
                got.setdefault("error", exc)

    threads = [threading.Thread(target=helper, name=f"cockpit-pg-read-{i}", daemon=True) for i in range(workers - 1)]
    for thread in threads:
        thread.start()
    work(db)
    for thread in threads:
        thread.join()
    if "error" in got:
        raise cast("BaseException", got["error"])
    return got


def _edited(ids: np.ndarray, edited: np.ndarray, versions: np.ndarray) -> np.ndarray:
    """The version of each of ``ids`` (ascending): 1, but ``versions`` for the ``edited`` ids."""
    out = np.ones(len(ids), dtype=np.int64)
    rows = np.searchsorted(ids, edited)
    if len(edited) != len(versions) or np.any(rows >= len(ids)) or np.any(ids[np.minimum(rows, len(ids) - 1)] != edited):
        raise BulkReadError("an edited row is not among the rows read")
    out[rows] = versions
    return out


def _assemble(db: "psycopg.Connection[tuple[object, ...]]", period: str, got: dict[str, Any]) -> PortfolioData:
    ids, potential, names, client_version, rows_of = got["clients"]
    amount_ids, amount, version = got["amounts"]
    key_of, place_of = got["name_order"], got["by_group"]
    code_by_place, group_names = got["groups"]
    if not key_of.n == place_of.n == len(code_by_place) == len(ids):  # one snapshot: never, unless a bug
        raise Changed
    rows = rows_of(amount_ids)  # row of each client of the period in the all-clients arrays
    codes_in_period = code_by_place[place_of(amount_ids)]  # only the groups with a client this period, renumbered
    present = np.flatnonzero(np.bincount(codes_in_period, minlength=len(group_names)))
    recode = np.zeros(len(group_names), dtype=np.int64)
    recode[present] = np.arange(len(present))
    group_code = recode[codes_in_period]
    present_names = group_names.take(present)
    return PortfolioData(
        period, amount_ids, _lazy(db, "code", amount_ids), names.take(rows), present_names.take(group_code),
        _lazy(db, "sector", amount_ids),
        potential[rows], amount, version, client_version[rows], key_of(amount_ids), (present_names, group_code),
    )
