"""The team's average activity on PostgreSQL (METHOD §6, §8): a rep's role
reads only their own activity rows (row-level security), yet sees the team's
average, read through ``cockpit_activity_average()`` — per month, quarter and
year, the mean of each indicator and of the score, and how many reps it is
over; no name. Checked against a reference computed here from the SQLite
sample's activity rows, the same data moved up with ``import workspace``:
claire's average on PostgreSQL is SQLite's, in the report, on the Activity
screen, for every period, with sub-criteria, and as her own edits move it."""

from __future__ import annotations

import sqlite3
from fractions import Fraction

import psycopg
import pytest
from psycopg.conninfo import make_conninfo

from conftest import ready
from cockpit import cli, config
from cockpit.activity.score import INDICATORS, kind_of, months_of, period_of
from cockpit.activity.store import load_state
from cockpit.activity.text import score_text, value_text
from cockpit.store.pg.workspace import PgWorkspace
from cockpit.store.workspace import Workspace

NOVEMBER = "6,48 × 5,85 × 4,65 · score moyen 190,6"  # the audit's SQLite figures for the latest month
SUBS = {"activite": {"visites": 1, "appels": 1}, "orientation": {"cibles": 3, "potentiel": 1}}


def exact(x: float) -> Fraction:
    return Fraction(repr(x))  # a float as written: 6.3 is 63/10


def reference(db_path, period: str, subs=None) -> tuple[dict[str, float | None], float | None]:
    """The team's mean indicators and mean score over ``period``, straight from
    the activity rows: each rep's indicator per month (the weighted mean of
    the sub-criteria with a value, else its own), their mean over the period's
    months, then the mean over the reps who have one; the score, each rep's
    product, averaged over the reps who have all three."""
    db = sqlite3.connect(db_path)
    rows = db.execute("SELECT rep, period, indicator, value FROM activity WHERE value IS NOT NULL").fetchall()
    db.close()
    cells: dict[tuple[str, str], dict[str, float]] = {}
    for rep, month, field, value in rows:
        cells.setdefault((rep, month), {})[field] = value
    per_rep: dict[str, dict[str, float]] = {}
    for rep in {r for r, _ in cells}:
        for ind in INDICATORS:
            monthly = []
            for month in (m for m in months_of(period) if (rep, m) in cells):
                fields = cells[(rep, month)]
                known = [(w, fields[f"{ind}.{c}"]) for c, w in (subs or {}).get(ind, {}).items() if f"{ind}.{c}" in fields]
                if known:
                    monthly.append(float(sum(exact(w) * exact(v) for w, v in known) / sum(exact(w) for w, _ in known)))
                elif ind in fields:
                    monthly.append(fields[ind])
            if monthly:
                per_rep.setdefault(rep, {})[ind] = float(sum(map(exact, monthly)) / len(monthly))

    def mean(xs: list[float]) -> float | None:
        return float(sum(map(exact, xs)) / len(xs)) if xs else None

    scores = [v["activite"] * v["efficacite"] * v["orientation"] for v in per_rep.values() if len(v) == 3]
    return {i: mean([v[i] for v in per_rep.values() if i in v]) for i in INDICATORS}, mean(scores)


def said(average: dict[str, float | None], score: float | None) -> str:
    return " × ".join(value_text(average[i]) for i in INDICATORS) + " · score moyen " + score_text(score)


def every_period(book) -> list[str]:
    return [p for kind in ("month", "quarter", "year") for p in book.periods(kind)]


def test_claires_report_says_the_teams_average_as_on_sqlite(pg_team, db_path, tmp_path, capsys):
    empty = tmp_path / "empty.toml"
    empty.touch()

    def average_line(*db: str) -> str:
        capsys.readouterr()
        assert cli.main([*db, "--config", str(empty), "report"]) == 0
        return next(line for line in capsys.readouterr().out.splitlines() if "Moyenne de l'équipe" in line)

    on_sqlite = average_line("--db", str(db_path), "--rep", "claire")
    on_pg = average_line("--db", make_conninfo(pg_team, user="claire"))
    assert on_pg == on_sqlite == "    Moyenne de l'équipe : " + said(*reference(db_path, "2026-11"))
    assert on_pg.endswith(NOVEMBER)


def test_every_periods_average_is_the_rows_and_sqlites(pg_team, db_path):
    cfg = config.DEFAULTS
    sqlite, pg = Workspace(db_path, who="claire"), PgWorkspace(make_conninfo(pg_team, user="claire"))
    try:
        theirs, mine = load_state(sqlite, cfg).book, load_state(pg, cfg).book
        assert set(mine.reps) == {"Claire Martin"} and len(theirs.reps) == 4  # her rows only, on PostgreSQL
        assert mine.months == theirs.months and len(every_period(mine)) == 10
        for period in every_period(theirs):
            want = reference(db_path, period)
            for book in (theirs, mine):
                team = book.team(period)
                assert (team.average, team.average_score) == pytest.approx(want, rel=1e-12), period
                assert said(team.average, team.average_score) == said(*want), period  # as written, rounded once
        assert mine.average_history() == theirs.average_history()
    finally:
        pg.close()
        sqlite.close()


def test_sub_criteria_months_she_lacks_and_her_edits(pg_url, db_path):
    """Sub-criteria weigh each rep's month, a month only Julien recorded is the
    team's too, and her own edit moves the average at once, as on SQLite."""
    db = sqlite3.connect(db_path)
    subs_rows = [("Claire Martin", "2026-10", "activite.visites", 6.3), ("Claire Martin", "2026-10", "activite.appels", 6.6),
                 ("Julien Lefèvre", "2026-10", "activite.visites", 7.1), ("Sophie Girard", "2026-11", "activite.appels", 5.5),
                 ("Thomas Schneider", "2026-11", "orientation.cibles", 4.3), ("Thomas Schneider", "2026-11", "orientation.potentiel", 5.2),
                 ("Claire Martin", "2026-11", "orientation.cibles", 3.9), ("Julien Lefèvre", "2026-12", "activite", 8.1),
                 ("Julien Lefèvre", "2026-12", "efficacite", 6.2), ("Julien Lefèvre", "2026-12", "orientation", 4.4)]
    db.executemany("INSERT INTO activity(rep, period, indicator, value) VALUES (?, ?, ?, ?)", subs_rows)
    db.commit()
    db.close()
    assert cli.main(["--db", pg_url, "init"]) == 0
    assert cli.main(["--db", pg_url, "import", "workspace", str(db_path)]) == 0
    cfg = config.DEFAULTS.updated("activity", {"sub_criteria": SUBS})
    sqlite, pg = Workspace(db_path, who="claire"), PgWorkspace(make_conninfo(pg_url, user="claire"))
    try:
        theirs, mine = load_state(sqlite, cfg).book, load_state(pg, cfg).book
        assert "2026-12" in mine.months and mine.months == theirs.months
        assert all(r.rep == "Claire Martin" for r in mine.team("2026-12").rows)
        for period in every_period(theirs):
            want = reference(db_path, period, SUBS)
            for book in (theirs, mine):
                team = book.team(period)
                assert (team.average, team.average_score) == pytest.approx(want, rel=1e-12), period
                assert said(team.average, team.average_score) == said(*want), period
        for book in (theirs, mine):  # her edit, on screen before it is saved: the average follows
            book.set("Claire Martin", "2026-11", "efficacite", "value", 9.9)
            book.set("Claire Martin", "2026-10", "activite.appels", "value", None)
        for period in ("2026-10", "2026-11", "2026-Q4", "2026"):
            a, b = theirs.team(period), mine.team(period)
            assert (b.average, b.average_score) == (a.average, a.average_score), period
    finally:
        pg.close()
        sqlite.close()


def test_the_average_function_gives_no_name_and_only_to_the_team(pg_team):
    with psycopg.connect(make_conninfo(pg_team, user="claire")) as db:
        cur = db.execute("SELECT * FROM cockpit_activity_average('{}')")
        assert [c.name for c in cur.description] == ["period", "indicator", "average", "reps"]
        rows = cur.fetchall()
        assert {r[1] for r in rows} == {*INDICATORS, "score"}
        assert {r[3] for r in rows if kind_of(r[0]) == "month"} == {4}  # every rep, though she reads her own rows
        assert {r[0] for r in rows} >= {"2026-11", "2026-Q4", "2026"} and period_of("2026-11", "quarter") == "2026-Q4"
    with psycopg.connect(pg_team) as db:
        if not db.execute("SELECT 1 FROM pg_roles WHERE rolname = 'passant'").fetchone():
            db.execute("CREATE ROLE passant LOGIN")
        db.commit()
    with psycopg.connect(make_conninfo(pg_team, user="passant")) as db:  # not of the team: no grant
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("SELECT * FROM cockpit_activity_average('{}')")


async def test_the_activity_screen_shows_claire_the_teams_average(pg_url, db_path, tmp_path):
    from textual.widgets import Static

    from tests.test_pg_screens import pg_app

    app, ws = pg_app(pg_url, db_path, tmp_path, "claire")
    try:
        async with app.run_test(size=(160, 50)) as pilot:
            await ready(pilot)
            await pilot.press("3")
            await ready(pilot)
            screen = app.screen
            assert [r.rep for r in screen.table("team").source.team.rows] == ["Claire Martin"]
            text = str(screen.query_one("#act-average", Static).render())
            assert text == "Moyenne de l'équipe : " + NOVEMBER
            history = screen.state.book.average_history()
    finally:
        ws.close()
    sqlite = Workspace(db_path, who="claire")
    try:
        assert history == load_state(sqlite, config.DEFAULTS).book.average_history()
    finally:
        sqlite.close()
