"""The shipped sample data: exact 2025 figures, portfolio dynamics, integrity, determinism."""
import csv
import re
import subprocess
import sys
from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "sample_data"
FILES = ["clients.csv", "sales.csv", "prospects.csv", "stage_history.csv",
         "qualification.csv", "activity.csv", "visits.csv", "client_actions.csv", "zone_answers.csv", "reps.csv"]
FUNNEL = ["suspect", "prospect", "froid", "tiede", "chaud", "negociation", "client", "fidele"]
ISO = re.compile(r"\d{4}-\d{2}-\d{2}$")
MONEY = re.compile(r"-?\d+(\.\d{1,2})?$")


def read(name):
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def totals():
    """(client_code, year) -> revenue total, as Decimal."""
    out = defaultdict(Decimal)
    for row in read("sales.csv"):
        out[row["client_code"], int(row["date"][:4])] += Decimal(row["revenue"])
    return out


def clients_of(totals, year):
    """Clients of a year: net amount positive (METHOD §2; a year of credit notes is not a purchase)."""
    return {code for (code, y), v in totals.items() if y == year and v > 0}


def test_clients_follow_seed_order_and_names():
    seed, clients = read("seed-portfolio.csv"), read("clients.csv")
    assert len(seed) == 45
    for s, c in zip(seed, clients):
        assert c["code"] == f"C{int(s['rank']):03d}"
        assert c["name"] == s["name"]
    groups = {c["name"]: c["group"] for c in clients}
    assert groups["LORFLEX CHENOVE"] == "LORFLEX" and groups["MILER VERDUN"] == "MILER"
    assert groups["CEDEO NANCY"] == "CEDEO" and groups["BROSSETTE DIJON"] == "BROSSETTE"
    assert groups["MEQUISA"] == "MEQUISA"
    assert len({c["code"] for c in clients}) == len(clients)
    assert sum(1 for c in clients[:45] if c["potential"] == "") == 4


def test_2025_matches_seed_to_the_cent(totals):
    for s in read("seed-portfolio.csv"):
        assert totals[f"C{int(s['rank']):03d}", 2025] == Decimal(s["revenue"]), s["name"]
    assert sum(v for (c, y), v in totals.items() if y == 2025) == Decimal("1061077.00")
    assert len(clients_of(totals, 2025)) == 45


def test_sales_format():
    rows = read("sales.csv")
    assert {int(r["date"][:4]) for r in rows} == {2023, 2024, 2025}
    for r in rows:
        assert ISO.match(r["date"]) and MONEY.match(r["revenue"]) and MONEY.match(r["margin"])
        rev, margin = abs(Decimal(r["revenue"])), abs(Decimal(r["margin"]))
        assert rev * Decimal("0.15") - Decimal("0.01") <= margin <= rev * Decimal("0.35") + Decimal("0.01")
    assert len({r["product"] for r in rows}) in (4, 5)


def test_new_lost_returning_and_negative(totals):
    c23, c24, c25 = (clients_of(totals, y) for y in (2023, 2024, 2025))
    assert c25 - c24, "new clients in 2025"
    assert c24 - c25, "lost clients in 2025"
    assert (c23 - c24) & c25, "a client leaves in 2024 and comes back in 2025"
    assert [c for (c, y), v in totals.items() if y == 2024 and v < 0], "negative 2024 total"
    for prev, cur in ((c23, c24), (c24, c25)):
        churn = len(prev - cur) / len(prev)
        assert 0.08 <= churn <= 0.16, churn
    lost = {c["code"] for c in read("clients.csv")} - c25
    assert lost and all(int(code[1:]) > 45 for code in lost)


def test_references_exist():
    codes = {c["code"] for c in read("clients.csv")}
    companies = [p["company"] for p in read("prospects.csv")]
    assert len(set(companies)) == len(companies)
    assert {r["client_code"] for r in read("sales.csv")} <= codes
    for v in read("visits.csv"):
        assert bool(v["client_code"]) != bool(v["prospect"])
        assert v["client_code"] in codes | {""} and v["prospect"] in set(companies) | {""}
    assert {r["company"] for r in read("stage_history.csv")} == set(companies)
    assert {r["company"] for r in read("qualification.csv")} <= set(companies)


def test_funnel_narrows_and_every_stage_present():
    prospects = read("prospects.csv")
    counts = Counter(p["stage"] for p in prospects)
    assert set(counts) == set(FUNNEL) | {"perdu"}
    assert all(counts[a] >= counts[b] for a, b in zip(FUNNEL, FUNNEL[1:]))
    assert {p["source"] for p in prospects} == {"fichier", "communication", "réseau",
                                                "recommandation", "ricochet"}
    assert all(p["potential"] == "" for p in prospects if p["stage"] == "suspect")
    assert all(re.match(r"0\d( \d\d){4}$", p["phone"]) for p in prospects)
    assert any("[" in p["notes"] for p in prospects)
    due = [p["next_action_date"] for p in prospects if p["next_action_date"]]
    assert min(due) < "2026-11-29" < max(due) and "2026-11-29" in due


def test_stage_history_is_ordered_and_ends_at_current_stage():
    history = defaultdict(list)
    for r in read("stage_history.csv"):
        history[r["company"]].append((r["stage"], r["date"]))
    for p in read("prospects.csv"):
        steps = history[p["company"]]
        assert steps[0] == ("suspect", p["created"]) and steps[-1][0] == p["stage"]
        dates = [d for _, d in steps]
        assert dates == sorted(dates)
        stages = [s for s, _ in steps if s != "perdu"]
        assert stages == FUNNEL[:len(stages)]


def test_qualification_scores():
    rows = read("qualification.csv")
    # projet, dernier_achat and potentiel are answered by the record (METHOD §5): no typed score contradicts it.
    assert {r["criterion"] for r in rows} == {"taille", "connaissance", "receptivite", "moment"}
    assert all(0 <= int(r["score"]) <= 5 for r in rows)
    stage = {p["company"]: p["stage"] for p in read("prospects.csv")}
    assert all(stage[r["company"]] not in ("suspect", "prospect") for r in rows)


def test_activity_has_the_deck_example():
    rows = read("activity.csv")
    assert len({r["rep"] for r in rows}) == 4
    claire = next(r for r in rows if r["rep"] == "Claire Martin" and r["period"] == "2026-11")
    assert [float(claire[k]) for k in ("activite", "efficacite", "orientation")] == [7, 6, 5]
    assert all(0 <= float(r[k]) <= 10 for r in rows for k in r if k not in ("rep", "period"))


def test_regeneration_is_byte_identical(tmp_path):
    subprocess.run([sys.executable, str(DATA / "make_sample.py"), "--out", str(tmp_path)],
                   check=True)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name


def test_one_churn_definition_in_code_docs_and_readme(totals, sample_db):
    """METHOD §2: a client counts in a year when its net amount is positive.
    The reference walks sales.csv; the code's evolution, this folder's README
    and docs/METHOD.md say the same."""
    import math
    from fractions import Fraction

    from cockpit import config
    from cockpit.portfolio import periods
    from cockpit.portfolio.evolution import half_life, mean_churn, portfolio_evolution
    from cockpit.io.exports import clients_table
    from cockpit.portfolio.strategy import load_strategy
    from cockpit.store.workspace import Workspace

    years = (2023, 2024, 2025)
    members = {y: clients_of(totals, y) for y in years}
    churn = {y: Fraction(len(members[y - 1] - members[y]), len(members[y - 1])) for y in years[1:]}
    lost = sum(len(members[y - 1] - members[y]) for y in years[1:])
    mean = Fraction(lost, sum(len(members[y - 1]) for y in years[1:]))
    life = math.log(0.5) / math.log(1 - float(mean))
    assert [len(members[y]) for y in years] == [44, 43, 45] and "C043" not in members[2024]

    ws = Workspace(sample_db)
    changes = portfolio_evolution(periods.amounts_by_period(ws.db, "revenue", False))
    assert [c.clients for c in changes] == [len(members[y]) for y in years]
    assert [c.churn for c in changes[1:]] == [float(churn[y]) for y in years[1:]]
    assert mean_churn(changes) == float(mean) and half_life(mean_churn(changes)) == life

    readme = " ".join((DATA / "README.md").read_text(encoding="utf-8").split())
    for y in years[1:]:
        assert f"{y}: {len(members[y])}" in readme
        assert f"churn {float(churn[y]) * 100:.1f} %" in readme
    assert f"churn {float(mean) * 100:.1f} %, half-life {life:.1f} years" in readme
    method = " ".join((DATA.parent / "docs" / "METHOD.md").read_text(encoding="utf-8").split())
    assert "a client counts in a period when its net amount in that period is positive" in method

    # The 2024 ABC export lists CEDEO NANCY, class C, with no share of wallet (was −154 %).
    _, strategy, _ = load_strategy(ws, config.DEFAULTS, period="2024")
    headers, rows = clients_table(strategy)
    row = next(r for r in rows if r[headers.index("code")] == "C043")
    assert row[headers.index("class")] == "C" and row[headers.index("share_of_wallet")] is None
    ws.close()
