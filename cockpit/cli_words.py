"""The command line in the interface's language: the help of every command and
option, and argparse's own words ("usage:", "the following arguments are
required", …), from the catalogues (``locales/<lang>/cli.toml``).

Help is found by name, never written beside the option, so a command another
module declares (``cockpit serve``) speaks the same language as ours:

- a command's: ``cli.cmd.<command>`` (``cli.cmd.rep.add``), and for its own
  ``--help`` page ``cli.cmd.<command>.about`` when it says more;
- an option's or argument's: ``cli.opt.<command>.<dest>``, else ``cli.opt.<dest>``
  (the options every command takes: ``--db``, ``--lang``…, and ``--sheet``);
- a placeholder's: ``cli.metavar.<dest>`` (FICHIER / FILE), over one the code declares.

argparse (3.11+) looks its words up through its module's ``_`` and ``ngettext``
(gettext) when they are used: they are swapped for the catalogue's only while
one of our parsers is built, parses or formats its help, and put back after.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn

from cockpit import i18n

# argparse's message ids (Python 3.11–3.13) -> our keys; a message not here stays argparse's English.
WORDS = {
    "usage: ": "cli.argparse.usage",
    "positional arguments": "cli.argparse.positionals",
    "options": "cli.argparse.options",
    "subcommands": "cli.argparse.subcommands",
    "show this help message and exit": "cli.argparse.help",
    "%(prog)s: error: %(message)s\n": "cli.argparse.error",
    "argument %(argument_name)s: %(message)s": "cli.argparse.argument",
    "the following arguments are required: %s": "cli.argparse.required",
    "one of the arguments %s is required": "cli.argparse.one_of",
    "unrecognized arguments: %s": "cli.argparse.unrecognized",
    "invalid choice: %(value)r (choose from %(choices)s)": "cli.argparse.invalid_choice",
    "invalid %(type)s value: %(value)r": "cli.argparse.invalid_value",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "cli.argparse.unknown_command",
    "expected one argument": "cli.argparse.expected_one",
    "expected at most one argument": "cli.argparse.expected_at_most_one",
    "expected at least one argument": "cli.argparse.expected_at_least_one",
    "expected %s argument": "cli.argparse.expected_n",  # ngettext: .one / .other
    "ambiguous option: %(option)s could match %(matches)s": "cli.argparse.ambiguous",
    "not allowed with argument %s": "cli.argparse.not_allowed_with",
    "ignored explicit argument %r": "cli.argparse.ignored_explicit",
    "unexpected option string: %s": "cli.argparse.unexpected_option",
    "can't open '%(filename)s': %(error)s": "cli.argparse.cannot_open",
    'argument "-" with mode %r': "cli.argparse.dash_mode",
}
# argparse's words for a programming error (a parser declared wrong): a developer's, left in English.
INTERNAL = frozenset({
    ".__call__() not defined", "conflicting subparser: %s", "conflicting subparser alias: %s",
    "cannot merge actions - two groups are named %r", "'required' is an invalid argument for positionals",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "conflicting option string: %s", "mutually exclusive arguments must be optional",
    "cannot have multiple subparser arguments", "%r is not callable",
})


def _word(message: str | None) -> str | None:
    key = WORDS.get(message) if message is not None else None  # argparse asks _(None) of a missing description
    return i18n.t(key) if key else message


def _words(singular: str, plural: str, n: int) -> str:
    key = WORDS.get(singular)
    return i18n.plural(key, n) if key else singular if n == 1 else plural


class speaking:
    """argparse's words in the interface's language for the duration of a ``with``
    (reentrant: each one puts back what it found)."""

    def __enter__(self) -> None:
        self.before = argparse.__dict__["_"], argparse.__dict__["ngettext"]
        setattr(argparse, "_", _word)
        setattr(argparse, "ngettext", _words)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        setattr(argparse, "_", self.before[0])
        setattr(argparse, "ngettext", self.before[1])


def _text(key: str) -> str | None:
    return i18n.catalogue(i18n.current()).get(key)


class CockpitParser(argparse.ArgumentParser):
    """A parser of ``cockpit`` or of one of its commands (``path``: ("rep", "add")),
    whose help and words come from the catalogue."""

    def __init__(self, *args: Any, path: tuple[str, ...] = (), **kwargs: Any) -> None:
        self.path = path
        with speaking():  # "positional arguments", "options", -h's help are taken here
            super().__init__(*args, **kwargs)
        self.register("action", "parsers", _Commands)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        return self._said(super().add_argument(*args, **kwargs))

    def add_subparsers(self, **kwargs: Any) -> Any:  # argparse's overloads: the action, typed by parser_class
        kwargs["path"] = self.path  # to _Commands, which names its commands' keys
        with speaking():
            return self._said(super().add_subparsers(**kwargs))

    def _said(self, action: argparse.Action) -> argparse.Action:
        command = ".".join((*self.path, action.dest))
        help_text = _text(f"cli.opt.{command}") or _text(f"cli.opt.{action.dest}")
        if help_text is not None:
            action.help = help_text
        if (metavar := _text(f"cli.metavar.{action.dest}")) is not None:
            action.metavar = metavar
        return action

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with speaking():
            return super().parse_known_args(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with speaking():  # "unrecognized arguments" is said here, after parse_known_args
            return super().parse_args(*args, **kwargs)

    def format_usage(self) -> str:
        with speaking():
            return super().format_usage()

    def format_help(self) -> str:
        with speaking():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        from cockpit.safe_text import safe_text

        with speaking():  # an argument typed is shown back: never as terminal control
            super().error(safe_text(message))


if TYPE_CHECKING:  # generic in the stubs only
    _SubParsers = argparse._SubParsersAction[CockpitParser]
else:
    _SubParsers = argparse._SubParsersAction


class _Commands(_SubParsers):
    """The commands of a parser: each one's help (and its page's description) from the catalogue."""

    def __init__(self, *args: Any, path: tuple[str, ...] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.path = path

    def add_parser(self, name: str, **kwargs: Any) -> CockpitParser:
        path = (*self.path, name)
        key = "cli.cmd." + ".".join(path)
        if (said := _text(key)) is not None:
            kwargs["help"] = said
            kwargs["description"] = _text(key + ".about") or said
        return super().add_parser(name, path=path, **kwargs)


def option_in(argv: Sequence[str], name: str) -> str | None:
    """The value of ``--name X`` or ``--name=X`` in ``argv`` (the last one, as
    argparse keeps), before any parsing; an abbreviation is not recognised here."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":  # what follows is positional
            break
        if arg == name and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith(name + "="):
            found = arg[len(name) + 1:]
    return found


def first_language(argv: Sequence[str]) -> str:
    """The language of the help and of argparse's errors, known before the parser
    is built: ``--lang``, else the config's ``ui.lang``, else LANG and the like,
    else French (the order of ``cli._run`` once the command is parsed). A config
    file that cannot be read is said after parsing, by the command itself."""
    lang = option_in(argv, "--lang")
    if lang is not None and lang in i18n.LANGS:  # an unknown one is the parser's to refuse
        return lang
    from cockpit.config import ConfigError, load

    named = option_in(argv, "--config")
    try:
        ui_lang = load(Path(named) if named else None, explicit=named is not None)[0].ui.lang
    except (ConfigError, OSError):
        ui_lang = ""
    return ui_lang or i18n.lang_from_env() or "fr"
