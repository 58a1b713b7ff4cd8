"""Qualification criteria the record already answers (METHOD §5).

An existing project (yes/no), the date of the last similar purchase and the
potential amount are fields of the prospect's record: by default their
criteria are scored from those fields through the configured bands. A score
typed by hand overrides the field's and is flagged where it contradicts it.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any, Mapping

# criterion key -> the record field that answers it
RECORD_FIELDS = {"projet": "has_project", "dernier_achat": "last_purchase", "potentiel": "potential"}


@dataclass(frozen=True)
class Bands:
    """From the config's ``record_bands``: potential limits in euros, months
    since the last purchase, and the project levels for no / yes."""

    potential_eur: tuple[float, ...]
    purchase_months: tuple[float, ...]
    project: tuple[int, int]

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> "Bands":
        b = section["record_bands"]
        return cls(tuple(b["potentiel"]), tuple(b["dernier_achat"]), (int(b["projet"][0]), int(b["projet"][1])))


def months_between(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months elapsed, as a rep counts them: a year to the day
    is 12 (a mean month of 30,44 days made it 11,99, a band too low). A month
    is over on the same day of the month, or on the last day of a shorter
    month (bought 31 January: one month on 28 February); a purchase dated
    after ``later``: none."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if later.day < min(earlier.day, calendar.monthrange(later.year, later.month)[1]):
        months -= 1  # this month's anniversary not reached yet
    return max(months, 0)


def band_level(value: float, limits: tuple[float, ...]) -> int:
    """Number of band limits the value reaches: 0 below the first."""
    return sum(1 for limit in limits if value >= limit)


def record_scores(prospect: Any, bands: Bands, today: dt.date) -> dict[str, float]:
    """The scores the record gives, for the fields that are filled."""
    out: dict[str, float] = {"projet": float(bands.project[1] if prospect.has_project else bands.project[0])}
    if prospect.potential is not None and prospect.potential >= 0:
        out["potentiel"] = float(band_level(prospect.potential / 100, bands.potential_eur))
    if prospect.last_purchase:
        bought = dt.date.fromisoformat(prospect.last_purchase)
        out["dernier_achat"] = float(band_level(months_between(bought, today), bands.purchase_months))
    return out


def contradicts(key: str, hand: float, from_record: float, bands: Bands) -> bool:
    """A hand score that says otherwise than the field: any level above the
    'no project' one says there is a project; a band is one level."""
    if key == "projet":
        return (hand > bands.project[0]) != (from_record > bands.project[0])
    return round(hand) != round(from_record)


@dataclass(frozen=True)
class Contradiction:
    index: int  # prospect, in the book's order
    key: str
    hand: float
    from_record: float


def effective_scores(prospects: list[Any], active: set[str], bands: Bands, today: dt.date, from_record: bool = True
                     ) -> tuple[list[dict[str, float]], list[Contradiction], list[dict[str, float]]]:
    """Per prospect, its hand scores over the record's (for the active
    criteria the record answers), the hand scores that contradict it, and
    the record's own scores."""
    scores, flags, records = [], [], []
    for i, p in enumerate(prospects):
        derived = {k: v for k, v in record_scores(p, bands, today).items() if k in active}
        for key, value in derived.items():
            hand = p.scores.get(key)
            if hand is not None and contradicts(key, hand, value, bands):
                flags.append(Contradiction(i, key, hand, value))
        scores.append({**derived, **p.scores} if from_record else dict(p.scores))
        records.append(derived)
    return scores, flags, records
