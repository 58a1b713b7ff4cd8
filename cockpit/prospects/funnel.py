"""Prospecting funnel (METHOD §5): counts per stage, conversion from each stage
to the next, median days spent in a stage, stage probabilities estimated from
history (the "funnel" rule by default, Odoo's "decided" rule as a setting),
the weighted pipeline, dormant prospects, and the reminders.

Pure functions over lists and numpy arrays; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal, Mapping, Sequence

import numpy as np

from cockpit.config_prospects import FUNNEL

LOST = "perdu"
STAGES = FUNNEL + (LOST,)
WON = FUNNEL.index("client")  # client and fidele are won


def stage_rank(stage: str) -> int:
    """Position in the funnel; -1 for lost (or an unknown stage)."""
    return FUNNEL.index(stage) if stage in FUNNEL else -1


def outcome(stage: str) -> str:
    if stage == LOST:
        return "lost"
    return "won" if stage_rank(stage) >= WON else "open"


@dataclass(frozen=True)
class Step:
    stage: str
    date: dt.date


def effective_history(rows: Sequence[tuple[str, dt.date]], current: str, created: dt.date) -> list[Step]:
    """The stages a prospect went through, in order, ending at its current stage.

    ``rows`` are the journal of stage entries in the order written. An undone
    stage change leaves its row behind, so the history is cut after the last
    entry into the current stage; a prospect without any entry into its
    current stage (edited outside the cockpit) gets one on its last known date.
    """
    steps = [Step(s, d) for s, d in rows]
    last = max((i for i, s in enumerate(steps) if s.stage == current), default=None)
    if last is not None:
        return steps[: last + 1]
    return steps + [Step(current, steps[-1].date if steps else created)]


def furthest(steps: Sequence[Step]) -> int:
    """Furthest funnel stage reached (lost is not a stage of the funnel)."""
    return max((stage_rank(s.stage) for s in steps), default=-1)


def stays(steps: Sequence[Step]) -> list[tuple[str, int]]:
    """(stage, days spent) for every stage the prospect has left."""
    return [(a.stage, (b.date - a.date).days) for a, b in zip(steps, steps[1:]) if a.stage in FUNNEL]


@dataclass(frozen=True)
class StageStats:
    stage: str
    count: int  # prospects at this stage now
    reached: int  # prospects that reached this stage or a later one
    conversion: float | None  # share of those that went on to the next stage
    median_days: float | None  # over the stays that ended
    won: int  # won among those that reached the stage or later
    lost: int
    probability: float
    measured: bool  # probability from history (else the configured fallback)
    basis: int = 0  # prospects the measured figure rests on (mature entrants, or decided ones)


@dataclass(frozen=True)
class Funnel:
    stages: list[StageStats]
    lost: int  # prospects lost now
    total: int
    pipeline: int  # weighted pipeline, cents: Σ potential × probability of the open prospects
    open_potential: int  # cents, unweighted
    open_count: int
    missing_potential: int  # open prospects whose potential is not entered
    dormant: tuple[int, ...] = ()  # open prospects idle for dormant_days: out of the pipeline, to close or revive
    rule: str = "funnel"
    pipeline_exact: Fraction = Fraction(0)  # cents, unrounded: a breakdown's rows add up to it

    def probability(self, stage: str) -> float:
        rank = stage_rank(stage)
        return 0.0 if rank < 0 else self.stages[rank].probability


Rule = Literal["funnel", "decided"]


@dataclass(frozen=True)
class ProbabilityRule:
    """How stage probabilities are estimated (METHOD §5); the config's words."""

    fallback: Mapping[str, float]
    rule: Rule = "funnel"
    maturity_days: int = 180
    min_history: int = 10
    dormant_days: int = 180

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> "ProbabilityRule":
        return cls(section["probability_fallback"], section["probability_rule"], section["maturity_days"],
                   section["min_history"], section["dormant_days"])


def entry_dates(steps: Sequence[Step]) -> list[dt.date | None]:
    """Per funnel stage, the date the prospect entered it or a later one
    (a skipped stage counts as reached when the later one is entered)."""
    out: list[dt.date | None] = [None] * len(FUNNEL)
    for step in steps:
        for r in range(stage_rank(step.stage) + 1):
            if (seen := out[r]) is None or step.date < seen:
                out[r] = step.date
    return out


def stage_probabilities(reached: np.ndarray, outcomes: Sequence[str], histories: Sequence[Sequence[Step]],
                        rule: ProbabilityRule, today: dt.date) -> list[tuple[int, int, Fraction, bool, int]]:
    """Per stage: (won, lost, probability, measured, basis).

    "funnel": among the prospects that entered the stage at least
    ``maturity_days`` ago, the share that reached client since; young
    entrants have not had time to convert, stalled ones count against.
    "decided" (Odoo's): won / (won + lost) among those that reached the
    stage; it overstates when stalled prospects are never marked lost.
    Under ``min_history`` prospects behind a figure, the configured fallback."""
    won = np.array([o == "won" for o in outcomes], dtype=bool)
    lost = np.array([o == "lost" for o in outcomes], dtype=bool)
    cutoff = today - dt.timedelta(days=rule.maturity_days)
    entries = [entry_dates(h) for h in histories]
    out = []
    for rank, stage in enumerate(FUNNEL):
        at = reached >= rank
        w, lo = int((at & won).sum()), int((at & lost).sum())
        if rule.rule == "decided":
            basis, hits = w + lo, w
        else:
            mature = [i for i, e in enumerate(entries) if at[i] and (d := e[rank]) is not None and d <= cutoff]
            basis, hits = len(mature), sum(1 for i in mature if reached[i] >= WON)
        if basis >= rule.min_history and basis > 0:
            out.append((w, lo, Fraction(hits, basis), True, basis))
        else:
            out.append((w, lo, Fraction(str(rule.fallback.get(stage, 0.0))), False, basis))
    return out


def last_activity(steps: Sequence[Step], last_contact: dt.date | None) -> dt.date | None:
    """The later of the last stage change and the last contact."""
    dates = [s.date for s in steps] + ([last_contact] if last_contact else [])
    return max(dates) if dates else None


def dormant(outcomes: Sequence[str], histories: Sequence[Sequence[Step]], last_contacts: Sequence[dt.date | None],
            days: int, today: dt.date) -> tuple[int, ...]:
    """Open prospects with no stage change and no contact for ``days``."""
    cutoff = today - dt.timedelta(days=days)
    return tuple(i for i, (o, h, c) in enumerate(zip(outcomes, histories, last_contacts))
                 if o == "open" and (last_activity(h, c) or dt.date.min) <= cutoff)


def funnel(stages: Sequence[str], histories: Sequence[Sequence[Step]], potential: np.ndarray,
           rule: ProbabilityRule, today: dt.date, last_contacts: Sequence[dt.date | None] | None = None,
           probabilities: Sequence[tuple[int, int, Fraction, bool, int]] | None = None) -> Funnel:
    """``potential`` in cents, negative when not entered. ``probabilities``
    given (a breakdown): the whole funnel's, so the rows add up to its pipeline;
    won and lost stay this part's own."""
    n = len(stages)
    reached = np.array([max(furthest(h), stage_rank(s)) for s, h in zip(stages, histories)], dtype=int).reshape(n)
    outcomes = [outcome(s) for s in stages]
    probs = stage_probabilities(reached, outcomes, histories, rule, today)
    if probabilities is not None:
        probs = [(w, lo, *given[2:]) for (w, lo, *_), given in zip(probs, probabilities)]
    days: dict[str, list[int]] = {s: [] for s in FUNNEL}
    for h in histories:
        for stage, d in stays(h):
            days[stage].append(d)
    rows = []
    for rank, stage in enumerate(FUNNEL):
        here = int((reached >= rank).sum())
        nxt = int((reached >= rank + 1).sum()) if rank + 1 < len(FUNNEL) else None
        w, lo, p, measured, basis = probs[rank]
        rows.append(StageStats(
            stage, sum(1 for s in stages if s == stage), here,
            None if nxt is None or here == 0 else nxt / here,
            float(statistics.median(days[stage])) if days[stage] else None,
            w, lo, float(p), measured, basis))
    idle = dormant(outcomes, histories, last_contacts or [None] * n, rule.dormant_days, today)
    idle_set = set(idle)
    open_ = [i for i, o in enumerate(outcomes) if o == "open" and i not in idle_set]
    exact = sum((max(int(potential[i]), 0) * probs[stage_rank(stages[i])][2] for i in open_), Fraction(0))
    return Funnel(rows, sum(1 for o in outcomes if o == "lost"), n, round(exact),
                  int(sum(max(int(potential[i]), 0) for i in open_)), len(open_),
                  sum(1 for i in open_ if potential[i] < 0), idle, rule.rule, exact)


def funnel_by_source(sources: Sequence[str], stages: Sequence[str], histories: Sequence[Sequence[Step]],
                     potential: np.ndarray, rule: ProbabilityRule, today: dt.date,
                     last_contacts: Sequence[dt.date | None] | None = None) -> dict[str, Funnel]:
    """The same funnel for each source, sources in order of appearance, each
    weighted with the whole funnel's probabilities (METHOD §5: a breakdown's
    rows add up to the total, up to the rounding of each row to the cent)."""
    n = len(stages)
    last_contacts = list(last_contacts or [None] * n)
    reached = np.array([max(furthest(h), stage_rank(s)) for s, h in zip(stages, histories)], dtype=int).reshape(n)
    probs = stage_probabilities(reached, [outcome(s) for s in stages], histories, rule, today)
    out: dict[str, Funnel] = {}
    for source in dict.fromkeys(sources):
        idx = [i for i, s in enumerate(sources) if s == source]
        out[source] = funnel([stages[i] for i in idx], [histories[i] for i in idx], potential[idx], rule, today,
                             [last_contacts[i] for i in idx], probs)
    return out


@dataclass(frozen=True)
class Reminder:
    index: int
    date: dt.date
    days_late: int  # 0 = due today


def reminders(dates: Sequence[dt.date | None], today: dt.date, priority: np.ndarray | None = None,
              potential: np.ndarray | None = None) -> list[Reminder]:
    """Next actions due today or overdue: the oldest first; on the same day the
    best matrix cell (``priority``, higher first), then the largest potential."""
    n = len(dates)
    prio = priority if priority is not None else np.zeros(n, dtype=int)
    pot = potential if potential is not None else np.zeros(n, dtype=np.int64)
    due = [(i, d) for i, d in enumerate(dates) if d is not None and d <= today]
    due.sort(key=lambda e: (e[1], -int(prio[e[0]]), -int(pot[e[0]]), e[0]))
    return [Reminder(i, d, (today - d).days) for i, d in due]


# Words a rep may type or a file may hold for a stage, accents and case aside.
STAGE_WORDS = {
    "suspect": ("suspect",), "prospect": ("prospect", "cible"), "froid": ("froid", "cold"),
    "tiede": ("tiede", "warm"), "chaud": ("chaud", "hot"), "negociation": ("negociation", "negotiation"),
    "client": ("client", "gagne", "won", "customer"), "fidele": ("fidele", "fidelise", "loyal", "loyalty"),
    "perdu": ("perdu", "lost"),
}


def _plain(text: str) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(ch for ch in s if not unicodedata.combining(ch))


def parse_stage(text: str, *, prefix: bool = False) -> str | None:
    """The stage key for ``text`` (a key, a French or English word); with
    ``prefix``, a unique beginning is enough ("nég" -> negociation)."""
    word = _plain(text)
    if not word:
        return None
    exact = [s for s, words in STAGE_WORDS.items() if word in words]
    if exact or not prefix:
        return exact[0] if exact else None
    found = {s for s, words in STAGE_WORDS.items() if any(w.startswith(word) for w in words)}
    return found.pop() if len(found) == 1 else None
