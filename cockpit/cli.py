"""``cockpit``: the terminal app, and the commands for scripts and cron.

Exit codes: 0 success (also when the reader of a pipe left early), 2 bad
input (one line saying file, line, column; a place that cannot be written; a
read-only workspace), 1 a full disk (said in a sentence; nothing half-written)
or an unexpected fault (one line; the traceback goes to a log file, never to
the rep's screen).
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cockpit import i18n
from cockpit.action.cli_args import ACTION_EXPORTS, CardCode
from cockpit.config import ConfigError, load as load_config
from cockpit.i18n import t
from cockpit.cli_pg import db_argument, pg_workspace, run as run_pg  # PostgreSQL (--db postgresql://…), and init
from cockpit.cli_words import CockpitParser, first_language

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace


# export kind -> "module:function" taking (workspace, config, args) and returning (headers, rows)
EXPORTS = {
    "clients": "cockpit.cli:_export_portfolio",
    "evolution": "cockpit.cli:_export_portfolio",
    "matrix": "cockpit.cli:_export_portfolio",
    "products": "cockpit.cli:_export_portfolio",
    "prospects": "cockpit.prospects.files:export_table",
    "activity": "cockpit.activity.store:export_table", **ACTION_EXPORTS,  # today, allocation, card CODE
}

PERIOD_EXPORTS = ("clients", "evolution", "matrix", "products", "allocation")  # the kinds --period chooses


def _export_portfolio(ws: Workspace, cfg: Config, args: argparse.Namespace) -> tuple[list[str], list[list[object]]]:
    from cockpit.io import exports
    from cockpit.portfolio.strategy import load_strategy

    from cockpit.portfolio.periods import check_known, check_period, is_rolling

    rolling = None
    if args.period is not None:  # a period the workspace holds, never silently the latest instead
        rolling = is_rolling(check_period(args.period))
        check_known(args.period.strip(), ws.periods(rolling))
    # Only what the table needs: the clients and matrix tables need no sales line (a million-client
    # workspace's lines and history would double the export's memory).
    parts = {"evolution": ("history", "names"), "products": ("product_lines",)}.get(args.kind, ())
    from cockpit.store.reps import view_owner

    _, strategy, _ = load_strategy(ws, cfg, args.period and args.period.strip(), rolling, parts=parts,
                                   owner=view_owner(ws, args.team))  # METHOD §8: a rep's own by default
    if args.kind == "clients":
        return exports.clients_table(strategy)
    if args.kind == "evolution":
        return exports.evolution_table(strategy.evolution(), strategy.model.amount_field)
    if args.kind == "matrix":
        return exports.matrix_table(strategy)
    return exports.products_table(strategy, cfg.matrix.gap_ratio)


def _global_options(p: argparse.ArgumentParser, kind: type) -> None:
    """The options of every command, accepted before or after the subcommand.
    On a subcommand they default to SUPPRESS, so they never undo the ones
    given before it. Their help is the catalogue's (cockpit/cli_words.py)."""
    extra: dict[str, Any] = {"default": argparse.SUPPRESS} if kind is _SubParser else {}
    p.add_argument("--db", type=db_argument, **extra)
    p.add_argument("--config", type=Path, **extra)
    p.add_argument("--lang", choices=i18n.LANGS, **extra)
    p.add_argument("--no-mouse", action="store_true", **extra)
    p.add_argument("--rep", **extra)
    p.add_argument("--demo", action="store_true", **extra)
    p.add_argument("--team", action="store_true", **extra)


class _SubParser(CockpitParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:  # argparse's own signature
        super().__init__(*args, **kwargs)
        _global_options(self, _SubParser)


def _parser() -> argparse.ArgumentParser:
    """The command line, in the language already set (each help is ``cli.cmd.…``/``cli.opt.…``)."""
    p = CockpitParser(prog="cockpit", description=t("cli.about"))
    _global_options(p, argparse.ArgumentParser)
    sub = p.add_subparsers(dest="command", parser_class=_SubParser)

    abc = sub.add_parser("abc")
    abc.add_argument("file", type=Path)
    abc.add_argument("--a-limit", type=float)
    abc.add_argument("--b-limit", type=float)
    abc.add_argument("--computed", action="store_true")
    abc.add_argument("--by-group", action="store_true")
    abc.add_argument("--amount", choices=("revenue", "margin"), default="revenue")
    abc.add_argument("--format", choices=("table", "csv", "json"), default="table")
    abc.add_argument("--sheet")

    imp = sub.add_parser("import")
    imp.add_argument("kind", choices=("clients", "sales", "prospects", "activity", "visits", "workspace"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--sheet")
    imp.add_argument("--period")
    imp.add_argument("--skip-bad", action="store_true")
    imp.add_argument("--yes", action="store_true")

    init = sub.add_parser("init")
    init.add_argument("--shared", type=Path)
    bak = sub.add_parser("backup")
    bak.add_argument("file", type=Path)

    exp = sub.add_parser("export")
    exp.add_argument("kind", choices=tuple(EXPORTS))
    exp.add_argument("code", nargs="?", action=CardCode)
    exp.add_argument("file", type=Path)
    exp.add_argument("--period")

    sub.add_parser("report")
    settings = sub.add_parser("settings")
    settings.add_argument("--save", action="store_true")
    from cockpit.cli_team import add_parser as add_team_parser
    from cockpit.serve import add_parser as add_serve_parser

    add_serve_parser(sub)
    add_team_parser(sub)
    return p


def _print_text(text: str) -> None:
    """A report for the terminal: each line through the output sanitiser too,
    whatever a builder forgot (the data's own fields are cleaned where they are set)."""
    from cockpit.safe_text import safe_text

    print("\n".join(map(safe_text, text.split("\n"))))


def _workspace(args: argparse.Namespace, cfg: Config) -> tuple[Workspace, Config]:
    """The workspace, and the configuration with its figure settings (limits,
    zones, criteria: the workspace's, the same for every rep)."""
    from cockpit.store.admin import AdminError
    from cockpit.store.workspace import Workspace, default_path, demo_path

    demo = getattr(args, "demo", False)
    if demo and args.db is not None:
        raise AdminError(t("cli.demo_or_db"))
    if (pg := pg_workspace(args, cfg)) is not None:  # --db postgresql://…: the server's workspace
        return pg
    named = args.db or (Path(cfg.workspace.path).expanduser() if cfg.workspace.path else None)
    path = demo_path() if demo else named or default_path()
    if named is not None and not demo and not path.exists() and args.command != "import":
        # A path typed by hand: a typo must not open an empty workspace, still less the sample, as if it were the team's.
        raise AdminError(t("cli.no_workspace", path=str(path)))
    from cockpit.store.workspace_open import CLI_BUSY_TIMEOUT_MS

    # The app waits out another rep's commit; a command run by hand says "busy" within seconds.
    busy = cfg.workspace.busy_timeout_ms if args.command in (None, "serve") else CLI_BUSY_TIMEOUT_MS
    ws = Workspace(path, busy_timeout_ms=busy, who=getattr(args, "rep", None))
    from cockpit.io.file_modes import follow_workspace

    follow_workspace(ws.path)  # exports and rejects as private (or as shared) as the workspace
    from cockpit.store import reps, shared_settings

    cfg = _figures(args, cfg, ws)
    # Only the demo holds the sample: a workspace starts empty, its clients come from the rep's files.
    if demo and ws.is_empty() and not ws.read_only:
        from cockpit.store.loading import load_sample

        load_sample(ws)
    if getattr(args, "rep", None):  # an active rep of this team, or nothing opens
        reps.active(ws, args.rep)
    return ws, cfg


def _figures(args: argparse.Namespace, personal: Config, ws: Workspace) -> Config:
    """The workspace's figure settings over the rep's config, said when they override a line of it."""
    from cockpit.cli_settings import say_ignored
    from cockpit.config import user_config_path
    from cockpit.store import shared_settings

    cfg = shared_settings.apply(personal, ws)
    if not getattr(args, "save", False):  # `settings --save` is about to store them
        say_ignored(personal, cfg, getattr(args, "config", None) or user_config_path())
    return cfg


def _config(path: Path | None) -> tuple[Config, Path]:
    """The configuration; on a bad file, say where and start on the defaults
    only if the rep agrees (at a terminal), else stop with exit code 2."""
    from cockpit.config import DEFAULTS, user_config_path

    try:
        return load_config(path, explicit=path is not None)
    except ConfigError as exc:
        if exc.key == "--config":  # the file named is not there or not a file: nothing to fall back from
            raise
        if not sys.stdin.isatty():
            raise
        print(str(exc), file=sys.stderr)
        answer = input(t("cli.config_defaults")).strip().lower()
        if answer not in ("o", "oui", "y", "yes"):
            raise SystemExit(2) from None
        return DEFAULTS, path or user_config_path()


class Interface(Protocol):
    """What the terminal interface (``screens.launch``) gives the command line:
    the core never imports it, the entry point hands it over."""

    def run_app(self, ws: Any, cfg: Config, cfg_path: Path, prefetch: Any, mouse: bool) -> int: ...

    def serve(self, command: str, *, host: str, port: int, title: str, public_url: str, guard: Any) -> None: ...


def _run(argv: list[str] | None, ui: Interface | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    i18n.set_lang(first_language(argv))  # the help and argparse's errors speak it: known before the parser
    args = _parser().parse_args(argv)
    i18n.set_lang(args.lang or i18n.lang_from_env() or "fr")  # for a config error's own message
    cfg, cfg_path = _config(args.config)
    i18n.set_lang(args.lang or cfg.ui.lang or i18n.lang_from_env() or "fr")
    from cockpit.io.xlsx_limits import configure as configure_xlsx

    configure_xlsx(cfg.xlsx)
    if args.command in ("import", "abc"):  # an option its input makes moot: said before anything is read or written
        from cockpit.io.unused_options import refuse_unused

        refuse_unused(args)
    if (code := run_pg(args)) is not None:  # init, PostgreSQL, a PostgreSQL-only command: said there
        return code
    if args.command == "backup":
        from cockpit.store.admin import backup

        print(t("cli.backup_done", path=backup(_workspace(args, cfg)[0], args.file)))
        return 0
    if args.command == "abc":
        from cockpit.cli_abc import run_abc

        return run_abc(args, cfg)
    if args.command == "import":
        from cockpit.cli_import import run_import

        return run_import(args, lambda: _workspace(args, cfg)[0])
    if args.command == "settings":
        from cockpit.cli_settings import run_settings

        return run_settings(args, cfg, cfg_path, lambda: _workspace(args, cfg))
    if args.command == "rep":
        from cockpit.cli_team import run as run_team

        return run_team(args, lambda: _workspace(args, cfg)[0])
    if args.command == "export":
        import importlib

        from cockpit.io.exports import check_target, write_table

        if args.period is not None and args.kind not in PERIOD_EXPORTS:  # said, never silently ignored
            from cockpit.io.input_error import InputError

            raise InputError("--period", None, None, args.period,
                             *i18n.both("cli.export.no_period", kind=args.kind, kinds=", ".join(PERIOD_EXPORTS)))
        check_target(args.file)  # before the table is made: a wrong name is said at once
        module, func = EXPORTS[args.kind].split(":")
        headers, rows = getattr(importlib.import_module(module), func)(*_workspace(args, cfg), args)
        write_table(args.file, headers, rows, sheet=args.kind)
        print(i18n.plural("cli.export_done", len(rows), count=i18n.number(len(rows)), path=args.file))
        return 0
    if args.command == "serve":
        from cockpit.serve import serve

        return serve(args, ui.serve if ui else None, lambda: _workspace(args, cfg)[0])
    if args.command == "report":
        from cockpit.report import workspace_report

        _print_text(workspace_report(*_workspace(args, cfg), team=args.team))
        return 0
    served = os.environ.get("TEXTUAL_DRIVER", "").endswith(":WebDriver")  # a browser tab of `cockpit serve`
    if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
        print(t("cli.no_terminal"), file=sys.stderr)
        return 2
    if not served and os.environ.get("TERM") == "dumb":  # a terminal (ssh -t did its part) that cannot draw
        print(t("cli.dumb_terminal", term=os.environ["TERM"], example="TERM=xterm-256color"), file=sys.stderr)
        return 2
    if ui is None:  # `python -m cockpit.cli` with no command: the interface is not in the core
        print(t("cli.no_interface"), file=sys.stderr)
        return 2
    from cockpit.portfolio.strategy import Prefetch

    from cockpit.store.reps import default_owner

    ws, cfg = _workspace(args, cfg)
    prefetch = Prefetch(ws, cfg, default_owner(ws))  # reads while the interface's code is imported
    return ui.run_app(ws, cfg, cfg_path, prefetch, not args.no_mouse)


def main(argv: list[str] | None = None, ui: Interface | None = None) -> int:
    try:
        return _run(argv, ui)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        return _failed(exc)


def _failed(exc: Exception) -> int:
    """What a rep reads when a command stops: a sentence, never a traceback. The
    error classes are imported here, not before: `cockpit abc` never opens a
    workspace, and the store's modules cost a third of a second to import."""
    from cockpit.errorlog import said

    if isinstance(exc, BrokenPipeError):
        return _quiet_broken_pipe()
    sentence = said(exc)
    if sentence is not None:
        print(sentence[0], file=sys.stderr)
        return sentence[1]
    words = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError) and ("locked" in words or "busy" in words):
        print(t("cli.locked"), file=sys.stderr)  # waited the busy timeout; rolled back, nothing written
        return 1
    if isinstance(exc, sqlite3.DatabaseError) and any(w in words for w in _NOT_A_WORKSPACE):
        print(t("cli.not_a_workspace", reason=str(exc)), file=sys.stderr)
        return 2
    if isinstance(exc, sqlite3.OperationalError):
        if "full" not in str(exc):
            return _unexpected(exc)
        print(t("cli.disk_full"), file=sys.stderr)  # SQLite rolled back: the workspace is as it was
        return 1
    from cockpit.store.shared_settings import INSUFFICIENT_PRIVILEGE  # the last line of defence

    if getattr(exc, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:  # PostgreSQL's row-level security refused a write
        reason = getattr(getattr(exc, "diag", None), "message_primary", None) or str(exc)
        print(t("pgwrite.refused", reason=reason), file=sys.stderr)
        return 2
    return _unexpected(exc)


# SQLite's words for a --db that is no workspace: another file, a damaged one, a directory.
_NOT_A_WORKSPACE = ("file is not a database", "malformed", "unable to open database file")


def _unexpected(exc: BaseException) -> int:
    from cockpit.errorlog import log_exception

    log = log_exception(exc)
    print(t("cli.unexpected", kind=type(exc).__name__, error=str(exc), log=str(log)), file=sys.stderr)
    return 1


def _quiet_broken_pipe() -> int:
    """``cockpit report | head``: the reader left, as with any Unix tool. What
    is still buffered goes nowhere, not into a second error at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
