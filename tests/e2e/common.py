"""What both end-to-end tests share: programs to find, ports, waiting, reading the screen."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from cockpit.store.workspace import Workspace

INSTALL_HINT = "`.ci/run` installs them (apt-get install openssh-server openssh-client tmux chromium)"


def find_program(name: str, *extra: str) -> str | None:
    """``name`` on PATH, or in one of the ``extra`` absolute paths (sshd lives in /usr/sbin)."""
    found = shutil.which(name)
    if found:
        return found
    return next((p for p in extra if os.access(p, os.X_OK)), None)


def require(programs: dict[str, str | None]) -> None:
    """Skip, naming what is missing; in CI (CI=true) fail instead: there .ci/run must have installed them."""
    missing = [name for name, path in programs.items() if path is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} not found on this machine: {INSTALL_HINT}"
    if os.environ.get("CI"):
        pytest.fail(f"CI should have installed them: {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, proc: subprocess.Popen, log: Path, timeout: float = 15) -> None:
    """Until something accepts on 127.0.0.1:port; fails with the log if ``proc`` died first."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            pytest.fail(f"{proc.args[0]} exited with {proc.returncode} before listening:\n{log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nothing listens on 127.0.0.1:{port} after {timeout} s:\n{log.read_text(errors='replace')}")


def wait_for(read: Callable[[], str], check: Callable[[str], bool], what: str, timeout: float = 20) -> str:
    """Read the screen until ``check`` holds; on time-out, fail showing the last screen."""
    end = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < end:
        screen = read()
        if check(screen):
            return screen
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout} s waiting for {what}; the screen was:\n{screen}", pytrace=False)


def stop(proc: subprocess.Popen, timeout: float = 10) -> None:
    """Stop a process this test started in its own session: SIGTERM, then SIGKILL to its group."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, 9)  # its own process group (start_new_session): what it started, nothing else
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait(timeout)


def cockpit_argv() -> list[str]:
    """The installed ``cockpit`` script of this interpreter's environment, else ``python -m screens``."""
    script = Path(sys.executable).with_name("cockpit")
    return [str(script)] if script.exists() else [sys.executable, "-m", "screens"]


class Target:
    """The client the test edits: the last of the Portfolio, given more revenue than the first.

    Read from the workspace, so the test follows the sample data; ``owner``:
    in that rep's own portfolio, the one their cockpit opens on (METHOD §8)."""

    def __init__(self, db: Path, owner: str | None = None) -> None:
        ws = Workspace(db)
        data = ws.load_portfolio(owner=owner)
        ws.close()
        order = sorted(range(len(data.name)), key=lambda i: (int(data.amount[i]), i))
        low, high = order[0], order[-1]
        assert int(data.amount[order[1]]) > int(data.amount[low]), "the last client must be unambiguous"
        assert int(data.amount[order[-2]]) < int(data.amount[high]), "so must the first"
        self.period = data.period
        self.count = len(data.name)
        self.name = data.name[low]
        self.client_id = int(data.client_id[low])
        self.first = data.name[high]
        self.old_cents = int(data.amount[low])
        self.new_euros = (int(data.amount[high]) // 100 // 10_000 + 3) * 10_000  # e.g. 200000 over 175 876
        self.db = db

    def row(self, screen: str, rank: int, name: str | None = None) -> str | None:
        """The table line of ``name`` (default: the edited client) at ``rank``, if on screen."""
        pattern = re.compile(rf"^\s*{rank}\s+{re.escape(name or self.name)}\s")
        return next((line for line in screen.splitlines() if pattern.match(line)), None)

    @staticmethod
    def asks_to_confirm(screen: str) -> bool:
        """The editor asks before an amount moves by more than 90 % (351 € → 200 000 €)."""
        return "Entrée : oui · n / Échap : non" in screen  # the question's own line of keys (the question itself may wrap)

    def editor_open(self, screen: str) -> bool:
        """The last row shows the amount as typed text ("351"), no longer as money ("351 €")."""
        line = self.row(screen, self.count)
        old = str(self.old_cents // 100)
        return bool(line) and old in line and not re.search(rf"{old}\s€", line)

    def is_first_in_a(self, screen: str) -> bool:
        """Rank 1 is now our client, and its class (after the percentage columns) is A."""
        line = self.row(screen, 1)
        match = line and re.search(r"%\s+([ABC])(?=\s|$)", line)
        return bool(match) and match.group(1) == "A"

    def saved_cents(self) -> int:
        ws = Workspace(self.db)
        data = ws.load_portfolio(self.period)
        ws.close()
        return int(data.amount[list(data.client_id).index(self.client_id)])

    def portfolio_shown(self, screen: str) -> bool:
        return self.row(screen, 1, self.first) is not None
