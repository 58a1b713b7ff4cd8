"""Run the cockpit in a real pseudo-terminal, as an SSH session would."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _take_terminal() -> None:
    """In the child, after setsid: the pty becomes its controlling terminal, so
    closing the master hangs it up (SIGHUP), as a dropped SSH link does."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class PtyApp:
    def __init__(self, args: list[str], env: dict[str, str], size: tuple[int, int] = (120, 40),
                 controlling: bool = False, command: list[str] | None = None) -> None:
        self.master, slave = os.openpty()
        cols, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(command or [sys.executable, "-m", "screens", *args], stdin=slave, stdout=slave,
                                     stderr=slave, cwd=ROOT, env={**os.environ, "TERM": "xterm-256color", **env},
                                     start_new_session=True, close_fds=True,
                                     preexec_fn=_take_terminal if controlling else None)
        os.close(slave)
        self.output = b""

    def read_until(self, needle: bytes, timeout: float = 15) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in self.output:
                return True
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    return needle in self.output
        return needle in self.output

    def send(self, data: bytes) -> None:
        os.write(self.master, data)
        self.drain(0.05)

    def drain(self, seconds: float) -> None:
        """Keep reading: a terminal nobody reads fills up and blocks the app."""
        if self.master < 0:
            time.sleep(seconds)
            return
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.02)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    return

    def hang_up(self) -> None:
        """Close the terminal's master side: the link is gone, nobody reads any more."""
        os.close(self.master)
        self.master = -1

    def wait(self, timeout: float = 10) -> int:
        end = time.monotonic() + timeout
        try:
            while self.proc.poll() is None:
                if time.monotonic() > end:
                    raise subprocess.TimeoutExpired(self.proc.args, timeout)
                self.drain(0.05)
            return self.proc.returncode
        finally:
            if self.master >= 0:
                os.close(self.master)
