"""XLSX exports people open in Excel: headers in the interface's language,
number formats, column widths, never a formula."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import openpyxl

from cockpit import i18n
from cockpit.io.exports import write_table


def _read(path):
    book = openpyxl.load_workbook(path)
    return book.active


def test_headers_are_in_the_interfaces_language_with_real_formats(tmp_path):
    rows = [[1, "C001", "=cmd()", Decimal("1234.5"), Decimal("0.25"), dt.date(2025, 4, 3)],
            [2, "C002", "Société", None, Decimal("1"), None]]
    headers = ["rank", "code", "name", "amount", "cum_share", "fond_de_commerce"]
    for lang, first in (("fr", ["Rang", "Code", "Nom", "Montant", "Part cumulée", "Fond de commerce"]),
                        ("en", ["Rank", "Code", "Name", "Amount", "Cumulative share", "Core accounts"])):
        i18n.set_lang(lang)
        path = tmp_path / f"t_{lang}.xlsx"
        write_table(path, headers, rows)
        ws = _read(path)
        assert [c.value for c in ws[1]] == first
        rank, code, name, amount, share, day = ws[2]
        assert name.value == "=cmd()" and name.data_type == "s"  # text, never a formula
        assert amount.value == 1234.5 and "€" in amount.number_format
        assert share.value == 0.25 and share.number_format == "0.0%"
        assert day.number_format == "DD/MM/YYYY" and rank.number_format == "0"
        assert ws.column_dimensions["C"].width >= 8 and ws.freeze_panes == "A2"


def test_unknown_headers_stay_as_given(tmp_path):
    path = tmp_path / "t.xlsx"
    write_table(path, ["Critère libre", "2025"], [["x", 3]])
    assert [c.value for c in _read(path)[1]] == ["Critère libre", "2025"]
