"""Table habits (issue 15 item 8), one way on every table: ←/→ choose a column,
`S` sorts by it (then the other way, then back to the source's own order, the
ABC rank), and the one search bar counts its matches ("2/5") with ↓ ↑ for the
next and previous one. The sorted order against Python's own sort; an edit
in a sorted table writes the row under the cursor."""

from __future__ import annotations

import sqlite3

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from screens.kit.search import SearchBar
from screens.kit.sorting import sort_order
from tests.conftest import ready


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.integers(-5, 5)), max_size=40), st.booleans())
def test_sort_order_is_stable_puts_blanks_last_and_follows_the_direction(values, descending):
    keys = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    order = sort_order(keys, descending).tolist()
    present = [i for i, v in enumerate(values) if v is not None]
    expected = sorted(present, key=lambda i: (-values[i] if descending else values[i], i))
    assert order == expected + [i for i, v in enumerate(values) if v is None]


def names_by_rank(screen) -> list[str]:
    source = screen.table.source
    return [source.row(i)[1].plain for i in range(source.row_count())]


async def test_portfolio_sorts_by_name_then_back_to_rank_and_an_edit_writes_the_row_under_the_cursor(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        screen = app.screen
        ranked = names_by_rank(screen)
        m = screen.model
        codes = {m.data.name[i]: m.data.code[i] for i in range(len(m.data.name))}
        await pilot.press("right", "S")  # the name column
        await ready(pilot)
        shown = names_by_rank(screen)
        assert shown == sorted(ranked, key=lambda n: (n, codes[n]))  # (name, code) as the index orders them
        assert "Trié par Client, croissant" in str(screen.query_one("StatusLine").render())
        await pilot.press("S")
        assert names_by_rank(screen) == shown[::-1] or names_by_rank(screen)[0] == shown[-1]
        await pilot.press("S")
        assert names_by_rank(screen) == ranked  # the ABC rank is one more S away
        await pilot.press("S")  # by name again: edit the fifth row
        screen.table.move_to(4)
        name = names_by_rank(screen)[4]
        await pilot.press("e", "ctrl+u", *"123456", "enter")
        await ready(pilot)
        await pilot.press("o")  # a change of more than 90 % is confirmed
        await ready(pilot)
        await ready(pilot)
        db = sqlite3.connect(db_path)
        (period,) = db.execute("SELECT max(period) FROM amounts").fetchone()
        got = db.execute("SELECT a.revenue FROM amounts a JOIN clients c ON c.id = a.client_id "
                         "WHERE c.code = ? AND a.period = ?", (codes[name], period)).fetchone()
        db.close()
        assert got == (12345600,)
        assert names_by_rank(screen)[screen.table.cursor_row] == name  # still under the cursor, still by name


async def test_portfolio_potential_sorts_largest_first_with_blanks_last(make_app):
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        screen = app.screen
        screen.table.column_cursor = 7  # Potentiel
        await pilot.press("S")
        m = screen.model
        shown = [int(m.data.potential[int(m.ranked.order[screen.table.source.order[i]])])
                 for i in range(len(m.ranked))]
        entered = [p for p in shown if p >= 0]
        assert entered == sorted(entered, reverse=True) and shown[len(entered):] == [-1] * (len(shown) - len(entered))


async def test_portfolio_search_counts_matches_and_goes_both_ways(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        m = screen.model
        hits = sorted(int(m.ranked.rank_of[i]) for i in range(len(m.data.name))
                      if "lor" in m.data.name[i].casefold() or "lor" in m.data.code[i].casefold())
        assert len(hits) >= 2
        await pilot.press("slash", *"lor")
        await ready(pilot)
        bar = screen.query_one(SearchBar)
        assert str(bar.border_subtitle) == f"1/{len(hits)}" and screen.table.cursor_row == hits[0]
        await pilot.press("down")
        assert str(bar.border_subtitle) == f"2/{len(hits)}" and screen.table.cursor_row == hits[1]
        await pilot.press("up", "up")  # round the start: the last match
        assert str(bar.border_subtitle) == f"{len(hits)}/{len(hits)}" and screen.table.cursor_row == hits[-1]
        await pilot.press("escape")
        await pilot.press("slash", *"c00")  # by code too
        await ready(pilot)
        assert str(bar.border_subtitle).startswith("1/")


async def test_prospects_sort_by_the_column_e_edits_and_count_the_filtered_rows(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        screen = app.screen
        await pilot.press("right")  # the stage column: ← → are the Prospects' own column cursor
        assert screen.table.column_cursor == screen.source.column
        await pilot.press("S")
        stages = [screen.table.source.row(i)[screen.source.column].plain for i in range(screen.table.source.row_count())]
        assert stages == sorted(stages, key=str.casefold)
        await pilot.press("slash", *"sarl")
        await ready(pilot)
        bar = screen.query_one(SearchBar)
        n = screen.table.source.row_count()
        at = screen.table.cursor_row  # the cursor stays on its prospect when it matches
        assert 1 < n < len(screen.book) and str(bar.border_subtitle) == f"{at + 1}/{n}"
        await pilot.press("down")
        assert str(bar.border_subtitle) == f"{(at + 1) % n + 1}/{n}"


async def test_today_and_activity_tables_sort_and_search_the_same_way(make_app):
    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await ready(pilot)
        screen = app.screen
        screen.table.column_cursor = 1  # the name
        await pilot.press("S")
        names = [screen.table.source.row(i)[1].plain for i in range(screen.table.source.row_count())]
        assert names == sorted(names, key=str.casefold) and len(names) > 3
        line = screen.lines[screen.table.cursor_index]
        assert names[screen.table.cursor_row].startswith(line.name)  # the line under the cursor is the one acted on
        await pilot.press("slash", *line.name)
        await ready(pilot)
        hits = [i for i, n in enumerate(names) if line.name.casefold() in n.casefold()]
        assert str(screen.query_one(SearchBar).border_subtitle) == f"{hits.index(screen.table.cursor_row) + 1}/{len(hits)}"
        await pilot.press("escape", "3")
        await ready(pilot)
        team = app.screen.table("team")
        team.focus()
        team.column_cursor = len(team.source.columns) - 2  # the score
        await pilot.press("S")
        scores = [team.source.row(i)[team.column_cursor].plain for i in range(team.source.row_count())]
        assert scores == sorted(scores, key=lambda s: -float(s.replace(",", ".").replace("\u202f", "")))
