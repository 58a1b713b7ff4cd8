"""Issue 17, point 12: exports, rejects and errors.log are created 0600 (or
0660 beside a team's shared workspace), never the umask's 0644."""

from __future__ import annotations

import os
import stat

import pytest

from cockpit.cli import main


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture(autouse=True)
def wide_umask():
    old = os.umask(0o022)  # the usual umask: files would come out 0644
    yield
    os.umask(old)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_exports_are_private(db_path, tmp_path, suffix):
    target = tmp_path / f"clients{suffix}"
    assert main(["--db", str(db_path), "export", "clients", str(target)]) == 0
    assert _mode(target) == 0o600


def test_rejects_are_private(db_path, tmp_path):
    path = tmp_path / "ventes.csv"
    path.write_text("Code client;Date;Famille;CA\nC001;31/02/2026;Chauffage;5\nC001;01/02/2026;Chauffage;5\n",
                    encoding="utf-8")
    assert main(["--db", str(db_path), "import", "sales", str(path), "--skip-bad"]) == 0
    assert _mode(tmp_path / "ventes.rejets.csv") == 0o600


def test_the_error_log_is_private(tmp_path, monkeypatch):
    from cockpit.errorlog import log_exception

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    try:
        raise RuntimeError("a client's name in a traceback")
    except RuntimeError as exc:
        log = log_exception(exc)
    assert _mode(log) == 0o600


def test_exports_beside_a_team_workspace_are_shared_like_it(tmp_path, capsys):
    team = tmp_path / "team"
    assert main(["init", "--shared", str(team)]) == 0
    db = next(team.glob("*.sqlite"))
    assert _mode(db) & 0o060 == 0o060
    target = tmp_path / "clients.csv"
    assert main(["--db", str(db), "export", "clients", str(target)]) == 0
    assert _mode(target) == 0o660
