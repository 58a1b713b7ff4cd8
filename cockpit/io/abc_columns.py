"""`cockpit abc FILE` on columns for a file with French forms (decimal
comma, grouped thousands, "€", quotes): the columnar reader's chunks, every
rule of the importers, the ranking in numpy. No Python object per client; the
file the row path (`cockpit.cli_abc`) writes, byte for byte
(tests/test_abc_fast.py compares the two). Plain files take the faster
`abc_plain` first; both write their CSV through `abc_csv`.

None: not a file for this path (a workbook, an odd CSV): the caller takes
the row path, which also names any bad cell.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.io.float_text import strings
from cockpit.io.fast_records import read_whole
from cockpit.io.stream_read import Batch
from cockpit.portfolio.abc import CLASS_LETTERS, Limits, abc_in_order
from cockpit.portfolio.computed_limits import ComputedLimits, counts_in_force


def read_columns(path: str, amount: str) -> tuple[list[str], int, pa.Array, pa.Array, Any] | None:
    """(fields, n, ids, names, cents) of a clients file: a blank code is the
    row's number, a blank amount 0 (as the row path reads them)."""
    read = read_whole(path, "clients", {"code", "name", amount})
    if read is None:
        return None
    reader, batches = read
    fields = reader.fields
    n = sum(b.size for b in batches)
    names = _text(batches, "name", n)
    rows = pc.cast(pa.array(np.arange(1, n + 1)), pa.string())
    ids = rows if "code" not in fields else pc.if_else(pc.equal(_text(batches, "code", n), ""), rows, _text(batches, "code", n))
    cents = np.concatenate([b.values[amount] for b in batches]) if amount in fields and batches else np.zeros(n, np.int64)
    if amount in fields and batches:
        cents[np.concatenate([b.blanks[amount] for b in batches])] = 0
    return fields, n, ids, names, cents


def _text(batches: list[Batch], name: str, n: int) -> pa.Array:
    if not batches:
        return strings([])
    return pa.concat_arrays([b.values[name] for b in batches])


def rank_order(cents: Any, names: pa.Array, ids: pa.Array) -> Any:
    """`portfolio.abc.rank_order` with `name_keys`, for the JSON: amount,
    largest first, then name and id in code-point order (UTF-8 bytes sort so),
    as `abc_csv.ranked` sorts for the CSV."""
    table = pa.table({"amount": pa.array(np.asarray(cents, dtype=np.int64)), "name": names, "id": ids})
    return pc.sort_indices(table, sort_keys=[("amount", "descending"), ("name", "ascending"),
                                             ("id", "ascending")]).to_numpy()


@dataclass(frozen=True)
class Ranking:
    """A clients file ranked: what the JSON writer and the clients export need, in rank order."""

    n: int
    ids: pa.Array  # file order
    names: pa.Array
    order: pa.Array  # rank -> row of the file
    amounts: Any  # cents, rank order
    cum: Any  # inclusive cumulative cents
    total: int
    n_pos: int
    a_count: int
    b_count: int
    computed: ComputedLimits | None  # --computed: the curve's limits
    limits: Limits

    cum_shares: Any  # share of the positive total up to each rank (flat over the non-positive tail)

    def cum_share(self, start: int, stop: int) -> Any:
        return self.cum_shares[start:stop]

    def client_share(self, start: int, stop: int) -> Any:
        return np.arange(start + 1, stop + 1) / self.n

    def klass(self, start: int, stop: int) -> pa.Array:
        rank = np.arange(start, stop)
        code = np.where(rank < self.a_count, 0, np.where(rank < max(self.a_count, self.b_count), 1, 2))
        return pc.take(strings(CLASS_LETTERS), pa.array(code))

    def flag(self, start: int, stop: int) -> pa.Array:
        return pc.if_else(pa.array(np.arange(start, stop) < self.n_pos), "", "non-positive")


def rank_file(path: str, amount: str, limits: Callable[[], Limits], computed: bool,
              missing: Callable[[], Exception]) -> Ranking | None:
    """The file ranked (None: not a file for this path). ``missing()`` is raised
    when the file has no ``amount`` column, ``limits()`` may raise too (the row
    path's order of errors)."""
    read = read_columns(path, amount)
    if read is None:
        return None
    fields, n, ids, names, cents = read
    if amount not in fields:
        raise missing()
    lim = limits()
    ranked = abc_in_order(cents, rank_order(cents, names, ids), lim)
    a_count, b_count, c = counts_in_force(ranked, lim, computed)
    n_pos = int(np.count_nonzero(ranked.amounts > 0))
    return Ranking(n, ids, names, pa.array(ranked.order), ranked.amounts, ranked.cum, ranked.total, n_pos, a_count,
                   b_count, c, lim, ranked.cum_share)


def write_abc_csv(out: TextIO, path: str, amount: str, limits: Callable[[], Limits], computed: bool,
                  missing: Callable[[], Exception]) -> bool:
    """The ranked CSV to ``out`` (`cockpit.io.abc_csv` writes it); False: not a file for this path."""
    read = read_columns(path, amount)
    if read is None:
        return False
    fields, _, ids, names, cents = read
    del read
    if amount not in fields:
        raise missing()
    lim = limits()
    import polars as pl

    from cockpit.io.abc_csv import ranked, write_ranked_csv

    clients = pl.DataFrame({"cents": np.asarray(cents, dtype=np.int64), "name": pl.from_arrow(names),
                            "id": pl.from_arrow(ids)})
    del ids, names, cents  # one copy of the clients at a time: the Arrow one, then polars', then the sorted one
    clients = ranked(clients)  # the file-order frame goes as the sorted one is bound
    write_ranked_csv(out, clients, lim, computed)
    return True
