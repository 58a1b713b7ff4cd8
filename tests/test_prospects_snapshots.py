"""SVG snapshots of the Prospects screen and of qualification mode at the two
sizes a rep's terminal has (update with `--snapshot-update` after a deliberate change)."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import settled as ready

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


def pinned(app):
    app.today = lambda: dt.date(2026, 11, 29)
    return app


async def settle(pilot) -> None:
    await ready(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


@SIZES
def test_prospects(snap_compare, make_app, size):
    async def open_(pilot):
        await ready(pilot)
        await pilot.press("2")
        await settle(pilot)

    assert snap_compare(pinned(make_app()), terminal_size=size, run_before=open_)


@SIZES
def test_qualification_mode(snap_compare, make_app, size):
    async def qualify(pilot):
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        await pilot.press("s", "s", "s", "Q", "4", "2")  # a cold prospect, two criteria rescored
        await settle(pilot)

    assert snap_compare(pinned(make_app()), terminal_size=size, run_before=qualify)


def test_funnel_in_english(snap_compare, make_app):
    async def funnel(pilot):
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(pinned(make_app("en")), terminal_size=(120, 40), run_before=funnel)


LANGS = pytest.mark.parametrize("lang", ["fr", "en"])


@SIZES
@LANGS
def test_stage_board(snap_compare, make_app, size, lang):
    """The board (b): at 80 columns four stages of 20 cells, ‹ › saying more are off
    to the side; the chosen card (a hot prospect) and its timeline below."""
    async def board(pilot):
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        await pilot.press("b", "right", "right", "right", "right", "down")
        await settle(pilot)

    assert snap_compare(pinned(make_app(lang)), terminal_size=size, run_before=board)


@SIZES
@LANGS
def test_detail_with_timeline_quote_and_signing(snap_compare, make_app, size, lang):
    """The detail panel of a prospect with contacts, a quote and a signing date
    (typed in the table's cells, as a rep does)."""
    async def detail(pilot):
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        await pilot.press("b", "right", "right", "right", "right", "down", "b")  # the hot prospect, in the table
        await ready(pilot)
        await pilot.press(*["right"] * 5, "e", *"48 000", "enter")
        await ready(pilot)
        await pilot.press("right", "e", *("15/01/2027" if lang == "fr" else "2027-01-15"), "enter", *["left"] * 6)
        await settle(pilot)

    assert snap_compare(pinned(make_app(lang)), terminal_size=size, run_before=detail)
