"""Import reader: encodings, separators, numbers, dates, XLSX, headers, errors, export."""

from __future__ import annotations

import contextlib
import datetime as dt
import pickle
import re
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.io.tabular import (
    FIELDS, InputError, clean_text, normalise_header, parse_amount_cents, parse_percent,
    read_records, sniff_decimal, write_csv_fr,
)

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def write(tmp_path: Path, text: str, name: str = "clients.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def xlsx(tmp_path: Path, rows: list[list[object]], name: str = "clients.xlsx", title: str = "Feuil1",
         extra: dict[str, list[list[object]]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for sheet, sheet_rows in (extra or {}).items():
        other = wb.create_sheet(sheet)
        for row in sheet_rows:
            other.append(row)
    path = tmp_path / name
    wb.save(path)
    return path


def error(path: Path, kind: str = "clients", **kw: object) -> InputError:
    with pytest.raises(InputError) as info:
        read_records(path, kind, **kw)
    return info.value


# --- encodings ---------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_encodings(tmp_path: Path, encoding: str) -> None:
    text = "Nom;CA\r\nSociété Générale; 1 234,50\r\n"
    data = text.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    elif encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    rec = read_records(path, "clients")
    assert rec.rows == [{"name": "Société Générale", "revenue": 123450}]


def test_undecodable_bytes_report_their_line(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"Nom;CA\nA;1\nB\x81;2\n")  # 0x81 is neither UTF-8 nor cp1252
    err = error(path)
    assert err.line == 3 and "encodage" in err.message()


# --- separators, lines -------------------------------------------------------

@pytest.mark.parametrize("sep", [";", ",", "\t", "|"])
def test_separators(tmp_path: Path, sep: str) -> None:
    quote = '"' if sep == "," else ""  # only a comma file must quote cells holding commas
    name, amount = f"{quote}Dupont, Jean{quote}", f"{quote}1 234,50{quote}"
    path = write(tmp_path, f"Nom{sep}CA{sep}Secteur\n{name}{sep}{amount}{sep}BTP\n")
    assert read_records(path, "clients").rows == [{"name": "Dupont, Jean", "revenue": 123450, "sector": "BTP"}]


def test_decimal_comma_file_with_semicolons_is_semicolon(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;CA;Marge\nA;1,50;0,25\nB;2,75;1,10\n")
    assert [r["revenue"] for r in read_records(path, "clients").rows] == [150, 275]


def test_excel_sep_line_is_honoured_and_counted(tmp_path: Path) -> None:
    path = write(tmp_path, "sep=,\nNom,CA\nA;B,12\nC,x\n")
    err = error(path)
    assert (err.line, err.column, err.value) == (4, "CA", "x")


def test_crlf_trailing_separators_and_blank_lines(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;CA;;;\r\n\r\nA;1;;;\r\n;;;\r\n   \r\nB;2;;\r\n")
    rec = read_records(path, "clients")
    assert [r["name"] for r in rec.rows] == ["A", "B"] and rec.lines == [3, 6]


def test_ragged_row_reports_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;CA\nA;1\nB;2;oops\n")
    err = error(path)
    assert err.line == 3 and err.value == "oops"


def test_multiline_quoted_cells_keep_physical_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, 'Nom;CA\n"A\nsur deux lignes";1\nB;x\n')
    err = error(path)
    assert err.line == 4
    assert read_records(path, "clients", skip_bad=True).rows[0]["name"] == "A sur deux lignes"


def test_unbalanced_quote_is_an_error_not_a_swallowed_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'Nom;CA\nA;1\n"B;2\nC;3\n')
    assert error(path).line == 3


def test_title_row_above_header_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "Portefeuille clients au 31/12/2024\n\nN° client;Client;Chiffre d'affaires\n7;A;10\n")
    rec = read_records(path, "clients")
    assert rec.rows == [{"code": "7", "name": "A", "revenue": 1000}] and rec.lines == [4]


# --- numbers -----------------------------------------------------------------

@pytest.mark.parametrize(("text", "cents"), [
    ("1234", 123400), ("1 234,50", 123450), ("1\u00a0234,5", 123450), ("1\u202f234,50", 123450),
    ("1'234,50", 123450), ("1’234,50", 123450), ("1.234.567,89", 123456789), ("1 234,50 €", 123450),
    ("€1234", 123400), ("1234 EUR", 123400), ("12 E", 1200), ("-1 234,50", -123450),
    ("(1 234,50)", -123450), ("1234,50-", -123450), ("\u22121 234,50", -123450), ("+5", 500),
    ("- 12,30 €", -1230), (",5", 50), ("0,07", 7),
])
def test_amount_forms(text: str, cents: int) -> None:
    assert parse_amount_cents(text) == cents


@pytest.mark.parametrize(("text", "cents"), [("1,234.56", 123456), ("1234.5", 123450), ("1,234", 123400)])
def test_point_decimal_amounts(text: str, cents: int) -> None:
    assert parse_amount_cents(text, decimal=".") == cents


@pytest.mark.parametrize(("text", "needle"), [
    ("1.234", "ambigu"), ("1,234", "ambigu"), ("12,345", "ambigu"), ("1234,567", "2 décimales"),
    ("16,6 %", "pourcentage"), ("12,3,4", "montant"), ("--12", "montant"), ("abc", "montant"),
    ("", "montant"), ("1 23,00", "montant"), ("NA", "montant"),
])
def test_amounts_refused(text: str, needle: str) -> None:
    with pytest.raises(ValueError, match=needle):
        parse_amount_cents(text)


def test_percent() -> None:
    assert parse_percent("16,6 %") == Fraction(166, 1000)
    assert parse_percent("-5%") == Fraction(-1, 20)


@pytest.mark.parametrize(("cells", "mark"), [
    (["1 234,50", "12"], ","), (["1,234.56", "3"], "."), (["12.5", "3.25", "1,5"], "."),
    (["1234", "5"], ","), (["1.234.567", "2"], ","), (["NA", "x"], ","),
])
def test_sniff_decimal(cells: list[str], mark: str) -> None:
    assert sniff_decimal(cells) == mark


def test_ambiguous_thousands_point_in_comma_column_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;CA\nA;12,50\nB;1.234\n")
    err = error(path)
    assert (err.line, err.value) == (3, "1.234") and "séparateur ambigu" in err.message()


def test_point_decimal_column_with_comma_grouping(tmp_path: Path) -> None:
    path = write(tmp_path, 'Name,Revenue\nA,"1,234.56"\nB,12.5\n')
    assert [r["revenue"] for r in read_records(path, "clients").rows] == [123456, 1250]


def test_text_is_never_na_and_keeps_leading_zeros(tmp_path: Path) -> None:
    path = write(tmp_path, "Code;Nom;Secteur\n01000;NA;NULL\n007;None;N/A\n", name="c.csv")
    rows = read_records(path, "clients").rows
    assert rows == [{"code": "01000", "name": "NA", "sector": "NULL"},
                    {"code": "007", "name": "None", "sector": "N/A"}]
    pros = write(tmp_path, "Société;Téléphone\nACME;0612345678\n", name="p.csv")
    assert read_records(pros, "prospects").rows[0]["phone"] == "0612345678"


# --- dates, booleans ---------------------------------------------------------

@pytest.mark.parametrize("text", ["03/04/2024", "3/4/24", "2024-04-03", "03.04.2024", "03-04-2024",
                                  "2024-04-03 00:00:00", "03/04/2024 10:30"])
def test_text_dates_are_day_first(tmp_path: Path, text: str) -> None:
    path = write(tmp_path, f"Date;Client;Famille;CA\n{text};A;P;1\n")
    assert read_records(path, "sales").rows[0]["date"] == dt.date(2024, 4, 3)


def test_bad_date_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "Date;Client;Famille;CA\n31/02/2024;A;P;1\n")
    assert error(path, "sales").expected.startswith("une date")


def test_xlsx_mixed_date_column(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["Date facture", "Code client", "Produit", "Montant HT"],
                           [dt.datetime(2024, 4, 3, 10, 0), "C1", "P", 10],
                           [dt.date(2024, 4, 4), "C1", "P", 10.5],
                           [45387, "C1", "P", "1 234,50"],
                           [45388.75, "C1", "P", 0.1 + 0.2],
                           ["09/04/2024", "C1", "P", "12"]], name="s.xlsx")
    rows = read_records(path, "sales").rows
    assert [r["date"] for r in rows] == [dt.date(2024, 4, d) for d in (3, 4, 5, 6, 9)]
    assert [r["revenue"] for r in rows] == [1000, 1050, 123450, 30, 1200]


def test_sales_need_a_client_on_every_row(tmp_path: Path) -> None:
    path = write(tmp_path, "Date;Code client;Client;Gamme;CA;Marge\n01/01/2024;;;P;1;\n")
    err = error(path, "sales")
    assert err.line == 2 and err.column == "Code client"


def test_prospects_booleans_and_dates(tmp_path: Path) -> None:
    path = write(tmp_path, "Entreprise;Projet;Date relance;Potentiel\nA;oui;05/06/2024;1 000\nB;;;\nC;x;;\n")
    rows = read_records(path, "prospects").rows
    assert [r["has_project"] for r in rows] == [True, False, True]
    assert rows[0]["next_action_date"] == dt.date(2024, 6, 5) and rows[1]["potential"] is None


# --- xlsx --------------------------------------------------------------------

def test_xlsx_numbers_as_text_and_leading_zeros(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["Titre du tableau"], ["Code", "Nom", "CA"], ["01000", "A", "1 234,50"], ["02", "B", 7]])
    rec = read_records(path, "clients")
    assert rec.rows == [{"code": "01000", "name": "A", "revenue": 123450}, {"code": "02", "name": "B", "revenue": 700}]
    assert rec.lines == [3, 4]


def test_xlsx_sheet_choice(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["Notes"]], extra={"Clients": [["Nom", "CA"], ["A", 1]]})
    assert read_records(path, "clients", sheet="Clients").rows == [{"name": "A", "revenue": 100}]
    err = error(path, sheet="Ventes")
    assert "Feuil1" in err.message() and "Clients" in err.message() and err.value == "Ventes"
    assert "column" not in error(path).message()  # first sheet has no header


def test_xlsx_formula_without_cached_value(tmp_path: Path) -> None:
    path = xlsx(tmp_path, [["Nom", "CA"], ["A", 5], ["B", "=B2*2"]])
    err = error(path)
    assert (err.line, err.column, err.value) == (3, "CA", "=B2*2")
    assert "formule sans valeur calculée, ouvrez et enregistrez le fichier dans Excel" in err.message()


def test_xlsx_with_a_wrong_declared_size_is_read_whole(tmp_path: Path) -> None:
    good = xlsx(tmp_path, [["Nom", "CA"], ["A", 1], ["B", 2]])
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A1"', data)
            zout.writestr(item, data)
    assert [r["revenue"] for r in read_records(bad, "clients").rows] == [100, 200]


def test_csv_renamed_xlsx(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;CA\nA;1\n", name="clients.xlsx")
    assert "c'est peut-être un CSV renommé" in error(path).message()


def test_legacy_xls_and_encrypted_workbook(tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    xls = tmp_path / "old.csv"  # magic bytes decide, not the extension
    xls.write_bytes(ole + b"Workbook".decode().encode("utf-16-le"))
    assert "Excel 97-2003 (.xls) non pris en charge" in error(xls).message()
    enc = tmp_path / "locked.xlsx"
    enc.write_bytes(ole + "EncryptedPackage".encode("utf-16-le"))
    assert "protégé par mot de passe" in error(enc).message()


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"PK\x03\x04garbage")
    assert "classeur Excel" in error(path).message()


# --- headers -----------------------------------------------------------------

@pytest.mark.parametrize("header", ["C.A. 2024", "Chiffre d'affaires", "CA HT (€)", "chiffre  d’affaires", "Ventes"])
def test_revenue_header_synonyms(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, f"Raison sociale;{header}\nA;3\n")
    rec = read_records(path, "clients")
    assert rec.rows == [{"name": "A", "revenue": 300}]
    assert rec.years == ({"revenue": 2024} if "2024" in header else {})


def test_normalise_header() -> None:
    assert normalise_header("  Chiffre d'Affaires (€) ") == "chiffre daffaires"
    assert normalise_header("N° Client") == "no client"
    assert normalise_header("C.A. 2024") == "ca 2024"
    assert normalise_header("Société\u200b") == "societe"


def test_several_revenue_years_keep_the_latest(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;CA 2023;CA 2024;CA 2022;Commentaire\nA;1;2;3;x\n")
    rec = read_records(path, "clients")
    assert rec.rows == [{"name": "A", "revenue": 200, "revenue_by_year": {2022: 300, 2023: 100}}]
    assert rec.years == {"revenue": 2024} and rec.ignored == ["Commentaire"]


@pytest.mark.parametrize("headers", ["Nom;CA;Chiffre d'affaires", "Nom;CA 2024;C.A. 2024", "Nom;Client;CA"])
def test_duplicate_headers_are_refused_naming_both(tmp_path: Path, headers: str) -> None:
    path = write(tmp_path, headers + "\nA;B;1\n")
    first, second = headers.split(";")[1:3] if "Client" not in headers else ("Nom", "Client")
    err = error(path)
    assert err.line == 1 and first in err.message() and second in err.message()


def test_missing_required_column_lists_synonyms(tmp_path: Path) -> None:
    path = write(tmp_path, "Code;CA\n1;2\n")
    msg = error(path).message()
    assert "« nom »" in msg and "raison sociale" in msg and "company" in msg


def test_thousands_of_euros_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;CA (k€)\nA;12\n")
    assert "milliers" in error(path).message()


def test_fields_cover_every_kind() -> None:
    assert set(FIELDS) == {"clients", "sales", "prospects", "activity", "visits"}
    assert FIELDS["clients"]["name"].required and FIELDS["sales"]["revenue"].type == "amount"


# --- errors ------------------------------------------------------------------

def test_error_message_names_file_line_column_value_expected(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;CA\nA;1\nB;12,3,4\n")
    err = error(path)
    assert (err.path, err.line, err.column, err.value) == (str(path), 3, "CA", "12,3,4")
    assert err.message() == f"{path}, ligne 3, colonne « CA » : « 12,3,4 » — attendu : un montant (ex. 1 234,50)"
    assert err.message("en") == f"{path}, line 3, column 'CA': '12,3,4' — expected: an amount (e.g. 1,234.50)"
    assert str(err) == err.message() and "\n" not in str(err)


def test_error_value_is_terminal_safe_and_short() -> None:
    err = InputError("f.csv", 2, "CA", "\x1b[2J" + "9" * 100, "un montant")
    assert "\x1b" not in err.message() and len(err.value or "") <= 60


def test_error_is_frozen_yet_raisable_everywhere() -> None:
    err = InputError("f.csv", None, None, None, "fichier vide", "empty file")
    with pytest.raises(AttributeError):
        err.line = 3  # type: ignore[misc]
    with pytest.raises(InputError), contextlib.ExitStack():
        try:
            raise KeyError
        except KeyError:
            raise err from None
    err.add_note("note")
    assert pickle.loads(pickle.dumps(err)) == err
    assert err.message("en") == "f.csv: empty file"


def test_skip_bad_keeps_good_rows_and_lists_the_rest(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;CA\nA;1\n;2\nC;x\nD;4;extra\nE;5\n")
    rec = read_records(path, "clients", skip_bad=True)
    assert [r["name"] for r in rec.rows] == ["A", "E"] and rec.lines == [2, 6]
    assert [line for line, _ in rec.rejected] == [3, 4, 5]
    assert all(str(path) in reason for _, reason in rec.rejected)


@pytest.mark.parametrize("content", [b"", b"\n\n;;\n", b"\x00\x01\x02binary"])
def test_empty_or_binary_files(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(content)
    error(path)


def test_huge_numbers_are_input_errors_not_crashes(tmp_path: Path) -> None:
    path = write(tmp_path, "Nom;CA;Rang\nA;" + "9" * 5000 + ";1\nB;1;" + "9" * 5000 + "\n")
    assert error(path).line == 2
    assert [line for line, _ in read_records(path, "clients", skip_bad=True).rejected] == [2, 3]
    big = xlsx(tmp_path, [["Nom", "CA"], ["A", 1e300]])
    assert error(big).line == 2


def test_overlong_cell_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, 'Nom;CA\nA;1\n"' + "x" * 200_000 + '";1\n')
    assert error(path).line == 3


def test_canonical_field_names_are_accepted_headers(tmp_path: Path) -> None:
    path = write(tmp_path, "client_code,date,product,revenue,margin\nC001,2023-01-04,Clim,17701.54,5935.33\n")
    assert read_records(path, "sales").rows == [{"client_code": "C001", "date": dt.date(2023, 1, 4),
                                                  "product": "Clim", "revenue": 1770154, "margin": 593533}]


def test_reader_does_not_import_pandas() -> None:
    import subprocess
    import sys

    code = "import sys, cockpit.io.tabular; print('pandas' in sys.modules, 'openpyxl' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_missing_file() -> None:
    assert error(Path("/nonexistent/c.csv")).message() == "/nonexistent/c.csv : fichier introuvable"


# --- text cleaning, export ---------------------------------------------------

@pytest.mark.parametrize(("raw", "clean"), [
    ("\x1b[2JACME", "ACME"), ("\x1b]0;title\x07ACME", "ACME"), ("A\x00B", "AB"), ("A\tB", "A B"),
    ("\u202eevil\u202c", "evil"), ("zero\u200bwidth\ufeff", "zerowidth"), ("\x85C1\x9b", "C1"),
    ("  NA  ", "NA"), ("\u2067x\u2069", "x"), ("Ça va", "Ça va"),
])
def test_clean_text(raw: str, clean: str) -> None:
    assert clean_text(raw) == clean


def test_export_guards_formulas_and_writes_french_csv(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    write_csv_fr(path, ["Nom", "CA", "Date"], [["=HYPERLINK(\"x\")", Decimal("1234.50"), dt.date(2024, 4, 3)],
                                                ["-x", Decimal("-3.1"), None], ["@a", 7, None]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfNom;CA;Date\r\n")
    assert "'=HYPERLINK(\"\"x\"\")\";1234,50;03/04/2024\r\n".replace("'=", "\"'=") in raw.decode("utf-8-sig")
    assert "'-x;-3,1;\r\n'@a;7;" in raw.decode("utf-8-sig")
    rows = read_records(path, "clients").rows
    assert [r["name"] for r in rows] == ["=HYPERLINK(\"x\")", "-x", "@a"]
    assert [r["revenue"] for r in rows] == [123450, -310, 700]


# --- properties --------------------------------------------------------------

GROUPS = [" ", "\u00a0", "\u202f", "'", "’", "", "."]


def french(cents: int, group: str, sign: str, currency: str, decimals: bool) -> str:
    whole, frac = divmod(abs(cents), 100)
    digits = f"{whole:,}".replace(",", group)
    body = digits + (f",{frac:02d}" if decimals or frac or group == "." else "")
    if cents < 0:
        body = {"-": f"-{body}", "−": f"\u2212{body}", "()": f"({body})", "suffix": f"{body}-"}[sign]
    return {"": body, "€": f"{body} €", "€pre": f"€{body}", "EUR": f"{body} EUR"}[currency]


@FAST
@given(st.integers(-10**13, 10**13), st.sampled_from(GROUPS), st.sampled_from(["-", "−", "()", "suffix"]),
       st.sampled_from(["", "€", "€pre", "EUR"]), st.booleans())
def test_french_amounts_round_trip(cents: int, group: str, sign: str, currency: str, decimals: bool) -> None:
    text = french(cents, group, sign, currency, decimals)
    assert parse_amount_cents(text) == cents
    assert parse_amount_cents(text.replace(",", "#").replace(".", ",").replace("#", "."), decimal=".") == cents


NAMES = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), min_size=1, max_size=30)
NAMES = NAMES.map(str.strip).filter(bool) | st.sampled_from(["=1+1", "-5", "+33 6", "@x", "'=a", "''-b", "NA", "01000"])


@FAST
@given(st.lists(st.tuples(NAMES, st.integers(-10**12, 10**12)), min_size=1, max_size=8))
def test_export_then_import_round_trips(tmp_path: Path, rows: list[tuple[str, int]]) -> None:
    path = tmp_path / "rt.csv"
    write_csv_fr(path, ["Nom", "CA"], [[name, Decimal(cents).scaleb(-2)] for name, cents in rows])
    rec = read_records(path, "clients")
    assert [(r["name"], r["revenue"]) for r in rec.rows] == rows


CSV_ALPHABET = st.sampled_from(list(';,\t|"\n\r \'=-€%.0123456789aAéN') + ["Nom", "CA", "Date", "sep=", "\x00", "\ufeff"])


@FAST
@given(st.one_of(st.binary(max_size=300), st.lists(CSV_ALPHABET, max_size=80).map("".join).map(str.encode)),
       st.sampled_from(["clients", "sales", "prospects"]), st.booleans())
def test_any_input_fails_only_with_input_error(tmp_path: Path, data: bytes, kind: str, skip_bad: bool) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        rec = read_records(path, kind, skip_bad=skip_bad)
    except InputError as exc:
        assert "\n" not in exc.message() and "\n" not in exc.message("en")
    else:
        assert len(rec.rows) == len(rec.lines)
