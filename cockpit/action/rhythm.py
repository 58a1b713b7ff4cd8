"""Contact rhythm per class (METHOD §7): each ABC class has a number of days
between two contacts (A 30, B 60, C 180 by default), a zone of the crossed
matrix may have its own. A client is due when its last contact (a visit or a
call of the log) is older than its rhythm, overdue past ``overdue_factor`` ×
the rhythm; a client never contacted is due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from cockpit.action.standing import Standing

if TYPE_CHECKING:
    from cockpit.store.workspace import Workspace

Status = Literal["ok", "due", "overdue"]


@dataclass(frozen=True)
class Rhythm:
    days: Mapping[str, int]  # class letter -> days between contacts
    zones: Mapping[str, int]  # zone -> days, over the class's
    overdue_factor: Fraction

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> Rhythm:
        return cls({"A": section["a_days"], "B": section["b_days"], "C": section["c_days"]}, dict(section["zones"]),
                   Fraction(str(section["overdue_factor"])))  # str(): 1.5, not its binary neighbour

    def of(self, cls: str, zone: str | None) -> int:
        """The days for a client of class ``cls`` in ``zone`` (the zone's own rhythm wins)."""
        return self.zones[zone] if zone is not None and zone in self.zones else self.days[cls]


def status(last_contact: dt.date | None, days: int, today: dt.date, overdue_factor: Fraction) -> Status:
    """'due' once the last contact is older than ``days``, 'overdue' past
    ``overdue_factor`` × ``days``; never contacted is 'due'."""
    if last_contact is None:
        return "due"
    since = (today - last_contact).days
    if since * overdue_factor.denominator > overdue_factor.numerator * days:  # since > factor × days, in integers
        return "overdue"
    return "due" if since > days else "ok"


@dataclass(frozen=True)
class Due:
    client_id: int
    cls: str
    zone: str | None
    rhythm_days: int
    last_contact: dt.date | None
    days_since: int | None  # None: never contacted
    status: Status

    @property
    def due_date(self) -> dt.date | None:
        """The first day the client is due (None: due since always)."""
        return None if self.last_contact is None else self.last_contact + dt.timedelta(days=self.rhythm_days + 1)


def due_clients(standings: Iterable[Standing], last_contacts: Mapping[int, dt.date], rhythm: Rhythm,
                today: dt.date) -> list[Due]:
    """The clients due or overdue, A first, then overdue before due, then the
    longest without a contact (never contacted first), then by id."""
    out = []
    for s in standings:
        days = rhythm.of(s.cls, s.zone)
        last = last_contacts.get(s.client_id)
        st = status(last, days, today, rhythm.overdue_factor)
        if st != "ok":
            out.append(Due(s.client_id, s.cls, s.zone, days, last, None if last is None else (today - last).days, st))
    never = 10**9
    out.sort(key=lambda d: (d.cls, d.status != "overdue", -(never if d.days_since is None else d.days_since),
                            d.client_id))
    return out


def last_contacts(ws: Workspace) -> dict[int, dt.date]:
    """Per client, the date of its last visit or call, whichever rep made it:
    a client's contact is the client's (a client a colleague saw last week is
    not due). PostgreSQL lets a rep read every visit to their own clients for
    it (pg/schema.py VISITS_OF_MINE), as SQLite does. One index range per client."""
    with ws.lock:
        rows = ws.db.execute("SELECT client_id, max(date) FROM visits WHERE client_id IS NOT NULL "
                             "GROUP BY client_id").fetchall()
    return {int(cid): dt.date.fromisoformat(day[:10]) for cid, day in rows if day}
