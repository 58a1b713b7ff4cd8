"""End to end over real SSH: OpenSSH's sshd on 127.0.0.1, ``ssh -t`` inside tmux, keys typed, screen read.

The rep's path exactly: a terminal (tmux, 120×40, TERM=xterm-256color) runs
``ssh -t`` to a throwaway sshd; the cockpit starts on a test workspace; the
test moves to the last client, types a new revenue, checks that the client
jumps to rank 1 in class A, quits with ctrl+q, then reads the workspace file.
It also measures the bytes the cockpit sends to the terminal per cursor move
(printed in the test run's output).

Skipped, naming the program, where sshd, ssh, ssh-keygen or tmux are missing;
in CI (CI=true) .ci/run installs them, so there it fails instead.
"""

from __future__ import annotations

import time

import pytest

from e2e.common import Target, cockpit_argv, find_program, require, wait_for
from e2e.ssh import Sshd, Tmux, settle

pytestmark = pytest.mark.slow

MOVES = 5  # cursor moves measured
WIDTH, HEIGHT = 120, 40


@pytest.fixture
def programs() -> dict[str, str]:
    found = {
        "sshd": find_program("sshd", "/usr/sbin/sshd"),
        "ssh": find_program("ssh"),
        "ssh-keygen": find_program("ssh-keygen"),
        "tmux": find_program("tmux"),
    }
    require(found)
    return found


def measure_cursor_moves(tmux: Tmux, path) -> tuple[int, int]:
    """(bytes in an idle second, bytes for MOVES presses of Down), from what reaches the terminal."""
    tmux.pipe_to(path)
    start = settle(path, quiet=1.0, timeout=15)  # the first paint is over: a second without output
    time.sleep(1.0)
    size = settle(path, quiet=0.2)
    idle = size - start
    for _ in range(MOVES):
        before = size
        tmux.keys("Down")
        end = time.monotonic() + 5
        while (path.stat().st_size if path.exists() else 0) == before:
            if time.monotonic() > end:
                pytest.fail("a Down press sent nothing to the terminal")
            time.sleep(0.02)
        size = settle(path)
    tmux.pipe_to(None)
    return idle, size - start - idle


def test_edit_a_revenue_over_real_ssh(programs, db_path, tmp_path, capsys, record_property):
    target = Target(db_path)
    (tmp_path / "sshd").mkdir()
    (tmp_path / "config.toml").touch()  # an explicit --config must exist
    sshd = Sshd(programs["sshd"], programs["ssh-keygen"], tmp_path / "sshd")
    tmux = Tmux(programs["tmux"], WIDTH, HEIGHT)
    try:
        remote = ["env", "LANG=C.UTF-8", *cockpit_argv(), "--db", str(db_path),
                  "--config", str(tmp_path / "config.toml"), "--lang", "fr"]
        tmux.start(sshd.ssh_command(programs["ssh"], remote))
        wait_for(tmux.screen, target.portfolio_shown, "the Portfolio screen")

        idle, moved = measure_cursor_moves(tmux, tmp_path / "terminal.bytes")
        per_move = moved / MOVES
        record_property("bytes_per_cursor_move", per_move)
        with capsys.disabled():
            print(f"\n[e2e ssh] bytes per cursor move: {per_move:.0f} (Down ×{MOVES} = {moved} bytes to a "
                  f"{WIDTH}×{HEIGHT} {tmux.term} terminal over ssh; {idle} bytes in the idle second before)")

        tmux.keys("End")
        wait_for(tmux.screen, lambda s: target.row(s, target.count) is not None, f"{target.name} at the bottom")
        tmux.keys("e")
        wait_for(tmux.screen, target.editor_open, "the amount editor on the last row")
        tmux.type(str(target.new_euros))
        tmux.keys("Enter")
        wait_for(tmux.screen, target.asks_to_confirm, "the question before a change of more than 90 %")
        tmux.keys("o")
        wait_for(tmux.screen, lambda s: "enregistré" in s and target.is_first_in_a(s),
                 f"'enregistré' and {target.name} at rank 1 in class A")

        tmux.keys("C-q")
        end = time.monotonic() + 15
        while (status := tmux.exit_status()) is None:
            if time.monotonic() > end:
                pytest.fail(f"the cockpit did not quit on ctrl+q; the screen was:\n{tmux.screen()}")
            time.sleep(0.1)
        final = tmux.screen(history=True)
        assert status == 0, f"ssh exited with {status}:\n{final}"
        assert not [s for s in tmux.screens if "Traceback" in s], "a traceback was on the screen"
        assert target.saved_cents() == target.new_euros * 100
    except BaseException:
        print("--- sshd log ---\n" + sshd.log.read_text(errors="replace"))
        raise
    finally:
        tmux.close()
        sshd.close()
