"""A rep writes only their own rows, on SQLite too (METHOD §8: a portfolio is
a rep's). PostgreSQL's row-level security refuses the others' rows
(tests/test_pg_imports.py, tests/test_pg_schema.py); on SQLite the cockpit
refuses the same writes in the same sentences: an edit, an undo, every kind
of import, and the team's and the shared settings' changes, which are a
manager's. Before, a rep's clients file renamed a colleague's client and
moved its revenue, a visits file wiped a colleague's month, and `rep add
--manager` as a rep made a manager."""

from __future__ import annotations

import sqlite3

import pytest

from cockpit import cli, i18n
from cockpit.store.own_rows import OWNER_OF, MANAGERS_ONLY, NotYours
from cockpit.store.pg.schema import OWNED_BY, TEAM_WIDE
from cockpit.store.workspace import Workspace
from tests.conftest import ready
from tests.kit_cases import burst

C002, C004 = 2, 4  # MEQUISA is claire's, MEGNIN sophie's (the sample's owners)
EVERYTHING = ("clients", "amounts", "sales", "prospects", "stage_history", "activity", "visits", "reps", "settings")


def dump(db_path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db_path) as db:
        return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in EVERYTHING}


def run(db_path, capsys, who: str, *args: str, config: str | None = None) -> tuple[int, str]:
    i18n.set_lang("fr")
    code = cli.main(["--db", str(db_path), "--rep", who, *(["--config", config] if config else []), *args])
    return code, capsys.readouterr().err.strip()


def test_the_rules_are_postgresqls():
    assert set(OWNER_OF) == set(OWNED_BY) - {"journal"}  # the journal: undo takes only the rep's own units
    assert MANAGERS_ONLY == set(TEAM_WIDE)


FILES = {  # kind, content, the refusal's words
    "clients by code": ("clients", "code;nom;potentiel;CA 2025\nC039;LORFLEX PIRATE;999900;1\n",
                        "ligne 2, colonne « code » : « C039 » — attendu : un client de votre portefeuille"),
    "clients to another owner": ("clients", "code;nom;commercial\nC001;LORFLEX;sophie\n",
                                 "« sophie » — attendu : vous-même (claire)"),
    "a prospect of another": ("prospects", "company;stage;notes\nSARL Climatisation Picard;perdu;x\n",
                              "elle est le prospect de sophie"),
    "another's activity": ("activity", "rep;period;activite;efficacite;orientation\nSophie Girard;2026-11;0;0;0\n",
                           "« Sophie Girard » — attendu : vous-même (claire)"),
    "another's visits": ("visits", "date;rep;client_code;prospect;kind;outcome\n03/11/2026;Sophie Girard;C001;;appel;rien\n",
                         "« Sophie Girard » — attendu : vous-même (claire)"),
    "a visit to another's client": ("visits", "date;rep;client_code;prospect;kind;outcome\n03/11/2026;claire;C039;;appel;rien\n",
                                    "« C039 » — attendu : un client de votre portefeuille"),
}


@pytest.mark.parametrize("case", sorted(FILES))
def test_a_reps_import_naming_another_reps_row_is_refused_on_its_line(db_path, tmp_path, capsys, case):
    kind, content, words = FILES[case]
    path = tmp_path / f"{kind}.csv"
    path.write_text(content, encoding="utf-8")
    before = dump(db_path)
    code, said = run(db_path, capsys, "claire", "import", kind, str(path))
    assert code == 2 and words in said and "Traceback" not in said, said
    assert dump(db_path) == before
    # The manager imports for everyone.
    assert run(db_path, capsys, "nathalie", "import", kind, str(path))[0] == 0


def test_a_reps_own_clients_import_still_works_and_new_rows_are_theirs(db_path, tmp_path, capsys):
    path = tmp_path / "clients.csv"
    path.write_text("code;nom;potentiel\nC002;MEQUISA;200 000\nZ900;NOUVEAU;\n", encoding="utf-8")
    assert run(db_path, capsys, "claire", "import", "clients", str(path))[0] == 0
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT code, potential, owner FROM clients WHERE code IN ('C002', 'Z900') ORDER BY code"
                          ).fetchall() == [("C002", 20_000_000, "claire"), ("Z900", None, "claire")]


@pytest.mark.parametrize("args", [("rep", "add", "mallory", "--name", "Mallory", "--manager"),
                                  ("rep", "transfer", "sophie", "claire"), ("rep", "deactivate", "thomas")])
def test_only_a_manager_changes_the_team(db_path, capsys, args):
    before = dump(db_path)
    code, said = run(db_path, capsys, "claire", *args)
    assert code == 2 and "seul un responsable change l'équipe" in said, said
    assert dump(db_path) == before
    assert run(db_path, capsys, "nathalie", *args)[0] == 0


def test_only_a_manager_saves_the_shared_settings(db_path, tmp_path, capsys):
    config = tmp_path / "limits.toml"
    config.write_text("[abc]\na_limit = 0.5\n", encoding="utf-8")
    before = dump(db_path)
    code, said = run(db_path, capsys, "claire", "settings", "--save", config=str(config))
    assert code == 2 and "seul un responsable" in said and dump(db_path) == before
    assert run(db_path, capsys, "nathalie", "settings", "--save", config=str(config))[0] == 0


def test_a_reps_edit_of_another_reps_row_is_refused_and_leaves_it(db_path):
    ws = Workspace(db_path, who="claire")
    before = dump(db_path)
    for entity, key, field, value in (("amounts", (C004, "2025"), "revenue", 1), ("clients", (C004,), "notes", "x"),
                                      ("amounts", (C004, "2031"), "revenue", 1),  # a new row of another's client
                                      ("clients", (C002,), "owner", "sophie"),  # giving one's own client away
                                      ("activity", ("Sophie Girard", "2026-11", "activite"), "value", 0.0),
                                      ("reps", ("claire",), "role", "manager")):
        with pytest.raises(NotYours):
            ws.edit(entity, key, field, value)
    with pytest.raises(NotYours):
        ws.create("visits", {"date": "2026-11-03", "rep": "sophie", "client_id": C004, "kind": "appel", "outcome": "rien"})
    assert dump(db_path) == before
    assert ws.edit("clients", (C002,), "notes", "à rappeler").new == "à rappeler"  # her own: as before
    ws.close()


def test_undo_of_a_row_transferred_since_is_set_aside_and_the_previous_unit_comes_next(db_path):
    claire = Workspace(db_path, who="claire")
    claire.edit("clients", (1,), "notes", "LORFLEX : relancer")
    claire.edit("clients", (C002,), "notes", "MEQUISA : devis")
    manager = Workspace(db_path, who="nathalie")
    manager.edit("clients", (C002,), "owner", "sophie")
    with pytest.raises(NotYours, match="MEQUISA"):
        claire.undo()
    edits = claire.undo()  # the unit before it, not the same refusal again
    assert edits is not None and edits[0].key == (1,) and edits[0].old == "LORFLEX : relancer"
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT notes FROM clients WHERE id = ?", (C002,)).fetchone() == ("MEQUISA : devis",)
    claire.close()
    manager.close()


@pytest.mark.asyncio
async def test_the_teams_view_is_read_only_for_a_rep(make_app, db_path):
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("E")  # the team's view
        await ready(pilot)
        before = dump(db_path)
        await burst(pilot, "e", "ctrl+u", "1", "2", "3", "enter")  # the digits were screen keys, Enter a card
        assert not app.screen.editor.is_open and app.screen.id == "portfolio"
        status = app.screen.query_one("StatusLine").render_line(0).text
        assert "Lecture seule ici (E : votre portefeuille)" in status, status
        assert dump(db_path)["amounts"] == before["amounts"]
        await pilot.pause(0.3)  # a rep reads the sentence: the refused burst's keys were dropped meanwhile
        await pilot.press("E")  # back to her own portfolio: her edit goes through
        await ready(pilot)
        await burst(pilot, "e", "ctrl+u", *"170000", "enter")
        with sqlite3.connect(db_path) as db:
            assert db.execute("SELECT revenue FROM amounts WHERE client_id = 1 AND period = '2025'").fetchone() == (17_000_000,)


def test_a_rep_wins_their_prospect_and_owns_the_new_client(db_path):
    """The client a win creates had no owner: the rep's own win was refused (« d'aucun commercial »)."""
    import datetime as dt

    from cockpit.prospects.store import win

    ws = Workspace(db_path, who="claire")
    pid, version = ws.db.execute("SELECT id, version FROM prospects WHERE company = 'Barbier Négoce Services'").fetchone()
    won = win(ws, pid, "client", {"name": "Barbier Négoce Services", "sector": "Industrie"}, dt.date(2026, 12, 7), version)
    assert ws.db.execute("SELECT owner FROM clients WHERE id = ?", (won.client_id,)).fetchone() == ("claire",)
    created = ws.create("prospects", {"company": "Nouvelle Piste SARL"})  # no owner named: hers
    assert ws.db.execute("SELECT owner FROM prospects WHERE id = ?", created.key).fetchone() == ("claire",)
    ws.close()


@pytest.mark.parametrize("args, words", [
    (("rep", "transfer", "julien", "julien"), "rien à transférer"),
    (("rep", "deactivate", "nathalie"), "le dernier responsable actif"),
    (("rep", "add", "claire2", "--name", "claire martin"), "est déjà le nom affiché de claire"),
])
def test_team_changes_that_would_break_the_team_are_refused(db_path, capsys, args, words):
    """A transfer to oneself wrote every row again; deactivating the last manager left nobody to manage;
    a second « Claire Martin » made an owner column's name mean whichever came first."""
    before = dump(db_path)
    code, said = run(db_path, capsys, "nathalie", *args)
    assert code == 2 and words in said, said
    assert dump(db_path) == before


def test_a_units_writes_read_the_reps_authority_once_and_each_unit_again(db_path):
    """A unit of many writes (a manager's transfer of a whole portfolio) reads
    the writer's row once; the next unit reads it again, so a rep made manager
    since is one from their next save."""
    ws = Workspace(db_path, who="claire")
    asked: list[str] = []
    ws.db.set_trace_callback(lambda sql: asked.append(sql) if "FROM reps WHERE login" in sql else None)
    with ws.unit() as u:
        for note in ("a", "b", "c"):
            u.set("clients", (C002,), "notes", note)
        u.create("visits", {"date": "2026-11-03", "rep": "claire", "client_id": C002, "kind": "appel", "outcome": "rien"})
    assert len(asked) == 1
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE reps SET role = 'manager' WHERE login = 'claire'")
    assert ws.edit("clients", (C004,), "notes", "now hers to write").new == "now hers to write"
    assert len(asked) == 2
    ws.close()
