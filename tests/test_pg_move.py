"""Moving a SQLite workspace up to PostgreSQL (issue 13, item 5), all or
nothing, checked table by table; and ``cockpit backup`` on PostgreSQL."""

from __future__ import annotations

import sqlite3
import subprocess
from fractions import Fraction

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit.cli import main

from cockpit.store.pg.move import TABLES


def rows(execute, table: str) -> list[tuple]:
    """Every row, in one order on both sides; reals as exact fractions (no float compare)."""
    cols = [c for c in COLUMNS[table]]
    out = [tuple(Fraction(v) if isinstance(v, float) else v for v in row)
           for row in execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()]
    return sorted(out, key=repr)


COLUMNS: dict[str, list[str]] = {}


@pytest.fixture
def moved(pg_url, db_path, capsys):
    src = sqlite3.connect(db_path)
    # Every table of the workspace is moved (a new SQLite table fails here until move.TABLES has it).
    assert set(TABLES) == {r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in TABLES:
        COLUMNS[table] = [r[1] for r in src.execute(f"PRAGMA table_info({table})")]
    assert main(["--db", pg_url, "init"]) == 0
    capsys.readouterr()
    code = main(["--db", pg_url, "import", "workspace", str(db_path)])
    return code, capsys.readouterr(), src, pg_url


def test_the_sample_workspace_moves_up_whole(moved):
    code, out, src, pg_url = moved
    assert code == 0, out.err
    with psycopg.connect(pg_url) as db:
        for table in TABLES:
            assert rows(db.execute, table) == rows(src.execute, table), table
        # The stage history is read in insertion order (SQLite's rowid): the same order after the move.
        history = "SELECT prospect_id, stage, date FROM stage_history ORDER BY rowid"
        assert db.execute(history).fetchall() == src.execute(history).fetchall()
    # Each table said, with its count and money totals (from the source, in exact cents).
    lines = out.out.splitlines()
    n_clients = src.execute("SELECT count(*) FROM clients").fetchone()[0]
    revenue = sum(r[0] for r in src.execute("SELECT revenue FROM amounts"))
    amounts_line = next(line for line in lines if line.startswith("amounts"))
    assert f"{n_clients} lignes" in next(line for line in lines if line.startswith("clients"))
    euros, cents = divmod(revenue, 100)
    assert f"{euros:,}".replace(",", "\u202f") + f",{cents:02d}" in amounts_line.replace("\xa0", "\u202f")
    assert "une seule transaction" in lines[-1]
    assert n_clients > 0 and revenue > 0


def test_after_the_move_reps_log_in_and_see_their_own(moved):
    code, _, src, pg_url = moved
    assert code == 0
    owners = dict(src.execute("SELECT owner, count(*) FROM clients GROUP BY owner").fetchall())
    reps = [login for login, role in src.execute("SELECT login, role FROM reps") if role == "rep"]
    assert len(reps) >= 2
    for login in reps:
        with psycopg.connect(make_conninfo(pg_url, user=login)) as db:
            assert db.execute("SELECT count(*) FROM clients").fetchone()[0] == owners.get(login, 0)
            assert db.execute("SELECT count(DISTINCT owner) FROM clients").fetchone()[0] <= 1
            # New rows continue after the copied ids.
            new_id = db.execute("INSERT INTO clients(code, name) VALUES ('NEW-' || current_user, 'Nouveau') RETURNING id").fetchone()[0]
    assert new_id > src.execute("SELECT max(id) FROM clients").fetchone()[0]


def test_a_second_move_into_the_same_database_is_refused(moved, db_path, capsys):
    code, _, _, pg_url = moved
    assert code == 0
    assert main(["--db", pg_url, "import", "workspace", str(db_path)]) == 2
    assert "contient déjà des données" in capsys.readouterr().err


def test_a_mismatch_rolls_everything_back_with_a_sentence(pg_url, db_path, capsys):
    assert main(["--db", pg_url, "init"]) == 0
    with psycopg.connect(pg_url) as db:  # a layer that alters what it is given: the totals must catch it
        db.execute("""CREATE FUNCTION shave() RETURNS trigger LANGUAGE plpgsql AS $$
                      BEGIN NEW.revenue := NEW.revenue - 1; RETURN NEW; END $$""")
        db.execute("CREATE TRIGGER shave BEFORE INSERT ON sales FOR EACH ROW EXECUTE FUNCTION shave()")
        db.execute("ALTER TABLE sales ENABLE ALWAYS TRIGGER shave")  # also in the superuser's fast path
    capsys.readouterr()
    assert main(["--db", pg_url, "import", "workspace", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "Copie annulée" in err and "sales" in err and err.count("\n") == 1
    with psycopg.connect(pg_url) as db:
        assert [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES] == [0] * len(TABLES)


def test_bad_sources_are_said(pg_url, tmp_path, capsys):
    assert main(["--db", pg_url, "init"]) == 0
    capsys.readouterr()
    assert main(["--db", pg_url, "import", "workspace", str(tmp_path / "none.sqlite")]) == 2
    assert "pas de fichier" in capsys.readouterr().err
    junk = tmp_path / "junk.sqlite"
    junk.write_text("pas une base")
    assert main(["--db", pg_url, "import", "workspace", str(junk)]) == 2
    assert "n'est pas un espace cockpit" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "w.sqlite"), "import", "workspace", str(junk)]) == 2
    assert "--db postgresql://" in capsys.readouterr().err


def test_backup_runs_pg_dump_and_pg_restore_reads_it(moved, tmp_path, capsys):
    code, _, _, pg_url = moved
    assert code == 0
    target = tmp_path / "team.dump"
    assert main(["--db", pg_url, "backup", str(target)]) == 0
    assert str(target) in capsys.readouterr().out
    listing = subprocess.run(["pg_restore", "--list", str(target)], capture_output=True, text=True, check=True).stdout
    assert "TABLE DATA public clients" in listing and "POLICY public clients clients_own" in listing
    assert main(["--db", pg_url, "backup", str(target)]) == 2  # never over an existing file


def test_a_backup_as_a_reps_role_says_whose_role_can_make_it(moved, tmp_path, capsys):
    """pg_dump reads every row with row-level security off, which a rep's or a
    manager's role may not: one sentence with the command, no file, exit 2."""
    from psycopg.conninfo import make_conninfo

    code, _, _, pg_url = moved
    assert code == 0
    capsys.readouterr()
    for role in ("claire", "nathalie"):
        target = tmp_path / f"{role}.dump"
        assert main(["--db", make_conninfo(pg_url, user=role), "backup", str(target)]) == 2
        err = capsys.readouterr().err
        assert f"rôle {role}" in err and f"pg_dump --format=custom --file={target}" in err and "user=" not in err
        assert "Traceback" not in err and not target.exists()


def test_backup_without_pg_dump_says_the_command(pg_url, tmp_path, monkeypatch, capsys):
    assert main(["--db", pg_url, "init"]) == 0
    monkeypatch.setenv("PATH", str(tmp_path))  # no pg_dump on this PATH
    capsys.readouterr()
    assert main(["--db", pg_url, "backup", str(tmp_path / "b.dump")]) == 2
    err = capsys.readouterr().err
    assert f"pg_dump --format=custom --file={tmp_path / 'b.dump'} --dbname='{pg_url}'" in err


def test_a_broken_reference_in_the_source_is_caught_in_the_fast_path(pg_url, db_path, capsys):
    """A superuser's move skips the per-row foreign-key checks; one pass afterwards finds the orphan."""
    src = sqlite3.connect(db_path)
    src.execute("PRAGMA foreign_keys = OFF")
    src.execute("INSERT INTO sales(client_id, date, product, revenue) VALUES (987654, '2025-01-02', 'P', 100)")
    src.commit()
    assert main(["--db", pg_url, "init"]) == 0
    capsys.readouterr()
    assert main(["--db", pg_url, "import", "workspace", str(db_path)]) == 2
    err = capsys.readouterr().err
    assert "sales.client_id vaut 987654" in err and "clients" in err and err.count("\n") == 1
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT count(*) FROM sales").fetchone()[0] == 0


def test_a_role_that_is_not_superuser_moves_with_the_row_checks(pg_url, db_path, capsys):
    """An administrator with CREATEROLE but not superuser: the plain path, the same result."""
    from psycopg.conninfo import make_conninfo

    with psycopg.connect(pg_url, autocommit=True) as db:
        if not db.execute("SELECT 1 FROM pg_roles WHERE rolname = 'cockpit_admin'").fetchone():
            db.execute("CREATE ROLE cockpit_admin LOGIN CREATEROLE")
        name = db.info.dbname
        db.execute(f'ALTER DATABASE "{name}" OWNER TO cockpit_admin')
        db.execute("ALTER SCHEMA public OWNER TO cockpit_admin")
    admin = make_conninfo(pg_url, user="cockpit_admin")
    assert main(["--db", admin, "init"]) == 0
    assert main(["--db", admin, "import", "workspace", str(db_path)]) == 0, capsys.readouterr().err
    src = sqlite3.connect(db_path)
    with psycopg.connect(pg_url) as db:
        for table in ("clients", "amounts", "sales", "prospects", "visits"):
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == \
                src.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
