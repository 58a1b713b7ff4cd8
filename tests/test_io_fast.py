"""The columnar import path (cockpit/io/) against the per-cell reference:
the same cents, dates and texts cell by cell, and, file by file, the same
workspace after an import or the same first error (line, column, value,
sentence) — on generated French files with the nasty cases."""

from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cockpit.store import loading
from cockpit.io.duplicates import check_unique
from cockpit.io import chunks, stream_read
from cockpit.io import french_columns as fc
from cockpit.io.fast_import import fast_import
from cockpit.io.fast_records import read_fast
from cockpit.io.progress import Bar, line
from cockpit.io.numbers_fr import ParseError, clean_text, parse_amount_cents, parse_date, sniff_decimal, unguard
from cockpit.io.tabular import InputError, read_records
from cockpit.store.workspace import Workspace

FAST = settings(max_examples=int(os.environ.get("IO_FAST_EXAMPLES", "120")), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
SPACES = [" ", "\u00a0", "\u202f"]

# --- cells --------------------------------------------------------------------------


@st.composite
def amount_cells(draw: st.DrawFn) -> str:
    """French (and English) amounts as ERPs and people write them, and near misses."""
    digits = draw(st.integers(0, 10**15))
    grouped = f"{digits:,}".replace(",", draw(st.sampled_from([*SPACES, ".", ",", "'", ""])))
    core = draw(st.sampled_from([str(digits), grouped, grouped, str(digits)[:3]]))
    decimals = draw(st.sampled_from(["", "5", "50", "05", "123"]))
    mark = draw(st.sampled_from([",", ",", "."]))
    number = core + (mark + decimals if decimals else "")
    space = draw(st.sampled_from(["", *SPACES]))
    euro = draw(st.sampled_from(["", "", "€", "EUR", "E"]))
    before = draw(st.booleans())
    money = f"{euro}{space}{number}" if before and euro else f"{number}{space}{euro}" if euro else number
    sign = draw(st.sampled_from(["", "", "-", "()", "trail", "+", "--"]))
    cell = {"-": "-" + money, "()": f"({money})", "trail": money + "-", "+": "+" + money,
            "--": "-" + money + "-"}.get(sign, money)
    return draw(st.sampled_from([cell, cell, cell, "", " " + cell + " ", "abc", "12 %", "1.234", "0,5", ",5"]))


date_cells = st.one_of(
    st.dates(min_value=__import__("datetime").date(1850, 1, 1)).map(
        lambda d: d.strftime(["%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d/%m/%y", "%d-%m-%Y"][d.day % 5])),
    st.sampled_from(["", "31/02/2024", "2024-13-01", "00/01/2024", "45000", "3/4/2024", "2024/04/03",
                     "03/04/2024 10:30", "hier"]))
text_cells = st.text(alphabet=st.sampled_from(list("ab é'=+-;,\"\t\n|€") + SPACES + ["\x1b", "\u200b", "\x85"]),
                     max_size=8)


@FAST
@given(st.lists(text_cells, max_size=20))
def test_cleaning_is_clean_text_of_unguard(cells):
    assert fc.clean(pa.array(cells, pa.string())).to_pylist() == [clean_text(unguard(c)) for c in cells]


@FAST
@given(st.lists(st.lists(text_cells, min_size=1, max_size=4), min_size=1, max_size=6),
       st.sampled_from([",", ";", "\t", "|"]), st.sampled_from(["\n", "\r\n"]))
def test_a_chunk_said_clean_holds_no_cell_cleaning_would_change(rows, sep, eol):
    """The one look at a quote-free chunk's bytes never passes a cell `clean` would change."""
    rows = [[c for c in r if not set(c) & {sep, "\n", "\r", '"'}] or [""] for r in rows]
    data = "".join(sep.join(r) + eol for r in rows).encode("utf-8")
    if fc.chunk_is_clean(data, sep):
        assert all(clean_text(unguard(c)) == c for r in rows for c in r)


@FAST
@given(st.lists(amount_cells(), max_size=30))
def test_the_decimal_vote_is_sniff_decimal(cells):
    comma, point = fc.votes(pa.array(cells, pa.string()))
    assert ("." if point > comma else ",") == sniff_decimal(cells)


@FAST
@given(st.lists(amount_cells(), max_size=30), st.sampled_from([",", "."]))
def test_amounts_are_parse_amount_cents(cells, decimal):
    cells = [clean_text(c) for c in cells]
    cents, blank, bad = fc.amounts(pa.array(cells, pa.string()), decimal)
    expected, wrong = [], False
    for c in cells:
        try:
            expected.append(parse_amount_cents(c, decimal=decimal) if c else 0)
        except ParseError:
            wrong = True
            break
    assert bad == wrong
    assert blank.tolist() == [c == "" for c in cells]
    if not wrong:
        assert cents.tolist() == expected


@FAST
@given(st.lists(date_cells, max_size=20))
def test_dates_are_parse_date(cells):
    days, blank, bad = fc.dates(pa.array(cells, pa.string()))
    expected, wrong = [], False
    for c in cells:
        try:
            expected.append(parse_date(c).isoformat() if c else None)
        except ParseError:
            wrong = True
            break
    assert bad == wrong
    if not wrong:
        assert [None if b else str(d) for d, b in zip(days, blank)] == expected


# --- whole files ---------------------------------------------------------------------


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few rows, so a file of 80 rows takes both readers and many chunks."""
    monkeypatch.setattr(chunks, "FIRST_CHUNK", 64)
    monkeypatch.setattr(chunks, "CHUNK", 300)
    monkeypatch.setattr(chunks, "UTF8_HEAD", 64)  # a Windows-1252 file found so past its head: read again


def _dump(path: Path) -> list[list[tuple[object, ...]]]:
    db = sqlite3.connect(path)
    try:
        return [db.execute(q).fetchall() for q in (
            "SELECT id, code, name, grp, sector, potential, version FROM clients ORDER BY id",
            "SELECT client_id, period, revenue, margin, version FROM amounts ORDER BY 1, 2",
            "SELECT client_id, date, product, revenue, margin FROM sales ORDER BY id")]
    finally:
        db.close()


def _outcome(sample_db: Path | None, file: Path, kind: str, fast: bool) -> tuple[object, ...]:
    """The workspace after the import (a copy of ``sample_db``, else a new one), or the error."""
    folder = Path(tempfile.mkdtemp())
    try:
        db = folder / "w.sqlite"
        if sample_db is not None:
            shutil.copy(sample_db, db)
        ws = Workspace(db, who="t")
        try:
            if fast:
                count = fast_import(ws, kind, file, "2025", lambda replaced: True, Bar(io.StringIO()))
                assert count is not None, "the fast path gave this file to the reference"
            else:
                records = check_unique(read_records(file, kind), kind, False)
                (loading.import_clients(ws, records, "2025") if kind == "clients" else loading.import_sales(ws, records))
        except InputError as exc:
            return ("error", exc.line, exc.column, exc.value, exc.message("fr"), exc.message("en"))
        finally:
            ws.close()
        return ("ok", _dump(db))
    finally:
        shutil.rmtree(folder)


def _write(path: Path, header: list[str], rows: list[list[str]], sep: str, encoding: str, sep_line: bool,
           blank_lines: bool) -> bool:
    buf = io.StringIO(newline="")
    if sep_line:
        buf.write(f"sep={sep}\r\n")
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n" if encoding == "cp1252" else "\n")
    writer.writerow(header)
    for k, row in enumerate(rows):
        writer.writerow(row)
        if blank_lines and k % 17 == 5:
            buf.write(sep * (len(header) - 1) + "\n" if k % 2 else "\n")
    try:
        data = buf.getvalue().encode(encoding)
    except UnicodeEncodeError:
        return False
    path.write_bytes(data)
    return True


name_cells = st.text(alphabet=st.sampled_from(list("abcXYZ é'-&;,|\"\n\t") + SPACES), min_size=1, max_size=10)


@st.composite
def clients_files(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    n = draw(st.integers(1, 80))
    header = ["Code client", "Raison sociale", "Groupe", "Potentiel", "CA 2025", "Marge"]
    plain = draw(st.booleans())  # most files are plain: every cell in bulk
    money = st.integers(-10**9, 10**11).map(lambda c: f"{c // 100},{c % 100:02d}") if plain else amount_cells()
    rows = []
    for i in range(n):
        code = draw(st.sampled_from([f"C{i:04d}", f"C{i:04d}", f"C{i:04d}", "", "C001"]))
        rows.append([code, draw(name_cells), draw(st.sampled_from(["", "G1", "Grp ; 2"])),
                     draw(money), draw(money), draw(money)])
    if draw(st.booleans()):  # a bad cell on the last line
        rows[-1][draw(st.sampled_from([1, 3, 4]))] = draw(st.sampled_from(["", "12,345", "abc", "1.234"]))
    return header, rows


@pytest.mark.usefixtures("small_chunks")
@FAST
@given(clients_files(), st.sampled_from([";", ",", "\t", "|"]), st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       st.booleans(), st.booleans(), st.booleans())
def test_a_clients_file_imports_as_the_reference_does(sample_db, file, sep, encoding, sep_line, blank_lines, first):
    header, rows = file
    base = None if first else sample_db  # a first import (every client new) or into the sample's clients
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "clients.csv"
        assume(_write(path, header, rows, sep, encoding, sep_line, blank_lines))
        assert _outcome(base, path, "clients", True) == _outcome(base, path, "clients", False)


@st.composite
def sales_files(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    n = draw(st.integers(1, 80))
    header = ["Code client", "Client", "Date facture", "Famille", "Montant HT", "Marge"]
    rows = []
    for _ in range(n):
        code = draw(st.sampled_from(["C001", "C002", "C014", "", "C001"]))
        name = draw(st.sampled_from(["", "LORFLEX", "MEGNIN"])) if code else draw(st.sampled_from(["LORFLEX", "MEQUISA"]))
        rows.append([code, name, draw(st.sampled_from(["03/04/2025", "2024-12-31", "1/2/2025", "15/06/2025"])),
                     draw(st.sampled_from(["Sanitaire", "Chauffage ; eau", "Clim\nréseau"])),
                     draw(st.sampled_from(["1 234,50", "-12", "(45,10)", "12,5-", "1\u202f000 €", "3,99"])),
                     draw(st.sampled_from(["", "1,50", "2"]))])
    if draw(st.booleans()):
        rows[-1][draw(st.sampled_from([0, 2, 4]))] = draw(st.sampled_from(["", "C999", "31/02/2025", "12,345"]))
    return header, rows


@pytest.mark.usefixtures("small_chunks")
@FAST
@given(sales_files(), st.sampled_from([";", ",", "\t", "|"]), st.sampled_from(["utf-8", "cp1252", "utf-16"]),
       st.booleans())
def test_a_sales_file_imports_as_the_reference_does(sample_db, file, sep, encoding, blank_lines):
    header, rows = file
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ventes.csv"
        assume(_write(path, header, rows, sep, encoding, False, blank_lines))
        assert _outcome(sample_db, path, "sales", True) == _outcome(sample_db, path, "sales", False)


@pytest.mark.usefixtures("small_chunks")
@FAST
@given(st.one_of(clients_files().map(lambda f: ("clients", f)), sales_files().map(lambda f: ("sales", f))),
       st.sampled_from([";", ",", "\t"]))
def test_read_fast_gives_the_columns_of_read_records(file, sep):
    kind, (header, rows) = file
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "f.csv"
        _write(path, header, rows, sep, "utf-8", False, True)
        outcomes = []
        for read in (read_fast, read_records):
            try:
                records = read(path, kind)
                assert records is not None
                outcomes.append(("ok", records.fields, {f: records.column(f) for f in records.fields}, len(records.lines)))
            except InputError as exc:
                outcomes.append(("error", exc.message()))
        assert outcomes[0] == outcomes[1]


def test_a_plain_file_is_read_by_pyarrow_past_its_header(tmp_path, small_chunks):
    path = tmp_path / "clients.csv"
    path.write_text("code;nom;CA\n" + "".join(f"C{i:03d};Client {i};{i},50\n" for i in range(300)), encoding="utf-8")
    source = chunks.open_source(str(path))
    assert source is not None
    kinds = [c.by_csv for c in source.chunks()]
    assert kinds[0] and len(kinds) > 3 and not any(kinds[1:])


@pytest.mark.parametrize("later", ["Société", "Soci\u00e9t\u00e9 \u2019"])
def test_a_file_utf8_in_its_head_and_windows_1252_further_on_is_read_again_as_the_reference_does(
        sample_db, tmp_path, small_chunks, monkeypatch, later):
    """Only the head is checked before reading; the chunk that is not UTF-8
    sends the reader back to the start, the whole file checked first. A file
    that mixes both is "encodages mélangés", as the reference says."""
    path = tmp_path / "clients.csv"
    rows = "".join(f"C{i:03d};Client {i};{i},50\n" for i in range(40))
    mixed = later != "Société"
    head = ("code;nom;CA\n" + ("C999;Société utf8;1,00\n" if mixed else "")).encode("utf-8")
    path.write_bytes(head + rows.encode("utf-8") + f"C500;{later.replace(chr(0x2019), '')};9,50\n".encode("cp1252"))
    checks = []
    opened = chunks.open_source
    monkeypatch.setattr(chunks, "open_source", lambda p, check=False: checks.append(check) or opened(p, check))
    monkeypatch.setattr(stream_read, "open_source", chunks.open_source)
    fast = _outcome(sample_db, path, "clients", True)
    assert checks == [False, True]
    assert fast == _outcome(sample_db, path, "clients", False)
    assert (fast[0] == "error" and "encodages mélangés" in str(fast[4])) if mixed else fast[0] == "ok"


def test_a_repeated_code_names_both_lines(sample_db, tmp_path, small_chunks):
    rows = "".join(f"C{i:03d};Client {i};{i},50\n" for i in range(200)) + "C007;Encore;1\n"
    path = tmp_path / "clients.csv"
    path.write_text("code;nom;CA\n" + rows, encoding="utf-8")
    fast = _outcome(sample_db, path, "clients", True)
    assert fast == _outcome(sample_db, path, "clients", False)
    assert fast[1] == 202 and "déjà ligne 9" in str(fast[4])


def test_the_progress_bar_is_drawn_on_a_terminal_only():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    pipe, tty = io.StringIO(), Tty()
    for stream in (pipe, tty):
        bar = Bar(stream, delay=0)
        bar(1000, 50, 100)
        bar.close()
    assert pipe.getvalue() == ""
    assert "50 %" in tty.getvalue() and "lignes/s" in tty.getvalue()
    assert line(10, 0, 0, 1.0).startswith("[" + "#" * 24)


def test_an_odd_file_goes_to_the_reference_reader(sample_db, tmp_path):
    path = tmp_path / "clients.csv"
    path.write_bytes(b"code;nom\rC1;A\rC2;B\r")  # bare CR line ends: the csv module's own rules
    folder = tmp_path / "w"
    folder.mkdir()
    shutil.copy(sample_db, folder / "w.sqlite")
    ws = Workspace(folder / "w.sqlite", who="t")
    try:
        assert fast_import(ws, "clients", path, "2025", lambda replaced: True, Bar(io.StringIO())) is None
    finally:
        ws.close()
    assert codecs.BOM_UTF8  # (imported for the writers above)


def test_the_cli_stops_at_a_bad_last_line_with_the_sentence_and_nothing_written(db_path, tmp_path, capsys,
                                                                                small_chunks):
    from cockpit.cli import main

    path = tmp_path / "clients.csv"
    body = "".join(f"N{i:03d};Client {i};{i}\u202f000,50\n" for i in range(300)) + "N300;Dernier;12,345\n"
    path.write_text("code;nom;CA\n" + body, encoding="utf-8")
    before = _dump(db_path)
    expected = str(pytest.raises(InputError, read_records, path, "clients").value)
    assert main(["--db", str(db_path), "import", "clients", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err and "ligne 302" in err and "Traceback" not in err and "\r" not in err  # no bar on a pipe
    assert _dump(db_path) == before


@pytest.mark.parametrize("last", ["1 234,50;", "abc;", ";x", "1,5;"])
def test_revenue_by_year_columns_are_checked_as_the_reference_does(sample_db, tmp_path, small_chunks, last):
    path = tmp_path / "clients.csv"
    body = "".join(f"N{i:03d};Client {i};{i},50;{i}\u00a0000;\n" for i in range(120)) + f"N999;Fin;1;{last}\n"
    path.write_text("code;nom;CA 2024;CA 2025;\n" + body, encoding="utf-8")
    for base in (None, sample_db):
        assert _outcome(base, path, "clients", True) == _outcome(base, path, "clients", False)


def test_year_sums_are_sql_sums(monkeypatch):
    import numpy as np

    from cockpit.io import year_sums

    monkeypatch.setattr(year_sums, "_REDUCE", 50)  # partial sums added up along the way too
    rng = np.random.default_rng(1)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE s(c, d, r, m)")
    sums = year_sums.YearSums()
    for _ in range(20):
        c = rng.integers(1, 30, 100)
        days = (np.datetime64("2023-01-01") + rng.integers(0, 1000, 100)).astype("datetime64[D]")
        r, m, blank = rng.integers(-10**6, 10**6, 100), rng.integers(-100, 100, 100), rng.random(100) < 0.7
        sums.add(c, days, r, m, blank)
        db.executemany("INSERT INTO s VALUES (?,?,?,?)", zip(c.tolist(), np.datetime_as_string(days).tolist(), r.tolist(),
                                                             [None if b else v for v, b in zip(m.tolist(), blank.tolist())]))
    expected = db.execute("SELECT c, substr(d, 1, 4), sum(r), sum(m) FROM s GROUP BY 1, 2").fetchall()
    assert sorted(sums.rows()) == sorted(expected)


@pytest.mark.parametrize("later", ["{i}.50", "{i}", "1,234,567.5"])
def test_a_decimal_mark_outvoted_after_the_first_chunk_is_decided_as_the_reference_does(sample_db, tmp_path,
                                                                                         small_chunks, later):
    path = tmp_path / "clients.csv"
    first = "".join(f"N{i:03d};Client {i};{i},50\n" for i in range(70))  # the header's chunk votes comma
    rest = "".join(f"M{i:03d};Autre {i};{later.format(i=i)}\n" for i in range(200))
    path.write_text("code;nom;CA\n" + first + rest, encoding="utf-8")
    for base in (None, sample_db):
        assert _outcome(base, path, "clients", True) == _outcome(base, path, "clients", False)


def test_cleaning_finds_every_space_and_invisible_character_the_regex_names():
    """`fc.clean` first looks at bytes (a superset), then the regex: every
    code point of the classes, and French letters around them, at the start,
    inside and at the end of a cell, as clean_text(unguard()) has them."""
    points = [*range(0x00, 0x3100), 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB, 0x110BD, 0x110CD, *range(0x13430, 0x13440),
              *range(0x1BCA0, 0x1BCA4), *range(0x1D173, 0x1D17B), *range(0xE0000, 0xE0080)]
    chars = [chr(p) for p in points if not 0xD800 <= p <= 0xDFFF]
    cells = [cell for ch in chars for cell in (f"é{ch}b", f"{ch}Œx", f"xà{ch}")] + ["'=x", " a", "a ", "Société", ""]
    assert fc.clean(pa.array(cells, pa.string())).to_pylist() == [clean_text(unguard(c)) for c in cells]


def test_a_big_import_that_fails_leaves_the_indexes_and_rows_as_they_were(db_path, tmp_path, small_chunks, capsys):
    """A sales file over 40 bytes per line already there drops the index and
    builds it again at the end; a bad last line rolls back instead, without
    building it first (the rollback restores it)."""
    from cockpit.cli import main

    db = sqlite3.connect(db_path)
    code = db.execute("SELECT code FROM clients ORDER BY id LIMIT 1").fetchone()[0]
    schema = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
    indexes = db.execute(schema).fetchall()
    db.close()
    path = tmp_path / "sales.csv"
    line = f"{code};12/03/2025;Produit de test;1 234,50;10,00\n"
    path.write_text("code client;date;produit;CA;marge\n" + line * 110_000 + f"{code};12/03/2025;X;douze;1\n",
                    encoding="utf-8")
    assert path.stat().st_size > 40 * 100_000  # past `import_sales`' bound: the index is dropped
    before = _dump(db_path)
    assert main(["--db", str(db_path), "import", "sales", str(path), "--yes"]) == 2
    assert "douze" in capsys.readouterr().err  # the bad amount, found after 110 000 lines went in
    db = sqlite3.connect(db_path)
    assert db.execute(schema).fetchall() == indexes and any(n == "sales_by_client" for n, _ in indexes)
    db.close()
    assert _dump(db_path) == before


def test_a_sales_file_bigger_than_the_table_is_swapped_in_with_the_same_outcome(sample_db, tmp_path, monkeypatch):
    """The staging table swapped in (cockpit/io/sales_swap.py) leaves what the
    reference leaves: the other years' lines with their ids, the same amounts,
    the same counts asked about, the index, a sound file."""
    from cockpit.io import bulk_load

    db = sqlite3.connect(sample_db)
    codes = [c for (c,) in db.execute("SELECT code FROM clients ORDER BY id LIMIT 9")]
    years = sorted({y for (y,) in db.execute("SELECT DISTINCT substr(date, 1, 4) FROM sales")})
    db.close()
    assert len(years) >= 2  # one replaced, the others kept
    path = tmp_path / "sales.csv"
    path.write_text("code client;date;produit;CA;marge\n" + "".join(
        f"{codes[i % 9]};{1 + i % 28:02d}/{1 + i % 12:02d}/{years[-1]};P{i % 5};{i},5{i % 10};\n" for i in range(3000)),
        encoding="utf-8")

    def run(staged: bool) -> tuple[object, ...]:
        monkeypatch.setattr(bulk_load, "MANY_LINES", 10 if staged else 100_000)
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        shutil.copy(sample_db, folder / "w.sqlite")
        ws = Workspace(folder / "w.sqlite", who="t")
        asked: list[object] = []
        try:
            assert fast_import(ws, "sales", path, "2025", lambda replaced: asked.append(replaced()) or True,
                               Bar(io.StringIO())) == 3000
        finally:
            ws.close()
        db = sqlite3.connect(folder / "w.sqlite")
        sound = db.execute("PRAGMA integrity_check").fetchone()[0]
        index = db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sales'").fetchall()
        tables = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'sales%'").fetchall()
        db.close()
        return _dump(folder / "w.sqlite"), asked, sound, index, tables

    staged, plain = run(True), run(False)
    assert staged == plain
    assert staged[2:] == ("ok", [("sales_by_client",)], [("sales",)])
    assert staged[0] == _outcome(sample_db, path, "sales", False)[1]  # the reference's tables
