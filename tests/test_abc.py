"""ABC classification against a slow, obvious reference (METHOD §1)."""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.portfolio.abc import DEFAULT_LIMITS, Limits, abc_classes, name_keys
from cockpit.portfolio.model import PortfolioModel, diagnose
from cockpit.portfolio.ranked import RankedPortfolio
from cockpit.store.portfolio_data import PortfolioData

SEED = Path(__file__).resolve().parent.parent / "sample_data" / "seed-portfolio.csv"


def reference(amounts: list[int], names: list[str], limits: Limits) -> list[tuple[int, str]]:
    """(input index, class) in rank order: sort, then walk with Fractions.
    The id of row i is str(i), compared as text (METHOD §1)."""
    order = sorted(range(len(amounts)), key=lambda i: (-amounts[i], names[i], str(i)))
    total = sum(a for a in amounts if a > 0)
    out, before = [], 0
    for i in order:
        a = amounts[i]
        if a <= 0 or total <= 0:
            cls = "C"
        else:
            share = Fraction(before, total)
            cls = "A" if share < limits.a else "B" if share < limits.b else "C"
        out.append((i, cls))
        before += a
    return out


def classes_of(rp: RankedPortfolio, limits: Limits) -> list[tuple[int, str]]:
    a, b = rp.counts(limits)
    return [(int(rp.order[r]), "A" if r < a else "B" if r < b else "C") for r in range(len(rp))]


def seed() -> tuple[list[str], np.ndarray]:
    rows = list(csv.DictReader(SEED.open(encoding="utf-8")))
    return [r["name"] for r in rows], np.array([int(r["revenue"]) * 100 for r in rows], dtype=np.int64)


def test_seed_portfolio_gives_the_decks_classes():
    names, amounts = seed()
    table = abc_classes(amounts, name_keys(names, range(len(names))))
    assert (table.a_count, table.b_count - table.a_count, len(names) - table.b_count) == (7, 11, 27)
    assert round(table.cum[6] / table.total, 3) == 0.813  # the deck's 81.3 % at rank 7


def test_seed_concentration_figures():
    names, amounts = seed()
    rp = RankedPortfolio(amounts, name_keys(names, range(len(names))))
    assert round(rp.hhi()) == 1184
    assert round(rp.gini(), 2) == 0.78
    assert round(float(rp.top_share(1)), 3) == 0.166
    assert round(float(rp.top_share(5)), 3) == 0.739
    assert rp.count_at_least(Fraction(1, 10)) == 4


def test_boundary_is_exact_not_float():
    # 80 + 20: the second client starts exactly at 80 %, so it is B, not A.
    rp = RankedPortfolio(np.array([8000, 2000]), np.array([0, 1]))
    assert classes_of(rp, DEFAULT_LIMITS) == [(0, "A"), (1, "B")]
    # 0.1 + 0.2 style drift: shares 70/10/10/10 cents; the 4th starts at exactly 90 %.
    rp = RankedPortfolio(np.array([70, 10, 10, 10]), np.arange(4))
    assert classes_of(rp, Limits.of("0.7", "0.9")) == [(0, "A"), (1, "B"), (2, "B"), (3, "C")]


def test_crossing_client_stays_in_upper_class():
    rp = RankedPortfolio(np.array([50, 40, 10]), np.arange(3))
    # 50 before the second client < 80 %: it is A although it takes the total to 90 %.
    assert classes_of(rp, DEFAULT_LIMITS) == [(0, "A"), (1, "A"), (2, "B")]


def test_non_positive_amounts_are_c_and_last():
    rp = RankedPortfolio(np.array([-500, 1000, 0, 10]), np.arange(4))
    assert classes_of(rp, DEFAULT_LIMITS)[-2:] == [(2, "C"), (0, "C")]
    assert rp.total == 1010 and rp.n_pos == 2


def test_ties_broken_by_name_then_id():
    names = ["B", "A", "A"]
    rp = RankedPortfolio(np.array([5, 5, 5]), name_keys(names, [10, 30, 20]))
    assert list(rp.order) == [2, 1, 0]


def test_ties_follow_the_id_not_the_row_order():
    # The example: Z9, A1, M5 all SAME at 50, OTHER at 10, limits 0.5 / 0.9.
    codes, names = ["Z9", "A1", "M5", "B2"], ["SAME", "SAME", "SAME", "OTHER"]
    table = abc_classes(np.array([5000, 5000, 5000, 1000]), name_keys(names, codes), Limits.of("0.5", "0.9"))
    ranked = [(codes[int(i)], "ABC"[int(c)]) for i, c in zip(table.order, table.classes)]
    assert ranked == reference_by_code(codes, names, [5000, 5000, 5000, 1000], Limits.of("0.5", "0.9"))
    assert ranked[:3] == [("A1", "A"), ("M5", "A"), ("Z9", "B")]


def reference_by_code(codes: list[str], names: list[str], amounts: list[int], limits: Limits) -> list[tuple[str, str]]:
    """(code, class) in rank order, ties by (name, code) in code-point order."""
    order = sorted(range(len(codes)), key=lambda i: (-amounts[i], names[i], codes[i]))
    total = sum(a for a in amounts if a > 0)
    out, before = [], 0
    for i in order:
        share = Fraction(before, total) if total > 0 else Fraction(1)
        cls = "C" if amounts[i] <= 0 else "A" if share < limits.a else "B" if share < limits.b else "C"
        out.append((codes[i], cls))
        before += max(amounts[i], 0)
    return out


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_row_order_never_decides(data):
    """Shuffling the rows changes nothing: ties go by (name, code as text)."""
    n = data.draw(st.integers(1, 30))
    codes = data.draw(st.lists(st.text("AZaz09é", min_size=1, max_size=3), min_size=n, max_size=n, unique=True))
    names = data.draw(st.lists(st.sampled_from(["SAME", "Same", "ÉLAN", "ELAN"]), min_size=n, max_size=n))
    amounts = data.draw(st.lists(st.sampled_from([0, -30, 50, 50, 100, 7]), min_size=n, max_size=n))
    perm = data.draw(st.permutations(range(n)))
    limits = Limits.of("0.5", "0.9")
    expected = reference_by_code(codes, names, amounts, limits)
    for rows in (list(range(n)), perm):
        c, nm, am = [codes[i] for i in rows], [names[i] for i in rows], [amounts[i] for i in rows]
        rp = RankedPortfolio(np.array(am, dtype=np.int64), name_keys(nm, c), limits)
        assert [(c[i], cls) for i, cls in classes_of(rp, limits)] == expected
        shares = rp.cum_share(0, n).tolist()
        assert all(x <= y for x, y in zip(shares, shares[1:]))  # cum_share never decreases


def test_cum_share_stays_at_one_on_non_positive_rows():
    # METHOD §1 (changed): a client at -300 against a total of 100 no longer drives cum_share to -2.0.
    rp = RankedPortfolio(np.array([100, -300, 0]), np.arange(3))
    assert rp.cum_share(0, 3).tolist() == [1.0, 1.0, 1.0]
    table = abc_classes(np.array([100, -300, 0]), np.arange(3))
    assert table.cum_share.tolist() == [1.0, 1.0, 1.0]


def test_diagnosis_thresholds():
    th = dict(fragile_top1=0.15, fragile_top5=0.5, fragile_hhi=1000, dispersion_c_clients=0.5, dispersion_c_revenue=0.1)
    d = diagnose((7, 11, 27), (863, 147, 51), 45, 1061, Fraction(166, 1000), Fraction(739, 1000), 1184, th)
    assert d.fragile and d.dispersion
    d = diagnose((2, 3, 5), (50, 30, 20), 10, 100, Fraction(1, 10), Fraction(4, 10), 800, th)
    assert not d.fragile and not d.dispersion


amounts_st = st.lists(st.integers(min_value=-10_000, max_value=10_000_000), min_size=1, max_size=60)
limits_st = st.tuples(st.integers(1, 100), st.integers(0, 100)).map(
    lambda t: Limits(Fraction(t[0], 100), Fraction(min(100, t[0] + t[1]), 100))
)


@settings(max_examples=200, deadline=None)
@given(amounts=amounts_st, limits=limits_st, data=st.data())
def test_classes_match_reference(amounts, limits, data):
    names = data.draw(st.lists(st.sampled_from(["ACME", "Béta", "zed", "ACME [/b]"]), min_size=len(amounts), max_size=len(amounts)))
    keys = name_keys(names, range(len(names)))
    rp = RankedPortfolio(np.array(amounts, dtype=np.int64), keys)
    assert classes_of(rp, limits) == reference(amounts, names, limits)


@settings(max_examples=150, deadline=None)
@given(amounts=amounts_st, edits=st.lists(st.tuples(st.integers(0, 59), st.integers(-10_000, 10_000_000)), max_size=15),
       limits=limits_st)
def test_incremental_edits_equal_full_recompute(amounts, edits, limits):
    n = len(amounts)
    names = [f"client {i % 7}" for i in range(n)]
    keys = name_keys(names, range(n))
    current = np.array(amounts, dtype=np.int64)
    rp = RankedPortfolio(current.copy(), keys, limits)
    for client, value in edits:
        client %= n
        rp.set_amount(client, value)
        current[client] = value
    full = RankedPortfolio(current, keys, limits)
    assert list(rp.order) == list(full.order)
    assert list(rp.cum) == list(full.cum)
    assert list(rp.rank_of) == list(full.rank_of)
    assert (rp.total, rp.n_pos, rp.sum_sq, rp.rank_weighted) == (full.total, full.n_pos, full.sum_sq, full.rank_weighted)
    assert rp.counts(limits) == full.counts(limits)
    assert classes_of(rp, limits) == reference(current.tolist(), names, limits)


def test_incremental_equals_full_at_100k_clients():
    rng = np.random.default_rng(7)
    n = 100_000
    amounts = (rng.pareto(1.2, n) * 100_000).astype(np.int64)
    keys = np.arange(n)
    rp = RankedPortfolio(amounts.copy(), keys)
    for _ in range(300):
        client = int(rng.integers(n))
        value = int(rng.choice([0, -5_000, int(rng.integers(1, 10**9))]))
        rp.set_amount(client, value)
        amounts[client] = value
    full = RankedPortfolio(amounts, keys)
    assert np.array_equal(rp.order, full.order) and np.array_equal(rp.cum, full.cum)
    assert rp.counts() == full.counts() and rp.hhi() == full.hhi() and rp.gini() == full.gini()


def test_group_view_follows_account_edits():
    data = PortfolioData("2025", np.arange(4), ["a", "b", "c", "d"], ["LORFLEX", "VF", "LORFLEX CHENOVE", "VF"],
                         ["LORFLEX", "VF", "LORFLEX", "VF"], ["", "", "", ""], np.full(4, -1), np.array([100, 50, 30, 20]),
                         np.ones(4, dtype=np.int64))
    model = PortfolioModel(data, view="group")
    assert [model.name_at(r) for r in range(2)] == ["LORFLEX", "VF"]
    assert model.ranked.amount_at(0) == 130
    model.set_amount(3, 500)
    assert model.name_at(0) == "VF" and model.ranked.amount_at(0) == 550


def reference_groups(codes: list[str], names: list[str], groups: list[str], amounts: list[int]) -> list[tuple[str, str, int]]:
    """(label, id, amount) per group in rank order, METHOD §1: a client without
    a group is a group of its own keyed by its code; never merged by name.
    Ties by (label, id) whatever the kind: a real group's id is its name; only
    a real group and an own group equal on both fall back on the kind."""
    sums: dict[tuple[int, str], list] = {}
    for code, name, grp, amount in zip(codes, names, groups, amounts):
        key = (0, grp) if grp else (1, code)
        label = grp if grp else name
        sums.setdefault(key, [label, 0])[1] += amount
    rows = [(label, key, total) for key, (label, total) in sums.items()]
    rows.sort(key=lambda r: (-r[2], r[0], r[1][1], r[1][0]))
    return [(label, key[1], total) for label, key, total in rows]


def test_ungrouped_namesakes_stay_apart():
    # Two unrelated ungrouped DUPONT, an ungrouped "LORFLEX METZ" and a group of that name.
    codes, names = ["C1", "C2", "C3", "C4"], ["DUPONT", "DUPONT", "LORFLEX METZ", "LORFLEX SITE"]
    groups, amounts = ["", "", "", "LORFLEX METZ"], [50, 40, 30, 20]
    data = PortfolioData("2025", np.arange(4), codes, names, groups, [""] * 4, np.full(4, -1), np.array(amounts),
                         np.ones(4, dtype=np.int64))
    model = PortfolioModel(data, view="group")
    got = [(model.name_at(r), model.group_id(int(model.ranked.order[r])), model.ranked.amount_at(r)) for r in range(len(model.ranked))]
    assert got == reference_groups(codes, names, groups, amounts)
    assert len(got) == 4
    assert len(set(model.group_segments())) == 4  # the product matrix by group keeps them apart too


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_groups_match_reference(data):
    n = data.draw(st.integers(1, 25))
    codes = [f"C{i}" for i in data.draw(st.permutations(range(n)))]
    names = data.draw(st.lists(st.sampled_from(["DUPONT", "LORFLEX", "LORFLEX METZ", "C1"]), min_size=n, max_size=n))
    groups = data.draw(st.lists(st.sampled_from(["", "", "LORFLEX", "LORFLEX METZ", "C1"]), min_size=n, max_size=n))
    amounts = data.draw(st.lists(st.integers(-50, 100), min_size=n, max_size=n))
    pdata = PortfolioData("2025", np.arange(n), codes, names, groups, [""] * n, np.full(n, -1),
                          np.array(amounts, dtype=np.int64), np.ones(n, dtype=np.int64))
    model = PortfolioModel(pdata, view="group")
    got = [(model.name_at(r), model.group_id(int(model.ranked.order[r])), model.ranked.amount_at(r)) for r in range(len(model.ranked))]
    assert got == reference_groups(codes, names, groups, amounts)
    # An edit moves the client's own group only.
    i = data.draw(st.integers(0, n - 1))
    model.set_amount(i, 77)
    amounts[i] = 77
    got = [(model.name_at(r), model.group_id(int(model.ranked.order[r])), model.ranked.amount_at(r)) for r in range(len(model.ranked))]
    assert got == reference_groups(codes, names, groups, amounts)
