"""Bounded shutdown: a dropped SSH link (SIGHUP), a stop request (SIGTERM) or
a terminal that vanished ends the process within ``deadline`` seconds,
whatever the interface's writer thread is doing.

Textual writes the screen through a bounded queue drained by a writer thread;
when the terminal stops reading or is gone, the main thread can block forever
in ``Queue.put`` (also during Textual's own shutdown), so the event loop never
runs a signal callback. Here the signal handler only notes what is being
typed and wakes a watchdog thread, which saves the draft, asks for a clean
exit while the terminal can still take one, then closes the workspace and
hard-exits (``os._exit``): the draft is on disk before that.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

SIGNALS = (signal.SIGHUP, signal.SIGTERM)


def terminal_alive(fd: int | None) -> bool:
    """False once the pty is hung up: ``isatty`` fails with EIO then."""
    if fd is None:
        return True
    try:
        return os.isatty(fd)
    except OSError:
        return False


class Lifeline:
    """Watches for the end of the session and ends the process in time."""

    def __init__(self, *, draft: Callable[[], dict[str, Any] | None], save: Callable[[dict[str, Any]], Any],
                 close: Callable[[], Any], graceful: Callable[[int], Any], tty_fd: int | None,
                 grace: float = 1.0, poll: float = 0.25) -> None:
        self._draft, self._save, self._close, self._graceful = draft, save, close, graceful
        self._tty_fd, self._grace, self._poll = tty_fd, grace, poll
        self._wake = threading.Event()
        self._done = threading.Event()  # set by uninstall(): the app ended on its own
        self._lock = threading.Lock()
        self._reason: tuple[int, dict[str, Any] | None, bool] | None = None
        self._previous: dict[int, Any] = {}
        self._thread: threading.Thread | None = None

    # ---- setting up and down -----------------------------------------
    def install(self) -> None:
        """Take SIGHUP/SIGTERM (main thread only) and start the watchdog."""
        for sig in SIGNALS:
            self._previous[sig] = signal.signal(sig, self._on_signal)
        self._thread = threading.Thread(target=self._watch, name="cockpit-lifeline", daemon=True)
        self._thread.start()

    def uninstall(self) -> None:
        """The app ended on its own: give the signals back, stop watching. (During
        a shutdown the watchdog keeps its deadline: Textual restores the
        terminal after its Unmount, and a clean exit before the deadline ends
        the process anyway.)"""
        if self._reason is not None:
            return
        self._done.set()
        self._wake.set()
        for sig, handler in self._previous.items():
            try:
                signal.signal(sig, handler)
            except (ValueError, TypeError):  # not the main thread, or no Python handler before
                pass

    # ---- the trigger -------------------------------------------------
    def _on_signal(self, signum: int, _frame: Any) -> None:
        """Runs in the main thread between two bytecodes, even while it waits
        on a lock: read the draft here, where the widgets live, and return."""
        self.trigger(128 + signum, self._safe_draft())

    def trigger(self, code: int, draft: dict[str, Any] | None) -> None:
        with self._lock:
            if self._reason is not None:
                return
            self._reason = (code, draft, not terminal_alive(self._tty_fd))
        self._wake.set()

    def _safe_draft(self) -> dict[str, Any] | None:
        try:
            return self._draft()
        except Exception:  # a half-built screen: no draft rather than no exit
            return None

    # ---- the watchdog ------------------------------------------------
    def _watch(self) -> None:
        while True:
            self._wake.wait(self._poll)
            if self._reason is None and self._done.is_set():
                return  # the app ended on its own
            if self._reason is None and not terminal_alive(self._tty_fd):
                self.trigger(129, self._safe_draft())  # the terminal vanished without a signal
            if self._reason is not None:
                self._finish(*self._reason)
                return

    def _finish(self, code: int, draft: dict[str, Any] | None, terminal_gone: bool) -> None:
        started = time.monotonic()
        if draft:
            try:
                self._save(draft)
            except Exception:  # a full disk: exit anyway, the rep's session is over
                pass
        if not terminal_gone:
            # The terminal may still take Textual's goodbye (modes restored).
            try:
                self._graceful(code)
            except Exception:
                pass
            self._done.wait(max(0.0, self._grace - (time.monotonic() - started)))
        try:
            self._close()
        finally:
            os._exit(code)
