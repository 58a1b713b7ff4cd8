"""Prospects as reps work them (issue 15 item 7), through real keys on a real
workspace: a call logged from the Prospects screen grows the prospect's
timeline and one undo takes it back; the quote and the expected signing date
are edited in the kit's editor and undone; a card moved on the stage board
changes the stage in the table and the stage history, and undo restores
both; the new columns go out in the prospects file and come back in."""

from __future__ import annotations

import datetime as dt
import sqlite3
from fractions import Fraction

from conftest import ready

from cockpit import config
from cockpit.prospects.funnel import STAGES
from cockpit.prospects.store import load_prospects
from cockpit.store.workspace import Workspace
from screens.prospects.board import OPEN_STAGES
from screens.prospects.source import EDITABLE, FIELDS

from test_prospects_screen import TODAY, flat, pinned, prospects  # the sample's day, the way to the screen


def contacts_in_db(db_path, pid: int) -> list[tuple]:
    """The prospect's contacts as the file holds them, newest first (the timeline's order)."""
    db = sqlite3.connect(db_path)
    try:
        return db.execute("SELECT date, kind, outcome, note FROM visits WHERE prospect_id = ? "
                          "ORDER BY date DESC, id DESC", (pid,)).fetchall()
    finally:
        db.close()


def row_of(db_path, pid: int, *columns: str) -> tuple:
    db = sqlite3.connect(db_path)
    try:
        return db.execute(f"SELECT {', '.join(columns)} FROM prospects WHERE id = ?", (pid,)).fetchone()
    finally:
        db.close()


async def test_a_call_logged_from_prospects_grows_the_timeline_and_undo_takes_it_back(make_app, db_path):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        p = screen.current()
        before = contacts_in_db(db_path, p.id)
        assert [(c.date, c.kind, c.outcome, c.note) for c in screen.contacts_of(p)] == before
        await pilot.press("A", *"r +3j Rappeler pour le devis", "enter")
        await ready(pilot)
        after = contacts_in_db(db_path, p.id)
        assert after == [(TODAY.isoformat(), "appel", "rdv", "Rappeler pour le devis"), *before]
        shown = screen.contacts_of(screen.current())
        assert screen.current().id == p.id and [(c.date, c.kind, c.outcome, c.note) for c in shown] == after
        detail = flat(screen.query_one("#p-detail").render())
        assert "29/11/2026 appel · rendez-vous" in detail and "Rappeler pour le devis" in detail
        assert row_of(db_path, p.id, "next_action", "next_action_date") == (
            "Rappeler pour le devis", (TODAY + dt.timedelta(days=3)).isoformat())
        await pilot.press("u")  # one unit: the contact and the next action go together
        await ready(pilot)
        said = flat(app.screen.query_one("StatusLine").render())
        assert "Annulé : 3 modifications d'un coup" in said and p.company in said, said
        assert contacts_in_db(db_path, p.id) == before
        assert [(c.date, c.kind, c.outcome, c.note) for c in screen.contacts_of(screen.current())] == before
        assert row_of(db_path, p.id, "next_action", "next_action_date") == (p.next_action, p.next_action_date)
        assert "29/11/2026 appel" not in flat(screen.query_one("#p-detail").render())


async def test_a_visit_is_v_as_on_today_and_a_line_that_does_not_read_logs_nothing(make_app, db_path):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        p = screen.current()
        before = contacts_in_db(db_path, p.id)
        await pilot.press("v", *"zz", "enter")  # not an outcome: the entry stays open with the text
        await ready(pilot)
        assert screen.editor.is_open and screen.editor.value == "zz"
        assert contacts_in_db(db_path, p.id) == before
        await pilot.press("escape")
        await pilot.press("v", *"c", "enter")  # an order, no next action
        await ready(pilot)
        assert contacts_in_db(db_path, p.id)[0] == (TODAY.isoformat(), "visite", "commande", "")


async def test_the_quote_and_the_signing_date_are_edited_in_place_and_undone(make_app, db_path):
    app = pinned(make_app())
    async with app.run_test(size=(160, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        p = screen.current()
        assert row_of(db_path, p.id, "quote_amount", "expected_signing") == (None, None)
        quote = next(i for i, f in enumerate(FIELDS) if f.name == "quote_amount")
        await pilot.press(*["right"] * EDITABLE.index(quote))
        assert FIELDS[screen.source.column].name == "quote_amount"
        await pilot.press("e", *"12 500,50", "enter")
        await ready(pilot)
        cents = Fraction("12500.50") * 100  # the reference: the typed euros in cents
        assert row_of(db_path, p.id, "quote_amount") == (int(cents),)
        await pilot.press("right", "e", *"15/01/2027", "enter")
        await ready(pilot)
        assert row_of(db_path, p.id, "quote_amount", "expected_signing") == (int(cents), "2027-01-15")
        detail = flat(screen.query_one("#p-detail").render())
        assert "Devis 12 500 € · Signature 15/01/2027" in detail
        table = screen.table
        row = [c.plain for c in table.source.row(table.cursor_row)]
        assert flat(row[quote]) == "12 500 €" and row[quote + 1] == "15/01/2027"
        await pilot.press("u")
        await ready(pilot)
        assert row_of(db_path, p.id, "quote_amount", "expected_signing") == (int(cents), None)
        await pilot.press("u")
        await ready(pilot)
        assert row_of(db_path, p.id, "quote_amount", "expected_signing") == (None, None)
        assert "Devis" not in flat(screen.query_one("#p-detail").render())


async def test_a_card_moved_on_the_board_changes_the_stage_in_the_table_and_the_history_and_undo(make_app, db_path):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        ws = Workspace(db_path, who="claire")
        cold = [p for p in load_prospects(ws) if p.stage == "froid"]
        await pilot.press("b")
        await ready(pilot)
        board = screen.board
        assert board.has_focus and screen.on_board
        # Every open prospect is a card in its stage's column, in the table's order.
        assert [[c.pid for c in column] for column in board.columns] == [
            [p.id for p in load_prospects(ws) if p.stage == s] for s in OPEN_STAGES]
        await pilot.press("right", "right", "down")  # the second cold prospect
        await ready(pilot)
        moved = cold[1]
        assert board.selected.pid == moved.id and screen.current().id == moved.id
        await pilot.press("plus")
        await ready(pilot)
        assert row_of(db_path, moved.id, "stage") == ("tiede",)
        stored = {p.id: p for p in load_prospects(ws)}[moved.id]
        assert [(s.stage, s.date) for s in stored.history][-1] == ("tiede", TODAY)
        assert board.selected.pid == moved.id and OPEN_STAGES[board.col] == "tiede"  # the card went with it
        await pilot.press("b")  # the table: its row says the new stage
        await ready(pilot)
        assert screen.table.has_focus and screen.current().id == moved.id
        assert screen.current().stage == "tiede"
        assert screen.table.source.row(screen.table.cursor_row)[1].plain == "Tiède"
        await pilot.press("u")
        await ready(pilot)
        assert row_of(db_path, moved.id, "stage") == ("froid",)
        back = {p.id: p for p in load_prospects(ws)}[moved.id]
        assert [(s.stage, s.date) for s in back.history] == [(s.stage, s.date) for s in moved.history]
        assert screen.current().stage == "froid"
        ws.close()


async def test_the_board_keeps_a_readable_width_at_80_columns_and_scrolls_to_the_chosen_stage(make_app):
    app = pinned(make_app())
    async with app.run_test(size=(80, 24)) as pilot:
        await prospects(pilot)
        await pilot.press("b")
        await ready(pilot)
        board = app.screen.board
        first, width = board._window()
        assert (first, width) == (0, 20)  # four columns of 20 cells
        await pilot.press(*["right"] * (len(OPEN_STAGES) - 1))
        first, width = board._window()
        assert OPEN_STAGES[board.col] == "negociation" and first == len(OPEN_STAGES) - 4
        assert "Négociation" in board.render().plain and "‹ Froid" in board.render().plain


def test_the_quote_and_the_signing_date_go_out_in_the_file_and_come_back(db_path, tmp_path):
    from cockpit.io.tabular import read_records
    from cockpit.prospects.files import HEADERS, export_prospects, import_prospects
    from cockpit.store.reps import add_rep

    assert HEADERS["quote_amount"] == "Montant devis" and HEADERS["expected_signing"] == "Signature prévue"
    ws = Workspace(db_path, who="claire")
    ids = [r[0] for r in ws.db.execute("SELECT id FROM prospects ORDER BY id LIMIT 3")]
    ws.db.execute("UPDATE prospects SET quote_amount = 1250050, expected_signing = '2027-01-15' WHERE id = ?", (ids[0],))
    ws.db.execute("UPDATE prospects SET quote_amount = 99, expected_signing = NULL WHERE id = ?", (ids[1],))
    ws.db.commit()
    out = tmp_path / "prospects.csv"
    export_prospects(ws, out, config.thaw(config.DEFAULTS.prospects))
    fresh = Workspace(tmp_path / "fresh.sqlite", who="admin")  # the account that sets the team up, outside it
    for login, name, role in ws.db.execute("SELECT login, name, role FROM reps"):
        add_rep(fresh, login, name, role)
    import_prospects(fresh, read_records(out, "prospects"), TODAY)
    keep = ("company", "quote_amount", "expected_signing")
    assert (sorted(tuple(p.get(k) for k in keep) for p in load_prospects(fresh))
            == sorted(tuple(p.get(k) for k in keep) for p in load_prospects(ws)))
    # A file typed by hand: French amounts and dates under the headers a rep would write.
    f = tmp_path / "p.csv"
    f.write_text("Société;Devis;Date de signature\nNouvelle SARL;8 400,25;31/03/2027\n", encoding="utf-8")
    import_prospects(fresh, read_records(f, "prospects"), TODAY)
    new = next(p for p in load_prospects(fresh) if p.company == "Nouvelle SARL")
    assert (new.quote_amount, new.expected_signing) == (int(Fraction("8400.25") * 100), "2027-03-31")
    assert new.stage in STAGES
    fresh.close()
    ws.close()


async def test_another_reps_change_asks_first_on_the_board_and_for_a_contact(make_app, db_path):
    """The board's +/- and a contact from Prospects go through the one conflict dialog."""
    app = pinned(make_app(who="claire"))
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        await pilot.press("b", "right", "right")  # the first cold prospect
        await ready(pilot)
        p = screen.current()
        assert p.stage == "froid" and screen.board.selected.pid == p.id
        other = Workspace(db_path, who="nathalie")  # the manager moves it meanwhile (another rep may not)
        other.edit("prospects", (p.id,), "stage", "chaud", expected_version=p.version)
        other.close()
        await pilot.press("plus")
        await ready(pilot)
        assert type(app.screen).__name__ == "ConflictDialog"
        await pilot.press("t")  # theirs: the stage stays as the other rep set it
        await ready(pilot)
        assert row_of(db_path, p.id, "stage") == ("chaud",)
        q = screen.current()
        assert q.id == p.id and q.stage == "chaud"
        other = Workspace(db_path, who="nathalie")
        other.edit("prospects", (p.id,), "next_action", "Envoyer le devis", expected_version=q.version)
        other.close()
        await pilot.press("A", *"n Relancer lundi prochain", "enter")
        await ready(pilot)
        assert type(app.screen).__name__ == "ConflictDialog" and "Envoyer le devis" in app.screen.text()
        await pilot.press("m")  # mine: the call is logged with my next action
        await ready(pilot)
        assert contacts_in_db(db_path, p.id)[0] == (TODAY.isoformat(), "appel", "rien", "Relancer lundi prochain")
        assert row_of(db_path, p.id, "next_action") == ("Relancer lundi prochain",)
        assert screen.board.has_focus  # Escape and the dialog leave the keys on the board
        await pilot.press("escape")
        assert screen.board.has_focus and screen.on_board
