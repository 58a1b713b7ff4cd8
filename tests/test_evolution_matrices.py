"""Portfolio over time and the strategy matrices, with hand-computed answers."""

from __future__ import annotations

import numpy as np
import pytest

from cockpit.abc import DEFAULT_LIMITS
from cockpit.evolution import half_life, mean_churn, new_clients_to_stay_stable, portfolio_evolution, survival
from cockpit.matrices import (
    DEFAULT_ZONES, NO_CLASS, crossed_matrix, crossed_zone, potential_classes, product_segment_matrix, share_of_wallet,
)

# Three years. 1 steady; 2 leaves in 2024 and comes back in 2025; 3 new in 2024;
# 4 has a net credit (negative) in 2024: not a purchase, so lost then new again;
# 5 only in 2023 (lost in 2024).
HISTORY = {
    "2023": {1: 100, 2: 50, 4: 30, 5: 20},
    "2024": {1: 110, 3: 40, 4: -10},
    "2025": {1: 120, 2: 60, 3: 45, 4: 25},
}


def test_new_lost_and_churn_on_a_three_year_history():
    y23, y24, y25 = portfolio_evolution(HISTORY)
    assert (y23.clients, y23.revenue, y23.churn) == (4, 200, None)
    assert y24.clients == 2 and y24.new == (3,) and y24.new_revenue == 40
    assert y24.lost == (2, 4, 5) and y24.lost_revenue == 50 + 30 + 20
    assert y24.churn == pytest.approx(3 / 4) and y24.revenue_churn == pytest.approx(100 / 200)
    assert y25.new == (2, 4) and y25.new_revenue == 85 and y25.lost == () and y25.churn == 0.0
    assert y25.clients == 4
    assert mean_churn([y23, y24, y25]) == pytest.approx(3 / 6)


def test_half_life_and_projection():
    assert half_life(0.10) == pytest.approx(6.58, abs=0.01)
    assert half_life(0.15) == pytest.approx(4.27, abs=0.01)
    assert half_life(0.159) == pytest.approx(4.0, abs=0.05)  # "half in four years" takes 15.9 %
    assert half_life(0.0) is None and half_life(1.0) == 0.0
    assert survival(0.5, 3) == [1.0, 0.5, 0.25, 0.125]
    assert new_clients_to_stay_stable(0.12, 50) == pytest.approx(6.0)


@pytest.mark.parametrize("potential, current, zone", [
    (0, 0, "fond_de_commerce"), (0, 1, "developpement"), (0, 2, "developpement"),
    (1, 0, "fond_de_commerce"), (1, 1, "fond_de_commerce"), (1, 2, "developpement"),
    (2, 0, "fond_de_commerce"), (2, 1, "gestion_economique"), (2, 2, "gestion_economique"),
])
def test_crossed_zones_of_the_nine_cells(potential, current, zone):
    assert crossed_zone(current, potential) == zone


def test_crossed_matrix_counts_missing_potentials_apart():
    current = np.array([0, 1, 2, 2, 0])
    potential = np.array([0, 0, 2, NO_CLASS, 1])
    revenue = np.array([500, 100, 10, 7, 300])
    m = crossed_matrix(current, potential, revenue)
    assert m.counts[0, 0] == 1 and m.counts[0, 1] == 1 and m.counts[2, 2] == 1 and m.counts[1, 0] == 1
    assert m.counts.sum() == 4 and (m.missing_count, m.missing_revenue) == (1, 7)
    assert m.zone_totals()["developpement"] == (1, 100)
    assert m.zones == DEFAULT_ZONES


def test_potential_classes_use_the_abc_rule_and_skip_unknown():
    pot = np.array([800, -1, 150, 50])
    classes = potential_classes(pot, ["a", "b", "c", "d"], [1, 2, 3, 4], DEFAULT_LIMITS)
    assert list(classes) == [0, NO_CLASS, 1, 2]
    sow = share_of_wallet(np.array([400, 10, 150, 0]), pot)
    assert sow[0] == 0.5 and np.isnan(sow[1]) and sow[2] == 1.0


def test_product_matrix_reproduces_the_decks_example():
    # METHOD §4: five segments, three products, segment totals 27, 70, 5, 90.5, 1 k€ = 193.5 k€.
    lines = [
        ("Artisans", "Sanitaire", 15_000_00), ("Artisans", "Chauffage", 12_000_00),
        ("Négoces", "Sanitaire", 40_000_00), ("Négoces", "Chauffage", 20_000_00), ("Négoces", "Outillage", 10_000_00),
        ("Collectivités", "Chauffage", 5_000_00),
        ("Industrie", "Sanitaire", 50_000_00), ("Industrie", "Chauffage", 30_500_00), ("Industrie", "Outillage", 10_000_00),
        ("Particuliers", "Outillage", 1_000_00),
    ]
    m = product_segment_matrix([s for s, _, _ in lines], [p for _, p, _ in lines], np.array([a for *_, a in lines]))
    totals = dict(zip(m.segments, m.row_totals.tolist()))
    assert totals == {"Artisans": 27_000_00, "Négoces": 70_000_00, "Collectivités": 5_000_00,
                      "Industrie": 90_500_00, "Particuliers": 1_000_00}
    assert m.grand_total == 193_500_00
    assert dict(zip(m.products, m.col_totals.tolist()))["Sanitaire"] == 105_000_00
    assert m.winners(2) == [(m.segments.index("Industrie"), m.products.index("Sanitaire")),
                            (m.segments.index("Négoces"), m.products.index("Sanitaire"))]


def test_expected_versus_actual_gaps_on_a_2x2_case():
    # Rows X (100), Y (100); columns P (120), Q (80); grand 200.
    # Expected X·Q = 100 × 80 / 200 = 40, actual 10: shortfall 30.
    m = product_segment_matrix(["X", "X", "Y", "Y"], ["P", "Q", "P", "Q"], np.array([90, 10, 30, 70]))
    assert m.expected.tolist() == [[60.0, 40.0], [60.0, 40.0]]
    assert m.gaps(0.5) == [(0, 1, 30)]  # Y·P: 30 is not below half of 60
    assert m.gaps(0.6) == [(0, 1, 30), (1, 0, 30)]
    assert m.gaps(0.2) == []
