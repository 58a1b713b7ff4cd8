"""The columnar CSV writer (issue 16, item 4) writes byte for byte what the
row writer `tabular.write_csv_fr` writes: same cells (`format_cell_fr` of
`exports.euros` / `exports.share` / text), same guard, same quotes, same BOM
and line ends. The row writer is the reference; both write real files."""

from __future__ import annotations

import math
import sqlite3

import numpy as np
import pyarrow as pa
from hypothesis import given, settings, strategies as st

from cockpit.io.csv_columns import Euros, Ints, Shares, Texts, write_csv_columns_fr
from cockpit.io.exports import euros, share
from cockpit.io.tabular import write_csv_fr

EDGE_SHARES = [0.0, -0.0, 1.0, 0.5, 1e-7, 4e-7, 5e-7, 6e-7, 1e-6, 5e-5, 0.1234565, 0.0000015, 2.5e-6, 0.9999995,
               1073.7418235, 1e9, 1.5e15, 3e16, -0.25, -1e-7, float("nan"), float("inf"), 1 / 3, 2 / 3, 0.1 + 0.2]
EDGE_CENTS = [0, 1, 5, 10, 99, 100, 101, 110, 12340, 12345, -1, -10, -150, 2**53 + 1, -(2**62), 2**62]
EDGE_TEXTS = ["", "LORFLEX", "=HYPERLINK(\"x\")", "'=1+1", "''=x", "+33 6", "-5", "@home", "\tx", "a;b", 'dit "oui"',
              "ligne\nsuite", "fin\r", "'abc", "Société Générale", "é;\"", "  espaces  ", "x" * 300, "\u202fnbsp"]


def _both(tmp_path, headers, rows, columns) -> tuple[bytes, bytes]:
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    write_csv_fr(old, headers, rows)
    write_csv_columns_fr(new, headers, len(rows), lambda a, b: [_cut(c, a, b) for c in columns], step=7)
    return old.read_bytes(), new.read_bytes()


def _cut(column, a, b):
    if isinstance(column, Euros):
        return Euros(column.cents[a:b], column.missing[a:b])
    if isinstance(column, Texts):
        return Texts(column.values.slice(a, b - a))
    return type(column)(column.values[a:b])


def _compare(tmp_path, cents, missing, shares, texts) -> None:
    n = len(cents)
    headers = ["rank", "amount", "share", "name", "=formula header"]
    rows = [[i + 1, None if missing[i] else euros(int(cents[i])), share(shares[i]), texts[i]] for i in range(n)]
    # The row writer's table has 4 cells and a fifth header: same as the columns below but for the last.
    rows = [r + [texts[-1 - i]] for i, r in enumerate(rows)]
    columns = [Ints(np.arange(1, n + 1)), Euros(np.array(cents, dtype=np.int64), np.array(missing)),
               Shares(np.array(shares, dtype=np.float64)), Texts(pa.array(texts, pa.string())),
               Texts(pa.array(texts[::-1], pa.string()))]
    old, new = _both(tmp_path, headers, rows, columns)
    assert new == old


def test_edge_values_are_written_as_the_row_writer_writes_them(tmp_path):
    n = max(len(EDGE_SHARES), len(EDGE_CENTS), len(EDGE_TEXTS))
    cents = [EDGE_CENTS[i % len(EDGE_CENTS)] for i in range(n)]
    shares = [EDGE_SHARES[i % len(EDGE_SHARES)] for i in range(n)]
    texts = [EDGE_TEXTS[i % len(EDGE_TEXTS)] for i in range(n)]
    _compare(tmp_path, cents, [i % 5 == 4 for i in range(n)], shares, texts)


def test_values_near_a_rounding_half_go_through_round(tmp_path):
    k = np.arange(0, 2000)
    halves = ((k + 0.5) / 1e6).tolist() + ((k * 997 + 0.5) / 1e6).tolist()  # k.5 millionths: where rint may differ
    n = len(halves)
    _compare(tmp_path, list(range(n)), [False] * n, halves, ["x"] * n)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-(2**62), 2**62), st.booleans(),
                          st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.floats(0, 1), st.floats(0, 3)),
                          st.text(max_size=12)), min_size=1, max_size=40))
def test_any_values_are_written_as_the_row_writer_writes_them(tmp_path_factory, rows):
    texts = [t.replace("\x00", "") for _, _, _, t in rows]  # csv refuses NUL; the workspace never holds one
    _compare(tmp_path_factory.mktemp("any"), [c for c, _, _, _ in rows], [m for _, m, _, _ in rows],
             [s for _, _, s, _ in rows], texts)


def test_the_clients_export_is_the_row_writers_file(db_path, tmp_path):
    """The sample workspace's clients, through the export (columnar) and
    through the row writer given the same table row by row."""
    from cockpit import config
    from cockpit.io.exports import clients_table, write_table
    from cockpit.portfolio.strategy import load_strategy
    from cockpit.store.workspace import Workspace

    db = sqlite3.connect(db_path)  # a name and a sector the guard and the quotes must handle
    db.execute("UPDATE clients SET name = '=SOMME(A1)', sector = 'Négoce; \"gros\"' WHERE id = 2")
    db.execute("UPDATE clients SET potential = NULL WHERE id = 3")
    db.commit()
    db.close()
    ws = Workspace(db_path, who="claire")
    cfg, _ = config.load(tmp_path / "none.toml")
    for period in ws.periods(False):
        _, strategy, _ = load_strategy(ws, cfg, period, False, parts=())
        headers, rows = clients_table(strategy)
        write_table(tmp_path / "new.csv", headers, rows)
        write_csv_fr(tmp_path / "old.csv", headers, list(rows))
        old = (tmp_path / "old.csv").read_bytes()
        assert (tmp_path / "new.csv").read_bytes() == old
        assert old.count(b"\r\n") == len(rows) + 1 and b"'=SOMME(A1)" in old and b'"N\xc3\xa9goce; ""gros"""' in old
    ws.close()


def test_nan_and_none_are_blank_and_infinity_is_as_decimal_writes_it(tmp_path):
    assert share(float("nan")) is None and not math.isnan(float(share(0.5) or 0))
    old, new = _both(tmp_path, ["s"], [[share(float("inf"))], [None]], [Shares(np.array([float("inf"), float("nan")]))])
    assert new == old and b"Infinity" in new


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(-(2**63) + 1, 2**63 - 1), max_size=30), st.lists(st.floats(), max_size=30))
def test_float_reprs_are_pythons_repr(cents, floats):
    from cockpit.io.float_text import hundredths_repr, round6_repr

    cents = cents + [0, 1, -1, 10, -10, 10**15 - 1, 10**15, -(10**15), 2**53 + 1, -(2**62)]
    floats = floats + [0.0, -0.0, 1e-7, 5e-7, 1e-6, 5e-5, 9.9e-5, 1e-4, 0.5, 1 / 3, 2.5e-6, 1073.7418235, 1e20, -3e-5]
    assert hundredths_repr(np.array(cents, dtype=np.int64)).to_pylist() == [repr(c / 100) for c in cents]
    assert round6_repr(np.array(floats)).to_pylist() == [repr(round(f, 6)) for f in floats]
