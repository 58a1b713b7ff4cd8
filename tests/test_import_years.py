"""A clients file's money columns of several years (audit, point 1): each
year's revenue and margin go to that year's amounts, on every import path
(the columnar one, the row-by-row one — ``--skip-bad``, a file without
codes —, PostgreSQL); a year with a margin and no revenue column keeps the
revenue stored. Before, « CA 2023;CA 2024;CA 2025 » stored 2025 only, a lone
« Marge 2024 » went to the current year, and « CA 2024;Marge 2025 » filed
the 2025 margin under 2024, all with exit 0. A column that cannot go by year
(two potentials, a sales file's two revenues) or a column without a year in
a file that names several is refused in a sentence, exit 2, nothing written.

The expected amounts are the file's cells in cents, written out here, and
the sample's amounts read before the import (the reference)."""

from __future__ import annotations

import sqlite3

import pytest

from cockpit import cli, i18n

# The paths a clients CSV can take: the columnar reader (codes, no --skip-bad),
# the reference reader row by row (--skip-bad), and the columnar reader handing
# rows without codes to the row importer (matched by name).
PATHS = {"columnar": [], "rows": ["--skip-bad"]}


def amounts(db_path, code: str) -> dict[str, tuple[int, int | None]]:
    with sqlite3.connect(db_path) as db:
        return {p: (r, m) for p, r, m in db.execute(
            "SELECT a.period, a.revenue, a.margin FROM amounts a JOIN clients c ON c.id = a.client_id "
            "WHERE c.code = ?", (code,))}


def dump(db_path) -> list[list[tuple]]:
    with sqlite3.connect(db_path) as db:
        return [sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in ("clients", "amounts", "sales")]


def run(db_path, tmp_path, capsys, content: str, *args: str, kind: str = "clients") -> tuple[int, str]:
    path = tmp_path / "fichier.csv"
    path.write_text(content, encoding="utf-8")
    i18n.set_lang("fr")
    code = cli.main(["--db", str(db_path), "--rep", "nathalie", "import", kind, str(path), *args])
    return code, capsys.readouterr().err.strip()


@pytest.mark.parametrize("path", sorted(PATHS))
def test_every_revenue_year_goes_to_its_year(db_path, tmp_path, capsys, path):
    before = amounts(db_path, "C001")
    code, err = run(db_path, tmp_path, capsys, "code;name;CA 2023;CA 2024;CA 2025\nC001;LORFLEX;100;200;300\n",
                    *PATHS[path])
    assert code == 0, err
    after = amounts(db_path, "C001")
    # The revenue is the file's; the margins, which it has no column for, stay as they were.
    assert {p: after[p] for p in ("2023", "2024", "2025")} == {
        "2023": (10_000, before["2023"][1]), "2024": (20_000, before["2024"][1]), "2025": (30_000, before["2025"][1])}
    assert set(after) == set(before)  # no year made up (the current one among them)


def test_every_year_by_name_too(db_path, tmp_path, capsys):
    """No code column: the rows are matched by name, row by row."""
    before = amounts(db_path, "C002")
    code, err = run(db_path, tmp_path, capsys, "nom;CA 2024;CA 2025;Marge 2024;Marge 2025\nMEQUISA;1;2;0,5;0,75\n")
    assert code == 0, err
    assert amounts(db_path, "C002") == {**before, "2024": (100, 50), "2025": (200, 75)}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_a_lone_margin_year_is_the_margins_year(db_path, tmp_path, capsys, path):
    before = amounts(db_path, "C001")
    code, err = run(db_path, tmp_path, capsys, "code;name;Marge 2024\nC001;LORFLEX;300\n", *PATHS[path])
    assert code == 0, err
    # 2024's margin is the file's, its revenue the one stored; no 2026 row.
    assert amounts(db_path, "C001") == {**before, "2024": (before["2024"][0], 30_000)}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_revenue_and_margin_of_different_years_each_go_to_their_year(db_path, tmp_path, capsys, path):
    before = amounts(db_path, "C002")
    code, err = run(db_path, tmp_path, capsys, "code;name;CA 2024;Marge 2025\nC002;MEQUISA;100;50\n", *PATHS[path])
    assert code == 0, err
    assert amounts(db_path, "C002") == {**before, "2024": (10_000, before["2024"][1]),
                                        "2025": (before["2025"][0], 5_000)}


def test_a_margin_year_for_a_new_client_makes_its_years_row(db_path, tmp_path, capsys):
    code, err = run(db_path, tmp_path, capsys, "code;name;CA 2024;Marge 2025\nZ900;NOUVEAU;100;50\n")
    assert code == 0, err
    assert amounts(db_path, "Z900") == {"2024": (10_000, None), "2025": (0, 5_000)}


def test_a_column_without_a_year_takes_the_one_the_file_names(db_path, tmp_path, capsys):
    before = amounts(db_path, "C001")
    code, err = run(db_path, tmp_path, capsys, "code;name;CA;Marge 2024\nC001;LORFLEX;10;4\n", "--period", "2025")
    assert code == 0, err
    assert amounts(db_path, "C001") == {**before, "2024": (1_000, 400)}


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("content, words", [
    ("code;name;CA;Marge 2023;Marge 2024\nC001;LORFLEX;1;2;3\n",
     "colonne « CA » : une année dans l'en-tête"),
    ("code;name;Potentiel 2024;Potentiel 2025\nC001;LORFLEX;1;2\n",
     "« Potentiel 2024 » et « Potentiel 2025 »"),
])
def test_a_money_column_that_cannot_go_by_year_is_refused(db_path, tmp_path, capsys, path, content, words):
    before = dump(db_path)
    code, err = run(db_path, tmp_path, capsys, content, *PATHS[path])
    assert code == 2 and words in err and "fichier.csv" in err and "Traceback" not in err, err
    assert dump(db_path) == before


def test_a_sales_file_with_two_revenue_years_is_refused(db_path, tmp_path, capsys):
    before = dump(db_path)
    code, err = run(db_path, tmp_path, capsys, "code client;date;famille;CA 2024;CA 2025\nC001;01/02/2025;P;1;2\n",
                    "--yes", kind="sales")
    assert code == 2 and "« CA 2024 » et « CA 2025 »" in err and "Traceback" not in err, err
    assert dump(db_path) == before


AMOUNTS = "SELECT c.code, a.period, a.revenue, a.margin FROM amounts a JOIN clients c ON c.id = a.client_id"


@pytest.mark.parametrize("content, expected", [
    ("code;nom;CA 2023;CA 2024;Marge 2025\nC001;LORFLEX;100;200;30\nZ900;NOUVEAU;1;;2\n",  # columnar
     {("C001", "2023", 10_000), ("C001", "2024", 20_000), ("Z900", "2023", 100), ("Z900", "2025", 0)}),
    ("nom;Marge 2024;CA 2025\nMEQUISA;3;4\nSans Code;5;\n",  # row by row
     {("C002", "2025", 400), ("C00054", "2024", 0)}),
])
def test_postgresql_files_every_year_as_sqlite_does(pg_team, db_path, tmp_path, content, expected):
    import psycopg
    from psycopg.conninfo import make_conninfo

    path = tmp_path / "clients.csv"
    path.write_text(content, encoding="utf-8")
    assert cli.main(["--db", make_conninfo(pg_team, user="nathalie"), "import", "clients", str(path)]) == 0
    assert cli.main(["--db", str(db_path), "--rep", "nathalie", "import", "clients", str(path)]) == 0
    with psycopg.connect(pg_team) as pg, sqlite3.connect(db_path) as lite:
        got = sorted(pg.execute(AMOUNTS).fetchall())
        assert got == sorted(lite.execute(AMOUNTS).fetchall())
    assert expected <= {(code, period, revenue) for code, period, revenue, _ in got}
