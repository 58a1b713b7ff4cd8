"""The column-by-column CSV reader and `cockpit abc --format csv` against the
row-by-row reference: same records, same first error, same output."""

from __future__ import annotations

import csv
import io
import json
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit import cli
from cockpit.io import sheets, tabular
from cockpit.safe_text import _TABLE as _CLEAN_TABLE
from cockpit.io.amount_columns import amount_column, sniff_decimal_column
from cockpit.io.numbers_fr import (
    ParseError, clean_text, parse_amount_cents, sniff_decimal,
    guard_formula, unguard,
)
from cockpit.io.tabular import InputError, read_records

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def read_both(path: Path, kind: str = "clients", **kw: object) -> tuple[object, object]:
    """(columnar result, row-by-row result): Records, or the InputError raised."""
    out = []
    for columnar in (True, False):
        tabular._COLUMNAR = columnar
        try:
            out.append(read_records(path, kind, **kw))
        except InputError as exc:
            out.append(exc)
        finally:
            tabular._COLUMNAR = True
    return out[0], out[1]


def same(path: Path, kind: str = "clients", **kw: object) -> object:
    fast, slow = read_both(path, kind, **kw)
    assert type(fast) is type(slow), (fast, slow)
    assert fast == slow
    if isinstance(fast, tabular.Records):
        assert fast.rows == slow.rows and fast.lines == slow.lines  # the lazy rows, made
        assert all(fast.column(f) == slow.column(f) for f in fast.fields)
    return fast


# --- generated French and English files ----------------------------------------

CLEAN = st.lists(st.sampled_from(list("abcÉéç0'-.@=+ ")), max_size=8).map("".join)
TEXT = st.lists(st.sampled_from(list("abcÉéç 0'=-+@.,;\"") + ["\u00a0", "\u200b", "\x1b[2J", "’", "\t", "\n"]),
                max_size=8).map("".join)
PLAIN = st.integers(-10**9, 10**9).map(lambda c: (c, f"{'-' if c < 0 else ''}{abs(c) // 100}.{abs(c) % 100:02d}"))


def amount_text(decimal: str, odd_share: int = 1) -> st.SearchStrategy[str]:
    other = "." if decimal == "," else ","
    plain = st.one_of(
        PLAIN.map(lambda t: t[1].replace(".", decimal)),
        st.integers(-10**6, 10**6).map(str),
        st.integers(0, 999).map(lambda c: f"{c // 10}{decimal}{c % 10}"),
    )
    odd = st.sampled_from([
        "", " ", f"1 234{decimal}50", f"1{other}234{other}567{decimal}89", "1.234", "1,234", f"12{decimal}345",
        "douze", "€12", f"(12{decimal}50)", f" 12{decimal}5 ", "12-", "16 %", "1" * 20, "NA", f"1{decimal}2{decimal}3",
        f"{decimal}5", "\u22125", "+7", "0",
    ])
    return st.one_of(*[plain] * (3 if odd_share else 20), odd)


@st.composite
def client_files(draw: st.DrawFn) -> tuple[bytes, str]:
    french = draw(st.booleans())
    sep = ";" if french else draw(st.sampled_from([",", "\t", "|"]))
    decimal = "," if french else "."
    headers = ["Code client", "Raison sociale", "Groupe", "CA 2024", "Potentiel"] if french else \
        ["code", "name", "group", "revenue", "potential"]
    if draw(st.booleans()):
        headers.append("CA 2023" if french else "Comment")
    rows = []
    messy = draw(st.booleans())  # else cells without quotes, separators or line breaks: the bulk split
    text, amount = (TEXT, amount_text(decimal)) if messy else (CLEAN, amount_text(decimal, 0))
    for _ in range(draw(st.integers(0, 12))):
        row = [draw(text), draw(st.sampled_from(["ACME", "Béta"]) | text), draw(text), draw(amount), draw(amount)]
        row += [draw(amount)] if len(headers) == 6 else []
        shape = draw(st.sampled_from(["row"] * (8 if messy else 60) + ["blank", "short", "long"]))
        rows.append([] if shape == "blank" else row[:2] if shape == "short" else row + ["x"] if shape == "long" else row)
    quote = messy and draw(st.booleans())
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=draw(st.sampled_from(["\n", "\r\n"])),
                        quoting=csv.QUOTE_ALL if quote else csv.QUOTE_MINIMAL)
    if draw(st.booleans()):
        writer.writerow(["Portefeuille au 31/12" if french else "Portfolio"])
    writer.writerow(headers)
    writer.writerows(rows)
    text = buf.getvalue()
    if draw(st.booleans()):
        text = f"sep={sep}\n" + text
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"])) if french else "utf-8"
    return text.encode(encoding, errors="replace"), sep


@FAST
@given(client_files(), st.sampled_from([None, ["name", "revenue"], ["code", "name", "revenue", "group"], []]))
def test_columnar_reader_gives_the_row_readers_records_or_error(tmp_path: Path, file: tuple[bytes, str],
                                                                 fields: list[str] | None) -> None:
    path = tmp_path / "clients.csv"
    path.write_bytes(file[0])
    same(path, fields=fields)


SALES_CELLS = {
    "Date": st.sampled_from(["03/04/2024", "2024-04-03", "31/02/2024", "", "hier", "45387"]),
    "Code client": st.sampled_from(["C1", "", "007"]),
    "Client": st.sampled_from(["ACME", "", "Béta"]),
    "Famille": st.sampled_from(["P", "", "Clim"]),
    "CA": st.sampled_from(["1 234,50", "12,5", "12", "", "x", "1.234", "-3,10"]),
    "Marge": st.sampled_from(["", "1,5", "2"]),
}


@FAST
@given(st.lists(st.fixed_dictionaries(SALES_CELLS), max_size=8), st.sampled_from([None, ["date", "revenue"]]))
def test_columnar_reader_on_sales_lines(tmp_path: Path, rows: list[dict[str, str]], fields: list[str] | None) -> None:
    path = tmp_path / "sales.csv"
    path.write_text(";".join(SALES_CELLS) + "\n" + "".join(";".join(r.values()) + "\n" for r in rows), encoding="utf-8")
    same(path, "sales", fields=fields)


@FAST
@given(st.lists(st.sampled_from(["oui", "non", "", "peut-être", "x"]), max_size=6))
def test_columnar_reader_on_prospects(tmp_path: Path, flags: list[str]) -> None:
    path = tmp_path / "p.csv"
    path.write_text("Société;Projet;Date relance\n" + "".join(f"S{i};{f};05/06/2024\n" for i, f in enumerate(flags)),
                    encoding="utf-8")
    same(path, "prospects")


def test_plain_files_are_split_in_bulk_and_others_by_the_csv_module(tmp_path: Path) -> None:
    plain = sheets.csv_table("p.csv", b"Nom;CA\r\nA;1,50\r\nB;2\r\n")
    assert plain._columns is not None and list(plain.lines) == [1, 2, 3]
    assert plain.rows() == [(1, ["Nom", "CA"]), (2, ["A", "1,50"]), (3, ["B", "2"])]
    for data in (b'Nom;CA\n"A;B";1\n', b"Nom;CA\n\nA;1\n", b"Nom;CA\nA;1;2\n", b"Nom\n\nA\n", b"Nom;CA\rA;1\r"):
        assert sheets.csv_table("q.csv", data)._columns is None
    long_cell = sheets.csv_table("l.csv", b"Nom;CA\n" + b"x" * 110_000 + b";1\n")
    assert long_cell._columns is None and long_cell.rows()[1][1][1] == "1"


def test_fields_read_only_the_columns_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text("Code;Nom;CA;Potentiel;Rang\nC1;A;1 000;beaucoup;x\n", encoding="utf-8")
    with pytest.raises(InputError, match="Potentiel"):
        read_records(path, "clients")
    rec = same(path, fields=["name", "revenue"])
    assert rec.fields == ["name", "revenue"] and rec.rows == [{"name": "A", "revenue": 100000}]
    assert rec.columns == {"name": "Nom", "revenue": "CA"} and rec.column("code") == [None]
    with pytest.raises(ValueError, match="unknown fields"):
        read_records(path, "clients", fields=["nom"])


# --- errors in big columns --------------------------------------------------------

def big_column(tmp_path: Path, n: int, bad_row: int, bad: str, cell: str = "{i},50") -> Path:
    path = tmp_path / "big.csv"
    rows = [f"C{i};Client {i};{bad if i == bad_row else cell.format(i=i)}" for i in range(1, n + 1)]
    path.write_text("Code;Nom;CA\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_ambiguous_thousands_point_in_a_big_decimal_comma_column_names_its_line(tmp_path: Path) -> None:
    path = big_column(tmp_path, 6000, 4321, "1.234")
    err = same(path)
    assert isinstance(err, InputError)
    assert (err.line, err.column, err.value) == (4322, "CA", "1.234") and "séparateur ambigu" in err.message()


def test_bad_cell_late_in_a_big_column_names_its_line(tmp_path: Path) -> None:
    path = big_column(tmp_path, 8000, 5000, "douze")
    err = same(path)
    assert isinstance(err, InputError) and (err.line, err.column, err.value) == (5001, "CA", "douze")
    assert err.message().endswith("attendu : un montant (ex. 1 234,50)")
    path = big_column(tmp_path, 8000, 5000, "")  # the revenue is not required: a blank is no error
    assert same(path, fields=["name", "revenue"]).column("revenue")[4999] is None


def test_a_big_point_decimal_column_with_some_grouped_amounts(tmp_path: Path) -> None:
    path = tmp_path / "en.csv"
    rows = [f"C{i},Client {i},{i}.{i % 100:02d}" for i in range(1, 5001)] + ['C0,Zero,"1,234.5"', "C9,Nine,7"]
    path.write_text("code,name,revenue\n" + "\n".join(rows) + "\n", encoding="utf-8")
    rec = same(path)
    assert rec.column("revenue")[-2:] == [123450, 700] and rec.column("revenue")[0] == 101


# --- the column helpers against their cell-by-cell definitions -------------------------

CELLS = st.lists(st.one_of(amount_text(","), amount_text("."), st.text(st.sampled_from("0123456789.,- €E%()'"),
                                                                          max_size=9)), max_size=30)


@settings(max_examples=300, deadline=None)
@given(CELLS)
def test_sniff_decimal_column_is_sniff_decimal(cells: list[str]) -> None:
    cells = [clean_text(c) for c in cells]
    assert sniff_decimal_column(cells) == sniff_decimal(cells)
    assert sniff_decimal_column(cells * 30_000 if len(cells) < 3 else cells) == sniff_decimal(cells)


def test_sniff_decimal_column_stops_only_once_decided() -> None:
    for cells in (["1 234,50"] * 70_000 + ["1,234.50"] * 70_001, ["1 234,50"] * 70_001 + ["1,234.50"] * 70_000,
                  ["x"] * 140_000 + ["1.5"], ["1,5 €"] * 65_536 + ["1.5 €"] * 65_536):
        assert sniff_decimal_column(cells) == sniff_decimal(cells)


@settings(max_examples=300, deadline=None)
@given(CELLS, st.sampled_from([",", "."]))
def test_amount_column_is_parse_amount_cents_cell_by_cell(cells: list[str], decimal: str) -> None:
    cells = [clean_text(c) for c in cells]
    expected: list[int | None] = []
    error = None
    for p, c in enumerate(cells):
        try:
            expected.append(parse_amount_cents(c, decimal=decimal) if c else None)
        except ParseError as exc:
            error = p, exc.expected
            break
    values, bad = amount_column(cells, decimal)
    if error is None:
        assert bad is None and values == expected
    else:
        assert bad is not None and (bad[0], bad[1].expected) == error and values[: error[0]] == expected


def test_clean_text_shortcut_is_exact() -> None:
    """Printable text has nothing clean_text removes, and no space but " "."""
    assert not any(chr(k).isprintable() for k in _CLEAN_TABLE) and not "\x1b".isprintable()
    assert [c for c in range(sys.maxunicode + 1) if chr(c).isprintable() and chr(c).isspace()] == [32]


@FAST
@given(st.lists(st.lists(st.text(st.sampled_from(list('ab ,"\n\r;é\'')), max_size=5), min_size=8, max_size=8),
                max_size=6))
def test_write_csv_columns_is_csv_writer(rows: list[list[str]]) -> None:
    header = list("abcdefgh")
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\n").writerows([header, *rows])
    got = io.StringIO()
    sheets.write_csv_columns(got, header, [list(col) for col in zip(*rows)] if rows else [[] for _ in header])
    assert got.getvalue() == expected.getvalue()


# --- cockpit abc --format csv ------------------------------------------------------------

def reference_abc(rows: list[tuple[str, str, int]], a: Fraction = Fraction(4, 5), b: Fraction = Fraction(19, 20)) -> str:
    """The CSV of `cockpit abc`, computed the plain way, row by row."""
    # METHOD §1: ties by name, then id as text (the row number where no code is given).
    order = sorted(range(len(rows)), key=lambda i: (-rows[i][2], rows[i][1], rows[i][0] or str(i + 1)))
    total = sum(max(c, 0) for _, _, c in rows)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["rank", "id", "name", "amount", "cum_share", "client_share", "class", "flag"])
    cum = before = 0
    for rank, i in enumerate(order):
        code, name, cents = rows[i]
        cum += max(cents, 0)  # cum_share never decreases on a non-positive row
        cls = "C" if cents <= 0 or total <= 0 else "A" if before < a * total else "B" if before < b * total else "C"
        before = cum
        w.writerow([rank + 1, guard_formula(code or str(i + 1)), guard_formula(name), cents / 100, round(cum / total, 6) if total > 0 else 0.0,
                    round((rank + 1) / len(rows), 6), cls, "non-positive" if cents <= 0 else ""])
    return out.getvalue()


def run_abc(capsys: pytest.CaptureFixture[str], path: Path, *args: str) -> str:
    (path.parent / "none.toml").touch()  # an explicit --config must exist: an empty one is the defaults
    assert cli.main(["--config", str(path.parent / "none.toml"), "abc", str(path), *args]) == 0
    return capsys.readouterr().out


def write_clients_fr(path: Path, rows: list[tuple[str, str, int]]) -> Path:
    """A French clients file (`;`, decimal comma) of (code, name, cents) rows."""
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["Code", "Nom", "CA"])
        w.writerows([code, name, f"{c // 100},{c % 100:02d}" if c >= 0 else f"-{-c // 100},{-c % 100:02d}"]
                    for code, name, c in rows)
    return path


NAMES = st.sampled_from(["ACME", "Béta", "béta", "Zoé, fils", 'Le "Coin"', "ACME", "Ça", "'=1", "  "])


@FAST
@given(st.lists(st.tuples(st.sampled_from(["", "C1", "007", "C1"]), NAMES,
                          st.sampled_from([0, -250, 100, 100, 12345, 999_999_999, 50, 7])), min_size=1, max_size=40))
def test_abc_csv_is_the_plain_ranking(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      rows: list[tuple[str, str, int]]) -> None:
    rows = [(code, name.strip() or "X", cents) for code, name, cents in rows]
    path = write_clients_fr(tmp_path / "c.csv", rows)
    out = run_abc(capsys, path, "--format", "csv")
    assert out == reference_abc([(code, unguard(name), cents) for code, name, cents in rows])  # names as read
    clients = json.loads(run_abc(capsys, path, "--format", "json"))["clients"]  # the PortfolioModel path
    assert list(csv.DictReader(io.StringIO(out))) == [  # the CSV's text guarded against formulas, the JSON's as is
        {k: guard_formula(v) if k in ("id", "name") else str(v) for k, v in c.items()} for c in clients]


def test_abc_csv_on_ties_at_a_half_and_a_big_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [(f"C{i}", f"N{i % 7}", 100) for i in range(128)]  # client shares k/128: ties at a half millionth
    rows += [(f"D{i}", f"M{i}", (i * 7919) % 100_003) for i in range(20_000)]
    path = tmp_path / "c.csv"
    path.write_text("code,name,revenue\n" + "".join(f"{c},{n},{a / 100:.2f}\n" for c, n, a in rows), encoding="utf-8")
    assert run_abc(capsys, path, "--format", "csv") == reference_abc(rows)
    small = [r for r in rows[:128]]
    path.write_text("code,name,revenue\n" + "".join(f"{c},{n},{a / 100:.2f}\n" for c, n, a in small), encoding="utf-8")
    assert run_abc(capsys, path, "--format", "csv") == reference_abc(small)
    assert run_abc(capsys, path, "--computed", "--format", "csv").count(",A,") == \
        json.loads(run_abc(capsys, path, "--computed", "--format", "json"))["counts"]["A"]


def test_the_issues_tie_example_follows_the_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Z9, A1, M5 all SAME at 50, OTHER at 10, limits 0.5 / 0.9: the rule gives
    A1 A, M5 A, Z9 B, whatever the file's row order (METHOD §1)."""
    rows = [("Z9", "SAME", 5000), ("A1", "SAME", 5000), ("M5", "SAME", 5000), ("B2", "OTHER", 1000)]
    for order in (rows, rows[::-1]):
        path = tmp_path / "t.csv"
        path.write_text("id,name,revenue\n" + "".join(f"{c},{n},{v // 100}\n" for c, n, v in order), encoding="utf-8")
        out = run_abc(capsys, path, "--a-limit", "0.5", "--b-limit", "0.9", "--format", "csv")
        assert out == reference_abc(order, Fraction(1, 2), Fraction(9, 10))
        assert [line.split(",")[1] + " " + line.split(",")[6] for line in out.splitlines()[1:4]] == ["A1 A", "M5 A", "Z9 B"]


def test_by_group_never_merges_namesakes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two ungrouped DUPONT stay two groups, an ungrouped LORFLEX METZ stays
    apart from the group of that name; each is keyed by its code (METHOD §1)."""
    path = tmp_path / "g.csv"
    path.write_text("id,name,group,revenue\nC1,DUPONT,,50\nC2,DUPONT,,40\nC3,LORFLEX METZ,,30\n"
                    "C4,LORFLEX SITE,LORFLEX METZ,20\nC5,LORFLEX SUD,LORFLEX METZ,15\n", encoding="utf-8")
    out = run_abc(capsys, path, "--by-group", "--format", "csv")
    rows = [line.split(",") for line in out.splitlines()[1:]]
    assert [(r[1], r[2], r[3]) for r in rows] == [
        ("C1", "DUPONT", "50.0"), ("C2", "DUPONT", "40.0"), ("LORFLEX METZ", "LORFLEX METZ", "35.0"),
        ("C3", "LORFLEX METZ", "30.0")]
