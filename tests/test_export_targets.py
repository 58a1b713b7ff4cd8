"""An export never lands on a workspace nor on what is not a plain file:
`export clients ws.sqlite` replaced the workspace with a CSV (exit 0, every
later command "file is not a database"), ctrl+s truncated it, and as root an
export to /dev/full replaced the device with a file."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from cockpit import cli, i18n
from tests.conftest import ready


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("suffix, words", [("", "est un espace de travail du cockpit"),
                                            ("-wal", "est un espace de travail du cockpit")])
def test_an_export_over_the_workspace_is_refused(db_path, capsys, suffix, words):
    i18n.set_lang("fr")
    with sqlite3.connect(db_path) as db:  # the WAL file, as an open workspace has it
        db.execute("PRAGMA journal_mode=WAL")
    target = db_path.with_name(db_path.name + suffix)
    before = digest(db_path)
    assert cli.main(["--db", str(db_path), "export", "clients", str(target)]) == 2
    assert words in capsys.readouterr().err
    assert digest(db_path) == before and cli.main(["--db", str(db_path), "report"]) == 0


def test_an_export_over_a_device_is_refused(db_path, capsys):
    i18n.set_lang("fr")
    assert cli.main(["--db", str(db_path), "export", "clients", "/dev/null"]) == 2
    assert "n'est pas un fichier ordinaire" in capsys.readouterr().err


async def test_saving_the_screen_over_the_workspace_is_refused(make_app, db_path):
    with sqlite3.connect(db_path) as db:
        clients = db.execute("SELECT count(*) FROM clients").fetchone()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+s")
        await ready(pilot)
        field = app.screen.query_one("#file-name")
        field.value = str(db_path)
        await pilot.press("enter")
        await ready(pilot)
    assert db_path.read_bytes()[:16] == b"SQLite format 3\x00"
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM clients").fetchone() == clients
