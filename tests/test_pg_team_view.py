"""A rep's "team" view on PostgreSQL (METHOD §8): their role reads only the
rows they own (row-level security), so the team's portfolio would be their
own under the team's name. It is not offered there: `E` says in one sentence
that the team's portfolio is the managers' and stays on the rep's own, and
`--team` (report, exports) is refused in one sentence, exit 2, nothing
written. On SQLite, where a rep reads every row, and for a manager on
PostgreSQL, the team's view is the team's: 45 clients, counted straight from
the rows."""

from __future__ import annotations

import csv
import sqlite3

from psycopg.conninfo import make_conninfo

from conftest import ready
from cockpit import cli
from cockpit.i18n import t


def team_codes(db_path) -> set[str]:
    """The latest year's clients, every owner's: what the team's export holds."""
    db = sqlite3.connect(db_path)
    codes = {c for (c,) in db.execute(
        "SELECT c.code FROM clients c JOIN amounts a ON a.client_id = c.id "
        "WHERE a.period = (SELECT max(period) FROM amounts WHERE length(period) = 4)")}
    db.close()
    return codes


def exported_codes(path) -> set[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    code = next(k for k in rows[0] if k.lower() in ("code", "code client"))
    return {r[code] for r in rows}


def test_team_is_refused_to_a_rep_on_postgresql_in_one_sentence(pg_team, db_path, tmp_path, capsys):
    claire = make_conninfo(pg_team, user="claire")
    empty = tmp_path / "empty.toml"
    empty.touch()
    for argv in (["report"], ["export", "clients", str(tmp_path / "c.csv")],
                 ["export", "prospects", str(tmp_path / "p.csv")], ["export", "today", str(tmp_path / "t.csv")]):
        capsys.readouterr()
        assert cli.main(["--db", claire, "--config", str(empty), "--team", *argv]) == 2, argv
        out, err = capsys.readouterr()
        assert out == "" and err.strip() == t("scope.team_refused") and err.count("\n") == 1
    assert not any(tmp_path.glob("*.csv"))  # nothing written
    # Her own view is still hers, said as hers.
    assert cli.main(["--db", claire, "--config", str(empty), "report"]) == 0
    title = capsys.readouterr().out.splitlines()[0]
    assert title.endswith("· Claire Martin") and "équipe" not in title


def test_the_team_stays_the_teams_where_it_can_be_read(pg_team, db_path, tmp_path, capsys):
    empty = tmp_path / "empty.toml"
    empty.touch()
    everyone = team_codes(db_path)
    assert len(everyone) == 45
    runs = {"sqlite-claire": ["--db", str(db_path), "--rep", "claire"],
            "pg-nathalie": ["--db", make_conninfo(pg_team, user="nathalie")]}
    for name, db in runs.items():
        out = tmp_path / f"{name}.csv"
        assert cli.main([*db, "--config", str(empty), "--team", "export", "clients", str(out)]) == 0
        assert exported_codes(out) == everyone, name
        capsys.readouterr()
        assert cli.main([*db, "--config", str(empty), "--team", "report"]) == 0
        assert capsys.readouterr().out.splitlines()[0].endswith("· équipe")


async def test_e_keeps_a_rep_on_their_own_portfolio_on_postgresql(pg_url, db_path, tmp_path):
    from tests.test_pg_screens import pg_app

    app, ws = pg_app(pg_url, db_path, tmp_path, "claire")
    try:
        assert ws.own_rows_only
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            assert app.scope.owner == "claire" and app.scope.label() == "Claire Martin"
            mine = app.screen.model.summary()
            await pilot.press("E")
            await ready(pilot)
            assert app.scope.owner == "claire" and len(app.screen_stack) == 1  # no view changed, no list opened
            said = [n.message for n in app._notifications]
            assert t("scope.team_for_managers") in said
            assert t("scope.now", view=t("scope.team")) not in said
            assert app.scope.label() == "Claire Martin"  # the status line still says whose figures they are
            after = app.screen.model.summary()
            assert (after.n, after.total) == (mine.n, mine.total) == (28, 81_903_600)  # her 28 clients, 819 036 €
    finally:
        ws.close()
