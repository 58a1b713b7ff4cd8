"""The sample shows every part of issue 15 (METHOD §7) on its reference day:
client and prospect reminders and clients due by rhythm in the day, the C
clients' share of the contacts against their revenue, the five lost clients
to win back, a card with its town, contact person and zone answers."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from cockpit import config
from cockpit.action.allocation import load_allocation
from cockpit.action.card import client_card
from cockpit.action.today import today_list
from cockpit.action.winback import lost_clients
from cockpit.store.workspace import Workspace

REFERENCE = dt.date(2026, 11, 29)  # the sample's reference day (sample_data/README.md)
CFG = config.DEFAULTS


def test_the_day_has_client_and_prospect_reminders_and_clients_due(db_path):
    ws = Workspace(db_path)
    day = today_list(ws, CFG, REFERENCE)
    kinds = {(x.reason, x.target[0]) for x in day}
    assert {("reminder", "client"), ("reminder", "prospect"), ("rhythm", "client")} <= kinds
    # Every list of the day is non-empty: a call-first prospect with nothing planned, one idle since 2025.
    assert {("call_first", "prospect"), ("dormant", "prospect")} <= kinds
    assert {x.name for x in day if x.reason in ("call_first", "dormant")} == {"Zeller Chauffage Services",
                                                                              "Zimmer Sanitaire Épinal"}
    assert any(x.reason == "reminder" and x.days == 0 for x in day)  # due on the day
    assert any(x.reason == "reminder" and x.overdue for x in day)
    for owner in ("claire", "julien", "sophie", "thomas"):
        assert today_list(ws, CFG, REFERENCE, owner), owner


def test_c_clients_take_about_40_percent_of_the_contacts_for_5_percent_of_the_revenue(db_path):
    ws = Workspace(db_path)
    for weight in (1, 0.25):
        a = load_allocation(ws, CFG.updated("rhythm", {"call_weight": weight}))
        c = next(s for s in a.by_class if s.key == "C")
        assert Fraction(37, 100) < c.contact_share < Fraction(43, 100)
        assert round(float(c.revenue_share), 3) == 0.048
        assert any(f.kind == "expensive" and f.axis == "class" and f.share.key == "C" for f in a.findings)


def test_lost_clients_and_a_full_card(db_path):
    ws = Workspace(db_path)
    assert [x.code for x in lost_clients(ws)] == ["C048", "C046", "C050", "C047", "C049"]
    card = client_card(ws, CFG, "C001", REFERENCE)
    assert card is not None and card.city and card.contact and card.timeline
    assert [a.answer for a in card.answers if a.answer]
    assert len(card.periods) == 3 and all(f.products for f in card.periods)
    planned = ws.db.execute("SELECT count(*) FROM clients WHERE next_action_date IS NOT NULL").fetchone()[0]
    assert planned == 12
