"""A big sales import into a table of its own, swapped in at the end.

When a file brings more lines than the workspace holds, deleting the old lines
of the years it replaces costs as much as writing them did (a B-tree walk per
row). Instead the new lines go into ``sales_new`` (the same definition), the
lines of the other years are copied over in one INSERT … SELECT, the old table
is dropped (its pages freed whole) and the new one takes its name, all inside
the import's one transaction: a rollback leaves the old table as it was.
"""

from __future__ import annotations

import re
import sqlite3

STAGE = "sales_new"


def stage(db: sqlite3.Connection, top: int) -> None:
    """``sales_new``, empty, whose next line id is ``top + 1``: the new lines'
    ids follow the old ones', as when they go into ``sales`` itself."""
    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'sales'").fetchone()
    db.execute(f"DROP TABLE IF EXISTS {STAGE}")
    db.execute(re.sub(r'^CREATE TABLE\s+"?sales"?', f"CREATE TABLE {STAGE}", sql, count=1))
    if top:  # SQLite gives a new row max(id) + 1: a placeholder at ``top``, gone before the swap
        db.execute(f"INSERT INTO {STAGE}(id, client_id, date, product, revenue, margin) VALUES (?, 0, '', '', 0, NULL)",
                   (top,))


def counts(db: sqlite3.Connection, top: int, years: list[str]) -> dict[tuple[str, int], tuple[int, int]]:
    """(year, 0 old | 1 new) -> (lines, clients), for ``loading.Replaced``."""
    marks = ",".join("?" * len(years))
    out: dict[tuple[str, int], tuple[int, int]] = {}
    for new, table, where in ((0, "sales", ""), (1, STAGE, f"AND id > {int(top)}")):
        for y, lines, clients in db.execute(
                f"SELECT substr(date, 1, 4), count(*), count(DISTINCT client_id) FROM {table} "
                f"WHERE substr(date, 1, 4) IN ({marks}) {where} GROUP BY 1", years):
            out[(y, new)] = (lines, clients)
    return out


def swap(db: sqlite3.Connection, top: int, years: list[str]) -> None:
    """The other years' lines copied with their ids, then ``sales_new`` becomes ``sales``."""
    marks = ",".join("?" * len(years))
    db.execute(f"DELETE FROM {STAGE} WHERE id = ?", (top,))
    db.execute(f"INSERT INTO {STAGE} SELECT * FROM sales WHERE substr(date, 1, 4) NOT IN ({marks})", years)
    db.execute("DROP TABLE sales")
    db.execute(f"ALTER TABLE {STAGE} RENAME TO sales")
