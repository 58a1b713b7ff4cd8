"""`x` exports what is shown (filters included) to CSV or XLSX; ctrl+s saves
the screen (the Pareto curve, the funnel…) as SVG, or its chart as text.
Both ask for the file name first; the writing runs in a worker."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from cockpit.i18n import catalogue, current, number, plural, t
from cockpit.io.paths import complete_path

from screens.kit.dialogs import KitDialog
from screens.kit.keys import key_hint
from screens.kit.text import plain
from screens.kit.virtual_table import VirtualTable

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class FileNameDialog(KitDialog):
    """A file path, prefilled in the last folder used (``ui.last_folder``, kept
    for the rep when a path is chosen); Tab completes it as a shell does and
    lists the candidates; the title and the hint wrap at 80 columns."""

    AUTO_FOCUS = "#file-name"
    BINDINGS = [Binding("escape", "cancel", show=False, id="kit.file.cancel"),
                Binding("tab", "complete", show=False, id="kit.file.complete")]

    def __init__(self, title: str, name: str = "") -> None:
        super().__init__("", [title], "")
        self.name_text = name

    def buttons(self) -> ComposeResult:
        folder = str(self.app.cfg.ui.last_folder or Path.home()).rstrip(os.sep) + os.sep  # type: ignore[attr-defined]  # CockpitApp
        yield Input(folder + self.name_text, id="file-name")
        yield Static("", id="file-candidates", markup=False)

    def key_line(self) -> str:
        return t("export.hint", complete=key_hint(self, "kit.file.complete"), cancel=key_hint(self, "kit.file.cancel"))

    def action_complete(self) -> None:
        field = self.query_one("#file-name", Input)
        completed, names = complete_path(field.value)
        field.value = completed
        field.cursor_position = len(completed)
        shown = "  ".join(names) if len(names) > 1 else ""
        self.query_one("#file-candidates", Static).update(plain(shown))

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        path = Path(name).expanduser() if name else None
        if path is not None and path.parent.is_dir() and str(path.parent) != self.app.cfg.ui.last_folder:  # type: ignore[attr-defined]
            self.app.save_config("ui", {"last_folder": str(path.parent)})  # type: ignore[attr-defined]  # CockpitApp
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)


def named(what: str) -> str:
    """A table's or a screen's name in the rep's words ("aujourdhui", not the
    widget's id "today"): the file's and the sheet's name."""
    key = f"export.name.{what}"
    return t(key) if key in catalogue(current()) else what


def default_name(what: str, suffix: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", named(what)).strip("-") or "cockpit"
    return f"cockpit-{safe}-{dt.date.today():%Y%m%d}{suffix}"


def shown_table(screen) -> tuple[str, list[str], list[list[object]]] | None:
    """The table the rep is looking at, as it shows it: a screen may offer a
    richer one (real numbers) with ``export_view()``."""
    offer = getattr(screen, "export_view", None)
    if offer is not None:
        view = offer()
        if view is not None:
            return view
    widget = screen.focused
    if isinstance(widget, VirtualTable):
        source = widget.source
        headers = [c.label for c in source.columns]
        return widget.id or "table", headers, [[c.plain for c in source.row(i)] for i in range(source.row_count())]
    if isinstance(widget, DataTable):
        headers = [Text.from_markup(str(c.label)).plain if not isinstance(c.label, Text) else c.label.plain
                   for c in widget.ordered_columns]
        rows: list[list[object]] = [[cell.plain if isinstance(cell, Text) else str(cell) for cell in widget.get_row(row.key)]
                for row in widget.ordered_rows]
        return widget.id or "table", headers, rows
    return None


def chart_text(screen) -> str | None:
    """The first chart on screen as plain text: a chart drawn as text says it
    (``as_text``), a plotext one is built at its size."""
    from textual_plotext import PlotextPlot

    for chart in screen.query("*"):
        as_text = getattr(chart, "as_text", None)
        if callable(as_text) and chart.display and chart.size.area:
            return str(as_text())
    for plot in screen.query(PlotextPlot):
        if plot.display and plot.size.area:
            plot.plt.plotsize(plot.size.width, plot.size.height)
            return _ANSI.sub("", plot.plt.build())
    return None


def export_shown(app: Any) -> None:
    """`x`: the table shown (filters included) to XLSX or CSV, after asking the file name."""
    from cockpit.io.exports import write_table

    view = shown_table(app.screen)
    if view is None:
        app.say(t("export.nothing"), "warning")
        return
    name, headers, rows = view

    def write(path: Path | None) -> None:
        if path is not None:
            app.run_db(lambda ws: write_table(path, headers, rows, sheet=named(name)),
                       lambda _: app.say(plural("export.done", len(rows), count=number(len(rows)), path=str(path))))

    app.push_screen(FileNameDialog(plural("export.title", len(rows), count=number(len(rows))), default_name(name, ".xlsx")), write)


def save_screen(app: Any) -> None:
    """ctrl+s: the screen as SVG, or its chart as text with a .txt name."""
    from cockpit.io.exports import refuse_target
    from cockpit.io.file_modes import write_text

    screen = app.screen
    text = chart_text(screen)
    svg = app.export_screenshot()

    def save(path: Path | None) -> None:
        if path is not None:
            content = (text or "") if path.suffix.lower() == ".txt" else svg
            def write(ws: Any) -> None:
                refuse_target(path)  # never over a workspace, as the exports
                write_text(path, content)

            app.run_db(write,  # 0600, as the exports
                       lambda _: app.say(t("export.saved", path=str(path))))

    app.push_screen(FileNameDialog(t("export.screen_title"), default_name(screen.id or "screen", ".svg")), save)
