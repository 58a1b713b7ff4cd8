"""Win-back (METHOD §7): the clients lost in a period (revenue in N-1, none in
N, METHOD §2's one definition, from ``portfolio.evolution``) with the revenue
lost, and the key that turns one into a prospect: source "reconquête", stage
prospect, potential = its revenue of the year before it was lost, the
client's owner, linked to the client (``won_back_from``), in one journal unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cockpit.portfolio.evolution import portfolio_evolution
from cockpit.portfolio.periods import amounts_by_period
from cockpit.prospects.funnel import outcome
from cockpit.prospects.store import new_prospect_id

if TYPE_CHECKING:
    from cockpit.store.workspace import Edit, Workspace

SOURCE = "reconquête"  # stored as the other sources are, in French


@dataclass(frozen=True)
class Lost:
    client_id: int
    code: str
    name: str
    owner: str | None
    period: str  # the period it was lost in (bought in the one before, not in this one)
    lost_revenue: int  # cents: what it bought in the period before
    prospect_id: int | None  # the open win-back prospect already made from it


def lost_clients(ws: Workspace, period: str | None = None, owner: str | None = None) -> list[Lost]:
    """The clients lost in ``period`` (the latest when None), the largest revenue lost first."""
    with ws.lock:
        history = amounts_by_period(ws.db, "revenue", False)
        changes = {c.period: c for c in portfolio_evolution(history)}
        period = period or (max(changes) if changes else None)
        if period is None or period not in changes:
            return []
        before = sorted(history)[sorted(history).index(period) - 1] if sorted(history).index(period) else None
        info = {r[0]: r[1:] for r in ws.db.execute("SELECT id, code, name, owner FROM clients")}
        back = {cid: (pid, stage) for pid, cid, stage in ws.db.execute(
            "SELECT id, won_back_from, stage FROM prospects WHERE won_back_from IS NOT NULL ORDER BY id")}
    out = []
    for cid in changes[period].lost:
        code, name, own = info[cid]
        if owner is not None and own != owner:
            continue
        pid, stage = back.get(cid, (None, ""))
        out.append(Lost(cid, code, name, own, period, history[before][cid] if before else 0,
                        pid if pid is not None and outcome(stage) == "open" else None))
    out.sort(key=lambda x: (-x.lost_revenue, x.name, x.code))
    return out


class AlreadyWonBack(Exception):
    """An open win-back prospect already comes from this client."""

    def __init__(self, prospect_id: int) -> None:
        super().__init__(f"prospect {prospect_id} already wins this client back")
        self.prospect_id = prospect_id


def win_back(ws: Workspace, lost: Lost, today: dt.date | None = None) -> Edit:
    """The prospect made from ``lost``, entering stage prospect today; undo removes it."""
    today = today or dt.date.today()
    with ws.unit() as u:
        for pid, stage in u.db.execute("SELECT id, stage FROM prospects WHERE won_back_from = ?", (lost.client_id,)):
            if outcome(stage) == "open":
                raise AlreadyWonBack(pid)
        row = u.db.execute("SELECT name, contact, owner FROM clients WHERE id = ?", (lost.client_id,)).fetchone()
        if row is None:
            raise KeyError(f"clients ({lost.client_id},) does not exist")
        name, contact, owner = row
        edit = u.create("prospects", {
            "id": new_prospect_id(u.db), "company": name, "last_name": contact, "source": SOURCE, "stage": "prospect",
            "potential": lost.lost_revenue, "owner": owner, "won_back_from": lost.client_id,
            "created": today.isoformat()})
        # The funnel reads the entry into the stage from its history, as for any new prospect.
        u.db.execute("INSERT INTO stage_history(prospect_id, stage, date) VALUES (?,?,?)",
                     (edit.key[0], "prospect", today.isoformat()))
        return edit
