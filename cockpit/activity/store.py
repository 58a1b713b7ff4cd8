"""Activity records and the visit/call log in the workspace: load, edit
(journaled, undoable), import all or nothing, export.

Indicator values live in ``activity`` keyed (rep, month, field), where field
is an indicator or 'indicator.criterion' for a sub-criterion. Visits are
whole rows: entering one is a journaled create, removing one a journaled
delete, so undo and redo cover them too.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from dataclasses import dataclass
from collections.abc import Callable, Mapping
from typing import Any

from cockpit.portfolio.abc import Limits
from cockpit.activity.score import INDICATORS, ActivityBook, Scenario, parse_month, parse_score, score_of
from cockpit.activity.suggest import Norms, Targets, Visit, VisitLog, normalise_kind, normalise_outcome, target_accounts
from cockpit.io.tabular import InputError, Records, write_csv_fr
from cockpit.store.workspace import Edit, Workspace
from cockpit.config import Config
from cockpit.i18n import both

# The visits table is in the schema but was not yet an entity of the
# workspace; declaring it here lets ws.create/ws.delete journal it.


@dataclass
class ActivityState:
    """Everything the Activity screen shows, read in one worker pass."""

    book: ActivityBook
    log: VisitLog
    targets: Targets
    norms: Norms
    clients: dict[int, tuple[str, str]]  # id -> (code, name)
    prospects: dict[int, str]  # id -> company


def book_from_config(rows: list[tuple[Any, ...]], section: Mapping[str, Any]) -> ActivityBook:
    return ActivityBook(rows, section["sub_criteria"], {i: float(section[f"target_{i}"]) for i in INDICATORS})


def load_state(ws: Workspace, cfg: Config) -> ActivityState:
    from cockpit.store.reps import names

    with ws.lock:
        rows = ws.db.execute("SELECT rep, period, indicator, value, target, version FROM activity").fetchall()
        visits = ws.db.execute("SELECT id, date, rep, client_id, prospect_id, kind, outcome FROM visits ORDER BY date, id").fetchall()
        clients = {cid: (code, name) for cid, code, name in ws.db.execute("SELECT id, code, name FROM clients")}
        prospects = dict(ws.db.execute("SELECT id, company FROM prospects").fetchall())
        targets = load_targets(ws, cfg)
    book, log = book_from_config(rows, cfg.activity), VisitLog(Visit(*v) for v in visits)
    # A rep with contacts but no indicators yet: proposals to accept. A role that reads only its own activity
    # reads the colleagues' visits to its clients too (the clients' last contacts): they are no rows of its book.
    own = {ws.who, names(ws).get(ws.who, ws.who)} if ws.own_rows_only else None
    book.extra_reps.update(r for r in log.reps if own is None or r in own)
    if ws.own_rows_only:  # the rows are the rep's own: the team's average (and ranking) comes from the server
        from cockpit.activity.others import add_others, team_means, team_scores

        add_others(book, team_means(ws, cfg.activity["sub_criteria"]))
        if cfg.activity.ranking == "everyone":
            book.rivals = team_scores(ws, cfg.activity["sub_criteria"])
    return ActivityState(book, log, targets, Norms.from_config(cfg.activity), clients, prospects)


def load_targets(ws: Workspace, cfg: Config) -> Targets:
    """A and "développement" clients of the latest period's portfolio (the
    crossed matrix's population, limits and mode; lost clients are not in
    it), hot prospects from their stage. A rep's own portfolio's, classed
    within it as their Portfolio screen classes it; the team's for a manager
    (METHOD §8): on SQLite, where a rep reads every row, as on PostgreSQL."""
    from cockpit.store.reps import default_owner

    owner = default_owner(ws)
    mine, args = (" WHERE owner = ?", (owner,)) if owner is not None else ("", ())
    with ws.lock:
        period = (ws.periods() or [""])[-1]
        rows = ws.db.execute(
            f"SELECT c.id, c.code, c.name, a.revenue, c.potential FROM (SELECT * FROM clients{mine}) c "
            "JOIN amounts a ON a.client_id = c.id AND a.period = ? ORDER BY c.id", (*args, period)).fetchall()
        prospects = ws.db.execute(f"SELECT id, stage, potential FROM prospects{mine}", args).fetchall()
    abc, zones = cfg.abc, cfg.matrix.zones
    clients = [(cid, name, revenue or 0, potential) for cid, _, name, revenue, potential in rows]
    return target_accounts(clients, prospects, Limits.of(abc.a_limit, abc.b_limit), cfg.activity.hot_stages,
                           zones, codes=[r[1] for r in rows], mode=abc.mode)


# ---- edits -------------------------------------------------------------------

def save_field(ws: Workspace, rep: str, month: str, name: str, field: str, value: float | None, version: int) -> Edit:
    """One value or target, journaled; Conflict if another rep changed it since ``version``."""
    return ws.edit("activity", (rep, month, name), field, value, expected_version=version)


def commit_scenario(ws: Workspace, scenario: Scenario) -> list[Edit]:
    """Write a what-if's changes in one transaction and one unit (one undo
    takes it back whole); any version that moved aborts them all."""
    with ws.unit() as u:
        return [u.set("activity", (scenario.rep, scenario.month, name), "value", new, expected_version=version)
                for name, _, new, version in scenario.changes()]


def add_visit(ws: Workspace, date: str, rep: str, client_id: int | None, prospect_id: int | None,
              kind: str, outcome: str) -> Edit:
    """A journaled new visit. Its id is chosen here so that a redo after an
    undo puts it back under the same id."""
    with ws.lock:
        for _ in range(3):
            (next_id,) = ws.db.execute("SELECT coalesce(max(id), 0) + 1 FROM visits").fetchone()
            try:
                return ws.create("visits", {"id": next_id, "date": date, "rep": rep, "client_id": client_id,
                                            "prospect_id": prospect_id, "kind": kind, "outcome": outcome})
            except sqlite3.IntegrityError:  # another rep took the id meanwhile
                continue
    raise RuntimeError("could not allocate a visit id")


def delete_visit(ws: Workspace, visit_id: int) -> Edit:
    return ws.delete("visits", (visit_id,))


# ---- import / export ---------------------------------------------------------

def _bad(records: Records, line: int, field: str, value: object, fr: str, en: str) -> InputError:
    return InputError(records.path, line, records.columns.get(field, field), str(value), fr, en)


_SCORE = ("un indicateur de 0 à 10, une décimale au plus (ex. 6,5)", "an indicator from 0 to 10, one decimal at most (e.g. 6.5)")
_MONTH = ("un mois (ex. 2026-11 ou 11/2026)", "a month (e.g. 2026-11 or 11/2026)")


def _own_rep(ws: Workspace, records: Records) -> Callable[[int, str, str], None]:
    """A rep writes only their own activity and visits (on PostgreSQL row-level
    security: the rep named by login or display name): a line naming another
    rep is refused on that line, before anything is written. Called with the
    rep as stored and the cell as written (the one the sentence quotes)."""
    from cockpit.store.own_rows import own_writes

    if own_writes(ws) is None:
        return lambda line, rep, written: None
    with ws.lock:
        found = ws.db.execute("SELECT name FROM reps WHERE login = ?", (ws.who,)).fetchone()
    own = {ws.who, *(found or ())}

    def check(line: int, rep: str, written: str) -> None:
        if rep not in own:
            raise _bad(records, line, "rep", written, *both("pgimport.not_yours", login=ws.who))
    return check


class _Reps:
    """The rep a line of an activity or visits file names, as those tables
    hold them. In a team's workspace: an active rep, by login or display name,
    case aside (the owner column's rule and sentence, ``Owners.resolve``),
    stored under the display name — what the sample holds, the app writes
    (``contact_log.rep_name``) and the Activity screen lists as one rep, so a
    login or a typo makes no second one. Without a team: any name, as written."""

    def __init__(self, ws: Workspace, records: Records) -> None:
        from cockpit.io.owners import Owners

        with ws.lock:
            self.owners = Owners(ws.db, ws.who)
        self.records, self.own = records, _own_rep(ws, records)

    def __call__(self, line: int, written: str) -> str:
        stored = written
        if self.owners.logins:
            login = self.owners.resolve(written, self.records.path, line, self.records.columns.get("rep", "rep"))
            stored = self.owners.names.get(login or "") or login or written
        self.own(line, stored, written)
        return stored

    def forms(self, stored: str) -> list[str]:
        """Every name the tables may hold this rep's rows under (the screens match both)."""
        login = next((k for k, v in self.owners.names.items() if v == stored), None)
        return [stored] if login is None else [stored, login]


class _Visited:
    """The client or the prospect a visits line names, among those the importer
    may write: a rep logs visits to their own (PostgreSQL shows them no other),
    so what is not found may be another rep's."""

    def __init__(self, db: sqlite3.Connection, records: Records, own: str | None, backend: str) -> None:
        self.records = records
        self.expected = (
            (both("pgimport.unknown_own_client"), both("pgimport.unknown_own_prospect")) if own is not None else
            (("un client connu (code ou nom)", "a known client (code or name)"),
             ("un prospect connu (sa société)", "a known prospect (its company)")))
        mine, args = (" WHERE owner = ?", (own,)) if own is not None and backend != "postgresql" else ("", ())
        self.by_code = {code: cid for cid, code in db.execute(f"SELECT id, code FROM clients{mine}", args)}
        self.by_name: dict[str, int] = {}
        for cid, name in db.execute(f"SELECT id, name FROM clients{mine} ORDER BY id", args):
            self.by_name.setdefault(name.casefold(), cid)
        self.prospects: dict[str, int] = {}
        for pid, company in db.execute(f"SELECT id, company FROM prospects{mine} ORDER BY id", args):
            self.prospects.setdefault(company.casefold(), pid)

    def __call__(self, row: dict[str, Any], line: int) -> tuple[int | None, int | None]:
        records, (client_expected, prospect_expected) = self.records, self.expected
        client, prospect = row.get("client_code") or "", row.get("prospect") or ""
        if client and prospect:
            raise _bad(records, line, "prospect", prospect, "un client ou un prospect, pas les deux",
                       "a client or a prospect, not both")
        cid = (self.by_code.get(client) or self.by_name.get(client.casefold())) if client else None
        if client and cid is None:
            raise _bad(records, line, "client_code", client, *client_expected)
        pid = self.prospects.get(prospect.casefold()) if prospect else None
        if prospect and pid is None:
            raise _bad(records, line, "prospect", prospect, *prospect_expected)
        return cid, pid


def line_check(ws: Workspace, records: Records, kind: str) -> Callable[[dict[str, Any], int], object]:
    """What an activity or visits import refuses of a line as not the rep's to
    write, in its sentences: a rep cell naming another rep (or nobody of the
    team); in visits, a client or prospect that is not the rep's (or nobody's
    known). For ``--skip-bad`` (store/set_aside.py)."""
    from cockpit.store.own_rows import own_writes

    rep_of = _Reps(ws, records)
    if kind == "activity":
        return lambda row, line: rep_of(line, row["rep"])
    visited = _Visited(ws.db, records, own_writes(ws), ws.backend)
    return lambda row, line: (rep_of(line, row["rep"]), visited(row, line))


def import_activity(ws: Workspace, records: Records) -> int:
    """Values and targets per rep and month; an empty cell leaves the record as it is."""
    rows = []
    rep_of = _Reps(ws, records)
    seen: dict[tuple[str, str], int] = {}
    for row, line in zip(records.rows, records.lines):
        rep = rep_of(line, row["rep"])
        try:
            month = parse_month(row["period"])
        except ValueError:
            raise _bad(records, line, "period", row["period"], *_MONTH) from None
        first = seen.setdefault((rep, month), line)
        if first != line:  # « claire » and « Claire Martin »: one rep's month twice, the last would win unsaid
            raise _bad(records, line, "rep", row["rep"], f"un identifiant unique dans le fichier (déjà ligne {first})",
                       f"an id that appears once in the file (already on line {first})")
        for ind in INDICATORS:
            cells = {}
            for field, col in (("value", ind), ("target", f"target_{ind}")):
                text = row.get(col) or ""
                if text != "":
                    try:
                        cells[field] = parse_score(text)
                    except ValueError:
                        raise _bad(records, line, col, text, *_SCORE) from None
            if cells:
                rows.append((rep, month, ind, cells.get("value"), cells.get("target")))
    with ws.import_unit("activity") as db:
        db.executemany(
            "INSERT INTO activity(rep, period, indicator, value, target) VALUES (?,?,?,?,?) "
            # Columns named by their table: PostgreSQL finds a bare "value" ambiguous beside excluded's.
            "ON CONFLICT(rep, period, indicator) DO UPDATE SET value = coalesce(excluded.value, activity.value), "
            "target = coalesce(excluded.target, activity.target), version = activity.version + 1", rows)
    return len(records.rows)


def import_visits(ws: Workspace, records: Records) -> int:
    """The log replaces the visits of the reps and months it covers, so
    re-importing a month does not double it."""
    from cockpit.store.own_rows import own_writes

    rep_of = _Reps(ws, records)
    own = own_writes(ws)
    with ws.import_unit("visits") as db:
        visited = _Visited(db, records, own, ws.backend)
        out = []
        for row, line in zip(records.rows, records.lines):
            rep = rep_of(line, row["rep"])
            cid, pid = visited(row, line)
            try:
                kind = normalise_kind(row["kind"])
            except ValueError:
                raise _bad(records, line, "kind", row["kind"], "visite ou appel", "visit or call") from None
            try:
                outcome = normalise_outcome(row["outcome"])
            except ValueError:
                raise _bad(records, line, "outcome", row["outcome"], "commande, rdv ou rien",
                           "order, appointment or nothing") from None
            out.append((row["date"].isoformat(), rep, cid, pid, kind, outcome))
        for rep, month in sorted({(r[1], r[0][:7]) for r in out}):  # the rep's month under either name
            forms = rep_of.forms(rep)
            db.execute(f"DELETE FROM visits WHERE rep IN ({','.join('?' * len(forms))}) AND substr(date, 1, 7) = ?",
                       (*forms, month))
        db.executemany("INSERT INTO visits(date, rep, client_id, prospect_id, kind, outcome) VALUES (?,?,?,?,?,?)", out)
    return len(out)


EXPORT_HEADERS = ["Commercial", "Période", "Activité", "Efficacité", "Orientation", "Score",
                  "Objectif activité", "Objectif efficacité", "Objectif orientation"]


def shown_reps(ws: Workspace, cfg: Config, team: bool = False) -> tuple[frozenset[str] | None, bool]:
    """Whose activity a command shows and whether with their ranks: as the screen does."""
    from cockpit.store import reps

    return reps.activity_shown(reps.view_owner(ws, team), reps.viewer(ws), reps.names(ws), cfg.activity.ranking)


def export_table(ws: Workspace, cfg: Config, args: object = None) -> tuple[list[str], list[list[object]]]:
    """One line per rep and month, with the score; importable back as it is.
    A rep's own lines only, unless the workspace shows everyone the ranking (METHOD §8)."""
    with ws.lock:
        rows = ws.db.execute("SELECT rep, period, indicator, value, target, version FROM activity").fetchall()
    book = book_from_config(rows, cfg.activity)
    mine = shown_reps(ws, cfg, bool(getattr(args, "team", False)))[0]
    out: list[list[object]] = []
    for rep in (r for r in book.reps if mine is None or r in mine):
        for month in book.months:
            if (rep, month) not in book.cells:
                continue
            values, targets = book.indicators(rep, month), book.targets(rep, month)
            out.append([rep, month, *(_one(values[i]) for i in INDICATORS), _one(score_of(values)),
                        *(_one(targets[i]) for i in INDICATORS)])
    return EXPORT_HEADERS, out


def export_activity(ws: Workspace, cfg: Config, path: str | os.PathLike[str]) -> int:
    """French Excel CSV of ``export_table``."""
    headers, rows = export_table(ws, cfg)
    write_csv_fr(path, headers, rows)
    return len(rows)


def _one(x: float | None) -> float | None:
    return None if x is None else round(x, 1)


Party = tuple[int | None, int | None]  # (client id, None) or (None, prospect id)


def parties(text: str, clients: dict[int, tuple[str, str]], prospects: dict[int, str]) -> list[Party]:
    """Who ``text`` names, as typed (case ignored): the client of that code;
    else every client of that name and every prospect of that company (sites
    of one group share a name: the rep chooses, never the first found)."""
    needle = text.strip().casefold()
    by_code = [(cid, None) for cid, (code, _) in sorted(clients.items()) if code.casefold() == needle]
    if by_code:
        return list(by_code)
    named: list[Party] = [(cid, None) for cid, (_, name) in sorted(clients.items()) if name.casefold() == needle]
    return named + [(None, pid) for pid, company in sorted(prospects.items()) if company.casefold() == needle]
