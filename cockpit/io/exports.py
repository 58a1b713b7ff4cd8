"""Tables to export (clients, evolution, crossed matrix, products) and the one
writer for CSV and XLSX.

CSV goes through ``write_csv_fr`` (French Excel: ';', decimal comma, BOM,
CSV-injection guard). XLSX never stores a formula: every text cell is
written as a string, illegal XML characters are stripped and sheet names
are sanitised.
"""

from __future__ import annotations

import contextlib
import os
import re
from decimal import Decimal
from pathlib import Path
from collections.abc import Callable
from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.i18n import t
from cockpit.portfolio.abc import CLASS_LETTERS
from cockpit.portfolio.evolution import PeriodChange
from cockpit.portfolio.matrices import share_of_wallet
from cockpit.portfolio.strategy import Strategy, account_classes
from cockpit.io.tabular import write_csv_fr
from cockpit.io.file_modes import writing
from cockpit.io.lazy_rows import LazyRows
from cockpit.io.csv_columns import Column, Euros, Ints, Shares, Slice, Texts, text_column, write_csv_columns_fr
from cockpit.io.float_text import strings

Table = tuple[list[str], list[list[object]]]

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def euros(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(int(cents)) / 100


def share(value: float | None) -> Decimal | None:
    return None if value is None or value != value else Decimal(str(round(float(value), 6)))


def clients_table(strategy: Strategy) -> Table:
    """Every client of the period as ranked, with class, potential and zone."""
    m = strategy.model
    d, r = m.data, m.accounts
    classes = account_classes(m)
    _, current, potential = strategy.crossed()
    sow = share_of_wallet(m.revenue(), d.potential)  # revenue ÷ potential in margin mode too
    headers = ["rank", "code", "name", "group", "sector", "amount", "cum_share", "class", "potential",
               "share_of_wallet", "potential_class", "zone"]
    n = len(r)
    cum_share = r.cum_share(0, n)

    def row(rank: int) -> list[object]:
        i = int(r.order[rank])
        pot = int(d.potential[i])
        zone = strategy.zones[potential[i]][current[i]] if potential[i] >= 0 and strategy.zones else ""
        return [rank + 1, d.code[i], d.name[i], d.group[i], d.sector[i], euros(int(d.amount[i])),
                share(cum_share[rank]), CLASS_LETTERS[classes[i]],
                euros(pot) if pot >= 0 else None, share(sow[i]),
                CLASS_LETTERS[potential[i]] + "'" if potential[i] >= 0 else "", zone]

    cache: dict[int, object] = {}  # the text columns as Arrow arrays, made on the first slice

    def columns(start: int, stop: int) -> list[Column]:
        """Rows [start, stop) as columns: what ``row`` gives, for the columnar CSV writer."""
        at = np.asarray(r.order[start:stop])
        pot = np.asarray(d.potential)[at]
        pclass = np.asarray(potential)[at]
        letters = strings([*CLASS_LETTERS, ""])
        zone_names = strings([zones_of(p, c) for p in range(3) for c in range(3)] + [""])
        cls = np.asarray(classes)[at]
        return [Ints(np.arange(start + 1, stop + 1)),
                *(Texts(text_column(col, at, cache)) for col in (d.code, d.name, d.group, d.sector)),
                Euros(np.asarray(d.amount)[at]), Shares(cum_share[start:stop]), Texts(pc.take(letters, pa.array(cls))),
                Euros(pot, pot < 0), Shares(np.asarray(sow, dtype=np.float64)[at]),
                Texts(pc.take(strings(["A'", "B'", "C'", ""]), pa.array(np.where(pclass >= 0, pclass, 3)))),
                Texts(pc.take(zone_names, pa.array(np.where(pclass >= 0, pclass * 3 + np.asarray(current)[at], 9))))]

    def zones_of(p: int, c: int) -> str:
        return str(strategy.zones[p][c]) if strategy.zones else ""

    return headers, ColumnarRows(n, row, columns)  # type: ignore[return-value]  # a Sequence of rows, made as the writer reads them


class ColumnarRows(LazyRows):
    """Rows made one at a time (XLSX, the app), or as columns by slices (CSV)."""

    def __init__(self, count: int, row: Callable[[int], list[object]], columns: Slice) -> None:
        super().__init__(count, row)
        self.columns = columns


def evolution_table(changes: Sequence[PeriodChange], amount_field: str = "revenue") -> Table:
    """Per period: clients, new and lost ones with their amounts, churn. The
    amounts are the ranked ones, so their headers name them: margin in
    margin mode, never revenue (METHOD §1)."""
    a = _amount_word(amount_field)
    headers = ["period", "clients", "new", f"new_{a}", "lost", f"lost_{a}", "churn", f"{a}_churn"]
    rows: list[list[object]] = [[c.period, c.clients, len(c.new), euros(c.new_revenue), len(c.lost), euros(c.lost_revenue),
             share(c.churn), share(c.revenue_churn)] for c in changes]
    return headers, rows


def _amount_word(amount_field: str) -> str:
    """The header word of the ranked amount: "margin" in margin mode, "revenue" otherwise."""
    return "margin" if amount_field == "margin" else "revenue"


def matrix_table(strategy: Strategy) -> Table:
    """The crossed matrix, one row per cell, and the clients without potential."""
    m, _, _ = strategy.crossed()
    headers = ["potential_class", "current_class", "zone", "clients", _amount_word(strategy.model.amount_field)]
    rows: list[list[object]] = [[CLASS_LETTERS[p] + "'", CLASS_LETTERS[c], m.zones[p][c], int(m.counts[p, c]), euros(int(m.revenue[p, c]))]
            for p in range(3) for c in range(3)]
    rows.append(["", "", "potentiel_a_renseigner", m.missing_count, euros(m.missing_revenue)])
    return headers, rows


def products_table(strategy: Strategy, gap_ratio: float) -> Table:
    m, _ = strategy.products()
    gaps = {(s, p): short for s, p, short in m.gaps(gap_ratio)}
    headers = ["segment", "product", "amount", "expected", "shortfall"]
    rows: list[list[object]] = [[seg, prod, euros(int(m.cells[i, j])), euros(round(m.expected[i, j])), euros(gaps.get((i, j)))]
            for i, seg in enumerate(m.segments) for j, prod in enumerate(m.products)]
    return headers, rows


def sheet_name(name: str) -> str:
    """Excel's rules: no []:*?/\\, at most 31 characters, not empty."""
    return (_SHEET_FORBIDDEN.sub("_", name).strip("'") or "Feuille")[:31]


_SQLITE = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm", "-journal")


def refuse_target(path: Path) -> None:
    """An export is written beside, then renamed over its target: never over a
    workspace (``export clients ws.sqlite`` replaced the workspace with a CSV,
    exit 0) or its -wal/-shm/-journal, nor over what is not a plain file (a
    device such as /dev/full, replaced by a file when run as root)."""
    from cockpit.store.workspace_open import AdminError

    target = path
    for side in _SIDE_FILES:
        if path.name.endswith(side):
            target = path.with_name(path.name.removesuffix(side))
    try:
        with open(target, "rb") if target.is_file() else open(os.devnull, "rb") as f:
            database = f.read(16) == _SQLITE
    except OSError:
        database = False
    if database:
        raise AdminError(t("export.is_workspace", path=str(path)))
    if path.exists() and not path.is_file() and not path.is_dir():  # a directory: said by the writer already
        raise AdminError(t("export.not_a_file", path=str(path)))


EXTENSIONS = (".csv", ".xlsx")


def check_target(path: Path) -> None:
    """Where an export may go (`refuse_target`), named with the extension of its
    format: any other (``out.foo``, ``out``) was silently written as CSV."""
    from cockpit.store.workspace_open import AdminError

    refuse_target(path)
    if path.suffix.lower() not in EXTENSIONS:
        raise AdminError(t("export.unknown_extension", path=str(path), known=", ".join(EXTENSIONS),
                           csv=path.stem + ".csv", xlsx=path.stem + ".xlsx"))


def write_table(path: str | os.PathLike[str], headers: list[str], rows: list[list[object]], sheet: str = "cockpit") -> None:
    """CSV or XLSX by the file's extension."""
    path = Path(path)
    check_target(path)
    if path.suffix.lower() == ".csv":
        with writing(path):
            if isinstance(rows, ColumnarRows):
                write_csv_columns_fr(path, headers, len(rows), rows.columns)
            else:
                write_csv_fr(path, headers, rows)
        return
    from cockpit.io.xlsx_write import write_xlsx
    from cockpit.io.file_modes import create

    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with writing(path):
            os.close(create(tmp))  # 0600 (or the team's 0660): openpyxl then writes into it
            write_xlsx(path, tmp, headers, rows, sheet_name(sheet))  # translated headers, formats, widths, streamed
    except BaseException:  # a full disk, a size limit, ctrl+c: the earlier file stays, no half-written one
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
