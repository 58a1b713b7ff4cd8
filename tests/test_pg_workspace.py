"""PgWorkspace: the Workspace API the screens use, on PostgreSQL — edits with
the version check and the same Conflict, units undone whole, creates and
deletes, others' commits seen through LISTEN/NOTIFY, row-level security
deciding what a rep's workspace holds."""

from __future__ import annotations

import threading
import time

import numpy as np
import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit.store.pg.target import PgError
from cockpit.store.pg.workspace import PgWorkspace
from cockpit.store.workspace import Conflict, Workspace


@pytest.fixture
def team(pg_team, db_path):
    pg_url = pg_team
    sqlite = Workspace(db_path, who="claire")
    mine = sqlite.db.execute("SELECT min(id) FROM clients WHERE owner = 'claire'").fetchone()[0]
    theirs = sqlite.db.execute("SELECT min(id) FROM clients WHERE owner = 'julien'").fetchone()[0]
    opened: list[PgWorkspace] = []

    def open_as(login: str) -> PgWorkspace:
        ws = PgWorkspace(make_conninfo(pg_url, user=login))
        opened.append(ws)
        return ws

    yield open_as, sqlite, mine, theirs
    for ws in opened:
        ws.close()
    sqlite.close()


def test_the_rep_is_the_database_role(team):
    open_as, *_ = team
    assert open_as("claire").who == "claire"


def test_an_edit_is_versioned_and_a_stale_one_is_a_conflict(team):
    open_as, _, mine, _ = team
    a, b = open_as("claire"), open_as("claire")  # the same rep in two terminals
    name, version = a.get("clients", (mine,), "name")
    edit = a.edit("clients", (mine,), "name", "Nouveau nom", expected_version=version)
    assert edit.version == version + 1 and b.get("clients", (mine,), "name") == ("Nouveau nom", version + 1)
    with pytest.raises(Conflict) as caught:
        b.edit("clients", (mine,), "name", "Autre", expected_version=version)
    assert caught.value.theirs == "Nouveau nom" and caught.value.version == version + 1
    assert a.get("clients", (mine,), "name") == ("Nouveau nom", version + 1)


def test_two_edits_of_one_version_at_once_one_wins(team):
    """The row is locked before its version is checked: no lost update."""
    open_as, _, mine, _ = team
    sessions = [open_as("claire") for _ in range(4)]
    _, version = sessions[0].get("clients", (mine,), "potential")
    outcomes: list[str] = []
    start = threading.Barrier(len(sessions))

    def edit(ws: PgWorkspace, value: int) -> None:
        start.wait()
        try:
            ws.edit("clients", (mine,), "potential", value, expected_version=version)
            outcomes.append(f"won {value}")
        except Conflict:
            outcomes.append("conflict")

    threads = [threading.Thread(target=edit, args=(ws, 1000 * (i + 1))) for i, ws in enumerate(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(winners) == 1 and outcomes.count("conflict") == 3
    assert sessions[0].get("clients", (mine,), "potential") == (int(winners[0].split()[1]), version + 1)


def test_a_unit_is_undone_and_redone_whole(team):
    open_as, sqlite, mine, _ = team
    ws = open_as("claire")
    period = sqlite.periods()[-1]
    before = [ws.get("clients", (mine,), "name"), ws.get("amounts", (mine, period), "revenue")]
    with ws.unit() as u:
        u.set("clients", (mine,), "name", "Gagné")
        u.set("amounts", (mine, period), "revenue", 123_456)
    assert ws.get("amounts", (mine, period), "revenue")[0] == 123_456
    undone = ws.undo()
    assert undone is not None and len(undone) == 2
    assert [ws.get("clients", (mine,), "name")[0], ws.get("amounts", (mine, period), "revenue")[0]] == [v for v, _ in before]
    assert len(ws.redo() or []) == 2
    assert ws.get("clients", (mine,), "name")[0] == "Gagné"


def test_create_and_delete_are_journaled_and_undone(team):
    open_as, *_ = team
    ws = open_as("claire")
    created = ws.create("prospects", {"company": "Nouvelle SARL", "stage": "suspect"})
    (new_id,) = created.key
    assert ws.get("prospects", (new_id,), "company")[0] == "Nouvelle SARL"
    with psycopg.connect(ws.conninfo) as db:
        assert db.execute("SELECT owner FROM prospects WHERE id = %s", (new_id,)).fetchone()[0] == "claire"
    ws.undo()
    assert ws.get("prospects", (new_id,), "company") is None
    ws.redo()
    assert ws.get("prospects", (new_id,), "company")[0] == "Nouvelle SARL"


def test_a_rep_cannot_edit_another_reps_client(team):
    open_as, _, _, theirs = team
    claire = open_as("claire")
    assert claire.get("clients", (theirs,), "name") is None  # not there for her
    with pytest.raises(KeyError):
        claire.edit("clients", (theirs,), "name", "Pris")
    manager = open_as("nathalie")
    assert manager.get("clients", (theirs,), "name") is not None


def test_others_commits_move_the_change_mark(team):
    open_as, _, mine, _ = team
    watcher, editor = open_as("claire"), open_as("nathalie")
    mark = watcher.change_mark()
    editor.edit("clients", (mine,), "sector", "Autre secteur")
    for _ in range(100):  # LISTEN/NOTIFY: the mark moves without a query of the watcher's
        if watcher.change_mark() != mark:
            break
        time.sleep(0.05)
    assert watcher.change_mark() != mark


def test_the_portfolio_is_the_reps_own(team):
    open_as, sqlite, *_ = team
    ws = open_as("claire")
    assert ws.periods() == sqlite.periods()
    for period in sqlite.periods():
        theirs = sqlite.load_portfolio(period, owner="claire")
        mine = ws.load_portfolio(period)
        np.testing.assert_array_equal(mine.client_id, theirs.client_id)
        np.testing.assert_array_equal(mine.amount, theirs.amount)
        np.testing.assert_array_equal(mine.name_key, theirs.name_key)
        assert list(mine.name) == list(theirs.name)


def test_a_database_without_the_schema_is_said(pg_url):
    with pytest.raises(PgError, match="init"):
        PgWorkspace(pg_url)


def test_rolling_twelve_months_are_the_same_as_on_sqlite(team):
    open_as, sqlite, *_ = team
    ws = open_as("nathalie")
    rolling = sqlite.periods(rolling=True)
    assert ws.periods(rolling=True) == rolling and rolling
    for period in (rolling[0], rolling[-1]):
        theirs, mine = sqlite.load_portfolio(period, owner="claire"), open_as("claire").load_portfolio(period)
        np.testing.assert_array_equal(mine.client_id, theirs.client_id)
        np.testing.assert_array_equal(mine.amount, theirs.amount)
        np.testing.assert_array_equal(mine.name_key, theirs.name_key)
        team_view = ws.load_portfolio(period)
        np.testing.assert_array_equal(team_view.amount, sqlite.load_portfolio(period).amount)


def test_the_prefetch_and_a_screens_load_at_once_agree_with_sqlite(team, tmp_path):
    """What `cockpit --db URL` does at start: the prefetch thread reads while a worker
    may read too; both get the SQLite workspace's figures for the same portfolio."""
    from cockpit import config
    from cockpit.portfolio.strategy import Prefetch, load_strategy
    from cockpit.store import shared_settings

    open_as, sqlite, *_ = team
    ws = open_as("claire")
    cfg = shared_settings.apply(config.load(tmp_path / "config.toml")[0], ws)
    prefetch = Prefetch(ws, cfg)
    model, strategy, periods = load_strategy(ws, cfg)  # at the same time, in this thread
    fetched = prefetch.result()
    assert fetched is not None
    theirs, _, their_periods = load_strategy(sqlite, cfg, owner="claire")
    assert periods == their_periods
    for got in (model, fetched[0]):
        assert got.summary() == theirs.summary()
