"""The command line knows who the rep is (METHOD §8), as the screens do: a
rep's `cockpit report` and exports are over the clients and prospects they
own, with their own activity row and the team's average; `--team` gives the
team's portfolio; a manager's are the team's. Checked against the rows read
straight from SQL."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from cockpit import cli
from cockpit.store.workspace import Workspace
from tests.test_team_views import REPS

NAMES = {"claire": "Claire Martin", "julien": "Julien Lefèvre", "sophie": "Sophie Girard", "thomas": "Thomas Schneider"}


def run(db_path: Path, *args: str) -> int:
    empty = db_path.parent / "empty.toml"  # the defaults, whatever the machine's own config says
    empty.touch()
    return cli.main(["--db", str(db_path), "--config", str(empty), *args])


def exported(db_path: Path, tmp_path: Path, who: str, kind: str, *extra: str) -> list[dict[str, str]]:
    out = tmp_path / f"{who}-{kind}{'-team' if extra else ''}.csv"
    assert run(db_path, "--rep", who, *extra, "export", kind, str(out)) == 0
    with out.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def owned(db_path: Path, table: str, column: str, owner: str | None) -> set[str]:
    db = sqlite3.connect(db_path)
    rows = db.execute(f"SELECT {column}, owner FROM {table}").fetchall()
    db.close()
    return {value for value, who in rows if owner is None or who == owner}


@pytest.mark.parametrize("who", ["claire", "thomas", "nathalie"])
def test_exports_are_the_reps_own_portfolio_and_the_team_with_team(db_path, tmp_path, who):
    mine = who if who in REPS else None  # a manager's default view: the team's
    clients = exported(db_path, tmp_path, who, "clients")
    code = next(k for k in clients[0] if k.lower() in ("code", "code client"))
    db = sqlite3.connect(db_path)
    period_codes = {c for (c,) in db.execute(
        "SELECT c.code FROM clients c JOIN amounts a ON a.client_id = c.id "
        "WHERE a.period = (SELECT max(period) FROM amounts WHERE length(period) = 4)")}
    db.close()
    assert {r[code] for r in clients} == owned(db_path, "clients", "code", mine) & period_codes
    team = exported(db_path, tmp_path, who, "clients", "--team")
    assert {r[code] for r in team} == period_codes
    prospects = exported(db_path, tmp_path, who, "prospects")
    company = next(iter(prospects[0]))
    assert sorted(r[company] for r in prospects) == sorted(
        c for c, o in sqlite3.connect(db_path).execute("SELECT company, owner FROM prospects") if mine is None or o == mine)
    activity = {r["rep"] if "rep" in r else next(iter(r.values())) for r in exported(db_path, tmp_path, who, "activity")}
    assert activity == ({NAMES[who]} if mine else set(NAMES.values()))
    # --team: the team's rows, but the named ranking stays the managers' (the workspace's default)
    activity_team = {next(iter(r.values())) for r in exported(db_path, tmp_path, who, "activity", "--team")}
    assert activity_team == ({NAMES[who]} if mine else set(NAMES.values()))


def test_a_reps_report_is_over_their_portfolio_with_their_activity_row_and_the_teams_average(
        db_path, capsys: pytest.CaptureFixture[str]):
    texts = {}
    for who, extra in (("claire", ()), ("claire", ("--team",)), ("nathalie", ())):
        assert run(db_path, "--rep", who, *extra, "report") == 0
        texts[(who, *extra)] = capsys.readouterr().out.replace("\u202f", " ").replace("\xa0", " ")
    own, team, manager = texts[("claire",)], texts[("claire", "--team")], texts[("nathalie",)]
    assert own.split("\n")[0].endswith("· Claire Martin") and team.split("\n")[0].endswith("· équipe")
    db = sqlite3.connect(db_path)
    period = own.split("\n")[0].split("période ")[1].split(" ")[0]
    n_own, n_all = (db.execute("SELECT count(*) FROM amounts a JOIN clients c ON c.id = a.client_id WHERE a.period = ? "
                               f"AND {cond}", (period,)).fetchone()[0] for cond in ("c.owner = 'claire'", "1"))
    n_prospects = db.execute("SELECT count(*) FROM prospects WHERE owner = 'claire'").fetchone()[0]
    db.close()
    assert own.split("\n")[2].startswith(f"{n_own} clients") and team.split("\n")[2].startswith(f"{n_all} clients")
    assert manager.split("\n")[2] == team.split("\n")[2]
    assert f"{n_prospects} prospects" in own or f"{n_prospects} prospect" in own
    activity = own.split("Activité — ")[1].split("Aujourd'hui")[0]
    assert "Claire Martin" in activity and not any(n in activity for n in ("Julien", "Sophie", "Thomas"))
    assert " 2. Claire Martin" not in activity and "    Claire Martin : " in activity  # no place in the ranking
    average = [line for line in activity.split("\n") if "Moyenne de l'équipe" in line]
    assert average and average[0] in manager  # the same team average as the manager's
    assert all(n in manager.split("Activité — ")[1] for n in NAMES.values())


def test_everyone_sees_the_ranking_when_the_workspace_says_so(db_path, tmp_path, capsys: pytest.CaptureFixture[str]):
    from cockpit.store import shared_settings

    ws = Workspace(db_path, who="nathalie")
    shared_settings.save(ws, "activity", {"ranking": "everyone"})
    ws.close()
    assert {next(iter(r.values())) for r in exported(db_path, tmp_path, "claire", "activity")} == {"Claire Martin"}
    assert {next(iter(r.values())) for r in exported(db_path, tmp_path, "claire", "activity", "--team")} == set(NAMES.values())
    assert run(db_path, "--rep", "claire", "report") == 0
    activity = capsys.readouterr().out.split("Activité — ")[1]
    assert " 2. Claire Martin : " in activity  # her place in the team's ranking, named for everyone here
