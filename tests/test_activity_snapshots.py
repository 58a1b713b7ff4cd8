"""SVG snapshots of the Activity screen at the two sizes a rep's terminal has
(update with `make test ARGS=--snapshot-update` after a deliberate change)."""

from __future__ import annotations

import pytest

from conftest import settled as ready

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


async def activity(pilot) -> None:
    await ready(pilot)
    await pilot.press("3")
    await ready(pilot)


@SIZES
def test_activity(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=activity)


@SIZES
def test_activity_what_if_for_claire(snap_compare, make_app, size):
    async def what_if(pilot):
        await activity(pilot)
        await pilot.press("down", "w", "down", "down", "e", "7", "enter")
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=what_if)


def test_activity_visits_in_english(snap_compare, make_app):
    async def visits(pilot):
        await activity(pilot)
        await pilot.press("v")
        await pilot.pause()

    assert snap_compare(make_app("en"), terminal_size=(120, 40), run_before=visits)
