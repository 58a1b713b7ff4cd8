"""The client card at 80×24 is taller than the terminal: it opens on its
figures (the focus on the fields scrolled them out of sight, for good: the
body takes no focus), and Page Down / Page Up reach the contacts below and
come back, whatever the fields' cursor."""

from __future__ import annotations

from textual.containers import VerticalScroll

from tests.conftest import ready


async def test_the_card_opens_on_its_figures_and_pages_through_the_rest(make_app):
    app = make_app(who="claire")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # LORFLEX's card
        await ready(pilot)
        body = app.screen.query_one(".card-body", VerticalScroll)
        assert body.max_scroll_y > 0 and body.scroll_y == 0
        await pilot.press("pagedown")
        await ready(pilot)
        assert body.scroll_y > 0 and app.screen.table.cursor_index == 0  # the fields' cursor stays
        await pilot.press("pageup")
        await ready(pilot)
        assert body.scroll_y == 0
