"""A rep's funnel on PostgreSQL (METHOD §5, §8): their role sees only their
own prospects (row-level security), yet weighs them with the workspace's
stage probabilities, read through ``cockpit_funnel_history()`` — the stage
history of every prospect, no name nor amount — so their figures are the same
as on SQLite, where every row is there to read."""

from __future__ import annotations

import datetime as dt
import re

import psycopg
from psycopg.conninfo import make_conninfo

from cockpit import cli, config
from cockpit.prospects.book import Book
from cockpit.prospects.team import load_book
from cockpit.store.pg.workspace import PgWorkspace
from cockpit.store.workspace import Workspace

TODAY = dt.date(2026, 12, 6)
# Every entrant counted: the sample's history is young, and the defaults would hide the difference.
SECTION = {**config.DEFAULTS.prospects, "maturity_days": 0, "min_history": 1}


def figures(book: Book):
    f = book.funnel(TODAY)
    return ([(s.count, s.reached, s.conversion, s.median_days, s.probability, s.measured, s.basis) for s in f.stages],
            f.pipeline_exact, f.dormant, f.team_probabilities,
            {k: (v.pipeline_exact, v.pipeline) for k, v in book.by_source(TODAY).items()})


def test_a_reps_funnel_is_the_same_on_both_backends(pg_team, db_path):
    sqlite = Workspace(db_path)
    pg = PgWorkspace(make_conninfo(pg_team, user="claire"))
    try:
        assert pg.own_rows_only
        mine = load_book(pg, SECTION, TODAY, "claire")
        assert {p.owner for p in mine.prospects} == {"claire"}
        assert figures(mine) == figures(load_book(sqlite, SECTION, TODAY, "claire"))
        assert figures(load_book(pg, SECTION, TODAY)) == figures(mine)  # her "team" view: her rows, the same weights
        # Her own prospects alone would weigh otherwise.
        assert mine.probabilities(TODAY) == load_book(sqlite, SECTION, TODAY).probabilities(TODAY)
        assert mine.probabilities(TODAY) != Book(mine.prospects, SECTION, TODAY).probabilities(TODAY)
    finally:
        pg.close()
        sqlite.close()


def test_the_history_function_gives_no_name_and_only_to_the_team(pg_team):
    with psycopg.connect(make_conninfo(pg_team, user="claire")) as db:
        cur = db.execute("SELECT * FROM cockpit_funnel_history()")
        assert [c.name for c in cur.description] == ["id", "stage", "created", "step", "day"]
        everyone = {r[0] for r in cur.fetchall()}
        hers = {r[0] for r in db.execute("SELECT id FROM prospects")}
    with psycopg.connect(pg_team) as db:
        assert everyone == {r[0] for r in db.execute("SELECT id FROM prospects")} and hers < everyone
        if not db.execute("SELECT 1 FROM pg_roles WHERE rolname = 'passant'").fetchone():
            db.execute("CREATE ROLE passant LOGIN")
        db.commit()
    with psycopg.connect(make_conninfo(pg_team, user="passant")) as db:  # not of the team: no grant
        try:
            db.execute("SELECT * FROM cockpit_funnel_history()")
            raise AssertionError("a role outside the team read the history")
        except psycopg.errors.InsufficientPrivilege:
            pass


def test_a_reps_report_says_the_same_on_both_backends(pg_team, db_path, tmp_path, capsys):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[prospects]\nmaturity_days = 0\nmin_history = 1\n", encoding="utf-8")

    def funnel_part(*db: str) -> str:
        capsys.readouterr()
        assert cli.main([*db, "--config", str(cfg), "report"]) == 0
        text = capsys.readouterr().out
        return text[text.index("Pipeline pondéré"):text.index("Par source")]

    on_sqlite = funnel_part("--db", str(db_path), "--rep", "claire")
    on_pg = funnel_part("--db", make_conninfo(pg_team, user="claire"))
    assert on_pg == on_sqlite and "Probabilité (équipe)" in on_pg
    assert re.search(r"Pipeline pondéré \d", on_pg)
