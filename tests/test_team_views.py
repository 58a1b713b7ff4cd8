"""My portfolio, the team's (issue 13 item 3, METHOD §8): a rep's screens
compute over the clients and prospects they own, one key (E, équipe) shows the team's,
a manager picks a rep. The ABC, churn and funnel of each rep's portfolio and
of the team's against slow references on each subset, read straight from SQL."""

from __future__ import annotations

import datetime as dt
import sqlite3
from fractions import Fraction

import pytest

from cockpit import config
from cockpit.portfolio.abc import Limits
from cockpit.portfolio.strategy import account_classes, load_strategy
from cockpit.prospects.store import create_prospect, load_prospects
from cockpit.store.reps import default_owner, owners_offered
from cockpit.store.workspace import Workspace
from screens.kit.status import StatusLine
from tests.conftest import ready
from tests.test_method_reference import ref_classes

REPS = ["claire", "julien", "sophie", "thomas"]


def subset(path, owner: str | None, period: str) -> tuple[dict[str, int], dict[str, str]]:
    """(revenue, name) per code of ``owner``'s clients (all when None) in ``period``."""
    db = sqlite3.connect(path)
    rows = db.execute("SELECT c.code, c.name, a.revenue, c.owner FROM amounts a JOIN clients c ON c.id = a.client_id "
                      "WHERE a.period = ?", (period,)).fetchall()
    db.close()
    mine = [r for r in rows if owner is None or r[3] == owner]
    return {code: rev for code, _, rev, _ in mine}, {code: name for code, name, _, _ in mine}


@pytest.mark.parametrize("mode", ["fixed", "computed"])
def test_each_reps_abc_and_the_teams_match_the_slow_reference(db_path, mode):
    cfg, _ = config.load(None)
    cfg = cfg.updated("abc", {"mode": mode})
    limits = Limits(Fraction(str(cfg.abc.a_limit)), Fraction(str(cfg.abc.b_limit)))
    ws = Workspace(db_path, who="nathalie")
    sizes = []
    for owner in [*REPS, None]:
        model, _, _ = load_strategy(ws, cfg, rolling=False, owner=owner)
        revenue, names = subset(db_path, owner, model.data.period)
        got = dict(zip(model.data.code, account_classes(model).tolist()))
        assert got == ref_classes(revenue, names, limits, mode), owner
        assert int(model.data.amount.sum()) == sum(revenue.values())
        sizes.append(len(got))
    assert sum(sizes[:-1]) == sizes[-1] and min(sizes) > 0  # the reps' portfolios split the team's
    ws.close()


def test_a_reps_churn_is_over_the_clients_they_own(db_path):
    cfg, _ = config.load(None)
    ws = Workspace(db_path, who="claire")
    db = sqlite3.connect(db_path)
    for owner in ("claire", "thomas"):
        _, strategy, _ = load_strategy(ws, cfg, rolling=False, parts=("history", "names"), owner=owner)
        evolution = strategy.evolution()
        for change, before in zip(evolution[1:], evolution):
            amounts = {p: dict(db.execute("SELECT a.client_id, a.revenue FROM amounts a JOIN clients c "
                                          "ON c.id = a.client_id WHERE a.period = ? AND c.owner = ?", (p, owner)))
                       for p in (before.period, change.period)}
            was = {c for c, v in amounts[before.period].items() if v > 0}
            now = {c for c, v in amounts[change.period].items() if v > 0}
            assert set(change.lost) == was - now and set(change.new) == now - was
            assert change.lost_revenue == sum(amounts[before.period][c] for c in was - now)
    db.close()
    ws.close()


def test_a_reps_prospects_are_theirs_and_a_new_one_is_theirs_too(db_path):
    ws = Workspace(db_path, who="julien")
    db = sqlite3.connect(db_path)
    for owner in REPS:
        expected = [r[0] for r in db.execute("SELECT id FROM prospects WHERE owner = ? ORDER BY id", (owner,))]
        assert [p.id for p in load_prospects(ws, owner)] == expected and expected
    edit = create_prospect(ws, {"company": "Nouvelle SARL"}, dt.date(2026, 12, 6))
    assert db.execute("SELECT owner FROM prospects WHERE id = ?", edit.key).fetchone() == ("julien",)
    db.close()
    ws.close()


def test_who_sees_what_by_default_and_which_views_the_key_offers(db_path):
    views = {}
    for who in ("claire", "nathalie", "visiteur"):
        ws = Workspace(db_path, who=who)
        views[who] = default_owner(ws), owners_offered(ws)
        ws.close()
    assert views["claire"] == ("claire", ["claire", None])
    assert views["nathalie"] == (None, [None, *REPS])  # a manager: the team, then each rep
    assert views["visiteur"] == (None, [None])  # outside the team: the whole workspace, no key to turn


async def test_v_turns_a_rep_between_their_portfolio_and_the_teams(make_app, db_path):
    db = sqlite3.connect(db_path)
    (period,) = db.execute("SELECT max(period) FROM amounts").fetchone()
    count = {o: db.execute("SELECT count(*) FROM amounts a JOIN clients c ON c.id = a.client_id WHERE a.period = ?"
                           + (" AND c.owner = ?" if o else ""), (period, o) if o else (period,)).fetchone()[0]
             for o in ("claire", None)}
    db.close()
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        status = str(screen.query_one(StatusLine).render())
        assert status.startswith("Portefeuille (Claire Martin)")
        assert screen.table.source.row_count() == count["claire"]
        await pilot.press("E")
        await ready(pilot)
        assert screen.table.source.row_count() == count[None]
        assert str(screen.query_one(StatusLine).render()).startswith("Portefeuille (équipe) · Vue : équipe")
        await pilot.press("2")
        await ready(pilot)
        shown = {app.screen.book.prospects[i].owner for i in range(len(app.screen.book))}
        assert shown == set(REPS)  # the team's prospects
        await pilot.press("E")
        await ready(pilot)
        assert {p.owner for p in app.screen.book.prospects} == {"claire"}
        assert str(app.screen.query_one(StatusLine).render()).startswith("Prospects (Claire Martin)")


async def test_a_manager_picks_a_rep_from_the_list(make_app, db_path):
    from screens.kit.dialogs import ChoiceDialog

    app = make_app(who="nathalie")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert str(app.screen.query_one(StatusLine).render()).startswith("Portefeuille (équipe)")
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.options == ["équipe", "Claire Martin", "Julien Lefèvre", "Sophie Girard", "Thomas Schneider"]
        await pilot.press("down", "down", "enter")
        await ready(pilot)
        assert app.scope.owner == "julien"
        codes = set(app.screen.model.data.code)
        db = sqlite3.connect(db_path)
        julien = {r[0] for r in db.execute("SELECT code FROM clients WHERE owner = 'julien'")}
        db.close()
        assert codes and codes <= julien
        await pilot.press("E", "escape")  # Escape leaves the view as it is
        await ready(pilot)
        assert app.scope.owner == "julien"


async def test_activity_a_rep_sees_their_own_row_and_the_teams_average(make_app):
    """METHOD §8: the named ranking is for managers. A rep's table has their
    row without a place in the ranking, their chart their line and the team's
    mean score, no other name; `n` (a new rep) says why not rather than add a
    rep their view would not show."""
    from textual.widgets import Static

    from screens.activity.chart import ScoreHistory

    texts, drawn = {}, {}
    for who in ("claire", "nathalie"):
        app = make_app(who=who)
        async with app.run_test(size=(160, 50)) as pilot:
            await ready(pilot)
            await pilot.press("3")
            await ready(pilot)
            screen = app.screen
            team = screen.table("team").source.team
            texts[who] = ([(r.rank, r.rep) for r in team.rows], str(screen.query_one("#act-average", Static).render()))
            drawn[who] = screen.query_one("#act-chart", ScoreHistory).plt.build()
            book = screen.state.book
            full = book.team(screen.period)
            reps_before = list(book.reps)
            await pilot.press("n")
            await ready(pilot)
            if who == "claire":
                assert book.reps == reps_before and len(app.screen_stack) == 1  # no name asked
                assert any("responsables" in n.message for n in app._notifications)
            else:
                assert len(app.screen_stack) == 2  # a manager is asked the new rep's name
    assert texts["claire"][0] == [(None, "Claire Martin")]
    assert texts["nathalie"][0] == [(i, r.rep) for i, r in enumerate(full.rows, 1)] and len(full.rows) == 4
    assert texts["claire"][1] == texts["nathalie"][1]  # the same team average for both
    mean = sum(r.score for r in full.rows) / 4
    assert full.average_score == pytest.approx(mean)
    others = ["Julien Lefèvre", "Sophie Girard", "Thomas Schneider"]
    assert "Claire Martin" in drawn["claire"] and "Moyenne de l'équipe" in drawn["claire"]
    assert not any(name in drawn["claire"] for name in others)
    assert all(name in drawn["nathalie"] for name in [*others, "Claire Martin"])
    assert "Moyenne de l'équipe" not in drawn["nathalie"]
    for month, mean in book.average_history():  # the mean line: the mean of the reps' scores that month (the slow way)
        scores = [s for rep in book.reps if (s := score_slow(book, rep, month)) is not None]
        assert mean == (pytest.approx(sum(scores) / len(scores)) if scores else None)


async def test_activity_ranking_for_everyone_when_the_workspace_says_so(make_app, db_path):
    from cockpit.store import shared_settings

    ws = Workspace(db_path, who="nathalie")
    shared_settings.save(ws, "activity", {"ranking": "everyone"})
    ws.close()
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("3")
        await ready(pilot)
        assert [r.rep for r in app.screen.table("team").source.team.rows] == ["Claire Martin"]  # her view first
        await pilot.press("E")  # the team's: the named ranking, as the workspace allows it
        await ready(pilot)
        assert len(app.screen.table("team").source.team.rows) == 4


def test_a_prospects_import_reads_the_owner_by_login_or_name_and_refuses_a_stranger(db_path, tmp_path):
    from cockpit.io.tabular import InputError, read_records
    from cockpit.prospects.files import import_prospects

    manager = Workspace(db_path, who="nathalie")  # a manager imports for the team (a rep, only their own rows)
    f = tmp_path / "p.csv"
    f.write_text("Société;Commercial\nAlpha SARL;claire\nBeta SARL;Julien Lefèvre\n", encoding="utf-8")
    assert import_prospects(manager, read_records(f, "prospects"), dt.date(2026, 12, 6)) == 2
    manager.close()
    ws = Workspace(db_path, who="sophie")
    f.write_text("Société;Commercial\nGamma SARL;\nDelta SARL;Sophie Girard\n", encoding="utf-8")
    assert import_prospects(ws, read_records(f, "prospects"), dt.date(2026, 12, 6)) == 2
    owners = dict(ws.db.execute("SELECT company, owner FROM prospects WHERE company LIKE '% SARL' AND length(company) < 11"))
    assert owners == {"Alpha SARL": "claire", "Beta SARL": "julien", "Gamma SARL": "sophie",  # empty: the importing rep
                      "Delta SARL": "sophie"}
    before = ws.db.execute("SELECT count(*), total_changes() FROM prospects").fetchone()[0]
    bad = tmp_path / "bad.csv"
    bad.write_text("Société;Vendeur\nZeta SARL;sophie\nEpsilon SARL;Marcel\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        import_prospects(ws, read_records(bad, "prospects"), dt.date(2026, 12, 6))
    assert str(exc.value).startswith(f"{bad}, ligne 3, colonne « Vendeur » : « Marcel »")
    assert "claire, julien, nathalie, sophie, thomas" in str(exc.value)
    assert ws.db.execute("SELECT count(*) FROM prospects").fetchone()[0] == before  # all or nothing
    ws.close()


async def test_a_commit_between_the_first_read_and_the_first_poll_is_not_missed(make_app, db_path):
    """Found over SSH on PostgreSQL: the first poll took the mark it found as its
    baseline, so another rep's commit made before it never reached the screen."""
    app = make_app()
    app.poll_seconds = 3600  # no tick of the timer during the test: the poll is called by hand
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        other = Workspace(db_path, who="claire")  # her own client, from another session
        other.edit("amounts", (45, "2025"), "revenue", 50_000_000)  # VACAPE to 500 000 €
        other.close()
        app._poll_others()
        await ready(pilot)
        await ready(pilot)
        assert app.screen.model.name_at(0) == "VACAPE"


@pytest.mark.parametrize("coded", [True, False], ids=["by-code (columnar)", "by-name (row by row)"])
def test_a_clients_import_reads_the_owner_and_refuses_a_stranger_on_its_line(db_path, tmp_path, coded, monkeypatch,
                                                                             capsys):
    from cockpit import cli

    monkeypatch.setenv("USER", "nathalie")  # a manager imports for the team: on SQLite the login
    monkeypatch.setenv("LOGNAME", "nathalie")
    db = sqlite3.connect(db_path)
    head = "Code;Nom;CA 2025;Commercial\n" if coded else "Nom;CA 2025;Commercial\n"
    rows = [("Z901", "ALPHA NEGOCE", "1 000", "claire"), ("Z902", "BETA NEGOCE", "2 000", "Julien Lefèvre"),
            ("C002", "MEQUISA", "174 117", "thomas")]  # a name one client has
    f = tmp_path / "clients.csv"
    f.write_text(head + "".join(";".join(r if coded else r[1:]) + "\n" for r in rows), encoding="utf-8")
    before = dict(db.execute("SELECT name, owner FROM clients"))
    assert cli.main(["--db", str(db_path), "import", "clients", str(f)]) == 0
    mine = tmp_path / "mine.csv"  # a rep's own file: an empty cell, and herself by name
    mine.write_text(head + "".join(";".join(r if coded else r[1:]) + "\n" for r in (
        ("Z903", "GAMMA NEGOCE", "3 000", ""), ("Z906", "ZETA NEGOCE", "1", "Sophie Girard"))), encoding="utf-8")
    assert cli.main(["--db", str(db_path), "--rep", "sophie", "import", "clients", str(mine)]) == 0
    owners = dict(db.execute("SELECT name, owner FROM clients WHERE name LIKE '% NEGOCE' OR code = 'C002'"))
    assert before["MEQUISA"] != "thomas"  # by code or by name, C002 is transferred by its filled cell
    assert owners == {"ALPHA NEGOCE": "claire", "BETA NEGOCE": "julien", "GAMMA NEGOCE": "sophie",
                      "ZETA NEGOCE": "sophie", "MEQUISA": "thomas"}  # an empty cell: the importing rep owns the new row
    bad = tmp_path / "bad.csv"
    bad.write_text(head + ";".join(("Z904", "DELTA", "1", "claire") if coded else ("DELTA", "1", "claire")) + "\n"
                   + ";".join(("Z905", "EPSILON", "1", "Marcel") if coded else ("EPSILON", "1", "Marcel")) + "\n",
                   encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["--db", str(db_path), "import", "clients", str(bad)]) == 2
    said = capsys.readouterr().err
    assert f"{bad}, ligne 3, colonne « Commercial » : « Marcel »" in said and "claire, julien" in said
    assert db.execute("SELECT count(*) FROM clients WHERE name IN ('DELTA', 'EPSILON')").fetchone() == (0,)
    db.close()


def score_slow(book, rep: str, month: str) -> float | None:
    values = book.indicators(rep, month)
    if any(values[i] is None for i in ("activite", "efficacite", "orientation")):
        return None
    return values["activite"] * values["efficacite"] * values["orientation"]
