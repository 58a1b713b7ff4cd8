"""`x` exports what is shown (filters included) to CSV or XLSX; ctrl+s saves
the screen (the Pareto curve, the funnel…) as SVG, or its chart as text.
Both ask for the file name first; the writing runs in a worker."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input

from cockpit.i18n import t

from screens.kit.dialogs import KitDialog
from screens.kit.virtual_table import VirtualTable

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class FileNameDialog(KitDialog):
    """A file name, prefilled; the title and the hint wrap at 80 columns."""

    AUTO_FOCUS = "#file-name"
    BINDINGS = [Binding("escape", "cancel", show=False, id="kit.file.cancel")]

    def __init__(self, title: str, default: Path) -> None:
        super().__init__("", [title], t("export.hint"))
        self.default = default

    def buttons(self) -> ComposeResult:
        yield Input(str(self.default), id="file-name")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        name = event.value.strip()
        self.dismiss(Path(name).expanduser() if name else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def default_path(what: str, suffix: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", what).strip("-") or "cockpit"
    return Path.home() / f"cockpit-{safe}-{dt.date.today():%Y%m%d}{suffix}"


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
    """The first chart on screen as plain text (plotext draws it)."""
    from textual_plotext import PlotextPlot

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
            app.run_db(lambda ws: write_table(path, headers, rows, sheet=name),
                       lambda _: app.say(t("export.done", count=len(rows), path=str(path))))

    app.push_screen(FileNameDialog(t("export.title", count=len(rows)), default_path(name, ".xlsx")), write)


def save_screen(app: Any) -> None:
    """ctrl+s: the screen as SVG, or its chart as text with a .txt name."""
    from cockpit.io.file_modes import write_text

    screen = app.screen
    text = chart_text(screen)
    svg = app.export_screenshot()

    def save(path: Path | None) -> None:
        if path is not None:
            content = (text or "") if path.suffix.lower() == ".txt" else svg
            app.run_db(lambda ws: write_text(path, content),  # 0600, as the exports
                       lambda _: app.say(t("export.saved", path=str(path))))

    app.push_screen(FileNameDialog(t("export.screen_title"), default_path(screen.id or "screen", ".svg")), save)
