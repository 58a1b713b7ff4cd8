"""An import never leaves a period the reads cannot sum (audit, point 3):
a clients or sales file whose amounts would take a period's total (of the
positive amounts, or of the negative ones, revenue or margin) past
2^63 - 1 cents is refused in one sentence naming the file and the period,
exit 2, nothing written, on every import path. Before, 100 clients at
999 999 999 999 999 € were imported (exit 0), and ``report`` and every
``export`` then said « 92 233 720 368 547 758,07 € » and exit 2.

The reference is Python's exact integers against 2^63 - 1, the bound the
reads (``portfolio.abc.sums_fit``) hold; the file at exactly the bound is
imported and ``report`` reads it."""

from __future__ import annotations

import sqlite3

import pytest

from cockpit import cli, i18n

LIMIT = 2**63 - 1
TOP = 10**17 - 1  # the largest cell an amount column takes (cents)
PATHS = {"columnar": [], "rows": ["--skip-bad"]}


def dump(db_path) -> list[list[tuple]]:
    with sqlite3.connect(db_path) as db:
        return [sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in ("clients", "amounts", "sales")]


def euros(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}" if cents >= 0 else "-" + euros(-cents)


def run(db_path, capsys, *args: str, who: str = "nathalie") -> tuple[int, str]:
    i18n.set_lang("fr")
    code = cli.main(["--db", str(db_path), "--rep", who, *args])
    return code, capsys.readouterr().err.strip()


def clients_file(tmp_path, cells: list[int], header: str = "CA 2030", coded: bool = True):
    assert all(abs(c) <= TOP for c in cells)
    path = tmp_path / "gros.csv"
    rows = "".join(f"{'Z%03d;' % i if coded else ''}GROS {i};{euros(c)}\n" for i, c in enumerate(cells))
    path.write_text(f"{'code;' if coded else ''}nom;{header}\n" + rows, encoding="utf-8")
    return path


def refused(err: str, path, period: str) -> bool:
    return (f"{path}" in err and f"ceux de {period}" in err and "92 233 720 368 547 758,07 €" in err
            and "Traceback" not in err)


@pytest.mark.parametrize("path", sorted(PATHS))
def test_the_audits_file_is_refused_and_the_reports_still_work(db_path, tmp_path, capsys, path):
    big = clients_file(tmp_path, [99_999_999_999_999_900] * 100, "CA 2026")
    before = dump(db_path)
    code, err = run(db_path, capsys, "import", "clients", str(big), *PATHS[path])
    assert code == 2 and refused(err, big, "2026"), err
    assert dump(db_path) == before
    assert run(db_path, capsys, "report")[0] == 0


@pytest.mark.parametrize("coded", [True, False])
@pytest.mark.parametrize("header", ["CA 2030", "Marge 2030"])
@pytest.mark.parametrize("sign", [1, -1])
def test_at_the_bound_it_is_imported_one_cent_past_it_refused(db_path, tmp_path, capsys, coded, header, sign):
    cells = [TOP] * 92
    cells.append(LIMIT - sum(cells))  # the total is 2^63 - 1 exactly
    assert sum(cells) == LIMIT and 0 < cells[-1] <= TOP
    before = dump(db_path)
    over = clients_file(tmp_path, [sign * c for c in cells[:-1]] + [sign * (cells[-1] + 1)], header, coded)
    code, err = run(db_path, capsys, "import", "clients", str(over))
    assert code == 2 and refused(err, over, "2030"), err
    assert dump(db_path) == before
    at = clients_file(tmp_path, [sign * c for c in cells], header, coded)
    assert run(db_path, capsys, "import", "clients", str(at))[0] == 0
    assert run(db_path, capsys, "report")[0] == 0  # the reads agree: 2030 sums


def test_the_period_counts_the_amounts_already_there(db_path, tmp_path, capsys):
    """The sample's 2025 amounts and the file's together pass the bound."""
    with sqlite3.connect(db_path) as db:
        (there,) = db.execute("SELECT sum(revenue) FROM amounts WHERE period = '2025'").fetchone()
    cells = [TOP] * 92
    cells.append(LIMIT - sum(cells) - there + 1)
    big = clients_file(tmp_path, cells, "CA 2025")
    before = dump(db_path)
    code, err = run(db_path, capsys, "import", "clients", str(big))
    assert code == 2 and refused(err, big, "2025"), err
    assert dump(db_path) == before


def new_clients(tmp_path, owner: str = "claire"):
    """110 clients of ``owner``'s without amounts: a sales file may give each
    two lines, under the cell limit, and pass the year's bound."""
    path = tmp_path / "nouveaux.csv"
    path.write_text("code;nom;commercial\n" + "".join(f"Z{i:03d};NOUVEAU {i};{owner}\n" for i in range(110)),
                    encoding="utf-8")
    return path


def sales_file(tmp_path):
    path = tmp_path / "ventes.csv"
    line = 45 * 10**15  # two a client: under the cell limit even summed in floats, as its check sums them
    lines = [f"Z{i % 110:03d};{10 + i % 17:02d}/03/2026;P;{euros(line)}\n" for i in range(220)]
    path.write_text("code client;date;famille;CA\n" + "".join(lines), encoding="utf-8")
    assert 2 * line < 10**17 and 110 * 2 * line > LIMIT  # each client's year under the cell limit, the year's total past
    return path


@pytest.mark.parametrize("path", sorted(PATHS))
@pytest.mark.parametrize("who", ["nathalie", "claire"])
def test_a_sales_file_past_a_years_total_is_refused(db_path, tmp_path, capsys, path, who):
    assert run(db_path, capsys, "import", "clients", str(new_clients(tmp_path)))[0] == 0
    sales = sales_file(tmp_path)
    before = dump(db_path)
    code, err = run(db_path, capsys, "import", "sales", str(sales), "--yes", *PATHS[path], who=who)
    assert code == 2 and refused(err, sales, "2026"), err
    assert dump(db_path) == before


@pytest.mark.parametrize("kind", ["clients", "sales"])
def test_postgresql_refuses_it_too(pg_team, tmp_path, capsys, kind):
    import psycopg
    from psycopg.conninfo import make_conninfo

    manager = make_conninfo(pg_team, user="nathalie")
    if kind == "clients":
        path = clients_file(tmp_path, [99_999_999_999_999_900] * 100, "CA 2026")
    else:
        assert cli.main(["--db", manager, "import", "clients", str(new_clients(tmp_path))]) == 0
        path = sales_file(tmp_path)
    with psycopg.connect(pg_team) as db:
        before = sorted(db.execute("SELECT * FROM amounts").fetchall())
    for extra in ([], ["--skip-bad"]):
        assert cli.main(["--db", manager, "import", kind, str(path), "--yes", *extra]) == 2
        assert refused(capsys.readouterr().err, path, "2026")
    with psycopg.connect(pg_team) as db:
        assert sorted(db.execute("SELECT * FROM amounts").fetchall()) == before
