"""Qualification scored from the record (METHOD §5), against a slow reference
in fractions: the record's fields give the criteria they answer, a typed
score overrides and is flagged when it contradicts, the sample agrees."""

from __future__ import annotations

import copy
import datetime as dt
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit import config
from cockpit.prospects.book import Book
from cockpit.prospects.store import Prospect, load_prospects
from cockpit.store.workspace import Workspace

TODAY = dt.date(2026, 11, 29)
SECTION = config.thaw(config.DEFAULTS.prospects)  # plain values a test may change
OPEN = ("suspect", "prospect", "froid", "tiede", "chaud", "negociation")


def ref_record(p: Prospect, today: dt.date) -> dict[str, int]:
    """The bands of config.toml, walked by hand: potential in euros, months
    since the last purchase (days × 12 / 365.25), project yes/no."""
    out = {"projet": 3 if p.has_project else 0}
    if p.potential is not None and p.potential >= 0:
        out["potentiel"] = sum(Fraction(p.potential, 100) >= x for x in (5000, 10000, 25000, 50000, 100000))
    if p.last_purchase:
        months = Fraction((today - dt.date.fromisoformat(p.last_purchase)).days * 12) / Fraction("365.25")
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
