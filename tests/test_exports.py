"""Exports: what a rep opens in French Excel, and nothing that runs."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl

from cockpit.io.exports import write_table
from cockpit.io.tabular import read_records

ROOT = Path(__file__).resolve().parent.parent


def test_xlsx_never_stores_a_formula(tmp_path):
    path = tmp_path / "x.xlsx"
    write_table(path, ["name", "amount"], [["=HYPERLINK(\"http://x\")", Decimal("-12.5")], ["ok\x07bell", Decimal("3")]],
                sheet="a/b:c*d?[e]")
    book = openpyxl.load_workbook(path)  # formulas would come back as data_type "f"
    ws = book.worksheets[0]
    assert ws.title == "a_b_c_d__e_"
    assert ws["A2"].value == '=HYPERLINK("http://x")' and ws["A2"].data_type == "s"
    assert ws["A3"].value == "okbell" and ws["B2"].value == -12.5


def test_csv_export_reimports_exactly(tmp_path):
    path = tmp_path / "clients.csv"
    write_table(path, ["Nom", "CA"], [["=1+2", Decimal("1234.5")], ["-ACME", Decimal("-7")], ["NA", Decimal("0.01")]])
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b";" in raw and b"1234,5" in raw
    records = read_records(path, "clients")
    assert [(r["name"], r["revenue"]) for r in records.rows] == [("=1+2", 123450), ("-ACME", -700), ("NA", 1)]


def test_cli_exports_each_table(tmp_path, sample_db):
    for kind, suffix in (("clients", "xlsx"), ("evolution", "csv"), ("matrix", "csv"), ("products", "xlsx")):
        out = subprocess.run([sys.executable, "-m", "screens", "--db", str(sample_db), "export", kind,
                              str(tmp_path / f"{kind}.{suffix}")], capture_output=True, text=True, cwd=ROOT)
        assert out.returncode == 0, out.stderr
    evolution = (tmp_path / "evolution.csv").read_text(encoding="utf-8-sig").splitlines()
    assert evolution[0].startswith("period;clients;new") and evolution[3].startswith("2025;45;7")
    matrix = (tmp_path / "matrix.csv").read_text(encoding="utf-8-sig")
    assert "A';A;fond_de_commerce;7;862984" in matrix and "potentiel_a_renseigner;4" in matrix
    clients = openpyxl.load_workbook(tmp_path / "clients.xlsx").worksheets[0]
    assert clients.max_row == 46 and clients["C2"].value == "LORFLEX"
