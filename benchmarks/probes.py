"""The measurements that need a fresh process, one subcommand each; each
prints one JSON object on its last line (``benchmarks.run`` collects them).

    python -m benchmarks.probes load   --db WS            # load_strategy; pandas.read_sql baseline
    python -m benchmarks.probes edits  --db WS            # RankedPortfolio / PortfolioModel edits; pandas full recompute
    python -m benchmarks.probes app    --db WS            # Pilot: open, edits, cursor moves, peak RSS
    python -m benchmarks.probes datatable --rows 10000    # Textual's DataTable baseline

``--profile FILE`` writes cProfile stats of the measured part (``pstats``).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np

# Imports measured as part of nothing: done before any clock starts.
from cockpit import config as config_mod
from cockpit import i18n


def _rss_mb() -> float:
    """Peak RSS of this process. VmHWM belongs to this process's memory;
    ru_maxrss would carry the parent's peak over fork + exec."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def _cfg() -> dict:
    cfg, _ = config_mod.load(Path("/nonexistent/sales-cockpit-bench/config.toml"))
    return cfg


@contextlib.contextmanager
def _profiled(path: str | None):
    if not path:
        yield
        return
    import cProfile

    prof = cProfile.Profile()
    prof.enable()
    try:
        yield
    finally:
        prof.disable()
        prof.dump_stats(path)


def _new_amounts(rng: np.random.Generator, k: int) -> np.ndarray:
    """New revenues drawn like the generator's (Pareto, cents)."""
    from .generate import CAP, PARETO_SHAPE, SCALE_CENTS

    return (np.minimum(rng.pareto(PARETO_SHAPE, k) + 1.0, CAP) * SCALE_CENTS).astype(np.int64)


# ---- load ------------------------------------------------------------------
PORTFOLIO_SQL = (
    "SELECT c.id, c.code, c.name, c.grp, c.sector, coalesce(c.potential, -1) AS potential, "
    "coalesce(a.revenue, 0) AS amount, a.version, c.version AS client_version "
    "FROM amounts a JOIN clients c ON c.id = a.client_id WHERE a.period = ? ORDER BY c.id"
)


def probe_load(args: argparse.Namespace) -> dict:
    from cockpit.portfolio.strategy import load_strategy
    from cockpit.store.workspace import Workspace

    cfg = _cfg()
    if args.baseline:
        import sqlite3

        import pandas as pd

        db = sqlite3.connect(args.db)
        period = db.execute("SELECT max(period) FROM amounts").fetchone()[0]
        t0 = time.perf_counter()
        df = pd.read_sql(PORTFOLIO_SQL, db, params=(period,))
        return {"read_sql_s": time.perf_counter() - t0, "rows": len(df), "rss_mb": _rss_mb()}
    t0 = time.perf_counter()
    with _profiled(args.profile):
        ws = Workspace(args.db, who="bench")
        model, strategy, periods = load_strategy(ws, cfg, parts=())  # what the screen loads before the first frame
    elapsed = time.perf_counter() - t0
    return {"load_strategy_s": elapsed, "clients": len(model.ranked), "periods": periods, "rss_mb": _rss_mb()}


# ---- edits in the core ------------------------------------------------------
def pandas_full(amounts: np.ndarray, keys: np.ndarray, a: float = 0.8, b: float = 0.95):
    """The full recompute an edit would cost without the incremental core:
    rank (sort), cumulative shares, classes (searchsorted on the limits)."""
    import pandas as pd

    df = pd.DataFrame({"amount": amounts, "key": keys})
    df = df.sort_values(["amount", "key"], ascending=[False, True], kind="stable")
    positive = df["amount"].clip(lower=0).to_numpy()
    cum = np.cumsum(positive)
    total = int(cum[-1]) if len(cum) else 0
    cum_share = cum / total
    before = cum - positive
    a_count, b_count = np.searchsorted(before, [a * total, b * total], side="left")
    classes = np.full(len(df), 2, dtype=np.int8)
    classes[:b_count] = 1
    classes[:a_count] = 0
    return df.index.to_numpy(), cum_share, classes


def numpy_full(amounts: np.ndarray, keys: np.ndarray, a: float = 0.8, b: float = 0.95):
    order = np.lexsort((keys, -amounts))
    positive = np.maximum(amounts[order], 0)
    cum = np.cumsum(positive)
    total = int(cum[-1])
    before = cum - positive
    a_count, b_count = np.searchsorted(before, [a * total, b * total], side="left")
    return order, cum / total, (a_count, b_count)


def probe_edits(args: argparse.Namespace) -> dict:
    from cockpit.portfolio.abc import abc_classes
    from cockpit.portfolio.strategy import load_strategy
    from cockpit.store.workspace import Workspace

    import pandas  # noqa: F401  (imported before the clocks)

    ws = Workspace(args.db, who="bench")
    model, _, _ = load_strategy(ws, _cfg())
    n = len(model.ranked)
    rng = np.random.default_rng(args.seed)
    out: dict = {"clients": n, "edits": args.edits}
    r = model.accounts
    clients = rng.integers(0, n, args.edits)
    values = _new_amounts(rng, args.edits)
    distance = []
    samples = []
    with _profiled(args.profile):
        for c, v in zip(clients.tolist(), values.tolist()):
            t0 = time.perf_counter()
            move = r.set_amount(c, v)
            samples.append(time.perf_counter() - t0)
            distance.append(abs(move.new_rank - move.old_rank))
            model.data.amount[c] = v  # keep the model's data in step (untimed)
    out["ranked_set_amount_s"] = statistics.median(samples)
    out["ranked_set_amount_p90_s"] = float(np.percentile(samples, 90))
    out["median_distance_moved"] = int(statistics.median(distance))
    # The same edits through the model (both rankings) + the summary.
    clients = rng.integers(0, n, args.edits)
    values = _new_amounts(rng, args.edits)
    samples, summary_only = [], []
    for c, v in zip(clients.tolist(), values.tolist()):
        t0 = time.perf_counter()
        model.set_amount(c, v)
        t1 = time.perf_counter()
        model.summary()
        t2 = time.perf_counter()
        samples.append(t2 - t0)
        summary_only.append(t2 - t1)
    out["model_edit_summary_s"] = statistics.median(samples)
    out["model_edit_summary_p90_s"] = float(np.percentile(samples, 90))
    out["summary_only_s"] = statistics.median(summary_only)
    # Correctness after all these edits: the incremental ranking is the full one.
    full = abc_classes(model.data.amount, model.accounts.keys, model.limits)
    out["identical_to_full"] = bool(np.array_equal(full.order, model.accounts.order)
                                    and np.array_equal(full.cum, model.accounts.cum)
                                    and (full.a_count, full.b_count) == model.accounts.counts())
    # Baselines: the full recompute, same data, same run.
    amounts, keys = model.data.amount.copy(), model.accounts.keys
    pd_samples, np_samples = [], []
    for _ in range(args.full_repeat):
        t0 = time.perf_counter()
        pandas_full(amounts, keys)
        pd_samples.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        numpy_full(amounts, keys)
        np_samples.append(time.perf_counter() - t0)
    out["pandas_full_s"] = statistics.median(pd_samples)
    out["numpy_full_s"] = statistics.median(np_samples)
    return out


# ---- the app under Pilot ----------------------------------------------------
class _DisplayLog:
    """Times of the screen updates, each with whether ``until()`` held then."""

    def __init__(self, app) -> None:
        self.events: list[tuple[float, bool]] = []
        self.until = lambda: True
        original = app._display

        def display(screen, renderable):  # type: ignore[no-untyped-def]
            original(screen, renderable)
            if renderable is not None:
                self.events.append((time.perf_counter(), bool(self.until())))

        app._display = display

    async def latency(self, t0: float, pilot, timeout: float = 60.0) -> float:
        """Seconds from t0 to the first screen update where ``until()`` held."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            hit = [t for t, ok in self.events if t >= t0 and ok]
            if hit:
                return hit[0] - t0
            await pilot.pause()
        return float("nan")


async def _settle(pilot) -> None:
    """Let the screen finish painting what came before (a jump, the typed
    digits), so the next key's time is that key's alone."""
    await pilot.pause()
    await asyncio.sleep(0.05)
    await pilot.pause()


def _euros_text(cents: int) -> str:
    return str(cents // 100)


async def _app_probe(args: argparse.Namespace) -> dict:
    from screens.app import CockpitApp
    from cockpit.store.workspace import Workspace

    i18n.set_lang("fr")
    cfg = _cfg()
    out: dict = {"rss_before_mb": _rss_mb()}
    rng = np.random.default_rng(args.seed)
    t_start = time.perf_counter()
    app = CockpitApp(Workspace(args.db, who="bench"), cfg, Path("/nonexistent/sales-cockpit-bench/config.toml"))
    log = _DisplayLog(app)
    progress_bar = loading_indicator = False

    def loaded() -> bool:
        # Open: until the table shows the loaded model on screen.
        try:
            s = app.screen
            return getattr(s, "model", None) is not None and not s.query_one("#clients").loading
        except Exception:  # no screen yet
            return False

    log.until = loaded
    prof_cm = _profiled(args.profile if args.profile_phase == "open" else None)
    prof_cm.__enter__()
    async with app.run_test(size=(args.width, args.height)) as pilot:
        end = time.perf_counter() + args.timeout
        while not loaded() and time.perf_counter() < end:
            try:
                progress_bar = progress_bar or bool(app.screen.query("ProgressBar"))
                table = app.screen.query_one("#clients")
                loading_indicator = loading_indicator or bool(table.loading)
            except Exception:
                pass
            await asyncio.sleep(0.02)
        out["open_s"] = await log.latency(t_start, pilot)
        prof_cm.__exit__(None, None, None)
        out["progress_bar_seen"] = progress_bar
        out["loading_indicator_seen"] = loading_indicator
        await app.workers.wait_for_complete()
        await pilot.pause()
        out["rss_loaded_mb"] = _rss_mb()
        screen = app.screen
        model, table = screen.model, screen.table
        n = len(model.ranked)
        out["clients"] = n
        # Edits: cursor on a random client, "e", type the new revenue, time "enter".
        phase = _profiled(args.profile if args.profile_phase == "edits" else None)
        phase.__enter__()
        edit_s = []
        for c, v in zip(rng.integers(0, n, args.edits).tolist(), _new_amounts(rng, args.edits).tolist()):
            cents = (v // 100) * 100
            if cents == model.accounts.amount_of(c):
                continue
            table.move_to(model.ranked.rank_of_client(c))
            await pilot.pause()
            await pilot.press("e")
            await pilot.press(*_euros_text(v))
            await _settle(pilot)
            log.until = lambda c=c, cents=cents: (screen.model.accounts.amount_of(c) == cents
                                                  and table.cursor_row == screen.model.ranked.rank_of_client(c))
            t0 = time.perf_counter()
            await pilot.press("enter")
            edit_s.append(await log.latency(t0, pilot))
            await app.workers.wait_for_complete()  # the commit, before the next edit
        if edit_s:
            out["edit_s"] = statistics.median(edit_s)
            out["edit_p90_s"] = float(np.percentile(edit_s, 90))
        phase.__exit__(None, None, None)
        # Cursor moves.
        phase = _profiled(args.profile if args.profile_phase == "moves" else None)
        phase.__enter__()
        for key, name in (("down", "down_s"), ("down", "down_edge_s"), ("pagedown", "pagedown_s"), ("end", "end_s"),
                          ("home", "home_s")):
            samples = []
            for _ in range(args.moves):
                if name == "down_s":  # within the page: only the two rows change
                    table.move_to(int(rng.integers(table.page_rows, n - 1)))
                    await pilot.pause()
                    table.move_to(table.cursor_row - table.page_rows // 2)
                elif name == "down_edge_s":  # on the page's last row: the table scrolls one row
                    table.move_to(0)
                    await pilot.pause()
                    table.move_to(int(rng.integers(table.page_rows, n - 1)))  # scrolled: cursor on the last row
                elif key == "pagedown":
                    table.move_to(int(rng.integers(0, max(1, n - 2 * table.page_rows))))
                elif key == "end":
                    table.move_to(int(rng.integers(0, n // 2)))
                else:
                    table.move_to(int(rng.integers(n // 2, n)))
                await _settle(pilot)  # the jump to the start row painted, not counted in the key's time
                start = table.cursor_row
                expected = {"down": start + 1, "pagedown": min(n - 1, start + table.page_rows),
                            "end": n - 1, "home": 0}[key]
                log.until = lambda expected=expected: table.cursor_row == expected
                t0 = time.perf_counter()
                await pilot.press(key)
                samples.append(await log.latency(t0, pilot))
            if samples:
                out[name] = statistics.median(samples)
        phase.__exit__(None, None, None)
        out["rss_end_mb"] = _rss_mb()
        await app.workers.wait_for_complete()
    return out


def probe_app(args: argparse.Namespace) -> dict:
    return asyncio.run(_app_probe(args))


def probe_datatable(args: argparse.Namespace) -> dict:
    from .bare_app import datatable_probe

    out = datatable_probe(args.rows, args.moves, args.edits)
    out["rss_mb"] = _rss_mb()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.probes")
    sub = p.add_subparsers(dest="probe", required=True)
    for name in ("load", "edits", "app", "datatable"):
        s = sub.add_parser(name)
        s.add_argument("--db")
        s.add_argument("--seed", type=int, default=7)
        s.add_argument("--profile")
    sub.choices["load"].add_argument("--baseline", action="store_true", help="pandas.read_sql instead")
    sub.choices["edits"].add_argument("--edits", type=int, default=300)
    sub.choices["edits"].add_argument("--full-repeat", type=int, default=5)
    app = sub.choices["app"]
    app.add_argument("--edits", type=int, default=15)
    app.add_argument("--moves", type=int, default=15)
    app.add_argument("--width", type=int, default=120)
    app.add_argument("--height", type=int, default=40)
    app.add_argument("--timeout", type=float, default=300)
    app.add_argument("--profile-phase", choices=("open", "edits", "moves"), default="open")
    dt = sub.choices["datatable"]
    dt.add_argument("--rows", type=int, default=10_000)
    dt.add_argument("--moves", type=int, default=15)
    dt.add_argument("--edits", type=int, default=15)
    args = p.parse_args(argv)
    result = {"load": probe_load, "edits": probe_edits, "app": probe_app, "datatable": probe_datatable}[args.probe](args)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
