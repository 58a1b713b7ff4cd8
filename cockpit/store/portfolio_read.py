"""Reading one year's portfolio from the workspace, fast at a million clients.

Every column comes out of SQLite as one concatenated string (``group_concat``)
that numpy parses or ``TextColumn`` keeps packed: no tuple or string per row.
Amounts, client numbers, names and groups are read on four read-only
connections at once, since SQLite computes an aggregate without holding the
GIL; reads that disagree (another rep committed in between) are read again.
Codes and sectors, which only exports and the products tab need, are read
on first use.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast, overload
from urllib.parse import quote  # urllib.request's pathname2url on POSIX, without its 20 ms import at start

import numpy as np

from cockpit.store.text_column import NotIntegers, TextColumn, read_columns, read_ints, read_text

from cockpit.store.portfolio_data import PortfolioData

if TYPE_CHECKING:
    from cockpit.store.workspace import Workspace


class LazyText(Sequence[str]):
    """A text column read from the workspace the first time it is used."""

    def __init__(self, load: Callable[[], Sequence[str]], size: int):
        self._load, self._size = load, size
        self._column: Sequence[str] | None = None
        self._lock = threading.Lock()

    @property
    def column(self) -> Sequence[str]:
        with self._lock:
            if self._column is None:
                self._column = self._load()
            return self._column

    def __len__(self) -> int:
        return self._size

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        return self.column[i]

    def __iter__(self) -> Iterator[str]:
        return iter(self.column)


class GroupsRead:
    """Every client's group as a code into the sorted group names."""

    def __init__(self, names: TextColumn, code_by_row: np.ndarray):
        self.names, self.code_by_row = names, code_by_row


def read_groups(db: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray, TextColumn]:
    """From the (grp, id) index: the ids in group order, the size of each
    group and the group names, in the same (sorted) order."""
    (by_group,) = read_ints(db, ["id"], "(SELECT id FROM clients ORDER BY grp, id)")
    sizes, names = read_columns(db, "(SELECT grp, count(*) AS n FROM clients GROUP BY grp ORDER BY grp)",
                                ints=["n"], texts=["grp"])
    return by_group, sizes, names


def group_codes(rows_of: RowsOf, by_group: np.ndarray, sizes: np.ndarray, names: TextColumn) -> GroupsRead:
    """Group code per client of ``ids`` (ascending)."""
    n = len(rows_of.ids)
    if len(by_group) != n or int(sizes.sum()) != n or len(names) != len(sizes):
        raise Changed
    rows = rows_of(by_group)
    code_by_row = np.empty(n, dtype=np.int64)
    code_by_row[rows] = np.repeat(np.arange(len(sizes)), sizes)
    return GroupsRead(names, code_by_row)


class RowsOf:
    """Position in ``ids`` (ascending) of given ids; Changed if one is missing.
    Ids are rowids, nearly dense: a direct table beats a binary search by far
    (cache misses) at a million."""

    def __init__(self, ids: np.ndarray):
        self.ids = ids
        self.top = int(ids[-1]) if len(ids) else -1
        self.table: np.ndarray | None = None
        if len(ids) and int(ids[0]) >= 0 and self.top <= 4 * len(ids) + 1024:
            self.table = np.full(self.top + 1, -1, dtype=np.int64)
            self.table[ids] = np.arange(len(ids))

    def __call__(self, wanted: np.ndarray) -> np.ndarray:
        if not len(wanted):
            return np.zeros(0, dtype=np.int64)
        if self.table is not None:  # three passes (min, max, then the rows' min) and no temporary mask
            if int(wanted.min()) < 0 or int(wanted.max()) > self.top:
                raise Changed
            rows: np.ndarray = self.table[wanted]
            if int(rows.min()) < 0:
                raise Changed
            return rows
        ids = self.ids
        rows = np.searchsorted(ids, wanted)
        if np.any(rows >= len(ids)) or np.any(ids[np.minimum(rows, len(ids) - 1)] != wanted):
            raise Changed
        return rows


class Changed(Exception):
    """Another rep committed between two reads of one load: read again."""


def read_year(ws: Workspace, period: str, field: str) -> PortfolioData | None:
    """One year's PortfolioData (``ws`` is the Workspace), or None when the
    columns cannot be read in one piece."""
    for _attempt in range(3):
        try:
            return _read_year(ws, period, field, PortfolioData)
        except Changed:
            continue
        except NotIntegers:
            return None
    return None


def in_parallel(path: str | Path, reads: dict[str, Callable[[sqlite3.Connection], object]],
                immutable: bool = False) -> dict[str, object]:
    """Run each read on its own read-only connection in its own thread:
    SQLite aggregates without the GIL, so they share the cores. ``immutable``:
    on a read-only mount, where even the WAL index cannot be opened."""
    out: dict[str, object] = {}
    uri = "file:" + quote(str(path)) + "?mode=ro" + ("&immutable=1" if immutable else "")

    def run(name: str, read: Callable[[sqlite3.Connection], object]) -> None:
        try:
            db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        except BaseException as exc:  # handed to the caller's thread
            out["error"] = exc
            return
        try:
            out[name] = read(db)
        except BaseException as exc:
            out["error"] = exc
        finally:
            db.close()

    threads = [threading.Thread(target=run, args=item, name=f"cockpit-read-{item[0]}", daemon=True)
               for item in reads.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if "error" in out:
        raise cast("BaseException", out["error"])
    return out


def _read_year(ws: Workspace, period: str, field: str,
               PortfolioData: type[PortfolioData]) -> PortfolioData:
    def amounts(db: sqlite3.Connection) -> tuple[np.ndarray, ...]:
        (name_order,) = read_ints(db, ["id"], "(SELECT id FROM clients ORDER BY name, code)")
        return (*_read_amounts(db, period, field), name_order)

    read = in_parallel(ws.path, immutable=getattr(ws, "immutable", False), reads={
        "amounts": amounts,
        "clients": lambda db: read_ints(db, ["id", "coalesce(potential, -1)", "version"],
                                        "(SELECT id, potential, version FROM clients ORDER BY id)"),
        "names": lambda db: read_text(db, "name", "(SELECT name FROM clients ORDER BY id)"),
        "groups": read_groups,
    })
    amount_ids, amount, version, name_order = cast("tuple[np.ndarray, ...]", read["amounts"])
    ids, potential, client_version = cast("list[np.ndarray]", read["clients"])
    names = cast("TextColumn", read["names"])
    if len(name_order) != len(ids) or len(names) != len(ids):
        raise Changed
    rows_of = RowsOf(ids)
    groups = group_codes(rows_of, *cast("tuple[np.ndarray, np.ndarray, TextColumn]", read["groups"]))
    # Row of each client of the period in the all-clients arrays (both by id).
    rows = rows_of(amount_ids)
    key_by_row = np.empty(len(ids), dtype=np.int64)
    key_by_row[rows_of(name_order)] = np.arange(len(ids))
    # Only the groups with a client in this period: the group view ranks those.
    codes = groups.code_by_row[rows]
    present = np.flatnonzero(np.bincount(codes, minlength=len(groups.names)))
    recode = np.zeros(len(groups.names), dtype=np.int64)
    recode[present] = np.arange(len(present))
    group_code = recode[codes]
    group_names = groups.names.take(present)

    def lazy(column: str) -> LazyText:
        def load() -> Sequence[str]:
            with ws.lock:
                return read_text(ws.db, column, f"(SELECT {column} FROM clients ORDER BY id)").take(rows)
        return LazyText(load, len(rows))

    return PortfolioData(
        period, amount_ids, lazy("code"), names.take(rows), group_names.take(group_code), lazy("sector"),
        potential[rows], amount, version, client_version[rows], key_by_row[rows], (group_names, group_code),
    )


def _read_amounts(db: sqlite3.Connection, period: str, field: str) -> tuple[np.ndarray, ...]:
    amount_ids, amount, version = read_ints(
        db, ["client_id", f"coalesce({field}, 0)", "version"],
        "(SELECT client_id, " + field + ", version FROM amounts WHERE period = ? ORDER BY client_id)", (period,))
    return amount_ids, amount, version
