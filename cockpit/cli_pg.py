"""The command line on PostgreSQL (``--db postgresql://…`` or ``COCKPIT_DB``):
``init`` (schema, roles, row-level security), ``rep add|list``, ``import
workspace FILE.sqlite`` and ``backup``. Other commands say they are not
available there yet, in a sentence, never by running on a wrong backend."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cockpit import i18n
from cockpit.i18n import t
from cockpit.store.pg.target import PgError, db_argument, is_postgres, redact

__all__ = ["db_argument", "pg_workspace", "run"]

if TYPE_CHECKING:
    import psycopg

    from cockpit.config import Config
    from cockpit.store.workspace import Workspace


def run(args: argparse.Namespace) -> int | None:
    """Exit code of a PostgreSQL command (or of ``init``, either backend), or
    None when the SQLite path runs it."""
    if args.command == "abc":  # a file classified, no workspace: the same on either backend
        return None
    if getattr(args, "db", None) is None and os.environ.get("COCKPIT_DB"):
        args.db = db_argument(os.environ["COCKPIT_DB"])
    if not is_postgres(args.db):
        if args.command == "import" and args.kind == "workspace":
            return _fail(t("pg.import_needs_pg"))
        if args.command == "init":  # a team workspace on SQLite: a shared directory
            if args.shared is None:
                return _fail(t("pg.init_needs_target"))
            from cockpit.store.admin import init_shared

            print(t("cli.init_done", path=init_shared(args.shared)))
            return 0
        return None
    import psycopg

    try:
        # --rep connects as that rep's role (init is the administrator's own connection).
        code = _run(args, str(args.db) if args.command == "init" else as_rep(str(args.db), getattr(args, "rep", None)))
        return None if code == -1 else code
    except PgError as exc:
        return _fail(str(exc))
    except psycopg.errors.InsufficientPrivilege as exc:
        return _fail(t("pg.refused", target=redact(str(args.db)), reason=exc.diag.message_primary or str(exc)))
    except psycopg.Error as exc:
        return _fail(t("pg.failed", target=redact(str(args.db)), reason=exc.diag.message_primary or str(exc)))


# Commands that run on a PgWorkspace through the same code as on SQLite (cockpit/cli.py).
THROUGH_WORKSPACE = {None, "report", "export", "serve", "settings"}
# The imports run there too (clients and sales by COPY: cockpit/store/pg/imports.py).
IMPORTS = {("import", kind) for kind in ("clients", "sales", "prospects", "visits", "activity")}


def pg_workspace(args: argparse.Namespace, cfg: "Config") -> "tuple[Workspace, Config] | None":
    """The PostgreSQL workspace ``--db`` names, with the workspace's figure settings; None for a SQLite file."""
    if not is_postgres(getattr(args, "db", None)):
        return None
    from cockpit.store import reps, shared_settings
    from cockpit.store.pg.workspace import PgWorkspace

    ws = PgWorkspace(as_rep(str(args.db), getattr(args, "rep", None)), busy_timeout_ms=cfg.workspace.busy_timeout_ms)
    if getattr(args, "rep", None):  # an active rep of the team, or nothing opens (as on SQLite)
        try:
            reps.active(ws, args.rep)
        except BaseException:
            ws.close()
            raise
    from cockpit.cli_settings import say_ignored
    from cockpit.config import user_config_path

    effective = shared_settings.apply(cfg, ws)
    if not getattr(args, "save", False):  # `settings --save` is about to store them
        say_ignored(cfg, effective, getattr(args, "config", None) or user_config_path())
    return ws, effective


def as_rep(conninfo: str, rep: str | None) -> str:
    """The target with ``--rep LOGIN`` as its database role: on PostgreSQL the
    rep is the role, so working as a rep is connecting as them, and the server
    decides (peer authentication lets only that OS account, a password only
    who knows it); never SET ROLE from another account."""
    if not rep:
        return conninfo
    from psycopg.conninfo import make_conninfo

    return make_conninfo(conninfo, user=rep)


def _run(args: argparse.Namespace, conninfo: str) -> int:
    from cockpit.store.pg.schema import PG_MIGRATIONS, migrate, schema_version
    from cockpit.store.pg.target import connect
    from cockpit.store.reps import TeamError

    with connect(conninfo) as db:
        if args.command == "init":
            before, after = migrate(db)
            print(t("pg.init_done", target=redact(conninfo), before=before, after=after))
            return 0
        if schema_version(db) != len(PG_MIGRATIONS):  # none yet, or an older one: the administrator's init
            return _fail(t("pg.no_schema", target=redact(conninfo)))
        if args.command == "rep" and args.rep_command in ("add", "list"):
            try:
                return _team(db, args)
            except TeamError as exc:
                return _fail(f"cockpit rep: {exc.fr if i18n.current() == 'fr' else exc.en}")
        if args.command == "import" and args.kind == "workspace":
            from cockpit.store.pg.move import move_up

            for line in move_up(db, Path(args.file), conninfo):
                print(line)
            return 0
        if args.command == "backup":
            from cockpit.store.pg.move import backup

            print(backup(conninfo, Path(args.file), db))
            return 0
        if args.command == "rep" and not (db.execute("SELECT cockpit_is_manager()").fetchone() or (False,))[0]:
            return _fail(t("pg.team_managers_only", command=f"rep {args.rep_command}"))  # row-level security would hide the rows
        if args.command in THROUGH_WORKSPACE or args.command == "rep" or (args.command, getattr(args, "kind", None)) in IMPORTS:
            return -1  # the caller runs it (cockpit/cli.py) on the PgWorkspace
    command = " ".join(x for x in (args.command, getattr(args, "rep_command", None) or getattr(args, "kind", None)) if x)
    return _fail(t("pg.not_yet", command=command or "cockpit"))


def _team(db: "psycopg.Connection[tuple[object, ...]]", args: argparse.Namespace) -> int:
    from cockpit.cli_team import print_team
    from cockpit.safe_text import safe_text
    from cockpit.store.pg import team

    if args.rep_command == "add":
        team.add_rep(db, args.login, args.name, "manager" if args.manager else "rep")
        print(t("team.added", login=args.login, name=safe_text(args.name)))
        return 0
    print_team(team.reps(db), team.unowned(db))
    return 0


def _fail(sentence: str) -> int:
    print(sentence, file=sys.stderr)
    return 2
