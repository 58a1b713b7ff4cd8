"""Prospecting funnel (METHOD §5): counts per stage, conversion from each stage
to the next, median days spent in a stage, stage probabilities estimated from
history the way Odoo does it, the weighted pipeline, and the reminders.

Pure functions over lists and numpy arrays; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from .config_prospects import FUNNEL

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


@dataclass(frozen=True)
class Funnel:
    stages: list[StageStats]
    lost: int  # prospects lost now
    total: int
    pipeline: int  # weighted pipeline, cents: Σ potential × probability of the open prospects
    open_potential: int  # cents, unweighted
    open_count: int
    missing_potential: int  # open prospects whose potential is not entered

    def probability(self, stage: str) -> float:
        rank = stage_rank(stage)
        return 0.0 if rank < 0 else self.stages[rank].probability


def stage_probabilities(reached: np.ndarray, outcomes: Sequence[str], fallback: Mapping[str, float],
                        min_decided: int) -> list[tuple[int, int, float, bool]]:
    """Per stage: (won, lost, probability, measured). Odoo's estimate: among the
    prospects that reached the stage or a later one, won / (won + lost); open
    ones do not count. Under ``min_decided`` decided prospects, the fallback."""
    won = np.array([o == "won" for o in outcomes], dtype=bool)
    lost = np.array([o == "lost" for o in outcomes], dtype=bool)
    out = []
    for rank, stage in enumerate(FUNNEL):
        at = reached >= rank
        w, lo = int((at & won).sum()), int((at & lost).sum())
        if w + lo >= min_decided:
            out.append((w, lo, w / (w + lo), True))
        else:
            out.append((w, lo, float(fallback.get(stage, 0.0)), False))
    return out


def funnel(stages: Sequence[str], histories: Sequence[Sequence[Step]], potential: np.ndarray,
           fallback: Mapping[str, float], min_decided: int) -> Funnel:
    """``potential`` in cents, negative when not entered."""
    n = len(stages)
    reached = np.array([max(furthest(h), stage_rank(s)) for s, h in zip(stages, histories)], dtype=int).reshape(n)
    outcomes = [outcome(s) for s in stages]
    probs = stage_probabilities(reached, outcomes, fallback, min_decided)
    days: dict[str, list[int]] = {s: [] for s in FUNNEL}
    for h in histories:
        for stage, d in stays(h):
            days[stage].append(d)
    rows = []
    for rank, stage in enumerate(FUNNEL):
        here = int((reached >= rank).sum())
        nxt = int((reached >= rank + 1).sum()) if rank + 1 < len(FUNNEL) else None
        w, lo, p, measured = probs[rank]
        rows.append(StageStats(
            stage, sum(1 for s in stages if s == stage), here,
            None if nxt is None or here == 0 else nxt / here,
            float(statistics.median(days[stage])) if days[stage] else None,
            w, lo, p, measured))
    open_ = [i for i, o in enumerate(outcomes) if o == "open"]
    pipeline = sum(max(int(potential[i]), 0) * rows[stage_rank(stages[i])].probability for i in open_)
    return Funnel(rows, sum(1 for o in outcomes if o == "lost"), n, int(round(pipeline)),
                  int(sum(max(int(potential[i]), 0) for i in open_)), len(open_),
                  sum(1 for i in open_ if potential[i] < 0))


def funnel_by_source(sources: Sequence[str], stages: Sequence[str], histories: Sequence[Sequence[Step]],
                     potential: np.ndarray, fallback: Mapping[str, float], min_decided: int) -> dict[str, Funnel]:
    """The same funnel for each source, sources in order of appearance."""
    out: dict[str, Funnel] = {}
    for source in dict.fromkeys(sources):
        idx = [i for i, s in enumerate(sources) if s == source]
        out[source] = funnel([stages[i] for i in idx], [histories[i] for i in idx], potential[idx], fallback, min_decided)
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
    due = [i for i, d in enumerate(dates) if d is not None and d <= today]
    due.sort(key=lambda i: (dates[i], -int(prio[i]), -int(pot[i]), i))
    return [Reminder(i, dates[i], (today - dates[i]).days) for i in due]  # type: ignore[operator]


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
