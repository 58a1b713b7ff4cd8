"""Where an unexpected fault's traceback goes: a log file, never the rep's screen."""

from __future__ import annotations

import traceback
from pathlib import Path


def log_exception(error: BaseException | None) -> Path:
    """Append the traceback to the user's log file and return its path."""
    from platformdirs import user_log_dir

    log = Path(user_log_dir("sales-cockpit")) / "errors.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    from cockpit.io.file_modes import create

    with open(create(log, append=True), "a", encoding="utf-8") as f:  # tracebacks may quote data: 0600
        if error is not None:
            traceback.print_exception(error, file=f)
    return log
