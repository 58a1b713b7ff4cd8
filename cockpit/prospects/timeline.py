"""The contacts of every prospect shown, read once with the book: the
Prospects screen's detail panel shows the selected one's timeline on each
cursor move without a read per move (a prospect has a handful of contacts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cockpit.action.card import Contact

if TYPE_CHECKING:
    from collections.abc import Iterable

    from cockpit.store.workspace import Workspace


def prospect_timelines(ws: Workspace, ids: Iterable[int]) -> dict[int, list[Contact]]:
    """prospect id -> its visits and calls, newest first (as card.timeline orders
    them); a prospect without contacts has no entry."""
    wanted = set(ids)
    with ws.lock:
        rows = ws.db.execute("SELECT prospect_id, id, date, rep, kind, outcome, note FROM visits "
                             "WHERE prospect_id IS NOT NULL ORDER BY date DESC, id DESC").fetchall()
    out: dict[int, list[Contact]] = {}
    for pid, *contact in rows:
        if pid in wanted:
            out.setdefault(pid, []).append(Contact(*contact))
    return out
