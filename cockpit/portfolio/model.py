"""The live portfolio of one period: per-account and per-group rankings kept
in step under edits, the limits in force, the summary and the diagnosis."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from cockpit.portfolio.abc import CLASS_LETTERS, DEFAULT_LIMITS, Limits, TotalTooLarge, name_keys
from cockpit.portfolio.computed_limits import ComputedLimits, computed_limits
from cockpit.portfolio.ranked import Move, RankedPortfolio
from cockpit.store.portfolio_data import PortfolioData, factorize_sorted

if TYPE_CHECKING:
    from cockpit.store.text_column import TextColumn

View = Literal["account", "group"]
Mode = Literal["fixed", "computed"]


@dataclass(frozen=True)
class Diagnosis:
    """The deck's two warnings, with the thresholds' values that triggered them."""

    fragile: bool
    dispersion: bool


@dataclass(frozen=True)
class Summary:
    n: int
    total: int  # cents, positive amounts
    counts: tuple[int, int, int]  # C counts the clients at or below zero too
    amounts: tuple[int, int, int]  # positive amounts only: the shares of ``total`` add up to 1 (METHOD §1)
    a_limit: Fraction  # cumulative share limits in force
    b_limit: Fraction
    top1: Fraction
    top5: Fraction
    n_disclosure: int  # clients at or above the disclosure share
    hhi: float
    gini: float
    n_non_positive: int
    diagnosis: Diagnosis
    non_positive_amount: int = 0  # cents, net of the clients at or below zero: flagged, outside the shares
    computed: ComputedLimits | None = None
    amount_field: str = "revenue"  # what is ranked: every label says it (METHOD §1, margin mode)
    disclosure_share: Fraction = Fraction(1, 10)  # the configured level behind n_disclosure
    view: str = "account"  # what is counted: clients or groups

    def count_share(self, cls: int) -> float:
        return self.counts[cls] / self.n if self.n else 0.0

    def amount_share(self, cls: int) -> float:
        return self.amounts[cls] / self.total if self.total > 0 else 0.0


def diagnose(counts: tuple[int, int, int], amounts: tuple[int, int, int], n: int, total: int,
             top1: Fraction, top5: Fraction, hhi: float, thresholds: Mapping[str, Any]) -> Diagnosis:
    """'Situation fragile': much revenue on few clients; 'dispersion
    d'énergie': many C clients bringing little (METHOD §1)."""
    fragile = (
        float(top1) >= thresholds["fragile_top1"]
        or float(top5) >= thresholds["fragile_top5"]
        or hhi >= thresholds["fragile_hhi"]
    )
    dispersion = bool(n) and total > 0 and (
        counts[2] / n >= thresholds["dispersion_c_clients"] and amounts[2] / total <= thresholds["dispersion_c_revenue"]
    )
    return Diagnosis(fragile, dispersion)


def own_groups(group_names: np.ndarray | TextColumn, group_of: np.ndarray, names: Sequence[str], codes: Sequence[str]
               ) -> tuple[np.ndarray | TextColumn, np.ndarray, np.ndarray, list[str] | None]:
    """(group labels, group per client, tie-break key per group, group ids:
    None when every group is a named one, its name being its id).

    A client without a group (group '') is a group of its own, keyed by its
    code: never merged with another client or group whose name matches
    (METHOD §1). Its label is the client's name. Groups tie by (label, id),
    whatever their kind (METHOD §1's one rule): a real group's id is its name,
    an own group's id is the client's code. Only a real group and an own group
    equal on both (group X; client X named X, without a group) are told apart
    by kind, the real group first.
    """
    if not len(group_names) or str(group_names[0]) != "":
        return group_names, group_of, np.arange(len(group_names), dtype=np.int64), None
    members = np.flatnonzero(group_of == 0)  # '' sorts first among the group names
    n_real = len(group_names) - 1
    labels = [str(group_names[g]) for g in range(1, n_real + 1)] + [str(names[i]) for i in members.tolist()]
    ids = labels[:n_real] + [str(codes[i]) for i in members.tolist()]
    of = np.asarray(group_of, dtype=np.int64) - 1
    of[members] = n_real + np.arange(len(members), dtype=np.int64)
    order = sorted(range(len(labels)), key=lambda g: (labels[g], ids[g], g >= n_real))
    keys = np.empty(len(labels), dtype=np.int64)
    keys[np.array(order, dtype=np.int64)] = np.arange(len(labels), dtype=np.int64)
    return np.array(labels, dtype=object), of, keys, ids


@dataclass
class PortfolioModel:
    data: PortfolioData
    limits: Limits = DEFAULT_LIMITS
    mode: Mode = "fixed"
    view: View = "account"
    thresholds: Mapping[str, Any] = field(default_factory=dict[str, Any])
    amount_field: str = "revenue"  # which amount of the period is ranked: revenue or margin

    def __post_init__(self) -> None:
        d = self.data
        keys = d.name_key if d.name_key is not None else name_keys(d.name, d.code)
        try:
            self.accounts = RankedPortfolio(d.amount, keys, self.limits)
        except TotalTooLarge:
            raise TotalTooLarge.at(d.period) from None  # where the amounts come from: the period read
        # Group index per account; group names sorted so group keys are deterministic.
        names, of = d.group_codes if d.group_codes is not None else factorize_sorted(d.group)
        self.group_names, self.group_of, group_keys, self._group_ids = own_groups(names, of, d.name, d.code)
        sums = np.zeros(len(self.group_names), dtype=np.int64)
        np.add.at(sums, self.group_of, d.amount)
        self.groups = RankedPortfolio(sums, group_keys, self.limits)
        self.group_size = np.bincount(self.group_of, minlength=len(self.group_names))
        self._computed: ComputedLimits | None = None

    # ---- views -------------------------------------------------------
    @property
    def ranked(self) -> RankedPortfolio:
        return self.accounts if self.view == "account" else self.groups

    def computed(self) -> ComputedLimits:
        if self._computed is None:
            self._computed = computed_limits(self.ranked.sorted_amounts(), self.limits)
        return self._computed

    def counts(self) -> tuple[int, int]:
        """Clients in A and in A+B under the limits in force."""
        if self.mode == "computed":
            c = self.computed()
            return c.a_count, c.b_count
        return self.ranked.counts(self.limits)

    def limits_in_force(self) -> tuple[Fraction, Fraction]:
        if self.mode == "fixed" or self.computed().fallback:  # a shapeless curve: the fixed limits apply
            return self.limits.a, self.limits.b
        r, (a, b) = self.ranked, self.counts()
        share: Callable[[int], Fraction] = lambda k: Fraction(int(r.cum[k - 1]), r.total) if k and r.total > 0 else Fraction(0)  # noqa: E731
        return share(a), share(b)

    def class_at(self, rank: int) -> str:
        a, b = self.counts()
        return CLASS_LETTERS[0 if rank < a else 1 if rank < b else 2]

    def group_id(self, group: int) -> str:
        """A group's id: its name, or the code of the client that is a group of its own."""
        return str(self.group_names[group]) if self._group_ids is None else self._group_ids[group]

    def revenue(self) -> np.ndarray:
        """Every client's revenue of the period (cents), whichever amount is ranked."""
        d = self.data
        return d.amount if self.amount_field == "revenue" or d.revenue is None else d.revenue

    def revenue_of(self, client: int) -> int:
        return int(self.revenue()[client])

    def share_of_wallet(self, client: int) -> float | None:
        """Revenue ÷ potential in both modes: potential is a revenue amount
        (METHOD §1). None without a potential, or when the net revenue is not
        positive (a period of credit notes is not a purchase, §2)."""
        potential, revenue = int(self.data.potential[client]), self.revenue_of(client)
        return revenue / potential if potential > 0 and revenue > 0 else None

    def group_segments(self) -> list[str]:
        """Each account's group as a product-matrix segment: a group of its own
        is named with its code, so namesakes never merge (METHOD §1)."""
        names = [str(g) for g in self.group_names]
        if self._group_ids is not None:
            names = [n if n == i else f"{n} ({i})" for n, i in zip(names, self._group_ids)]
        return [names[g] for g in self.group_of.tolist()]

    def name_at(self, rank: int) -> str:
        i = int(self.ranked.order[rank])
        return self.data.name[i] if self.view == "account" else str(self.group_names[i])

    # ---- edits -------------------------------------------------------
    def set_amount(self, client: int, cents: int) -> Move:
        """Client index (row of ``data``); both rankings follow."""
        try:
            move = self.accounts.set_amount(client, cents)  # refused before any change; groups sum no more
        except TotalTooLarge:
            raise TotalTooLarge.at(self.data.period) from None
        self.data.amount[client] = cents
        g = int(self.group_of[client])
        self.groups.set_amount(g, self.groups.amount_of(g) + cents - move.old_amount)
        self._computed = None
        return move

    def set_mode(self, mode: Mode) -> None:
        self.mode = mode
        self._computed = None

    def set_view(self, view: View) -> None:
        self.view = view
        self._computed = None

    def set_limits(self, limits: Limits) -> None:
        self.limits = limits
        self.accounts.limits = self.groups.limits = limits

    def has_client_id(self, client_id: int) -> bool:
        i = int(np.searchsorted(self.data.client_id, client_id))
        return i < len(self.data.client_id) and int(self.data.client_id[i]) == client_id

    def index_of_client_id(self, client_id: int) -> int:
        i = int(np.searchsorted(self.data.client_id, client_id))
        if i >= len(self.data.client_id) or self.data.client_id[i] != client_id:
            raise KeyError(client_id)
        return i

    # ---- summary -----------------------------------------------------
    def summary(self) -> Summary:
        r = self.ranked
        a, b = self.counts()
        n = len(r)
        counts, amounts = r.class_sums_at(a, b)
        top1, top5, hhi = r.top_share(1), r.top_share(5), r.hhi()
        th = self.thresholds
        a_lim, b_lim = self.limits_in_force()
        disclosure = Fraction(str(th.get("disclosure_share", 0.1)))
        return Summary(
            n=n, total=r.total, counts=counts, amounts=amounts, a_limit=a_lim, b_limit=b_lim,
            top1=top1, top5=top5,
            n_disclosure=r.count_at_least(disclosure),
            hhi=hhi, gini=r.gini(), n_non_positive=n - r.n_pos, non_positive_amount=r.non_positive_amount(),
            diagnosis=diagnose(counts, amounts, n, r.total, top1, top5, hhi, th) if th else Diagnosis(False, False),
            computed=self.computed() if self.mode == "computed" else None,
            amount_field=self.amount_field, disclosure_share=disclosure, view=self.view,
        )

    def curve(self, points: int = 200) -> tuple[np.ndarray, np.ndarray]:
        """Pareto curve (x = share of clients, y = share of revenue), thinned
        to at most ``points`` vertices so a million clients plot as fast as 45."""
        r = self.ranked
        n = len(r)
        if n == 0 or r.total <= 0:
            return np.zeros(1), np.zeros(1)
        idx = np.unique(np.linspace(0, n - 1, min(n, points)).astype(np.int64))
        x = np.concatenate(([0.0], (idx + 1) / n))
        # The positive cumulative share (METHOD §1): flat at 1.0 over the non-positive tail.
        y = np.concatenate(([0.0], np.where(idx < r.n_pos, r.cum[idx], r.total) / r.total))
        return x, y
