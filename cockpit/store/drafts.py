"""What a rep was typing when the SSH link dropped (SIGHUP) or the process was
told to stop (SIGTERM): kept in a small private file, offered back at the
next start, then forgotten."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any


def draft_path(workspace: Path) -> Path:
    """One draft per workspace, next to the user's state (not in the shared workspace)."""
    from platformdirs import user_state_dir

    safe = str(Path(workspace).resolve()).strip("/").replace("/", "_")
    return Path(os.environ.get("COCKPIT_STATE_DIR") or user_state_dir("sales-cockpit")) / "drafts" / f"{safe}.json"


def save_draft(workspace: Path, draft: dict[str, Any]) -> Path:
    path = draft_path(workspace)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(draft, f, ensure_ascii=False)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    return path


def take_draft(workspace: Path) -> dict[str, Any] | None:
    """The saved draft, removed from disk (it is offered once)."""
    path = draft_path(workspace)
    try:
        draft = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    path.unlink(missing_ok=True)
    return draft if isinstance(draft, dict) else None
