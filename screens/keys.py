"""Bindings speak the catalogue's language: BINDINGS carry message keys as
descriptions (``key.edit``); each node swaps them for the translated text at
creation, so the footer, the palette and F1 all read the same words."""

from __future__ import annotations

import dataclasses

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from cockpit.i18n import catalogue, current, t


def translate_bindings(node: DOMNode) -> None:
    translated: dict[str, list[Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        out = []
        for b in bindings:
            if b.description in catalogue(current()):
                desc_key = b.description
                b = dataclasses.replace(b, description=t(desc_key), tooltip=t(desc_key + ".desc") if f"{desc_key}.desc" in catalogue(current()) else b.tooltip)
            out.append(b)
        translated[key] = out
    node._bindings = BindingsMap.from_keys(translated)


def visible_bindings(node: DOMNode) -> list[tuple[str, Binding]]:
    """(keys, binding) per action of ours (bindings with an id), for help and the palette."""
    keys: dict[str, list[str]] = {}
    first: dict[str, Binding] = {}
    for bindings in node._bindings.key_to_bindings.values():
        for b in bindings:
            if b.description and b.id:
                first.setdefault(b.action, b)
                keys.setdefault(b.action, []).append(b.key_display or b.key)
    return [(", ".join(keys[action]), b) for action, b in first.items()]
