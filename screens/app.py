"""The App coordinates: it owns the workspace and the config, runs every
file and database access in a worker, and hands results to the screens."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterable

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from cockpit import config as config_mod
from cockpit.abc import Limits
from cockpit.i18n import t
from cockpit.portfolio import PortfolioModel
from cockpit.workspace import Conflict, Workspace

from .keys import translate_bindings, visible_bindings
from .portfolio import PortfolioScreen

PORTFOLIO_FIGURES = ["help.classes", "help.computed", "help.hhi", "help.gini", "help.disclosure"]


class CockpitApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "cockpit"
    BINDINGS = [
        Binding("f1", "help", "key.help", id="app.help"),
        Binding("q", "quit", "key.quit", id="app.quit"),
        Binding("ctrl+q", "quit", "key.quit", show=False, priority=True, id="app.force_quit"),
        Binding("1", "portfolio", "key.portfolio", show=False, id="app.portfolio"),
    ]

    def __init__(self, workspace: Workspace, cfg: dict, cfg_path: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        translate_bindings(self)
        self.workspace = workspace
        self.cfg = cfg
        self.cfg_path = cfg_path
        self._quit_armed = 0.0

    def on_mount(self) -> None:
        self.title = t("app.title")
        theme = self.cfg["ui"]["theme"]
        if theme in self.available_themes:
            self.theme = theme
        self.push_screen(PortfolioScreen())

    # ---- messages to the rep: never markup ----------------------------
    def say(self, message: str, severity: str = "information") -> None:
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    # ---- workers -------------------------------------------------------
    def load_portfolio(self) -> None:
        self.run_worker(self._load_portfolio, thread=True, group="db", exit_on_error=False)

    def _load_portfolio(self) -> None:
        abc = self.cfg["abc"]
        data = self.workspace.load_portfolio(None, abc["amount"])
        model = PortfolioModel(data, Limits.of(abc["a_limit"], abc["b_limit"]), abc["mode"], abc["by"],
                               self.cfg["diagnosis"], abc["amount"])
        model.summary()  # warm the computed limits off the UI thread
        self.call_from_thread(self._portfolio_screen().show_model, model)

    def _portfolio_screen(self) -> PortfolioScreen:
        return next(s for s in self.screen_stack if isinstance(s, PortfolioScreen))

    def persist_edit(self, entity: str, key: tuple, field: str, value, version: int, label: tuple) -> None:
        def work() -> None:
            try:
                edit = self.workspace.edit(entity, key, field, value, expected_version=version)
            except Conflict as conflict:
                self.call_from_thread(self._portfolio_screen().edit_failed, conflict, value)
            else:
                self.call_from_thread(self._portfolio_screen().edit_saved, edit, label)

        self.run_worker(work, thread=True, group="db", exit_on_error=False)

    def step_journal(self, direction: str) -> None:
        def work() -> None:
            try:
                edit = self.workspace.undo() if direction == "undo" else self.workspace.redo()
            except Conflict as conflict:
                self.call_from_thread(self.say, t("edit.conflict", name=str(conflict.key), theirs=str(conflict.theirs)), "error")
                return
            if edit is None:
                self.call_from_thread(self.say, t(f"{direction}.none"), "warning")
            else:
                self.call_from_thread(self._portfolio_screen().apply_journal, edit, f"{direction}.done")

        self.run_worker(work, thread=True, group="db", exit_on_error=False)

    def save_config(self, section: str, values: dict) -> None:
        def work() -> None:
            try:
                config_mod.save_values(self.cfg_path, section, values)
            except (OSError, config_mod.ConfigError) as exc:
                self.call_from_thread(self.say, t("limits.save_failed", reason=str(exc)), "error")
                return
            self.cfg[section].update(values)
            self.call_from_thread(self.say, t("limits.saved", path=str(self.cfg_path)))

        self.run_worker(work, thread=True, group="config", exit_on_error=False)

    def on_worker_state_changed(self, event) -> None:
        # A worker that failed: tell the rep in one line, log the rest.
        if event.worker.error is not None and event.state.name == "ERROR":
            log = _log_exception(event.worker.error)
            self.say(t("error.unexpected", error=f"{type(event.worker.error).__name__}: {event.worker.error}", log=log), "error")

    # ---- actions -------------------------------------------------------
    def action_help(self) -> None:
        screen = self.screen
        if isinstance(screen, PortfolioScreen):
            from .dialogs import HelpScreen

            self.push_screen(HelpScreen(t("portfolio.title"), screen, PORTFOLIO_FIGURES))

    def action_portfolio(self) -> None:
        while len(self.screen_stack) > 2 and not isinstance(self.screen, PortfolioScreen):
            self.pop_screen()

    async def action_quit(self) -> None:
        screen = self.screen
        if getattr(screen, "has_open_edit", lambda: False)() and time.monotonic() - self._quit_armed > 3:
            self._quit_armed = time.monotonic()
            self.say(t("quit.confirm"), "warning")
            return
        self.exit()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for node in (screen, self):
            for keys, binding in visible_bindings(node):
                action = binding.action
                yield SystemCommand(f"{binding.description} ({keys})", binding.tooltip or binding.description,
                                    lambda node=node, action=action: self.run_action(action, node))

    # ---- never a traceback on the rep's screen -------------------------
    def _fatal_error(self) -> None:
        import sys

        log = _log_exception(sys.exc_info()[1])
        self._exit_renderables.append(Text(f"cockpit: {sys.exc_info()[1]!s} (details: {log})"))
        self._close_messages_no_wait()


def _log_exception(error: BaseException | None) -> str:
    import traceback

    from platformdirs import user_log_dir

    log = Path(user_log_dir("sales-cockpit")) / "errors.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as f:
        traceback.print_exception(error, file=f) if error else None
    return str(log)
