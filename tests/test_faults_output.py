"""Issue 17, point 3: text on its way out is sanitised, whatever wrote it into
the workspace. Hostile names are written with raw SQL (as anyone with write
access to a shared workspace could), then every screen, the report and
``abc --format table`` are rendered: no escape byte but the app's own."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from cockpit.safe_text import safe_text
from pty_run import ROOT, PtyApp

# OSC 0 (pane title), ED (clear screen), OSC 52 (clipboard), bidi override and
# isolate, zero-width space, a line break.
HOSTILE = "\x1b]0;PWNED\x07EV\x1b[2JIL\x1b]52;c;UFdORUQ=\x07\u202e\u2066\u200bX\nNL"
SHOWN = "EVILX NL"
LEAKS = [b"PWNED", b"UFdORUQ", b"EV\x1b", "\u202e".encode(), "\u2066".encode(), "\u200b".encode(), b"X\nNL"]


def test_safe_text_leaves_only_what_a_terminal_shows():
    assert safe_text(HOSTILE) == SHOWN
    assert safe_text("a\r\nb\tc\x00d\x7f\x85e\u2028f") == "a b cd e f"
    assert safe_text("1\u202f234,50\u00a0€ Société") == "1\u202f234,50\u00a0€ Société"  # French money stays
    assert safe_text("\ud800x") == "\ufffdx"  # a lone surrogate cannot even be printed


def _poison(db_path) -> None:
    db = sqlite3.connect(db_path)
    with db:
        db.execute("UPDATE clients SET name = ?, grp = ?, sector = ? WHERE code = 'C001'", (HOSTILE, HOSTILE, HOSTILE))
        db.execute("UPDATE sales SET product = ? WHERE product = 'Sanitaire'", (HOSTILE,))
        db.execute("UPDATE prospects SET company = ?, next_action = ?", (HOSTILE, HOSTILE))
        db.execute("UPDATE activity SET rep = ? WHERE rep = 'Julien Lefèvre'", (HOSTILE,))
    db.close()


def _assert_clean(out: bytes) -> None:
    assert SHOWN.encode() in out  # the hostile text was shown, as plain text
    for leak in LEAKS:
        assert leak not in out, leak


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "screens", *args], cwd=ROOT, capture_output=True, timeout=60)


def test_the_report_shows_hostile_names_as_plain_text(db_path, tmp_path):
    _poison(db_path)
    done = _cli("--db", str(db_path), "report")
    assert done.returncode == 0, done.stderr
    _assert_clean(done.stdout)
    assert b"\x1b" not in done.stdout  # a report to a pipe has no escape at all


def test_abc_table_shows_hostile_names_as_plain_text(tmp_path):
    path = tmp_path / "clients.csv"
    path.write_text(f'code,name,revenue\nC1,"{HOSTILE}",1000\nC2,Autre,10\n', encoding="utf-8")
    done = _cli("abc", str(path))
    assert done.returncode == 0, done.stderr
    _assert_clean(done.stdout)
    assert b"\x1b" not in done.stdout


@pytest.mark.slow
def test_every_screen_shows_hostile_names_as_plain_text(db_path, tmp_path):
    _poison(db_path)
    state = tmp_path / "state"
    app = PtyApp(["--db", str(db_path)], {"COCKPIT_STATE_DIR": str(state), "COCKPIT_CONFIG": str(state / "c.toml")})
    assert app.read_until(b"MEQUISA"), app.output[-300:]
    app.drain(0.5)
    portfolio = app.output
    app.send(b"s")  # the product matrix: hostile product, segment and group names as labels
    app.drain(1.2)
    products = app.output[len(portfolio):]
    app.send(b"\x1b[C")
    app.send(b"\r")  # the clients behind a cell, in a dialog
    app.drain(1.2)
    dialog = app.output[len(portfolio) + len(products):]
    app.send(b"\x1b")
    app.drain(0.5)
    seen = len(app.output)
    app.send(b"2")
    assert app.read_until("pondéré".encode())
    app.drain(0.8)
    prospects = app.output[seen:]
    app.send(b"3")
    assert app.read_until(b"Indicateur")
    app.drain(0.8)
    activity = app.output[seen + len(prospects):]
    app.send(b"\x11")
    app.wait(timeout=10)
    for screen in (portfolio, products, dialog, prospects, activity):
        _assert_clean(screen)
