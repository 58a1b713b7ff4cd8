"""Prospecting core: qualification scoring against slow references, stage
probabilities on a hand-made history, the funnel, reminders, and the store's
multi-row writes with their undo."""

from __future__ import annotations

import copy
import datetime as dt
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit import config
from cockpit.config_prospects import FUNNEL as CONFIG_FUNNEL
from cockpit.prospects.book import Book
from cockpit.prospects.store import change_stage, create_prospect, delete_prospect, load_prospects, win
from cockpit.prospects.funnel import FUNNEL, ProbabilityRule, Step, effective_history, funnel, parse_stage, reminders
from cockpit.prospects.qualification import (Criterion, Scheme, axis_scores, call_first, inactive_keys, levels,
                                   qualification_matrix, rescore, score_table)
from cockpit.store.workspace import Workspace

D = dt.date
SECTION = config.thaw(config.DEFAULTS.prospects)  # plain values a test may change


def scheme_of(specs, cuts=((0.4, 0.7), (0.4, 0.7))) -> Scheme:
    """specs: (key, axis, weight, top)."""
    crit = tuple(Criterion(k, a, k, k, w, tuple(str(i) for i in range(top + 1)), tuple(str(i) for i in range(top + 1)))
                 for k, a, w, top in specs)
    return Scheme(crit, {"potential": cuts[0], "accessibility": cuts[1]})


def slow_axis(row: dict, scheme: Scheme, axis: str) -> Fraction | None:
    """The definition, with exact fractions: Σ w·(s/top) / Σ w over the scored criteria of the axis."""
    num = den = Fraction(0)
    for c in scheme.on_axis(axis):
        if row.get(c.key) is not None:
            num += Fraction(c.weight) * Fraction(row[c.key]) / c.top
            den += Fraction(c.weight)
    return num / den if den else None


# ---- scoring ---------------------------------------------------------------

criteria_specs = st.lists(
    st.tuples(st.sampled_from(["potential", "accessibility"]), st.integers(1, 20), st.integers(1, 9)),
    min_size=2, max_size=7,
).map(lambda xs: [(f"c{i}", a, w / 4, top) for i, (a, w, top) in enumerate(xs)])


@st.composite
def scored(draw):
    specs = draw(criteria_specs)
    n = draw(st.integers(0, 12))
    rows = [{k: draw(st.one_of(st.none(), st.integers(0, top))) for k, _, _, top in specs} for _ in range(n)]
    return specs, rows


@settings(max_examples=200, deadline=None)
@given(scored())
def test_axis_scores_are_the_weighted_mean_of_scale_shares(case):
    specs, rows = case
    scheme = scheme_of(specs)
    keys = scheme.keys
    table = score_table(rows, keys)
    for axis in ("potential", "accessibility"):
        got = axis_scores(table, keys, scheme, axis)
        for i, row in enumerate(rows):
            want = slow_axis(row, scheme, axis)
            assert (math.isnan(got[i]) if want is None else math.isclose(got[i], float(want), abs_tol=1e-12))


@settings(max_examples=100, deadline=None)
@given(scored(), st.integers(1, 50))
def test_scaling_every_weight_changes_nothing_and_scores_stay_in_their_range(case, k):
    specs, rows = case
    scheme, scaled = scheme_of(specs), scheme_of([(key, a, w * k, top) for key, a, w, top in specs])
    table = score_table(rows, scheme.keys)
    for axis in ("potential", "accessibility"):
        a, b = axis_scores(table, scheme.keys, scheme, axis), axis_scores(table, scheme.keys, scaled, axis)
        assert np.allclose(a, b, equal_nan=True)
        for i, row in enumerate(rows):
            shares = [row[c.key] / c.top for c in scheme.on_axis(axis) if row[c.key] is not None]
            if shares:
                assert min(shares) - 1e-12 <= a[i] <= max(shares) + 1e-12


@given(st.lists(st.one_of(st.just(math.nan), st.floats(0, 1)), max_size=30),
       st.floats(0, 1), st.floats(0, 1))
def test_cut_points_give_low_medium_high(values, x, y):
    low, high = min(x, y), max(x, y)
    got = levels(np.array(values, dtype=float), (low, high))
    want = [-1 if math.isnan(v) else 0 if v < low else 1 if v < high else 2 for v in values]
    assert got.tolist() == want


def test_a_worked_prospect_with_the_default_criteria():
    scheme = Scheme.from_config(SECTION)
    # potential: taille 4/5 ×1, projet 2/5 ×2, dernier_achat 3/5 ×1, potentiel 4/5 ×2 -> (0.8+0.8+0.6+1.6)/6
    # accessibility: connaissance 3, receptivite 4, moment 5 (×1 each) -> (0.6+0.8+1.0)/3 = 0.8
    row = {"taille": 4, "projet": 2, "dernier_achat": 3, "potentiel": 4, "connaissance": 3, "receptivite": 4, "moment": 5}
    rated = rescore(score_table([row], scheme.keys), scheme.keys, scheme)
    assert rated.potential[0] == pytest.approx(3.8 / 6) and rated.accessibility[0] == pytest.approx(0.8)
    assert rated.cell(0) == (1, 2)  # 63 % is medium (0.4 <= x < 0.7), 80 % high


def test_rescoring_after_a_config_change_and_a_removed_criterion_keeps_its_scores():
    rows = [{"taille": 5, "projet": 5, "dernier_achat": 0, "potentiel": 1, "connaissance": 4, "receptivite": 4, "moment": 4},
            {"taille": 1, "projet": 0, "dernier_achat": 5, "potentiel": 0, "connaissance": 1, "receptivite": 2, "moment": 1}]
    before = Scheme.from_config(SECTION)
    keys = before.keys
    table = score_table(rows, keys)
    stored = table.copy()
    r = rescore(table, keys, before)
    # potential: (1 + 2 + 0 + 0.4) / 6 = 0.567 -> medium; (0.2 + 0 + 1 + 0) / 6 = 0.2 -> low
    assert [r.cell(0), r.cell(1)] == [(1, 2), (0, 0)]

    section = copy.deepcopy(SECTION)
    section["criteria"] = [c for c in section["criteria"] if c["key"] != "dernier_achat"]
    section["criteria"][0]["weight"] = 3  # taille now weighs 3
    section["potential_cuts"] = [0.2, 0.6]
    after = Scheme.from_config(section)
    r2 = rescore(table, keys, after)
    # prospect 0: (3·1 + 2·1 + 2·0.2) / 7 = 0.771 -> high; prospect 1: (3·0.2) / 7 = 0.086 -> low
    assert r2.potential[0] == pytest.approx(5.4 / 7) and r2.cell(0) == (2, 2)
    assert r2.potential[1] == pytest.approx(0.6 / 7) and r2.cell(1) == (0, 0)
    assert np.array_equal(table, stored, equal_nan=True)  # nothing lost
    assert inactive_keys(keys, after) == ["dernier_achat"]
    assert np.allclose(rescore(table, keys, before).potential, r.potential)  # and back again


def test_book_shows_removed_criteria_as_inactive_with_their_scores(sample_db):
    section = copy.deepcopy(SECTION)
    section["criteria"] = [c for c in section["criteria"] if c["key"] != "moment"]
    book = Book(load_prospects(Workspace(sample_db)), section)
    assert book.inactive == ["moment"] and "moment" not in book.scheme.keys
    assert sum(1 for p in book.prospects if "moment" in p.scores) == 37


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(-1, 2), st.integers(-1, 2), st.integers(-1, 10**6), st.booleans()), max_size=40))
def test_matrix_counts_and_amounts_match_a_loop(rows):
    pot = np.array([r[0] for r in rows], dtype=np.int8)
    acc = np.array([r[1] for r in rows], dtype=np.int8)
    money = np.array([r[2] for r in rows], dtype=np.int64)
    include = np.array([r[3] for r in rows], dtype=bool)
    from cockpit.prospects.qualification import Rated

    rated = Rated(np.zeros(len(rows)), np.zeros(len(rows)), pot, acc)
    m = qualification_matrix(rated, money, include)
    counts, amounts = np.zeros((3, 3), int), np.zeros((3, 3), int)
    for p, a, cents, inc in rows:
        if inc and p >= 0 and a >= 0:
            counts[p][a] += 1
            amounts[p][a] += max(cents, 0)
    assert m.counts.tolist() == counts.tolist() and m.amounts.tolist() == amounts.tolist()
    assert m.unplaced == sum(1 for p, a, _, inc in rows if inc and (p < 0 or a < 0))
    first = call_first(rated, money, include)
    assert first == sorted((i for i, (p, a, _, inc) in enumerate(rows) if inc and p == 2 and a == 2),
                           key=lambda i: (-rows[i][2], i))


def test_config_rejects_bad_criteria(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('[[prospects.criteria]]\nkey = "x"\naxis = "potential"\nfr = "X"\nen = "X"\nweight = 1\n'
                    'levels_fr = ["a", "b"]\nlevels_en = ["a"]\n')
    with pytest.raises(config.ConfigError) as exc:
        config.load(path)
    assert "prospects.criteria" in str(exc.value)
    assert tuple(FUNNEL) == CONFIG_FUNNEL


# ---- funnel and probabilities -------------------------------------------------

def H(*steps: tuple[str, int]) -> list[Step]:
    """Steps with dates as day numbers of November 2026."""
    return [Step(s, D(2026, 11, 1) + dt.timedelta(days=d)) for s, d in steps]


# Six prospects whose answers are worked out by hand below.
HISTORY = [
    ("client", H(("suspect", 0), ("prospect", 4), ("froid", 10), ("chaud", 20), ("negociation", 25), ("client", 30))),
    ("fidele", H(("suspect", 0), ("prospect", 2), ("client", 12), ("fidele", 20))),  # skipped stages count as reached
    ("perdu", H(("suspect", 0), ("prospect", 6), ("froid", 8), ("perdu", 9))),
    ("perdu", H(("suspect", 0), ("prospect", 1), ("froid", 3), ("tiede", 7), ("chaud", 15), ("perdu", 16))),
    ("tiede", H(("suspect", 0), ("prospect", 5), ("froid", 9), ("tiede", 18))),
    ("suspect", H(("suspect", 3))),
]
POTENTIAL = np.array([100_000, 200_000, 50_000, 70_000, 300_000, -1])


def test_stage_probabilities_and_pipeline_on_a_hand_made_history():
    fallback = {s: 0.5 for s in FUNNEL}
    # Odoo's "decided" rule, now a setting (METHOD §5); "funnel" is tested against its reference elsewhere.
    rule = ProbabilityRule(fallback, "decided", min_history=1)
    f = funnel([s for s, _ in HISTORY], [h for _, h in HISTORY], POTENTIAL, rule, D(2026, 12, 1))
    by = {s.stage: s for s in f.stages}
    assert [s.basis for s in f.stages][:6] == [4, 4, 4, 3, 3, 2]  # decided prospects behind each figure
    # reached suspect..prospect: all six; won 2, lost 2 -> 2 / 4
    assert (by["suspect"].won, by["suspect"].lost, by["suspect"].probability) == (2, 2, 0.5)
    # froid or later: client (1), fidele (skipped to client: later), the two lost, the warm one -> won 2, lost 2
    assert (by["froid"].won, by["froid"].lost) == (2, 2) and by["froid"].probability == 0.5
    # tiede or later: client, fidele, lost-at-chaud -> 2 / 3
    assert (by["tiede"].won, by["tiede"].lost) == (2, 1) and by["tiede"].probability == pytest.approx(2 / 3)
    assert by["chaud"].probability == pytest.approx(2 / 3)
    # negociation or later: the two won only -> 1
    assert (by["negociation"].won, by["negociation"].lost, by["negociation"].probability) == (2, 0, 1.0)
    assert all(s.measured for s in f.stages)
    # open: the warm one (300 000 c × 2/3) and the suspect (no potential) -> 200 000 c
    assert f.pipeline == 200_000 and f.open_count == 2 and f.missing_potential == 1 and f.open_potential == 300_000
    # counts now, reached, conversion to the next
    assert [s.count for s in f.stages] == [1, 0, 0, 1, 0, 0, 1, 1] and f.lost == 2
    # tiede or later: client, fidele, lost-at-chaud and the open warm one
    assert [s.reached for s in f.stages] == [6, 5, 5, 4, 3, 2, 2, 1]
    assert by["prospect"].conversion == 1.0 and by["froid"].conversion == pytest.approx(4 / 5)
    # days in prospect: 6, 10, 2, 2, 4 -> median 4; in froid: 10, 1, 4, 9 -> 6.5
    assert by["prospect"].median_days == 4 and by["froid"].median_days == 6.5


def test_too_little_history_falls_back_to_the_configured_probability():
    fallback = dict(SECTION["probability_fallback"])
    rule = ProbabilityRule(fallback, "decided", min_history=4)
    f = funnel([s for s, _ in HISTORY], [h for _, h in HISTORY], POTENTIAL, rule, D(2026, 12, 1))
    by = {s.stage: s for s in f.stages}
    assert by["suspect"].measured and by["suspect"].probability == 0.5  # 4 decided
    assert not by["tiede"].measured and by["tiede"].probability == fallback["tiede"]  # 3 decided
    assert f.pipeline == round(300_000 * fallback["tiede"])


def test_an_undone_stage_change_leaves_a_row_that_history_ignores():
    rows = [("suspect", D(2026, 11, 1)), ("prospect", D(2026, 11, 5)), ("froid", D(2026, 11, 9))]
    assert [s.stage for s in effective_history(rows, "prospect", D(2026, 11, 1))] == ["suspect", "prospect"]
    assert [s.stage for s in effective_history(rows, "froid", D(2026, 11, 1))] == ["suspect", "prospect", "froid"]
    assert effective_history([], "chaud", D(2026, 10, 1)) == [Step("chaud", D(2026, 10, 1))]


def test_reminders_oldest_first_then_best_cell_then_potential():
    today = D(2026, 11, 29)
    dates = [D(2026, 11, 30), D(2026, 11, 29), D(2026, 11, 20), None, D(2026, 11, 29), D(2026, 11, 29)]
    prio = np.array([4, 1, 0, 4, 4, 1])
    pot = np.array([0, 500, 0, 0, 10, 900])
    got = reminders(dates, today, prio, pot)
    assert [(r.index, r.days_late) for r in got] == [(2, 9), (4, 0), (5, 0), (1, 0)]


def test_stage_words():
    assert [parse_stage(w) for w in ("Tiède", "négociation", "LOST", "Fidèle", "hot", "x")] == \
        ["tiede", "negociation", "perdu", "fidele", "chaud", None]
    assert parse_stage("nég", prefix=True) == "negociation" and parse_stage("c", prefix=True) is None


# ---- the store: multi-row writes and their undo -------------------------------

@pytest.fixture
def ws(db_path):
    w = Workspace(db_path, who="claire")
    yield w
    w.close()


def test_a_stage_change_is_journaled_with_its_history_row_and_undo_restores_the_funnel(ws):
    p = next(p for p in load_prospects(ws) if p.stage == "froid")
    change_stage(ws, p.id, "tiede", D(2026, 11, 29), p.version)
    after = next(q for q in load_prospects(ws) if q.id == p.id)
    assert after.stage == "tiede" and after.history[-1] == Step("tiede", D(2026, 11, 29))
    ws.undo()
    back = next(q for q in load_prospects(ws) if q.id == p.id)
    assert back.stage == "froid" and back.history == p.history
    change_stage(ws, p.id, "chaud", D(2026, 11, 30), back.version)  # the stale "tiede" row is dropped
    rows = ws.db.execute("SELECT stage FROM stage_history WHERE prospect_id = ? ORDER BY rowid", (p.id,)).fetchall()
    assert [r[0] for r in rows][-2:] == ["froid", "chaud"]


def test_a_win_creates_the_client_and_one_undo_removes_all_of_it(ws):
    p = next(p for p in load_prospects(ws) if p.stage == "negociation")
    clients = ws.db.execute("SELECT count(*) FROM clients").fetchone()[0]
    before = ws.edit("prospects", (p.id,), "notes", "avant", expected_version=p.version)
    won = win(ws, p.id, "client", {"name": p.company, "sector": "Installateur", "potential": 4_200_000}, D(2026, 11, 29),
              before.version)
    assert won.code == "C054" and won.period == "2025"
    row = ws.db.execute("SELECT name, sector, potential FROM clients WHERE id = ?", (won.client_id,)).fetchone()
    assert row == (p.company, "Installateur", 4_200_000)
    assert ws.db.execute("SELECT revenue FROM amounts WHERE client_id = ? AND period = '2025'", (won.client_id,)).fetchone() == (0,)
    undone = ws.undo()  # one unit: the whole win, last entry first (the link before the client)
    assert [(e.entity, e.field) for e in undone] == [("prospects", "client_id"), ("amounts", "*"), ("clients", "*"),
                                                      ("prospects", "stage")]
    assert ws.db.execute("SELECT count(*) FROM clients").fetchone()[0] == clients
    assert ws.db.execute("SELECT stage, client_id FROM prospects WHERE id = ?", (p.id,)).fetchone() == ("negociation", None)
    assert len(ws.redo()) == 4
    assert ws.db.execute("SELECT stage, client_id FROM prospects WHERE id = ?", (p.id,)).fetchone() == ("client", won.client_id)
    assert len(ws.undo()) == 4  # the win's edge: the edit before it stays
    assert ws.db.execute("SELECT notes FROM prospects WHERE id = ?", (p.id,)).fetchone() == ("avant",)
    assert ws.undo()[0].field == "notes" and len(ws.redo()) == 1


def test_deleting_keeps_scores_and_history_for_the_undo_and_ids_are_not_reused(ws):
    p = next(p for p in load_prospects(ws) if p.scores and p.owner == ws.who  # a rep deletes only their own
             and not ws.db.execute("SELECT 1 FROM visits WHERE prospect_id = ?", (p.id,)).fetchone())
    delete_prospect(ws, p.id)
    assert p.id not in {q.id for q in load_prospects(ws)}
    ws.undo()
    back = next(q for q in load_prospects(ws) if q.id == p.id)
    assert back.scores == p.scores and back.history == p.history and back.company == p.company


def test_a_deleted_prospects_id_is_not_given_to_the_next_one(ws):
    a = create_prospect(ws, {"company": "A"}, D(2026, 11, 29)).key[0]
    ws.edit("qualification", (a, "moment"), "score", 5)
    delete_prospect(ws, a)
    b = create_prospect(ws, {"company": "B"}, D(2026, 11, 29)).key[0]
    assert b > a and next(p for p in load_prospects(ws) if p.id == b).scores == {}
    ws.undo()  # B
    ws.undo()  # A's deletion: A is back with its score
    assert next(p for p in load_prospects(ws) if p.id == a).scores == {"moment": 5.0}


def test_a_prospect_with_visits_is_not_deleted(ws):
    from cockpit.prospects.store import InUse

    pid = ws.db.execute("SELECT prospect_id FROM visits WHERE prospect_id IS NOT NULL LIMIT 1").fetchone()[0]
    with pytest.raises(InUse):
        delete_prospect(ws, pid)


def test_an_added_prospect_redone_keeps_its_id(ws):
    edit = create_prospect(ws, {"company": "Plomberie [EU]"}, D(2026, 11, 29))
    ws.undo()
    ws.redo()
    assert ws.db.execute("SELECT company FROM prospects WHERE id = ?", edit.key).fetchone() == ("Plomberie [EU]",)
    ws.undo()
    assert ws.db.execute("SELECT count(*) FROM prospects WHERE id = ?", edit.key).fetchone() == (0,)


# ---- files and the CLI ---------------------------------------------------------

def test_export_then_import_round_trips_and_a_second_import_updates(ws, tmp_path):
    from cockpit.prospects.files import export_prospects, import_prospects
    from cockpit.io.tabular import InputError, read_records
    from cockpit.store.reps import add_rep

    out = tmp_path / "prospects.csv"
    assert export_prospects(ws, out, SECTION) == 64
    fresh = Workspace(tmp_path / "fresh.sqlite", who="admin")  # the account that sets the team up, outside it
    with pytest.raises(InputError) as exc:  # owners name reps: the new workspace has no team yet
        import_prospects(fresh, read_records(out, "prospects"), D(2026, 11, 29))
    assert "colonne « Commercial »" in str(exc.value) and "cockpit rep add" in str(exc.value)
    for login, name in ws.db.execute("SELECT login, name FROM reps"):
        add_rep(fresh, login, name)
    assert import_prospects(fresh, read_records(out, "prospects"), D(2026, 11, 29)) == 64
    import_prospects(fresh, read_records(out, "prospects"), D(2026, 11, 30))
    keep = ("company", "first_name", "last_name", "email", "phone", "source", "stage", "has_project", "last_purchase",
            "potential", "next_action", "next_action_date", "notes", "owner")
    mine = sorted(tuple(p.get(k) for k in keep) for p in load_prospects(ws))
    theirs = sorted(tuple(p.get(k) for k in keep) for p in load_prospects(fresh))
    assert theirs == mine  # brackets in notes, French amounts, dates: all back, and no duplicates
    assert "client [EU] export" in {p.notes for p in load_prospects(fresh)}


def test_an_import_with_a_bad_stage_writes_nothing_and_names_the_line(ws, tmp_path):
    from cockpit.prospects.files import import_prospects
    from cockpit.io.tabular import InputError, read_records

    f = tmp_path / "p.csv"
    f.write_text("Société;Étape;Potentiel\nNouvelle SARL;chaud;12 500\nAutre SARL;bouillant;1 000\n", encoding="utf-8")
    before = ws.db.execute("SELECT count(*) FROM prospects").fetchone()[0]
    with pytest.raises(InputError) as exc:
        import_prospects(ws, read_records(f, "prospects"), D(2026, 11, 29))
    assert exc.value.line == 3 and exc.value.value == "bouillant"
    assert ws.db.execute("SELECT count(*) FROM prospects").fetchone()[0] == before


def test_the_report_has_the_funnel_the_matrix_and_the_overdue_reminders(ws):
    from cockpit.prospects.report import prospects_report

    text = "\n".join(prospects_report(ws, config.DEFAULTS, D(2026, 11, 29))).replace("\u202f", " ").replace("\xa0", " ")
    assert "Prospection — 64 prospects au 29/11/2026" in text
    assert "Matrice de qualification" in text and "Potentiel : très" in text
    # Scored from the record now (METHOD §5): tests/test_qualification_record.py names the call-first prospects.
    assert "Appeler d'abord : " in text and "Chauffage Chevalier Charleville" not in text.split("Appeler d'abord : ")[1].split("\n")[0]
    assert "Relances en retard (19) :" in text and "15/11/2026 (14 j de retard)" in text
    assert "Négociation" in text and "Pipeline pondéré" in text


def test_cli_import_export_and_report(db_path, tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent

    def cockpit(*args):
        env = {**os.environ, "COCKPIT_CONFIG": "/nonexistent/config.toml", "LANG": "C.UTF-8"}
        return subprocess.run([sys.executable, "-m", "screens", "--db", str(db_path), *args], capture_output=True,
                              text=True, cwd=root, env=env, stdin=subprocess.DEVNULL)

    f = tmp_path / "new.csv"
    f.write_text("Raison sociale;Prénom;Nom;Étape;Potentiel;Date relance\nZinc & Fils [EU];Léa;Roux;tiède;8 000;01/12/2026\n",
                 encoding="utf-8")
    out = cockpit("import", "prospects", str(f))
    assert out.returncode == 0, out.stderr
    assert "1 prospect importé" in out.stdout
    xlsx = tmp_path / "all.xlsx"
    out = cockpit("export", "prospects", str(xlsx))
    assert out.returncode == 0, out.stderr
    from cockpit.io.tabular import read_records

    rows = read_records(xlsx, "prospects").rows
    zinc = next(r for r in rows if r["company"] == "Zinc & Fils [EU]")
    assert len(rows) == 65 and (zinc["stage"], zinc["potential"], zinc["first_name"]) == ("tiede", 800_000, "Léa")
    report = cockpit("report")
    assert report.returncode == 0, report.stderr
    assert "Prospection — 65 prospects" in report.stdout and "Matrice de qualification" in report.stdout
