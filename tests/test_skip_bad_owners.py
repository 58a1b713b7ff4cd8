"""``cockpit import KIND FILE --skip-bad`` by a rep, a line naming another
rep's row (METHOD §8): the line is set aside in FILE.rejets.csv with the
sentence the import without --skip-bad stops on, counted among the lines
rejected, and the rep's own lines import; on SQLite and on PostgreSQL.
Before, only a sales file did so: the other imports stopped whole on that
line (exit 2) even with --skip-bad."""

from __future__ import annotations

import csv
import sqlite3

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit import cli, i18n

# kind, her own line then the other rep's (line 3), and what her line leaves (query, row). MEQUISA (C002),
# LORFLEX (C001) and « SARL Sanitaire Lefèvre » are claire's; C039 and « SARL Climatisation Picard » sophie's.
CASES = {
    "clients by code": ("clients", "code;nom;potentiel;CA 2025\nC002;MEQUISA;200 000;1\nC039;LORFLEX PIRATE;999900;1\n",
                        "SELECT potential FROM clients WHERE code = 'C002'", (20_000_000,)),
    "clients to another owner": ("clients", "code;nom;commercial\nC002;MEQUISA BIS;claire\nC001;LORFLEX;sophie\n",
                                 "SELECT name, owner FROM clients WHERE code = 'C002'", ("MEQUISA BIS", "claire")),
    "a prospect of another": ("prospects", "company;stage;notes\nSARL Sanitaire Lefèvre;perdu;x\n"
                                           "SARL Climatisation Picard;perdu;x\n",
                              "SELECT stage, notes FROM prospects WHERE company = 'SARL Sanitaire Lefèvre'", ("perdu", "x")),
    "another's activity": ("activity", "rep;period;activite;efficacite;orientation\nclaire;2026-11;5;5;5\n"
                                       "Sophie Girard;2026-11;0;0;0\n",
                           "SELECT value FROM activity WHERE rep = 'Claire Martin' AND period = '2026-11' "
                           "AND indicator = 'activite'", (5.0,)),
    "another's visits": ("visits", "date;rep;client_code;prospect;kind;outcome\n03/11/2026;claire;C001;;appel;rien\n"
                                   "03/11/2026;Sophie Girard;C001;;appel;rien\n",
                         "SELECT count(*) FROM visits WHERE rep = 'Claire Martin' AND substr(date, 1, 7) = '2026-11'", (1,)),
    "a visit to another's client": ("visits", "date;rep;client_code;prospect;kind;outcome\n"
                                              "03/11/2026;claire;C001;;appel;rien\n03/11/2026;claire;C039;;appel;rien\n",
                                    "SELECT count(*) FROM visits WHERE rep = 'Claire Martin' "
                                    "AND substr(date, 1, 7) = '2026-11'", (1,)),
    "a visit to another's prospect": ("visits", "date;rep;client_code;prospect;kind;outcome\n"
                                                "03/11/2026;claire;C001;;appel;rien\n"
                                                "03/11/2026;claire;;SARL Climatisation Picard;appel;rien\n",
                                      "SELECT count(*) FROM visits WHERE rep = 'Claire Martin' "
                                      "AND substr(date, 1, 7) = '2026-11'", (1,)),
}
PG_CASES = ("clients by code", "clients to another owner", "a prospect of another", "another's visits",
            "a visit to another's client")

# Every row that is not claire's, and how many clients and prospects there are: what her import must leave.
THEIRS = {
    "clients": "SELECT code, name, grp, sector, potential, owner FROM clients WHERE owner <> 'claire'",
    "amounts": "SELECT c.code, a.period, a.revenue, a.margin FROM amounts a JOIN clients c ON c.id = a.client_id "
               "WHERE c.owner <> 'claire'",
    "prospects": "SELECT company, stage, notes, owner FROM prospects WHERE owner <> 'claire'",
    "activity": "SELECT rep, period, indicator, value, target FROM activity WHERE rep NOT IN ('claire', 'Claire Martin')",
    "visits": "SELECT date, rep, client_id, prospect_id, kind, outcome FROM visits "
              "WHERE rep NOT IN ('claire', 'Claire Martin')",
    "counts": "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM prospects)",
}


def theirs(db) -> dict[str, list[tuple]]:
    return {name: sorted(db.execute(query).fetchall(), key=repr) for name, query in THEIRS.items()}


class Backend:
    """The workspace as claire's CLI reaches it, and as an onlooker reads it (every row)."""

    def __init__(self, name: str, request, db_path) -> None:
        if name == "sqlite":
            self.target, self.rep, self.read = str(db_path), ["--rep", "claire"], lambda: sqlite3.connect(db_path)
        else:
            url = request.getfixturevalue("pg_team")
            self.target, self.rep, self.read = make_conninfo(url, user="claire"), [], lambda: psycopg.connect(url)

    def run(self, capsys, *args: str) -> tuple[int, str]:
        i18n.set_lang("fr")
        capsys.readouterr()
        code = cli.main(["--db", self.target, *self.rep, *args])
        return code, capsys.readouterr().err.strip()

    def query(self, sql: str):
        with self.read() as db:
            return db.execute(sql).fetchone()

    def others(self) -> dict[str, list[tuple]]:
        with self.read() as db:
            return theirs(db)


def rejects(path) -> list[list[str]]:
    with path.with_name(path.stem + ".rejets.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))[1:]


def check_case(backend: Backend, tmp_path, capsys, case: str) -> None:
    kind, content, query, hers = CASES[case]
    path = tmp_path / f"{kind}.csv"
    path.write_text(content, encoding="utf-8")
    before, others = backend.query(query), backend.others()
    # Without --skip-bad: as before, the sentence on line 3, exit 2, nothing written.
    code, sentence = backend.run(capsys, "import", kind, str(path))
    assert code == 2 and "ligne 3" in sentence and "Traceback" not in sentence, sentence
    assert backend.query(query) == before and backend.others() == others
    # With it: that line set aside with the same sentence, hers imported, the colleague's rows as they were.
    code, said = backend.run(capsys, "import", kind, str(path), "--skip-bad")
    assert code == 0 and said.startswith("1 ligne rejetée"), said
    assert [row[:2] for row in rejects(path)] == [["3", sentence]]
    assert backend.query(query) == hers
    assert backend.others() == others


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_line_naming_another_reps_row_is_set_aside_and_hers_import_on_sqlite(request, db_path, tmp_path, capsys, case):
    check_case(Backend("sqlite", request, db_path), tmp_path, capsys, case)


@pytest.mark.parametrize("case", PG_CASES)
def test_the_same_on_postgresql(request, db_path, tmp_path, capsys, case):
    check_case(Backend("postgresql", request, db_path), tmp_path, capsys, case)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_line_another_reps_imports_nothing_exit_2(request, db_path, tmp_path, capsys, backend):
    ws = Backend(backend, request, db_path)
    path = tmp_path / "visites.csv"
    path.write_text("date;rep;client_code;prospect;kind;outcome\n03/11/2026;Sophie Girard;C001;;appel;rien\n"
                    "04/11/2026;claire;C039;;appel;rien\n", encoding="utf-8")
    others = ws.others()
    code, said = ws.run(capsys, "import", "visits", str(path), "--skip-bad")
    assert code == 2 and "chaque ligne est rejetée" in said and "rien n'a été importé" in said, said
    assert [row[0] for row in rejects(path)] == ["2", "3"]
    assert ws.others() == others
    assert ws.query("SELECT count(*) FROM visits WHERE rep = 'Claire Martin' AND substr(date, 1, 7) = '2026-11'") != (0,)
