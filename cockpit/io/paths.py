"""File names as a rep types them in a prompt: Tab completes a path as a
shell does (the common beginning of the entries it can be, a folder ending
with its separator), and lists the candidates when there are several."""

from __future__ import annotations

import os
from pathlib import Path


def complete_path(text: str, limit: int = 200) -> tuple[str, list[str]]:
    """(the text completed as far as it is unambiguous, the candidates' names).
    A folder is completed with its separator; hidden entries only when the
    typed name starts with a dot; an unreadable folder completes nothing."""
    typed = os.path.expanduser(text) if text.startswith("~") else text
    folder, _, prefix = typed.rpartition(os.sep)
    base = Path(folder + os.sep if folder or typed.startswith(os.sep) else ".")
    try:
        names = sorted(e.name + (os.sep if e.is_dir() else "") for e in os.scandir(base)
                       if e.name.startswith(prefix) and (prefix.startswith(".") or not e.name.startswith(".")))
    except OSError:
        return text, []
    if not names:
        return text, []
    common = os.path.commonprefix(names)
    head = typed[: len(typed) - len(prefix)]
    return head + common, names[:limit]
