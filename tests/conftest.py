"""Shared fixtures: a sample workspace built once, copied per test."""

from __future__ import annotations

import datetime as dt

import shutil
from pathlib import Path

import pytest

from cockpit import config, i18n
from cockpit.store.loading import load_sample
from cockpit.store.workspace import Workspace
# PostgreSQL: a throwaway cluster per session (per xdist worker) and a fresh database per test.
from pg_cluster import pg_cluster, pg_team, pg_url  # noqa: F401  (fixtures)


@pytest.fixture(scope="session", autouse=True)
def the_tests_today():
    """Every test runs on 6 December 2026, the day the sample's overdue
    counts and the snapshots were written: without it they change at
    midnight. The clock still moves (tick), from that morning."""
    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.timezone.utc), tick=True):
        yield


@pytest.fixture(scope="session", autouse=True)
def pilot_waits_for_the_keys():
    """Pilot's press and pause also wait until the keys sent are handled
    (``drained``): their own wait guesses from CPU time, which a starved CI
    worker fools."""
    from textual.pilot import Pilot

    pause, press = Pilot.pause, Pilot.press

    async def pause_drained(self, delay=None):
        await pause(self, delay)
        await drained(self.app)

    async def press_drained(self, *keys):
        await press(self, *keys)
        await drained(self.app)

    Pilot.pause, Pilot.press = pause_drained, press_drained
    yield
    Pilot.pause, Pilot.press = pause, press


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite"
    ws = Workspace(path, who="claire")
    load_sample(ws)
    ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    ws.close()
    return path


@pytest.fixture
def db_path(sample_db, tmp_path) -> Path:
    target = tmp_path / "ws" / "workspace.sqlite"
    target.parent.mkdir(mode=0o700)
    shutil.copy(sample_db, target)
    return target


@pytest.fixture(autouse=True)
def french(monkeypatch):
    """French, and a 256-colour terminal whatever the machine's TERM, so
    snapshots are the same on every machine (a test sets TERM=xterm itself)."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    for var in ("NO_COLOR", "TEXTUAL_COLOR_SYSTEM", "LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    i18n.set_lang("fr")
    yield
    i18n.set_lang("fr")


@pytest.fixture
def make_app(db_path, tmp_path):
    """A CockpitApp on a fresh copy of the sample workspace (call again to 'restart')."""
    from screens.app import CockpitApp

    def make(lang: str = "fr", who: str = "visiteur"):  # outside the team: the team's view, as before reps
        i18n.set_lang(lang)
        from cockpit.store import shared_settings

        cfg, _ = config.load(tmp_path / "config.toml")
        ws = Workspace(db_path, who=who)
        return CockpitApp(ws, shared_settings.apply(cfg, ws), tmp_path / "config.toml")

    return make


async def answer(pilot, path, settle: bool = True) -> None:
    """Type a file's path into the prompt the last key opened, and Enter
    (``settle``: then wait as `ready` does)."""
    from textual.widgets import Input

    await pilot.pause()
    pilot.app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")
    if settle:
        await ready(pilot)


async def drained(app, limit: float = 5.0) -> None:
    """Wait until every message the app was sent (keys typed in a burst, what
    they bubble into, the keys the type-ahead holds) has been handled. Pilot's pause guesses idleness from
    CPU time, which a starved CI worker fools: a test then read an entry
    half typed."""
    import asyncio
    import time

    deadline = time.monotonic() + limit
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        await asyncio.sleep(0)
        pumps = [app, *list(app._registry)]
        typeahead = getattr(app, "typeahead", None)  # keys it holds for what a key opens
        busy = any(pump.message_queue_size for pump in pumps) or (typeahead is not None and not typeahead.idle)
        quiet = 0 if busy else quiet + 1


async def ready(pilot) -> None:
    """Wait until the portfolio is on screen and the start-up words are said."""
    for _ in range(500):
        if getattr(pilot.app, "started", True):
            break
        await pilot.pause()
    await drained(pilot.app)
    # Workers may start more work when they finish (the start-up words, a
    # screen's queue of saves): wait until a pause leaves none running.
    for _ in range(50):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(worker.is_running for worker in pilot.app.workers):
            break


async def settled(pilot) -> None:
    """``ready``, then without the start-up toast (e.g. overdue follow-ups):
    snapshots show the screen, not a notification that times out."""
    await ready(pilot)
    if getattr(pilot.app, "_startup_toasts_cleared", False) is False:
        pilot.app.clear_notifications()
        pilot.app._startup_toasts_cleared = True
    await pilot.pause()


def pytest_terminal_summary(terminalreporter) -> None:
    """Figures a test records (record_property) shown in the run's output,
    also when tests run in xdist workers whose own output is not relayed."""
    pg_skips = [r for r in terminalreporter.stats.get("skipped", []) if "PostgreSQL tests skipped" in str(r.longrepr)]
    if pg_skips:
        reason = str(pg_skips[0].longrepr[2]) if isinstance(pg_skips[0].longrepr, tuple) else str(pg_skips[0].longrepr)
        terminalreporter.write_line(f"[postgresql] {len(pg_skips)} tests skipped — {reason.removeprefix('Skipped: ')}")
    for report in terminalreporter.stats.get("passed", []):
        for name, value in getattr(report, "user_properties", []):
            if name == "bytes_per_cursor_move":
                terminalreporter.write_line(f"[e2e ssh] bytes per cursor move: {value:.0f} ({report.nodeid})")
