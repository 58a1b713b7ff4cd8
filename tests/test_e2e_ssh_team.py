"""Issue 13, done-when: two reps and a manager over real SSH on PostgreSQL,
each seeing what they should and nothing else.

OpenSSH's sshd on 127.0.0.1, ``ssh -t`` inside tmux at 120×40; the cockpit
connects to a throwaway PostgreSQL cluster as each rep's database role (the
rep is the role: row-level security decides the rows). Claire sees her 28
clients in her view and in the team's (the server gives her role nothing
else), Julien his own; Nathalie, a manager, sees the 45 of the team and picks
Claire's portfolio from the list. An edit Claire makes reaches Nathalie's open
screen (LISTEN/NOTIFY). Skips like the other end-to-end tests where sshd, ssh
or tmux are missing, and like the PostgreSQL tests where its binaries are.
"""

from __future__ import annotations

import re
import sqlite3
import time

import pytest
from psycopg.conninfo import make_conninfo

from cockpit.cli import main
from e2e.common import cockpit_argv, find_program, require, wait_for
from e2e.ssh import Sshd, Tmux

pytestmark = pytest.mark.slow
WIDTH, HEIGHT = 120, 40


@pytest.fixture
def programs() -> dict[str, str]:
    found = {"sshd": find_program("sshd", "/usr/sbin/sshd"), "ssh": find_program("ssh"),
             "ssh-keygen": find_program("ssh-keygen"), "tmux": find_program("tmux")}
    require(found)
    return found


def clients_of(db_path, owner: str | None) -> int:
    """The latest period's clients (the Portfolio's summary), the owner's or all, from the SQLite file moved up."""
    db = sqlite3.connect(db_path)
    (period,) = db.execute("SELECT max(period) FROM amounts").fetchone()
    sql = "SELECT count(*) FROM amounts a JOIN clients c ON c.id = a.client_id WHERE a.period = ? AND a.revenue > 0"
    n = db.execute(sql + (" AND c.owner = ?" if owner else ""), (period, owner) if owner else (period,)).fetchone()[0]
    db.close()
    return n


def summary_count(screen: str) -> int | None:
    found = re.search(r"(\d+) clients · CA", screen)
    return int(found.group(1)) if found else None


def test_two_reps_and_a_manager_over_ssh_each_see_their_own(programs, pg_url, db_path, tmp_path):
    assert main(["--db", pg_url, "init"]) == 0
    assert main(["--db", pg_url, "import", "workspace", str(db_path)]) == 0
    (tmp_path / "sshd").mkdir()
    (tmp_path / "config.toml").touch()
    sshd = Sshd(programs["sshd"], programs["ssh-keygen"], tmp_path / "sshd")
    panes: dict[str, Tmux] = {}

    def open_as(login: str) -> Tmux:
        tmux = Tmux(programs["tmux"], WIDTH, HEIGHT)
        remote = ["env", "LANG=C.UTF-8", *cockpit_argv(), "--db", make_conninfo(pg_url, user=login),
                  "--config", str(tmp_path / "config.toml"), "--lang", "fr"]
        tmux.start(sshd.ssh_command(programs["ssh"], remote))
        panes[login] = tmux
        return tmux

    try:
        expected = {login: clients_of(db_path, login) for login in ("claire", "julien")}
        expected["team"] = clients_of(db_path, None)
        assert expected["claire"] + expected["julien"] < expected["team"]

        claire = open_as("claire")
        wait_for(claire.screen, lambda s: "Portefeuille (Claire Martin)" in s
                 and summary_count(s) == expected["claire"], "Claire's own portfolio", timeout=40)
        claire.keys("E")  # no team's view for a rep's role, which reads her rows only: said, and she stays on hers
        wait_for(claire.screen, lambda s: "responsables" in s and "Portefeuille (Claire Martin)" in s
                 and "(équipe)" not in s and summary_count(s) == expected["claire"],
                 "Claire told the team's view is the managers', on her own portfolio still")

        julien = open_as("julien")
        wait_for(julien.screen, lambda s: "Portefeuille (Julien Lefèvre)" in s
                 and summary_count(s) == expected["julien"], "Julien's own portfolio", timeout=40)
        assert not re.search(r"\d LORFLEX {2,}", julien.screen())  # Claire's LORFLEX (C001), not his (LORFLEX CHENOVE is)

        nathalie = open_as("nathalie")
        wait_for(nathalie.screen, lambda s: "Portefeuille (équipe)" in s and summary_count(s) == expected["team"],
                 "the manager's team portfolio", timeout=40)

        # Claire raises her first client; the manager's open screen follows (LISTEN/NOTIFY).
        claire.keys("Home", "e", "C-u")
        claire.type("250000")
        claire.keys("Enter")
        wait_for(claire.screen, lambda s: "enregistré" in s, "Claire's edit saved")
        wait_for(nathalie.screen, lambda s: "250 000 €" in s.replace("\u202f", " ").replace("\xa0", " "),
                 "Claire's edit on the manager's screen")

        nathalie.keys("E")  # the manager picks a rep: the team, then each rep
        wait_for(nathalie.screen, lambda s: "Le portefeuille de qui ?" in s, "the list of the team")
        nathalie.keys("Down", "Enter")
        wait_for(nathalie.screen, lambda s: "Portefeuille (Claire Martin)" in s
                 and summary_count(s) == expected["claire"], "Claire's portfolio seen by the manager")

        for login, tmux in panes.items():
            tmux.keys("C-q")
        end = time.monotonic() + 20
        while any(t.exit_status() is None for t in panes.values()):
            if time.monotonic() > end:
                pytest.fail("a cockpit did not quit on ctrl+q")
            time.sleep(0.1)
        assert all(t.exit_status() == 0 for t in panes.values())
        assert not [s for t in panes.values() for s in t.screens if "Traceback" in s]
    except BaseException:
        print("--- sshd log ---\n" + sshd.log.read_text(errors="replace"))
        for login, tmux in panes.items():
            print(f"--- {login} ---\n{tmux.screen()}")
        raise
    finally:
        for tmux in panes.values():
            tmux.close()
        sshd.close()
