"""Where a workspace comes from. The sample lives in its own file
(`cockpit --demo`, `make run`); a rep's workspace starts empty and is filled
by their files, never mixed with the sample's clients; a path typed by hand
that is not there is said in a sentence (exit 2) and nothing is created, so a
typo never opens an empty cockpit, or the sample, as if it were the team's."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from cockpit import cli, config
from cockpit.store.workspace import Workspace
from tests.conftest import ready

SAMPLE_CLIENTS = 45  # with revenue in the sample's last full year, as the report says


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """The rep's own data directory (platformdirs reads XDG_DATA_HOME) and no config of theirs."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("COCKPIT_CONFIG", str(tmp_path / "no-config.toml"))
    return tmp_path / "data" / "sales-cockpit"


@pytest.mark.parametrize("command", [["report"], ["export", "clients", "{tmp}/out.csv"], ["backup", "{tmp}/copy.sqlite"],
                                     ["rep", "list"]])
def test_a_path_typed_by_hand_that_is_not_there_is_said_and_nothing_is_created(home, tmp_path, capsys, command):
    typo = tmp_path / "equipe" / "workspace.sqllite"
    assert cli.main(["--db", str(typo), *(word.format(tmp=tmp_path) for word in command)]) == 2
    err = capsys.readouterr().err
    assert f"{typo} : aucun espace de travail à cet endroit, rien n'a été créé" in err and "cockpit --demo" in err
    assert f"cockpit --db {typo} import clients FICHIER" in err and "Traceback" not in err
    assert not typo.parent.exists() and not home.exists()


def test_the_configurations_workspace_path_is_checked_the_same(home, tmp_path, capsys):
    missing = tmp_path / "srv" / "cockpit.sqlite"
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'[workspace]\npath = "{missing}"\n', encoding="utf-8")
    assert cli.main(["--config", str(cfg), "report"]) == 2
    assert f"{missing} : aucun espace de travail" in capsys.readouterr().err and not missing.parent.exists()


def test_an_import_into_a_new_path_starts_a_workspace_with_the_files_clients_only(home, tmp_path, capsys):
    erp = tmp_path / "erp.csv"
    erp.write_text("code;nom;CA\nX1;Alpha;1000\nX2;Beta;500\n", encoding="utf-8")
    new = tmp_path / "mine" / "portefeuille.sqlite"
    assert cli.main(["--db", str(new), "import", "clients", str(erp)]) == 0
    db = sqlite3.connect(new)
    assert db.execute("SELECT code, name FROM clients ORDER BY code").fetchall() == [("X1", "Alpha"), ("X2", "Beta")]
    assert db.execute("SELECT count(*) FROM prospects").fetchone() == (0,)  # not one of the sample's
    db.close()
    capsys.readouterr()
    assert cli.main(["--db", str(new), "report"]) == 0
    assert "2 clients · CA 1\u202f500\xa0€" in capsys.readouterr().out


def test_the_demo_is_the_sample_in_its_own_file_and_the_rep_s_workspace_starts_empty(home, capsys):
    assert cli.main(["--demo", "report"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Portefeuille {home / 'demo.sqlite'} ") and f"{SAMPLE_CLIENTS} clients" in out
    assert cli.main(["report"]) == 0  # no --db: the rep's own workspace, made at first use, empty
    out = capsys.readouterr().out
    assert out.startswith(f"Portefeuille {home / 'workspace.sqlite'} ")
    assert "Aucun client dans cet espace de travail : cockpit import clients FICHIER" in out and "cockpit --demo" in out
    assert sqlite3.connect(home / "workspace.sqlite").execute("SELECT count(*) FROM clients").fetchone() == (0,)
    assert cli.main(["--demo", "--db", str(home / "workspace.sqlite"), "report"]) == 2
    assert "--demo ouvre l'exemple dans son propre fichier" in capsys.readouterr().err


def test_the_demo_is_served_as_the_demo():
    import argparse

    from cockpit.serve import app_command

    args = argparse.Namespace(db=None, demo=True, config=None, lang=None, rep=None)
    assert " --demo" in app_command(args)


async def test_an_empty_workspace_says_how_to_fill_it_with_the_live_keys(tmp_path):
    from screens.app import CockpitApp
    from textual.widgets import Static

    ws = Workspace(tmp_path / "w.sqlite", who="claire")
    app = CockpitApp(ws, config.DEFAULTS, tmp_path / "config.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        summary = " ".join(str(app.screen.query_one("#summary", Static).render()).split())  # as one line
    assert summary.startswith("Aucun client dans cet espace de travail. i importe un fichier de clients")
    assert "I des lignes de ventes" in summary and "cockpit --demo" in summary
