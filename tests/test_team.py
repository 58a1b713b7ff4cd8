"""The team (issue 13, first part, SQLite): reps and managers, an owner for
every client and prospect, `cockpit rep` to add, list, deactivate and
transfer; the sample's owners against a reference read from its files."""

from __future__ import annotations

import csv
import sqlite3
from collections import Counter
from pathlib import Path

from cockpit import cli
from cockpit.store.workspace import Workspace

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def rows(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_the_sample_team_owns_every_client_and_prospect_as_its_files_say(db_path):
    """Owner = the rep who contacted it most (ties to the first login), else the reps in turn."""
    team = rows("reps.csv")
    login = {r["name"]: r["login"] for r in team}
    reps = [r["login"] for r in team if r["role"] == "rep"]
    assert len(reps) == 4 and [r["login"] for r in team if r["role"] == "manager"] == ["nathalie"]
    by = {"clients": Counter(), "prospects": Counter()}
    for v in rows("visits.csv"):
        if v["client_code"]:
            by["clients"][(v["client_code"], login[v["rep"]])] += 1
        else:
            by["prospects"][(v["prospect"], login[v["rep"]])] += 1
    db = sqlite3.connect(db_path)
    for table, key in (("clients", "code"), ("prospects", "company")):
        expected, turn = {}, 0
        for (name,) in db.execute(f"SELECT {key} FROM {table} ORDER BY {key}, id"):
            seen = {rep: n for (k, rep), n in by[table].items() if k == name}
            if seen:
                expected[name] = sorted(seen, key=lambda r: (-seen[r], r))[0]
            else:
                expected[name], turn = reps[turn % 4], turn + 1
        got = dict(db.execute(f"SELECT {key}, owner FROM {table}"))
        assert got == expected
        assert set(got.values()) == set(reps)  # every rep has a portfolio of each kind


def test_rep_commands_add_list_deactivate_and_transfer_undone_whole(db_path, capsys):
    db = ["--db", str(db_path), "--lang", "fr"]
    assert cli.main([*db, "rep", "add", "paul", "--name", "Paul Henry"]) == 0
    assert cli.main([*db, "rep", "transfer", "thomas", "paul", "--clients"]) == 0
    assert "5 clients et 0 prospect passent de thomas à paul" in capsys.readouterr().out.replace("\u202f", " ")
    assert cli.main([*db, "rep", "deactivate", "thomas"]) == 0
    assert cli.main([*db, "rep", "list"]) == 0
    listed = capsys.readouterr().out
    assert "paul  Paul Henry · commercial · 5 clients · 0 prospect" in listed
    assert "thomas  Thomas Schneider · commercial (inactif) · 0 client · 8 prospects" in listed
    assert listed.splitlines()[1].startswith("nathalie  Nathalie Roux · responsable")  # after the deactivation's line
    # The transfer is one unit: one undo by the one who made it gives every client back.
    import getpass

    ws = Workspace(db_path, who=getpass.getuser())
    ws.undo()  # the deactivation
    undone = ws.undo()  # the transfer, whole
    assert undone is not None and len(undone) == 5
    assert ws.db.execute("SELECT count(*) FROM clients WHERE owner = 'thomas'").fetchone()[0] == 5
    ws.close()


def test_rep_commands_refuse_in_a_sentence_and_exit_2(db_path, capsys):
    db = ["--db", str(db_path), "--lang", "fr"]
    cases = [
        (["rep", "add", "Claire M", "--name", "X"], "n'est pas un identifiant"),
        (["rep", "add", "claire", "--name", "Claire Martin"], "fait déjà partie de l'équipe"),
        (["rep", "add", "zoe", "--name", "  "], "nom affiché est vide"),
        (["rep", "deactivate", "nobody"], "ne fait pas partie de l'équipe"),
        (["rep", "transfer", "claire", "nobody"], "ne fait pas partie de l'équipe"),
    ]
    for argv, words in cases:
        assert cli.main([*db, *argv]) == 2
        err = capsys.readouterr().err
        assert words in err and "Traceback" not in err
    assert cli.main([*db, "rep", "deactivate", "thomas"]) == 0
    assert cli.main([*db, "rep", "transfer", "claire", "thomas"]) == 2
    assert "inactif" in capsys.readouterr().err


def test_an_older_workspace_gains_the_team_columns_and_keeps_its_rows(tmp_path):
    from cockpit.store.schema import MIGRATIONS

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:5]:  # the schema before the team's migration (the sixth)
        for statement in script:
            db.execute(statement)
    db.execute("PRAGMA user_version=5")
    db.execute("INSERT INTO clients(code, name) VALUES ('C1', 'ANCIEN')")
    db.commit()
    db.close()
    ws = Workspace(path, who="claire")
    assert ws.db.execute("SELECT code, owner FROM clients").fetchall() == [("C1", None)]
    assert ws.db.execute("SELECT count(*) FROM reps").fetchone()[0] == 0
    ws.close()
