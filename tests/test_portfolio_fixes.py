"""Four portfolio defects, each checked through the real interface (`cockpit
abc`, `cockpit report`, `cockpit export`) against a slow reference written
from METHOD §1 with exact fractions, never with the cockpit's own code:

1. class shares are shares of the positive total, so they add up to 100 %;
   the clients at or below zero are in C, counted and flagged apart;
2. groups tie by (name, id) whatever their kind (a client without a group is
   a group of its own, keyed by its code);
3. sums past int64 are refused in one sentence, never printed wrapped;
4. in margin mode every export header says margin, never revenue."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from cockpit import i18n

ROOT = Path(__file__).resolve().parent.parent
A_LIMIT, B_LIMIT = Fraction(4, 5), Fraction(19, 20)
INT64_MAX = 2**63 - 1


# ---- the reference (METHOD §1) ------------------------------------------------

def ref_rank(rows: list[tuple[str, str, int]]) -> list[tuple[str, str, int, str]]:
    """(id, name, cents, class) in rank order: amount largest first, then
    name, then id, both in code-point order; a class by the positive
    cumulative share of the clients ranked before, C at or below zero."""
    ranked = sorted(rows, key=lambda r: (-r[2], r[1], r[0]))
    total = sum(c for _, _, c in ranked if c > 0)
    out, before = [], 0
    for ident, name, cents in ranked:
        share = Fraction(before, total) if total else Fraction(0)
        cls = "C" if cents <= 0 else "A" if share < A_LIMIT else "B" if share < B_LIMIT else "C"
        out.append((ident, name, cents, cls))
        before += max(cents, 0)
    return out


def ref_summary(rows: list[tuple[str, str, int]]) -> dict[str, object]:
    ranked = ref_rank(rows)
    total = sum(c for *_, c, _ in ranked if c > 0)
    amounts = {k: sum(c for *_, c, cls in ranked if cls == k and c > 0) for k in "ABC"}
    counts = {k: sum(1 for *_, cls in ranked if cls == k) for k in "ABC"}
    return {"total": total, "amounts": amounts, "counts": counts,
            "shares": {k: Fraction(v, total) for k, v in amounts.items()},
            "non_positive": [c for *_, c, _ in ranked if c <= 0]}


def ref_groups(rows: list[tuple[str, str, int, str]]) -> list[tuple[str, str, int, str]]:
    """The group ranking: a real group's name and id are its name; a client
    without a group is a group of its own, named by its name, keyed by its id."""
    sums: dict[tuple[str, str], int] = {}
    for ident, name, cents, group in rows:
        key = (group, group) if group else (name, ident)
        sums[key] = sums.get(key, 0) + cents
    return ref_rank([(ident, name, cents) for (name, ident), cents in sums.items()])


# ---- the real interface -------------------------------------------------------

def cockpit(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, with no user setting or data in the way."""
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp / "cfg"), XDG_DATA_HOME=str(tmp / "data"))
    env.pop("COCKPIT_DB", None)
    if not any(a == "--config" for a in args):
        (tmp / "none.toml").touch()
        args = ("--config", str(tmp / "none.toml"), *args)
    return subprocess.run([sys.executable, "-m", "screens", *args], capture_output=True, text=True, env=env, cwd=tmp,
                          timeout=300)


def write_csv(path: Path, header: list[str], rows: list[tuple[object, ...]]) -> Path:
    path.write_text("\n".join([",".join(header)] + [",".join(map(str, r)) for r in rows]) + "\n", encoding="utf-8")
    return path


def euros(cents: int) -> str:
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100}.{abs(cents) % 100:02d}"


def summary_lines(summary: dict[str, object]) -> list[str]:
    """The class lines the reference expects, in the cockpit's French format."""
    counts, amounts, shares = summary["counts"], summary["amounts"], summary["shares"]
    n = sum(counts.values())  # type: ignore[attr-defined]
    who = lambda k: i18n.noun(k, "client")  # noqa: E731
    return [f"{k} : {counts[k]} {who(counts[k])} ({i18n.pct(Fraction(counts[k], n))}) · "  # type: ignore[index]
            f"{i18n.money(amounts[k])} ({i18n.pct(shares[k])})" for k in "ABC"]  # type: ignore[index]


# ---- 1. class shares of the positive total -----------------------------------

CREDITS = [("c1", "A", 800000), ("c2", "B", 150000), ("c3", "C", 50000), ("c4", "D", -300000),
           ("c5", "E", -200000), ("c6", "F", 10000)]


def _check_summary(text: str, rows: list[tuple[str, str, int]]) -> None:
    ref = ref_summary(rows)
    assert sum(ref["shares"].values()) == 1  # type: ignore[attr-defined]
    for line in summary_lines(ref):
        assert line in text.splitlines(), (line, text)
    assert f"CA {i18n.money(ref['total'])}" in text  # type: ignore[arg-type]
    c_share = i18n.pct(ref["shares"]["C"])  # type: ignore[index]
    c_clients = i18n.pct(Fraction(ref["counts"]["C"], len(rows)))  # type: ignore[index]
    assert f"Dispersion d'énergie : {c_clients} des clients en C pour {c_share} du CA." in text


def test_class_c_brings_its_positive_amount_in_cockpit_abc(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", ["code", "name", "revenue"], [(i, n, euros(c)) for i, n, c in CREDITS])
    run = cockpit(tmp_path, "abc", str(path))
    assert run.returncode == 0, run.stderr
    _check_summary(run.stdout, CREDITS)
    assert f"C : 3 clients ({i18n.pct(0.5)}) · {i18n.money(10000)} ({i18n.pct(0.01)})" in run.stdout


def test_class_c_brings_its_positive_amount_in_the_workspace_report(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", ["code", "name", "revenue"], [(i, n, euros(c)) for i, n, c in CREDITS])
    db = tmp_path / "ws.sqlite"
    assert cockpit(tmp_path, "--db", str(db), "import", "clients", str(path)).returncode == 0
    run = cockpit(tmp_path, "--db", str(db), "report")
    assert run.returncode == 0, run.stderr
    _check_summary(run.stdout.split("\n\n")[1], CREDITS)


@pytest.mark.parametrize("seed", range(6))
def test_class_sums_match_the_reference_on_random_portfolios(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    rows = [(f"k{i}", rnd.choice(["ACME", "Béta", "Zoé"]), rnd.choice([0, -700, 100, 2500, 99900, -12345, 400000]))
            for i in range(rnd.randint(3, 25))]
    if not any(c > 0 for *_, c in rows):
        rows.append(("k+", "PLUS", 100))
    path = write_csv(tmp_path / "r.csv", ["code", "name", "revenue"], [(i, n, euros(c)) for i, n, c in rows])
    run = cockpit(tmp_path, "abc", str(path))
    assert run.returncode == 0, run.stderr
    for line in summary_lines(ref_summary(rows)):
        assert line in run.stdout.splitlines(), (line, run.stdout)


def test_the_summary_carries_the_non_positive_clients_net_amount() -> None:
    from cockpit.portfolio.model import PortfolioModel
    from cockpit.store.portfolio_data import PortfolioData

    n = len(CREDITS)
    data = PortfolioData(period="", client_id=np.arange(n, dtype=np.int64), code=[r[0] for r in CREDITS],
                         name=[r[1] for r in CREDITS], group=[""] * n, sector=[""] * n,
                         potential=np.full(n, -1, dtype=np.int64), amount=np.array([r[2] for r in CREDITS]),
                         version=np.zeros(n, dtype=np.int64))
    s = PortfolioModel(data).summary()
    ref = ref_summary(CREDITS)
    assert s.n_non_positive == len(ref["non_positive"]) == 2  # type: ignore[arg-type]
    assert s.non_positive_amount == sum(ref["non_positive"]) == -500000  # type: ignore[arg-type]
    assert s.amounts == tuple(ref["amounts"][k] for k in "ABC")  # type: ignore[index]


def test_the_report_says_the_non_positive_clients_net_amount(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", ["code", "name", "revenue"], [(i, n, euros(c)) for i, n, c in CREDITS])
    run = cockpit(tmp_path, "abc", str(path))
    net = i18n.money(sum(ref_summary(CREDITS)["non_positive"]))  # type: ignore[arg-type]
    assert f"2 clients à CA nul ou négatif (avoirs), classés C : {net} net, hors des parts de CA" in run.stdout


# ---- 2. groups tie by (name, id), whatever their kind ------------------------

def _abc_rows(text: str) -> list[tuple[str, str, str]]:
    return [(r["id"], r["name"], r["class"]) for r in csv.DictReader(io.StringIO(text))]


def test_an_own_group_and_a_named_group_tie_by_name_then_id(tmp_path: Path) -> None:
    rows = [("A1", "LORFLEX", 10000, ""), ("Z2", "LORFLEX DIJON", 10000, "LORFLEX"), ("X9", "BIG", 75000, ""),
            ("Y8", "SMALL", 5000, "")]
    path = write_csv(tmp_path / "g.csv", ["code", "name", "revenue", "group"],
                     [(i, n, euros(c), g) for i, n, c, g in rows])
    run = cockpit(tmp_path, "abc", str(path), "--by-group", "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert _abc_rows(run.stdout) == [(i, n, k) for i, n, _, k in ref_groups(rows)] == [
        ("X9", "BIG", "A"), ("A1", "LORFLEX", "A"), ("LORFLEX", "LORFLEX", "B"), ("Y8", "SMALL", "C")]


@pytest.mark.parametrize("seed", range(4))
def test_random_group_ties_follow_the_reference(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(100 + seed)
    # Namesakes of the groups, with codes either side of the group names, and
    # few amounts: an own group and a real one often tie on amount and name.
    rows = [(rnd.choice(["A", "Z", "M", "LORFLEX", "VF", "é"]) + str(i), rnd.choice(["LORFLEX", "MILER", "VF", "AB"]),
             rnd.choice([100, 100, 200]), rnd.choice(["", "", "", "LORFLEX", "MILER", "VF"]))
            for i in range(rnd.randint(6, 24))]
    path = write_csv(tmp_path / "g.csv", ["code", "name", "revenue", "group"],
                     [(i, n, euros(c), g) for i, n, c, g in rows])
    run = cockpit(tmp_path, "abc", str(path), "--by-group", "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert _abc_rows(run.stdout) == [(i, n, k) for i, n, _, k in ref_groups(rows)]


def test_every_read_path_ranks_tied_accounts_alike(tmp_path: Path) -> None:
    """The polars path (a plain CSV), the columnar path (JSON), the row path
    (a workbook, the table) and the reference give one order."""
    rnd = random.Random(7)
    rows = [(rnd.choice(["A1", "a1", "Z9", "M5", "é", "e", "10", "9"]) + rnd.choice(["", "x"]) + str(i % 3),
             rnd.choice(["SAME", "Same", "ÉCLAIR", "ECLAIR"]), rnd.choice([100, 100, 100, 2500, -300, 0]))
            for i in range(40)]
    rows = list({r[0]: r for r in rows}.values())  # one row per code
    want = [(i, n, k) for i, n, _, k in ref_rank(rows)]
    plain = write_csv(tmp_path / "p.csv", ["code", "name", "revenue"], [(i, n, euros(c)) for i, n, c in rows])
    book = openpyxl.Workbook()
    book.active.append(["code", "name", "revenue"])
    for i, n, c in rows:
        book.active.append([i, n, c / 100])
    book.save(tmp_path / "p.xlsx")
    fast = cockpit(tmp_path, "abc", str(plain), "--format", "csv")
    assert fast.returncode == 0, fast.stderr
    assert _abc_rows(fast.stdout) == want
    slow = cockpit(tmp_path, "abc", str(tmp_path / "p.xlsx"), "--format", "csv")
    assert _abc_rows(slow.stdout) == want
    js = cockpit(tmp_path, "abc", str(plain), "--format", "json")
    assert [(c["id"], c["name"], c["class"]) for c in json.loads(js.stdout)["clients"]] == want


# ---- 3. sums past int64: said, never wrapped ---------------------------------

BIG = 99_999_999_999_999_900  # 999 999 999 999 999,00 €: one cell under the import's limit


def _huge_files(tmp: Path, count: int, sign: int = 1) -> list[Path]:
    rows = [(f"c{i:02d}", f"N{i:02d}", sign * BIG) for i in range(count)] + ([("p", "P", 100)] if sign < 0 else [])
    plain = write_csv(tmp / "plain.csv", ["code", "name", "revenue"], [(i, n, euros(c)) for i, n, c in rows])
    quoted = tmp / "quoted.csv"
    quoted.write_text('"code","name","revenue"\n' + "".join(f'"{i}","{n}","{euros(c)}"\n' for i, n, c in rows))
    french = tmp / "french.csv"
    french.write_bytes(("code;nom;CA\r\n" + "".join(f"{i};{n};{euros(c).replace('.', ',')}\r\n" for i, n, c in rows))
                       .encode("cp1252"))
    book = openpyxl.Workbook()
    book.active.append(["code", "name", "revenue"])
    for i, n, c in rows:
        book.active.append([i, n, c // 100])
    book.save(tmp / "book.xlsx")
    return [plain, quoted, french, tmp / "book.xlsx"]


@pytest.mark.parametrize("sign", [1, -1])
def test_a_total_past_int64_is_refused_on_every_read_path(tmp_path: Path, sign: int) -> None:
    assert 93 * BIG > INT64_MAX  # the reference's own arithmetic: no int64 holds this total
    for path in _huge_files(tmp_path, 93, sign):
        for form in ("table", "csv", "json"):
            run = cockpit(tmp_path, "abc", str(path), "--format", form)
            assert run.returncode == 2, (path.name, form, run.stdout[-300:], run.stderr)
            assert run.stdout == ""  # no figure at all
            said = run.stderr.strip()
            assert said.count("\n") == 0 and str(path) in said and "92 233 720 368 547 758" in said, said


def test_a_total_just_under_int64_is_exact(tmp_path: Path) -> None:
    assert 92 * BIG <= INT64_MAX
    for path in _huge_files(tmp_path, 92):
        run = cockpit(tmp_path, "abc", str(path))
        assert run.returncode == 0, run.stderr
        assert f"CA {i18n.money(92 * BIG)}" in run.stdout
        assert "Portefeuille équilibré" in run.stdout  # 92 equal clients: neither fragile nor dispersed


def test_a_workspace_past_int64_is_refused_by_report_and_export(tmp_path: Path) -> None:
    plain = _huge_files(tmp_path, 1)[0]
    db = tmp_path / "ws.sqlite"
    assert cockpit(tmp_path, "--db", str(db), "import", "clients", str(plain)).returncode == 0
    # The import now refuses such a file (tests/test_import_totals.py): the amounts as sqlite3 could leave them.
    import sqlite3

    with sqlite3.connect(db) as con:
        period, cents = con.execute("SELECT period, revenue FROM amounts").fetchone()
        con.executemany("INSERT INTO clients(code, name) VALUES (?, ?)", [(f"Z{i:03d}", f"ZZ {i}") for i in range(92)])
        con.execute("INSERT INTO amounts(client_id, period, revenue) SELECT id, ?, ? FROM clients WHERE code LIKE 'Z%'",
                    (period, cents))
    for args in (("report",), ("export", "clients", str(tmp_path / "out.csv"))):
        run = cockpit(tmp_path, "--db", str(db), *args)
        assert run.returncode == 2, (args, run.stdout[-300:], run.stderr)
        assert "-91 467" not in run.stdout and "92 233 720 368 547 758" in run.stderr


def test_an_edit_past_int64_is_refused_and_leaves_the_model_as_it_was() -> None:
    from cockpit.io.input_error import InputError
    from cockpit.portfolio.model import PortfolioModel
    from cockpit.store.portfolio_data import PortfolioData

    n = 93
    data = PortfolioData(period="2026", client_id=np.arange(n, dtype=np.int64), code=[f"c{i}" for i in range(n)],
                         name=[f"N{i:02d}" for i in range(n)], group=[""] * n, sector=[""] * n,
                         potential=np.full(n, -1, dtype=np.int64), amount=np.array([BIG] * 92 + [100]),
                         version=np.zeros(n, dtype=np.int64))
    model = PortfolioModel(data)
    before = model.summary()
    with pytest.raises(InputError):
        model.set_amount(92, BIG)
    assert model.summary() == before and int(model.data.amount[92]) == 100


# ---- 4. margin mode: every export header says margin -------------------------

def _margin_workspace(tmp: Path, sample_db: Path) -> tuple[Path, Path]:
    db = tmp / "ws.sqlite"
    shutil.copy(sample_db, db)
    cfg = tmp / "margin.toml"
    cfg.write_text('[abc]\namount = "margin"\n')
    return db, cfg


def _headers(path: Path) -> list[str]:
    if path.suffix == ".xlsx":
        return [str(c.value) for c in next(openpyxl.load_workbook(path).active.iter_rows())]
    return path.read_text(encoding="utf-8-sig").splitlines()[0].split(";")


def _no_revenue_word(headers: list[str]) -> None:
    for h in headers:
        if h.lower().startswith(("share_of_wallet", "part de portefeuille")):
            continue  # revenue ÷ potential in both modes, labelled so (METHOD §1)
        assert not re.search(r"revenue|\bCA\b", h, re.IGNORECASE), headers


def _margin_exports(tmp_path: Path, db: Path, cfg: Path, kind: str, stem: str) -> dict[str, list[str]]:
    """Claire's ``kind`` export in margin mode, as CSV and XLSX: each one's headers, none saying revenue."""
    out = {}
    for name in (f"{stem}.csv", f"{stem}.xlsx"):
        run = cockpit(tmp_path, "--config", str(cfg), "--db", str(db), "--rep", "claire", "export", kind,
                      str(tmp_path / name))
        assert run.returncode == 0, run.stderr
        out[name] = _headers(tmp_path / name)
        _no_revenue_word(out[name])
    return out


def test_margin_matrix_export_says_margin(tmp_path: Path, sample_db: Path) -> None:
    db, cfg = _margin_workspace(tmp_path, sample_db)
    for name, headers in _margin_exports(tmp_path, db, cfg, "matrix", "m").items():
        assert headers[-1] == ("margin" if name.endswith("csv") else "Marge")
    # The figures are margins: the crossed cells sum the clients' margins with a potential.
    run = cockpit(tmp_path, "--config", str(cfg), "--db", str(db), "--rep", "claire", "export", "clients",
                  str(tmp_path / "c.csv"))
    assert run.returncode == 0, run.stderr
    clients = list(csv.DictReader(io.StringIO((tmp_path / "c.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    cells = list(csv.DictReader(io.StringIO((tmp_path / "m.csv").read_text(encoding="utf-8-sig")), delimiter=";"))
    cents = lambda text: round(Fraction(text.replace(",", ".")) * 100)  # noqa: E731
    assert sum(cents(c["margin"]) for c in cells if c["potential_class"]) == sum(
        cents(c["amount"]) for c in clients if c["potential"])


def test_margin_evolution_export_says_margin(tmp_path: Path, sample_db: Path) -> None:
    db, cfg = _margin_workspace(tmp_path, sample_db)
    assert all(_margin_exports(tmp_path, db, cfg, "evolution", "e").values())


def test_evolution_table_says_margin_in_margin_mode(tmp_path: Path) -> None:
    from cockpit.io.exports import evolution_table, write_table
    from cockpit.portfolio.evolution import portfolio_evolution

    changes = portfolio_evolution({"2024": {1: 500, 2: 300}, "2025": {1: 700, 3: 100}})
    headers, rows = evolution_table(changes, "margin")
    assert headers == ["period", "clients", "new", "new_margin", "lost", "lost_margin", "churn", "margin_churn"]
    assert evolution_table(changes)[0][3] == "new_revenue"  # revenue mode as before
    write_table(tmp_path / "e.xlsx", headers, rows)
    assert _headers(tmp_path / "e.xlsx") == ["Période", "Clients", "Nouveaux", "Marge des nouveaux", "Perdus",
                                             "Marge des perdus", "Attrition", "Attrition de la marge"]
    book = openpyxl.load_workbook(tmp_path / "e.xlsx").active
    assert book["D3"].number_format == '#,##0.00 "€"' and book["H3"].number_format == "0.0%"


@pytest.mark.parametrize("lines, flags", [
    (94, []),  # the columnar path: YearSums
    (94, ["--skip-bad"]),  # the row path: SQL's sum() raised « integer overflow », exit 1
    (2, ["--skip-bad"]),  # under int64 but past the cell limit: the row path stored it
])
def test_a_clients_yearly_sales_past_the_limit_are_refused_not_wrapped(db_path, tmp_path, lines, flags):
    """94 lines of 999 999 999 999 999 € for one client wrapped the int64 year sum to a negative amount."""
    import sqlite3

    path = tmp_path / "ventes.csv"
    path.write_text("Code client;Date;Famille;CA\n" + "C020;15/06/2025;Sanitaire;999999999999999\n" * lines,
                    encoding="utf-8")
    dump = lambda: list(sqlite3.connect(db_path).iterdump())  # noqa: E731
    before = dump()
    out = subprocess.run([sys.executable, "-m", "cockpit.cli", "--db", str(db_path), "import", "sales", str(path),
                          "--yes", *flags], capture_output=True, text=True, env={**os.environ, "LANG": "fr_FR.UTF-8"})
    assert out.returncode == 2 and "Traceback" not in out.stderr and "ventes.csv" in out.stderr, out.stderr
    assert "1 000 000 000 000 000 €" in out.stderr.replace("\u202f", " ") and "celles de 2025" in out.stderr
    assert dump() == before
