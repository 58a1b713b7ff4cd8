"""The ``cockpit`` command: the core's command line (cockpit.cli) with this
terminal interface handed to it, so the core never imports the interface."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cockpit import cli
from cockpit.config import Config


class TerminalInterface:
    def run_app(self, ws: Any, cfg: Config, cfg_path: Path, prefetch: Any, mouse: bool) -> int:
        from screens.app import CockpitApp

        app = CockpitApp(ws, cfg, cfg_path, prefetch=prefetch)
        app.run(mouse=mouse)
        return app.return_code or 0

    def serve(self, command: str, *, host: str, port: int, title: str, public_url: str, guard: Any) -> None:
        from screens.serve import run

        run(command, host=host, port=port, title=title, public_url=public_url, guard=guard)


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, TerminalInterface())
