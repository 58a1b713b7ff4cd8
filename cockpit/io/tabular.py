"""Import reader for client, sales and prospect files (CSV or XLSX), and CSV export.

All or nothing: every cell is read as text (or as the typed value openpyxl
gives), parsed per column, and the first bad cell stops the import with an
`InputError` naming file, physical line, column, value and what was expected.
With ``skip_bad=True`` bad rows are set aside instead, each with its reason.
Format is decided by magic bytes, never by extension. No pandas here: this
module must import fast and must never guess silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from cockpit.io.fields import FIELDS, REQUIRED_ONE_OF, FieldSpec, match_header, normalise_header
from cockpit.io.input_error import InputError, file_error
from cockpit.io.sheets import CsvTable, Row, csv_table, refuse_other_binaries, xlsx_rows
from cockpit.io.file_modes import create, writing
from cockpit.io.amount_columns import amount_column, sniff_decimal_column
from cockpit.io.numbers_fr import (
    EPOCH_1900, ParseError, clean_text, convert_cell, format_cell_fr, parse_amount_cents,
    parse_percent, printable, sniff_decimal, text_of,
)

__all__ = [
    "InputError", "FieldSpec", "FIELDS", "REQUIRED_ONE_OF", "Records", "read_records",
    "parse_amount_cents", "parse_percent", "sniff_decimal", "normalise_header",
    "clean_text", "write_csv_fr",
]


# --- records -----------------------------------------------------------------

@dataclass
class Records:
    path: str
    fields: list[str]
    rows: list[dict[str, Any]]  # field -> value, of the field's type (text, cents, date...)
    lines: list[int]
    rejected: list[tuple[int, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    years: dict[str, int] = field(default_factory=dict)  # field -> the year in its (main) column's header
    by_year: dict[str, list[int]] = field(default_factory=dict)  # field -> its other columns' years ("<field>_by_year")
    columns: dict[str, str] = field(default_factory=dict)  # field -> header as written
    rejected_errors: list[InputError] = field(default_factory=list)
    data: dict[str, list[object]] | None = field(default=None, repr=False, compare=False)  # field -> values

    def column(self, name: str) -> list[object]:
        """The values of one field down the rows (None where the file has no such column)."""
        if self.data is not None:
            return self.data.get(name, [None] * len(self.lines))
        return [r.get(name) for r in self.rows]


def _get_rows(self: Records) -> list[dict[str, Any]]:
    if getattr(self, "_rows") is None:  # read by column: the row dicts are made when first asked for
        names, data = list(self.data or {}), (self.data or {}).values()
        setattr(self, "_rows", [dict(zip(names, values)) for values in zip(*data)] if names else [{} for _ in self.lines])
    return cast("list[dict[str, Any]]", getattr(self, "_rows"))


Records.rows = property(_get_rows, lambda self, rows: setattr(self, "_rows", rows))  # type: ignore[assignment]  # the field becomes a lazy property
_COLUMNAR = True  # CSV files are read column by column (False: row by row, the reference)


def read_records(path: str | os.PathLike[str], kind: str, *, sheet: str | None = None,
                 skip_bad: bool = False, fields: Iterable[str] | None = None) -> Records:
    """Read a CSV or XLSX file of `kind` ("clients", "sales", "prospects").

    ``fields``: read only these fields (default: all); the cells of the others
    are not parsed, so a bad one there is no error.
    """
    if kind not in FIELDS:
        raise ValueError(f"unknown kind {kind!r}")
    wanted = None if fields is None else set(fields)
    if wanted is not None and not wanted <= set(FIELDS[kind]):
        raise ValueError(f"unknown fields {sorted(wanted - set(FIELDS[kind]))} for {kind!r}")
    shown = os.fspath(path)
    try:
        with open(shown, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        raise file_error(shown, "fichier introuvable", "file not found") from None
    except OSError as exc:
        raise file_error(shown, f"fichier illisible ({exc.strerror})", f"cannot read the file ({exc.strerror})") from None
    if data.startswith(b"PK"):
        rows, epoch, formulas = xlsx_rows(shown, data, sheet)
        return _build(shown, kind, rows, skip_bad, epoch, formulas, wanted)
    refuse_other_binaries(shown, data)
    table = csv_table(shown, data)
    if skip_bad or not _COLUMNAR:
        return _build(shown, kind, table.rows(), skip_bad, EPOCH_1900, None, wanted)
    return _build_columns(shown, kind, table, wanted)


# --- rows -> records ---------------------------------------------------------

_EMPTY_REQUIRED = ("une valeur (cellule obligatoire)", "a value (required cell)")


def _blank(value: Any) -> bool:
    return value is None or value == ""


@dataclass
class _Layout:
    headers: list[str]
    width: int
    main: dict[str, int]
    by_year: dict[str, dict[int, int]]
    years: dict[str, int]
    ignored: list[str]


def _find_header(kind: str, rows: list[Row]) -> int:
    """The first of the first 10 rows naming a required field, else one naming any."""
    specs = FIELDS[kind]
    required = {n for n, s in specs.items() if s.required}
    required.update(n for group in REQUIRED_ONE_OF.get(kind, ()) for n in group)
    any_match = None
    for i, (_, cells) in enumerate(rows[:10]):
        names = {match_header(kind, text_of(c))[0] for c in cells if not _blank(c)}
        if names & required:
            return i
        if any_match is None and names - {None}:
            any_match = i
    return any_match or 0


# The columns a file may hold for several years, each year's its own (cockpit/io/amount_periods.py).
_BY_YEAR = {("clients", "revenue"), ("clients", "margin")}


def _layout(path: str, kind: str, line: int, cells: list[Any], wanted: set[str] | None = None) -> _Layout:
    """The header's columns; ``wanted``: the fields read (a field not read may have several years' columns)."""
    specs = FIELDS[kind]
    headers = ["" if _blank(c) else text_of(c) for c in cells]
    width = max((i + 1 for i, h in enumerate(headers) if h), default=0)
    found: dict[str, list[tuple[int, int | None]]] = {}
    ignored = []
    for idx, header in enumerate(headers):
        name, year, scaled = match_header(kind, header) if header else (None, None, False)
        if name is None:
            ignored += [header] if header else []
            continue
        if scaled and specs[name].type == "amount":
            raise file_error(path, "des montants en euros, pas en milliers ou millions : convertissez la colonne",
                                 "amounts in euros, not thousands or millions: convert the column", line, header)
        found.setdefault(name, []).append((idx, year))
    main, by_year, years = {}, {}, {}
    for name, cols in found.items():
        for j, (b, yb) in enumerate(cols):
            for a, ya in cols[:j]:
                if ya is None or yb is None or ya == yb:
                    pair = f"« {printable(headers[a])} » et « {printable(headers[b])} »"
                    raise file_error(
                        path, f"une seule colonne pour « {specs[name].synonyms[0]} » : {pair} en double",
                        f"a single column for '{specs[name].synonyms[0]}': {pair} duplicate", line, headers[b])
        # Several years of a column no importer files by year: all but one would be dropped unsaid.
        if len(cols) > 1 and (kind, name) not in _BY_YEAR and (wanted is None or name in wanted):
            fr, en = (f" {word} ".join(quote(printable(headers[i])) for i, _ in cols)
                      for word, quote in (("et", "« {} »".format), ("and", "'{}'".format)))
            raise file_error(
                path, f"une seule colonne « {specs[name].synonyms[0]} » : {fr} (seuls le CA et la marge d'un "
                "fichier de clients vont par année ; importez une année à la fois)",
                f"a single '{specs[name].synonyms[0]}' column: {en} (only a clients file's revenue and margin "
                "go by year; import one year at a time)", line, headers[cols[1][0]])
        idx, year = max(cols, key=lambda c: c[1] or 0)  # the most recent year is *the* column
        main[name] = idx
        if year is not None:
            years[name] = year
        if len(cols) > 1:
            by_year[name] = {y: i for i, y in sorted(cols, key=lambda c: c[1] or 0) if i != idx and y}
    groups = [(n,) for n, s in specs.items() if s.required] + list(REQUIRED_ONE_OF.get(kind, ()))
    for group in groups:
        if not any(n in main for n in group):
            names = " ou ".join(f"« {specs[n].synonyms[0]} »" for n in group)
            accepted = ", ".join(s for n in group for s in specs[n].synonyms)
            raise file_error(path, f"colonne obligatoire introuvable : {names} (en-têtes acceptés : {accepted})",
                                 f"required column not found: {names} (accepted headers: {accepted})", line)
    return _Layout(headers, width, main, by_year, years, ignored)


def _restrict(lay: _Layout, wanted: set[str] | None) -> _Layout:
    if wanted is None:
        return lay
    keep: Callable[[dict[str, Any]], dict[str, Any]] = lambda d: {n: v for n, v in d.items() if n in wanted}  # noqa: E731
    return _Layout(lay.headers, lay.width, keep(lay.main), keep(lay.by_year), keep(lay.years), lay.ignored)


def by_years(lay: _Layout) -> dict[str, list[int]]:
    """Per field, the years of its columns other than the main one."""
    return {n: sorted(cols) for n, cols in lay.by_year.items()}


def _extra_cell(path: str, line: int, value: Any, width: int, header_line: int) -> InputError:
    return InputError(path, line, None, text_of(value),
                      f"au plus {width} colonnes, comme l'en-tête ligne {header_line} (cellule en trop)",
                      f"at most {width} columns, like the header on line {header_line} (extra cell)")


def _build(path: str, kind: str, all_rows: list[Row], skip_bad: bool, epoch: dt.date, formulas: Any,
           wanted: set[str] | None = None) -> Records:
    rows = [(n, cells) for n, cells in all_rows if not all(_blank(c) for c in cells)]
    if not rows:
        raise file_error(path, "fichier vide : aucune ligne d'en-tête", "empty file: no header row")
    h = _find_header(kind, rows)
    header_line = rows[h][0]
    lay = _restrict(_layout(path, kind, header_line, rows[h][1], wanted), wanted)
    data = rows[h + 1 :]
    amount_cols = [i for n, i in lay.main.items() if FIELDS[kind][n].type == "amount"]
    amount_cols += [i for cols in lay.by_year.values() for i in cols.values()]
    decimals = {i: sniff_decimal(cells[i] for _, cells in data if i < len(cells)) for i in amount_cols}
    if formulas is not None:
        _refuse_uncached_formulas(path, lay, all_rows, header_line, formulas)

    out = Records(path, [n for n in FIELDS[kind] if n in lay.main], [], [], ignored=lay.ignored,
                  years=lay.years, by_year=by_years(lay), columns={n: lay.headers[i] for n, i in lay.main.items()})
    out.fields += [f"{n}_by_year" for n in lay.by_year]

    def cell(line: int, cells: list[Any], name: str, idx: int) -> object:
        spec, value = FIELDS[kind][name], cells[idx] if idx < len(cells) else None
        if _blank(value):
            if spec.required:
                raise InputError(path, line, lay.headers[idx], "", *_EMPTY_REQUIRED)
            return {"text": "", "bool": False}.get(spec.type)
        try:
            return convert_cell(spec.type, value, decimal=decimals.get(idx, ","), epoch=epoch)
        except ParseError as exc:
            raise InputError(path, line, lay.headers[idx], text_of(value), exc.expected, exc.expected_en) from None

    for line, cells in data:
        try:
            extra = next((c for c in cells[lay.width :] if not _blank(c)), None)
            if extra is not None:
                raise _extra_cell(path, line, extra, lay.width, header_line)
            row = {n: cell(line, cells, n, i) for n, i in lay.main.items()}
            for n, cols in lay.by_year.items():
                row[f"{n}_by_year"] = {y: cell(line, cells, n, i) for y, i in cols.items()}
            for group in REQUIRED_ONE_OF.get(kind, ()):
                present = [n for n in group if n in lay.main]
                if present and all(row[n] == "" for n in present):
                    raise InputError(path, line, lay.headers[lay.main[present[0]]], "", *_EMPTY_REQUIRED)
        except InputError as exc:
            if not skip_bad:
                raise
            out.rejected.append((line, exc.message()))
            out.rejected_errors.append(exc)
            continue
        out.rows.append(row)
        out.lines.append(line)
    return out


def _build_columns(path: str, kind: str, table: CsvTable, wanted: set[str] | None) -> Records:
    """`_build` of a CSV (without skip_bad), column by column: the same records,
    or the same error (the first bad row's first bad cell, in `_build`'s order)."""
    head = table.first_rows(10)
    if not head:
        raise file_error(path, "fichier vide : aucune ligne d'en-tête", "empty file: no header row")
    hk, header = head[_find_header(kind, head)]
    header_line, start, specs = table.lines[hk], hk + 1, FIELDS[kind]
    lay = _restrict(_layout(path, kind, header_line, header, wanted), wanted)
    tasks: list[tuple[str, int, int | None]] = [(n, i, None) for n, i in lay.main.items()]
    tasks += [(n, i, y) for n, cols in lay.by_year.items() for y, i in cols.items()]
    blank = table.blank_rows(start, [i for n, i, _ in sorted(tasks, key=lambda t: not specs[t[0]].required)])
    keep = range(start, len(table)) if not blank else [k for k in range(start, len(table)) if k not in blank]
    lines = list(table.lines[start:]) if not blank else [table.lines[k] for k in keep]

    def cells(i: int) -> list[str]:
        col = table.column(i)
        return col[start:] if not blank else [col[k] for k in keep]

    errors: list[tuple[int, int, InputError]] = []  # (data row, order of the check in _build, error)
    for j in range(lay.width, table.width):
        col = table.column(j)
        if (p := next((p for p, k in enumerate(keep) if col[k]), None) if any(col[start:]) else None) is not None:
            errors.append((p, j - table.width, _extra_cell(path, lines[p], col[keep[p]], lay.width, header_line)))
    values: dict[tuple[str, int | None], list[object]] = {}
    for order, (n, i, year) in enumerate(tasks):
        values[n, year], bad = _column(path, specs[n], lay.headers[i], cells(i), lines)
        if bad:
            errors.append((bad[0], order, bad[1]))
    for group in REQUIRED_ONE_OF.get(kind, ()):
        present = [n for n in group if n in lay.main]
        p = next((p for p, row in enumerate(zip(*(values[n, None] for n in present))) if all(v == "" for v in row)),
                 None) if present else None
        if p is not None:
            errors.append((p, len(tasks), InputError(path, lines[p], lay.headers[lay.main[present[0]]], "",
                                                     *_EMPTY_REQUIRED)))
    if errors:
        raise min(errors, key=lambda e: e[:2])[2]
    data = {n: values[n, None] for n in lay.main}
    for n, cols in lay.by_year.items():
        data[f"{n}_by_year"] = [dict(zip(cols, row)) for row in zip(*(values[n, y] for y in cols))]
    return Records(path, [n for n in specs if n in lay.main] + [f"{n}_by_year" for n in lay.by_year], None, lines,  # type: ignore[arg-type]  # rows: built from data on first use
                   ignored=lay.ignored, years=lay.years, by_year=by_years(lay),
                   columns={n: lay.headers[i] for n, i in lay.main.items()}, data=data)


def _column(path: str, spec: FieldSpec, header: str, cells: list[str],
            lines: list[int]) -> tuple[list[object], tuple[int, InputError] | None]:
    """One field's values down the rows, and its first bad cell: (row, error)."""
    blank = cells.index("") if spec.required and "" in cells else None
    wrong: tuple[int, ParseError] | None = None
    if spec.type == "text":
        values: list[object] = cells  # type: ignore[assignment]  # list is invariant; values is only read
    elif spec.type == "amount":
        values, wrong = amount_column(cells, sniff_decimal_column(cells))  # type: ignore[assignment]  # list[int | None], read only
    else:
        values, default = [], False if spec.type == "bool" else None
        for p, c in enumerate(cells):
            try:
                values.append(convert_cell(spec.type, c) if c else default)
            except ParseError as exc:
                wrong = p, exc
                break
    if wrong is not None and (blank is None or wrong[0] < blank):
        return values, (wrong[0], InputError(path, lines[wrong[0]], header, text_of(cells[wrong[0]]),
                                             wrong[1].expected, wrong[1].expected_en))
    return values, None if blank is None else (blank, InputError(path, lines[blank], header, "", *_EMPTY_REQUIRED))


def _refuse_uncached_formulas(path: str, lay: _Layout, rows: list[Row], header_line: int, formulas: Any) -> None:
    """A formula saved without its result (openpyxl, some generators) reads as empty."""
    columns = sorted({*lay.main.values(), *(i for c in lay.by_year.values() for i in c.values())})
    below = [cells for n, cells in rows if n > header_line]
    if not any(_blank(cells[i] if i < len(cells) else None) for cells in below for i in columns):
        return
    values = dict(rows)
    for n, c, formula in formulas(header_line, columns):
        cells = values.get(n, [])
        if _blank(cells[c] if c < len(cells) else None):
            raise InputError(path, n, lay.headers[c], formula,
                             "une valeur calculée : formule sans valeur calculée, ouvrez et enregistrez le fichier dans Excel",
                             "a computed value: formula without a cached result, open and save the file in Excel")


# --- export --------------------------------------------------------------------

def write_csv_fr(path: str | os.PathLike[str], headers: Sequence[object], rows: Iterable[Sequence[object]]) -> None:
    """French Excel CSV: ';', decimal comma, UTF-8 with BOM, CRLF; written atomically."""
    tmp = f"{(target := os.fspath(path))}.{os.getpid()}.tmp"
    try:
        with writing(target), open(create(tmp), "w", encoding="utf-8-sig", newline="") as fh:  # 0600, not 0644
            writer = csv.writer(fh, delimiter=";", lineterminator="\r\n")
            writer.writerow([format_cell_fr(h) for h in headers])
            writer.writerows([format_cell_fr(v) for v in row] for row in rows)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
