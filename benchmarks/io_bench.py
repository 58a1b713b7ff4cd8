"""Data in and out (issue 16): the cockpit's imports, ``abc`` and exports next
to sqlite3's ``.import``, polars and DuckDB, on the same generated files, in
the same run. Each job is a child process: wall time and its own peak RSS
(``wait4``'s ru_maxrss). Not a test: nothing here is timed by pytest.

``python -m benchmarks.io_bench [--clients 1000000] [--lines 2000000 10000000] [--write]``

Beside the peers, "sqlite3 into the cockpit's tables" is SQLite alone writing
what the clients import leaves (`_tables_sql`): the floor under any importer
of this schema.

``--write`` replaces the "Data in and out" section of benchmarks/RESULTS.md.
polars is a dependency (`cockpit abc` uses it); the other peers are not:
``apt-get install -y sqlite3`` and ``pip install duckdb==2.0.1`` (the version measured) first.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.generate import generate, quoted_clients
from benchmarks.run import PY, ROOT, cockpit_argv, isolated_env, timed, upgrade

Row = tuple[str, str, str, float, float, str, float]  # job, tool, size, seconds, MB, note, load average at its start
MARK = "## Data in and out (issue 16)"


def _run(rows: list[Row], job: str, tool: str, size: str, argv: list[str], env: dict[str, str],
         stdout: Path | None = None, expect: int = 0) -> None:
    load = os.getloadavg()[0]  # the machine is shared: what else ran is said next to each figure
    seconds, mb, code, err = timed(argv, stdout=stdout, env=env, cwd=ROOT)
    note = "" if code == expect else f"exit {code}: {err.strip().splitlines()[-1] if err.strip() else ''}"
    rows.append((job, tool, size, seconds, mb, note, load))
    print(f"{job:28} {tool:10} {size:>6} {seconds:7.2f} s {mb:7.0f} MB load {load:4.2f} {note}", file=sys.stderr,
          flush=True)


def _peer(job: str, *args: object) -> list[str]:
    return [PY, "-m", "benchmarks.io_peers", job, *map(str, args)]


def _transcode(src: Path, dst: Path, encoding: str) -> None:
    """``src`` (UTF-8) written in ``encoding``, a block at a time."""
    with src.open(encoding="utf-8", newline="") as fin, dst.open("w", encoding=encoding, newline="") as fout:
        while block := fin.read(1 << 22):
            fout.write(block)


def _fresh(path: Path) -> Path:
    from cockpit.store.workspace import Workspace

    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        p.unlink(missing_ok=True)
    Workspace(path).close()
    return path


JOBS = ("clients", "abc", "export", "xlsx", "sales")


def bench(clients: int, sizes: list[int], work: Path, jobs: tuple[str, ...] = JOBS) -> list[Row]:
    env = isolated_env(work)
    cockpit = cockpit_argv()
    rows: list[Row] = []
    big = generate(clients, 3 * clients, quiet=False)
    upgrade(big.workspace)
    n = f"{clients // 1_000_000} M" if clients >= 1_000_000 else f"{clients // 1000} k"
    src = big.clients_csv

    if "clients" in jobs:
        _clients(rows, n, src, work, env, cockpit)
    if "abc" in jobs:
        _abc(rows, n, src, "", work, env, cockpit)
        _abc(rows, n, quoted_clients(big), ", quoted file", work, env, cockpit)
    if "export" in jobs or "xlsx" in jobs:
        _exports(rows, n, big.workspace, work, env, cockpit, jobs)
    if "sales" in jobs:
        _sales(rows, sizes, work, env, cockpit)
    return rows


def _clients(rows: list[Row], n: str, src: Path, work: Path, env: dict[str, str], cockpit: list[str]) -> None:
    _run(rows, "import clients", "sqlite3", n, ["sqlite3", str(work / "s.db"), ".mode csv", f".import {src} clients"], env)
    _run(rows, "import clients", "duckdb", n, _peer("duckdb_import", src, work / "d.duckdb"), env)
    _run(rows, "import clients", "polars", n, _peer("polars_import", src, work / "p.db", "potential", "revenue"), env)
    floor = _fresh(work / "floor.sqlite")
    script = work / "floor.sql"
    script.write_text(_tables_sql(floor, src), encoding="utf-8")
    _run(rows, "import clients", "sqlite3 into the cockpit's tables", n, ["sqlite3", str(floor), f".read {script}"], env)
    floor.unlink()
    ws = _fresh(work / "clients.sqlite")
    _run(rows, "import clients", "cockpit", n, [*cockpit, "--db", str(ws), "import", "clients", str(src)], env)


def _tables_sql(workspace: Path, src: Path) -> str:
    """What SQLite alone takes to put a clients file's rows into a fresh
    workspace's own tables, as the cockpit's import leaves them (a client row
    each, its amount of the year, every index), in one transaction with the
    workspace's settings (WAL, synchronous=FULL, the import's page cache):
    `.import` into a temporary table, then set-based SQL; the indexes dropped
    and built again at the end, as the cockpit does. No French rule, no check:
    the floor under any importer of this schema."""
    import sqlite3

    from cockpit.io.bulk_load import CLIENTS_CACHE_KB

    db = sqlite3.connect(workspace)
    indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                         "AND tbl_name IN ('clients', 'amounts')").fetchall()
    db.close()
    cents = "CAST(round(CAST({} AS REAL) * 100) AS INTEGER)"
    return "\n".join([
        "PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", f"PRAGMA cache_size=-{CLIENTS_CACHE_KB};",
        "BEGIN IMMEDIATE;",
        f".import --csv --schema temp {src} raw",
        *(f'DROP INDEX "{name}";' for name, _ in indexes),
        "INSERT INTO clients(id, code, name, grp, sector, potential) SELECT rowid, code, name, \"group\", sector, "
        f"CASE WHEN potential = '' THEN NULL ELSE {cents.format('potential')} END FROM temp.raw;",
        f"INSERT INTO amounts(client_id, period, revenue) SELECT rowid, '2026', {cents.format('revenue')} "
        "FROM temp.raw WHERE revenue <> '';",
        *(f"{sql};" for _, sql in indexes),
        "COMMIT;", ""])


def _abc(rows: list[Row], n: str, src: Path, kind: str, work: Path, env: dict[str, str], cockpit: list[str]) -> None:
    """The ranking of ``src``: ``kind`` "" for the plain clients file, ", quoted file" for
    the same clients with every field quoted (`quoted_clients`), as many ERP exports write them."""
    job = f"abc → CSV{kind}"
    _run(rows, job, "polars", n, _peer("polars_abc", src, work / "p_abc.csv"), env)
    _run(rows, job, "pandas", n, [PY, "benchmarks/pandas_abc.py", str(src), str(work / "pd_abc.csv")], env)
    _run(rows, job, "cockpit", n, [*cockpit, "abc", str(src), "--format", "csv"], env, stdout=work / "c_abc.csv")


def _exports(rows: list[Row], n: str, workspace: Path, work: Path, env: dict[str, str], cockpit: list[str],
             jobs: tuple[str, ...]) -> None:
    """Exports of the workspace's latest year."""
    if "export" in jobs:
        _run(rows, "export clients CSV", "polars", n, _peer("polars_export", workspace, work / "p_exp.csv", "2026"), env)
        _run(rows, "export clients CSV", "cockpit", n,
             [*cockpit, "--db", str(workspace), "export", "clients", str(work / "c_exp.csv")], env)
    if "xlsx" in jobs:
        _run(rows, "export clients XLSX", "cockpit", n,
             [*cockpit, "--db", str(workspace), "export", "clients", str(work / "c_exp.xlsx")], env)


def _sales(rows: list[Row], sizes: list[int], work: Path, env: dict[str, str], cockpit: list[str]) -> None:
    """Sales lines, at several sizes (memory against lines)."""
    for lines in sizes:
        g = generate(min(100_000, lines // 20), lines, sales_csv=True, quiet=False)
        m = f"{lines / 1e6:g} M"
        sales = g.sales_csv
        for p in (work / "s.db", work / "p.db", work / "d.duckdb"):
            p.unlink(missing_ok=True)
        _run(rows, "import sales", "sqlite3", m, ["sqlite3", str(work / "s.db"), ".mode csv", f".import {sales} sales"], env)
        _run(rows, "import sales", "duckdb", m, _peer("duckdb_import", sales, work / "d.duckdb"), env)
        if lines <= 2_000_000:
            _run(rows, "import sales", "polars", m, _peer("polars_import", sales, work / "p.db", "revenue", "margin"), env)
        ws = work / "sales.sqlite"
        shutil.copyfile(g.workspace, ws)
        upgrade(ws)
        _run(rows, "import sales (replaces 3 years)", "cockpit", m,
             [*cockpit, "--db", str(ws), "import", "sales", str(sales), "--yes"], env)
        if lines == sizes[0]:  # the same lines in Windows-1252 and UTF-16: streamed, memory as in UTF-8
            for encoding in ("cp1252", "utf-16"):
                other = work / f"sales-{encoding}.csv"
                _transcode(sales, other, encoding)
                shutil.copyfile(g.workspace, ws)
                upgrade(ws)
                _run(rows, f"import sales, {encoding} file", "cockpit", m,
                     [*cockpit, "--db", str(ws), "import", "sales", str(other), "--yes"], env)
                other.unlink()
        bad = work / "bad.csv"
        shutil.copyfile(sales, bad)
        with bad.open("a", encoding="utf-8") as fh:
            fh.write("C0000001,03/04/2026,Sanitaire,douze,1.00\n")  # not an amount, on the last line
        shutil.copyfile(g.workspace, ws)
        upgrade(ws)
        _run(rows, "import sales, bad last line", "cockpit", m,
             [*cockpit, "--db", str(ws), "import", "sales", str(bad), "--yes"], env, expect=2)
        for p in (ws, bad, work / "s.db", work / "p.db", work / "d.duckdb"):
            p.unlink(missing_ok=True)


def markdown(rows: list[Row], clients: int, sizes: list[int]) -> str:
    out = [MARK, "",
           f"`python -m benchmarks.io_bench --clients {clients} --lines {' '.join(map(str, sizes))}`: one run per job,"
           " each a child process (wall time, its peak RSS), on the 2-core development machine shared with other"
           " work (times vary by ±20 %). Sales files: 100 k clients, lines over three years (about 44 bytes a line);"
           " the cockpit's sales import replaces the three years already in the workspace.", "",
           "| job | tool | size | seconds | peak RSS MB | load (1 min) at start | note |",
           "|---|---|---:|---:|---:|---:|---|"]
    out += [f"| {j} | {t} | {s} | {sec:.2f} | {mb:.0f} | {load:.2f} | {note} |" for j, t, s, sec, mb, note, load in rows]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.io_bench", description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=1_000_000)
    p.add_argument("--lines", type=int, nargs="+", default=[2_000_000, 10_000_000])
    p.add_argument("--write", action="store_true", help="write the table into benchmarks/RESULTS.md (all jobs)")
    p.add_argument("--jobs", nargs="+", choices=JOBS, default=list(JOBS), help="run only these (a re-run at a lower load)")
    args = p.parse_args(argv)
    if args.write and set(args.jobs) != set(JOBS):
        p.error("--write needs every job")
    if shutil.which("sqlite3") is None:
        print("sqlite3 is needed: apt-get install -y sqlite3", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="io_bench"))
    try:
        rows = bench(args.clients, args.lines, work, tuple(args.jobs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = markdown(rows, args.clients, args.lines)
    print(text)
    if args.write:
        results = ROOT / "benchmarks" / "RESULTS.md"
        old = results.read_text(encoding="utf-8")
        head, _, rest = old.partition(MARK)
        tail = rest[rest.find("\n## "):] if "\n## " in rest else ""
        results.write_text(head.rstrip("\n") + "\n\n" + text + tail if MARK in old else old.rstrip("\n") + "\n\n" + text,
                           encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
