"""METHOD §2's one definition of a client of a period, held by every figure of
§7 (a review found each of these wrong): a client bought in a period when its
net revenue there is positive — a sale at a loss is a purchase (margin mode),
a period of credit notes only is not (a lost client: no class now, no rhythm,
no share of the team's time, no share of wallet); a win is the first step to
client (client → fidèle is no new client); a reminder does not hide a client
due by its rhythm; no contact logged is no finding; ``--period`` is honoured
or refused, never ignored. References are plain loops over the tables."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from fractions import Fraction

import pytest

from action_refs import ref_classes
from cockpit import cli, config, i18n
from cockpit.action.allocation import load_allocation
from cockpit.action.card import client_card
from cockpit.action.churn_gap import churn_gap
from cockpit.action.standing import standings
from cockpit.action.today import today_list
from cockpit.action.winback import lost_clients
from cockpit.portfolio.strategy import load_strategy
from cockpit.store.workspace import Workspace

CFG = config.DEFAULTS
MARGIN = CFG.updated("abc", {"amount": "margin"})
TODAY = dt.date(2026, 12, 7)


def buyers(db: sqlite3.Connection, owner: str | None = None) -> dict[str, set[int]]:
    """Per period, the clients whose revenue there is positive (METHOD §2)."""
    out: dict[str, set[int]] = {}
    for cid, period, revenue, own in db.execute(
            "SELECT a.client_id, a.period, a.revenue, c.owner FROM amounts a JOIN clients c ON c.id = a.client_id"):
        out.setdefault(period, set())
        if (revenue or 0) > 0 and owner in (None, own):
            out[period].add(cid)
    return out


def ref_counts(db: sqlite3.Connection, owner: str | None = None) -> list[tuple[str, int, int, int]]:
    """(period, clients, new, lost), period by period."""
    b = buyers(db, owner)
    periods = sorted(b)
    return [(p, len(b[p]), len(b[p] - b[q]) if q else 0, len(b[q] - b[p]) if q else 0)
            for q, p in zip([None, *periods], periods)]


def test_a_sale_at_a_loss_is_a_purchase_in_margin_mode(db_path, capsys):
    with sqlite3.connect(db_path) as db:  # LORFLEX: its 2024 margin not entered; C010: sold at a loss in 2024
        db.execute("UPDATE amounts SET margin = NULL WHERE period = '2024' AND client_id = "
                   "(SELECT id FROM clients WHERE code = 'C001')")
        db.execute("UPDATE amounts SET margin = -100000 WHERE period = '2024' AND client_id = "
                   "(SELECT id FROM clients WHERE code = 'C010')")
        expected = ref_counts(db)
        reps = [r for (r,) in db.execute("SELECT DISTINCT owner FROM clients WHERE owner IS NOT NULL")]
        by_rep = {r: ref_counts(db, r) for r in reps}
    assert (expected[1][0], expected[1][1]) == ("2024", 43)  # both bought in 2024, as in revenue mode
    ws = Workspace(db_path)
    for owner in (None, *reps):
        for cfg in (CFG, MARGIN):
            _, strategy, _ = load_strategy(ws, cfg, owner=owner)
            got = [(c.period, c.clients, len(c.new), len(c.lost)) for c in strategy.evolution()]
            assert got == (expected if owner is None else by_rep[owner]), (owner, cfg.abc.amount)
            gap = churn_gap(ws, cfg, TODAY, owner)
            rows = expected if owner is None else by_rep[owner]
            at_risk = sum(r[1] for r in rows[:-1])
            assert gap.churn == (Fraction(sum(r[3] for r in rows[1:]), at_risk) if at_risk else None)
            assert gap.clients == rows[-1][1]
    i18n.set_lang("fr")
    assert cli.main(["--db", str(db_path), "report"]) == 0
    assert "2024 : 43 clients" in capsys.readouterr().out.replace("\u202f", " ")


def test_a_period_of_credit_notes_only_makes_a_lost_client_not_a_class_c_one(db_path, tmp_path, capsys):
    with sqlite3.connect(db_path) as db:
        cid, code = db.execute("SELECT id, code FROM clients WHERE code = 'C044'").fetchone()
        db.execute("UPDATE amounts SET revenue = -5000, margin = -1000 WHERE client_id = ? AND period = '2025'", (cid,))
        db.execute("DELETE FROM visits WHERE client_id = ?", (cid,))
        db.execute("UPDATE clients SET next_action_date = NULL, potential = 3000000 WHERE id = ?", (cid,))
        rows = db.execute("SELECT c.id, c.code, c.name, a.revenue FROM amounts a JOIN clients c ON c.id = a.client_id "
                          "WHERE a.period = '2025'").fetchall()
        contacts = db.execute("SELECT client_id, kind FROM visits WHERE client_id IS NOT NULL").fetchall()
    classes = ref_classes([(i, c, n, r) for i, c, n, r in rows])
    assert classes[cid] == "C"  # in the period's ABC table, flagged, class C (METHOD §2)
    ws = Workspace(db_path)
    assert cid not in standings(ws, CFG) and standings(ws, CFG, buyers_only=False)[cid].cls == "C"
    assert cid not in {x.target[1] for x in today_list(ws, CFG, TODAY) if x.target[0] == "client"}
    assert cid in {x.client_id for x in lost_clients(ws, "2025")}
    # The team's time: class C's members and contacts are the buyers' only.
    a = load_allocation(ws, CFG)
    c = next(s for s in a.by_class if s.key == "C")
    members = {i for i, _, _, r in rows if r > 0 and classes[i] == "C"}
    assert c.clients == len(members)
    weight = Fraction(str(CFG.rhythm.call_weight))
    assert c.contacts == sum((weight if k == "appel" else 1 for i, k in contacts if i in members), Fraction(0))
    # Its card: no class, rhythm nor share of wallet now; its history keeps 2025's class C.
    card = client_card(ws, CFG, code, TODAY)
    assert card is not None and card.cls is None and card.share_of_wallet is None and card.rhythm_days is None
    assert [(f.period, f.cls) for f in card.periods][-1] == ("2025", "C")
    assert cli.main(["--db", str(db_path), "export", "card", code, str(tmp_path / "card.csv")]) == 0
    with open(tmp_path / "card.csv", encoding="utf-8-sig", newline="") as f:
        got = {(r[0], r[1]): r[2] for r in csv.reader(f, delimiter=";")}
    assert got[("client", "class")] == "" and got[("client", "share_of_wallet")] == ""


def test_a_lost_clients_card_shows_no_class_nor_share_of_wallet_of_an_older_year(db_path):
    ws = Workspace(db_path)
    lost = lost_clients(ws, "2025")
    assert lost
    for x in lost:
        card = client_card(ws, CFG, x.code, TODAY)
        assert card is not None and card.cls is None and card.share_of_wallet is None and card.zone is None
        assert card.periods and card.periods[-1].period != "2025" and card.periods[-1].cls is not None


def test_a_win_is_the_first_step_to_client(tmp_path):
    ws = Workspace(tmp_path / "w.sqlite")
    ago = lambda days: (TODAY - dt.timedelta(days=days)).isoformat()  # noqa: E731
    steps = {1: [("prospect", 500), ("client", 400), ("fidele", 100)],  # won 400 days ago: not this year's
             2: [("prospect", 200), ("client", 100)],  # won this year
             3: [("client", 300), ("fidele", 20)],  # won this year, loyal since
             4: [("client", 380), ("perdu", 200), ("client", 10)]}  # its first win is older than a year
    with ws.transaction() as db:
        for pid, history in steps.items():
            db.execute("INSERT INTO prospects(id, company, stage, created) VALUES (?,?,?,?)",
                       (pid, f"P{pid}", history[-1][0], ago(history[0][1])))
            db.executemany("INSERT INTO stage_history(prospect_id, stage, date) VALUES (?,?,?)",
                           [(pid, s, ago(d)) for s, d in history])
    assert churn_gap(ws, CFG, TODAY).wins_12m == 2


def reported(db_path, capsys, *args: str) -> str:
    i18n.set_lang("fr")
    assert cli.main(["--db", str(db_path), *args, "report"]) == 0
    return capsys.readouterr().out.replace("\u202f", " ")


def rhythm_line(text: str) -> str:
    return next(x for x in text.splitlines() if x.startswith("Clients à contacter selon leur rythme"))


def test_a_reminder_does_not_hide_a_client_due_by_its_rhythm(db_path, capsys):
    before = rhythm_line(reported(db_path, capsys, "--rep", "claire"))
    ws = Workspace(db_path)
    due = [x for x in today_list(ws, CFG, TODAY, "claire") if x.reason == "rhythm"]
    assert due
    with sqlite3.connect(db_path) as db:  # a reminder for today on every client due by its rhythm
        db.executemany("UPDATE clients SET next_action = 'Appeler', next_action_date = ? WHERE id = ?",
                       [(dt.date.today().isoformat(), x.target[1]) for x in due])
    assert rhythm_line(reported(db_path, capsys, "--rep", "claire")) == before


def test_no_contact_logged_is_no_finding(db_path, capsys):
    with sqlite3.connect(db_path) as db:
        db.execute("DELETE FROM visits")
    out = reported(db_path, capsys)
    assert "Aucun appel ni visite noté dans le journal" in out
    assert "Le temps suit la valeur" not in out and "suivi insuffisant" not in out and "service coûteux" not in out
    assert "Classe A (7 clients) : — des contacts" in out


def test_whose_time_the_report_says(db_path, capsys):
    assert "Temps de Claire Martin : " in reported(db_path, capsys, "--rep", "claire")
    assert "Temps de l'équipe : " in reported(db_path, capsys, "--rep", "claire", "--team")


def test_export_allocation_of_a_period_reads_its_classes_and_its_contacts(db_path, tmp_path):
    with sqlite3.connect(db_path) as db:
        # Contacts dated in 2024 (the sample's log starts in 2025) and one on 1 January 2025, outside.
        ids = [i for (i,) in db.execute("SELECT client_id FROM amounts WHERE period = '2024' AND revenue > 0 "
                                        "ORDER BY client_id LIMIT 9")]
        db.executemany("INSERT INTO visits(date, rep, client_id, kind, outcome) VALUES (?, 'x', ?, ?, 'rien')",
                       [(f"2024-{1 + n % 12:02d}-15", cid, "appel" if n % 3 else "visite") for n, cid in enumerate(ids)]
                       + [("2025-01-01", ids[0], "visite")])
        rows = db.execute("SELECT c.id, c.code, c.name, a.revenue FROM amounts a JOIN clients c ON c.id = a.client_id "
                          "WHERE a.period = '2024'").fetchall()
        contacts = db.execute("SELECT client_id, kind FROM visits WHERE client_id IS NOT NULL AND date < '2025-01-01' "
                              "AND date >= '2024-01-01'").fetchall()
    classes = ref_classes([(i, c, n, r) for i, c, n, r in rows])
    bought = {i for i, _, _, r in rows if r > 0}
    weight = Fraction(str(CFG.rhythm.call_weight))
    total = sum((weight if k == "appel" else 1 for i, k in contacts if i in bought), Fraction(0))
    assert cli.main(["--db", str(db_path), "export", "--period", "2024", "allocation", str(tmp_path / "a.csv")]) == 0
    with open(tmp_path / "a.csv", encoding="utf-8-sig", newline="") as f:
        got = {r[1]: r for r in csv.reader(f, delimiter=";") if r[0] == "class"}
    for cls in "ABC":
        members = {i for i in bought if classes[i] == cls}
        mine = sum((weight if k == "appel" else 1 for i, k in contacts if i in members), Fraction(0))
        assert int(got[cls][2]) == len(members)
        assert Fraction(got[cls][3].replace(",", ".")) == mine
        assert round(Fraction(got[cls][4].replace(",", ".")), 6) == round(mine / total, 6)


@pytest.mark.parametrize("kind", ["today", "prospects", "activity", "card"])
def test_a_period_an_export_does_not_read_is_said(db_path, tmp_path, capsys, kind):
    i18n.set_lang("fr")
    code = ["C001"] if kind == "card" else []
    assert cli.main(["--db", str(db_path), "export", "--period", "2024", kind, *code, str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "« 2024 »" in err and f"aucune période pour {kind}" in err and "allocation" in err
    assert not (tmp_path / "x.csv").exists()
