"""Columnar reads (text_column, portfolio_read), the Babel-free formatters,
exact_dot / rank_order and the strategy Prefetch, against slow references."""

from __future__ import annotations

import operator
import random
import sqlite3

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from cockpit import i18n
from cockpit.portfolio.abc import rank_order
from cockpit.config import DEFAULTS
from cockpit.store.loading import load_sample
from cockpit.portfolio.ranked import exact_dot
from cockpit.portfolio.strategy import Prefetch, load_strategy
from cockpit.store.text_column import SEP, NotIntegers, TextColumn, read_columns, read_ints, read_text
from cockpit.store.workspace import Workspace

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TRICKY = ["é", "É", "ß", "SS", "straße", "STRASSE", "ACME [/b]", "[b]acme", "😀 Café", "İstanbul", "ﬁn", "Σίσυφος", ""]
no_sep = st.characters(codec="utf-8", exclude_characters=SEP)  # st.text() minus SEP
strings = st.one_of(st.sampled_from(TRICKY), st.text(no_sep, max_size=12))
needles = st.one_of(st.sampled_from(["é", "SS", "ß", "ss", "acme", "[/b]", "😀", "É", "i", "σ"]),
                    st.text(no_sep, min_size=1, max_size=3))


def slow_find(items, needle: str) -> list[int]:
    return [i for i, s in enumerate(items) if needle.casefold() in s.casefold()]


# ---- TextColumn ------------------------------------------------------------
@FAST
@given(st.lists(strings, max_size=30), needles, st.data())
def test_text_column_matches_list(items, needle, data):
    """Round trip, take and find of a packed column agree with a plain list."""
    col = TextColumn.of(items)
    assert list(col) == items and len(col) == len(items) and col == items
    idx = data.draw(st.lists(st.integers(0, max(len(items) - 1, 0)), max_size=20)) if items else []
    assert list(col.take(np.array(idx, dtype=np.int64))) == [items[i] for i in idx]
    if items and data.draw(st.booleans()):  # a needle that surely matches, cut out of an item
        s = data.draw(st.sampled_from(items))
        a = data.draw(st.integers(0, len(s)))
        needle = s[a:a + data.draw(st.integers(1, 4))] or needle
    assert col.find(needle).tolist() == slow_find(items, needle)


@FAST
@given(st.lists(strings, min_size=1, max_size=30), needles, st.randoms())
def test_find_on_shuffled_selection(items, needle, rnd):
    """find on a take() of distinct indices in shuffled order gives positions in the selection."""
    idx = rnd.sample(range(len(items)), rnd.randint(0, len(items)))
    sel = TextColumn.of(items).take(np.array(idx, dtype=np.int64))
    assert sel.find(needle).tolist() == slow_find([items[i] for i in idx], needle)


def test_find_on_selection_with_repeats():
    """find on a take() with repeated indices reports every copy."""
    sel = TextColumn.of(["Acme", "Zeta"]).take(np.array([0, 1, 0]))
    assert sel.find("acme").tolist() == [0, 2]


def test_indexing_and_split():
    """Int (negative too), slice, array and list indexing; split of SEP-joined bytes and of None."""
    items = ["a", "", "Zoé", "😀", "x y"]
    col = TextColumn.of(items)
    assert [col[i] for i in range(-5, 5)] == items + items
    assert list(col[1:4]) == items[1:4] and list(col[::-2]) == items[::-2]
    assert list(col[np.array([4, 0])]) == ["x y", "a"] and list(col[[2, 2]]) == ["Zoé", "Zoé"]
    assert list(TextColumn.split(SEP.join(items).encode())) == items
    assert list(TextColumn.split(None)) == [] and "Zoé" in col and "zoé" not in col


@pytest.fixture
def mem():
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, n INTEGER, s TEXT)")
    yield db
    db.close()


def test_read_columns_aligned(mem):
    """Ints and texts come out aligned (a separator, a NUL, accents in the text); no row: empty columns."""
    ids, s = read_columns(mem, "t", ints=["id"], texts=["s"])
    assert ids.dtype == np.int64 and len(ids) == 0 and list(s) == []
    rows = [(1, -5, "Zoé"), (2, 0, "a\x1eb"), (3, 2**62, "nul\x00inside"), (7, 42, ""), (9, 3, "ACME [/b] 😀")]
    mem.executemany("INSERT INTO t VALUES (?,?,?)", rows)
    ids, n, s = read_columns(mem, "(SELECT * FROM t ORDER BY id)", ints=["id", "n"], texts=["s"])
    assert ids.tolist() == [r[0] for r in rows] and n.tolist() == [r[1] for r in rows]
    assert list(s) == [r[2] for r in rows]
    assert list(read_text(mem, "s", "t WHERE id > ?", (2,))) == ["nul\x00inside", "", "ACME [/b] 😀"]
    assert [a.tolist() for a in read_ints(mem, ["n"], "t WHERE id < 3")] == [[-5, 0]]


@pytest.mark.parametrize("bad", [None, 12.5, "abc"])
def test_read_columns_not_integers(mem, bad):
    """A NULL, a REAL or a text in an int column raises NotIntegers."""
    mem.executemany("INSERT INTO t VALUES (?,?,?)", [(1, 1, "a"), (2, bad, "b"), (3, 3, "c")])
    with pytest.raises(NotIntegers):
        read_columns(mem, "t", ints=["n"], texts=["s"])


# ---- read_year against the row-by-row reference ----------------------------
FIELDS = ("client_id", "code", "name", "group", "sector", "potential", "amount", "version", "client_version", "name_key")


def reference(ws, period: str, field: str = "revenue") -> dict:
    """The period's columns built from ws._portfolio_rows, name_key and group codes in Python."""
    rows = ws._portfolio_rows(period, field)
    everyone = ws.db.execute("SELECT id, name, code FROM clients").fetchall()
    # METHOD §1: ties by name, then code as text (code-point order), never by row id.
    rank = {cid: k for k, (cid, _, _) in enumerate(sorted(everyone, key=lambda r: (r[1], r[2])))}
    groups = sorted({r[3] for r in rows})
    ref = {key: [r[i] for r in rows] for i, key in enumerate(FIELDS[:-1])}
    ref["amount"] = [int(a) for a in ref["amount"]]  # a REAL read row by row: whole cents
    ref["name_key"] = [rank[r[0]] for r in rows]
    ref["group_codes"] = (groups, [groups.index(r[3]) for r in rows])
    return ref


def assert_same(data, ref: dict) -> None:
    for key in FIELDS:
        assert [x if isinstance(x, str) else int(x) for x in getattr(data, key)] == ref[key], key
    names, codes = data.group_codes
    assert (list(names), codes.tolist()) == ref["group_codes"]
    # name_key orders the period's clients by (name, code)
    by_key = np.asarray(data.client_id)[np.argsort(data.name_key)].tolist()
    assert by_key == [c for _, _, c in sorted(zip(ref["name"], ref["code"], ref["client_id"]))]


@pytest.fixture
def sample_ws(tmp_path):
    ws = Workspace(tmp_path / "ws.sqlite", who="claire")
    load_sample(ws)
    yield ws
    ws.close()


def test_read_year_sample(sample_ws):
    """Every period of the sample: the fast path gives the reference's figures."""
    assert len(sample_ws.periods()) == 3
    for period in sample_ws.periods():
        data = sample_ws.load_portfolio(period)
        assert isinstance(data.name, TextColumn)  # the fast path did run
        assert_same(data, reference(sample_ws, period))


NAMES = ["Dupont", "dupont", "Éric", "Eric", "Zoé", "[b]ACME[/b]", "ACME [/b]", "", "Straße", "😀 Café", "a\x1eb"]
GROUPS = ["", "Groupe É", "groupe e", "Zeta", "[x]", "😀", "G\x1eH"]


def random_ws(path, seed: int, *, sparse_ids: bool) -> Workspace:
    rnd = random.Random(seed)
    ws = Workspace(path, who="claire")
    clients, amounts = [], []
    for i in range(300):
        cid = (10**9 + 7 * i if sparse_ids else 3 * i + 1)
        name = rnd.choice(NAMES) + (str(rnd.randint(0, 9)) if rnd.random() < 0.3 else "")
        clients.append((cid, f"K{i}", name, rnd.choice(GROUPS), rnd.choice(["", "Industrie", "Santé"]),
                        None if rnd.random() < 0.3 else rnd.randint(0, 10**10)))
        for period in ("2023", "2024"):
            if rnd.random() < 0.85:  # the others have no amount row in that period
                amounts.append((cid, period, rnd.choice([0, -rnd.randint(1, 10**6), rnd.randint(1, 10**11)]),
                                None if rnd.random() < 0.3 else rnd.randint(-10**6, 10**8), rnd.randint(1, 5)))
    with ws.transaction() as db:
        db.executemany("INSERT INTO clients(id, code, name, grp, sector, potential) VALUES (?,?,?,?,?,?)", clients)
        db.executemany("INSERT INTO amounts(client_id, period, revenue, margin, version) VALUES (?,?,?,?,?)", amounts)
        db.execute("UPDATE clients SET version = 1 + id % 4")
    return ws


@pytest.mark.parametrize("seed,sparse", [(1, False), (2, False), (3, True)])
def test_read_year_random(tmp_path, request, seed, sparse):
    """300 tricky clients (accents, ties, "[", "", separators in names and groups, gaps in ids):
    both fields of both periods match the reference."""
    ws = random_ws(tmp_path / "ws.sqlite", seed, sparse_ids=sparse)
    request.addfinalizer(ws.close)
    for period in ws.periods():
        for field in ("revenue", "margin"):
            data = ws.load_portfolio(period, field)
            assert isinstance(data.name, TextColumn)
            assert_same(data, reference(ws, period, field))


def test_read_year_real_amount_falls_back(sample_ws):
    """A REAL amount: the fast read gives up, the row-by-row load gives the reference's figures."""
    period = sample_ws.periods()[-1]
    (cid,) = sample_ws.db.execute("SELECT min(client_id) FROM amounts WHERE period = ?", (period,)).fetchone()
    sample_ws.db.execute("UPDATE amounts SET revenue = 12.5 WHERE client_id = ? AND period = ?", (cid, period))
    data = sample_ws.load_portfolio(period)
    assert not isinstance(data.name, TextColumn)  # the fallback ran
    assert_same(data, reference(sample_ws, period))
    assert int(data.amount[data.client_id.tolist().index(cid)]) == 12  # truncated to whole cents


# ---- money / pct against Babel ---------------------------------------------
@pytest.mark.parametrize("lang", ["fr", "en"])
@FAST
@given(cents=st.one_of(st.integers(-10**13, 10**13), st.sampled_from([0, 50, -50, 150, -150, 250, -250, 99, -1])),
       decimals=st.booleans(),
       share=st.floats(-50, 50, allow_nan=False), digits=st.integers(0, 2),
       count=st.one_of(st.integers(-10**12, 10**12), st.floats(-1e9, 1e9, allow_nan=False)))
def test_money_and_pct_as_babel(lang, cents, decimals, share, digits, count):
    """money(), pct() and number() assemble exactly Babel's text, in both languages."""
    i18n.set_lang(lang)
    try:
        assert i18n.money(cents, decimals=decimals) == i18n._babel_money(cents, decimals)
        for x in (share, -0.0, 1e-9, -1e-9, 0.125, 0.0125):  # the edge cases, at every example's digits
            assert i18n.pct(x, digits) == i18n._babel_pct(x, digits), x
        for n in (count, np.int64(cents), np.float64(share), 0.5, 1.5, -0.4, 2.675):
            assert i18n.number(n, digits) == i18n._babel_number(n, digits), n
    finally:
        i18n.set_lang("fr")


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", ["money", "pct"])
def test_shapes_are_babels(lang, kind):
    """The formats kept in i18n (so that the first frame does not load Babel)
    are the ones read off Babel's own output for the language."""
    if kind == "money":
        plus, minus = i18n._babel_money(123456700, False, lang), i18n._babel_money(-123456700, False, lang)
        dec = i18n._babel_money(123456725, True, lang)
    else:
        plus, minus, dec = (i18n._babel_pct(12345.67, 0, lang), i18n._babel_pct(-12345.67, 0, lang),
                            i18n._babel_pct(12345.6725, 2, lang))
    head, tail = plus.index("1"), plus.rindex("7")
    n_head, n_tail = minus.index("1"), minus.rindex("7")
    read = (plus[:head], plus[tail + 1:], minus[:n_head], minus[n_tail + 1:], plus[head + 1:plus.index("2", head)],
            dec[dec.rindex("7") + 1:dec.rindex("25")])
    assert i18n._shape(lang, kind) == read


# ---- exact_dot, rank_order --------------------------------------------------
def pairs(n: int):
    big = st.one_of(st.integers(0, 2**62), st.integers(0, 2**21))
    return st.tuples(hnp.arrays(np.int64, n, elements=big), hnp.arrays(np.int64, n, elements=big))


@FAST
@given(st.integers(0, 50).flatmap(pairs))
def test_exact_dot(xy):
    """exact_dot equals the dot product over Python ints (also for x·x and overlapping views)."""
    x, y = xy
    dot = lambda a, b: sum(map(operator.mul, a.tolist(), b.tolist()))  # noqa: E731
    assert exact_dot(x, y) == dot(x, y)
    assert exact_dot(x, x) == dot(x, x)
    assert exact_dot(x[1:], x[:-1]) == dot(x[1:], x[:-1])


def test_exact_dot_across_chunks():
    """2.1 M values up to 2**62: several 2**20 chunks, still exact."""
    rng = np.random.default_rng(7)
    x, y = (rng.integers(0, 2**62, 2_100_000, dtype=np.int64) for _ in range(2))
    assert exact_dot(x, y) == sum(map(operator.mul, x.tolist(), y.tolist()))


@FAST
@given(st.lists(st.one_of(st.integers(-1000, 1000), st.integers(2**50 - 5, 2**50 + 5), st.integers(-2**50 - 5, -2**50 + 5)),
                max_size=40), st.integers(0, 2**45), st.randoms())
def test_rank_order(amounts, offset, rnd):
    """rank_order equals lexsort by (-amount, key), small and huge amounts and keys."""
    keys = np.array(rnd.sample(range(3 * len(amounts) + 1), len(amounts)), dtype=np.int64) + offset
    amounts = np.array(amounts, dtype=np.int64)
    assert rank_order(amounts, keys).tolist() == np.lexsort((keys, -amounts)).tolist()


# ---- Prefetch -----------------------------------------------------------------
def test_prefetch_same_as_load(sample_ws):
    """The prefetched model has the same summary and clients as a direct load."""
    cfg = DEFAULTS
    got = Prefetch(sample_ws, cfg).result()
    assert got is not None
    model, _, available = load_strategy(sample_ws, cfg, parts=())
    assert got[0].summary() == model.summary() and got[2] == available
    assert got[0].data.client_id.tolist() == model.data.client_id.tolist()


def test_prefetch_stale_after_edit(sample_ws):
    """An edit made after the prefetch started: result() is None."""
    period = sample_ws.periods()[-1]
    (cid,) = sample_ws.db.execute("SELECT min(client_id) FROM amounts WHERE period = ?", (period,)).fetchone()
    prefetch = Prefetch(sample_ws, DEFAULTS)
    sample_ws.edit("amounts", (cid, period), "revenue", 123_456)
    assert prefetch.result() is None
