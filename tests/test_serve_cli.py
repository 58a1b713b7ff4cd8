"""``cockpit serve``'s command line, without a browser: help, the clear-text guard, the rep, what it would run.
(The server's door itself, token, cookie, Host and Origin: test_serve_auth.py.)"""

from __future__ import annotations

import getpass
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


def test_help_names_the_options_and_the_token():
    out = cockpit("serve", "--help")
    assert out.returncode == 0, out.stderr
    for option in ("--host", "--port", "--accept-cleartext", "--public-url", "--allow-host", "--rep"):
        assert option in out.stdout
    assert "jeton secret" in out.stdout and "127.0.0.1" in out.stdout  # French by default (the help was English)


def test_a_public_address_without_confirmation_exits_2_with_the_warning_and_binds_nothing():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = cockpit("serve", "--host", "0.0.0.0", "--port", str(port))
    assert out.returncode == 2
    assert "en clair" in out.stderr and "--accept-cleartext" in out.stderr
    assert "Serving" not in out.stdout + out.stderr  # textual-serve never started
    assert "token=" not in out.stderr  # no secret printed for a server that does not run
    with socket.socket() as s:  # and the port is still free
        s.bind(("127.0.0.1", port))


def test_the_guard_in_english():
    out = cockpit("--lang", "en", "serve", "--host", "192.168.1.20")
    assert out.returncode == 2
    assert "WARNING: on 192.168.1.20:8000, 'cockpit serve' answers other machines in plain HTTP" in out.stderr
    assert "nothing was opened" in out.stderr


def test_refused_in_process_never_reaches_textual_serve(runs, capsys):
    assert cli.main(["--lang", "fr", "serve", "--host", "cockpit.example.org"]) == 2
    assert runs == []
    assert "en clair" in capsys.readouterr().err


def test_confirmed_public_address_warns_first_then_serves(runs, capsys, db_path):
    assert cli.main(["--lang", "fr", "--db", str(db_path), "serve", "--host", "0.0.0.0", "--port", "8123",
                     "--accept-cleartext", "--public-url", "https://cockpit.example.org"]) == 0
    err = capsys.readouterr().err
    assert err.index("en clair") < err.index("https://cockpit.example.org/?token=")  # the warning first
    assert len(runs) == 1
    assert (runs[0]["host"], runs[0]["port"], runs[0]["public_url"]) == ("0.0.0.0", 8123, "https://cockpit.example.org")
    guard = runs[0]["guard"]
    assert guard.secure and f"https://cockpit.example.org/?token={guard.token}" in err


def test_loopback_by_default_serves_this_same_cockpit(runs, capsys, db_path):
    db = db_path
    assert cli.main(["--db", str(db), "--lang", "en", "serve"]) == 0
    err = capsys.readouterr().err
    (call,) = runs
    assert "plain HTTP" not in err and f"http://127.0.0.1:8000/?token={call['guard'].token}" in err
    assert f"served for {getpass.getuser()}" in err  # no --rep: the login, as in a terminal
    assert (call["host"], call["port"], call["public_url"]) == ("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert call["title"] == catalogue("en")["app.title"]  # the page's title, in the chosen language
    assert shlex.split(call["command"]) == [sys.executable, "-m", "screens", "--db", str(db.resolve()),
                                            "--lang", "en"]


def test_each_start_has_its_own_token(runs, db_path):
    for _ in range(2):
        assert cli.main(["--db", str(db_path), "serve"]) == 0
    first, second = (call["guard"] for call in runs)
    assert first.token != second.token and first.session != second.session and first.token != first.session


def test_the_rep_served_is_passed_to_every_session(runs, capsys, db_path):
    assert cli.main(["--db", str(db_path), "--lang", "en", "serve", "--rep", "julien"]) == 0
    (call,) = runs
    assert shlex.split(call["command"])[-2:] == ["--rep", "julien"]
    assert "Cockpit served for julien: open http://127.0.0.1:8000/?token=" in capsys.readouterr().err


@pytest.mark.parametrize("login, why", [("nobody", "is not in the team"), ("root", "is not in the team")])
def test_a_rep_not_in_the_team_is_one_sentence_exit_2_and_no_server(runs, capsys, db_path, login, why):
    assert cli.main(["--db", str(db_path), "--lang", "en", "serve", "--rep", login]) == 2
    assert runs == []
    err = capsys.readouterr().err
    assert err.strip() == f"--rep {login}: {login} {why} (cockpit rep list)" and "token" not in err


def test_an_inactive_rep_is_refused(runs, capsys, db_path):
    from cockpit.store.reps import deactivate
    from cockpit.store.workspace import Workspace

    ws = Workspace(db_path, who="nathalie")
    deactivate(ws, "thomas")
    ws.close()
    assert cli.main(["--db", str(db_path), "--lang", "fr", "serve", "--rep", "thomas"]) == 2
    assert runs == []
    assert "--rep thomas : thomas est inactif (cockpit rep list)" in capsys.readouterr().err


@pytest.mark.parametrize("value", ["evil example", "http://x.org", "x.org:99999", "x.org/path", "[zz]:80", "user@x.org"])
def test_a_bad_allow_host_is_a_usage_error(value):
    out = cockpit("serve", "--allow-host", value)
    assert out.returncode == 2 and "--allow-host" in out.stderr and "Traceback" not in out.stderr


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


def test_the_hosts_a_server_answers_to():
    """Which Host headers pass: the bind address and, when it is loopback or a wildcard, its loopback aliases."""
    from cockpit.serve_guard import allowed_hosts

    assert allowed_hosts("127.0.0.1", 8000, "http://127.0.0.1:8000", []) == {
        "127.0.0.1:8000", "localhost:8000", "[::1]:8000"}
    assert allowed_hosts("::1", 80, "http://[::1]:80", []) == {
        "[::1]:80", "[::1]", "localhost:80", "localhost", "127.0.0.1:80", "127.0.0.1"}
    # A wildcard bind answers nothing but loopback until the names browsers use are given.
    assert allowed_hosts("0.0.0.0", 8000, "https://cockpit.example.org", ["192.168.1.20", "Cockpit.LAN:9000"]) == {
        "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "cockpit.example.org", "cockpit.example.org:443",
        "192.168.1.20:8000", "192.168.1.20", "cockpit.lan:9000"}
    assert allowed_hosts("192.168.1.20", 8000, "http://192.168.1.20:8000", []) == {"192.168.1.20:8000"}


def test_origins_that_may_open_the_websocket():
    from cockpit.serve_guard import Guard

    guard = Guard.new("127.0.0.1", 8000, "http://127.0.0.1:8000", [])
    ok = ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "HTTP://LOCALHOST:8000"]
    refused = [None, "", "null", "http://127.0.0.1", "http://127.0.0.1:8001", "http://evil.example:8000",
               "file://", "ws://127.0.0.1:8000/x", "http://127.0.0.1:8000.evil.example", "http://127.0.0.1:8000/path"]
    assert [guard.origin_ok(o) for o in ok] == [True] * len(ok)
    assert [guard.origin_ok(o) for o in refused] == [False] * len(refused)


def test_rep_is_an_option_of_every_command(db_path):
    """The served app gets ``--rep``; in a terminal too, and a stranger stops any command before it opens."""
    out = cockpit("--db", str(db_path), "--rep", "nobody", "report")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.strip() == "--rep nobody : nobody ne fait pas partie de l'équipe (cockpit rep list)"
    out = cockpit("report", "--db", str(db_path), "--rep", "julien")
    assert out.returncode == 0, out.stderr


def test_what_each_request_gets():
    """The guard's decision, request by request: Host first, then Origin on a WebSocket (whatever its path),
    then the token on the index, else the cookie."""
    from cockpit.serve_guard import Decision, Guard

    g = Guard.new("127.0.0.1", 8000, "http://127.0.0.1:8000", [])
    here, site = "127.0.0.1:8000", "http://127.0.0.1:8000"

    def decide(path="/", host=here, origin=None, token=None, cookie=None, upgrade=None):
        return g.decide(path=path, host=host, origin=origin, token=token, cookie=cookie, upgrade=upgrade)

    assert decide(token=g.token) is Decision.LOGIN
    assert decide(token=g.token, host="evil.example:8000") is Decision.BAD_HOST
    assert decide(token=g.session) is Decision.NO_SESSION
    assert decide("/static/x.js", token=g.token) is Decision.NO_SESSION  # the token opens the index only
    assert decide(cookie=g.session) is Decision.PASS
    assert decide(cookie=g.token) is Decision.NO_SESSION
    assert decide("/ws", cookie=g.session) is Decision.BAD_ORIGIN  # no Origin on a WebSocket
    assert decide("/ws", cookie=g.session, origin=site) is Decision.PASS
    assert decide("/other", cookie=g.session, upgrade="WebSocket") is Decision.BAD_ORIGIN
    assert decide("/", cookie=g.session, origin="http://evil.example") is Decision.BAD_ORIGIN
    assert decide("/ws", origin=site) is Decision.NO_SESSION
    assert g.set_cookie() == f"cockpit-session-8000={g.session}; Path=/; HttpOnly; SameSite=Strict"


def test_the_core_alone_has_nothing_to_serve(db_path):
    """``python -m cockpit.cli serve`` (no interface handed over): one sentence, exit 2, no token printed."""
    env = {**os.environ, "COCKPIT_CONFIG": "/nonexistent/config.toml"}
    out = subprocess.run([sys.executable, "-m", "cockpit.cli", "--db", str(db_path), "serve"],
                         capture_output=True, text=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, timeout=60)
    assert out.returncode == 2 and out.stderr.strip() == catalogue("fr")["cli.no_interface"]
