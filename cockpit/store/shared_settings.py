"""Settings that change figures belong to the workspace (METHOD §8): two reps
on one workspace never see different classes for the same data. The ABC
limits and mode, the diagnosis thresholds, the zones and mix rules, the
qualification criteria and funnel rules, the activity criteria: once set
from the app they are stored here and win over each rep's config.toml;
language, theme and the view toggles stay personal."""

from __future__ import annotations

import json
from typing import Any

from cockpit.config import Config, ConfigError, validate
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


def apply(cfg: Config, ws: Workspace) -> Config:
    """``cfg`` with the workspace's figure settings over it."""
    for section, values in stored(ws).items():
        cfg = cfg.updated(section, values, f"{ws.path} [settings]")
    return cfg


def save(ws: Workspace, section: str, values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Store some figure settings for every rep of the workspace; returns all it holds."""
    unknown = [k for k in values if not is_shared(section, k)]
    if unknown:
        raise ValueError(f"{section}.{unknown[0]} is a personal setting")
    try:
        with ws.transaction() as db:
            row = db.execute("SELECT value FROM settings WHERE key = ?", (KEY,)).fetchone()
            data: dict[str, dict[str, Any]] = json.loads(row[0]) if row else {}
            data.setdefault(section, {}).update(values)
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
