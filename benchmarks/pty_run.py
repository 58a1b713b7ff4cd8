"""Run a terminal program in a pseudo-terminal, the way a rep over SSH does,
and time what the terminal receives.

``first_frame(argv, needle)``: seconds from spawning the process to the
moment its output contains ``needle`` (a string of the first painted table),
then the bytes written per cursor move (ESC [ B sent, bytes counted until
the output is quiet), then ctrl+q.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass, field

DOWN = b"\x1b[B"
CTRL_Q = b"\x11"


@dataclass
class PtyResult:
    first_frame_s: float  # nan when the needle never came
    bytes_per_move: list[int] = field(default_factory=list)
    exit_code: int | None = None
    tail: str = ""  # last output, to say why when the needle never came


def _read_available(fd: int, wait: float) -> bytes:
    out = b""
    r, _, _ = select.select([fd], [], [], wait)
    while r:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
        r, _, _ = select.select([fd], [], [], 0)
    return out


def _drain_until_quiet(fd: int, quiet: float, limit: float) -> bytes:
    """Everything written until nothing more came for ``quiet`` seconds."""
    out = b""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        chunk = _read_available(fd, quiet)
        if not chunk:
            break
        out += chunk
    return out


def first_frame(argv: list[str], needle: str, *, env: dict[str, str] | None = None, cwd: str | None = None,
                size: tuple[int, int] = (120, 40), moves: int = 5, timeout: float = 30.0,
                quiet: float = 0.3) -> PtyResult:
    master, slave = os.openpty()
    cols, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {**os.environ, **(env or {}), "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}
    full_env.pop("NO_COLOR", None)

    def child_setup() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=full_env, cwd=cwd,
                            preexec_fn=child_setup, close_fds=True)
    os.close(slave)
    seen = b""
    target = needle.encode()
    elapsed = float("nan")
    result = PtyResult(elapsed)
    try:
        while time.perf_counter() - t0 < timeout:
            chunk = _read_available(master, 0.05)
            if chunk:
                seen += chunk
                if target in seen:
                    elapsed = time.perf_counter() - t0
                    break
            elif proc.poll() is not None:
                break
        result.first_frame_s = elapsed
        if elapsed == elapsed:  # not nan: measure the cursor moves
            _drain_until_quiet(master, quiet, 10.0)
            for _ in range(moves):
                os.write(master, DOWN)
                result.bytes_per_move.append(len(_drain_until_quiet(master, quiet, 5.0)))
        result.tail = seen[-400:].decode("utf-8", "replace")
        os.write(master, CTRL_Q)
        _drain_until_quiet(master, 0.2, 5.0)
        try:
            result.exit_code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGTERM)
            result.exit_code = proc.wait(timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(master)
    return result
