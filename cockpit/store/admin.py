"""Workspace administration: a team workspace several reps share on one
server, and backups taken with SQLite's backup API (never a file copy, which
can catch a WAL database half-written)."""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import sqlite3
import stat
from pathlib import Path

from cockpit.store.workspace import Workspace
from cockpit.store.workspace_open import AdminError as AdminError  # defined beside ReadOnly: the store raises it too

# Network filesystems break SQLite's locking: a shared workspace must be local.
NETWORK_FS = {"nfs", "nfs4", "cifs", "smb", "smb3", "smbfs", "fuse.sshfs", "9p", "afs", "ceph", "glusterfs", "lustre", "davfs"}


def filesystem_type(path: Path, mounts: str | None = None) -> str:
    """Type of the filesystem holding ``path``, from /proc/mounts (longest mount point)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text()
        except OSError:
            return "unknown"
    path = Path(path).resolve()
    best, kind = "", "unknown"
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        if (str(path) == point or str(path).startswith(point.rstrip("/") + "/")) and len(point) >= len(best):
            best, kind = point, parts[2]
    return kind


def init_shared(directory: Path, *, mounts: str | None = None) -> Path:
    """A team workspace: a setgid directory (new files keep its group) and a
    group-writable 0660 file, on a local filesystem."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    kind = filesystem_type(directory, mounts)
    if kind in NETWORK_FS:
        from cockpit.i18n import t

        raise AdminError(t("admin.network_fs", path=str(directory), kind=kind))
    os.chmod(directory, 0o2770)
    path = directory / "workspace.sqlite"
    old_umask = os.umask(0o007)  # the -wal and -shm files SQLite creates stay group-writable
    try:
        ws = Workspace(path)
        os.chmod(path, 0o660)
        ws.set_setting("kind", "team")
        ws.close()
    finally:
        os.umask(old_umask)
    return path


def backup(ws: Workspace, target: Path) -> Path:
    """A consistent copy while others may be writing."""
    target = Path(target)
    from cockpit.i18n import t

    try:  # O_EXCL: a file there already, or one made meanwhile, is never overwritten
        fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    except FileExistsError:
        raise AdminError(t("pg.backup_exists", path=str(target))) from None
    os.close(fd)
    try:
        _copy(ws, target)
    except BaseException as exc:  # made here (O_EXCL): a copy that stopped half-way goes, with its journal
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{target}{suffix}")
        if isinstance(exc, sqlite3.Error) and (number := _no_room(exc)):
            raise OSError(number, os.strerror(number), str(target)) from None  # said as any write out of room
        raise
    return target


def _copy(ws: Workspace, target: Path) -> None:
    dst = sqlite3.connect(target)
    try:
        with ws.lock:
            ws.db.backup(dst)
    finally:
        dst.close()
    check = sqlite3.connect(target)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            from cockpit.i18n import t

            raise AdminError(t("admin.backup_damaged", path=str(target)))
    finally:
        check.close()


def _no_room(exc: sqlite3.Error) -> int | None:
    """The system's error behind SQLite's when a write ran out of room: SQLITE_FULL
    is a full disk; a write error under a file-size limit is that limit (SQLite
    says only "disk I/O error")."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code == sqlite3.SQLITE_FULL:
        return errno.ENOSPC
    if code == sqlite3.SQLITE_IOERR_WRITE and resource.getrlimit(resource.RLIMIT_FSIZE)[0] != resource.RLIM_INFINITY:
        return errno.EFBIG
    return None


def mode_of(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)
