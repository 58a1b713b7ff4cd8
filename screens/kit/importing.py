"""An import in the app: the file is read and written in the committer's
worker (the one queue of writes), a progress bar shows how far it is, and
Escape stops it between two chunks: the import's transaction is rolled back,
so nothing is written.

The worker never waits on the UI thread: it only sets figures on the
`ImportRun` it shares with the bar, which reads them ten times a second.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Label, ProgressBar

from cockpit.i18n import current, number, plural, t

if TYPE_CHECKING:
    from screens.kit.base import CockpitScreen

Outcome = tuple[str, Any]  # ("done", rows) | ("stopped", None) | ("error", sentence)


class ImportRun:
    """What the worker and the screen share while one file is imported."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.rows = self.done = 0
        self.total = 1
        self._stop = threading.Event()

    def __call__(self, rows: int, done: int, total: int) -> None:  # the importer's progress, in its thread
        self.rows, self.done, self.total = rows, done, max(total, 1)

    def stop(self) -> None:
        self._stop.set()

    def stopped(self) -> bool:
        return self._stop.is_set()


class ImportBar(Horizontal):
    """Hidden but while an import runs: what it imports, rows so far, the bar."""

    DEFAULT_CSS = """
    ImportBar { display: none; height: 1; padding: 0 1; }
    ImportBar.-running { display: block; }
    ImportBar > Label { width: auto; margin-right: 2; }
    """

    run: ImportRun | None = None
    _timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label("", markup=False, id="import-label")
        yield ProgressBar(total=100, show_eta=False, id="import-progress")

    @property
    def running(self) -> bool:
        return self.run is not None

    def start(self, run: ImportRun) -> None:
        self.run = run
        self.query_one(ProgressBar).update(total=100, progress=0)
        self.add_class("-running")
        self._timer = self.set_interval(0.1, self.poll)
        self.poll()

    def poll(self) -> None:
        run = self.run
        if run is None:
            return
        self.query_one(ProgressBar).update(total=100, progress=min(100.0, 100 * run.done / run.total))
        words = t("kit.import.stopping") if run.stopped() else \
            plural("kit.import.running", run.rows, what=t(f"kit.import.{run.kind}"), rows=number(run.rows))
        self.query_one(Label).update(words)

    def stop(self) -> bool:
        """Escape: ask the running import to stop (False: none runs)."""
        if self.run is None:
            return False
        self.run.stop()
        self.poll()
        return True

    def finish(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer, self.run = None, None
        self.remove_class("-running")


def work(ws: Any, run: ImportRun, path: Path, period: str | None) -> Outcome:
    """In the committer's worker: the import, all or nothing, as an outcome."""
    from cockpit.io.fast_import import Interrupted, import_file
    from cockpit.io.input_error import InputError

    try:
        return "done", import_file(ws, run.kind, path, period, run, run.stopped)
    except Interrupted:
        return "stopped", None
    except InputError as exc:
        return "error", exc.message(current())
    except OSError as exc:
        return "error", f"{path}: {exc.strerror or exc}"


def ask_and_import(screen: "CockpitScreen", kind: str, period: str | None, imported: Callable[[int], None]) -> None:
    """The file name dialog, then the import in the queue of writes with its bar."""
    from screens.kit.committer import Job, failure_words
    from screens.kit.dialogs import ErrorDialog
    from screens.kit.export_dialog import FileNameDialog

    app, bar = screen.cockpit, screen.query_one(ImportBar)
    if bar.running:
        app.tell(t("kit.import.busy"), "warning")
        return

    def done(outcome: Outcome) -> None:
        bar.finish()
        what, value = outcome
        if what == "done":
            imported(value)
        elif what == "stopped":
            app.tell(t("kit.import.stopped", what=t(f"kit.import.{kind}")), "warning")
        else:
            app.push_screen(ErrorDialog(value))

    def failed(exc: BaseException) -> None:
        bar.finish()
        app.tell(t("kit.save.job_failed", why=failure_words(exc)), "error")

    def chosen(path: Path | None) -> None:
        if path is not None:
            run = ImportRun(kind)
            bar.start(run)
            # In the one queue of writes: an import never overtakes an edit typed before it.
            app.committer.submit(Job(lambda ws: work(ws, run, path, period), done, failed=failed))

    app.push_screen(FileNameDialog(t(f"import.title.{kind}")), chosen)
