"""`cockpit abc --format csv` on a plain file goes through polars
(`cockpit.io.abc_plain`, `cockpit.io.abc_csv`). It writes the row path's
bytes, and where a file is not plain the row path's own sentence comes out
unchanged. A plain file does take that path, quoted or not, and a file the
reference would read differently never does."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cockpit.io import abc_plain, abc_quoted
from cockpit.io.abc_csv import hundredths_column, ranked, round6_column, write_ranked_csv
from cockpit.portfolio.abc import Limits
from test_abc_fast import reference_abc
from test_abc_json import abc_run

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# What a file may hold that makes it not plain, or that plain files may hold; "" is none.
SPOILERS = ["", "", "", "short", "control elsewhere", "sep= line", "BOM", "quote", "CRLF", "trailing space",
            "guard", "extra cell", "extra blank cell", "empty line", "windows-1252 elsewhere", "grouped amount",
            "no name", "title row", "huge amount", "mixed marks", "three decimals", "text after a quote",
            "quote inside a cell", "unclosed quote", "line break in quotes", "space before a quote"]
STILL_PLAIN = {"", "short", "control elsewhere", "sep= line", "BOM", "quote"}
# Which cells are written between quotes: none, every one, the text ones, some drawn.
QUOTING = ["none", "none", "all", "text", "some"]
CENTS = st.sampled_from([0, -250, 100, 100, 12345, 50, 7, -5, 999_999_999, 10**14 + 1])


def amount_text(cents: int | None, mark: str, style: int) -> str:
    if cents is None:
        return ""
    sign, whole, frac = "-" if cents < 0 else "", abs(cents) // 100, abs(cents) % 100
    if style == 0 and frac == 0:
        return f"{sign}{whole}"
    if style == 1 and frac % 10 == 0:
        return f"{sign}{whole}{mark}{frac // 10}"
    return f"{sign}{whole}{mark}{frac:02d}"


def quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


@st.composite
def plain_files(draw: st.DrawFn) -> tuple[bytes, str]:
    """(the file, its spoiler)."""
    sep = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from(QUOTING))
    mark = "," if sep != "," and draw(st.booleans()) else "."
    french = draw(st.booleans())
    names = {"code": "Code client" if french else "code", "name": "Raison sociale" if french else "name",
             "group": "Groupe" if french else "group", "revenue": "CA" if french else "revenue"}
    fields = draw(st.permutations(["name", "group", "revenue"] + (["code"] if draw(st.booleans()) else [])))
    spoiler = draw(st.sampled_from(SPOILERS))
    rows = []
    for _ in range(draw(st.integers(0, 15))):
        cents = draw(st.none() | CENTS)
        cell = {"code": draw(st.sampled_from(["", "C1", "C2", "007", "Z9"])),
                "name": draw(st.sampled_from(["ACME", "Béta", "béta", "Zoé fils", "Ça", "x", "ACME"]
                                             + (["Zoé, fils"] if sep != "," or quoting != "none" else [])
                                             + (['Le "Bon" Coin', '""', "Dupont, fils" if sep == "\t" else f"Dupont{sep} fils"]
                                                if quoting != "none" else []))),
                "group": draw(st.sampled_from(["", "G1", "Grand Groupe"])),
                "revenue": amount_text(cents, mark, draw(st.integers(0, 2)))}
        rows.append([cell[f] for f in fields])
    header = [names[f] for f in fields]
    at = {f: i for i, f in enumerate(fields)}
    end = "\r\n" if spoiler == "CRLF" else "\n"
    if not rows and spoiler not in ("CRLF", "title row", "sep= line", "BOM"):
        spoiler = ""  # the others spoil a row
    if rows:
        r = draw(st.integers(0, len(rows) - 1))
        row = rows[r]
        if spoiler == "short":
            rows[r] = row[:-1]
            spoiler = "no name" if fields[-1] == "name" else spoiler
        elif spoiler == "control elsewhere":
            row[at["group"]] = "G\x1b[2J"
        elif spoiler == "trailing space":
            row[at["name"]] += " "
        elif spoiler == "guard":
            row[at["name"]] = "'=1"
        elif spoiler == "extra cell":
            row.append("x")
        elif spoiler == "extra blank cell":
            row.append("")
        elif spoiler == "empty line":
            rows.insert(r, [])
        elif spoiler == "windows-1252 elsewhere":
            row[at["group"]] = "\udce9t\udce9"  # the bytes E9 74 E9: not UTF-8
        elif spoiler == "grouped amount":
            row[at["revenue"]] = f"1 234{mark}50"
        elif spoiler == "no name":
            row[at["name"]] = ""
        elif spoiler == "huge amount":
            row[at["revenue"]] = "1" * 14 + "0"
        elif spoiler == "mixed marks":
            row[at["revenue"]] = "12.5" if mark == "," else "12,5"
            rows.append([f"7{mark}25" if f == "revenue" else c for f, c in zip(fields, row)])  # and one the other way
        elif spoiler == "three decimals":
            row[at["revenue"]] = f"1{mark}234"
        elif spoiler == "line break in quotes":
            row[at[draw(st.sampled_from(["name", "group"]))]] += "\n2"
    # A cell holding the separator, a quote or a line break is quoted whatever the style (as csv.writer would).
    table = [header] + rows
    chosen = {"none": lambda i, j: False, "all": lambda i, j: True,
              "text": lambda i, j: i == 0 or j >= len(fields) or fields[j] != "revenue",
              "some": lambda i, j: draw(st.booleans())}[quoting]
    force = {(r + 1, at["name"])} if rows and spoiler == "quote" else set()
    table = [[quoted(c) if chosen(i, j) or (i, j) in force or any(x in c for x in (sep, '"', "\n")) else c
              for j, c in enumerate(row)] for i, row in enumerate(table)]
    header, rows = table[0], table[1:]
    bad = {"text after a quote": lambda c: quoted(c) + "x", "quote inside a cell": lambda c: f'a"{c}',
           "unclosed quote": lambda c: '"' + c, "space before a quote": lambda c: " " + quoted(c)}
    if spoiler in bad:
        rows[-1][at["name"]] = bad[spoiler](rows[-1][at["name"]])
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    if spoiler == "title row":
        lines.insert(0, "Portefeuille au 31/12")
    if spoiler == "sep= line":
        lines.insert(0, f"sep={sep}")
    data = (end.join(lines) + end).encode("utf-8", "surrogateescape")
    return (codecs.BOM_UTF8 + data if spoiler == "BOM" else data), spoiler


def abc_csv(capsys: pytest.CaptureFixture[str], path: Path, columnar: bool, *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `cockpit abc --format csv`, fast or by the row path."""
    return abc_run(capsys, path, columnar, *args, form="csv")


@SETTINGS
@given(plain_files(), st.booleans(), st.sampled_from([5, 64, 1 << 23]))
def test_plain_files_give_the_row_paths_csv_and_odd_ones_its_sentence(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, file: tuple[bytes, str],
        computed: bool, block: int) -> None:
    data, spoiler = file
    monkeypatch.setattr(abc_quoted, "_BLOCK", block)  # the byte check's blocks end anywhere: in a cell, on a quote
    path = tmp_path / "clients.csv"
    path.write_bytes(data)
    args = ("--computed",) if computed else ()
    fast = abc_csv(capsys, path, True, *args)
    assert fast == abc_csv(capsys, path, False, *args)
    assert "Traceback" not in fast[2]
    taken = abc_plain.read_plain(str(path), "revenue") is not None
    if spoiler not in STILL_PLAIN:
        assert not taken, spoiler
    elif fast[0] == 0:
        assert taken, spoiler


def test_a_plain_file_is_the_methods_ranking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The plain path against the slow reference of METHOD §1 (exact fractions):
    ties by name then id, blank codes numbered, non-positive amounts last."""
    rows = [("C3", "SAME", 5000), ("", "SAME", 5000), ("A1", "SAME", 5000), ("B2", "OTHER", 1000), ("C9", "Zéro", 0),
            ("D4", "Moins", -250), ("", "Ça", 7), ("E5", "x", 123456789)]
    rows += [(f"F{i}", f"N{i % 13}", (i * 7919) % 100_003) for i in range(3000)]
    path = tmp_path / "c.csv"
    path.write_text("code,name,revenue\n" + "".join(f"{c},{n},{a / 100:.2f}\n" for c, n, a in rows), encoding="utf-8")
    assert abc_plain.read_plain(str(path), "revenue") is not None
    assert abc_csv(capsys, path, True) == (0, reference_abc(rows), "")


def test_a_long_row_hidden_by_a_short_one_is_still_found(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One row a cell short and one a cell long leave the file's separator
    count as if every row were whole: the rows themselves are then counted."""
    path = tmp_path / "c.csv"
    path.write_text("code;name;revenue\nC1;A;1\nC2;B\nC3;C;3;oops\n", encoding="utf-8")
    assert abc_plain.read_plain(str(path), "revenue") is None
    code, out, err = abc_csv(capsys, path, True)
    assert (code, out) == (2, "") and "oops" in err and "cellule en trop" in err


def test_rows_a_cell_short_are_read_as_blank_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.csv"
    path.write_text("code;name;revenue\nC1;A;1\nC2;B\n", encoding="utf-8")
    assert abc_plain.read_plain(str(path), "revenue") is not None
    assert abc_csv(capsys, path, True) == abc_csv(capsys, path, False)


# ERP exports that quote their cells: (rows after the header, whether polars reads them).
QUOTED = {
    "every cell": ('"C1";"LORFLEX";"175876,00"\n"C2";"MILER";"12,5"\n"";"Zoé";"-3"\n', True),
    "the text cells": ('"C1";"LORFLEX";175876,00\n"C2";"MILER";12,5\n', True),
    "some cells": ('C1;"LORFLEX";175876,00\n"C2";MILER;"12,5"\n', True),
    "doubled quotes": ('"C1";"Le ""Bon"" Coin";"10"\n"C2";"""";"5"\n', True),
    "a separator inside quotes": ('"C1";"Dupont; fils";"10"\n"C2";"MILER";"5"\n', True),
    "a separator inside quotes and a short row": ('"C1";"Dupont; fils";"10"\n"C2";"MILER"\n', True),
    "a quoted grouped amount": ('"C1";"LORFLEX";"1 234,50"\n"C2";"MILER";"5"\n', False),
    "a quoted empty name": ('"C1";"LORFLEX";"10"\n"C2";"";"5"\n', False),
    "a quoted empty row": ('"C1";"LORFLEX";"10"\n"";"";""\n', False),
    "a line break in a quoted name": ('"C1";"LOR\nFLEX";"10"\n"C2";"MILER";"5"\n', False),
    "a quoted cell with text after it": ('"C1";"LORFLEX"x;"10"\n', False),
    "a quote inside an unquoted cell": ('"C1";LOR"FLEX;"10"\n', False),
    "an unclosed quote": ('"C1";"LORFLEX;10\n"C2";"MILER";"5"\n', False),
    "a long row behind a quoted separator": ('"C1";"A;B";"10"\n"C2";"MILER"\n"C3";"X";"1";"oops"\n', False),
}


@pytest.mark.parametrize("case", QUOTED)
def test_quoted_files_take_polars_when_read_as_the_reference_reads_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str) -> None:
    rows, fast = QUOTED[case]
    path = tmp_path / "c.csv"
    path.write_text('"Code client";"Raison sociale";"CA"\n' + rows, encoding="utf-8")
    assert (abc_plain.read_plain(str(path), "revenue") is not None) == fast
    assert abc_csv(capsys, path, True) == abc_csv(capsys, path, False)


def test_a_quoted_file_is_the_methods_ranking(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell quoted, names holding the separator and quotes, the byte
    check's blocks ending at every kind of byte."""
    monkeypatch.setattr(abc_quoted, "_BLOCK", 4099)
    rows = [(f"C{i}", f'N{i % 13}; "{i % 7}"', (i * 7919) % 100_003) for i in range(200_000)] + [("", "SAME", 5000)]
    path = tmp_path / "c.csv"
    path.write_text('"code";"name";"revenue"\n' + "".join(
        f'"{c}";"{n.replace(chr(34), chr(34) * 2)}";"{a / 100:.2f}"\n'.replace(".", ",") for c, n, a in rows),
        encoding="utf-8")
    assert abc_plain.read_plain(str(path), "revenue") is not None
    assert abc_csv(capsys, path, True) == (0, reference_abc(rows), "")


def quotes_by_hand(data: bytes, sep: int) -> tuple[int, bool] | None:
    """`abc_quoted.unquoted_separators`, a byte at a time."""
    if b"\r" in data or b"\x00" in data:
        return None
    count, inside, before = 0, False, ord("\n")
    for i, b in enumerate(data):
        if b == ord('"'):
            after = data[i + 1] if i + 1 < len(data) else sep
            if (before if not inside else after) not in (sep, ord("\n"), ord('"')):
                return None  # opens inside a cell, or text after it closes
            inside = not inside
        elif b == ord("\n") and inside:
            return None
        count += b == sep and not inside
        before = b
    return None if inside else (count, b'"' in data)


@SETTINGS
@given(st.lists(st.sampled_from([b'"', b";", b"\n", b"a", b'""', b'"a;b"', b'"x""y"', b'"\n"', b"\r", b"\x00"]),
                max_size=300)
       | st.lists(st.lists(st.sampled_from([b"", b"ab", b'"a;b"', b'"x""y"', b'""', b'"ab"']), min_size=1, max_size=5)
                  .map(b";".join), max_size=100).map(lambda rows: [b"\n".join(rows)]),  # well formed, many words long
       st.sampled_from([1, 3, 64, 65, 1 << 23]))
def test_the_byte_check_reads_quotes_as_a_byte_at_a_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parts: list[bytes], block: int) -> None:
    path = tmp_path / "c.csv"
    path.write_bytes(b"".join(parts))
    monkeypatch.setattr(abc_quoted, "_BLOCK", block)
    assert abc_quoted.unquoted_separators(str(path), 0, ";") == quotes_by_hand(path.read_bytes(), ord(";"))


@given(st.lists(st.integers(-(10**18), 10**18) | st.integers(-10**6, 10**6), max_size=50))
def test_cents_are_written_as_repr_of_their_euros(cents: list[int]) -> None:
    assert written(hundredths_column(np.array(cents, dtype=np.int64))) == [repr(c / 100) for c in cents]


@given(st.lists(st.floats(0, 1) | st.integers(0, 2000).map(lambda k: k / 2_000_000)
                | st.integers(1, 10**6).map(lambda k: k / 10**6), max_size=50))
def test_shares_are_written_as_repr_of_their_rounding(values: list[float]) -> None:
    assert written(round6_column(np.array(values, dtype=np.float64))) == [repr(round(v, 6)) for v in values]


def written(column: pl.Series) -> list[str]:
    """The cells write_csv writes for a column."""
    buf = io.BytesIO()
    pl.DataFrame({"v": column}).write_csv(buf, include_header=False, line_terminator="\n")
    return buf.getvalue().decode("utf-8").split("\n")[:-1]


def test_a_text_stream_that_is_not_utf8_gets_the_same_text() -> None:
    clients = ranked(pl.DataFrame({"cents": [100, 250], "name": ["Zoé, fils", "Ça"], "id": ["C1", "2"]}))
    text = io.StringIO()  # no bytes under it: the rows are decoded then written
    write_ranked_csv(text, clients, Limits.of("0.8", "0.95"), False)
    assert text.getvalue() == ("rank,id,name,amount,cum_share,client_share,class,flag\n"
                               "1,2,Ça,2.5,0.714286,0.5,A,\n" '2,C1,"Zoé, fils",1.0,1.0,1.0,A,\n')  # 71 % before it: A


def test_a_windows_1252_byte_past_the_head_sends_the_file_to_the_reference(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The head's look finds UTF-8; polars' read finds the byte further on, in
    a column `abc` does not read: the reference then reads the file as
    Windows-1252, as it would have from the start."""
    rows = "".join(f"C{i};Client {i};Groupe é;{i},50\n" for i in range(20_000))  # past UTF8_HEAD (256 kB)
    path = tmp_path / "c.csv"
    path.write_bytes(("code;name;group;revenue\n" + rows).encode("utf-8") + b"C9;Late;Soci\xe9t\xe9;1\n")
    assert abc_plain.read_plain(str(path), "revenue") is None
    assert abc_csv(capsys, path, True) == abc_csv(capsys, path, False)


def test_a_reader_that_leaves_early_is_no_error(tmp_path: Path) -> None:
    """`cockpit abc big.csv | head -1`: exit 0 and nothing on stderr, as any Unix tool."""
    import subprocess
    import sys

    path = tmp_path / "c.csv"
    path.write_text("code,name,revenue\n" + "".join(f"C{i},Client {i},{i}.5\n" for i in range(50_000)), encoding="utf-8")
    assert abc_plain.read_plain(str(path), "revenue") is not None
    run = subprocess.Popen([sys.executable, "-m", "cockpit.cli", "abc", str(path), "--format", "csv"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert run.stdout is not None and run.stderr is not None
    assert run.stdout.readline() == b"rank,id,name,amount,cum_share,client_share,class,flag\n"
    run.stdout.close()
    assert (run.wait(timeout=60), run.stderr.read()) == (0, b"")
