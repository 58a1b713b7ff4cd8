"""The rep's day (METHOD §7) on real SQLite workspaces: the schema's new
fields (editable, journaled, undoable), imports reading city and contact,
the one-line contact log, and the Today list against a slow reference."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from action_refs import ref_classes, ref_zone
from cockpit import cli, config
from cockpit.action.contact_line import parse_contact_line
from cockpit.action.today import log_contact, overdue_reminders, today_list
from cockpit.io.numbers_fr import ParseError
from cockpit.store.schema import MIGRATIONS
from cockpit.store.workspace import Conflict, Workspace

TODAY = dt.date(2028, 3, 1)  # the day after a leap day
CFG = config.DEFAULTS


# ---- schema and fields ------------------------------------------------------------

def test_a_version_6_workspace_gains_the_action_fields_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    for script in MIGRATIONS[:6]:
        for statement in script:
            db.execute(statement)
    db.execute("PRAGMA user_version=6")
    db.execute("INSERT INTO clients(code, name) VALUES ('C1', 'ANCIEN')")
    db.execute("INSERT INTO visits(date, rep, client_id, kind, outcome) VALUES ('2026-01-02', 'x', 1, 'appel', 'rien')")
    db.commit()
    db.close()
    ws = Workspace(path, who="claire")
    assert ws.db.execute("SELECT code, city, contact, next_action, next_action_date, notes FROM clients").fetchall() == [
        ("C1", "", "", "", None, "")]
    assert ws.db.execute("SELECT note, version FROM visits").fetchall() == [("", 1)]


def test_new_fields_are_edited_journaled_and_undone(tmp_path):
    ws = Workspace(tmp_path / "w.sqlite", who="claire")
    cid = ws.create("clients", {"code": "C1", "name": "DUPONT"}).key[0]
    pid = ws.create("prospects", {"company": "Neuf"}).key[0]
    ws.edit("clients", (cid,), "city", "Metz")
    ws.edit("clients", (cid,), "next_action_date", "2026-12-10")
    ws.edit("zone_answers", (cid, "developpement.concurrence"), "answer", "Cedeo à 30 %")
    ws.edit("prospects", (pid,), "quote_amount", 1_250_000)
    ws.edit("prospects", (pid,), "won_back_from", cid)
    assert ws.db.execute("SELECT answer FROM zone_answers").fetchall() == [("Cedeo à 30 %",)]
    for _ in range(4):
        ws.undo()
    assert ws.db.execute("SELECT answer FROM zone_answers").fetchall() == [("",)]
    assert ws.db.execute("SELECT city, next_action_date FROM clients").fetchone() == ("Metz", None)
    with pytest.raises(Conflict):
        ws.edit("clients", (cid,), "notes", "x", expected_version=1)


@pytest.mark.parametrize("fast", [True, False])
def test_importing_clients_reads_city_and_contact(tmp_path, fast):
    path = tmp_path / "clients.csv"
    path.write_text("Code;Nom;Ville;Contact;CA 2025\nZ1;DUPONT;Metz;Jean Martin;1 000,00\nZ2;DURAND;;;500,00\n",
                    encoding="utf-8")
    db = tmp_path / "w.sqlite"
    args = ["--db", str(db), "import", "clients", str(path)] + ([] if fast else ["--skip-bad"])
    assert cli.main(args) == 0
    ws = Workspace(db)
    assert ws.db.execute("SELECT code, city, contact FROM clients WHERE code LIKE 'Z%' ORDER BY code").fetchall() == [
        ("Z1", "Metz", "Jean Martin"), ("Z2", "", "")]
    path.write_text("Code;Nom;Ville\nZ1;DUPONT;Nancy\n", encoding="utf-8")
    assert cli.main(args) == 0
    assert ws.db.execute("SELECT city, contact FROM clients WHERE code = 'Z1'").fetchone() == ("Nancy", "Jean Martin")


# ---- the one-line contact --------------------------------------------------------

@pytest.mark.parametrize("text, outcome, date, action", [
    ("r +3j Rappeler", "rdv", dt.date(2028, 3, 4), "Rappeler"),
    ("c demain Livrer le devis", "commande", dt.date(2028, 3, 2), "Livrer le devis"),
    ("a +2w Call back", "rdv", dt.date(2028, 3, 15), "Call back"),
    ("n +1m", "rien", dt.date(2028, 4, 1), ""),
    ("N Relancer en septembre", "rien", None, "Relancer en septembre"),
    ("o 29/02 Order follow-up", "commande", dt.date(2032, 2, 29), "Order follow-up"),  # the next 29 February
    ("r après demain Passer", "rdv", dt.date(2028, 3, 3), "Passer"),
    ("r lundi", "rdv", dt.date(2028, 3, 6), ""),
])
def test_contact_line(text, outcome, date, action):
    line = parse_contact_line(text, TODAY)
    assert (line.outcome, line.date, line.action) == (outcome, date, action)


@pytest.mark.parametrize("text", ["", "x +3j", "r +3x Rappeler", "r 31/02/2028 Devis", "r 01/01/2020 Devis", "Rappeler"])
def test_contact_line_refused_with_what_was_expected(text):
    with pytest.raises(ParseError) as err:
        parse_contact_line(text, TODAY)
    assert err.value.expected and err.value.expected_en


# ---- Today against a slow reference ----------------------------------------------

def build(tmp_path, seed: int) -> tuple[Workspace, dict]:
    """A random small workspace: clients with revenue in one period, a
    contact history, next actions; prospects with reminders (none dormant,
    none scored: the reference covers reminders and rhythm)."""
    rnd = random.Random(seed)
    ws = Workspace(tmp_path / f"w{seed}.sqlite", who="claire")
    world: dict = {"clients": [], "prospects": [], "visits": []}
    with ws.transaction() as db:
        db.executemany("INSERT INTO reps(login, name) VALUES (?, ?)", [("claire", "Claire"), ("julien", "Julien")])
        for i in range(1, rnd.randint(3, 25)):
            revenue = rnd.choice([0, rnd.randint(1, 10**7), rnd.randint(1, 10**5)])
            potential = rnd.choice([None, rnd.randint(0, 2 * 10**7)])
            when = rnd.choice([None, TODAY - dt.timedelta(days=rnd.randint(-10, 40))])
            owner = rnd.choice(["claire", "julien", None])
            name = rnd.choice(["ALPHA", "BETA", "GAMMA", f"N{i}"])
            db.execute("INSERT INTO clients(id, code, name, potential, owner, next_action, next_action_date) "
                       "VALUES (?,?,?,?,?,?,?)", (i, f"K{i:03d}", name, potential, owner, f"action {i}",
                                                  when and when.isoformat()))
            db.execute("INSERT INTO amounts(client_id, period, revenue) VALUES (?, '2027', ?)", (i, revenue))
            world["clients"].append((i, f"K{i:03d}", name, revenue, potential, owner, when))
            for _ in range(rnd.randint(0, 3)):
                day = TODAY - dt.timedelta(days=rnd.randint(0, 400))
                db.execute("INSERT INTO visits(date, rep, client_id, kind, outcome) VALUES (?, 'x', ?, 'visite', 'rien')",
                           (day.isoformat(), i))
                world["visits"].append((i, day))
        for j in range(1, rnd.randint(1, 6)):
            when = rnd.choice([None, TODAY - dt.timedelta(days=j * 3 - 5)])
            stage = rnd.choice(["prospect", "froid", "perdu", "client"])
            owner = rnd.choice(["claire", "julien"])
            db.execute("INSERT INTO prospects(id, company, stage, next_action_date, created, owner) VALUES (?,?,?,?,?,?)",
                       (j, f"P{j}", stage, when and when.isoformat(), (TODAY - dt.timedelta(days=5)).isoformat(), owner))
            db.execute("INSERT INTO stage_history(prospect_id, stage, date) VALUES (?,?,?)",
                       (j, stage, (TODAY - dt.timedelta(days=5)).isoformat()))
            world["prospects"].append((j, stage, when, owner))
    return ws, world


def ref_today(world: dict, owner: str | None, rhythm_zones: dict[str, int]) -> list[tuple[str, str, int]]:
    # METHOD §8: a rep's day reads the classes of the rep's own portfolio.
    portfolio = [c for c in world["clients"] if owner in (None, c[5])]
    classes = ref_classes(portfolio)
    zones = ref_zone(portfolio, classes)
    last: dict[int, dt.date] = {}
    for cid, day in world["visits"]:
        last[cid] = max(day, last.get(cid, day))
    out = []
    reminders = [(when, 0, cid, ("reminder", "client", cid)) for cid, _, _, _, _, own, when in world["clients"]
                 if when is not None and when <= TODAY and owner in (None, own)]
    reminders += [(when, 1, pid, ("reminder", "prospect", pid)) for pid, stage, when, own in world["prospects"]
                  if when is not None and when <= TODAY and owner in (None, own)]  # at any stage: a dated next action
    out += [r[3] for r in sorted(reminders)]
    due = []
    for cid, _, _, revenue, _, own, _ in world["clients"]:
        if owner not in (None, own) or revenue <= 0:  # METHOD §2: no purchase in the period, no client of it
            continue
        days = rhythm_zones.get(zones[cid]) or {"A": 30, "B": 60, "C": 180}[classes[cid]]
        if cid not in last:
            due.append((classes[cid], 1, -10**9, cid))
            continue
        since = (TODAY - last[cid]).days
        if since > Fraction(3, 2) * days:
            due.append((classes[cid], 0, -since, cid))
        elif since > days:
            due.append((classes[cid], 1, -since, cid))
    due_ids = {d[3] for d in due}
    out += [("rhythm", "client", d[3]) for d in sorted(due) if ("reminder", "client", d[3]) not in out]
    # A reminder of a client also due by its rhythm says so.
    return [(*x, ("rhythm",) if x[0] == "reminder" and x[1] == "client" and x[2] in due_ids else ()) for x in out]


@pytest.mark.parametrize("seed", range(12))
def test_today_matches_the_reference(tmp_path, seed):
    ws, world = build(tmp_path, seed)
    zones = {"developpement": 45} if seed % 2 else {}
    cfg = CFG.updated("rhythm", {"zones": zones})
    for owner in (None, "claire", "julien"):
        got = [(line.reason, *line.target, line.also) for line in today_list(ws, cfg, TODAY, owner)]
        assert got == ref_today(world, owner, zones), (seed, owner)


@pytest.mark.parametrize("seed", range(12))
def test_the_start_up_count_is_the_lists_past_reminders(tmp_path, seed):
    """The start-up word counts, without ranking anything, what the list shows as
    reminders of an earlier day: clients' and prospects' (a lost one's too)."""
    ws, world = build(tmp_path, seed)
    for owner in (None, "claire", "julien"):
        past = [w for _, _, _, _, _, own, w in world["clients"] if w is not None and w < TODAY and owner in (None, own)]
        past += [w for _, _, w, own in world["prospects"] if w is not None and w < TODAY and owner in (None, own)]
        lines = [x for x in today_list(ws, CFG, TODAY, owner) if x.reason == "reminder" and x.overdue]
        assert len(lines) == len(past)
        assert overdue_reminders(ws, TODAY, owner) == (len(past), min(past, default=None)), (seed, owner)


def test_a_logged_contact_leaves_the_list_in_one_undoable_unit(tmp_path):
    ws, world = build(tmp_path, 3)
    ws.db.execute("UPDATE reps SET role = 'manager' WHERE login = 'claire'")  # she logs on every rep's rows here
    before = today_list(ws, CFG, TODAY)
    assert {line.reason for line in before} >= {"reminder", "rhythm"}
    for line in [next(x for x in before if x.reason == "rhythm"), next(x for x in before if x.reason == "reminder")]:
        logged = log_contact(ws, line.target, "appel", "r +3j Rappeler", today=TODAY)
        after = today_list(ws, CFG, TODAY)
        assert line.target not in [x.target for x in after]
        table = line.target[0] + "s"
        assert ws.db.execute(f"SELECT next_action, next_action_date FROM {table} WHERE id = ?",
                             (line.target[1],)).fetchone() == ("Rappeler", "2028-03-04")
        assert ws.db.execute("SELECT kind, outcome, note, date, rep FROM visits WHERE id = ?", (logged.visit_id,)
                             ).fetchone() == ("appel", "rdv", "Rappeler", "2028-03-01", "Claire")
        undone = ws.undo()
        assert undone is not None and len(undone) == len(logged.edits) == 3
        assert [x.target for x in today_list(ws, CFG, TODAY)] == [x.target for x in before]


def test_a_contact_without_a_date_closes_the_reminder_it_answered(tmp_path):
    ws, _ = build(tmp_path, 3)
    ws.db.execute("UPDATE reps SET role = 'manager' WHERE login = 'claire'")  # she logs on every rep's rows here
    line = next(x for x in today_list(ws, CFG, TODAY) if x.reason == "reminder" and x.target[0] == "client")
    log_contact(ws, line.target, "visite", "c", today=TODAY)
    assert ws.db.execute("SELECT next_action, next_action_date FROM clients WHERE id = ?", (line.target[1],)
                         ).fetchone() == ("", None)
    with pytest.raises(ParseError):
        log_contact(ws, line.target, "visite", "z", today=TODAY)
    with pytest.raises(KeyError):
        log_contact(ws, ("client", 999), "visite", "c", today=TODAY)


def test_call_first_and_dormant_prospects(tmp_path):
    """Call first = high potential × high accessibility (METHOD §5), unless a next action is planned
    or it was contacted today; dormant = open, no stage change nor contact for dormant_days."""
    ws = Workspace(tmp_path / "w.sqlite", who="claire")
    old = (TODAY - dt.timedelta(days=CFG.prospects.dormant_days + 1)).isoformat()
    recent = (TODAY - dt.timedelta(days=3)).isoformat()
    rows = [  # id, stage, created, top scores, next action date, contacted today
        (1, "tiede", recent, True, None, False),  # call first
        (2, "tiede", recent, True, (TODAY + dt.timedelta(days=2)).isoformat(), False),  # planned: not today
        (3, "tiede", recent, True, None, True),  # called today: done for the day
        (4, "froid", old, False, None, False),  # dormant
        (5, "froid", recent, False, None, False),  # neither
        (6, "tiede", old, True, TODAY.isoformat(), False),  # a reminder, also call first and dormant
    ]
    with ws.transaction() as db:
        for pid, stage, created, top, when, called in rows:
            db.execute("INSERT INTO prospects(id, company, stage, created, has_project, last_purchase, potential, "
                       "next_action_date) VALUES (?,?,?,?,?,?,?,?)",
                       (pid, f"P{pid}", stage, created, int(top), "2015-01-01" if top else None,
                        20_000_000 if top else 100_000, when))
            db.execute("INSERT INTO stage_history VALUES (?,?,?)", (pid, stage, created))
            for c in CFG.prospects.criteria:
                db.execute("INSERT INTO qualification(prospect_id, criterion, score) VALUES (?,?,?)",
                           (pid, c["key"], (len(c["levels_fr"]) - 1) if top else 0))
            if called:
                db.execute("INSERT INTO visits(date, rep, prospect_id, kind, outcome) VALUES (?, 'x', ?, 'appel', 'rien')",
                           (TODAY.isoformat(), pid))
    got = [(x.reason, x.target[1], x.also) for x in today_list(ws, CFG, TODAY)]
    assert got == [("reminder", 6, ("call_first", "dormant")), ("call_first", 1, ()), ("dormant", 4, ())]
    logged = log_contact(ws, ("prospect", 4), "call", "n", today=TODAY)
    assert ("dormant", 4, ()) not in [(x.reason, x.target[1], x.also) for x in today_list(ws, CFG, TODAY)]
    assert logged.edits[0].new["prospect_id"] == 4


OUTCOME_WORDS = {"c": "commande", "commande": "commande", "o": "commande", "order": "commande", "r": "rdv",
                 "RDV": "rdv", "a": "rdv", "appointment": "rdv", "n": "rien", "rien": "rien", "-": "rien"}
UNITS = {"j": 1, "d": 1, "jours": 1, "days": 1, "s": 7, "w": 7, "semaines": 7}
WORDS = ["Rappeler", "devis", "Envoyer", "la", "documentation", "chantier", "Relancer", "prix", "Call", "back"]


@settings(max_examples=200, deadline=None)
@given(word=st.sampled_from(sorted(OUTCOME_WORDS)), n=st.integers(0, 400), unit=st.sampled_from(sorted(UNITS)),
       spaced=st.booleans(), text=st.lists(st.sampled_from(WORDS), max_size=5),
       today=st.dates(dt.date(2000, 1, 1), dt.date(2090, 12, 31)))
def test_contact_line_reads_outcome_relative_date_and_text(word, n, unit, spaced, text, today):
    when = f"+{n} {unit}" if spaced else f"+{n}{unit}"
    line = parse_contact_line(" ".join([word, when, *text]), today)
    # Reference: the date counted one day at a time.
    expected = today
    for _ in range(n * UNITS[unit]):
        expected += dt.timedelta(days=1)
    assert (line.outcome, line.date, line.action) == (OUTCOME_WORDS[word], expected, " ".join(text))


def test_a_contact_logged_against_a_row_another_rep_changed_is_refused_whole(tmp_path):
    ws, _ = build(tmp_path, 3)
    ws.db.execute("UPDATE reps SET role = 'manager' WHERE login = 'claire'")  # she logs on every rep's rows here
    line = next(x for x in today_list(ws, CFG, TODAY) if x.target[0] == "client" and x.owner == "julien")
    other = Workspace(ws.path, who="julien")  # his client, changed in his session
    other.edit("clients", (line.target[1],), "notes", "changed meanwhile")
    visits = ws.db.execute("SELECT count(*) FROM visits").fetchone()[0]
    with pytest.raises(Conflict):
        log_contact(ws, line.target, "visite", "r +3j Rappeler", today=TODAY, expected_version=line.version)
    assert ws.db.execute("SELECT count(*) FROM visits").fetchone()[0] == visits  # nothing half-written
    fresh = next(x for x in today_list(ws, CFG, TODAY) if x.target == line.target)
    log_contact(ws, line.target, "visite", "r +3j Rappeler", today=TODAY, expected_version=fresh.version)
    assert ws.db.execute("SELECT count(*) FROM visits").fetchone()[0] == visits + 1
