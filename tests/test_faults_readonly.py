"""Issue 17, point 8: a workspace the rep cannot write opens read-only.
Reports and exports work; the app says so; edits and imports are refused in a
sentence. Root ignores file modes, so as root the workspace's directory is a
read-only bind mount in a private mount namespace (unshare -m), as on a
read-only share; otherwise it is a 0555 directory holding a 0444 file."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import sys

import pytest

from pty_run import ROOT, PtyApp


def _read_only_command(directory, argv: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return argv
    if shutil.which("unshare") is None:
        pytest.skip("root without unshare: no way to make a read-only workspace")
    d = shlex.quote(str(directory))
    script = f"mount --bind {d} {d} && mount -o remount,ro,bind {d} {d} && exec {shlex.join(argv)}"
    return ["unshare", "-m", "sh", "-c", script]


@pytest.fixture
def ro_db(db_path):
    os.chmod(db_path, 0o444)
    os.chmod(db_path.parent, 0o555)
    probe = subprocess.run(_read_only_command(db_path.parent, ["sh", "-c", f"touch {db_path.parent}/x"]),
                           capture_output=True)
    if probe.returncode == 0:
        os.unlink(db_path.parent / "x") if (db_path.parent / "x").exists() else None
        pytest.skip("this machine cannot make a read-only directory")
    yield db_path
    os.chmod(db_path.parent, 0o700)
    os.chmod(db_path, 0o600)


def _cli(db_path, *args) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "screens", "--db", str(db_path), *map(str, args)]
    return subprocess.run(_read_only_command(db_path.parent, argv), cwd=ROOT, capture_output=True, text=True, timeout=60)


def test_reports_and_exports_work_on_a_read_only_workspace(ro_db, tmp_path):
    done = _cli(ro_db, "report")
    assert done.returncode == 0, done.stderr
    assert "45 clients" in done.stdout
    target = tmp_path / "clients.xlsx"
    done = _cli(ro_db, "export", "clients", target)
    assert done.returncode == 0, done.stderr
    assert target.stat().st_size > 0


def test_an_import_into_a_read_only_workspace_is_refused_in_a_sentence(ro_db, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text("code,name,revenue\nC900,NOUVEAU,100\n", encoding="utf-8")
    done = _cli(ro_db, "import", "clients", path, "--period", "2025")
    assert done.returncode == 2
    assert "lecture seule" in done.stderr and "Traceback" not in done.stderr and "Error" not in done.stderr
    db = sqlite3.connect(f"file:{ro_db}?mode=ro", uri=True)
    assert db.execute("SELECT count(*) FROM clients WHERE code = 'C900'").fetchone()[0] == 0
    db.close()


@pytest.mark.slow
def test_the_app_opens_read_only_says_so_and_refuses_an_edit(ro_db, tmp_path):
    env = {"COCKPIT_STATE_DIR": str(tmp_path / "state"), "COCKPIT_CONFIG": str(tmp_path / "c.toml")}
    argv = [sys.executable, "-m", "screens", "--db", str(ro_db)]
    app = PtyApp([], env, command=_read_only_command(ro_db.parent, argv))
    assert app.read_until(b"LORFLEX"), app.output[-400:]
    assert app.read_until("lecture seule".encode())
    seen = len(app.output)
    app.send(b"e")
    app.drain(0.6)
    app.send(b"150000\r")  # the editor opens with the amount selected: 150000 replaces it
    assert app.read_until("enregistré".encode())  # "Non enregistré — LORFLEX, CA revient à …: lecture seule"
    assert "inattendue".encode() not in app.output[seen:]
    app.drain(3)  # the old value is put back: the refused 150 000 € does not stay
    tail = app.output[-20000:].replace("\u202f".encode(), b" ")
    assert b"175" in tail and b"150 000 \xe2\x82\xac" not in tail
    app.send(b"\x11")
    app.wait(timeout=10)


def test_a_workspace_whose_path_holds_uri_characters_reads_in_parallel(sample_db, tmp_path):
    """The parallel read opens its connections by URI: a folder named with a
    space, '?', '#', '%' or an accent is quoted, never taken as a query."""
    import shutil

    from cockpit.store.portfolio_read import in_parallel

    folder = tmp_path / "équipe #1 ? 50% b"
    folder.mkdir()
    shutil.copy(sample_db, folder / "ws.sqlite")
    got = in_parallel(folder / "ws.sqlite", {"n": lambda db: db.execute("SELECT count(*) FROM clients").fetchone()[0]})
    import sqlite3

    with sqlite3.connect(sample_db) as db:
        assert got == {"n": db.execute("SELECT count(*) FROM clients").fetchone()[0]} and got["n"] > 0
