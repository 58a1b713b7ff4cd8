"""The editing and conflict Pilot test of the portfolio screen, on PostgreSQL:
the same keys, the same dialog, the other rep's edit from another role."""

from __future__ import annotations

import psycopg
from psycopg.conninfo import make_conninfo

from conftest import ready
from kit_cases import keep_mine_or_take_theirs
from cockpit import config, i18n
from cockpit.cli import main


def pg_app(pg_url, db_path, tmp_path, login: str):
    from screens.app import CockpitApp

    from cockpit.store import shared_settings
    from cockpit.store.pg.workspace import PgWorkspace

    assert main(["--db", pg_url, "init"]) == 0
    assert main(["--db", pg_url, "import", "workspace", str(db_path)]) == 0
    i18n.set_lang("fr")
    cfg, _ = config.load(tmp_path / "config.toml")
    ws = PgWorkspace(make_conninfo(pg_url, user=login))
    return CockpitApp(ws, shared_settings.apply(cfg, ws), tmp_path / "config.toml"), ws


async def test_an_edit_over_someone_elses_asks_keep_mine_or_take_theirs_on_postgresql(pg_url, db_path, tmp_path):
    from cockpit.store.pg.workspace import PgWorkspace

    app, ws = pg_app(pg_url, db_path, tmp_path, "nathalie")  # the manager: the team's portfolio
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)

        def stored() -> int:
            with psycopg.connect(pg_url) as db:
                return db.execute("SELECT revenue FROM amounts WHERE client_id = 1 AND period = '2025'").fetchone()[0]

        owner = psycopg.connect(pg_url).execute("SELECT owner FROM clients WHERE id = 1").fetchone()[0]
        other = PgWorkspace(make_conninfo(pg_url, user=owner))  # the owner, from another role
        await keep_mine_or_take_theirs(app, pilot, other, stored, read_again=True)
        other.close()
    ws.close()


async def test_other_reps_commits_show_up_without_a_key_on_postgresql(pg_url, db_path, tmp_path):
    """Another rep's commit reaches the open screen by LISTEN/NOTIFY: the app's timer
    reads the listener's mark, an in-memory counter, not the database."""
    from cockpit.store.pg.workspace import PgWorkspace

    app, ws = pg_app(pg_url, db_path, tmp_path, "nathalie")
    app.poll_seconds = 0.1
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.pause(0.3)
        owner = psycopg.connect(pg_url).execute("SELECT owner FROM clients WHERE id = 45").fetchone()[0]
        other = PgWorkspace(make_conninfo(pg_url, user=owner))
        other.edit("amounts", (45, "2025"), "revenue", 50_000_000)  # VACAPE to 500 000 €
        other.close()
        for _ in range(30):
            await pilot.pause(0.1)
            await ready(pilot)
            if app.screen.model.name_at(0) == "VACAPE":
                break
        assert app.screen.model.name_at(0) == "VACAPE" and app.screen.model.class_at(0) == "A"
    ws.close()
