"""Activity core (METHOD §6): score, levers, what-if, suggestions, storage."""

from __future__ import annotations

import itertools
import sqlite3

import pytest
from hypothesis import given, strategies as st

from cockpit import config
from cockpit.portfolio.abc import DEFAULT_LIMITS
from cockpit.activity.score import (
    ActivityBook, activity_score, editable_fields, indicator_values, levers, months_of, parse_month, parse_score,
    period_of,
)
from cockpit.activity.store import (
    commit_scenario, export_activity, import_activity, import_visits, load_state, parties,
)
from cockpit.activity.suggest import Norms, Targets, Visit, VisitLog, crossed_zone, suggest, target_accounts
from cockpit.activity.text import advice_lines, report_lines
from cockpit.io.tabular import InputError, read_records
from cockpit.store.workspace import Workspace

CFG = config.DEFAULTS
IND = ("activite", "efficacite", "orientation")


def vals(a, e, o):
    return dict(zip(IND, (a, e, o)))


def plain(lines: list[str]) -> str:
    return "\n".join(lines).replace("\u202f", " ").replace("\xa0", " ")


@pytest.fixture
def ws(db_path):
    w = Workspace(db_path, who="claire")
    yield w
    w.close()


# ---- score -------------------------------------------------------------------

def test_the_decks_example_is_computed_not_copied():
    assert activity_score(7, 6, 5) == 210
    assert activity_score(7, 6, 7) == 294  # the deck prints 336, which is 7 × 6 × 8
    assert activity_score(7, 6, 8) == 336
    assert activity_score(10, 10, 10) == 1000 and activity_score(0, 10, 10) == 0
    with pytest.raises(ValueError):
        activity_score(11, 5, 5)


@pytest.mark.parametrize("text, value", [("6,5", 6.5), ("6.5", 6.5), (" 7 ", 7.0), ("10", 10.0), ("0", 0.0), (7, 7.0), (6.5, 6.5)])
def test_scores_are_read_with_one_decimal(text, value):
    assert parse_score(text) == value


@pytest.mark.parametrize("text", ["10,5", "6,55", "-1", "sept", "", 11, 6.55])
def test_bad_scores_are_refused(text):
    with pytest.raises(ValueError):
        parse_score(text)


def test_months_quarters_and_years():
    assert parse_month("2026-11") == parse_month("11/2026") == parse_month("01/11/2026") == "2026-11"
    with pytest.raises(ValueError):
        parse_month("2026-13")
    assert period_of("2026-11", "quarter") == "2026-Q4" and period_of("2026-11", "year") == "2026"
    assert months_of("2026-Q4") == ["2026-10", "2026-11", "2026-12"] and len(months_of("2026")) == 12


# ---- levers --------------------------------------------------------------------

def test_levers_of_the_decks_example_put_orientation_first():
    advice = levers(vals(7, 6, 5), vals(7.7, 7.5, 7.8))
    assert [lv.indicator for lv in advice.by_point] == ["orientation", "efficacite", "activite"]
    assert [lv.score_point for lv in advice.by_point] == [252, 245, 240]  # 210 × 6/5, × 7/6, × 8/7
    assert advice.by_target[0].indicator == "orientation" and advice.by_target[0].score_target == pytest.approx(327.6)
    assert advice.tied_point == () and advice.zeros == ()
    words = plain(advice_lines(advice))
    assert "Agir d'abord sur l'orientation : +1 point = +20 % (252)." in words
    assert "À son objectif (7,8), l'orientation porterait le score à 327,6 (+56 %)." in words


def test_tied_levers_are_said_to_be_tied():
    advice = levers(vals(5, 6, 5), {})
    assert advice.tied_point == ("activite", "orientation")
    assert "Leviers à égalité : l'activité et l'orientation, +1 point = +20 % chacun (180)." in plain(advice_lines(advice))
    advice = levers(vals(6, 7, 8), vals(7, 8, 8))
    assert advice.tied_target == ()  # 7 × 7 × 8 = 392 vs 6 × 8 × 8 = 384
    advice = levers(vals(6, 6, 8), vals(7, 7, 8))
    assert advice.tied_target == ("activite", "efficacite")
    assert "À l'objectif, l'activité et l'efficacité porteraient chacun le score à 336" in plain(advice_lines(advice))


def test_a_zero_factor_makes_every_other_lever_worth_nothing():
    advice = levers(vals(7, 6, 0), vals(8, 8, 8))
    assert advice.score == 0 and advice.zeros == ("orientation",)
    gains = {lv.indicator: lv.gain_point for lv in advice.by_point}
    assert gains == {"orientation": 42, "activite": 0, "efficacite": 0}
    words = plain(advice_lines(advice))
    assert "Orientation est à zéro" in words and "aucun autre levier ne rapporte rien" in words and "(+1 point = 42)" in words


def test_two_zeros_mean_no_single_lever_helps():
    advice = levers(vals(0, 6, 0), {})
    assert advice.best is None and all(lv.gain_point == 0 for lv in advice.by_point)
    assert "Indicateurs à zéro : l'activité et l'orientation" in plain(advice_lines(advice))


def test_a_lever_stops_at_ten_and_missing_values_give_no_advice():
    advice = levers(vals(9.5, 10, 10), {})
    assert advice.by_point[0].score_point == 1000 and advice.by_point[1].gain_point == 0
    assert "au maximum" in plain(advice_lines(levers(vals(10, 10, 10), {})))
    assert levers({"activite": 7, "efficacite": None, "orientation": 5}, {}) is None


tenths = st.integers(min_value=0, max_value=100).map(lambda n: n / 10)


@given(tenths, tenths, tenths)
def test_levers_rank_like_a_slow_reference(a, e, o):
    values = vals(a, e, o)
    advice = levers(values, {})
    reference = []
    for ind in IND:
        raised = dict(values, **{ind: min(10, values[ind] + 1)})
        reference.append((-round(raised["activite"] * raised["efficacite"] * raised["orientation"] - a * e * o, 6), IND.index(ind), ind))
    assert [lv.indicator for lv in advice.by_point] == [r[2] for r in sorted(reference)]
    # (x+1)/x: with no zero and room to grow everywhere, the lowest factor gains most.
    if 0 < min(a, e, o) and max(a, e, o) <= 9 and advice.tied_point == ():
        assert values[advice.by_point[0].indicator] == min(a, e, o)


# ---- the book, periods, sub-criteria, team ---------------------------------------

def book(rows, subs=None):
    return ActivityBook(rows, subs or {}, {i: 7.0 for i in IND})


def rows_of(rep, month, a, e, o):
    return [(rep, month, i, v, None, 1) for i, v in zip(IND, (a, e, o))]


def test_a_quarter_is_the_mean_of_its_recorded_months():
    b = book(rows_of("Ann", "2026-10", 6, 6, 4) + rows_of("Ann", "2026-11", 8, 6, 6))
    assert b.indicators("Ann", "2026-Q4") == vals(7, 6, 5)
    assert b.score("Ann", "2026-Q4") == 210  # the product of the means, not the mean of 144 and 288
    assert b.recorded_months("Ann", "2026-Q4") == ["2026-10", "2026-11"]
    assert b.targets("Ann", "2026-11") == vals(7.0, 7.0, 7.0)  # the config's default targets


def test_sub_criteria_are_a_weighted_mean():
    subs = {"orientation": {"cibles": 2, "strategie": 1}}
    assert editable_fields(subs) == ["activite", "efficacite", "orientation.cibles", "orientation.strategie"]
    fields = {"activite": 7, "efficacite": 6, "orientation.cibles": 6, "orientation.strategie": 3}
    assert indicator_values(fields, subs)["orientation"] == 5
    # A sub-criterion without a value leaves its weight out.
    assert indicator_values(dict(fields, **{"orientation.strategie": None}), subs)["orientation"] == 6
    b = book([("Ann", "2026-11", "activite", 7, None, 1), ("Ann", "2026-11", "efficacite", 6, None, 1),
              ("Ann", "2026-11", "orientation.cibles", 6, None, 1), ("Ann", "2026-11", "orientation.strategie", 3, None, 1)],
             subs)
    assert b.score("Ann", "2026-11") == 210
    # Before any sub-criterion is entered, the indicator's own record stands.
    only_own = book(rows_of("Ann", "2026-11", 7, 6, 5), subs)
    assert only_own.score("Ann", "2026-11") == 210 and only_own.scenario("Ann", "2026-11").score == 210


def test_team_ranking_average_and_weakest():
    b = book(rows_of("Bea", "2026-11", 7, 6, 5) + rows_of("Ann", "2026-11", 7, 6, 5) + rows_of("Cy", "2026-11", 8, 8, 8)
             + [("Dan", "2026-11", "activite", 5, None, 1)])
    team = b.team("2026-11")
    assert [r.rep for r in team.rows] == ["Cy", "Ann", "Bea", "Dan"]  # equal scores by name, no score last
    assert team.average_score == pytest.approx((512 + 210 + 210) / 3)
    assert team.rows[1].weakest == ("orientation",) and team.rows[0].weakest == IND


# ---- what-if -------------------------------------------------------------------------

def test_a_scenario_never_touches_the_book():
    b = book(rows_of("Claire", "2026-11", 7, 6, 5))
    sc = b.scenario("Claire", "2026-11")
    sc.set("orientation", 7)
    assert sc.score_recorded == 210 and sc.score == 294 and sc.change == pytest.approx(0.40)
    assert b.score("Claire", "2026-11") == 210 and b.cell("Claire", "2026-11", "orientation").value == 5
    assert sc.changes() == [("orientation", 5, 7, 1)]
    sc.set("activite", 7)  # the recorded value: not a change
    assert [c[0] for c in sc.changes()] == ["orientation"]


def test_what_if_writes_nothing_until_commit_then_undo_restores(ws):
    state = load_state(ws, CFG)
    sc = state.book.scenario("Claire Martin", "2026-11")
    sc.set("orientation", 7)
    stored = lambda: ws.db.execute(  # noqa: E731
        "SELECT value FROM activity WHERE rep = 'Claire Martin' AND period = '2026-11' AND indicator = 'orientation'").fetchone()[0]
    journal = ws.db.execute("SELECT count(*) FROM journal").fetchone()[0]
    assert stored() == 5 and ws.db.execute("SELECT count(*) FROM journal").fetchone()[0] == journal
    edits = commit_scenario(ws, sc)
    assert stored() == 7 and [e.key for e in edits] == [("Claire Martin", "2026-11", "orientation")]
    assert load_state(ws, CFG).book.score("Claire Martin", "2026-11") == 294
    ws.undo()
    assert stored() == 5


def test_a_stale_scenario_commits_nothing(ws):
    sc = load_state(ws, CFG).book.scenario("Claire Martin", "2026-11")
    sc.set("orientation", 7)
    sc.set("activite", 8)
    ws.edit("activity", ("Claire Martin", "2026-11", "orientation"), "value", 6.0)  # someone else, meanwhile
    from cockpit.store.workspace import Conflict

    with pytest.raises(Conflict):
        commit_scenario(ws, sc)
    assert ws.db.execute("SELECT value FROM activity WHERE rep = 'Claire Martin' AND period = '2026-11' "
                         "AND indicator = 'activite'").fetchone() == (7.0,)


# ---- suggestions from the log ------------------------------------------------------

def visit(i, rep, date, client=None, prospect=None, kind="visite", outcome="rien"):
    return Visit(i, date, rep, client, prospect, kind, outcome)


LOG = VisitLog([
    visit(1, "Ann", "2026-11-02", client=1, outcome="commande"),
    visit(2, "Ann", "2026-11-03", client=1, kind="appel"),
    visit(3, "Ann", "2026-11-04", client=2, outcome="rdv"),
    visit(4, "Ann", "2026-11-05", client=3, kind="appel"),
    visit(5, "Ann", "2026-11-06", prospect=10, outcome="rdv"),
    visit(6, "Ann", "2026-11-09", prospect=11, kind="appel"),
    visit(7, "Bob", "2026-11-09", client=1, outcome="commande"),  # another rep
    visit(8, "Ann", "2026-10-30", client=1, outcome="commande"),  # another month
])
TARGETS = Targets(frozenset({1}), frozenset({2}), frozenset({10}), potential=80, total_potential=100)


def test_suggestions_on_a_small_log_computed_by_hand():
    p = suggest(LOG, "Ann", ["2026-11"], Norms(10, 0.5), TARGETS)
    # 6 contacts (3 visits, 3 calls) against a norm of 10: 6.0
    assert p["activite"].value == 6.0
    assert p["activite"].basis == {"contacts": 6, "visits": 3, "calls": 3, "norm": 10.0, "months": 1}
    # 1 order + 2 appointments over 6 contacts = 50 %, the norm: 10
    assert p["efficacite"].value == 10.0 and p["efficacite"].basis["hits"] == 3
    # 4 of 6 contacts on targets (A twice, développement, hot prospect) = 66.7 %, against 80 % of the potential: 8.3
    assert p["orientation"].value == 8.3
    assert {k: p["orientation"].basis[k] for k in ("targets", "a", "dev", "hot", "contacts")} == \
        {"targets": 4, "a": 2, "dev": 1, "hot": 1, "contacts": 6}


def test_suggestions_scale_the_norm_to_the_period_and_cap_at_ten():
    p = suggest(LOG, "Ann", months_of("2026-Q4"), Norms(10, 0.5), TARGETS)
    # 7 contacts in the quarter; the log covers October and November only: 2 months of norm.
    assert p["activite"].value == round(10 * 7 / 20, 1) and p["activite"].basis["months"] == 2
    assert suggest(LOG, "Ann", ["2026-12"], Norms(10, 0.5), TARGETS)["activite"].value is None  # not logged yet
    assert suggest(LOG, "Ann", ["2026-11"], Norms(3, 0.5), TARGETS)["activite"].value == 10.0
    assert suggest(LOG, "Ann", ["2026-11"], Norms(10, 0.5, {"Ann": 12}), TARGETS)["activite"].value == 5.0
    empty = suggest(LOG, "Zoe", ["2026-11"], Norms(10, 0.5), TARGETS)
    assert empty["activite"].value == 0.0 and empty["efficacite"].value is None and empty["orientation"].value is None


def test_crossed_zone_is_the_methods_default_table():
    table = {(c, p): crossed_zone(c, p) for c, p in itertools.product("ABC", "ABC")}
    assert [table[(c, "A")] for c in "ABC"] == ["fond_de_commerce", "developpement", "developpement"]
    assert [table[(c, "B")] for c in "ABC"] == ["fond_de_commerce", "fond_de_commerce", "developpement"]
    assert [table[(c, "C")] for c in "ABC"] == ["fond_de_commerce", "gestion_economique", "gestion_economique"]
    assert crossed_zone("B", "A'") == "developpement"


def test_targets_are_a_clients_development_clients_and_hot_prospects():
    clients = [(1, "Alpha", 800, 1000), (2, "Beta", 100, 3000), (3, "Gamma", 60, 100), (4, "Delta", 40, None)]
    prospects = [(10, "chaud", 500), (11, "froid", 400), (12, "perdu", 9999), (13, "client", 50)]
    tg = target_accounts(clients, prospects, DEFAULT_LIMITS, ["chaud", "negociation"])
    # Alpha: A and A' (fond de commerce); Beta: B and A' (développement); Gamma: B and C'; Delta: no potential.
    assert tg.a_clients == {1} and tg.dev_clients == {2} and tg.hot_prospects == {10}
    assert (tg.potential, tg.total_potential) == (4500, 5000) and tg.share == 0.9


def test_sample_suggestions_for_claire(ws):
    state = load_state(ws, CFG)
    p = suggest(state.log, "Claire Martin", ["2026-11"], state.norms, state.targets)
    assert p["activite"].basis["contacts"] == 36 and p["activite"].value == 7.2  # 36 / 50
    assert p["efficacite"].basis["hits"] == 22 and p["efficacite"].value == 7.6  # 61 % / 80 %


# ---- storage: import, export, report -----------------------------------------------

def activity_rows(w):
    return w.db.execute("SELECT rep, period, indicator, value, target FROM activity ORDER BY 1, 2, 3").fetchall()


@pytest.fixture
def manager(db_path):
    """The team's record and ranking: a manager's (a rep's own are in test_team_cli.py)."""
    w = Workspace(db_path, who="nathalie")
    yield w
    w.close()


def test_export_then_import_gives_the_same_record(manager, tmp_path):
    ws = manager
    path = tmp_path / "activity.csv"
    assert export_activity(ws, CFG, path) == 24
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].startswith("Commercial;Période;Activité") and "Claire Martin;2026-11;7,0;6,0;5,0;210,0" in text
    fresh = Workspace(tmp_path / "fresh.sqlite", who="x")
    assert import_activity(fresh, read_records(path, "activity")) == 24
    assert activity_rows(fresh) == activity_rows(ws)


def test_a_bad_indicator_stops_the_whole_import(ws, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("Commercial;Mois;Activité;Orientation\nClaire Martin;11/2026;8;6\nClaire Martin;2026-10;12;5\n", encoding="utf-8")
    before = activity_rows(ws)
    with pytest.raises(InputError) as exc:
        import_activity(ws, read_records(path, "activity"))
    assert exc.value.line == 3 and exc.value.column == "Activité" and exc.value.value == "12"
    assert activity_rows(ws) == before


def test_visits_import_is_all_or_nothing_and_replaces_its_months(ws, tmp_path):
    count = lambda: ws.db.execute("SELECT count(*) FROM visits").fetchone()[0]  # noqa: E731
    company = ws.db.execute("SELECT company FROM prospects ORDER BY id LIMIT 1").fetchone()[0]
    sample = count()  # the sample's contact log
    bad = tmp_path / "bad.csv"
    bad.write_text("Date;Commercial;Code client;Prospect;Type;Résultat\n02/12/2026;Claire Martin;C001;;Visite;Commande\n"
                   "03/12/2026;Claire Martin;C999;;Appel;rien\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        import_visits(ws, read_records(bad, "visits"))
    assert exc.value.line == 3 and exc.value.column == "Code client" and count() == sample
    good = tmp_path / "good.csv"
    good.write_text(f"Date;Commercial;Code client;Prospect;Type;Résultat\n02/12/2026;Claire Martin;C001;;Visite;Commande\n"
                    f"03/12/2026;Claire Martin;;{company.upper()};tél;RDV\n", encoding="utf-8")
    assert import_visits(ws, read_records(good, "visits")) == 2
    assert import_visits(ws, read_records(good, "visits")) == 2
    assert count() == sample + 2  # re-importing December replaced it
    assert ws.db.execute("SELECT kind, outcome FROM visits WHERE rep = 'Claire Martin' AND date >= '2026-12' "
                         "ORDER BY date").fetchall() == \
        [("visite", "commande"), ("appel", "rdv")]


def test_a_contact_is_a_client_code_a_client_name_or_a_prospect():
    clients, prospects = {1: ("C001", "LORFLEX"), 2: ("C002", "MEQUISA"), 39: ("C039", "LORFLEX")}, {7: "Sanitaire Weber"}
    assert parties("c002", clients, prospects) == [(2, None)]
    assert parties("lorflex ", clients, prospects) == [(1, None), (39, None)]  # namesakes: the rep chooses
    assert parties("c039", clients, prospects) == [(39, None)]  # a code is one client
    assert parties("SANITAIRE WEBER", clients, prospects) == [(None, 7)]
    assert parties("nobody", clients, prospects) == []


def test_report_has_the_activity_section(manager):
    text = plain(report_lines(manager, CFG))
    assert "Activité — 2026-11" in text
    assert "2. Claire Martin : 7 × 6 × 5 = 210 · plus faible : Orientation" in text
    assert "Agir d'abord sur l'orientation : +1 point = +20 % (252)." in text
    assert "Moyenne de l'équipe" in text


def test_entered_visits_are_journaled(ws):
    from cockpit.activity.store import add_visit, delete_visit

    sample = ws.db.execute("SELECT count(*) FROM visits").fetchone()[0]
    edit = add_visit(ws, "2026-11-30", "Claire Martin", 1, None, "visite", "commande")
    visit_id = edit.key[0]
    assert ws.db.execute("SELECT count(*) FROM visits").fetchone()[0] == sample + 1
    ws.undo()
    assert ws.db.execute("SELECT count(*) FROM visits WHERE id = ?", (visit_id,)).fetchone()[0] == 0
    ws.redo()
    assert ws.db.execute("SELECT rep FROM visits WHERE id = ?", (visit_id,)).fetchone() == ("Claire Martin",)
    delete_visit(ws, visit_id)
    ws.undo()
    assert ws.db.execute("SELECT outcome FROM visits WHERE id = ?", (visit_id,)).fetchone() == ("commande",)


@pytest.mark.parametrize("text, key", [
    ("[activity]\nsub_criteria = { orientation = { cibles = 0 } }\n", "activity.sub_criteria"),
    ("[activity]\nsub_criteria = { vitesse = { a = 1 } }\n", "activity.sub_criteria"),
    ("[activity]\nhit_rate = 2\n", "activity.hit_rate"),
    ("[activity]\nrep_contacts_per_month = { \"Ann\" = -3 }\n", "activity.rep_contacts_per_month"),
])
def test_bad_activity_config_is_named(tmp_path, text, key):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(config.ConfigError) as exc:
        config.load(path)
    assert key in str(exc.value)


def test_sqlite_is_untouched_by_loading(db_path):
    before = sqlite3.connect(db_path).execute("SELECT count(*) FROM journal").fetchone()
    w = Workspace(db_path, who="claire")
    load_state(w, CFG)
    w.close()
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM journal").fetchone() == before


def test_cli_imports_and_exports_activity(db_path, tmp_path, capsys):
    from cockpit.cli import main

    out = tmp_path / "out.csv"
    (tmp_path / "none.toml").touch()  # an explicit --config must exist: an empty one is the defaults
    assert main(["--db", str(db_path), "--config", str(tmp_path / "none.toml"), "export", "activity", str(out)]) == 0
    assert out.read_text(encoding="utf-8-sig").count("\n") == 25
    assert main(["--db", str(db_path), "--config", str(tmp_path / "none.toml"), "import", "activity", str(out)]) == 0
    bad = tmp_path / "visits.csv"
    bad.write_text("date,rep,client_code,prospect,kind,outcome\n2026-12-01,claire,C001,,visite,peut-être\n", encoding="utf-8")
    assert main(["--db", str(db_path), "--config", str(tmp_path / "none.toml"), "import", "visits", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ligne 2" in err and "outcome" in err and "commande, rdv ou rien" in err
