"""Periods of the portfolio: calendar years (the amounts table, editable) or
rolling 12 months (computed from the sales lines, read-only, following the
edited yearly amounts).

A rolling period is labelled ``R2025-12``: the 12 months ending with
December 2025. Rolling windows step back 12 months from the latest sale, so
consecutive windows compare like consecutive years.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from fractions import Fraction

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


def rolling_rows(db: sqlite3.Connection, period: str, field: str) -> list[tuple]:
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


def _by_client_year(db: sqlite3.Connection, sql: str, args) -> dict[tuple[int, str], int]:
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
