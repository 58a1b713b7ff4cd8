"""Computed ABC limits from the shape of the ABC curve.

Reference: A. Ultsch, J. Lötsch, "Computed ABC Analysis for Rational Selection
of Most Informative Variables in Multivariate Data", PLOS ONE 10(6) e0129767,
2015, doi:10.1371/journal.pone.0129767.  Written from the paper's definitions,
not from any implementation.

Definitions (n = number of positive amounts, items sorted largest first):

- ABC curve: the points (x_i, y_i) = (i/n, sum of the i largest / total),
  i = 1..n, i.e. effort (share of items) against yield (cumulative share).
- Pareto point: the curve point nearest to the ideal point (0, 1).
- Break-even point: the point where the curve's slope (gain) is 1; segment i
  has slope amount_i / mean, so it is the vertex of the last item whose amount
  is at or above the mean (the point farthest above the diagonal).
- A/B limit: the smaller (in x) of the Pareto and break-even points.
- Submarginal point: the curve point nearest to (x_other, 1), where x_other is
  the x of the larger of the Pareto and break-even points; it is the B/C limit.

Counts: the curve is evaluated only at item vertices, so every point's x is an
exact i/n and its count is i (no interpolation, hence no rounding choice:
an interpolated curve could put the Pareto x between ranks 7 and 8).
Near-ties (distances within 1e-12, amounts within 1e-12 of the mean) go to
the smaller rank, so results do not depend on float noise or on the scale.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from cockpit.portfolio.abc import DEFAULT_LIMITS, AbcTable, Limits, class_counts

_TOL = 1e-12
MIN_SHAPE = 3  # fewer positive clients draw no curve to read (METHOD §1)


@dataclass(frozen=True)
class ComputedLimits:
    pareto_x: float
    pareto_y: float
    break_even_x: float
    break_even_y: float
    submarginal_x: float
    submarginal_y: float
    a_count: int  # items in A: ranks 1..a_count
    b_count: int  # items in A+B: ranks 1..b_count; C is the rest
    a_limit: float  # cumulative share at rank a_count (0.0 if a_count == 0)
    b_limit: float  # cumulative share at rank b_count (0.0 if b_count == 0)
    fallback: bool = False  # the curve has no shape: the counts are the fixed limits'


_EMPTY = ComputedLimits(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0, 0.0, 0.0, True)


def _first_min(d: np.ndarray) -> int:
    """Index of the first value within _TOL of the minimum."""
    return int(np.argmax(d <= d.min() + _TOL))


def _share_at(cum: np.ndarray, rank: int) -> float:
    """cum[rank-1] / total as a float never above the exact ratio."""
    if rank == 0:
        return 0.0
    num, den = cum[rank - 1].item(), cum[-1].item()
    q: float = num / den
    if Fraction(q) > Fraction(num) / Fraction(den):
        q = float(np.nextafter(q, 0.0))
    return q


def computed_limits(amounts_desc: np.ndarray, fixed: Limits = DEFAULT_LIMITS) -> ComputedLimits:
    """Computed ABC analysis of amounts sorted largest first.

    Only the positive amounts draw the curve (n = their count); zero and
    negative amounts, which must come last, are left out here (the caller
    always puts them in C).  With no positive amount every field is 0.
    Where the curve has no shape to read (fewer than MIN_SHAPE positive
    amounts, or all of them equal) the counts are those of the ``fixed``
    limits and ``fallback`` says so (METHOD §1: a lone client holding all
    the revenue is A); the points are still reported.
    Otherwise A = ranks up to the A/B limit point, A+B = ranks up to the
    submarginal point.  a_limit/b_limit are the cumulative shares at ranks
    a_count/b_count, so "share of the ranks before < limit" selects exactly
    those ranks.  Runs in O(n), vectorised.
    """
    a = np.asarray(amounts_desc)
    if a.ndim != 1:
        raise ValueError("amounts_desc must be one-dimensional")
    if a.size and (np.isnan(a).any() if a.dtype.kind == "f" else False):
        raise ValueError("amounts_desc contains NaN")
    if a.size > 1 and bool(np.any(a[1:] > a[:-1])):
        raise ValueError("amounts_desc must be sorted largest first")
    pos = a[: int(np.count_nonzero(a > 0))]
    n = pos.size
    if n == 0:
        return _EMPTY
    if pos.dtype.kind not in "iu":
        pos = pos.astype(np.float64)
    cum = np.cumsum(pos)  # exact for integer cents
    total = float(cum[-1])
    y = cum / total
    x = np.arange(1, n + 1) / n

    p = _first_min(x * x + (1.0 - y) ** 2) + 1  # Pareto rank
    mean = total / n
    k = int(np.count_nonzero(pos >= mean * (1.0 - _TOL)))  # break-even rank
    ab, other = min(p, k), max(p, k)
    s = max(_first_min((x - x[other - 1]) ** 2 + (1.0 - y) ** 2) + 1, other)

    fallback = n < MIN_SHAPE or float(pos[0]) - float(pos[-1]) <= _TOL * float(pos[0])  # too few, or all equal
    if fallback:
        if pos.dtype.kind in "iu":
            a_count, b_count = class_counts(cum, n, int(cum[-1]), fixed)
        else:  # float amounts (tests, plots): the same rule in exact fractions of the floats
            a_count, b_count = _fixed_counts_float(pos, fixed)
    else:
        a_count, b_count = ab, s
    return ComputedLimits(
        pareto_x=float(x[p - 1]), pareto_y=float(y[p - 1]),
        break_even_x=float(x[k - 1]), break_even_y=float(y[k - 1]),
        submarginal_x=float(x[s - 1]), submarginal_y=float(y[s - 1]),
        a_count=a_count, b_count=b_count,
        a_limit=_share_at(cum, a_count), b_limit=_share_at(cum, b_count), fallback=fallback,
    )


def _fixed_counts_float(pos: np.ndarray, fixed: Limits) -> tuple[int, int]:
    """Clients in A and A+B under fixed limits, for float amounts, exactly."""
    exact = [Fraction(float(v)) for v in pos]
    total, before, a_count, b_count = sum(exact), Fraction(0), 0, 0
    for v in exact:
        share = before / total
        a_count += share < fixed.a
        b_count += share < fixed.b
        before += v
    return a_count, b_count


def counts_in_force(table: AbcTable, limits: Limits, computed: bool) -> tuple[int, int, ComputedLimits | None]:
    """The counts of A and of A + B a ranking is written with: the fixed
    limits', or with ``computed`` the curve's (and the curve's figures)."""
    if not computed:
        return table.a_count, table.b_count, None
    c = computed_limits(table.amounts, limits)
    return c.a_count, c.b_count, c
