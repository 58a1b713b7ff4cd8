"""Indicators suggested from the record of work: the visit/call log (METHOD §6).

- activité = contacts (visits + calls) against the rep's norm for the period;
- efficacité = orders or appointments per contact against the norm rate;
- orientation = share of the contacts spent on the right targets (A clients,
  "développement" clients of the crossed ABC × potential matrix, hot
  prospects) against the targets' share of the potential.

Each ratio scores 10 at the norm and is capped at 10; one decimal. Every
proposal carries its basis (counts and norms) so the rep sees why.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from cockpit.portfolio.abc import Limits, name_keys
from cockpit.portfolio.matrices import NO_CLASS, Mode, classes_by_rank_rule, potential_classes
from cockpit.portfolio.matrices import crossed_zone as zone_of

VISIT_KINDS = ("visite", "appel")
OUTCOMES = ("commande", "rdv", "rien")
HITS = frozenset({"commande", "rdv"})
OPEN_STAGES_EXCLUDED = frozenset({"client", "fidele", "perdu"})  # not prospects any more


DEFAULT_ZONES = (
    ("fond_de_commerce", "developpement", "developpement"),
    ("fond_de_commerce", "fond_de_commerce", "developpement"),
    ("fond_de_commerce", "gestion_economique", "gestion_economique"),
)


def crossed_zone(current_class: str, potential_class: str, zones: Sequence[Sequence[str]] | None = None) -> str:
    """Zone of the crossed ABC matrix (METHOD §3, default table): rows are the
    potential class (A', B', C'), columns the current class (A, B, C).

    'fond_de_commerce' (core accounts), 'developpement' (accounts to develop)
    or 'gestion_economique' (accounts served at minimum cost)."""
    return (zones or DEFAULT_ZONES)["ABC".index(potential_class.rstrip("'"))]["ABC".index(current_class)]


_KINDS = {"visite": "visite", "visit": "visite", "v": "visite", "appel": "appel", "call": "appel", "a": "appel",
          "telephone": "appel", "téléphone": "appel", "tel": "appel", "tél": "appel", "phone": "appel"}
_OUTCOMES = {"commande": "commande", "order": "commande", "cde": "commande", "c": "commande",
             "rdv": "rdv", "rendez-vous": "rdv", "rendez vous": "rdv", "appointment": "rdv", "r": "rdv",
             "rien": "rien", "nothing": "rien", "none": "rien", "aucun": "rien", "-": "rien", "n": "rien"}


def normalise_kind(text: str) -> str:
    """'Visite', 'call', 'tél' -> 'visite' / 'appel'; else ValueError."""
    try:
        return _KINDS[str(text).strip().casefold()]
    except KeyError:
        raise ValueError(text) from None


def normalise_outcome(text: str) -> str:
    """'Commande', 'RDV', 'appointment', 'rien' -> 'commande' / 'rdv' / 'rien'; else ValueError."""
    try:
        return _OUTCOMES[str(text).strip().casefold()]
    except KeyError:
        raise ValueError(text) from None


@dataclass(frozen=True)
class Visit:
    id: int
    date: str  # ISO
    rep: str
    client_id: int | None
    prospect_id: int | None
    kind: str  # visite | appel
    outcome: str  # commande | rdv | rien

    @property
    def month(self) -> str:
        return self.date[:7]


class VisitLog:
    """The visits indexed by (rep, month), so a proposal reads only its own."""

    def __init__(self, visits: Iterable[Visit]) -> None:
        self.visits = list(visits)
        self._index: dict[tuple[str, str], list[Visit]] = defaultdict(list)
        for v in self.visits:
            self._index[(v.rep, v.month)].append(v)

    def of(self, rep: str, months: Iterable[str]) -> list[Visit]:
        return sorted((v for m in months for v in self._index.get((rep, m), ())), key=lambda v: (v.date, v.id))

    @property
    def reps(self) -> list[str]:
        return sorted({rep for rep, _ in self._index})

    def covered(self, months: Sequence[str]) -> list[str]:
        """The months the log spans: a quarter in progress is not measured on its future months."""
        if not self.visits:
            return []
        first, last = min(v.month for v in self.visits), max(v.month for v in self.visits)
        return [m for m in months if first <= m <= last]


@dataclass(frozen=True)
class Norms:
    contacts_per_month: float  # visits + calls a month that score 10 on activité
    hit_rate: float  # orders or appointments per contact that score 10 on efficacité
    rep_contacts: Mapping[str, float] = field(default_factory=dict)  # per-rep overrides

    def contacts(self, rep: str) -> float:
        return float(self.rep_contacts.get(rep, self.contacts_per_month))

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> "Norms":
        return cls(float(section["contacts_per_month"]), float(section["hit_rate"]),
                   dict(section["rep_contacts_per_month"]))


@dataclass(frozen=True)
class Targets:
    """The accounts orientation counts as the right targets, and their share of the potential."""

    a_clients: frozenset[int]
    dev_clients: frozenset[int]
    hot_prospects: frozenset[int]
    potential: int  # cents: the targets' potential
    total_potential: int  # cents: every client's and open prospect's potential

    @property
    def clients(self) -> frozenset[int]:
        return self.a_clients | self.dev_clients

    @property
    def share(self) -> float | None:
        return self.potential / self.total_potential if self.total_potential > 0 else None


def target_accounts(clients: Sequence[tuple[int, str, int, int | None]], prospects: Sequence[tuple[int, str, int | None]],
                    limits: Limits, hot_stages: Iterable[str], zones: Sequence[Sequence[str]] | None = None,
                    codes: Sequence[str] | None = None, mode: Mode = "fixed") -> Targets:
    """``clients`` = the period's portfolio as (id, name, revenue cents of the
    period, potential cents or None); ``prospects`` = (id, stage, potential
    cents or None); ``codes`` = the clients' codes (the ABC tie-break, METHOD
    §1; the id as text when not given).

    Classes come from the crossed matrix's own rule (``matrices``: same
    limits, same mode for current and potential), so orientation's targets
    are the A and "développement" cells the rep sees. Only clients of the
    period (net amount positive, METHOD §6) are targets or count in the
    total potential: a lost client is never a target."""
    ids = [c[0] for c in clients]
    codes = [str(i) for i in ids] if codes is None else list(codes)
    keys = name_keys([c[1] for c in clients], codes)
    revenue = np.array([c[2] for c in clients], dtype=np.int64)
    potential_cents = np.array([-1 if c[3] is None else c[3] for c in clients], dtype=np.int64)
    current = classes_by_rank_rule(revenue, [], [], limits, keys, mode)
    potential_class = potential_classes(potential_cents, [], [], limits, keys, mode)
    active = revenue > 0
    a_clients = frozenset(ids[i] for i in range(len(ids)) if active[i] and current[i] == 0)
    dev = frozenset(ids[i] for i in range(len(ids)) if active[i] and potential_class[i] != NO_CLASS
                    and zone_of(int(current[i]), int(potential_class[i]), zones or DEFAULT_ZONES) == "developpement")
    hot_set = set(hot_stages)
    hot = frozenset(p[0] for p in prospects if p[1] in hot_set)
    target_ids = a_clients | dev
    potential = sum(c[3] or 0 for c in clients if c[0] in target_ids and (c[3] or 0) > 0)
    potential += sum(p[2] or 0 for p in prospects if p[0] in hot and (p[2] or 0) > 0)
    total = sum(c[3] for c, on in zip(clients, active) if on and c[3] is not None and c[3] > 0)
    total += sum(p[2] for p in prospects if p[1] not in OPEN_STAGES_EXCLUDED and p[2] is not None and p[2] > 0)
    return Targets(a_clients, dev, hot, potential, total)


@dataclass(frozen=True)
class Proposal:
    indicator: str
    value: float | None  # 0–10, one decimal; None when the log gives no basis
    basis: dict[str, float]  # the counts and norms behind the value


def _score(ratio: float) -> float:
    return round(min(10.0, 10.0 * ratio), 1)


def suggest(log: VisitLog, rep: str, months: Sequence[str], norms: Norms, targets: Targets) -> dict[str, Proposal]:
    """The three proposals for ``rep`` over ``months`` (one month, a quarter's
    or a year's), measured on the months the log covers."""
    months = log.covered(months)
    visits = log.of(rep, months)
    n = len(visits)
    n_visits = sum(v.kind == "visite" for v in visits)
    orders = sum(v.outcome == "commande" for v in visits)
    appointments = sum(v.outcome == "rdv" for v in visits)
    norm = norms.contacts(rep) * len(months)
    activite = Proposal("activite", _score(n / norm) if months and norm > 0 else None,
                        {"contacts": n, "visits": n_visits, "calls": n - n_visits, "norm": norm, "months": len(months)})
    rate = (orders + appointments) / n if n else None
    efficacite = Proposal(
        "efficacite", _score(rate / norms.hit_rate) if rate is not None and norms.hit_rate > 0 else None,
        {"hits": orders + appointments, "orders": orders, "appointments": appointments, "contacts": n,
         "rate": rate or 0.0, "norm": norms.hit_rate})
    on_a = sum(v.client_id in targets.a_clients for v in visits)
    on_dev = sum(v.client_id in targets.dev_clients and v.client_id not in targets.a_clients for v in visits)
    on_hot = sum(v.prospect_id in targets.hot_prospects for v in visits)
    on_targets = on_a + on_dev + on_hot
    effort = on_targets / n if n else None
    share = targets.share
    orientation = Proposal(
        "orientation", _score(effort / share) if effort is not None and share else None,
        {"targets": on_targets, "a": on_a, "dev": on_dev, "hot": on_hot, "contacts": n,
         "effort": effort or 0.0, "share": share or 0.0})
    return {p.indicator: p for p in (activite, efficacite, orientation)}
