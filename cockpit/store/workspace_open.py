"""Opening the workspace file: read-write, or read-only when the rep cannot
write it (a read-only mount, a file they may only read). Reports and exports
work then; an edit or an import is refused in a sentence (``ReadOnly``)."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any


# How long a command (import, export, report, backup…) waits for another writer, each of the
# transaction's five tries: about 3 s in all before "busy", where the app's 5 s made 26 s. The
# app's own commits take well under a millisecond, so two reps saving at once still serialise.
CLI_BUSY_TIMEOUT_MS = 500


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
        db = sqlite3.connect(path, **kwargs)
        if _made is not None and os.path.getsize(path) == 0:  # a file just made (an empty file holds no workspace)
            _made.append((path, db))
        return db, "rw"
    uri = path.resolve().as_uri()
    for query, how in (("?mode=ro", "ro"), ("?mode=ro&immutable=1", "immutable")):
        db = sqlite3.connect(uri + query, uri=True, **kwargs)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return db, how
        except sqlite3.OperationalError:
            db.close()
    return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, **kwargs), "immutable"  # its error says why


# The workspaces made while `made_here` watches: (path, connection).
_made: list[tuple[Path, sqlite3.Connection]] | None = None


class Made:
    """The workspace files made within `made_here`, to remove if the command fails."""

    def discard(self) -> None:
        """Remove each workspace made here that nothing was committed to (an
        import always leaves its record in the journal) and that no other
        connection holds, with its -wal, -shm and -journal."""
        for path, db in _made or []:
            try:
                untouched = db.execute("SELECT NOT EXISTS (SELECT 1 FROM journal)").fetchone()[0] == 1
                # Out of WAL only when this is the sole connection: another rep's import into it is kept.
                alone = untouched and db.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete"
            except sqlite3.Error:
                alone = False
            if not alone:
                continue
            db.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(f"{path}{suffix}")
        if _made is not None:
            _made.clear()


@contextlib.contextmanager
def made_here() -> Iterator[Made]:
    """Watch for workspace files made by the block (``cockpit import`` into a
    new path): one it fails in goes again, so a refused first import leaves no
    workspace the rep never asked for. ``discard()`` for a failure said by an exit code."""
    global _made
    _made, made = [], Made()
    try:
        yield made
    except BaseException:
        made.discard()
        raise
    finally:
        _made = None
