"""The commands for scripts and cron, run as a rep's cron would: a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "sample_data" / "seed-portfolio.csv"


def cockpit(*args: str, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "COCKPIT_CONFIG": "/nonexistent/config.toml", "LANG": "C.UTF-8", **(env or {})}
    return subprocess.run([sys.executable, "-m", "screens", *args], capture_output=True, text=True,
                          cwd=ROOT, env=full_env, stdin=subprocess.DEVNULL, **kw)


def test_abc_csv_on_the_decks_table():
    out = cockpit("abc", str(SEED), "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0])[:7] == ["rank", "id", "name", "amount", "cum_share", "client_share", "class"]
    classes = [r["class"] for r in rows]
    assert (classes.count("A"), classes.count("B"), classes.count("C")) == (7, 11, 27)
    assert (rows[0]["rank"], rows[0]["id"], rows[0]["name"], rows[0]["amount"]) == ("1", "1", "LORFLEX", "175876.0")
    assert round(float(rows[6]["cum_share"]), 3) == 0.813


def test_abc_computed_limits_near_the_worked_figures():
    out = cockpit("abc", str(SEED), "--computed", "--format", "json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert abs(result["computed"]["pareto_x"] - 0.18) < 0.01
    assert abs(result["computed"]["submarginal_x"] - 0.25) < 0.01
    assert result["counts"]["A"] in (7, 8) and result["counts"]["C"] == 34


def test_abc_by_group_and_custom_limits(tmp_path):
    f = tmp_path / "clients.csv"
    f.write_text("Code client;Raison sociale;Groupe;CA 2025\nX1;Alpha Nord;ALPHA;1 000,50\nX2;Alpha Sud;ALPHA;500\nX3;Béta;BETA;1 200\n",
                 encoding="cp1252")
    out = cockpit("abc", str(f), "--by-group", "--a-limit", "0.5", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [(r["name"], r["amount"], r["class"]) for r in rows] == [("ALPHA", "1500.5", "A"), ("BETA", "1200.0", "B")]
    table = cockpit("abc", str(f))
    assert "Alpha Nord" in table.stdout and "X1" not in table.stdout and "Situation fragile" in table.stdout


def test_bad_input_is_one_line_and_exit_2(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("Nom;CA\nACME;1 000\nBETA;douze\n", encoding="utf-8")
    out = cockpit("abc", str(f))
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "bad.csv" in out.stderr and "ligne 3" in out.stderr and "CA" in out.stderr and "douze" in out.stderr
    out = cockpit("abc", str(f), "--a-limit", "2")
    assert out.returncode == 2 and "Traceback" not in out.stderr


def test_import_is_all_or_nothing_and_report(tmp_path, db_path):
    db = db_path  # the sample's 45 clients, and one more
    good = tmp_path / "new.csv"
    good.write_text("Nom;Groupe;CA\nNOUVEAU CLIENT [EU];NOUVEAU;250 000\n", encoding="utf-8")
    out = cockpit("--db", str(db), "import", "clients", str(good), "--period", "2025")
    assert out.returncode == 0, out.stderr
    bad = tmp_path / "sales.csv"
    bad.write_text("Code client;Date;Famille;CA\nC001;03/04/2025;Sanitaire;1 000\nC001;31/02/2025;Sanitaire;5\n")
    before = sqlite3.connect(db).execute("SELECT count(*), sum(revenue) FROM sales").fetchone()
    out = cockpit("--db", str(db), "import", "sales", str(bad))
    assert out.returncode == 2 and "ligne 3" in out.stderr and "Date" in out.stderr
    assert sqlite3.connect(db).execute("SELECT count(*), sum(revenue) FROM sales").fetchone() == before
    report = cockpit("--db", str(db), "report")
    assert report.returncode == 0
    assert "46 clients" in report.stdout and "1\u202f311\u202f077\xa0€" in report.stdout


def test_the_app_refuses_to_start_without_a_terminal(tmp_path):
    out = cockpit("--db", str(tmp_path / "w.sqlite"), timeout=20)
    assert out.returncode == 2 and "ssh -t" in out.stderr


def test_english_on_request():
    out = cockpit("--lang", "en", "abc", str(SEED))
    assert "Fragile situation" in out.stdout and "€1,061,077" in out.stdout


def test_term_dumb_is_refused_with_the_way_out(tmp_path):
    out = cockpit("--db", str(tmp_path / "w.sqlite"), env={"TERM": "dumb"}, timeout=20)
    assert out.returncode == 2 and "ssh -t" in out.stderr and "Traceback" not in out.stderr


def test_term_dumb_in_a_real_terminal_names_the_terminal_type(tmp_path):
    """Over ``ssh -t`` with TERM=dumb there is a terminal: the refusal says its
    type is the problem and what to set, not to use ``ssh -t`` (issue 18, 6)."""
    from pty_run import PtyApp

    for lang, words in (("fr", "terminal de type TERM=dumb"), ("en", "terminal of type TERM=dumb")):
        env = {"TERM": "dumb", "LANG": "C.UTF-8", "COCKPIT_CONFIG": "/nonexistent/config.toml"}
        app = PtyApp(["--db", str(tmp_path / "w.sqlite"), *(["--lang", "en"] if lang == "en" else [])], env)
        assert app.wait(20) == 2
        out = app.output.decode("utf-8", "replace")
        assert words in out and "TERM=xterm-256color" in out, out
        assert "ssh -t »" not in out and "with 'ssh -t'" not in out and "Traceback" not in out
