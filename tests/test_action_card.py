"""The client card and win-back (METHOD §2, §7) on real SQLite workspaces,
against slow references: classes per period from the ABC rule in exact
fractions, revenue per product family summed from the lines, share of wallet
as a fraction, lost clients from their definition."""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction

import pytest

from action_refs import ref_classes, ref_zone
from cockpit import config
from cockpit.action.card import client_card
from cockpit.action.winback import SOURCE, AlreadyWonBack, lost_clients, win_back
from cockpit.action.zone_questions import QUESTIONS
from cockpit.prospects.book import Book
from cockpit.prospects.store import load_prospects
from cockpit.store.workspace import Workspace

TODAY = dt.date(2026, 6, 15)
CFG = config.DEFAULTS
PRODUCTS = ("Chauffage", "Sanitaire", "Outillage")
PERIODS = ("2024", "2025", "2026")


def build(tmp_path, seed: int) -> tuple[Workspace, dict]:
    rnd = random.Random(seed)
    ws = Workspace(tmp_path / f"w{seed}.sqlite", who="claire")
    world: dict = {"clients": {}, "lines": [], "visits": []}
    with ws.transaction() as db:
        db.execute("INSERT INTO reps(login, name) VALUES ('claire', 'Claire'), ('julien', 'Julien')")
        for i in range(1, rnd.randint(4, 16)):
            potential = rnd.choice([None, rnd.randint(1, 3 * 10**7)])
            owner = rnd.choice(["claire", "julien"])
            name = rnd.choice(["ALPHA", "BETA", f"N{i}"])
            db.execute("INSERT INTO clients(id, code, name, potential, owner, contact) VALUES (?,?,?,?,?,?)",
                       (i, f"K{i:02d}", name, potential, owner, f"M. {i}"))
            world["clients"][i] = (f"K{i:02d}", name, potential, owner)
            for period in PERIODS:
                if rnd.random() < 0.3:
                    continue  # no purchase that year
                for _ in range(rnd.randint(1, 4)):
                    day = dt.date(int(period), rnd.randint(1, 12), rnd.randint(1, 28))
                    amount = rnd.choice([rnd.randint(1, 5 * 10**6), -rnd.randint(1, 10**5)])
                    product = rnd.choice(PRODUCTS)
                    db.execute("INSERT INTO sales(client_id, date, product, revenue) VALUES (?,?,?,?)",
                               (i, day.isoformat(), product, amount))
                    world["lines"].append((i, period, product, amount))
            for k in range(rnd.randint(0, 4)):
                day = TODAY - dt.timedelta(days=rnd.randint(0, 300))
                kind, outcome = rnd.choice(["visite", "appel"]), rnd.choice(["commande", "rdv", "rien"])
                cur = db.execute("INSERT INTO visits(date, rep, client_id, kind, outcome, note) VALUES (?,?,?,?,?,?)",
                                 (day.isoformat(), "Claire", i, kind, outcome, f"n{k}"))
                world["visits"].append((i, day.isoformat(), cur.lastrowid, kind, outcome))
        sums: dict[tuple[int, str], int] = {}
        for cid, period, _, amount in world["lines"]:
            sums[(cid, period)] = sums.get((cid, period), 0) + amount
        db.executemany("INSERT INTO amounts(client_id, period, revenue) VALUES (?,?,?)",
                       [(cid, period, v) for (cid, period), v in sums.items()])
    world["sums"] = sums
    return ws, world


def ref_period_classes(world: dict, period: str, owner: str | None = None) -> dict[int, str]:
    rows = [(cid, world["clients"][cid][0], world["clients"][cid][1], v)
            for (cid, p), v in world["sums"].items() if p == period and owner in (None, world["clients"][cid][3])]
    return ref_classes(rows)


@pytest.mark.parametrize("seed", range(8))
def test_the_card_against_the_reference(tmp_path, seed):
    ws, world = build(tmp_path, seed)
    latest = max(p for _, p in world["sums"])
    now_rows = [(cid, world["clients"][cid][0], world["clients"][cid][1], v, world["clients"][cid][2])
                for (cid, p), v in world["sums"].items() if p == latest]
    zones = ref_zone(now_rows, ref_classes(now_rows))
    for cid, (code, name, potential, owner) in world["clients"].items():
        if (cid, latest) in world["sums"]:
            zone = zones[cid]
            for q in QUESTIONS.get(zone or "", ())[:1]:  # each owner answers for their own clients
                writer = ws if owner == ws.who else Workspace(ws.path, who=owner)
                writer.edit("zone_answers", (cid, f"{zone}.{q}"), "answer", f"réponse {cid}")
        card = client_card(ws, CFG, code, TODAY)
        assert card is not None and (card.name, card.owner, card.contact, card.potential) == (name, owner, f"M. {cid}", potential)
        periods = sorted(p for c, p in world["sums"] if c == cid)
        assert [f.period for f in card.periods] == periods
        for f in card.periods:
            assert f.cls == ref_period_classes(world, f.period)[cid]
            assert f.revenue == world["sums"][(cid, f.period)]
            products: dict[str, int] = {}
            for c, p, product, amount in world["lines"]:
                if c == cid and p == f.period:
                    products[product] = products.get(product, 0) + amount
            assert f.products == products
        now = world["sums"].get((cid, latest), 0)  # the latest period's revenue: a lost client has none
        expected_wallet = (Fraction(now, potential) if potential and now > 0 else None)
        assert card.share_of_wallet == expected_wallet
        mine = sorted(((d, vid, k, o) for c, d, vid, k, o in world["visits"] if c == cid), reverse=True)
        assert [(v.date, v.id, v.kind, v.outcome) for v in card.timeline] == mine
        if now > 0:  # a client of the latest period (METHOD §2): its zone and class now
            zone = zones[cid]
            assert card.zone == zone and card.cls == ref_period_classes(world, latest)[cid]
            assert [a.question for a in card.answers] == [f"{zone}.{q}" for q in QUESTIONS.get(zone or "", ())]
            assert [a.answer for a in card.answers[:1]] == ([f"réponse {cid}"] if zone else [])
        else:  # lost, or credit notes only: no class, zone nor rhythm now
            assert card.zone is None and card.rhythm_status is None and card.cls is None
        seen = [(f.period, f.cls) for f in card.periods]
        assert card.class_changes() == [(b[0], a[1], b[1]) for a, b in zip(seen, seen[1:]) if a[1] != b[1]]
        mine = client_card(ws, CFG, code, TODAY, owner)  # the rep's own view: classes within the rep's portfolio
        assert mine is not None
        assert [f.cls for f in mine.periods] == [ref_period_classes(world, f.period, owner)[cid] for f in mine.periods]
    assert client_card(ws, CFG, "NOPE", TODAY) is None


def ref_lost(world: dict, period: str) -> list[tuple[int, int]]:
    before = PERIODS[PERIODS.index(period) - 1]
    bought = {c for (c, p), v in world["sums"].items() if p == period and v > 0}
    out = [(c, v) for (c, p), v in world["sums"].items() if p == before and v > 0 and c not in bought]
    return sorted(out, key=lambda x: (-x[1], world["clients"][x[0]][1], world["clients"][x[0]][0]))


@pytest.mark.parametrize("seed", range(8))
def test_lost_clients_against_the_definition(tmp_path, seed):
    ws, world = build(tmp_path, seed)
    for period in PERIODS[1:]:
        if period not in {p for _, p in world["sums"]}:
            continue
        got = lost_clients(ws, period)
        assert [(x.client_id, x.lost_revenue) for x in got] == ref_lost(world, period)
        for owner in ("claire", "julien"):
            assert [x.client_id for x in lost_clients(ws, period, owner)] == [
                c for c, _ in ref_lost(world, period) if world["clients"][c][3] == owner]


def test_win_back_makes_a_linked_prospect_in_one_undoable_unit(db_path):
    ws = Workspace(db_path, who="claire")
    lost = lost_clients(ws)
    assert len(lost) == 5 and sum(x.lost_revenue for x in lost) == 2_643_000  # the 26 430 € in 2025
    first = lost[0]
    edit = win_back(ws, first, TODAY)
    pid = edit.key[0]
    row = ws.db.execute("SELECT company, source, stage, potential, owner, won_back_from, client_id, created "
                        "FROM prospects WHERE id = ?", (pid,)).fetchone()
    assert row == (first.name, SOURCE, "prospect", first.lost_revenue, first.owner, first.client_id, None,
                   TODAY.isoformat())
    assert lost_clients(ws)[0].prospect_id == pid
    with pytest.raises(AlreadyWonBack):
        win_back(ws, first, TODAY)
    book = Book(load_prospects(ws), CFG.prospects, TODAY)
    found = [p for p in book.prospects if p.id == pid]
    assert found and found[0].history[-1].stage == "prospect" and found[0].won_back_from == first.client_id
    undone = ws.undo()
    assert undone is not None and len(undone) == 1
    assert ws.db.execute("SELECT count(*) FROM prospects WHERE id = ?", (pid,)).fetchone()[0] == 0
    assert lost_clients(ws)[0].prospect_id is None
    ws.redo()
    assert lost_clients(ws)[0].prospect_id == pid


def test_a_prospect_timeline_shows_a_call_logged_from_anywhere(db_path):
    from cockpit.action.card import timeline
    from cockpit.action.today import log_contact

    ws = Workspace(db_path)
    pid = ws.db.execute("SELECT id FROM prospects WHERE stage = 'tiede' ORDER BY id LIMIT 1").fetchone()[0]
    before = timeline(ws, ("prospect", pid))
    expected = ws.db.execute("SELECT id FROM visits WHERE prospect_id = ? ORDER BY date DESC, id DESC", (pid,)).fetchall()
    assert [c.id for c in before] == [r[0] for r in expected]
    logged = log_contact(ws, ("prospect", pid), "appel", "r +2j Envoyer le devis", today=dt.date(2026, 12, 1))
    after = timeline(ws, ("prospect", pid))
    assert after[0].id == logged.visit_id and (after[0].kind, after[0].outcome, after[0].note) == (
        "appel", "rdv", "Envoyer le devis")
    assert after[1:] == before
