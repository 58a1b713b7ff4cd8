"""A file's clients, by code or else by name, to the workspace's ids: hashed by
pyarrow (index_in), so a million lines make no Python string each."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cockpit.io.float_text import strings
from cockpit.io.input_error import InputError
from cockpit.io.prefetch import ahead
from cockpit.io.stream_read import Batch, StreamReader


AMBIGUOUS = -2  # the id ``lookup`` gives a name that several clients share


class NameIndex:
    """Each client's name to the one client that has it. A name several clients
    share (the sites of a group, which METHOD §1 never merges by name, or two
    reps' clients) is ambiguous: a row naming it without a code is refused with
    the codes to choose from, never matched to the first one."""

    def __init__(self, rows: Iterable[tuple[Any, str, str]] = ()) -> None:  # (value, code, name)
        self.one: dict[str, tuple[Any, str]] = {}
        self.shared: dict[str, list[str]] = {}
        for value, code, name in rows:
            self.add(name, value, code)

    def add(self, name: str, value: Any, code: str) -> None:
        if name in self.shared:
            self.shared[name].append(code)
        elif name in self.one:
            self.shared[name] = [self.one.pop(name)[1], code]
        else:
            self.one[name] = (value, code)

    def has(self, name: str) -> bool:
        """Whether some client has ``name``, one or several (``find``'s key: the name as written)."""
        return name in self.one or name in self.shared

    def find(self, name: str, path: str, line: int | None, column: str | None = None) -> Any | None:
        if name in self.shared:
            raise ambiguous_name(path, line, name, self.shared[name], column)
        found = self.one.get(name)
        return None if found is None else found[0]


def ambiguous_name(path: str, line: int | None, name: str, codes: list[str], column: str | None = None) -> InputError:
    listed = ", ".join(sorted(codes)[:5]) + (" …" if len(codes) > 5 else "")
    return InputError(path, line, column or "client", name,
                      f"un code client : plusieurs clients portent ce nom ({listed})",
                      f"a client code: several clients have this name ({listed})")


def client_index(db: sqlite3.Connection) -> tuple[tuple[pa.Array, Any], tuple[pa.Array, Any], dict[str, list[str]]]:
    """Codes and names of the workspace's clients, each with its id; a name
    several clients share has the id AMBIGUOUS, and its codes in the third item."""
    rows = db.execute("SELECT id, code, name FROM clients ORDER BY id").fetchall()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    codes = strings([r[1] for r in rows])
    names = pd.Series([r[2] for r in rows])
    first = ~names.duplicated().to_numpy()
    repeated = names.duplicated(keep=False).to_numpy()
    shared: dict[str, list[str]] = {}
    for i in np.flatnonzero(repeated).tolist():
        shared.setdefault(rows[i][2], []).append(rows[i][1])
    name_ids = np.where(repeated, AMBIGUOUS, ids)[first]
    return (codes, ids), (strings(names[first].tolist()), name_ids), shared


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


def known_lines(reader: StreamReader, index: tuple[tuple[pa.Array, Any], tuple[pa.Array, Any], dict[str, list[str]]],
                progress: Callable[[int, int, int], None], check: Callable[[], None],
                unknown_client: Callable[[str, int | None, str], InputError]) -> Iterator[tuple[Batch, Any]]:
    """Each batch of a sales file with its lines' client ids, read a chunk ahead
    in a thread. A line naming no client of ``index``, or a name several share,
    stops the import, but only once the file is read: a bad cell further down is named first."""
    codes, names, shared = index
    unknown: tuple[int, str, bool] | None = None
    for batch in ahead(reader.batches()):
        progress(reader.rows, reader.bytes_read, reader.source.size)
        check()
        if unknown is not None:
            continue
        cid, missing = resolve(batch, codes, names)
        if missing >= 0:
            code = batch.values["client_code"][missing].as_py() if "client_code" in batch.values else ""
            name = batch.values["client_name"][missing].as_py() if "client_name" in batch.values else None
            unknown = batch.first_row + missing, str(code or name), bool(cid[missing] == AMBIGUOUS)
            continue
        yield batch, cid
    if unknown is not None:
        line, value, ambiguous = reader.line_of(unknown[0]), unknown[1], unknown[2]
        if ambiguous:
            raise ambiguous_name(reader.path, line, value, shared[value], reader.columns().get("client_name"))
        raise unknown_client(reader.path, line, value)


def unknown_client(path: str, line: int | None, value: str) -> InputError:
    return InputError(path, line, "client", value, "un client connu du portefeuille (importez d'abord les clients)",
                      "a client of the portfolio (import the clients first)")
