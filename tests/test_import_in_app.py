"""The app's import (issue 16, item 3): it runs in the committer's worker with
a progress bar, the interface stays usable meanwhile, and Escape stops it with
nothing written. Real files, a real SQLite workspace, keys pressed by Pilot."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest
from textual import events
from textual.widgets import Input, ProgressBar

from conftest import ready


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 64 KB instead of 8 MB: a file of a few MB is read in many
    chunks, so there is a between-chunks moment to stop at and to show."""
    from cockpit.io import chunks

    monkeypatch.setattr(chunks, "CHUNK", 1 << 16)


def _workspace_state(db_path) -> tuple:
    """Everything an import could touch: rows and sums of the data tables,
    the journal, and the schema (a bulk import drops then rebuilds indexes)."""
    db = sqlite3.connect(db_path)
    try:
        return (
            db.execute("SELECT count(*), sum(revenue), sum(coalesce(margin, 0)), max(id) FROM sales").fetchone(),
            db.execute("SELECT count(*), sum(revenue), sum(version) FROM amounts").fetchone(),
            db.execute("SELECT count(*), max(id), sum(version), group_concat(name) FROM clients").fetchone(),
            db.execute("SELECT count(*) FROM journal").fetchone(),
            db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall(),
        )
    finally:
        db.close()


def _sales_file(path, db_path, lines: int) -> None:
    codes = [c for (c,) in sqlite3.connect(db_path).execute("SELECT code FROM clients ORDER BY id")]
    rows = (f"{codes[i % len(codes)]};{1 + i % 28:02d}/{1 + i % 12:02d}/2026;Sanitaire;{1 + i % 900} {i % 1000:03d},{i % 100:02d}"
            for i in range(lines))
    path.write_text("Code client;Date;Famille;CA\n" + "\n".join(rows) + "\n", encoding="utf-8")


def _key(app, key: str) -> None:
    """A key as the terminal sends it: ``pilot.press`` would wait for the
    process to be idle, that is for most of the import."""
    app.post_message(events.Key(key, key if len(key) == 1 else None))


async def _choose(pilot, key: str, path) -> None:
    """``key``, the file's name, Enter; back once the import has started."""
    from screens.kit.importing import ImportBar

    await pilot.press(key)
    await pilot.pause()
    pilot.app.screen.query_one(Input).value = str(path)
    _key(pilot.app, "enter")
    for _ in range(500):
        await asyncio.sleep(0.01)
        if pilot.app.screen.id == "portfolio" and pilot.app.screen.query_one(ImportBar).running:
            return
    raise AssertionError("the import did not start")


async def test_escape_stops_an_import_and_nothing_is_written(make_app, db_path, tmp_path, small_chunks):
    from screens.kit.importing import ImportBar

    big = tmp_path / "ventes.csv"
    _sales_file(big, db_path, 300_000)  # about 9 MB: 140 chunks
    before = _workspace_state(db_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        bar = screen.query_one(ImportBar)
        await _choose(pilot, "I", big)
        run = bar.run
        for _ in range(500):  # until the import has read some rows
            await asyncio.sleep(0.01)
            if run.rows > 0:
                break
        assert 0 < run.rows < 300_000 and bar.display and bar.running
        _key(app, "escape")
        for _ in range(100):
            await asyncio.sleep(0.01)
            if run.stopped():
                break
        assert run.stopped()
        await ready(pilot)
        assert not bar.running and not bar.display
        note = screen.query_one("#status").note_text
        assert "Import des lignes de vente arrêté" in note and "rien n'a été écrit" in note
    assert _workspace_state(db_path) == before


async def test_the_progress_bar_advances_and_the_screen_stays_usable(make_app, db_path, tmp_path, small_chunks):
    from screens.kit.importing import ImportBar

    lines = 300_000
    path = tmp_path / "ventes.csv"
    _sales_file(path, db_path, lines)
    # The file's total, from its own text (French amounts: "900 123,45" is 90 012 345 cents).
    expected = sum(int(row.rsplit(";", 1)[1].replace(" ", "").replace(",", "")) for row in
                   path.read_text(encoding="utf-8").splitlines()[1:])
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        bar = screen.query_one(ImportBar)
        progress = bar.query_one(ProgressBar)
        start_row = screen.table.cursor_row
        await _choose(pilot, "I", path)
        _key(app, "down")
        seen: list[float] = []
        moved = False
        for _ in range(3000):
            seen.append(progress.progress)  # set by a timer of the UI thread: it runs meanwhile
            moved = moved or screen.table.cursor_row == start_row + 1 and bar.running
            await asyncio.sleep(0.02)
            if not bar.running:
                break
        await ready(pilot)
        assert moved
        assert seen == sorted(seen)  # never goes back
        steps = {round(p) for p in seen if 0 < p < 100}
        assert len(steps) >= 3, seen  # seen at several points, not only at the ends
        assert not bar.display
        said = (type(app.screen).__name__, screen.query_one("#status").note_text)  # what the app said, if it failed
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT count(*), sum(revenue) FROM sales WHERE date LIKE '2026%'").fetchone() == (lines, expected), said
    db.close()


async def test_a_second_import_while_one_runs_is_refused_in_words(make_app, db_path, tmp_path, small_chunks):
    from screens.kit.importing import ImportBar

    big = tmp_path / "ventes.csv"
    _sales_file(big, db_path, 300_000)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        bar = app.screen.query_one(ImportBar)
        await _choose(pilot, "I", big)
        _key(app, "i")
        for _ in range(100):
            await asyncio.sleep(0.01)
            if "déjà en cours" in app.screen.query_one("#status").note_text:
                break
        assert bar.running and app.screen.id == "portfolio"  # no file dialog
        assert "déjà en cours" in app.screen.query_one("#status").note_text
        _key(app, "escape")
        await ready(pilot)
        assert not bar.running


@pytest.mark.parametrize("phase", ["reading", "writing"])
def test_a_clients_import_stopped_between_chunks_writes_nothing(db_path, tmp_path, small_chunks, phase):
    from cockpit.io.fast_import import Interrupted, import_file
    from cockpit.store.workspace import Workspace

    n = 60_000
    path = tmp_path / "clients.csv"
    path.write_text("code;name;revenue\n" + "\n".join(f"N{i:06d};NOUVEAU {i};{1 + i % 900} 000,50" for i in range(n))
                    + "\nC001;LORFLEX RENOMMÉ;12\n", encoding="utf-8")
    before = _workspace_state(db_path)
    calls: list[float] = []

    def progress(rows: int, done: int, total: int) -> None:
        calls.append(done / total)

    ws = Workspace(db_path, who="claire")
    # Reading fills the first half of the bar, writing (25 000 rows a slice) the second.
    stop = (lambda: len(calls) >= 5) if phase == "reading" else (lambda: bool(calls) and calls[-1] > 0.5)
    with pytest.raises(Interrupted):
        import_file(ws, "clients", path, "2026", progress, stop)
    assert (calls[-1] > 0.5) == (phase == "writing") and calls[-1] < 1
    ws.close()
    assert _workspace_state(db_path) == before
    ws = Workspace(db_path, who="claire")
    assert import_file(ws, "clients", path, "2026", lambda *a: None) == n + 1  # the same file, not stopped
    ws.close()
    assert _workspace_state(db_path) != before
