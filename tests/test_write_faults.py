"""Writes that run out of room (a file-size limit, as a full disk or a
quota) end with one sentence and exit 1, leave no temporary or partial file
and no earlier file changed; and a workspace another writer holds is said
busy within a few seconds by the command line, while the app's own commits
still wait for each other."""

from __future__ import annotations

import hashlib
import os
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cockpit import cli, i18n

LIMIT = 256 * 1024  # bytes any file may reach under the limit: the workspace's -shm (32 KB) fits, the exports do not


@pytest.fixture(scope="module")
def big_db(tmp_path_factory) -> Path:
    """A workspace of 20 000 clients: its exports and its backup pass the limit."""
    folder = tmp_path_factory.mktemp("big")
    source = folder / "clients.csv"
    source.write_text("code;nom;CA\n" + "".join(f"K{i:05d};Client numéro {i};{i * 7 % 100_000},50\n"
                                                 for i in range(20_000)), encoding="utf-8")
    db = folder / "big.sqlite"
    assert cli.main(["--db", str(db), "import", "clients", str(source), "--period", "2025"]) == 0
    with sqlite3.connect(db) as con:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def limited(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The real command, in a process that may write no file past LIMIT (Python ignores SIGXFSZ: a write fails)."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))

    env = {**os.environ, "COCKPIT_CONFIG": "/nonexistent/config.toml", "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "cockpit.cli", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, env=env, preexec_fn=limit, timeout=120)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", ["out.xlsx", "out.csv"])
@pytest.mark.parametrize("earlier", [False, True])
def test_an_export_past_the_file_size_limit_says_so_and_leaves_nothing(big_db, tmp_path, name, earlier):
    target = tmp_path / name
    if earlier:
        target.write_text("an earlier export\n")
    before = sorted(os.listdir(tmp_path))
    done = limited("--db", big_db, "export", "clients", target, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "File too large" in lines[0], done.stderr
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert sorted(os.listdir(tmp_path)) == before  # no .tmp, no partial file
    if earlier:
        assert target.read_text() == "an earlier export\n"


def test_a_backup_past_the_file_size_limit_says_so_and_leaves_nothing(big_db, tmp_path):
    target = tmp_path / "copie.sqlite"
    before = digest(big_db)
    done = limited("--db", big_db, "backup", target, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "copie.sqlite" in lines[0] and "Traceback" not in done.stderr, done.stderr
    assert os.listdir(tmp_path) == []
    assert digest(big_db) == before


def test_a_backup_within_the_limit_still_works(db_path, tmp_path, capsys):
    target = tmp_path / "copie.sqlite"
    assert cli.main(["--db", str(db_path), "backup", str(target)]) == 0
    with sqlite3.connect(target) as con:
        assert con.execute("SELECT count(*) FROM clients").fetchone()[0] > 0


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full, a disk always full")
def test_a_workbook_that_cannot_be_zipped_closes_its_files(tmp_path, monkeypatch):
    """A full disk as the archive is written: openpyxl left its archive and its
    rows' generator to the garbage collector, which printed "Exception ignored"."""
    import errno
    import gc

    from cockpit.io.xlsx_write import write_xlsx

    seen: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    with pytest.raises(OSError) as info:
        write_xlsx(tmp_path / "out.xlsx", Path("/dev/full"), ["name", "rank"], [[f"x{i}", i] for i in range(50_000)], "t")
    number = info.value.errno
    del info  # its traceback holds openpyxl's objects: collected now, as they would be after the command
    gc.collect()
    assert number == errno.ENOSPC and seen == [] and os.listdir(tmp_path) == []


# ---- a workspace another writer holds ------------------------------------------------
def _hold(db_path: Path, seconds: float) -> threading.Event:
    """Another writer: a write transaction held ``seconds``. Returns once it holds it."""
    held = threading.Event()

    def hold() -> None:
        con = sqlite3.connect(db_path, isolation_level=None)
        con.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        con.execute("ROLLBACK")
        con.close()

    threading.Thread(target=hold, daemon=True).start()
    assert held.wait(5)
    return held


def test_an_import_into_a_busy_workspace_is_said_within_seconds(db_path, tmp_path, capsys):
    source = tmp_path / "clients.csv"
    source.write_text("code;nom;CA\nZ950;OCCUPÉ;10\n", encoding="utf-8")
    _hold(db_path, 40)
    i18n.set_lang("fr")
    start = time.monotonic()
    code = cli.main(["--db", str(db_path), "import", "clients", str(source), "--period", "2025"])
    waited = time.monotonic() - start
    err = capsys.readouterr().err
    assert code == 1 and "occupé" in err, err
    assert waited < 5, waited  # was 26 s: five tries of the app's 5 s busy timeout


def test_the_apps_commits_still_wait_for_each_other(db_path):
    """The app's own Workspace keeps its busy timeout: a commit meanwhile waits, then goes through."""
    from cockpit.store.workspace import Workspace

    ws = Workspace(db_path, busy_timeout_ms=5000, who="nathalie")
    try:
        _hold(db_path, 2)
        start = time.monotonic()
        ws.set_setting("probe", "1")
        assert time.monotonic() - start >= 1.5 and ws.setting("probe") == "1"
    finally:
        ws.close()
