"""A --db that is no workspace, and a workspace another write holds: a
sentence, never SQLite's class name (`cockpit: DatabaseError: file is not a
database`, exit 1), and nothing written."""

from __future__ import annotations

import sqlite3

import pytest

from cockpit import cli, i18n


@pytest.mark.parametrize("make", ["text", "directory"])
def test_a_db_that_is_no_workspace_is_said(tmp_path, capsys, make):
    i18n.set_lang("fr")
    path = tmp_path / "ws.sqlite"
    if make == "text":
        path.write_text("code;nom\nC1;Un\n", encoding="utf-8")
    else:
        path.mkdir()
    assert cli.main(["--db", str(path), "report"]) == 2
    err = capsys.readouterr().err
    assert "n'est pas un espace de travail du cockpit" in err and "DatabaseError" not in err, err
    assert make == "directory" or path.read_text(encoding="utf-8") == "code;nom\nC1;Un\n"


def test_a_workspace_held_by_another_write_is_said_and_nothing_written(db_path, tmp_path, capsys):
    i18n.set_lang("fr")
    clients = tmp_path / "clients.csv"
    clients.write_text("code,name\nZ901,Zed\n", encoding="utf-8")
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another rep's import, mid-way
    try:
        assert cli.main(["--db", str(db_path), "import", "clients", str(clients)]) == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    err = capsys.readouterr().err
    assert "occupé par une autre écriture" in err and "OperationalError" not in err, err
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM clients WHERE code = 'Z901'").fetchone() == (0,)
