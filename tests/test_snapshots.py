"""SVG snapshots of the screens at the two sizes a rep's terminal has
(update with `make test ARGS=--snapshot-update` after a deliberate change)."""

from __future__ import annotations

import pytest

from conftest import settled as ready


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_portfolio(snap_compare, make_app, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_portfolio_after_an_edit_in_group_view(snap_compare, make_app, size):
    async def edit(pilot):
        await ready(pilot)
        await pilot.press("end", "e", *"200000", "enter")
        await ready(pilot)
        await pilot.press("o")  # more than 90 %: confirmed
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


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("tab", ["h", "o", "s"], ids=["evolution", "crossed", "products"])
def test_strategy_tabs(snap_compare, make_app, size, tab):
    async def open_tab(pilot):
        await ready(pilot)
        await pilot.press(tab)
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=open_tab)


def test_16_colour_terminal_gets_the_ansi_theme(snap_compare, make_app, monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    app = make_app()
    assert app.console.color_system == "standard"

    async def check(pilot):
        await ready(pilot)
        assert pilot.app.theme == "ansi-dark"

    assert snap_compare(app, terminal_size=(80, 24), run_before=check)


def test_no_color_keeps_classes_readable(snap_compare, make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=ready)
