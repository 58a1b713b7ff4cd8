"""Time allocation (METHOD §7, "combien de temps l'équipe y consacre-t-elle ?"):
per ABC class and per zone of the crossed matrix, the share of the contacts
(a visit counts 1, a call ``call_weight``) set against the share of the
revenue and of the potential. A group whose contact share is more than twice
its revenue share is served expensively; an A class whose contact share is
below its revenue share is neglected. Exact fractions throughout; the words
come with the figures ("Gestion économique : 37,6 % des contacts pour 6,3 %
du CA"). Over the team's portfolio and contacts, or one rep's own (``owner``,
METHOD §8)."""

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

    def verdict(self) -> list[str]:
        """The findings in words; else that time follows value; with no contact
        logged, that there is nothing to read yet (0 % of nothing is no finding)."""
        if not self.contacts:
            return [t("action.report.no_contacts")]
        return [f.text() for f in self.findings] or [t("action.report.balanced")]


def _ratio(part: int | Fraction, whole: int | Fraction) -> Fraction | None:
    return Fraction(part) / whole if whole else None


def _shares(keys: Iterable[str], clients: Mapping[int, Standing], key_of: Mapping[int, str],
            counts: Mapping[int, tuple[int, int]], potentials: Mapping[int, int], call_weight: Fraction) -> list[Share]:
    """``counts``: (visits, calls) per client, whole numbers: one weighting per group, exact."""
    visits: dict[str, int] = {}
    calls: dict[str, int] = {}
    revenue: dict[str, int] = {}
    potential: dict[str, int] = {}
    members: dict[str, int] = {}
    for c, s in clients.items():
        key = key_of[c]
        v, k = counts.get(c, (0, 0))
        visits[key], calls[key] = visits.get(key, 0) + v, calls.get(key, 0) + k
        revenue[key] = revenue.get(key, 0) + max(s.amount, 0)
        potential[key] = potential.get(key, 0) + max(potentials.get(c, 0), 0)
        members[key] = members.get(key, 0) + 1
    total_c = sum(visits.values()) + call_weight * sum(calls.values())
    total_r, total_p = sum(revenue.values()), sum(potential.values())
    out = []
    for key in keys:
        contacts = visits.get(key, 0) + call_weight * calls.get(key, 0)
        out.append(Share(key, members.get(key, 0), contacts, revenue.get(key, 0), potential.get(key, 0),
                         _ratio(contacts, total_c), _ratio(revenue.get(key, 0), total_r),
                         _ratio(potential.get(key, 0), total_p)))
    return out


def allocation(clients: Mapping[int, Standing], contacts: Iterable[tuple[int, str]], potentials: Mapping[int, int],
               call_weight: Fraction, amount_field: str = "revenue") -> Allocation:
    """``clients``: the portfolio's standings; ``contacts``: (client id,
    kind) of the log's visits and calls (others' clients ignored);
    ``potentials``: cents per client (absent: not entered)."""
    counts: dict[int, tuple[int, int]] = {}
    for cid, kind in contacts:
        if cid in clients:
            v, k = counts.get(cid, (0, 0))
            counts[cid] = (v, k + 1) if kind == "appel" else (v + 1, k)
    by_class = _shares(("A", "B", "C"), clients, {c: s.cls for c, s in clients.items()}, counts, potentials, call_weight)
    zone_of = {c: s.zone or NO_ZONE for c, s in clients.items()}
    zones = [z for z in ("fond_de_commerce", "developpement", "gestion_economique", NO_ZONE) if z in zone_of.values()]
    by_zone = _shares(zones, clients, zone_of, counts, potentials, call_weight)
    findings: list[Finding] = []
    for axis, rows in (("class", by_class), ("zone", by_zone)):
        for s in rows:
            if s.key == NO_ZONE or s.contact_share is None or s.revenue_share is None:
                continue
            if s.contact_share > 2 * s.revenue_share:
                findings.append(Finding("expensive", axis, s, amount_field))  # type: ignore[arg-type]  # axis is one of the two
            elif axis == "class" and s.key == "A" and s.contact_share < s.revenue_share:
                findings.append(Finding("neglected", "class", s, amount_field))
    total = sum(v for v, _ in counts.values()) + call_weight * sum(k for _, k in counts.values())
    return Allocation(by_class, by_zone, Fraction(total), findings)


def load_allocation(ws: Workspace, cfg: Config, owner: str | None = None, start: dt.date | None = None,
                    end: dt.date | None = None, period: str | None = None) -> Allocation:
    """``period``'s classes and zones (the latest when None) against the log's
    contacts dated from ``start`` to ``end`` included (None: the whole log).
    A rep's time is their own contacts (by login or display name, as the log
    names them) on their own portfolio; the team's, every contact on it. A
    colleague's visit to the rep's client is the client's last contact
    (``rhythm.last_contacts``), not the rep's time: on SQLite, where every row
    reads, as on PostgreSQL."""
    stand = standings(ws, cfg, period, owner=owner)
    mine, args = _own_contacts(ws, owner)
    with ws.lock:
        rows = ws.db.execute(
            f"SELECT client_id, kind FROM visits WHERE client_id IS NOT NULL AND date >= ? AND date <= ?{mine}",
            ((start or dt.date.min).isoformat(), (end or dt.date.max).isoformat() + "~", *args)).fetchall()
        potentials = {cid: p for cid, p in ws.db.execute("SELECT id, potential FROM clients WHERE potential IS NOT NULL")}
    return allocation(stand, rows, potentials, Fraction(str(cfg.rhythm.call_weight)), cfg.abc.amount)


def _own_contacts(ws: Workspace, owner: str | None) -> tuple[str, tuple[str, ...]]:
    """The SQL that keeps the log's rows on ``owner``'s own contacts (None: everyone's)."""
    if owner is None:
        return "", ()
    from cockpit.store.reps import names

    return " AND rep IN (?, ?)", (owner, names(ws).get(owner, owner))
