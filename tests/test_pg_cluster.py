"""The throwaway cluster itself: started by the session, reached on its unix socket, a database per test."""

from __future__ import annotations

import psycopg


def test_the_cluster_answers_on_its_socket(pg_cluster, pg_url):
    with psycopg.connect(pg_url) as db:
        version = db.execute("SHOW server_version_num").fetchone()[0]
        listen = db.execute("SHOW listen_addresses").fetchone()[0]
        socket_dir = db.execute("SHOW unix_socket_directories").fetchone()[0]
        name = db.execute("SELECT current_database()").fetchone()[0]
    assert int(version) >= 150000
    assert listen == ""  # no TCP: only the socket in the test's own directory
    assert socket_dir == str(pg_cluster.root)
    assert name.startswith("t_")


def test_each_test_gets_an_empty_database(pg_url):
    with psycopg.connect(pg_url) as db:
        tables = db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]
    assert tables == 0
