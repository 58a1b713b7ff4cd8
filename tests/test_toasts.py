"""Issue 18, item 5: toasts piled over dialogs (five stage toasts hid the
client-creation form) and the start-up overdue toast covered the chart's
axis. One place (screens/kit/notes.py) decides how the cockpit speaks."""

from __future__ import annotations

from conftest import ready


def status(app) -> str:
    return str(app.screen.query_one("StatusLine").render()).replace("\u202f", " ")


async def test_the_overdue_follow_ups_are_said_on_the_status_line_not_in_a_toast(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        assert "relances en retard" in status(app) and "touche 4" in status(app)
        assert not any("retard" in n.message for n in app._notifications)  # nothing over the chart
        await pilot.press("4")
        await ready(pilot)
        assert "touche 4" not in status(app)  # Today, which lists them, is not told to press 4


async def test_a_dialog_is_never_covered_and_routine_toasts_replace_each_other(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for i in range(5):
            app.say(f"étape {i}")
        await pilot.pause()
        assert [n.message for n in app._notifications] == ["étape 4"]  # one at a time, the latest
        await pilot.press("l")  # the limits dialog
        await pilot.pause()
        assert type(app.screen).__name__ == "LimitsDialog"
        for i in range(5):
            app.say(f"prospect {i} passe à l'étape suivante")
        await pilot.pause()
        assert not any("prospect" in n.message for n in app._notifications)  # nothing over the dialog
        under = app.screen_stack[-2]
        assert "prospect 4 passe" in str(under.query_one("StatusLine").render())
        app.say("disque plein", "error")
        await pilot.pause()
        assert not any(n.message == "disque plein" for n in app._notifications)
        assert "disque plein" in str(under.query_one("StatusLine").render())


async def test_a_screen_that_lists_reminders_keeps_its_status_line(make_app, tmp_path):
    """Prospects' status line is its pipeline's, and it has its own reminders panel: opened on it (or
    reached before the start-up count came back), the start-up word is not said over it (at 80 columns
    it pushed « pipeline pondéré » out of sight)."""
    (tmp_path / "config.toml").write_text('[ui]\nstart_screen = "prospects"\n', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        assert type(app.screen).__name__ == "ProspectsScreen"
        assert "relances en retard" not in status(app) and "pipeline pondéré" in status(app)
