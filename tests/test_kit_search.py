"""The one search bar (issue 12): the same widget on the Portfolio and the
Prospects, keys typed behind `/` in one burst land in it, Enter and Escape
mean the same on both (next match or keep the filter; close)."""

from __future__ import annotations

from conftest import ready
from kit_cases import burst
from screens.kit import SearchBar


def bars(app) -> list[SearchBar]:
    return list(app.screen.query(SearchBar))


async def test_portfolio_search_takes_a_burst_and_enter_finds_the_next_match(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = app.screen
        (bar,) = bars(app)
        await burst(pilot, "slash", *"lorflex")  # typed before the bar had the focus
        assert bar.is_open and bar.value == "lorflex" and bar.has_focus
        first = screen.table.cursor_row
        name = lambda: screen.model.name_at(screen.table.cursor_row)  # noqa: E731
        assert "LORFLEX" in name()
        await burst(pilot, "enter")
        assert screen.table.cursor_row != first and "LORFLEX" in name()  # LORFLEX has several sites
        await burst(pilot, "escape")
        assert not bar.is_open and screen.table.has_focus


async def test_prospects_filter_takes_a_burst_enter_keeps_it_escape_clears_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        screen = app.screen
        (bar,) = bars(app)
        everyone = screen.source.row_count()
        await burst(pilot, "slash", *"lefèvre", "enter")
        companies = {screen.source.prospect(r).company for r in range(screen.source.row_count())}
        assert "SARL Sanitaire Lefèvre" in companies and len(companies) < everyone
        assert not bar.is_open and screen.table.has_focus  # Enter keeps the filter, back to the table
        await burst(pilot, "slash", "escape")
        assert not bar.is_open and bar.value == "" and screen.source.row_count() == everyone


def test_one_search_bar_class_for_every_screen():
    """No screen builds its own search Input any more."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "screens"
    own = [str(p) for p in root.rglob("*.py") if "search" in p.read_text() and "Input(id=\"" in p.read_text()
           and "search" in p.read_text().split("Input(id=\"", 1)[1][:20]]
    assert own == []
