"""SVG snapshots of Aujourd'hui / Today and of the client card at the two sizes
a rep's terminal has, in French and English, the day pinned (update with
`--snapshot-update` after a deliberate change)."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import settled as ready
from test_prospects_snapshots import settle

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
LANGS = pytest.mark.parametrize("lang", ["fr", "en"])


def pinned(app):
    app.today = lambda: dt.date(2026, 12, 6)
    return app


@SIZES
@LANGS
def test_today(snap_compare, make_app, size, lang):
    async def open_(pilot):
        await ready(pilot)
        await pilot.press("4")
        await settle(pilot)

    assert snap_compare(pinned(make_app(lang, who="claire")), terminal_size=size, run_before=open_)


@SIZES
@LANGS
def test_client_card(snap_compare, make_app, size, lang):
    async def open_(pilot):
        await ready(pilot)
        await pilot.press("enter")  # the Portfolio's first client: LORFLEX
        await settle(pilot)

    assert snap_compare(pinned(make_app(lang, who="claire")), terminal_size=size, run_before=open_)
