"""Undo and redo by units, through the committer (so they keep their place
among the rep's pending commits), said in the rep's words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cockpit.i18n import date, number, plural, t
from cockpit.store.own_rows import NotYours
from cockpit.store.units import ImportBarrier
from cockpit.store.entities import ROW, Edit
from cockpit.store.workspace import Conflict

from screens.kit.base import Described
from screens.kit.committer import Job, failure_words, tell_others

if TYPE_CHECKING:
    from screens.app import CockpitApp


def describe(app: "CockpitApp", entity: str, key: tuple[Any, ...], field: str, value: Any) -> Described:
    """The first screen that knows the entity names it; else plain words."""
    for screen in app.mode_screens():
        named = screen.describe(entity, key, field, value)
        if named is not None:
            return named
    return Described(" · ".join(map(str, key)) or entity, field, "—" if value is None else str(value))


def _when(ts: str) -> str:
    import datetime as dt

    try:
        return date(dt.datetime.fromisoformat(ts).date())
    except ValueError:
        return ts


def step(app: "CockpitApp", direction: str) -> None:
    """Undo (or redo) the rep's last unit, whichever screen it was made on."""

    def done(edits: list[Edit] | None) -> None:
        if not edits:
            app.tell(t(f"{direction}.none"), "warning")
            return
        shown = [s for edit in edits for s in app.mode_screens() if s.apply_journal(edit)]
        tell_others(app, [e.entity for e in edits], shown)  # the others read again what the undo changed
        first = edits[-1] if direction == "undo" else edits[0]  # the unit's first change: a win's stage
        # A whole row that went has its words in what it was.
        shown = first.old if first.field == ROW and first.new is None else first.new
        named = describe(app, first.entity, first.key, first.field, shown)
        if len(edits) == 1 and first.field == ROW:  # a whole row came back or went: no "field goes back to"
            app.tell(t(f"kit.{direction}.row_{'back' if first.new is not None else 'gone'}", row=named.row), "information")
        elif len(edits) == 1:
            app.tell(t(f"kit.{direction}.done", row=named.row, field=named.field, value=named.value), "information")
        else:
            app.tell(plural(f"kit.{direction}.unit", len(edits), count=number(len(edits)), row=named.row), "information")

    def conflict(exc: Conflict) -> None:
        named = describe(app, exc.entity, exc.key, exc.field, exc.theirs)
        app.tell(t("kit.undo.conflict", row=named.row, field=named.field, theirs=named.value), "error")
        app.data_changed("external")  # show what the workspace holds now

    def failed(exc: BaseException) -> None:
        if isinstance(exc, ImportBarrier):
            app.tell(t("kit.undo.import", when=_when(exc.when), what=t(f"kit.import.{exc.what}")), "warning")
        elif isinstance(exc, NotYours | KeyError):  # set aside by the workspace: the next step takes the one before
            why = str(exc) if isinstance(exc, NotYours) else t("kit.undo.gone")
            app.tell(t(f"kit.{direction}.set_aside", why=why), "error")
            app.data_changed("external")
        else:
            app.tell(t("kit.save.job_failed", why=failure_words(exc)), "error")

    app.committer.submit(Job(lambda ws: ws.undo() if direction == "undo" else ws.redo(), done, conflict, failed))
