"""The stage board (issue 15 item 7): one column per open stage of the
funnel (suspect … négociation), the prospects the table shows as cards
(company, potential, next action date). ←/→ move between columns, ↑/↓ within
one; the screen's ``+``/``-`` move the selected card through the table's
change_stage path.

Narrow terminals: columns keep a readable width (MIN_COLUMN cells) and the
board shows as many as fit, scrolled sideways so the selected column is
always in view; a column scrolls its cards so the selected card is in view.
Each column's title carries its count, so hidden columns are not silent
(the title line says which columns are off to the left or right)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widget import Widget

from cockpit.config_prospects import FUNNEL
from cockpit.i18n import current, date, money, number, t
from cockpit.prospects.funnel import WON
from cockpit.prospects.store import Prospect
from cockpit.safe_text import safe_text

OPEN_STAGES = FUNNEL[:WON]  # the board's columns: a won or lost prospect has left the funnel
MIN_COLUMN = 20  # "Société Générale d…" and "12 000 € · 02/12" stay readable
CARD = 2  # lines per card (name, then potential and date)


@dataclass(frozen=True)
class Card:
    pid: int
    company: str
    potential: int | None
    next_date: str | None  # ISO


def cards_of(prospects: list[Prospect]) -> list[list[Card]]:
    """The open prospects per open stage, in the order given (the table's)."""
    columns: list[list[Card]] = [[] for _ in OPEN_STAGES]
    for p in prospects:
        if p.stage in OPEN_STAGES:
            columns[OPEN_STAGES.index(p.stage)].append(Card(p.id, p.company, p.potential, p.next_action_date))
    return columns


class StageBoard(Widget, can_focus=True):
    BINDINGS = [
        Binding("left", "move(-1, 0)", show=False, id="prospects.board_left"),
        Binding("right", "move(1, 0)", show=False, id="prospects.board_right"),
        Binding("up", "move(0, -1)", show=False, id="prospects.board_up"),
        Binding("down", "move(0, 1)", show=False, id="prospects.board_down"),
    ]

    class Selected(Message):
        def __init__(self, pid: int | None) -> None:
            super().__init__()
            self.pid = pid

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.columns: list[list[Card]] = [[] for _ in OPEN_STAGES]
        self.col = 0
        self.rows = [0] * len(OPEN_STAGES)  # the selected card in each column
        self.today = dt.date.min

    # ---- what it shows ------------------------------------------------------
    def show(self, columns: list[list[Card]], today: dt.date, keep: int | None) -> None:
        """New cards; the selection follows the prospect ``keep`` to its column."""
        self.columns, self.today = columns, today
        for c, cards in enumerate(columns):
            self.rows[c] = min(self.rows[c], max(0, len(cards) - 1))
            at = next((r for r, card in enumerate(cards) if card.pid == keep), None)
            if at is not None:
                self.col, self.rows[c] = c, at
        self.refresh()

    @property
    def selected(self) -> Card | None:
        cards = self.columns[self.col]
        return cards[self.rows[self.col]] if cards else None

    def action_move(self, dx: int, dy: int) -> None:
        if dx:
            self.col = max(0, min(len(OPEN_STAGES) - 1, self.col + dx))
        elif self.columns[self.col]:
            self.rows[self.col] = max(0, min(len(self.columns[self.col]) - 1, self.rows[self.col] + dy))
        self.refresh()
        self.post_message(self.Selected(self.selected.pid if self.selected else None))

    def cursor_screen_offset(self) -> tuple[int, int]:
        """Where the selected card is, relative to this widget (the inline editor opens there)."""
        first, width = self._window()
        return (self.col - first) * width, 1 + (self.rows[self.col] - self._top(self.col)) * CARD

    def is_shown(self, index: int) -> bool:  # the inline editor's question: no table column here
        return False

    # ---- painting -------------------------------------------------------------
    def _window(self) -> tuple[int, int]:
        """(first column shown, column width): as many columns as fit at MIN_COLUMN,
        the selected one in view."""
        fit = max(1, min(len(OPEN_STAGES), self.size.width // MIN_COLUMN))
        first = min(max(0, self.col - fit + 1), len(OPEN_STAGES) - fit)
        first = min(first, self.col)
        return first, max(MIN_COLUMN, self.size.width // fit)

    def _top(self, c: int) -> int:
        fit = max(1, (self.size.height - 1) // CARD)
        return max(0, self.rows[c] - fit + 1)

    def render(self) -> Text:
        first, width = self._window()
        fit = max(1, min(len(OPEN_STAGES), self.size.width // MIN_COLUMN))
        shown = range(first, min(len(OPEN_STAGES), first + fit))
        lines = [Text(no_wrap=True, overflow="crop") for _ in range(max(1, self.size.height))]
        for c in shown:
            left = c == first and first > 0
            right = c == shown[-1] and shown[-1] < len(OPEN_STAGES) - 1
            title = t(f"prospects.stage.{OPEN_STAGES[c]}") + f" ({number(len(self.columns[c]))})"
            title = ("‹ " if left else "") + title + (" ›" if right else "")
            style = "bold reverse" if c == self.col and self.has_focus else "bold underline"
            lines[0].append(_cell(title, width, style))
            top = self._top(c)
            for r, card in enumerate(self.columns[c][top:]):
                y = 1 + r * CARD
                if y + 1 >= len(lines):
                    break
                chosen = c == self.col and top + r == self.rows[c]
                base = "reverse" if chosen and self.has_focus else "underline" if chosen else ""
                lines[y].append(_cell(safe_text(card.company), width, Style.parse(f"bold {base}".strip())))
                lines[y + 1].append(_cell(self._figures(card), width, Style.parse(f"dim {base}".strip())
                                          if not chosen else Style.parse(base)))
            for y in range(1 + len(self.columns[c][top:]) * CARD, len(lines)):
                lines[y].append(" " * width)
        if not any(self.columns):
            lines[min(1, len(lines) - 1)] = Text(t("prospects.board.empty"), style="dim")
        return Text("\n").join(lines)

    def _figures(self, card: Card) -> str:
        pot = money(card.potential) if card.potential is not None else "—"
        return f"{pot} · {short_date(card.next_date, self.today)}"

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


def short_date(iso: str | None, today: dt.date) -> str:
    """The next action's day without its year when it is this year's (a card is narrow)."""
    if not iso:
        return "—"
    day = dt.date.fromisoformat(iso[:10])
    if day.year != today.year:
        return date(day)
    return day.strftime("%d/%m") if current() == "fr" else day.strftime("%b %d")


def _cell(text: str, width: int, style: str | Style) -> Text:
    """One column's cell: cut with an ellipsis, padded, one space between columns."""
    room = width - 1
    shown = text if len(text) <= room else text[:room - 1] + "…"
    return Text(shown.ljust(room) + " ", style=style)
