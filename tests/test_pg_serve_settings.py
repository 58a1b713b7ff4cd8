"""On PostgreSQL (issue 13 §7, §8): only managers change the settings that
change figures (the database refuses a rep's, in a sentence); ``cockpit
serve`` gives each browser session a cockpit connected as the rep's own role;
the app's import writes through the same core function; ``cockpit abc``
needs no workspace whatever COCKPIT_DB says."""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import subprocess
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from conftest import answer, ready
from cockpit.cli import main
from cockpit.store.loading import SAMPLE_DIR
from test_pg_screens import pg_app

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def team(pg_team):
    return pg_team


def figures(pg_url) -> dict:
    with psycopg.connect(pg_url) as db:
        row = db.execute("SELECT value FROM settings WHERE key = 'figures'").fetchone()
    return json.loads(row[0]) if row else {}


def test_only_a_manager_changes_the_settings_that_change_figures(team):
    from cockpit.i18n import set_lang
    from cockpit.store import shared_settings
    from cockpit.store.pg.workspace import PgWorkspace

    set_lang("fr")
    before = figures(team)
    rep = PgWorkspace(make_conninfo(team, user="claire"))
    try:
        with pytest.raises(shared_settings.SettingsRefused) as refused:
            shared_settings.save(rep, "abc", {"a_limit": 0.7})
    finally:
        rep.close()
    assert str(refused.value).startswith("Réglage [abc] non enregistré") and "seul un responsable" in str(refused.value)
    assert figures(team) == before  # checked as the server's superuser: nothing written
    manager = PgWorkspace(make_conninfo(team, user="nathalie"))
    try:
        shared_settings.save(manager, "abc", {"a_limit": 0.7})
    finally:
        manager.close()
    assert figures(team)["abc"]["a_limit"] == 0.7
    # Every rep's figures follow it: the workspace's setting wins over their own config.
    from cockpit.config import DEFAULTS

    rep = PgWorkspace(make_conninfo(team, user="claire"))
    try:
        assert shared_settings.apply(DEFAULTS, rep).abc.a_limit == 0.7
    finally:
        rep.close()


def test_a_refused_setting_is_said_in_the_app_in_words():
    from cockpit.store.shared_settings import SettingsRefused
    from screens.kit.committer import failure_words

    assert failure_words(SettingsRefused("Réglage [abc] non enregistré : …")) == "Réglage [abc] non enregistré : …"


@pytest.fixture
def runs(monkeypatch) -> list[dict]:
    """Calls that would have bound a port (textual-serve is not started); COCKPIT_DB as the serving process left it."""
    import screens.serve

    calls: list[dict] = []
    monkeypatch.setattr(screens.serve, "run", lambda command, **kw: calls.append(
        {"command": command, "env": os.environ.get("COCKPIT_DB"), **kw}))
    monkeypatch.setenv("COCKPIT_CONFIG", "/nonexistent/config.toml")
    monkeypatch.setenv("COCKPIT_DB", "")  # serve() sets it in this process: undone after the test
    return calls


def test_serve_on_postgresql_gives_each_session_the_reps_own_role(team, runs, capsys):
    from screens import launch

    target = make_conninfo(team, user="nathalie", password="secret-in-the-target")
    assert launch.main(["--db", target, "--lang", "en", "serve", "--rep", "claire"]) == 0
    (call,) = runs
    argv = shlex.split(call["command"])
    assert argv[1:3] == ["-m", "screens"] and "--db" not in argv and "--rep" not in argv
    assert "secret" not in call["command"]  # the target travels in the environment, not on a command line ps shows
    assert conninfo_to_dict(call["env"])["user"] == "claire"
    assert "Cockpit served for claire: open http://127.0.0.1:8000/?token=" in capsys.readouterr().err
    # What each tab's cockpit then reads: Claire's portfolio, by the database's rules.
    with psycopg.connect(team) as db:
        hers = db.execute("SELECT count(*) FROM amounts a JOIN clients c ON c.id = a.client_id "
                          "WHERE c.owner = 'claire' AND a.period = (SELECT max(period) FROM amounts)").fetchone()[0]
    env = {**os.environ, "COCKPIT_DB": call["env"], "COCKPIT_CONFIG": "/nonexistent/config.toml", "LANG": "C.UTF-8"}
    done = subprocess.run([*argv, "report"], capture_output=True, text=True, cwd=ROOT, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"{hers} clients" in done.stdout


def test_serve_on_postgresql_refuses_a_rep_the_server_does_not_know(team, runs, capsys):
    from screens import launch

    assert launch.main(["--db", team, "--lang", "en", "serve", "--rep", "nobody"]) == 2
    assert runs == []
    err = capsys.readouterr().err
    assert 'role "nobody" does not exist' in err and "token" not in err


def test_abc_needs_no_workspace_even_with_cockpit_db(team, monkeypatch, capsys):
    monkeypatch.setenv("COCKPIT_DB", make_conninfo(team, user="claire"))
    assert main(["abc", str(SAMPLE_DIR / "seed-portfolio.csv"), "--format", "csv"]) == 0
    assert capsys.readouterr().out.count("\n") == 46  # the header and the 45 clients


async def test_the_apps_import_on_postgresql_writes_the_reps_clients(pg_url, db_path, tmp_path):
    from screens.kit.importing import ImportBar

    path = tmp_path / "clients.csv"
    path.write_text("code,name,potential\nC001,LORFLEX via l'app,\nC990,Nouveau par l'app,400\n", encoding="utf-8")
    app, ws = pg_app(pg_url, db_path, tmp_path, "claire")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("i")
            await answer(pilot, path, settle=False)
            bar = app.screen.query_one(ImportBar)
            for _ in range(500):  # the import runs in the committer's worker
                await asyncio.sleep(0.02)
                if not bar.running and app.committer.idle:
                    break
            await ready(pilot)
            assert app.screen.id == "portfolio"  # no error dialog
    finally:
        ws.close()
    with psycopg.connect(pg_url) as db:
        assert db.execute("SELECT name, owner FROM clients WHERE code = 'C001'").fetchone() == ("LORFLEX via l'app", "claire")
        assert db.execute("SELECT owner, potential FROM clients WHERE code = 'C990'").fetchone() == ("claire", 40000)




def test_cockpit_settings_on_postgresql_a_reps_save_refused_a_managers_for_everyone(team, tmp_path, capsys):
    """`cockpit settings --save` through the same row-level security: a rep's is one sentence, exit 2,
    nothing written; a manager's is every rep's figures; a rep's own config.toml has no effect there."""
    from cockpit.i18n import set_lang

    set_lang("fr")
    mine = tmp_path / "equipe.toml"
    mine.write_text("[abc]\na_limit = 0.65\n[rhythm]\na_days = 21\n", encoding="utf-8")
    before = figures(team)
    rep, manager = make_conninfo(team, user="claire"), make_conninfo(team, user="nathalie")
    assert main(["--db", rep, "--config", str(mine), "settings", "--save"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "seul un responsable" in err and "Traceback" not in err
    assert figures(team) == before
    assert main(["--db", manager, "--config", str(mine), "settings", "--save"]) == 0
    assert figures(team)["abc"]["a_limit"] == 0.65 and figures(team)["rhythm"]["a_days"] == 21
    capsys.readouterr()
    assert main(["--db", rep, "settings"]) == 0  # claire, with no config of her own: the workspace's
    shown = capsys.readouterr()
    assert "abc.a_limit = 0.65  # l'espace de travail" in shown.out and "rhythm.a_days = 21" in shown.out
    other = tmp_path / "claire.toml"
    other.write_text("[abc]\na_limit = 0.5\n", encoding="utf-8")
    assert main(["--db", rep, "--config", str(other), "settings"]) == 0
    shown = capsys.readouterr()
    assert "abc.a_limit = 0.65" in shown.out and "claire.toml : sans effet ici sur abc.a_limit" in shown.err
