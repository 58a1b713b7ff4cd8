"""``cockpit report`` gains Today, time allocation and funnel against churn;
``cockpit export`` gains today, allocation and card CODE — through the real
command line on the sample, the rows read back against the core's own
figures, bad input said in one sentence with exit 2."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import openpyxl

from cockpit import cli, config
from cockpit.action.allocation import load_allocation
from cockpit.action.card import client_card
from cockpit.action.today import today_list
from cockpit.store.workspace import Workspace


def rows(path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def test_report_has_the_three_sections_in_both_languages(db_path, capsys):
    assert cli.main(["--db", str(db_path), "report"]) == 0
    out = capsys.readouterr().out
    for words in ("Aujourd'hui — ", "Clients à contacter selon leur rythme", "Temps de l'équipe",
                  "Classe C : ", "du CA", "service coûteux", "Entonnoir contre attrition", "Étape la plus faible"):
        assert words in out, words
    assert cli.main(["--db", str(db_path), "--lang", "en", "report"]) == 0
    out = capsys.readouterr().out
    for words in ("Today — ", "The team's time", "served expensively", "Funnel against churn", "Weakest stage"):
        assert words in out, words


def test_exports_today_allocation_card(db_path, tmp_path, capsys):
    db = ["--db", str(db_path)]
    assert cli.main([*db, "export", "today", str(tmp_path / "today.csv")]) == 0
    assert cli.main([*db, "export", "allocation", str(tmp_path / "allocation.xlsx")]) == 0
    assert cli.main([*db, "export", "card", "C003", str(tmp_path / "card.csv")]) == 0
    ws = Workspace(db_path)
    cfg = config.DEFAULTS
    day = today_list(ws, cfg, dt.date.today())
    got = rows(tmp_path / "today.csv")
    assert got[0][:4] == ["reason", "kind", "code", "name"] and len(got) == len(day) + 1
    assert [(r[0], r[1], r[3]) for r in got[1:]] == [(x.reason, x.target[0], x.name) for x in day]
    sheet = openpyxl.load_workbook(tmp_path / "allocation.xlsx").worksheets[0]
    a = load_allocation(ws, cfg)
    assert sheet.max_row == 1 + len(a.by_class) + len(a.by_zone)
    values = [[c.value for c in r] for r in sheet.iter_rows(min_row=2)]
    c_row = next(v for v in values if v[0] == "Classe" and v[1] == "C")  # XLSX: words (tests/test_xlsx_words.py)
    c = next(s for s in a.by_class if s.key == "C")
    assert Decimal(str(c_row[4])) == Decimal(str(round(float(c.contact_share), 6))) and c_row[9] == "Service coûteux"
    card = client_card(ws, cfg, "C003")
    got = rows(tmp_path / "card.csv")
    assert ["client", "code", "C003", ""] in got
    periods = [r for r in got if r[0] == "period"]
    assert [(r[1], r[3]) for r in periods] == [(f.period, f.cls) for f in card.periods]
    assert [r[2] for r in periods] == [f"{Decimal(f.revenue) / 100}".replace(".", ",") for f in card.periods]
    assert len([r for r in got if r[0] == "contact"]) == len(card.timeline)


def test_export_card_refuses_a_missing_or_unknown_code_and_a_stray_word(db_path, tmp_path, capsys):
    db = ["--db", str(db_path)]
    assert cli.main([*db, "export", "card", "NOPE", str(tmp_path / "c.csv")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "NOPE" in err and "C001" in err
    assert cli.main([*db, "export", "card", str(tmp_path / "c.csv")]) == 2
    assert "CODE" in capsys.readouterr().err
    try:
        cli.main([*db, "export", "clients", "C003", str(tmp_path / "c.csv")])
    except SystemExit as exc:  # argparse's own one-line error
        assert exc.code == 2
    assert "« C003 » est de trop" in capsys.readouterr().err  # in French, as the rest (it was English)
    assert not (tmp_path / "c.csv").exists()
