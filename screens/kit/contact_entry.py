"""Logging a call or a visit from a line of any screen (Today, Prospects):
the one-line entry (``r +3j Rappeler``) in the screen's InlineEditor, written
by the one committer as one undoable unit (cockpit.action.today.log_contact),
another rep's change of the next action asked through the one ConflictDialog.
Both screens use this, so the entry, the words and the conflict are the same."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from cockpit.action.contact_line import ContactLine, parse_contact_line
from cockpit.action.today import Target, log_contact
from cockpit.i18n import date, t
from cockpit.store.workspace import Conflict

from screens.kit.committer import Job
from screens.kit.editor import EditField, InlineEditor

if TYPE_CHECKING:
    from screens.kit.base import CockpitScreen
    from screens.kit.virtual_table import VirtualTable

MODE = "contact"  # the first item of an entry's target: the screen's Done handler dispatches on it


@dataclass(frozen=True)
class Contactee:
    """Who the contact is with: ("client" | "prospect", id), as the rep sees
    them named, and the row's version they saw (None: whatever is stored)."""
    target: Target
    name: str
    version: int | None


def open_entry(screen: CockpitScreen, editor: InlineEditor, table: VirtualTable, column: int | None,
               who: Contactee, kind: str, today: dt.date) -> None:
    """The entry over the table's cursor row; its target is (MODE, who, kind)."""
    field = EditField(who.name, t(f"today.log.{kind}"), "", lambda text: parse_contact_line(text, today),
                      (MODE, who, kind), required=True)
    editor.open_over(table, column, field)
    if editor.is_open:  # not over a view the rep may not write in (its sentence stays said)
        screen.cockpit.tell(t("today.log.hint"))


def is_entry(target: Any) -> bool:
    return isinstance(target, tuple) and len(target) == 3 and target[0] == MODE


def _plan(day: dt.date | str | None, action: str) -> str:
    day = dt.date.fromisoformat(day[:10]) if isinstance(day, str) and day else day
    return " ".join(p for p in (date(day) if isinstance(day, dt.date) else "", action) if p) or "—"


def submit_entry(screen: CockpitScreen, target: tuple[str, Contactee, str], parsed: ContactLine, today: dt.date,
                 theirs: Callable[[], None]) -> None:
    """Write the contact; said on the status line, then every screen told
    ("visits"). ``theirs``: the rep kept the other rep's plan (reread)."""
    _, who, kind = target
    cockpit = screen.cockpit

    def done(_: Any) -> None:
        when = t("today.log.next", day=date(parsed.date)) if parsed.date else ""
        said = t("today.log.saved", kind=t(f"action.kind.{kind}"), name=who.name,
                 outcome=t(f"action.outcome.{parsed.outcome}"), next=when)
        cockpit.tell(said[:1].upper() + said[1:])
        cockpit.data_changed("visits")  # Activity's log, Prospects' timeline, Today's list

    def failed(exc: BaseException) -> None:
        from screens.kit.committer import failure_words

        cockpit.tell(failure_words(exc), "error")

    def conflict(exc: Conflict) -> None:
        # Another rep changed the row since it was read: the one conflict dialog,
        # naming the next action as each of them has it (date and text).
        from screens.kit.dialogs import ConflictDialog

        table = "clients" if who.target[0] == "client" else "prospects"

        def chosen(keep_mine: bool | None) -> None:
            if keep_mine:
                cockpit.committer.submit(Job(lambda ws: log_contact(ws, who.target, kind, parsed, today=today),
                                             done, failed=failed))
            else:
                cockpit.tell(t("today.log.theirs", name=who.name))
                theirs()

        def ask(stored: tuple[str, str | None]) -> None:
            screen.app.push_screen(ConflictDialog(who.name, t("card.next_action"), _plan(parsed.date, parsed.action),
                                                  _plan(stored[1], stored[0])), chosen)

        cockpit.run_db(lambda ws: ws.db.execute(f"SELECT next_action, next_action_date FROM {table} WHERE id = ?",
                                                (who.target[1],)).fetchone() or ("", None), ask)

    cockpit.committer.submit(Job(
        lambda ws: log_contact(ws, who.target, kind, parsed, today=today, expected_version=who.version or None),
        done, conflict, failed))
