"""The team's average activity for a rep whose role reads only their own rows
(PostgreSQL's row-level security, METHOD §8): without the other reps' rows,
"the team's average" would be the rep's own figures. The function
``cockpit_activity_average()`` gives the team's means per period with the
definer's rights, no name (cockpit/store/pg/schema.py, PG_MIGRATIONS[6]);
what the rep's own rows add to them is taken out, so the book adds them back
as they are now, and an edit moves the average at once, as on SQLite.

Where the workspace ranks everyone (``[activity] ranking``), the rep's row
has its place in the whole team's ranking: ``cockpit_activity_scores()``
gives each rep's score per period, and nothing where the ranking is the
managers' (pg/definers.py); the rep's own place follows their edits."""

from __future__ import annotations

import json
from collections.abc import Mapping
from fractions import Fraction
from typing import TYPE_CHECKING

from cockpit.activity.score import INDICATORS, ActivityBook, written

if TYPE_CHECKING:
    from cockpit.store.workspace import Workspace

_PG = "SELECT period, indicator, average, reps FROM cockpit_activity_average(?)"
_SCORES = "SELECT rep, period, score FROM cockpit_activity_scores(?)"


def _weights(sub_criteria: Mapping[str, Mapping[str, float]]) -> str:
    return json.dumps({ind: dict(subs) for ind, subs in sub_criteria.items() if subs})


def team_means(ws: Workspace, sub_criteria: Mapping[str, Mapping[str, float]]) -> dict[tuple[str, str], tuple[Fraction, int]]:
    """Per (period, indicator or "score"): the whole team's mean and how many reps it is over."""
    with ws.lock:
        rows = ws.db.execute(_PG, (_weights(sub_criteria),)).fetchall()
    return {(str(period), str(key)): (Fraction(mean), int(reps)) for period, key, mean, reps in rows}


def team_scores(ws: Workspace, sub_criteria: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float | None]]:
    """Every rep's score per period (``ActivityBook.rivals``); empty unless the workspace ranks everyone."""
    out: dict[str, dict[str, float | None]] = {}
    with ws.lock:
        rows = ws.db.execute(_SCORES, (_weights(sub_criteria),)).fetchall()
    for rep, period, score in rows:
        scores = out.setdefault(str(rep), {})
        if period is not None:
            scores[str(period)] = None if score is None else float(score)
    return out


def add_others(book: ActivityBook, means: Mapping[tuple[str, str], tuple[Fraction, int]]) -> None:
    """The team's sums less the book's own rows, as ``book.others``."""
    book.others = {}
    own: dict[str, dict[str, list[float]]] = {}
    for period, key in means:
        if period not in own:  # the book's rows alone, before any others are added
            rows = book.team(period).rows
            own[period] = {k: [x for r in rows if (x := r.score if k == "score" else r.values[k]) is not None]
                           for k in (*INDICATORS, "score")}
    others = {}
    for (period, key), (mean, n) in means.items():
        mine = own[period].get(key, [])
        others[(period, key)] = (mean * n - sum(map(written, mine), Fraction(0)), n - len(mine))
    book.others = others
