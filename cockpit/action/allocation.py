"""Time allocation (METHOD §7, "combien de temps l'équipe y consacre-t-elle ?"):
per ABC class and per zone of the crossed matrix, the share of the contacts
(a visit counts 1, a call ``call_weight``) set against the share of the
revenue and of the potential. A group whose contact share is more than twice
its revenue share is served expensively; an A class whose contact share is
below its revenue share is neglected. Exact fractions throughout; the words
come with the figures ("Gestion économique : 37,6 % des contacts pour 6,3 %
du CA"). Over the team's portfolio or one rep's (``owner``, METHOD §8)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Literal

from cockpit.action.standing import Standing, standings
from cockpit.i18n import pct, t, tm

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace

Axis = Literal["class", "zone"]
NO_ZONE = ""  # clients without a potential have no zone: counted apart, never guessed


@dataclass(frozen=True)
class Share:
    key: str  # "A" | "B" | "C", or a zone, or NO_ZONE
    clients: int
    contacts: Fraction  # weighted
    revenue: int  # cents of the classified amount (revenue, or margin), positive ones only (METHOD §2)
    potential: int  # cents
    contact_share: Fraction | None  # None when no contact at all
    revenue_share: Fraction | None
    potential_share: Fraction | None


@dataclass(frozen=True)
class Finding:
    kind: Literal["expensive", "neglected"]
    axis: Axis
    share: Share
    amount_field: str = "revenue"  # the classified amount: the words say margin in margin mode (METHOD §1)

    def text(self) -> str:
        """The finding in words, with its figures (the current language)."""
        name = t(f"zone.{self.share.key}") if self.axis == "zone" else t("action.allocation.class", cls=self.share.key)
        return tm(f"action.allocation.{self.kind}", self.amount_field, name=name, contacts=pct(self.share.contact_share or 0),
                 revenue=pct(self.share.revenue_share or 0), potential=pct(self.share.potential_share or 0))


@dataclass(frozen=True)
class Allocation:
    by_class: list[Share]
    by_zone: list[Share]
    contacts: Fraction  # weighted, over the portfolio's clients
    findings: list[Finding]


def _ratio(part: int | Fraction, whole: int | Fraction) -> Fraction | None:
    return Fraction(part) / whole if whole else None


def _shares(keys: Iterable[str], clients: Mapping[int, Standing], key_of: Mapping[int, str],
            weights: Mapping[int, Fraction], potentials: Mapping[int, int]) -> list[Share]:
    total_c = sum(weights.values(), Fraction(0))
    total_r = sum(max(s.amount, 0) for s in clients.values())
    total_p = sum(max(potentials.get(c, 0), 0) for c in clients)
    out = []
    for key in keys:
        members = [c for c in clients if key_of[c] == key]
        contacts = sum((weights.get(c, Fraction(0)) for c in members), Fraction(0))
        revenue = sum(max(clients[c].amount, 0) for c in members)
        potential = sum(max(potentials.get(c, 0), 0) for c in members)
        out.append(Share(key, len(members), contacts, revenue, potential, _ratio(contacts, total_c),
                         _ratio(revenue, total_r), _ratio(potential, total_p)))
    return out


def allocation(clients: Mapping[int, Standing], contacts: Iterable[tuple[int, str]], potentials: Mapping[int, int],
               call_weight: Fraction, amount_field: str = "revenue") -> Allocation:
    """``clients``: the portfolio's standings; ``contacts``: (client id,
    kind) of the log's visits and calls (others' clients ignored);
    ``potentials``: cents per client (absent: not entered)."""
    weights: dict[int, Fraction] = {}
    for cid, kind in contacts:
        if cid in clients:
            weights[cid] = weights.get(cid, Fraction(0)) + (call_weight if kind == "appel" else Fraction(1))
    by_class = _shares(("A", "B", "C"), clients, {c: s.cls for c, s in clients.items()}, weights, potentials)
    zone_of = {c: s.zone or NO_ZONE for c, s in clients.items()}
    zones = [z for z in ("fond_de_commerce", "developpement", "gestion_economique", NO_ZONE) if z in zone_of.values()]
    by_zone = _shares(zones, clients, zone_of, weights, potentials)
    findings: list[Finding] = []
    for axis, rows in (("class", by_class), ("zone", by_zone)):
        for s in rows:
            if s.key == NO_ZONE or s.contact_share is None or s.revenue_share is None:
                continue
            if s.contact_share > 2 * s.revenue_share:
                findings.append(Finding("expensive", axis, s, amount_field))  # type: ignore[arg-type]  # axis is one of the two
            elif axis == "class" and s.key == "A" and s.contact_share < s.revenue_share:
                findings.append(Finding("neglected", "class", s, amount_field))
    return Allocation(by_class, by_zone, sum(weights.values(), Fraction(0)), findings)


def load_allocation(ws: Workspace, cfg: Config, owner: str | None = None, start: dt.date | None = None,
                    end: dt.date | None = None) -> Allocation:
    """The latest period's classes and zones against the log's contacts dated
    from ``start`` to ``end`` included (None: the whole log)."""
    stand = standings(ws, cfg, owner=owner)
    with ws.lock:
        rows = ws.db.execute(
            "SELECT client_id, kind FROM visits WHERE client_id IS NOT NULL AND date >= ? AND date <= ?",
            ((start or dt.date.min).isoformat(), (end or dt.date.max).isoformat() + "~")).fetchall()
        potentials = {cid: p for cid, p in ws.db.execute("SELECT id, potential FROM clients WHERE potential IS NOT NULL")}
    return allocation(stand, rows, potentials, Fraction(str(cfg.rhythm.call_weight)), cfg.abc.amount)
