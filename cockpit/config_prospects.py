"""The ``[prospects]`` section's defaults and checks (METHOD §5).

Kept apart from ``config.py`` because the default criteria are long; standard
library only, so loading the config stays cheap and cycle-free.
"""

from __future__ import annotations

import re
from typing import Any

FUNNEL = ("suspect", "prospect", "froid", "tiede", "chaud", "negociation", "client", "fidele")
AXES = ("potential", "accessibility")


def _criterion(key: str, axis: str, fr: str, en: str, weight: float, levels_fr: list[str], levels_en: list[str]) -> dict[str, Any]:
    return {"key": key, "axis": axis, "fr": fr, "en": en, "weight": weight, "levels_fr": levels_fr, "levels_en": levels_en}


# The deck's examples: size, an existing project, time since the last similar
# purchase (and the amount at stake) | knowledge of the contact, receptivity,
# the right moment. Each 0–5, one label per level.
DEFAULT_CRITERIA: list[dict[str, Any]] = [
    _criterion("taille", "potential", "Taille de l'entreprise", "Company size", 1,
               ["inconnue", "artisan seul", "2 à 5 salariés", "6 à 20 salariés", "21 à 50 salariés", "plus de 50 salariés"],
               ["unknown", "sole trader", "2 to 5 staff", "6 to 20 staff", "21 to 50 staff", "over 50 staff"]),
    _criterion("projet", "potential", "Projet existant", "Existing project", 2,
               ["aucun", "idée vague", "besoin identifié", "projet à l'étude", "budget prévu", "décision imminente"],
               ["none", "vague idea", "need identified", "project under study", "budget planned", "decision imminent"]),
    _criterion("dernier_achat", "potential", "Dernier achat similaire", "Last similar purchase", 1,
               ["il y a moins de 6 mois", "6 à 12 mois", "1 à 2 ans", "2 à 3 ans", "3 à 5 ans", "plus de 5 ans"],
               ["under 6 months ago", "6 to 12 months", "1 to 2 years", "2 to 3 years", "3 to 5 years", "over 5 years"]),
    _criterion("potentiel", "potential", "Montant en jeu", "Amount at stake", 2,
               ["moins de 5 k€", "5 à 10 k€", "10 à 25 k€", "25 à 50 k€", "50 à 100 k€", "plus de 100 k€"],
               ["under €5k", "€5k to €10k", "€10k to €25k", "€25k to €50k", "€50k to €100k", "over €100k"]),
    _criterion("connaissance", "accessibility", "Connaissance du contact", "Knowing the contact", 1,
               ["inconnu", "nom seulement", "eu au téléphone", "rencontré une fois", "relation suivie", "relation de confiance"],
               ["unknown", "name only", "spoken on the phone", "met once", "regular contact", "trusted relation"]),
    _criterion("receptivite", "accessibility", "Réceptivité", "Receptivity", 1,
               ["hostile", "fermé", "neutre", "curieux", "intéressé", "demandeur"],
               ["hostile", "closed", "neutral", "curious", "interested", "asking"]),
    _criterion("moment", "accessibility", "Bon moment pour appeler", "Right moment to call", 1,
               ["pas avant un an", "dans 6 à 12 mois", "dans 3 à 6 mois", "dans 1 à 3 mois", "ce mois-ci", "maintenant"],
               ["not within a year", "in 6 to 12 months", "in 3 to 6 months", "in 1 to 3 months", "this month", "now"]),
]

_KEY = re.compile(r"[a-z0-9_]+")
_FIELDS = {"key", "axis", "fr", "en", "weight", "levels_fr", "levels_en"}


def number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def cuts_ok(v: object) -> bool:
    return isinstance(v, list) and len(v) == 2 and all(number(x) for x in v) and 0 <= v[0] <= v[1] <= 1


def _labels_ok(v: object) -> bool:
    return isinstance(v, list) and 2 <= len(v) <= 10 and all(isinstance(s, str) and s.strip() for s in v)


def _one_ok(c: object) -> bool:
    return (isinstance(c, dict) and set(c) == _FIELDS
            and isinstance(c["key"], str) and bool(_KEY.fullmatch(c["key"]))
            and c["axis"] in AXES
            and all(isinstance(c[k], str) and c[k].strip() for k in ("fr", "en"))
            and number(c["weight"]) and c["weight"] > 0
            and _labels_ok(c["levels_fr"]) and _labels_ok(c["levels_en"])
            and len(c["levels_fr"]) == len(c["levels_en"]))


def criteria_ok(v: object) -> bool:
    """Digit keys type the scores, hence at most 10 levels (0–9)."""
    if not isinstance(v, list) or not all(_one_ok(c) for c in v):
        return False
    keys = [c["key"] for c in v]
    return len(set(keys)) == len(keys) and all(any(c["axis"] == a for c in v) for a in AXES)
