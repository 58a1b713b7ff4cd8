"""``cockpit import clients|sales`` on PostgreSQL: the same reader, rules and
messages as on SQLite (cockpit/io/bulk_load.py and cockpit/store/loading.py
read and check the file, then hand the columns here), written in bulk: COPY
into a TEMP staging table, then set-based INSERT … ON CONFLICT / UPDATE from
it, in the import's one transaction (all or nothing). Every table written
NOTIFYs on commit (cockpit/store/pg/schema.py), so open screens refresh.

Row-level security decides what a rep's import may touch. A rep's file is
matched against the clients they can see, their own: a code that is another
rep's client is refused on its line (the unique code tells the database it
exists; nothing of that client is read or written), and so is a line without
a code whose name only another rep's client has (``cockpit_client_names``
says the name is taken, nothing more): never a second account of it. An owner
cell must name the rep themself, and a sales file replaces the years it covers
in the rep's own portfolio only. A manager sees every client and imports everything, as
on SQLite.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

from cockpit.io.amount_periods import AmountPeriod, check_period_totals, column_key
from cockpit.io.client_keys import NameIndex
from cockpit.io.numbers_fr import MAX_CENTS
from cockpit.io.owners import Owners
from cockpit.io.year_sums import past_cell_limit

if TYPE_CHECKING:
    import sqlite3

    import psycopg

    from cockpit.io.stream_read import StreamReader
    from cockpit.io.tabular import Records
    from cockpit.store.workspace import Workspace

_OPTIONAL = (("grp", "group"), ("sector", "sector"), ("city", "city"), ("contact", "contact"))


def copy_in(conn: "psycopg.Connection[Any]", table: str, data: dict[str, Any]) -> None:
    """Columns (pyarrow or numpy arrays, lists) into ``table`` by one COPY: pyarrow
    writes the CSV in C (a string quoted, a NULL bare), no Python tuple per row."""
    if not data or not len(next(iter(data.values()))):
        return
    buf = io.BytesIO()
    pacsv.write_csv(pa.table(data), buf, pacsv.WriteOptions(include_header=False))
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(data)}) FROM STDIN (FORMAT csv)") as copy:
        copy.write(buf.getbuffer())


# --- clients ------------------------------------------------------------------------

@dataclass
class ClientColumns:
    """A clients file, read and checked: per row its cells (text '' when blank,
    money None when blank); a field the file has no column for is absent."""

    path: str
    n: int
    line_of: Callable[[int], int | None]
    columns: dict[str, str]  # field -> header as written
    text: dict[str, list[str]]  # code, name, group, sector, city, contact, owner
    money: dict[str, list[int | None]]  # potential, and the plan's columns: revenue, margin, "revenue 2023"…
    plan: list[AmountPeriod]  # the periods the file's revenue and margin columns go to

    @classmethod
    def from_arrow(cls, reader: "StreamReader", text: dict[str, pa.Array], money: dict[str, tuple[Any, Any]], n: int,
                   plan: list[AmountPeriod]) -> "ClientColumns":
        """From bulk_load's whole-file columns (text arrays; money values with their blanks)."""
        columns = {f: ["" if v is None else v for v in a.to_pylist()] for f, a in text.items()}
        cents = {f: [None if blank else int(v) for v, blank in zip(values.tolist(), blanks.tolist())]
                 for f, (values, blanks) in money.items()}
        return cls(reader.path, n, reader.line_of, reader.columns(), columns, cents, plan)

    @classmethod
    def from_records(cls, records: "Records", plan: list[AmountPeriod]) -> "ClientColumns":
        n = len(records.lines)
        text: dict[str, list[str]] = {f: ["" if v is None else str(v) for v in records.column(f)] for f in
                                        ("code", "name", "group", "sector", "city", "contact", "owner")
                                        if f in records.fields}
        columns: dict[str, list[object]] = {"potential": records.column("potential")} if "potential" in records.fields else {}
        for column in (c for at in plan for c in at.columns()):
            name, year = column
            columns[column_key(column)] = records.column(name) if year is None else [
                (d or {}).get(year) for d in records.column(f"{name}_by_year")]  # type: ignore[attr-defined]  # dicts
        money = {k: [None if v is None else int(str(v)) for v in values] for k, values in columns.items()}
        lines = records.lines
        return cls(records.path, n, lambda i: lines[i], dict(records.columns), text, money, plan)


def write_clients(ws: "Workspace", rows: ClientColumns) -> int:
    """Insert or update the clients (by code, else by exact name), their owners,
    and each period's amounts; the rules of ``loading.import_clients``."""
    with ws.import_unit("clients") as db:
        conn = ws.pg  # type: ignore[attr-defined]  # a PgWorkspace's own connection, in the import's transaction
        owners = Owners(db, ws.who, mine_only=ws.own_rows_only)
        column = rows.columns.get("owner")
        seen: dict[str, str | None] = {}
        logins = [seen[v] if v in seen else seen.setdefault(v, owners.resolve(v, rows.path, rows.line_of(i), column))
                  for i, v in enumerate(rows.text.get("owner", []))] or [None] * rows.n
        codes, is_new = _match(ws, db, conn, rows)
        conn.execute("CREATE TEMP TABLE stage_clients(seq BIGINT, code TEXT, name TEXT, grp TEXT, sector TEXT, "
                     "city TEXT, contact TEXT, potential BIGINT, owner TEXT, is_new BOOLEAN) ON COMMIT DROP")
        data: dict[str, Any] = {"seq": np.arange(rows.n, dtype=np.int64), "code": pa.array(codes, pa.string()),
                                "name": pa.array(rows.text["name"], pa.string())}
        data.update({col: pa.array(rows.text[f], pa.string()) for col, f in _OPTIONAL if f in rows.text})
        if "potential" in rows.money:
            data["potential"] = pa.array(rows.money["potential"], pa.int64())
        data["owner"] = pa.array(logins, pa.string())
        data["is_new"] = pa.array(is_new, pa.bool_())
        copy_in(conn, "stage_clients", data)
        conn.execute("ANALYZE stage_clients")  # a temp table: no autovacuum, no statistics otherwise
        _insert_new(conn, rows, owners.default)
        _update_known(conn, rows)
        _write_amounts(conn, rows)
        check_period_totals(db, rows.path, [at.period for at in rows.plan])
    return rows.n


def _write_amounts(conn: "psycopg.Connection[Any]", rows: ClientColumns) -> None:
    """Each period's revenue and margin, staged, then upserted: a client named
    by two rows takes the later one; a period without a revenue column keeps
    the revenue stored (0 for a new row)."""
    conn.execute("CREATE TEMP TABLE stage_amounts(seq BIGINT, period TEXT, revenue BIGINT, margin BIGINT) ON COMMIT DROP")
    nothing: list[int | None] = [None] * rows.n
    for at in rows.plan:
        revenue, margin = (rows.money[column_key(c)] if c is not None else nothing for c in (at.revenue, at.margin))
        keep = [i for i in range(rows.n) if revenue[i] is not None or margin[i] is not None]
        copy_in(conn, "stage_amounts", {"seq": pa.array(keep, pa.int64()), "period": pa.array([at.period] * len(keep)),
                                        "revenue": pa.array([revenue[i] for i in keep], pa.int64()),
                                        "margin": pa.array([margin[i] for i in keep], pa.int64())})
    for with_revenue in (True, False):
        periods = [at.period for at in rows.plan if (at.revenue is not None) == with_revenue]
        if periods:
            conn.execute(
                "INSERT INTO amounts(client_id, period, revenue, margin) "
                "SELECT DISTINCT ON (c.id, a.period) c.id, a.period, coalesce(a.revenue, 0), a.margin "
                "FROM stage_amounts a JOIN stage_clients s ON s.seq = a.seq JOIN clients c ON c.code = s.code "
                "WHERE a.period = ANY(%s) ORDER BY c.id, a.period, a.seq DESC "
                "ON CONFLICT (client_id, period) DO UPDATE SET "
                f"{'revenue = excluded.revenue, ' if with_revenue else ''}"
                "margin = coalesce(excluded.margin, amounts.margin), version = amounts.version + 1", (periods,))


def _match(ws: "Workspace", db: "sqlite3.Connection", conn: "psycopg.Connection[Any]",
           rows: ClientColumns) -> tuple[list[str], list[bool]]:
    """Each row's client code, and whether it is a new client: by code, else by
    the first client of that name (the workspace's, then the file's earlier new
    ones); a new client without a code gets the next free C00001-like code. A
    rep's row without a code naming a client they cannot see (another rep's:
    ``client_lookup.their_names``) is refused on its line, not made a second one."""
    from cockpit.store.client_lookup import their_names, theirs_client

    by_code: set[str] = set()
    by_name = NameIndex()
    for code, name in conn.execute("SELECT code, name FROM clients ORDER BY id"):
        by_code.add(str(code))
        by_name.add(str(name), str(code), str(code))
    counted = len(by_code)
    file_codes = rows.text.get("code") or [""] * rows.n
    names = rows.text["name"]
    theirs = their_names(ws, db, (n for c, n in zip(file_codes, names) if not c), by_name) if ws.own_rows_only else set()
    codes: list[str] = []
    is_new: list[bool] = []
    unnamed: list[int] = []  # rows that need a made-up code
    for i, (code, name) in enumerate(zip(file_codes, names)):
        if code:
            known = code in by_code
        else:
            code = by_name.find(name, rows.path, rows.line_of(i), rows.columns.get("name")) or ""
            if not code and name in theirs:
                raise theirs_client(rows.path, rows.line_of(i), rows.columns.get("name"), name, by_name=True)
            known = bool(code)
            if not code:
                unnamed.append(i)
                code = f"\x00{i}"  # a placeholder, replaced below
        codes.append(code)
        is_new.append(not known)
        if not known:
            by_code.add(code)
            by_name.add(name, code, code)
    if unnamed:
        made = _free_codes(conn, counted + 1, len(unnamed))
        rename = {f"\x00{i}": c for i, c in zip(unnamed, made)}
        codes = [rename.get(c, c) for c in codes]
    return codes, is_new


def _free_codes(conn: "psycopg.Connection[Any]", serial: int, count: int) -> list[str]:
    """``count`` codes C{serial:05d}, C{serial+1:05d}… (SQLite's rule: the clients
    counted plus one), skipping any another rep's client holds: asked of the
    unique index in a savepoint rolled back, so nothing of theirs is read."""
    import psycopg

    out: list[str] = []
    while len(out) < count:
        wanted = [f"C{s:05d}" for s in range(serial, serial + count - len(out))]
        serial += len(wanted)
        free: list[str] = []
        try:
            with conn.transaction():
                free = [str(r[0]) for r in conn.execute(
                    "INSERT INTO clients(code, name) SELECT c, '' FROM unnest(%s::text[]) c "
                    "ON CONFLICT (code) DO NOTHING RETURNING code", (wanted,))]
                raise psycopg.Rollback()
        finally:
            out += sorted(free)
    return out[:count]


def _insert_new(conn: "psycopg.Connection[Any]", rows: ClientColumns, default: str | None) -> None:
    """The new clients, in the file's order (their ids follow it). A code the
    rep cannot see but the unique index knows is another rep's client: refused
    on its line, the whole import rolled back."""
    optional = [(col, f) for col, f in _OPTIONAL if f in rows.text]
    cols = ["code", "name", *(c for c, _ in optional), "potential", "owner"]
    values = ["s.code", "s.name", *(f"coalesce(s.{c}, '')" for c, _ in optional),
              "s.potential" if "potential" in rows.money else "NULL", "coalesce(s.owner, %s)"]
    added = conn.execute(f"INSERT INTO clients({', '.join(cols)}) SELECT {', '.join(values)} FROM stage_clients s "
                         "WHERE s.is_new ORDER BY s.seq ON CONFLICT (code) DO NOTHING", (default,)).rowcount
    wanted = conn.execute("SELECT count(*) FROM stage_clients WHERE is_new").fetchone()
    if wanted is not None and added != int(wanted[0]):
        seq, code = conn.execute("SELECT s.seq, s.code FROM stage_clients s WHERE s.is_new AND NOT EXISTS "
                                 "(SELECT 1 FROM clients c WHERE c.code = s.code) ORDER BY s.seq LIMIT 1").fetchone() \
            or (0, "")
        from cockpit.store.client_lookup import theirs_client

        raise theirs_client(rows.path, rows.line_of(int(seq)), rows.columns.get("code"), str(code))


def _update_known(conn: "psycopg.Connection[Any]", rows: ClientColumns) -> None:
    """Known clients: the name, and the other columns the file has (a blank
    potential or owner cell leaves the client's), one version more."""
    sets = ["name = s.name", *(f"{c} = s.{c}" for c, f in _OPTIONAL if f in rows.text)]
    if "potential" in rows.money:
        sets.append("potential = coalesce(s.potential, c.potential)")
    sets += ["owner = coalesce(s.owner, c.owner)", "version = c.version + 1"]
    # A client named by two rows (its code on one, its name on the other): the later row's values, as row by row.
    conn.execute(f"UPDATE clients c SET {', '.join(sets)} FROM (SELECT DISTINCT ON (code) * FROM stage_clients "
                 "WHERE NOT is_new ORDER BY code, seq DESC) s WHERE c.code = s.code")


# --- sales lines ---------------------------------------------------------------------

_STAGE_SALES = ("CREATE TEMP TABLE stage_sales(seq BIGINT, client_id BIGINT, date TEXT, product TEXT, revenue BIGINT, "
                "margin BIGINT) ON COMMIT DROP")


Counts = list[tuple[str, int, int, int, int]]  # per year: old lines, old clients, new lines, new clients


def import_sales_stream(ws: "Workspace", reader: "StreamReader", confirm: Callable[[Callable[[], Counts]], None],
                        progress: Callable[[int, int, int], None], check: Callable[[], None]) -> int:
    """bulk_load.import_sales on PostgreSQL: each chunk resolved to client ids
    (`client_keys.known_lines`) and COPied into the staging table as it is
    read; then the years it covers replaced. ``confirm`` and ``check`` raise
    to stop it (the rep said no, Escape): rolled back."""
    from cockpit.io.client_keys import client_index, known_lines
    from cockpit.store.client_lookup import unknown_client

    with ws.import_unit("sales") as db:
        conn = ws.pg  # type: ignore[attr-defined]
        index = client_index(db)
        conn.execute(_STAGE_SALES)
        count = 0
        for batch, cid in known_lines(reader, index, progress, check,
                                      lambda path, line, value: unknown_client(path, line, value, ws.own_rows_only)):
            margin = batch.values.get("margin")
            no_margin = batch.blanks.get("margin") if margin is not None else None
            copy_in(conn, "stage_sales", {
                "seq": np.arange(count, count + batch.size, dtype=np.int64), "client_id": cid,
                "date": pa.array(batch.values["date"]).cast(pa.string()), "product": batch.values["product"],
                "revenue": batch.values["revenue"],
                "margin": pa.nulls(batch.size, pa.int64()) if margin is None else pa.array(margin, mask=no_margin)})
            count += batch.size
        confirm(lambda: _replaced(conn))
        check()
        check_period_totals(db, reader.path, _replace_years(conn, reader.path))
    return count


def import_sales_records(ws: "Workspace", records: "Records") -> int:
    """loading.import_sales on PostgreSQL (a workbook, --skip-bad, an odd CSV: the reference reader's rows)."""
    from cockpit.store.client_lookup import sales_clients

    with ws.import_unit("sales") as db:
        conn = ws.pg  # type: ignore[attr-defined]
        find = sales_clients(ws, db)
        ids = [find(records, row, line) for row, line in zip(records.rows, records.lines)]
        conn.execute(_STAGE_SALES)
        copy_in(conn, "stage_sales", {
            "seq": np.arange(len(ids), dtype=np.int64), "client_id": pa.array(ids, pa.int64()),
            "date": pa.array([d.isoformat() for d in records.column("date")], pa.string()),  # type: ignore[attr-defined]
            "product": pa.array(records.column("product"), pa.string()),
            "revenue": pa.array(records.column("revenue"), pa.int64()),
            "margin": pa.array(records.column("margin"), pa.int64())})
        check_period_totals(db, records.path, _replace_years(conn, records.path))
    return len(ids)


def _replaced(conn: "psycopg.Connection[Any]") -> Counts:
    """Per year the file covers: the lines and clients there are (the importer's
    to see), and the file's (``loading.Replaced``'s fields)."""
    new = {str(y): (int(n), int(c)) for y, n, c in conn.execute(
        "SELECT substr(date, 1, 4), count(*), count(DISTINCT client_id) FROM stage_sales GROUP BY 1")}
    old = {str(y): (int(n), int(c)) for y, n, c in conn.execute(
        "SELECT substr(date, 1, 4), count(*), count(DISTINCT client_id) FROM sales "
        "WHERE substr(date, 1, 4) = ANY(%s) GROUP BY 1", (sorted(new),))}
    return [(y, *old.get(y, (0, 0)), *new[y]) for y in sorted(new)]


def _replace_years(conn: "psycopg.Connection[Any]", path: str) -> list[str]:
    """The staged lines replace those of their years, and those years' amounts
    are rebuilt from them (``loading.rebuild_amounts``): a changed amount gets a
    new version, an unchanged one keeps its own, a client without lines left
    loses the year's amount. The years replaced."""
    conn.execute("ANALYZE stage_sales")  # autovacuum never sees a temp table: without this the planner guesses its size
    years = sorted(str(r[0]) for r in conn.execute("SELECT DISTINCT substr(date, 1, 4) FROM stage_sales"))
    conn.execute("DELETE FROM sales WHERE substr(date, 1, 4) = ANY(%s)", (years,))
    conn.execute("INSERT INTO sales(client_id, date, product, revenue, margin) "
                 "SELECT client_id, date, product, revenue, margin FROM stage_sales ORDER BY seq")
    conn.execute("CREATE TEMP TABLE new_amounts ON COMMIT DROP AS SELECT client_id, substr(date, 1, 4) AS period, "
                 "sum(revenue) AS revenue, sum(margin) AS margin, "
                 "sum(abs(revenue)) + coalesce(sum(abs(margin)), 0) AS far FROM stage_sales GROUP BY 1, 2")
    # numeric sums: a client's year past what a cell holds is the file's typo, said as YearSums says it
    over = conn.execute("SELECT period FROM new_amounts WHERE far >= %s ORDER BY period LIMIT 1", (MAX_CENTS,)).fetchone()
    if over:
        raise past_cell_limit(path, str(over[0]))
    conn.execute("ANALYZE new_amounts")
    conn.execute("DELETE FROM amounts a WHERE a.period = ANY(%s) AND NOT EXISTS (SELECT 1 FROM new_amounts n "
                 "WHERE n.client_id = a.client_id AND n.period = a.period)", (years,))
    conn.execute("INSERT INTO amounts(client_id, period, revenue, margin) SELECT client_id, period, revenue, margin "
                 "FROM new_amounts ON CONFLICT (client_id, period) DO UPDATE SET revenue = excluded.revenue, "
                 "margin = excluded.margin, version = amounts.version + 1 "
                 "WHERE amounts.revenue IS DISTINCT FROM excluded.revenue "
                 "OR amounts.margin IS DISTINCT FROM excluded.margin")
    return years


