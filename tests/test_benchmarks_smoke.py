"""The benchmark data generator, at tiny scale: the workspace it builds loads,
with the right counts, and its yearly amounts are the sums of its sales lines.
(The benchmarks themselves are not tests: ``make bench``.)"""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.generate import YEARS, generate  # noqa: E402
from cockpit import config  # noqa: E402
from cockpit.portfolio.strategy import load_strategy  # noqa: E402
from cockpit.store.workspace import Workspace  # noqa: E402


def test_generated_workspace_loads_with_the_right_counts_and_totals(tmp_path):
    g = generate(500, 5_000, seed=3, data_dir=tmp_path)
    assert generate(500, 5_000, seed=3, data_dir=tmp_path).folder == g.folder  # cached

    db = sqlite3.connect(g.workspace)
    assert db.execute("SELECT count(*) FROM sales").fetchone()[0] == 5_000
    assert db.execute("SELECT count(*) FROM clients").fetchone()[0] == g.meta["clients_in_table"] > 500
    per_year_sales = dict(db.execute("SELECT substr(date, 1, 4), sum(revenue) FROM sales GROUP BY 1"))
    per_year_amounts = dict(db.execute("SELECT period, sum(revenue) FROM amounts GROUP BY period"))
    assert per_year_amounts == per_year_sales == g.meta["revenue_by_year"]
    assert sorted(per_year_amounts) == [str(y) for y in YEARS]
    # Per client too, and the margins.
    mismatched = db.execute(
        "SELECT count(*) FROM amounts a JOIN (SELECT client_id, substr(date, 1, 4) AS period, sum(revenue) AS r, "
        "sum(margin) AS m FROM sales GROUP BY 1, 2) s USING (client_id, period) WHERE a.revenue != s.r OR a.margin != s.m"
    ).fetchone()[0]
    assert mismatched == 0
    db.close()

    cfg, _ = config.load(tmp_path / "no-config.toml")
    ws = Workspace(g.workspace, who="bench")
    model, strategy, periods = load_strategy(ws, cfg)
    ws.close()
    assert periods == [str(y) for y in YEARS]
    assert model.data.period == str(YEARS[-1])
    assert len(model.ranked) == 500
    assert model.ranked.total == sum(max(0, int(a)) for a in model.data.amount)
    summary = model.summary()
    assert sum(summary.counts) == 500 and summary.counts[0] < summary.counts[2] + summary.counts[1]

    with g.clients_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 500
    assert sum(round(float(r["revenue"]) * 100) for r in rows) == g.meta["revenue_by_year"][str(YEARS[-1])]


def test_the_clients_import_floor_leaves_what_the_cockpit_import_leaves(tmp_path):
    """io_bench's "sqlite3 into the cockpit's tables", the floor the clients
    import is compared with, does the same job: on the benchmark's own kind of
    file it leaves the clients, amounts and indexes the cockpit's import leaves."""
    import io
    import subprocess

    from benchmarks.io_bench import _fresh, _tables_sql
    from cockpit.io.fast_import import fast_import
    from cockpit.io.progress import Bar

    g = generate(3_000, 15_000, seed=5, data_dir=tmp_path)
    floor = _fresh(tmp_path / "floor.sqlite")
    script = tmp_path / "floor.sql"
    script.write_text(_tables_sql(floor, g.clients_csv), encoding="utf-8")
    subprocess.run(["sqlite3", str(floor), f".read {script}"], check=True, capture_output=True)
    ours = _fresh(tmp_path / "cockpit.sqlite")
    ws = Workspace(ours, who="bench")
    try:
        assert fast_import(ws, "clients", g.clients_csv, "2026", lambda replaced: True, Bar(io.StringIO())) == 3_000
    finally:
        ws.close()

    def tables(path: Path) -> tuple[object, ...]:
        db = sqlite3.connect(path)
        try:
            return (db.execute("SELECT id, code, name, grp, sector, potential, owner, version FROM clients ORDER BY id")
                    .fetchall(),
                    db.execute("SELECT * FROM amounts ORDER BY client_id, period").fetchall(),
                    db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").fetchall(),
                    db.execute("PRAGMA integrity_check").fetchall())
        finally:
            db.close()

    floor_tables, our_tables = tables(floor), tables(ours)
    assert len(floor_tables[0]) == len(floor_tables[1]) == 3_000  # every client, each with its year's amount
    assert floor_tables == our_tables
