"""The Activity screen driven with real keys through Textual's Pilot."""

from __future__ import annotations

import datetime as dt
import sqlite3

from conftest import ready
from kit_cases import burst

from screens.activity.screen import ActivityScreen


def text(s: str) -> str:
    return s.replace("\u202f", " ").replace("\xa0", " ")


def shown(widget) -> str:
    return text(str(widget.render()))


def rows(table) -> list[str]:
    return [text(" ".join(c.plain for c in table.source.row(i))) for i in range(table.source.row_count())]


def stored(db_path, indicator: str = "orientation", rep: str = "Claire Martin", month: str = "2026-11"):
    return sqlite3.connect(db_path).execute(
        "SELECT value FROM activity WHERE rep = ? AND period = ? AND indicator = ?", (rep, month, indicator)).fetchone()[0]


async def open_activity(pilot) -> ActivityScreen:
    await ready(pilot)
    await pilot.press("3")
    await ready(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ActivityScreen)
    return screen


async def select_rep(pilot, screen: ActivityScreen, rep: str) -> None:
    team = screen.table("team")
    target = team.source.index_of(rep)
    await pilot.press(*(["down"] * (target - team.cursor_row) if target >= team.cursor_row else ["up"] * (team.cursor_row - target)))
    await pilot.pause()
    assert screen.rep == rep


def detail_row(screen: ActivityScreen, name: str) -> str:
    source = screen.table("detail").source
    return rows(screen.table("detail"))[source.names.index(name)]


async def test_what_if_shows_294_escape_keeps_210_commit_survives_a_restart_and_undo(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_activity(pilot)
        await select_rep(pilot, screen, "Claire Martin")
        assert screen.period == "2026-11"
        assert "Claire Martin 7 6 5 210 Orientation" in rows(screen.table("team"))[1]
        await pilot.press("w", "down", "down", "e", "7", "enter")
        await pilot.pause()
        assert detail_row(screen, "orientation") == "Orientation 5 7 +2 +40 %"
        assert detail_row(screen, "score") == "Score 210 294 +84 +40 %"
        assert "SCÉNARIO +40 %" in shown(screen.query_one("#act-status"))
        assert stored(db_path) == 5 and "210" in rows(screen.table("team"))[1]  # nothing recorded yet
        await pilot.press("escape")
        await ready(pilot)
        assert screen.scenario is None and stored(db_path) == 5
        assert detail_row(screen, "score").startswith("Score 210")

        await pilot.press("w", "e", "7", "enter", "enter")  # the cursor is still on orientation
        await ready(pilot)
        assert stored(db_path) == 7
        assert "enregistré" in shown(screen.query_one("#act-status"))
    app = make_app()  # restart on the same workspace
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_activity(pilot)
        await select_rep(pilot, screen, "Claire Martin")
        assert detail_row(screen, "score").startswith("Score 294")
        assert "Claire Martin 7 6 7 294" in " ".join(rows(screen.table("team")))
        await pilot.press("u")
        await ready(pilot)
        assert stored(db_path) == 5 and detail_row(screen, "score").startswith("Score 210")


async def test_an_edit_in_place_re_ranks_the_team_at_once(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_activity(pilot)
        await select_rep(pilot, screen, "Claire Martin")
        # In one burst, as over SSH: the arrows after Enter are for the detail table it focuses.
        await burst(pilot, "enter", "down", "down", "e", *"9", "enter")  # 7 × 6 × 9 = 378 > 326,8
        assert rows(screen.table("team"))[0].startswith("1 Claire Martin 7 6 9 378")
        assert screen.table("team").cursor_row == 0  # the selection follows the rep
        await ready(pilot)
        assert stored(db_path) == 9
        assert "Agir d'abord sur l'efficacité" in shown(screen.query_one("#act-levers"))


async def test_bad_values_keep_the_editor_open_and_quarters_are_read_only(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_activity(pilot)
        await pilot.press("enter", "e", *"12,5", "enter")
        await pilot.pause()
        assert screen.query_one("#act-editor").has_class("-open")
        await pilot.press("escape", "escape", "y")
        await pilot.pause()
        assert screen.period == "2026-Q4" and "T4 2026 (moyenne de 2 mois)" in shown(screen.query_one("#act-status"))
        await pilot.press("e")
        await pilot.pause()
        assert not screen.query_one("#act-editor").has_class("-open")
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen.period == "2026-Q3"
        await pilot.press("y")
        await pilot.pause()
        assert screen.period == "2026" and "Année 2026 (moyenne de 6 mois)" in shown(screen.query_one("#act-status"))
        await pilot.press("y")
        await pilot.pause()
        assert screen.period == "2026-11"  # back to the year's latest recorded month


async def test_accepting_a_proposal_records_it(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_activity(pilot)
        await select_rep(pilot, screen, "Claire Martin")
        await pilot.press("enter")
        await pilot.pause()
        levers = shown(screen.query_one("#act-levers"))
        assert "Proposé pour l'activité : 7,2, d'après le journal : 36 contacts (12 visites, 24 appels)" in " ".join(levers.split())
        await pilot.press("s")
        await ready(pilot)
        assert stored(db_path, "activite") == 7.2
        assert detail_row(screen, "activite").startswith("Activité 7,2 7,7 7,2")


async def test_visits_are_entered_and_removed_in_the_screen(make_app, db_path):
    count = lambda: sqlite3.connect(db_path).execute("SELECT count(*) FROM visits").fetchone()[0]  # noqa: E731
    sample = count()  # the sample's contact log
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_activity(pilot)
        screen.today = lambda: dt.date(2026, 11, 27)
        await select_rep(pilot, screen, "Claire Martin")
        await pilot.press("v")
        await pilot.pause()
        visits = screen.table("visits")
        assert visits.source.row_count() == 36
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one("#visit-date").value == "27/11/2026"
        await pilot.press(*"MEQUISA", "enter")
        await ready(pilot)
        assert count() == sample + 1 and visits.source.row_count() == 37
        assert "C002 MEQUISA" in rows(visits)[-1] and "A" in rows(visits)[-1]
        await pilot.press("end", "delete")
        await ready(pilot)
        assert count() == sample
        await pilot.press("u")
        await ready(pilot)
        assert count() == sample + 1


async def test_hostile_names_show_literally(make_app, db_path):
    con = sqlite3.connect(db_path)
    for ind, value in (("activite", 9), ("efficacite", 9), ("orientation", 9)):
        con.execute("INSERT INTO activity(rep, period, indicator, value, target) VALUES (?,?,?,?,?)",
                    ("[@click=app.quit]z[/]", "2026-11", ind, value, 8))
    con.commit()
    con.close()
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_activity(pilot)
        assert rows(screen.table("team"))[0].startswith("1 [@click=app.quit]z[/] 9 9 9 729")
        assert "[@click=app.quit]z[/], 2026-11 : 9 × 9 × 9 = 729" in shown(screen.query_one("#act-levers"))
        assert app.is_running


def team_settings(db_path, sub_criteria: dict) -> None:
    """The sample is a team's workspace: its sub-criteria are the workspace's (METHOD §8), stored as
    `cockpit settings --save` stores a config.toml's."""
    from cockpit.store import shared_settings
    from cockpit.store.workspace import Workspace

    ws = Workspace(db_path)
    shared_settings.save(ws, "activity", {"sub_criteria": sub_criteria})
    ws.close()


async def test_sub_criteria_from_the_config_are_what_the_rep_edits(make_app, tmp_path, db_path):
    team_settings(db_path, {"orientation": {"cibles": 2, "strategie": 1}})
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_activity(pilot)
        await select_rep(pilot, screen, "Claire Martin")
        assert screen.table("detail").source.names == ["activite", "efficacite", "orientation", "orientation.cibles",
                                                       "orientation.strategie", "score"]
        await pilot.press("enter", "down", "down", "e")
        await pilot.pause()
        assert not screen.query_one("#act-editor").has_class("-open")  # computed: edit its sub-criteria
        await pilot.press("down", "e", "6", "enter", "down", "e", "3", "enter")
        await ready(pilot)
        assert detail_row(screen, "orientation").startswith("Orientation 5 ")  # (2 × 6 + 3) / 3
        assert stored(db_path, "orientation.cibles") == 6 and stored(db_path, "orientation.strategie") == 3


async def test_a_new_rep_is_recorded_by_a_first_value(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_activity(pilot)
        await burst(pilot, "n", *"Zoé Petit", "enter")  # in one burst: the name is for the dialog `n` opens
        await pilot.pause()
        assert screen.rep == "Zoé Petit" and "Zoé Petit — — — —" in " ".join(rows(screen.table("team")))
        await pilot.press("enter", "e", "8", "enter")
        await ready(pilot)
        assert stored(db_path, "activite", rep="Zoé Petit") == 8
        assert "Indicateurs incomplets" in shown(screen.query_one("#act-levers"))


async def test_what_if_over_sub_criteria(make_app, tmp_path, db_path):
    team_settings(db_path, {"orientation": {"cibles": 1, "strategie": 1}})
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_activity(pilot)
        await select_rep(pilot, screen, "Claire Martin")
        # No sub-criterion recorded yet: orientation is still its own recorded 5.
        await pilot.press("w", "down", "down", "down", "e", "9", "enter")
        await pilot.pause()
        assert detail_row(screen, "orientation") == "Orientation 5 9 +4 +80 %"
        assert detail_row(screen, "score") == "Score 210 378 +168 +80 %"
        await pilot.press("escape")
        await ready(pilot)
        assert sqlite3.connect(db_path).execute("SELECT count(*) FROM activity WHERE indicator LIKE 'orientation.%'").fetchone() == (0,)
