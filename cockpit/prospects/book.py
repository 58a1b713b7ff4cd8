"""The prospects as the screen and the report see them: the records, their
place in the qualification matrix under the configured scheme, the funnel
and the reminders. Recomputed from the raw records on every change (numpy over
all prospects: a keystroke in qualification mode moves the matrix at once).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Sequence, cast

import numpy as np

from cockpit.prospects.store import Prospect
from cockpit.prospects.funnel import (Funnel, Probabilities, ProbabilityRule, Reminder, Step, funnel, funnel_by_source,
                                      outcome, probabilities_over, reminders)
from cockpit.prospects.qualification import Matrix, Rated, Scheme, call_first, in_cell, inactive_keys, qualification_matrix, rescore, score_table
from cockpit.prospects.qualification_record import Bands, Contradiction, effective_scores


class Book:
    def __init__(self, prospects: list[Prospect], section: Mapping[str, Any], today: dt.date | None = None,
                 others: Sequence[tuple[str, Sequence[Step]]] | None = None) -> None:
        """``others``: the workspace's prospects outside this view, (stage,
        history) only (cockpit/prospects/team.py). The stage probabilities are
        measured over them and this book's own (METHOD §5, §8: the same for
        every view, so the reps' pipelines add up to the team's); None when
        ``prospects`` are the whole workspace."""
        self.prospects = prospects
        self.others = others
        self.section = section
        self.today = today or dt.date.today()  # the record's "months since the last purchase" count to it
        self.scheme = Scheme.from_config(section)
        self.rescore()

    # ---- scores --------------------------------------------------------
    def rescore(self) -> None:
        """Place everyone again (after a score, an added or deleted prospect, a new scheme)."""
        stored = {k for p in self.prospects for k in p.scores}
        self.inactive = inactive_keys(stored, self.scheme)
        self.keys = self.scheme.keys + self.inactive
        # Criteria the record answers are scored from it; a hand score overrides, flagged if it contradicts.
        scores, self.contradictions, self.from_record = effective_scores(
            self.prospects, set(self.scheme.keys), Bands.from_config(self.section), self.today,
            self.section.get("score_from_record", True))
        self.table = score_table(scores, self.keys)
        self.rated: Rated = rescore(self.table, self.keys, self.scheme)
        self._index = {p.id: i for i, p in enumerate(self.prospects)}

    def record_score(self, i: int, key: str) -> float | None:
        """The score prospect ``i``'s record gives ``key`` (None when no field answers it)."""
        return self.from_record[i].get(key)

    def contradicted(self, i: int, key: str) -> bool:
        """A typed score of prospect ``i`` on ``key`` says otherwise than its record."""
        return any(c.index == i and c.key == key for c in self.contradictions)

    def set_scheme(self, section: Mapping[str, Any]) -> None:
        self.section = section
        self.scheme = Scheme.from_config(section)
        self.rescore()

    def __len__(self) -> int:
        return len(self.prospects)

    def index_of(self, pid: int) -> int | None:
        return self._index.get(pid)

    def cell(self, i: int) -> tuple[int, int] | None:
        return self.rated.cell(i)

    # ---- arrays --------------------------------------------------------
    @property
    def potential(self) -> np.ndarray:
        """Cents; -1 when not entered."""
        return np.array([-1 if p.potential is None else p.potential for p in self.prospects], dtype=np.int64)

    @property
    def open_mask(self) -> np.ndarray:
        return np.array([outcome(p.stage) == "open" for p in self.prospects], dtype=bool)

    # ---- the figures ---------------------------------------------------
    def matrix(self) -> Matrix:
        """Open prospects only: the matrix says whom to call."""
        return qualification_matrix(self.rated, self.potential, self.open_mask)

    def call_first(self) -> list[int]:
        return call_first(self.rated, self.potential, self.open_mask)

    def in_cell(self, cell: tuple[int, int]) -> np.ndarray:
        return cast(np.ndarray, in_cell(self.rated, cell) & self.open_mask)

    def last_contacts(self) -> list[dt.date | None]:
        return [dt.date.fromisoformat(p.last_contact) if p.last_contact else None for p in self.prospects]

    def probabilities(self, today: dt.date | None = None) -> Probabilities:
        """The workspace's stage probabilities: over this book's prospects as they
        are now (an edit not yet read back included) and the others'."""
        every = [(p.stage, p.history) for p in self.prospects] + list(self.others or ())
        stages, histories = [s for s, _ in every], [h for _, h in every]
        return probabilities_over(stages, histories, ProbabilityRule.from_config(self.section), today or dt.date.today())

    def funnel(self, today: dt.date | None = None) -> Funnel:
        """Counts, conversions, days, dormant ones and the pipeline over this
        book's prospects; the probabilities the workspace's."""
        today = today or dt.date.today()
        shared = None if self.others is None else self.probabilities(today)  # None: measured over these, the same
        return funnel([p.stage for p in self.prospects], [p.history for p in self.prospects], self.potential,
                      ProbabilityRule.from_config(self.section), today, self.last_contacts(), shared, shared is not None)

    def by_source(self, today: dt.date | None = None) -> dict[str, Funnel]:
        """Per source, weighted with the same probabilities: the rows add up to the book's pipeline."""
        today = today or dt.date.today()
        shared = None if self.others is None else self.probabilities(today)
        return funnel_by_source([p.source for p in self.prospects], [p.stage for p in self.prospects],
                                [p.history for p in self.prospects], self.potential,
                                ProbabilityRule.from_config(self.section), today, self.last_contacts(),
                                shared, shared is not None)

    def reminders(self, today: dt.date) -> list[Reminder]:
        return reminders([p.next_date() for p in self.prospects], today, self.rated.priority(), self.potential)

    def overdue(self, today: dt.date) -> list[Reminder]:
        return [r for r in self.reminders(today) if r.days_late > 0]
