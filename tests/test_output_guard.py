"""Text from data never reaches the terminal as control, whatever widget
shows it: the one sanitiser runs on every cell as Textual turns a strip into
terminal bytes (screens/kit/text.py guard_output), and the CLI's error
sentences pass it too. The workspace is written with sqlite3 directly, as
anyone with the group-writable file could, so nothing was cleaned on the way in."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tests.conftest import ready

OSC52 = "\x1b]52;c;ZXZpbA==\x07"  # writes the terminal's clipboard
TITLE = "\x1b]0;pwned\x07"  # sets the window title
CONTROL = ("\x1b]", "\x07", "\x1b[2J", "\u202e", "\u2066")


def screen_bytes(app) -> str:
    """What Textual writes to the terminal for the whole screen shown."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


def test_a_strip_with_control_renders_without_it_and_a_clean_one_as_before():
    from screens.kit.text import guard_output

    guard_output()
    bold = Style(bold=True)
    hostile = Strip([Segment("C001 · LOR" + OSC52 + "FLEX" + TITLE + "\u202e", bold), Segment(" 12\u202f531 €")])
    out = hostile.render(console=type("C", (), {"_color_system": None})())
    assert not any(c in out for c in CONTROL) and "C001 · LORFLEX" in out and "12\u202f531 €" in out
    assert out.startswith("\x1b[1m")  # the style is kept
    clean = [Segment("MEQUISA", bold), Segment(" 174\u202f117 €")]
    assert Strip(clean).render(console=type("C", (), {"_color_system": None})()) == "\x1b[1mMEQUISA\x1b[0m 174\u202f117 €"


@pytest.mark.asyncio
async def test_a_hostile_client_never_reaches_the_terminal_on_its_card(make_app, db_path):
    """The card's title, its product families and its field editor's text took
    the workspace's values as they were (the OSC 52 wrote the clipboard)."""
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE clients SET name = ?, city = ?, contact = ? WHERE code = 'C001'",
                   ("LOR" + OSC52 + "FLEX", "Saint" + TITLE + "-Dié", "Marie\x1b[31m\u202eVautrin"))
        db.execute("UPDATE sales SET product = ? WHERE product = 'Climatisation'", ("Clim" + TITLE + "atisation",))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("enter")  # the first client's card: LORFLEX, team's view
        await ready(pilot)
        out = screen_bytes(app)
        assert "C001 · LORFLEX · Saint-Dié" in out and "Climatisation" in out
        assert not any(c in out for c in CONTROL), [c for c in CONTROL if c in out]
        for _ in range(3):
            await pilot.press("down")
        await pilot.press("e")  # the field editor, filled with the contact as stored
        await ready(pilot)
        out = screen_bytes(app)
        assert "MarieVautrin" in out and not any(c in out for c in CONTROL)


def test_an_import_error_quoting_the_workspace_says_it_without_control(db_path, tmp_path):
    """The list of the workspace's periods in a --period refusal, and a file's name, went out as stored."""
    with sqlite3.connect(db_path) as db:
        db.execute("INSERT INTO amounts(client_id, period, revenue) VALUES (1, ?, 100)", ("2026" + TITLE,))
    out = subprocess.run([sys.executable, "-m", "cockpit.cli", "--db", str(db_path), "export", "clients",
                          str(tmp_path / "out.csv"), "--period", "1999"], capture_output=True, text=True)
    assert out.returncode == 2 and "1999" in out.stderr and "2026" in out.stderr
    assert not any(c in out.stderr for c in CONTROL), out.stderr
    bad = tmp_path / ("bad" + TITLE + ".csv")
    bad.write_text("code,name,potential\nC960,Premier,abc\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "cockpit.cli", "--db", str(db_path), "import", "clients", str(bad)],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "« abc »" in out.stderr and not any(c in out.stderr for c in CONTROL), out.stderr
