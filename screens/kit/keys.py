"""Bindings speak the catalogue's language: BINDINGS carry message keys as
descriptions (``key.edit``); each node swaps them for the translated text at
creation, so the footer, the palette and F1 all read the same words."""

from __future__ import annotations

import dataclasses
import itertools

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Callable

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode
from textual.walk import walk_depth_first

from cockpit.i18n import catalogue, current, t

if TYPE_CHECKING:
    from textual.app import App, SystemCommand


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
    """(keys, binding) per action of ours (bindings with an id), for help and
    the palette, with the keys a [keys] remap gave them."""
    keymap = getattr(node.app, "_keymap", {})
    keys: dict[str, list[str]] = {}
    first: dict[str, Binding] = {}
    for bindings in node._bindings.key_to_bindings.values():
        for b in bindings:
            if b.description and b.id:
                first.setdefault(b.action, b)
                shown = keymap[b.id].split(",") if b.id in keymap else [b.key_display or b.key]
                keys.setdefault(b.action, []).extend(k for k in shown if k not in keys.get(b.action, []))
    return [(", ".join(keys[action]), b) for action, b in first.items()]


def _live_bindings(node: DOMNode, binding_id: str) -> list[Binding]:
    """The bindings (one per key) that run ``binding_id`` now, a [keys] remap
    applied: on the node, its screen, the App, the modes' screens, or a
    widget inside the node (the board's arrows for the Prospects' help)."""
    app = node.app
    keymap = getattr(app, "_keymap", {})
    near = (node, getattr(node, "screen", None), app, *getattr(app, "mode_screens", lambda: [])())
    for owner in itertools.chain(near, walk_depth_first(node, with_root=False)):  # the widgets inside only when needed
        if owner is None:
            continue
        found = [b for bindings in owner._bindings.key_to_bindings.values() for b in bindings if b.id == binding_id]
        if found:
            if binding_id in keymap:
                return [dataclasses.replace(found[0], key=k.strip(), key_display=None) for k in keymap[binding_id].split(",")]
            return found
    raise KeyError(binding_id)


def live_keys(node: DOMNode, binding_id: str) -> list[str]:
    """The keys that run ``binding_id`` now, a [keys] remap applied."""
    return [b.key for b in _live_bindings(node, binding_id)]


def _said(app: "App[Any]", b: Binding) -> str:
    """A key as a sentence says it: the binding's own display (+, ⌫), the
    language's word for a named key (Échap, Entrée, Pg↑), a key with a
    modifier as config.toml writes it (ctrl+q), else as the footer shows it."""
    if b.key_display:
        return b.key_display
    word = f"keyname.{b.key}"
    if word in catalogue(current()):
        return t(word)
    return b.key if "+" in b.key else app.get_key_display(b)


def key_hint(node: DOMNode, binding_id: str) -> str:
    """The key that runs binding ``binding_id`` now (after a [keys] remap):
    catalogue sentences name keys through this, never by a letter written
    into the text."""
    return _said(node.app, _live_bindings(node, binding_id)[0])


def keys_hint(node: DOMNode, binding_id: str) -> str:
    """Every key that runs ``binding_id`` now, for a dialog's line of keys
    ("o / y / Entrée : oui")."""
    return " / ".join(dict.fromkeys(_said(node.app, b) for b in _live_bindings(node, binding_id)))


def check_keymap(keymap: dict[str, str], scopes: list[list[Binding]]) -> tuple[str, str, str] | None:
    """The first clash a remap makes: (key, first id, second id) bound in one
    scope (the App's keys are live on every screen) to two different actions."""
    for scope in scopes:
        seen: dict[str, tuple[str, str]] = {}
        for b in scope:
            if not b.id:
                continue
            keys = keymap.get(b.id, b.key)
            for key in (k.strip() for k in keys.split(",")):
                other = seen.get(key)
                if other is not None and other[1] != b.action:
                    return key, other[0], b.id
                seen.setdefault(key, (b.id, b.action))
    return None


def refuse_clashes(keymap: dict[str, str], cfg_path: object, classes: Callable[[], list[type[DOMNode]]]) -> None:
    """A [keys] remap that gives one key two actions on a screen is a config
    error naming both (the App's keys are live on every screen)."""
    if not keymap:
        return  # the bindings as shipped do not clash (tests/test_kit_bugs.py)
    from cockpit.config import ConfigError

    app_cls, *screens = classes()  # imported only when there is a remap to check
    own = lambda cls: [b for b in cls.BINDINGS if isinstance(b, Binding)]  # noqa: E731
    clash = check_keymap(keymap, [own(app_cls) + own(s) for s in screens])
    if clash is not None:
        key, first, second = clash
        raise ConfigError(str(cfg_path), "keys", t("kit.keys.clash", hint=key, first=first, second=second))


def palette_commands(app: "App[Any]", screen: DOMNode) -> "Iterator[SystemCommand]":
    """Every action of the screen and the App for ctrl+p, with its keys."""
    from textual.app import SystemCommand

    for node in (screen, app):
        for keys, binding in visible_bindings(node):
            action = binding.action
            yield SystemCommand(f"{binding.description} ({keys})", binding.tooltip or binding.description,
                                lambda node=node, action=action: app.run_action(action, node))
