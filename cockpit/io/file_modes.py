"""The mode of the files the cockpit creates (exports, rejects, the error
log, screen saves): 0600, or 0660 when the workspace is a team's shared one
(group read-write), as the rest of the workspace is. Never the umask's 0644."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

_mode = 0o600


def follow_workspace(path: Path) -> None:
    """New files take the workspace's group access: 0660 for a team's, else 0600."""
    global _mode
    try:
        shared = stat.S_IMODE(os.stat(path).st_mode) & 0o060 == 0o060
    except OSError:
        shared = False
    _mode = 0o660 if shared else 0o600


def create(path: str | os.PathLike[str], *, append: bool = False) -> int:
    """A file descriptor on ``path``, created with the cockpit's mode (an
    existing file keeps its own). The mode is set again past the umask."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if append else os.O_TRUNC)
    fd = os.open(path, flags, _mode)
    try:
        if os.fstat(fd).st_size == 0 or not append:
            os.fchmod(fd, _mode)
    except OSError:
        pass
    return fd


def write_text(path: str | os.PathLike[str], text: str) -> None:
    with open(create(path), "w", encoding="utf-8") as f:
        f.write(text)


# A write out of room: a full disk, a quota, a file-size limit (``ulimit -f``; Python ignores SIGXFSZ).
NO_ROOM = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


@contextlib.contextmanager
def writing(path: str | os.PathLike[str]) -> Iterator[None]:
    """A write out of room names the file it was writing (the system's error
    does not), for the one sentence the command line says (exit 1)."""
    try:
        yield
    except OSError as exc:
        if exc.errno in NO_ROOM and exc.filename is None:
            raise OSError(exc.errno, exc.strerror, os.fspath(path)) from None
        raise
