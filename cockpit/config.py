"""Configuration: documented defaults in the top-level ``config.toml``, the
user's overrides in their own file, every key checked for type and range.

The defaults live here as data (``DEFAULTS``) so an installed cockpit needs no
repository checkout; a test keeps the repository's ``config.toml`` equal to it.
"""

from __future__ import annotations

import copy
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project requires 3.11, tomli keeps older pythons honest
    import tomli as tomllib

APP_NAME = "sales-cockpit"


def _activity_rep_norms_ok(v: dict[str, Any]) -> bool:
    return all(isinstance(n, (int, float)) and not isinstance(n, bool) and n > 0 for n in v.values())


def _bands_ok(v: dict[str, Any]) -> bool:
    def ascending(x: object) -> bool:
        return isinstance(x, list) and bool(x) and all(_number(a) for a in x) and x == sorted(x)

    return (set(v) == {"potentiel", "dernier_achat", "projet"} and ascending(v["potentiel"])
            and ascending(v["dernier_achat"]) and isinstance(v["projet"], list) and len(v["projet"]) == 2
            and all(isinstance(a, int) and not isinstance(a, bool) and a >= 0 for a in v["projet"]))


def _activity_sub_criteria_ok(v: dict[str, Any]) -> bool:
    """{indicator: {criterion: weight}}; criterion names are plain words (they key the records)."""
    return all(
        ind in ("activite", "efficacite", "orientation") and isinstance(subs, dict) and subs
        and all(re.fullmatch(r"[a-z0-9_]+", name) and isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0
                for name, w in subs.items())
        for ind, subs in v.items())


from cockpit.config_prospects import DEFAULT_CRITERIA as _DEFAULT_CRITERIA, FUNNEL as _FUNNEL, criteria_ok as _criteria_ok, cuts_ok as _cuts_ok, number as _number  # noqa: E402

# The interface's themes (Textual's built-in ones; a test keeps the list equal).
THEMES = ("textual-dark", "textual-light", "ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light",
          "catppuccin-frappe", "catppuccin-latte", "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki",
          "gruvbox", "monokai", "nord", "rose-pine", "rose-pine-dawn", "rose-pine-moon", "solarized-dark",
          "solarized-light", "tokyo-night")

# (default, type, check, expected-text) per key; check returns True when valid.
_unit = (lambda v: 0 < v <= 1, "a number in ]0, 1]")
SCHEMA: dict[str, dict[str, tuple[Any, type | tuple[type, ...], Any, str]]] = {
    "abc": {
        "a_limit": (0.80, (int, float), *_unit),
        "b_limit": (0.95, (int, float), *_unit),
        "mode": ("fixed", str, lambda v: v in ("fixed", "computed"), '"fixed" or "computed"'),
        "amount": ("revenue", str, lambda v: v in ("revenue", "margin"), '"revenue" or "margin"'),
        "by": ("account", str, lambda v: v in ("account", "group"), '"account" or "group"'),
    },
    "diagnosis": {
        "fragile_top1": (0.15, (int, float), *_unit),
        "fragile_top5": (0.50, (int, float), *_unit),
        "fragile_hhi": (1000, (int, float), lambda v: 0 <= v <= 10_000, "a number from 0 to 10000"),
        "dispersion_c_clients": (0.50, (int, float), *_unit),
        "dispersion_c_revenue": (0.10, (int, float), *_unit),
        "disclosure_share": (0.10, (int, float), *_unit),
    },
    "prospects": {
        "potential_cuts": ([0.4, 0.7], list, lambda v: _cuts_ok(v), "[low_below, high_from] with 0 <= low_below <= high_from <= 1"),
        "accessibility_cuts": ([0.4, 0.7], list, lambda v: _cuts_ok(v), "[low_below, high_from] with 0 <= low_below <= high_from <= 1"),
        # METHOD §5: "funnel" (share of mature entrants that became clients) or "decided" (Odoo's won / (won + lost)).
        "probability_rule": ("funnel", str, lambda v: v in ("funnel", "decided"), '"funnel" or "decided"'),
        "maturity_days": (180, int, lambda v: v >= 0, "an integer >= 0"),
        "min_history": (10, int, lambda v: v >= 1, "an integer >= 1"),
        "dormant_days": (180, int, lambda v: v >= 1, "an integer >= 1"),
        "probability_fallback": (dict(zip(_FUNNEL, (0.05, 0.1, 0.15, 0.3, 0.5, 0.7, 1.0, 1.0))), dict,
                                 lambda v: all(k in _FUNNEL and _number(x) and 0 <= x <= 1 for k, x in v.items()),
                                 "a table stage = probability from 0 to 1, stages among " + ", ".join(_FUNNEL)),
        # METHOD §5: criteria a field of the record answers are scored from it, through these bands.
        "score_from_record": (True, bool, lambda v: True, "true or false"),
        "record_bands": ({"potentiel": [5000, 10000, 25000, 50000, 100000], "dernier_achat": [6, 12, 24, 36, 60],
                          "projet": [0, 3]}, dict, lambda v: _bands_ok(v),
                         'a table potentiel = [euros ascending], dernier_achat = [months ascending], projet = [level if no, level if yes]'),
        "criteria": (_DEFAULT_CRITERIA, list, lambda v: _criteria_ok(v),
                     "[[prospects.criteria]] tables with key (a-z, 0-9, _; unique), axis (\"potential\" or "
                     "\"accessibility\", at least one each), fr, en, weight > 0, levels_fr and levels_en "
                     "(2 to 10 labels each, as many in both)"),
    },
    "ui": {
        "lang": ("", str, lambda v: v in ("", "fr", "en"), '"fr", "en" or "" (from LANG, else fr)'),
        "theme": ("textual-dark", str, lambda v: v in THEMES, "one of " + ", ".join(THEMES)),
        "period": ("year", str, lambda v: v in ("year", "rolling12"), '"year" or "rolling12"'),
    },
    "matrix": {
        # METHOD §3's default: rows potential A', B', C'; columns current A, B, C.
        "zones": ([["fond_de_commerce", "developpement", "developpement"],
                   ["fond_de_commerce", "fond_de_commerce", "developpement"],
                   ["fond_de_commerce", "gestion_economique", "gestion_economique"]], list,
                  lambda v: len(v) == 3 and all(isinstance(r, list) and len(r) == 3 and all(
                      z in ("fond_de_commerce", "developpement", "gestion_economique") for z in r) for r in v),
                  "3 rows of 3 zones among fond_de_commerce, developpement, gestion_economique"),
        "segment": ("sector", str, lambda v: v in ("sector", "class", "group"), '"sector", "class" or "group"'),
        # METHOD §4: cells read against the mix (ratio = actual ÷ row × column ÷ total).
        "gap_ratio": (0.5, (int, float), lambda v: 0 < v <= 1, "a number in ]0, 1]"),
        "winners": (3, int, lambda v: 1 <= v <= 50, "an integer from 1 to 50"),
        "winner_min_share": (0.02, (int, float), *_unit),
        "winner_min_ratio": (1.5, (int, float), lambda v: v >= 1, "a number >= 1"),
    },
    "activity": {
        "contacts_per_month": (50, (int, float), lambda v: v > 0, "a number > 0"),
        "hit_rate": (0.8, (int, float), *_unit),
        "rep_contacts_per_month": ({}, dict, lambda v: _activity_rep_norms_ok(v), 'a table "rep name" = number > 0'),
        "hot_stages": (["chaud", "negociation"], list, lambda v: all(isinstance(s, str) and s for s in v),
                       "a list of stage keys"),
        "target_activite": (7.0, (int, float), lambda v: 0 <= v <= 10, "a number from 0 to 10"),
        "target_efficacite": (7.0, (int, float), lambda v: 0 <= v <= 10, "a number from 0 to 10"),
        "target_orientation": (7.0, (int, float), lambda v: 0 <= v <= 10, "a number from 0 to 10"),
        "sub_criteria": ({}, dict, lambda v: _activity_sub_criteria_ok(v),
                         "a table indicator (activite, efficacite, orientation) = { criterion = weight > 0 }"),
    },
    # Limits on an .xlsx before it is read (cockpit.io.xlsx_limits): a zip bomb is refused.
    "xlsx": {
        "max_uncompressed_mb": (200, int, lambda v: v >= 1, "an integer >= 1 (megabytes)"),
        "max_ratio": (100, int, lambda v: v >= 2, "an integer >= 2"),
        "max_rows": (1_048_576, int, lambda v: v >= 1, "an integer >= 1"),
        "max_cells": (20_000_000, int, lambda v: v >= 1, "an integer >= 1"),
        "max_cell_chars": (32_767, int, lambda v: v >= 1, "an integer >= 1"),
    },
    "workspace": {
        "path": ("", str, lambda v: True, "a file path, empty for the default"),
        "busy_timeout_ms": (5000, int, lambda v: v >= 5000, "an integer >= 5000"),
    },
    # Remapped keys: binding id = "keys" (F1 lists the ids); "*" stands for any id.
    "keys": {
        "*": (None, str, lambda v: bool(re.fullmatch(r"[a-z0-9_+,\-]+", v)), 'a key such as "f2", "ctrl+e" or "e,f2"'),
    },
}

DEFAULTS: dict[str, dict[str, Any]] = {
    s: {k: spec[0] for k, spec in keys.items() if k != "*"} for s, keys in SCHEMA.items()
}


@dataclass(frozen=True)
class ConfigError(Exception):
    path: str
    key: str
    expected: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}" + (f", line {self.line}" if self.line else "")
        return f"{where}: {self.key}: expected {self.expected}"


def user_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(os.environ.get("COCKPIT_CONFIG") or Path(user_config_dir(APP_NAME)) / "config.toml")


# Keys renamed since: an older file still loads. probability_min_decided was the
# decided prospects needed before a measured probability; min_history is its
# successor under both probability rules (METHOD §5).
LEGACY = {("prospects", "probability_min_decided"): "min_history"}


def validate(data: dict[str, Any], path: str) -> dict[str, dict[str, Any]]:
    """Defaults overlaid with ``data``; raises ConfigError naming the first bad key."""
    merged = copy.deepcopy(DEFAULTS)
    for section, values in data.items():
        if section not in SCHEMA:
            raise ConfigError(path, f"[{section}]", "one of " + ", ".join(f"[{s}]" for s in SCHEMA))
        if not isinstance(values, dict):
            raise ConfigError(path, section, "a table")
        table: dict[str, Any] = values  # TOML keys are strings
        for key, value in table.items():
            key = LEGACY.get((section, key), key)
            spec = SCHEMA[section].get(key) or SCHEMA[section].get("*")
            if spec is None:
                raise ConfigError(path, f"{section}.{key}", "one of " + ", ".join(SCHEMA[section]))
            _, typ, check, expected = spec
            if isinstance(value, bool) != (typ is bool) or not isinstance(value, typ) or not check(value):
                raise ConfigError(path, f"{section}.{key} = {value!r}", expected)
            merged[section][key] = value
    if merged["abc"]["a_limit"] > merged["abc"]["b_limit"]:
        raise ConfigError(path, "abc.a_limit", "a value <= abc.b_limit")
    return merged


def load(path: Path | None = None, *, explicit: bool = False) -> tuple[dict[str, dict[str, Any]], Path]:
    """The effective configuration and the file edits are saved to. An
    ``explicit`` file (``--config``) must exist: a typo is not the defaults."""
    path = path or user_config_path()
    if not path.exists() and not explicit:
        return copy.deepcopy(DEFAULTS), path
    text = _read(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's TOMLDecodeError has no lineno attribute: read it from the text.
        match = re.search(r"at line (\d+)", str(exc))
        line = int(match.group(1)) if match else None
        raise ConfigError(str(path), "TOML syntax", f"valid TOML ({str(exc).split(' (at')[0]})", line) from None
    return validate(data, str(path)), path


def _read(path: Path) -> str:
    """The file's text, or a ConfigError saying why it cannot be read."""
    if path.is_dir():
        raise ConfigError(str(path), "--config", "a TOML file, not a directory")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(str(path), "--config", "an existing TOML file (not found)") from None
    except OSError as exc:
        raise ConfigError(str(path), "--config", f"a readable TOML file ({exc.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(str(path), "encoding", "UTF-8 text (save the file as UTF-8)", line) from None


def save_values(path: Path, section: str, values: dict[str, Any]) -> None:
    """Write some keys into the user's file, keeping its comments and layout."""
    import tomlkit

    doc = tomlkit.parse(path.read_text(encoding="utf-8")) if path.exists() else tomlkit.document()
    table = doc.get(section)
    if table is None:
        table = tomlkit.table()
        doc[section] = table
    for key, value in values.items():
        table[key] = value
    validate(doc.unwrap(), str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomlkit.dumps(doc), encoding="utf-8")
    os.replace(tmp, path)
