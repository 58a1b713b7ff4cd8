"""SVG snapshots of the screens at the two sizes a rep's terminal has
(update with `make test ARGS=--snapshot-update` after a deliberate change)."""

from __future__ import annotations

import pytest

from conftest import ready


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_portfolio(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_portfolio_after_an_edit_in_group_view(snap_compare, make_app, size):
    async def edit(pilot):
        await ready(pilot)
        await pilot.press("end", "e", *"200000", "enter")
        await ready(pilot)
        await pilot.press("g", "c")
        await ready(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=edit)


def test_help_in_english(snap_compare, make_app):
    async def help_(pilot):
        await ready(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app("en"), terminal_size=(120, 40), run_before=help_)
