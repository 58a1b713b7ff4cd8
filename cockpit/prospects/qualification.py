"""Qualification matrix (METHOD §5): criteria from the config, a weighted mean
per axis, cut into low / medium / high, and the 3 × 3 matrix of prospects.

Scores are stored raw, per criterion key; everything here is recomputed from
them, so changing the config rescores everyone and a criterion removed from
the config keeps its stored scores (it is only *inactive*).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, cast

import numpy as np

from cockpit.config_prospects import AXES

LEVELS = ("low", "medium", "high")
CUT_DIGITS = 12  # a mean of a few k/top shares is exact to far fewer digits: rounding drops float noise


@dataclass(frozen=True)
class Criterion:
    key: str
    axis: str  # "potential" | "accessibility"
    fr: str
    en: str
    weight: float
    levels_fr: tuple[str, ...]
    levels_en: tuple[str, ...]

    @property
    def top(self) -> int:
        """Highest score of the scale (its lowest is 0)."""
        return len(self.levels_fr) - 1

    def name(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr

    def label(self, lang: str, score: float) -> str:
        levels = self.levels_en if lang == "en" else self.levels_fr
        i = int(round(score))
        return levels[i] if 0 <= i < len(levels) else ""


@dataclass(frozen=True)
class Scheme:
    """The configured criteria and cut points."""

    criteria: tuple[Criterion, ...]
    cuts: Mapping[str, tuple[float, float]]

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> "Scheme":
        criteria = tuple(
            Criterion(c["key"], c["axis"], c["fr"], c["en"], float(c["weight"]), tuple(c["levels_fr"]), tuple(c["levels_en"]))
            for c in section["criteria"])
        cuts = {axis: (float(section[f"{axis}_cuts"][0]), float(section[f"{axis}_cuts"][1])) for axis in AXES}
        return cls(criteria, cuts)

    def on_axis(self, axis: str) -> list[Criterion]:
        return [c for c in self.criteria if c.axis == axis]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.criteria]

    def get(self, key: str) -> Criterion | None:
        return next((c for c in self.criteria if c.key == key), None)


def score_table(rows: Iterable[Mapping[str, float | None]], keys: list[str]) -> np.ndarray:
    """One row per prospect, one column per key; NaN where not scored."""
    rows = list(rows)
    table = np.full((len(rows), len(keys)), np.nan)
    col = {k: j for j, k in enumerate(keys)}
    for i, scores in enumerate(rows):
        for key, value in scores.items():
            if value is not None and key in col:
                table[i, col[key]] = float(value)
    return table


def axis_scores(table: np.ndarray, keys: list[str], scheme: Scheme, axis: str) -> np.ndarray:
    """Weighted mean of the axis' scored criteria, each as a share of its scale
    (0..1); NaN for a prospect with no score on the axis. Criteria not in the
    scheme are ignored (inactive), criteria never stored count as not scored."""
    n = table.shape[0]
    num, den = np.zeros(n), np.zeros(n)
    for c in scheme.on_axis(axis):
        if c.key not in keys:
            continue
        share = np.clip(table[:, keys.index(c.key)], 0, c.top) / c.top
        scored = ~np.isnan(share)
        num[scored] += c.weight * share[scored]
        den[scored] += c.weight
    with np.errstate(invalid="ignore", divide="ignore"):
        # Rounded so a mean that is a cut (0.4) is not decided by float noise (0.39999…).
        return np.round(np.where(den > 0, num / np.where(den > 0, den, 1), np.nan), CUT_DIGITS)


def levels(scores: np.ndarray, cuts: tuple[float, float]) -> np.ndarray:
    """0 low (below the first cut), 1 medium, 2 high (from the second); -1 unscored."""
    low, high = cuts
    out = np.where(scores >= high, 2, np.where(scores >= low, 1, 0)).astype(np.int8)
    out[np.isnan(scores)] = -1
    return out


@dataclass(frozen=True)
class Rated:
    """Every prospect's place in the matrix under one scheme."""

    potential: np.ndarray  # 0..1, NaN unscored
    accessibility: np.ndarray
    pot_level: np.ndarray  # -1, 0, 1, 2
    acc_level: np.ndarray

    def cell(self, i: int) -> tuple[int, int] | None:
        p, a = int(self.pot_level[i]), int(self.acc_level[i])
        return None if p < 0 or a < 0 else (p, a)

    def priority(self) -> np.ndarray:
        """Sum of both levels (4 = call first), -1 when not placed."""
        placed = (self.pot_level >= 0) & (self.acc_level >= 0)
        return np.where(placed, self.pot_level.astype(int) + self.acc_level.astype(int), -1)


def rescore(table: np.ndarray, keys: list[str], scheme: Scheme) -> Rated:
    """Axis scores and levels of everyone, from the raw stored scores."""
    pot = axis_scores(table, keys, scheme, "potential")
    acc = axis_scores(table, keys, scheme, "accessibility")
    return Rated(pot, acc, levels(pot, scheme.cuts["potential"]), levels(acc, scheme.cuts["accessibility"]))


def inactive_keys(stored: Iterable[str], scheme: Scheme) -> list[str]:
    """Stored criteria the config no longer lists: kept, shown, not counted."""
    active = set(scheme.keys)
    return sorted({k for k in stored if k not in active})


@dataclass(frozen=True)
class Matrix:
    """counts[p][a] and amounts[p][a] (cents); p = potential level, a = accessibility."""

    counts: np.ndarray
    amounts: np.ndarray
    unplaced: int  # included prospects without a score on one axis


def qualification_matrix(rated: Rated, potential: np.ndarray, include: np.ndarray) -> Matrix:
    """Counts and potential amount per cell over the ``include`` mask;
    a potential not entered (negative) adds nothing to the amount."""
    placed = include & (rated.pot_level >= 0) & (rated.acc_level >= 0)
    flat = rated.pot_level[placed].astype(int) * 3 + rated.acc_level[placed].astype(int)
    counts = np.bincount(flat, minlength=9).reshape(3, 3)
    amounts = np.bincount(flat, weights=np.maximum(potential[placed], 0).astype(float), minlength=9)
    return Matrix(counts, np.rint(amounts).astype(np.int64).reshape(3, 3), int(include.sum() - placed.sum()))


def in_cell(rated: Rated, cell: tuple[int, int]) -> np.ndarray:
    return cast(np.ndarray, (rated.pot_level == cell[0]) & (rated.acc_level == cell[1]))


def call_first(rated: Rated, potential: np.ndarray, include: np.ndarray) -> list[int]:
    """High potential × high accessibility, largest potential first (then by index)."""
    chosen = np.flatnonzero(include & in_cell(rated, (2, 2)))
    return [int(i) for i in sorted(chosen, key=lambda i: (-int(potential[i]), int(i)))]
