"""``cockpit serve`` as a real process on a free loopback port, and the secret
address it prints at start (the only place the token appears)."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .common import free_port, stop, wait_port

_URL = re.compile(r"(http\S*/\?token=([A-Za-z0-9_-]+))")


@dataclass
class Served:
    port: int
    url: str     # the address printed at start, token included
    token: str
    log: Path
    proc: subprocess.Popen


def printed_url(log: Path, proc: subprocess.Popen, timeout: float = 15) -> tuple[str, str]:
    """(url, token) from the first line of the log that has them."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = _URL.search(log.read_text(errors="replace"))
        if found:
            return found.group(1), found.group(2)
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    pytest.fail(f"cockpit serve printed no address with a token:\n{log.read_text(errors='replace')}")


@contextlib.contextmanager
def cockpit_serve(db: Path, folder: Path, *options: str, lang: str = "fr") -> Iterator[Served]:
    """``cockpit --db DB serve --port P OPTIONS``, stopped (its whole group) at the end."""
    port = free_port()
    log = folder / f"serve-{port}.log"
    config = folder / "config.toml"
    config.touch()  # an explicit --config must exist
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "screens", "--db", str(db), "--config", str(config), "--lang", lang,
             "serve", "--port", str(port), *options],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_port(port, proc, log)
        url, token = printed_url(log, proc)
        yield Served(port, url, token, log, proc)
    finally:
        stop(proc)
