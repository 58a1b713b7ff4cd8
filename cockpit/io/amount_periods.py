"""Where a clients file's money goes, per year, and whether a period's
amounts can still be summed once an import has written them.

A clients file may hold revenue and margin columns of several years
(« CA 2023;CA 2024;Marge 2024 »): each year's cells are that year's amounts.
A column without a year takes the one year the file's other money columns
name (« CA;Marge 2024 » is 2024's), else the import's period, else the
current year; in a file that names several years it is refused, never
guessed. Every import path reads this one plan: cockpit/io/bulk_load.py,
cockpit/store/loading.py and cockpit/store/pg/imports.py.

Every import of amounts ends with `check_period_totals`, in its transaction:
a period whose total the reads could not take (``portfolio.abc.sums_fit``:
the positive amounts', the negative ones', revenue or margin) is refused
before the commit, so the workspace stays one the reports can read.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cockpit.io.input_error import InputError
from cockpit.portfolio.abc import MAX_SUM

MONEY = ("revenue", "margin")  # the money of a clients file that goes by year; the potential is the client's
Column = tuple[str, int | None]  # a money field and the year of its column (None: the field's main column)


@dataclass(frozen=True)
class AmountPeriod:
    """One period a file writes: its revenue and margin columns (None: the
    file has none for that period, the stored value stays)."""

    period: str
    revenue: Column | None
    margin: Column | None

    def columns(self) -> list[Column]:
        return [c for c in (self.revenue, self.margin) if c is not None]


def column_key(column: Column) -> str:
    """The column's name among an importer's flat money columns: "revenue", "revenue 2023"."""
    name, year = column
    return name if year is None else f"{name} {year}"


def cell(row: Mapping[str, Any], column: Column) -> Any:
    """The column's value in a row of ``tabular.Records`` (other years under "<field>_by_year")."""
    name, year = column
    return row.get(name) if year is None else (row.get(f"{name}_by_year") or {}).get(year)


def amount_periods(path: str, fields: Iterable[str], years: Mapping[str, int], by_year: Mapping[str, Iterable[int]],
                   columns: Mapping[str, str], period: str | None) -> list[AmountPeriod]:
    """The periods a clients file writes, oldest first. ``years``: each money
    field's main column's year (if its header has one); ``by_year``: the
    years of its other columns; ``period``: the import's (--period)."""
    present = [f for f in MONEY if f in set(fields)]
    named = sorted({y for f in present for y in ([years[f]] if f in years else []) + list(by_year.get(f, ()))})
    plan: dict[str, dict[str, Column]] = {}
    for f in present:
        year = years.get(f)
        if year is None and len(named) > 1:
            header = columns.get(f, f)
            listed = ", ".join(map(str, named))
            raise InputError(path, None, header, None,
                             f"une année dans l'en-tête (ex. « {header} {named[-1]} ») : les autres colonnes de "
                             f"montants en nomment plusieurs ({listed}), celle-ci aucune",
                             f"a year in the header (e.g. '{header} {named[-1]}'): the other money columns name "
                             f"several ({listed}), this one none")
        main = str(year) if year is not None else str(named[0]) if named else period or str(dt.date.today().year)
        plan.setdefault(main, {})[f] = (f, None)
        for other in by_year.get(f, ()):
            plan.setdefault(str(other), {})[f] = (f, other)
    return [AmountPeriod(p, plan[p].get("revenue"), plan[p].get("margin")) for p in sorted(plan)]


def past_period_total(path: str, period: str) -> InputError:
    """The refusal of an import that would leave ``period`` with amounts the reads cannot sum."""
    return InputError(path, None, None, None,
                      "des montants dont le total sur une période, des positifs comme des négatifs, reste sous "
                      f"92 233 720 368 547 758,07 € : ceux de {period} le dépasseraient avec ce fichier "
                      "(au-delà, aucun chiffre de la période ne serait juste)",
                      "amounts whose total over a period, of the positive ones and of the negative ones, stays under "
                      f"€92,233,720,368,547,758.07: those of {period} would pass it with this file "
                      "(beyond it no figure of the period would be right)")


def check_period_totals(db: Any, path: str, periods: Iterable[str]) -> None:
    """Raise `past_period_total` for the first of ``periods`` whose amounts the
    reads could not sum; SQL that SQLite and PostgreSQL (``PgDb``) both run.
    Inside the import's transaction: the raise rolls it back."""
    for period in sorted(set(periods)):
        # The common case in one pass: the totals of the absolute values bound both signs' totals.
        try:
            row = db.execute("SELECT sum(abs(revenue)), sum(abs(margin)) FROM amounts WHERE period = ?",
                             (period,)).fetchone()
            fits = all(int(v or 0) <= MAX_SUM for v in row)
        except sqlite3.OperationalError:  # SQLite's integer sum() raises past 2^63 - 1: decided exactly below
            fits = False
        if not fits and not _signs_fit(db, period):
            raise past_period_total(path, period)


def _signs_fit(db: Any, period: str) -> bool:
    """Whether the positive and the negative amounts' totals, revenue and margin, fit int64: each taken as
    the sums of its high and low 32-bit halves, which fit int64 in SQLite (no overflow error, no float
    rounding) and are exact numerics on PostgreSQL; Python adds them up."""
    sums = []
    for col in MONEY:
        for test, value in ((f"{col} > 0", col), (f"{col} < 0", f"(-{col})")):
            sums += [f"sum(CASE WHEN {test} THEN {value} >> 32 ELSE 0 END)",
                     f"sum(CASE WHEN {test} THEN {value} & 4294967295 ELSE 0 END)"]
    row = db.execute(f"SELECT {', '.join(sums)} FROM amounts WHERE period = ?", (period,)).fetchone()
    values = [int(v or 0) for v in row]
    return all((high << 32) + low <= MAX_SUM for high, low in zip(values[::2], values[1::2]))
