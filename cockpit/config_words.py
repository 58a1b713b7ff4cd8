"""What a setting expects, in French: the schema (`config_schema`) and the
file checks (`config`) write it in English, the language of the file's own
keys, and a French interface says it in French (`ConfigError.__str__`)."""

from __future__ import annotations

_STAGES = "suspect, prospect, froid, tiede, chaud, negociation, client, fidele"
_ZONES = "fond_de_commerce, developpement, gestion_economique"

FR: dict[str, str] = {
    '"account" or "group"': '"account" ou "group"',
    '"fixed" or "computed"': '"fixed" ou "computed"',
    '"fr", "en" or "" (from LANG, else fr)': '"fr", "en" ou "" (d\'après LANG, sinon fr)',
    '"funnel" or "decided"': '"funnel" ou "decided"',
    '"managers" or "everyone"': '"managers" ou "everyone"',
    '"portfolio", "prospects", "activity" or "today"': '"portfolio", "prospects", "activity" ou "today"',
    '"revenue" or "margin"': '"revenue" ou "margin"',
    '"sector", "class" or "group"': '"sector", "class" ou "group"',
    '"year" or "rolling12"': '"year" ou "rolling12"',
    f"3 rows of 3 zones among {_ZONES}": f"3 lignes de 3 zones parmi {_ZONES}",
    '[[prospects.criteria]] tables with key (a-z, 0-9, _; unique), axis ("potential" or "accessibility", at least '
    'one each), fr, en, weight > 0, levels_fr and levels_en (2 to 10 labels each, as many in both)':
        'des tables [[prospects.criteria]] avec key (a-z, 0-9, _ ; unique), axis ("potential" ou "accessibility", '
        'au moins un de chaque), fr, en, weight > 0, levels_fr et levels_en (2 à 10 libellés chacun, autant dans les deux)',
    "[low_below, high_from] with 0 <= low_below <= high_from <= 1": "[low_below, high_from] avec 0 <= low_below <= high_from <= 1",
    "a file path, empty for the default": "un chemin de fichier, vide pour celui par défaut",
    "a folder path, empty for the home folder": "un chemin de dossier, vide pour le dossier personnel",
    'a key such as "f2", "ctrl+e", "W" or "e,f2"': 'une touche comme "f2", "ctrl+e", "W" ou "e,f2"',
    "a list of stage keys": "une liste de clés d'étapes",
    "a number > 0": "un nombre > 0",
    "a number >= 1": "un nombre >= 1",
    "a number from 0 to 1": "un nombre de 0 à 1",
    "a number from 0 to 10": "un nombre de 0 à 10",
    "a number from 0 to 10000": "un nombre de 0 à 10000",
    "a number in ]0, 1]": "un nombre dans ]0, 1]",
    'a table "rep name" = number > 0': 'une table "nom du commercial" = nombre > 0',
    "a table indicator (activite, efficacite, orientation) = { criterion = weight > 0 }":
        "une table indicateur (activite, efficacite, orientation) = { critère = poids > 0 }",
    "a table potentiel = [euros ascending], dernier_achat = [months ascending], projet = [level if no, level if yes]":
        "une table potentiel = [euros croissants], dernier_achat = [mois croissants], projet = [niveau si non, niveau si oui]",
    f"a table stage = probability from 0 to 1, stages among {_STAGES}":
        f"une table étape = probabilité de 0 à 1, étapes parmi {_STAGES}",
    f"a table zone = days (an integer >= 1), zones among {_ZONES}":
        f"une table zone = jours (un entier >= 1), zones parmi {_ZONES}",
    "an integer >= 0": "un entier >= 0",
    "an integer >= 1": "un entier >= 1",
    "an integer >= 1 (days)": "un entier >= 1 (jours)",
    "an integer >= 1 (megabytes)": "un entier >= 1 (mégaoctets)",
    "an integer >= 2": "un entier >= 2",
    "an integer >= 5000": "un entier >= 5000",
    "an integer from 1 to 50": "un entier de 1 à 50",
    "true or false": "true ou false",
    # the file's own checks (cockpit/config.py)
    "a table": "une table",
    "a value <= abc.b_limit": "une valeur <= abc.b_limit",
    "a TOML file, not a directory": "un fichier TOML, pas un dossier",
    "an existing TOML file (not found)": "un fichier TOML existant (introuvable)",
    "UTF-8 text (save the file as UTF-8)": "du texte UTF-8 (enregistrez le fichier en UTF-8)",
}

# Expectations with a part from elsewhere (a list of names, the reader's own words): the start translated.
_STARTS = {"one of ": "l'une de ces valeurs : ", "valid TOML (": "du TOML valide (",
           "a readable TOML file (": "un fichier TOML lisible (", "the workspace's shared settings as JSON (":
           "les réglages partagés de l'espace de travail en JSON ("}


def expected_text(expected: str, lang: str) -> str:
    """``expected`` in ``lang`` (a text with no French here, such as a key clash already said in the
    interface's language, is kept as it is)."""
    if lang != "fr":
        return expected
    if expected in FR:
        return FR[expected]
    for start, fr in _STARTS.items():
        if expected.startswith(start):
            return fr + expected[len(start):]
    return expected
