"""Issue 18, layout: every screen reads right at 80×24, 120×40 and 200×60.
Each check drives the real app at the rep's sizes and reads what is drawn."""

from __future__ import annotations

import re

import pytest

from cockpit.i18n import money, t
from cockpit.prospects.store import load_prospects
from conftest import ready
from kit_cases import burst
from test_i18n_screens import screen_text
from test_prospects_screen import pinned

SIZES = [(80, 24), (120, 40), (200, 60)]


async def name_widths(make_app, keys: list[str], table: str, column: int) -> dict[tuple[int, int], int]:
    widths = {}
    for size in SIZES:
        app = pinned(make_app())
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            for key in keys:
                await pilot.press(key)
                await ready(pilot)
            widths[size] = app.screen.query_one(table)._widths()[column]
    return widths


async def test_prospects_company_column_never_narrows_on_a_wider_terminal(make_app):
    widths = await name_widths(make_app, ["2"], "#p-table", 0)
    assert list(widths.values()) == sorted(widths.values()), widths
    assert widths[(200, 60)] >= max(map(len, _book_companies(make_app)))


def _book_companies(make_app) -> list[str]:
    return [p.company for p in load_prospects(make_app().workspace)]


async def test_the_longest_company_name_shows_whole_at_200_columns(make_app):
    longest = max(_book_companies(make_app), key=len)
    app = pinned(make_app())
    async with app.run_test(size=(200, 60)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        table = app.screen.query_one("#p-table")
        row = next(r for r in range(table.source.row_count()) if table.source.prospect(r).company == longest)
        table.move_to(row)
        await pilot.pause()
        assert longest in screen_text(app)


@pytest.mark.parametrize("keys, column", [([], 1), (["g"], 1)], ids=["clients", "groups"])
async def test_portfolio_names_never_shorter_on_a_wider_terminal(make_app, keys, column):
    """At 80 columns the side panel goes under the table, which then has the
    whole width: from 110 columns the panel is beside it. The column may be
    narrower at 120 than at 80, never a name: each shows whole from 120."""
    widths = await name_widths(make_app, keys, "#clients", column)
    # The names of the portfolio shown (the latest period's clients, or their groups).
    from cockpit.portfolio.strategy import load_strategy
    from cockpit import config

    app = make_app()
    model, _, _ = load_strategy(app.workspace, config.load(None)[0], rolling=False)
    names = model.data.name if column == 1 and not keys else model.group_names
    longest = max(len(str(n)) for n in names)
    shown = [min(w, longest) for w in widths.values()]
    assert shown == sorted(shown) and shown[1] == longest, widths


@pytest.mark.parametrize("lang, word", [("fr", "Potentiel"), ("en", "Potential")])
async def test_potential_editor_and_its_confirmation_name_the_field_where_the_column_is_not_shown(
        make_app, lang, word):
    """Issue 18, item 2: at 120 columns the potential column is not shown; P
    still says, in the editor's title and once saved, that it is the potential."""
    app = make_app(lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        table = app.screen.query_one("#clients")
        assert not table.is_shown(table.source.potential_column)
        await burst(pilot, "home", "P")
        assert str(app.screen.editor.border_title) == f"{word} · LORFLEX"
        await burst(pilot, "ctrl+u", *"300000", "enter")
        await ready(pilot)
        status = str(app.screen.query_one("StatusLine").render()).replace("\u202f", " ").replace("\xa0", " ")
        saved = money(30_000_000).replace("\u202f", " ").replace("\xa0", " ")
        assert f"LORFLEX{':' if lang == 'en' else ' :'} {word} " in status and saved in status, status


@pytest.mark.parametrize("size", SIZES[:2], ids=["80x24", "120x40"])
async def test_funnel_bars_are_proportional_to_the_counts(make_app, size):
    """Issue 18, item 3: at 80×24 Prospect (48) was drawn as long as Suspect (62)."""
    app = pinned(make_app())
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await burst(pilot, "2", "f")
        await ready(pilot)
        chart = app.screen.query_one("#p-funnel-chart")
        drawn = ["".join(seg.text for seg in strip) for strip in chart.render_lines(chart.region.reset_offset)]
        funnel = app.screen.book.funnel(app.screen.today())
    bars = {}
    for stage in funnel.stages:
        name = t(f"prospects.stage.{stage.stage}")
        line = next(line for line in drawn if line.strip().startswith(name))
        bars[stage.stage] = (stage.reached, line.count("█"))
    most, longest = max(bars.values())
    assert longest >= 20, drawn
    for stage, (reached, cells) in bars.items():
        assert abs(cells - reached * longest / most) <= 1, (stage, reached, cells, drawn)


FIGURE = re.compile(r"[€+\-−]?\d[\d,.]*(?:[\u00a0\u202f][\d€%]+[\d,.]*)+")
PANELS = {"portfolio": ([], "#summary"), "prospects-funnel": (["2", "f"], "#p-funnel-table"),
          "activity-levers": (["3"], "#act-levers")}


@pytest.mark.parametrize("size", SIZES[:2], ids=["80x24", "120x40"])
@pytest.mark.parametrize("panel", list(PANELS))
async def test_no_figure_is_split_across_lines_in_the_panels(make_app, panel, size):
    """Issue 18, item 4: "HHI 1 / 184", "6 111 / €": rich and Textual wrap at
    no-break spaces; a figure with its spaces stays on one line."""
    keys, selector = PANELS[panel]
    app = pinned(make_app())
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await burst(pilot, *keys)
        await ready(pilot)
        widget = app.screen.query_one(selector)
        figures = FIGURE.findall(widget.text.plain)
        region = widget.content_region
        drawn = " | ".join("".join(seg.text for seg in strip) for strip in widget.render_lines(region.reset_offset))
    assert figures, widget.text.plain
    split = [f for f in figures if f not in drawn]
    assert not split, (split, drawn)


@pytest.mark.parametrize("lang, placeholder, titles", [
    ("fr", "Chercher une commande…", {"Thème", "Quitter", "Touches", "Capture d'écran"}),
    ("en", "Search for commands…", {"Theme", "Quit", "Keys", "Screenshot"})])
async def test_palette_placeholder_and_system_commands_in_the_interface_language(make_app, lang, placeholder, titles):
    """Issue 18, item 9: ctrl+p said "Search for commands…" and "Maximize" in French."""
    from textual.command import CommandInput, CommandPalette

    app = make_app(lang)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        commands = {c.title: c.help for c in app.get_system_commands(app.screen)}
        app.screen.query_one("#clients").focus()
        maximize = {c.title for c in app.get_system_commands(app.screen)}
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert str(app.screen.query_one(CommandInput).placeholder) == placeholder
    assert titles <= set(commands), commands
    assert ("Agrandir" if lang == "fr" else "Maximize") in maximize
    if lang == "fr":
        english = {"Theme", "Quit", "Keys", "Screenshot", "Maximize", "Minimize"}
        assert not english & (set(commands) | maximize)
        assert not any("the " in (help_ or "") for help_ in commands.values()), commands
