"""The workspace's prospects outside a view, for the stage probabilities
(METHOD §5, §8): a rep's funnel counts their own prospects, but weighs them
with the probabilities measured over every prospect of the workspace, so that
a rep with little history is not left with the defaults, and the reps'
pipelines add up to the team's.

Only what the probability rule reads is read: each prospect's stage and its
stage history, no name nor amount. On SQLite every row is there to read; on
PostgreSQL a rep's role sees only their own rows (row-level security), and
the function ``cockpit_funnel_history()`` gives the others' with the
definer's rights (cockpit/store/pg/schema.py, PG_MIGRATIONS[5]).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cockpit.prospects.book import Book
from cockpit.prospects.funnel import Step, effective_history
from cockpit.prospects.store import Prospect, load_prospects

if TYPE_CHECKING:
    from cockpit.store.workspace import Workspace

# (id, stage, created, a history row's stage, its date), in history order; a prospect without history has one
# row of NULLs. The same columns from both backends.
_SQLITE = ("SELECT p.id, p.stage, p.created, h.stage, h.date FROM prospects p "
           "LEFT JOIN stage_history h ON h.prospect_id = p.id ORDER BY p.id, h.rowid")
_PG = "SELECT id, stage, created, step, day FROM cockpit_funnel_history()"


def _day(text: str | None) -> dt.date:
    try:
        return dt.date.fromisoformat(text) if text else dt.date.min
    except ValueError:
        return dt.date.min


def funnel_histories(ws: Workspace) -> dict[int, tuple[str, list[Step]]]:
    """Every prospect of the workspace, whoever owns it: id -> (stage, effective history)."""
    with ws.lock:
        rows = ws.db.execute(_PG if ws.backend == "postgresql" else _SQLITE).fetchall()
    current: dict[int, tuple[str, str | None]] = {}
    steps: dict[int, list[tuple[str, dt.date]]] = {}
    for pid, stage, created, step, day in rows:
        current[pid] = (stage, created)
        if step is not None:
            steps.setdefault(pid, []).append((step, _day(day)))
    return {pid: (stage, effective_history(steps.get(pid, []), stage, _day(created)))
            for pid, (stage, created) in current.items()}


def others_of(ws: Workspace, shown: Sequence[Prospect]) -> list[tuple[str, list[Step]]]:
    """The workspace's prospects not in ``shown``, in id order."""
    mine = {p.id for p in shown}
    return [record for pid, record in sorted(funnel_histories(ws).items()) if pid not in mine]


def sees_everything(ws: Workspace, owner: str | None) -> bool:
    """The view is the whole workspace: the team's, on a backend showing every row."""
    return owner is None and not ws.own_rows_only


def load_book(ws: Workspace, section: Mapping[str, Any], today: dt.date | None = None,
              owner: str | None = None) -> Book:
    """``owner``'s prospects (every one's with None) as a Book weighing with the workspace's probabilities."""
    prospects = load_prospects(ws, owner)
    return Book(prospects, section, today, None if sees_everything(ws, owner) else others_of(ws, prospects))
