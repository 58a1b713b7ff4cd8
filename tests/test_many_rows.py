"""`many_rows.insert_rows` writes what a one-row `executemany` writes: the
same rows in the same order (so the same ids), the constants on each row, a
column left out taking its default, and the tail (an upsert) applied."""

from __future__ import annotations

import sqlite3

from hypothesis import given, settings, strategies as st

from cockpit.io.many_rows import VARIABLES, insert_rows

_TABLE = "CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER UNIQUE, a TEXT, b INTEGER, c TEXT DEFAULT 'd', p TEXT)"
values = st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1), st.text(max_size=5))


def _both(rows: list[tuple[object, ...]], names: list[str], constants: dict[str, object], tail: str,
          before: list[tuple[object, ...]]) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    out = []
    for bulk in (False, True):
        db = sqlite3.connect(":memory:")
        db.execute(_TABLE)
        db.executemany("INSERT INTO t(k, a) VALUES (?, ?)", before)
        if bulk:
            insert_rows(db, "t", names, [list(c) for c in zip(*rows)] if rows else [[] for _ in names], constants, tail)
        else:
            cols = [*names, *constants]
            db.executemany(f"INSERT INTO t({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}){tail}",
                           [(*r, *constants.values()) for r in rows])
        out.append(db.execute("SELECT * FROM t ORDER BY id").fetchall())
        db.close()
    return out[0], out[1]


@settings(max_examples=60, deadline=None)
@given(st.data(), st.sampled_from([0, 1, 2, 3, 165, 166, 167, 333, 500, 998, 999, 1000, 2500]),
       st.sampled_from([["k", "a"], ["k", "a", "b"], ["k", "a", "b", "c"], ["k"]]), st.booleans())
def test_many_rows_a_statement_write_what_one_row_a_statement_writes(data, size, names, with_period):
    rows = [(k, *data.draw(st.tuples(*[values] * (len(names) - 1)))) for k in range(size)]
    constants = {"p": "2025"} if with_period else {}
    plain, bulk = _both(rows, names, constants, "", [])
    assert bulk == plain and len(bulk) == size


def test_rows_past_a_statement_keep_their_order_and_the_tail_applies_to_each():
    per = VARIABLES // 3
    rows = [(k % (per + 7), f"v{k}", k) for k in range(3 * per + 11)]  # repeats across statements
    tail = " ON CONFLICT(k) DO UPDATE SET a = excluded.a, b = t.b + excluded.b"
    plain, bulk = _both(rows, ["k", "a", "b"], {}, tail, [(3, "old")])
    assert bulk == plain and {r[1] for r in bulk} == set(range(per + 7))
