"""Measuring the portfolio over time, METHOD §2: "il n'y a pas de performance
sans mesure".

A client counts in a period when its net amount there is positive: a year of
credit notes only (a negative total) is not a purchase, so that client is
lost that year and new again when it buys again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping


@dataclass(frozen=True)
class PeriodChange:
    period: str
    clients: int
    revenue: int  # cents, clients of the period
    new: tuple[int, ...]  # client ids: bought in N, not in N-1
    new_revenue: int
    lost: tuple[int, ...]  # bought in N-1, not in N
    lost_revenue: int  # what they bought in N-1
    churn: float | None  # lost / clients of N-1 (None for the first period)
    revenue_churn: float | None  # lost revenue / revenue of N-1


def active_clients(amounts: Mapping[int, int]) -> dict[int, int]:
    return {c: v for c, v in amounts.items() if v > 0}


def portfolio_evolution(amounts_by_period: Mapping[str, Mapping[int, int]],
                        revenue_by_period: Mapping[str, Mapping[int, int]] | None = None) -> list[PeriodChange]:
    """Per period, in order: counts, new and lost clients, churn. Who is a
    client of a period is read on its revenue (``revenue_by_period``, when the
    amounts are margins): a sale at a loss is still a purchase; the amounts
    summed are ``amounts_by_period``'s."""
    out: list[PeriodChange] = []
    previous: dict[int, int] | None = None
    for period in sorted(amounts_by_period):
        amounts = amounts_by_period[period]
        if revenue_by_period is None:
            current = active_clients(amounts)
        else:
            buyers = active_clients(revenue_by_period.get(period, {}))
            current = {c: amounts.get(c, 0) for c in buyers}
        revenue = sum(current.values())
        if previous is None:
            out.append(PeriodChange(period, len(current), revenue, (), 0, (), 0, None, None))
        else:
            new = tuple(sorted(set(current) - set(previous)))
            lost = tuple(sorted(set(previous) - set(current)))
            lost_revenue = sum(previous[c] for c in lost)
            prev_revenue = sum(previous.values())
            out.append(PeriodChange(
                period, len(current), revenue, new, sum(current[c] for c in new), lost, lost_revenue,
                len(lost) / len(previous) if previous else None,
                lost_revenue / prev_revenue if prev_revenue > 0 else None,
            ))
        previous = current
    return out


def half_life(churn: float) -> float | None:
    """Years until half the clients are gone with no prospecting: ln 0.5 / ln(1 - c)."""
    if churn <= 0:
        return None  # nobody leaves: never
    if churn >= 1:
        return 0.0
    return math.log(0.5) / math.log(1 - churn)


def survival(churn: float, years: int) -> list[float]:
    """Share of today's clients still there after t = 0..years years: (1 - c)^t."""
    return [(1 - churn) ** t for t in range(years + 1)]


def new_clients_to_stay_stable(churn: float, clients: int) -> float:
    """New clients a year that replace the ones churn takes away."""
    return churn * clients


def mean_churn(changes: list[PeriodChange]) -> float | None:
    """Churn over all measured periods: lost clients / clients at risk."""
    at_risk = lost = 0
    for before, after in zip(changes, changes[1:]):
        at_risk += before.clients
        lost += len(after.lost)
    return lost / at_risk if at_risk else None
