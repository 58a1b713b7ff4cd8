"""The App coordinates: it owns the workspace and the config, runs every
file and database access in a worker, and hands results to the screens.

Screens are modes (1 Portfolio, 2 Prospects, 3 Activity), each a
``CockpitScreen``: it says its help title and figures, and it receives the
journal's undo/redo for the entities it shows.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from pathlib import Path
from typing import Any, Callable

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.screen import Screen

from cockpit import config as config_mod
from cockpit.errorlog import log_exception, said
from cockpit.i18n import t
from cockpit.store.workspace import Conflict, ReadOnly, Workspace

from screens.kit import CockpitScreen, Committer
from screens.kit.typeahead import TypeAhead
from screens.kit.base import Changed
from screens.kit.keys import key_hint, translate_bindings
from screens.kit.notes import Notes
from screens.kit.palette import TranslatedPalette
from cockpit.config import Config

# mode -> "module:Class"; a screen whose module is not there yet is simply absent.
SCREEN_MODES = {
    "portfolio": "screens.portfolio.screen:PortfolioScreen",
    "prospects": "screens.prospects.screen:ProspectsScreen",
    "activity": "screens.activity.screen:ActivityScreen",
    "today": "screens.today.screen:TodayScreen",
}


def _available_modes() -> dict[str, Callable[[], Screen]]:
    """A factory per screen whose module is there, imported on first use: the
    first frame does not wait for the Prospects and Activity code."""
    modes: dict[str, Any] = {}  # lambdas with default arguments: called without any
    for mode, target in SCREEN_MODES.items():
        module, cls = target.split(":")
        if importlib.util.find_spec(module) is not None:
            modes[mode] = lambda module=module, cls=cls: getattr(importlib.import_module(module), cls)()
    return modes


def _screen_classes() -> list[type[Screen[None]]]:
    return [getattr(importlib.import_module(m), c) for m, c in (t.split(":") for t in SCREEN_MODES.values())]


class CockpitApp(Notes, TranslatedPalette):
    CSS_PATH = "app.tcss"
    DEFAULT_MODE = "portfolio"  # the first screen, with no blank default screen painted before it
    TITLE = "cockpit"
    BINDINGS = [
        Binding("f1", "help", "key.help", id="app.help"),
        Binding("q", "quit", "key.quit", id="app.quit"),
        Binding("ctrl+q", "quit", "key.quit", show=False, priority=True, id="app.force_quit"),
        Binding("x", "export", "key.export", id="app.export"),
        Binding("ctrl+s", "save_screen", "key.save_screen", show=False, id="app.save_screen"),
        Binding("u,ctrl+z", "undo", "key.undo", id="app.undo"),
        Binding("ctrl+y", "redo", "key.redo", show=False, id="app.redo"),
        Binding("1", "switch_mode('portfolio')", "key.portfolio", show=False, id="app.portfolio"),
        Binding("2", "switch_mode('prospects')", "key.prospects", show=False, id="app.prospects"),
        Binding("3", "switch_mode('activity')", "key.activity", show=False, id="app.activity"),
        Binding("4", "switch_mode('today')", "key.today", show=False, id="app.today"),
        Binding("E", "scope", "key.scope", show=False, id="app.scope"),
    ]

    def __init__(self, workspace: Workspace, cfg: Config, cfg_path: Path, prefetch=None, **kwargs) -> None:
        # [ui] start_screen: read by App.__init__, so the first frame is that screen's.
        self.DEFAULT_MODE = cfg.ui.start_screen  # type: ignore[misc]  # Textual reads it per instance too
        super().__init__(**kwargs)
        from screens.kit.text import guard_output

        guard_output()  # data never reaches the terminal as control, whatever widget shows it
        for mode, screen in _available_modes().items():
            self.add_mode(mode, screen)
        translate_bindings(self)
        self.workspace = workspace
        self.cfg = cfg
        self.cfg_path = cfg_path
        self._quit_armed = 0.0
        # Read now: a headless or web driver swaps the console later.
        self.sixteen_colours = self.console.color_system in ("standard", "windows")
        from screens.kit.keys import refuse_clashes

        refuse_clashes(dict(cfg.keys), cfg_path, lambda: [type(self), *_screen_classes()])  # imported only if remapped
        self.set_keymap(dict(cfg.keys))  # bindings remapped by id in config.toml
        self.poll_seconds = 2.0  # how often to look for other reps' commits
        # The mark before anything is read: a commit between the first read and the first poll is
        # seen (on PostgreSQL this also puts LISTEN in place before the first read).
        self._data_version: int | None = workspace.data_version()
        # Whose portfolio every screen computes over (METHOD §8).
        from screens.kit.scope import Scope

        self.scope = Scope.of(workspace)
        # The Portfolio's data is read while the interface starts.
        from cockpit.portfolio.strategy import Prefetch

        if prefetch is not None and prefetch.owner != self.scope.owner:
            prefetch = None  # read for another view: the screen reads its own
        self.prefetch: Prefetch | None = prefetch or Prefetch(workspace, cfg, self.scope.owner)
        # Every write of every screen, in one ordered queue.
        self.committer = Committer(self, workspace, self.tell)
        self.typeahead = TypeAhead(self)

    def on_mount(self) -> None:
        self.title = t("app.title")
        if self.workspace.read_only:  # said at once and kept in the title: edits will be refused
            self.title += " · " + t("workspace.read_only_mark")
            self.after_first_frame(lambda: self.say(t("workspace.read_only"), "warning"))
        theme = self.cfg.ui.theme
        if self.sixteen_colours and theme == "textual-dark":
            theme = "ansi-dark"  # 16 colours (TERM=xterm, screen, linux): the terminal's own palette
        if theme in self.available_themes:
            self.theme = theme
        self._initial_theme = self.theme
        self.theme_changed_signal.subscribe(self, self._save_theme)
        self.set_interval(self.poll_seconds, self._poll_others)
        self._install_hangup_handlers()
        self.after_first_frame(self._at_start)

    async def on_event(self, event: events.Event) -> None:
        # A key from the terminal behind an edit key waits for the entry (kit.typeahead).
        if isinstance(event, events.Key) and not event.is_forwarded and self.typeahead.hold(event):
            return
        await super().on_event(event)

    def _on_key(self, event: events.Key) -> None:  # type: ignore[override]  # Textual awaits sync and async handlers alike
        # Textual calls App._on_key (the bindings) after this one, as it calls each class's handler.
        self.typeahead.read(event)

    def get_loading_widget(self):
        """A still word, not Textual's animated indicator: its 16 repaints a
        second take CPU and the GIL from the worker that reads the workspace."""
        from textual.widgets import Static

        return Static(t("loading.any"), classes="loading-word", markup=False)

    # ---- the first frame ------------------------------------------------
    _after_first_frame: list[Callable[[], None]] | None = None  # None once the first frame is out

    def after_first_frame(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` once the first frame is on the terminal (at once
        after that): the table is painted before the chart and the toasts."""
        if self._after_first_frame is None and self._running:
            self.call_after_refresh(callback)
        else:
            self._after_first_frame = [*(self._after_first_frame or []), callback]

    async def _ready(self) -> None:
        # Textual's hook once compose and mount are done and frames are written.
        await super()._ready()
        self.call_after_refresh(self._first_frame_out)

    def _first_frame_out(self) -> None:
        pending, self._after_first_frame = self._after_first_frame or [], None
        for callback in pending:
            callback()

    started = False  # True once each screen's start-up word was asked for

    def _at_start(self) -> None:
        """Each screen's start-up word (e.g. overdue follow-ups), after the first frame."""
        self.started = True
        for target in SCREEN_MODES.values():
            module, cls = target.split(":")
            if importlib.util.find_spec(module) is not None:
                at_start = getattr(getattr(importlib.import_module(module), cls), "at_start", None)
                if at_start is not None:
                    at_start(self)

    def on_resize(self, event) -> None:
        from screens.dialogs import MIN_SIZE, TooSmallScreen

        small = event.size.width < MIN_SIZE[0] or event.size.height < MIN_SIZE[1]
        shown = isinstance(self.screen, TooSmallScreen)
        if small and not shown:
            self.push_screen(TooSmallScreen())
        elif not small and shown:
            self.pop_screen()

    # ---- SSH drops and stop signals: keep the draft, exit within 2 s -----
    _lifeline = None

    def _install_hangup_handlers(self) -> None:
        """A real terminal only (run_test and the web driver have none): the
        watchdog of cockpit.lifeline ends the process even when Textual's
        writer blocks on a terminal that is gone."""
        import asyncio
        import sys
        from functools import partial

        from cockpit.store.drafts import save_draft
        from cockpit.lifeline import Lifeline

        if self.is_headless or self.is_web or not sys.__stdin__ or not sys.__stdin__.isatty():
            return
        loop = asyncio.get_running_loop()
        self._lifeline = Lifeline(
            draft=self.current_draft, save=partial(save_draft, self.workspace.path),
            close=partial(self.workspace.close, 0.3),
            graceful=lambda code: loop.call_soon_threadsafe(partial(self.exit, return_code=code)),
            tty_fd=sys.__stdin__.fileno())
        try:
            self._lifeline.install()
        except ValueError:  # not the main thread
            self._lifeline = None

    def on_unmount(self) -> None:
        if self._lifeline is not None:
            self._lifeline.uninstall()

    def current_draft(self) -> dict | None:
        """What is being typed on any screen (the first open entry)."""
        draft = None
        for screen in self.mode_screens():
            draft = draft or screen.draft()
        return draft

    def pending_draft(self, screen: str) -> dict | None:
        """The draft the last session left on ``screen``, once."""
        from cockpit.store.drafts import take_draft

        if not hasattr(self, "_draft"):
            self._draft = take_draft(self.workspace.path)
        if not self._draft or self._draft.get("screen") != screen:
            return None
        draft, self._draft = self._draft, None
        return draft

    def _save_theme(self, theme) -> None:
        """A theme the rep picked (ctrl+p) is kept for the next start."""
        if theme.name not in (self.cfg.ui.theme, self._initial_theme):
            self.save_config("ui", {"theme": theme.name})

    def _poll_others(self) -> None:
        """PRAGMA data_version moves when another connection commits: then
        every screen reloads what it shows."""

        from cockpit.store import shared_settings

        def done(seen: tuple[int, dict]) -> None:
            version, shared = seen
            if not self.committer.idle:
                return  # a reload now would show the workspace without the rep's pending commits: next poll
            if self._data_version is not None and version != self._data_version:
                for section, values in shared.items():  # another rep set the limits: the same classes here
                    self.cfg = self.cfg.updated(section, values)
                self.data_changed("external")
            self._data_version = version

        self.run_db(lambda ws: (ws.data_version(), shared_settings.stored(ws)), done)

    async def action_switch_mode(self, mode: str) -> None:
        if mode in self._modes:
            await self.switch_mode(mode)

    # ---- messages to the rep: never markup ----------------------------
    # ---- workers -------------------------------------------------------
    def run_read(self, work: Callable[[Workspace], Any], done: Callable[[Any], None]) -> None:
        """A screen's read of the workspace, shown only if nothing was written
        meanwhile: a read that started before the rep's commit (or while one was
        pending) would put the old figures back on screen. Then it reads again."""
        generation = self.committer.generation

        def shown(result: Any) -> None:
            if generation != self.committer.generation or not self.committer.idle:
                self.committer.when_idle(lambda: self.run_read(work, done))
                return
            done(result)

        self.run_db(work, shown)

    def run_db(self, work: Callable[[Workspace], Any], done: Callable[[Any], None] | None = None,
               conflict: Callable[[Conflict], None] | None = None) -> None:
        """Run ``work(workspace)`` off the UI thread, then ``done(result)`` on it.
        A Conflict goes to ``conflict``; any other fault to the rep in one line."""

        def worker() -> None:
            try:
                result = work(self.workspace)
            except Conflict as exc:
                if conflict is None:
                    raise
                self.call_from_thread(conflict, exc)
                return
            except ReadOnly as exc:  # a sentence, not an "unexpected error"
                self.call_from_thread(self._refused, exc)
                return
            except Exception as exc:  # a refusal, a file that cannot be written: the CLI's sentence
                sentence = said(exc)
                if sentence is None:
                    raise  # unexpected: logged, said in one line (on_worker_state_changed)
                self.call_from_thread(self.say, sentence[0], "error")
                return
            if done is not None:
                self.call_from_thread(done, result)

        self.run_worker(worker, thread=True, group="db", exit_on_error=False)

    def _refused(self, exc: ReadOnly) -> None:
        """A write the read-only workspace refused: say so, and let every screen
        reload what is stored, so no refused value stays on screen."""
        self.say(str(exc), "error")
        self.data_changed("external")

    def action_scope(self) -> None:
        from screens.kit.scope import switch_scope

        switch_scope(self)

    def action_export(self) -> None:
        from screens.kit.export_dialog import export_shown

        export_shown(self)

    def action_save_screen(self) -> None:
        from screens.kit.export_dialog import save_screen

        save_screen(self)

    def action_undo(self) -> None:
        from screens.kit.journal import step

        step(self, "undo")

    def action_redo(self) -> None:
        from screens.kit.journal import step

        step(self, "redo")

    def data_changed(self, what: Changed) -> None:
        """Tell every screen that ``what`` changed in the workspace; a screen
        with an open entry applies it when the entry closes."""
        for screen in self.mode_screens():
            screen.notify_changed(what)

    def mode_screens(self) -> list[CockpitScreen]:
        return [s for stack in self._screen_stacks.values() for s in stack if isinstance(s, CockpitScreen)]

    def save_config(self, section: str, values: dict) -> None:
        """Keep a setting the rep changed (screens/kit/settings.py says where)."""
        from screens.kit.settings import save_settings

        save_settings(self, section, values)

    def on_worker_state_changed(self, event) -> None:
        # A worker that failed: tell the rep in one line, log the rest.
        if event.worker.error is not None and event.state.name == "ERROR":
            log = log_exception(event.worker.error)
            if not self.screen_stack:  # the app is closing: the log has it, no screen is left to say it
                return
            self.say(t("error.unexpected", error=f"{type(event.worker.error).__name__}: {event.worker.error}", log=log), "error")

    # ---- actions -------------------------------------------------------
    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, CockpitScreen):
            from screens.dialogs import HelpScreen

            self.push_screen(HelpScreen(t(screen.HELP_TITLE), screen, screen.HELP_FIGURES))

    async def action_quit(self) -> None:
        screen = self.screen
        if isinstance(screen, CockpitScreen) and screen.has_open_edit() and time.monotonic() - self._quit_armed > 3:
            self._quit_armed = time.monotonic()
            self.say(t("quit.confirm", hint=key_hint(self, "app.force_quit")), "warning")
            return
        self.exit()

    # ---- never a traceback on the rep's screen -------------------------
    def _fatal_error(self) -> None:
        import sys

        log = log_exception(sys.exc_info()[1])
        self._exit_renderables.append(Text(f"cockpit: {sys.exc_info()[1]!s} (details: {log})"))
        self._close_messages_no_wait()
