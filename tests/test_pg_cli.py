"""The command line on PostgreSQL: what runs through the PgWorkspace (report,
export, the team's transfers, visits), and the sentence for what does not yet."""

from __future__ import annotations

import sqlite3

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit.cli import main
from cockpit.store.loading import SAMPLE_DIR


@pytest.fixture
def team(pg_team, db_path):
    return pg_team, sqlite3.connect(db_path)


def test_report_and_export_are_the_reps_own(team, tmp_path, capsys):
    pg_url, src = team
    claire = make_conninfo(pg_url, user="claire")
    period = src.execute("SELECT max(period) FROM amounts").fetchone()[0]
    hers = src.execute("SELECT count(*) FROM amounts a JOIN clients c ON c.id = a.client_id "
                       "WHERE c.owner = 'claire' AND a.period = ?", (period,)).fetchone()[0]
    assert main(["--db", claire, "report"]) == 0
    assert f"{hers} clients" in capsys.readouterr().out
    out = tmp_path / "clients.csv"
    assert main(["--db", claire, "export", "clients", str(out)]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == hers + 1
    theirs = {r[0] for r in src.execute("SELECT code FROM clients WHERE owner <> 'claire'")}
    assert not theirs & {line.split(";")[1] for line in lines[1:]}


def test_a_manager_transfers_and_deactivates_through_the_workspace(team, capsys):
    pg_url, src = team
    manager = make_conninfo(pg_url, user="nathalie")
    owned = src.execute("SELECT count(*) FROM clients WHERE owner = 'thomas'").fetchone()[0]
    assert main(["--db", manager, "rep", "transfer", "thomas", "sophie", "--clients"]) == 0
    assert main(["--db", manager, "rep", "deactivate", "thomas"]) == 0
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT count(*) FROM clients WHERE owner = 'thomas'").fetchone()[0] == 0
        assert db.execute("SELECT active FROM reps WHERE login = 'thomas'").fetchone()[0] == 0
    assert owned > 0 and f"{owned} clients" in capsys.readouterr().out
    # A rep may not: row-level security leaves the team as it is, in a sentence.
    capsys.readouterr()
    assert main(["--db", make_conninfo(pg_url, user="claire"), "rep", "deactivate", "julien"]) == 2
    assert "seul un responsable" in capsys.readouterr().err
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT active FROM reps WHERE login = 'julien'").fetchone()[0] == 1


def test_visits_import_and_a_reps_refused_activity_import(team, db_path, tmp_path, capsys):
    pg_url, src = team
    new = tmp_path / "visites.csv"
    new.write_text("date,rep,client_code,prospect,kind,outcome\n2026-11-30,Claire Martin,C011,,appel,rdv\n", encoding="utf-8")
    assert main(["--db", make_conninfo(pg_url, user="nathalie"), "import", "visits", str(new)]) == 0
    assert main(["--db", str(db_path), "import", "visits", str(new)]) == 0  # the same file on SQLite
    visits = "SELECT date, rep, coalesce(client_id, -1), coalesce(prospect_id, -1), kind, outcome FROM visits"
    with psycopg.connect(pg_url) as db:  # the log replaced Claire's November on both, the same way
        assert sorted(db.execute(visits).fetchall()) == sorted(src.execute(visits).fetchall())
        assert db.execute("SELECT count(*) FROM visits WHERE date = '2026-11-30'").fetchone()[0] == 1
    # A rep's file naming another rep's activity: refused on the first such line, as a bad cell (exit 2, no traceback).
    capsys.readouterr()
    assert main(["--db", make_conninfo(pg_url, user="claire"), "import", "activity",
                 str(SAMPLE_DIR / "activity.csv")]) == 2
    err = capsys.readouterr().err
    assert "ligne 8, colonne « rep » : « Julien Lefèvre »" in err and "vous-même (claire)" in err
    assert "Traceback" not in err


def test_cockpit_db_from_the_environment(team, monkeypatch, capsys):
    pg_url, _ = team
    monkeypatch.setenv("COCKPIT_DB", make_conninfo(pg_url, user="claire"))
    assert main(["rep", "list"]) == 0
    assert "Claire Martin" in capsys.readouterr().out


def test_activity_import_updates_the_same_rows_as_on_sqlite(team, db_path, tmp_path):
    """A re-imported month updates its rows (ON CONFLICT … DO UPDATE) on both backends alike."""
    pg_url, src = team
    month = tmp_path / "activite.csv"
    month.write_text("rep,period,activite,efficacite,orientation,target_activite,target_efficacite,target_orientation\n"
                     "Claire Martin,2026-06,9.5,,4.0,8,,\n", encoding="utf-8")
    assert main(["--db", make_conninfo(pg_url, user="nathalie"), "import", "activity", str(month)]) == 0
    assert main(["--db", str(db_path), "import", "activity", str(month)]) == 0
    query = "SELECT rep, period, indicator, value, target, version FROM activity"
    with psycopg.connect(pg_url) as db:
        assert sorted(db.execute(query).fetchall()) == sorted(src.execute(query).fetchall())
        assert db.execute("SELECT value, version FROM activity WHERE rep = 'Claire Martin' AND period = '2026-06' "
                          "AND indicator = 'activite'").fetchone() == (9.5, 2)
