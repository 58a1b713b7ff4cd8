"""The period's strategy figures over a live PortfolioModel: each client's
current and potential class, the crossed matrix, the product × segment matrix
and the evolution, recomputed from the model's arrays when asked."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from cockpit.portfolio import periods as periods_mod
from cockpit.portfolio.abc import CLASS_LETTERS, Limits
from cockpit.portfolio.computed_limits import computed_limits
from cockpit.portfolio.evolution import PeriodChange, portfolio_evolution
from cockpit.i18n import t
from cockpit.portfolio.matrices import CrossedMatrix, ProductMatrix, crossed_matrix, potential_classes, product_segment_matrix
from cockpit.portfolio.model import PortfolioModel

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace

Segment = Literal["sector", "class", "group"]


def apportion(amount: int, weights: list[int]) -> list[int]:
    """``amount`` cut in proportion to ``weights`` (their sum not zero), in
    whole cents that add up to it exactly; equal to the weights when
    ``amount`` is their sum (cumulative rounding)."""
    total, out, cum, given = sum(weights), [], 0, 0
    for w in weights:
        cum += w
        share = round(Fraction(cum * amount, total))
        out.append(share - given)
        given = share
    return out


def follow_amounts(lines: list[tuple[int, str, int]], amounts: np.ndarray, unallocated: str) -> list[tuple[int, str, int]]:
    """Each client's product lines scaled to its current amount (an edit, or
    an amount imported without lines); what no line carries goes to
    ``unallocated``."""
    by_client: dict[int, list[tuple[str, int]]] = {}
    for i, product, amount in lines:
        by_client.setdefault(i, []).append((product, amount))
    out = []
    for i in range(len(amounts)):
        amount, own = int(amounts[i]), by_client.get(i, [])
        total = sum(a for _, a in own)
        if total == amount:
            out += [(i, p, a) for p, a in own]
        elif total != 0:
            out += [(i, p, a) for (p, _), a in zip(own, apportion(amount, [a for _, a in own]))]
        else:
            out += [(i, p, a) for p, a in own] + ([(i, unallocated, amount)] if amount else [])
    return out


def account_classes(model: PortfolioModel) -> np.ndarray:
    """Current class per account (data order), whatever the view shown."""
    r = model.accounts
    if model.mode == "computed":
        c = computed_limits(r.sorted_amounts(), model.limits)
        a, b = c.a_count, c.b_count
    else:
        a, b = r.counts(model.limits)
    ranks = r.rank_of
    return np.where(ranks < a, 0, np.where(ranks < b, 1, 2)).astype(np.int8)


@dataclass
class Strategy:
    """What the Evolution, Crossed and Products tabs show, for one period."""

    model: PortfolioModel
    # Read only when a tab needs them (``load_parts``): at a million clients
    # they cost seconds and hundreds of MB the Clients tab does not use.
    history: dict[str, dict[int, int]] | None = None  # period -> client id -> amount (evolution)
    revenue_history: dict[str, dict[int, int]] | None = None  # the same in revenue, read in margin mode: who bought
    product_lines: list[tuple[int, str, int]] | None = None  # (client id, product, amount)
    zones: tuple[tuple[str, ...], ...] = ()
    segment: Segment = "sector"
    names: dict[int, str] | None = None  # every client of the workspace, by id
    rolling: bool = False
    winner_rule: tuple[float, float] = (0.02, 1.5)  # (min share of the total, min ratio to the mix), METHOD §4
    owner: str | None = None  # one rep's portfolio (METHOD §8), None: the team's

    PARTS = {"evolution": ("history", "names"), "products": ("product_lines",), "crossed": ()}

    def missing(self, tab: str) -> list[str]:
        return [p for p in self.PARTS.get(tab, ()) if getattr(self, p) is None]

    def load_parts(self, ws: Workspace, parts: list[str] | tuple[str, ...]) -> "Strategy":
        """Read what a tab needs (runs in a worker)."""
        d, field = self.model.data, self.model.amount_field
        with ws.lock:
            if "history" in parts:
                owned = ws.owned(self.owner) if self.owner is not None else None  # a rep's churn: their clients'

                def read(what: str) -> dict[str, dict[int, int]]:
                    history = periods_mod.amounts_by_period(ws.db, what, self.rolling)
                    if owned is None:
                        return history
                    return {p: {c: a for c, a in amounts.items() if c in owned} for p, amounts in history.items()}

                self.history = read(field)
                # METHOD §2: a client of a period bought in it; a sale at a loss is a purchase.
                self.revenue_history = read("revenue") if field != "revenue" else None
            if "product_lines" in parts:
                self.product_lines = periods_mod.product_amounts(ws.db, d.period, field)
            if "names" in parts:
                self.names = dict(ws.db.execute("SELECT id, name FROM clients"))
        return self

    # ---- crossed ABC × potential ---------------------------------------
    def potential_classes(self) -> np.ndarray:
        d = self.model.data
        return potential_classes(d.potential, d.name, d.code, self.model.limits, d.name_key, self.model.mode)

    def crossed(self) -> tuple[CrossedMatrix, np.ndarray, np.ndarray]:
        """The matrix, and per client its current and potential class."""
        current = account_classes(self.model)
        potential = self.potential_classes()
        kwargs = {"zones": self.zones} if self.zones else {}
        return crossed_matrix(current, potential, self.model.data.amount, **kwargs), current, potential

    # ---- product × segment ---------------------------------------------
    def segment_of_clients(self) -> list[str]:
        d = self.model.data
        if self.segment == "class":
            return [CLASS_LETTERS[c] for c in account_classes(self.model)]
        return self.model.group_segments() if self.segment == "group" else list(d.sector)

    def products(self) -> tuple[ProductMatrix, list[tuple[int, str, int]]]:
        """The matrix and the lines behind it (client index, product, amount),
        each client's lines scaled to its amount on screen, so an edit moves
        the matrix too and its total is the portfolio's."""
        index = {int(cid): i for i, cid in enumerate(self.model.data.client_id)}
        segments = self.segment_of_clients()
        raw = [(index[cid], product, amount) for cid, product, amount in self.product_lines or [] if cid in index]
        lines = follow_amounts(raw, self.model.data.amount, t("products.unallocated"))
        matrix = product_segment_matrix([segments[i] for i, _, _ in lines], [p for _, p, _ in lines],
                                        np.array([a for *_, a in lines], dtype=np.int64))
        return matrix, lines

    def clients_behind(self, segment: str, product: str) -> list[tuple[int, int]]:
        """(client index, amount) of a product matrix cell, largest first."""
        _, lines = self.products()
        segments = self.segment_of_clients()
        found = [(i, a) for i, p, a in lines if p == product and segments[i] == segment]
        return sorted(found, key=lambda x: -x[1])

    # ---- evolution -----------------------------------------------------
    def _history(self) -> dict[str, dict[int, int]]:
        d = self.model.data
        # The period on screen reflects the rep's edits, not the loaded history.
        current = {int(cid): int(a) for cid, a in zip(d.client_id, d.amount)}
        return {**(self.history or {}), d.period: current}

    def _revenue_history(self) -> dict[str, dict[int, int]] | None:
        d = self.model.data
        if self.revenue_history is None or d.revenue is None:
            return None  # revenue mode: the amounts say who bought
        return {**self.revenue_history, d.period: dict(zip(d.client_id.tolist(), d.revenue.tolist()))}

    def evolution(self) -> list[PeriodChange]:
        return portfolio_evolution(self._history(), self._revenue_history())

    def history_of(self, period: str, previous: bool = False) -> dict[int, int]:
        """Amounts per client of ``period`` (or of the period before it)."""
        history = self._history()
        periods = sorted(history)
        i = periods.index(period) - (1 if previous else 0)
        return history[periods[i]] if i >= 0 else {}


def load_strategy(ws: Workspace, cfg: Config, period: str | None = None, rolling: bool | None = None,
                  field: str | None = None, parts: tuple[str, ...] = ("history", "product_lines", "names"),
                  progress: Callable[[float], object] | None = None,
                  owner: str | None = None) -> tuple[PortfolioModel, Strategy, list[str]]:
    """Read a period from the workspace into a live model and its strategy
    figures (the latest period when ``period`` is None or unknown); ``parts``
    says which of the tabs' data to read now, ``progress(fraction)`` is told
    how far it got; ``owner`` narrows it to one rep's portfolio."""
    tell: Callable[[float], object] = progress or (lambda fraction: None)
    abc, matrix = cfg.abc, cfg.matrix
    rolling = cfg.ui.period == "rolling12" if rolling is None else rolling
    field = field or abc["amount"]
    available = ws.periods(rolling)
    if period not in available:
        period = available[-1] if available else None
    tell(0.1)
    data = ws.load_portfolio(period, field, rolling, owner)
    tell(0.6)
    model = PortfolioModel(data, Limits.of(abc["a_limit"], abc["b_limit"]), abc["mode"], abc["by"],
                           cfg.diagnosis, field)
    tell(0.9)
    model.summary()  # warms the computed limits too
    strategy = Strategy(model, zones=tuple(map(tuple, matrix["zones"])), segment=matrix["segment"], rolling=rolling,
                        winner_rule=(matrix["winner_min_share"], matrix["winner_min_ratio"]), owner=owner)
    strategy.load_parts(ws, parts)
    tell(1.0)
    return model, strategy, available


class Prefetch:
    """``load_strategy`` of the latest period, started in a thread as soon as
    the workspace is known, so the read overlaps the interface's start-up;
    the screen's first load takes the result instead of reading again."""

    def __init__(self, ws: Workspace, cfg: Config, owner: str | None = None):
        self._ws, self._mark = ws, ws.change_mark()
        self.owner = owner  # whose portfolio it reads: the screen takes it only for the same view
        self._progress: Callable[[float], object] = lambda fraction: None
        self._result: tuple[Any, ...] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(ws, cfg), name="cockpit-prefetch", daemon=True)
        self._thread.start()

    def _run(self, ws: Workspace, cfg: Config) -> None:
        try:
            self._result = load_strategy(ws, cfg, parts=(), progress=lambda f: self._progress(f), owner=self.owner)
        except BaseException as exc:  # raised again in the thread that takes the result
            self._error = exc

    def done(self) -> bool:
        """Finished, and without an error (an error is raised by ``result``
        in the worker that takes it, where it is reported to the rep)."""
        return not self._thread.is_alive() and self._error is None

    def result(self, progress: Callable[[float], object] | None = None) -> tuple[Any, ...] | None:
        """Wait for the load (``progress(fraction)`` told from now on) and
        return it; None if the workspace changed since it started."""
        if progress is not None:
            self._progress = progress
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result if self._ws.change_mark() == self._mark else None
