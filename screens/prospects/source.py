"""What the Prospects table shows: the filtered prospects, one row each, read
straight from the live book. The column under the rep's column cursor is
highlighted on the cursor row (that is the cell ``e`` edits)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from rich.text import Text

from cockpit.i18n import date, money, pct, t
from cockpit.prospects.book import Book
from cockpit.prospects.store import Prospect
from cockpit.safe_text import safe_text

from screens.kit.virtual_table import Column


@dataclass(frozen=True)
class Field:
    name: str  # Prospect attribute, or "cell" / "score_potential" / "score_accessibility"
    width: int
    justify: str = "left"
    optional: bool = False
    min_width: int = 8
    want: int = 0  # see Column.want

    @property
    def editable(self) -> bool:
        return self.name not in ("cell", "score_potential", "score_accessibility")


# Optional columns are dropped from the end when the terminal is narrow, so
# they are in order of use; every field shows in the detail line anyway.
FIELDS = [
    Field("company", 0, min_width=16, want=32),  # company names shown whole before more columns
    Field("stage", 11),
    Field("cell", 11),
    Field("potential", 11, "right"),
    Field("next_action_date", 10),
    Field("next_action", 18, optional=True),
    Field("quote_amount", 11, "right", optional=True),  # the deal in hand, where there is one
    Field("expected_signing", 10, optional=True),
    Field("first_name", 11, optional=True),
    Field("last_name", 12, optional=True),
    Field("phone", 14, optional=True),
    Field("source", 14, optional=True),  # "recommandation", the longest source word
    Field("function", 16, optional=True),
    Field("email", 26, optional=True),
    Field("has_project", 6, optional=True),
    Field("last_purchase", 10, optional=True),
    Field("score_potential", 6, "right", optional=True),
    Field("score_accessibility", 6, "right", optional=True),
    Field("notes", 24, optional=True),
]
EDITABLE = [i for i, f in enumerate(FIELDS) if f.editable]


def field_label(name: str) -> str:
    return t(f"prospects.col.{name}")


def cell_text(book: Book, i: int) -> str:
    cell = book.cell(i)
    if cell is None:
        return "—"
    return t("prospects.cell", p=t(f"prospects.level.short.{cell[0]}"), a=t(f"prospects.level.short.{cell[1]}"))


def display(p: Prospect, name: str) -> str:
    """A field as the rep reads it (and as the editor starts from)."""
    value = p.get(name)
    if name == "stage":
        return t(f"prospects.stage.{value}")
    if name == "has_project":
        return t("prospects.yes") if value else t("prospects.no")
    if name in ("last_purchase", "next_action_date", "expected_signing"):
        return date(dt.date.fromisoformat(value)) if value else ""
    if name in ("potential", "quote_amount"):
        return "" if value is None else money(value)
    return safe_text(str(value or ""))  # the workspace's text is data, never terminal control


STAGE_STYLES = {"client": "bold green", "fidele": "green", "perdu": "dim strike", "chaud": "bold", "negociation": "bold"}


class ProspectSource:
    def __init__(self, book: Book | None, today: dt.date) -> None:
        self.book = book
        self.today = today
        self.rows: list[int] = list(range(len(book))) if book else []
        self.column = 0  # index in FIELDS under the column cursor
        self.cursor = -1  # table row painted with the column highlight

    @property
    def columns(self) -> list[Column]:
        return [Column(field_label(f.name), f.width, f.justify, f.min_width, f.optional, f.want) for f in FIELDS]

    def row_count(self) -> int:
        return len(self.rows)

    def prospect(self, row: int) -> Prospect | None:
        if self.book is None or not 0 <= row < len(self.rows):
            return None
        return self.book.prospects[self.rows[row]]

    def row(self, row: int) -> list[Text]:
        book = self.book
        assert book is not None
        i = self.rows[row]
        p = book.prospects[i]
        cells = []
        for j, f in enumerate(FIELDS):
            if f.name == "cell":
                text = Text(cell_text(book, i), style="bold green" if book.cell(i) == (2, 2) else "")
            elif f.name in ("score_potential", "score_accessibility"):
                v = (book.rated.potential if f.name == "score_potential" else book.rated.accessibility)[i]
                text = Text("—" if v != v else pct(float(v), 0))
            elif f.name == "next_action_date":
                due = p.next_date()
                style = "" if due is None else "bold red" if due < self.today else "bold yellow" if due == self.today else ""
                text = Text(display(p, f.name), style=style)
            elif f.name == "stage":
                text = Text(display(p, f.name), style=STAGE_STYLES.get(p.stage, ""))
            else:
                text = Text(display(p, f.name))
            if row == self.cursor and j == self.column and j:
                text.stylize("reverse")  # the column "e" edits; the company is the row cursor's own cell
            cells.append(text)
        return cells
