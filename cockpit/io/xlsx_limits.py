"""Limits on an XLSX before openpyxl reads it: a workbook is a zip of XML,
and a small file can hold one huge cell or millions of empty rows (0.5 MB
holding a 500 MB cell took 39 s and 3 GB). Checked from the zip's directory,
then by streaming each XML part once (bounded memory), all configurable in
``config.toml`` ([xlsx]); a bomb is refused with a clear error.

Python's zipfile never inflates a member beyond its declared size (the CRC
check fails), so the declared sizes bound what the stream can produce.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from typing import Any

from cockpit.io.input_error import InputError, file_error

DEFAULTS: dict[str, int] = {
    "max_uncompressed_mb": 200,  # all the workbook's parts together, inflated
    "max_ratio": 100,  # inflated / file size, once the parts pass 10 MB
    "max_rows": 1_048_576,  # per sheet: Excel's own limit
    "max_cells": 20_000_000,  # per sheet
    "max_cell_chars": 32_767,  # Excel's own limit
}
_RATIO_FLOOR = 10 << 20  # small files compress well and are harmless
_CHUNK = 1 << 20
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")

_limits = dict(DEFAULTS)


def configure(values: Mapping[str, Any]) -> None:
    """The [xlsx] section of the configuration (the CLI and the app call it)."""
    _limits.update({k: int(v) for k, v in values.items() if k in DEFAULTS})


def limits() -> dict[str, int]:
    return dict(_limits)


def _too_big(path: str, what_fr: str, what_en: str, value: int, key: str) -> InputError:
    limit = _limits[key]
    fr, en = f"{value:,} > {limit:,}".replace(",", " "), f"{value:,} > {limit:,}"
    return file_error(path, f"classeur refusé : {what_fr} ({fr}) ; si le fichier est sûr, relevez [xlsx] {key} "
                            "dans config.toml",
                      f"workbook refused: {what_en} ({en}); if the file is safe, raise [xlsx] {key} in config.toml")


def check_workbook(path: str, data: bytes) -> None:
    """Raise an InputError if the workbook in ``data`` exceeds a limit."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # noqa: BLE001  not a zip: openpyxl's own error says so
        return
    with archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        if total > _limits["max_uncompressed_mb"] << 20:
            raise _too_big(path, "taille décompressée en Mo", "uncompressed size in MB", -(-total >> 20), "max_uncompressed_mb")
        if total > _RATIO_FLOOR and total > _limits["max_ratio"] * max(len(data), 1):
            raise _too_big(path, "taux de compression", "compression ratio", total // max(len(data), 1), "max_ratio")
        for member in members:
            if member.filename.endswith(".xml"):
                _scan(path, archive, member)


def _scan(path: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """One pass over an XML part: rows and cells of a sheet, and no text run
    (a cell's value between two tags) longer than a cell may be."""
    sheet = member.filename.startswith("xl/worksheets/")
    # Bytes >= characters: a run up to 4 bytes a character may still fit.
    long_run = re.compile(rb"[^<]{%d,}" % (_limits["max_cell_chars"] * 4 + 1))
    rows = cells = 0
    carry = b""  # what follows the last tag seen: a text run (or a tag) that goes on
    try:
        with archive.open(member) as stream:
            while chunk := stream.read(_CHUNK):
                text = carry + chunk
                if run := long_run.search(text):
                    raise _too_big(path, "une cellule d'au moins ce nombre d'octets", "a cell of at least this many bytes",
                                   len(run.group()), "max_cell_chars")
                cut = text.rfind(b">") + 1
                if sheet:
                    rows += len(_ROW.findall(text, 0, cut))
                    cells += len(_CELL.findall(text, 0, cut))
                    if rows > _limits["max_rows"]:
                        raise _too_big(path, "lignes dans une feuille", "rows in one sheet", rows, "max_rows")
                    if cells > _limits["max_cells"]:
                        raise _too_big(path, "cellules dans une feuille", "cells in one sheet", cells, "max_cells")
                carry = text[cut:]
    except InputError:
        raise
    except Exception:  # noqa: BLE001  a damaged zip raises anything: openpyxl's own error says so
        return
