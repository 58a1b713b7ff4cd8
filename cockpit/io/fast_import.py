"""`cockpit import clients|sales` on the columnar path (`stream_read`,
`bulk_load`), with a progress bar on a terminal. None means: not this file
(a workbook, --skip-bad, an odd CSV): the reference importer takes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cockpit.io.bulk_load import Cancelled, import_clients, import_sales
from cockpit.io.chunks import NotFast
from cockpit.io.progress import Bar
from cockpit.io.stream_read import Redo, StreamReader
from cockpit.store.loading import Replaced
from cockpit.store.workspace import Workspace

__all__ = ["Cancelled", "fast_import"]


def fast_import(ws: Workspace, kind: str, file: Path, period: str | None,
                confirm: Callable[[Callable[[], list[Replaced]]], bool], bar: Bar | None = None) -> int | None:
    """Rows imported, or None when the reference importer must read this file.
    Raises InputError (nothing written) or Cancelled (the rep said no)."""
    decimals = None
    bar = bar or Bar()
    try:
        for _ in range(2):
            try:
                reader = StreamReader(str(file), kind, decimals=decimals)
                if kind == "clients":
                    return import_clients(ws, reader, period, bar)
                return import_sales(ws, reader, confirm, bar)
            except Redo as redo:  # rolled back; once more with the whole file's decimal marks
                decimals = redo.decimals
        return None
    except NotFast:
        return None
    finally:
        bar.close()
