"""One suite, every editable field of the three screens: the same keys give
the same behaviour everywhere (issue 12). Each test drives the real app with
real keys on a real workspace; another rep is a second Workspace connection."""

from __future__ import annotations

import pytest

from conftest import ready
from kit_cases import CASES, Case, burst
from cockpit.store.workspace import Workspace

pytestmark = pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])


def dialog_text(app) -> str:
    return app.screen.text().replace("\u202f", " ").replace("\xa0", " ")


async def test_a_burst_typed_after_the_edit_key_lands_in_the_entry(make_app, db_path, case: Case):
    """Bug 2: e, ctrl+u, 777003, Enter in one read saved 0 € or 2 €, or switched screens."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case.go(pilot)
        await burst(pilot, case.key, "ctrl+u", *case.typed, "enter")
        assert app.screen.id == case.mode  # digits never read as screen switches
        assert case.read(db_path) == case.stored and case.shown(app) == case.stored


async def test_the_entry_names_what_it_edits(make_app, case: Case):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await case.go(pilot)
        await pilot.press(case.key)
        editor = app.screen.editor
        assert editor.is_open and str(editor.border_title) == f"{case.label} · {case.row}"


async def test_an_empty_entry_is_refused_or_clears_never_zero(make_app, db_path, case: Case):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case.go(pilot)
        before = case.read(db_path)
        await burst(pilot, case.key, "ctrl+u", "enter")
        if case.required:
            assert app.screen.editor.is_open  # kept open, nothing saved
            assert case.read(db_path) == before
        else:
            assert case.read(db_path) is None  # "not entered", not 0


@pytest.mark.parametrize("choice", ["m", "t"])
async def test_a_conflict_asks_keep_mine_or_take_theirs_naming_row_field_and_values(make_app, db_path, case: Case,
                                                                                      choice: str):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await case.go(pilot)
        other = Workspace(db_path, who="paul")
        case.other(other)  # Paul commits after the screen read the row
        await burst(pilot, case.key, "ctrl+u", *case.typed, "enter")
        assert type(app.screen).__name__ == "ConflictDialog"
        said = dialog_text(app)
        assert case.row in said and case.label in said  # the whole sentence, at 80×24
        assert case.shown(app) == case.theirs  # theirs on screen while the rep decides
        assert case.read(db_path) == case.theirs  # nothing overwritten
        await pilot.press(choice)
        await ready(pilot)
        expected = case.stored if choice == "m" else case.theirs
        assert case.read(db_path) == expected and case.shown(app) == expected
        other.close()


async def test_a_reload_that_lands_while_the_entry_is_open_leaves_the_row_named_as_the_rep_saw_it(
        make_app, db_path, case: Case):
    """The flaky `[t-prospect-company]` of the conflict test, made certain: a
    reload for Paul's commit, started before the edit key, ends while the entry
    is open. The dialog names the row the rep was editing, not Paul's new name
    for it."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await case.go(pilot)
        await pilot.press(case.key)
        assert app.screen.editor.is_open
        other = Workspace(db_path, who="paul")
        case.other(other)
        app.screen.data_changed("external")  # the screen's own reload, as one in flight when the entry opened
        await ready(pilot)
        assert app.screen.editor.is_open
        await burst(pilot, "ctrl+u", *case.typed, "enter")
        assert type(app.screen).__name__ == "ConflictDialog"
        said = dialog_text(app)
        assert case.row in said and case.label in said
        await pilot.press("t")
        await ready(pilot)
        assert case.read(db_path) == case.theirs
        other.close()


async def test_a_failed_commit_puts_the_old_value_back_and_says_why(make_app, db_path, case: Case):
    """Bug 6: after a failed write the table kept the unsaved value and said "saving…" for ever."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case.go(pilot)
        before = case.read(db_path)
        app.workspace.db.execute("PRAGMA query_only = ON")  # SQLite refuses every write: a read-only workspace
        await burst(pilot, case.key, "ctrl+u", *case.typed, "enter")
        assert case.shown(app) == before and case.read(db_path) == before
        status = str(app.screen.query_one("StatusLine").render())
        assert "Non enregistré" in status and "lecture seule" in status and case.row in status


async def test_undo_and_redo_take_the_edit_back_and_forth(make_app, db_path, case: Case):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case.go(pilot)
        before = case.read(db_path)
        await burst(pilot, case.key, "ctrl+u", *case.typed, "enter")
        assert case.read(db_path) == case.stored
        await pilot.press("u")
        await ready(pilot)
        assert case.read(db_path) == before and case.shown(app) == before
        assert case.row in str(app.screen.query_one("StatusLine").render())  # said with the row's name
        await pilot.press("ctrl+y")
        await ready(pilot)
        assert case.read(db_path) == case.stored and case.shown(app) == case.stored


async def test_a_draft_comes_back_named_and_meets_the_version_check(make_app, db_path, case: Case):
    """Bug 3: a draft restored after an SSH drop did not name its row and overwrote another rep's value."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await case.go(pilot)
        await burst(pilot, case.key, "ctrl+u", *case.typed)
        draft = app.screen.draft()  # what SIGHUP saves
    assert draft is not None and draft["screen"] == case.mode and "version" in draft
    other = Workspace(db_path, who="paul")
    case.other(other)  # meanwhile, Paul commits
    other.close()
    app = make_app()
    app.pending_draft = lambda screen: draft if screen == case.mode else None
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        if case.mode != "portfolio":  # the draft opens when its screen is first shown
            await pilot.press({"prospects": "2", "activity": "3"}[case.mode])
            await ready(pilot)
        editor = app.screen.editor
        assert editor.is_open and editor.value == case.typed
        row = case.theirs if case.renames else case.row
        assert row in str(editor.border_title)  # names the row it writes to
        assert row in str(app.screen.query_one("StatusLine").render())
        await pilot.press("enter")
        await ready(pilot)
        assert type(app.screen).__name__ == "ConflictDialog"  # not overwritten without asking
        assert case.read(db_path) == case.theirs
