"""``cockpit import activity|visits`` by a rep on PostgreSQL: row-level
security lets a rep write only their own activity and visits, to their own
clients and prospects; a line naming someone else's is refused on that line
(file, line, column, value, what was expected), exit 2, nothing written, as
every other import refuses a bad cell; a manager imports the whole team's."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit.cli import main

VISITS = "SELECT date, rep, client_id, prospect_id, kind, outcome FROM visits ORDER BY 1, 2, 3, 4, 5, 6"
ACTIVITY = "SELECT rep, period, indicator, value, target FROM activity ORDER BY 1, 2, 3"


def _tables(pg_url: str) -> tuple[list[tuple], list[tuple]]:
    with psycopg.connect(pg_url) as db:  # the superuser's view: every row
        return db.execute(VISITS).fetchall(), db.execute(ACTIVITY).fetchall()


def _own(pg_url: str, login: str, table: str) -> tuple[str, str, str]:
    """A client code, a prospect company and a display name of ``login``'s."""
    with psycopg.connect(pg_url) as db:
        code = db.execute("SELECT code FROM clients WHERE owner = %s ORDER BY id LIMIT 1", (login,)).fetchone()[0]
        company = db.execute("SELECT company FROM prospects WHERE owner = %s ORDER BY id LIMIT 1", (login,)).fetchone()[0]
        name = db.execute("SELECT name FROM reps WHERE login = %s", (login,)).fetchone()[0]
    return code, company, name


@pytest.mark.parametrize("kind, body, column, bad", [
    ("visits", "date,rep,client_code,prospect,kind,outcome\n2026-11-02,{me},{code},,visite,commande\n"
               "2026-11-03,julien,{code},,appel,rdv\n", "rep", "julien"),
    ("visits", "date,rep,client_code,prospect,kind,outcome\n2026-11-02,{me},{code},,visite,commande\n"
               "2026-11-03,{me},{theirs},,appel,rdv\n", "client_code", "{theirs}"),
    ("visits", "date,rep,client_code,prospect,kind,outcome\n2026-11-02,{me},,{company},visite,rdv\n"
               "2026-11-03,{me},,{their_company},appel,rdv\n", "prospect", "{their_company}"),
    ("activity", "rep,period,activite,efficacite,orientation\n{me},2026-11,7,6,5\nJulien Lefèvre,2026-11,6,5,4\n",
     "rep", "Julien Lefèvre"),
])
def test_a_reps_line_naming_another_rep_is_refused_on_its_line(pg_team, tmp_path, capsys, kind, body, column, bad):
    code, company, me = _own(pg_team, "claire", "clients")
    theirs, their_company, _ = _own(pg_team, "julien", "clients")
    values = dict(me=me, code=code, company=company, theirs=theirs, their_company=their_company)
    path = tmp_path / f"{kind}.csv"
    path.write_text(body.format(**values), encoding="utf-8")
    before = _tables(pg_team)
    assert main(["--db", make_conninfo(pg_team, user="claire"), "import", kind, str(path)]) == 2
    err = capsys.readouterr().err
    assert f"ligne 3, colonne « {column} » : « {bad.format(**values)} »" in err, err
    assert "Traceback" not in err and "row-level security" not in err
    assert _tables(pg_team) == before  # line 2, hers, is not there either: all or nothing


def test_a_rep_imports_their_own_visits_and_activity_and_a_manager_the_teams(pg_team, tmp_path):
    code, company, me = _own(pg_team, "claire", "clients")
    theirs, _, _ = _own(pg_team, "julien", "clients")
    visits = tmp_path / "visits.csv"
    visits.write_text(f"date,rep,client_code,prospect,kind,outcome\n2026-11-02,claire,{code},,visite,commande\n"
                      f"2026-11-03,{me},,{company},appel,rdv\n", encoding="utf-8")
    activity = tmp_path / "activity.csv"
    activity.write_text(f"rep,period,activite,efficacite,orientation\n{me},2026-12,7,6,5\n", encoding="utf-8")
    claire = make_conninfo(pg_team, user="claire")
    before = _tables(pg_team)
    assert main(["--db", claire, "import", "visits", str(visits)]) == 0
    assert main(["--db", claire, "import", "activity", str(activity)]) == 0
    got_visits, got_activity = _tables(pg_team)
    # Her month, under her login and her display name, is the file's now; the others' visits are as they were.
    assert [(d, r, k) for d, r, _, _, k, _ in got_visits if d.startswith("2026-11") and r in ("claire", me)] == [
        ("2026-11-02", me, "visite"), ("2026-11-03", me, "appel")]  # by login or by name: stored under her name
    assert [v for v in got_visits if v[1] not in ("claire", me)] == [v for v in before[0] if v[1] not in ("claire", me)]
    assert (me, "2026-12", "activite", 7.0, None) in got_activity
    with psycopg.connect(pg_team) as db:
        manager = db.execute("SELECT login FROM reps WHERE role = 'manager' ORDER BY login LIMIT 1").fetchone()[0]
    team = tmp_path / "team.csv"
    team.write_text(f"date,rep,client_code,prospect,kind,outcome\n2026-11-04,julien,{theirs},,visite,rdv\n",
                    encoding="utf-8")
    assert main(["--db", make_conninfo(pg_team, user=manager), "import", "visits", str(team)]) == 0
    assert ("2026-11-04", "Julien Lefèvre") in [(d, r) for d, r, *_ in _tables(pg_team)[0]]


def test_a_reps_prospect_already_another_reps_is_refused_on_its_line(pg_team, tmp_path, capsys):
    """Row-level security hides the other reps' prospects from a rep: their
    import would make a second prospect of the same company. It names the line
    and who prospects it instead; nothing is written."""
    _, their_company, _ = _own(pg_team, "julien", "clients")
    path = tmp_path / "prospects.csv"
    path.write_text(f"company,first_name\nSociété de Claire,Luc\n{their_company.upper()},Anne\n", encoding="utf-8")
    with psycopg.connect(pg_team) as db:
        before = db.execute("SELECT id, company, owner FROM prospects ORDER BY id").fetchall()
    assert main(["--db", make_conninfo(pg_team, user="claire"), "import", "prospects", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"ligne 3, colonne « company » : « {their_company.upper()} »" in err and "le prospect de julien" in err, err
    with psycopg.connect(pg_team) as db:
        assert db.execute("SELECT id, company, owner FROM prospects ORDER BY id").fetchall() == before
    # Julien's own import of the same company updates his prospect, as before.
    his = tmp_path / "his.csv"
    his.write_text(f"company,first_name\n{their_company},Anne\n", encoding="utf-8")
    assert main(["--db", make_conninfo(pg_team, user="julien"), "import", "prospects", str(his)]) == 0
    with psycopg.connect(pg_team) as db:
        assert db.execute("SELECT count(*), min(first_name) FROM prospects WHERE lower(company) = lower(%s)",
                          (their_company,)).fetchone() == (1, "Anne")
