"""The PostgreSQL schema (issue 13, item 4): the same tables and columns as a
migrated SQLite workspace, money in BIGINT cents, and row-level security
proven at the SQL level — connected as one rep, another rep's rows are not
there and cannot be changed; a manager sees them all."""

from __future__ import annotations

import re
import sqlite3

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit.cli import main
from cockpit.store.pg.schema import DERIVED, NOTIFYING, OWNED_BY, PG_MIGRATIONS, TEAM_WIDE, VERSION_TABLE
from cockpit.store.workspace import Workspace


def sqlite_columns(path) -> dict[str, list[str]]:
    Workspace(path).close()  # every migration applied
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: [r[1] for r in db.execute(f"PRAGMA table_info({t})")] for t in tables}


def pg_columns(conninfo: str) -> dict[str, list[tuple[str, str]]]:
    with psycopg.connect(conninfo) as db:
        rows = db.execute("SELECT table_name, column_name, data_type FROM information_schema.columns "
                          "WHERE table_schema = 'public' AND table_name <> %s AND column_name <> 'rowid' "
                          "ORDER BY table_name, ordinal_position", (VERSION_TABLE,)).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        if (table, column) not in DERIVED:  # PostgreSQL's own, derived from other rows
            out.setdefault(table, []).append((column, kind))
    return out


def init(pg_url: str) -> None:
    assert main(["--db", pg_url, "init"]) == 0


def test_the_postgresql_schema_has_the_sqlite_tables_and_columns(pg_url, tmp_path, capsys):
    init(pg_url)
    assert "cockpit_rep" in capsys.readouterr().out
    sqlite = sqlite_columns(tmp_path / "w.sqlite")
    pg = pg_columns(pg_url)
    # The next SQLite migration fails this until cockpit/store/pg/schema.py gets its twin.
    assert {t: [c for c, _ in cols] for t, cols in pg.items()} == sqlite
    # Money in integer cents, never a float: every amount and potential is BIGINT.
    money = {(t, c) for t, cols in pg.items() for c, _ in cols if c in ("revenue", "margin", "potential", "quote_amount")}
    assert money == {("amounts", "revenue"), ("amounts", "margin"), ("sales", "revenue"), ("sales", "margin"),
                     ("clients", "potential"), ("prospects", "potential"), ("prospects", "quote_amount")}
    assert all(kind == "bigint" for t, cols in pg.items() for c, kind in cols if (t, c) in money)


def test_every_text_column_compares_bytewise_as_sqlite(pg_url):
    """ORDER BY name on the server gives SQLite's order whatever the database's locale."""
    init(pg_url)
    with psycopg.connect(pg_url) as db:
        collations = {r[0] for r in db.execute("SELECT coalesce(collation_name, '?') FROM information_schema.columns "
                                               "WHERE table_schema = 'public' AND data_type = 'text'")}
        names = ["éclair", "Zèbre", "zèbre", "Eclair", "a b", "ab", "Ä"]
        for i, name in enumerate(names):
            db.execute("INSERT INTO clients(code, name) VALUES (%s, %s)", (f"C{i}", name))
        ordered = [r[0] for r in db.execute("SELECT name FROM clients ORDER BY name")]
    assert collations == {"C"}
    assert ordered == sorted(names, key=lambda s: s.encode())


def test_every_table_is_guarded_and_notifies(pg_url):
    init(pg_url)
    with psycopg.connect(pg_url) as db:
        guarded = {r[0] for r in db.execute("SELECT relname FROM pg_class WHERE relkind = 'r' AND relrowsecurity "
                                            "AND relnamespace = 'public'::regnamespace")}
        tables = {r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")} - {VERSION_TABLE}
        triggers = {r[0] for r in db.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
    assert guarded == tables == set(OWNED_BY) | set(TEAM_WIDE)
    assert {f"{t}_notify" for t in tables - {"journal"}} <= triggers and set(NOTIFYING) == tables - {"journal"}


def test_init_twice_changes_nothing_and_says_the_version(pg_url, capsys):
    init(pg_url)
    init(pg_url)
    out = capsys.readouterr().out.splitlines()
    last = len(PG_MIGRATIONS)
    assert f"0 → {last}" in out[0] and f"{last} → {last}" in out[1]


def test_an_older_postgresql_schema_is_brought_up_to_date(pg_url, tmp_path, monkeypatch, capsys):
    """A database made by an older cockpit (schema 1) gets the later migrations, policies included."""
    from cockpit.store.pg import schema

    monkeypatch.setattr(schema, "PG_MIGRATIONS", PG_MIGRATIONS[:1])
    init(pg_url)
    monkeypatch.undo()
    init(pg_url)
    assert f"1 → {len(PG_MIGRATIONS)}" in capsys.readouterr().out.splitlines()[1]
    assert {t: [c for c, _ in cols] for t, cols in pg_columns(pg_url).items()} == sqlite_columns(tmp_path / "w.sqlite")


def as_role(pg_url: str, user: str) -> psycopg.Connection:
    return psycopg.connect(make_conninfo(pg_url, user=user))


@pytest.fixture
def team(pg_url):
    """claire and julien (reps), marie (manager), each owning a client with amounts,
    sales, a prospect with its history and scores, a visit, activity and journal rows."""
    init(pg_url)
    for login, name, extra in (("claire", "Claire Martin", []), ("julien", "Julien Petit", []),
                               ("marie", "Marie Durand", ["--manager"])):
        assert main(["--db", pg_url, "rep", "add", login, "--name", name, *extra]) == 0
    with psycopg.connect(pg_url) as db:
        for n, rep in ((1, "claire"), (2, "julien")):
            assert db.execute("INSERT INTO clients(code, name, owner, potential) VALUES (%s, %s, %s, 100000) RETURNING id",
                              (f"C{n}", f"Client de {rep}", rep)).fetchone()[0] == n
            db.execute("INSERT INTO amounts(client_id, period, revenue, margin) VALUES (%s, '2025', %s, 10)", (n, 1000 * n))
            db.execute("INSERT INTO sales(client_id, date, product, revenue) VALUES (%s, '2025-03-01', 'P', %s)", (n, 500 * n))
            assert db.execute("INSERT INTO prospects(company, owner) VALUES (%s, %s) RETURNING id",
                              (f"Prospect de {rep}", rep)).fetchone()[0] == n
            db.execute("INSERT INTO stage_history(prospect_id, stage, date) VALUES (%s, 'suspect', '2025-01-01')", (n,))
            db.execute("INSERT INTO qualification(prospect_id, criterion, score) VALUES (%s, 'budget', 3)", (n,))
            db.execute("INSERT INTO visits(date, rep, client_id, kind, outcome) VALUES ('2025-02-01', %s, %s, 'v', 'ok')", (rep, n))
            db.execute("INSERT INTO activity(rep, period, indicator, value) VALUES (%s, '2025-01', 'calls', 12)", (rep,))
            db.execute("INSERT INTO zone_answers(client_id, question, answer) VALUES (%s, 'dev.concurrence', %s)", (n, rep))
            db.execute("INSERT INTO journal(ts, who, entity, row_key, field, state) VALUES ('t', %s, 'clients', '[1]', 'name', 'done')",
                       (rep,))
    return pg_url


READS = {
    "clients": "SELECT name FROM clients",
    "amounts": "SELECT client_id FROM amounts",
    "sales": "SELECT client_id FROM sales",
    "prospects": "SELECT company FROM prospects",
    "stage_history": "SELECT prospect_id FROM stage_history",
    "qualification": "SELECT prospect_id FROM qualification",
    "visits": "SELECT rep FROM visits",
    "activity": "SELECT rep FROM activity",
    "journal": "SELECT who FROM journal",
    "zone_answers": "SELECT answer FROM zone_answers",
}


def test_a_rep_reads_and_writes_only_their_rows(team):
    with as_role(team, "claire") as db:
        seen = {table: sorted(str(r[0]) for r in db.execute(query)) for table, query in READS.items()}
        changed = db.execute("UPDATE clients SET name = 'pris' WHERE id = 2").rowcount
        changed += db.execute("UPDATE amounts SET revenue = 0 WHERE client_id = 2").rowcount
        changed += db.execute("DELETE FROM sales WHERE client_id = 2").rowcount
        changed += db.execute("UPDATE prospects SET stage = 'client' WHERE id = 2").rowcount
        mine = db.execute("UPDATE clients SET name = 'Client de claire (revu)' WHERE id = 1").rowcount
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # giving herself julien's row is refused too
            db.execute("INSERT INTO amounts(client_id, period, revenue) VALUES (2, '2026', 1)")
    assert seen == {"clients": ["Client de claire"], "amounts": ["1"], "sales": ["1"], "prospects": ["Prospect de claire"],
                    "stage_history": ["1"], "qualification": ["1"], "visits": ["claire"], "activity": ["claire"],
                    "journal": ["claire"], "zone_answers": ["claire"]}
    assert changed == 0 and mine == 1
    with psycopg.connect(team) as admin:  # julien's rows are as they were
        assert admin.execute("SELECT name FROM clients WHERE id = 2").fetchone()[0] == "Client de julien"
        assert admin.execute("SELECT revenue FROM amounts WHERE client_id = 2").fetchone()[0] == 2000
        assert admin.execute("SELECT count(*) FROM sales WHERE client_id = 2").fetchone()[0] == 1


def test_a_manager_sees_everyones_rows(team):
    with as_role(team, "marie") as db:
        seen = {table: len(db.execute(query).fetchall()) for table, query in READS.items()}
        assert db.execute("SELECT sum(revenue) FROM amounts").fetchone()[0] == 3000
    assert seen == {table: 2 for table in READS}


def test_a_rep_cannot_change_the_team_or_settings_a_manager_can(team):
    with as_role(team, "claire") as db:
        assert [r[0] for r in db.execute("SELECT login FROM reps ORDER BY login")] == ["claire", "julien", "marie"]
        assert db.execute("UPDATE reps SET role = 'manager' WHERE login = 'claire'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("INSERT INTO settings(key, value) VALUES ('abc.a_limit', '50')")
    with as_role(team, "marie") as db:
        db.execute("INSERT INTO settings(key, value) VALUES ('abc.a_limit', '75')")
    with as_role(team, "claire") as db:
        assert db.execute("SELECT value FROM settings").fetchall() == [("75",)]


def test_a_rep_creating_a_client_owns_it(team):
    with as_role(team, "julien") as db:
        db.execute("INSERT INTO clients(code, name) VALUES ('C9', 'Nouveau')")
        assert db.execute("SELECT owner FROM clients WHERE code = 'C9'").fetchone()[0] == "julien"
    with as_role(team, "claire") as db:
        assert db.execute("SELECT count(*) FROM clients WHERE code = 'C9'").fetchone()[0] == 0


def test_rep_add_makes_a_login_role_and_says_a_duplicate(team, capsys):
    with psycopg.connect(team) as db:
        roles = dict(db.execute("SELECT r.rolname, g.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
                                "JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname IN ('claire', 'marie')").fetchall())
        can_login = db.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'claire'").fetchone()[0]
    assert roles == {"claire": "cockpit_rep", "marie": "cockpit_manager"} and can_login
    capsys.readouterr()
    assert main(["--db", team, "rep", "add", "claire", "--name", "Claire"]) == 2
    assert "claire fait déjà partie de l'équipe" in capsys.readouterr().err
    assert main(["--db", team, "rep", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("marie") and "responsable" in lines[0] and "claire  Claire Martin" in lines[1]


def test_a_rep_cannot_add_a_rep_and_is_told_why(team, capsys):
    code = main(["--db", make_conninfo(team, user="claire"), "rep", "add", "paul", "--name", "Paul"])
    err = capsys.readouterr().err
    assert code == 2 and "PostgreSQL" in err and "Traceback" not in err


def test_without_a_schema_or_a_server_a_sentence(pg_url, tmp_path, capsys):
    assert main(["--db", pg_url, "rep", "list"]) == 2
    assert "cockpit --db … init" in capsys.readouterr().err
    assert main(["--db", f"host={tmp_path} dbname=nothing", "init"]) == 2
    err = capsys.readouterr().err
    assert "connexion impossible" in err and err.count("\n") == 1


def test_an_amount_carries_its_clients_owner_and_follows_a_transfer(team):
    """amounts.owner (PostgreSQL's own, kept by triggers) is the client's owner: set on insert, moved with the
    client; claire then reads the amounts of the client given to her, and julien no longer does."""
    with psycopg.connect(team) as admin:
        assert admin.execute("SELECT client_id, owner FROM amounts ORDER BY 1").fetchall() == [(1, "claire"), (2, "julien")]
        admin.execute("UPDATE amounts SET owner = 'claire' WHERE client_id = 2")  # a hand-set owner is put right
        assert admin.execute("SELECT owner FROM amounts WHERE client_id = 2").fetchone()[0] == "julien"
        admin.execute("INSERT INTO amounts(client_id, period, revenue) VALUES (2, '2026', 7)")
        admin.execute("UPDATE clients SET owner = 'claire' WHERE id = 2")
        assert admin.execute("SELECT count(*) FROM amounts WHERE owner = 'claire'").fetchone()[0] == 3
    with as_role(team, "claire") as db:
        assert db.execute("SELECT sum(revenue) FROM amounts").fetchone()[0] == 1000 + 2000 + 7
    with as_role(team, "julien") as db:
        assert db.execute("SELECT count(*) FROM amounts").fetchone()[0] == 0
        assert db.execute("UPDATE amounts SET revenue = 0").rowcount == 0


def test_a_reps_rows_are_found_through_an_index_not_filtered_row_by_row(team):
    """The rep's policy is ``owner = current_user`` alone (the manager's is another policy): the planner
    makes it an index condition, with no per-row subquery and no manager test OR-ed in."""
    with as_role(team, "claire") as db:
        db.execute("SET enable_seqscan = off")  # two rows: without this a scan is as cheap
        for query, index in (("SELECT client_id, revenue FROM amounts WHERE period = '2025'", "amounts_by_owner"),
                             ("SELECT id, name FROM clients", "clients_by_owner")):
            plan = "\n".join(str(r[0]) for r in db.execute(f"EXPLAIN {query}"))
            assert index in plan and re.search(r"Index Cond: \(+owner = CURRENT_USER\)", plan), plan
            assert "SubPlan" not in plan and "InitPlan" not in plan, plan


def test_moving_to_the_owner_on_amounts_fills_it_for_the_rows_there(pg_url, monkeypatch):
    from cockpit.store.pg import schema

    monkeypatch.setattr(schema, "PG_MIGRATIONS", PG_MIGRATIONS[:2])
    init(pg_url)
    monkeypatch.undo()
    with psycopg.connect(pg_url) as db:  # what `rep add` did with schema 2 (it wants the current schema)
        db.execute("INSERT INTO reps(login, name) VALUES ('claire', 'Claire Martin')")
        if not db.execute("SELECT 1 FROM pg_roles WHERE rolname = 'claire'").fetchone():
            db.execute("CREATE ROLE claire LOGIN")
        db.execute("GRANT cockpit_rep TO claire")
        db.execute("INSERT INTO clients(code, name, owner) VALUES ('C1', 'Un', 'claire'), ('C2', 'Deux', NULL)")
        db.execute("INSERT INTO amounts(client_id, period, revenue) VALUES (1, '2025', 5), (2, '2025', 6)")
    init(pg_url)
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT client_id, owner FROM amounts ORDER BY 1").fetchall() == [(1, "claire"), (2, None)]
    with as_role(pg_url, "claire") as db:
        assert db.execute("SELECT client_id, revenue FROM amounts").fetchall() == [(1, 5)]


def test_a_manager_demoted_while_connected_no_longer_sees_the_others_rows(team):
    """Policies are chosen when a query is planned, and psycopg reuses a prepared plan: the manager's policy
    asks the membership again when the query runs, so a plan made before the demotion fails closed."""
    query = "SELECT count(*) FROM amounts WHERE period = %s"
    with as_role(team, "marie") as db:
        db.autocommit = True
        for _ in range(3):
            assert db.execute(query, ("2025",), prepare=True).fetchone()[0] == 2
        with psycopg.connect(team, autocommit=True) as admin:
            admin.execute("REVOKE cockpit_manager FROM marie")
            admin.execute("GRANT cockpit_rep TO marie")
        try:
            assert db.execute(query, ("2025",), prepare=True).fetchone()[0] == 0  # she owns none of them
        finally:
            with psycopg.connect(team, autocommit=True) as admin:
                admin.execute("REVOKE cockpit_rep FROM marie")
                admin.execute("GRANT cockpit_manager TO marie")
