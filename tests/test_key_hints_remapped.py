"""A sentence that names a key says the key its binding has now: after a
[keys] remap in config.toml, the help, the card, the dialogs, the search
prompts and the status line name the new key, never the letter the catalogue
once wrote (``u annule`` after undo moved to ctrl+z). The catalogue check
below keeps a new hand-written key out of both catalogues."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from cockpit.i18n import catalogue, set_lang
from screens.kit.status import StatusLine
from tests.conftest import ready

LOCALES = Path(__file__).resolve().parent.parent / "cockpit" / "locales"

# One remap for every test: each key named here is free in its screen's scope (no clash).
REMAP = {
    "app.undo": "ctrl+z", "card.undo": "ctrl+z", "card.close": "f9", "card.edit": "f2",
    "card.page_up": "ctrl+b", "card.page_down": "ctrl+f", "today.call": "k", "today.visit": "j",
    "kit.search.next": "f5", "kit.search.previous": "f6",
    "activity.edit": "f2", "activity.whatif": "f3", "activity.period": "f4", "activity.prev": "f7", "activity.next": "f8",
    "kit.editor.cancel": "ctrl+g", "kit.confirm.yes": "ctrl+o", "kit.confirm.no": "ctrl+n",
    "kit.conflict.mine": "f3", "kit.conflict.theirs": "f4", "kit.error.close": "f9", "kit.choice.close": "f9",
    "app.force_quit": "f10", "prospects.win.cancel": "f9", "prospects.matrix_choose": "space",
    "prospects.qualify": "f3", "prospects.edit": "f2", "prospects.column_left": "comma", "prospects.column_right": "full_stop",
    "prospects.board_left": "f7", "prospects.board_right": "f8",
    "qualify.next_criterion": "j", "qualify.prev_criterion": "k", "qualify.next_prospect": "f3",
    "qualify.prev_prospect": "f4", "qualify.clear": "ctrl+d", "qualify.close": "f9",
}


@pytest.fixture
def remapped(make_app, tmp_path):
    lines = "\n".join(f'"{k}" = "{v}"' for k, v in REMAP.items())
    (tmp_path / "config.toml").write_text(f"[keys]\n{lines}\n")
    return make_app


def status(app) -> str:
    return str(app.screen.query_one(StatusLine).render())


def toasts(app) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


def help_text(app) -> str:
    return str(app.screen.query_one("#help-body").render())


async def keys(pilot, *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await ready(pilot)


async def test_win_back_done_names_the_undo_key_it_has_now(remapped):
    app = remapped()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await keys(pilot, "h", "R")
        said = status(app)
        assert "devient un prospect" in said and "ctrl+z annule" in said
        assert "; u annule" not in said


async def test_today_help_names_call_visit_and_undo_as_remapped(remapped):
    app = remapped()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        await keys(pilot, "4", "f1")
        text = help_text(app)
        assert "k note un appel, j une visite" in text and "ctrl+z annule le tout" in text
        assert "a note un appel" not in text and "u annule" not in text
        assert "(c, r, n)" in text  # the outcome letters are typed into the line: data, not keys


async def test_the_card_names_its_keys_as_remapped(remapped):
    app = remapped()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await keys(pilot, "4", "enter")
        line = str(app.screen.query_one(".card-keys").render())
        assert line == "↑ ↓ rubrique · ctrl+b ctrl+f fiche · f2 ou Entrée modifier · ctrl+z annuler · f9 fermer"
        await keys(pilot, "f9")
        assert not app.screen.query(".card-keys")  # the key it names closes it


async def test_the_card_as_shipped_says_what_it_said(make_app):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await keys(pilot, "4", "enter")
        line = str(app.screen.query_one(".card-keys").render())
        assert line == "↑ ↓ rubrique · Pg↑ Pg↓ fiche · e ou Entrée modifier · u annuler · Échap fermer"


@pytest.mark.parametrize("screen_key, bar, want", [
    ("1", "#search", "Entrée ou f5 : suivant, f6 : précédent, Échap : fermer"),
    ("4", "#today-search", "(f5 f6 : suivant, précédent ; Échap : fermer)"),
    ("3", "#act-search", "(f5 f6 : suivant, précédent ; Échap : fermer)"),
])
async def test_search_prompts_name_next_and_previous_as_remapped(remapped, screen_key, bar, want):
    app = remapped()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await keys(pilot, screen_key)
        prompt = str(app.screen.query_one(bar).placeholder)
        assert want in prompt and "↓" not in prompt


async def test_activity_what_if_and_help_name_their_keys_as_remapped(remapped):
    app = remapped()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        await keys(pilot, "3")
        assert str(app.screen.query_one("#act-hint").render()).startswith("Scénario : f2 modifie ·")
        await keys(pilot, "f1")
        text = help_text(app)
        assert "Scénario (f3)" in text and "(f4, f7 f8)" in text
        assert "Scénario (w)" not in text and "(y, [ ])" not in text


async def test_prospects_help_names_its_keys_as_remapped(remapped):
    app = remapped()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        await keys(pilot, "2", "f1")
        text = help_text(app)
        assert "Ici f3 ouvre la qualification : f10 quitte. , . choisissent la colonne que f2 modifie" in text
        assert "f7 f8 passent d'une étape à l'autre" in text
        assert "u annule" not in text and "ctrl+q" not in text and "← →" not in text


async def test_qualification_help_and_last_prospect_name_their_keys_as_remapped(remapped):
    app = remapped()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        await keys(pilot, "2", "slash", *"Zimmer", "enter", "f3", "f1")  # one prospect in the list
        text = help_text(app)
        assert "j / k : critère, f3 / f4 : prospect, ctrl+d : effacer la note" in text
        assert "n / p" not in text
        await keys(pilot, "escape", *"1" * 12)  # every criterion scored: the last prospect is said
        assert "Dernier prospect de la liste : f9 pour revenir au tableau" in toasts(app)


async def test_the_matrix_title_names_the_filter_key_as_remapped(remapped):
    app = remapped()
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        await keys(pilot, "2")
        title = str(app.screen.query_one("#p-matrix").render()).splitlines()[0]
        assert title == "Matrice de qualification (m, Espace : filtrer)"


async def test_the_kit_dialogs_name_their_keys_as_remapped(remapped):
    from screens.kit.dialogs import ChoiceDialog, ConfirmDialog, ConflictDialog, ErrorDialog

    app = remapped()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        said = {}
        for name, dialog in (("confirm", ConfirmDialog("?")), ("conflict", ConflictDialog("C001", "CA", "1", "2")),
                             ("error", ErrorDialog("!")), ("choice", ChoiceDialog("?", ["a", "b"]))):
            app.push_screen(dialog)
            await ready(pilot)
            said[name] = dialog.text()
            if name == "conflict":
                said["buttons"] = " ".join(str(b.label) for b in dialog.query("Button"))
            dialog.dismiss(None)
            await ready(pilot)
        assert said["confirm"].endswith("ctrl+o : oui · ctrl+n : non")
        assert said["conflict"].endswith("f3 : garder la mienne · f4 : prendre la leur")
        assert said["buttons"] == "Garder la mienne (f3) Prendre la leur (f4)"
        assert said["error"].endswith("f9 pour fermer.")
        assert said["choice"].endswith("Entrée valider · f9 annuler")
        assert not any("Échap" in text for text in said.values())


async def test_the_kit_dialogs_as_shipped_name_every_key(make_app):
    from screens.kit.dialogs import ConfirmDialog

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        dialog = ConfirmDialog("?")
        app.push_screen(dialog)
        await ready(pilot)
        assert dialog.text().endswith("o / y / Entrée : oui · n / Échap : non")


async def test_the_win_dialog_names_its_cancel_key_as_remapped(remapped):
    from screens.prospects.dialogs import WinDialog

    app = remapped()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await keys(pilot, "2")
        app.push_screen(WinDialog(app.screen.book.prospects[0]))
        await ready(pilot)
        assert str(app.screen.query_one(".dialog-keys").render()) == \
            "Entrée : créer le client · f9 : annuler (l'étape ne change pas)"


async def test_the_editor_names_its_cancel_key_as_remapped(remapped):
    from screens.kit.editor import InlineEditor

    app = remapped()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await keys(pilot, "e")
        editor = app.screen.query_one(InlineEditor)
        assert editor.is_open
        assert editor.draft_restored().endswith("Entrée pour l'enregistrer, ctrl+g pour l'abandonner.")
        editor.value = ""
        await keys(pilot, "enter")
        assert "la case ne peut pas rester vide ; ctrl+g annule" in toasts(app)
        await keys(pilot, "f10")  # quit with an entry open: asked again, with the key that quits
        assert "Une saisie est ouverte : f10 à nouveau pour quitter" in toasts(app)


async def test_too_small_names_the_quit_key_as_remapped(remapped):
    app = remapped()
    async with app.run_test(size=(50, 12)) as pilot:
        await ready(pilot)
        text = str(app.screen.query_one("#too-small").render())
        assert "(f10 pour quitter)" in text and "ctrl+q" not in text


async def test_english_names_the_remapped_keys_too(remapped):
    app = remapped(lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await keys(pilot, "h", "R")
        assert "ctrl+z undoes it" in status(app) and "u undoes" not in status(app)
        await keys(pilot, "4", "enter")
        assert str(app.screen.query_one(".card-keys").render()) == \
            "↑ ↓ field · ctrl+b ctrl+f card · f2 or Enter edit · ctrl+z undo · f9 close"
    set_lang("fr")


# ---- the catalogues: no key written by hand ---------------------------------

# Hand-written keys of the forms a sentence used: a letter doing something
# ("u annule", "a logs", "e modifie"), a letter in brackets ("(w)"), a named key
# (Échap, Enter, F1, ctrl+…, Suppr, Pg↑), a pair of arrows ("← →", "↓ ↑").
HAND_WRITTEN = [
    re.compile(r"(?<![\w{'’-])[A-Za-z] (annule|annuler|note|ouvre|modifie|quitte|ferme|fermer|pour (annuler|fermer|quitter|revenir)"
               r"|undoes|undo\b|logs|opens|edits|quits|closes|close\b|to (undo|close|quit|go))"),
    re.compile(r"(?<![\w{'’-])[a-z] ?(:|/) "),
    re.compile(r"(?<!\w)\([A-Za-z]\)"),
    re.compile(r"\b(Échap|Esc|Escape|Entrée|Enter(?! (the|a|an|their)\b)|Suppr|Del|F1|f1|Tab(?! of\b)|ctrl\+\w|Pg↑|Pg↓|PgUp|PgDn)\b"),
    re.compile(r"[←→↑↓] ?[←→↑↓]"),
]

# Sentences that still write a key, each for a reason: the key is no binding
# with an id (a [keys] remap cannot move it), or the letters are typed as data.
ALLOWED = {
    # Letters typed INTO the contact line or an entry: data, not keys (listed though no pattern above
    # flags them today, so that a broader pattern keeps them). Today's help names them too: "(c, r, n)".
    "today.log.hint": "the outcome letters (c/r/n, o/a/n) typed in the contact line",
    "prospects.help.timeline": "an example of the contact line typed (r +3j Rappeler)",
    # Enter in an entry or on a table, Escape handled by key_escape, the help's and the lists' own keys: no id, no remap.
    "activity.whatif.open": "Enter on the indicators' table (VirtualTable's activate, no id)",
    "activity.whatif.hint": "Enter on the table and Escape (key_escape): no binding with an id",
    "activity.help.whatif": "Enter on the table and Escape (key_escape): no binding with an id",
    "activity.visit.namesakes.one": "the choice list's Enter and Escape: bindings without an id",
    "activity.visit.namesakes.other": "the choice list's Enter and Escape: bindings without an id",
    "activity.rep.prompt": "the name entry's Enter and Escape: bindings without an id",
    "kit.draft.restored": "Enter submits the entry (Input, no id); Escape is a {placeholder}",
    "kit.import.running.one": "Escape stops an import through key_escape: no binding",
    "kit.import.running.other": "Escape stops an import through key_escape: no binding",
    "kit.import.stopped": "Escape stops an import through key_escape: no binding",
    "kit.import.busy": "Escape stops an import through key_escape: no binding",
    "search.prompt": "Enter submits and Escape closes the search bar: bindings without an id",
    "today.search.prompt": "Escape closes the search bar: a binding without an id",
    "activity.search.prompt": "Escape closes the search bar: a binding without an id",
    "prospects.search.prompt": "Enter submits and Escape closes the search bar: bindings without an id",
    "help.close": "the help's own Escape and F1: bindings without an id",
    "list.hint": "the client list's Enter (table) and Escape: bindings without an id",
    "evolution.words.list": "Enter on the table (VirtualTable's activate, no id)",
    "products.legend": "Enter on the table (VirtualTable's activate, no id)",
    "export.hint": "Enter submits the file name (Input, no id); the other keys are {placeholders}",
    "prospects.win.keys": "Enter submits the entry (Input, no id); Escape is a {placeholder}",
    "kit.choice.keys": "the option list's ↑ ↓ and Enter: bindings without an id",
    "card.keys": "the fields table's ↑ ↓ and Enter: bindings without an id",
}


def hand_written(lang: str) -> dict[str, str]:
    found = {}
    for path in sorted((LOCALES / lang).glob("*.toml")):
        if path.name == "cli.toml":  # the command line's words, not the app's keys
            continue
        for key, text in tomllib.loads(path.read_text(encoding="utf-8")).items():
            if key.startswith("keyname."):  # the keys' own names, what key_hint says
                continue
            bare = re.sub(r"\{[^}]*\}", "·", text)
            if any(p.search(bare) for p in HAND_WRITTEN):
                found[key] = text
    return found


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_sentence_writes_a_key_by_hand(lang):
    written = {k: v for k, v in hand_written(lang).items() if k not in ALLOWED}
    assert not written, "name these keys through key_hint: " + "; ".join(f"{k} = {v!r}" for k, v in written.items())


def test_the_check_catches_the_forms_it_was_written_for():
    for sentence in ("… : écran Prospects ; u annule.", "La ligne quitte la liste ; u undoes it all.",
                     "↑ ↓ rubrique · e ou Entrée modifier · Échap fermer", "Scénario (w) : essayez",
                     "Supprimer le prospect (avec confirmation ; u annule)", "ctrl+q à nouveau pour quitter"):
        assert any(p.search(sentence) for p in HAND_WRITTEN), sentence


def test_the_allow_list_names_sentences_that_exist():
    assert set(ALLOWED) <= set(catalogue("fr")) and set(ALLOWED) <= set(catalogue("en"))


async def test_an_uppercase_key_can_be_given_and_the_help_key_closes_help(make_app, tmp_path):
    """[keys] refused "F" (its check took lowercase only, while Q, R, E… are the
    cockpit's own keys); and help, opened by a remapped help key, closed only on
    Escape or F1, which its last line named whatever the remap."""
    (tmp_path / "config.toml").write_text('[keys]\n"portfolio.edit" = "F"\n"app.help" = "f2"\n')
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await keys(pilot, "F")
        assert app.screen.editor.is_open
        await keys(pilot, "escape", "f2")
        assert type(app.screen).__name__ == "HelpScreen"
        assert "Échap ou f2 pour fermer" in " ".join(str(w.render()) for w in app.screen.query("Label"))
        await keys(pilot, "f2")
        assert type(app.screen).__name__ == "PortfolioScreen"


def test_the_report_names_no_key_the_evolution_tab_does(db_path, capsys):
    """`cockpit report` prints the churn sentence without the tab's "Enter on
    New or Lost": a report has no key to press (the sentence is two keys now,
    not one cut at the word "Entrée")."""
    from cockpit import cli

    for lang, said, key in (("fr", "Attrition mesurée", "Entrée"), ("en", "Measured churn", "Enter")):
        assert cli.main(["--db", str(db_path), "--lang", lang, "report"]) == 0
        out = capsys.readouterr().out
        assert said in out and key not in out
