"""Simulated reps editing at once on PostgreSQL (issue 13): N processes, each
its own PgWorkspace under its own database role — reps on their own clients,
managers on clients the reps are editing too — for S seconds.

Every edit reads a client's revenue and its version, then writes revenue + 1
with ``expected_version`` (the cockpit's edit); a Conflict is counted and the
edit tried again on a fresh read. Lost updates: for every client, the final
revenue minus the initial one must equal the number of edits that succeeded
on it; anything else is an edit that vanished. Called by benchmarks/pg_bench.py.
"""

from __future__ import annotations

import multiprocessing as mp
import random
import statistics
import time

HOT = 20  # clients each rep edits: few enough that managers and reps meet on them


def _worker(conninfo: str, period: str, clients: list[int], seconds: float, seed: int, out: "mp.Queue[object]") -> None:
    from cockpit.store.pg.workspace import PgWorkspace
    from cockpit.store.workspace import Conflict

    ws = PgWorkspace(conninfo)
    rng = random.Random(seed)
    latencies: list[float] = []
    done: dict[int, int] = {}
    conflicts = 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        cid = rng.choice(clients)
        while True:
            current = ws.get("amounts", (cid, period), "revenue")
            if current is None:
                break
            value, version = current
            t0 = time.perf_counter()
            try:
                ws.edit("amounts", (cid, period), "revenue", int(value) + 1, expected_version=version)
            except Conflict:
                conflicts += 1
                continue
            latencies.append(time.perf_counter() - t0)
            done[cid] = done.get(cid, 0) + 1
            break
    ws.close()
    out.put((latencies, done, conflicts))


def run(admin_url: str, make_url, period: str, processes: int = 20, seconds: float = 30.0,
        managers: int = 4) -> dict[str, object]:
    """Set up the roles and owners, run the processes, check the sums."""
    import psycopg

    reps = processes - managers
    with psycopg.connect(admin_url, autocommit=True) as db:
        ids = [r[0] for r in db.execute("SELECT client_id FROM amounts WHERE period = %s ORDER BY client_id LIMIT %s",
                                         (period, reps * HOT))]
        for i in range(processes):
            login, role = (f"rep{i:02d}", "rep") if i < reps else (f"mgr{i:02d}", "manager")
            db.execute("INSERT INTO reps(login, name, role) VALUES (%s, %s, %s) ON CONFLICT DO NOTHING", (login, login, role))
            if not db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
                db.execute(f'CREATE ROLE "{login}" LOGIN')
            db.execute(f'GRANT {"cockpit_rep" if role == "rep" else "cockpit_manager"} TO "{login}"')
        own = {i: ids[i * HOT:(i + 1) * HOT] for i in range(reps)}
        for i, mine in own.items():
            db.execute("UPDATE clients SET owner = %s WHERE id = ANY(%s)", (f"rep{i:02d}", mine))
        before = dict(db.execute("SELECT client_id, revenue FROM amounts WHERE period = %s AND client_id = ANY(%s)",
                                 (period, ids)).fetchall())
    # Managers edit the first clients of every rep: where two people meet.
    shared = [c for mine in own.values() for c in mine[:3]]
    ctx = mp.get_context("spawn")
    queue: mp.Queue[object] = ctx.Queue()
    procs = []
    for i in range(processes):
        login = f"rep{i:02d}" if i < reps else f"mgr{i:02d}"
        clients = own[i] if i < reps else shared
        procs.append(ctx.Process(target=_worker, args=(make_url(login), period, clients, seconds, i, queue)))
    for p in procs:
        p.start()
    notify = _probe_notifications(admin_url, seconds)  # while they edit
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    latencies = sorted(x for lat, _, _ in results for x in lat)  # type: ignore[misc]
    done: dict[int, int] = {}
    for _, d, _ in results:  # type: ignore[misc]
        for cid, n in d.items():
            done[cid] = done.get(cid, 0) + n
    with psycopg.connect(admin_url) as db:
        after = dict(db.execute("SELECT client_id, revenue FROM amounts WHERE period = %s AND client_id = ANY(%s)",
                                (period, ids)).fetchall())
    lost = sum(done.get(c, 0) - (after[c] - before[c]) for c in ids)
    pct = lambda q: latencies[min(len(latencies) - 1, int(q * (len(latencies) - 1)))] if latencies else float("nan")  # noqa: E731
    return {"commits": len(latencies), "seconds": seconds, "per_second": len(latencies) / seconds,
            "p50": pct(0.5), "p99": pct(0.99), "median": statistics.median(latencies) if latencies else float("nan"),
            "conflicts": sum(c for _, _, c in results), "lost": lost, "processes": processes,  # type: ignore[misc]
            "managers": managers, "notify": notify}


def _probe_notifications(admin_url: str, seconds: float) -> list[float]:
    """While the reps edit: a commit on ``settings`` every 0.1 s, and the time until a
    ChangeListener hears that table among the reps' own notifications."""
    import threading

    import psycopg

    from cockpit.store.pg.listen import ChangeListener

    heard = threading.Event()
    out: list[float] = []
    with ChangeListener(admin_url, on_change=lambda table: heard.set() if table == "settings" else None), \
            psycopg.connect(admin_url) as db:
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            heard.clear()
            db.execute("INSERT INTO settings(key, value) VALUES ('bench.probe', '0') "
                       "ON CONFLICT(key) DO UPDATE SET value = (settings.value::bigint + 1)::text")
            t0 = time.perf_counter()
            db.commit()
            if heard.wait(5.0):
                out.append(time.perf_counter() - t0)
            time.sleep(0.1)
    return out
