"""Issue 17, points 5-7 and 9: bad input is one sentence and exit 2 (file,
line, column, value, what was expected) and loses nothing. Real files, a real
workspace, the real command line."""

from __future__ import annotations

import sqlite3

import pytest

from cockpit.cli import main


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def _count(db_path, sql: str) -> int:
    db = sqlite3.connect(db_path)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


# ---- 7. periods and dates ------------------------------------------------
@pytest.mark.parametrize("period", ["banana", "2025-13", "1800", "25", "R2025"])
def test_an_import_period_that_is_not_a_year_is_refused(db_path, tmp_path, capsys, period):
    path = tmp_path / "clients.csv"
    path.write_text("code,name,revenue\nC900,NOUVEAU,100\n", encoding="utf-8")
    before = _count(db_path, "SELECT count(*) FROM amounts")
    code, _, err = _run(capsys, "--db", db_path, "import", "clients", path, "--period", period)
    assert code == 2
    assert "--period" in err and period in err and "1900" in err
    assert _count(db_path, "SELECT count(*) FROM amounts") == before
    assert _count(db_path, "SELECT count(*) FROM clients WHERE code = 'C900'") == 0


def test_an_export_of_a_period_the_workspace_lacks_is_refused(db_path, tmp_path, capsys):
    target = tmp_path / "out.csv"
    code, _, err = _run(capsys, "--db", db_path, "export", "clients", target, "--period", "1999")
    assert code == 2
    assert "1999" in err and "2025" in err  # says which periods there are
    assert not target.exists()
    code, _, err = _run(capsys, "--db", db_path, "export", "clients", target, "--period", "banana")
    assert code == 2 and "AAAA" in err and not target.exists()
    assert _run(capsys, "--db", db_path, "export", "clients", target, "--period", "2024")[0] == 0
    assert target.exists()


def test_a_date_before_1900_is_refused_on_its_line(db_path, tmp_path, capsys):
    path = tmp_path / "ventes.csv"
    path.write_text("client_code,date,product,revenue\nC001,02/01/2025,Sanitaire,10\nC001,01/01/1800,Sanitaire,10\n",
                    encoding="utf-8")
    code, _, err = _run(capsys, "--db", db_path, "import", "sales", path)
    assert code == 2
    assert "ligne 3" in err and "01/01/1800" in err and "1900 et 2100" in err
    assert _count(db_path, "SELECT count(*) FROM amounts WHERE period = '1800'") == 0
    assert _count(db_path, "SELECT count(*) FROM sales WHERE date LIKE '2025%'") > 1  # 2025 not replaced


# ---- 6. the same id twice in one file -------------------------------------
def _clients_file(tmp_path, rows: int = 3):
    path = tmp_path / "clients.csv"
    lines = ["code,name,revenue"] + [f"C900,NOUVEAU {i},{100 + i}" for i in range(rows)] + ["C901,AUTRE,5"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_repeated_client_code_names_both_lines_and_imports_nothing(db_path, tmp_path, capsys):
    code, _, err = _run(capsys, "--db", db_path, "import", "clients", _clients_file(tmp_path), "--period", "2025")
    assert code == 2
    assert "ligne 3" in err and "ligne 2" in err and "C900" in err
    assert _count(db_path, "SELECT count(*) FROM clients WHERE code IN ('C900', 'C901')") == 0


def test_skip_bad_keeps_the_first_of_a_repeated_code_and_counts_clients(db_path, tmp_path, capsys):
    path = _clients_file(tmp_path, rows=3)
    code, out, err = _run(capsys, "--db", db_path, "import", "clients", path, "--period", "2025", "--skip-bad")
    assert code == 0
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT name FROM clients WHERE code = 'C900'").fetchall() == [("NOUVEAU 0",)]
    db.close()
    assert out.startswith("2 ")  # two clients, not four rows
    rejects = (tmp_path / "clients.rejets.csv").read_text(encoding="utf-8-sig")
    assert rejects.count("ligne 2") == 2  # lines 3 and 4 both name line 2


# ---- 5. a file mixing UTF-8 and Windows-1252 -------------------------------
@pytest.mark.parametrize("first", ["utf-8", "cp1252"])
def test_mixed_encodings_fail_on_the_line_where_they_change(db_path, tmp_path, capsys, first):
    second = "cp1252" if first == "utf-8" else "utf-8"
    path = tmp_path / "clients.csv"
    path.write_bytes("code,name,revenue\nC900,Société Une,10\n".encode(first)
                     + "C901,Société Deux,20\nC902,Troisième,30\n".encode(second))
    code, _, err = _run(capsys, "--db", db_path, "import", "clients", path, "--period", "2025")
    assert code == 2
    assert "ligne 3" in err and "encodages mélangés" in err
    assert _count(db_path, "SELECT count(*) FROM clients WHERE code LIKE 'C90%'") == 0


def test_a_plain_windows_1252_file_still_imports(db_path, tmp_path, capsys):
    path = tmp_path / "clients.csv"
    path.write_bytes("code;name;revenue\nC900;Société Une;10\nC901;Crème brûlée;20\n".encode("cp1252"))
    assert _run(capsys, "--db", db_path, "import", "clients", path, "--period", "2025")[0] == 0
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT name FROM clients WHERE code = 'C901'").fetchone() == ("Crème brûlée",)
    db.close()


# ---- a cleared cell is "not entered", never 0 € ----------------------------
async def test_a_cleared_amount_cell_is_not_saved_as_zero(make_app, db_path):
    from conftest import ready

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        before = app.screen.model.ranked.amount_at(0)
        await pilot.press("e", "ctrl+u", "backspace", "enter")  # the rep empties the cell and confirms
        await ready(pilot)
        assert app.screen.query_one("#cell-editor").value == ""
        assert app.screen.model.ranked.amount_at(0) == before
        assert any("ne peut pas rester vide" in n.message for n in app._notifications)  # the kit's editor says it
    assert _count(db_path, "SELECT count(*) FROM amounts WHERE revenue = 0 AND period = '2025'") == 0


async def test_the_apps_import_names_both_lines_of_a_repeated_code(make_app, db_path, tmp_path):
    from conftest import answer, ready

    path = _clients_file(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await answer(pilot, path)
        assert type(app.screen).__name__ == "ErrorDialog"
        message = app.screen.text()
        assert "ligne 3" in message and "ligne 2" in message and "C900" in message
    assert _count(db_path, "SELECT count(*) FROM clients WHERE code IN ('C900', 'C901')") == 0
