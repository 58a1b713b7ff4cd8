"""The action core's part of ``cockpit export``: its kinds (the tables are in
``cockpit.action.tables``) and the client's code that ``card`` takes
(``cockpit export card C001 card.csv``). Light: the parser imports it."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from cockpit.i18n import t

ACTION_EXPORTS = {
    "today": "cockpit.action.tables:today_table",
    "allocation": "cockpit.action.tables:allocation_table",
    "card": "cockpit.action.tables:card_table",
}


class CardCode(argparse.Action):
    """The optional word between the kind and the file: a card's client code,
    refused after any other kind (a stray word is said, never ignored)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        if values is not None and getattr(namespace, "kind", None) != "card":
            parser.error(t("cli.export.one_too_many", kind=namespace.kind, value=str(values)))
        setattr(namespace, self.dest, values)
