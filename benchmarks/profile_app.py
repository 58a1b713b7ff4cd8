"""Where the Portfolio screen's time goes, for the lead fixing the unmet rows.

    python -m benchmarks.profile_app --db WS [--repeat 10] [--top 25]

Loads the workspace in a Pilot app, then for each action (an edit's enter,
a cursor move, a page down, a jump to the end) sends the key the way Pilot
does and profiles (cProfile) from the key to the first screen update that
shows its effect, spinning the event loop with ``sleep(0)`` rather than
Pilot's idle waits. Prints the wall time per action and the functions that
cost the most, and writes the stats to ``--out-dir`` for ``pstats``.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import statistics
import time
from pathlib import Path

import numpy as np


async def main_async(args: argparse.Namespace) -> None:
    from textual import events

    from cockpit import i18n
    from cockpit.store.workspace import Workspace
    from screens.app import CockpitApp

    from .probes import _cfg, _DisplayLog, _new_amounts

    i18n.set_lang("fr")
    app = CockpitApp(Workspace(args.db, who="bench"), _cfg(), Path("/nonexistent/config.toml"))
    log = _DisplayLog(app)
    rng = np.random.default_rng(1)
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    async with app.run_test(size=(args.width, args.height)) as pilot:
        while getattr(app.screen, "model", None) is None:
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        model, table = screen.model, screen.table
        n = len(model.ranked)

        async def press_until(prof: cProfile.Profile, key: str, until) -> float:
            """Send one key as Pilot does, profile until the screen update where ``until()`` holds."""
            log.until = until
            prof.enable()
            t0 = time.perf_counter()
            app._driver.send_message(events.Key(key, {"enter": "\r"}.get(key)))
            while not any(t >= t0 and ok for t, ok in log.events):
                await asyncio.sleep(0)
            wall = next(t for t, ok in log.events if t >= t0 and ok) - t0
            prof.disable()
            return wall

        async def edit(prof: cProfile.Profile) -> float:
            c = int(rng.integers(0, n))
            cents = int(_new_amounts(rng, 1)[0]) // 100 * 100
            table.move_to(model.ranked.rank_of_client(c))
            await pilot.pause()
            await pilot.press("e", *str(cents // 100))
            await pilot.pause()
            wall = await press_until(prof, "enter", lambda: screen.model.accounts.amount_of(c) == cents)
            await app.workers.wait_for_complete()
            return wall

        def mover(key: str, start, expected, within_page: bool = False):
            async def move(prof: cProfile.Profile) -> float:
                table.move_to(start())
                await pilot.pause()
                if within_page:  # cursor to mid-page: the view does not scroll
                    table.move_to(table.cursor_row - table.page_rows // 2)
                    await pilot.pause()
                elif key == "down":  # from the top, so the cursor lands on the page's last row
                    row = table.cursor_row
                    table.move_to(0)
                    await pilot.pause()
                    table.move_to(row)
                    await pilot.pause()
                target = expected(table.cursor_row)
                return await press_until(prof, key, lambda: table.cursor_row == target)
            return move

        actions = {
            "edit": edit,
            "down": mover("down", lambda: int(rng.integers(100, n - 1)), lambda r: r + 1, within_page=True),
            "down-edge": mover("down", lambda: int(rng.integers(100, n - 1)), lambda r: r + 1),
            "pagedown": mover("pagedown", lambda: int(rng.integers(0, n - 100)), lambda r: r + table.page_rows),
            "end": mover("end", lambda: int(rng.integers(0, n // 2)), lambda r: n - 1),
        }
        for name in args.actions:
            prof = cProfile.Profile()
            walls = [await actions[name](prof) for _ in range(args.repeat)]
            await pilot.pause()
            path = out_dir / f"{name}.pstats"
            prof.dump_stats(path)
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats(args.sort).print_stats(args.top)
            print(f"\n==== {name}: keypress to screen update, median {statistics.median(walls) * 1000:.1f} ms "
                  f"(min {min(walls) * 1000:.1f}, max {max(walls) * 1000:.1f}) over {args.repeat} "
                  f"(under cProfile: slower than unprofiled); stats: {path}")
            print("\n".join(line for line in buf.getvalue().splitlines()[6:] if line.strip()))


def main() -> None:
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile_app")
    p.add_argument("--db", required=True)
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--top", type=int, default=25)
    p.add_argument("--width", type=int, default=120)
    p.add_argument("--height", type=int, default=40)
    p.add_argument("--out-dir", default="/tmp/cockpit-profile")
    p.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    p.add_argument("--actions", nargs="+", default=["edit", "down", "down-edge", "pagedown", "end"],
                   choices=["edit", "down", "down-edge", "pagedown", "end"])
    asyncio.run(main_async(p.parse_args()))


if __name__ == "__main__":
    main()
