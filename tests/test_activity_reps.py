"""The rep column of the activity and visits imports (audit, point 2): in a
workspace with a team, a rep cell names an active rep by login or display
name, case aside — the owner column's rule and sentence — and the row is
stored under the rep's display name, the form the sample, the app
(``contact_log.rep_name``) and the Activity screen use. An unknown name stops
the import on its line, exit 2, nothing written. Before, ``claire`` made a
phantom rep « claire » beside « Claire Martin », and a typo one more. A
workspace without a team takes any name, as written."""

from __future__ import annotations

import sqlite3

import pytest

from cockpit import cli, i18n

FILES = {
    "activity": ("rep,period,activite\n{first},2026-12,1\n{second},2027-01,2\n",
                 "SELECT rep, value FROM activity WHERE period >= '2026-12' AND indicator = 'activite' ORDER BY value"),
    "visits": ("date,rep,client_code,prospect,kind,outcome\n2026-12-01,{first},C001,,appel,rien\n"
               "2026-12-02,{second},C002,,visite,rdv\n",
               "SELECT rep, date FROM visits WHERE date >= '2026-12-01' ORDER BY date"),
}


def dump(db_path) -> list[list[tuple]]:
    with sqlite3.connect(db_path) as db:
        return [sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in ("activity", "visits")]


def run(db_path, tmp_path, capsys, kind: str, first: str, second: str, who: str = "nathalie") -> tuple[int, str]:
    path = tmp_path / f"{kind}.csv"
    path.write_text(FILES[kind][0].format(first=first, second=second), encoding="utf-8")
    i18n.set_lang("fr")
    code = cli.main(["--db", str(db_path), *(["--rep", who] if who else []), "import", kind, str(path)])
    return code, capsys.readouterr().err.strip()


@pytest.mark.parametrize("kind", sorted(FILES))
def test_a_name_the_team_does_not_know_is_refused_on_its_line(db_path, tmp_path, capsys, kind):
    before = dump(db_path)
    code, err = run(db_path, tmp_path, capsys, kind, "claire", "Clair Martin")
    assert code == 2, err
    assert f"{kind}.csv, ligne 3, colonne « rep » : « Clair Martin » — attendu : un commercial de l'équipe, " \
           "par identifiant ou nom affiché (claire, julien, nathalie, sophie, thomas ; cockpit rep list)" in err, err
    assert "Traceback" not in err
    assert dump(db_path) == before  # line 2, a good one, is not there either


@pytest.mark.parametrize("kind", sorted(FILES))
def test_a_login_or_a_name_in_any_case_is_stored_under_the_display_name(db_path, tmp_path, capsys, kind):
    code, err = run(db_path, tmp_path, capsys, kind, "claire", "SOPHIE GIRARD")
    assert code == 0, err
    with sqlite3.connect(db_path) as db:
        got = [r[0] for r in db.execute(FILES[kind][1])]
    assert got == ["Claire Martin", "Sophie Girard"]


def test_a_visits_file_replaces_the_reps_month_whatever_the_form_it_names_them_by(db_path, tmp_path, capsys):
    """The same month imported twice, by login then by name, is there once."""
    assert run(db_path, tmp_path, capsys, "visits", "claire", "claire")[0] == 0
    assert run(db_path, tmp_path, capsys, "visits", "Claire Martin", "Claire Martin")[0] == 0
    with sqlite3.connect(db_path) as db:
        assert db.execute(FILES["visits"][1]).fetchall() == [("Claire Martin", "2026-12-01"),
                                                              ("Claire Martin", "2026-12-02")]


def test_one_reps_month_named_twice_by_login_and_by_name_is_refused(db_path, tmp_path, capsys):
    """Both lines are Claire's December: the second would overwrite the first unsaid."""
    path = tmp_path / "activity.csv"
    path.write_text("rep,period,activite\nclaire,2026-12,1\nClaire Martin,12/2026,2\n", encoding="utf-8")
    before = dump(db_path)
    assert cli.main(["--db", str(db_path), "--rep", "nathalie", "import", "activity", str(path)]) == 2
    err = capsys.readouterr().err
    assert "ligne 3, colonne « rep » : « Claire Martin » — attendu : un identifiant unique dans le fichier " \
           "(déjà ligne 2)" in err, err
    assert dump(db_path) == before


def test_an_inactive_rep_is_refused(db_path, tmp_path, capsys):
    assert cli.main(["--db", str(db_path), "--rep", "nathalie", "rep", "deactivate", "thomas"]) == 0
    capsys.readouterr()
    code, err = run(db_path, tmp_path, capsys, "activity", "claire", "Thomas Schneider")
    assert code == 2 and "ligne 3, colonne « rep » : « Thomas Schneider »" in err, err


@pytest.mark.parametrize("kind", sorted(FILES))
def test_a_rep_still_imports_only_their_own_lines(db_path, tmp_path, capsys, kind):
    before = dump(db_path)
    code, err = run(db_path, tmp_path, capsys, kind, "claire", "sophie", who="claire")
    assert code == 2 and "ligne 3, colonne « rep » : « sophie » — attendu : vous-même (claire)" in err, err
    assert dump(db_path) == before
    code, err = run(db_path, tmp_path, capsys, kind, "CLAIRE", "Claire Martin", who="claire")
    assert code == 0, err
    with sqlite3.connect(db_path) as db:
        assert [r[0] for r in db.execute(FILES[kind][1])] == ["Claire Martin", "Claire Martin"]


@pytest.mark.parametrize("kind", sorted(FILES))
def test_a_workspace_without_a_team_takes_any_name(tmp_path, capsys, kind):
    db_path = tmp_path / "solo.sqlite"
    clients = tmp_path / "clients.csv"
    clients.write_text("code;nom\nC001;LORFLEX\nC002;MEQUISA\n", encoding="utf-8")
    assert cli.main(["--db", str(db_path), "import", "clients", str(clients)]) == 0
    code, err = run(db_path, tmp_path, capsys, kind, "claire", "Clair Martin", who="")
    assert code == 0, err
    with sqlite3.connect(db_path) as db:
        assert [r[0] for r in db.execute(FILES[kind][1])] == ["claire", "Clair Martin"]


def test_postgresql_checks_and_stores_the_rep_as_sqlite_does(pg_team, db_path, tmp_path, capsys):
    import psycopg
    from psycopg.conninfo import make_conninfo

    manager = make_conninfo(pg_team, user="nathalie")
    for kind in sorted(FILES):
        path = tmp_path / f"{kind}.csv"
        path.write_text(FILES[kind][0].format(first="claire", second="Clair Martin"), encoding="utf-8")
        assert cli.main(["--db", manager, "import", kind, str(path)]) == 2
        assert "« Clair Martin » — attendu : un commercial de l'équipe" in capsys.readouterr().err
        path.write_text(FILES[kind][0].format(first="claire", second="julien"), encoding="utf-8")
        assert cli.main(["--db", manager, "import", kind, str(path)]) == 0
        with psycopg.connect(pg_team) as db:
            assert [r[0] for r in db.execute(FILES[kind][1])] == ["Claire Martin", "Julien Lefèvre"]
