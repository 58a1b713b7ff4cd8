"""``cockpit import clients FILE`` by a rep, a line with no code naming
another rep's client (METHOD §8: a rep writes only their own portfolio).

By code, such a line was refused (``client_lookup.theirs_client``); by name,
it was not: claire's line « MEGNIN » (sophie's C004) made a second MEGNIN,
hers, a duplicate account of a colleague's client. On PostgreSQL row-level
security hides sophie's rows from claire's role, so the import did not even
know. Now it is refused on its line in the by-code sentence (exit 2, nothing
written), set aside with it under --skip-bad; a name of hers (LORFLEX: hers
is C001, sophie's C039), a manager's file and a name nobody has import as
before. On both backends."""

from __future__ import annotations

import csv
import sqlite3

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit import cli, i18n

SENTENCE = {
    "fr": "{file}, ligne 3, colonne « nom » : « MEGNIN » — attendu : un client de votre portefeuille : ce nom est "
          "celui d'un client d'un autre commercial (un responsable l'importe, ou le lui transfère)",
    "en": "{file}, line 3, column 'nom': 'MEGNIN' — expected: a client of your portfolio: this name is another "
          "rep's client (a manager imports it, or transfers it to you)",
}
# Every client and its potential: what a refused import leaves as it was.
CLIENTS = "SELECT code, name, owner, potential FROM clients ORDER BY code"


class Backend:
    """The workspace as ``who``'s CLI reaches it, and as an onlooker reads it (every row)."""

    def __init__(self, name: str, request, db_path) -> None:
        self.name = name
        if name == "sqlite":
            self.target = lambda who: ["--db", str(db_path), "--rep", who]
            self.read = lambda: sqlite3.connect(db_path)
        else:
            url = request.getfixturevalue("pg_team")
            self.target = lambda who: ["--db", make_conninfo(url, user=who)]
            self.read = lambda: psycopg.connect(url)

    def run(self, capsys, who: str, *args: str) -> tuple[int, str]:
        capsys.readouterr()
        code = cli.main([*self.target(who), *args])
        i18n.set_lang("fr")
        return code, capsys.readouterr().err.strip()

    def rows(self, sql: str = CLIENTS) -> list[tuple]:
        with self.read() as db:
            return [tuple(r) for r in db.execute(sql).fetchall()]

    def named(self, name: str) -> list[tuple]:
        return [r for r in self.rows() if r[1] == name]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, db_path) -> Backend:
    return Backend(request.param, request, db_path)


def write(tmp_path, content: str):
    path = tmp_path / "clients.csv"
    path.write_text(content, encoding="utf-8")
    return path


@pytest.mark.parametrize("content", [
    "nom;potentiel\nLORFLEX;300 000\nMEGNIN;1\nNOUVEAU CLIENT;10\n",  # no code column: by name
    "code;nom;potentiel\nC002;MEQUISA;1\n;MEGNIN;1\n;NOUVEAU CLIENT;10\n",  # a blank code: that line by name
], ids=["no code column", "a blank code"])
def test_a_reps_line_naming_a_colleagues_client_is_refused_and_nothing_written(backend, tmp_path, capsys, content):
    path = write(tmp_path, content)
    before = backend.rows()
    code, said = backend.run(capsys, "claire", "import", "clients", str(path))
    assert (code, said) == (2, SENTENCE["fr"].format(file=path)), said
    assert backend.rows() == before  # no second MEGNIN, LORFLEX and MEQUISA untouched, no NOUVEAU CLIENT
    code, said = backend.run(capsys, "claire", "--lang", "en", "import", "clients", str(path))
    assert (code, said) == (2, SENTENCE["en"].format(file=path)), said
    assert backend.rows() == before


def test_skip_bad_sets_that_line_aside_and_imports_the_rest(backend, tmp_path, capsys):
    path = write(tmp_path, "nom;potentiel\nLORFLEX;300 000\nMEGNIN;1\nNOUVEAU CLIENT;10\n")
    megnin = backend.named("MEGNIN")
    code, said = backend.run(capsys, "claire", "import", "clients", str(path), "--skip-bad")
    assert code == 0 and said.startswith("1 ligne rejetée"), said
    with (tmp_path / "clients.rejets.csv").open(encoding="utf-8-sig", newline="") as f:
        rejected = list(csv.reader(f, delimiter=";"))[1:]
    assert [row[:2] for row in rejected] == [["3", SENTENCE["fr"].format(file=path)]]
    assert backend.named("MEGNIN") == megnin == [("C004", "MEGNIN", "sophie", 16_380_000)]
    assert [r[2:] for r in backend.named("LORFLEX")] == [("claire", 30_000_000), ("sophie", 130_000)]
    assert [r[1:] for r in backend.named("NOUVEAU CLIENT")] == [("NOUVEAU CLIENT", "claire", 1000)]


def test_a_managers_file_by_name_updates_the_client_as_before(backend, tmp_path, capsys):
    path = write(tmp_path, "nom;potentiel\nMEGNIN;1\n")
    count = len(backend.rows())
    code, said = backend.run(capsys, "nathalie", "import", "clients", str(path))
    assert code == 0, said
    assert backend.named("MEGNIN") == [("C004", "MEGNIN", "sophie", 100)] and len(backend.rows()) == count


def test_a_name_of_her_own_is_her_client_though_a_colleague_has_one_too(backend, tmp_path, capsys):
    path = write(tmp_path, "nom;potentiel\nLORFLEX;1\nMEQUISA;2\n")
    count = len(backend.rows())
    code, said = backend.run(capsys, "claire", "import", "clients", str(path))
    assert code == 0, said
    assert [r[2:] for r in backend.named("LORFLEX")] == [("claire", 100), ("sophie", 130_000)]
    assert backend.named("MEQUISA") == [("C002", "MEQUISA", "claire", 200)] and len(backend.rows()) == count


def test_a_name_nobody_has_is_a_new_client_of_hers(backend, tmp_path, capsys):
    path = write(tmp_path, "nom;potentiel\nNOUVEAU CLIENT;10\nMEQUISA;2\n")
    count = len(backend.rows())
    code, said = backend.run(capsys, "claire", "import", "clients", str(path))
    assert code == 0, said
    assert [r[1:] for r in backend.named("NOUVEAU CLIENT")] == [("NOUVEAU CLIENT", "claire", 1000)]
    assert len(backend.rows()) == count + 1



@pytest.mark.parametrize("skip_bad", [[], ["--skip-bad"]], ids=["stopping", "skip-bad"])
def test_a_client_she_makes_by_a_new_code_is_hers_by_name_further_down(backend, tmp_path, capsys, skip_bad):
    """--skip-bad's check agrees with the import: line 3 updates the MEGNIN line 2 made hers, set aside by neither."""
    path = write(tmp_path, "code;nom;potentiel\nC999;MEGNIN;5\n;MEGNIN;7\n")
    code, said = backend.run(capsys, "claire", "import", "clients", str(path), *skip_bad)
    assert code == 0 and "rejet" not in said, said
    assert backend.named("MEGNIN") == [("C004", "MEGNIN", "sophie", 16_380_000), ("C999", "MEGNIN", "claire", 700)]

# ---- PostgreSQL: the definer function (migration 9) -------------------------------------

def test_the_names_function_says_only_which_names_are_taken_and_only_to_the_team(pg_team):
    """claire cannot see MEGNIN (sophie's) yet learns the name is taken; nothing else of it, no name not asked."""
    with psycopg.connect(make_conninfo(pg_team, user="claire")) as db:
        assert db.execute("SELECT count(*) FROM clients WHERE name = 'MEGNIN'").fetchone()[0] == 0
        cur = db.execute("SELECT * FROM cockpit_client_names(%s)", (["MEGNIN", "LORFLEX", "PERSONNE"],))
        assert [c.name for c in cur.description] == ["name"]
        assert sorted(r[0] for r in cur.fetchall()) == ["LORFLEX", "MEGNIN"]  # LORFLEX: hers and sophie's, once
        assert db.execute("SELECT * FROM cockpit_client_names(%s)", (["megnin", "MEGNIN "],)).fetchall() == []
    with psycopg.connect(pg_team) as db:
        if not db.execute("SELECT 1 FROM pg_roles WHERE rolname = 'passant'").fetchone():
            db.execute("CREATE ROLE passant LOGIN")
        db.commit()
    with psycopg.connect(make_conninfo(pg_team, user="passant")) as db:  # not of the team: no grant
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("SELECT * FROM cockpit_client_names(%s)", (["MEGNIN"],))


def test_a_schema_before_it_gets_the_function_and_its_grant_at_init(pg_url, capsys):
    from cockpit.store.pg import schema
    from cockpit.store.pg.schema import PG_MIGRATIONS

    def granted(db) -> tuple[bool, bool]:
        exists = db.execute("SELECT to_regprocedure('cockpit_client_names(text[])') IS NOT NULL").fetchone()[0]
        rep = exists and db.execute("SELECT has_function_privilege('cockpit_rep', 'cockpit_client_names(text[])', "
                                    "'EXECUTE')").fetchone()[0]
        return exists, rep

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schema, "PG_MIGRATIONS", PG_MIGRATIONS[:-1])
        assert cli.main(["--db", pg_url, "init"]) == 0
    with psycopg.connect(pg_url) as db:
        assert granted(db) == (False, False)
    capsys.readouterr()
    assert cli.main(["--db", pg_url, "init"]) == 0
    last = len(PG_MIGRATIONS)
    assert f"{last - 1} → {last}" in capsys.readouterr().out
    with psycopg.connect(pg_url) as db:
        assert granted(db) == (True, True)
        assert db.execute("SELECT has_function_privilege('public', 'cockpit_client_names(text[])', 'EXECUTE')"
                          ).fetchone()[0] is False
