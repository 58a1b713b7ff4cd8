"""Clients and sales lines from `StreamReader` batches into the workspace, in
bulk (executemany over column arrays), all or nothing: one transaction, the
same rules as `cockpit.store.loading` (which stays the reference and the path for
files this one does not take).

Sales lines are streamed: each chunk is inserted as it is read, and the old
lines of the years the file covers are deleted at the end (the new ones are
told apart by their ids), so memory stays flat in the number of lines. A
clients file is held whole (its ids must be checked for repeats first) as
compact columns.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.io.amount_periods import AmountPeriod, amount_periods, check_period_totals, column_key
from cockpit.io.many_rows import insert_rows
from cockpit.io.owners import Owners, apply_owners, owner_logins
from cockpit.io.unique_columns import check_unique as _check_unique
from cockpit.io import sales_swap
from cockpit.io.client_keys import client_index, known_lines, lookup, unknown_client
from cockpit.io.stream_read import Batch, StreamReader
from cockpit.io.year_sums import YearSums
from cockpit.store.loading import Replaced
from cockpit.io.tabular import Records, by_years
from cockpit.store.own_rows import own_writes
from cockpit.store.workspace import Workspace

Progress = Callable[[int, int, int], None]  # (rows, bytes read, bytes in all)
Stop = Callable[[], bool]  # polled between chunks: True ends the import, rolled back


class Cancelled(Exception):
    """The rep said no to replacing a year's lines: nothing was written."""


class Interrupted(Exception):
    """The rep stopped the import (Escape in the app): rolled back, nothing written."""


def _nothing(rows: int, done: int, total: int) -> None:
    pass


def _never() -> bool:
    return False


def _check(stop: Stop) -> None:
    if stop():
        raise Interrupted()


@contextlib.contextmanager
def bulk(db: sqlite3.Connection, tables: tuple[str, ...], many: bool, cache_kb: int = 65536) -> Iterator[None]:
    """Many rows in: the tables' secondary indexes are dropped, then built again
    at the end (a sort, instead of a random B-tree insert per row, which thrashes
    the page cache), and the page cache is larger meanwhile. Inside the import's
    transaction: a rollback brings the indexes back as they were (so a failed
    import does not build them over rows about to go)."""
    (cache,) = db.execute("PRAGMA cache_size").fetchone()
    db.execute(f"PRAGMA cache_size=-{int(cache_kb)}")
    indexes = []
    if many:
        marks = ",".join("?" * len(tables))
        indexes = db.execute(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                             f"AND tbl_name IN ({marks})", tables).fetchall()
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
    try:
        yield
        for _, sql in indexes:  # not when the import fails: its rollback brings them back, with no sort
            db.execute(sql)
    finally:
        db.execute(f"PRAGMA cache_size={int(cache)}")


@contextlib.contextmanager
def _unit(ws: Workspace, what: str) -> Iterator[sqlite3.Connection]:
    """`Workspace.import_unit` without SQLite's lookup of each row's foreign keys,
    a third of an insert's time: every key written here was read in the same
    write transaction (client ids looked up or just given, owners among the
    reps), so the lookups could only ever find what is there."""
    with ws.lock:
        ws.db.execute("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction: set before BEGIN
        try:
            with ws.import_unit(what) as db:
                yield db
        finally:
            ws.db.execute("PRAGMA foreign_keys=ON")


# --- clients ------------------------------------------------------------------------

def import_clients(ws: Workspace, reader: StreamReader, period: str | None, progress: Progress = _nothing,
                   stop: Stop = _never) -> int:
    """Read whole, then written slice by slice; progress counts the file's bytes
    read as the first half and the rows written as the second. Each year's
    revenue and margin columns go to that year's amounts (``amount_periods``)."""
    batches = []
    total = reader.source.size
    for batch in reader.batches():
        batches.append(batch)
        progress(reader.rows, reader.bytes_read // 2, total)
        _check(stop)
    fields, lay = reader.fields, reader.layout
    assert lay is not None  # read: the header is known
    plan = amount_periods(reader.path, fields, lay.years, by_years(lay), reader.columns(), period)
    text: dict[str, pa.Array] = {n: _concat([b.values[n] for b in batches]) for n in _TEXT if n in fields}
    money: dict[str, tuple[Any, Any]] = {n: _stack(batches, n) for n in ("potential",) if n in fields}
    money.update({column_key(c): _stack(batches, column_key(c)) for p in plan for c in p.columns()})
    n = sum(b.size for b in batches)
    _check_unique(reader, text, n)
    _check(stop)
    if ws.backend == "postgresql" and "code" in text:  # COPY and set-based SQL: cockpit/store/pg/imports.py
        from cockpit.store.pg.imports import ClientColumns, write_clients

        count = write_clients(ws, ClientColumns.from_arrow(reader, text, money, n, plan))
        progress(n, total, total)
        return count
    if "code" not in text or pc.any(pc.equal(pc.binary_length(text["code"]), 0)).as_py():
        return _import_clients_by_row(ws, reader, text, money, n, period)  # the same plan, made again there
    with _unit(ws, "clients") as db:
        (known, top) = db.execute("SELECT count(*), coalesce(max(id), 0) FROM clients").fetchone()
        own = own_writes(ws)  # a rep: their own clients only, as PostgreSQL's row-level security has it
        owners = Owners(db, ws.who, mine_only=own is not None)  # METHOD §8: an owner column names reps; else the importing rep's
        theirs = np.fromiter(ws.owned(own), dtype=np.int64) if own is not None else None
        logins = owner_logins(owners, text["owner"].to_pylist() if "owner" in text else None, reader.path,
                              reader.line_of, reader.columns().get("owner"))
        first_new, all_ids, all_new = top + 1, [], []
        index = client_index(db)[0]
        with bulk(db, ("clients", "amounts"), n > max(known, 10_000), CLIENTS_CACHE_KB):
            for start in range(0, n, _SLICE):  # Python values for a slice of rows at a time
                part = {k: v.slice(start, _SLICE) for k, v in text.items()}
                codes = part["code"].to_pylist()
                ids = np.asarray(lookup(index, part["code"]), dtype=np.int64)
                new = ids < 0
                if theirs is not None:
                    _refuse_theirs(reader, ids, new, theirs, start, codes)
                ids[new] = np.arange(top + 1, top + 1 + int(new.sum()))
                top += int(new.sum())  # new clients get the next ids, in the file's order
                money_part = {k: (v[start:start + _SLICE], b[start:start + _SLICE]) for k, (v, b) in money.items()}
                size = len(codes)
                potential: list[int | None] = _with_none(*money_part["potential"]) if "potential" in money_part else [None] * size
                part_owners = logins[start:start + size] if logins is not None else None
                _write_clients(db, ids, new, np.flatnonzero(new).tolist(), codes, part, money_part, potential,
                               plan, size, part_owners, owners.default)
                all_ids.append(ids)
                all_new.append(new)
                progress(start + size, total // 2 + (total - total // 2) * (start + size) // n, total)
                _check(stop)
            if all_ids:  # the new rows got theirs in the INSERT: the known ones named by the file here
                known_rows = ~np.concatenate(all_new)
                if logins is not None and known_rows.any():
                    at = np.flatnonzero(known_rows).tolist()
                    apply_owners(db, np.concatenate(all_ids)[at].tolist(), [False] * len(at), [logins[p] for p in at],
                                 owners.default, first_new)
        check_period_totals(db, reader.path, [p.period for p in plan])  # the indexes are back: one range each
    return n


def _refuse_theirs(reader: StreamReader, ids: Any, new: Any, mine: Any, start: int, codes: list[str]) -> None:
    """A rep's file naming by code a client that is not theirs: refused on its line."""
    from cockpit.store.client_lookup import theirs_client

    other = np.flatnonzero(~new & ~np.isin(ids, mine))
    if len(other):
        at = start + int(other[0])
        raise theirs_client(reader.path, reader.line_of(at), reader.columns().get("code"), str(codes[int(other[0])]))


# The page cache while clients go in in bulk (sales lines: bulk's 64 MB): about a million clients' pages (270 MB with their indexes), so
# they are not spilled to the WAL mid-import, read back for each index built and written again at the commit
# (1 M clients: 630 000 reads and writes of the WAL and temp files -> 270 000; 0.8 s). Only what is used is
# taken (a peak of +200 MB at a million rows), and given back when the import ends.
CLIENTS_CACHE_KB = 262144
MANY_LINES = 100_000  # a sales file bigger than this many lines and than the table: swapped in (sales_swap)
_SLICE = 25_000  # rows turned into Python values at a time (and how often a stop is heard)
_TEXT = ("code", "name", "group", "sector", "city", "contact", "owner")  # the clients' text columns a file may have


def _write_clients(db: sqlite3.Connection, ids: Any, new: Any, pick: list[int], codes: list[str],
                   text: dict[str, pa.Array], money: dict[str, tuple[Any, Any]], potential: list[int | None],
                   plan: list[AmountPeriod], n: int, logins: list[str | None] | None, default: str | None) -> None:
    names = text["name"].to_pylist()
    # The new rows' values column by column, then many rows a statement (cockpit/io/many_rows.py). Only the
    # columns the file has are bound (the others take their defaults), and the owner goes in with the row:
    # a second pass of UPDATEs over a million new rows would write every page twice.
    optional = [(c, f) for c, f in (("grp", "group"), ("sector", "sector"), ("city", "city"), ("contact", "contact"))
                if f in text]
    every = len(pick) == n
    at = None if every else pa.array(np.asarray(pick, dtype=np.int64))
    columns: list[Any] = [ids.tolist() if every else ids[pick].tolist(), codes if every else [codes[p] for p in pick],
                          names if every else [names[p] for p in pick]]
    columns += [text[f].to_pylist() if at is None else text[f].take(at).to_pylist() for _, f in optional]
    names_sql = ["id", "code", "name", *(c for c, _ in optional)]
    if "potential" in money:  # else the column's default (NULL), not a None bound per row
        columns.append(potential if every else [potential[p] for p in pick])
        names_sql.append("potential")
    constants: dict[str, Any] = {}
    if logins is not None:
        columns.append([x if x is not None else default for x in (logins if every else [logins[p] for p in pick])])
        names_sql.append("owner")
    elif default is not None:
        constants["owner"] = default  # bound once a statement
    if pick:
        insert_rows(db, "clients", names_sql, columns, constants)
    old = np.flatnonzero(~new).tolist()
    if old:
        _update_clients(db, old, ids, names, text, potential)
    for at in plan:
        rev, mar = (money[column_key(c)] if c is not None else None for c in (at.revenue, at.margin))
        rows, revenue, margin = _amount_rows(rev, mar, n)
        fresh = new[rows]  # a new client has no amount yet: a plain INSERT, no conflict to look for
        _insert_amounts(db, "", ids[rows[fresh]].tolist(), at.period, _take(revenue, fresh), _take(margin, fresh))
        if not fresh.all():  # without a revenue column for the period, the revenue stored stays
            _insert_amounts(db, " ON CONFLICT(client_id, period) DO UPDATE SET "
                            f"{'revenue = excluded.revenue, ' if rev is not None else ''}"
                            "margin = coalesce(excluded.margin, margin), version = version + 1",
                            ids[rows[~fresh]].tolist(), at.period, _take(revenue, ~fresh), _take(margin, ~fresh))


def _take(values: list[Any] | None, mask: Any) -> list[Any] | None:
    return values if values is None or mask.all() else [values[p] for p in np.flatnonzero(mask).tolist()]


def _insert_amounts(db: sqlite3.Connection, tail: str, ids: list[int], period: str, revenue: list[int] | None,
                    margin: list[int | None] | None) -> None:
    """The period bound once a statement; without a margin column, the margin left to its default (NULL)."""
    if ids:
        names = ["client_id", "revenue"]
        columns: list[list[Any]] = [ids, revenue if revenue is not None else [0] * len(ids)]
        if margin is not None:
            names.append("margin")
            columns.append(margin)
        insert_rows(db, "amounts", names, columns, {"period": period}, tail)


def _update_clients(db: sqlite3.Connection, old: list[int], ids: Any, names: list[str], text: dict[str, pa.Array],
                    potential: list[int | None]) -> None:
    """Known clients: name, and group, sector, potential where the file has them (as `loading` sets them)."""
    optional = (("grp", "group"), ("sector", "sector"), ("city", "city"), ("contact", "contact"))
    cols = ["name"] + [c for c, f in optional if f in text]
    values = [names] + [text[f].to_pylist() for _, f in optional if f in text]
    for with_potential in (False, True):
        sets = cols + (["potential"] if with_potential else [])
        assign = ", ".join(f"{k} = ?" for k in sets)
        rows = [p for p in old if (potential[p] is not None) == with_potential]
        db.executemany(f"UPDATE clients SET {assign}, version = version + 1 WHERE id = ?",
                       ((*(v[p] for v in values), *([potential[p]] if with_potential else []), int(ids[p]))
                        for p in rows))


def _amount_rows(rev: tuple[Any, Any] | None, mar: tuple[Any, Any] | None,
                 n: int) -> tuple[Any, list[int] | None, list[int | None] | None]:
    """(rows, their revenue or 0, their margin) of the rows with a revenue or a margin (None: no such column)."""
    has = np.zeros(n, dtype=bool)
    for m in (rev, mar):
        if m is not None:
            has |= ~m[1]
    pick = np.flatnonzero(has)
    revenue: list[int] | None = rev[0][pick].tolist() if rev is not None else None
    margin: list[int | None] | None = _with_none(mar[0][pick], mar[1][pick]) if mar is not None else None
    return pick, revenue, margin


def _import_clients_by_row(ws: Workspace, reader: StreamReader, text: dict[str, pa.Array],
                           money: dict[str, tuple[Any, Any]], n: int, period: str | None) -> int:
    """Rows without a code are matched by name, row after row: `loading.import_clients` itself."""
    from cockpit.store.loading import import_clients as by_row

    lay = reader.layout
    assert lay is not None
    data: dict[str, list[object]] = {k: v.to_pylist() for k, v in text.items()}
    data.update({k: list(_with_none(*v)) for k, v in money.items() if k in reader.fields})
    by_year = by_years(lay)
    for name, years in by_year.items():  # "revenue 2023" -> the rows' "revenue_by_year", as tabular reads them
        cells = [_with_none(*money[column_key((name, y))]) for y in years]
        data[f"{name}_by_year"] = [dict(zip(years, row)) for row in zip(*cells)]
    lines = [reader.line_of(i) for i in range(n)]  # a refused owner is named on its line of the file
    records = Records(reader.path, [f for f in reader.fields if f in data] + [f"{k}_by_year" for k in by_year],
                      None, lines, years=dict(lay.years), by_year=by_year,  # type: ignore[arg-type]  # rows: made from data
                      columns=reader.columns(), data=data)
    return by_row(ws, records, period)


# --- sales lines ---------------------------------------------------------------------

def import_sales(ws: Workspace, reader: StreamReader, confirm: Callable[[Callable[[], list[Replaced]]], bool],
                 progress: Progress = _nothing, stop: Stop = _never) -> int:
    if ws.backend == "postgresql":  # COPY into a staging table, then the years replaced: cockpit/store/pg/imports.py
        from cockpit.store.pg.imports import import_sales_stream

        def ask(counts: Callable[[], list[tuple[str, int, int, int, int]]]) -> None:
            if not confirm(lambda: [Replaced(*c) for c in counts()]):
                raise Cancelled()

        return import_sales_stream(ws, reader, ask, progress, lambda: _check(stop))
    with _unit(ws, "sales") as db:
        index = client_index(db)
        (top, known) = db.execute("SELECT coalesce(max(id), 0), count(*) FROM sales").fetchone()
        many = reader.source.size > 40 * max(known, MANY_LINES)  # about 40 bytes a line: more new lines than old
        with bulk(db, ("sales",), many):
            if many:  # more new lines than old: a table of their own, swapped in (cockpit/io/sales_swap.py)
                sales_swap.stage(db, top)
            sums = YearSums(reader.path)
            count, years = _insert_sales(db, reader, index, progress, sums, stop,
                                         sales_swap.STAGE if many else "sales")
            if not confirm(lambda: _replaced(db, top, years, many)):  # counted only if asked (--yes does not)
                raise Cancelled()
            if many:
                sales_swap.swap(db, top, years)
            else:
                marks = ",".join("?" * len(years))
                db.execute(f"DELETE FROM sales WHERE id <= ? AND substr(date, 1, 4) IN ({marks})", (top, *years))
        _check(stop)
        _rebuild_amounts(db, sums, years)
        check_period_totals(db, reader.path, years)
    return count


def _insert_sales(db: sqlite3.Connection, reader: StreamReader,
                  index: tuple[tuple[pa.Array, Any], tuple[pa.Array, Any], dict[str, list[str]]], progress: Progress,
                  sums: YearSums, stop: Stop = _never, table: str = "sales") -> tuple[int, list[str]]:
    """The file's lines, chunk by chunk: (how many, the years they cover); ``sums`` adds them up."""
    years: set[str] = set()
    count = 0
    for batch, cid in known_lines(reader, index, progress, lambda: _check(stop), unknown_client):
        days = batch.values["date"]
        years.update(np.unique(days.astype("datetime64[Y]")).astype(str).tolist())
        has_margin = "margin" in batch.values
        no_margin = batch.blanks["margin"] if has_margin else np.ones(batch.size, dtype=bool)
        sums.add(cid, days, batch.values["revenue"], batch.values["margin"] if has_margin else 0, no_margin)
        columns = [cid.tolist(), np.datetime_as_string(days).tolist(), batch.values["product"].to_pylist(),
                   batch.values["revenue"].tolist()]
        if has_margin:  # else the column's default: NULL
            columns.append(_with_none(batch.values["margin"], no_margin))
        insert_rows(db, table, ["client_id", "date", "product", "revenue", "margin"][:len(columns)], columns)
        count += batch.size
    return count, sorted(years)


def _replaced(db: sqlite3.Connection, top: int, years: list[str], staged: bool) -> list[Replaced]:
    """`loading.sales_replacement` read from the tables, in one pass: the new lines are those past ``top``."""
    if staged:
        counts = sales_swap.counts(db, top, years)
    else:
        counts = {(y, new): (lines, clients) for y, new, lines, clients in db.execute(
            "SELECT substr(date, 1, 4), id > ?, count(*), count(DISTINCT client_id) FROM sales GROUP BY 1, 2", (top,))}
    return [Replaced(y, *counts.get((y, 0), (0, 0)), *counts.get((y, 1), (0, 0))) for y in years]


def _rebuild_amounts(db: sqlite3.Connection, sums: YearSums, years: list[str]) -> None:
    """`loading.rebuild_amounts` of the years imported, from the sums of the new
    lines (once the old ones of those years are gone, they are all there is)."""
    db.execute("DROP TABLE IF EXISTS temp.new_amounts")
    db.execute("CREATE TEMP TABLE new_amounts(client_id INTEGER, period TEXT, revenue INTEGER, margin INTEGER, "
               "PRIMARY KEY(client_id, period)) WITHOUT ROWID")
    db.executemany("INSERT INTO temp.new_amounts VALUES (?,?,?,?)", sums.rows())
    marks = ",".join("?" * len(years))
    db.execute(f"DELETE FROM amounts WHERE period IN ({marks}) AND NOT EXISTS (SELECT 1 FROM temp.new_amounts n "
               "WHERE n.client_id = amounts.client_id AND n.period = amounts.period)", years)
    db.execute(
        "INSERT INTO amounts(client_id, period, revenue, margin) SELECT client_id, period, revenue, margin "
        "FROM temp.new_amounts WHERE true "
        "ON CONFLICT(client_id, period) DO UPDATE SET revenue = excluded.revenue, margin = excluded.margin, "
        "version = version + 1 WHERE revenue IS NOT excluded.revenue OR margin IS NOT excluded.margin")
    db.execute("DROP TABLE temp.new_amounts")


# --- columns -------------------------------------------------------------------------

def _concat(arrays: list[pa.Array]) -> pa.Array:
    return pa.concat_arrays(arrays) if arrays else pa.array([], pa.string())


def _stack(batches: list[Batch], name: str) -> tuple[Any, Any]:
    values = [b.values[name] for b in batches]
    blanks = [b.blanks[name] for b in batches]
    return (np.concatenate(values) if values else np.zeros(0, np.int64),
            np.concatenate(blanks) if blanks else np.zeros(0, bool))


def _with_none(values: Any, blanks: Any) -> list[int | None]:
    out: list[int | None] = values.tolist()
    for p in np.flatnonzero(blanks).tolist():
        out[p] = None
    return out
