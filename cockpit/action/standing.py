"""Each client's standing in a period: its ABC class, its potential class and
its zone of the crossed matrix, by the portfolio's own rules and the
workspace's settings (METHOD §1, §3), so the rhythm, the rep's day and the
card name the classes the Portfolio screen shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from cockpit.portfolio.abc import CLASS_LETTERS, Limits, name_keys
from cockpit.portfolio.matrices import NO_CLASS, classes_by_rank_rule, crossed_zone, potential_classes

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace


@dataclass(frozen=True)
class Standing:
    client_id: int
    cls: str  # "A" | "B" | "C"
    potential_class: str | None  # "A'" | "B'" | "C'"; None when no potential is entered
    zone: str | None  # fond_de_commerce | developpement | gestion_economique; None without a potential
    amount: int  # cents of the classified field in the period
    revenue: int = 0  # cents of revenue in the period: share of wallet, and whether it bought (METHOD §2)

    @property
    def bought(self) -> bool:
        """A client of the period: a net revenue above zero (credit notes only is no purchase)."""
        return self.revenue > 0


def latest_period(ws: Workspace, cfg: Config) -> str | None:
    periods = ws.periods(cfg.ui.period == "rolling12")
    return periods[-1] if periods else None


def standings(ws: Workspace, cfg: Config, period: str | None = None, owner: str | None = None,
              *, buyers_only: bool = True) -> dict[int, Standing]:
    """Per client of ``period`` (the latest when None), classed within the
    team's portfolio, or within one rep's (``owner``), as the Portfolio
    screen classes them in that view (METHOD §8). A client whose net revenue
    there is not positive is in that period's ABC table (class C, flagged)
    but is no client of the period — a lost one, for the win-back list, not
    for the rhythm or the team's time — so it is left out unless ``buyers_only``
    is False (the card's history of classes)."""
    rolling = cfg.ui.period == "rolling12"
    period = period or latest_period(ws, cfg)
    if period is None:
        return {}
    data = ws.load_portfolio(period, cfg.abc.amount, rolling, owner)
    if len(data.client_id) == 0:
        return {}
    keys = data.name_key if data.name_key is not None else name_keys(list(data.name), list(data.code))
    limits = Limits.of(cfg.abc.a_limit, cfg.abc.b_limit)
    current = classes_by_rank_rule(data.amount, [], [], limits, keys, cfg.abc.mode)
    potential = potential_classes(np.asarray(data.potential), [], [], limits, keys, cfg.abc.mode)
    revenue = data.revenue if data.revenue is not None else data.amount  # margin mode reads both
    out = {}
    for i, cid in enumerate(data.client_id.tolist()):
        c, p = int(current[i]), int(potential[i])
        known = p != NO_CLASS
        s = Standing(int(cid), CLASS_LETTERS[c], f"{CLASS_LETTERS[p]}'" if known else None,
                     crossed_zone(c, p, cfg.matrix.zones) if known else None, int(data.amount[i]), int(revenue[i]))
        if s.bought or not buyers_only:
            out[int(cid)] = s
    return out
