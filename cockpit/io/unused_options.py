"""An option the command would ignore for its input is refused in a
sentence, before anything is read or written: ``--sheet`` for a file that
is no workbook, ``--period`` for an import whose lines carry their dates.
A rep who typed it expects it to act; silently ignored, it did not."""

from __future__ import annotations

import argparse
from pathlib import Path

from cockpit.i18n import both
from cockpit.io.input_error import InputError

PERIOD_KINDS = ("clients",)  # the imports --period acts on: a money column without a year


def refuse_unused(args: argparse.Namespace) -> None:
    """Raise InputError for ``cockpit import`` or ``abc`` given an option its input makes moot."""
    kind = getattr(args, "kind", None)
    period = getattr(args, "period", None)
    if args.command == "import" and period is not None and kind not in PERIOD_KINDS:
        raise InputError("--period", None, None, period, *both("input.period_not_for", kind=kind))
    if args.command == "import" and kind == "workspace" and args.skip_bad:
        raise InputError("--skip-bad", None, None, None, *both("input.skip_bad_not_for", kind=kind))
    sheet = getattr(args, "sheet", None)
    if sheet is not None and not _maybe_workbook(args.file):
        raise InputError(str(args.file), None, None, None, *both("input.sheet_not_workbook", sheet=sheet))


def _maybe_workbook(path: Path) -> bool:
    """A zip (the format is decided by magic bytes, never by the name), or a
    file not read here: its reader says why in its own words."""
    try:
        with open(path, "rb") as fh:
            return fh.read(2) == b"PK"
    except OSError:
        return True
