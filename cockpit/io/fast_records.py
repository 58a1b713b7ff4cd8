"""`tabular.read_records` of a clients or sales CSV through the columnar
reader, for readers that want whole columns (`cockpit abc`): the same values
per field (text, cents or None, dates), or the same first error. None: not a
file for this path (the reference reads it)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from typing import Any

import numpy as np
import pyarrow as pa

from cockpit.io.chunks import NotFast
from cockpit.io.stream_read import Batch, Redo, StreamReader
from cockpit.io.tabular import Records


def read_whole(path: str, kind: str, wanted: set[str] | None) -> tuple[StreamReader, list[Batch]] | None:
    """Every batch of the file, read again once with the decimal mark the first
    pass found (``Redo``); None: not a file for the columnar reader."""
    decimals, check = None, False
    try:
        for _ in range(3):  # once more for each: a file not UTF-8 past its head, its decimal marks
            try:
                reader = StreamReader(path, kind, wanted, decimals, check)
                return reader, list(reader.batches())
            except Redo as redo:
                decimals, check = redo.decimals, check or redo.check
    except NotFast:
        return None
    return None


def read_fast(path: str | os.PathLike[str], kind: str, fields: Iterable[str] | None = None) -> Records | None:
    read = read_whole(os.fspath(path), kind, None if fields is None else set(fields))
    if read is None:
        return None
    reader, batches = read
    names = reader.fields
    n = sum(b.size for b in batches)
    data = {name: _column(batches, name) for name in names}
    lay = reader.layout
    assert lay is not None
    # Lines are not tracked row by row on this path: `lines` only counts the rows.
    return Records(reader.path, names, None, range(n), ignored=lay.ignored, years=lay.years,  # type: ignore[arg-type]  # rows: made from data on first use
                   columns=reader.columns(), data=data)


def _column(batches: list[Batch], name: str) -> list[object]:
    values = [b.values[name] for b in batches]
    if not values:
        return []
    first = values[0]
    if isinstance(first, pa.Array):
        return list(pa.concat_arrays(values).to_pylist())
    joined: Any = np.concatenate(values)
    blanks: Any = np.concatenate([b.blanks.get(name, np.zeros(b.size, bool)) for b in batches])
    if joined.dtype.kind == "M":
        out: list[object] = [None if d == "NaT" else dt.date.fromisoformat(d)
                             for d in np.datetime_as_string(joined).tolist()]
    else:
        out = joined.tolist()
    for p in np.flatnonzero(blanks).tolist():
        out[p] = None
    return out
