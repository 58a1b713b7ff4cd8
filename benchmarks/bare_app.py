"""Baselines built on Textual alone.

- ``python -m benchmarks.bare_app [ROWS]``: a bare Textual app painting a
  DataTable of ROWS rows (50 by default): what "start to first frame" and
  "bytes per cursor move" are compared with, over the same pty.
- ``datatable_probe(rows)``: Textual's built-in DataTable with ``rows`` rows
  under Pilot: time to add the rows, a cursor move and an ``update_cell``,
  each from the keypress (or call) to the repainted screen.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import DataTable

COLUMNS = ("rang", "nom", "groupe", "CA", "cumul", "% clients", "classe", "potentiel")


def rows_of(n: int) -> list[tuple]:
    return [(i + 1, f"ROW-{i + 1:07d} SARL Martin Plomberie", f"GROUPE {i % 97}", f"{(n - i) * 1234.5:,.2f}",
             f"{(i + 1) / n:.1%}", f"{(i + 1) / n:.1%}", "A" if i < n * 0.2 else "B" if i < n * 0.5 else "C",
             f"{(n - i) * 2000.0:,.2f}") for i in range(n)]


class BareTable(App):
    def __init__(self, rows: int) -> None:
        super().__init__()
        self.n_rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable(id="t", cursor_type="row")

    def on_mount(self) -> None:
        t = self.query_one(DataTable)
        t.add_columns(*COLUMNS)
        t.add_rows(rows_of(self.n_rows))
        t.focus()


def _hook_display(app: App, log: list[float]) -> None:
    original = app._display

    def display(screen, renderable):  # type: ignore[no-untyped-def]
        original(screen, renderable)
        if renderable is not None:
            log.append(time.perf_counter())

    app._display = display  # type: ignore[method-assign]


async def _first_display_after(log: list[float], t0: float, pilot, timeout: float = 30.0) -> float:
    """Seconds from t0 to the first screen update after it."""
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        after = [t for t in log if t >= t0]
        if after:
            return after[0] - t0
        await pilot.pause()
    return float("nan")


async def _datatable_probe(rows: int, moves: int, edits: int) -> dict:
    app = BareTable(0)
    out: dict = {"rows": rows}
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(DataTable)
        log: list[float] = []
        _hook_display(app, log)
        await pilot.pause()
        data = rows_of(rows)
        t0 = time.perf_counter()
        table.add_rows(data)
        out["add_rows_s"] = time.perf_counter() - t0
        out["add_rows_to_screen_s"] = await _first_display_after(log, t0, pilot)
        await pilot.pause()
        samples = []
        for _ in range(moves):
            await pilot.pause()
            t0 = time.perf_counter()
            await pilot.press("down")
            samples.append(await _first_display_after(log, t0, pilot))
        out["cursor_move_s"] = statistics.median(samples)
        samples = []
        for k in range(edits):
            await pilot.pause()
            t0 = time.perf_counter()
            table.update_cell_at((k % rows, 3), f"{k * 1000.0:,.2f}")
            samples.append(await _first_display_after(log, t0, pilot))
        out["update_cell_s"] = statistics.median(samples)
        samples = []
        for k in range(max(1, edits // 5)):
            await pilot.pause()
            t0 = time.perf_counter()
            table.update_cell_at((k % rows, 3), f"{k * 1000.0:,.2f}")
            table.sort(table.ordered_columns[3].key, reverse=bool(k % 2))  # the re-rank an edit needs
            samples.append(await _first_display_after(log, t0, pilot))
        out["update_and_sort_s"] = statistics.median(samples)
    return out


def datatable_probe(rows: int = 10_000, moves: int = 20, edits: int = 20) -> dict:
    return asyncio.run(_datatable_probe(rows, moves, edits))


if __name__ == "__main__":
    BareTable(int(sys.argv[1]) if len(sys.argv) > 1 else 50).run()
