"""The command line speaks the interface's language: the help of every command and
option, argparse's own words ("usage:", "the following arguments are required")
and the CLI's sentences, French by default, English with --lang en, LANG=en_* or
the config's ui.lang."""

from __future__ import annotations

import argparse
import ast
import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit import cli, cli_words
from cockpit.i18n import catalogue

ROOT = Path(__file__).resolve().parent.parent


def cockpit(*args: str, lang_env: str = "C.UTF-8", **env: str) -> subprocess.CompletedProcess:
    """The command as installed, as a rep's shell runs it."""
    full_env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")}
    full_env.update({"COCKPIT_CONFIG": "/nonexistent/config.toml", "LANG": lang_env, **env})
    return subprocess.run([sys.executable, "-m", "screens", *args], capture_output=True, text=True, cwd=ROOT,
                          env=full_env, stdin=subprocess.DEVNULL, timeout=60)


def flat(text: str) -> str:
    """The help as one line: argparse wraps it (and cuts after a hyphen); French help has no-break spaces."""
    return " ".join(re.sub(r"-\n\s*", "-", text).replace("\xa0", " ").split())


def test_french_help_of_cockpit():
    out = cockpit("--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("utilisation : cockpit ")
    said = flat(out.stdout)
    for words in ("afficher cette aide et quitter", "langue de l'interface", "clavier seul",
                  "classer A, B, C les clients d'un fichier", "importer un fichier",
                  "copie cohérente de l'espace de travail", "servir l'application à un navigateur",
                  "l'équipe : commerciaux et responsables", "arguments positionnels:", "COMMANDE"):
        assert words in said, words
    for english in ("usage:", "show this help", "positional arguments", "interface language", "keyboard only",
                    "import clients", "consistent copy", "serve the app", "the team:"):
        assert english not in said, english


def test_french_help_of_import():
    out = cockpit("import", "--help")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("utilisation : cockpit import ")
    said = flat(out.stdout)
    assert "TYPE FICHIER" in said and "ce que contient FICHIER : clients, sales, prospects, activity, visits, workspace" in said
    assert "importer les bonnes lignes ; écrire les rejetées, avec leur motif, à côté de FICHIER" in said
    assert "--sheet FEUILLE" in said and "--period PÉRIODE" in said
    assert "import the good rows" not in said and "show this help" not in said


def test_french_missing_argument_is_one_sentence_and_exit_2():
    out = cockpit("import")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("utilisation : cockpit import ")
    assert out.stderr.splitlines()[-1] == "cockpit import : erreur : les arguments suivants sont requis : TYPE, FICHIER"


@pytest.mark.parametrize("how", ["--lang", "LANG"])
def test_english_help_and_missing_argument(how):
    args, env = (["--lang", "en"], "C.UTF-8") if how == "--lang" else ([], "en_GB.UTF-8")
    out = cockpit(*args, "--help", lang_env=env)
    assert out.returncode == 0, out.stderr
    said = flat(out.stdout)
    assert out.stdout.startswith("usage: cockpit ")
    for words in ("show this help message and exit", "interface language", "import a file", "COMMAND"):
        assert words in said, words
    assert "utilisation" not in said and "afficher cette aide" not in said
    out = cockpit(*args, "import", "--help", lang_env=env)
    assert out.returncode == 0 and "KIND FILE" in flat(out.stdout) and "what FILE holds" in flat(out.stdout)
    out = cockpit(*args, "import", lang_env=env)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.startswith("usage: cockpit import ")
    assert out.stderr.splitlines()[-1] == "cockpit import: error: the following arguments are required: KIND, FILE"


def test_the_order_of_languages_before_parsing(tmp_path):
    """--lang, then the config's ui.lang, then LANG: as the commands decide once parsed."""
    english = tmp_path / "config.toml"
    english.write_text('[ui]\nlang = "en"\n', encoding="utf-8")
    assert cockpit("--help", COCKPIT_CONFIG=str(english)).stdout.startswith("usage: ")
    assert cockpit("--config", str(english), "--help").stdout.startswith("usage: ")
    assert cockpit(f"--config={english}", "--lang", "fr", "--help").stdout.startswith("utilisation : ")
    assert cockpit("--lang=fr", "--help", lang_env="en_US.UTF-8").stdout.startswith("utilisation : ")
    assert cockpit("import", "--help", "--lang", "en").stdout.startswith("usage: cockpit import ")


@pytest.mark.parametrize("args, fr, en", [
    (["impor", "x"], "argument COMMANDE : choix invalide : 'impor' (au choix : 'abc', 'import',",
     "argument COMMAND: invalid choice: 'impor' (choose from 'abc', 'import',"),
    (["report", "extra"], "cockpit : erreur : arguments non reconnus : extra",
     "cockpit: error: unrecognized arguments: extra"),
    (["abc", "f.csv", "--a-limit"], "argument --a-limit : attend un argument",
     "argument --a-limit: expected one argument"),
    (["abc", "f.csv", "--a-limit", "x"], "argument --a-limit : valeur float invalide : 'x'",
     "argument --a-limit: invalid float value: 'x'"),
    (["rep"], "les arguments suivants sont requis : COMMANDE", "the following arguments are required: COMMAND"),
])
def test_argparse_errors_in_both_languages(args, fr, en):
    for lang, sentence in (("fr", fr), ("en", en)):
        out = cockpit("--lang", lang, *args)
        assert out.returncode == 2 and out.stdout == ""
        assert len(out.stderr.strip().splitlines()[-1:]) == 1 and sentence in out.stderr.splitlines()[-1], out.stderr


def test_a_word_typed_is_shown_back_without_terminal_control():
    out = cockpit("report", "\x1b[31mred")
    assert out.returncode == 2 and out.stderr.splitlines()[-1] == "cockpit : erreur : arguments non reconnus : red"


def test_abc_without_the_amount_column_in_both_languages():
    seed = str(ROOT / "sample_data" / "seed-portfolio.csv")
    out = cockpit("abc", seed, "--amount", "margin")
    assert out.returncode == 2 and out.stderr == f"{seed} : il manque une colonne marge (--amount margin)\n"
    out = cockpit("--lang", "en", "abc", seed, "--amount", "margin")
    assert out.returncode == 2 and out.stderr == f"{seed}: a margin column is missing (--amount margin)\n"


def test_backup_onto_a_file_that_exists(db_path, tmp_path):
    there = tmp_path / "copy.sqlite"
    there.write_bytes(b"mine")
    out = cockpit("--db", str(db_path), "backup", str(there))
    assert out.returncode == 2 and out.stderr == f"{there} existe déjà : choisissez un nouveau nom de fichier.\n"
    out = cockpit("--lang", "en", "--db", str(db_path), "backup", str(there))
    assert out.returncode == 2 and out.stderr == f"{there} exists: choose a new file name.\n"
    assert there.read_bytes() == b"mine"


def test_a_stray_word_after_an_export_kind(db_path, tmp_path):
    target = tmp_path / "c.csv"
    out = cockpit("--db", str(db_path), "export", "clients", "C003", str(target))
    assert out.returncode == 2
    assert out.stderr.splitlines()[-1] == ("cockpit export : erreur : clients ne prend qu'un argument, le fichier : "
                                           "« C003 » est de trop")
    out = cockpit("--lang", "en", "--db", str(db_path), "export", "clients", "C003", str(target))
    assert out.stderr.splitlines()[-1] == "cockpit export: error: clients takes one argument, the file: 'C003' is one too many"
    assert not target.exists()


def test_an_unexpected_fault_is_said_in_french(db_path, monkeypatch, capsys, tmp_path):
    import cockpit.report

    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("COCKPIT_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setattr(cockpit.report, "workspace_report", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    assert cli.main(["--db", str(db_path), "report"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("cockpit : erreur inattendue (RuntimeError : boom) ; détails dans ") and "details" not in err
    assert cli.main(["--lang", "en", "--db", str(db_path), "report"]) == 1
    assert capsys.readouterr().err.startswith("cockpit: unexpected error (RuntimeError: boom); details in ")


def test_every_argparse_word_is_ours_or_a_developers():
    """Each message id the running argparse asks gettext for: translated, or a programming error's."""
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    ids = {node.args[0].value for node in ast.walk(tree)
           if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext")
           and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)}
    assert ids, "argparse no longer says its words through _"
    assert ids - cli_words.WORDS.keys() - cli_words.INTERNAL == set()
    for lang in ("fr", "en"):
        for key in cli_words.WORDS.values():
            assert key in catalogue(lang) or f"{key}.one" in catalogue(lang), (lang, key)


def parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from parsers(sub)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_command_and_option_has_its_help_in_the_catalogue(lang, monkeypatch):
    from cockpit import i18n

    i18n.set_lang(lang)
    texts = set(catalogue(lang).values())
    parser = cli._parser()
    for p in parsers(parser):
        for action in p._actions:
            if isinstance(action, argparse._SubParsersAction):
                assert {a.help for a in action._choices_actions} <= texts, p.prog
            elif not isinstance(action, argparse._HelpAction):
                assert action.help in texts, (p.prog, action.dest, action.help)


def test_argparse_speaks_english_again_after_our_parser(capsys):
    with pytest.raises(SystemExit):
        cli.main(["import"])
    assert "les arguments suivants sont requis" in capsys.readouterr().err
    assert argparse.__dict__["_"] is gettext.gettext and argparse.__dict__["ngettext"] is gettext.ngettext
    assert "show this help message and exit" in argparse.ArgumentParser(prog="other").format_help()
