"""Funnel against churn (METHOD §2, §5, §7): the new clients needed per year
to keep the count stable (measured churn × clients, as the Evolution tab
says it) against the wins the funnel promises (Σ P(stage) over the open
prospects, dormant ones left out as from the pipeline) and the wins of the
last 12 months; the gap in words ("il manque 3 clients par an"). The weakest
stage — the lowest conversion to the next among the stages before client
with at least ``min_history`` prospects behind them — is named with its
median days. Exact fractions; over the team or one rep (``owner``)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from cockpit.config_prospects import FUNNEL
from cockpit.i18n import counted, number, pct, plural, t
from cockpit.portfolio.evolution import portfolio_evolution
from cockpit.portfolio.periods import amounts_by_period
from cockpit.prospects.book import Book
from cockpit.prospects.team import load_book
from cockpit.prospects.funnel import WON, outcome, stage_rank

if TYPE_CHECKING:
    from cockpit.config import Config
    from cockpit.store.workspace import Workspace


@dataclass(frozen=True)
class WeakStage:
    stage: str
    conversion: Fraction  # share of those that reached it that reached the next
    reached: int
    median_days: float | None


@dataclass(frozen=True)
class ChurnGap:
    clients: int  # clients of the latest period
    churn: Fraction | None  # lost / clients at risk over every measured period
    needed: Fraction | None  # new clients a year that keep the count stable
    expected: Fraction  # Σ P(stage) over the open prospects not dormant
    open_count: int
    wins_12m: int  # prospects that reached client in the last 12 months
    weakest: WeakStage | None

    @property
    def gap(self) -> Fraction | None:
        """Needed minus promised; positive: clients missing each year."""
        return None if self.needed is None else self.needed - self.expected

    def lines(self) -> list[str]:
        """The figures, then the gap in words (the current language)."""
        if self.needed is None:
            out = [t("action.churn.no_history")]
        else:
            out = [t("action.churn.needed", need=counted("new_clients", float(self.needed), 1),
                     clients=counted("clients", self.clients), churn=pct(self.churn or 0)),
                   t("action.churn.expected", expected=number(float(self.expected), 1), n=counted("open_prospects", self.open_count),
                     wins=counted("won", self.wins_12m))]
            gap = self.gap or Fraction(0)
            missing = math.ceil(gap)  # whole clients: 2.4 missing is 3 to find
            out.append(plural("action.churn.gap", missing, n=number(missing)) if gap > 0 else t("action.churn.covered"))
        if self.weakest is not None:
            w = self.weakest
            days = "—" if w.median_days is None else counted("median_days", w.median_days, 1 if w.median_days % 1 else 0)
            out.append(t("action.churn.weakest", stage=t(f"prospects.stage.{w.stage}"), conversion=pct(w.conversion),
                         n=counted("prospects", w.reached), days=days))
        return out


def measured_churn(history: dict[str, dict[int, int]]) -> tuple[Fraction | None, int]:
    """(lost / clients at risk over all periods, clients of the latest period)."""
    changes = portfolio_evolution(history)
    at_risk = sum(before.clients for before in changes[:-1])
    lost = sum(len(after.lost) for after in changes[1:])
    return (Fraction(lost, at_risk) if at_risk else None), (changes[-1].clients if changes else 0)


def churn_gap(ws: Workspace, cfg: Config, today: dt.date | None = None, owner: str | None = None) -> ChurnGap:
    today = today or dt.date.today()
    with ws.lock:
        # Counts only: a client of a period bought in it (METHOD §2), whatever amount the ABC ranks on.
        history = amounts_by_period(ws.db, "revenue", cfg.ui.period == "rolling12")
    if owner is not None:  # a rep's churn is over the clients they own, as the Evolution tab has it
        owned = ws.owned(owner)
        history = {p: {c: v for c, v in amounts.items() if c in owned} for p, amounts in history.items()}
    churn, clients = measured_churn(history)
    needed = None if churn is None else churn * clients
    # The view's prospects weighed with the workspace's probabilities: the reps' promised wins add up to the team's.
    book = load_book(ws, cfg.prospects, today, owner)
    probs = book.probabilities(today)
    stages = [p.stage for p in book.prospects]
    histories = [p.history for p in book.prospects]
    dormant = set(book.funnel(today).dormant)
    open_ = [i for i, s in enumerate(stages) if outcome(s) == "open" and i not in dormant]
    expected = sum((probs[max(stage_rank(stages[i]), 0)][2] for i in open_), Fraction(0))
    start = today - dt.timedelta(days=365)
    # A win is the first step to client or beyond: client → fidèle is no new client.
    firsts = [min((s.date for s in h if stage_rank(s.stage) >= WON), default=None) for h in histories]
    wins = sum(1 for day in firsts if day is not None and start < day <= today)
    return ChurnGap(clients, churn, needed, expected, len(open_), wins, weakest_stage(book, cfg.prospects.min_history, today))


def weakest_stage(book: Book, min_history: int, today: dt.date) -> WeakStage | None:
    """Among the stages before client reached by at least ``min_history``
    prospects, the lowest conversion to the next (the earlier stage on a tie)."""
    funnel = book.funnel(today)
    best: WeakStage | None = None
    for s in funnel.stages[:WON]:
        nxt = FUNNEL.index(s.stage) + 1
        if s.reached < min_history or s.reached == 0:
            continue
        conversion = Fraction(funnel.stages[nxt].reached, s.reached)
        if best is None or conversion < best.conversion:
            best = WeakStage(s.stage, conversion, s.reached, s.median_days)
    return best
