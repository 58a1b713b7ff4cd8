"""Issue 18, small validation: what a rep types is checked the same way
everywhere, said in words, and nothing half-right is saved."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from cockpit.io.dates_fr import PastDate, parse_next_date
from cockpit.io.numbers_fr import ParseError
from conftest import ready
from kit_cases import burst
from test_prospects_screen import TODAY, pinned, prospects


@pytest.mark.parametrize("text", ["01/01/2020", "2020-01-01", "1/1/20", "hier", "yesterday", "Avant-hier"])
def test_a_past_next_action_date_is_refused_in_every_form(text):
    """01/01/2020 was accepted ("2526 j de retard") while "hier" was refused as not a date."""
    with pytest.raises(PastDate) as exc:
        parse_next_date(text, TODAY)
    assert "aujourd'hui ou après" in exc.value.expected and "later" in exc.value.expected_en


@pytest.mark.parametrize("text", ["aujourd'hui", "today", TODAY.strftime("%d/%m/%Y"), TODAY.isoformat()])
def test_today_is_a_next_action_date(text):
    assert parse_next_date(text, TODAY) == TODAY


def test_nonsense_is_still_not_a_date():
    with pytest.raises(ParseError) as exc:
        parse_next_date("bientôt", TODAY)
    assert not isinstance(exc.value, PastDate)


async def test_a_past_reminder_is_refused_on_screen_and_nothing_is_saved(make_app, db_path):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        p = screen.current()
        before = (p.next_action, p.next_action_date)
        await burst(pilot, "r", *"01/01/2020 Rappeler", "enter")
        assert screen.has_open_edit()  # refused: the entry stays open with what was typed
        said = " ".join(n.message for n in app._notifications)
        assert "aujourd'hui ou après" in said
        await burst(pilot, "escape")
        await ready(pilot)
    stored = sqlite3.connect(db_path).execute("SELECT next_action, next_action_date FROM prospects WHERE id = ?",
                                              (p.id,)).fetchone()
    assert stored == before


def test_dates_helpers_agree_on_today():
    assert parse_next_date("+0j", TODAY) == TODAY and parse_next_date("demain", TODAY) == TODAY + dt.timedelta(days=1)


@pytest.mark.parametrize("text", ["pas un email", "a@b", "@societe.fr", "prenom@@societe.fr", "x y@societe.fr"])
def test_an_email_is_checked_for_its_form(text):
    from cockpit.prospects.contact import parse_email

    with pytest.raises(ParseError) as exc:
        parse_email(text)
    assert "adresse email" in exc.value.expected


@pytest.mark.parametrize("text", ["abc", "12", "06 34 51 70 96 12 34 56 78", "06-34-ab"])
def test_a_phone_is_checked_for_its_form(text):
    from cockpit.prospects.contact import parse_phone

    with pytest.raises(ParseError):
        parse_phone(text)


def test_every_email_and_phone_of_the_sample_passes():
    """The rule is the form, not a guess: real numbers and addresses pass."""
    import csv
    from pathlib import Path

    from cockpit.prospects.contact import parse_email, parse_phone

    path = Path(__file__).resolve().parent.parent / "sample_data" / "prospects.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert all(parse_email(r["email"]) == r["email"] for r in rows if r["email"])
    assert all(parse_phone(r["phone"]) == r["phone"] for r in rows if r["phone"])
    assert parse_phone("+33 (0)3 87 12 34 56") and parse_phone("03.87.12.34.56")


@pytest.mark.parametrize("field, bad, good", [("email", "pas un email", "p.kieffer@lefevre.fr"), ("phone", "abc", "+33 3 87 12 34 56")])
async def test_a_bad_email_or_phone_keeps_the_entry_open_with_what_was_typed(make_app, db_path, field, bad, good):
    from screens.prospects.source import EDITABLE, FIELDS

    app = pinned(make_app())
    async with app.run_test(size=(200, 60)) as pilot:
        await prospects(pilot)
        screen = app.screen
        p = screen.current()
        screen.source.column = next(i for i in EDITABLE if FIELDS[i].name == field)
        await burst(pilot, "e", "ctrl+u", *bad, "enter")
        assert screen.has_open_edit() and screen.editor.value == bad  # kept, to be mended
        said = " ".join(n.message for n in app._notifications)
        assert ("adresse email" if field == "email" else "numéro de téléphone") in said
        await burst(pilot, "ctrl+u", *good, "enter")
        await ready(pilot)
        assert not screen.has_open_edit()
    stored = sqlite3.connect(db_path).execute(f"SELECT {field} FROM prospects WHERE id = ?", (p.id,)).fetchone()
    assert stored == (good,)


async def test_a_contact_defaults_to_today_and_namesakes_are_chosen_by_code(make_app, db_path):
    """The date was the end of the month shown (30/11 on 6/12); "lorflex"
    silently picked C001 although C039 is also LORFLEX."""
    from test_activity_screen import open_activity, rows, select_rep

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_activity(pilot)
        screen.today = lambda: dt.date(2026, 12, 6)  # after the period shown (November)
        await select_rep(pilot, screen, "Claire Martin")
        await pilot.press("v")
        await pilot.pause()
        await burst(pilot, "a")
        assert app.screen.query_one("#visit-date").value == "06/12/2026"
        await burst(pilot, *"lorflex", "enter")
        await ready(pilot)
        assert type(app.screen).__name__ == "ClientListDialog"
        listed = rows(app.screen.query_one("#client-list"))
        assert [r.split(" · ")[0].split()[-1] for r in listed] == ["C001", "C039"]  # each named by its code
        await burst(pilot, "down", "enter")
        await ready(pilot)
    (client,) = sqlite3.connect(db_path).execute(
        "SELECT c.code FROM visits v JOIN clients c ON c.id = v.client_id WHERE v.date = '2026-12-06'").fetchone()
    assert client == "C039"


async def test_the_import_prompt_completes_paths_with_tab_and_starts_in_the_last_folder(make_app, tmp_path):
    """It opened in the home folder every time, with no completion."""
    from textual.widgets import Input

    folder = tmp_path / "exports ERP"
    folder.mkdir()
    (folder / "clients_2026.csv").write_text("code;nom;CA 2026\nZ1;ZINC;1 000\n", encoding="utf-8")
    (folder / "ventes_2025.csv").write_text("x", encoding="utf-8")
    (folder / "ventes_2026.csv").write_text("x", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await burst(pilot, "i")
        field = app.screen.query_one("#file-name", Input)
        await burst(pilot, "ctrl+u", *f"{tmp_path}/exp", "tab")
        assert field.value == f"{folder}/"  # a folder, completed with its separator
        await burst(pilot, "v", "tab")
        assert field.value == f"{folder}/ventes_202"  # two candidates: their common beginning, both listed
        listed = str(app.screen.query_one("#file-candidates").render())
        assert "ventes_2025.csv" in listed and "ventes_2026.csv" in listed
        await burst(pilot, "ctrl+u", *f"{folder}/cl", "tab")
        assert field.value == f"{folder}/clients_2026.csv"
        await burst(pilot, "enter")
        await ready(pilot)
        await burst(pilot, "i")  # the next prompt starts where the last file was
        assert app.screen.query_one("#file-name", Input).value == f"{folder}/"
        await burst(pilot, "escape")
    assert f'last_folder = "{folder}"' in (tmp_path / "config.toml").read_text(encoding="utf-8")
