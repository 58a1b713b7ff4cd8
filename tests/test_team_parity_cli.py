"""The team's commands agree on SQLite and PostgreSQL (METHOD §8).

- ``cockpit rep list`` gives every rep's true counts, whoever asks: on
  PostgreSQL a rep's role sees only their own rows, and the list said 0
  clients and 0 prospects for each colleague. ``cockpit_team_counts()``
  counts with the definer's rights (counts only, no row).
- Rows nobody owns (an old import's) are in no rep's portfolio: ``rep list``
  says how many, with the command a manager gives them to a rep with
  (``cockpit rep transfer - LOGIN``). Before, nothing said they were there.
- ``cockpit import sales FILE --skip-bad`` by a rep, a line naming a
  colleague's client: that line is set aside with its sentence, as a bad
  cell is, and the others import. Before, it stopped the whole import.
"""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit import cli
from cockpit.io.duplicates import check_unique
from cockpit.io.tabular import read_records
from cockpit.store import reps
from cockpit.store.client_lookup import set_aside_unknown_clients
from cockpit.store.loading import import_sales
from cockpit.store.pg import team
from cockpit.store.pg.workspace import PgWorkspace
from cockpit.store.workspace import Workspace

UNOWNED = "Sans commercial : 2 clients · 1 prospect — dans le portefeuille d'aucun commercial, seulement dans celui " \
          "de l'équipe. Un responsable les donne à un commercial : cockpit rep transfer - LOGIN"


def run(capsys, *argv: str) -> tuple[int, list[str], str]:
    capsys.readouterr()
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.strip()


def counts(db_path) -> dict[str, tuple[int, int]]:
    with sqlite3.connect(db_path) as db:
        return {login: (nc, np_) for login, nc, np_ in db.execute(
            "SELECT r.login, (SELECT count(*) FROM clients WHERE owner = r.login), "
            "(SELECT count(*) FROM prospects WHERE owner = r.login) FROM reps r")}


# ---- 4. rep list --------------------------------------------------------------------

def test_rep_list_gives_the_true_counts_whoever_asks_on_both(pg_team, db_path, capsys):
    on_sqlite = run(capsys, "--db", str(db_path), "--rep", "claire", "rep", "list")
    on_pg = run(capsys, "--db", make_conninfo(pg_team, user="claire"), "rep", "list")
    assert on_sqlite == on_pg and on_pg[0] == 0
    sophie = next(line for line in on_pg[1] if line.startswith("sophie "))
    clients, prospects = counts(db_path)["sophie"]
    assert clients and sophie.endswith(f" · {clients} clients · {prospects} prospects"), sophie
    assert len(on_pg[1]) == 5  # no line about rows nobody owns: every row has an owner


def test_the_counting_function_gives_counts_only_to_the_team(pg_team):
    with psycopg.connect(make_conninfo(pg_team, user="claire")) as db:
        cur = db.execute("SELECT * FROM cockpit_team_counts()")
        assert [c.name for c in cur.description] == ["owner", "clients", "prospects"]
    with psycopg.connect(pg_team) as db:
        db.execute("DROP ROLE IF EXISTS passant")
        db.execute("CREATE ROLE passant LOGIN")
    with psycopg.connect(make_conninfo(pg_team, user="passant")) as db:  # not of the team: no grant
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("SELECT * FROM cockpit_team_counts()")


# ---- 6. rows nobody owns ----------------------------------------------------------------

def nobodys(db) -> None:
    """C002 and C003 (claire's) and one prospect lose their owner, as rows from before the team."""
    db.execute("UPDATE clients SET owner = NULL WHERE code IN ('C002', 'C003')")
    db.execute("UPDATE prospects SET owner = NULL WHERE id = (SELECT min(id) FROM prospects)")


def test_rows_nobody_owns_are_said_with_the_command_and_a_manager_gives_them(db_path, capsys):
    with sqlite3.connect(db_path) as db:
        nobodys(db)
    before = counts(db_path)["claire"]
    for who in ("nathalie", "claire"):  # the manager, and a rep (who reads them in the team's view on SQLite)
        code, out, _ = run(capsys, "--db", str(db_path), "--rep", who, "rep", "list")
        assert code == 0 and out[-1] == UNOWNED, out
    code, _, err = run(capsys, "--db", str(db_path), "--rep", "claire", "rep", "transfer", "-", "claire")
    assert code == 2 and "seul un responsable change l'équipe" in err
    code, out, _ = run(capsys, "--db", str(db_path), "--rep", "nathalie", "rep", "transfer", "-", "claire")
    assert code == 0 and out == ["2 clients et 1 prospect sans commercial passent à claire (une seule annulation les rend)."]
    assert counts(db_path)["claire"] == (before[0] + 2, before[1] + 1)
    code, out, _ = run(capsys, "--db", str(db_path), "--rep", "nathalie", "rep", "list")
    assert not any(line.startswith("Sans commercial") for line in out)


def test_rows_nobody_owns_are_in_no_reps_portfolio_and_counted_on_postgresql_too(pg_team, db_path, capsys):
    with psycopg.connect(pg_team) as db:
        nobodys(db)
    with sqlite3.connect(db_path) as db:
        nobodys(db)
    lite, pg = Workspace(db_path, who="claire"), PgWorkspace(make_conninfo(pg_team, user="claire"))
    try:
        assert reps.unowned(lite) == reps.unowned(pg) == (2, 1)
        mine = [set(ws.load_portfolio(owner="claire").code) for ws in (lite, pg)]
        assert mine[0] == mine[1] and not {"C002", "C003"} & mine[0]
    finally:
        lite.close()
        pg.close()
    manager = make_conninfo(pg_team, user="nathalie")
    code, out, _ = run(capsys, "--db", manager, "rep", "transfer", "-", "claire", "--clients")
    assert code == 0 and out == ["2 clients et 0 prospect sans commercial passent à claire (une seule annulation les rend)."]
    with psycopg.connect(pg_team) as db:
        assert db.execute("SELECT count(*) FROM clients WHERE owner IS NULL").fetchone()[0] == 0
    with psycopg.connect(make_conninfo(pg_team, user="claire")) as db:  # what `rep list` reads on PostgreSQL
        assert team.unowned(db) == (0, 1)


# ---- 3. a sales file naming a colleague's client, with --skip-bad ---------------------

SALES = ("client_code,date,product,revenue,margin\nC001,2027-01-04,Climatisation,100.00,10.00\n"
         "C004,2027-01-05,Sanitaire,200.00,20.00\nC001,2027-01-06,Sanitaire,abc,20.00\n"
         "C005,2027-01-07,Sanitaire,300.00,30.00\n")
THEIRS = ("ligne 3, colonne « client » : « C004 » — attendu : un client de votre portefeuille (importez "
          "d'abord les clients ; ceux d'un autre commercial, un responsable les importe)")


def imported_2027(db) -> list[tuple]:
    return db.execute("SELECT c.code, s.revenue FROM sales s JOIN clients c ON c.id = s.client_id "
                      "WHERE s.date >= '2027' ORDER BY s.date").fetchall()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_skip_bad_sets_a_colleagues_client_aside_like_a_bad_line(backend, request, db_path, tmp_path):
    path = tmp_path / "sales.csv"
    path.write_text(SALES, encoding="utf-8")
    ws = Workspace(db_path, who="claire") if backend == "sqlite" else \
        PgWorkspace(make_conninfo(request.getfixturevalue("pg_team"), user="claire"))
    try:
        records = set_aside_unknown_clients(ws, check_unique(read_records(path, "sales", skip_bad=True), "sales", True))
        assert [line for line, _ in records.rejected] == [3, 4] and records.rejected[0][1] == f"{path}, {THEIRS}"
        assert records.lines == [2, 5]
        assert import_sales(ws, records) == 2
        with ws.lock:
            assert imported_2027(ws.db) == [("C001", 10000), ("C005", 30000)]
    finally:
        ws.close()


def test_without_skip_bad_the_import_stops_on_that_line_as_before(db_path, tmp_path, capsys):
    path = tmp_path / "sales.csv"
    path.write_text(SALES.replace(",abc,", ",1,"), encoding="utf-8")
    code, out, err = run(capsys, "--db", str(db_path), "--rep", "claire", "import", "sales", str(path), "--yes")
    assert code == 2 and err == f"{path}, {THEIRS}" and out == []
    with sqlite3.connect(db_path) as db:
        assert imported_2027(db) == []


def test_the_command_with_skip_bad_rejects_that_line_and_imports_the_others(db_path, tmp_path, capsys):
    path = tmp_path / "sales.csv"
    path.write_text(SALES, encoding="utf-8")
    code, out, err = run(capsys, "--db", str(db_path), "--rep", "claire", "import", "sales", str(path), "--skip-bad",
                         "--yes")
    assert code == 0 and err.startswith("2 lignes rejetées"), err
    rejects = (tmp_path / "sales.rejets.csv").read_text(encoding="utf-8-sig")
    assert "C004" in rejects and "abc" in rejects
    with sqlite3.connect(db_path) as db:
        assert imported_2027(db) == [("C001", 10000), ("C005", 30000)]
