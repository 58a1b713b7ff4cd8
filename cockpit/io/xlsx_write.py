"""XLSX tables people open in Excel: headers in the interface's language,
real number formats (euros, percentages, dates, whole numbers), column
widths from the first rows, written in openpyxl's write-only mode (rows
streamed to the file, memory bounded whatever the number of rows).

Headers the table does not know stay as given (a prospect criterion, a
period). Never a formula: every text cell is written as a string."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from cockpit import i18n

# key -> (French, English)
HEADERS: dict[str, tuple[str, str]] = {
    "rank": ("Rang", "Rank"), "code": ("Code", "Code"), "name": ("Nom", "Name"), "group": ("Groupe", "Group"),
    "sector": ("Secteur", "Sector"), "amount": ("Montant", "Amount"), "cum_share": ("Part cumulée", "Cumulative share"),
    "class": ("Classe", "Class"), "potential": ("Potentiel", "Potential"),
    "share_of_wallet": ("Part de portefeuille", "Share of wallet"), "potential_class": ("Classe de potentiel", "Potential class"),
    "zone": ("Zone", "Zone"), "period": ("Période", "Period"), "clients": ("Clients", "Clients"),
    "new": ("Nouveaux", "New"), "new_revenue": ("CA des nouveaux", "New revenue"), "lost": ("Perdus", "Lost"),
    "lost_revenue": ("CA des perdus", "Lost revenue"), "churn": ("Attrition", "Churn"),
    "revenue_churn": ("Attrition du CA", "Revenue churn"), "current_class": ("Classe actuelle", "Current class"),
    "revenue": ("CA", "Revenue"), "segment": ("Segment", "Segment"), "product": ("Produit", "Product"),
    "expected": ("Attendu", "Expected"), "shortfall": ("Manque", "Shortfall"), "fond_de_commerce": ("Fond de commerce", "Core accounts"),
    "client_share": ("Part des clients", "Share of clients"), "id": ("Identifiant", "Id"), "flag": ("Remarque", "Flag"),
    # Margin mode's words for the same columns: no label says revenue then (METHOD §1).
    "margin": ("Marge", "Margin"), "new_margin": ("Marge des nouveaux", "New margin"),
    "lost_margin": ("Marge des perdus", "Lost margin"), "margin_churn": ("Attrition de la marge", "Margin churn"),
    # Today, the allocation and the card (cockpit.action.tables)
    "reason": ("Motif", "Reason"), "kind": ("Type", "Kind"), "owner": ("Commercial", "Rep"), "date": ("Date", "Date"),
    "days": ("Jours", "Days"), "overdue": ("En retard", "Overdue"), "last_contact": ("Dernier contact", "Last contact"),
    "next_action": ("Prochaine action", "Next action"), "next_action_date": ("Date de la prochaine action", "Next action date"),
    "rhythm_days": ("Rythme (jours)", "Rhythm (days)"), "rhythm_status": ("Rythme de contact", "Contact rhythm"),
    "axis": ("Axe", "Axis"), "class_or_zone": ("Classe ou zone", "Class or zone"), "contacts": ("Contacts", "Contacts"),
    "contact_share": ("Part des contacts", "Share of contacts"), "amount_share": ("Part du montant", "Share of amount"),
    "potential_share": ("Part du potentiel", "Share of potential"), "finding": ("Constat", "Finding"),
    "section": ("Rubrique", "Section"), "item": ("Élément", "Item"), "value": ("Valeur", "Value"), "detail": ("Détail", "Detail"),
    "city": ("Ville", "City"), "contact": ("Contact", "Contact"), "notes": ("Notes", "Notes"),
}
EUROS = {"amount", "potential", "new_revenue", "lost_revenue", "revenue", "expected", "shortfall", "margin",
         "new_margin", "lost_margin"}
SHARES = {"cum_share", "share_of_wallet", "churn", "revenue_churn", "margin_churn", "client_share", "contact_share",
          "amount_share", "potential_share"}
_FORMATS = {"euros": '#,##0.00 "€"', "share": "0.0%", "date": "DD/MM/YYYY", "int": "0"}
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def header(key: str) -> str:
    names = HEADERS.get(key)
    return key if names is None else names[1 if i18n.current() == "en" else 0]


def _kind(key: str, sample: Sequence[object]) -> str | None:
    if key in EUROS:
        return "euros"
    if key in SHARES:
        return "share"
    first = next((v for v in sample if v is not None and v != ""), None)
    if isinstance(first, dt.date):
        return "date"
    return "int" if isinstance(first, int) and not isinstance(first, bool) else None


def write_xlsx(path: Path, tmp: Path, headers: list[str], rows: Iterable[Sequence[object]], sheet: str) -> None:
    """The table to ``tmp`` (already created with the right mode), then renamed to ``path``."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    from cockpit.io.export_words import translator

    words = translator(headers)  # codes (a zone, a reason) in the interface's words
    it = iter(rows) if words is None else map(words, rows)
    head = [row for row, _ in zip(it, range(200))]  # widths and formats from the first rows
    kinds = [_kind(h, [r[c] for r in head if c < len(r)]) for c, h in enumerate(headers)]
    titles = [header(h) for h in headers]
    for c, title in enumerate(titles):
        longest = max([len(title)] + [len(_shown(r[c])) for r in head if c < len(r)])
        ws.column_dimensions[get_column_letter(c + 1)].width = min(60, max(8, longest + 2))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def text(value: str) -> Any:
        cell = WriteOnlyCell(ws, value=_ILLEGAL_XML.sub("", value))
        cell.data_type = "s"  # openpyxl takes a text starting with "=" for a formula: never
        return cell

    first = []
    for title in titles:
        cell = text(title)
        cell.font = bold
        first.append(cell)
    ws.append(first)
    # One cell per column, styled once and refilled for each row: openpyxl's
    # write-only sheet writes a row as soon as it is appended.
    texts = [WriteOnlyCell(ws) for _ in headers]
    numbers = [WriteOnlyCell(ws) for _ in headers]
    for c, kind in enumerate(kinds):
        numbers[c].number_format = _FORMATS[kind or "int"]
    for row in itertools.chain(head, it):
        cells: list[Any] = []
        for c, v in enumerate(row):
            if isinstance(v, str):
                cell = texts[c]
                cell.value = _ILLEGAL_XML.sub("", v) if _ILLEGAL_XML.search(v) else v
                cell.data_type = "s"
            elif v is None or kinds[c] is None:
                cell = v
            else:
                cell = numbers[c]
                cell.value = float(v) if isinstance(v, Decimal) else cast(Any, v)
            cells.append(cell)
        ws.append(cells)
    book.save(tmp)
    os.replace(tmp, path)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (float, Decimal)):
        return f"{float(value):,.2f}"
    return str(value)
