"""A rep's own write on one screen reaches the other screens of the same
session (screens/kit/committer.py tell_others): another session heard it
within the poll, this one did not, so Today kept WEBER in class B after its
revenue was cut on the Portfolio, kept a reminder just moved on Prospects, and
logging a call on that stale line opened the conflict dialog over the rep's
own change."""

from __future__ import annotations

import sqlite3

from tests.conftest import ready
from tests.kit_cases import burst

WEBER = 14  # C014, claire's, class B in 2025 at 9 206 €


def today_screen(app):
    return next(s for s in app.mode_screens() if type(s).__name__ == "TodayScreen")


async def go(pilot, key: str) -> None:
    """A screen's key, and that screen read and shown."""
    await pilot.press(key)
    await ready(pilot)


def today_line(app, name: str):
    return next((line for line in today_screen(app).lines or [] if line.name == name), None)


async def test_an_amount_cut_on_the_portfolio_moves_the_class_on_today(make_app, db_path):
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await go(pilot, "4")
        assert today_line(app, "WEBER").cls == "B"
        await go(pilot, "1")
        screen = app.screen
        screen.table.move_to(int(screen.model.ranked.rank_of[screen.model.index_of_client_id(WEBER)]))
        await pilot.pause()
        reads = today_screen(app)._reads
        await burst(pilot, "e", "ctrl+u", *"1000", "enter")
        assert today_screen(app)._reads == reads  # hidden: no read per edit, one when it is shown again
        await go(pilot, "4")
        assert today_line(app, "WEBER").cls == "C"
        await pilot.press("u")  # undone on Today: the Portfolio follows, back to B
        await ready(pilot)
        assert today_line(app, "WEBER").cls == "B"
        await go(pilot, "1")
        assert app.screen.model.ranked.amount_at(int(app.screen.model.ranked.rank_of[
            app.screen.model.index_of_client_id(WEBER)])) == 920_600


async def test_a_reminder_moved_on_prospects_leaves_today_and_a_call_there_meets_no_conflict(make_app, db_path):
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await go(pilot, "4")
        before = today_line(app, "Thiriet Négoce Services")
        assert before is not None and before.overdue
        await go(pilot, "2")
        screen = app.screen
        pid = next(p.id for p in screen.book.prospects if p.company == "Thiriet Négoce Services")
        screen.move_to_id(pid)
        await pilot.pause()
        assert screen.current().id == pid
        await burst(pilot, "r", *"+5j Rappeler", "enter")
        await go(pilot, "4")
        assert today_line(app, "Thiriet Négoce Services") is None  # due in five days: not today's
        with sqlite3.connect(db_path) as db:
            (date,) = db.execute("SELECT next_action_date FROM prospects WHERE company = 'Thiriet Négoce Services'").fetchone()
        assert date is not None and date > today_screen(app).today().isoformat()
