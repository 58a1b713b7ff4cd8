"""Bytes to rows: decide the format by magic bytes, decode CSV text (UTF-8,
UTF-16 with BOM, else cp1252; never a charset detector), sniff the separator,
read XLSX cells with openpyxl. Rows keep their physical line numbers."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterable
from typing import Any

from cockpit.input_error import InputError, file_error
from cockpit.numbers_fr import EPOCH_1900, clean_text, printable, unguard

Row = tuple[int, list[Any]]  # (physical line or sheet row, cells)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXCEL_EXTENSIONS = (".xlsx", ".xlsm", ".xltx", ".xls")




def refuse_other_binaries(path: str, data: bytes) -> None:
    """Every non-zip input must be an OLE2 file we can name, or text."""
    if not data:
        raise file_error(path, "fichier vide", "empty file")
    if data.startswith(_OLE2):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise file_error(path, "classeur protégé par mot de passe : enregistrez-en une copie sans mot de passe",
                              "password-protected workbook: save a copy without a password")
        raise file_error(path, "format Excel 97-2003 (.xls) non pris en charge : enregistrez-le en .xlsx ou CSV",
                          "Excel 97-2003 format (.xls) not supported: save it as .xlsx or CSV")
    if path.lower().endswith(_EXCEL_EXTENSIONS):
        raise file_error(path, "n'est pas un classeur Excel (.xlsx) : c'est peut-être un CSV renommé",
                          "is not an Excel workbook (.xlsx): perhaps a renamed CSV")
    if b"\x00" in data[:8192] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise file_error(path, "fichier binaire : ni un CSV ni un classeur .xlsx",
                          "binary file: neither a CSV nor an .xlsx workbook")


def _decode(path: str, data: bytes) -> str:
    """Strict UTF-8 (BOM or not), UTF-16 with BOM, else Windows-1252. No guessing."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
    line = None if encodings == ("utf-16",) else data[: error.start].count(b"\n") + 1
    raise file_error(path,
                     "encodage illisible (ni UTF-8 ni Windows-1252) : réenregistrez en « CSV UTF-8 »",
                     "unreadable encoding (neither UTF-8 nor Windows-1252): save as 'CSV UTF-8'", line)


_SEPARATORS = (";", "\t", "|", ",")  # order breaks ties: ';' is the French default
_QUOTED = re.compile(r'"[^"]*(?:""[^"]*)*"')
_SEP_LINE = re.compile(r'"?sep=([^"\r\n])"?[ \t]*(?:\r\n|\r|\n|$)', re.IGNORECASE)


def _sniff_separator(text: str) -> str:
    """The candidate found outside quotes on the most lines, then the most
    steadily; ties go to the French ';' (a decimal-comma file stays ';')."""
    sample = _QUOTED.sub("", text[:65536])
    lines = [line for line in sample.splitlines() if line.strip()][:30]

    def score(sep: str) -> tuple[int, int, int]:
        counts = [line.count(sep) for line in lines if sep in line]
        return len(counts), max(Counter(counts).values(), default=0), -_SEPARATORS.index(sep)

    best = max(_SEPARATORS, key=score)
    return best if score(best)[0] else ";"


def csv_rows(path: str, data: bytes) -> list[Row]:
    text = _decode(path, data)
    sep_line = _SEP_LINE.match(text)
    sep = sep_line[1] if sep_line else _sniff_separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    rows: list[Row] = []
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not (sep_line and start == 1):
                rows.append((start, [clean_text(unguard(c)) for c in cells]))
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise file_error(path, "cellule de plus de 128 000 caractères : ce n'est pas un tableau",
                              "cell longer than 128,000 characters: not a table", last + 1) from None
        raise file_error(path,
                         "guillemets mal appariés : une cellule entre guillemets commence ici "
                         "et n'est pas refermée correctement",
                         "unbalanced quotes: a quoted cell starts here and is not closed properly", last + 1) from None
    return rows


def xlsx_rows(path: str, data: bytes, sheet: str | None) -> tuple[list[Row], dt.date, Any]:
    """Rows of one sheet (typed values, text cleaned), its epoch, and a formula probe."""
    if b"opendocument" in data[:200]:
        raise file_error(path, "format OpenDocument (.ods) non pris en charge : enregistrez-le en .xlsx ou CSV",
                          "OpenDocument format (.ods) not supported: save it as .xlsx or CSV")
    book = _open_book(path, data, data_only=True)
    try:
        ws = _pick_sheet(path, book, sheet)
        ws.reset_dimensions()  # read-only mode trusts a declared size some writers get wrong
        epoch = dt.date(1904, 1, 1) if book.epoch.year == 1904 else EPOCH_1900
        rows = [(n, [clean_text(unguard(v)) if isinstance(v, str) else v for v in values])
                for n, values in enumerate(ws.iter_rows(values_only=True), 1)]
        title = ws.title
    except InputError:
        raise
    except Exception:  # noqa: BLE001  openpyxl raises anything on a damaged sheet
        raise file_error(path, "classeur Excel endommagé ou illisible", "damaged or unreadable Excel workbook") from None
    finally:
        book.close()

    def formulas(after: int, columns: Iterable[int]) -> Iterable[tuple[int, int, str]]:
        """(row, column, formula) of formula cells below the header, in order."""
        fbook = _open_book(path, data, data_only=False)
        try:
            fws = fbook[title]
            fws.reset_dimensions()
            for n, values in enumerate(fws.iter_rows(values_only=True), 1):
                for c in columns if n > after else ():
                    v = values[c] if c < len(values) else None
                    if isinstance(v, str) and v.startswith("=") or hasattr(v, "ref"):
                        yield n, c, str(getattr(v, "text", v))
        finally:
            fbook.close()

    return rows, epoch, formulas


def _open_book(path: str, data: bytes, *, data_only: bool) -> Any:
    import openpyxl  # noqa: PLC0415  only workbooks pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions
            return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception:  # noqa: BLE001  zip, XML and key errors all mean the same to the user
        raise file_error(path, "n'est pas un classeur Excel (.xlsx) lisible",
                          "is not a readable Excel workbook (.xlsx)") from None


def _pick_sheet(path: str, book: Any, sheet: str | None) -> Any:
    sheets = [ws for ws in book.worksheets if hasattr(ws, "iter_rows")]
    if not sheets:
        raise file_error(path, "le classeur ne contient aucune feuille de données", "the workbook has no worksheet")
    if sheet is None:
        return sheets[0]
    for ws in sheets:
        if ws.title == sheet or ws.title.strip().casefold() == sheet.strip().casefold():
            return ws
    names = ", ".join(f"« {printable(ws.title)} »" for ws in sheets)
    raise InputError(path, None, None, sheet, f"une feuille existante : {names}",
                     f"an existing sheet: {names.replace('« ', chr(39)).replace(' »', chr(39))}")
