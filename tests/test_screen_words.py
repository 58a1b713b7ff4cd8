"""What the screens say, at 80×24 and in both languages (each case was seen
wrong in tmux first): counts agree with their nouns, no word of the other
language or key of the settings, the period and the filter stay on the status
line at 80 columns, `e` never edits what is hidden, one word per concept."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit import i18n
from cockpit.i18n import catalogue
from conftest import ready
from kit_cases import burst

ROOT = Path(__file__).resolve().parent.parent

# A placeholder, perhaps an adjective, then one of these words: a count meeting its noun.
COUNTED = re.compile(r"\{\w+\} (?:(?:nouveaux|new|open|older|plus) )?([\w-]+)")
PLURAL_NOUNS = {
    "lignes", "clients", "prospects", "contacts", "visites", "appels", "commandes", "modifications", "actions",
    "jours", "ans", "relances", "groupes", "autres", "perdus", "gagnés", "nouveaux",
    "lines", "rows", "visits", "calls", "orders", "changes", "days", "years", "months", "follow-ups",
    "reminders", "groups",
}


def flat(text: object) -> str:
    return str(text).replace("\u202f", " ").replace("\xa0", " ")


def families(lang: str) -> set[str]:
    return {k.rsplit(".", 1)[0] for k in catalogue(lang) if k.endswith((".one", ".other"))}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_a_count_meets_its_noun_only_through_the_plural_forms(lang):
    """Was "1 lignes rejetées", "1 perdus", "over 1 months": a message that
    puts a count before a plural noun has its .one and .other forms."""
    plain = {k: v for k, v in catalogue(lang).items() if k.rsplit(".", 1)[0] not in families(lang)}
    counted = sorted(f"{k}: {v}" for k, v in plain.items()
                     if any(w.casefold() in PLURAL_NOUNS for w in COUNTED.findall(v)))
    assert counted == []


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_plural_forms_come_in_pairs(lang):
    cat = catalogue(lang)
    for base in families(lang):
        assert {f"{base}.one", f"{base}.other"} <= set(cat), base
        assert base not in cat, f"{base} has plural forms and a plain one"


def test_french_says_0_and_1_in_the_singular_english_only_1():
    try:
        for lang, want in (("fr", ["0 client", "1 client", "2 clients"]), ("en", ["0 clients", "1 client", "2 clients"])):
            i18n.set_lang(lang)
            assert [i18n.counted("clients", n) for n in (0, 1, 2)] == want
        i18n.set_lang("en")
        assert i18n.counted("months", 1) == "1 month" and i18n.counted("years", float("inf"), 1) == "∞ years"
        i18n.set_lang("fr")
        assert flat(i18n.counted("new_clients", 1.5, 1)) == "1,5 nouveau client"
    finally:
        i18n.set_lang("fr")


def cockpit(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COCKPIT_CONFIG": "/nonexistent/config.toml", "LANG": "C.UTF-8"}
    return subprocess.run([sys.executable, "-m", "screens", *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


@pytest.mark.parametrize("lang, lost, new", [("fr", r"(\d+) (perdus?)\b", r"(\d+) (nouveaux?) \("),
                                             ("en", r"(\d+) (lost)\b", r"(\d+) (new) \(")])
def test_the_report_s_evolution_agrees_with_its_counts(db_path, lang, lost, new):
    """Was "2025 : 28 clients · 4 nouveaux · 1 perdus" (and "0 nouveaux")."""
    out = cockpit("--db", str(db_path), "--rep", "claire", "--lang", lang, "report")
    assert out.returncode == 0, out.stderr
    lines = [line for line in flat(out.stdout).splitlines() if re.match(r"\d{4} ?:", line)]
    seen = [(int(n), word) for line in lines for pattern in (lost, new) for n, word in re.findall(pattern, line)]
    assert len(seen) == 2 * len(lines) >= 4, out.stdout
    if lang == "fr":  # 0 and 1 take the singular
        assert all(word.endswith(("s", "x")) == (n >= 2) for n, word in seen), seen
    assert re.search(r"\b1 (perdu|lost) \(", flat(out.stdout)), "the sample loses one client in 2025"


@pytest.mark.parametrize("lang, want", [("fr", "1 ligne rejetée, avec son motif"), ("en", "1 row rejected, with its reason")])
def test_one_rejected_line_is_said_in_the_singular(db_path, tmp_path, lang, want):
    f = tmp_path / "clients.csv"
    f.write_text("code;nom;secteur\nZ1;ZETA;Industrie\nZ2;;Industrie\n", encoding="utf-8")
    out = cockpit("--db", str(db_path), "--rep", "claire", "--lang", lang, "import", "clients", str(f), "--skip-bad")
    assert out.returncode == 0, out.stderr
    assert want in flat(out.stderr)


async def test_the_log_s_basis_says_one_month_in_english(make_app):
    """Was "against a norm of 50 over 1 months"."""
    from test_activity_screen import open_activity, select_rep, shown

    app = make_app("en")
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_activity(pilot)
        await select_rep(pilot, screen, "Claire Martin")
        levers = re.sub(r"\s+", " ", shown(screen.query_one("#act-levers")))
        assert "over 1 month (" in levers and "1 months" not in levers, levers
        assert "12 visits, 24 calls" in levers


def first_line(app) -> str:
    return flat(app.screen.query_one("StatusLine").render_line(0).text)


def test_the_status_line_keeps_what_is_looked_at_whole_when_it_is_cut():
    from screens.kit.status import arrange

    names = ["Prospects (Claire Martin)", "Prospects", ""]
    where, rest = ["filtres : Suspect (X : tout afficher)"], ["4 sur 31 affichés", "colonne : Société"]
    wide = arrange(200, names, "note", where, rest)
    assert wide == "Prospects (Claire Martin) · note · filtres : Suspect (X : tout afficher) · 4 sur 31 affichés · colonne : Société"
    narrow = arrange(80, names, "touche 4 : 23 relances en retard (depuis le 09/11/2026)", where, rest)
    assert narrow.startswith("Prospects (Claire Martin) · filtres : Suspect (X : tout afficher) · touche 4")
    tight = arrange(50, names, "", where, rest)
    assert tight.startswith("Prospects · filtres : Suspect (X : tout afficher)")  # whose view gives way first


async def test_at_80_columns_the_status_line_shows_the_period_and_the_filter(make_app):
    """Was "Portefeuille (Claire Martin) · touche 4 : 23 relances en retard (depuis le 09…":
    the start-up note pushed the period, then the prospects' filter, out of the line."""
    app = make_app(who="claire")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        line = first_line(app)
        assert line.startswith("Portefeuille (Claire Martin) · Période 2025 · touche 4 : "), line
        await burst(pilot, "2", "s")
        line = first_line(app)
        assert "filtres : Suspect (X : tout afficher)" in line, line
        from test_activity_screen import open_activity

        screen = await open_activity(pilot)
        for _ in range(100):  # the month's figures read in a worker
            if screen.state is not None:
                break
            await pilot.pause(0.05)
        await burst(pilot, "y")
        # her own row: the title names her, the line does not say it twice
        assert first_line(app).startswith("Activité (Claire Martin) · T4 2026 (moyenne de 2 mois)"), first_line(app)
        assert first_line(app).count("Claire Martin") == 1


async def test_e_in_the_visit_log_edits_no_hidden_indicator(make_app, db_path):
    """Was: the editor opened on the Activity indicator behind the log (a value not on view),
    and the footer listed e, s, w there, not the log's own a and Suppr."""
    from test_activity_screen import open_activity, select_rep

    before = sqlite3.connect(db_path).execute("SELECT * FROM activity ORDER BY 1, 2, 3").fetchall()
    app = make_app()
    said: list[str] = []
    app.say = lambda message, severity="information": said.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_activity(pilot)
        await select_rep(pilot, screen, "Claire Martin")
        await burst(pilot, "v", "e", "7", "enter", "s", "t")
        assert not screen.editor.is_open
        # The footer shows the log's keys; the indicators' are off while it is on view (v goes back).
        shown = {b.key for _, b, enabled, _ in screen.active_bindings.values() if b.show and enabled}
        assert {"a", "delete", "v"} <= shown and not shown & {"e", "s", "w"}, shown
        await burst(pilot, "v")
        shown = {b.key for _, b, enabled, _ in screen.active_bindings.values() if b.show and enabled}
        assert {"e", "s", "w"} <= shown and not shown & {"a", "delete"}, shown
    assert sqlite3.connect(db_path).execute("SELECT * FROM activity ORDER BY 1, 2, 3").fetchall() == before


async def test_an_undone_visit_is_named_by_its_contact_not_its_id(make_app):
    """Was "Annulé : retour de 638"."""
    from test_activity_screen import open_activity, select_rep

    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_activity(pilot)
        await select_rep(pilot, screen, "Claire Martin")
        await burst(pilot, "v", "end", "delete")
        await burst(pilot, "u")
        line = first_line(app)
        assert re.search(r"Annulé : retour de (visite|appel) avec \S", line), line


async def test_an_undone_score_names_the_criterion_in_the_rep_s_language(make_app):
    """Was "Undone: SARL Sanitaire Lefèvre, taille back to —" (the settings' key, in French)."""
    app = make_app("en")
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        await burst(pilot, "2")
        await burst(pilot, "Q", "3", "escape")
        await burst(pilot, "u")
        line = first_line(app)
        assert "Company size back to —" in line and "taille" not in line, line


async def test_the_evolution_chart_counts_in_the_language(make_app):
    """Was "7.0┤", "49.5┤" beside French figures: plotext's own ticks."""
    from test_i18n_screens import screen_text

    app = make_app()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        await burst(pilot, "h")
        shown = screen_text(app)
    assert "Nouveaux et perdus par période" in shown
    assert not re.findall(r"\d\.\d", shown), re.findall(r".{8}\d\.\d.{4}", shown)


@pytest.mark.parametrize("lang, search, follow_up", [("fr", "Chercher", "relance"), ("en", "Search", "follow-up")])
def test_one_word_per_concept(lang, search, follow_up):
    """Find and Search named one action (a jump to the next match); follow-ups
    were reminders on Today. A filter is a filter: the prospects' `/`."""
    try:
        i18n.set_lang(lang)
        assert {i18n.t(k) for k in ("key.search", "today.key.search", "activity.key.search")} == {search}
        assert i18n.t("prospects.key.search") == {"fr": "Filtrer", "en": "Filter"}[lang]
        words = re.sub(r"\{\w+\}", "", " ".join(catalogue(lang).values())).casefold()
        assert not re.search(r"\b(find|rechercher|reminders?)\b", words)
        assert follow_up in i18n.t("today.reason.reminder").casefold()
    finally:
        i18n.set_lang("fr")
    guide = (ROOT / "docs" / "guide-fr.md").read_text(encoding="utf-8")
    assert "relances en retard" in guide and not re.search(r"\brappels?\b|\brechercher", guide, flags=re.I)


# Every dialog and help a rep opens, beside the views tests/test_i18n_screens.py walks.
DIALOGS = {
    "today": ["4"],
    "today-help": ["4", "f1"],
    "card": ["4", "enter"],
    "log-a-call": ["4", "a"],
    "visit-log": ["3", "v"],
    "visit": ["3", "v", "a"],
    "export": ["x"],
    "limits": ["l"],
    "filters": ["2", "s", "o"],
    "win": ["2", "+", "+", "+", "+", "+", "+"],
    "qualification-help": ["2", "Q", "f1"],
    "funnel-help": ["2", "f", "f1"],
    "today-palette": ["4", "ctrl+p"],
}


@pytest.mark.parametrize("view", list(DIALOGS))
@pytest.mark.parametrize("lang, other", [("en", "fr"), ("fr", "en")])
async def test_no_word_of_the_other_language_in_the_dialogs(make_app, view, lang, other):
    from test_i18n_screens import other_language_words

    shown = await other_language_words(make_app(lang, who="claire"), DIALOGS[view], lang, other)
    assert not shown, f"{view} in {lang} shows {sorted(shown)}"


@pytest.mark.parametrize("lang, name", [("fr", "aujourdhui"), ("en", "today")])
async def test_an_export_is_named_in_the_rep_s_words(make_app, tmp_path, lang, name):
    """Was "cockpit-today-20261206.xlsx", sheet "today", in French."""
    import openpyxl
    from textual.widgets import Input

    from conftest import answer

    app = make_app(lang, who="claire")
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        await burst(pilot, "4")
        for _ in range(100):  # the list read in a worker
            if app.screen.lines is not None:
                break
            await pilot.pause(0.05)
        await burst(pilot, "x")
        proposed = Path(app.screen.query_one(Input).value).name
        assert re.fullmatch(rf"cockpit-{name}-\d{{8}}\.xlsx", proposed), proposed
        await answer(pilot, tmp_path / proposed)
        for _ in range(50):
            if (tmp_path / proposed).exists():
                break
            await pilot.pause(0.1)
    assert openpyxl.load_workbook(tmp_path / proposed).sheetnames == [name]


def test_english_puts_no_space_before_a_colon(tmp_path, db_path, capsys):
    """French typography in English: "Core accounts : 7" in the crossed matrix's
    totals and "A' : …" in `cockpit report --lang en`, written in the code, not
    the catalogue. The English catalogue has none, and neither has the report."""
    import re

    from cockpit import cli, i18n

    assert not [k for k, v in i18n.catalogue("en").items() if re.search(r"\w \:(\s|$)", v)]
    i18n.set_lang("en")
    assert cli.main(["--db", str(db_path), "--lang", "en", "report"]) == 0
    out = capsys.readouterr().out
    assert "A': Core accounts" in out and not re.search(r"\S \: ", out), re.findall(r".{20}\S \: .{10}", out)


async def test_the_crossed_matrix_totals_follow_the_language(make_app):
    from textual.widgets import Static

    for lang, line in (("en", "Core accounts: 12 · €942,805"), ("fr", "Fond de commerce : 12 · 942 805 €")):
        app = make_app(lang)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("o")
            await ready(pilot)
            shown = str(app.screen.query_one("#crossed-info", Static).render()).replace("\u202f", " ").replace("\xa0", " ")
            assert line in shown, shown
