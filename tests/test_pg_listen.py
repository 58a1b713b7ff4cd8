"""Others' commits reach an open cockpit through LISTEN/NOTIFY (issue 13, item 4).
Latency is measured in benchmarks/pg_bench.py, not asserted here."""

from __future__ import annotations

import psycopg

from cockpit.cli import main
from cockpit.store.pg.listen import ChangeListener


def test_a_commit_on_another_connection_is_heard(pg_url):
    assert main(["--db", pg_url, "init"]) == 0
    heard: list[str] = []
    with ChangeListener(pg_url, on_change=heard.append) as changes, psycopg.connect(pg_url) as other:
        other.execute("INSERT INTO clients(code, name) VALUES ('C1', 'Un')")
        other.execute("INSERT INTO amounts(client_id, period, revenue) VALUES (1, '2025', 100)")
        assert changes.wait(0.3) == set()  # not before the commit: a rolled-back edit is never announced
        other.commit()
        got = changes.wait(5.0)
        while got != {"clients", "amounts"} and (more := changes.wait(5.0)):
            got |= more
        assert got == {"clients", "amounts"}
        assert changes.mark >= 2
        other.execute("UPDATE clients SET name = 'Deux' WHERE id = 1")
        other.rollback()
        other.execute("DELETE FROM amounts")
        other.commit()
        assert changes.wait(5.0) == {"amounts"}
    assert sorted(set(heard)) == ["amounts", "clients"]


def test_a_rep_hears_commits_too(pg_url):
    """The notification says a table changed, nothing of the rows: a rep's listener
    learns to reload, and the reload sees only their rows (row-level security)."""
    assert main(["--db", pg_url, "init"]) == 0
    assert main(["--db", pg_url, "rep", "add", "claire", "--name", "Claire"]) == 0
    from psycopg.conninfo import make_conninfo

    with ChangeListener(make_conninfo(pg_url, user="claire")) as changes, psycopg.connect(pg_url) as admin:
        admin.execute("INSERT INTO prospects(company) VALUES ('X')")
        admin.commit()
        assert changes.wait(5.0) == {"prospects"}
