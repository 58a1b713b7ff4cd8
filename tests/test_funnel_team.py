"""A team's funnel (METHOD §5, §8), through ``cockpit report`` on real SQLite
workspaces, against a slow reference in fractions written from METHOD:

- every prospect has reached suspect, the potential market: one imported
  lost (its history only "perdu") counts there, entered on its first date;
- the stage probabilities are the workspace's, whatever the viewer: a rep's
  weighted pipeline is Σ potential × the team's P(stage) over their own open
  prospects, so the reps' pipelines add up to the team's;
- a pipeline is rounded once, to the euro shown, and the by-source rows shown
  add up to the total shown (largest remainder)."""

from __future__ import annotations

import datetime as dt
import math
import re
import sqlite3
from fractions import Fraction
from pathlib import Path

import pytest

from cockpit import cli, config
from cockpit.i18n import money, pct
from cockpit.prospects.book import Book
from cockpit.prospects.team import load_book
from cockpit.store.workspace import Workspace

TODAY = dt.date(2026, 12, 6)  # the tests' clock (conftest)
FUNNEL = ["suspect", "prospect", "froid", "tiede", "chaud", "negociation", "client", "fidele"]
FALLBACK = {k: Fraction(str(v)) for k, v in config.DEFAULTS.prospects.probability_fallback.items()}


# ---- the reference, from METHOD §5 -------------------------------------------------------

def rank(stage: str) -> int | None:
    return FUNNEL.index(stage) if stage in FUNNEL else None


def ref_history(rows: list[tuple[str, dt.date]], current: str, created: dt.date) -> list[tuple[str, dt.date]]:
    """The stages gone through: cut after the last entry into the current stage
    (an undone change leaves rows behind), or the current one added."""
    last = [i for i, (s, _) in enumerate(rows) if s == current]
    return rows[: last[-1] + 1] if last else rows + [(current, rows[-1][1] if rows else created)]


def ref_reached(current: str, steps) -> int:
    """Suspect is the potential market: every prospect has reached it."""
    ranks = [r for r in [rank(s) for s, _ in steps] + [rank(current)] if r is not None]
    return max(ranks + [0])


def ref_entered(steps, r: int) -> dt.date | None:
    """The day it entered stage ``r`` or a later one; suspect: its first known day."""
    days = [d for s, d in steps if r == 0 or (rank(s) is not None and rank(s) >= r)]
    return min(days, default=None)


def ref_probabilities(team, rule: str, maturity: int, min_history: int, today: dt.date) -> list[tuple[Fraction, bool]]:
    """P(stage) over ``team`` = [(current stage, steps)], one prospect at a time."""
    out = []
    for r, stage in enumerate(FUNNEL):
        behind = hits = 0
        for current, steps in team:
            reached = ref_reached(current, steps)
            if reached < r:
                continue
            won, lost = reached >= FUNNEL.index("client"), current == "perdu"
            if rule == "decided":
                behind += won or lost
                hits += won
            elif (today - ref_entered(steps, r)).days >= maturity:
                behind += 1
                hits += won
        out.append((Fraction(hits, behind), True) if behind >= min_history and behind else (FALLBACK[stage], False))
    return out


def ref_read(path: Path) -> list[dict]:
    """Every prospect with its history, read straight from the tables."""
    db = sqlite3.connect(path)
    rows = {}
    for pid, stage, date in db.execute("SELECT prospect_id, stage, date FROM stage_history ORDER BY rowid"):
        rows.setdefault(pid, []).append((stage, dt.date.fromisoformat(date)))
    contact = dict(db.execute("SELECT prospect_id, max(date) FROM visits WHERE prospect_id IS NOT NULL GROUP BY 1"))
    out = []
    for pid, stage, created, owner, source, potential in db.execute(
            "SELECT id, stage, created, owner, source, potential FROM prospects ORDER BY id"):
        steps = ref_history(rows.get(pid, []), stage, dt.date.fromisoformat(created))
        last = max([d for _, d in steps] + ([dt.date.fromisoformat(contact[pid])] if pid in contact else []))
        out.append(dict(stage=stage, steps=steps, owner=owner, source=source, potential=potential or 0,
                        dormant=(TODAY - last).days >= 180))
    db.close()
    return out


def ref_pipeline(prospects: list[dict], probs) -> Fraction:
    """Cents: Σ potential × P(stage) over the open prospects that are not dormant."""
    return sum((Fraction(max(p["potential"], 0)) * probs[rank(p["stage"])][0] for p in prospects
                if rank(p["stage"]) is not None and rank(p["stage"]) < FUNNEL.index("client") and not p["dormant"]),
               Fraction(0))


def euros(cents: Fraction) -> str:
    """Rounded once, to the euro shown (half to even, as the cockpit's money)."""
    return money(round(cents / 100) * 100)


# ---- workspaces ---------------------------------------------------------------------------

def fill(path: Path, prospects: list[dict]) -> None:
    """The sample's clients and reps, these prospects only: each with its steps
    [(stage, days ago)], owner, source, potential (cents) and last contact."""
    db = sqlite3.connect(path)
    for table in ("qualification", "stage_history", "journal"):
        db.execute(f"DELETE FROM {table}")
    db.execute("DELETE FROM visits WHERE prospect_id IS NOT NULL")
    db.execute("DELETE FROM prospects")
    for i, p in enumerate(prospects, 1):
        steps = [(s, (TODAY - dt.timedelta(days=d)).isoformat()) for s, d in p["steps"]]
        db.execute("INSERT INTO prospects(id, company, source, stage, potential, created, owner) VALUES (?,?,?,?,?,?,?)",
                   (i, f"P{i:03d}", p.get("source", "fichier"), steps[-1][0], p.get("potential"), steps[0][1],
                    p.get("owner", "claire")))
        db.executemany("INSERT INTO stage_history(prospect_id, stage, date) VALUES (?,?,?)", [(i, *s) for s in steps])
        if p.get("contact") is not None:
            db.execute("INSERT INTO visits(date, rep, prospect_id, kind, outcome) VALUES (?,?,?,?,?)",
                       ((TODAY - dt.timedelta(days=p["contact"])).isoformat(), p.get("owner", "claire"), i, "call", "ok"))
    db.commit()
    db.close()


def won(start: int) -> list[tuple[str, int]]:
    return [(s, start - 10 * k) for k, s in enumerate(FUNNEL[:7])]


def report(path: Path, *args: str, settings: str = "", capsys) -> str:
    cfg = path.parent / "config.toml"
    cfg.write_text(f"[prospects]\n{settings}\n", encoding="utf-8")
    # A team's workspace: its figure settings are the workspace's, stored as a team stores them (METHOD §8).
    assert cli.main(["--db", str(path), "--config", str(cfg), "settings", "--save"]) == 0
    capsys.readouterr()
    assert cli.main(["--db", str(path), "--config", str(cfg), *args, "report"]) == 0
    return capsys.readouterr().out


def pipeline_shown(text: str) -> str:
    return re.search(r"Pipeline pondéré (.+?) sur ", text).group(1)


def funnel_row(text: str, stage: str) -> list[str]:
    line = next(line for line in text.splitlines() if line.startswith(stage + " "))
    return re.split(r"\s{2,}", line.strip())


# ---- 1. a lost prospect reached suspect ------------------------------------------------

@pytest.mark.parametrize("rule", ["funnel", "decided"])
def test_prospects_imported_lost_count_at_suspect(db_path, tmp_path, capsys, rule):
    """10 won and 10 lost imported: half of the market became clients, not all of it."""
    fill(db_path, [])
    csv = tmp_path / "p.csv"
    csv.write_text("Société;Étape\n" + "".join(f"Gagné {i};client\nPerdu {i};perdu\n" for i in range(10)),
                   encoding="utf-8")
    (tmp_path / "none.toml").touch()
    capsys.readouterr()
    assert cli.main(["--db", str(db_path), "--config", str(tmp_path / "none.toml"), "import", "prospects", str(csv)]) == 0
    text = report(db_path, settings=f'probability_rule = "{rule}"\nmaturity_days = 0', capsys=capsys)
    # Stage, now, reached, → next, days, probability, basis
    assert funnel_row(text, "Suspect")[2:] == ["20", pct(0.5, 0), "—", pct(0.5, 0), "20"]
    team = [(p["stage"], p["steps"]) for p in ref_read(db_path)]
    assert ref_probabilities(team, rule, 0, 10, TODAY)[0] == (Fraction(1, 2), True)


ODD = [  # histories the cockpit did not write itself, each with what it reached
    dict(steps=[("perdu", 300)]),  # imported lost
    dict(steps=[("client", 300)]),  # imported won: every stage up to client
    dict(steps=[("fidele", 300)]),
    dict(steps=[("perdu", 300), ("prospect", 250)], potential=100_000, contact=1),  # lost, then revived
    dict(steps=[("perdu", 300), ("client", 250)]),
]


@pytest.mark.parametrize("rule", ["funnel", "decided"])
def test_odd_histories_against_the_reference(db_path, tmp_path, rule):
    fill(db_path, ODD * 3)
    ws = Workspace(db_path)
    section = {**config.DEFAULTS.prospects, "probability_rule": rule, "min_history": 1}
    f = load_book(ws, section, TODAY).funnel(TODAY)
    ws.close()
    team = [(p["stage"], p["steps"]) for p in ref_read(db_path)]
    ref = ref_probabilities(team, rule, 180, 1, TODAY)
    assert [(Fraction(s.probability).limit_denominator(1000), s.measured) for s in f.stages] == ref
    assert [s.reached for s in f.stages] == [15, 12, 9, 9, 9, 9, 9, 3]
    assert f.pipeline_exact == ref_pipeline(ref_read(db_path), ref)


# ---- 2. the team's probabilities, whatever the viewer -------------------------------------

TEAM = ([dict(owner="claire", steps=won(400), potential=500_000)] * 6
        + [dict(owner="claire", steps=[("suspect", 400), ("prospect", 390), ("perdu", 380)])] * 6
        + [dict(owner="julien", steps=[("suspect", 400), ("perdu", 380)])] * 12
        + [dict(owner="claire", steps=[("suspect", 10)], potential=1_000_000, contact=2, source="salon")] * 3
        + [dict(owner="julien", steps=[("suspect", 10)], potential=1_000_000, contact=2)] * 6
        # Too few of her own to measure anything: the team's history measures her stages.
        + [dict(owner="sophie", steps=[("suspect", 20)], potential=333_333, contact=1)] * 2)


@pytest.mark.parametrize("rule", ["funnel", "decided"])
def test_the_reps_pipelines_add_up_to_the_teams(db_path, capsys, rule):
    fill(db_path, TEAM)
    prospects = ref_read(db_path)
    probs = ref_probabilities([(p["stage"], p["steps"]) for p in prospects], rule, 180, 10, TODAY)
    assert probs[0] == (Fraction(1, 4), True)  # 6 won of the 24 that entered suspect 180 days ago (or decided)
    settings = f'probability_rule = "{rule}"'
    team = report(db_path, "--rep", "nathalie", settings=settings, capsys=capsys)  # the manager: the team's
    assert pipeline_shown(team) == euros(ref_pipeline(prospects, probs))
    total = Fraction(0)
    for rep in ("claire", "julien", "sophie"):
        mine = [p for p in prospects if p["owner"] == rep]
        text = report(db_path, "--rep", rep, settings=settings, capsys=capsys)
        assert pipeline_shown(text) == euros(ref_pipeline(mine, probs)), rep
        row = funnel_row(text, "Suspect")
        # Counts are the rep's own, the probability and what it rests on the team's.
        assert row[2] == str(len(mine)) and row[-2:] == [pct(probs[0][0], 0), "24"], rep
        assert "Probabilité (équipe)" in text, rep
        total += ref_pipeline(mine, probs)
    assert total == ref_pipeline(prospects, probs)
    assert "(équipe)" not in team  # the team's own view: nothing to say


def test_a_reps_book_weighs_with_the_teams_probabilities(db_path):
    fill(db_path, TEAM)
    ws = Workspace(db_path)
    section = config.DEFAULTS.prospects
    team = load_book(ws, section, TODAY)
    parts = {rep: load_book(ws, section, TODAY, rep) for rep in ("claire", "julien", "sophie")}
    ws.close()
    assert [len(b) for b in parts.values()] == [15, 18, 2]
    whole = team.funnel(TODAY)
    assert not whole.team_probabilities
    for book in parts.values():
        f = book.funnel(TODAY)
        assert f.team_probabilities and book.probabilities(TODAY) == team.probabilities(TODAY)
        assert [(s.probability, s.measured, s.basis) for s in f.stages] == \
            [(s.probability, s.measured, s.basis) for s in whole.stages]
        # The rep's by-source rows weigh the same way: they add up to the rep's pipeline.
        assert sum(part.pipeline_exact for part in book.by_source(TODAY).values()) == f.pipeline_exact
    assert sum(b.funnel(TODAY).pipeline_exact for b in parts.values()) == whole.pipeline_exact
    # Without the others the rep's book measures over their own prospects only (sophie: defaults).
    alone = Book(parts["sophie"].prospects, section, TODAY).funnel(TODAY)
    assert not any(s.measured for s in alone.stages)


# ---- 3. rounded once, the rows shown add up ------------------------------------------------

HISTORY = [dict(source="passé", steps=won(400), potential=500_000)] * 4 + \
    [dict(source="passé", steps=[("suspect", 400), ("perdu", 380)])] * 8  # P(suspect) = 4 / 12


def test_the_rows_shown_add_up_to_the_total_shown(db_path, capsys):
    fill(db_path, HISTORY + [dict(source=s, steps=[("suspect", 10)], potential=10_000, contact=2) for s in "ABC"])
    text = report(db_path, "--rep", "nathalie", capsys=capsys)
    assert pipeline_shown(text) == money(10_000)  # 3 × 33,33 €
    start = text.index("Par source")
    rows = {line.split()[0]: line.rsplit(None, 2)[-2] for line in text[start:].splitlines()[2:6]}
    assert sorted(rows.values()) == ["0", "33", "33", "34"]  # 100 €, the largest remainder to the first


def test_the_total_is_rounded_once(db_path, capsys):
    # 301,51 € × 1/3 = 100,503… €: 101 €, not 100,50 € rounded again to 100 €.
    fill(db_path, HISTORY + [dict(source="A", steps=[("suspect", 10)], potential=30_151, contact=2)])
    text = report(db_path, "--rep", "nathalie", capsys=capsys)
    assert pipeline_shown(text) == money(10_100)
    assert text[text.index("Par source"):].splitlines()[3].split()[-2:] == ["101", "€"]


def test_apportioned_rows_match_the_reference():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from cockpit.prospects.funnel import shown_rows

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.fractions(min_value=0, max_value=10**7, max_denominator=1000), min_size=1, max_size=8))
    def check(exact):
        got = shown_rows(exact)
        total = round(sum(exact, Fraction(0)) / 100)
        assert sum(got) == total * 100 and all(g % 100 == 0 for g in got)
        # Each row moves by less than a euro from its exact value; the ones raised had the largest remainders.
        assert all(abs(Fraction(g) - e) < 100 for g, e in zip(got, exact))
        floors = [math.floor(e / 100) for e in exact]
        up = [i for i, (g, fl) in enumerate(zip(got, floors)) if g // 100 > fl]
        rest = [e / 100 - fl for e, fl in zip(exact, floors)]
        assert len(up) == total - sum(floors)
        assert all(rest[i] >= rest[j] for i in up for j in range(len(exact)) if j not in up)
    check()
