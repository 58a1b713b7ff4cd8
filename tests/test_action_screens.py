"""Issue 15 items 4, 5 and 6 through real keys on the sample: the Portfolio's
Time tab (b) says the core's allocation findings for the team and for one
rep; the Prospects funnel view (f) says the core's funnel against churn; a
lost client in the Evolution tab becomes a prospect with R (one unit,
through the committer), is found on the Prospects screen, and u takes it
back whole."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from cockpit import config
from cockpit.action.allocation import load_allocation
from cockpit.action.churn_gap import churn_gap
from cockpit.action.winback import SOURCE, Lost, lost_clients, win_back
from cockpit.i18n import pct
from cockpit.store import shared_settings
from cockpit.store.workspace import Workspace
from screens.kit.status import StatusLine
from tests.conftest import ready

REFERENCE = dt.date(2026, 11, 29)  # the sample's reference day


def status(app) -> str:
    return str(app.screen.query_one(StatusLine).render())


def core(db_path, who: str = "claire"):
    cfg, _ = config.load(None)
    ws = Workspace(db_path, who=who)
    return ws, shared_settings.apply(cfg, ws)


def plain(widget) -> str:
    return str(widget.render()).replace("\xa0", " ")


@pytest.mark.parametrize("who, owner", [("visiteur", None), ("claire", "claire")], ids=["team", "claire"])
async def test_the_time_tab_says_the_cores_findings_for_the_view(make_app, db_path, who, owner):
    ws, cfg = core(db_path)
    expected = load_allocation(ws, cfg, owner)
    ws.close()
    assert expected.findings  # the sample's C clients are served expensively, for the team and for claire
    app = make_app(who=who)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.scope.owner == owner
        await pilot.press("b")
        await ready(pilot)
        pane = app.screen.query_one("#allocation")
        words = plain(pane.query_one("#allocation-words"))
        for finding in expected.findings:
            assert f"• {finding.text()}".replace("\xa0", " ") in words
        assert len(words.splitlines()) == 1 + len(expected.findings)
        who_words = "l'équipe" if owner is None else "Claire Martin"
        assert words.startswith(f"Temps de {who_words} :")
        table = pane.query_one("#allocation-table")
        shares = expected.by_class + expected.by_zone
        assert table.row_count == len(shares)
        for row, s in enumerate(shares):
            cells = [str(c).replace("\xa0", " ") for c in table.get_row_at(row)]
            assert cells[3:] == ["—" if v is None else pct(v).replace("\xa0", " ")
                                 for v in (s.contact_share, s.revenue_share, s.potential_share)]


@pytest.mark.parametrize("who, owner", [("visiteur", None), ("claire", "claire")], ids=["team", "claire"])
async def test_the_funnel_view_says_the_funnel_against_churn(make_app, db_path, who, owner):
    ws, cfg = core(db_path)
    expected = churn_gap(ws, cfg, REFERENCE, owner).lines()
    ws.close()
    app = make_app(who=who)
    app.today = lambda: REFERENCE
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        await pilot.press("f")
        await ready(pilot)
        words = app.screen.query_one("#p-funnel-churn")
        assert words.lines == expected and len(expected) == 4  # needed, expected, gap or covered, weakest stage
        text = plain(words)
        for line in expected:
            assert line.replace("\xa0", " ") in text
        # At 80×24 the words show whole, above the funnel's table.
        assert words.content_region.bottom <= app.screen.query_one("#p-funnel-side").region.bottom


async def test_a_lost_client_won_back_is_found_in_prospects_and_undone_whole(make_app, db_path):
    ws, _ = core(db_path)
    lost = lost_clients(ws)
    ws.close()
    first = lost[0]  # the largest revenue lost first: C048
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("h")
        await ready(pilot)
        box = app.screen.query_one("#evolution-lost")
        assert [x.code for x in box.lost] == [x.code for x in lost] == ["C048", "C046", "C050", "C047", "C049"]
        await pilot.press("R")
        await ready(pilot)
        assert f"{first.name} devient un prospect" in status(app)
        db = sqlite3.connect(db_path)
        made = db.execute("SELECT id, company, source, stage, potential, owner FROM prospects WHERE won_back_from = ?",
                          (first.client_id,)).fetchall()
        owner = db.execute("SELECT owner FROM clients WHERE id = ?", (first.client_id,)).fetchone()[0]
        assert [row[1:] for row in made] == [(first.name, SOURCE, "prospect", first.lost_revenue, owner)]
        assert box.lost[0].prospect_id == made[0][0]  # the list marks it
        await pilot.press("R")  # a second time: said, nothing written
        await ready(pilot)
        assert "déjà en reconquête" in status(app)
        assert db.execute("SELECT count(*) FROM prospects WHERE won_back_from = ?", (first.client_id,)).fetchone() == (1,)
        await pilot.press("2")
        await ready(pilot)
        prospects = app.screen
        await pilot.press("slash", *first.name)
        await ready(pilot)
        await pilot.press("enter")
        await ready(pilot)
        assert prospects.current() is not None and prospects.current().company == first.name
        assert prospects.current().source == SOURCE
        await pilot.press("escape", "u")
        await ready(pilot)
        assert db.execute("SELECT count(*) FROM prospects WHERE won_back_from = ?", (first.client_id,)).fetchone() == (0,)
        assert first.name not in [p.company for p in prospects.book.prospects]
        await pilot.press("1")
        await ready(pilot)
        assert box.lost[0].prospect_id is None
        db.close()


async def test_a_client_another_rep_won_back_meanwhile_is_said_in_words(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("h")
        await ready(pilot)
        box = app.screen.query_one("#evolution-lost")
        shown: Lost = box.lost[1]
        other = Workspace(db_path, who="nathalie")  # the manager (a rep wins back only their own)
        win_back(other, shown, REFERENCE)  # after the list was read
        other.close()
        app.screen.query_one("#lost-table").move_cursor(row=1)
        await pilot.press("R")
        await ready(pilot)
        assert f"{shown.name} est déjà en reconquête" in status(app)
        db = sqlite3.connect(db_path)
        assert db.execute("SELECT count(*) FROM prospects WHERE won_back_from = ?", (shown.client_id,)).fetchone() == (1,)
        db.close()
        assert box.lost[1].prospect_id is not None  # read again: marked


async def test_win_back_outside_the_evolution_tab_says_where(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("R")
        await ready(pilot)
        assert "onglet Évolution (h)" in status(app)


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_the_time_words_show_whole_at_80x24_and_follow_the_view(make_app, db_path, lang):
    ws, cfg = core(db_path)
    team, mine = load_allocation(ws, cfg, None), load_allocation(ws, cfg, "claire")
    ws.close()
    app = make_app(lang, who="claire")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("b")
        await ready(pilot)
        pane = app.screen.query_one("#allocation")
        words = pane.query_one("#allocation-words")
        assert pane.lines[1:] == [f"• {f.text()}" for f in mine.findings]
        footer = app.screen.query_one("CockpitFooter")
        assert words.region.height >= len(pane.lines) and words.region.bottom <= footer.region.y
        await pilot.press("E")  # claire's portfolio -> the team's (METHOD §8)
        await ready(pilot)
        assert app.scope.owner is None
        assert [f.text() for f in team.findings] != [f.text() for f in mine.findings]  # the switch shows
        assert pane.lines[1:] == [f"• {f.text()}" for f in team.findings]


async def test_x_on_the_time_tab_exports_the_cores_table(make_app, db_path):
    from cockpit.action.tables import allocation_table

    ws, cfg = core(db_path, who="claire")
    expected = allocation_table(ws, cfg)  # the CLI's `cockpit export allocation` for claire: her portfolio
    ws.close()
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("b")
        await ready(pilot)
        name, headers, rows = app.screen.export_view()
        assert name == "allocation" and (headers, rows) == expected and len(rows) == 7
