"""What the workspace stores and journals: its editable entities and the
record of one applied change. A leaf module: the workspace and its units of
work both read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# entity -> (table, key columns, editable fields)
ENTITIES: dict[str, tuple[str, tuple[str, ...], frozenset[str]]] = {
    "amounts": ("amounts", ("client_id", "period"), frozenset({"revenue", "margin"})),
    "clients": ("clients", ("id",), frozenset({
        "code", "name", "grp", "sector", "potential", "owner", "city", "contact", "next_action", "next_action_date",
        "notes"})),
    "prospects": ("prospects", ("id",), frozenset({
        "company", "first_name", "last_name", "function", "email", "phone", "source", "stage", "has_project",
        "last_purchase", "potential", "next_action", "next_action_date", "notes", "created", "client_id", "owner",
        "quote_amount", "expected_signing", "won_back_from"})),
    "qualification": ("qualification", ("prospect_id", "criterion"), frozenset({"score"})),
    "activity": ("activity", ("rep", "period", "indicator"), frozenset({"value", "target"})),
    "reps": ("reps", ("login",), frozenset({"name", "role", "active"})),
    "visits": ("visits", ("id",), frozenset({"date", "rep", "client_id", "prospect_id", "kind", "outcome", "note"})),
    # The rep's answer to one of the client's zone questions (METHOD §3, §7), keyed 'zone.question'.
    "zone_answers": ("zone_answers", ("client_id", "question"), frozenset({"answer"})),
}
# Entities whose row is created by its first edit (a period's amount, a score).
UPSERT = frozenset({"amounts", "qualification", "activity", "zone_answers"})
ROW = "*"  # journal field of a whole-row create/delete: old/new hold the row as a dict


@dataclass(frozen=True)
class Edit:
    """One journaled change, as applied (undo returns the inverse it applied)."""

    seq: int
    entity: str
    key: tuple[Any, ...]
    field: str
    old: Any
    new: Any
    version: int
