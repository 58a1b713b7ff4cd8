"""``cockpit settings``: the settings that change figures (limits, mode, zones,
criteria, rhythms: METHOD §8), as the workspace has them in force, each with
where it comes from; ``--save`` stores this config.toml's as the workspace's,
for every rep, in one transaction (PostgreSQL lets only managers). And the
note a command says when a rep's config.toml sets one the workspace overrides."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from cockpit.i18n import t
from cockpit.safe_text import safe_text

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace


def run_settings(args: argparse.Namespace, personal: Config, cfg_path: Path,
                 open_workspace: Callable[[], tuple[Workspace, Config]]) -> int:
    from cockpit.store import shared_settings

    ws, effective = open_workspace()
    if args.save:
        shared_settings.save_sections(ws, shared_settings.figure_values(personal))
        print(t("settings.saved", path=str(cfg_path), workspace=str(ws.path)))
        effective = shared_settings.apply(personal, ws)
    held, team = shared_settings.stored(ws), shared_settings.is_team(ws)
    for section, values in shared_settings.figure_values(effective).items():
        for key, value in values.items():
            origin = "workspace" if key in held.get(section, {}) else "default" if team else "config"
            shown = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f'"{value}"'
            print(safe_text(f"{section}.{key} = {shown}  # {t('settings.from.' + origin)}"))
    return 0


def say_ignored(personal: Config, effective: Config, cfg_path: Path) -> None:
    """One line on stderr when the rep's config.toml sets a figure setting the workspace decides."""
    from cockpit.store import shared_settings

    keys = shared_settings.ignored(personal, effective)
    if keys:
        print(t("settings.ignored", path=str(cfg_path), keys=", ".join(keys)), file=sys.stderr)
