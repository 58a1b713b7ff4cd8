"""Others' commits, as they happen (LISTEN/NOTIFY, no polling): a thread with
its own connection LISTENs on the channel every editable table NOTIFYs on
commit (cockpit/store/pg/schema.py). The app reads ``mark`` (it moves with
every commit seen, as SQLite's ``change_mark`` does) or waits on ``wait``."""

from __future__ import annotations

import threading
from collections.abc import Callable

from cockpit.store.pg.schema import CHANNEL
from cockpit.store.pg.target import connect


class ChangeListener:
    """``with ChangeListener(conninfo) as changes: … changes.wait(1.0)``."""

    def __init__(self, conninfo: str, on_change: Callable[[str], None] | None = None, poll_s: float = 0.25):
        self.conninfo, self.on_change, self.poll_s = conninfo, on_change, poll_s
        self.mark = 0
        self._seen: set[str] = set()
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="cockpit-pg-listen", daemon=True)

    def start(self) -> ChangeListener:
        self._thread.start()
        self._ready.wait()  # LISTEN is in place before the caller goes on: no commit slips through unseen
        if self._error is not None:
            raise self._error
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def __enter__(self) -> ChangeListener:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait(self, timeout: float) -> set[str]:
        """The tables changed since the last call (empty if none within ``timeout`` seconds)."""
        with self._cond:
            self._cond.wait_for(lambda: bool(self._seen), timeout)
            seen, self._seen = self._seen, set()
            return seen

    def _run(self) -> None:
        import psycopg

        first = True
        while not self._stop.is_set():
            try:
                db = connect(self.conninfo, autocommit=True)
            except BaseException as exc:
                if first:  # the caller hears why at start()
                    self._error = exc
                    self._ready.set()
                    return
                self._stop.wait(self.poll_s)  # the server is restarting: try again
                continue
            try:
                with db:
                    db.execute(f"LISTEN {CHANNEL}")
                    if not first:  # commits may have passed while the connection was down
                        self._heard("*")
                    first = False
                    self._ready.set()
                    # The generator wakes at least every poll_s, to see a stop request.
                    while not self._stop.is_set():
                        for note in db.notifies(timeout=self.poll_s):
                            self._heard(note.payload)
            except psycopg.OperationalError:
                continue  # the connection was lost (a server restart, a dropped database): reconnect

    def _heard(self, table: str) -> None:
        with self._cond:
            self.mark += 1
            self._seen.add(table)
            self._cond.notify_all()
        if self.on_change is not None:
            self.on_change(table)
