"""Bad input to the data commands (abc, export, import): said in one
sentence, exit 2, nothing written; and the files a rep may well hand them
(UTF-16 without its BOM) read. Real files, a real workspace, the real
command line."""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
from pathlib import Path

import pytest

from cockpit import cli, cli_abc, i18n


def run(capsys, *args: object) -> tuple[int, str, str]:
    i18n.set_lang("fr")
    code = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def dump(db_path: Path) -> list[list[tuple[object, ...]]]:
    with sqlite3.connect(db_path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return [sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables]


# ---- 1. `abc --format csv` guards formulas as the exports do ------------------------
FORMULAS = ["=HYPERLINK(A1)", "+cmd", "@sum", "-1+2"]


def _formula_file(tmp_path: Path, french: bool) -> Path:
    """A plain file (polars' path) or one with French amounts (the columnar reader's)."""
    path = tmp_path / "abc.csv"
    amount = "{:d} 000,50 €" if french else "{:d}000.5"
    rows = [f"C{i};{name};{amount.format(9 - i)}" for i, name in enumerate(FORMULAS)]
    path.write_text("code;nom;CA\n" + "\n".join([*rows, "-7;Avoir;-20"]) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("path_kind", ["plain", "french", "rows", "by-group"])
def test_abc_csv_quotes_what_a_spreadsheet_would_run(tmp_path, capsys, monkeypatch, path_kind):
    from cockpit.io.abc_plain import read_plain

    monkeypatch.setattr(cli_abc, "COLUMNAR", path_kind != "rows")
    extra = ["--by-group"] if path_kind == "by-group" else []
    path = _formula_file(tmp_path, path_kind == "french")
    assert (read_plain(str(path), "revenue") is not None) == (path_kind != "french")  # polars' path can read it
    code, out, err = run(capsys, "abc", path, "--format", "csv", *extra)
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    names = {r["name"] for r in rows}
    assert {"'" + f for f in FORMULAS} <= names and not names & set(FORMULAS)
    negative = next(r for r in rows if r["name"] == "Avoir")
    assert negative["amount"] == "-20.0"  # a number stays a number
    if path_kind != "by-group":  # a group's id is its name
        assert negative["id"] == "'-7"  # a code, as `export clients` writes it


# ---- 2. an export to an unknown extension -------------------------------------------
@pytest.mark.parametrize("name", ["out.foo", "out", "out.txt"])
def test_an_export_to_an_unknown_extension_is_refused(db_path, tmp_path, capsys, name):
    code, out, err = run(capsys, "--db", db_path, "export", "clients", tmp_path / name)
    assert code == 2 and out == ""
    assert ".csv" in err and ".xlsx" in err and name in err and len(err.strip().splitlines()) == 1
    assert not any(p.name.startswith("out") for p in tmp_path.iterdir())


@pytest.mark.parametrize("name", ["OUT.CSV", "out.XLSX"])
def test_the_known_extensions_in_capitals_still_export(db_path, tmp_path, capsys, name):
    assert run(capsys, "--db", db_path, "export", "clients", tmp_path / name)[0] == 0
    assert (tmp_path / name).stat().st_size > 0


# ---- 3. an option that would be ignored is refused ---------------------------------
def _clients_csv(tmp_path: Path) -> Path:
    path = tmp_path / "clients.csv"
    path.write_text("code;nom;CA\nZ901;NOUVEAU;100\n", encoding="utf-8")
    return path


def _sales_csv(tmp_path: Path) -> Path:
    path = tmp_path / "ventes.csv"
    path.write_text("client_code;date;product;revenue\nC001;2025-03-04;Sanitaire;10\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("args, words", [
    (("import", "clients", "{clients}", "--sheet", "Feuil1"), "--sheet"),
    (("import", "sales", "{sales}", "--sheet", "Feuil1", "--yes"), "--sheet"),
    (("import", "sales", "{sales}", "--period", "2024", "--yes"), "--period"),
    (("import", "prospects", "{clients}", "--period", "2024"), "--period"),
    (("import", "activity", "{clients}", "--period", "2024"), "--period"),
    (("import", "clients", "{clients}", "--sheet", "Feuil1", "--skip-bad"), "--sheet"),
])
def test_an_import_option_that_does_not_apply_is_refused(db_path, tmp_path, capsys, args, words):
    files = {"clients": _clients_csv(tmp_path), "sales": _sales_csv(tmp_path)}
    before = dump(db_path)
    argv = [a.format(**files) for a in args]
    code, out, err = run(capsys, "--db", db_path, "--rep", "nathalie", *argv)
    assert code == 2 and out == "", err
    assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert dump(db_path) == before
    assert not list(tmp_path.glob("*.rejets.csv"))


def test_abc_refuses_a_sheet_for_a_csv(tmp_path, capsys):
    code, out, err = run(capsys, "abc", _clients_csv(tmp_path), "--sheet", "Feuil1")
    assert code == 2 and out == "" and "--sheet" in err


def test_a_sheet_for_a_workbook_still_applies(db_path, tmp_path, capsys):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Autre"
    sheet = book.create_sheet("Clients")
    for row in (["code", "nom", "CA"], ["Z902", "CLASSEUR", 100]):
        sheet.append(row)
    path = tmp_path / "c.xlsx"
    book.save(path)
    code, _, err = run(capsys, "--db", db_path, "--rep", "nathalie", "import", "clients", path, "--sheet", "Clients",
                       "--period", "2025")
    assert code == 0, err
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT name FROM clients WHERE code = 'Z902'").fetchone() == ("CLASSEUR",)


# ---- 4. UTF-16 without its BOM ---------------------------------------------------------
TEXT = "code;nom;CA\r\nZ903;Société Générale;1 234,50\r\nZ904;Crème € brûlée;10\r\n"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("route", [[], ["--skip-bad"]])  # the columnar reader, the reference one
def test_utf16_without_a_bom_imports(db_path, tmp_path, capsys, encoding, route):
    path = tmp_path / "clients.csv"
    path.write_bytes(TEXT.encode(encoding))
    code, _, err = run(capsys, "--db", db_path, "--rep", "nathalie", "import", "clients", path, "--period", "2025",
                       *route)
    assert code == 0, err
    with sqlite3.connect(db_path) as db:
        assert dict(db.execute("SELECT code, name FROM clients WHERE code IN ('Z903', 'Z904')")) == {
            "Z903": "Société Générale", "Z904": "Crème € brûlée"}


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_abc_reads_utf16_without_a_bom(tmp_path, capsys, encoding):
    path = tmp_path / "clients.csv"
    path.write_bytes(TEXT.encode(encoding))
    code, out, err = run(capsys, "abc", path, "--format", "csv")
    assert code == 0, err
    assert "Société Générale" in out and "1234.5" in out


def test_a_binary_file_is_still_binary(db_path, tmp_path, capsys):
    path = tmp_path / "clients.csv"
    path.write_bytes(bytes(range(256)) * 8)
    code, _, err = run(capsys, "--db", db_path, "import", "clients", path)
    assert code == 2 and "binaire" in err


# ---- 6. a file with its header and no line -------------------------------------------
@pytest.mark.parametrize("kind, header, route", [
    ("clients", "code;nom;CA\n", []),
    ("clients", "code;nom;CA\n\n;;\n", ["--skip-bad"]),
    ("sales", "client_code;date;product;revenue\n", ["--yes"]),
    ("sales", "client_code;date;product;revenue\n", ["--yes", "--skip-bad"]),
    ("prospects", "société;contact\n", []),
])
def test_a_file_with_no_line_is_refused_and_writes_nothing(db_path, tmp_path, capsys, kind, header, route):
    path = tmp_path / "vide.csv"
    path.write_text(header, encoding="utf-8")
    before = dump(db_path)
    code, out, err = run(capsys, "--db", db_path, "--rep", "nathalie", "import", kind, path, *route)
    assert code == 2 and out == "", err
    assert "vide.csv" in err and "aucune ligne" in err and len(err.strip().splitlines()) == 1
    assert dump(db_path) == before  # no import record either: undo is not cut short by it


@pytest.mark.parametrize("kind, content", [
    ("sales", "client_code,date,product,revenue\nC001,2027-01-04,Sanitaire,abc\nZZZ9,2027-01-05,Sanitaire,1.00\n"),
    ("clients", "code;nom;CA\nC1;A;abc\nC2;;1\n"),
])
def test_skip_bad_with_every_line_rejected_imports_nothing_and_says_so(db_path, tmp_path, capsys, kind, content):
    """Every line set aside: "0 imported", exit 0 and an import record that cut
    the undo history, before; now a sentence, exit 2, the rejects file kept."""
    path = tmp_path / "tout.csv"
    path.write_text(content, encoding="utf-8")
    before = dump(db_path)
    code, out, err = run(capsys, "--db", db_path, "--rep", "nathalie", "import", kind, path, "--skip-bad", "--yes")
    assert code == 2 and out == "", err
    assert "2 lignes rejetées" in err and "chaque ligne est rejetée" in err and "tout.rejets.csv" in err
    assert dump(db_path) == before
    assert (tmp_path / "tout.rejets.csv").read_text(encoding="utf-8-sig").count("\n") == 3


# ---- 7. a refused first import leaves no workspace ---------------------------------------
@pytest.mark.parametrize("content, extra", [
    ("code;nom;CA\nC1;A;abc\n", []),  # a bad cell
    ("code;nom;CA\n", []),  # no line
    (None, []),  # no file
    ("code;nom;CA\nC1;A;1\n", ["--rep", "personne"]),  # not a rep of the team
    ("code;nom;CA\nC1;A;1\n", ["--sheet", "Feuil1"]),  # an option that does not apply
])
def test_a_refused_first_import_leaves_no_workspace(tmp_path, capsys, content, extra):
    path = tmp_path / "clients.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    target = tmp_path / "neuf" / "ws.sqlite"
    target.parent.mkdir()
    code, _, err = run(capsys, "--db", target, "import", "clients", path, *extra)
    assert code == 2, err
    assert list(target.parent.iterdir()) == []


def test_a_first_import_that_works_keeps_its_workspace(tmp_path, capsys):
    path = tmp_path / "clients.csv"
    path.write_text("code;nom;CA\nC1;A;1\n", encoding="utf-8")
    target = tmp_path / "ws.sqlite"
    assert run(capsys, "--db", target, "import", "clients", path)[0] == 0
    assert target.stat().st_size > 0


def test_a_refused_import_keeps_the_workspace_it_had(db_path, tmp_path, capsys):
    path = tmp_path / "clients.csv"
    path.write_text("code;nom;CA\nC1;A;abc\n", encoding="utf-8")
    before = dump(db_path)
    assert run(capsys, "--db", db_path, "import", "clients", path)[0] == 2
    assert db_path.exists() and dump(db_path) == before


def test_an_empty_file_named_as_workspace_is_not_a_workspace_kept(tmp_path, capsys):
    """`touch ws.sqlite` then a refused import: an empty file holds no
    workspace, so it goes as a new one would (nothing of the rep's is lost)."""
    path = tmp_path / "clients.csv"
    path.write_text("code;nom;CA\nC1;A;abc\n", encoding="utf-8")
    target = tmp_path / "d" / "ws.sqlite"
    target.parent.mkdir()
    target.touch()
    assert run(capsys, "--db", target, "import", "clients", path)[0] == 2
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize("kind, header", [("clients", "code;nom;CA\n"), ("sales", "client_code;date;product;revenue\n")])
def test_a_file_with_no_line_is_refused_on_postgresql_too(pg_team, tmp_path, capsys, kind, header):
    """The columnar reader refuses it at its end, inside the import's transaction there too."""
    import psycopg
    from psycopg.conninfo import make_conninfo

    path = tmp_path / "vide.csv"
    path.write_text(header, encoding="utf-8")
    with psycopg.connect(pg_team) as db:
        before = [db.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("clients", "sales", "journal")]
    code, _, err = run(capsys, "--db", make_conninfo(pg_team, user="nathalie"), "import", kind, path, "--yes")
    assert code == 2 and "aucune ligne" in err, err
    with psycopg.connect(pg_team) as db:
        assert [db.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("clients", "sales", "journal")] == before
