"""What a rep reads of a fault: a sentence for one they can act on (the same
in the CLI and in the app), and for an unexpected one its traceback in a log
file, never on the rep's screen."""

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


def said(exc: BaseException) -> tuple[str, int] | None:
    """The sentence of a fault the rep can act on, with the command's exit code
    (2: bad input, a refusal, a place that cannot be written; 1: no room left);
    None for an unexpected one. Imported late: the CLI's `abc` never loads the store."""
    from cockpit.config import ConfigError
    from cockpit.i18n import current, t
    from cockpit.io.file_modes import NO_ROOM
    from cockpit.io.input_error import InputError
    from cockpit.safe_text import safe_text
    from cockpit.store.workspace_open import AdminError, ReadOnly

    if isinstance(exc, (InputError, ConfigError, AdminError, ReadOnly)):  # a TeamError (--rep) is an AdminError
        return safe_text(exc.message(current()) if isinstance(exc, InputError) else str(exc)), 2  # names are data
    if isinstance(exc, OSError) and exc.errno in NO_ROOM:  # a full disk, a quota, a file-size limit: as SQLite's full disk
        return t("cli.no_room", path=str(exc.filename or ""), reason=exc.strerror or str(exc)), 1
    if isinstance(exc, OSError):  # a directory that is not there, a file that cannot be written
        return t("cli.os_error", path=str(exc.filename or ""), reason=exc.strerror or str(exc)), 2
    return None
