"""Every visible string comes from the catalogues: in English no French-only
word shows, in French no English-only word (issue 8). Data (client names,
sectors, products…) is excluded: it is the rep's, not the interface's."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from cockpit.i18n import catalogue
from conftest import ready

ROOT = Path(__file__).resolve().parent.parent
WORD = re.compile(r"[A-Za-zÀ-ÿœŒ]{5,}")
CUT = re.compile(r"[A-Za-zÀ-ÿœŒ]+…")
# Key names are the keyboard's, the same in every language (F1 lists them).
KEY_NAMES = {"delete", "escape", "enter", "space", "shift", "pageup", "pagedown", "backspace", "right", "left",
             "insert", "palette"}

# (screen keys, what is shown): every screen, tab and mode a rep reaches.
VIEWS = {
    "portfolio": [],
    "evolution": ["h"],
    "crossed": ["o"],
    "products": ["s"],
    "time": ["b"],
    "portfolio-help": ["f1"],
    "prospects": ["2"],
    "prospects-funnel": ["2", "f"],
    "prospects-board": ["2", "b", "right", "right", "right", "right", "down"],  # a card with contacts below
    "qualification": ["2", "q"],
    "prospects-help": ["2", "f1"],
    "activity": ["3"],
    "what-if": ["3", "w"],
    "activity-help": ["3", "f1"],
}


def words_of(lang: str) -> set[str]:
    out: set[str] = set()
    for text in catalogue(lang).values():
        out |= {w.casefold() for w in WORD.findall(re.sub(r"\{[^}]*\}", " ", text))}
    return out


def data_words() -> set[str]:
    out: set[str] = set()
    for path in (ROOT / "sample_data").glob("*.csv"):
        out |= {w.casefold() for w in WORD.findall(path.read_text(encoding="utf-8"))}
    return out


def screen_text(app) -> str:
    svg = app.export_screenshot()
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape(" ".join(re.sub(r"<[^>]+>", "", t) for t in texts)).replace("\xa0", " ")


@pytest.mark.parametrize("view", list(VIEWS))
@pytest.mark.parametrize("lang, other", [("en", "fr"), ("fr", "en")])
async def test_no_word_of_the_other_language_on_screen(make_app, view, lang, other):
    shown = await other_language_words(make_app(lang), VIEWS[view], lang, other)
    assert not shown, f"{view} in {lang} shows {sorted(shown)}"


async def other_language_words(app, keys, lang: str, other: str) -> set[str]:
    """The words of ``other`` (and not of ``lang``, nor data, nor key names) on
    screen at 160×50 after ``keys``; the Prospects dialogs' test asks it too."""
    only_other = words_of(other) - words_of(lang) - data_words() - KEY_NAMES
    async with app.run_test(size=(160, 50)) as pilot:
        await ready(pilot)
        for key in keys:
            await pilot.press(key)
            await ready(pilot)
        # A name cut with an ellipsis ("Plomberie Servi…") is data, not a word of either language.
        shown = {w.casefold() for w in WORD.findall(CUT.sub("", screen_text(app)))}
    return shown & only_other
