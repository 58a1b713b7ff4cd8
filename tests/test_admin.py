"""Team workspace, backups, bad config files, rejected rows (issue 7)."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from cockpit.store.admin import AdminError, backup, filesystem_type, init_shared, mode_of
from cockpit.store.workspace import Workspace
from test_cli import cockpit


def test_team_workspace_is_group_writable_in_a_setgid_directory(tmp_path):
    path = init_shared(tmp_path / "team")
    assert mode_of(path) == 0o660
    assert mode_of(path.parent) & 0o7777 == 0o2770 and os.stat(path.parent).st_mode & stat.S_ISGID
    ws = Workspace(path)
    assert ws.setting("kind") == "team" and ws.is_empty()


def test_team_workspace_refuses_a_network_filesystem(tmp_path):
    mounts = f"server:/export {tmp_path} nfs4 rw 0 0\n/dev/sda1 / ext4 rw 0 0\n"
    assert filesystem_type(tmp_path / "team", mounts) == "nfs4"
    with pytest.raises(AdminError, match="système de fichiers réseau"):  # in the interface's language (was English)
        init_shared(tmp_path / "team", mounts=mounts)


def test_cli_init_keeps_a_team_workspace_empty(tmp_path):
    out = cockpit("init", "--shared", str(tmp_path / "team"))
    assert out.returncode == 0, out.stderr
    report = cockpit("--db", str(tmp_path / "team" / "workspace.sqlite"), "report")
    assert report.returncode == 0 and "Aucun client dans cet espace de travail" in report.stdout


def test_backup_uses_the_backup_api_and_is_consistent(db_path, tmp_path):
    ws = Workspace(db_path)
    ws.edit("amounts", (1, "2025"), "revenue", 42)  # still in the WAL, not in the main file
    target = backup(ws, tmp_path / "copy.sqlite")
    assert mode_of(target) == 0o600
    assert sqlite3.connect(target).execute("SELECT revenue FROM amounts WHERE client_id = 1 AND period = '2025'").fetchone() == (42,)
    with pytest.raises(AdminError):
        backup(ws, target)
    out = cockpit("--db", str(db_path), "backup", str(tmp_path / "second.sqlite"))
    assert out.returncode == 0 and (tmp_path / "second.sqlite").exists()


def test_a_bad_config_file_is_named_and_stops_without_a_terminal(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[abc]\na_limit = 2\n")
    out = cockpit("--config", str(cfg), "abc", "sample_data/seed-portfolio.csv")
    assert out.returncode == 2 and str(cfg) in out.stderr and "abc.a_limit" in out.stderr and "Traceback" not in out.stderr


def test_skip_bad_imports_the_good_rows_and_writes_the_rejects(tmp_path, db_path):
    src = tmp_path / "ventes.csv"
    src.write_text("Code client;Date;Famille;CA\nC001;03/04/2025;Sanitaire;1 000\nC001;31/02/2025;Sanitaire;5\n"
                   "C002;04/04/2025;Chauffage;2 000,50\n", encoding="utf-8")
    db = db_path  # the sample's clients C001 and C002
    out = cockpit("--db", str(db), "import", "sales", str(src), "--skip-bad", "--yes")  # replaces 2025: a script says yes
    assert out.returncode == 0, out.stderr
    rejects = (tmp_path / "ventes.rejets.csv").read_text(encoding="utf-8-sig")
    assert "3;" in rejects and "31/02/2025" in rejects
    lines = sqlite3.connect(db).execute("SELECT count(*) FROM sales WHERE date LIKE '2025%'").fetchone()
    assert lines == (2,)
