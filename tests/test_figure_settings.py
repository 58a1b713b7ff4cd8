"""METHOD §8: settings that change figures belong to the workspace, so two reps
never see different classes for the same data. A review found a rep's own
config.toml still deciding the ABC limits (and the rhythms, the zones…) of a
team's workspace whenever the workspace held none: now the workspace's are
the only ones there (the default for a key it does not hold), a config.toml
line they override is said in one line, ``cockpit settings`` shows each with
where it comes from and ``--save`` stores a config.toml's for every rep. A
solo workspace (no team) keeps its user's config."""

from __future__ import annotations

import sqlite3

from action_refs import ref_classes
from cockpit import cli, i18n


def class_counts(db_path, owner: str | None, a: str, b: str) -> tuple[int, int, int]:
    from fractions import Fraction

    with sqlite3.connect(db_path) as db:
        rows = db.execute("SELECT c.id, c.code, c.name, a.revenue FROM amounts a JOIN clients c ON c.id = a.client_id "
                          "WHERE a.period = '2025' AND (? IS NULL OR c.owner = ?)", (owner, owner)).fetchall()
    ranked = sorted(rows, key=lambda r: (-r[3], r[2], r[1]))
    total = sum(r[3] for r in rows if r[3] > 0)
    counts, before = {"A": 0, "B": 0, "C": 0}, 0
    for r in ranked:
        share = Fraction(before, total)
        counts["C" if r[3] <= 0 else "A" if share < Fraction(a) else "B" if share < Fraction(b) else "C"] += 1
        before += max(r[3], 0)
    assert ref_classes  # the same rule as the action references, with these limits
    return counts["A"], counts["B"], counts["C"]


def report(db_path, capsys, *args: str) -> tuple[str, str]:
    i18n.set_lang("fr")
    assert cli.main(["--db", str(db_path), *args, "report"]) == 0
    out = capsys.readouterr()
    return out.out.replace("\u202f", " ").replace("\xa0", " "), out.err


def classes_line(out: str) -> tuple[int, int, int]:
    lines = [x for x in out.splitlines() if x[:4] in ("A : ", "B : ", "C : ")][:3]
    return tuple(int(x.split(" clients")[0].split(": ")[1]) for x in lines)  # type: ignore[return-value]


def test_two_reps_configs_never_make_two_sets_of_classes(db_path, tmp_path, capsys):
    mine = tmp_path / "julien.toml"
    mine.write_text("[abc]\na_limit = 0.6\nb_limit = 0.9\n[rhythm]\ncall_weight = 0.5\n", encoding="utf-8")
    plain, err = report(db_path, capsys, "--rep", "nathalie")
    assert not err
    theirs, err = report(db_path, capsys, "--rep", "nathalie", "--config", str(mine))
    assert classes_line(theirs) == classes_line(plain) == class_counts(db_path, None, "4/5", "19/20")
    assert err.count("\n") == 1 and "julien.toml" in err and "abc.a_limit, abc.b_limit, rhythm.call_weight" in err
    assert "Seuils : A < 80,0 % · B < 95,0 %" in theirs


def test_settings_save_stores_a_config_for_every_rep(db_path, tmp_path, capsys):
    mine = tmp_path / "equipe.toml"
    mine.write_text("[abc]\na_limit = 0.6\nb_limit = 0.9\n", encoding="utf-8")
    i18n.set_lang("fr")
    assert cli.main(["--db", str(db_path), "--config", str(mine), "settings", "--save"]) == 0
    out = capsys.readouterr()
    assert not out.err and "enregistrés" in out.out and "abc.a_limit = 0.6  # l'espace de travail" in out.out
    for rep in ("claire", "julien"):
        got, err = report(db_path, capsys, "--rep", rep)  # each with no config of their own: the workspace's
        assert not err and classes_line(got) == class_counts(db_path, rep, "3/5", "9/10")
        assert "Seuils : A < 60,0 % · B < 90,0 %" in got
    assert cli.main(["--db", str(db_path), "settings"]) == 0
    shown = capsys.readouterr().out
    assert "abc.b_limit = 0.9  # l'espace de travail" in shown and "rhythm.a_days = 30  # l'espace de travail" in shown  # every one, stored whole


def test_a_solo_workspace_keeps_its_users_config(tmp_path, capsys):
    clients = tmp_path / "clients.csv"
    clients.write_text("code;nom;CA\n" + "".join(f"K{i};N{i};{10 * i}\n" for i in range(1, 21)), encoding="utf-8")
    db = tmp_path / "solo.sqlite"
    assert cli.main(["--db", str(db), "import", "clients", str(clients), "--period", "2025"]) == 0
    mine = tmp_path / "moi.toml"
    mine.write_text("[abc]\na_limit = 0.6\nb_limit = 0.9\n", encoding="utf-8")
    capsys.readouterr()
    got, err = report(db, capsys, "--config", str(mine))
    assert not err and "Seuils : A < 60,0 % · B < 90,0 %" in got
    assert classes_line(got) == class_counts(db, None, "3/5", "9/10")
