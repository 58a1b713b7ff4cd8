"""Prospecting funnel (METHOD §5): counts per stage, conversion from each stage
to the next, median days spent in a stage, stage probabilities estimated from
history (the "funnel" rule by default, Odoo's "decided" rule as a setting),
the weighted pipeline, dormant prospects, and the reminders.

Pure functions over lists and numpy arrays; dates are ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, replace
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


def reached_rank(current: str, steps: Sequence[Step]) -> int:
    """Furthest funnel stage a prospect reached. Suspect is the potential
    market: every prospect has reached it, a lost one whose history holds no
    funnel stage (imported lost) included, else it would count nowhere and
    overstate every probability."""
    return max(furthest(steps), stage_rank(current), 0)


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
    pipeline: int  # weighted pipeline as shown: cents of whole euros, rounded once from pipeline_exact
    open_potential: int  # cents, unweighted
    open_count: int
    missing_potential: int  # open prospects whose potential is not entered
    dormant: tuple[int, ...] = ()  # open prospects idle for dormant_days: out of the pipeline, to close or revive
    rule: str = "funnel"
    pipeline_exact: Fraction = Fraction(0)  # cents, unrounded: Σ potential × probability of the open prospects
    team_probabilities: bool = False  # probabilities measured over the workspace, not only these prospects

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
    (a skipped stage counts as reached when the later one is entered);
    suspect on its first known date, whatever that step was (lost included)."""
    out: list[dt.date | None] = [None] * len(FUNNEL)
    for step in steps:
        for r in range(max(stage_rank(step.stage), 0) + 1):
            if (seen := out[r]) is None or step.date < seen:
                out[r] = step.date
    return out


Probabilities = list[tuple[int, int, Fraction, bool, int]]  # per stage: won, lost, P, measured, basis


def stage_probabilities(reached: np.ndarray, outcomes: Sequence[str], histories: Sequence[Sequence[Step]],
                        rule: ProbabilityRule, today: dt.date) -> Probabilities:
    """Per stage: (won, lost, probability, measured, basis).

    "funnel": among the prospects that entered the stage at least
    ``maturity_days`` ago, the share that reached client since; young
    entrants have not had time to convert, stalled ones count against.
    "decided" (Odoo's): won / (won + lost) among those that reached the
    stage; it overstates when stalled prospects are never marked lost.
    Under ``min_history`` prospects behind a figure, the configured fallback."""
    reached = np.maximum(reached, 0)  # every prospect reached suspect (see reached_rank), whoever computed it
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


def probabilities_over(stages: Sequence[str], histories: Sequence[Sequence[Step]], rule: ProbabilityRule,
                       today: dt.date) -> Probabilities:
    """The stage probabilities measured over these prospects (current stage,
    history): the workspace's, so that every view and breakdown weighs alike."""
    reached = np.array([reached_rank(s, h) for s, h in zip(stages, histories)], dtype=int).reshape(len(stages))
    return stage_probabilities(reached, [outcome(s) for s in stages], histories, rule, today)


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


def shown_total(exact: Fraction) -> int:
    """Cents rounded once, to the whole euro shown (half to even, as
    ``i18n.money``): never to the cent first, then to the euro."""
    return round(exact / 100) * 100


def shown_rows(exact: Sequence[Fraction]) -> list[int]:
    """The rows of a breakdown as shown, in cents of whole euros, adding up to
    its total as shown: each row's euros rounded down, the euros left over to
    the largest remainders (the earlier row on a tie)."""
    euros = [e / 100 for e in exact]
    out = [math.floor(e) for e in euros]
    left = round(sum(euros, Fraction(0))) - sum(out)
    for i in sorted(range(len(euros)), key=lambda i: (out[i] - euros[i], i))[:left]:
        out[i] += 1
    return [e * 100 for e in out]


def funnel(stages: Sequence[str], histories: Sequence[Sequence[Step]], potential: np.ndarray,
           rule: ProbabilityRule, today: dt.date, last_contacts: Sequence[dt.date | None] | None = None,
           probabilities: Sequence[tuple[int, int, Fraction, bool, int]] | None = None, team: bool = False) -> Funnel:
    """``potential`` in cents, negative when not entered. ``probabilities``
    given (the workspace's for a rep's view, the whole funnel's for a
    breakdown): the pipeline weighs with them, so the parts add up to the
    whole; won, lost and every count stay these prospects' own. ``team``:
    they were measured over more prospects than these (said on the report)."""
    n = len(stages)
    reached = np.array([reached_rank(s, h) for s, h in zip(stages, histories)], dtype=int).reshape(n)
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
    # An open stage the funnel does not know (edited outside the cockpit) weighs as suspect, not as the last stage.
    exact = sum((max(int(potential[i]), 0) * probs[max(stage_rank(stages[i]), 0)][2] for i in open_), Fraction(0))
    return Funnel(rows, sum(1 for o in outcomes if o == "lost"), n, shown_total(exact),
                  int(sum(max(int(potential[i]), 0) for i in open_)), len(open_),
                  sum(1 for i in open_ if potential[i] < 0), idle, rule.rule, exact, team)


def funnel_by_source(sources: Sequence[str], stages: Sequence[str], histories: Sequence[Sequence[Step]],
                     potential: np.ndarray, rule: ProbabilityRule, today: dt.date,
                     last_contacts: Sequence[dt.date | None] | None = None,
                     probabilities: Probabilities | None = None, team: bool = False) -> dict[str, Funnel]:
    """The same funnel for each source, sources in order of appearance, each
    weighted with the whole funnel's probabilities, or the workspace's when
    given (METHOD §5: a breakdown's rows add up to the total). Each row's
    ``pipeline`` is its share of the total as shown (``shown_rows``)."""
    n = len(stages)
    last_contacts = list(last_contacts or [None] * n)
    probs = probabilities if probabilities is not None else probabilities_over(stages, histories, rule, today)
    out: dict[str, Funnel] = {}
    for source in dict.fromkeys(sources):
        idx = [i for i, s in enumerate(sources) if s == source]
        out[source] = funnel([stages[i] for i in idx], [histories[i] for i in idx], potential[idx], rule, today,
                             [last_contacts[i] for i in idx], probs, team)
    shown = shown_rows([f.pipeline_exact for f in out.values()])
    return {source: replace(f, pipeline=cents) for (source, f), cents in zip(out.items(), shown)}


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
