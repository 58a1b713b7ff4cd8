"""Keys typed behind a screen key, on the screen's first visit: the screen is
built and reads its rows in a worker; the keys behind its key wait for those
rows, then reach them (``4`` Enter, typed in one burst, opens the card of
Today's first line; ``2`` then ↓ moves the Prospects' cursor). Before, they
went on after a quarter of a second, to a table still empty, and were lost."""

from __future__ import annotations

from tests.conftest import ready
from tests.kit_cases import burst


async def test_enter_typed_behind_the_today_key_opens_the_first_lines_card(make_app):
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await burst(pilot, "4", "enter")
        for _ in range(40):  # the first visit imports the screen and reads its list
            await pilot.pause(0.1)
            if type(app.screen).__name__ == "CardScreen":
                break
        assert type(app.screen).__name__ == "CardScreen"


async def test_a_move_typed_behind_the_prospects_key_moves_the_cursor(make_app):
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await burst(pilot, "2", "down", "down")
        for _ in range(40):
            await pilot.pause(0.1)
            if type(app.screen).__name__ == "ProspectsScreen" and app.screen.table.cursor_index == 2:
                break
        assert type(app.screen).__name__ == "ProspectsScreen"
        assert app.screen.table.cursor_index == 2
