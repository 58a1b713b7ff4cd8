"""``cockpit serve``: the same terminal app in a browser, through textual-serve.

textual-serve has no authentication of its own: whoever reaches the port gets
a cockpit on the workspace, with the rights of the account that runs it. So
the default is loopback only (reach it through an SSH tunnel, or behind a
reverse proxy that authenticates); any other address prints a warning first
and is refused unless ``--accept-no-auth`` says the risk is understood.

This module only checks and prints; the web server itself is built in
``screens/serve.py`` (the core never imports Textual or textual-serve).
"""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys
from pathlib import Path
from typing import Any, Callable

from cockpit.i18n import t
from cockpit.config import Config

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def add_parser(sub: argparse._SubParsersAction[Any]) -> None:
    """The ``serve`` subcommand, on the subparsers of ``cockpit``'s parser."""
    srv = sub.add_parser(
        "serve", help="serve the app to a browser with textual-serve (no authentication of its own)",
        description="Serve the cockpit to web browsers with textual-serve. It has NO authentication of its own: "
                    "anyone who can reach the address gets a cockpit on the workspace. By default it listens on "
                    "127.0.0.1 only (open it through an SSH tunnel: ssh -L 8000:127.0.0.1:8000 SERVER); any "
                    "other --host is refused unless --accept-no-auth is given.")
    srv.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}, loopback only)")
    srv.add_argument("--port", type=_port, default=DEFAULT_PORT, help=f"TCP port (default {DEFAULT_PORT})")
    srv.add_argument("--accept-no-auth", action="store_true",
                     help="required with a --host that is not loopback: you accept that anyone reaching it "
                          "can use the cockpit without logging in")
    srv.add_argument("--public-url", help="address browsers use to reach the server, if not http://HOST:PORT "
                                          "(e.g. behind a reverse proxy)")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a port number from 1 to 65535")
    return port


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
    """The shell command textual-serve runs once per browser tab: this very cockpit, same options."""
    argv = [sys.executable, "-m", "screens"]
    if args.db:
        argv += ["--db", str(Path(args.db).expanduser().resolve())]
    if args.config:
        argv += ["--config", str(Path(args.config).expanduser().resolve())]
    if args.lang:
        argv += ["--lang", args.lang]
    return shlex.join(argv)


def serve(args: argparse.Namespace, cfg: Config, run: Callable[..., None]) -> int:
    """Check the address, warn, then hand over to textual-serve (which binds and runs until ctrl+c)."""
    url = args.public_url or public_url(args.host, args.port)
    if not is_loopback(args.host):
        # Said before anything is bound, whatever happens next.
        print(t("serve.no_auth_warning", host=args.host, port=args.port), file=sys.stderr)
        if not args.accept_no_auth:
            print(t("serve.refused", host=args.host), file=sys.stderr)
            return 2
    else:
        print(t("serve.local", url=url), file=sys.stderr)
    try:
        run(app_command(args), host=args.host, port=args.port, title=t("app.title"), public_url=url)
    except OSError as exc:  # port taken, address not on this machine, ...
        print(t("serve.bind_failed", host=args.host, port=args.port, error=exc.strerror or exc), file=sys.stderr)
        return 2
    return 0
