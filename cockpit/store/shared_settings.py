"""Settings that change figures belong to the workspace (METHOD §8): two reps
on one workspace never see different classes for the same data. The ABC
limits and mode, the diagnosis thresholds, the zones and mix rules, the
qualification criteria and funnel rules, the activity criteria: once set
from the app (or ``cockpit settings --save``) they are stored here; in a
team's workspace they are the workspace's only (a key it does not hold takes
the default, never a rep's config.toml); language, theme and the view toggles
stay personal."""

from __future__ import annotations

import json
from typing import Any

from cockpit.config import DEFAULTS, Config, ConfigError, validate
from cockpit.store.admin import AdminError
from cockpit.store.workspace import Workspace

KEY = "figures"  # the settings row that holds them, as JSON {section: {key: value}}
# section -> the keys that change figures (None: the whole section)
SHARED: dict[str, frozenset[str] | None] = {
    "abc": frozenset({"a_limit", "b_limit", "mode"}),
    "diagnosis": None,
    "matrix": None,
    "prospects": None,
    "activity": None,
    "rhythm": None,
}


def is_shared(section: str, key: str) -> bool:
    keys = SHARED.get(section, frozenset())
    return section in SHARED and (keys is None or key in keys)


def stored(ws: Workspace) -> dict[str, dict[str, Any]]:
    """What the workspace holds; a bad row is said, never silently half-read."""
    text = ws.setting(KEY)
    if not text:
        return {}
    try:
        data = json.loads(text)
        validate(data, f"{ws.path} [settings]")  # the schema of config.toml, for the same keys
    except (ValueError, ConfigError) as exc:
        raise ConfigError(str(ws.path), "settings.figures", f"the workspace's shared settings as JSON ({exc})") from None
    return {s: {k: v for k, v in values.items() if is_shared(s, k)} for s, values in data.items() if s in SHARED}


def is_team(ws: Workspace) -> bool:
    """A team's workspace: it has reps (METHOD §8). A solo one is its user's alone."""
    with ws.lock:
        return ws.db.execute("SELECT 1 FROM reps LIMIT 1").fetchone() is not None


def apply(cfg: Config, ws: Workspace) -> Config:
    """``cfg`` with the workspace's figure settings over it. In a team's
    workspace they are the workspace's only: a key it does not hold takes the
    default, never one rep's config.toml (two reps would see different classes
    for the same data); a solo workspace's user keeps theirs under what it holds."""
    held = stored(ws)
    if is_team(ws):
        base = DEFAULTS.as_dict()
        for section in SHARED:
            values = {k: v for k, v in base[section].items() if is_shared(section, k)}
            cfg = cfg.updated(section, {**values, **held.get(section, {})}, f"{ws.path} [settings]")
        return cfg
    for section, values in held.items():
        cfg = cfg.updated(section, values, f"{ws.path} [settings]")
    return cfg


def ignored(personal: Config, effective: Config) -> list[str]:
    """The figure settings a rep's config.toml sets (away from the default) that
    the workspace decides otherwise: ``section.key`` each, to be said."""
    mine, used, base = personal.as_dict(), effective.as_dict(), DEFAULTS.as_dict()
    return [f"{section}.{key}" for section in SHARED for key, value in mine[section].items()
            if is_shared(section, key) and value != base[section].get(key) and value != used[section].get(key)]


def figure_values(cfg: Config) -> dict[str, dict[str, Any]]:
    """Every figure setting of ``cfg``, as the workspace's row holds them."""
    data = cfg.as_dict()
    return {section: {k: v for k, v in data[section].items() if is_shared(section, k)} for section in SHARED}


def save(ws: Workspace, section: str, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Store some figure settings for every rep of the workspace; returns all it holds."""
    return save_sections(ws, {section: values})


def save_sections(ws: Workspace, sections: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``save`` of several sections in one transaction: all of them, or none."""
    for section, values in sections.items():
        unknown = [k for k in values if not is_shared(section, k)]
        if unknown:
            raise ValueError(f"{section}.{unknown[0]} is a personal setting")
    section = ", ".join(sections)  # named if the database refuses
    from cockpit.store.own_rows import managers_only, own_writes

    if ws.backend != "postgresql" and own_writes(ws) is not None:  # PostgreSQL's row-level security says it there
        raise SettingsRefused(str(managers_only(ws.who)))
    try:
        with ws.transaction() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (KEY,)).fetchone()
            data: dict[str, dict[str, Any]] = json.loads(row[0]) if row else {}
            for name, values in sections.items():
                data.setdefault(name, {}).update(values)
            validate(data, f"{ws.path} [settings]")
            db.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       (KEY, json.dumps(data, sort_keys=True)))
    except Exception as exc:
        if getattr(exc, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:  # PostgreSQL's row-level security said no
            from cockpit.i18n import t

            raise SettingsRefused(t("pgwrite.settings_managers_only", section=section)) from None
        raise
    return data


INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE for a write that row-level security or a GRANT refuses


class SettingsRefused(AdminError):
    """A rep's change of a setting that changes figures, refused by the database (only managers: issue 13 §7)."""
