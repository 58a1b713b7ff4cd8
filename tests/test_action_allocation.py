"""Time allocation (METHOD §7) against a slow reference in exact fractions:
contacts weighted (visit 1, call call_weight), shares per class and per zone
against the revenue and the potential; the findings' rules; the sample's
own finding (C clients take about 40 % of the contacts for about 5 % of the
revenue)."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from action_refs import ZONES, ref_classes, ref_zone
from cockpit import config, i18n
from cockpit.action.allocation import allocation, load_allocation
from cockpit.action.standing import Standing
from cockpit.store.workspace import Workspace

CFG = config.DEFAULTS


def ref_allocation(clients: dict[int, tuple[str, str | None, int]], contacts: list[tuple[int, str]],
                   potentials: dict[int, int], w: Fraction) -> dict[tuple[str, str], tuple]:
    """(axis, key) -> (contact share, revenue share, potential share), each None on a zero total."""
    weight = {c: Fraction(0) for c in clients}
    for cid, kind in contacts:
        if cid in clients:
            weight[cid] += w if kind == "appel" else 1
    tc = sum(weight.values())
    tr = sum(max(v[2], 0) for v in clients.values())
    tp = sum(max(potentials.get(c, 0), 0) for c in clients)
    out = {}
    for axis, index in (("class", 0), ("zone", 1)):
        for key in {v[index] or "" for v in clients.values()} | ({"A", "B", "C"} if axis == "class" else set()):
            members = [c for c, v in clients.items() if (v[index] or "") == key]
            c = sum((weight[m] for m in members), Fraction(0))
            r = sum(max(clients[m][2], 0) for m in members)
            p = sum(max(potentials.get(m, 0), 0) for m in members)
            out[(axis, key)] = (c / tc if tc else None, Fraction(r, tr) if tr else None, Fraction(p, tp) if tp else None)
    return out


client = st.tuples(st.sampled_from("ABC"), st.sampled_from([None, *sorted(set(ZONES.values()))]),
                   st.integers(-10**6, 10**9))


@settings(max_examples=200, deadline=None)
@given(clients=st.dictionaries(st.integers(1, 40), client, max_size=25),
       contacts=st.lists(st.tuples(st.integers(1, 50), st.sampled_from(["visite", "appel"])), max_size=80),
       potentials=st.dictionaries(st.integers(1, 40), st.integers(0, 10**9)),
       w=st.sampled_from([Fraction(1, 4), Fraction(1), Fraction(0), Fraction(1, 3)]))
def test_shares_and_findings_match_the_reference(clients, contacts, potentials, w):
    stand = {c: Standing(c, cls, None, zone, amount) for c, (cls, zone, amount) in clients.items()}
    got = allocation(stand, contacts, potentials, w)
    ref = ref_allocation(clients, contacts, potentials, w)
    rows = [("class", s) for s in got.by_class] + [("zone", s) for s in got.by_zone]
    assert {(axis, s.key) for axis, s in rows} == set(ref)
    for axis, s in rows:
        assert (s.contact_share, s.revenue_share, s.potential_share) == ref[(axis, s.key)]
    expected = []
    for (axis, key), (c, r, _) in ref.items():
        if key == "" or c is None or r is None:
            continue
        if c > 2 * r:
            expected.append(("expensive", axis, key))
        elif axis == "class" and key == "A" and c < r:
            expected.append(("neglected", axis, key))
    assert sorted((f.kind, f.axis, f.share.key) for f in got.findings) == sorted(expected)


def test_the_sample_shows_the_c_clients_finding(db_path):
    ws = Workspace(db_path)
    latest = ws.periods()[-1]
    rows = ws.db.execute("SELECT c.id, c.code, c.name, a.revenue, c.potential FROM clients c JOIN amounts a "
                         "ON a.client_id = c.id AND a.period = ?", (latest,)).fetchall()
    classes = ref_classes(rows)
    zones = ref_zone(rows, classes)
    clients = {r[0]: (classes[r[0]], zones[r[0]], r[3]) for r in rows}
    contacts = ws.db.execute("SELECT client_id, kind FROM visits WHERE client_id IS NOT NULL").fetchall()
    potentials = {r[0]: r[4] for r in rows if r[4] is not None}
    for weight in (Fraction(1), Fraction(1, 4)):
        got = load_allocation(ws, CFG.updated("rhythm", {"call_weight": float(weight)}))
        ref = ref_allocation(clients, contacts, potentials, weight)
        for axis, shares in (("class", got.by_class), ("zone", got.by_zone)):
            for s in shares:
                assert (s.contact_share, s.revenue_share, s.potential_share) == ref[(axis, s.key)]
        c = next(s for s in got.by_class if s.key == "C")
        assert Fraction(35, 100) < c.contact_share < Fraction(45, 100) and c.revenue_share < Fraction(6, 100)
        assert any(f.kind == "expensive" and f.share.key == "C" for f in got.findings)
    i18n.set_lang("fr")
    words = [f.text() for f in got.findings]
    assert any(w.startswith("Gestion économique : ") and "des contacts pour" in w and "du CA" in w for w in words)
    i18n.set_lang("en")
    assert any(w.startswith("Class C: ") for w in (f.text() for f in got.findings))
    margin = load_allocation(ws, CFG.updated("abc", {"amount": "margin"}))
    assert all("du CA" not in f.text() and "margin" in f.text() for f in margin.findings)
