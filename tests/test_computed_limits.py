from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.portfolio.computed_limits import ComputedLimits, computed_limits

SEED = Path("/work/shared/seed-portfolio.csv")


def _seed_desc() -> np.ndarray:
    import pandas as pd

    return np.sort(pd.read_csv(SEED)["revenue"].to_numpy(np.int64))[::-1]


def _classes_by_rule(amounts: np.ndarray, r: ComputedLimits) -> tuple[int, int]:
    """(A count, A+B count) with the caller's rule on exact shares before each rank."""
    pos = [int(v) for v in amounts if v > 0]
    total, before, na, nb = sum(pos), 0, 0, 0
    for v in pos:
        share = Fraction(before, total)
        na += share < Fraction(r.a_limit)
        nb += share < Fraction(r.b_limit)
        before += v
    return na, nb


def test_seed_portfolio_figures():
    a = _seed_desc()
    r = computed_limits(a)
    n = len(a)
    assert n == 45
    assert abs(r.pareto_x - 0.18) <= 1 / n + 1e-9
    assert abs(r.break_even_x - 0.19) <= 1 / n + 1e-9
    assert abs(r.submarginal_x - 0.25) <= 1 / n + 1e-9
    # break-even = last client at or above the mean revenue
    assert r.break_even_x * n == pytest.approx(np.count_nonzero(a >= a.mean()))
    assert r.a_count in (7, 8)
    assert n - r.b_count == 34
    assert (r.a_count, r.b_count) == (8, 11)
    assert r.a_limit == pytest.approx(a[:8].sum() / a.sum())
    assert _classes_by_rule(a, r) == (r.a_count, r.b_count)


def test_limits_sit_between_share_before_and_share_at():
    a = _seed_desc()
    r = computed_limits(a)
    cum = np.cumsum(a)
    for count, lim in ((r.a_count, r.a_limit), (r.b_count, r.b_limit)):
        assert Fraction(int(cum[count - 2]), int(cum[-1])) < Fraction(lim)
        assert Fraction(lim) <= Fraction(int(cum[count - 1]), int(cum[-1]))


def _fixed_reference(amounts, a_limit=Fraction(4, 5), b_limit=Fraction(19, 20)) -> tuple[int, int]:
    """(A count, A+B count) under fixed limits, walked in exact fractions (METHOD §1)."""
    pos = [Fraction(v) for v in amounts if v > 0]
    total, before, na, nb = sum(pos), Fraction(0), 0, 0
    for v in pos:
        na += before / total < a_limit
        nb += before / total < b_limit
        before += v
    return na, nb


def test_uniform_falls_back_to_fixed_limits():
    # METHOD §1 (changed): an all-equal curve has no shape, so the fixed
    # limits classify it and say so (it used to be "all B").
    for n in (1, 2, 5, 10):
        a = np.full(n, 1234, dtype=np.int64)
        r = computed_limits(a)
        assert r.fallback
        assert (r.a_count, r.b_count) == _fixed_reference(a.tolist())
        assert r.break_even_x == 1.0


def test_one_item_is_a():
    # A lone client holding all the revenue is an A client (METHOD §1).
    r = computed_limits(np.array([500.0]))
    assert r.fallback and (r.a_count, r.b_count) == (1, 1)
    assert r.pareto_x == r.break_even_x == r.submarginal_x == 1.0


def test_two_items_fall_back():
    r = computed_limits(np.array([300, 100], dtype=np.int64))
    assert (r.pareto_x, r.break_even_x, r.submarginal_x) == (0.5, 0.5, 0.5)
    assert r.fallback and (r.a_count, r.b_count) == _fixed_reference([300, 100]) == (2, 2)


def test_three_unequal_items_use_the_curve():
    r = computed_limits(np.array([300, 100, 50], dtype=np.int64))
    assert not r.fallback


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(1, 10**9), min_size=1, max_size=2) | st.tuples(st.integers(1, 10**9), st.integers(1, 30)).map(
    lambda t: [t[0]] * t[1]), st.integers(1, 100), st.integers(0, 100))
def test_fallback_is_the_fixed_rule(vals, a_pct, extra):
    from cockpit.portfolio.abc import Limits

    limits = Limits(Fraction(a_pct, 100), Fraction(min(100, a_pct + extra), 100))
    a = np.sort(np.array(vals, dtype=np.int64))[::-1]
    r = computed_limits(a, limits)
    assert r.fallback
    assert (r.a_count, r.b_count) == _fixed_reference(a.tolist(), limits.a, limits.b)


@pytest.mark.parametrize("a", [[], [0, 0], [0, -5, -7], [-1.5]])
def test_no_positive_amounts(a):
    r = computed_limits(np.array(a, dtype=np.float64))
    assert (r.a_count, r.b_count, r.a_limit, r.b_limit) == (0, 0, 0.0, 0.0)


def test_non_positive_tail_ignored():
    a = _seed_desc()
    r = computed_limits(np.concatenate([a, [0, 0, -300]]))
    assert r == computed_limits(a)


def test_rejects_unsorted():
    with pytest.raises(ValueError):
        computed_limits(np.array([1, 5, 3]))


amounts = st.lists(st.integers(1, 10**9), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(amounts, st.integers(1, 1000), st.floats(0.001, 1000.0))
def test_properties(vals, k, c):
    a = np.sort(np.array(vals, dtype=np.int64))[::-1]
    r = computed_limits(a)
    n = len(a)
    assert 0 <= r.a_count <= r.b_count <= n
    for v in (r.pareto_x, r.break_even_x, r.submarginal_x, r.a_limit, r.b_limit):
        assert 0.0 <= v <= 1.0
    assert r.submarginal_x >= min(r.pareto_x, r.break_even_x)
    assert _classes_by_rule(a, r) == (r.a_count, r.b_count)
    assert computed_limits(a * k) == r  # exact integer scaling: identical
    rf = computed_limits(a.astype(np.float64) * c)
    if not r.fallback:  # a fallback's fixed-limit boundary may move with float rounding of the scaled amounts
        assert (rf.a_count, rf.b_count) == (r.a_count, r.b_count)
    assert (rf.pareto_x, rf.break_even_x, rf.submarginal_x) == (
        r.pareto_x, r.break_even_x, r.submarginal_x)
    assert rf.a_limit == pytest.approx(r.a_limit, rel=1e-12, abs=1e-15)
