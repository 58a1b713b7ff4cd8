"""The textual-serve web server behind ``cockpit serve`` (checks, token and
warnings: ``cockpit/serve.py`` and ``cockpit/serve_guard.py``).

Each browser tab that opens the page gets its own cockpit process, run as
``command`` with Textual's web driver; closing the tab quits it. A middleware
puts the guard in front of every route textual-serve has (the page, its
static files, downloads and the WebSocket), so nothing reaches them without
the session cookie, from a foreign Host, or (WebSocket) from a foreign Origin.
"""

from __future__ import annotations

import html
import logging
import re
from typing import TYPE_CHECKING, Any, Awaitable, Callable
from urllib.parse import urlencode

from cockpit.i18n import current, t

if TYPE_CHECKING:
    from aiohttp import web

    from cockpit.serve_guard import Guard

# Never framed by another site, never kept by a cache, never sent on as a Referer.
_HEADERS = {"X-Frame-Options": "DENY", "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _hide_token(record: logging.LogRecord) -> bool:
    """The access log names each request: not the token of the first one."""
    record.msg = re.sub(r"token=[^&\s\"]*", "token=…", str(record.msg))
    return True


def run(command: str, *, host: str, port: int, title: str, public_url: str, guard: Guard) -> None:
    """Bind ``host:port`` and serve until SIGINT/SIGTERM; OSError if the address cannot be bound."""
    from textual_serve.server import Server

    class GuardedServer(Server):
        def initialize_logging(self) -> None:
            super().initialize_logging()
            logging.getLogger("aiohttp.access").addFilter(_hide_token)

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(middleware(guard))
            app.on_cleanup.append(lambda app: sessions_ended())
            return app

    GuardedServer(command, host=host, port=port, title=title, public_url=public_url).serve()


async def sessions_ended(timeout: float = 3) -> None:
    """On SIGTERM, aiohttp cancels the sessions (textual-serve then tells each
    cockpit to quit) and closes the event loop: a cockpit still exiting then
    leaves its subprocess transport to be collected on a closed loop, which
    prints a traceback. Wait until this server has no child left, then let the
    loop see them go."""
    import asyncio
    import time

    end = time.monotonic() + timeout
    while _children() and time.monotonic() < end:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.1)  # the child watcher's callbacks run on the loop


def _children() -> list[int]:
    """The pids whose parent is this process, from /proc (Linux; elsewhere none known)."""
    import os
    from pathlib import Path

    me, found = os.getpid(), []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            _state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, IndexError, ValueError):
            continue  # gone meanwhile
        if int(ppid) == me:
            found.append(int(stat.parent.name))
    return found


Handler = Callable[["web.Request"], Awaitable["web.StreamResponse"]]


def middleware(guard: Guard) -> Any:
    """An aiohttp middleware answering for ``guard`` before any route does."""
    from aiohttp import web

    from cockpit.serve_guard import Decision

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        decision = guard.decide(path=request.path, host=request.headers.get("Host"),
                                origin=request.headers.get("Origin"), token=request.query.get("token"),
                                cookie=request.cookies.get(guard.cookie), upgrade=request.headers.get("Upgrade"))
        if decision is Decision.PASS:
            response = await handler(request)
            if not response.prepared:  # a WebSocket has already sent its headers
                response.headers.update(_HEADERS)
            return response
        if decision is Decision.LOGIN:
            rest = [(k, v) for k, v in request.query.items() if k != "token"]
            # Relative, so a proxy's path prefix stays; the token leaves the address bar.
            location = "./" + ("?" + urlencode(rest) if rest else "")
            return web.Response(status=303, headers={**_HEADERS, "Location": location,
                                                     "Set-Cookie": guard.set_cookie()})
        return refusal(decision.value)

    return check


def refusal(reason: str) -> web.Response:
    """403 and a small page saying, in the interface's language, how to get in."""
    from aiohttp import web

    body = (f'<!DOCTYPE html><html lang="{current()}"><head><meta charset="utf-8">'
            f"<title>{html.escape(t('app.title'))}</title></head><body>"
            f"<h1>{html.escape(t('serve.denied.title'))}</h1><p>{html.escape(t(f'serve.denied.{reason}'))}</p>"
            "</body></html>")
    return web.Response(status=403, text=body, content_type="text/html", headers=_HEADERS)
