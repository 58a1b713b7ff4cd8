"""The columns an import knows, per kind of file (clients, sales, prospects,
activity, visits): their types, their French and English names, and how a
file's header is matched to them (accents, case, "CA 2024", "CA (k€)")."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from cockpit.io.numbers_fr import clean_text

@dataclass(frozen=True)
class FieldSpec:
    type: str  # "text" | "amount" | "int" | "date" | "bool"
    synonyms: tuple[str, ...]  # as shown to users; the first one names the field
    required: bool = False


def _f(type_: str, synonyms: str, required: bool = False) -> FieldSpec:
    return FieldSpec(type_, tuple(s.strip() for s in synonyms.split("|")), required)


FIELDS: dict[str, dict[str, FieldSpec]] = {
    "clients": {
        "code": _f("text", "code|code client|id|client id|n° client|numéro client|ref|référence"),
        "name": _f("text", "nom|raison sociale|client|société|company|customer|name", True),
        "group": _f("text", "groupe|group|enseigne"),
        "sector": _f("text", "secteur|segment|activité|sector|industry"),
        "city": _f("text", "ville|localité|commune|city|town"),
        "contact": _f("text", "contact|interlocuteur|personne à contacter|contact person"),
        "potential": _f("amount", "potentiel|potential"),
        "revenue": _f("amount", "CA|chiffre d'affaires|revenue|sales|turnover|ventes|montant|amount"),
        "margin": _f("amount", "marge|margin|marge brute|gross margin"),
        "rank": _f("int", "rang|rank|no|n°"),
        "owner": _f("text", "commercial|vendeur|rep|owner|propriétaire|sales rep"),
    },
    "sales": {
        "client_code": _f("text", "code client|client id|client code|code"),
        "client_name": _f("text", "client|nom|raison sociale|name|customer"),
        "date": _f("date", "date|date facture|invoice date", True),
        "product": _f("text", "famille|famille produit|produit|product|product family|gamme", True),
        "revenue": _f("amount", "CA|montant HT|revenue|amount|ventes", True),
        "margin": _f("amount", "marge|margin"),
    },
    "prospects": {
        "company": _f("text", "société|entreprise|raison sociale|company", True),
        "first_name": _f("text", "prénom|first name"),
        "last_name": _f("text", "nom|last name|name"),
        "function": _f("text", "fonction|poste|title|job title"),
        "email": _f("text", "email|e-mail|courriel|mail"),
        "phone": _f("text", "téléphone|tél|phone|mobile"),
        "source": _f("text", "source"),
        "stage": _f("text", "étape|stade|statut|stage|status"),
        "has_project": _f("bool", "projet|projet existant|has project"),
        "last_purchase": _f("date", "dernier achat|date dernier achat similaire|last purchase"),
        "potential": _f("amount", "potentiel|potential"),
        "next_action": _f("text", "prochaine action|next action"),
        "next_action_date": _f("date", "date relance|date prochaine action|next action date|rappel"),
        "notes": _f("text", "notes|commentaire|comments"),
        "owner": _f("text", "commercial|vendeur|rep|owner|propriétaire|sales rep"),
        "quote_amount": _f("amount", "montant devis|devis|quote amount|quote"),
        "expected_signing": _f("date", "signature prévue|date de signature|expected signing|signing date"),
    },
    # Indicators 0–10 are read as text and parsed by cockpit.activity.score (one decimal).
    "activity": {
        "rep": _f("text", "commercial|vendeur|représentant|rep|sales rep|salesperson", True),
        "period": _f("text", "période|mois|period|month", True),
        "activite": _f("text", "activité|activity"),
        "efficacite": _f("text", "efficacité|efficiency"),
        "orientation": _f("text", "orientation"),
        "target_activite": _f("text", "objectif activité|cible activité|target activite|target activity"),
        "target_efficacite": _f("text", "objectif efficacité|cible efficacité|target efficacite|target efficiency"),
        "target_orientation": _f("text", "objectif orientation|cible orientation|target orientation"),
    },
    "visits": {
        "date": _f("date", "date", True),
        "rep": _f("text", "commercial|vendeur|représentant|rep|sales rep|salesperson", True),
        "client_code": _f("text", "code client|client code|client|client id"),
        "prospect": _f("text", "prospect|société prospect|prospect company"),
        "kind": _f("text", "type|nature|kind|contact", True),
        "outcome": _f("text", "résultat|issue|outcome|result", True),
    },
}
# Columns of which at least one must be present (and filled on each row).
REQUIRED_ONE_OF: dict[str, tuple[tuple[str, ...], ...]] = {
    "sales": (("client_code", "client_name"),), "visits": (("client_code", "prospect"),)}

_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")
_NOISE = {"ht", "eur", "euro", "euros", "e", "en"}  # "CA HT (€)" is plain revenue
_SCALED = {"k", "keur", "milliers", "m", "meur", "millions"}  # "CA (k€)": not in euros


def normalise_header(h: str) -> str:
    """"Chiffre d'affaires (€)" -> "chiffre daffaires"; "N° client" -> "no client"."""
    s = unicodedata.normalize("NFKD", clean_text(h).replace("%", " pct "))
    s = "".join(ch for ch in s if not unicodedata.combining(ch)).lower()
    s = re.sub(r"\bn\s*°", "no ", s)
    s = re.sub(r"[.'’]", "", s)  # "C.A." is "ca", "d'affaires" one word
    return re.sub(r"[^0-9a-z]+", " ", s).strip()


def _header_key(header: str) -> tuple[str, int | None, bool]:
    """Matching key without spaces, the year it names, and whether it is scaled."""
    norm = normalise_header(header)
    years = _YEAR.findall(norm)
    year = int(years[0]) if len(years) == 1 else None
    if year is not None:
        norm = _YEAR.sub(" ", norm)
    tokens = norm.split()
    kept = [t for t in tokens if t not in _NOISE | _SCALED] or tokens
    return "".join(kept), year, any(t in _SCALED for t in tokens)


_KEYS: dict[str, dict[str, str]] = {
    kind: {_header_key(s)[0]: name for name, spec in specs.items() for s in (name, *spec.synonyms)}
    for kind, specs in FIELDS.items()
}


def match_header(kind: str, header: str) -> tuple[str | None, int | None, bool]:
    key, year, scaled = _header_key(header)
    name = _KEYS[kind].get(key)
    if name is not None and year is not None and FIELDS[kind][name].type != "amount":
        name = None  # only money columns are per year
    return name, year, scaled
