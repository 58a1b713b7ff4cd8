"""Qualification scored from the record (METHOD §5), against a slow reference
in fractions: the record's fields give the criteria they answer, a typed
score overrides and is flagged when it contradicts, the sample agrees."""

from __future__ import annotations

import calendar
import copy
import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit import config
from cockpit.prospects.book import Book
from cockpit.prospects.qualification_record import months_between
from cockpit.prospects.store import Prospect, load_prospects
from cockpit.store.workspace import Workspace

TODAY = dt.date(2026, 11, 29)
SECTION = config.thaw(config.DEFAULTS.prospects)  # plain values a test may change
OPEN = ("suspect", "prospect", "froid", "tiede", "chaud", "negociation")


def ref_months(earlier: dt.date, later: dt.date) -> int:
    """Calendar months from ``earlier`` to ``later``, stepped one at a time: the
    k-th is over on the same day k months on, or on that month's last day when
    the month is shorter (bought on 31 January: a month on 28 February)."""
    k = 0
    while True:
        year, month = divmod(earlier.year * 12 + earlier.month - 1 + k + 1, 12)
        anniversary = dt.date(year, month + 1, min(earlier.day, calendar.monthrange(year, month + 1)[1]))
        if anniversary > later:
            return k
        k += 1


def ref_record(p: Prospect, today: dt.date) -> dict[str, int]:
    """The bands of config.toml, walked by hand: potential in euros, whole
    calendar months since the last purchase, project yes/no."""
    out = {"projet": 3 if p.has_project else 0}
    if p.potential is not None and p.potential >= 0:
        out["potentiel"] = sum(Fraction(p.potential, 100) >= x for x in (5000, 10000, 25000, 50000, 100000))
    if p.last_purchase:
        bought = dt.date.fromisoformat(p.last_purchase)
        months = ref_months(bought, today) if bought <= today else 0
        out["dernier_achat"] = sum(months >= x for x in (6, 12, 24, 36, 60))
    return out


def ref_cells(prospects: list[Prospect], today: dt.date) -> list[tuple[int, int] | None]:
    """Matrix cell per prospect: weighted mean per axis of the effective scores (typed over record)."""
    out = []
    for p in prospects:
        scores = {**ref_record(p, today), **p.scores}
        levels = []
        for axis, cuts in (("potential", SECTION["potential_cuts"]), ("accessibility", SECTION["accessibility_cuts"])):
            num = den = Fraction(0)
            for c in SECTION["criteria"]:
                if c["axis"] == axis and c["key"] in scores:
                    top = len(c["levels_fr"]) - 1
                    num += Fraction(c["weight"]) * Fraction(min(max(scores[c["key"]], 0), top)) / top
                    den += Fraction(c["weight"])
            share = num / den if den else None
            levels.append(None if share is None else 2 if share >= Fraction(str(cuts[1]))
                          else 1 if share >= Fraction(str(cuts[0])) else 0)
        out.append(None if None in levels else (levels[0], levels[1]))
    return out


def test_sample_is_consistent_with_its_records(sample_db):
    ws = Workspace(sample_db)
    prospects = load_prospects(ws)
    ws.close()
    book = Book(prospects, copy.deepcopy(SECTION), TODAY)
    assert book.contradictions == []  # the sample no longer types scores the record contradicts
    assert not any(k in p.scores for p in prospects for k in ("projet", "dernier_achat", "potentiel"))
    cells = ref_cells(prospects, TODAY)
    assert [book.cell(i) for i in range(len(prospects))] == cells
    first = sorted((i for i, p in enumerate(prospects) if p.stage in OPEN and cells[i] == (2, 2)),
                   key=lambda i: (-(prospects[i].potential or 0), i))
    assert book.call_first() == first
    # Chauffage Chevalier Charleville: bought 2026-07-08, 18 500 €, no project: not a high potential.
    chevalier = next(i for i, p in enumerate(prospects) if p.company == "Chauffage Chevalier Charleville")
    assert ref_record(prospects[chevalier], TODAY) == {"projet": 0, "potentiel": 2, "dernier_achat": 0}
    assert chevalier not in book.call_first()


def test_the_report_names_the_call_first_prospects_of_the_reference(db_path):
    from cockpit.prospects.report import prospects_report

    ws = Workspace(db_path)
    prospects = load_prospects(ws)
    cells = ref_cells(prospects, TODAY)
    first = sorted((p for i, p in enumerate(prospects) if p.stage in OPEN and cells[i] == (2, 2)),
                   key=lambda p: -(p.potential or 0))
    text = "\n".join(prospects_report(ws, config.DEFAULTS, TODAY))
    assert "Appeler d'abord : " + first[0].company in text
    ws.close()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.none() | st.integers(0, 30_000_000), st.none() | st.integers(0, 4000),
                          st.dictionaries(st.sampled_from(["projet", "potentiel", "dernier_achat", "taille", "moment"]),
                                          st.integers(0, 5), max_size=3)), min_size=1, max_size=15))
def test_typed_scores_override_the_record_and_are_flagged_when_they_contradict(rows):
    prospects = [Prospect(i, f"P{i}", stage="froid", has_project=proj, potential=pot,
                          last_purchase=None if days is None else (TODAY - dt.timedelta(days=days)).isoformat(),
                          scores={k: float(v) for k, v in typed.items()})
                 for i, (proj, pot, days, typed) in enumerate(rows)]
    book = Book(prospects, copy.deepcopy(SECTION), TODAY)
    assert [book.cell(i) for i in range(len(prospects))] == ref_cells(prospects, TODAY)
    expected = []
    for i, p in enumerate(prospects):
        for key, value in ref_record(p, TODAY).items():
            typed = p.scores.get(key)
            if typed is None:
                continue
            says_otherwise = (typed > 0) != (value > 0) if key == "projet" else typed != value
            if says_otherwise:
                expected.append((i, key, typed, value))
    assert [(c.index, c.key, c.hand, c.from_record) for c in book.contradictions] == expected


@settings(max_examples=500, deadline=None)
@given(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)), st.integers(0, 400 * 31))
def test_months_are_calendar_months(earlier, days):
    later = earlier + dt.timedelta(days=days)
    assert months_between(earlier, later) == ref_months(earlier, later)


def test_months_at_the_ends_of_months():
    D = dt.date
    assert months_between(D(2025, 12, 7), D(2026, 12, 7)) == 12  # a year to the day: 12, not 11,99
    assert months_between(D(2025, 12, 7), D(2026, 12, 6)) == 11  # the day not yet reached does not count
    assert months_between(D(2027, 1, 31), D(2027, 2, 28)) == 1  # February's last day ends the month
    assert months_between(D(2027, 1, 31), D(2027, 2, 27)) == 0
    assert months_between(D(2028, 1, 31), D(2028, 2, 28)) == 0 and months_between(D(2028, 1, 31), D(2028, 2, 29)) == 1
    assert months_between(D(2027, 1, 31), D(2027, 3, 30)) == 1 and months_between(D(2027, 1, 31), D(2027, 3, 31)) == 2
    assert months_between(D(2024, 2, 29), D(2025, 2, 28)) == 12  # a leap day's year is over on 28 February
    assert months_between(D(2024, 2, 29), D(2025, 2, 27)) == 11
    assert months_between(D(2027, 3, 1), D(2027, 2, 1)) == 0  # a purchase dated ahead: none elapsed


def test_a_purchase_a_year_ago_to_the_day_is_in_the_twelve_months_band(db_path):
    """The record and a hand score of the same band agree: nothing is flagged."""
    ws = Workspace(db_path)
    pid = ws.db.execute("SELECT min(id) FROM prospects WHERE stage = 'froid'").fetchone()[0]
    ws.db.execute("UPDATE prospects SET last_purchase = '2025-11-29' WHERE id = ?", (pid,))
    ws.db.execute("DELETE FROM qualification WHERE prospect_id = ? AND criterion = 'dernier_achat'", (pid,))
    ws.db.execute("INSERT INTO qualification(prospect_id, criterion, score) VALUES (?, 'dernier_achat', 2)", (pid,))
    ws.db.commit()
    book = Book(load_prospects(ws), copy.deepcopy(SECTION), TODAY)
    ws.close()
    i = book.index_of(pid)
    assert book.record_score(i, "dernier_achat") == 2.0  # 12 months: the second band (12 to 24)
    assert not book.contradicted(i, "dernier_achat")
