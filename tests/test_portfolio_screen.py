"""The Portfolio screen driven with real keys through Textual's Pilot."""

from __future__ import annotations

import sqlite3

from conftest import answer, ready
from kit_cases import keep_mine_or_take_theirs

from cockpit import config


def plain(widget) -> str:
    """A widget's text with French narrow no-break spaces as plain spaces."""
    return str(widget.render()).replace("\u202f", " ").replace("\xa0", " ")


def row_text(app, rank: int) -> str:
    table = app.screen.table
    return " ".join(c.plain for c in table.source.row(rank)).replace("\u202f", " ").replace("\xa0", " ")


async def test_edit_moves_a_client_from_c_to_a_and_undo_restores(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen.model.class_at(44) == "C" and screen.model.name_at(44) == "VACAPE"
        await pilot.press("end", "e")
        await pilot.press(*"200000", "enter")
        await ready(pilot)
        asked = app.screen.text().replace("\u202f", " ").replace("\xa0", " ")
        assert "VACAPE" in asked and "VACAPE, CA : 351 € → 200 000 € (+56 880 %)" in asked  # more than 90 %: asked first
        await pilot.press("o")
        await ready(pilot)
        table = screen.table
        assert table.cursor_row == 0  # the cursor follows the client to its new rank
        assert row_text(app, 0).split()[:2] == ["1", "VACAPE"]
        assert "200 000 € 15,9 % 2,2 % A 800 € 25 000 %" in row_text(app, 0)  # share of wallet 200 000 / 800
        summary = plain(screen.query_one("#summary"))
        assert "A : 7 clients (15,6 %) · 1 033 508 €" in summary and "CA 1 260 726 €" in summary
        assert "enregistré" in plain(screen.query_one("#status"))
        stored = sqlite3.connect(db_path).execute(
            "SELECT revenue FROM amounts JOIN clients ON id = client_id WHERE name = 'VACAPE' AND period = '2025'").fetchone()
        assert stored == (20_000_000,)

        await pilot.press("u")
        await ready(pilot)
        assert screen.model.name_at(44) == "VACAPE" and screen.model.class_at(44) == "C"
        assert "A : 7 clients (15,6 %) · 862 984 €" in plain(screen.query_one("#summary"))

        await pilot.press("ctrl+y")
        await ready(pilot)
        assert screen.model.name_at(0) == "VACAPE"


async def test_a_restart_keeps_the_edit_and_its_undo(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("end", "e", *"200000", "enter")  # Enter opens the card (issue 15); e edits
        await ready(pilot)
        await pilot.press("o")
        await ready(pilot)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.screen.model.name_at(0) == "VACAPE" and app.screen.model.class_at(0) == "A"
        await pilot.press("ctrl+z")
        await ready(pilot)
        assert app.screen.model.name_at(44) == "VACAPE"


async def test_escape_cancels_an_edit_and_bad_amounts_are_refused(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("e", *"9", "escape")
        await ready(pilot)
        assert app.screen.model.ranked.amount_at(0) == 17_587_600
        await pilot.press("e", *"12.3.4", "enter")
        await ready(pilot)
        assert app.screen.query_one("#cell-editor").has_class("-open")  # kept open, nothing lost
        assert app.screen.model.ranked.amount_at(0) == 17_587_600


async def test_keyboard_navigation_and_search(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        table = app.screen.table
        await pilot.press("down", "down")
        assert table.cursor_row == 2
        await pilot.press("pagedown")
        assert table.cursor_row == 2 + table.page_rows
        await pilot.press("end")
        assert table.cursor_row == 44
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("slash", *"megn")
        assert app.screen.model.name_at(table.cursor_row) == "MEGNIN"
        await pilot.press("escape")
        assert table.has_focus


async def test_limits_from_the_keyboard_are_applied_and_saved(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("l")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#a-limit").value = ""
        await pilot.click("#a-limit")
        await pilot.press(*"70", "enter")
        await ready(pilot)
        assert app.screen.model.counts() == (5, 18)
    # METHOD §8: the limits belong to the workspace, not to this rep's config.toml
    cfg, _ = config.load(tmp_path / "config.toml")
    assert cfg.abc.a_limit == 0.8
    app = make_app(who="paul")  # another rep on the same workspace sees the same classes
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert app.screen.model.counts() == (5, 18)


async def test_limits_the_workspace_refuses_are_put_back_and_said(make_app, monkeypatch):
    """A figure setting not kept (a rep on PostgreSQL: only managers change
    them) must not stay on this rep's screen as if it were in force."""
    from cockpit.store import shared_settings

    def refuse(ws, section, values):
        raise shared_settings.SettingsRefused("Réglage réservé aux responsables : abc")

    monkeypatch.setattr(shared_settings, "save", refuse)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        before = app.screen.model.counts()
        await pilot.press("l")
        await pilot.pause()
        app.screen.query_one("#a-limit").value = ""
        await pilot.click("#a-limit")
        await pilot.press(*"70", "enter")
        await ready(pilot)
        await pilot.pause(0.3)
        await ready(pilot)
        assert app.cfg.abc.a_limit == 0.8 and app.screen.model.counts() == before != (5, 18)
        assert "Réglage réservé aux responsables" in str(app.screen.query_one("StatusLine").render())


async def test_computed_limits_and_group_view(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await ready(pilot)
        assert app.screen.model.counts() == (8, 11)
        assert "seuils calculés" in plain(app.screen.query_one("#status"))
        assert "Seuils calculés : Pareto 17,8 %" in plain(app.screen.query_one("#summary"))
        await pilot.press("c", "g")
        await ready(pilot)
        model = app.screen.model
        # VF CONFORT's three sites outweigh LORFLEX's three.
        assert model.view == "group" and model.name_at(0) == "VF CONFORT" and model.name_at(1) == "LORFLEX"
        assert model.ranked.amount_at(0) == (172_376 + 4_892 + 390) * 100
        await pilot.press("e")  # amounts are edited per account
        assert not app.screen.query_one("#cell-editor").has_class("-open")


async def test_help_lists_every_binding_and_palette_has_the_actions(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        commands = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Modifier (e)", "Annuler (u, ctrl+z)", "Seuils (l)", "Compte/groupe (g)", "Aide (f1)"):
            assert title in commands
        await pilot.press("f1")
        await pilot.pause()
        text = str(app.screen.query_one("#help-body").render())
        assert "HHI" in text and "ctrl+y" in text and "Rétablir" in text
        await pilot.press("escape")
        assert app.screen.id == "portfolio"


HOSTILE = ["ACME [/b]", "x[/]", "[red]ROUGE", "Acme [EU] Ltd", "[link=http://x]y[/link]", "[@click=app.quit]z[/]", "[B]OLD[/B]"]


async def test_hostile_names_are_shown_literally(make_app, db_path):
    db = sqlite3.connect(db_path)
    for i, name in enumerate(HOSTILE):
        cid = db.execute("INSERT INTO clients(code, name, grp) VALUES (?, ?, ?)", (f"H{i}", name, name)).lastrowid
        db.execute("INSERT INTO amounts(client_id, period, revenue) VALUES (?, '2025', ?)", (cid, 30_000_000 + i))
    db.commit()
    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        table = app.screen.table
        painted = "\n".join(table.render_line(y).text for y in range(1, len(HOSTILE) + 1))
        for name in HOSTILE:
            assert name in painted
        await pilot.press("e", *"1", "enter")  # the status line names the saved client
        await ready(pilot)
        await pilot.press("o")  # 300 000 € → 1 €: confirmed
        await ready(pilot)
        assert "[B]OLD[/B]" in str(app.screen.query_one("#status").render())
        await pilot.press("g")
        await ready(pilot)
        painted = "\n".join(table.render_line(y).text for y in range(1, 8))
        assert "[@click=app.quit]z[/]" in painted
        assert app.is_running


async def test_an_edit_over_someone_elses_asks_keep_mine_or_take_theirs(make_app, db_path):
    from cockpit.store.workspace import Workspace

    app = make_app()
    # No poll: what is shown must come from the committer itself, in place, not from a reload
    # that a poll may or may not have made by then (it raced the last assertion once in CI).
    app.poll_seconds = 3600
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        stored = lambda: sqlite3.connect(db_path).execute(  # noqa: E731
            "SELECT revenue FROM amounts WHERE client_id = 1 AND period = '2025'").fetchone()[0]
        other = Workspace(db_path, who="paul")
        await keep_mine_or_take_theirs(app, pilot, other, stored, read_again=False)
        other.close()


async def test_other_reps_commits_show_up_without_a_key(make_app, db_path):
    from cockpit.store.workspace import Workspace

    app = make_app()
    app.poll_seconds = 0.1
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        other = Workspace(db_path, who="paul")
        other.edit("amounts", (45, "2025"), "revenue", 50_000_000)  # VACAPE to 500 000 €
        other.close()
        for _ in range(30):
            await pilot.pause(0.1)
            await ready(pilot)
            if app.screen.model.name_at(0) == "VACAPE":
                break
        assert app.screen.model.name_at(0) == "VACAPE" and app.screen.model.class_at(0) == "A"


async def test_a_tiny_terminal_blocks_editing_until_enlarged(make_app):
    app = make_app()
    async with app.run_test(size=(50, 12)) as pilot:
        await ready(pilot)
        assert type(app.screen).__name__ == "TooSmallScreen"
        await pilot.press("e", "1", "enter")
        assert type(app.screen).__name__ == "TooSmallScreen"
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        assert app.screen.id == "portfolio" and not app.screen.editor.is_open


async def test_keys_remapped_in_config_and_theme_kept(make_app, tmp_path):
    from cockpit import config

    (tmp_path / "config.toml").write_text('[keys]\n"portfolio.edit" = "f2"\n')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f2")
        assert app.screen.editor.is_open
        await pilot.press("escape")
        app.theme = "nord"  # what the palette's "change theme" does
        await pilot.pause()
        await ready(pilot)
    cfg, _ = config.load(tmp_path / "config.toml")
    assert cfg.ui.theme == "nord" and cfg.keys == {"portfolio.edit": "f2"}


async def test_a_bad_import_in_the_app_shows_a_dialog_and_changes_nothing(make_app, db_path, tmp_path):
    bad = tmp_path / "ventes.csv"
    bad.write_text("Code client;Date;Famille;CA\nC001;03/04/2025;Sanitaire;1 000\nC001;31/02/2025;Sanitaire;5\n")
    before = sqlite3.connect(db_path).execute("SELECT count(*), sum(revenue) FROM sales").fetchone()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("I")
        await answer(pilot, bad)
        assert type(app.screen).__name__ == "ErrorDialog"
        message = app.screen.text()
        assert "ventes.csv" in message and "ligne 3" in message and "31/02/2025" in message
        await pilot.press("escape")
        good = tmp_path / "clients.csv"
        good.write_text("Nom;Groupe;CA\nNOUVEAU [EU];NOUVEAU;250 000\n")
        await pilot.press("i")
        await answer(pilot, good)
        await ready(pilot)
        assert app.screen.model.name_at(0) == "NOUVEAU [EU]" and app.screen.model.class_at(0) == "A"  # 250 000 € > LORFLEX
    assert sqlite3.connect(db_path).execute("SELECT count(*), sum(revenue) FROM sales").fetchone() == before


async def test_at_80_columns_the_table_keeps_amount_and_class(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        table = app.screen.table
        assert table.size.width <= 80
        header = table.render_line(0).text
        first = table.render_line(1).text.replace("\u202f", " ").replace("\xa0", " ")
        assert "CA" in header and "Classe" in header
        assert "175 876 €" in first and first.rstrip(" ▐").endswith("A")  # ▐: the position mark


async def test_a_change_heard_as_the_app_closes_is_let_go(make_app):
    """The poll's answer can arrive while the app quits (its screens already
    emptied): no reload is started, so no error is raised to say."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = app.screen
    screen.notify_changed("external")


def _amounts_2025(db_path) -> dict[int, int]:
    db = sqlite3.connect(db_path)
    try:
        return dict(db.execute("SELECT client_id, revenue FROM amounts WHERE period = '2025'").fetchall())
    finally:
        db.close()


async def _type_while_a_reload_lands(app, pilot, db_path, target: int, removed: int, keys: list[str]) -> str:
    """The entry opened on ``target``'s amount; another rep's import, committed
    then, takes ``removed``'s amount of 2025 away; the screen's reload for it
    (as one in flight when the entry opened) ends; the rep types ``keys``.
    The name the entry showed."""
    from kit_cases import burst

    await ready(pilot)
    screen = app.screen
    screen.table.move_to(int(screen.model.ranked.rank_of[screen.model.index_of_client_id(target)]))
    await pilot.pause()
    await pilot.press("e")
    name = screen.editor.field.row
    other = sqlite3.connect(db_path)
    with other:
        other.execute("DELETE FROM amounts WHERE client_id = ? AND period = '2025'", (removed,))
    other.close()
    screen.data_changed("external")
    await ready(pilot)
    assert screen.editor.is_open
    await burst(pilot, "ctrl+u", *keys, "enter")
    await ready(pilot)
    return str(name)


async def test_a_reload_landing_while_the_entry_is_open_saves_to_the_client_the_rep_chose(make_app, db_path):
    """Another rep's sales import leaves a client without this year's amount;
    the reload for it ends while the rep's entry is open, and the rows of the
    new data are one fewer. What the rep types goes to the client the entry
    named, and to no other (the new data waits for the entry to close)."""
    before = _amounts_2025(db_path)
    target, leaving = max(before), min(before)  # the leaving client's row came before the target's
    typed = before[target] + 100  # one euro more: no "big change" question
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await _type_while_a_reload_lands(app, pilot, db_path, target, leaving, list(f"{typed // 100},{typed % 100:02d}"))
        assert type(app.screen).__name__ != "ConflictDialog"
    after = _amounts_2025(db_path)
    assert after[target] == typed and leaving not in after
    assert {k: v for k, v in after.items() if k != target} == \
        {k: v for k, v in before.items() if k not in (target, leaving)}


async def test_a_client_gone_from_the_data_while_the_entry_is_open_is_a_conflict(make_app, db_path):
    """Another rep's import takes away the very amount the rep is typing over:
    the one conflict dialog asks, naming the client and both values; taking
    theirs writes nothing."""
    target = max(_amounts_2025(db_path))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        name = await _type_while_a_reload_lands(app, pilot, db_path, target, target, ["1", "2", "3"])
        assert type(app.screen).__name__ == "ConflictDialog"
        said = app.screen.text().replace("\u202f", " ").replace("\xa0", " ")
        assert name in said and "Votre valeur : 123 € · la leur : 0 €" in said
        await pilot.press("t")
        await ready(pilot)
    assert target not in _amounts_2025(db_path)
