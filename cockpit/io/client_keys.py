"""A file's clients, by code or else by name, to the workspace's ids: hashed by
pyarrow (index_in), so a million lines make no Python string each."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.io.float_text import strings
from cockpit.io.input_error import InputError
from cockpit.io.prefetch import ahead
from cockpit.io.stream_read import Batch, StreamReader


def client_index(db: sqlite3.Connection) -> tuple[tuple[pa.Array, Any], tuple[pa.Array, Any]]:
    """Codes and names of the workspace's clients, each with its id (a name: its first client)."""
    rows = db.execute("SELECT id, code, name FROM clients ORDER BY id").fetchall()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    codes = strings([r[1] for r in rows])
    names = pd.Series([r[2] for r in rows])
    first = ~names.duplicated().to_numpy()
    return (codes, ids), (strings(names[first].tolist()), ids[first])


def resolve(batch: Batch, codes: tuple[pd.Index, Any], names: tuple[pd.Index, Any]) -> tuple[Any, int]:
    """Client ids of a batch's lines (by code, else by name), and the first unknown one (-1: none)."""
    n = batch.size
    cid = np.full(n, -1, dtype=np.int64)
    code = batch.values.get("client_code")
    has_code = np.zeros(n, dtype=bool) if code is None else \
        np.asarray(pc.not_equal(pc.binary_length(code), 0).to_numpy(zero_copy_only=False), dtype=bool)
    if has_code.any() and code is not None:
        cid[has_code] = lookup(codes, pc.filter(code, pa.array(has_code)))
    name = batch.values.get("client_name")
    if not has_code.all() and name is not None:
        cid[~has_code] = lookup(names, pc.filter(name, pa.array(~has_code)))
    bad = np.flatnonzero(cid < 0)
    return cid, int(bad[0]) if len(bad) else -1


def lookup(index: tuple[pa.Array, Any], keys: pa.Array) -> Any:
    """The id of each key (-1: unknown), hashed by pyarrow: no Python string per key."""
    known, ids = index
    if not len(known) or not len(keys):
        return np.full(len(keys), -1, dtype=np.int64)
    at = pc.fill_null(pc.index_in(keys, value_set=known), -1).to_numpy().astype(np.int64)
    return np.where(at >= 0, ids[at], -1)


def known_lines(reader: StreamReader, index: tuple[tuple[pa.Array, Any], tuple[pa.Array, Any]],
                progress: Callable[[int, int, int], None], check: Callable[[], None],
                unknown_client: Callable[[str, int | None, str], InputError]) -> Iterator[tuple[Batch, Any]]:
    """Each batch of a sales file with its lines' client ids, read a chunk ahead
    in a thread. A line naming no client of ``index`` stops the import, but
    only once the file is read: a bad cell further down is named first."""
    codes, names = index
    unknown: tuple[int, str] | None = None
    for batch in ahead(reader.batches()):
        progress(reader.rows, reader.bytes_read, reader.source.size)
        check()
        if unknown is not None:
            continue
        cid, missing = resolve(batch, codes, names)
        if missing >= 0:
            code = batch.values["client_code"][missing].as_py() if "client_code" in batch.values else ""
            name = batch.values["client_name"][missing].as_py() if "client_name" in batch.values else None
            unknown = batch.first_row + missing, str(code or name)
            continue
        yield batch, cid
    if unknown is not None:
        raise unknown_client(reader.path, reader.line_of(unknown[0]), unknown[1])


def unknown_client(path: str, line: int | None, value: str) -> InputError:
    return InputError(path, line, "client", value, "un client connu du portefeuille (importez d'abord les clients)",
                      "a client of the portfolio (import the clients first)")
