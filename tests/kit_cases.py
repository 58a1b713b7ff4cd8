"""Every editable field the kit suite drives, described once: how to reach
it, the key that edits it, what to type, where it is stored and shown."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable

from textual import events

from conftest import ready
from cockpit.store.workspace import Workspace

PID = 1  # SARL Sanitaire Lefèvre, no potential yet


async def burst(pilot: Any, *keys: str) -> None:
    """Keys as a fast typist or a laggy SSH link delivers them: in one read,
    with no pause between them (Pilot.press waits for idle after each)."""
    app = pilot.app
    for key in keys:
        app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
    await ready(pilot)


async def _portfolio(pilot: Any) -> None:
    await ready(pilot)
    screen = pilot.app.screen
    screen.table.move_to(int(screen.model.ranked.rank_of[screen.model.index_of_client_id(1)]))
    await pilot.pause()


def _to_prospect(field: str) -> Callable[[Any], Awaitable[None]]:
    async def go(pilot: Any) -> None:
        from screens.prospects.source import FIELDS

        await ready(pilot)
        await pilot.press("2")
        await ready(pilot)
        screen = pilot.app.screen
        screen.move_to_id(PID)
        screen.source.column = next(i for i, f in enumerate(FIELDS) if f.name == field)
        await pilot.pause()
    return go


async def _activity(pilot: Any) -> None:
    await ready(pilot)
    await pilot.press("3")
    await ready(pilot)
    screen = pilot.app.screen
    team = screen.table("team")
    team.move_to(team.source.index_of("Claire Martin"))
    await pilot.pause()
    await pilot.press("enter")  # into the rep's detail
    detail = screen.table("detail")
    detail.move_to(detail.source.names.index("orientation"))
    await pilot.pause()


def _sql(query: str) -> Callable[[Path], Any]:
    return lambda db_path: sqlite3.connect(db_path).execute(query).fetchone()[0]


def _model(app: Any) -> Any:
    return next(s for s in app.mode_screens() if s.id == "portfolio").model


def _prospect(app: Any) -> Any:
    return next(s for s in app.mode_screens() if s.id == "prospects").prospect_by_id(PID)


def _cell(app: Any) -> Any:
    return next(s for s in app.mode_screens() if s.id == "activity").state.book.cell("Claire Martin", "2026-11", "orientation")


@dataclass(frozen=True)
class Case:
    id: str
    mode: str
    go: Callable[[Any], Awaitable[None]]
    key: str
    typed: str
    stored: Any  # what the typed text is stored as
    read: Callable[[Path], Any]  # the stored value
    shown: Callable[[Any], Any]  # the value the screen shows (model)
    other: Callable[[Workspace], Any]  # another rep's change to the same field
    theirs: Any
    row: str  # the row's name, as dialogs and the editor's title say it
    label: str  # the field's name
    required: bool  # an empty entry is refused (else stored as None)
    renames: bool = False  # the field is the row's name: after another rep's change, the row goes by theirs


CASES = [
    Case("portfolio-amount", "portfolio", _portfolio, "e", "150000", 15_000_000,
         _sql("SELECT revenue FROM amounts WHERE client_id = 1 AND period = '2025'"),
         lambda app: _model(app).accounts.amount_of(_model(app).index_of_client_id(1)),
         lambda ws: ws.edit("amounts", (1, "2025"), "revenue", 16_000_000), 16_000_000, "LORFLEX", "CA", True),
    Case("portfolio-potential", "portfolio", _portfolio, "P", "300000", 30_000_000,
         _sql("SELECT potential FROM clients WHERE id = 1"),
         lambda app: int(_model(app).data.potential[_model(app).index_of_client_id(1)]),
         lambda ws: ws.edit("clients", (1,), "potential", 25_000_000), 25_000_000, "LORFLEX", "Potentiel", False),
    Case("prospect-potential", "prospects", _to_prospect("potential"), "e", "42000", 4_200_000,
         _sql(f"SELECT potential FROM prospects WHERE id = {PID}"), lambda app: _prospect(app).potential,
         lambda ws: ws.edit("prospects", (PID,), "potential", 3_000_000), 3_000_000, "SARL Sanitaire Lefèvre",
         "Potentiel", False),
    Case("prospect-company", "prospects", _to_prospect("company"), "e", "Lefevre Bains", "Lefevre Bains",
         _sql(f"SELECT company FROM prospects WHERE id = {PID}"), lambda app: _prospect(app).company,
         lambda ws: ws.edit("prospects", (PID,), "company", "Lefèvre & Fils"), "Lefèvre & Fils",
         "SARL Sanitaire Lefèvre", "Société", True, renames=True),
    Case("activity-value", "activity", _activity, "e", "7", 7.0,
         _sql("SELECT value FROM activity WHERE rep = 'Claire Martin' AND period = '2026-11' AND indicator = 'orientation'"),
         lambda app: _cell(app).value,
         lambda ws: ws.edit("activity", ("Claire Martin", "2026-11", "orientation"), "value", 6.0), 6.0,
         "Claire Martin · 2026-11 · Orientation", "Valeur", True),
]


async def keep_mine_or_take_theirs(app: Any, pilot: Any, other: Any, stored: Callable[[], int],
                                   read_again: bool) -> None:
    """Another rep (``other``, any backend's workspace) changes LORFLEX while
    this one types over it: the one conflict dialog, theirs taken, then mine
    kept. ``read_again``: the model is looked up anew at the end (on
    PostgreSQL the other rep's commits have reloaded the screen by then)."""
    other.edit("amounts", (1, "2025"), "revenue", 10_000_000)  # the other rep lowers LORFLEX to 100 000 €
    await pilot.press("home", "e", *"300000", "enter")
    await ready(pilot)
    model = app.screen.model if app.screen.id == "portfolio" else app.screen_stack[-2].model
    assert type(app.screen).__name__ == "ConflictDialog"
    assert model.accounts.amount_of(model.index_of_client_id(1)) == 10_000_000  # theirs shown meanwhile
    assert stored() == 10_000_000  # nothing overwritten
    await pilot.press("t")  # take theirs
    await ready(pilot)
    assert stored() == 10_000_000 and app.screen.id == "portfolio"

    other.edit("amounts", (1, "2025"), "revenue", 20_000_000)
    app.screen.table.move_to(int(model.ranked.rank_of[model.index_of_client_id(1)]))
    await pilot.press("e", *"300000", "enter")
    await ready(pilot)
    await pilot.press("o")  # 100 000 € → 300 000 €: confirmed
    await ready(pilot)
    await pilot.press("m")  # keep mine: written over the version now shown
    await ready(pilot)
    assert stored() == 30_000_000
    if read_again:
        model = app.screen.model
    assert model.accounts.amount_of(model.index_of_client_id(1)) == 30_000_000
