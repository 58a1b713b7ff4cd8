"""Opening the workspace file: read-write, or read-only when the rep cannot
write it (a read-only mount, a file they may only read). Reports and exports
work then; an edit or an import is refused in a sentence (``ReadOnly``)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any


class AdminError(Exception):
    """A change refused, said in a sentence already (exit 2; the rep's words on screen)."""


class ReadOnly(Exception):
    """The workspace cannot be written here: the rep is told, nothing is tried."""

    def __init__(self, path: Path):
        from cockpit.i18n import t

        super().__init__(t("workspace.read_only_refused", path=str(path)))
        self.path = path


def writable(path: Path) -> bool:
    """The file and its directory (SQLite's -wal and -shm live there) can be written."""
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)


def connect(path: Path, busy_timeout_ms: int) -> tuple[sqlite3.Connection, str]:
    """The connection and how it was opened: "rw"; "ro" (``mode=ro``); or
    "immutable" where even the WAL index cannot be opened (a read-only mount)."""
    kwargs: dict[str, Any] = dict(isolation_level=None, timeout=busy_timeout_ms / 1000, check_same_thread=False)
    if writable(path):
        return sqlite3.connect(path, **kwargs), "rw"
    uri = path.resolve().as_uri()
    for query, how in (("?mode=ro", "ro"), ("?mode=ro&immutable=1", "immutable")):
        db = sqlite3.connect(uri + query, uri=True, **kwargs)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db, how
        except sqlite3.OperationalError:
            db.close()
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, **kwargs), "immutable"  # its error says why
