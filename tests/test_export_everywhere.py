"""`x` exports what a table shows, ctrl+s saves the screen or its chart (issue 8)."""

from __future__ import annotations

import openpyxl

from conftest import answer, ready


async def test_x_exports_the_portfolio_tab_shown(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("x")
        await answer(pilot, tmp_path / "clients.xlsx")
        sheet = openpyxl.load_workbook(tmp_path / "clients.xlsx").worksheets[0]
        assert sheet.max_row == 46 and sheet["C2"].value == "LORFLEX" and sheet["F2"].value == 175876
        await pilot.press("o", "x")
        await answer(pilot, tmp_path / "matrix.csv")
        assert "A';A;fond_de_commerce;7;862984" in (tmp_path / "matrix.csv").read_text(encoding="utf-8-sig")


async def test_x_exports_the_filtered_prospects_and_the_activity_table(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        table = app.screen.query_one("#p-table")
        shown = table.source.row_count()
        await pilot.press("slash", *"SARL", "enter")
        await ready(pilot)
        filtered = table.source.row_count()
        assert 0 < filtered < shown
        table.focus()
        await pilot.press("x")
        await answer(pilot, tmp_path / "prospects.csv")
        lines = (tmp_path / "prospects.csv").read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == filtered + 1 and all("SARL" in line for line in lines[1:])
        await pilot.press("3")
        await ready(pilot)
        await pilot.press("x")
        await answer(pilot, tmp_path / "team.csv")
        assert "Claire Martin" in (tmp_path / "team.csv").read_text(encoding="utf-8-sig")


async def test_ctrl_s_saves_the_curve_as_svg_and_the_funnel_as_text(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+s")
        await answer(pilot, tmp_path / "pareto.svg")
        assert (tmp_path / "pareto.svg").read_text().lstrip().startswith("<svg")
        await pilot.press("ctrl+s")
        await answer(pilot, tmp_path / "pareto.txt")
        assert "Courbe ABC (Pareto)" in (tmp_path / "pareto.txt").read_text()
        await pilot.press("2")
        await ready(pilot)
        await pilot.press("f")
        await ready(pilot)
        await pilot.press("ctrl+s")
        await answer(pilot, tmp_path / "funnel.txt")
        funnel = (tmp_path / "funnel.txt").read_text()
        assert "\x1b" not in funnel and len(funnel.splitlines()) > 5


async def test_x_on_today_writes_what_cockpit_export_today_writes(make_app, db_path, tmp_path):
    """Today's `x` wrote the cells as shown ("8 j de retard", "96 000 €" as text);
    it writes the list's dates and numbers, as the command does, in words."""
    from cockpit import cli

    app = make_app(who="claire")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        await ready(pilot)
        await pilot.press("x")
        await answer(pilot, tmp_path / "today.xlsx")
    assert cli.main(["--db", str(db_path), "--rep", "claire", "export", "today", str(tmp_path / "cli.xlsx")]) == 0
    screen, command = ([r for r in openpyxl.load_workbook(tmp_path / name).active.iter_rows(values_only=True)]
                       for name in ("today.xlsx", "cli.xlsx"))
    assert screen == command and screen[0][:2] == ("Motif", "Type") and screen[1][0] == "Relance"
    assert isinstance(screen[1][-1], int)  # the potential a number, not "2 400 €"


async def test_x_to_a_name_refused_says_the_commands_sentence_not_an_unexpected_error(make_app, db_path, tmp_path):
    """An export over the workspace, to an unknown extension or into a folder
    that is not there: the CLI says each in a sentence; the app said
    "erreur inattendue AdminError: …" for the first two."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        for name, words in ((db_path, "espace de travail"), (tmp_path / "out.foo", ".csv, .xlsx"),
                            (tmp_path / "none" / "out.csv", str(tmp_path / "none"))):
            app.clear_notifications()
            await pilot.press("x")
            await answer(pilot, name)
            said = [n.message for n in app._notifications]
            assert any(words in m for m in said) and not any("inattendue" in m for m in said), said
    assert not (tmp_path / "out.foo").exists() and db_path.read_bytes()[:6] == b"SQLite"
