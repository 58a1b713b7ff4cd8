"""The configuration's schema: per section and key, its default, type, check
and the words said when a value fails it (``config.validate`` reads it; the
typed sections in ``config`` mirror it, a test keeps them equal)."""

from __future__ import annotations

import re
from typing import Any

from cockpit.config_prospects import DEFAULT_CRITERIA as _DEFAULT_CRITERIA, FUNNEL as _FUNNEL, criteria_ok as _criteria_ok, cuts_ok as _cuts_ok, number as _number

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



_ZONES = ("fond_de_commerce", "developpement", "gestion_economique")

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
        # Where the file prompts (import, export, screen save) start: the last folder used, kept by the app.
        "last_folder": ("", str, lambda v: True, "a folder path, empty for the home folder"),
        # The screen the cockpit opens on (METHOD §7: a rep may start the day on Today).
        "start_screen": ("portfolio", str, lambda v: v in ("portfolio", "prospects", "activity", "today"),
                         '"portfolio", "prospects", "activity" or "today"'),
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
        # METHOD §8: a rep sees their own indicators and the team's average; who sees the named ranking.
        "ranking": ("managers", str, lambda v: v in ("managers", "everyone"), '"managers" or "everyone"'),
    },
    # METHOD §7: contact rhythm per class (days between contacts), a zone's own rhythm over its class's,
    # overdue past overdue_factor × the rhythm; a call counts call_weight of a visit in the time allocation.
    "rhythm": {
        "a_days": (30, int, lambda v: v >= 1, "an integer >= 1 (days)"),
        "b_days": (60, int, lambda v: v >= 1, "an integer >= 1 (days)"),
        "c_days": (180, int, lambda v: v >= 1, "an integer >= 1 (days)"),
        "zones": ({}, dict, lambda v: all(z in _ZONES and isinstance(d, int) and not isinstance(d, bool) and d >= 1
                                          for z, d in v.items()),
                  "a table zone = days (an integer >= 1), zones among " + ", ".join(_ZONES)),
        "overdue_factor": (1.5, (int, float), lambda v: v >= 1, "a number >= 1"),
        "call_weight": (0.25, (int, float), lambda v: 0 <= v <= 1, "a number from 0 to 1"),
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
        "*": (None, str, lambda v: bool(re.fullmatch(r"[A-Za-z0-9_+,\-]+", v)), 'a key such as "f2", "ctrl+e", "W" or "e,f2"'),
    },
}
