"""Imports never change a client the file does not name for sure, nor a rep's
import another rep's portfolio (METHOD §1: sites of a group are never merged
because the names match; §8: a portfolio is a rep's). A name several clients
share needs the code: one sentence with the codes, exit 2, nothing written —
on the columnar path and on the row-by-row one. A rep's sales file replaces
the years it covers in that rep's portfolio only, as PostgreSQL's row-level
security has it (tests/test_pg_imports.py); a manager's replaces the team's."""

from __future__ import annotations

import sqlite3

import pytest

from cockpit import cli, i18n

EVERYTHING = ("SELECT 'c', code, name, grp, owner, potential, version FROM clients UNION ALL "
              "SELECT 'a', client_id, period, revenue, margin, version, NULL FROM amounts UNION ALL "
              "SELECT 's', client_id, date, product, revenue, margin, NULL FROM sales")


def snapshot(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as db:
        return sorted(db.execute(EVERYTHING).fetchall(), key=repr)


def run(db_path, capsys, *args: str) -> tuple[int, str]:
    i18n.set_lang("fr")
    code = cli.main(["--db", str(db_path), *args])
    return code, capsys.readouterr().err.strip()


@pytest.mark.parametrize("kind, content, codes", [
    ("clients", "nom;CA\nMEQUISA;100\nVF CONFORT;9 999,00\n", "C003, C020, C044"),  # the row-by-row path (no code)
    ("sales", "Client;Date;Famille;CA\nMEQUISA;03/04/2025;Sanitaire;10\nLORFLEX;03/04/2025;Sanitaire;1 000\n",
     "C001, C039"),  # the columnar path (a rep's file takes the row-by-row one: below)
])
def test_a_name_several_clients_share_is_refused_with_their_codes(db_path, tmp_path, capsys, kind, content, codes):
    path = tmp_path / f"{kind}.csv"
    path.write_text(content, encoding="utf-8")
    before = snapshot(db_path)
    extra = ["--yes"] if kind == "sales" else ["--period", "2025"]
    code, err = run(db_path, capsys, "import", kind, str(path), *extra)
    assert code == 2 and err.count("\n") == 0 and "Traceback" not in err
    assert f"{path.name}, ligne 3" in err and "plusieurs clients portent ce nom" in err and f"({codes})" in err
    assert snapshot(db_path) == before


def test_a_rep_sees_ambiguity_among_their_own_clients_only(db_path, tmp_path, capsys):
    """Sophie owns C039 (LORFLEX) and C020 (VF CONFORT): her own are one client each; names are hers."""
    with sqlite3.connect(db_path) as db:
        db.execute("UPDATE clients SET owner = 'claire' WHERE code = 'C039'")  # both LORFLEX sites are Claire's
    path = tmp_path / "ventes.csv"
    path.write_text("Client;Date;Famille;CA\nLORFLEX;03/04/2025;Sanitaire;1 000\n", encoding="utf-8")
    before = snapshot(db_path)
    code, err = run(db_path, capsys, "--rep", "claire", "import", "sales", str(path), "--yes")
    assert code == 2 and "(C001, C039)" in err
    assert snapshot(db_path) == before
    path.write_text("Client;Date;Famille;CA\nVF CONFORT;03/04/2025;Sanitaire;1 000\n", encoding="utf-8")
    assert run(db_path, capsys, "--rep", "sophie", "import", "sales", str(path), "--yes")[0] == 0  # C020: hers alone
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT c.code, s.revenue FROM sales s JOIN clients c ON c.id = s.client_id "
                          "WHERE s.date LIKE '2025%' AND c.owner = 'sophie'").fetchall() == [("C020", 100000)]


def test_a_unique_name_or_a_code_names_its_client(db_path, tmp_path, capsys):
    path = tmp_path / "clients.csv"
    path.write_text("code;nom;CA\n;MEQUISA;1 234,00\nC020;VF CONFORT;5 000\n", encoding="utf-8")
    assert run(db_path, capsys, "import", "clients", str(path), "--period", "2025")[0] == 0
    with sqlite3.connect(db_path) as db:
        got = dict(db.execute("SELECT c.code, a.revenue FROM amounts a JOIN clients c ON c.id = a.client_id "
                              "WHERE a.period = '2025' AND c.code IN ('C002', 'C003', 'C020', 'C044')").fetchall())
    assert got["C002"] == 123400 and got["C020"] == 500000 and got["C003"] == 17237600  # C003 untouched


def test_a_new_client_named_like_one_there_makes_the_name_shared(db_path, tmp_path, capsys):
    path = tmp_path / "clients.csv"
    path.write_text("code;nom;CA\nC900;MEQUISA;1\n;MEQUISA;2\n", encoding="utf-8")
    before = snapshot(db_path)
    code, err = run(db_path, capsys, "import", "clients", str(path), "--period", "2025")
    assert code == 2 and "ligne 3" in err and "(C002, C900)" in err
    assert snapshot(db_path) == before


def owners_sales(db_path) -> dict[str, tuple[int, int]]:
    with sqlite3.connect(db_path) as db:
        return {o: (n, s) for o, n, s in db.execute(
            "SELECT c.owner, count(*), sum(s.revenue) FROM sales s JOIN clients c ON c.id = s.client_id "
            "WHERE s.date LIKE '2025%' GROUP BY 1")}


def owners_amounts(db_path) -> dict[str, list[tuple]]:
    with sqlite3.connect(db_path) as db:
        out: dict[str, list[tuple]] = {}
        for owner, code, revenue, version in db.execute(
                "SELECT c.owner, c.code, a.revenue, a.version FROM amounts a JOIN clients c ON c.id = a.client_id "
                "WHERE a.period = '2025' ORDER BY c.code"):
            out.setdefault(owner, []).append((code, revenue, version))
        return out


def test_a_reps_sales_file_replaces_the_year_in_their_portfolio_only(db_path, tmp_path, capsys):
    with sqlite3.connect(db_path) as db:  # an amount of Claire's edited by hand: a rep's import leaves it
        db.execute("UPDATE amounts SET revenue = 4242, version = version + 1 WHERE period = '2025' AND client_id = "
                   "(SELECT id FROM clients WHERE code = 'C001')")
    sales, amounts = owners_sales(db_path), owners_amounts(db_path)
    path = tmp_path / "ventes.csv"
    path.write_text("Code client;Date;Famille;CA\nC020;15/06/2025;Sanitaire;1 000,00\nC020;16/06/2025;Chauffage;24\n",
                    encoding="utf-8")
    code, err = run(db_path, capsys, "--rep", "sophie", "import", "sales", str(path))
    assert code == 2 and "(32 lignes, 5 clients)" in err  # without --yes: what of hers it would replace
    assert run(db_path, capsys, "--rep", "sophie", "import", "sales", str(path), "--yes")[0] == 0
    after = owners_sales(db_path)
    assert after["sophie"] == (2, 102400)
    assert {o: v for o, v in after.items() if o != "sophie"} == {o: v for o, v in sales.items() if o != "sophie"}
    now = owners_amounts(db_path)
    assert [(c, r) for c, r, _ in now["sophie"]] == [("C020", 102400)]
    assert {o: v for o, v in now.items() if o != "sophie"} == {o: v for o, v in amounts.items() if o != "sophie"}
    # A line naming another rep's client: one sentence, exit 2, nothing replaced.
    before = snapshot(db_path)
    path.write_text("Code client;Date;Famille;CA\nC020;15/06/2025;Sanitaire;1\nC001;15/06/2025;Sanitaire;1\n",
                    encoding="utf-8")
    code, err = run(db_path, capsys, "--rep", "sophie", "import", "sales", str(path), "--yes")
    assert code == 2 and "ligne 3" in err and "« C001 »" in err and "un client de votre portefeuille" in err
    assert snapshot(db_path) == before


def test_a_managers_sales_file_replaces_the_teams_year(db_path, tmp_path, capsys):
    path = tmp_path / "ventes.csv"
    path.write_text("Code client;Date;Famille;CA\nC020;15/06/2025;Sanitaire;1 000,00\n", encoding="utf-8")
    assert run(db_path, capsys, "--rep", "nathalie", "import", "sales", str(path), "--yes")[0] == 0
    assert owners_sales(db_path) == {"sophie": (1, 100000)}
