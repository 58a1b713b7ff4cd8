"""Configuration: documented defaults in the top-level ``config.toml``, the
user's overrides in their own file, every key checked for type and range.

The defaults live here as data (``DEFAULTS``) so an installed cockpit needs no
repository checkout; a test keeps the repository's ``config.toml`` equal to it.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - the project requires 3.11, tomli keeps older pythons honest
    import tomli as tomllib

APP_NAME = "sales-cockpit"


from cockpit.config_schema import SCHEMA, THEMES  # noqa: E402,F401  (THEMES: the interface reads it here)


def default_values() -> dict[str, dict[str, Any]]:
    """The schema's defaults as plain values (a fresh copy each call)."""
    import copy

    return copy.deepcopy({s: {k: spec[0] for k, spec in keys.items() if k != "*"} for s, keys in SCHEMA.items()})


@dataclass(eq=False)  # not frozen: raising sets __traceback__ on it
class ConfigError(Exception):
    path: str
    key: str
    expected: str
    line: int | None = None

    def __str__(self) -> str:
        from cockpit.config_words import expected_text
        from cockpit.i18n import current, t

        where = f"{self.path}" + (t("config.error.line", line=self.line) if self.line else "")
        return t("config.error", where=where, setting=self.key, expected=expected_text(self.expected, current()))


def user_config_path() -> Path:
    from platformdirs import user_config_dir

    return Path(os.environ.get("COCKPIT_CONFIG") or Path(user_config_dir(APP_NAME)) / "config.toml")


# Keys renamed since: an older file still loads. probability_min_decided was the
# decided prospects needed before a measured probability; min_history is its
# successor under both probability rules (METHOD §5).
LEGACY = {("prospects", "probability_min_decided"): "min_history"}


def validate(data: Mapping[str, Any], path: str) -> Config:
    """Defaults overlaid with ``data``; raises ConfigError naming the first bad key."""
    merged = default_values()
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
    return Config.of(merged)


def load(path: Path | None = None, *, explicit: bool = False) -> tuple[Config, Path]:
    """The effective configuration and the file edits are saved to. An
    ``explicit`` file (``--config``) must exist: a typo is not the defaults."""
    path = path or user_config_path()
    if not path.exists() and not explicit:
        return DEFAULTS, path
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


# ---- the typed, frozen configuration -----------------------------------------
# One dataclass per section, its fields the schema's keys (a test keeps them
# equal). Frozen, with lists as tuples and tables as read-only mappings: a
# changed setting makes a new Config (``updated``), never an edit in place that
# one screen sees and another does not. A section also reads as a mapping, for
# the keys the code names at run time (``f"{axis}_cuts"``, the workspace's JSON).

def _freeze(value: Any) -> Any:
    if isinstance(value, dict):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Plain lists and dicts again (for TOML, JSON and deep copies)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


class Section(Mapping[str, Any]):
    """Read-only mapping view of a frozen section dataclass."""

    def __getitem__(self, key: str) -> Any:
        if key not in self._names():
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def _names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))  # type: ignore[arg-type]  # every subclass is a dataclass


@dataclass(frozen=True)
class AbcSettings(Section):
    a_limit: float
    b_limit: float
    mode: Literal["fixed", "computed"]
    amount: Literal["revenue", "margin"]
    by: Literal["account", "group"]


@dataclass(frozen=True)
class DiagnosisSettings(Section):
    fragile_top1: float
    fragile_top5: float
    fragile_hhi: float
    dispersion_c_clients: float
    dispersion_c_revenue: float
    disclosure_share: float


@dataclass(frozen=True)
class ProspectSettings(Section):
    potential_cuts: tuple[float, float]
    accessibility_cuts: tuple[float, float]
    probability_rule: Literal["funnel", "decided"]
    maturity_days: int
    min_history: int
    dormant_days: int
    probability_fallback: Mapping[str, float]
    score_from_record: bool
    record_bands: Mapping[str, tuple[int, ...]]
    criteria: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class UiSettings(Section):
    lang: Literal["", "fr", "en"]
    theme: str
    period: Literal["year", "rolling12"]
    last_folder: str
    start_screen: Literal["portfolio", "prospects", "activity", "today"]


@dataclass(frozen=True)
class MatrixSettings(Section):
    zones: tuple[tuple[str, str, str], ...]
    segment: Literal["sector", "class", "group"]
    gap_ratio: float
    winners: int
    winner_min_share: float
    winner_min_ratio: float


@dataclass(frozen=True)
class ActivitySettings(Section):
    contacts_per_month: float
    hit_rate: float
    rep_contacts_per_month: Mapping[str, float]
    hot_stages: tuple[str, ...]
    target_activite: float
    target_efficacite: float
    target_orientation: float
    sub_criteria: Mapping[str, Mapping[str, float]]
    ranking: Literal["managers", "everyone"]


@dataclass(frozen=True)
class RhythmSettings(Section):
    a_days: int
    b_days: int
    c_days: int
    zones: Mapping[str, int]
    overdue_factor: float
    call_weight: float


@dataclass(frozen=True)
class XlsxSettings(Section):
    max_uncompressed_mb: int
    max_ratio: int
    max_rows: int
    max_cells: int
    max_cell_chars: int


@dataclass(frozen=True)
class WorkspaceSettings(Section):
    path: str
    busy_timeout_ms: int


SECTIONS: dict[str, type[Section]] = {
    "abc": AbcSettings, "diagnosis": DiagnosisSettings, "prospects": ProspectSettings, "ui": UiSettings,
    "matrix": MatrixSettings, "activity": ActivitySettings, "rhythm": RhythmSettings, "xlsx": XlsxSettings, "workspace": WorkspaceSettings,
}


@dataclass(frozen=True)
class Config:
    """The effective configuration: checked, typed, never changed in place."""

    abc: AbcSettings
    diagnosis: DiagnosisSettings
    prospects: ProspectSettings
    ui: UiSettings
    matrix: MatrixSettings
    activity: ActivitySettings
    rhythm: RhythmSettings
    xlsx: XlsxSettings
    workspace: WorkspaceSettings
    keys: Mapping[str, str]  # binding id -> keys

    @classmethod
    def of(cls, merged: dict[str, dict[str, Any]]) -> Config:
        """From checked plain values (``validate``'s)."""
        made: dict[str, Any] = {s: kind(**{k: _freeze(v) for k, v in merged[s].items()}) for s, kind in SECTIONS.items()}
        return cls(**made, keys=MappingProxyType(dict(merged.get("keys", {}))))

    def section(self, name: str) -> Mapping[str, Any]:
        value: Mapping[str, Any] = getattr(self, name)
        return value

    def as_dict(self) -> dict[str, dict[str, Any]]:
        """Plain values, as a TOML file or the workspace's JSON holds them."""
        return {name: thaw(getattr(self, name)) for name in (*SECTIONS, "keys")}

    def updated(self, section: str, values: Mapping[str, Any], path: str = "<settings>") -> Config:
        """A new Config with some keys of one section changed, checked as a file's would be."""
        data = self.as_dict()
        data[section] = {**data[section], **thaw(values)}
        return validate(data, path)


DEFAULTS = Config.of(default_values())
