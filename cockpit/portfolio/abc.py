"""ABC (Pareto) classification, METHOD §1, as pure functions over numpy arrays.

Amounts are integer cents (int64), so every share compared with a limit is
exact: ``cum / total < limit`` is decided in integers, never in floats.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from cockpit.io.input_error import InputError

CLASS_A, CLASS_B, CLASS_C = 0, 1, 2
CLASS_LETTERS = ("A", "B", "C")
# Every sum is taken in int64 cents (cumulative sums, group and class sums):
# past this the figures would wrap, so such amounts are refused, never shown.
MAX_SUM = 2**63 - 1
_MAX_SUM_TEXT = ("92 233 720 368 547 758,07 €", "€92,233,720,368,547,758.07")


class TotalTooLarge(InputError):
    """Amounts whose positive total, or negative one, passes ``MAX_SUM``:
    said in one sentence with where they come from (a file, a period)."""

    @classmethod
    def at(cls, where: str) -> "TotalTooLarge":
        fr, en = _MAX_SUM_TEXT
        return cls(where, None, None, None,
                   f"des montants dont le total (des positifs comme des négatifs) reste sous {fr} : "
                   "au-delà, aucun chiffre ne serait juste",
                   f"amounts whose total (of the positive ones, and of the negative ones) stays under {en}: "
                   "beyond it no figure would be right")


def exact_sum(values: np.ndarray) -> int:
    """Σ values as a Python int, for int64 values >= 0 however many: their
    high and low 32 bits are summed apart (2**30 values a pass), each in int64."""
    v = np.asarray(values, dtype=np.int64)
    total = 0
    for start in range(0, len(v), 1 << 30):
        part = v[start:start + (1 << 30)]
        total += (int((part >> 32).sum(dtype=np.int64)) << 32) + int((part & 0xFFFFFFFF).sum(dtype=np.int64))
    return total


def sums_fit(amounts: np.ndarray) -> bool:
    """Whether every sum of these amounts fits int64: each partial sum lies
    between the negative total and the positive total."""
    a = np.asarray(amounts, dtype=np.int64)
    if not len(a):
        return True
    largest = max(int(a.max()), -int(a.min()))
    if largest > MAX_SUM:  # -2**63 itself
        return False
    if largest * len(a) <= MAX_SUM:  # the common case: no sum to take
        return True
    return exact_sum(np.maximum(a, 0)) <= MAX_SUM and exact_sum(np.maximum(-a, 0)) <= MAX_SUM


def check_sums(amounts: np.ndarray) -> None:
    """TotalTooLarge, its place left for the caller to name (a file, a period)."""
    if not sums_fit(amounts):
        raise TotalTooLarge.at("")


@dataclass(frozen=True)
class Limits:
    """Cumulative-revenue limits: A below ``a``, B below ``b``, C otherwise."""

    a: Fraction
    b: Fraction

    @classmethod
    def of(cls, a: float | str | Fraction, b: float | str | Fraction) -> "Limits":
        # str() first: Fraction(0.8) is 3602879701896397/4503599627370496.
        fa, fb = (x if isinstance(x, Fraction) else Fraction(str(x)) for x in (a, b))
        if not (0 < fa <= fb <= 1):
            raise ValueError(f"limits must satisfy 0 < a <= b <= 1, got {a}, {b}")
        return cls(fa, fb)


DEFAULT_LIMITS = Limits(Fraction(4, 5), Fraction(19, 20))


def limit_threshold(limit: Fraction, total: int) -> int:
    """Smallest integer t with ``cum < t`` exactly when ``cum / total < limit``."""
    num = limit.numerator * int(total)
    return -(-num // limit.denominator)  # ceil without floats


def name_keys(names: Sequence[str], ids: Sequence[str]) -> np.ndarray:
    """Rank of each client by (name, id): the deterministic tie-break of METHOD §1.

    ``ids`` are the clients' codes, compared as text in code-point order
    (Python's str order), so a file's row order never decides a tie."""
    names, ids = [str(x) for x in names], [str(x) for x in ids]
    # Two stable sorts on one str key each (by id, then by name): (name, id) order,
    # about twice as fast as a tuple key at a million clients.
    order = sorted(sorted(range(len(names)), key=ids.__getitem__), key=names.__getitem__)
    keys = np.empty(len(order), dtype=np.int64)
    keys[np.array(order, dtype=np.int64)] = np.arange(len(order), dtype=np.int64)
    return keys


def positive_cum(cum: np.ndarray, n_positive: int, total: int) -> np.ndarray:
    """Cumulative sum of the positive amounts, from the inclusive sums of all
    amounts in rank order (positives are a prefix): it stays at the total
    from the last positive client on, so ``cum_share`` never decreases."""
    out = np.asarray(cum, dtype=np.int64).copy()
    out[n_positive:] = total
    return out


def rank_order(amounts: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Client indices by amount, largest first, then by name key (keys are
    distinct and non-negative)."""
    amounts, keys = np.asarray(amounts, dtype=np.int64), np.asarray(keys, dtype=np.int64)
    if not len(amounts):
        return np.zeros(0, dtype=np.int64)
    bits = int(keys.max()).bit_length()
    # One int64 sort key (−amount, key) when it cannot overflow: 3× faster than lexsort.
    if bits <= 40 and int(keys.min()) >= 0 and int(np.abs(amounts).max()) < 1 << (62 - bits):
        return np.argsort(-amounts * (1 << bits) + keys)
    by_key = np.argsort(keys)
    return by_key[np.argsort(-amounts[by_key], kind="stable")]


def class_counts(cum_sorted: np.ndarray, n_positive: int, total: int, limits: Limits) -> tuple[int, int]:
    """Number of clients in A and in A+B, from the inclusive cumulative sums of
    the amounts sorted largest first.

    A client is A when the share of the clients ranked before it is below the
    A limit, so the client that crosses a limit stays in the upper class.
    Non-positive amounts sort last and are always C.
    """
    if n_positive == 0 or total <= 0:
        return 0, 0
    positive_cum = cum_sorted[:n_positive]

    def count(limit: Fraction) -> int:
        t = limit_threshold(limit, total)
        if t <= 0:
            return 0
        # rank 0 has 0 before it; rank i>0 has cum[i-1] before it.
        return min(n_positive, int(np.searchsorted(positive_cum, t, side="left")) + 1)

    return count(limits.a), count(limits.b)


def classes_from_counts(n: int, a_count: int, b_count: int) -> np.ndarray:
    """Class code per rank (0 = A, 1 = B, 2 = C)."""
    out = np.full(n, CLASS_C, dtype=np.int8)
    out[:b_count] = CLASS_B
    out[:a_count] = CLASS_A
    return out


@dataclass(frozen=True)
class AbcTable:
    """Result of a one-shot classification, in rank order."""

    order: np.ndarray  # rank -> input row
    amounts: np.ndarray  # cents, rank order
    cum: np.ndarray  # inclusive cumulative cents
    total: int  # sum of positive amounts
    classes: np.ndarray  # int8 per rank
    a_count: int
    b_count: int

    @property
    def cum_share(self) -> np.ndarray:
        n_pos = int(np.count_nonzero(self.amounts > 0))
        return positive_cum(self.cum, n_pos, self.total) / self.total if self.total > 0 else np.zeros(len(self.cum))

    @property
    def client_share(self) -> np.ndarray:
        n = len(self.amounts)
        return np.arange(1, n + 1) / n if n else np.zeros(0)


def abc_classes(amounts: np.ndarray, keys: np.ndarray, limits: Limits = DEFAULT_LIMITS) -> AbcTable:
    """Full classification (the CLI path and the reference for incremental edits)."""
    amounts = np.asarray(amounts, dtype=np.int64)
    return abc_in_order(amounts, rank_order(amounts, keys), limits)


def abc_in_order(amounts: np.ndarray, order: np.ndarray, limits: Limits = DEFAULT_LIMITS) -> AbcTable:
    """`abc_classes` given the rank order already (a columnar sort made it)."""
    check_sums(amounts)
    sorted_amounts = amounts[order]
    cum = np.cumsum(sorted_amounts, dtype=np.int64)
    n_pos = int(np.count_nonzero(sorted_amounts > 0))
    total = int(cum[n_pos - 1]) if n_pos else 0
    a_count, b_count = class_counts(cum, n_pos, total, limits)
    return AbcTable(order, sorted_amounts, cum, total, classes_from_counts(len(amounts), a_count, b_count), a_count, b_count)
