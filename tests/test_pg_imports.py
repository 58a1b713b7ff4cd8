"""``cockpit import clients|sales|prospects`` on PostgreSQL (issue 13 §4): the
same file imported into the SQLite workspace and into its PostgreSQL copy
leaves the same clients, amounts and sales; a bad cell is the same sentence,
exit 2, nothing written; and row-level security decides what a rep's import
may touch (checked as the server's superuser, another role than the importer)."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit.cli import main

CLIENTS = ("SELECT code, name, grp, sector, city, contact, potential, owner FROM clients")
AMOUNTS = ("SELECT c.code, a.period, a.revenue, a.margin FROM amounts a JOIN clients c ON c.id = a.client_id")
SALES = ("SELECT c.code, s.date, s.product, s.revenue, s.margin FROM sales s JOIN clients c ON c.id = s.client_id")
PROSPECTS = ("SELECT company, first_name, last_name, stage, potential, owner, next_action_date FROM prospects")


@pytest.fixture
def team(pg_team, db_path):
    return pg_team, sqlite3.connect(db_path)


def rows(db, query: str) -> list[tuple]:
    return sorted(db.execute(query).fetchall(), key=repr)


def tables(db) -> dict[str, list[tuple]]:
    return {name: rows(db, q) for name, q in (("clients", CLIENTS), ("amounts", AMOUNTS), ("sales", SALES),
                                             ("prospects", PROSPECTS))}


def both(pg_url, db_path, login: str, *command: str) -> tuple[int, int]:
    """The command on PostgreSQL as ``login``'s role and on SQLite as ``--rep login``."""
    return (main(["--db", make_conninfo(pg_url, user=login), *command]),
            main(["--db", str(db_path), "--rep", login, *command]))


FILES = {
    # the columnar path: codes, an owner column by display name and by login, a revenue year in the header
    "clients.csv": "code;nom;groupe;secteur;potentiel;commercial;CA 2026\n"
                   "C001;LORFLEX SAS;LORFLEX;Industrie;;;12 500,00\n"
                   "C004;MEQUISA BIS;;;3000;Julien Lefèvre;1 000\n"
                   "C900;Nouveau client;NOUVEAUX;Négoce;5000;claire;250,50\n"
                   "C901;Autre nouveau;;;;;\n",
    # the reference path, row by row: no code column, clients matched by name, new ones given the next codes
    "sans-code.csv": "nom;CA 2026;marge\nMEQUISA;100;40\nSans Code Un;200;\nSans Code Deux;300;30\n",
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_same_clients_file_leaves_the_same_tables_on_both(team, db_path, tmp_path, name):
    pg_url, src = team
    path = tmp_path / name
    path.write_text(FILES[name], encoding="utf-8")
    assert both(pg_url, db_path, "nathalie", "import", "clients", str(path)) == (0, 0)
    with psycopg.connect(pg_url) as db:
        pg = tables(db)
    assert pg == tables(src)
    new = [r for r in pg["clients"] if r[1] in ("Nouveau client", "Sans Code Un", "Autre nouveau")]
    assert new and all(r[7] in ("claire", "nathalie") for r in new)  # a named owner, else the importing rep
    assert ("C900", "2026", 25050, None) in pg["amounts"] if "C900" in FILES[name] else \
        ("C00055", "2026", 30000, 3000) in pg["amounts"]  # made-up codes follow the 53 clients there are


def test_the_skip_bad_path_and_a_sales_file_match_sqlite(team, db_path, tmp_path, capsys):
    pg_url, src = team
    clients = tmp_path / "clients.csv"
    clients.write_text("code,name,revenue\nC950,Mal écrit,12x\nC951,Bien écrit,10\n", encoding="utf-8")
    assert both(pg_url, db_path, "nathalie", "import", "clients", str(clients), "--skip-bad") == (0, 0)
    sales = tmp_path / "ventes.csv"  # replaces 2025, adds 2026; one line by client name
    sales.write_text("client_code;client_name;date;product;revenue;margin\n"
                     "C001;;15/03/2025;Sanitaire;1 000,00;300\nC951;;02/01/2026;Chauffage;500;\n"
                     ";MEQUISA;03/01/2026;Chauffage;250;50\n", encoding="utf-8")
    assert both(pg_url, db_path, "nathalie", "import", "sales", str(sales), "--yes") == (0, 0)
    with psycopg.connect(pg_url) as db:
        pg = tables(db)
        assert db.execute("SELECT count(*) FROM sales WHERE date LIKE '2025%'").fetchone()[0] == 1
    assert pg == tables(src)
    assert ("C001", "2025", 100000, 30000) in pg["amounts"] and ("C002", "2026", 25000, 5000) in pg["amounts"]
    assert not [r for r in pg["amounts"] if r[1] == "2025" and r[0] != "C001"]  # the year's amounts rebuilt


@pytest.mark.parametrize("kind, content", [
    ("clients", "nom;CA 2026\nMEQUISA;100\nVF CONFORT;200\n"),
    ("sales", "client_name;date;product;revenue\nMEQUISA;03/01/2026;Chauffage;250\nLORFLEX;04/01/2026;Chauffage;1\n"),
])
def test_a_name_several_clients_share_needs_the_code_on_both(team, db_path, tmp_path, capsys, kind, content):
    """LORFLEX and VF CONFORT are sites of groups (METHOD §1): a row naming one without its code is
    refused with the codes to choose from, never matched to the first — the same sentence on both."""
    pg_url, src = team
    path = tmp_path / f"{kind}.csv"
    path.write_text(content, encoding="utf-8")
    with psycopg.connect(pg_url) as db:
        before = tables(db)
    manager = make_conninfo(pg_url, user="nathalie")
    assert main(["--db", manager, "import", kind, str(path), "--yes"][:None if kind == "sales" else -1]) == 2
    on_pg = capsys.readouterr().err
    assert main(["--db", str(db_path), "import", kind, str(path), "--yes"][:None if kind == "sales" else -1]) == 2
    assert on_pg == capsys.readouterr().err and "ligne 3" in on_pg and "plusieurs clients portent ce nom" in on_pg
    assert ("C003, C020, C044" if kind == "clients" else "C001, C039") in on_pg
    with psycopg.connect(pg_url) as db:
        assert tables(db) == before
    assert tables(src) == before


def test_a_bad_cell_is_the_same_sentence_exit_2_and_nothing_written(team, db_path, tmp_path, capsys):
    pg_url, src = team
    path = tmp_path / "clients.csv"
    path.write_text("code,name,potential\nC960,Premier,100\nC961,Second,abc\n", encoding="utf-8")
    with psycopg.connect(pg_url) as db:
        before = tables(db)
    manager = make_conninfo(pg_url, user="nathalie")
    assert main(["--db", manager, "import", "clients", str(path)]) == 2
    on_pg = capsys.readouterr().err
    assert main(["--db", str(db_path), "import", "clients", str(path)]) == 2
    assert on_pg == capsys.readouterr().err and "ligne 3" in on_pg and "« abc »" in on_pg
    with psycopg.connect(pg_url) as db:
        assert tables(db) == before
    # A sales file without --yes and without a terminal: the same refusal on both, nothing replaced.
    sales = tmp_path / "ventes.csv"
    sales.write_text("client_code,date,product,revenue\nC001,2025-05-05,Sanitaire,10\n", encoding="utf-8")
    assert main(["--db", manager, "import", "sales", str(sales)]) == 2
    on_pg = capsys.readouterr().err
    assert main(["--db", str(db_path), "import", "sales", str(sales)]) == 2
    assert on_pg == capsys.readouterr().err and "--yes" in on_pg
    with psycopg.connect(pg_url) as db:
        assert tables(db) == before


def test_an_unknown_owner_is_refused_on_its_line_on_both(team, db_path, tmp_path, capsys):
    pg_url, _ = team
    path = tmp_path / "clients.csv"
    path.write_text("code,name,vendeur\nC970,Un,claire\nC971,Deux,Personne Inconnue\n", encoding="utf-8")
    assert main(["--db", make_conninfo(pg_url, user="nathalie"), "import", "clients", str(path)]) == 2
    on_pg = capsys.readouterr().err
    assert main(["--db", str(db_path), "import", "clients", str(path)]) == 2
    assert on_pg == capsys.readouterr().err and "ligne 3" in on_pg and "Personne Inconnue" in on_pg
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT count(*) FROM clients WHERE code IN ('C970', 'C971')").fetchone()[0] == 0


def test_a_rep_imports_their_own_clients_and_new_ones_become_theirs(team, tmp_path):
    pg_url, _ = team
    path = tmp_path / "clients.csv"
    path.write_text("code,name,potential,CA 2026\nC001,LORFLEX renommé,,100\nC980,Client de Claire,700,50\n",
                    encoding="utf-8")
    assert main(["--db", make_conninfo(pg_url, user="claire"), "import", "clients", str(path)]) == 0
    with psycopg.connect(pg_url) as db:  # the superuser's view: every row
        assert db.execute("SELECT name, owner FROM clients WHERE code = 'C001'").fetchone() == ("LORFLEX renommé", "claire")
        assert db.execute("SELECT owner, potential FROM clients WHERE code = 'C980'").fetchone() == ("claire", 70000)
        assert db.execute("SELECT a.revenue FROM amounts a JOIN clients c ON c.id = a.client_id "
                          "WHERE c.code = 'C980' AND a.period = '2026'").fetchone() == (5000,)


@pytest.mark.parametrize("content, column, value, words", [
    # another rep's client (C004 is Sophie's): its code is known to the database, nothing of it to Claire
    ("code,name\nC981,Nouveau\nC004,Pas à moi\n", "code", "C004", "un client d'un autre commercial"),
    # an owner cell naming someone else: a rep imports only their own rows
    ("code,name,commercial\nC981,Nouveau,claire\nC982,Autre,julien\n", "commercial", "julien", "vous-même (claire)"),
])
def test_a_rep_naming_another_reps_rows_is_refused_on_the_line(team, tmp_path, capsys, content, column, value, words):
    pg_url, _ = team
    path = tmp_path / "clients.csv"
    path.write_text(content, encoding="utf-8")
    with psycopg.connect(pg_url) as db:
        before = tables(db)
    assert main(["--db", make_conninfo(pg_url, user="claire"), "import", "clients", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"ligne 3, colonne « {column} » : « {value} »" in err and words in err
    with psycopg.connect(pg_url) as db:
        assert tables(db) == before  # C981 of line 2 is not there either: all or nothing


def test_a_reps_sales_file_replaces_the_year_in_their_portfolio_only(team, tmp_path, capsys):
    pg_url, src = team
    claire = make_conninfo(pg_url, user="claire")
    with psycopg.connect(pg_url) as db:
        others = db.execute("SELECT count(*), sum(revenue) FROM sales s JOIN clients c ON c.id = s.client_id "
                            "WHERE c.owner <> 'claire' AND s.date LIKE '2025%'").fetchone()
        assert others[0] > 0
    sales = tmp_path / "ventes.csv"
    sales.write_text("client_code,date,product,revenue\nC001,2025-06-01,Sanitaire,100\nC001,2025-07-01,Chauffage,50\n",
                     encoding="utf-8")
    assert main(["--db", claire, "import", "sales", str(sales), "--yes"]) == 0
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT count(*), sum(revenue) FROM sales s JOIN clients c ON c.id = s.client_id "
                          "WHERE c.owner <> 'claire' AND s.date LIKE '2025%'").fetchone() == others
        assert db.execute("SELECT count(*) FROM sales s JOIN clients c ON c.id = s.client_id "
                          "WHERE c.owner = 'claire' AND s.date LIKE '2025%'").fetchone() == (2,)
        assert db.execute("SELECT count(*) FROM amounts a JOIN clients c ON c.id = a.client_id "
                          "WHERE c.owner = 'claire' AND a.period = '2025'").fetchone() == (1,)
    # A line naming another rep's client: one sentence, exit 2, nothing replaced.
    sales.write_text("client_code,date,product,revenue\nC001,2025-06-01,Sanitaire,1\nC004,2025-06-02,Sanitaire,1\n",
                     encoding="utf-8")
    assert main(["--db", claire, "import", "sales", str(sales), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "ligne 3" in err and "« C004 »" in err and "un client de votre portefeuille" in err
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT sum(revenue) FROM sales WHERE date LIKE '2025%' AND client_id = "
                          "(SELECT id FROM clients WHERE code = 'C001')").fetchone() == (150 * 100,)


def test_prospects_import_matches_sqlite_for_a_manager_and_a_rep_gets_ids_past_everyones(team, db_path, tmp_path):
    pg_url, src = team
    path = tmp_path / "prospects.csv"
    path.write_text("company,first_name,stage,potential,commercial,next_action_date\n"
                    "Nouvelle Société,Anne,prospect,5000,sophie,2026-12-01\n"
                    f"{src.execute('SELECT company FROM prospects ORDER BY id LIMIT 1').fetchone()[0]},,chaud,,,\n",
                    encoding="utf-8")
    assert both(pg_url, db_path, "nathalie", "import", "prospects", str(path)) == (0, 0)
    with psycopg.connect(pg_url) as db:
        assert rows(db, PROSPECTS) == rows(src, PROSPECTS)
        top = db.execute("SELECT max(id) FROM prospects").fetchone()[0]
    mine = tmp_path / "miens.csv"
    mine.write_text("company,first_name\nProspect de Claire,Luc\n", encoding="utf-8")
    assert main(["--db", make_conninfo(pg_url, user="claire"), "import", "prospects", str(mine)]) == 0
    with psycopg.connect(pg_url) as db:  # past the others' ids Claire cannot see; hers, with its first stage
        pid, owner = db.execute("SELECT id, owner FROM prospects WHERE company = 'Prospect de Claire'").fetchone()
        assert pid > top and owner == "claire"
        assert db.execute("SELECT stage FROM stage_history WHERE prospect_id = %s", (pid,)).fetchall() == [("suspect",)]


@pytest.mark.parametrize("lines, flags", [(94, []), (94, ["--skip-bad"]), (2, ["--skip-bad"])])
def test_a_clients_year_past_the_cell_limit_is_the_same_sentence_on_both(team, db_path, tmp_path, capsys,
                                                                         lines, flags):
    """Summed in numeric on PostgreSQL: past int64 the amounts' INSERT failed (« bigint out of range »),
    under it but past the cell limit it was stored."""
    pg_url, src = team
    path = tmp_path / "ventes.csv"
    path.write_text("Code client;Date;Famille;CA\n" + "C020;15/06/2025;Sanitaire;999999999999999\n" * lines,
                    encoding="utf-8")
    with psycopg.connect(pg_url) as db:
        before = tables(db)
    sqlite_before = tables(src)
    assert both(pg_url, db_path, "nathalie", "import", "sales", str(path), "--yes", *flags) == (2, 2)
    on_pg, on_sqlite = capsys.readouterr().err.split("\n", 1)
    assert on_pg.strip() == on_sqlite.strip() and "celles de 2025" in on_pg and "ventes.csv" in on_pg
    with psycopg.connect(pg_url) as db:
        assert tables(db) == before
    assert tables(src) == sqlite_before
