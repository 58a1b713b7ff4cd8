"""SVG snapshots of issue 15's panes at the two sizes a rep's terminal has, in
French and English: the Portfolio's Time tab (b), the Evolution tab with its
lost clients to win back (French: tests/test_snapshots.py), the funnel view
with its words against churn (English at 120×40: tests/test_prospects_snapshots.py).
Update with `--snapshot-update` after a deliberate change."""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import settled

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
LANGS = pytest.mark.parametrize("lang", ["fr", "en"])


def pinned(app):
    app.today = lambda: dt.date(2026, 11, 29)  # the sample's reference day
    return app


def keys(*pressed: str):
    async def run(pilot):
        await settled(pilot)
        for key in pressed:
            await pilot.press(key)
            await settled(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run


@SIZES
@LANGS
def test_time_tab(snap_compare, make_app, size, lang):
    assert snap_compare(pinned(make_app(lang)), terminal_size=size, run_before=keys("b"))


@SIZES
def test_evolution_with_lost_clients_in_english(snap_compare, make_app, size):
    assert snap_compare(pinned(make_app("en")), terminal_size=size, run_before=keys("h"))


@pytest.mark.parametrize("lang, size", [("fr", (80, 24)), ("fr", (120, 40)), ("en", (80, 24))],
                         ids=["fr-80x24", "fr-120x40", "en-80x24"])
def test_funnel_against_churn(snap_compare, make_app, size, lang):
    assert snap_compare(pinned(make_app(lang)), terminal_size=size, run_before=keys("2", "f"))
