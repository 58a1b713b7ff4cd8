"""Slow references written from METHOD for the action core's tests: exact
fractions, plain loops, nothing from cockpit."""

from __future__ import annotations

from fractions import Fraction

ZONES = {("A", "A"): "fond_de_commerce", ("A", "B"): "developpement", ("A", "C"): "developpement",
         ("B", "A"): "fond_de_commerce", ("B", "B"): "fond_de_commerce", ("B", "C"): "developpement",
         ("C", "A"): "fond_de_commerce", ("C", "B"): "gestion_economique", ("C", "C"): "gestion_economique"}


def ref_classes(clients: list) -> dict[int, str]:
    """METHOD §1: by amount, largest first, ties by name then code; the share before decides; <= 0 is C."""
    ranked = sorted(clients, key=lambda c: (-c[3], c[2], c[1]))
    total = sum(c[3] for c in clients if c[3] > 0)
    out, before = {}, 0
    for c in ranked:
        share = Fraction(before, total) if total else Fraction(1)
        out[c[0]] = "C" if c[3] <= 0 else "A" if share < Fraction(4, 5) else "B" if share < Fraction(19, 20) else "C"
        before += max(c[3], 0)
    return out


def ref_zone(clients: list, classes: dict[int, str]) -> dict[int, str | None]:
    known = [(c[0], c[1], c[2], c[4]) for c in clients if c[4] is not None]
    pot = ref_classes([(i, code, name, p) for i, code, name, p in known])
    return {c[0]: ZONES[(pot[c[0]], classes[c[0]])] if c[0] in pot else None for c in clients}
