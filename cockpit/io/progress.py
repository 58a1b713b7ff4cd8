"""A one-line progress bar for long CLI imports: share of the file read and
rows per second, on stderr only when it is a terminal (a pipe or a log file
gets nothing), redrawn at most ten times a second."""

from __future__ import annotations

import sys
import time
from typing import TextIO

from cockpit import i18n

_WIDTH = 24


class Bar:
    def __init__(self, stream: TextIO | None = None, *, delay: float = 0.3) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.on = self.stream.isatty()
        self.start = time.monotonic()
        self.delay = delay  # a short import draws nothing
        self.drawn = 0.0

    def __call__(self, rows: int, done: int, total: int) -> None:
        now = time.monotonic()
        if not self.on or now - self.start < self.delay or now - self.drawn < 0.1:
            return
        self.drawn = now
        self.stream.write("\r" + line(rows, done, total, now - self.start))
        self.stream.flush()

    def close(self) -> None:
        if self.on and self.drawn:
            self.stream.write("\r" + " " * 72 + "\r")
            self.stream.flush()


def line(rows: int, done: int, total: int, seconds: float) -> str:
    share = min(1.0, done / total) if total else 1.0
    full = int(share * _WIDTH)
    en = i18n.current() == "en"
    speed = i18n.number(rows / seconds) if seconds > 0 else "…"
    return (f"[{'#' * full}{'.' * (_WIDTH - full)}] {share * 100:3.0f} %  {i18n.number(rows)} "
            f"{'rows' if en else 'lignes'}  {speed} {'rows/s' if en else 'lignes/s'}")
