"""``cockpit serve``: the same terminal app in a browser, through textual-serve.

Every browser session proves it holds the secret token printed at start
(``cockpit/serve_guard.py``: token, cookie, Host and Origin checks) before it
gets a terminal, and the cockpit it gets works as one rep: the serving
account's login, or ``--rep LOGIN``. The default is loopback only (reach it
through an SSH tunnel, or behind a TLS proxy): on any other address the token
and the session would cross the network in clear, so it prints a warning
first and is refused unless ``--accept-cleartext`` says the risk is understood.

This module only checks and prints; the web server itself is built in
``screens/serve.py`` (the core never imports Textual or textual-serve).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from cockpit.i18n import t

if TYPE_CHECKING:
    from cockpit.store.workspace import Workspace

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """The ``serve`` subcommand, on the subparsers of ``cockpit``'s parser."""
    srv = sub.add_parser(
        "serve", help="serve the app to a browser with textual-serve, behind a secret token",
        description="Serve the cockpit to web browsers with textual-serve. The address printed at start carries a "
                    "secret token (?token=...): only a browser that opened it gets a cockpit, working as the rep "
                    "given with --rep (default: this account's login). Requests naming another Host, and WebSockets "
                    "opened by another site (Origin), are refused. By default it listens on 127.0.0.1 only (open it "
                    "through an SSH tunnel: ssh -L 8000:127.0.0.1:8000 SERVER); any other --host is refused unless "
                    "--accept-cleartext is given.")
    srv.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}, loopback only)")
    srv.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    srv.add_argument("--accept-cleartext", action="store_true",
                     help="required with a --host that is not loopback: you accept that the token and the session "
                          "cross the network unencrypted (plain HTTP) unless a TLS proxy is in front")
    srv.add_argument("--public-url", help="address browsers use to reach the server, if not http://HOST:PORT "
                                          "(e.g. https://... behind a reverse proxy: the cookie is then Secure)")
    srv.add_argument("--allow-host", action="append", default=[], type=_allowed_host, metavar="NAME[:PORT]",
                     help="another name browsers use in the address (Host header); repeat for several. "
                          "The served host, its loopback aliases and --public-url's are always allowed")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a port number from 1 to 65535")
    return port


def _allowed_host(text: str) -> str:
    from cockpit.serve_guard import parse_allowed_host

    try:
        parse_allowed_host(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def is_loopback(host: str) -> bool:
    """True only for addresses no other machine can reach: 127.0.0.0/8, ::1, 'localhost'."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything, treat it as reachable from outside


def public_url(host: str, port: int) -> str:
    host = host.strip("[]")
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def app_command(args: argparse.Namespace) -> str:
    """The shell command textual-serve runs once per browser tab: this very cockpit, same options (``--rep``
    included: without it the rep is the login, as in a terminal)."""
    from cockpit.store.pg.target import is_postgres

    argv = [sys.executable, "-m", "screens"]
    postgres = is_postgres(args.db)
    if args.db and not postgres:  # PostgreSQL's target (a password maybe) goes by the environment: serve()
        argv += ["--db", str(Path(args.db).expanduser().resolve())]
    if getattr(args, "demo", False):
        argv.append("--demo")
    if args.config:
        argv += ["--config", str(Path(args.config).expanduser().resolve())]
    if args.lang:
        argv += ["--lang", args.lang]
    if args.rep and not postgres:  # on PostgreSQL the rep is the role of COCKPIT_DB's target
        argv += ["--rep", args.rep]
    return shlex.join(argv)


def serve(args: argparse.Namespace, run: Callable[..., None] | None, open_workspace: Callable[[], Workspace]) -> int:
    """Check the address, then the workspace and the rep (``open_workspace``
    raises on a ``--rep`` not in the team), print the address with its token,
    then hand over to textual-serve (``run``: it binds and runs until ctrl+c;
    None from ``python -m cockpit.cli``, which has no interface to serve)."""
    from cockpit.serve_guard import Guard

    if run is None:
        print(t("cli.no_interface"), file=sys.stderr)
        return 2

    url = (args.public_url or public_url(args.host, args.port)).rstrip("/")
    if not is_loopback(args.host):
        # Said before anything is bound, whatever happens next.
        print(t("serve.cleartext_warning", host=args.host, port=args.port), file=sys.stderr)
        if not args.accept_cleartext:
            print(t("serve.refused", host=args.host), file=sys.stderr)
            return 2
    ws = open_workspace()
    rep = ws.who
    if ws.backend == "postgresql":
        # Each tab's cockpit connects as the same role, so the database gives it that rep's rows and no
        # other's. By the environment (this account's processes only), never on a command line `ps` shows.
        os.environ["COCKPIT_DB"] = ws.conninfo  # type: ignore[attr-defined]  # a PgWorkspace's target, --rep as its user
    ws.close()
    guard = Guard.new(args.host, args.port, url, args.allow_host)
    # The one place the token is shown: the terminal of the account that serves.
    print(t("serve.open", url=guard.login_url(url), rep=rep), file=sys.stderr)
    try:
        run(app_command(args), host=args.host, port=args.port, title=t("app.title"), public_url=url, guard=guard)
    except OSError as exc:  # port taken, address not on this machine, ...
        print(t("serve.bind_failed", host=args.host, port=args.port, error=exc.strerror or exc), file=sys.stderr)
        return 2
    return 0
