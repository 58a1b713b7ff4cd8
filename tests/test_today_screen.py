"""Aujourd'hui (issue 15 items 1 and 2): the rep's day through real keys —
the list is the core's (cockpit.action.today) for the rep's view, a contact
typed in one line leaves it and one undo brings it back, Enter opens the
client's card (from Today and from the Portfolio), the card's action plan is
edited in the kit's editor and undone, and [ui] start_screen opens on Today."""

from __future__ import annotations

import datetime as dt
import sqlite3

from cockpit import config
from cockpit.action.today import today_list
from cockpit.store import shared_settings
from cockpit.store.workspace import Workspace
from screens.kit.status import StatusLine
from tests.conftest import ready


def status(app) -> str:
    return str(app.screen.query_one(StatusLine).render())


async def test_today_is_the_reps_list_and_a_logged_call_leaves_it_until_undone(make_app, db_path):
    cfg, _ = config.load(None)
    ws = Workspace(db_path, who="claire")
    expected = today_list(ws, shared_settings.apply(cfg, ws), dt.date.today(), "claire")
    ws.close()
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await ready(pilot)
        screen = app.screen
        assert type(screen).__name__ == "TodayScreen"
        assert [line.target for line in screen.lines] == [line.target for line in expected] and expected
        assert {line.owner for line in screen.lines} == {"claire"}
        first = screen.lines[0]
        await pilot.press("a", *"r +3j Rappeler pour le devis", "enter")  # one burst, as a rep types it
        await ready(pilot)
        assert first.target not in [line.target for line in screen.lines]
        assert f"Appel noté avec {first.name} : rendez-vous" in status(app)
        db = sqlite3.connect(db_path)
        column = "client_id" if first.target[0] == "client" else "prospect_id"
        table = "clients" if first.target[0] == "client" else "prospects"
        logged = db.execute(f"SELECT kind, outcome, note, rep FROM visits WHERE {column} = ? ORDER BY id DESC LIMIT 1",
                            (first.target[1],)).fetchone()
        assert logged == ("appel", "rdv", "Rappeler pour le devis", "Claire Martin")
        assert db.execute(f"SELECT next_action, next_action_date FROM {table} WHERE id = ?", (first.target[1],)
                          ).fetchone() == ("Rappeler pour le devis", (dt.date.today() + dt.timedelta(days=3)).isoformat())
        await pilot.press("u")
        await ready(pilot)
        assert screen.lines[0].target == first.target  # back at the top
        assert f"appel avec {first.name}" in status(app)
        assert db.execute("SELECT count(*) FROM visits WHERE note = 'Rappeler pour le devis'").fetchone() == (0,)
        db.close()


async def test_a_line_that_does_not_read_keeps_the_entry_open_with_the_text(make_app, db_path):
    app = make_app(who="claire")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await ready(pilot)
        before = len(app.screen.lines)
        await pilot.press("v", *"x demain", "enter")
        await ready(pilot)
        editor = app.screen.editor
        assert editor.is_open and editor.value == "x demain"  # nothing typed is lost
        await pilot.press("escape")
        assert len(app.screen.lines) == before


async def test_the_card_opens_from_today_and_from_the_portfolio_and_its_action_plan_is_undone(make_app, db_path):
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        code = app.screen.model.data.code[int(app.screen.model.ranked.order[0])]
        await pilot.press("enter")  # Portfolio: Enter opens the card; e still edits the amount
        await ready(pilot)
        assert type(app.screen).__name__ == "CardScreen" and app.screen.card.code == code
        await pilot.press("escape", "4")
        await ready(pilot)
        lines = app.screen.lines
        row = next(i for i, line in enumerate(lines) if line.target[0] == "client")
        app.screen.table.move_to(row)
        await pilot.press("enter")
        await ready(pilot)
        card = app.screen
        assert type(card).__name__ == "CardScreen" and card.card.code == lines[row].code
        figures = str(card.query_one("#card-figures").render())
        assert "Classe " in figures and "Rythme " in figures
        await pilot.press("e", "ctrl+u", *"Proposer le contrat d'entretien", "enter")
        await ready(pilot)
        db = sqlite3.connect(db_path)
        cid = lines[row].target[1]
        assert db.execute("SELECT next_action FROM clients WHERE id = ?", (cid,)).fetchone() == (
            "Proposer le contrat d'entretien",)
        assert "Proposer le contrat d'entretien" in str(card.table.source.row(0)[1])
        await pilot.press("u")
        await ready(pilot)
        assert db.execute("SELECT next_action FROM clients WHERE id = ?", (cid,)).fetchone() == (lines[row].action,)
        db.close()


async def test_the_cockpit_opens_on_today_when_the_rep_says_so(make_app, tmp_path):
    (tmp_path / "config.toml").write_text('[ui]\nstart_screen = "today"\n', encoding="utf-8")
    app = make_app(who="julien")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert type(app.screen).__name__ == "TodayScreen"
        assert status(app).startswith("Aujourd'hui (Julien Lefèvre)")


async def test_a_contact_logged_over_another_reps_change_asks_first(make_app, db_path):
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await ready(pilot)
        first = app.screen.lines[0]
        table = "clients" if first.target[0] == "client" else "prospects"
        other = Workspace(db_path, who="nathalie")  # the manager changes the next action meanwhile (a rep may not)
        other.edit(table, (first.target[1],), "next_action", "Envoyer le devis", expected_version=first.version)
        other.close()
        await pilot.press("a", *"n Relancer lundi prochain", "enter")
        await ready(pilot)
        assert type(app.screen).__name__ == "ConflictDialog"
        assert "Envoyer le devis" in app.screen.text() and first.name in app.screen.text()
        db = sqlite3.connect(db_path)
        assert db.execute("SELECT count(*) FROM visits WHERE note = 'Relancer lundi prochain'").fetchone() == (0,)
        await pilot.press("m")  # keep mine: the contact is logged with my next action
        await ready(pilot)
        assert db.execute(f"SELECT next_action FROM {table} WHERE id = ?", (first.target[1],)).fetchone() == (
            "Relancer lundi prochain",)
        db.close()


async def test_the_overdue_reminders_said_at_start_up_are_todays(make_app, db_path):
    """The start-up word counts what Today lists as past reminders: the rep's
    clients' and prospects' next actions of an earlier day, at any stage (the
    sample's lost Thiriet Négoce Services "Recontacter dans 6 mois" too), and
    names Today's key; it is not said on Today, which lists them."""
    day = dt.date(2026, 12, 7)
    with sqlite3.connect(db_path) as db:
        dates = [d for table in ("clients", "prospects") for (d,) in db.execute(
            f"SELECT next_action_date FROM {table} WHERE owner = 'claire' AND next_action_date < ?", (day.isoformat(),))]
        assert db.execute("SELECT stage FROM prospects WHERE company = 'Thiriet Négoce Services'").fetchone() == ("perdu",)
    assert len(dates) == 23
    app = make_app(who="claire")
    app.today = lambda: day
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        said = status(app).replace("\u202f", " ")
        oldest = dt.date.fromisoformat(min(dates)).strftime("%d/%m/%Y")
        assert f"touche 4 : {len(dates)} relances en retard (depuis le {oldest})" in said, said
        await pilot.press("4")
        await ready(pilot)
        assert "touche 4" not in status(app)
        late = [x for x in app.screen.lines if x.reason == "reminder" and x.overdue]
        assert len(late) == len(dates) and "Thiriet Négoce Services" in [x.name for x in late]
