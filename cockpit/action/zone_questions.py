"""The questions each zone of the crossed matrix asks of the rep (METHOD §3),
one key each, so a client's answers are stored per question
(``zone_answers``, keyed 'zone.question') and shown under their words
(``t("action.q.zone.question")``)."""

from __future__ import annotations

QUESTIONS: dict[str, tuple[str, ...]] = {
    "fond_de_commerce": ("achat", "suivi", "satisfaction"),
    "developpement": ("opportunites", "concurrence", "risque", "atouts", "moyens"),
    "gestion_economique": ("approche", "organisation", "temps", "cout"),
}


def question_keys(zone: str | None) -> list[str]:
    """'zone.question' keys of ``zone``, in the deck's order (none without a zone)."""
    return [f"{zone}.{q}" for q in QUESTIONS.get(zone or "", ())]
