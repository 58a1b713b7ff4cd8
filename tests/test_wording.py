"""Issue 18, wording: what a rep reads agrees, in both languages (each case
was seen wrong on screen first)."""

from __future__ import annotations

import pytest

from cockpit import i18n
from conftest import ready
from kit_cases import burst


def flat(text: object) -> str:
    return str(text).replace("\u202f", " ").replace("\xa0", " ")


@pytest.mark.parametrize("lang, want", [
    ("fr", "2 000 000 lignes de vente importées dans /w.sqlite"),
    ("en", "2,000,000 sales lines imported into /w.sqlite"),
])
def test_an_import_is_counted_with_agreement_and_thousands(lang, want):
    """Was "2000000 lignes de vente importés" in the app (the CLI had it right)."""
    i18n.set_lang(lang)
    try:
        assert flat(i18n.imported("sales", 2_000_000, "/w.sqlite")) == want
        assert flat(i18n.imported("sales", 1, "/w.sqlite")).startswith("1 ")
    finally:
        i18n.set_lang("fr")


def test_the_what_if_gap_of_a_score_has_one_decimal_as_the_scores():
    from cockpit.activity.text import delta_text, score_text, value_text

    i18n.set_lang("fr")
    assert delta_text(142.4166, score_text) == "+142,4"  # was +142,42 beside scores of one decimal
    assert delta_text(-0.02, score_text) == "0"
    assert delta_text(0.53, value_text) == "+0,53"  # an indicator's mean keeps its two


async def test_undoing_a_new_prospect_says_it_is_removed_not_that_it_goes_back_to_restored(make_app):
    """Was "Annulé : Test Plomberie Nancy, fiche revient à rétabli"."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        await burst(pilot, "a", *"Test Plomberie Nancy", "enter")
        await ready(pilot)
        status = lambda: flat(app.screen.query_one("StatusLine").render())  # noqa: E731
        await burst(pilot, "u")
        assert "Annulé : retrait de Test Plomberie Nancy" in status() and "revient à" not in status()
        await burst(pilot, "ctrl+y")
        assert "Rétabli : retour de Test Plomberie Nancy" in status()


async def test_one_set_of_level_words_and_the_scale_the_criteria_have(make_app):
    """The matrix said "Pot. fort / Acc. faible", the table "très×peu"; the
    qualification footer offered 0–9 on a 0–5 scale."""
    from test_i18n_screens import screen_text

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        shown = flat(screen_text(app))
        assert "Potentiel : très" in shown and "A peu" in shown and "très×" in shown
        assert "Pot. " not in shown and "Acc. " not in shown
        await pilot.press("Q")
        await ready(pilot)
        shown = flat(screen_text(app))
        assert " ".join(shown.split()).count("0–5 Noter") == 1 and "0–9" not in shown
