"""A clients file read by polars for `cockpit abc`, when it is plain: UTF-8,
the header on its first row, no carriage return, no NUL, quotes only as
RFC 4180 puts them and no line break inside them (`abc_quoted`), no row
longer than the header, no cell the reference rules would clean, every name
filled, amounts written plainly ("-1234.5", or "1234,50" in a whole column),
quoted or not. That is what most ERP exports write, and polars reads it in parallel.

Anything else is not decided here: None sends the file to the columnar
reader (`cockpit.io.abc_columns`), which applies every French rule and names
any bad cell. What this module accepts, it reads as that reader would
(tests/test_abc_plain.py compares the two on generated files).
"""

from __future__ import annotations

import codecs
import csv
import io
import os

import polars as pl

from cockpit.io.abc_csv import ranked
from cockpit.io.abc_quoted import unquoted_separators
from cockpit.io.cell_patterns import plain_amount, suspect_in_rows
from cockpit.io.csv_start import OLE2, UTF8_HEAD, is_utf8, rows_start
from cockpit.io.input_error import InputError
from cockpit.io.numbers_fr import clean_text, unguard
from cockpit.io.sheets import _EXCEL_EXTENSIONS, utf16
from cockpit.io.tabular import _find_header, _layout, _Layout, _restrict

_LONGEST = 10**15  # cents below this are written as their exact decimal (15 digits: repr's own)


def read_plain(path: str, amount: str) -> pl.DataFrame | None:
    """The clients of a plain file in rank order (`abc_csv.ranked`: columns
    cents, name, id), or None: not a file for this path."""
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            head = fh.read(UTF8_HEAD)
    except OSError:
        return None
    if (not head or head.startswith((b"PK", OLE2)) or utf16(head) is not None
            or path.lower().endswith(_EXCEL_EXTENSIONS) or not is_utf8(head, final=size <= len(head))):
        return None
    sep, offset, line = rows_start(head)
    if len(sep.encode("utf-8")) != 1 or sep in "\"'\r\n":
        return None
    lay = _header(path, head[offset:], size <= len(head), sep, line, amount)
    if lay is None:
        return None
    scan = unquoted_separators(path, offset, sep)
    if scan is None:
        return None
    return _read(path, sep, line, lay, amount, *scan)


def _header(path: str, data: bytes, whole: bool, sep: str, line: int, amount: str) -> _Layout | None:
    """The layout when the first row is the header the reference finds, with
    its name and amount columns, no year columns, no blank header cell at its end."""
    text = codecs.getincrementaldecoder("utf-8")().decode(data)
    rows = text.split("\n")
    if not whole or rows[-1] == "":
        rows.pop()  # cut by the head's end, or after the last line break
    try:  # the reference's own reading of quotes
        cells = [[clean_text(unguard(c)) for c in r]
                 for r in csv.reader(io.StringIO("\n".join(rows[:11])), delimiter=sep, strict=True)]
    except csv.Error:
        return None  # the reference names it
    if not cells or not all(any(r) for r in cells):
        return None  # a blank row among the first: the reference skips it
    if _find_header("clients", [(line + i, r) for i, r in enumerate(cells[:10])]) != 0:
        return None
    try:
        lay = _restrict(_layout(path, "clients", line, cells[0]), {"code", "name", amount})
    except InputError:
        return None  # the reference names it
    if "name" not in lay.main or amount not in lay.main or lay.by_year or lay.width != len(cells[0]):
        return None
    return lay


def _read(path: str, sep: str, line: int, lay: _Layout, amount: str, separators: int,
          quoted: bool) -> pl.DataFrame | None:
    """The clients, read and checked in one parallel pass (polars' streaming
    engine): each row's cents, name and id, and what the checks need."""
    width = lay.width
    # A quoted empty cell ("") is "" to polars, a blank cell to the reference: null, as an empty one is.
    cell = {k: _blank_null(pl.col(f"column_{lay.main[k] + 1}")) for k in ("code", "name", amount) if k in lay.main}
    cents, name, last = cell[amount], cell["name"], pl.col(f"column_{width}")
    number = pl.col("row").cast(pl.String)
    # The header is read as a row, then dropped: polars takes the count of columns from the first row.
    query = pl.scan_csv(path, has_header=False, skip_rows=line - 1, separator=sep, quote_char='"' if quoted else None,
                        schema={f"column_{i + 1}": pl.String for i in range(width)}, encoding="utf8",
                        row_index_name="row").slice(1).select(
        _cents(cents.fill_null("0").str.replace(",", ".", literal=True)).alias("cents"),
        name.alias("name"),
        (pl.coalesce(cell["code"], number) if "code" in cell else number).alias("id"),  # a number is never odd
        (cents.is_null() | cents.str.contains(plain_amount("."))).alias("point"),
        (cents.is_null() | cents.str.contains(plain_amount(","))).alias("comma"),
        last.is_null().alias("short"))
    try:
        frame = query.collect(engine="streaming")
    except (pl.exceptions.PolarsError, OSError):
        return None  # not UTF-8 past the head, among others
    odd = suspect_in_rows("\n")  # one search through each column's cells joined: no call per cell
    check = frame.select(pl.col("name").is_null().any().alias("no name"),
                         pl.col("name").str.join("\n").str.contains(odd).alias("odd name"),
                         pl.col("id").str.join("\n").str.contains(odd).alias("odd id"),
                         pl.col("point").all(), pl.col("comma").all(), pl.col("short").any(),
                         pl.col("cents").abs().max().alias("largest")).row(0, named=True)
    if (check["no name"] or check["odd name"] or check["odd id"] or not (check["point"] or check["comma"])
            or (check["largest"] or 0) >= _LONGEST):
        return None
    lines = frame.height + 1  # an empty line is a row of nulls: no name
    if separators > (width - 1) * lines:
        return None  # a row longer than the header
    if (check["short"] or separators != (width - 1) * lines) and not _no_long_row(path, sep, line, width, quoted):
        return None  # short rows could hide a long one from the count
    return ranked(frame.select("cents", "name", "id"))


def _cents(text: pl.Expr) -> pl.Expr:
    """Cents of "[-]digits[.d[d]]": polars' decimal parser, exact; the
    decimal's integer is the value in hundredths."""
    return text.cast(pl.Decimal(18, 2)).to_physical().cast(pl.Int64)


def _blank_null(text: pl.Expr) -> pl.Expr:
    return pl.when(text != "").then(text)


def _no_long_row(path: str, sep: str, line: int, width: int, quoted: bool) -> bool:
    """Whether no row holds more cells than the header (short rows are
    allowed: the file's separator count cannot tell the two apart then)."""
    whole = pl.read_csv(path, has_header=False, skip_rows=line, separator="\x00", quote_char=None,
                        schema={"row": pl.String})
    row = pl.col("row").str.replace_all('"[^"]*"', "") if quoted else pl.col("row")  # "a""b" is two such runs
    most = whole.select(row.str.count_matches(sep, literal=True).max()).item()
    return most is None or int(most) <= width - 1

