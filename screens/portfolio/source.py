"""What the Portfolio table shows, read straight from the live model."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from rich.text import Text

from cockpit.action.rhythm import Rhythm, status

from cockpit.portfolio.abc import CLASS_LETTERS
from cockpit.i18n import current, money, pct, t
from cockpit.portfolio.model import PortfolioModel
from cockpit.safe_text import safe_text
from cockpit.store.text_column import TextColumn

from screens.kit.virtual_table import Column

# Letters carry the class; colour only repeats it (NO_COLOR stays readable).
CLASS_STYLES = ("bold green", "yellow", "dim")


@dataclass(frozen=True)
class Contacts:
    """What the rhythm column reads (METHOD §7): each client's last contact and
    zone, the rhythms, and the day it is judged on."""

    last: Mapping[int, dt.date]  # client id -> last visit or call
    zones: Mapping[int, str]  # client id -> zone, when a zone has its own rhythm
    rhythm: Rhythm
    today: dt.date


RHYTHM_STYLES = {"overdue": "bold red", "due": "yellow", "ok": ""}


class PortfolioSource:
    def __init__(self, model: PortfolioModel, contacts: Contacts | None = None) -> None:
        self.model = model
        self.contacts = contacts  # None until read: the column says "…"

    _columns: tuple = (None, [])

    @property
    def columns(self) -> list[Column]:
        if self.model is None:  # not loaded yet
            return []
        key = (self.model.view, self.model.amount_field, current())
        if self._columns[0] != key:  # asked for every painted line: build once per view
            self._columns = (key, self._build_columns())
        return self._columns[1]

    def _build_columns(self) -> list[Column]:
        name = t("col.name") if self.model.view == "account" else t("col.group")  # the group view ranks groups
        # Names whole first: optional columns show once the longest name fits (14 to 32 cells).
        cols = [Column(t("col.rank"), 5, "right"), Column(name, 0, min_width=14, want=self._name_want())]
        if self.model.view == "account":
            cols.append(Column(t("col.group"), 12, optional=True))
        amount_label = t("col.amount") if self.model.amount_field == "revenue" else t("col.margin")
        cols += [
            Column(amount_label, 13, "right"),
            Column(t("col.cum_share"), 8, "right"),
            Column(t("col.client_share"), 8, "right", optional=True),
            Column(t("col.class"), 6),
        ]
        if self.model.view == "account":
            cols += [Column(t("col.potential"), 13, "right", optional=True),
                     Column(t("col.share_of_wallet"), 7, "right", optional=True),
                     Column(t("col.rhythm"), 7, "right", optional=True)]
        return cols

    def _name_want(self) -> int:
        m = self.model
        names = m.data.name if m.view == "account" else m.group_names
        column = getattr(names, "column", names)
        longest = column.longest() if isinstance(column, TextColumn) else max((len(str(n)) for n in column), default=0)
        return max(14, min(32, longest))

    @property
    def amount_column(self) -> int:
        return 3 if self.model.view == "account" else 2

    @property
    def potential_column(self) -> int:
        return 7

    def row_count(self) -> int:
        return len(self.model.ranked) if self.model is not None else 0

    def row(self, rank: int) -> list[Text]:
        m = self.model
        r = m.ranked
        n = len(r)
        a, b = m.counts()
        cls = 0 if rank < a else 1 if rank < b else 2
        amount = r.amount_at(rank)
        # Sanitised before Text(), which drops BEL and so would leave an OSC unterminated.
        cells = [Text(str(rank + 1)), Text(safe_text(m.name_at(rank)))]
        if m.view == "account":
            cells.append(Text(safe_text(m.data.group[int(r.order[rank])])))
        share = float(r.cum_share(rank, rank + 1)[0]) if r.total > 0 else 0.0
        label = CLASS_LETTERS[cls] + (" !" if amount <= 0 else "")
        cells += [
            Text(money(amount), style="red" if amount < 0 else ""),
            Text(pct(share)),
            Text(pct((rank + 1) / n)),
            Text(label, style=CLASS_STYLES[cls]),
        ]
        if m.view == "account":
            client = int(r.order[rank])
            potential = int(m.data.potential[client])
            wallet = m.share_of_wallet(client)  # revenue ÷ potential, also in margin mode
            cells += [Text(money(potential) if potential >= 0 else "—"),
                      Text(pct(wallet, 0) if wallet is not None else "—"),
                      self._rhythm_cell(int(m.data.client_id[client]), CLASS_LETTERS[cls])]
        return cells

    def _rhythm_cell(self, client_id: int, cls: str) -> Text:
        """Days since the last contact, coloured by the class's rhythm (due, overdue)."""
        c = self.contacts
        if c is None:
            return Text("…")
        last = c.last.get(client_id)
        state = status(last, c.rhythm.of(cls, c.zones.get(client_id)), c.today, c.rhythm.overdue_factor)
        text = t("col.rhythm.never") if last is None else t("col.rhythm.days", n=(c.today - last).days)
        return Text(text, style=RHYTHM_STYLES[state])

    cells_sort = False  # a million rows: keys from the model's arrays, never from the cells

    def sort_key(self, column: int) -> np.ndarray | None:
        """Per rank, the key of ``column`` (kit.sorting): numbers largest first, names A to Z."""
        m = self.model
        if m is None:
            return None
        r, n = m.ranked, len(m.ranked)
        if m.view != "account":
            return np.arange(n, dtype=float) if column != 1 else None  # groups: the rank order only
        order = np.asarray(r.order[:n], dtype=np.int64)
        d = m.data
        if column == 1 and d.name_key is not None:
            return np.asarray(d.name_key, dtype=np.int64)[order]
        if column == 2 and d.group_codes is not None:
            return np.asarray(d.group_codes[1], dtype=np.int64)[order]
        if column == 3:
            return -np.asarray(r.neg[:n], dtype=float)  # the amount per rank, as ranked
        if column in (0, 4, 5, 6):  # rank, cumulative share, share of clients, class: the rank itself
            return -np.arange(n, dtype=float)
        if column == 7:
            potential = np.asarray(d.potential, dtype=float)[order]
            return np.where(potential < 0, np.nan, potential)  # not entered: last
        if column == 9:  # days since the last contact, never contacted first
            c = self.contacts
            if c is None:
                return None
            ids = np.asarray(d.client_id)[order]
            return np.array([(c.today - c.last[i]).days if i in c.last else 1e9 for i in ids.tolist()], dtype=float)
        if column == 8:  # revenue ÷ potential, as share_of_wallet says it (none: last)
            revenue = np.asarray(m.revenue(), dtype=float)[order]
            potential = np.asarray(d.potential, dtype=float)[order]
            ok = (potential > 0) & (revenue > 0)
            return np.where(ok, revenue / np.where(ok, potential, 1.0), np.nan)
        return None

    def match_ranks(self, text: str) -> np.ndarray:
        """Ranks whose name or code contains ``text`` (case aside)."""
        needle = text.casefold()
        m = self.model
        if not needle or m is None:
            return np.zeros(0, dtype=np.int64)
        found = [self._find_in(m.data.name if m.view == "account" else m.group_names, needle)]
        if m.view == "account":
            found.append(self._find_in(m.data.code, needle))
        return np.unique(m.ranked.rank_of[np.unique(np.concatenate(found))])

    @staticmethod
    def _find_in(names, needle: str) -> np.ndarray:
        column = getattr(names, "column", names)  # a LazyText reads its column once
        if isinstance(column, TextColumn):  # one scan of the packed names: ~50 ms at a million
            return column.find(needle)
        return np.flatnonzero([needle in str(name).casefold() for name in column]).astype(np.int64)


def read_contacts(ws, cfg, owner: str | None, today: dt.date) -> Contacts:
    """The rhythm column's data, read in a worker: last contacts, and the zones
    only when a zone has a rhythm of its own (they cost a crossed matrix)."""
    from cockpit.action.rhythm import last_contacts
    from cockpit.action.standing import standings

    rhythm = Rhythm.from_config(cfg.rhythm)
    zones = {cid: s.zone for cid, s in standings(ws, cfg, owner=owner).items() if s.zone} if rhythm.zones else {}
    return Contacts(last_contacts(ws), zones, rhythm, today)
