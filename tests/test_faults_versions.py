"""Issue 17, point 2: a sales import keeps the amounts' versions, so an edit
opened before the import meets the conflict check instead of overwriting."""

from __future__ import annotations

import csv

import pytest

from cockpit.store.loading import SAMPLE_DIR, import_sales
from cockpit.io.tabular import read_records
from cockpit.store.workspace import Conflict, Workspace


def _year_file(tmp_path, year: str, bump: str) -> "Path":
    """The sample's lines of ``year`` as an ERP would re-export them, with one
    line of client ``bump`` changed."""
    with (SAMPLE_DIR / "sales.csv").open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["date"].startswith(year)]
    changed = next(r for r in rows if r["client_code"] == bump)
    changed["revenue"] = f"{float(changed['revenue']) + 1000:.2f}"
    path = tmp_path / f"ventes-{year}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return path


def _id(ws: Workspace, code: str) -> int:
    return ws.db.execute("SELECT id FROM clients WHERE code = ?", (code,)).fetchone()[0]


def test_an_import_gives_changed_amounts_a_new_version_and_keeps_the_others(db_path, tmp_path):
    ws = Workspace(db_path, who="nathalie")  # the team's year file: a manager's import (a rep's replaces their own)
    changed, same = _id(ws, "C001"), _id(ws, "C002")
    before_changed = ws.get("amounts", (changed, "2025"), "revenue")
    before_same = ws.get("amounts", (same, "2025"), "revenue")
    # The rep's edit is open on C001's 2025 amount (seen at before_changed's version)…
    import_sales(ws, read_records(_year_file(tmp_path, "2025", "C001"), "sales"))
    after_changed = ws.get("amounts", (changed, "2025"), "revenue")
    assert after_changed[0] == before_changed[0] + 100_000
    assert after_changed[1] > before_changed[1]
    assert ws.get("amounts", (same, "2025"), "revenue") == before_same  # unchanged: same version
    # …and is saved after the import: a conflict, not an overwrite.
    with pytest.raises(Conflict):
        ws.edit("amounts", (changed, "2025"), "revenue", 1, expected_version=before_changed[1])
    assert ws.get("amounts", (changed, "2025"), "revenue")[0] == after_changed[0]
    ws.edit("amounts", (same, "2025"), "revenue", 1, expected_version=before_same[1])  # nothing moved there
    ws.close()


def test_a_client_whose_lines_are_gone_loses_its_amount(db_path, tmp_path):
    ws = Workspace(db_path, who="nathalie")
    path = _year_file(tmp_path, "2025", "C001")
    lines = [l for l in path.read_text(encoding="utf-8").splitlines() if not l.startswith("C003,")]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_sales(ws, read_records(path, "sales"))
    assert ws.get("amounts", (_id(ws, "C003"), "2025"), "revenue") is None
    ws.close()
