"""``cockpit serve``'s command line, without a browser: help, the no-authentication guard, what it would run."""

from __future__ import annotations

import os
import shlex
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from screens import launch as cli  # the command as installed: the core's command line with the interface
from cockpit.i18n import catalogue
from cockpit.serve import is_loopback, public_url

ROOT = Path(__file__).resolve().parent.parent


def cockpit(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "COCKPIT_CONFIG": "/nonexistent/config.toml", "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "screens", *args], capture_output=True, text=True, cwd=ROOT,
                          env=env, stdin=subprocess.DEVNULL, timeout=60)


@pytest.fixture
def runs(monkeypatch) -> list[dict]:
    """Calls that would have bound a port (textual-serve is not started)."""
    import screens.serve

    calls: list[dict] = []
    monkeypatch.setattr(screens.serve, "run", lambda command, **kw: calls.append({"command": command, **kw}))
    monkeypatch.setenv("COCKPIT_CONFIG", "/nonexistent/config.toml")
    return calls


def test_help_names_the_options_and_the_missing_authentication():
    out = cockpit("serve", "--help")
    assert out.returncode == 0, out.stderr
    for option in ("--host", "--port", "--accept-no-auth", "--public-url"):
        assert option in out.stdout
    assert "NO authentication" in out.stdout and "127.0.0.1" in out.stdout


def test_a_public_address_without_confirmation_exits_2_with_the_warning_and_binds_nothing():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = cockpit("serve", "--host", "0.0.0.0", "--port", str(port))
    assert out.returncode == 2
    assert "AUCUNE authentification" in out.stderr and "--accept-no-auth" in out.stderr
    assert "Serving" not in out.stdout + out.stderr  # textual-serve never started
    with socket.socket() as s:  # and the port is still free
        s.bind(("127.0.0.1", port))


def test_the_guard_in_english():
    out = cockpit("--lang", "en", "serve", "--host", "192.168.1.20")
    assert out.returncode == 2
    assert "WARNING: 'cockpit serve' has NO authentication" in out.stderr
    assert "nothing was opened" in out.stderr


def test_refused_in_process_never_reaches_textual_serve(runs, capsys):
    assert cli.main(["--lang", "fr", "serve", "--host", "cockpit.example.org"]) == 2
    assert runs == []
    assert "AUCUNE authentification" in capsys.readouterr().err


def test_confirmed_public_address_warns_first_then_serves(runs, capsys):
    assert cli.main(["--lang", "fr", "serve", "--host", "0.0.0.0", "--port", "8123", "--accept-no-auth",
                     "--public-url", "https://cockpit.example.org"]) == 0
    assert "AUCUNE authentification" in capsys.readouterr().err
    assert len(runs) == 1
    assert (runs[0]["host"], runs[0]["port"], runs[0]["public_url"]) == ("0.0.0.0", 8123, "https://cockpit.example.org")


def test_loopback_by_default_serves_this_same_cockpit(runs, capsys, tmp_path):
    db = tmp_path / "w.sqlite"
    assert cli.main(["--db", str(db), "--lang", "en", "serve"]) == 0
    err = capsys.readouterr().err
    assert "NO authentication" not in err and "http://127.0.0.1:8000" in err
    (call,) = runs
    assert (call["host"], call["port"], call["public_url"]) == ("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert call["title"] == catalogue("en")["app.title"]  # the page's title, in the chosen language
    assert shlex.split(call["command"]) == [sys.executable, "-m", "screens", "--db", str(db.resolve()),
                                            "--lang", "en"]


def test_bad_port_is_a_usage_error():
    out = cockpit("serve", "--port", "70000")
    assert out.returncode == 2 and "--port" in out.stderr


def test_a_taken_port_is_one_line_and_exit_2():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        out = cockpit("serve", "--port", str(s.getsockname()[1]))
    assert out.returncode == 2
    assert "impossible d'écouter" in out.stderr and "Traceback" not in out.stdout + out.stderr


@pytest.mark.parametrize("host, loopback", [
    ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True), ("[::1]", True), ("localhost", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("10.0.0.1", False), ("cockpit.example.org", False),
    ("", False),
])
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_public_url_brackets_ipv6():
    assert public_url("::1", 8000) == "http://[::1]:8000"
    assert public_url("127.0.0.1", 8080) == "http://127.0.0.1:8080"
