"""The Prospects screen and qualification mode, driven with real keys."""

from __future__ import annotations

import datetime as dt
import sqlite3

from conftest import ready

from cockpit.i18n import money

TODAY = dt.date(2026, 11, 29)  # the sample's reference day: 19 follow-ups overdue, 8 due today


def pinned(app):
    app.today = lambda: TODAY
    return app


async def prospects(pilot) -> None:
    await ready(pilot)
    await pilot.press("2")
    await ready(pilot)


def flat(text) -> str:
    return str(text).replace("\u202f", " ").replace("\xa0", " ")


def static_text(app, selector: str) -> str:
    return flat(app.screen.query_one(selector).render())


async def test_qualify_three_prospects_with_digit_keys_only(make_app, db_path):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        book = screen.book
        before = book.matrix().counts.copy()
        first_before = [book.prospects[i].company for i in book.call_first()]
        await pilot.press("s")  # stage filter: the suspects, none of them scored yet
        trio = [screen.source.prospect(r) for r in range(3)]
        assert all(p.stage == "suspect" and not p.scores for p in trio)
        await pilot.press("Q")
        await pilot.pause()
        assert app.screen.id == "qualify"
        # Seven digits each: the four potential criteria, then the three accessibility ones.
        await pilot.press(*"5555555", *"0000000", *"3333222")
        await ready(pilot)
        assert app.screen.pos == 3 and app.screen.crit == 0  # the fourth suspect is up next
        cells = [book.cell(book.index_of(p.id)) for p in trio]
        # all 5: 100 % × 100 %; all 0: 0 % × 0 %; 3s (60 %) × 2s (40 %): medium × medium
        assert cells == [(2, 2), (0, 0), (1, 1)]
        counts = book.matrix().counts
        assert counts[2][2] == before[2][2] + 1 and counts[0][0] == before[0][0] + 1 and counts[1][1] == before[1][1] + 1
        # The suspect has no potential entered: it comes after the call-first prospects the record placed.
        assert [book.prospects[i].company for i in book.call_first()] == [*first_before, trio[0].company]
        await pilot.press("escape")
        await ready(pilot)
        assert app.screen.id == "prospects"
        assert trio[0].company in static_text(app, "#p-callfirst")
        assert app.screen.query_one("#p-matrix").matrix.counts[2][2] == before[2][2] + 1
    db = sqlite3.connect(db_path)
    stored = db.execute("SELECT criterion, score FROM qualification WHERE prospect_id = ? ORDER BY criterion", (trio[2].id,)).fetchall()
    assert dict(stored) == {"taille": 3, "projet": 3, "dernier_achat": 3, "potentiel": 3,
                            "connaissance": 2, "receptivite": 2, "moment": 2}


async def test_tab_moves_between_criteria_and_the_cell_follows_the_digits_and_undo(make_app):
    app = pinned(make_app())
    async with app.run_test(size=(80, 24)) as pilot:
        await prospects(pilot)
        await pilot.press("s", "Q")
        await pilot.pause()
        q = app.screen
        p = q.prospect()
        await pilot.press("tab", "tab", "tab", "tab", "5", "shift+tab", "shift+tab")
        assert q.crit == 3
        assert q.owner.book.rated.acc_level[q.owner.book.index_of(p.id)] == 2  # one score is enough to place an axis
        await pilot.press("9")  # out of the 0–5 scale: refused
        assert "potentiel" not in p.scores
        await pilot.press("4", "n", "p")
        await ready(pilot)
        assert q.prospect() is p and p.scores == {"connaissance": 5.0, "potentiel": 4.0}
        await pilot.press("u")
        await ready(pilot)
        p = q.prospect()
        assert p.scores == {"connaissance": 5.0}
        assert any(n.message.startswith("Annulé") for n in app._notifications)
        await pilot.press("Q")  # closes qualification mode, never quits
        await pilot.pause()
        assert app.is_running and app.screen.id == "prospects"


async def test_set_a_next_action_and_see_it_in_the_reminders(make_app, db_path):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        p = screen.current()
        assert p.next_action_date == "2026-12-10"
        await pilot.press("r", *"+3j Rappeler", "enter")
        await ready(pilot)
        assert (p.next_action_date, p.next_action) == ("2026-12-02", "Rappeler")
        assert p.company not in static_text(app, "#p-reminders")
        await pilot.press("r", *"29/11", "enter")  # two keys and a date
        await ready(pilot)
        assert p.next_action_date == "2026-11-29"
        assert p.id in [screen.book.prospects[r.index].id for r in screen.book.reminders(TODAY)]
        assert "Relances : 19 en retard · 9 aujourd'hui" in static_text(app, "#p-reminders")
        await pilot.press("r", *"bientôt", "enter")  # nonsense: refused, the entry stays open
        assert screen.has_open_edit()
        await pilot.press("escape")
        await pilot.press("t")  # the first follow-up to do: the oldest overdue
        assert screen.current().next_action_date == "2026-11-15"
    stored = sqlite3.connect(db_path).execute("SELECT next_action, next_action_date FROM prospects WHERE id = ?", (p.id,)).fetchone()
    assert stored == ("Rappeler", "2026-11-29")


async def test_win_a_prospect_and_find_it_in_the_portfolio_then_undo_the_whole_win(make_app, db_path):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        await pilot.press(*"ssssss")  # the negotiations
        screen = app.screen
        p = screen.current()
        assert p.stage == "negociation" and p.potential == 10_850_000
        await pilot.press("+")
        await pilot.pause()
        assert app.screen.query_one("#win-sector").has_focus  # the missing field is asked first
        await pilot.press(*"Installateur", "enter")
        await ready(pilot)
        assert p.company != "" and screen.prospect_by_id(p.id).stage == "client"
        await pilot.press("1")
        await ready(pilot)
        model = app.screen.model
        assert p.company in model.data.name
        i = model.data.name.index(p.company)
        assert model.data.potential[i] == 10_850_000
        await pilot.press("u")  # one key undoes the whole win
        await ready(pilot)
        await ready(pilot)
        assert p.company not in app.screen.model.data.name
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT stage, client_id FROM prospects WHERE id = ?", (p.id,)).fetchone() == ("negociation", None)
    assert db.execute("SELECT count(*) FROM clients WHERE name = ?", (p.company,)).fetchone() == (0,)


async def test_add_edit_in_place_delete_with_confirmation_and_undo(make_app, db_path):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        await pilot.press("a", *"Zinc [/b] & Fils", "enter")
        await ready(pilot)
        p = screen.current()
        assert p.company == "Zinc [/b] & Fils" and p.stage == "suspect"
        assert "Zinc [/b] & Fils" in screen.table.render_line(screen.table.cursor_row - screen.table.scroll_offset.y + 1).text
        await pilot.press("right", "right", "e")  # stage, then potential (the cell column is not typed in)
        await pilot.press(*"12 500", "enter")
        await ready(pilot)
        assert screen.current().potential == 1_250_000
        await pilot.press("left", "e", *"chau", "enter")
        await ready(pilot)
        assert screen.current().stage == "chaud"
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")  # no: nothing happens
        await ready(pilot)
        assert screen.prospect_by_id(p.id) is not None
        await pilot.press("d", "o")
        await ready(pilot)
        assert screen.prospect_by_id(p.id) is None
        await pilot.press("u")
        await ready(pilot)
        back = screen.prospect_by_id(p.id)
        assert (back.company, back.potential, back.stage) == ("Zinc [/b] & Fils", 1_250_000, "chaud")
        await pilot.press("u")  # the stage change
        await ready(pilot)
        assert screen.prospect_by_id(p.id).stage == "suspect"
    rows = sqlite3.connect(db_path).execute("SELECT stage FROM stage_history WHERE prospect_id = ?", (p.id,)).fetchall()
    assert rows[0] == ("suspect",)


async def test_filters_by_stage_source_text_and_matrix_cell(make_app):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        await pilot.press("s")
        assert len(screen.source.rows) == 14
        await pilot.press("X", "o")
        first_source = sorted({p.source for p in screen.book.prospects})[0]
        assert {screen.source.prospect(r).source for r in range(screen.source.row_count())} == {first_source}
        await pilot.press("X", "slash", *"LEFÈVRE")
        assert {screen.source.prospect(r).company for r in range(screen.source.row_count())} >= {"SARL Sanitaire Lefèvre"}
        await pilot.press("escape")
        assert len(screen.source.rows) == 64
        await pilot.press("m", "down", "down", "enter")  # from high × high down to low × high
        rows = [screen.source.prospect(r) for r in range(screen.source.row_count())]
        assert rows and all(screen.book.cell(screen.book.index_of(p.id)) == (0, 2) for p in rows)
        assert len(rows) == screen.book.matrix().counts[0][2]
        assert "filtres" in static_text(app, "#p-status")


async def test_funnel_view_and_help(make_app):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        await pilot.press("f")
        await pilot.pause()
        text = static_text(app, "#p-funnel-table")
        # METHOD §5 (changed): the "funnel" rule; the sample's history is younger than
        # maturity_days, so every stage takes its configured probability, marked: the
        # pipeline is Σ potential × that probability over the open prospects (was
        # 1 707 479 € under Odoo's rule).
        from fractions import Fraction
        fallback = app.cfg.prospects.probability_fallback
        book = app.screen.book
        # Dormant prospects (no stage change, no contact for dormant_days) are out of the pipeline (METHOD §5).
        cutoff = TODAY - dt.timedelta(days=book.section["dormant_days"])

        def idle(p) -> bool:
            days = [s.date for s in p.history] + ([dt.date.fromisoformat(p.last_contact)] if p.last_contact else [])
            return max(days) <= cutoff

        expected = sum(Fraction(max(p.potential or 0, 0)) * Fraction(str(fallback[p.stage])) for p in book.prospects
                       if p.stage in ("suspect", "prospect", "froid", "tiede", "chaud", "negociation") and not idle(p))
        assert any(idle(p) for p in book.prospects)  # the sample's Zimmer Sanitaire Épinal, idle since 2025
        assert f"Pipeline pondéré {flat(money(round(expected)))}" in text and "Négociation" in text
        assert "Source         Sus Pro Fro Tiè Cha Nég Cli Fid  Gain  Pipeline" in text
        assert "réseau          14  12   9   8   6   4   2   1  67 %" in text
        assert "Sur" in text and "180 jours" in text
        await pilot.press("f1")
        await pilot.pause()
        help_text = str(app.screen.query_one("#help-body").render())
        assert "ctrl+q quitte" in help_text and "Qualifier" in help_text and "Odoo" in help_text


async def test_an_entry_cut_by_a_dropped_session_comes_back(make_app):
    app = pinned(make_app())
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        await pilot.press("down", "r", *"+3j Rapp")
        draft = app.screen.draft()
    assert draft == {"screen": "prospects", "mode": "remind", "prospect_id": 2, "field": "next_action_date", "text": "+3j Rapp", "version": 1,
                     "seen": "2026-11-30"}
    app = pinned(make_app())
    app.pending_draft = lambda screen: draft if screen == "prospects" else None  # what the App hands after a SIGHUP
    async with app.run_test(size=(120, 40)) as pilot:
        await prospects(pilot)
        screen = app.screen
        assert screen.has_open_edit() and screen.editor.value == "+3j Rapp" and screen.current().id == 2
        await pilot.press(*"eler", "enter")
        await ready(pilot)
        assert (screen.current().next_action, screen.current().next_action_date) == ("Rappeler", "2026-12-02")


HOSTILE = ["ACME [/b]", "[@click=app.quit]z[/]", "[red]ROUGE"]


async def test_hostile_names_are_shown_literally(make_app, db_path):
    db = sqlite3.connect(db_path)
    for name in HOSTILE:
        db.execute("INSERT INTO prospects(company, notes, next_action, next_action_date) VALUES (?, ?, ?, '2026-11-01')",
                   (name, name, name))
    db.commit()
    app = pinned(make_app())
    async with app.run_test(size=(160, 50)) as pilot:
        await prospects(pilot)
        await pilot.press("end")
        painted = "\n".join(app.screen.table.render_line(y).text for y in range(1, 40))
        reminders = static_text(app, "#p-reminders")
        for name in HOSTILE:
            assert name in painted and name in reminders
        await pilot.press("Q")
        await pilot.pause()
        assert "[red]ROUGE" in static_text(app, "#q-head") and app.is_running
