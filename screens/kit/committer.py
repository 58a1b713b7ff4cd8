"""The App's one committer: every write of every screen, in one ordered
queue, one at a time, off the UI thread.

- A commit carries the version of the row the rep saw. A version this
  committer itself replaced is read as the one it left, so two quick edits
  of one row do not trip over each other; another rep's commit in between
  does, and opens the one conflict dialog (row, field, mine, theirs).
- While that dialog is open the queue waits: nothing is reordered.
- A failed commit (disk full, read-only, locked) puts the old value back on
  screen and says why in words; the row's later commits go with it.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from dataclasses import dataclass, field as dc_field, replace
from typing import TYPE_CHECKING, Any, Callable

from cockpit.errorlog import log_exception
from cockpit.i18n import t
from cockpit.store.own_rows import NotYours
from cockpit.store.workspace import Conflict, Edit, Workspace

if TYPE_CHECKING:
    from textual.app import App

Row = tuple[str, tuple[Any, ...]]


@dataclass
class Commit:
    """One field of one row, as the rep set it."""

    entity: str
    key: tuple[Any, ...]
    field: str
    value: Any  # mine
    seen: int | None  # the row's version the rep saw (None: no check)
    row: str  # the row's name, for the rep
    label: str  # the field's name, for the rep
    old: Any  # the value before, put back if the commit fails
    show: Callable[[Any], str] = str  # a value in the rep's units
    apply: Callable[[Any, int | None], None] = lambda value, version: None  # put a value (and version) on screen
    saved: Callable[[Any], None] = lambda result: None  # after the commit: the Edit (or ``write``'s result)
    write: Callable[[Workspace, int | None], Any] | None = None  # a write of its own (several rows, one unit)
    said: str = ""  # what the status line says once saved ("" : the screen says it itself)
    based_on: Any = None  # the value the rep saw when typing, if not ``old`` (a draft from before a drop)
    has_basis: bool = False
    origin: Any = None  # the screen the rep made it on (it shows it already): the others are told once saved

    @property
    def seen_value(self) -> Any:
        return self.based_on if self.has_basis else self.old

    @property
    def row_key(self) -> Row:
        return (self.entity, tuple(self.key))

    def run(self, ws: Workspace, expected: int | None) -> Any:
        if self.write is not None:
            return self.write(ws, expected)
        return ws.edit(self.entity, self.key, self.field, self.value, expected_version=expected)


@dataclass
class Job:
    """Anything else that must keep its place in the order (undo, redo, import)."""

    work: Callable[[Workspace], Any]
    done: Callable[[Any], object]  # what it returns is not used
    conflict: Callable[[Conflict], None] | None = None
    failed: Callable[[BaseException], None] | None = None


@dataclass
class _Chain:
    replaced: set[int] = dc_field(default_factory=set)
    latest: int = 0


def failure_words(exc: BaseException) -> str:
    """Why a write failed, in the rep's words."""
    from cockpit.store.admin import AdminError
    from cockpit.store.workspace import ReadOnly

    if isinstance(exc, ReadOnly):
        return t("kit.save.readonly")
    if isinstance(exc, AdminError):  # said in a sentence already (a setting only managers change, …)
        return str(exc)
    text = str(exc).lower()
    if isinstance(exc, sqlite3.OperationalError) or isinstance(exc, OSError):
        if "full" in text or getattr(exc, "errno", None) == 28:
            return t("kit.save.full")
        if "readonly" in text or "read-only" in text or getattr(exc, "errno", None) in (13, 30):
            return t("kit.save.readonly")
        if "locked" in text or "busy" in text:
            return t("kit.save.locked")
    return t("kit.save.unexpected", error=f"{type(exc).__name__}: {exc}")


# What a write of an entity changes, in the words the screens reload on (kit.base.Changed).
CHANGES = {"amounts": "amounts", "clients": "clients", "zone_answers": "clients", "prospects": "prospects",
           "qualification": "prospects", "activity": "activity", "visits": "visits"}


def tell_others(app: "App[Any]", entities: list[str], shown_by: list[Any]) -> None:
    """Every screen but those in ``shown_by`` (they show the change already) reads
    again what the rep's own write changed: Today after an amount edited on
    the Portfolio, the Portfolio after a reminder set on Prospects. Without
    it they showed stale figures, and a later write there met the rep's own
    change as another rep's (the one conflict dialog, for nothing)."""
    kinds = sorted({CHANGES.get(e, "external") for e in entities})
    # A screen shares what it shows with the screens under it (Qualify over Prospects, the card over Today):
    # those of its stack have it already.
    shared = [s for stack in app._screen_stacks.values() if any(o is s for o in shown_by for s in stack) for s in stack]
    shown = app.screen_stack  # the screens on view now: told now; the others when shown again
    for screen in getattr(app, "mode_screens", lambda: [])():
        if all(screen is not s for s in shared):
            for kind in kinds:
                if any(screen is s for s in shown):
                    screen.notify_changed(kind)
                else:
                    screen.hold_change(kind)


class Committer:
    def __init__(self, app: "App[Any]", workspace: Workspace, tell: Callable[[str, str], None]) -> None:
        self.app, self.workspace, self.tell = app, workspace, tell
        self._queue: deque[Commit | Job] = deque()
        self._busy = False
        self._chains: dict[Row, _Chain] = {}
        self.generation = 0  # moves with every write this app makes: a read older than it is stale
        self._waiters: list[Callable[[], None]] = []

    @property
    def idle(self) -> bool:
        return not self._busy and not self._queue

    def submit(self, item: Commit | Job) -> None:
        from screens.kit.scope import refused_here

        if isinstance(item, Commit) and refused_here(self.app):  # a write from a view that is not the rep's
            item.apply(item.old, None)
            return
        if isinstance(item, Commit) and item.origin is None:
            item.origin = self.app.screen
        self.generation += 1
        self._queue.append(item)
        self._pump()

    def expected(self, c: Commit) -> int | None:
        """The version to check against: the one this committer left, if it
        replaced the one the rep saw."""
        chain = self._chains.get(c.row_key)
        if c.seen is not None and chain is not None and c.seen in chain.replaced:
            return chain.latest
        return c.seen

    def _pump(self) -> None:
        if self._busy or not self._queue:
            return
        item = self._queue.popleft()
        self._busy = True
        if isinstance(item, Job):
            self._run(lambda ws: item.work(ws), lambda r: self._job_done(item, r),
                      lambda exc: self._job_conflict(item, exc), lambda exc: self._job_failed(item, exc))
            return
        expected = self.expected(item)
        self._run(lambda ws: item.run(ws, expected), lambda r: self._saved(item, expected, r),
                  lambda exc: self._conflict(item, exc), lambda exc: self._failed(item, exc))

    def _run(self, work: Callable[[Workspace], Any], ok: Callable[[Any], None],
             conflict: Callable[[Conflict], None], failed: Callable[[BaseException], None]) -> None:
        def worker() -> None:
            try:
                result = work(self.workspace)
            except Conflict as exc:
                self.app.call_from_thread(self._guarded, conflict, exc)
            except Exception as exc:  # every fault is said, the queue goes on
                self.app.call_from_thread(self._guarded, failed, exc)
            else:
                self.app.call_from_thread(self._guarded, ok, result)

        self.app.run_worker(worker, thread=True, group="commit", exit_on_error=False)

    def _guarded(self, outcome: Callable[[Any], None], value: Any) -> None:
        """Every outcome ends here: the generation moves before the screens'
        callbacks (a read they start is not stale), a fault in a callback is
        logged and said, and the queue goes on unless a dialog holds it."""
        self.generation += 1
        try:
            outcome(value)
        except Exception as exc:
            log = log_exception(exc)
            self.tell(t("error.unexpected", error=f"{type(exc).__name__}: {exc}", log=log), "error")
        if not self._holding:
            self._next()

    def _next(self) -> None:
        self._busy = False
        self._pump()
        if self.idle:
            waiters, self._waiters = self._waiters, []
            for callback in waiters:
                callback()

    def when_idle(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once no write is pending (now, if none is)."""
        if self.idle:
            callback()
        else:
            self._waiters.append(callback)

    # ---- outcomes (each called through _guarded) ------------------------------
    def _saved(self, c: Commit, expected: int | None, result: Any) -> None:
        version = result.version if isinstance(result, Edit) else None
        if expected is not None and version is not None:
            chain = self._chains.setdefault(c.row_key, _Chain())
            chain.replaced.add(expected)
            chain.latest = version
        c.saved(result)
        if c.said:
            self.tell(c.said + " ✓", "information")
        tell_others(self.app, [c.entity], [c.origin])

    def _conflict(self, c: Commit, exc: Conflict) -> None:
        if exc.theirs == c.seen_value and exc.field == c.field:
            # Only another field of the row moved: this one is as the rep saw it.
            self._queue.appendleft(replace(c, seen=exc.version))
            return
        c.apply(exc.theirs, exc.version)  # theirs on screen while the rep decides

        def mine() -> Commit:
            c.apply(c.value, exc.version)
            return replace(c, seen=exc.version)

        def theirs() -> None:
            self.tell(t("kit.conflict.took", row=c.row, field=c.label, theirs=c.show(exc.theirs)), "warning")

        self.resolve(c.row, c.label, c.show(c.value), c.show(exc.theirs), mine, theirs)

    def resolve(self, row: str, label: str, mine_text: str, theirs_text: str,
                mine: Callable[[], "Commit | Job | None"], theirs: Callable[[], "Commit | Job | None"]) -> None:
        """The one conflict dialog. The queue waits for the rep's choice; what
        the choice returns is committed next, before anything queued."""
        from screens.kit.dialogs import ConflictDialog

        self._holding = True

        def choose(keep_mine: bool | None) -> None:
            self._holding = False
            try:
                again = mine() if keep_mine else theirs()
                if again is not None:
                    self._queue.appendleft(again)
            finally:
                self._next()

        self.app.push_screen(ConflictDialog(row, label, mine_text, theirs_text), choose)

    _holding = False

    def _failed(self, c: Commit, exc: BaseException) -> None:
        # The row's later commits built on this one: they go too, and the
        # first one's old value is what the workspace still holds.
        dropped = [q for q in self._queue if isinstance(q, Commit) and q.row_key == c.row_key and q.field == c.field]
        for q in dropped:
            self._queue.remove(q)
        c.apply(c.old, None)
        if isinstance(exc, NotYours):  # it names the row and whose it is: the sentence alone fits a line
            self.tell(t("kit.save.not_yours", why=str(exc)), "error")
            return
        if not isinstance(exc, sqlite3.Error | OSError):
            log_exception(exc)
        self.tell(t("kit.save.failed", row=c.row, field=c.label, old=c.show(c.old), why=failure_words(exc)), "error")

    def _job_done(self, job: Job, result: Any) -> None:
        job.done(result)

    def _job_conflict(self, job: Job, exc: Conflict) -> None:
        if job.conflict is not None:
            job.conflict(exc)  # may call resolve(): then the queue waits for the rep

    def _job_failed(self, job: Job, exc: BaseException) -> None:
        if job.failed is not None:
            job.failed(exc)
            return
        if not isinstance(exc, sqlite3.Error | OSError):
            log_exception(exc)
        self.tell(t("kit.save.job_failed", why=failure_words(exc)), "error")
