"""Issue 17, points 10 and 11: a sales import that replaces a year says what
it replaces and is confirmed (at a terminal, or --yes in a script); rejected
rows are written whole, with their reason in the chosen language."""

from __future__ import annotations

import sqlite3

import pytest

from cockpit.cli import main
from pty_run import PtyApp

ONE_LINE = "client_code,date,product,revenue\nC001,03/04/2025,Sanitaire,10\n"


def _year(db_path, year: str = "2025") -> tuple[int, int]:
    db = sqlite3.connect(db_path)
    try:
        return db.execute("SELECT count(*), count(DISTINCT client_id) FROM sales WHERE date LIKE ?", (f"{year}%",)).fetchone()
    finally:
        db.close()


def test_a_script_must_say_yes_before_a_year_is_replaced(db_path, tmp_path, capsys):
    path = tmp_path / "ventes.csv"
    path.write_text(ONE_LINE, encoding="utf-8")
    lines, clients = _year(db_path)
    assert main(["--db", str(db_path), "import", "sales", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"2025 ({lines} lignes, {clients} clients) par 1 ligne (1 client)" in err and "--yes" in err
    assert _year(db_path) == (lines, clients)  # nothing replaced
    assert main(["--db", str(db_path), "import", "sales", str(path), "--yes"]) == 0
    assert capsys.readouterr().out.startswith("1 ligne de vente importée")
    assert _year(db_path) == (1, 1)


def test_a_year_with_no_sales_yet_needs_no_confirmation(db_path, tmp_path, capsys):
    path = tmp_path / "ventes.csv"
    path.write_text(ONE_LINE.replace("2025", "2026"), encoding="utf-8")
    assert main(["--db", str(db_path), "--lang", "en", "import", "sales", str(path)]) == 0
    assert capsys.readouterr().out.startswith("1 sales line imported")


@pytest.mark.slow
@pytest.mark.parametrize("answer", ["n", "o"])
def test_at_a_terminal_the_rep_is_asked(db_path, tmp_path, answer):
    path = tmp_path / "ventes.csv"
    path.write_text(ONE_LINE, encoding="utf-8")
    before = _year(db_path)
    app = PtyApp(["--db", str(db_path), "import", "sales", str(path)], {"COCKPIT_CONFIG": str(tmp_path / "c.toml")})
    assert app.read_until(b"[o/N]"), app.output
    assert f"2025 : {before[0]} lignes ({before[1]} clients) remplacées par 1 ligne (1 client)".encode() in app.output
    app.send(answer.encode() + b"\r")
    code = app.wait(timeout=30)
    if answer == "n":
        assert code == 1 and _year(db_path) == before
    else:
        assert code == 0 and _year(db_path) == (1, 1)


def test_rejected_rows_are_kept_whole_with_the_reason_in_the_chosen_language(db_path, tmp_path, capsys):
    path = tmp_path / "ventes.csv"
    path.write_text("Code client;Date;Famille;CA\nC001;03/04/2026;Sanitaire;1 000\nC001;31/02/2026;Chauffage;5\n"
                    "C002;04/04/2026;Chauffage;2 000,50\n", encoding="utf-8")
    assert main(["--db", str(db_path), "--lang", "en", "import", "sales", str(path), "--skip-bad"]) == 0
    rejects = (tmp_path / "ventes.rejets.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rejects[0] == "line;reason;Code client;Date;Famille;CA"
    line, reason, *cells = rejects[1].split(";")
    assert line == "3" and "expected" in reason and "attendu" not in reason
    assert cells == ["C001", "31/02/2026", "Chauffage", "5"]
    assert len(rejects) == 2
