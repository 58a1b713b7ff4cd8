"""Putting imported records into a workspace, all or nothing (one transaction).

Clients are matched by code, else by exact name when one client has it (a
name several clients share needs the code). Importing sales lines
replaces the lines of the years the file covers (a re-exported year from the
ERP replaces itself instead of doubling) and rebuilds those years' amounts.
"""

from __future__ import annotations

import csv
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, cast

from cockpit.io.amount_periods import amount_periods, cell, check_period_totals
from cockpit.io.tabular import Records, read_records
from cockpit.store.client_lookup import clients_by_key, sales_clients
from cockpit.store.workspace import Workspace

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"


def _next_code(db: sqlite3.Connection) -> int:
    (count,) = db.execute("SELECT count(*) FROM clients").fetchone()
    return int(count) + 1


def import_clients(ws: Workspace, records: Records, period: str | None = None) -> int:
    """Insert or update clients; each revenue and margin column becomes its
    period's amounts (the year in its header, else ``period``, else the
    current year: ``amount_periods``)."""
    plan = amount_periods(records.path, records.fields, records.years, records.by_year, records.columns, period)
    if ws.backend == "postgresql":  # COPY and set-based SQL, the same rules: cockpit/store/pg/imports.py
        from cockpit.store.pg.imports import ClientColumns, write_clients

        return write_clients(ws, ClientColumns.from_records(records, plan))
    from cockpit.io.owners import Owners
    from cockpit.store.client_lookup import their_names, theirs_client
    from cockpit.store.own_rows import own_writes

    own = own_writes(ws)  # a rep: their own clients only, as PostgreSQL's row-level security has it
    with ws.import_unit("clients") as db:
        by_code, _ = clients_by_key(db)
        mine, by_name = clients_by_key(db, own)  # a rep finds by name only their own clients
        theirs = set(by_code.values()) - set(mine.values()) if own is not None else set()
        named_theirs = their_names(ws, db, (r["name"] for r in records.rows if not r.get("code")), by_name) \
            if own is not None else set()
        serial = _next_code(db)
        owners = Owners(db, ws.who, mine_only=own is not None)
        for row, line in zip(records.rows, records.lines):
            owner = owners.resolve(row.get("owner"), records.path, line, records.columns.get("owner"))
            code = row.get("code") or None
            cid = by_code.get(code) if code else by_name.find(row["name"], records.path, line, records.columns.get("name"))
            if cid in theirs:
                raise theirs_client(records.path, line, records.columns.get("code"), str(code))
            if cid is None and not code and row["name"] in named_theirs:  # not a second account of a colleague's
                raise theirs_client(records.path, line, records.columns.get("name"), row["name"], by_name=True)
            values = {k: row[k] for k in ("name", "group", "sector", "city", "contact", "potential")
                      if k in row and row[k] is not None}
            if cid is None:
                if not code:
                    code = f"C{serial:05d}"
                    serial += 1
                cur = db.execute(
                    "INSERT INTO clients(code, name, grp, sector, city, contact, potential, owner) VALUES (?,?,?,?,?,?,?,?)",
                    (code, row["name"], values.get("group") or "", values.get("sector", ""), values.get("city", ""),
                     values.get("contact", ""), values.get("potential"), owner or owners.default),
                )
                cid = cast(int, cur.lastrowid)  # set by the INSERT
                by_code[code] = cid
                by_name.add(row["name"], cid, code)
            else:
                sets = {"grp" if k == "group" else k: v for k, v in values.items()}
                if owner is not None:  # a filled owner cell; an empty one leaves the owner as it is
                    sets["owner"] = owner
                if sets:
                    assign = ", ".join(f"{k} = ?" for k in sets)
                    db.execute(f"UPDATE clients SET {assign}, version = version + 1 WHERE id = ?", (*sets.values(), cid))
            for at in plan:
                revenue, margin = (cell(row, c) if c is not None else None for c in (at.revenue, at.margin))
                if revenue is not None or margin is not None:  # without a revenue column, the revenue stored stays
                    db.execute(
                        "INSERT INTO amounts(client_id, period, revenue, margin) VALUES (?,?,?,?) "
                        "ON CONFLICT(client_id, period) DO UPDATE SET "
                        f"{'revenue = excluded.revenue, ' if at.revenue is not None else ''}"
                        "margin = coalesce(excluded.margin, margin), version = version + 1",
                        (cid, at.period, revenue or 0, margin),
                    )
        check_period_totals(db, records.path, [at.period for at in plan])
    return len(records.rows)


def import_sales(ws: Workspace, records: Records) -> int:
    """Replace the lines of the years the file covers: every client's, or a
    rep's own clients' (``reps.sales_owner``: a line naming another's client is refused)."""
    from cockpit.store.reps import sales_owner

    owner = sales_owner(ws)
    if ws.backend == "postgresql":
        from cockpit.store.pg.imports import import_sales_records

        return import_sales_records(ws, records)
    with ws.import_unit("sales") as db:
        find = sales_clients(ws, db)
        lines = []
        for row, line in zip(records.rows, records.lines):
            lines.append((find(records, row, line), row["date"].isoformat(), row["product"], row["revenue"],
                          row.get("margin")))
        years = sorted({d[:4] for _, d, *_ in lines})
        scope, args = _scope(owner)
        for year in years:
            db.execute(f"DELETE FROM sales WHERE substr(date, 1, 4) = ?{scope}", (year, *args))
        db.executemany("INSERT INTO sales(client_id, date, product, revenue, margin) VALUES (?,?,?,?,?)", lines)
        _refuse_past_cell_limit(db, records.path, years, owner)
        rebuild_amounts(db, years, owner)
        check_period_totals(db, records.path, years)
    return len(lines)


@dataclass(frozen=True)
class Replaced:
    """What a sales import would replace in one year: the workspace's lines and
    clients, and the file's."""

    year: str
    old_lines: int
    old_clients: int
    new_lines: int
    new_clients: int


def sales_replacement(ws: Workspace, records: Records) -> list[Replaced]:
    """Per year the file covers, what is there now and what replaces it."""
    new: dict[str, tuple[int, set[Any]]] = {}
    for row in records.rows:
        year = row["date"].isoformat()[:4]
        lines, clients = new.setdefault(year, (0, set()))
        clients.add(row.get("client_code") or row.get("client_name"))
        new[year] = (lines + 1, clients)
    out = []
    from cockpit.store.reps import sales_owner

    scope, args = _scope(sales_owner(ws))
    for year in sorted(new):
        old_lines, old_clients = ws.db.execute(
            f"SELECT count(*), count(DISTINCT client_id) FROM sales WHERE substr(date, 1, 4) = ?{scope}",
            (year, *args)).fetchone()
        out.append(Replaced(year, old_lines, old_clients, new[year][0], len(new[year][1])))
    return out


def _scope(owner: str | None) -> tuple[str, tuple[str, ...]]:
    """The SQL that keeps a statement on ``owner``'s clients' rows (None: everyone's)."""
    return (" AND client_id IN (SELECT id FROM clients WHERE owner = ?)", (owner,)) if owner is not None else ("", ())


def _refuse_past_cell_limit(db: sqlite3.Connection, path: str, years: list[str], owner: str | None) -> None:
    """A client's year summed past what a cell holds is the file's typo, said as
    the columnar path says it (``YearSums``): SQL's ``sum()`` would raise on the
    int64 overflow, and a sum under it but past the limit would be stored.
    ``total()`` adds in floats, which never overflow."""
    from cockpit.io.numbers_fr import MAX_CENTS
    from cockpit.io.year_sums import past_cell_limit

    scope, args = _scope(owner)
    for year in years:
        if db.execute(f"SELECT 1 FROM sales WHERE substr(date, 1, 4) = ?{scope} GROUP BY client_id "
                      "HAVING total(abs(revenue)) + total(abs(margin)) >= ? LIMIT 1", (year, *args, MAX_CENTS)).fetchone():
            raise past_cell_limit(str(path), year)


def rebuild_amounts(db: sqlite3.Connection, years: Iterable[str], owner: str | None = None) -> None:
    """Yearly amounts from the sales lines, in SQL (no Python loop over lines):
    every client's, or ``owner``'s clients' only (the others' amounts, edited
    by hand maybe, stay as they are).

    Rows are updated in place, not deleted and re-inserted: a changed amount
    gets a new version (an edit opened before the import meets the conflict
    check), an unchanged one keeps its own."""
    scope, args = _scope(owner)
    for year in years:
        db.execute("DELETE FROM amounts WHERE period = ? AND client_id NOT IN "
                   f"(SELECT client_id FROM sales WHERE substr(date, 1, 4) = ?){scope}", (year, year, *args))
        db.execute(
            "INSERT INTO amounts(client_id, period, revenue, margin) "
            f"SELECT client_id, ?, sum(revenue), sum(margin) FROM sales WHERE substr(date, 1, 4) = ?{scope} "
            "GROUP BY client_id "
            "ON CONFLICT(client_id, period) DO UPDATE SET revenue = excluded.revenue, margin = excluded.margin, "
            "version = version + 1 WHERE revenue IS NOT excluded.revenue OR margin IS NOT excluded.margin",
            (year, year, *args),
        )


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _cents(text: str) -> int | None:
    from decimal import Decimal

    return int(Decimal(text) * 100) if text else None


def load_sample(ws: Workspace, sample_dir: Path = SAMPLE_DIR) -> None:
    """Build a workspace from ``sample_data/``: clients and sales through the
    real importer, the machine-written files (prospects' history, activity,
    visits) with the csv module."""
    import_clients(ws, read_records(sample_dir / "clients.csv", "clients"))
    import_sales(ws, read_records(sample_dir / "sales.csv", "sales"))
    with ws.transaction() as db:
        by_code, _ = clients_by_key(db)
        prospect_id = {}
        for p in _csv_rows(sample_dir / "prospects.csv"):
            cur = db.execute(
                "INSERT INTO prospects(company, first_name, last_name, function, email, phone, source, stage, has_project,"
                " last_purchase, potential, next_action, next_action_date, notes, created) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (p["company"], p["first_name"], p["last_name"], p["function"], p["email"], p["phone"], p["source"],
                 p["stage"], int(p["has_project"] == "oui"), p["last_purchase"] or None, _cents(p["potential"]),
                 p["next_action"], p["next_action_date"] or None, p["notes"], p["created"]),
            )
            prospect_id[p["company"]] = cur.lastrowid
        db.executemany(
            "INSERT INTO stage_history(prospect_id, stage, date) VALUES (?,?,?)",
            [(prospect_id[r["company"]], r["stage"], r["date"]) for r in _csv_rows(sample_dir / "stage_history.csv")],
        )
        db.executemany(
            "INSERT INTO qualification(prospect_id, criterion, score) VALUES (?,?,?)",
            [(prospect_id[r["company"]], r["criterion"], float(r["score"])) for r in _csv_rows(sample_dir / "qualification.csv")],
        )
        for r in _csv_rows(sample_dir / "activity.csv"):
            for ind in ("activite", "efficacite", "orientation"):
                db.execute(
                    "INSERT INTO activity(rep, period, indicator, value, target) VALUES (?,?,?,?,?)",
                    (r["rep"], r["period"], ind, float(r[ind]), float(r[f"target_{ind}"])),
                )
        db.executemany(
            "INSERT INTO visits(date, rep, client_id, prospect_id, kind, outcome) VALUES (?,?,?,?,?,?)",
            [(r["date"], r["rep"], by_code.get(r["client_code"]), prospect_id.get(r["prospect"]), r["kind"], r["outcome"])
             for r in _csv_rows(sample_dir / "visits.csv")],
        )
        _sample_team(db, sample_dir)
        _sample_actions(db, sample_dir, by_code)


def _sample_team(db: sqlite3.Connection, sample_dir: Path) -> None:
    """The sample's reps, and an owner for every client and prospect: the rep
    who contacted it most (ties to the first login), else the reps in turn."""
    team = _csv_rows(sample_dir / "reps.csv")
    db.executemany("INSERT INTO reps(login, name, role) VALUES (?,?,?)", [(r["login"], r["name"], r["role"]) for r in team])
    login = {r["name"]: r["login"] for r in team}
    reps = [r["login"] for r in team if r["role"] == "rep"]
    for table, column in (("clients", "client_id"), ("prospects", "prospect_id")):
        contacts: dict[int, dict[str, int]] = {}
        for row_id, rep, n in db.execute(f"SELECT {column}, rep, count(*) FROM visits WHERE {column} IS NOT NULL "
                                         f"GROUP BY {column}, rep"):
            contacts.setdefault(row_id, {})[login.get(rep, rep)] = n
        order = "code" if table == "clients" else "company"
        turn = 0
        for (row_id,) in db.execute(f"SELECT id FROM {table} ORDER BY {order}, id").fetchall():
            seen = contacts.get(row_id)
            if seen:
                owner = min(seen, key=lambda r: (-seen[r], r))
            else:
                owner, turn = reps[turn % len(reps)], turn + 1
            db.execute(f"UPDATE {table} SET owner = ? WHERE id = ?", (owner, row_id))


def _sample_actions(db: sqlite3.Connection, sample_dir: Path, by_code: dict[str, int]) -> None:
    """The clients' action plans (METHOD §7): next actions, notes, answers to their zone's questions."""
    db.executemany("UPDATE clients SET next_action = ?, next_action_date = ?, notes = ? WHERE id = ?",
                   [(r["next_action"], r["next_action_date"] or None, r["notes"], by_code[r["code"]])
                    for r in _csv_rows(sample_dir / "client_actions.csv")])
    db.executemany("INSERT INTO zone_answers(client_id, question, answer) VALUES (?,?,?)",
                   [(by_code[r["code"]], r["question"], r["answer"]) for r in _csv_rows(sample_dir / "zone_answers.csv")])
