"""Bytes to rows: decide the format by magic bytes, decode CSV text (UTF-8,
UTF-16 by its BOM or its NULs, else cp1252; never a charset detector), sniff the separator,
read XLSX cells with openpyxl. Rows keep their physical line numbers. A CSV is
also readable column by column (`CsvTable`), and columns of text are written
back as CSV in bulk (`write_csv_columns`)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Any

from cockpit.io.input_error import InputError, file_error
from cockpit.io.numbers_fr import EPOCH_1900, clean_text, printable, unguard

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
    if b"\x00" in data[:8192] and utf16(data) is None:
        raise file_error(path, "fichier binaire : ni un CSV ni un classeur .xlsx",
                          "binary file: neither a CSV nor an .xlsx workbook")


def utf16(data: bytes) -> tuple[str, int] | None:
    """(codec, bytes of BOM to skip) of a UTF-16 file, from its first bytes: by
    its BOM, or without one when its first KB cannot be anything else, a NUL
    in at least 9 of 10 high bytes and in no low byte (text mostly in Latin
    letters, as some exports write it with no BOM; a binary file is not so
    regular). The whole file must then decode, else "encodage illisible"."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    head = data[: 1024 if len(data) > 1024 else len(data) // 2 * 2]
    units = len(head) // 2
    for codec, high, low in (("utf-16-le", head[1::2], head[0::2]), ("utf-16-be", head[0::2], head[1::2])):
        if units >= 2 and high.count(0) * 10 >= units * 9 and 0 not in low:
            return codec, 0
    return None


def _decode(path: str, data: bytes) -> str:
    """Strict UTF-8 (BOM or not), UTF-16 (`utf16`), else Windows-1252. No charset guessing."""
    wide = utf16(data)
    if wide is not None:
        encodings: tuple[str, ...] = (wide[0],)
        data = data[wide[1]:]
    else:
        encodings = ("utf-8-sig", "cp1252")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            error = exc
            continue
        if encoding == "cp1252":
            _refuse_mixed(path, data, error.start)
        return text
    line = None if wide is not None else data[: error.start].count(b"\n") + 1
    raise file_error(path,
                     "encodage illisible (ni UTF-8 ni Windows-1252) : réenregistrez en « CSV UTF-8 »",
                     "unreadable encoding (neither UTF-8 nor Windows-1252): save as 'CSV UTF-8'", line)


# A well-formed UTF-8 multi-byte character: Windows-1252 text hardly ever holds one.
_UTF8_CHAR = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _refuse_mixed(path: str, data: bytes, bad: int) -> None:
    """Not UTF-8 at byte ``bad``, but UTF-8 elsewhere: lines pasted from two
    files. Read as Windows-1252 it would import as "SociÃ©tÃ©": refused on
    the line where the encoding changes."""
    utf8 = _UTF8_CHAR.search(data)
    if utf8 is None:
        return
    change = bad if utf8.start() < bad else utf8.start()
    line = data[:change].count(b"\n") + 1
    raise file_error(path, "encodages mélangés : UTF-8 sur certaines lignes, Windows-1252 sur d'autres (elles changent ici) ;"
                           " réenregistrez tout le fichier en « CSV UTF-8 »",
                     "mixed encodings: UTF-8 on some lines, Windows-1252 on others (they change here);"
                     " save the whole file as 'CSV UTF-8'", line)


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
    return csv_table(path, data).rows()


class CsvTable:
    """The rows of a CSV as written, with the physical line each starts on.

    Read by column: `column(i)` gives column ``i`` cleaned as every cell is
    (`clean_text(unguard(cell))`, "" past a short row's end), and pays for
    the cleaning only when some cell of the column needs it.
    """

    def __init__(self, lines: Sequence[int], rows: list[list[str]] | None = None,
                 columns: list[list[str]] | None = None) -> None:
        self.lines = lines
        self._rows = rows  # as the csv module gave them (ragged), or None
        self._columns = columns  # raw columns, when every row has the same width
        self.width = len(columns) if columns is not None else max(map(len, rows or []), default=0)
        self._clean: dict[int, list[str]] = {}

    def __len__(self) -> int:
        return len(self.lines)

    def row(self, k: int) -> list[str]:
        """Cells of row ``k``, cleaned."""
        raw = self._rows[k] if self._rows is not None else [col[k] for col in self._columns or ()]
        return [clean_text(unguard(c)) for c in raw]

    def rows(self) -> list[Row]:
        return [(line, self.row(k)) for k, line in enumerate(self.lines)]

    def first_rows(self, count: int) -> list[tuple[int, list[str]]]:
        """The first ``count`` rows that are not blank: (index, cleaned cells)."""
        found = []
        for k in range(len(self)):
            if any(cells := self.row(k)):
                found.append((k, cells))
                if len(found) == count:
                    break
        return found

    def blank_rows(self, start: int, columns: Iterable[int]) -> set[int]:
        """Indices, from ``start`` on, of the rows whose every cell is blank;
        ``columns`` are looked at first (columns rarely blank first is fastest)."""
        maybe: Sequence[int] = range(start, len(self))  # blank in every column looked at so far
        for i in columns:
            col = self.column(i)
            maybe = [k for k in maybe if not col[k]] if "" in col else []
            if not maybe:
                break
        return {k for k in maybe if not any(self.row(k))}

    def column(self, i: int) -> list[str]:
        if i not in self._clean:
            if self._columns is not None:
                raw = self._columns[i] if i < self.width else [""] * len(self)
            elif all(len(r) > i for r in self._rows or ()):
                raw = list(map(itemgetter(i), self._rows or ()))
            else:
                raw = [r[i] if len(r) > i else "" for r in self._rows or ()]
            self._clean[i] = [clean_text(unguard(c)) for c in raw] if _needs_cleaning(raw) else raw
        return self._clean[i]


_PRINTABLE_LATIN1 = bytes(c for c in range(256) if chr(c).isprintable())


def _needs_cleaning(cells: list[str]) -> bool:
    """Whether `clean_text(unguard(cell))` would change some cell. It does not
    for a printable cell (the only printable space is " ", see `clean_text`)
    without a space at either end and not starting with a quote."""
    joined = "\n".join(cells)
    if joined.count("\n") != len(cells) - 1:
        return bool(cells)  # a cell holds a line break
    try:
        if joined.encode("latin-1").translate(None, _PRINTABLE_LATIN1 + b"\n"):
            return True
    except UnicodeEncodeError:
        if not joined.replace("\n", " ").isprintable():
            return True
    return (joined[:1] in (" ", "'") or joined[-1:] == " " or "\n " in joined or " \n" in joined
            or "\n'" in joined)


_LONGEST_CELL = 100_000  # below the csv module's field limit (131,072)


def _split_plain(body: str, sep: str, first_line: int) -> CsvTable | None:
    """A CSV without quotes, blank lines or ragged rows is a plain split, done
    in bulk: the same cells and lines as the csv module gives, or None."""
    if '"' in body or "\x00" in body or body.startswith(("\n", "\r")):
        return None
    if "\r" in body:
        if body.count("\r") != body.count("\r\n"):
            return None
        body = body.replace("\r\n", "\n")
    body = body[:-1] if body.endswith("\n") else body
    if not body:
        return CsvTable(range(first_line, first_line), columns=[])
    first_end = body.find("\n")
    n, width = body.count("\n") + 1, body.count(sep, 0, first_end if first_end >= 0 else len(body)) + 1
    if width == 1 and "\n\n" in body:  # a blank line is a row of no cell (else it is a ragged row)
        return None
    # A cell of _LONGEST_CELL characters or more would fill one of these windows.
    step = _LONGEST_CELL // 2
    if any(body.find(sep, at, at + step) < 0 and body.find("\n", at, at + step) < 0
           for at in range(0, len(body) - step + 1, step)):
        return None
    # A NUL after each line break starts every row's first cell: the rows all have
    # `width` cells exactly when the first cells of rows 2.. hold the n - 1 NULs.
    cells = body.replace("\n", sep + "\x00").split(sep)
    firsts = "".join(cells[width::width])
    if len(cells) != n * width or firsts.count("\x00") != n - 1:
        return None
    columns = [cells[i::width] for i in range(width)]
    columns[0][1:] = firsts.split("\x00")[1:]
    return CsvTable(range(first_line, first_line + n), columns=columns)


def csv_table(path: str, data: bytes) -> CsvTable:
    text = _decode(path, data)
    sep_line = _SEP_LINE.match(text)
    sep = sep_line[1] if sep_line else _sniff_separator(text)
    plain = _split_plain(text[sep_line.end():], sep, 2) if sep_line else _split_plain(text, sep, 1)
    if plain is not None:
        return plain
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    try:
        rows = list(reader)
        if reader.line_num == len(rows):  # one line per row
            skip = 1 if sep_line and rows else 0
            return CsvTable(range(1 + skip, len(rows) + 1), rows[skip:])
    except csv.Error:
        pass
    return _csv_table_by_line(path, text, sep, sep_line is not None)


def _csv_table_by_line(path: str, text: str, sep: str, sep_line: bool) -> CsvTable:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep, strict=True)
    lines: list[int] = []
    rows: list[list[str]] = []
    last = 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not (sep_line and start == 1):
                lines.append(start)
                rows.append(cells)
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise file_error(path, "cellule de plus de 128 000 caractères : ce n'est pas un tableau",
                              "cell longer than 128,000 characters: not a table", last + 1) from None
        raise file_error(path,
                         "guillemets mal appariés : une cellule entre guillemets commence ici "
                         "et n'est pas refermée correctement",
                         "unbalanced quotes: a quoted cell starts here and is not closed properly", last + 1) from None
    return CsvTable(lines, rows)


def write_csv_columns(stream: Any, header: list[str], columns: list[list[str]], chunk: int = 65536) -> None:
    """Text columns to ``stream`` exactly as ``csv.writer(stream, lineterminator="\\n")``
    writes their rows, in bulk: a row is its cells joined, a cell is quoted only
    where csv would quote it."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    if len(columns) < 2:  # csv writes a lone empty cell as ""
        writer.writerows(zip(*columns))
        return
    columns = [_quoted(col) for col in columns]
    for start in range(0, len(columns[0]), chunk):
        stream.write("\n".join(map(",".join, zip(*(col[start : start + chunk] for col in columns)))) + "\n")


def _quoted(cells: list[str]) -> list[str]:
    joined = "".join(cells)
    if not any(ch in joined for ch in '",\r\n'):
        return cells
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")

    def one(cell: str) -> str:
        buf.seek(0)
        buf.truncate()
        writer.writerow([cell, ""])
        return buf.getvalue()[:-2]  # without the "," and "\n" that follow it

    return [one(c) if any(ch in c for ch in '",\r\n') else c for c in cells]


def xlsx_rows(path: str, data: bytes, sheet: str | None) -> tuple[list[Row], dt.date, Any]:
    """Rows of one sheet (typed values, text cleaned), its epoch, and a formula probe."""
    if b"opendocument" in data[:200]:
        raise file_error(path, "format OpenDocument (.ods) non pris en charge : enregistrez-le en .xlsx ou CSV",
                          "OpenDocument format (.ods) not supported: save it as .xlsx or CSV")
    from cockpit.io.xlsx_limits import check_workbook

    check_workbook(path, data)  # a zip bomb is refused before openpyxl inflates it
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
