"""XLSX tables people open in Excel: headers in the interface's language,
real number formats (euros, percentages, dates, whole numbers), column
widths from the first rows, written in openpyxl's write-only mode (rows
streamed to the file, memory bounded whatever the number of rows).

Headers the table does not know stay as given (a prospect criterion, a
period). Never a formula: every text cell is written as a string."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from cockpit.io.export_words import header, translator

EUROS = {"amount", "potential", "new_revenue", "lost_revenue", "revenue", "expected", "shortfall", "margin",
         "new_margin", "lost_margin"}
SHARES = {"cum_share", "share_of_wallet", "churn", "revenue_churn", "margin_churn", "client_share", "contact_share",
          "amount_share", "potential_share"}
_FORMATS = {"euros": '#,##0.00 "€"', "share": "0.0%", "date": "DD/MM/YYYY", "int": "0"}
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _kind(key: str, sample: Sequence[object]) -> str | None:
    if key in EUROS:
        return "euros"
    if key in SHARES:
        return "share"
    first = next((v for v in sample if v is not None and v != ""), None)
    if isinstance(first, dt.date):
        return "date"
    return "int" if isinstance(first, int) and not isinstance(first, bool) else None


def write_xlsx(path: Path, tmp: Path, headers: list[str], rows: Iterable[Sequence[object]], sheet: str) -> None:
    """The table to ``tmp`` (already created with the right mode), then renamed to ``path``."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    try:
        _write(book, ws, headers, rows, tmp)
    except BaseException:
        _abandon(ws)
        raise
    os.replace(tmp, path)


def _abandon(ws: Any) -> None:
    """A write that stopped half-way (a full disk, a size limit): openpyxl's
    generators closed now, which at garbage collection would print "Exception
    ignored" on the rep's screen, and its temporary file of rows removed."""
    writer = getattr(ws, "_writer", None)
    for stream in (getattr(ws, "_rows", None), getattr(writer, "xf", None)):
        if stream is not None:
            with contextlib.suppress(Exception):  # closing flushes what could not be written already
                stream.close()
    with contextlib.suppress(Exception):
        if writer is not None and isinstance(writer.out, str):
            writer.cleanup()


def _write(book: Any, ws: Any, headers: list[str], rows: Iterable[Sequence[object]], tmp: Path) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    words = translator(headers)  # codes (a zone, a reason) in the interface's words
    it = iter(rows) if words is None else map(words, rows)
    head = [row for row, _ in zip(it, range(200))]  # widths and formats from the first rows
    kinds = [_kind(h, [r[c] for r in head if c < len(r)]) for c, h in enumerate(headers)]
    titles = [header(h) for h in headers]
    for c, title in enumerate(titles):
        longest = max([len(title)] + [len(_shown(r[c])) for r in head if c < len(r)])
        ws.column_dimensions[get_column_letter(c + 1)].width = min(60, max(8, longest + 2))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def text(value: str) -> Any:
        cell = WriteOnlyCell(ws, value=_ILLEGAL_XML.sub("", value))
        cell.data_type = "s"  # openpyxl takes a text starting with "=" for a formula: never
        return cell

    first = []
    for title in titles:
        cell = text(title)
        cell.font = bold
        first.append(cell)
    ws.append(first)
    # One cell per column, styled once and refilled for each row: openpyxl's
    # write-only sheet writes a row as soon as it is appended.
    texts = [WriteOnlyCell(ws) for _ in headers]
    numbers = [WriteOnlyCell(ws) for _ in headers]
    for c, kind in enumerate(kinds):
        numbers[c].number_format = _FORMATS[kind or "int"]
    for row in itertools.chain(head, it):
        cells: list[Any] = []
        for c, v in enumerate(row):
            if isinstance(v, str):
                cell = texts[c]
                cell.value = _ILLEGAL_XML.sub("", v) if _ILLEGAL_XML.search(v) else v
                cell.data_type = "s"
            elif v is None or kinds[c] is None:
                cell = v
            else:
                cell = numbers[c]
                cell.value = float(v) if isinstance(v, Decimal) else cast(Any, v)
            cells.append(cell)
        ws.append(cells)
    _save(book, tmp)


def _save(book: Any, tmp: Path) -> None:
    """`Workbook.save`, with the archive closed even when a write fails (a full
    disk): openpyxl leaves it to the garbage collector, which prints "Exception ignored"."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    book.properties.modified = dt.datetime.now(tz=dt.timezone.utc).replace(tzinfo=None)
    with ZipFile(tmp, "w", ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, Decimal)):
        return f"{float(value):,.2f}"
    return str(value)
