"""A period's portfolio read in bulk from PostgreSQL (COPY into numpy) is the
same PortfolioData as the SQLite workspace's for the same data: same ids,
amounts, versions, names, codes, groups, sectors, potentials and tie-break keys."""

from __future__ import annotations

import numpy as np
import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit.cli import main
from cockpit.store.pg import read
from cockpit.store.workspace import Workspace


@pytest.fixture
def both(pg_url, db_path, capsys):
    ws = Workspace(db_path, who="nathalie")  # the manager: the rows are several reps'
    with ws.unit() as u:  # names that sort differently byte-wise and by a locale, a tie on name, an empty group
        u.set("clients", (1,), "name", "éclair")
        u.set("clients", (2,), "name", "Zèbre")
        u.set("clients", (3,), "name", "Zèbre")
        u.set("clients", (4,), "grp", "")
        u.set("clients", (5,), "name", "a\\b")
    ws.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert main(["--db", pg_url, "init"]) == 0
    assert main(["--db", pg_url, "import", "workspace", str(db_path)]) == 0, capsys.readouterr().err
    yield ws, pg_url
    ws.close()


def same(a, b) -> None:
    assert a.period == b.period
    for name in ("client_id", "potential", "amount", "version", "client_version", "name_key"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
        assert getattr(a, name).dtype == np.int64
    for name in ("code", "name", "group", "sector"):
        assert list(getattr(a, name)) == list(getattr(b, name)), name
    assert list(a.group_codes[0]) == list(b.group_codes[0])
    np.testing.assert_array_equal(a.group_codes[1], b.group_codes[1])
    if b.revenue is None:
        assert a.revenue is None
    else:
        np.testing.assert_array_equal(a.revenue, b.revenue)


def test_every_period_loads_the_same_on_both_backends(both):
    ws, pg_url = both
    with psycopg.connect(pg_url, autocommit=True) as db:
        assert read.periods(db) == ws.periods()
        assert len(ws.periods()) >= 2
        for period in ws.periods():
            for field in ("revenue", "margin"):
                for workers in (1, 3):  # one connection, or three sharing its snapshot
                    same(read.load_portfolio(db, period, field, workers=workers), ws.load_portfolio(period, field))
    with psycopg.connect(pg_url) as db, db.transaction():  # inside a transaction of the caller's: in its snapshot
        db.execute("SELECT 1")
        same(read.load_portfolio(db, ws.periods()[-1]), ws.load_portfolio(ws.periods()[-1]))
        # The columns read on first use are the period's clients' too.
        data = read.load_portfolio(db, ws.periods()[0])
        assert list(data.code) == list(ws.load_portfolio(ws.periods()[0]).code)
        assert list(data.sector) == list(ws.load_portfolio(ws.periods()[0]).sector)


def test_a_period_without_amounts_is_empty_on_both(both):
    ws, pg_url = both
    with psycopg.connect(pg_url) as db:
        same(read.load_portfolio(db, "1999"), ws.load_portfolio("1999"))


def test_a_rep_loads_only_their_own_portfolio(both):
    ws, pg_url = both
    period = ws.periods()[-1]
    theirs = {r[0] for r in ws.db.execute("SELECT id FROM clients WHERE owner = 'claire'")}
    team = ws.load_portfolio(period)
    with psycopg.connect(make_conninfo(pg_url, user="claire")) as db:
        mine = read.load_portfolio(db, period)
    expected = [i for i in team.client_id.tolist() if i in theirs]
    assert mine.client_id.tolist() == expected and expected
    by_id = dict(zip(team.client_id.tolist(), team.amount.tolist()))
    assert mine.amount.tolist() == [by_id[i] for i in expected]
    # The tie-break ranks her clients among themselves, in the team's order.
    team_key = dict(zip(team.client_id.tolist(), team.name_key.tolist()))
    assert sorted(expected, key=team_key.__getitem__) == [i for _, i in sorted(zip(mine.name_key.tolist(), expected))]


def test_one_reps_portfolio_loads_the_same_on_both_backends(both):
    """A manager picking a rep (``owner``): the SQLite workspace's owner view, the same figures and tie-break."""
    ws, pg_url = both
    owners = [r[0] for r in ws.db.execute("SELECT DISTINCT owner FROM clients WHERE owner IS NOT NULL ORDER BY owner")]
    assert len(owners) >= 2
    with psycopg.connect(pg_url, autocommit=True) as db:
        for owner in owners:
            for period in ws.periods():
                for workers in (1, 3):
                    same(read.load_portfolio(db, period, "margin", workers=workers, owner=owner),
                         ws.load_portfolio(period, "margin", owner=owner))


def test_edited_rows_moved_out_of_id_order_and_a_separator_in_a_name_load_the_same(both):
    """The clients come from a plain scan: after edits PostgreSQL gives them out of id order (an updated row is
    a new row version further on), and only the edited rows' versions are read; a name holding the separator
    is read row by row. Still the same PortfolioData as SQLite's."""
    from cockpit.store.pg.workspace import PgWorkspace

    ws, pg_url = both
    period = ws.periods()[-1]
    data = ws.load_portfolio(period)
    first, second = (int(i) for i in data.client_id[:2])
    pg = PgWorkspace(pg_url)
    try:
        for store in (ws, pg):
            with store.unit() as u:
                u.set("clients", (first,), "potential", 123_456)
                u.set("amounts", (second, period), "revenue", 654_321)
                u.set("amounts", (second, period), "revenue", 654_322)
    finally:
        pg.close()
    ws.db.execute("UPDATE clients SET name = ? WHERE id = ?", ("Dupont\x1eFils", second))
    ws.db.commit()
    with psycopg.connect(pg_url, autocommit=True) as db:
        db.execute("UPDATE clients SET name = %s WHERE id = %s", ("Dupont\x1eFils", second))
        scanned = [r[0] for r in db.execute("SELECT id FROM clients")]
        assert scanned != sorted(scanned)  # the case this test is about
        for workers in (1, 3):
            got = read.load_portfolio(db, period, workers=workers)
            same(got, ws.load_portfolio(period))
        row = got.client_id.tolist().index(second)
        assert got.amount[row] == 654_322 and got.version[row] == 3 and got.name[row] == "Dupont\x1eFils"
        assert got.client_version[got.client_id.tolist().index(first)] == data.client_version[0] + 1
