"""``cockpit rep``: the team of a workspace (METHOD §8) — add a rep or a
manager, list them, deactivate one who left, transfer what one owns."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cockpit import i18n
from cockpit.i18n import t
from cockpit.safe_text import safe_text

if TYPE_CHECKING:  # the parser is built for every command: the store is imported when a rep command runs
    from cockpit.store.workspace import Workspace


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    rep = sub.add_parser("rep", help="the team: reps and managers, who owns which clients and prospects")
    cmd = rep.add_subparsers(dest="rep_command", required=True)
    add = cmd.add_parser("add", help="add a rep (the login is their account name)")
    add.add_argument("login")
    add.add_argument("--name", required=True, help='display name, e.g. "Claire Martin"')
    add.add_argument("--manager", action="store_true", help="a manager sees every rep's portfolio")
    cmd.add_parser("list", help="the team, with what each one owns")
    off = cmd.add_parser("deactivate", help="a rep who left: kept for the history, no longer offered")
    off.add_argument("login")
    move = cmd.add_parser("transfer", help="move what a rep owns to another (both kinds unless one is named)")
    move.add_argument("source", metavar="FROM")
    move.add_argument("target", metavar="TO")
    move.add_argument("--clients", action="store_true")
    move.add_argument("--prospects", action="store_true")


def run(args: argparse.Namespace, open_workspace: Callable[[], Workspace]) -> int:
    from cockpit.store.reps import TeamError, add_rep, deactivate, reps, transfer

    ws = open_workspace()
    try:
        if args.rep_command == "add":
            add_rep(ws, args.login, args.name, "manager" if args.manager else "rep")
            print(t("team.added", login=args.login, name=safe_text(args.name)))
        elif args.rep_command == "deactivate":
            deactivate(ws, args.login)
            print(t("team.deactivated", login=args.login))
        elif args.rep_command == "transfer":
            both = not (args.clients or args.prospects)
            clients, prospects = transfer(ws, args.source, args.target, both or args.clients, both or args.prospects)
            print(t("team.transferred", source=args.source, target=args.target, clients=_n("clients", clients),
                    prospects=_n("prospects", prospects)))
        else:
            for r in reps(ws):
                print(t("team.line", login=r.login, name=safe_text(r.name), role=t(f"team.role.{r.role}"),
                        state="" if r.active else t("team.inactive"), clients=_n("clients", r.clients),
                        prospects=_n("prospects", r.prospects)))
    except TeamError as exc:
        print(f"cockpit rep: {exc.fr if i18n.current() == 'fr' else exc.en}", file=sys.stderr)
        return 2
    return 0


def _n(kind: str, count: int) -> str:
    return i18n.plural(f"cli.n.{kind}", count, n=i18n.number(count))
