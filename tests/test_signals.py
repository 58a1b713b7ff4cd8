"""SSH drops (SIGHUP) and stop requests (SIGTERM) in a real terminal."""

from __future__ import annotations

import signal
import time

import pytest

from conftest import ready
from pty_run import PtyApp

from cockpit.store.drafts import draft_path


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_dropped_link_keeps_the_draft_and_exits(db_path, tmp_path, monkeypatch, sig, make_app):
    env = {"COCKPIT_STATE_DIR": str(tmp_path / "state"), "COCKPIT_CONFIG": str(tmp_path / "config.toml")}
    app = PtyApp(["--db", str(db_path)], env)
    assert app.read_until("LORFLEX".encode())
    app.drain(0.5)
    app.send(b"e")
    app.drain(0.3)
    app.send(b"123456")
    app.drain(0.3)
    started = time.monotonic()
    app.proc.send_signal(sig)
    assert app.wait(timeout=10) != 0
    assert time.monotonic() - started < 5  # exits, never spins
    monkeypatch.setenv("COCKPIT_STATE_DIR", str(tmp_path / "state"))
    assert draft_path(db_path).exists()


@pytest.mark.slow
async def test_the_draft_is_offered_back_at_the_next_start(db_path, tmp_path, monkeypatch, make_app):
    from cockpit.store.drafts import save_draft

    monkeypatch.setenv("COCKPIT_STATE_DIR", str(tmp_path / "state"))
    save_draft(db_path, {"screen": "portfolio", "what": "amount", "client_id": 45, "period": "2025", "text": "500000"})
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        editor = app.screen.editor
        assert editor.is_open and editor.value == "500000"
        assert app.screen.model.name_at(app.screen.table.cursor_row) == "VACAPE"
        await pilot.press("enter")
        await ready(pilot)
        await pilot.press("o")  # 351 € → 500 000 €: more than 90 %, confirmed
        await ready(pilot)
        assert app.screen.model.name_at(0) == "VACAPE"
    assert not draft_path(db_path).exists()  # offered once


@pytest.mark.slow
def test_a_bad_config_at_a_terminal_asks_before_starting_on_defaults(db_path, tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[abc]\na_limit = 7\n")
    app = PtyApp(["--db", str(db_path), "--config", str(cfg)], {"COCKPIT_STATE_DIR": str(tmp_path / "state")})
    assert app.read_until("abc.a_limit".encode()) and app.read_until("[o/N]".encode())
    app.send(b"o\r")
    assert app.read_until(b"LORFLEX")  # started on the defaults, as agreed
    app.send(b"\x11")  # ctrl+q
    assert app.wait(timeout=10) == 0
