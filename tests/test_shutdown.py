"""Bounded shutdown (issue 17, point 1): a dropped link, a stop request or a
vanished terminal ends the process within 2 s, with the draft on disk, even
when Textual's writer thread is stuck on a terminal nobody reads."""

from __future__ import annotations

import json
import os
import signal
import time

import pytest

from pty_run import PtyApp

SCREENS = {"1": "portfolio", "2": "prospects", "3": "activity"}
SHOWN = {"1": b"LORFLEX", "2": "pondéré".encode(), "3": b"Indicateur"}  # the screen is there
DRAFTED = {"portfolio", "prospects"}  # the screens that keep a draft of an open entry
ROUNDS = 20
AT_ONCE = 4  # sessions side by side: 120 sessions in about a minute


def _start(db_path, state) -> PtyApp:
    env = {"COCKPIT_STATE_DIR": str(state), "COCKPIT_CONFIG": str(state / "config.toml")}
    return PtyApp(["--db", str(db_path)], env, controlling=True)


def _drive(app: PtyApp, key: str, editor: bool) -> None:
    assert app.read_until(b"LORFLEX"), app.output[-500:]
    app.send(key.encode())
    assert app.read_until(SHOWN[key]), app.output[-500:]
    app.drain(0.3)
    if editor:
        app.send(b"e")
        app.drain(0.4)
        app.send(b"12")
        app.drain(0.1)


def _stall(app: PtyApp) -> None:
    """The link stalls before it drops: the screen keeps changing and nobody
    reads, so the pty fills and Textual's writer blocks."""
    for i in range(60):
        os.write(app.master, b"jk"[i % 2:i % 2 + 1])
        time.sleep(0.005)


def _gone_within(app: PtyApp, seconds: float) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if app.proc.poll() is not None:
            return True
        time.sleep(0.02)
    app.proc.kill()  # the survivor the test is about: do not leave it behind
    app.proc.wait()
    return False


@pytest.mark.slow
@pytest.mark.parametrize("editor", [False, True], ids=["browsing", "editing"])
@pytest.mark.parametrize("key", list(SCREENS), ids=list(SCREENS.values()))
def test_closing_the_terminal_leaves_no_survivor(db_path, tmp_path, key, editor):
    survivors, drafts = [], 0
    for batch in range(0, ROUNDS, AT_ONCE):
        states = [tmp_path / f"state{batch + i}" for i in range(AT_ONCE)]
        apps = [_start(db_path, state) for state in states]
        for app in apps:
            _drive(app, key, editor)
        for i, app in enumerate(apps):
            if i % 2:
                _stall(app)
            app.hang_up()
        for app, state in zip(apps, states):
            if not _gone_within(app, 3):
                survivors.append(app.proc.pid)
            drafts += (state / "drafts").is_dir() and any((state / "drafts").iterdir())
    assert survivors == []
    if editor and SCREENS[key] in DRAFTED:
        assert drafts == ROUNDS  # each session's entry is on disk for the next start
    if not editor:
        assert drafts == 0


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_ends_a_session_whose_terminal_reads_nothing(db_path, tmp_path, sig):
    """The terminal is still there but nobody reads it: before, the main thread
    waited in Queue.put forever and the signal's callback never ran."""
    state = tmp_path / "state"
    app = _start(db_path, state)
    _drive(app, "1", True)
    _stall(app)
    time.sleep(0.5)
    app.proc.send_signal(sig)
    started = time.monotonic()
    assert _gone_within(app, 3)
    assert time.monotonic() - started < 2.5
    assert app.proc.returncode == 128 + sig
    (draft,) = (state / "drafts").iterdir()
    assert json.loads(draft.read_text())["text"].startswith("12")  # the stalled keys went on typing
    os.close(app.master)


@pytest.mark.slow
def test_sigterm_on_a_terminal_that_reads_restores_it_and_exits(db_path, tmp_path):
    """A stop request while the terminal is there: Textual's clean exit (the
    alternate screen is left) comes before the watchdog's deadline."""
    app = _start(db_path, tmp_path / "state")
    _drive(app, "1", False)
    seen = len(app.output)
    started = time.monotonic()
    app.proc.terminate()
    assert app.wait(timeout=5) == 128 + signal.SIGTERM
    assert time.monotonic() - started < 2
    assert b"\x1b[?1049l" in app.output[seen:]  # the rep's shell gets its screen back
