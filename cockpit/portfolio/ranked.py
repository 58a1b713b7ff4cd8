"""A ranked portfolio that stays sorted under edits.

One amount edit moves one client: the clients between its old and new rank
shift by one and the cumulative sums after it move by the difference. Nothing
is re-sorted, so an edit costs O(distance moved) plus one vectorised add,
and every summary figure (total, HHI, Gini, class counts) is updated or read
in O(1) or O(log n).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import cast

import numpy as np

from cockpit.portfolio.abc import (DEFAULT_LIMITS, MAX_SUM, Limits, TotalTooLarge, check_sums, class_counts,
                                   classes_from_counts, positive_cum, rank_order)


LIMB = 21  # bits: a product of two limbs is < 2**42, and 2**20 of them sum below 2**62


def exact_dot(x: np.ndarray, y: np.ndarray) -> int:
    """Σ x·y as an exact Python int, for non-negative int64 arrays: values
    are cut into 21-bit limbs, so every partial sum fits int64 (the same
    figure as a dot product over Python ints, 10× faster)."""
    if not len(x):
        return 0
    mask = (1 << LIMB) - 1

    def limbs(v: np.ndarray) -> list[np.ndarray]:
        return [(v >> (LIMB * i)) & mask for i in range(max(1, -(-int(v.max()).bit_length() // LIMB)))]

    total = 0
    for start in range(0, len(x), 1 << 20):
        xs, ys = x[start:start + (1 << 20)], y[start:start + (1 << 20)]
        xl = limbs(xs)
        yl = xl if ys is xs or np.shares_memory(xs, ys) and np.array_equal(xs, ys) else limbs(ys)
        for i, xi in enumerate(xl):
            for j, yj in enumerate(yl):
                total += int(np.dot(xi, yj)) << (LIMB * (i + j))
    return total


@dataclass(frozen=True)
class Move:
    client: int
    old_rank: int
    new_rank: int
    old_amount: int
    new_amount: int


class RankedPortfolio:
    """Clients (indices 0..n-1) ranked by amount, largest first, ties by key."""

    def __init__(self, amounts: np.ndarray, keys: np.ndarray, limits: Limits = DEFAULT_LIMITS):
        amounts = np.asarray(amounts, dtype=np.int64)
        check_sums(amounts)  # the cumulative sums below are int64: never wrapped
        self.keys = np.asarray(keys, dtype=np.int64)
        self.limits = limits
        self.order = rank_order(amounts, self.keys)  # rank -> client
        self.amounts = amounts.copy()  # client -> amount
        self._rank_of: np.ndarray | None = None  # client -> rank, rebuilt only when asked
        # Negated amounts are ascending, which is what searchsorted wants.
        self.neg = -amounts[self.order]
        self.sorted_keys = self.keys[self.order]
        self.cum = np.cumsum(-self.neg, dtype=np.int64)
        self._recount()

    # ---- bookkeeping -------------------------------------------------
    def _recount(self) -> None:
        sorted_amounts = -self.neg
        positive = np.maximum(sorted_amounts, 0)
        self.n_pos = int(np.count_nonzero(sorted_amounts > 0))
        self.total = int(positive.sum(dtype=np.int64))
        # Exact: sums of squares of cents overflow int64.
        self.sum_sq = exact_dot(positive, positive)
        self.rank_weighted = exact_dot(np.arange(1, len(positive) + 1, dtype=np.int64), positive)

    def __len__(self) -> int:
        return len(self.order)

    def amount_at(self, rank: int) -> int:
        return int(-self.neg[rank])

    def amount_of(self, client: int) -> int:
        return int(self.amounts[client])

    @property
    def rank_of(self) -> np.ndarray:
        """Rank of every client. An edit only marks it stale: rebuilding it is
        O(n), so one-client lookups use ``rank_of_client`` (O(log n))."""
        if self._rank_of is None:
            self._rank_of = np.empty_like(self.order)
            self._rank_of[self.order] = np.arange(len(self.order))
        return self._rank_of

    def rank_of_client(self, client: int) -> int:
        amount, key = int(self.amounts[client]), int(self.keys[client])
        lo = int(np.searchsorted(self.neg, -amount, side="left"))
        hi = int(np.searchsorted(self.neg, -amount, side="right"))
        return lo + int(np.searchsorted(self.sorted_keys[lo:hi], key, side="left"))

    def _positive_sum(self, lo: int, hi: int) -> int:
        """Sum of the positive amounts of ranks lo..hi inclusive (positives are a prefix)."""
        hi = min(hi, self.n_pos - 1)
        if hi < lo:
            return 0
        return int(self.cum[hi]) - (int(self.cum[lo - 1]) if lo > 0 else 0)

    def _target_rank(self, amount: int, key: int, old_rank: int) -> int:
        lo = int(np.searchsorted(self.neg, -amount, side="left"))
        hi = int(np.searchsorted(self.neg, -amount, side="right"))
        pos = lo + int(np.searchsorted(self.sorted_keys[lo:hi], key, side="left"))
        # The client itself still sits at old_rank; it is counted before the
        # target only when it sorts before the new (amount, key).
        return pos - 1 if old_rank < pos else pos

    # ---- the edit ----------------------------------------------------
    def set_amount(self, client: int, amount: int) -> Move:
        """Refused (TotalTooLarge) before any change when a total would pass int64."""
        old = int(self.amounts[client])
        negative = self.total - (int(self.cum[-1]) if len(self) else 0)  # Σ |amounts at or below zero|
        if (self.total + max(amount, 0) - max(old, 0) > MAX_SUM
                or negative + max(-amount, 0) - max(-old, 0) > MAX_SUM):
            raise TotalTooLarge.at("")
        r = self.rank_of_client(client)
        key = int(self.keys[client])
        p = self._target_rank(amount, key, r)
        lo, hi = min(p, r), max(p, r)
        shifted_positive = self._positive_sum(lo, hi) - max(old, 0)
        delta = amount - old
        if p < r:  # moves up: ranks p..r-1 move down one, each now after the edited client
            self.neg[p + 1 : r + 1] = self.neg[p:r]
            self.sorted_keys[p + 1 : r + 1] = self.sorted_keys[p:r]
            self.order[p + 1 : r + 1] = self.order[p:r]
            self.cum[p + 1 : r + 1] = self.cum[p:r] + amount
            self.cum[p] = (int(self.cum[p - 1]) if p > 0 else 0) + amount
            self.rank_weighted += shifted_positive
        elif p > r:  # moves down: ranks r+1..p move up one, no longer after the old amount
            self.neg[r:p] = self.neg[r + 1 : p + 1]
            self.sorted_keys[r:p] = self.sorted_keys[r + 1 : p + 1]
            self.order[r:p] = self.order[r + 1 : p + 1]
            self.cum[r:p] = self.cum[r + 1 : p + 1] - old
            self.cum[p] = (int(self.cum[p - 1]) if p > 0 else 0) + amount
            self.rank_weighted -= shifted_positive
        else:
            self.cum[p] += delta
        self.neg[p] = -amount
        self.sorted_keys[p] = key
        self.order[p] = client
        self.amounts[client] = amount
        self._rank_of = None
        if delta and hi + 1 < len(self.cum):
            self.cum[hi + 1 :] += delta
        old_pos, new_pos = max(old, 0), max(amount, 0)
        self.total += new_pos - old_pos
        self.n_pos += (amount > 0) - (old > 0)
        self.sum_sq += new_pos * new_pos - old_pos * old_pos
        self.rank_weighted += (p + 1) * new_pos - (r + 1) * old_pos
        return Move(client, r, p, old, amount)

    # ---- reading -----------------------------------------------------
    def counts(self, limits: Limits | None = None) -> tuple[int, int]:
        """Clients in A, and in A+B."""
        return class_counts(self.cum, self.n_pos, self.total, limits or self.limits)

    def classes(self, start: int, stop: int, limits: Limits | None = None) -> np.ndarray:
        a, b = self.counts(limits)
        ranks = np.arange(start, stop)
        out = classes_from_counts(len(ranks), 0, 0)
        out[ranks < b] = 1
        out[ranks < a] = 0
        return out

    def positive_cum(self, start: int = 0, stop: int | None = None) -> np.ndarray:
        """Cumulative positive amounts of ranks start..stop-1 (METHOD §1)."""
        stop = len(self) if stop is None else stop
        return positive_cum(self.cum[start:stop], max(0, self.n_pos - start), self.total)

    def cum_share(self, start: int, stop: int) -> np.ndarray:
        """Never decreasing: 1.0 from the last positive client on."""
        return self.positive_cum(start, stop) / self.total if self.total > 0 else np.zeros(max(0, stop - start))

    def sorted_amounts(self) -> np.ndarray:
        return cast(np.ndarray, -self.neg)

    def class_sums(self, limits: Limits | None = None) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """(counts per class, positive amounts per class)."""
        return self.class_sums_at(*self.counts(limits))

    def class_sums_at(self, a: int, b: int) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """(counts per class, positive amounts per class), ``a`` clients in A
        and ``b`` in A+B. The clients at or below zero count in C but add
        nothing to its amount, so the three amounts add up to ``total`` and
        their shares to 100 % (METHOD §1: total = sum of positive amounts)."""
        n = len(self)
        cum_at: Callable[[int], int] = lambda k: int(self.cum[min(k, self.n_pos) - 1]) if min(k, self.n_pos) > 0 else 0  # noqa: E731
        return (a, b - a, n - b), (cum_at(a), cum_at(b) - cum_at(a), self.total - cum_at(b))

    def non_positive_amount(self) -> int:
        """Net amount of the clients at or below zero (credit notes): ranked
        last, so the sum of all amounts less the positive total."""
        return int(self.cum[-1]) - self.total if len(self) > self.n_pos else 0

    def top_share(self, k: int) -> Fraction:
        """Share of the positive total held by the k largest clients."""
        if self.total <= 0 or self.n_pos == 0:
            return Fraction(0)
        return Fraction(int(self.cum[min(k, self.n_pos) - 1]), self.total)

    def count_at_least(self, share: Fraction) -> int:
        """Clients whose amount is at least ``share`` of the positive total."""
        if self.total <= 0:
            return 0
        floor_amount = -(-share.numerator * self.total // share.denominator)
        return min(self.n_pos, int(np.searchsorted(self.neg, -floor_amount, side="right")))

    def hhi(self) -> float:
        """Herfindahl–Hirschman index with shares in percent (0–10 000)."""
        return 10_000 * self.sum_sq / (self.total * self.total) if self.total > 0 else 0.0

    def gini(self) -> float:
        """Gini coefficient of the amounts, non-positive amounts counted as zero."""
        n = len(self)
        if n == 0 or self.total <= 0:
            return 0.0
        # Ascending index i = n + 1 - rank: sum(i * x) = (n + 1) * T - sum(rank * x).
        asc_weighted = (n + 1) * self.total - self.rank_weighted
        return float(Fraction(2 * asc_weighted, n * self.total) - Fraction(n + 1, n))
