"""Periods of the portfolio: calendar years (the amounts table, editable) or
rolling 12 months (computed from the sales lines, read-only, following the
edited yearly amounts).

A rolling period is labelled ``R2025-12``: the 12 months ending with
December 2025. Rolling windows step back 12 months from the latest sale, so
consecutive windows compare like consecutive years.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterable
from fractions import Fraction
from typing import Any

ROLLING = "R"


def is_rolling(period: str) -> bool:
    return period.startswith(ROLLING)


def window(period: str) -> tuple[str, str]:
    """[start, end) ISO dates of a period label."""
    if is_rolling(period):
        year, month = map(int, period[1:].split("-"))
        end = dt.date(year + (month == 12), month % 12 + 1, 1)
        return dt.date(end.year - 1, end.month, 1).isoformat(), end.isoformat()
    return f"{period}-01-01", f"{int(period) + 1}-01-01"


def rolling_periods(db: sqlite3.Connection) -> list[str]:
    first, last = db.execute("SELECT min(date), max(date) FROM sales").fetchone()
    if not last:
        return []
    year, month = int(last[:4]), int(last[5:7])
    out = []
    while True:
        label = f"{ROLLING}{year:04d}-{month:02d}"
        out.append(label)
        year -= 1
        if window(f"{ROLLING}{year:04d}-{month:02d}")[1] <= first[:10]:
            break
    return sorted(out)


def rolling_rows(db: sqlite3.Connection, period: str, field: str) -> list[tuple[Any, ...]]:
    """Same columns as the yearly portfolio query, summed from sales lines and
    following the yearly amounts: each year's lines in the window count at
    that year's amount ÷ its lines (1 unless an amount was edited), and a
    year amount without lines counts for the share of its months in the window."""
    start, end = window(period)
    clients = {r[0]: r for r in db.execute(
        "SELECT id, code, name, grp, sector, coalesce(potential, -1), version FROM clients")}
    inside = _by_client_year(db, f"SELECT client_id, substr(date, 1, 4), sum({field}) FROM sales "
                                 "WHERE date >= ? AND date < ? GROUP BY 1, 2", (start, end))
    years = sorted({y for _, y in inside} | {str(y) for y in range(int(start[:4]), int(end[:4]) + 1)})
    marks = ",".join("?" * len(years))
    whole = _by_client_year(db, f"SELECT client_id, substr(date, 1, 4), sum({field}) FROM sales "
                                f"WHERE substr(date, 1, 4) IN ({marks}) GROUP BY 1, 2", years)
    booked = _by_client_year(db, f"SELECT client_id, period, coalesce({field}, 0) FROM amounts WHERE period IN ({marks})",
                             years)
    total: dict[int, Fraction] = {}
    for key in set(inside) | set(booked):
        cid, year = key
        lines, year_lines, amount = inside.get(key, 0), whole.get(key, 0), booked.get(key)
        if amount is None or amount == year_lines:
            part = Fraction(lines)
        elif year_lines:
            part = Fraction(lines * amount, year_lines)
        else:  # an amount with no line that year: spread evenly over its months
            part = Fraction(amount * _months_inside(year, start, end), 12)
        if key in inside or part:
            total[cid] = total.get(cid, Fraction(0)) + part
    return [(*clients[cid][:6], round(total[cid]), 0, clients[cid][6]) for cid in sorted(total) if cid in clients]


def _by_client_year(db: sqlite3.Connection, sql: str, args: Iterable[object]) -> dict[tuple[int, str], int]:
    return {(cid, year): int(v or 0) for cid, year, v in db.execute(sql, tuple(args))}


def _months_inside(year: str, start: str, end: str) -> int:
    """Months of calendar ``year`` within [start, end)."""
    first, last = max(f"{year}-01", start[:7]), min(f"{int(year) + 1}-01", end[:7])
    if first >= last:
        return 0
    (y1, m1), (y2, m2) = map(int, first.split("-")), map(int, last.split("-"))
    return (y2 - y1) * 12 + m2 - m1


def amounts_by_period(db: sqlite3.Connection, field: str, rolling: bool) -> dict[str, dict[int, int]]:
    """Per period, each client's amount: what the evolution measures."""
    out: dict[str, dict[int, int]] = {}
    if rolling:
        for period in rolling_periods(db):
            out[period] = {row[0]: row[6] for row in rolling_rows(db, period, field)}
        return out
    for cid, period, amount in db.execute(f"SELECT client_id, period, coalesce({field}, 0) FROM amounts"):
        out.setdefault(period, {})[cid] = amount
    return out


def product_amounts(db: sqlite3.Connection, period: str, field: str) -> list[tuple[int, str, int]]:
    """(client id, product family, amount) of the period's sales lines."""
    start, end = window(period)
    return db.execute(
        f"SELECT client_id, product, sum(coalesce({field}, 0)) FROM sales WHERE date >= ? AND date < ? "
        "GROUP BY client_id, product ORDER BY client_id, product",
        (start, end),
    ).fetchall()


# What a period given on the command line may be (1900..2100, like dates).
_YEAR_EXPECTED = ("une année AAAA entre 1900 et 2100 (ex. 2025)", "a year YYYY between 1900 and 2100 (e.g. 2025)")
_PERIOD_EXPECTED = ("une année AAAA (ex. 2025), un mois AAAA-MM (ex. 2025-03) ou une fenêtre glissante RAAAA-MM (ex. R2025-12)",
                    "a year YYYY (e.g. 2025), a month YYYY-MM (e.g. 2025-03) or a rolling window RYYYY-MM (e.g. R2025-12)")
_PERIOD = re.compile(r"(R?)(\d{4})(?:-(\d{2}))?")


def check_period(text: str, *, years_only: bool = False, where: str = "--period") -> str:
    """``text`` if it is a period: YYYY, YYYY-MM or RYYYY-MM, its year within
    1900..2100; else the input error saying what was expected."""
    from cockpit.io.input_error import InputError

    m = _PERIOD.fullmatch(text.strip())
    ok = m is not None and 1900 <= int(m[2]) <= 2100 and (m[3] is None or 1 <= int(m[3]) <= 12) \
        and (not m[1] or m[3] is not None) and (not years_only or (not m[1] and m[3] is None))
    if not ok:
        raise InputError(where, None, None, text, *(_YEAR_EXPECTED if years_only else _PERIOD_EXPECTED))
    return text.strip()


def check_known(period: str, known: list[str], *, where: str = "--period") -> str:
    """A period the workspace holds: no silent fallback to another one."""
    from cockpit.io.input_error import InputError

    if period not in known:
        listed = ", ".join(known) or "—"
        raise InputError(where, None, None, period, f"une période de l'espace de travail : {listed}",
                         f"a period of the workspace: {listed}")
    return period
