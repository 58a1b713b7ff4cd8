"""Prospects in and out of files: ``cockpit import prospects FILE`` (all or
nothing, one transaction, like clients) and ``cockpit export prospects FILE``
(French CSV, or XLSX when the name ends in .xlsx).

A row matches an existing prospect by company name (case aside) and updates
the fields the file fills (an empty cell never erases); other rows are new
prospects. A changed stage is recorded in the stage history, dated ``today``.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from collections.abc import Callable, Mapping
from typing import Any

from cockpit.prospects.book import Book
from cockpit.prospects.store import load_prospects, new_prospect_id
from cockpit.prospects.funnel import STAGE_WORDS, parse_stage
from cockpit.io.tabular import InputError, Records
from cockpit.store.workspace import Workspace
from cockpit.config import Config
from cockpit.i18n import both

_STAGE_EXPECTED = ("une étape : " + ", ".join(STAGE_WORDS), "a stage: " + ", ".join(STAGE_WORDS))
# Export headers: ones the importer reads back (tabular.FIELDS["prospects"]).
HEADERS = {
    "company": "Société", "first_name": "Prénom", "last_name": "Nom", "function": "Fonction", "email": "Email",
    "phone": "Téléphone", "source": "Source", "stage": "Étape", "has_project": "Projet",
    "last_purchase": "Dernier achat", "potential": "Potentiel", "next_action": "Prochaine action",
    "next_action_date": "Date prochaine action", "notes": "Notes", "owner": "Commercial",
    "quote_amount": "Montant devis", "expected_signing": "Signature prévue",
}


def _values(records: Records, row: dict[str, Any], line: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in row.items():
        if name not in HEADERS or value is None or value == "":
            continue
        if name == "stage":
            stage = parse_stage(str(value))
            if stage is None:
                raise InputError(records.path, line, records.columns.get("stage"), str(value), *_STAGE_EXPECTED)
            value = stage
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = int(value)
        out[name] = value
    return out


def import_prospects(ws: Workspace, records: Records, today: dt.date) -> int:
    from cockpit.io.owners import Owners
    from cockpit.store.own_rows import own_writes

    own = own_writes(ws)  # a rep: their own prospects only, as PostgreSQL's row-level security has it
    with ws.import_unit("prospects") as db:
        owners = Owners(db, ws.who, mine_only=own is not None)
        by_company = _by_company(db, ws.backend, own)
        for row, line in zip(records.rows, records.lines):
            values = _values(records, row, line)
            owner = owners.resolve(row.get("owner"), records.path, line, records.columns.get("owner"))
            if owner is not None:  # a filled cell; an empty one leaves the owner as it is
                values["owner"] = owner
            found = by_company.get(str(row["company"]).casefold())
            if found is None:
                _refuse_held(db, records, row, line, own)
                values.setdefault("owner", owners.default)
                values.setdefault("stage", "suspect")
                values.setdefault("created", today.isoformat())
                values["id"] = new_prospect_id(db)
                cols = list(values)
                pid = db.execute(f"INSERT INTO prospects({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                                 list(values.values())).lastrowid
                db.execute("INSERT INTO stage_history(prospect_id, stage, date) VALUES (?,?,?)",
                           (pid, values["stage"], values["created"]))
                by_company[values["company"].casefold()] = (pid, values["stage"])
                continue
            pid, stage = found
            values.pop("company", None)
            if values:
                assign = ", ".join(f"{k} = ?" for k in values)
                db.execute(f"UPDATE prospects SET {assign}, version = version + 1 WHERE id = ?", (*values.values(), pid))
            if values.get("stage", stage) != stage:
                db.execute("INSERT INTO stage_history(prospect_id, stage, date) VALUES (?,?,?)",
                           (pid, values["stage"], today.isoformat()))
                by_company[str(row["company"]).casefold()] = (pid, values["stage"])
    return len(records.rows)


def line_check(ws: Workspace, records: Records) -> Callable[[dict[str, Any], int], None]:
    """What ``import_prospects`` refuses of a line as not the rep's to write,
    in its sentences: an owner cell naming another rep (or nobody of the
    team), a company another rep prospects. For ``--skip-bad`` (store/set_aside.py)."""
    from cockpit.io.owners import Owners
    from cockpit.store.own_rows import own_writes

    own = own_writes(ws)
    owners = Owners(ws.db, ws.who, mine_only=own is not None)
    mine = _by_company(ws.db, ws.backend, own)

    def check(row: dict[str, Any], line: int) -> None:
        owners.resolve(row.get("owner"), records.path, line, records.columns.get("owner"))
        if str(row["company"]).casefold() not in mine:
            _refuse_held(ws.db, records, row, line, own)
    return check


def _by_company(db: Any, backend: str, own: str | None) -> dict[str, tuple[Any, str]]:
    """The prospects the importer may write, by company (case aside): every one,
    or ``own``'s (PostgreSQL's row-level security shows a rep only theirs)."""
    mine = " WHERE owner = ?" if own is not None and backend != "postgresql" else ""
    return {name.casefold(): (pid, stage) for pid, name, stage in
            db.execute(f"SELECT id, company, stage FROM prospects{mine} ORDER BY id DESC", (own,) if mine else ())}


def _refuse_held(db: Any, records: Records, row: dict[str, Any], line: int, own: str | None) -> None:
    """A line naming a company none of the rep's prospects has: refused if another rep prospects it."""
    if (held := _held_by_another(db, str(row["company"]), own)) is not None:
        raise InputError(records.path, line, records.columns.get("company", "company"), str(row["company"]),
                         *both("pgimport.theirs_prospect", owner=held))


def _held_by_another(db: Any, company: str, own: str | None) -> str | None:
    """A rep imports only their own prospects: a company another rep prospects
    is refused on its line rather than made a second prospect (who holds it,
    or "—" for nobody yet). None for a manager's import, or a free company.
    PostgreSQL hides the others' rows: a function of the definer's tells."""
    holders = getattr(db, "prospect_holders", None)
    if holders is not None:
        found = holders(company)
    elif own is not None:
        found = [(c, o) for c, o in db.execute("SELECT company, owner FROM prospects WHERE owner IS NOT ?", (own,))
                 if str(c).casefold() == company.casefold()]
    else:
        found = []
    return (found[0][1] or "—") if found else None


def prospect_table(ws: Workspace, section: Mapping[str, Any],
                   owner: str | None = None) -> tuple[list[str], list[list[Any]]]:
    """Every prospect (or ``owner``'s) with its scores per active criterion and its matrix cell."""
    book = Book(load_prospects(ws, owner), section)
    criteria = book.scheme.criteria
    levels = ("faible", "moyen", "fort")
    headers = list(HEADERS.values()) + [f"Note {c.fr}" for c in criteria] + ["Axe potentiel", "Axe accessibilité", "Case"]
    rows: list[list[Any]] = []
    for i, p in enumerate(book.prospects):
        cell = book.cell(i)
        rows.append([
            p.company, p.first_name, p.last_name, p.function, p.email, p.phone, p.source, p.stage, p.has_project,
            dt.date.fromisoformat(p.last_purchase) if p.last_purchase else None,
            None if p.potential is None else Decimal(p.potential) / 100,
            p.next_action, p.next_date(), p.notes, p.owner or "",
            None if p.quote_amount is None else Decimal(p.quote_amount) / 100,
            dt.date.fromisoformat(p.expected_signing) if p.expected_signing else None,
            *[p.scores.get(c.key) for c in criteria],
            *[None if v != v else round(float(v), 4) for v in (book.rated.potential[i], book.rated.accessibility[i])],
            "" if cell is None else f"{levels[cell[0]]} × {levels[cell[1]]}",
        ])
    return headers, rows


def export_table(ws: Workspace, cfg: Config, args: Any) -> tuple[list[str], list[list[Any]]]:
    """``cockpit export prospects FILE`` (the CLI writes CSV or XLSX): a rep's own, or the team's (--team)."""
    from cockpit.store.reps import view_owner

    return prospect_table(ws, cfg.prospects, view_owner(ws, bool(getattr(args, "team", False))))


def export_prospects(ws: Workspace, path: str | os.PathLike[str], section: dict[str, Any]) -> int:
    from cockpit.io.exports import write_table

    headers, rows = prospect_table(ws, section)
    write_table(path, headers, rows, sheet="prospects")
    return len(rows)
