"""`cockpit abc --format csv` ranked and written by polars: one sort of the
rows (amount, largest first, then name and id in code-point order), the
figures in numpy (`portfolio.abc`), the CSV made a slice at a time. The bytes
are the row path's (`cockpit.cli_abc`): Python's csv writer and repr of floats.

Floats are c / 100 for whole cents and round(v, 6) = z / 10**6 for shares.
Below 10**15 cents and from 1e-4 on, polars writes repr's text; the few
others (shares below 1e-4, where repr writes an exponent) are written by
repr itself.
"""

from __future__ import annotations

import csv
import errno
import io
import os
from collections.abc import Callable
from typing import Any, BinaryIO, TextIO

import numpy as np
import polars as pl

from cockpit.io.numbers_fr import _FORMULA_START
from cockpit.io.out_bytes import utf8_bytes
from cockpit.io.round6 import round6_ints
from cockpit.portfolio.abc import CLASS_LETTERS, Limits, abc_in_order
from cockpit.portfolio.computed_limits import counts_in_force

HEADER = ["rank", "id", "name", "amount", "cum_share", "client_share", "class", "flag"]
_STEP = 250_000
_EXACT_CENTS = 10**15


# The rank order: amount, largest first, then name and id (UTF-8 bytes sort in
# code-point order, as Python's str). Rows equal on all three are written alike,
# so their order among themselves does not show.
_BY, _DESCENDING = ["cents", "name", "id"], [True, False, False]


def ranked(clients: pl.DataFrame) -> pl.DataFrame:
    """Clients (cents, name, id) in rank order: one sort of the rows, half the
    time of an order then a gather."""
    return clients.sort(_BY, descending=_DESCENDING)


def write_ranked_csv(out: TextIO, texts: pl.DataFrame, limits: Limits, computed: bool) -> None:
    """The CSV of clients in rank order (`ranked`)."""
    n = texts.height
    table = abc_in_order(texts.get_column("cents").to_numpy(), np.arange(n), limits)  # already in rank order
    a_count, b_count, _ = counts_in_force(table, limits, computed)
    n_pos = int(np.count_nonzero(table.amounts > 0))
    shares = table.cum_share
    a_b = max(a_count, b_count)
    # One look down the two text columns: the guard (and pyarrow) only for a file that needs it.
    risky = bool(texts.select(pl.any_horizontal(pl.col("id", "name").str.contains("^" + _FORMULA_START.pattern))
                              .any()).item())

    def piece(start: int, stop: int) -> pl.DataFrame:
        rank = pl.int_range(start, stop, dtype=pl.Int64)
        frame = pl.DataFrame({
            "amount": hundredths_column(table.amounts[start:stop]),
            "cum_share": round6_column(shares[start:stop]),
            "client_share": round6_column(np.arange(start + 1, stop + 1) / n),
        })
        part = texts.slice(start, stop - start)
        return pl.concat([_guarded(part) if risky else part.select("id", "name"), frame], how="horizontal").select(
            (rank + 1).alias("rank"), "id", "name", "amount", "cum_share", "client_share",
            pl.when(rank < a_count).then(pl.lit(CLASS_LETTERS[0])).when(rank < a_b).then(pl.lit(CLASS_LETTERS[1]))
            .otherwise(pl.lit(CLASS_LETTERS[2])).alias("class"),
            pl.when(rank < n_pos).then(pl.lit(None, pl.String)).otherwise(pl.lit("non-positive")).alias("flag"))

    head = io.StringIO()
    csv.writer(head, lineterminator="\n").writerow(HEADER)
    out.write(head.getvalue())
    out.flush()
    binary = utf8_bytes(out)  # polars writes to a file object at twice the speed of into a buffer
    for start in range(0, n, _STEP):
        _write_csv(piece(start, min(n, start + _STEP)), binary, out)
    if binary is not None:
        binary.flush()


def _guarded(texts: pl.DataFrame) -> pl.DataFrame:
    """The id and name columns, a quote before any a spreadsheet would run: the
    exports' guard (`csv_columns.guarded`, `numbers_fr.guard_formula` in bulk)."""
    import pyarrow as pa

    from cockpit.io.csv_columns import guarded

    return pl.DataFrame([pl.Series(name, guarded(texts.get_column(name).to_arrow().cast(pa.string())))
                         for name in ("id", "name")])


def _write_csv(frame: pl.DataFrame, binary: BinaryIO | None, out: TextIO) -> None:
    """The rows as csv.writer writes them (QUOTE_MINIMAL, "\\n"): polars
    quotes the cells csv quotes (a comma, a quote, a line break; quotes
    doubled), and writes an empty cell (None) empty; no id or name is empty.
    To ``binary``, else through a buffer to ``out``."""
    buffer = io.BytesIO() if binary is None else None
    try:
        frame.write_csv(binary or buffer, include_header=False, separator=",", line_terminator="\n",
                        quote_style="necessary")
    except OSError as exc:  # polars says a closed pipe in its words, with no errno: the CLI's own quiet exit
        if "os error 32" in str(exc):
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE)) from None
        raise
    if buffer is not None:
        out.write(buffer.getvalue().decode("utf-8"))


# --- repr of floats -------------------------------------------------------------------

def hundredths_column(cents: Any) -> pl.Series:
    """repr(c / 100) of each whole number of cents, as write_csv writes it."""
    cents = np.asarray(cents, dtype=np.int64)
    exact = np.abs(cents) < _EXACT_CENTS
    return _mend(np.where(exact, cents, 0) / 100, exact, lambda i: repr(int(cents[i]) / 100))


def round6_column(values: Any) -> pl.Series:
    """repr(round(v, 6)) of each float, as write_csv writes it."""
    values = np.asarray(values, dtype=np.float64)
    z, exact = round6_ints(values)
    zero = values == 0  # round(0.0, 6) is 0.0, which round6_ints leaves out
    return _mend(z / 1e6, (exact & (np.abs(z) >= 100)) | zero, lambda i: repr(round(float(values[i]), 6)))


def _mend(values: Any, plain: Any, one: Callable[[int], str]) -> pl.Series:
    """A column write_csv writes as repr() writes each float: polars writes the
    same shortest digits the same way from 1e-4 up to 1e16 (tests/test_abc_plain.py),
    as floats or cast to text; the values not ``plain`` are written one by one
    by ``one(index)``, and their column as text."""
    if plain.all():
        return pl.Series(values)
    text = pl.Series(values).cast(pl.String)
    where = np.flatnonzero(~plain)
    return text.scatter(where, pl.Series([one(i) for i in where.tolist()], dtype=pl.String))
