"""The textual-serve web server behind ``cockpit serve`` (checks and warnings: ``cockpit/serve.py``).

Each browser tab that opens the page gets its own cockpit process, run as
``command`` with Textual's web driver; closing the tab quits it.
"""

from __future__ import annotations


def run(command: str, *, host: str, port: int, title: str, public_url: str) -> None:
    """Bind ``host:port`` and serve until SIGINT/SIGTERM; OSError if the address cannot be bound."""
    from textual_serve.server import Server

    Server(command, host=host, port=port, title=title, public_url=public_url).serve()
