"""Portfolio over time and strategy tabs, driven with real keys (issue 5)."""

from __future__ import annotations

import sqlite3

from conftest import ready

from cockpit.portfolio.matrices import crossed_zone


def plain(widget) -> str:
    return str(widget.render()).replace("\u202f", " ").replace("\xa0", " ")


async def test_period_keys_change_the_figures(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen.model.data.period == "2025" and len(screen.model.ranked) == 45
        await pilot.press("left_square_bracket")
        await ready(pilot)
        assert screen.model.data.period == "2024" and len(screen.model.ranked) == 44
        assert "Période 2024" in plain(screen.query_one("#status"))
        await pilot.press("left_square_bracket", "left_square_bracket")  # no period before 2023: stays
        await ready(pilot)
        assert screen.model.data.period == "2023"
        await pilot.press("right_square_bracket", "right_square_bracket")
        await ready(pilot)
        assert screen.model.data.period == "2025"
        await pilot.press("y")
        await ready(pilot)
        assert screen.model.data.period == "R2025-12"
        assert "12 mois glissants à fin 2025-12" in plain(screen.query_one("#status"))
        await pilot.press("e")
        assert not screen.editor.is_open  # rolling figures come from sales lines: read-only


async def test_period_keys_typed_in_one_burst_step_from_the_period_asked(make_app, monkeypatch):
    """`[[` typed before the first read landed showed 2024, not 2023: the
    second key stepped from the period shown. The first read is held until
    the second has ended, so it also lands last and must not be shown."""
    import threading

    import screens.portfolio.screen as portfolio
    from kit_cases import burst

    real, second_done, calls = portfolio.load_strategy, threading.Event(), []

    def held(ws, cfg, period, **kw):
        calls.append(period)
        if len(calls) == 1:
            second_done.wait(10)
            return real(ws, cfg, period, **kw)
        try:
            return real(ws, cfg, period, **kw)
        finally:
            second_done.set()

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen.model.data.period == "2025"
        monkeypatch.setattr(portfolio, "load_strategy", held)
        await burst(pilot, "left_square_bracket", "left_square_bracket")
        await ready(pilot)
        assert calls == ["2024", "2023"]
        assert screen.model.data.period == "2023" and len(screen.model.ranked) == 44
        assert "Période 2023" in plain(screen.query_one("#status"))


async def test_editing_a_potential_moves_a_client_to_development(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        screen = app.screen
        matrix, current, potential = screen.strategy.crossed()
        client = next(i for i in range(len(current)) if crossed_zone(current[i], potential[i]) == "gestion_economique"
                      and current[i] == 2)
        name = screen.model.data.name[client]
        screen.table.move_to(int(screen.model.ranked.rank_of[client]))
        await pilot.press("P", *"900000", "enter")
        await ready(pilot)
        if type(app.screen).__name__ == "ConfirmDialog":  # more than 90 % from the potential before: asked
            await pilot.press("o")
            await ready(pilot)
        _, current, potential = screen.strategy.crossed()
        assert crossed_zone(current[client], potential[client]) == "developpement"
        cid = int(screen.model.data.client_id[client])
        stored = sqlite3.connect(db_path).execute("SELECT potential FROM clients WHERE id = ?", (cid,)).fetchone()
        assert stored == (90_000_000,)
        await pilot.press("o")
        await pilot.pause()
        # Enter on A' × C lists its clients, our client among them.
        table = screen.query_one("#crossed-table")
        table.cursor_coordinate = (0, 3)
        await pilot.press("enter")
        await pilot.pause()
        listed = [row[0] for row in app.screen.rows]
        assert name in listed
        await pilot.press("escape")
        await pilot.press("u")  # undo the potential
        await ready(pilot)
        _, current, potential = screen.strategy.crossed()
        assert crossed_zone(current[client], potential[client]) == "gestion_economique"


async def test_margin_toggle_and_product_matrix(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        revenue_total = screen.model.ranked.total
        await pilot.press("s")
        await ready(pilot)  # the tab reads its figures in a worker
        info = plain(screen.query_one("#product-info"))
        # METHOD §4 (changed): a mix gap, not "de moins que l'attendu" (read as lost sales).
        assert "écart au mix" in info and "de moins que l'attendu" not in info
        revenue_cells = screen.query_one("ProductPane").matrix.grand_total
        assert revenue_cells == revenue_total == 106_107_700
        await pilot.press("m")
        await ready(pilot)
        assert "Marge" in plain(screen.query_one("#status"))
        margin_cells = screen.query_one("ProductPane").matrix.grand_total
        assert 0 < margin_cells < revenue_cells and screen.model.ranked.total == margin_cells
        table = screen.query_one("#product-table")
        table.cursor_coordinate = (0, 1)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.rows and all(amount > 0 for _, amount, _ in app.screen.rows)


async def test_evolution_lists_new_and_lost_clients(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("h")
        await ready(pilot)  # the tab reads its figures in a worker
        screen = app.screen
        words = plain(screen.query_one("#evolution-words"))
        assert "Attrition mesurée : 11,5 % par an" in words and "5,7 ans" in words
        table = screen.query_one("#evolution-table")
        table.cursor_coordinate = (2, 4)  # 2025, lost
        await pilot.press("enter")
        await pilot.pause()
        rows = app.screen.rows
        assert len(rows) == 5 and all(index is None for *_, index in rows)  # lost: not in 2025
        await pilot.press("escape")
        table.cursor_coordinate = (2, 2)  # 2025, new
        await pilot.press("enter")
        await pilot.pause()
        new = app.screen.rows
        assert len(new) == 7
        await pilot.press("enter")  # jump to the first one in the clients table
        await pilot.pause()
        assert screen.model.name_at(screen.table.cursor_row) == new[0][0]
