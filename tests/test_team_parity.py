"""One team, the same figures on SQLite and on PostgreSQL (METHOD §8). The
sample moved up to PostgreSQL (``pg_team``) is read as claire on both
backends, and each figure is checked against one computed here from the rows.

- A client's last contact is the client's, whoever made it (METHOD §7: "its
  last contact, a visit or call in the log"): the Portfolio's Contact column,
  the Today list's rhythm and the card read every rep's visits to the rep's
  clients and prospects. Before, PostgreSQL showed a rep only their own visits,
  so a client a colleague had just seen was due there and not on SQLite.
- The allocation of a rep's time ("Temps de Claire Martin") is the rep's own
  contacts on their own portfolio; the team's, every contact. Before, SQLite
  counted the colleagues' visits to claire's clients as her time (220,50
  contacts instead of 189,25).
- The Activity screen's targets (A and "développement" clients, hot
  prospects, the potential) are the rep's own portfolio's, the team's for a
  manager. Before, SQLite took every client's.
- With ``[activity] ranking = "everyone"``, a rep's row has its place in the
  whole team's ranking on PostgreSQL too (claire is 2nd of 4 in November);
  before, she was ranked over her own row only (1st).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from cockpit import cli, config
from cockpit.action.allocation import load_allocation
from cockpit.action.rhythm import last_contacts
from cockpit.action.today import today_list
from cockpit.activity.store import load_state, load_targets
from cockpit.store import shared_settings
from cockpit.store.pg.workspace import PgWorkspace
from cockpit.store.workspace import Workspace

CLAIRE = ("claire", "Claire Martin")


@contextlib.contextmanager
def both(db_path, pg_url: str, who: str = "claire") -> Iterator[tuple[Workspace, Workspace]]:
    """The same workspace as ``who``, on SQLite and on PostgreSQL."""
    lite, pg = Workspace(db_path, who=who), PgWorkspace(make_conninfo(pg_url, user=who))
    try:
        yield lite, pg
    finally:
        lite.close()
        pg.close()


def rows(db_path, query: str, *args) -> list[tuple]:
    with sqlite3.connect(db_path) as db:
        return db.execute(query, args).fetchall()


def report(capsys, tmp_path, *db: str) -> list[str]:
    empty = tmp_path / "empty.toml"
    empty.touch()
    capsys.readouterr()
    assert cli.main([*db, "--config", str(empty), "report"]) == 0
    return capsys.readouterr().out.splitlines()


def block(lines: list[str], head: str) -> list[str]:
    """The report's lines from the one starting with ``head`` to the next blank line."""
    start = next(i for i, line in enumerate(lines) if line.startswith(head))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


# ---- 1. contacts ------------------------------------------------------------------

def test_a_clients_last_contact_is_anyones_on_both_backends(pg_team, db_path):
    mine = {cid for (cid,) in rows(db_path, "SELECT id FROM clients WHERE owner = 'claire'")}
    want = {cid: day for cid, day in rows(db_path, "SELECT client_id, max(date) FROM visits WHERE client_id IS NOT NULL "
                                                   "GROUP BY client_id") if cid in mine}
    by_others = rows(db_path, "SELECT count(*) FROM visits v JOIN clients c ON c.id = v.client_id "
                              "WHERE c.owner = 'claire' AND v.rep NOT IN ('claire', 'Claire Martin')")[0][0]
    assert by_others == 62  # the colleagues' visits and calls to her clients: the sample has some
    with both(db_path, pg_team) as (lite, pg):
        for ws in (lite, pg):
            got = {cid: day.isoformat() for cid, day in last_contacts(ws).items() if cid in mine}
            assert got == want, ws.backend


def test_the_rhythm_and_todays_list_are_the_same_on_both_backends(pg_team, db_path, capsys, tmp_path):
    cfg = config.DEFAULTS
    with both(db_path, pg_team) as (lite, pg):
        day = [[(x.reason, x.target, x.last_contact, x.days, x.rhythm_status) for x in today_list(ws, cfg, owner="claire")]
               for ws in (lite, pg)]
    assert day[0] == day[1] and len(day[0]) == 26
    on_sqlite = report(capsys, tmp_path, "--db", str(db_path), "--rep", "claire")
    on_pg = report(capsys, tmp_path, "--db", make_conninfo(pg_team, user="claire"))
    rhythm = [line for line in on_sqlite if line.startswith("Clients à contacter selon leur rythme")]
    assert rhythm == [line for line in on_pg if line.startswith("Clients à contacter selon leur rythme")]
    assert rhythm == ["Clients à contacter selon leur rythme : 2, dont 1 en retard."]


def own_contacts(db_path) -> float:
    """claire's own visits (1) and calls (0,25) to her clients of 2025 (those who bought)."""
    visits, calls = rows(db_path, "SELECT sum(v.kind = 'visite'), sum(v.kind = 'appel') FROM visits v "
                                  "JOIN clients c ON c.id = v.client_id AND c.owner = 'claire' "
                                  "JOIN amounts a ON a.client_id = c.id AND a.period = '2025' AND a.revenue > 0 "
                                  "WHERE v.rep IN (?, ?)", *CLAIRE)[0]
    return visits + 0.25 * calls


def test_a_reps_time_is_their_own_contacts_on_both_backends(pg_team, db_path, capsys, tmp_path):
    assert own_contacts(db_path) == 189.25
    cfg = config.DEFAULTS
    with both(db_path, pg_team) as (lite, pg):
        got = [load_allocation(ws, cfg, owner="claire") for ws in (lite, pg)]
    assert got[0] == got[1] and float(got[0].contacts) == own_contacts(db_path)
    on_sqlite = block(report(capsys, tmp_path, "--db", str(db_path), "--rep", "claire"), "Temps de")
    on_pg = block(report(capsys, tmp_path, "--db", make_conninfo(pg_team, user="claire")), "Temps de")
    assert on_sqlite == on_pg
    assert on_sqlite[0] == "Temps de Claire Martin : 189,25 contacts (un appel compte 0,25 visite)"


def test_the_teams_time_is_every_contact(pg_team, db_path):
    visits, calls = rows(db_path, "SELECT sum(v.kind = 'visite'), sum(v.kind = 'appel') FROM visits v "
                                  "JOIN amounts a ON a.client_id = v.client_id AND a.period = '2025' AND a.revenue > 0")[0]
    with both(db_path, pg_team, who="nathalie") as (lite, pg):
        got = [load_allocation(ws, config.DEFAULTS) for ws in (lite, pg)]
    assert got[0] == got[1] and float(got[0].contacts) == visits + 0.25 * calls


def test_a_rep_reads_the_visits_to_their_clients_and_writes_only_their_own(pg_team):
    """PostgreSQL's read policy: claire sees sophie's visit to her client, cannot change nor delete it."""
    with psycopg.connect(make_conninfo(pg_team, user="claire")) as db:
        theirs = db.execute("SELECT v.id, v.client_id FROM visits v JOIN clients c ON c.id = v.client_id "
                            "WHERE v.rep = 'Sophie Girard' ORDER BY v.id").fetchall()
        assert theirs and db.execute("SELECT count(*) FROM visits WHERE rep = 'Sophie Girard' AND client_id IS NULL "
                                     "AND prospect_id IS NULL").fetchone()[0] == 0
        assert db.execute("UPDATE visits SET note = 'x' WHERE rep = 'Sophie Girard'").rowcount == 0
        assert db.execute("DELETE FROM visits WHERE rep = 'Sophie Girard'").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # a visit in a colleague's name
            db.execute("INSERT INTO visits(date, rep, client_id, kind, outcome) VALUES ('2026-12-01', 'Sophie Girard', "
                       "%s, 'appel', 'rien')", (theirs[0][1],))


# ---- 2. the Activity screen's targets --------------------------------------------

def test_activity_targets_are_the_reps_own_portfolio_on_both_backends(pg_team, db_path):
    cfg = config.DEFAULTS
    mine = {cid for (cid,) in rows(db_path, "SELECT id FROM clients WHERE owner = 'claire'")}
    her_prospects = {pid for (pid,) in rows(db_path, "SELECT id FROM prospects WHERE owner = 'claire'")}
    with both(db_path, pg_team) as (lite, pg):
        got = [load_targets(ws, cfg) for ws in (lite, pg)]
        proposals = [load_state(ws, cfg).targets for ws in (lite, pg)]
    assert got[0] == got[1] == proposals[0] == proposals[1]
    assert got[0].clients <= mine and got[0].hot_prospects <= her_prospects
    # 5 A clients as her Portfolio classes them (the report's "A : 5 clients"), 5 to develop (its matrix)
    assert len(got[0].a_clients) == 5 and len(got[0].dev_clients) == 5
    potential = rows(db_path, "SELECT sum(c.potential) FROM clients c JOIN amounts a ON a.client_id = c.id "
                              "AND a.period = '2025' AND a.revenue > 0 WHERE c.owner = 'claire' AND c.potential > 0")[0][0]
    prospects = rows(db_path, "SELECT sum(potential) FROM prospects WHERE owner = 'claire' AND potential > 0 "
                              "AND stage NOT IN ('client', 'fidele', 'perdu')")[0][0]
    assert got[0].total_potential == potential + prospects


def test_a_managers_targets_are_the_teams(pg_team, db_path):
    with both(db_path, pg_team, who="nathalie") as (lite, pg):
        got = [load_targets(ws, config.DEFAULTS) for ws in (lite, pg)]
    owners = {o for (o,) in rows(db_path, "SELECT DISTINCT owner FROM clients WHERE id IN (%s)"
                                 % ",".join(map(str, got[0].clients)))}
    assert got[0] == got[1] and len(owners) > 1


# ---- 5. the ranking, where everyone sees it ----------------------------------------

def everyone_ranked(db_path, pg_url: str) -> None:
    for ws in (Workspace(db_path, who="nathalie"), PgWorkspace(make_conninfo(pg_url, user="nathalie"))):
        shared_settings.save(ws, "activity", {"ranking": "everyone"})
        ws.close()


def activity_rows(lines: list[str]) -> list[str]:
    return block(lines, "Activité —")[1:2]


def test_with_everyone_ranked_a_rep_has_her_place_in_the_whole_team_on_both(pg_team, db_path, capsys, tmp_path):
    everyone_ranked(db_path, pg_team)
    on_sqlite = report(capsys, tmp_path, "--db", str(db_path), "--rep", "claire")
    on_pg = report(capsys, tmp_path, "--db", make_conninfo(pg_team, user="claire"))
    # November: Julien 6,4 × 7,4 × 6,9 = 326,8 before her 7 × 6 × 5 = 210, then Thomas, then Sophie.
    assert activity_rows(on_pg) == activity_rows(on_sqlite) == [" 2. Claire Martin : 7 × 6 × 5 = 210 · plus faible : Orientation"]
    cfg = shared_settings.apply(config.DEFAULTS, Workspace(db_path, who="claire"))
    with both(db_path, pg_team) as (lite, pg):
        for period in ("2026-11", "2026-Q4", "2026"):
            ranks = [[(r.rep, r.rank) for r in load_state(ws, cfg).book.team(period).rows if r.rep == "Claire Martin"]
                     for ws in (lite, pg)]
            assert ranks[0] == ranks[1] and ranks[0][0][1] is not None, period


def test_her_rank_follows_her_edit_as_on_sqlite(pg_team, db_path):
    everyone_ranked(db_path, pg_team)
    cfg = shared_settings.apply(config.DEFAULTS, Workspace(db_path, who="claire"))
    with both(db_path, pg_team) as (lite, pg):
        books = [load_state(ws, cfg).book for ws in (lite, pg)]
    for book in books:
        book.set("Claire Martin", "2026-11", "orientation", "value", 9.0)  # 7 × 6 × 9 = 378: first
    assert [[(r.rep, r.rank) for r in b.team("2026-11").rows if r.rep == "Claire Martin"] for b in books] == \
        [[("Claire Martin", 1)]] * 2


def test_without_everyone_the_ranking_function_names_nobody(pg_team):
    """The server gives the named scores only where the workspace ranks everyone (METHOD §8)."""
    with psycopg.connect(make_conninfo(pg_team, user="claire")) as db:
        assert db.execute("SELECT count(*) FROM cockpit_activity_scores('{}')").fetchone()[0] == 0
    with psycopg.connect(pg_team) as db:
        db.execute("INSERT INTO settings(key, value) VALUES ('figures', '{\"activity\": {\"ranking\": \"everyone\"}}')")
    with psycopg.connect(make_conninfo(pg_team, user="claire")) as db:
        reps = {r for (r,) in db.execute("SELECT DISTINCT rep FROM cockpit_activity_scores('{}')")}
    assert reps == {"Claire Martin", "Julien Lefèvre", "Sophie Girard", "Thomas Schneider"}
