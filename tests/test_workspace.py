"""The SQLite workspace: schema, edits, journal, crash safety."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cockpit.store.loading import load_sample
from cockpit.store.units import ImportBarrier
from cockpit.store.workspace import Conflict, Workspace

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def ws(tmp_path):
    w = Workspace(tmp_path / "ws" / "w.sqlite", who="claire")
    load_sample(w)
    yield w
    w.close()


def test_sample_workspace_is_the_decks_portfolio(ws):
    assert ws.periods() == ["2023", "2024", "2025"]
    data = ws.load_portfolio("2025")
    assert len(data.name) == 45
    assert int(data.amount.sum()) == 106_107_700  # 1 061 077 € in cents
    assert ws.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert ws.db.execute("PRAGMA user_version").fetchone()[0] >= 1
    assert ws.db.execute("SELECT count(*) FROM prospects").fetchone()[0] >= 50


def test_personal_workspace_is_private(tmp_path):
    w = Workspace(tmp_path / "private" / "w.sqlite")
    assert stat.S_IMODE(os.stat(w.path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(w.path.parent).st_mode) == 0o700


def test_edit_undo_redo_survive_a_restart(ws, tmp_path):
    cid = ws.load_portfolio("2025").client_id[0]
    ws.edit("amounts", (int(cid), "2025"), "revenue", 123)
    ws.close()
    again = Workspace(ws.path, who="claire")
    assert again.get("amounts", (int(cid), "2025"), "revenue")[0] == 123
    [undone] = again.undo()
    assert undone.new == 17_587_600 and again.get("amounts", (int(cid), "2025"), "revenue")[0] == 17_587_600
    again.close()
    third = Workspace(ws.path, who="claire")
    assert third.redo()[0].new == 123
    assert third.redo() is None
    third.close()


def test_a_new_edit_drops_redo(ws):
    key = (1, "2025")
    ws.edit("amounts", key, "revenue", 1)
    ws.undo()
    ws.edit("amounts", key, "revenue", 2)
    assert ws.redo() is None
    assert ws.undo()[0].new == 17_587_600


def test_undo_is_per_user(ws):
    other = Workspace(ws.path, who="paul")
    other.edit("amounts", (2, "2025"), "revenue", 5)
    with pytest.raises(ImportBarrier):  # this rep's last unit is the sample's import, not paul's edit
        ws.undo()
    assert other.undo()[0].key == (2, "2025")
    assert other.undo() is None
    other.close()


def test_an_import_is_one_barrier_undo_names_and_never_passes(ws, tmp_path):
    """Bug 7 of issue 12: `u` right after an import undid an older edit and left the imported clients."""
    from cockpit.store.loading import import_clients
    from cockpit.io.tabular import read_records

    ws.edit("clients", (1,), "potential", 123_00)
    path = tmp_path / "new.csv"
    path.write_text("code,nom,ca\nN1,Nouveau Un,100\nN2,Nouveau Deux,200\n", encoding="utf-8")
    import_clients(ws, read_records(path, "clients"), "2025")
    count = ws.db.execute("SELECT count(*) FROM clients").fetchone()[0]
    for _ in range(2):  # asked twice, still the barrier: never the potential edit behind it
        with pytest.raises(ImportBarrier) as caught:
            ws.undo()
        assert caught.value.what == "clients"
    assert ws.db.execute("SELECT count(*) FROM clients").fetchone()[0] == count
    assert ws.get("clients", (1,), "potential")[0] == 123_00


def test_an_undo_that_meets_anothers_change_is_set_aside_and_the_next_takes_the_previous_edit(ws):
    first = ws.edit("clients", (1,), "potential", 111)
    ws.edit("clients", (2,), "potential", 222)
    other = Workspace(ws.path, who="paul")
    other.edit("clients", (2,), "potential", 999)
    with pytest.raises(Conflict):
        ws.undo()
    assert ws.get("clients", (2,), "potential")[0] == 999  # theirs stands
    [undone] = ws.undo()  # moves on to the rep's previous own edit
    assert undone.key == (1,) and undone.new == first.old
    other.close()


def test_a_unit_is_journaled_once_per_change_and_undone_whole(ws):
    with ws.unit() as u:
        u.set("clients", (1,), "potential", 1)
        u.set("clients", (2,), "potential", 2)
        u.set("amounts", (1, "2025"), "revenue", 3)
    assert [e.key for e in ws.undo()] == [(1, "2025"), (2,), (1,)]
    assert ws.get("clients", (2,), "potential")[0] != 2
    assert len(ws.redo()) == 3 and ws.get("amounts", (1, "2025"), "revenue")[0] == 3


def test_stale_version_is_a_conflict_not_an_overwrite(ws):
    value, version = ws.get("amounts", (1, "2025"), "revenue")
    other = Workspace(ws.path, who="paul")
    other.edit("amounts", (1, "2025"), "revenue", 777, expected_version=version)
    with pytest.raises(Conflict) as exc:
        ws.edit("amounts", (1, "2025"), "revenue", 999, expected_version=version)
    assert exc.value.theirs == 777
    assert ws.get("amounts", (1, "2025"), "revenue")[0] == 777
    other.close()


def test_failed_transaction_leaves_nothing(ws):
    before = ws.db.execute("SELECT count(*) FROM journal").fetchone()[0]
    with pytest.raises(KeyError):
        ws.edit("clients", (99999,), "potential", 5)
    assert ws.db.execute("SELECT count(*) FROM journal").fetchone()[0] == before
    assert not ws.db.in_transaction


KILL_LOOP = textwrap.dedent(
    """
    import sys
    from cockpit.store.workspace import Workspace
    ws = Workspace(sys.argv[1], who="claire")
    for i in range(1, 100000):
        ws.edit("amounts", (1, "2025"), "revenue", i)
        print(i, flush=True)  # acknowledged: committed before it is shown
    """
)


@pytest.mark.slow
def test_sigkill_after_acknowledged_edit_loses_nothing(ws):
    ws.close()
    proc = subprocess.Popen([sys.executable, "-c", KILL_LOOP, str(ws.path)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    acknowledged = 0
    for line in proc.stdout:
        acknowledged = int(line)
        if acknowledged >= 40:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    db = sqlite3.connect(ws.path)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = db.execute("SELECT revenue FROM amounts WHERE client_id = 1 AND period = '2025'").fetchone()[0]
    assert stored >= acknowledged
    journaled = db.execute("SELECT count(*) FROM journal").fetchone()[0]
    assert journaled >= acknowledged


def test_create_and_delete_rows_are_undoable(ws):
    edit = ws.create("prospects", {"company": "Plomberie [EU]", "stage": "suspect"})
    (pid,) = edit.key
    ws.edit("prospects", (pid,), "stage", "froid")
    deleted = ws.delete("prospects", (pid,))
    assert deleted.old["company"] == "Plomberie [EU]" and deleted.old["stage"] == "froid"
    assert ws.db.execute("SELECT count(*) FROM prospects WHERE id = ?", (pid,)).fetchone()[0] == 0
    ws.undo()  # the delete: the row is back with the same id and values
    assert ws.db.execute("SELECT company, stage FROM prospects WHERE id = ?", (pid,)).fetchone() == ("Plomberie [EU]", "froid")
    ws.undo()  # the stage edit
    ws.undo()  # the create
    assert ws.db.execute("SELECT count(*) FROM prospects WHERE id = ?", (pid,)).fetchone()[0] == 0
    assert ws.redo()[0].key == (pid,)
    assert ws.db.execute("SELECT stage FROM prospects WHERE id = ?", (pid,)).fetchone() == ("suspect",)


def test_scores_and_activity_are_created_by_their_first_edit(ws):
    ws.edit("qualification", (1, "moment"), "score", 4)
    assert ws.get("qualification", (1, "moment"), "score") == (4, 1)
    ws.edit("activity", ("Claire Martin", "2026-12", "orientation"), "value", 7.0)
    assert ws.undo()[0].new is None


def test_edits_never_store_terminal_control(ws):
    edit = ws.create("prospects", {"company": "ACME\x1b]0;pwned\x07\x1b[2J Ltd\u202e\u200b", "stage": "suspect"})
    stored = ws.db.execute("SELECT company FROM prospects WHERE id = ?", edit.key).fetchone()[0]
    assert stored == "ACME Ltd"
    ws.edit("prospects", edit.key, "notes", "rappel\x00 \x9bjeudi")
    assert ws.get("prospects", edit.key, "notes")[0] == "rappel jeudi"


def test_a_version_1_workspace_is_migrated_in_place(tmp_path):
    from cockpit.store.schema import MIGRATIONS

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    for statement in MIGRATIONS[0]:
        db.execute(statement)
    db.execute("INSERT INTO clients(code, name) VALUES ('C1', 'ANCIEN')")
    db.execute("PRAGMA user_version=1")
    db.commit()
    db.close()
    ws = Workspace(path)
    assert ws.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert ws.db.execute("SELECT name FROM sqlite_master WHERE name = 'clients_by_name_code'").fetchone()
    assert ws.db.execute("SELECT name FROM clients").fetchall() == [("ANCIEN",)]
    ws.set_setting("kind", "team")
    assert ws.setting("kind") == "team"


def test_workspace_ties_and_groups_follow_the_method(tmp_path):
    """METHOD §1 through the importer and both readers: ties by (name, code as
    text), never by the order clients were entered; an ungrouped client is a
    group of its own, never merged with a namesake."""
    import numpy as np

    from cockpit.store.loading import import_clients
    from cockpit.portfolio.model import PortfolioModel
    from cockpit.io.tabular import read_records

    csv_path = tmp_path / "c.csv"
    csv_path.write_text("code,name,group,revenue 2025\nZ9,SAME,,50\nA1,SAME,,50\nM5,SAME,,50\nB2,OTHER,,10\n"
                        "D1,DUPONT,,5\nD2,DUPONT,,5\nL1,LORFLEX METZ,,4\nL2,LORFLEX SITE,LORFLEX METZ,3\n", encoding="utf-8")
    w = Workspace(tmp_path / "w.sqlite")
    import_clients(w, read_records(csv_path, "clients"))
    assert w.db.execute("SELECT grp FROM clients WHERE code = 'D1'").fetchone() == ("",)
    for data in (w.load_portfolio("2025"), w.load_portfolio("2025", rolling=False)):
        model = PortfolioModel(data)
        ranked = [data.code[int(i)] for i in model.accounts.order]
        expected = sorted(data.code, key=lambda c: (-int(data.amount[list(data.code).index(c)]),
                                                     data.name[list(data.code).index(c)], c))
        assert ranked == expected and ranked[:3] == ["A1", "M5", "Z9"]
        model.set_view("group")
        groups = sorted((str(model.group_names[g]), model.group_id(g)) for g in range(len(model.group_names)))
        assert ("DUPONT", "D1") in groups and ("DUPONT", "D2") in groups
        assert ("LORFLEX METZ", "L1") in groups and ("LORFLEX METZ", "LORFLEX METZ") in groups
        assert len(groups) == 8


def test_migration_splits_groups_that_were_copies_of_the_name(tmp_path):
    """Before METHOD §1's rule, an empty group took the client's name: two
    unrelated DUPONT became one group. A group whose members all bear its
    name was such a copy; a real group (LORFLEX with its sites) stays."""
    from cockpit.store.schema import MIGRATIONS

    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:3]:
        for statement in script:
            db.execute(statement)
    db.executemany("INSERT INTO clients(code, name, grp) VALUES (?, ?, ?)", [
        ("D1", "DUPONT", "DUPONT"), ("D2", "DUPONT", "DUPONT"),
        ("L1", "LORFLEX", "LORFLEX"), ("L2", "LORFLEX CHENOVE", "LORFLEX")])
    db.execute("PRAGMA user_version=3")
    db.commit()
    db.close()
    ws = Workspace(path)
    groups = dict(ws.db.execute("SELECT code, grp FROM clients"))
    assert groups == {"D1": "", "D2": "", "L1": "LORFLEX", "L2": "LORFLEX"}
    ws.close()
