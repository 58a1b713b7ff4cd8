"""The deck's two strategy matrices.

- Crossed ABC × potential (METHOD §3): current class against potential class
  (the same ABC rule applied to potentials), each cell a zone: fond de
  commerce, développement, gestion économique.
- Product × client segment (METHOD §4): revenue or margin per segment and
  product family, with the winning cells and the gaps against what the
  segment's size and the product's overall share predict.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, Sequence, cast

import numpy as np

from cockpit.portfolio.abc import Limits, abc_classes, classes_from_counts, name_keys
from cockpit.portfolio.computed_limits import computed_limits

Mode = Literal["fixed", "computed"]

ZONES = ("fond_de_commerce", "developpement", "gestion_economique")
# METHOD §3's default: rows potential A', B', C'; columns current A, B, C.
DEFAULT_ZONES: tuple[tuple[str, str, str], ...] = (
    ("fond_de_commerce", "developpement", "developpement"),
    ("fond_de_commerce", "fond_de_commerce", "developpement"),
    ("fond_de_commerce", "gestion_economique", "gestion_economique"),
)
NO_CLASS = -1


def crossed_zone(current_class: int, potential_class: int, zones: Sequence[Sequence[str]] = DEFAULT_ZONES) -> str:
    """Zone of a client from its current class and potential class (0 = A … 2 = C)."""
    return zones[potential_class][current_class]


def classes_by_rank_rule(amounts: np.ndarray, names: Sequence[str], ids: Sequence[str], limits: Limits,
                         keys: np.ndarray | None = None, mode: Mode = "fixed") -> np.ndarray:
    """ABC class per client (input order), by the one rule of ``abc.py``:
    fixed limits, or computed on this curve's own shape (falling back to the
    fixed ones where it has none)."""
    keys = name_keys(names, ids) if keys is None else keys
    table = abc_classes(np.asarray(amounts, dtype=np.int64), keys, limits)
    classes = table.classes
    if mode == "computed":
        c = computed_limits(table.amounts, limits)
        classes = classes_from_counts(len(table.amounts), c.a_count, c.b_count)
    out = np.empty(len(amounts), dtype=np.int8)
    out[table.order] = classes
    return out


def potential_classes(potentials: np.ndarray, names: Sequence[str], ids: Sequence[str], limits: Limits,
                      keys: np.ndarray | None = None, mode: Mode = "fixed") -> np.ndarray:
    """A'/B'/C' per client; NO_CLASS where the potential is not entered (< 0).
    Clients without a potential are counted apart, never guessed. The limits
    mode is the current classes' one (METHOD §3): computed limits are read
    off the potential curve itself."""
    potentials = np.asarray(potentials, dtype=np.int64)
    known = potentials >= 0
    out = np.full(len(potentials), NO_CLASS, dtype=np.int8)
    if known.any():
        idx = np.flatnonzero(known)
        if keys is not None:
            out[idx] = classes_by_rank_rule(potentials[idx], [], [], limits, np.asarray(keys)[idx], mode)
        else:
            out[idx] = classes_by_rank_rule(potentials[idx], [names[i] for i in idx.tolist()], [ids[i] for i in idx.tolist()], limits,
                                            mode=mode)
    return out


@dataclass(frozen=True)
class CrossedMatrix:
    counts: np.ndarray  # 3×3, rows potential A'..C', columns current A..C
    revenue: np.ndarray  # 3×3 cents
    zones: tuple[tuple[str, str, str], ...]
    missing_count: int  # clients whose potential is not entered
    missing_revenue: int

    def zone_totals(self) -> dict[str, tuple[int, int]]:
        out = {z: (0, 0) for z in ZONES}
        for p in range(3):
            for c in range(3):
                n, r = out[self.zones[p][c]]
                out[self.zones[p][c]] = (n + int(self.counts[p, c]), r + int(self.revenue[p, c]))
        return out


def crossed_matrix(current: np.ndarray, potential: np.ndarray, revenue: np.ndarray,
                   zones: Sequence[Sequence[str]] = DEFAULT_ZONES) -> CrossedMatrix:
    current, potential = np.asarray(current), np.asarray(potential)
    revenue = np.asarray(revenue, dtype=np.int64)
    known = potential != NO_CLASS
    cell = potential[known].astype(np.int64) * 3 + current[known]
    counts = np.bincount(cell, minlength=9).reshape(3, 3)
    money = np.zeros(9, dtype=np.int64)
    np.add.at(money, cell, revenue[known])
    return CrossedMatrix(counts, money.reshape(3, 3), cast("tuple[tuple[str, str, str], ...]", tuple(tuple(r) for r in zones)),
                         int((~known).sum()), int(revenue[~known].sum()))


def share_of_wallet(revenue: np.ndarray, potential: np.ndarray) -> np.ndarray:
    """Revenue / potential (never margin: potential is revenue); NaN where the
    potential is unknown or zero, or the net revenue is not positive (a
    period of credit notes is not a purchase, METHOD §2)."""
    revenue, potential = np.asarray(revenue, dtype=float), np.asarray(potential, dtype=float)
    out = np.full(len(revenue), np.nan)
    ok = (potential > 0) & (revenue > 0)
    out[ok] = revenue[ok] / potential[ok]
    return out


@dataclass(frozen=True)
class ProductMatrix:
    segments: list[str]
    products: list[str]
    cells: np.ndarray  # segments × products, cents
    expected: np.ndarray  # row total × column total / grand total (float cents)

    @property
    def row_totals(self) -> np.ndarray:
        return cast(np.ndarray, self.cells.sum(axis=1))

    @property
    def col_totals(self) -> np.ndarray:
        return cast(np.ndarray, self.cells.sum(axis=0))

    @property
    def grand_total(self) -> int:
        return int(self.cells.sum())

    def ratio(self, s: int, p: int) -> Fraction | None:
        """Actual ÷ expected under the mix (expected = row × column ÷ grand total); exact."""
        row, col, grand = int(self.row_totals[s]), int(self.col_totals[p]), self.grand_total
        if grand <= 0 or row <= 0 or col <= 0:
            return None
        return Fraction(int(self.cells[s, p]) * grand, row * col)

    def _cells(self) -> list[tuple[int, int]]:
        return [(s, p) for s in range(len(self.segments)) for p in range(len(self.products))]

    def winners(self, top: int, min_share: float = 0.02, min_ratio: float = 1.5) -> list[tuple[int, int]]:
        """The winning combinations (METHOD §4): the highest ratios to the mix
        among the cells holding at least ``min_share`` of the total, with a
        ratio of at least ``min_ratio``; ties by amount, then position."""
        grand, share, least = self.grand_total, Fraction(str(min_share)), Fraction(str(min_ratio))
        found = [(r, int(self.cells[s, p]), s, p) for s, p in self._cells()
                 if (r := self.ratio(s, p)) is not None and r >= least and grand > 0
                 and Fraction(int(self.cells[s, p]), grand) >= share]
        found.sort(key=lambda w: (-w[0], -w[1], w[2], w[3]))
        return [(s, p) for _, _, s, p in found[:top]]

    def gaps(self, ratio: float) -> list[tuple[int, int, int]]:
        """(segment, product, shortfall in cents against the mix) of the cells
        whose ratio to the mix is at most ``ratio``, in a segment that buys and
        a family that sells elsewhere: the combinations to develop, largest
        shortfall first. A mix gap, not lost sales."""
        most = Fraction(str(ratio))
        found = []
        for s, p in self._cells():
            r = self.ratio(s, p)
            if r is not None and r <= most:
                expected = Fraction(int(self.row_totals[s]) * int(self.col_totals[p]), self.grand_total)
                found.append((s, p, round(expected - int(self.cells[s, p]))))
        return sorted(found, key=lambda g: (-g[2], g[0], g[1]))


def product_segment_matrix(line_segments: Sequence[str], line_products: Sequence[str],
                           line_amounts: np.ndarray) -> ProductMatrix:
    """Sum sales lines (or per-client-per-product aggregates) into the matrix."""
    seg_names, seg_idx = np.unique(np.asarray(line_segments, dtype=object).astype(str), return_inverse=True)
    prod_names, prod_idx = np.unique(np.asarray(line_products, dtype=object).astype(str), return_inverse=True)
    cells = np.zeros((len(seg_names), len(prod_names)), dtype=np.int64)
    np.add.at(cells, (seg_idx, prod_idx), np.asarray(line_amounts, dtype=np.int64))
    grand = cells.sum()
    expected = np.outer(cells.sum(axis=1), cells.sum(axis=0)) / grand if grand > 0 else np.zeros(cells.shape)
    return ProductMatrix(list(seg_names), list(prod_names), cells, expected)

