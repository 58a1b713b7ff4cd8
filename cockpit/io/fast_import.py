"""`cockpit import clients|sales` on the columnar path (`stream_read`,
`bulk_load`), with a progress bar on a terminal. None means: not this file
(a workbook, --skip-bad, an odd CSV): the reference importer takes it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from cockpit.io.bulk_load import Cancelled, Interrupted, Progress, Stop, import_clients, import_sales
from cockpit.io.chunks import NotFast
from cockpit.io.input_error import no_line
from cockpit.io.progress import Bar
from cockpit.io.stream_read import Redo, StreamReader
from cockpit.store.loading import Replaced
from cockpit.store.workspace import Workspace

__all__ = ["Cancelled", "Interrupted", "fast_import"]


def _never() -> bool:
    return False


def fast_import(ws: Workspace, kind: str, file: Path, period: str | None,
                confirm: Callable[[Callable[[], list[Replaced]]], bool], bar: Bar | Progress | None = None,
                stop: Stop = _never) -> int | None:
    """Rows imported, or None when the reference importer must read this file.
    Raises InputError (nothing written), Cancelled (the rep said no) or
    Interrupted (``stop`` said so between two chunks: rolled back)."""
    if kind == "sales":
        from cockpit.store.reps import sales_owner

        if sales_owner(ws) is not None:  # a rep's own lines, a few thousand: the reference importer scopes them
            return None
    decimals, check = None, False
    progress = bar or Bar()
    try:
        for _ in range(3):
            try:
                reader = StreamReader(str(file), kind, decimals=decimals, check=check, need_rows=True)
                if kind == "clients":
                    return import_clients(ws, reader, period, progress, stop)
                return import_sales(ws, reader, confirm, progress, stop)
            except Redo as redo:  # rolled back; once more: with the whole file's decimal marks, or its encoding
                decimals, check = redo.decimals, check or redo.check
        return None
    except NotFast:
        return None
    finally:
        if isinstance(progress, Bar):
            progress.close()


def import_file(ws: Workspace, kind: str, file: Path, period: str | None, progress: Progress,
                stop: Stop = _never) -> int:
    """The app's import of clients or sales lines: the columnar path, else the
    reference reader (a workbook, an odd CSV: read whole, ``stop`` asked before
    anything is written). A sales file replaces its years (the app does not ask).
    Raises InputError or Interrupted, with nothing written."""
    count = fast_import(ws, kind, file, period, lambda replaced: True, progress, stop)
    if count is not None:
        return count
    from cockpit.io.duplicates import check_unique
    from cockpit.io.tabular import read_records
    from cockpit.store.loading import import_clients as clients_by_row, import_sales as sales_by_row

    records = check_unique(read_records(file, kind), kind, False)  # a repeated code names both lines
    if not records.lines:
        raise no_line(str(file))
    if stop():
        raise Interrupted()
    return clients_by_row(ws, records, period) if kind == "clients" else sales_by_row(ws, records)
