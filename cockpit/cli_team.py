"""``cockpit rep``: the team of a workspace (METHOD §8) — add a rep or a
manager, list them, deactivate one who left, transfer what one owns."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from cockpit import i18n
from cockpit.i18n import t
from cockpit.safe_text import safe_text

if TYPE_CHECKING:  # the parser is built for every command: the store is imported when a rep command runs
    from cockpit.store.workspace import Workspace


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """``cockpit rep …``: the help of each command and option is the catalogue's (cockpit/cli_words.py)."""
    rep = sub.add_parser("rep")
    cmd = rep.add_subparsers(dest="rep_command", required=True)
    add = cmd.add_parser("add")
    add.add_argument("login")
    add.add_argument("--name", required=True)
    add.add_argument("--manager", action="store_true")
    cmd.add_parser("list")
    off = cmd.add_parser("deactivate")
    off.add_argument("login")
    move = cmd.add_parser("transfer")
    move.add_argument("source")
    move.add_argument("target")
    move.add_argument("--clients", action="store_true")
    move.add_argument("--prospects", action="store_true")


def run(args: argparse.Namespace, open_workspace: Callable[[], Workspace]) -> int:
    from cockpit.store.reps import TeamError, add_rep, deactivate, reps, transfer, unowned

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
            source = None if args.source == NOBODY else args.source
            clients, prospects = transfer(ws, source, args.target, both or args.clients, both or args.prospects)
            print(t("team.transferred" if source else "team.assigned", source=args.source, target=args.target,
                    clients=i18n.counted("clients", clients), prospects=i18n.counted("prospects", prospects)))
        else:
            print_team(reps(ws), unowned(ws))
    except TeamError as exc:
        print(f"cockpit rep: {exc.fr if i18n.current() == 'fr' else exc.en}", file=sys.stderr)
        return 2
    return 0


def print_team(team: Iterable[Any], nobodys: tuple[int, int]) -> None:
    """``rep list``, from either store: a line per rep, then the rows nobody owns."""
    for r in team:
        print(t("team.line", login=r.login, name=safe_text(r.name), role=t(f"team.role.{r.role}"),
                state="" if r.active else t("team.inactive"), clients=i18n.counted("clients", r.clients),
                prospects=i18n.counted("prospects", r.prospects)))
    for line in unowned_lines(*nobodys):
        print(line)


NOBODY = "-"  # ``rep transfer - LOGIN``: the clients and prospects no rep owns (no login is "-")


def unowned_lines(clients: int, prospects: int) -> list[str]:
    """What ``rep list`` says of the rows nobody owns (none: nothing): in no
    rep's portfolio, and the command a manager gives them to a rep with."""
    if not clients and not prospects:
        return []
    return [t("team.unowned", clients=i18n.counted("clients", clients),
                     prospects=i18n.counted("prospects", prospects), nobody=NOBODY)]

