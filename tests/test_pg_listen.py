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


def test_a_lost_connection_is_taken_up_again_and_said_as_a_change(pg_url):
    """The server closing the listener's connection (a restart, an administrator) does not end
    live updates: the listener reconnects and reports a change, since commits may have passed."""
    assert main(["--db", pg_url, "init"]) == 0
    with ChangeListener(pg_url, poll_s=0.05) as changes, psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE query LIKE 'LISTEN%%' AND pid <> pg_backend_pid()")
        assert "*" in changes.wait(5.0)
        for _ in range(100):  # listening again: a new commit is heard
            admin.execute("INSERT INTO settings(key, value) VALUES ('k', 'v') "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value || 'x'")
            if "settings" in changes.wait(0.1):
                break
        else:
            raise AssertionError("no notification after the reconnection")
