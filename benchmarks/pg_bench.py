"""PostgreSQL beside SQLite, in the same run, on the same generated data (issue 13).

    python -m benchmarks.pg_bench [--clients 1000000 --lines 10000000 --repeat 5]

Starts a throwaway cluster (tests/pg_cluster.py: initdb in a temporary
directory, unix socket only, as the ``postgres`` account under root), moves
the generated SQLite workspace into it with ``cockpit import workspace``'s
code, then measures:

- moving up: ``move_up`` (COPY of every table, checks of counts and totals), once;
- open one period's portfolio to a PortfolioData: SQLite ``Workspace(path).load_portfolio``
  beside PostgreSQL ``connect`` + ``cockpit.store.pg.read.load_portfolio`` (median of the runs);
- a rep's portfolio (about 50 k clients owned by one login role) inside the whole
  workspace, loaded as that role (row-level security does the filtering);
- 20 simulated reps (processes, benchmarks/pg_team.py) editing their own clients and, for the
  managers among them, clients the reps edit too: commits per second, commit latency p50/p99,
  conflicts retried, lost updates (must be 0);
- notification latency: the time from a commit call on one connection to the
  ChangeListener on another hearing it, over many single-row commits (p50, p99).

Writes ``benchmarks/PG_RESULTS.md`` (``benchmarks/run.py`` owns RESULTS.md and rewrites it whole).
The test cluster runs with fsync=off: read and notify figures, not durable-commit ones.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))

from benchmarks import pg_section  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from pg_cluster import SERVER_ACCOUNT, Cluster, _missing  # noqa: E402

RESULTS = HERE / "PG_RESULTS.md"
ALL_RESULTS = HERE / "RESULTS.md"  # the page: the same table under its own heading (benchmarks/pg_section.py)
HOW = """## How the reads go

- **Open** (`cockpit/store/pg/read.py`): five reads on three connections sharing one snapshot
  (`pg_export_snapshot`); each packs its columns on the server into one row (`string_agg(int8send(x))`,
  texts joined by a separator) that `COPY … TO STDOUT (FORMAT binary)` hands over whole and numpy reads in
  place: no Python object per client. The clients come from one plain scan (sorted by id on this side only
  if the table gives them otherwise); versions are read only for the rows edited (the others are 1).
- **A rep's portfolio**: row-level security is one policy per group role (`cockpit_rep`: `owner =
  current_user`; `cockpit_manager`: every row), so a rep's query carries an index condition and no
  manager test OR-ed per row; each amount carries its client's owner (kept by triggers, schema 3), so a
  rep's amounts are one range of the index (owner, period, client_id) instead of a probe of clients per row.
"""
# A server sized for the data (the tests' cluster has 64 MB of shared buffers); fsync off: a disposable cluster.
SETTINGS = "-c shared_buffers=1GB -c work_mem=64MB"


def say(*msg: object) -> None:
    print(*msg, file=sys.stderr, flush=True)


def timed(fn, repeat: int) -> tuple[float, list[float], object]:
    runs, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs), runs, out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def start_cluster() -> Cluster:
    import pwd

    root = Path(tempfile.mkdtemp(prefix="cockpit-pgbench-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam(SERVER_ACCOUNT)
        os.chown(root, account.pw_uid, account.pw_gid)
    os.chmod(root, 0o755)
    cluster = Cluster(root)
    cluster.start(SETTINGS)
    return cluster


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.pg_bench")
    p.add_argument("--clients", type=int, default=100_000)
    p.add_argument("--lines", type=int, default=1_000_000)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--commits", type=int, default=300, help="commits for the notification latency")
    p.add_argument("--rep-share", type=int, default=25, help="one client in N is owned by the measured rep")
    p.add_argument("--reps", type=int, default=20, help="simulated reps (processes) editing at once")
    p.add_argument("--seconds", type=float, default=30.0, help="how long they edit")
    args = p.parse_args(argv)
    why = _missing()
    if why:
        say(f"pg_bench: {why}")
        return 2
    import numpy as np
    import psycopg
    from psycopg.conninfo import make_conninfo

    from cockpit.store.pg import read
    from cockpit.store.pg.listen import ChangeListener
    from cockpit.store.pg.move import move_up
    from cockpit.store.pg.schema import migrate
    from cockpit.store.workspace import Workspace

    t_start = time.perf_counter()
    data = generate(args.clients, args.lines, quiet=False)
    source = data.workspace
    say(f"pg_bench: data {data.folder}")
    Workspace(source).close()  # a data set cached by an older cockpit gets this one's migrations first
    cluster = start_cluster()
    rows: list[tuple[str, str, str, str]] = []
    try:
        with psycopg.connect(cluster.conninfo(), autocommit=True) as admin:
            admin.execute("CREATE DATABASE bench")
        url = cluster.conninfo("bench")
        with psycopg.connect(url) as db:
            migrate(db)
            t0 = time.perf_counter()
            lines = move_up(db, source, url)
            move_s = time.perf_counter() - t0
        say("\n".join(lines))
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("VACUUM ANALYZE")
        rows.append(("move the SQLite workspace up (`import workspace`: COPY of every table, counts and totals checked)",
                     f"{move_s:.1f} s", "—", "once"))

        ws = Workspace(source)
        period = ws.periods()[-1]
        ws.close()

        def sqlite_open():
            w = Workspace(source)
            try:
                return w.load_portfolio(period)
            finally:
                w.close()

        def pg_open(conninfo: str = url):
            with psycopg.connect(conninfo) as db:
                return read.load_portfolio(db, period)

        sqlite_open(), pg_open()  # warm both caches: the figure is the steady state
        load_before = os.getloadavg()[0]
        s_med, s_runs, s_data = timed(sqlite_open, args.repeat)
        p_med, p_runs, p_data = timed(pg_open, args.repeat)
        load_open = f"load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
        same = bool(np.array_equal(s_data.client_id, p_data.client_id) and np.array_equal(s_data.amount, p_data.amount)
                    and np.array_equal(s_data.name_key, p_data.name_key) and list(s_data.name) == list(p_data.name))
        n = len(p_data.client_id)
        rows.append((f"open period {period} to a PortfolioData ({n:,} clients with amounts)",
                     f"{p_med:.2f} s (runs: {', '.join(f'{r:.2f}' for r in p_runs)})",
                     f"{s_med:.2f} s (runs: {', '.join(f'{r:.2f}' for r in s_runs)})",
                     f"target ≤ 2.5 s; identical arrays: {'yes' if same else 'NO'}; {load_open}"))

        with psycopg.connect(url, autocommit=True) as db:
            db.execute("INSERT INTO reps(login, name) VALUES ('benchrep', 'Bench Rep') ON CONFLICT DO NOTHING")
            if not db.execute("SELECT 1 FROM pg_roles WHERE rolname = 'benchrep'").fetchone():
                db.execute("CREATE ROLE benchrep LOGIN")
            db.execute("GRANT cockpit_rep TO benchrep")
            db.execute("UPDATE clients SET owner = 'benchrep' WHERE id %% %s = 0", (args.rep_share,))
            db.execute("VACUUM ANALYZE clients")
            db.execute("VACUUM ANALYZE amounts")  # their owner moved with the clients (trigger): as autovacuum would
            owned = db.execute("SELECT count(*) FROM clients WHERE owner = 'benchrep'").fetchone()[0]
        rep_url = make_conninfo(url, user="benchrep")

        def rep_open(owner: str | None):
            with psycopg.connect(rep_url) as db:
                return read.load_portfolio(db, period, owner=owner)

        rep_open("benchrep"), rep_open(None)
        load_before = os.getloadavg()[0]
        r_med, r_runs, r_data = timed(lambda: rep_open("benchrep"), args.repeat)
        a_med, a_runs, _ = timed(lambda: rep_open(None), args.repeat)
        load_rep = f"load average (1 min) {load_before:.1f} before, {os.getloadavg()[0]:.1f} after"
        w = Workspace(source)
        sqlite_rep = timed(lambda: w.load_portfolio(period, owner="benchrep"), args.repeat)[0] if w.db.execute(
            "SELECT 1 FROM clients WHERE owner = 'benchrep' LIMIT 1").fetchone() else float("nan")
        w.close()
        rows.append((f"a rep's portfolio inside the whole workspace ({owned:,} clients owned; "
                     f"{len(r_data.client_id):,} with amounts in {period}), connected as that role, owner named "
                     "(what PgWorkspace does for a rep)",
                     f"{r_med:.2f} s (runs: {', '.join(f'{r:.2f}' for r in r_runs)})",
                     "—" if sqlite_rep != sqlite_rep else f"{sqlite_rep:.2f} s",
                     f"target ≤ 0.5 s; row-level security alone (no owner named): {a_med:.2f} s "
                     f"(runs: {', '.join(f'{r:.2f}' for r in a_runs)}); {load_rep}"))

        from benchmarks import pg_team

        team = pg_team.run(url, lambda login: make_conninfo(url, user=login), period, args.reps, args.seconds)
        rows.append((f"{team['processes']} simulated reps editing for {args.seconds:.0f} s (processes, each its own role; "
                     f"{team['managers']} managers on clients the reps edit too; read, then edit with the version seen)",
                     f"{team['per_second']:.0f} commits/s; commit p50 {team['p50'] * 1000:.1f} ms, "
                     f"p99 {team['p99'] * 1000:.1f} ms; lost updates: {team['lost']}",
                     "—", f"{team['commits']} commits, {team['conflicts']} conflicts retried; lost updates must be 0"))
        heard = sorted(team["notify"])
        rows.append(("notification latency while they edit: a commit every 0.1 s → a ChangeListener hears it "
                     f"({len(heard)} commits)",
                     f"p50 {pct(heard, 0.5) * 1000:.1f} ms, p99 {pct(heard, 0.99) * 1000:.1f} ms, max {max(heard) * 1000:.1f} ms"
                     if heard else "none heard", "—", "target p99 ≤ 500 ms"))

        latencies: list[float] = []
        heard = threading.Event()
        with ChangeListener(url, on_change=lambda _t: heard.set()) as _changes, psycopg.connect(url) as writer:
            for i in range(args.commits):
                heard.clear()
                writer.execute("UPDATE clients SET version = version + 1 WHERE id = %s", (1 + i % 1000,))
                t0 = time.perf_counter()
                writer.commit()
                if heard.wait(5.0):
                    latencies.append(time.perf_counter() - t0)
                time.sleep(0.005)
        lost = args.commits - len(latencies)
        rows.append((f"notification latency, commit call → ChangeListener callback ({args.commits} commits)",
                     f"p50 {pct(latencies, 0.5) * 1000:.2f} ms, p99 {pct(latencies, 0.99) * 1000:.2f} ms, "
                     f"max {max(latencies) * 1000:.2f} ms", "SQLite: polling (PRAGMA data_version)",
                     f"target p99 ≤ 500 ms; not heard within 5 s: {lost}"))
    finally:
        cluster.stop()

    table = "\n".join(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows)
    server = f"PostgreSQL 15 (Debian), throwaway cluster, unix socket, fsync=off, {SETTINGS}"
    body = (
        f"Written by `python -m benchmarks.pg_bench --clients {args.clients} --lines {args.lines} --repeat {args.repeat}` "
        f"on {dt.datetime.now():%Y-%m-%d %H:%M} in {time.perf_counter() - t_start:.0f} s. Machine: nproc {os.cpu_count()}, "
        f"load average at the end {' / '.join(f'{x:.1f}' for x in os.getloadavg())} (1/5/15 min; others' work shares the cores), "
        f"python {platform.python_version()}; {server}. Data: `benchmarks/generate.py`, "
        f"{data.meta['clients_in_table']:,} clients in the workspace, {args.lines:,} sales lines.\n"
        "Figures are the median of the runs, after one warm-up run of each (steady state, not a cold start).\n\n"
        "| figure | PostgreSQL | SQLite (same run) | notes |\n|---|---|---|---|\n" + table + "\n")
    RESULTS.write_text("# PostgreSQL beside SQLite (issue 13)\n\n" + body + "\n" + HOW)
    pg_section.put(ALL_RESULTS, body)
    print(RESULTS.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
